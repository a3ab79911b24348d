/**
 * Runs one load test in a child process (dist/loadtest.js, see child.ts) and reports its progress.
 * No vscode here: the command layer maps it to a progress notification, the walkthrough to its
 * chart. One run at a time per runner.
 *
 * API for the walkthrough / tests:
 *   const run = runner.start(options)        // throws LoadTestBusyError while one runs
 *   runner.onProgress((p) => …)              // about twice a second while running
 *   runner.onDone((summary) => …)            // once per run (also when stopped)
 *   await run.result                         // the summary; rejects on a child failure
 *   runner.stop()                            // ends the run early (the summary says stopped)
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, LoadTestOptions, LoadTestProgress, LoadTestSummary, ParentMessage } from './summary';

export type Listener<T> = (value: T) => void;

export class LoadTestBusyError extends Error {
  override readonly name = 'LoadTestBusyError';
}

export interface LoadTestRun {
  readonly options: LoadTestOptions;
  /** The latest progress, if any arrived yet. */
  readonly progress: LoadTestProgress | undefined;
  /** Resolves with the summary when the run ends (normally or stopped). */
  readonly result: Promise<LoadTestSummary>;
}

export interface LoadTestRunnerOptions {
  /** Path of the child script (dist/loadtest.js). */
  script: string;
  /** Extra node options for the child (tests: `['--import', 'tsx']`). */
  execArgv?: string[];
  /** Kill the child when it has not finished this long after `stop()` (default 5 s). */
  killAfterMs?: number;
}

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  on(fn: Listener<T>): { dispose(): void } {
    this.listeners.add(fn);
    return { dispose: () => this.listeners.delete(fn) };
  }
  fire(v: T): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(v);
      } catch {
        // a failing listener must not stop the run
      }
    }
  }
  clear(): void {
    this.listeners.clear();
  }
}

export class LoadTestRunner {
  private readonly progressEmitter = new Emitter<LoadTestProgress>();
  private readonly doneEmitter = new Emitter<LoadTestSummary>();
  private readonly startEmitter = new Emitter<LoadTestOptions>();
  private child: ChildProcess | undefined;
  private current: (LoadTestRun & { progress: LoadTestProgress | undefined }) | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LoadTestRunnerOptions) {}

  /** Progress of the current run, about twice a second. */
  readonly onProgress = (fn: Listener<LoadTestProgress>) => this.progressEmitter.on(fn);
  /** The summary of each run at its end. */
  readonly onDone = (fn: Listener<LoadTestSummary>) => this.doneEmitter.on(fn);
  /** A run started. */
  readonly onStart = (fn: Listener<LoadTestOptions>) => this.startEmitter.on(fn);

  get running(): LoadTestRun | undefined {
    return this.current;
  }

  /** Starts a run (options must be valid: see validateLoadTestOptions). */
  start(options: LoadTestOptions): LoadTestRun {
    if (this.current) throw new LoadTestBusyError('A load test is already running. Stop it first.');
    const child = fork(this.opts.script, [], { execArgv: this.opts.execArgv ?? [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8');
    });
    let settled = false;
    let resolveResult!: (s: LoadTestSummary) => void;
    let rejectResult!: (e: Error) => void;
    const result = new Promise<LoadTestSummary>((res, rej) => {
      resolveResult = res;
      rejectResult = rej;
    });
    // Nobody awaiting the result must not crash the host with an unhandled rejection.
    result.catch(() => undefined);
    const run = { options, progress: undefined as LoadTestProgress | undefined, result };
    this.current = run;
    const finish = (outcome: { summary: LoadTestSummary } | { error: Error }) => {
      if (settled) return;
      settled = true;
      if (this.killTimer) clearTimeout(this.killTimer);
      this.killTimer = undefined;
      if (this.current === run) this.current = undefined;
      if (this.child === child) this.child = undefined;
      if ('summary' in outcome) {
        this.doneEmitter.fire(outcome.summary);
        resolveResult(outcome.summary);
      } else {
        rejectResult(outcome.error);
      }
    };
    child.on('message', (m: ChildMessage) => {
      if (m?.type === 'progress') {
        run.progress = m.progress;
        this.progressEmitter.fire(m.progress);
      } else if (m?.type === 'done') {
        finish({ summary: m.summary });
      } else if (m?.type === 'error') {
        finish({ error: new Error(m.message) });
      }
    });
    child.on('error', (e) => finish({ error: e }));
    child.on('exit', (code, signal) => {
      finish({ error: new Error(`The load test process ended unexpectedly (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`) });
    });
    const msg: ParentMessage = { type: 'start', options };
    child.send(msg);
    this.startEmitter.fire(options);
    return run;
  }

  /** Ends the current run early; its summary still arrives (marked stopped). */
  stop(): boolean {
    const child = this.child;
    if (!child || !this.current) return false;
    const msg: ParentMessage = { type: 'stop' };
    if (child.connected) child.send(msg);
    else child.kill('SIGTERM');
    if (!this.killTimer) {
      this.killTimer = setTimeout(() => child.kill('SIGKILL'), this.opts.killAfterMs ?? 5000);
      this.killTimer.unref?.();
    }
    return true;
  }

  dispose(): void {
    this.stop();
    this.progressEmitter.clear();
    this.doneEmitter.clear();
    this.startEmitter.clear();
  }
}
