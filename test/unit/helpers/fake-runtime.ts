/**
 * A TaskRuntime for tests: records every call and answers like the real runtime, but only when the
 * test says so (`flush()`, which `drive()` calls before each tick — so a task starts "on the next
 * tick"). Images other than `uzresk/demo:*` fail to start with the CannotPullContainerError shape.
 * Set `autoStart` / `autoStop` to false to answer by hand with `markStarted()` / `fail()` / `exit()`.
 */
import type { RuntimeEvents, TaskLaunch, TaskOutputListener, TaskRuntime } from '../../../src/sandbox/runtime/runtime';

export interface Running {
  launch: TaskLaunch;
  realPorts: Record<number, number>;
}

const DEMO = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?uzresk\/demo(?::[\w][\w.-]*)?$/;

export const pullError = (image: string): string => {
  const ref = image.includes('/') ? image : `library/${image}`;
  const full = `docker.io/${ref.includes(':') ? ref : `${ref}:latest`}`;
  return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${full}: ${full}: not found`;
};

export class FakeRuntime implements TaskRuntime {
  events?: RuntimeEvents;
  autoStart = true;
  /** Whether stop() makes the process exit on the next flush (else the test calls exit()). */
  autoStop = true;
  readonly starts: TaskLaunch[] = [];
  readonly stops: { region: string; taskId: string; graceMs: number }[] = [];
  /** Tasks whose process is up, by task id. */
  readonly running = new Map<string, Running>();
  /** Tasks asked to start but not answered yet. */
  readonly starting = new Map<string, TaskLaunch>();
  private queue: (() => void)[] = [];
  private nextPort = 40000;
  private readonly outputListeners = new Set<TaskOutputListener>();
  shutdownCalled = false;

  bind(events: RuntimeEvents): void {
    this.events = events;
  }

  start(launch: TaskLaunch): void {
    this.starts.push(launch);
    this.starting.set(launch.taskId, launch);
    if (!this.autoStart) return;
    this.queue.push(() => {
      if (!this.starting.has(launch.taskId)) return;
      if (DEMO.test(launch.image)) this.markStarted(launch.taskId);
      else this.fail(launch.taskId, pullError(launch.image));
    });
  }

  stop(region: string, taskId: string, graceMs: number): void {
    this.stops.push({ region, taskId, graceMs });
    if (!this.autoStop) return;
    this.queue.push(() => {
      if (this.running.has(taskId) || this.starting.has(taskId)) this.exit(taskId, 143, 'SIGTERM');
    });
  }

  cpuSeconds(): number | undefined {
    return undefined;
  }

  url(region: string, taskId: string, hostPort: number): string | undefined {
    const real = this.running.get(taskId)?.realPorts[hostPort];
    return real === undefined ? undefined : `http://127.0.0.1:${real}`;
  }

  onOutput(listener: TaskOutputListener): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** The task's process prints `lines` (as the real one does: one output event per line). */
  print(taskId: string, ...lines: string[]): void {
    const launch = this.running.get(taskId)?.launch ?? this.starting.get(taskId);
    if (!launch) throw new Error(`task ${taskId} has no process`);
    for (const line of lines) for (const l of this.outputListeners) l(launch.region, taskId, line, 'stdout');
  }

  async shutdown(): Promise<void> {
    this.shutdownCalled = true;
    this.running.clear();
    this.starting.clear();
  }

  /** Delivers the queued answers (starts, failures, exits after stop). */
  flush(): void {
    while (this.queue.length > 0) {
      const q = this.queue;
      this.queue = [];
      for (const f of q) f();
    }
  }

  /** Reports that a task's server listens now. */
  markStarted(taskId: string): void {
    const launch = this.starting.get(taskId);
    if (!launch) throw new Error(`task ${taskId} is not starting`);
    this.starting.delete(taskId);
    const realPorts: Record<number, number> = {};
    for (const p of launch.ports) realPorts[p.hostPort] = this.nextPort++;
    this.running.set(taskId, { launch, realPorts });
    this.events!.started(launch.region, taskId, realPorts);
  }

  /** Reports that a task could not start. */
  fail(taskId: string, reason: string): void {
    const launch = this.starting.get(taskId);
    if (!launch) throw new Error(`task ${taskId} is not starting`);
    this.starting.delete(taskId);
    this.events!.failed(launch.region, taskId, reason);
  }

  /** Reports that a task's process exited (e.g. the test kills it). */
  exit(taskId: string, exitCode: number | null = 137, reason = 'killed'): void {
    const launch = this.running.get(taskId)?.launch ?? this.starting.get(taskId);
    if (!launch) throw new Error(`task ${taskId} has no process`);
    this.running.delete(taskId);
    this.starting.delete(taskId);
    this.events!.exited(launch.region, taskId, exitCode, reason);
  }

  /** Forgets every process, as a sandbox restart does (no events). */
  crashAll(): void {
    this.running.clear();
    this.starting.clear();
    this.queue = [];
  }
}
