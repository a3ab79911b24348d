/**
 * The sandbox's HTTP server: AWS APIs on one port (routed by X-Amz-Target / Action and the SigV4
 * credential scope), the admin API under `/_sandbox/`.
 *
 * STATUS: contract only — being implemented.
 */
import type { Clock } from './engine/clock';
import type { Engine } from './engine/engine';
import type { World } from './engine/state';
import type { TaskRuntime } from './runtime/runtime';

export interface SandboxOptions {
  /** 0 = any free port. */
  port: number;
  /** Where state is persisted; undefined = in memory only. */
  stateFile?: string;
  /** Simulated ms per real ms (default 10). */
  timeScale?: number;
  /** Default region (written into the CLI profile). */
  region?: string;
  /** Defaults to the real process runtime; tests may pass a fake. */
  runtime?: TaskRuntime;
  /** Tests may drive time by hand. */
  clock?: Clock;
  /** Write the `ecs-handson-sandbox` AWS CLI profile (default false; the CLI turns it on). */
  writeProfile?: boolean;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  engine: Engine;
  world: World;
  clock: Clock;
  close(): Promise<void>;
}

export declare function startSandbox(options: SandboxOptions): Promise<Sandbox>;
