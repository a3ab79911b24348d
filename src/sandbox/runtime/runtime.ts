/**
 * What the engine asks of whatever actually runs tasks. The engine stays pure: it calls these
 * methods and is told back what happened through `RuntimeEvents`. The server wires the real
 * process runtime (one OS process per task); unit tests use a fake.
 */
export interface TaskLaunch {
  region: string;
  taskId: string;
  /** The container's image, e.g. `uzresk/demo:ver1.0`. */
  image: string;
  containerName: string;
  /** Container port -> host port as the API shows it (80, or a dynamic 32768–61000 port). */
  ports: { containerPort: number; hostPort: number }[];
  environment: { name: string; value: string }[];
  /** For the demo page: the EC2 instance id the task runs on, and its AZ. */
  instanceId: string;
  availabilityZone: string;
  /** Reserved CPU units (for CPU utilisation). */
  cpuUnits: number;
}

export interface RuntimeEvents {
  /** The task's server is listening; `realPorts` maps each API host port to a real 127.0.0.1 port. */
  started(region: string, taskId: string, realPorts: Record<number, number>): void;
  /** The task could not start, e.g. `CannotPullContainerError: ...` for an unknown image. */
  failed(region: string, taskId: string, reason: string): void;
  /** The task's process exited (on its own, after a kill, or after stop()). */
  exited(region: string, taskId: string, exitCode: number | null, reason: string): void;
}

/** A line a task's process printed (without its line break), on its stdout or its stderr. */
export type TaskOutputListener = (region: string, taskId: string, line: string, stream: 'stdout' | 'stderr') => void;

export interface TaskRuntime {
  /** Sets who hears about started/failed/exited tasks. Called once, by the engine. */
  bind(events: RuntimeEvents): void;
  start(launch: TaskLaunch): void;
  /** SIGTERM, then SIGKILL after `graceMs` real milliseconds. `exited` follows. */
  stop(region: string, taskId: string, graceMs: number): void;
  /** CPU seconds the task's process has spent so far (measured), or undefined if unknown. */
  cpuSeconds(region: string, taskId: string): number | undefined;
  /** The real local URL base of a running task's host port, e.g. `http://127.0.0.1:41234`. */
  url(region: string, taskId: string, hostPort: number): string | undefined;
  /**
   * Hears each line the tasks' processes print, as they print it (the awslogs log driver ships
   * them). Returns what stops it. Optional: a runtime without processes prints nothing.
   */
  onOutput?(listener: TaskOutputListener): () => void;
  /** Stops everything (sandbox shutdown). */
  shutdown(): Promise<void>;
}
