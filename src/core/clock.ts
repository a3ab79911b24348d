/**
 * "Now" as the connected service sees it. Timestamps from AWS are wall-clock; the sandbox runs on a
 * scaled clock (e.g. 10× faster, reported by its admin status as `now` + `timeScale`), so relative
 * times, rollout durations and stuck detection must use the service's clock, not `Date.now()`.
 */

/** A clock sample: the service's time `now` observed at local time `sampledAt`, running `timeScale`× real time. */
export interface ClockSample {
  now: number;
  timeScale: number;
  sampledAt: number;
}

export type NowFn = () => number;

/** The wall clock (real AWS). */
export const wallClock: NowFn = () => Date.now();

/** A clock extrapolated from a sample; `realNow` injectable for tests. */
export function scaledClock(sample: ClockSample, realNow: NowFn = wallClock): NowFn {
  const scale = sample.timeScale > 0 && Number.isFinite(sample.timeScale) ? sample.timeScale : 1;
  return () => Math.floor(sample.now + (realNow() - sample.sampledAt) * scale);
}

/** Convert a real duration (e.g. a UI "stuck after 3 min" setting meant in service time) to local ms. */
export function toRealMs(serviceMs: number, timeScale: number): number {
  return timeScale > 0 ? serviceMs / timeScale : serviceMs;
}
