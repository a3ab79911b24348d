/**
 * The state of the services beyond ECS and EC2 (ELBv2, CloudWatch, Application and EC2 Auto
 * Scaling) in a region: each keeps its own object under `RegionState.serviceState[key]`, persisted
 * with the world. The scaling services also keep bounded activity histories (`addActivity`).
 */
import type { RegionState } from './engine/state';

/**
 * A service's state in a region, kept under `rs.serviceState[key]`: created on first use from
 * `fresh()`; a top-level part that a state saved by an older sandbox lacks is added.
 */
export function serviceState<T extends object>(rs: RegionState, key: string, fresh: () => T): T {
  const existing = rs.serviceState[key];
  if (typeof existing !== 'object' || existing === null) return (rs.serviceState[key] = fresh());
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
