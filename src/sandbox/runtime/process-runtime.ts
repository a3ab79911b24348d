/**
 * The real task runtime: one OS process per ECS task, running the built-in demo image
 * (`demo-app.ts`) on real 127.0.0.1 ports.
 *
 * Events, per `start()` (always asynchronous, never inside a call):
 *  - unknown image, a process that dies before it listens (`kill()` included), or no `listening`
 *    within the start timeout → `failed` once;
 *  - otherwise `started`, then `exited` exactly once when the process is gone;
 *  - `stop()` before the process listened → `exited` only (exit code null if it was still queued).
 * Forks are queued and at most `maxConcurrentStarts` processes start at once.
 * No events are sent once `shutdown()` has begun: the sandbox is going away.
 * A second `start()` of a task that is still alive is ignored.
 *
 * Exit codes follow Docker: a process killed by a signal reports 128 + signal (SIGKILL → 137).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { resolveImage } from './images';
import type { ChildMessage, DemoAppConfig, ParentMessage } from './messages';
import type { RuntimeEvents, TaskLaunch, TaskOutputListener, TaskRuntime } from './runtime';
import { SMALL_HEAP, captureLines, defaultApp, dockerExitCode, tsxImport } from './process-util';

export { dockerExitCode };

export interface ProcessRuntimeOptions {
  /** The demo app to fork. Default: `demo-app.js` beside this module (bundled), else `demo-app.ts` run with tsx. */
  appPath?: string;
  /** Node flags for each task process. Default: small heaps, plus `--import tsx` for a `.ts` app. */
  execArgv?: string[];
  /** Node binary (default `process.execPath`). */
  execPath?: string;
  /** Real ms a task process may take to listen before it counts as failed (default 15 000), from its fork. */
  startTimeoutMs?: number;
  /** Real ms between SIGTERM and SIGKILL in `shutdown()` (default 2 000). */
  shutdownGraceMs?: number;
  /** PBKDF2 iterations per /app/loginForm request (default 15 000 ≈ 3 ms of CPU). */
  loginFormIterations?: number;
  /** Real ms between a task's CPU reports (default 500). */
  cpuReportMs?: number;
  /** Log lines kept per task (default 200). */
  logLines?: number;
  /** Exited tasks whose logs and last CPU reading are kept (default 500). */
  keepExited?: number;
  /**
   * Task processes starting at once (default 2 per CPU, at least 4); further starts queue. A burst
   * of a hundred forks would otherwise stall the sandbox and starve each start of CPU.
   */
  maxConcurrentStarts?: number;
}

export interface RunningTaskInfo {
  region: string;
  taskId: string;
  image: string;
  pid: number | undefined;
  /** `starting` includes waiting for a start slot (no pid yet). */
  state: 'starting' | 'running' | 'stopping';
  /** API host port → real 127.0.0.1 port (empty until listening). */
  ports: Record<number, number>;
  cpuSeconds: number | undefined;
  /** Real epoch ms the process was forked. */
  forkedAt: number | undefined;
}

interface Entry {
  region: string;
  taskId: string;
  image: string;
  config: DemoAppConfig;
  /** Undefined while queued. */
  child?: ChildProcess;
  phase: 'queued' | 'starting' | 'running';
  stopping: boolean;
  /** Set by stop(): the exit is expected, and reported as `exited` even before `listening`. */
  stopRequested: boolean;
  failReason?: string;
  ports: Record<number, number>;
  cpu?: number;
  logs: string[];
  forkedAt?: number;
  timers: NodeJS.Timeout[];
  unhealthyWaiters: Map<number, () => void>;
  /** Resolves when the task is gone (process closed, or left the queue). */
  closed: Promise<void>;
  markClosed: () => void;
  /** Holds one of `maxConcurrentStarts` slots. */
  holdsSlot: boolean;
}

const key = (region: string, taskId: string) => `${region}\u0000${taskId}`;

export class ProcessRuntime implements TaskRuntime {
  private events?: RuntimeEvents;
  private readonly live = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private starting = 0;
  private readonly exited = new Map<string, { logs: string[]; cpu?: number }>();
  private readonly appPath: string;
  private readonly execArgv: string[];
  private readonly maxConcurrentStarts: number;
  private unhealthySeq = 0;
  private readonly outputListeners = new Set<TaskOutputListener>();
  private shuttingDown = false;
  private readonly onParentExit = () => {
    for (const e of this.live.values()) e.child?.kill('SIGKILL');
  };

  constructor(private readonly options: ProcessRuntimeOptions = {}) {
    const def = options.appPath ? { appPath: options.appPath, tsx: options.appPath.endsWith('.ts') } : defaultApp();
    this.appPath = def.appPath;
    this.execArgv = options.execArgv ?? [...SMALL_HEAP, ...(def.tsx ? ['--import', tsxImport()] : [])];
    this.maxConcurrentStarts = Math.max(1, options.maxConcurrentStarts ?? Math.max(4, 2 * os.cpus().length));
    process.on('exit', this.onParentExit);
  }

  bind(events: RuntimeEvents): void {
    this.events = events;
  }

  start(launch: TaskLaunch): void {
    const { region, taskId } = launch;
    const k = key(region, taskId);
    if (this.shuttingDown || this.live.has(k)) return; // a second start of a live task is ignored
    const resolved = resolveImage(launch.image);
    if (!resolved.ok) {
      setImmediate(() => this.emit('failed', region, taskId, resolved.reason));
      return;
    }
    const config: DemoAppConfig = {
      region,
      taskId,
      image: launch.image,
      version: resolved.image.version,
      containerName: launch.containerName,
      containerPort: resolved.image.containerPort,
      ports: launch.ports,
      environment: launch.environment,
      instanceId: launch.instanceId,
      availabilityZone: launch.availabilityZone,
      loginFormIterations: this.options.loginFormIterations ?? 15000,
      cpuReportMs: this.options.cpuReportMs ?? 500,
    };
    let markClosed!: () => void;
    const entry: Entry = {
      region,
      taskId,
      image: launch.image,
      config,
      phase: 'queued',
      stopping: false,
      stopRequested: false,
      ports: {},
      logs: [],
      timers: [],
      unhealthyWaiters: new Map(),
      closed: new Promise<void>((r) => (markClosed = r)),
      markClosed: () => markClosed(),
      holdsSlot: false,
    };
    this.live.set(k, entry);
    this.queue.push(entry);
    setImmediate(() => this.pump()); // forks happen outside start(), in bounded numbers
  }

  stop(region: string, taskId: string, graceMs: number): void {
    const e = this.live.get(key(region, taskId));
    if (!e) return;
    e.stopRequested = true;
    if (e.stopping) return;
    e.stopping = true;
    if (!e.child) return this.dequeue(e, 'exited');
    e.child.kill('SIGTERM');
    e.timers.push(setTimeout(() => e.child?.kill('SIGKILL'), Math.max(0, graceMs)));
  }

  /** Fault injection: SIGKILL the task's process, as if the container crashed (an `exited` follows). */
  kill(region: string, taskId: string): boolean {
    const e = this.live.get(key(region, taskId));
    if (!e) return false;
    if (!e.child) {
      e.failReason = 'CannotStartContainerError: the container was killed before it started';
      this.dequeue(e, 'failed');
    } else {
      e.child.kill('SIGKILL');
    }
    return true;
  }

  /**
   * Fault injection: while on, the task's app answers 500 on every path. Resolves once the task
   * process has applied it (false when there is no such task, or it did not answer within 5 s).
   */
  setUnhealthy(region: string, taskId: string, on: boolean): Promise<boolean> {
    const e = this.live.get(key(region, taskId));
    const child = e?.child;
    if (!e || !child || !child.connected) return Promise.resolve(false);
    const seq = ++this.unhealthySeq;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000); // not acknowledged (e.g. still loading)
      e.unhealthyWaiters.set(seq, () => {
        clearTimeout(timer);
        resolve(true);
      });
      void e.closed.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
      const msg: ParentMessage = { type: 'unhealthy', seq, on };
      try {
        child.send(msg);
      } catch {
        resolve(false);
      }
    });
  }

  cpuSeconds(region: string, taskId: string): number | undefined {
    const k = key(region, taskId);
    const live = this.live.get(k);
    return live ? live.cpu : this.exited.get(k)?.cpu;
  }

  url(region: string, taskId: string, hostPort: number): string | undefined {
    const e = this.live.get(key(region, taskId));
    if (!e || e.phase !== 'running') return undefined;
    const real = e.ports[hostPort];
    return real === undefined ? undefined : `http://127.0.0.1:${real}`;
  }

  /** Each task that is starting (perhaps still waiting for a start slot) or alive. */
  list(): RunningTaskInfo[] {
    return [...this.live.values()].map((e) => ({
      region: e.region,
      taskId: e.taskId,
      image: e.image,
      pid: e.child?.pid,
      state: e.stopping ? 'stopping' : e.phase === 'running' ? 'running' : 'starting',
      ports: { ...e.ports },
      cpuSeconds: e.cpu,
      forkedAt: e.forkedAt,
    }));
  }

  /** The last lines the task's process printed (stdout and stderr), also after it exited. */
  logs(region: string, taskId: string): string[] {
    const k = key(region, taskId);
    const live = this.live.get(k);
    return [...(live ? live.logs : (this.exited.get(k)?.logs ?? []))];
  }

  onOutput(listener: TaskOutputListener): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const e of this.queue.splice(0)) this.dequeue(e, 'none');
    const grace = this.options.shutdownGraceMs ?? 2000;
    const all = [...this.live.values()];
    for (const e of all) {
      e.stopping = true;
      e.child?.kill('SIGTERM');
      e.timers.push(setTimeout(() => e.child?.kill('SIGKILL'), grace));
    }
    await Promise.all(all.map((e) => e.closed));
    process.removeListener('exit', this.onParentExit);
  }

  /** Forks queued tasks while fewer than `maxConcurrentStarts` are starting. */
  private pump(): void {
    while (!this.shuttingDown && this.starting < this.maxConcurrentStarts && this.queue.length) {
      this.spawn(this.queue.shift()!);
    }
  }

  /** A queued task leaves without a process: stop() → exited, kill() → failed, shutdown → silent. */
  private dequeue(e: Entry, event: 'exited' | 'failed' | 'none'): void {
    const i = this.queue.indexOf(e);
    if (i >= 0) this.queue.splice(i, 1);
    this.live.delete(key(e.region, e.taskId));
    e.markClosed();
    if (event === 'none') return;
    setImmediate(() =>
      event === 'exited'
        ? this.emit('exited', e.region, e.taskId, null, 'Task stopped')
        : this.emit('failed', e.region, e.taskId, e.failReason ?? 'CannotStartContainerError'),
    );
  }

  private spawn(entry: Entry): void {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // e.g. a debugger's bootloader: not for task processes
    let child: ChildProcess;
    try {
      child = fork(this.appPath, [JSON.stringify(entry.config)], {
        execArgv: this.execArgv,
        execPath: this.options.execPath,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      });
    } catch (err) {
      entry.failReason = `CannotStartContainerError: ${err instanceof Error ? err.message : String(err)}`;
      return this.dequeue(entry, 'failed');
    }
    entry.child = child;
    entry.phase = 'starting';
    entry.forkedAt = Date.now();
    this.starting++;
    entry.holdsSlot = true;
    const maxLines = this.options.logLines ?? 200;
    captureLines(child.stdout, entry.logs, maxLines, (line) => this.output(entry, line, 'stdout'));
    captureLines(child.stderr, entry.logs, maxLines, (line) => this.output(entry, line, 'stderr'));
    const startTimeoutMs = this.options.startTimeoutMs ?? 15000;
    entry.timers.push(
      setTimeout(() => {
        if (entry.phase !== 'starting' || entry.stopRequested) return;
        entry.failReason = `CannotStartContainerError: the container did not start listening within ${startTimeoutMs / 1000} s`;
        child.kill('SIGKILL');
      }, startTimeoutMs),
    );
    child.on('message', (m: ChildMessage) => this.onMessage(entry, m));
    child.on('error', (err) => {
      // Spawn failure: no 'close' follows when the process never started.
      if (child.pid === undefined) {
        entry.failReason = `CannotStartContainerError: ${err.message}`;
        this.onClose(entry, null, null);
      }
    });
    child.on('close', (code, signal) => this.onClose(entry, code, signal));
  }

  private startDone(e: Entry): void {
    if (!e.holdsSlot) return;
    e.holdsSlot = false;
    this.starting--;
    setImmediate(() => this.pump());
  }

  private onMessage(e: Entry, m: ChildMessage): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'cpu':
        e.cpu = (m.user + m.system) / 1e6;
        break;
      case 'unhealthy-ack':
        e.unhealthyWaiters.get(m.seq)?.();
        e.unhealthyWaiters.delete(m.seq);
        break;
      case 'listening':
        if (e.phase !== 'starting' || e.stopRequested || e.failReason) return;
        this.startDone(e);
        e.phase = 'running';
        e.ports = { ...m.ports };
        this.emit('started', e.region, e.taskId, { ...m.ports });
        break;
    }
  }

  private onClose(e: Entry, code: number | null, signal: NodeJS.Signals | null): void {
    const k = key(e.region, e.taskId);
    if (this.live.get(k) !== e) return; // already handled
    this.live.delete(k);
    e.markClosed();
    const wasStarting = e.phase === 'starting';
    this.startDone(e);
    for (const t of e.timers) clearTimeout(t);
    this.exited.set(k, { logs: e.logs, cpu: e.cpu });
    const keep = this.options.keepExited ?? 500;
    while (this.exited.size > keep) this.exited.delete(this.exited.keys().next().value as string);
    if (this.shuttingDown) return;
    const exitCode = dockerExitCode(code, signal);
    if (wasStarting && !e.stopRequested) {
      const last = e.logs.slice(-1)[0];
      const reason =
        e.failReason ??
        `CannotStartContainerError: the container exited with code ${exitCode ?? 'unknown'} before it started listening${last ? `: ${last}` : ''}`;
      this.emit('failed', e.region, e.taskId, reason);
      return;
    }
    this.emit('exited', e.region, e.taskId, exitCode, e.stopRequested ? 'Task stopped' : 'Essential container in task exited');
  }

  /** Hands a line the task printed to the output listeners (a throwing listener costs that line, never the runtime). */
  private output(e: Entry, line: string, stream: 'stdout' | 'stderr'): void {
    for (const l of this.outputListeners) {
      try {
        l(e.region, e.taskId, line, stream);
      } catch (err) {
        console.error('runtime: output listener threw:', err);
      }
    }
  }

  private emit<K extends keyof RuntimeEvents>(kind: K, ...args: Parameters<RuntimeEvents[K]>): void {
    if (this.shuttingDown || !this.events) return;
    try {
      (this.events[kind] as (...a: Parameters<RuntimeEvents[K]>) => void).apply(this.events, args);
    } catch (err) {
      console.error(`runtime: ${kind} handler threw:`, err);
    }
  }
}
