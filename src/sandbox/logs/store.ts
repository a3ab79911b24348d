/**
 * How log events are kept: appended to their stream in (timestamp, sequence) order, the group's
 * oldest dropped beyond its caps, expired by its retention on the sandbox clock — and the paging
 * tokens and event ids, which name a place in that order.
 *
 * A place ("gap") is a key (t, s): an event is before it when its (timestamp, seq) is ≤ (t, s),
 * after it otherwise. A forward token `f/…` reads the events after its gap, a backward token `b/…`
 * those before it; both are `f/` or `b/` and 56 digits (the gap, then a check), as AWS's are.
 */
import { createHash } from 'node:crypto';
import { put } from '../records';
import { DAY_MS, MAX_BYTES_PER_GROUP, MAX_EVENTS_PER_GROUP, MAX_STREAMS_PER_GROUP, type LogEvent, type LogGroupState, type LogStreamState } from './model';

/** What CloudWatch Logs counts per event toward a batch's and a response's size. */
export const EVENT_OVERHEAD_BYTES = 26;

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Index of the first event after the gap (t, s). */
export function firstAfter(events: readonly LogEvent[], t: number, s: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = events[mid];
    if (e[0] < t || (e[0] === t && e[1] <= s)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first event whose timestamp is ≥ t. */
export const firstAtOrAfterTime = (events: readonly LogEvent[], t: number): number => firstAfter(events, t, -1);

/**
 * Stores events (each at most one event's worth of message) in a stream of the group, ingested
 * `now`; then drops the group's oldest events if it is over its caps. Events older than the stream's
 * newest go to their place in time.
 */
export function appendEvents(group: LogGroupState, stream: LogStreamState, batch: readonly { timestamp: number; message: string }[], now: number): void {
  const events = stream.events;
  for (const { timestamp: t, message } of batch) {
    const e: LogEvent = [t, ++group.seq, now, message];
    const last = events[events.length - 1];
    if (!last || last[0] <= t) events.push(e);
    else events.splice(firstAfter(events, t, e[1]), 0, e);
    group.count += 1;
    group.bytes += utf8Bytes(message);
    if (stream.firstEventTimestamp === undefined || t < stream.firstEventTimestamp) stream.firstEventTimestamp = t;
    if (stream.lastEventTimestamp === undefined || t > stream.lastEventTimestamp) stream.lastEventTimestamp = t;
  }
  if (batch.length) stream.lastIngestionTime = now;
  trimGroup(group);
}

/**
 * Keeps the group within its caps: beyond MAX_EVENTS_PER_GROUP events or MAX_BYTES_PER_GROUP bytes,
 * its oldest events (across its streams) are dropped until it holds nine tenths of each, so that
 * the work is done once per many appends.
 */
export function trimGroup(group: LogGroupState): void {
  if (group.count > MAX_EVENTS_PER_GROUP || group.bytes > MAX_BYTES_PER_GROUP) {
    const keepCount = Math.floor(MAX_EVENTS_PER_GROUP * 0.9);
    const keepBytes = Math.floor(MAX_BYTES_PER_GROUP * 0.9);
    const streams = Object.values(group.streams).filter((s) => s.events.length > 0);
    const heads = streams.map(() => 0);
    while (group.count > keepCount || group.bytes > keepBytes) {
      let best = -1;
      for (let i = 0; i < streams.length; i++) {
        const e = streams[i].events[heads[i]];
        if (!e) continue;
        const b = best < 0 ? undefined : streams[best].events[heads[best]];
        if (!b || e[0] < b[0] || (e[0] === b[0] && e[1] < b[1])) best = i;
      }
      if (best < 0) break;
      const dropped = streams[best].events[heads[best]++];
      group.count -= 1;
      group.bytes -= utf8Bytes(dropped[3]);
    }
    streams.forEach((s, i) => {
      if (heads[i]) s.events.splice(0, heads[i]);
    });
  }
}

/** Adds a stream to a group; beyond MAX_STREAMS_PER_GROUP streams, the emptied ones written to longest ago are forgotten. */
export function addStream(group: LogGroupState, name: string, now: number): LogStreamState {
  const stream = put(group.streams, name, { logStreamName: name, creationTime: now, events: [] });
  const names = Object.keys(group.streams);
  if (names.length > MAX_STREAMS_PER_GROUP) {
    const empty = names
      .map((n) => group.streams[n])
      .filter((s) => s.events.length === 0)
      .sort((a, b) => (a.lastIngestionTime ?? a.creationTime) - (b.lastIngestionTime ?? b.creationTime));
    for (const s of empty.slice(0, names.length - MAX_STREAMS_PER_GROUP)) if (s !== stream) delete group.streams[s.logStreamName];
  }
  return stream;
}

/** Drops the events older than the group's retention; true when some were. */
export function expireGroup(group: LogGroupState, now: number): boolean {
  if (group.retentionInDays === undefined) return false;
  const cutoff = now - group.retentionInDays * DAY_MS;
  let changed = false;
  for (const s of Object.values(group.streams)) {
    const n = firstAtOrAfterTime(s.events, cutoff);
    if (n === 0) continue;
    for (let i = 0; i < n; i++) group.bytes -= utf8Bytes(s.events[i][3]);
    group.count -= n;
    s.events.splice(0, n);
    changed = true;
  }
  return changed;
}

// ---------------------------------------------------------------------------- tokens and ids

/** A sequence part after any event's (a group numbers its events from 1, far below this). */
const MAX_SEQ = Number.MAX_SAFE_INTEGER - 1;

export interface Gap {
  t: number;
  s: number;
}

const pad20 = (n: number): string => BigInt(Math.max(0, Math.trunc(n))).toString().padStart(20, '0').slice(-20);
const check = (s: string): string => (BigInt(`0x${createHash('sha256').update(s).digest('hex').slice(0, 15)}`) % 10_000_000_000_000_000n).toString().padStart(16, '0');

/** The gap just before an event. */
export const gapBefore = (e: LogEvent): Gap => ({ t: e[0], s: e[1] - 1 });
/** The gap just after an event. */
export const gapAfter = (e: LogEvent): Gap => ({ t: e[0], s: e[1] });
/** The gap before every event at or after `t`. */
export const gapAtTime = (t: number): Gap => ({ t, s: -1 });
/** The gap after every event before `t`. */
export const gapBeforeTime = (t: number): Gap => ({ t: t - 1, s: MAX_SEQ });

export function encodeToken(dir: 'f' | 'b', g: Gap): string {
  const body = `${pad20(g.t)}${g.s < 0 ? '0'.repeat(20) : pad20(g.s + 1)}`;
  return `${dir}/${body}${check(dir + body)}`;
}

/** The direction and gap of a token this service issued, or undefined. */
export function decodeToken(token: string): { dir: 'f' | 'b'; gap: Gap } | undefined {
  const m = /^([fb])\/(\d{20})(\d{20})(\d{16})$/.exec(token);
  if (!m || check(m[1] + m[2] + m[3]) !== m[4]) return undefined;
  const t = Number(m[2]);
  const s = Number(m[3]) - 1;
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(s)) return undefined;
  return { dir: m[1] as 'f' | 'b', gap: { t, s: s < 0 ? -1 : s } };
}

/** An event's id: 56 digits, unique in its group (FilterLogEvents `eventId`). */
export function eventId(e: LogEvent): string {
  const body = `${pad20(e[0])}${pad20(e[1])}`;
  return `${body}${check(`e${body}`)}`;
}
