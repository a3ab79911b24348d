/**
 * Services beyond the ECS core (ELBv2, CloudWatch, Application Auto Scaling, EC2 Auto Scaling)
 * plug into the sandbox through this: their API definitions, and a tick that runs right after the
 * engine's for every region (health checks, metric sampling, alarm evaluation, scaling).
 */
import type { Engine } from './engine/engine';
import type { RegionState } from './engine/state';
import type { TaskRuntime } from './runtime/runtime';
import type { ServiceDefinition } from './service';

export interface TickContext {
  engine: Engine;
  rs: RegionState;
  /** Simulated epoch ms. */
  now: number;
  runtime: TaskRuntime;
}

export interface SandboxExtension {
  name: string;
  services: ServiceDefinition[];
  /** Runs after `engine.tick()`, once per region in use. Must not throw (errors are logged). */
  tick?(ctx: TickContext): void;
  /** Called when the sandbox stops (close proxies, timers). */
  shutdown?(): Promise<void> | void;
}
