/**
 * Following CloudWatch Logs streams without VS Code: one stream (a task's container) or many (a
 * service's tasks, interleaved by timestamp, each line prefixed with its label — the short task id),
 * with a filter pattern (FilterLogEvents), a start time (jump to time), polling that backs off while
 * nothing arrives and speeds up when lines do, new streams joining (tasks that start later), and a
 * bounded line buffer that says how many older lines it dropped.
 *
 * The calls go through `LogsApi` (the SDK client in src/aws/logs.ts, a fake in the unit tests); the
 * timers are injectable so that the unit tests drive the polling without waiting.
 */
import { defaultTranslate, type Translate } from '../core/l10n';

/** One stream to follow, and the label its lines carry (a service's short task id; none for one task). */
export interface LogSource {
  group: string;
  stream: string;
  label?: string;
}

export interface LogEventIn {
  timestamp?: number;
  message?: string;
  eventId?: string;
}

/** The CloudWatch Logs calls a follower makes (a subset of the SDK's inputs and outputs). */
export interface LogsApi {
  getLogEvents(input: { logGroupName: string; logStreamName: string; startFromHead: boolean; startTime?: number; nextToken?: string }): Promise<{ events?: LogEventIn[]; nextForwardToken?: string }>;
  filterLogEvents(input: { logGroupName: string; logStreamNames: string[]; filterPattern?: string; startTime?: number; nextToken?: string }): Promise<{ events?: LogEventIn[]; nextToken?: string }>;
}

export interface LogLine {
  timestamp: number;
  message: string;
  label?: string;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface FollowOptions {
  /** A CloudWatch Logs filter pattern: FilterLogEvents instead of GetLogEvents. */
  filterPattern?: string;
  /** Epoch ms: only events from then on (jump to time). Default: from each stream's start. */
  startTime?: number;
  /** Delay after a poll that brought lines (default 1 s) … */
  minDelayMs?: number;
  /** … doubling on each idle poll up to this (default 10 s). */
  maxDelayMs?: number;
  /** Pages read from one stream in one poll before the others get their turn (default 10). */
  maxPagesPerPoll?: number;
  /** Streams that appear later (a service's new tasks), asked every `discoverEveryMs` (default 15 s). */
  discover?: () => Promise<LogSource[]>;
  discoverEveryMs?: number;
  timers?: Timers;
}

/** The delay before the next poll: the minimum after lines arrived, else twice the last one, at most `max`. */
export function nextDelay(previousMs: number, gotLines: boolean, minMs: number, maxMs: number): number {
  return gotLines ? minMs : Math.min(maxMs, Math.max(minMs, previousMs * 2));
}

/**
 * A stream missing (not created yet: the container has not started) is no events, not an error.
 * AWS says "The specified log stream does not exist."; moto says "…log group…" for both, so a
 * stream never read yet counts as missing too (its group was checked before following:
 * `requireLogGroup`). A stream read before that disappears is an error (its group was deleted).
 */
function isMissingStream(e: unknown, neverRead: boolean): boolean {
  const err = e as { name?: string; message?: string } | undefined;
  if (err?.name !== 'ResourceNotFoundException') return false;
  return (/stream/i.test(err.message ?? '') && !/group/i.test(err.message ?? '')) || neverRead;
}

interface Cursor {
  source: LogSource;
  /** GetLogEvents' forward token (no filter). */
  token?: string;
  /** FilterLogEvents: the last timestamp read and the event ids read at it (the next poll starts there). */
  since?: number;
  seenAtSince: Set<string>;
}

/**
 * Follows a set of streams. `onLines` gets each poll's new lines in one batch, interleaved by
 * timestamp; `onError` gets a call the follower could not make (it stops).
 */
export class LogFollower {
  private readonly cursors = new Map<string, Cursor>();
  private readonly timers: Timers;
  private readonly min: number;
  private readonly max: number;
  private delay: number;
  private timer: unknown;
  private running = false;
  private polling: Promise<number> | undefined;
  private lastDiscovery = 0;
  /** Polls made so far (for tests and the status line). */
  polls = 0;

  constructor(
    private readonly api: LogsApi,
    sources: LogSource[],
    private readonly onLines: (lines: LogLine[]) => void,
    private readonly onError: (error: unknown) => void,
    private readonly options: FollowOptions = {},
  ) {
    this.timers = options.timers ?? REAL_TIMERS;
    this.min = options.minDelayMs ?? 1000;
    this.max = options.maxDelayMs ?? 10_000;
    this.delay = this.min;
    this.add(sources);
    this.lastDiscovery = this.timers.now();
  }

  /** The streams followed so far. */
  get sources(): LogSource[] {
    return [...this.cursors.values()].map((c) => c.source);
  }

  get following(): boolean {
    return this.running;
  }

  /** The delay the next poll waits (grows while idle). */
  get currentDelayMs(): number {
    return this.delay;
  }

  /** Adds streams not followed yet (returns how many were new). */
  add(sources: LogSource[]): number {
    let added = 0;
    for (const source of sources) {
      const key = `${source.group}\u0000${source.stream}`;
      if (this.cursors.has(key)) continue;
      this.cursors.set(key, { source, since: this.options.startTime, seenAtSince: new Set() });
      added++;
    }
    return added;
  }

  /** Starts (or resumes) polling: one poll now, then on the backoff schedule. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.delay = this.min;
    this.schedule(0);
  }

  /** Stops polling (the cursors are kept: `start` goes on from where it stopped). */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    try {
      const { lines, more } = await this.pollDetailed();
      this.delay = more ? this.min : nextDelay(this.delay, lines > 0, this.min, this.max);
      this.schedule(more ? 0 : this.delay);
    } catch (e) {
      this.stop();
      this.onError(e);
    }
  }

  /** One poll of every stream (new streams looked for when due); the number of new lines. */
  async pollOnce(): Promise<number> {
    return (await this.pollDetailed()).lines;
  }

  private async pollDetailed(): Promise<{ lines: number; more: boolean }> {
    // Never two polls at once (a tick and a test's pollOnce): the second waits for the first.
    while (this.polling) await this.polling.catch(() => undefined);
    let more = false;
    const run = (async () => {
      this.polls++;
      if (this.options.discover && this.timers.now() - this.lastDiscovery >= (this.options.discoverEveryMs ?? 15_000)) {
        this.lastDiscovery = this.timers.now();
        this.add(await this.options.discover());
      }
      const batches: LogLine[][] = [];
      for (const cursor of this.cursors.values()) {
        const read = await this.readCursor(cursor);
        more ||= read.more;
        if (read.lines.length) batches.push(read.lines);
      }
      const lines = mergeByTime(batches);
      if (lines.length) this.onLines(lines);
      return lines.length;
    })();
    this.polling = run;
    try {
      return { lines: await run, more };
    } finally {
      this.polling = undefined;
    }
  }

  /** The new events of one stream, up to `maxPagesPerPoll` pages (`more`: it stopped with pages left). */
  private async readCursor(c: Cursor): Promise<{ lines: LogLine[]; more: boolean }> {
    const maxPages = this.options.maxPagesPerPoll ?? 10;
    const lines: LogLine[] = [];
    const { group, stream, label } = c.source;
    const push = (e: LogEventIn) => lines.push({ timestamp: e.timestamp ?? 0, message: (e.message ?? '').replace(/\r?\n$/, ''), ...(label ? { label } : {}) });
    try {
      if (this.options.filterPattern === undefined) {
        for (let page = 0; page < maxPages; page++) {
          const sent = c.token;
          const out = await this.api.getLogEvents({
            logGroupName: group, logStreamName: stream, startFromHead: true,
            ...(sent ? { nextToken: sent } : c.since !== undefined ? { startTime: c.since } : {}),
          });
          for (const e of out.events ?? []) push(e);
          // The end of the stream: the same token comes back (AWS's rule; the next poll sends it again).
          if (!out.nextForwardToken || out.nextForwardToken === sent) return { lines, more: false };
          c.token = out.nextForwardToken;
          // A first call on an empty stream answers a new token and no events: caught up too.
          if ((out.events ?? []).length === 0 && sent === undefined) return { lines, more: false };
        }
        return { lines, more: true };
      }
      // Filtered: pages until no nextToken; the next poll starts at the last timestamp read, skipping the ids already read at it.
      let token: string | undefined;
      // One start time for the whole paging sequence (the tokens belong to it).
      const from = c.since;
      for (let page = 0; page < maxPages; page++) {
        const out = await this.api.filterLogEvents({
          logGroupName: group, logStreamNames: [stream], filterPattern: this.options.filterPattern,
          ...(from !== undefined ? { startTime: from } : {}), ...(token ? { nextToken: token } : {}),
        });
        for (const e of out.events ?? []) {
          const ts = e.timestamp ?? 0;
          const id = e.eventId ?? `${ts}:${e.message}`;
          if (c.since !== undefined && ts < c.since) continue;
          if (ts === c.since && c.seenAtSince.has(id)) continue;
          if (c.since === undefined || ts > c.since) {
            c.since = ts;
            c.seenAtSince = new Set();
          }
          c.seenAtSince.add(id);
          push(e);
        }
        if (!out.nextToken) return { lines, more: false };
        token = out.nextToken;
      }
      return { lines, more: true };
    } catch (e) {
      if (isMissingStream(e, c.token === undefined && c.seenAtSince.size === 0 && lines.length === 0)) return { lines, more: false };
      throw e;
    }
  }
}

/** Interleaves streams' batches by timestamp (stable: a stream's own order is kept for equal times). */
export function mergeByTime(batches: LogLine[][]): LogLine[] {
  if (batches.length === 1) return batches[0];
  return batches.flat().map((l, i) => [l, i] as const).sort((a, b) => a[0].timestamp - b[0].timestamp || a[1] - b[1]).map(([l]) => l);
}

/** One line as shown: ISO time (UTC), the label in brackets, the message. */
export function formatLine(line: LogLine): string {
  return `${new Date(line.timestamp).toISOString()} ${line.label ? `[${line.label}] ` : ''}${line.message}`;
}

/** Lines a logs editor keeps (bench/logs.bench.ts: the text of 10,000 lines costs ~15 ms to build). */
export const LOGS_MAX_LINES = 10_000;
/** The longest wait between a line's arrival and its display (one text update per interval at most). */
export const LOGS_FLUSH_MS = 500;

/**
 * The lines kept for display, at most `max`: older lines are dropped (and counted) as new ones
 * arrive. Trimming happens in chunks, so appending stays cheap at thousands of lines per second.
 */
export class LogBuffer {
  private kept: string[] = [];
  /** Lines dropped so far to stay under the cap. */
  dropped = 0;

  constructor(readonly max: number) {}

  push(lines: readonly string[]): void {
    for (const l of lines) this.kept.push(l);
    const slack = Math.max(1, Math.floor(this.max / 4));
    if (this.kept.length > this.max + slack) this.trim();
  }

  private trim(): void {
    const over = this.kept.length - this.max;
    if (over <= 0) return;
    this.kept.splice(0, over);
    this.dropped += over;
  }

  /** The kept lines (at most `max`). */
  lines(): string[] {
    this.trim();
    return this.kept;
  }

  get size(): number {
    return Math.min(this.kept.length, this.max);
  }

  clear(): void {
    this.kept = [];
    this.dropped = 0;
  }

  /** The text to show: the "older lines dropped" marker first when lines were dropped. */
  text(t: Translate = defaultTranslate): string {
    const body = this.lines().join('\n');
    return this.dropped > 0 ? `${t('… {0} older lines dropped (only the last {1} are kept) …', this.dropped, this.max)}\n${body}` : body;
  }
}

/**
 * A start time as typed (jump to time): epoch milliseconds, a relative time ("-15m", "2h", "-1d",
 * "30s": that long ago), a time of day ("14:05", "14:05:30": today, local time; yesterday when that
 * is still to come) or a date-time Date.parse reads (ISO 8601). Empty: undefined (from the start);
 * unreadable: NaN.
 */
export function parseStartTime(input: string | number | undefined, now: number): number | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.floor(input) : NaN;
  const text = input.trim();
  if (!text) return undefined;
  if (/^\d{10,}$/.test(text)) return Number(text);
  const rel = /^-?(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text);
  if (rel) return Math.round(now - Number(rel[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2].toLowerCase() as 's' | 'm' | 'h' | 'd']);
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return NaN;
    const d = new Date(now);
    d.setHours(h, m, s, 0);
    return d.getTime() > now ? d.getTime() - 86_400_000 : d.getTime();
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? NaN : parsed;
}
