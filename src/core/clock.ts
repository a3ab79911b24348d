/**
 * "Now" as the connected service sees it. Timestamps from AWS are wall-clock; the sandbox runs on a
 * scaled clock (e.g. 10× faster, reported by its admin status as `now` + `timeScale`), so relative
 * times, rollout durations and stuck detection must use the service's clock, not `Date.now()`.
 */

import type { Translate } from './l10n';

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

// ---------------------------------------------------------------------------------------------
// The one rule for the times the extension shows
//
// Every age ("9 min ago"), duration ("elapsed 3:10", "no progress for 3:00", a 502 window) and
// timestamp the extension shows is on the connected service's own clock — the clock ECS's rules run
// on there (a 300 s deregistration delay, "stuck" after 3 minutes). On AWS that is the wall clock
// and nothing is added. On the sandbox it is the simulated clock, which runs `timeScale` times
// faster than real time (so "9 min ago" one real minute after a start at 10×): every such time then
// says so — "(sandbox time)" after a value, or one note per view ("Times are sandbox time: …").
// What the extension measures itself in real time (the request probe) is converted to that clock.

/** Which clock the times shown are on. */
export interface TimeBase {
  /** The sandbox's simulated clock (faster than real time); false: the wall clock (AWS). */
  simulated: boolean;
  /** How many times faster than real time, when known (sandbox). */
  timeScale?: number;
}

/** The wall clock (AWS, a custom endpoint): times need no label. */
export const WALL_TIME: TimeBase = { simulated: false };

/** A time value as shown: `text` itself on the wall clock, "text (sandbox time)" on the sandbox's. */
export function onClock(text: string, base: TimeBase | undefined, t: Translate): string {
  return base?.simulated && text ? t('{0} (sandbox time)', text) : text;
}

/** The one-line note a view with several times shows once (undefined on the wall clock). */
export function clockNote(base: TimeBase | undefined, t: Translate): string | undefined {
  if (!base?.simulated) return undefined;
  const scale = base.timeScale !== undefined && Number.isFinite(base.timeScale) && base.timeScale > 0 ? Math.round(base.timeScale * 100) / 100 : undefined;
  return scale !== undefined && scale !== 1
    ? t('Times are sandbox time: the sandbox\'s clock runs {0}× faster than real time, so a minute there passes in {1} s.', scale, Math.round((60 / scale) * 10) / 10)
    : t('Times are sandbox time: the sandbox\'s own clock (ecsHandson.sandbox.timeScale sets how fast it runs).');
}

/** A duration measured in real time (e.g. by the request probe), on the service's clock. */
export function toServiceMs(realMs: number, base: TimeBase | undefined): number {
  const scale = base?.simulated && base.timeScale && Number.isFinite(base.timeScale) && base.timeScale > 0 ? base.timeScale : 1;
  return realMs * scale;
}

/**
 * Comment lines for a document of the service's raw timestamps (Inspect): on the sandbox, which
 * clock they are on and what "now" is there — its timestamps run ahead of the wall clock.
 */
export function timestampNote(base: TimeBase | undefined, serviceNow: number, realNow: number, t: Translate): string[] {
  const note = clockNote(base, t);
  if (!note) return [];
  return [note, t('Now on the sandbox\'s clock: {0} (real time: {1}).', new Date(serviceNow).toISOString(), new Date(realNow).toISOString())];
}
