/**
 * What a task process (demo-app) and ProcessRuntime say to each other over the fork IPC channel.
 * Types only, so the demo app's bundle stays tiny.
 */

/** Passed to the task process as its one argument (JSON). */
export interface DemoAppConfig {
  region: string;
  taskId: string;
  /** The image as the task definition names it, and the version the demo page shows. */
  image: string;
  version: string;
  containerName: string;
  /** The port the app listens on inside the container (8080). */
  containerPort: number;
  /** The task's port mappings; one real listener per mapping to `containerPort`. */
  ports: { containerPort: number; hostPort: number }[];
  environment: { name: string; value: string }[];
  instanceId: string;
  availabilityZone: string;
  /** PBKDF2 iterations per /app/loginForm request (a fixed amount of real CPU work). */
  loginFormIterations: number;
  /** Real ms between two CPU reports. */
  cpuReportMs: number;
}

export type ChildMessage =
  /** Every listener is up: API host port → real 127.0.0.1 port. */
  | { type: 'listening'; ports: Record<number, number> }
  /** The process's own `process.cpuUsage()`, microseconds. */
  | { type: 'cpu'; user: number; system: number }
  /** Acknowledges a `setUnhealthy`. */
  | { type: 'unhealthy-ack'; seq: number; on: boolean };

export type ParentMessage = { type: 'unhealthy'; seq: number; on: boolean };
