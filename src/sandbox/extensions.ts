/**
 * Services beyond the ECS core (ELBv2, CloudWatch, Application Auto Scaling, EC2 Auto Scaling)
 * plug into the sandbox through this: their API definitions, and a tick that runs right after the
 * engine's for every region (health checks, metric sampling, alarm evaluation, scaling). Their
 * state lives under `RegionState.ext` (`extensionState`); the scaling services keep bounded
 * activity histories (`addActivity`).
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

/**
 * A service's state in a region, kept under `rs.ext[key]` and persisted with the world: created on
 * first use from `fresh()`; a top-level part that a state saved by an older sandbox lacks is added.
 */
export function extensionState<T extends object>(rs: RegionState, key: string, fresh: () => T): T {
  const existing = rs.ext[key];
  if (typeof existing !== 'object' || existing === null) return (rs.ext[key] = fresh());
  const s = existing as Record<string, unknown>;
  const init = fresh() as Record<string, unknown>;
  for (const k of Object.keys(init)) if (s[k] === undefined) s[k] = init[k];
  return s as T;
}

/** Scaling activities kept per region and service (AWS keeps six weeks of them; the sandbox the newest). */
export const MAX_ACTIVITIES = 1000;

/** Adds an activity to a newest-first history of at most MAX_ACTIVITIES. */
export function addActivity<T>(activities: T[], a: T): void {
  activities.unshift(a);
  if (activities.length > MAX_ACTIVITIES) activities.length = MAX_ACTIVITIES;
}
