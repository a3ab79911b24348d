/**
 * Log events: PutLogEvents with CloudWatch Logs' validation (at most 10,000 events and 1,048,576
 * bytes — messages in UTF-8 plus 26 bytes each —, in chronological order, spanning at most 24 hours;
 * events more than 14 days old, older than the group's retention or more than 2 hours ahead of the
 * sandbox clock are rejected and reported in `rejectedLogEventsInfo`), GetLogEvents (from the head
 * or the tail, forward and backward tokens that come back unchanged at either end, as AWS's do) and
 * FilterLogEvents (across streams, in time order either way, filter patterns: filter-pattern.ts).
 */
import type { FilterLogEventsCommandInput, GetLogEventsCommandInput, PutLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { logsFields as f, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own } from '../records';
import { DAY_MS, type LogEvent } from './model';
import { matchesPattern, parseFilterPattern } from './filter-pattern';
import { findGroup, findStream, groupName, groupOf, streamName } from './request';
import {
  appendEvents,
  decodeToken,
  encodeToken,
  EVENT_OVERHEAD_BYTES,
  eventId,
  firstAfter,
  firstAtOrAfterTime,
  gapAfter,
  gapAtTime,
  gapBefore,
  gapBeforeTime,
  utf8Bytes,
  type Gap,
} from './store';

/** A PutLogEvents batch at most, and a GetLogEvents / FilterLogEvents response at most (messages + 26 bytes each). */
export const MAX_BATCH_BYTES = 1_048_576;
const MAX_SPAN_MS = DAY_MS;
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * 60 * 60_000;

const invalid = (message: string): never => {
  throw new AwsError('InvalidParameterException', message);
};

export const putLogEvents: Operation<PutLogEventsCommandInput> = (ctx, input) => {
  const group = groupName(input.logGroupName, 'logGroupName', true);
  const stream = streamName(input.logStreamName, 'logStreamName', true);
  const list = f.list(input.logEvents, 'logEvents', { required: true, min: 1, max: 10_000 });
  f.str(input.sequenceToken, 'sequenceToken', { min: 1 });
  let bytes = 0;
  const batch = list.map((e, i) => {
    const timestamp = f.int(e.timestamp, ['logEvents', i, 'timestamp'], { required: true });
    const message = f.str(e.message, ['logEvents', i, 'message'], { required: true, min: 1 });
    bytes += utf8Bytes(message) + EVENT_OVERHEAD_BYTES;
    return { timestamp, message };
  });
  if (bytes > MAX_BATCH_BYTES) invalid(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < batch.length; i++) {
    if (batch[i].timestamp < batch[i - 1].timestamp) invalid('Log events in a single PutLogEvents request must be in chronological order.');
  }
  if (batch[batch.length - 1].timestamp - batch[0].timestamp > MAX_SPAN_MS) invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  const g = findGroup(ctx, group);
  const s = findStream(g, stream);

  // The batch is in time order: the rejected ones are a head (too old, expired) and a tail (too new).
  const count = (pred: (t: number) => boolean): number => {
    let n = 0;
    while (n < batch.length && pred(batch[n].timestamp)) n++;
    return n;
  };
  const tooOld = count((t) => t < ctx.now - TOO_OLD_MS);
  const expired = g.retentionInDays === undefined ? 0 : count((t) => t < ctx.now - g.retentionInDays! * DAY_MS);
  let tooNew = batch.length;
  while (tooNew > 0 && batch[tooNew - 1].timestamp > ctx.now + TOO_NEW_MS) tooNew--;
  const accepted = batch.slice(Math.max(tooOld, expired), Math.max(tooNew, Math.max(tooOld, expired)));
  appendEvents(g, s, accepted, ctx.now);
  const rejected = {
    ...(tooNew < batch.length ? { tooNewLogEventStartIndex: tooNew } : {}),
    ...(tooOld > 0 ? { tooOldLogEventEndIndex: tooOld } : {}),
    ...(expired > 0 ? { expiredLogEventEndIndex: expired } : {}),
  };
  return {
    nextSequenceToken: String(g.seq).padStart(56, '0'),
    ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}),
  };
};

/** Takes events from `from` towards `to` (exclusive; either direction) until `limit` events or a 1 MB response. */
function take(events: readonly LogEvent[], from: number, to: number, limit: number, accept: (e: LogEvent) => boolean = () => true): { taken: LogEvent[]; end: number } {
  const taken: LogEvent[] = [];
  const step = to >= from ? 1 : -1;
  let bytes = 0;
  let i = from;
  for (; i !== to && taken.length < limit; i += step) {
    const e = events[step > 0 ? i : i - 1];
    if (!accept(e)) continue;
    const size = utf8Bytes(e[3]) + EVENT_OVERHEAD_BYTES;
    if (taken.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    taken.push(e);
  }
  return { taken, end: i };
}

const timeRange = (v: { startTime?: number; endTime?: number }) => ({
  start: f.int(v.startTime, 'startTime', { min: 0 }),
  end: f.int(v.endTime, 'endTime', { min: 0 }),
});

const badToken = (): never => invalid('The specified nextToken is invalid.');

export const getLogEvents: Operation<GetLogEventsCommandInput> = (ctx, input) => {
  const name = streamName(input.logStreamName, 'logStreamName', true);
  const { start, end } = timeRange(input);
  const limit = f.int(input.limit, 'limit', { min: 1, max: 10_000 }) ?? 10_000;
  const token = f.str(input.nextToken, 'nextToken', { min: 1 });
  const pos = token === undefined ? undefined : (decodeToken(token) ?? badToken());
  const events = findStream(groupOf(ctx, input), name).events;
  // The time range, as indexes: [lo, hi).
  const lo = start === undefined ? 0 : firstAtOrAfterTime(events, start);
  const hi = Math.max(lo, end === undefined ? events.length : firstAtOrAfterTime(events, end));
  const clamp = (i: number) => Math.min(hi, Math.max(lo, i));
  const forward = pos ? pos.dir === 'f' : input.startFromHead === true;
  let taken: LogEvent[];
  let empty: Gap;
  if (forward) {
    const from = pos ? clamp(firstAfter(events, pos.gap.t, pos.gap.s)) : lo;
    taken = take(events, from, hi, limit).taken;
    empty = pos ? pos.gap : gapAtTime(start ?? 0);
  } else {
    const from = pos ? clamp(firstAfter(events, pos.gap.t, pos.gap.s)) : hi;
    taken = take(events, from, lo, limit).taken.reverse();
    empty = pos ? pos.gap : hi > 0 && hi <= events.length && events[hi - 1] ? gapAfter(events[hi - 1]) : end !== undefined ? gapBeforeTime(end) : gapAtTime(start ?? 0);
  }
  if (taken.length === 0) {
    // At either end the token passed comes back unchanged.
    return {
      events: [],
      nextForwardToken: pos?.dir === 'f' ? token : encodeToken('f', empty),
      nextBackwardToken: pos?.dir === 'b' ? token : encodeToken('b', empty),
    };
  }
  return {
    events: taken.map((e) => ({ timestamp: e[0], message: e[3], ingestionTime: e[2] })),
    nextForwardToken: encodeToken('f', gapAfter(taken[taken.length - 1])),
    nextBackwardToken: encodeToken('b', gapBefore(taken[0])),
  };
};

export const filterLogEvents: Operation<FilterLogEventsCommandInput> = (ctx, input) => {
  const names = f.strings(input.logStreamNames, 'logStreamNames', { min: 1, max: 100 });
  names?.forEach((n, i) => streamName(n, ['logStreamNames', i], true));
  const prefix = streamName(input.logStreamNamePrefix, 'logStreamNamePrefix');
  const { start, end } = timeRange(input);
  const pattern = parseFilterPattern(f.str(input.filterPattern, 'filterPattern', { max: 1024 }) ?? '');
  const limit = f.int(input.limit, 'limit', { min: 1, max: 10_000 }) ?? 10_000;
  const token = f.str(input.nextToken, 'nextToken', { min: 1 });
  const pos = token === undefined ? undefined : (decodeToken(token) ?? badToken());
  if (names && prefix !== undefined) invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  const g = groupOf(ctx, input);
  const streams = names
    ? names.flatMap((n) => own(g.streams, n) ?? [])
    : Object.values(g.streams).filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix));
  // Every stream's events in the time range (endTime included), merged in time order.
  const all: { e: LogEvent; stream: string }[] = [];
  for (const s of streams) {
    const from = start === undefined ? 0 : firstAtOrAfterTime(s.events, start);
    const to = end === undefined ? s.events.length : firstAtOrAfterTime(s.events, end + 1);
    for (let i = from; i < to; i++) all.push({ e: s.events[i], stream: s.logStreamName });
  }
  all.sort((a, b) => a.e[0] - b.e[0] || a.e[1] - b.e[1]);
  const keys = all.map((x) => x.e);
  const forward = pos ? pos.dir === 'f' : input.startFromHead !== false;
  const from = pos ? firstAfter(keys, pos.gap.t, pos.gap.s) : forward ? 0 : keys.length;
  const to = forward ? keys.length : 0;
  const accept = (e: LogEvent) => matchesPattern(pattern, e[3]);
  const { taken, end: stop } = take(keys, from, to, limit, accept);
  // More to come: another matching event beyond where this page stopped.
  let more = false;
  for (let i = stop; i !== to && !more; i += forward ? 1 : -1) more = accept(keys[forward ? i : i - 1]);
  const streamOf = new Map(all.map((x) => [x.e, x.stream]));
  const last = taken[taken.length - 1];
  return {
    events: taken.map((e) => ({ logStreamName: streamOf.get(e), timestamp: e[0], message: e[3], ingestionTime: e[2], eventId: eventId(e) })),
    searchedLogStreams: [],
    ...(more && last ? { nextToken: encodeToken(forward ? 'f' : 'b', forward ? gapAfter(last) : gapBefore(last)) } : {}),
  };
};
