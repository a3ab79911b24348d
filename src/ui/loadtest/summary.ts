/**
 * Load test options, progress and summary: validation, the summary computed from autocannon's
 * result, and its text. Pure (no vscode, no I/O): shared by the child process, the runner and the
 * commands, and unit-tested with plain mocha.
 */
import { defaultTranslate, type Translate } from '../../core/l10n';

/** What to run. Exactly one of `amount` (total requests) and `durationSec` is used; `amount` wins. */
export interface LoadTestOptions {
  /** http:// or https:// URL, e.g. `http://app-demo-lb-123.elb.localhost:49152/app/loginForm`. */
  url: string;
  /** Total requests (the article: `ab -n 100000`). */
  amount?: number;
  /** Or: run for this many seconds. */
  durationSec?: number;
  /** Concurrent connections (the article: `-c 100`). */
  connections: number;
  /** Per-request timeout in seconds (default 10). */
  timeoutSec?: number;
}

/** Periodic progress (about twice a second). */
export interface LoadTestProgress {
  /** Responses received so far. */
  done: number;
  /** Total requests when running by count. */
  total?: number;
  /** Planned duration when running by time. */
  durationSec?: number;
  elapsedMs: number;
  /** Responses per second over the last interval. */
  currentRps: number;
  /** Responses by HTTP status code so far. */
  statusCounts: Record<string, number>;
  /** Connection errors and timeouts so far. */
  errors: number;
}

export interface LoadTestSummary {
  url: string;
  connections: number;
  /** Completed requests (responses of any status). */
  requests: number;
  /** Requests sent. */
  sent: number;
  durationSec: number;
  /** Average responses per second. */
  requestsPerSec: number;
  /** Latency in ms. */
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  /** Responses by HTTP status code, e.g. { "200": 990, "502": 10 }. */
  statusCounts: Record<string, number>;
  /** Responses by class. */
  classes: { '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  non2xx: number;
  /** Connection errors (refused, reset, …), timeouts included. */
  errors: number;
  timeouts: number;
  /** The errors by kind, most frequent first: a Node error code (ENOTFOUND, ECONNREFUSED …) or `timeout`. */
  errorKinds?: Array<{ kind: string; count: number }>;
  /** True when stopped before the planned end (cancel / loadTest.stop). */
  stopped: boolean;
}

/** The part of autocannon's result the summary reads. */
export interface AutocannonResultLike {
  url?: string;
  connections?: number;
  duration?: number;
  errors?: number;
  timeouts?: number;
  non2xx?: number;
  '1xx'?: number;
  '2xx'?: number;
  '3xx'?: number;
  '4xx'?: number;
  '5xx'?: number;
  statusCodeStats?: Record<string, { count: number }>;
  latency?: { p50?: number; p90?: number; p99?: number; max?: number; average?: number; totalCount?: number };
  requests?: { average?: number; total?: number; sent?: number };
}

export const LOAD_TEST_LIMITS = { maxAmount: 10_000_000, maxDurationSec: 3600, maxConnections: 1000 } as const;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** `undefined` when the options can run; otherwise what is wrong. */
export function validateLoadTestOptions(o: Partial<LoadTestOptions> | undefined, t: Translate = defaultTranslate): string | undefined {
  if (!o || typeof o !== 'object') return t('Give the load test a URL, a request count or a duration, and a number of connections.');
  if (typeof o.url !== 'string' || !validUrl(o.url)) return t('Enter an http:// or https:// URL, e.g. http://localhost/app/loginForm.');
  const c = o.connections;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 1 || c > LOAD_TEST_LIMITS.maxConnections) {
    return t('Connections must be a whole number between {0} and {1}.', 1, LOAD_TEST_LIMITS.maxConnections);
  }
  if (o.amount !== undefined) {
    const a = o.amount;
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 1 || a > LOAD_TEST_LIMITS.maxAmount) {
      return t('Total requests must be a whole number between {0} and {1}.', 1, LOAD_TEST_LIMITS.maxAmount);
    }
    if (a < c) return t('Total requests ({0}) must be at least the number of connections ({1}).', a, c);
    return undefined;
  }
  if (o.durationSec !== undefined) {
    const d = o.durationSec;
    if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0 || d > LOAD_TEST_LIMITS.maxDurationSec) {
      return t('Duration must be a number of seconds greater than 0 and at most {0}.', LOAD_TEST_LIMITS.maxDurationSec);
    }
    return undefined;
  }
  return t('Give either a total number of requests or a duration.');
}

export function validUrl(v: string): boolean {
  if (!/^https?:\/\/\S+$/.test(v)) return false;
  try {
    const u = new URL(v);
    return !!u.hostname;
  } catch {
    return false;
  }
}

/**
 * "Requests or duration" as typed in an input box: `100000` (requests) or `30s` / `2m` (duration).
 */
export function parseAmountOrDuration(text: string): { amount: number } | { durationSec: number } | undefined {
  const v = text.trim().toLowerCase();
  if (/^\d+$/.test(v)) return { amount: Number(v) };
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?)$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return { durationSec: m[2].startsWith('m') ? n * 60 : n };
}

/** The summary of a finished (or stopped) run. */
export function summarize(r: AutocannonResultLike, opts: Pick<LoadTestOptions, 'url' | 'connections'>, stopped: boolean, errorKinds: Record<string, number> = {}): LoadTestSummary {
  const statusCounts: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) {
    if (num(s?.count) > 0) statusCounts[code] = num(s.count);
  }
  const classes = { '1xx': num(r['1xx']), '2xx': num(r['2xx']), '3xx': num(r['3xx']), '4xx': num(r['4xx']), '5xx': num(r['5xx']) };
  const requests = Object.values(classes).reduce((a, b) => a + b, 0);
  const durationSec = num(r.duration);
  return {
    url: r.url ?? opts.url,
    connections: r.connections ?? opts.connections,
    requests,
    sent: num(r.requests?.sent) || requests,
    durationSec: round(durationSec, 2),
    requestsPerSec: durationSec > 0 ? round(requests / durationSec) : 0,
    latency: {
      p50: num(r.latency?.p50),
      p90: num(r.latency?.p90),
      p99: num(r.latency?.p99),
      max: num(r.latency?.max),
      average: round(num(r.latency?.average), 2),
    },
    statusCounts,
    classes,
    non2xx: num(r.non2xx),
    errors: num(r.errors),
    timeouts: num(r.timeouts),
    ...(Object.keys(errorKinds).length ? { errorKinds: Object.entries(errorKinds).map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count) } : {}),
    stopped,
  };
}

/** "200: 990, 502: 10" (sorted by code), or "none". */
export function formatStatusCounts(counts: Record<string, number>, t: Translate = defaultTranslate): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([code, n]) => `${code}: ${n}`).join(', ') : t('none');
}

/** The lines written to the output channel. */
export function formatSummary(s: LoadTestSummary, t: Translate = defaultTranslate): string[] {
  return [
    t('Load test {0} of {1} ({2} connections)', s.stopped ? t('stopped') : t('finished'), s.url, s.connections),
    t('  Requests: {0} completed in {1} s, {2} requests/s', s.requests, s.durationSec, s.requestsPerSec),
    t('  Latency (ms): p50 {0}, p90 {1}, p99 {2}, max {3}, average {4}', s.latency.p50, s.latency.p90, s.latency.p99, s.latency.max, s.latency.average),
    t('  Status codes: {0}', formatStatusCounts(s.statusCounts, t)),
    t('  2xx: {0}, non-2xx: {1}, errors: {2} (timeouts: {3})', s.classes['2xx'], s.non2xx, s.errors, s.timeouts),
    ...(s.errorKinds?.length ? [t('  Errors by kind: {0}', s.errorKinds.map((k) => `${k.kind} × ${k.count}`).join(', '))] : []),
    ...(errorReason(s, t) ? [`  ${errorReason(s, t)}`] : []),
  ];
}

/** The kind of an error a request failed with (autocannon's `reqError`): its Node code, or `timeout`. */
export function errorKind(e: unknown): string {
  const o = (e && typeof e === 'object' ? e : {}) as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof o.code === 'string' && o.code) return o.code;
  if (typeof o.message === 'string' && /timed out/i.test(o.message)) return 'timeout';
  return typeof o.name === 'string' && o.name !== 'Error' ? o.name : 'error';
}

/**
 * Why the requests failed, in words, and what to wait for or check: the most frequent error kind.
 * Undefined when nothing failed to connect.
 */
export function errorReason(s: Pick<LoadTestSummary, 'url' | 'errors' | 'errorKinds' | 'timeouts'>, t: Translate = defaultTranslate): string | undefined {
  if (!s.errors) return undefined;
  let host = s.url;
  try {
    host = new URL(s.url).host;
  } catch {
    // keep the URL
  }
  const hostname = host.replace(/:\d+$/, '');
  const kind = s.errorKinds?.[0]?.kind ?? (s.timeouts === s.errors ? 'timeout' : undefined);
  switch (kind) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return t('{0} does not resolve ({1}). A new load balancer\'s DNS name takes a few minutes to appear: wait until the load balancer is active and `nslookup {0}` answers, then run the test again.', hostname, kind);
    case 'ECONNREFUSED':
      return t('Nothing accepts connections at {0} (ECONNREFUSED): check the URL\'s port and that the listener exists.', host);
    case 'timeout':
    case 'ETIMEDOUT':
      return t('{0} did not answer in time ({1}): check that the load balancer\'s security group allows HTTP from your address, and that its targets are healthy.', host, kind);
    case 'ECONNRESET':
    case 'EPIPE':
      return t('{0} closed the connections ({1}): the targets may be restarting or overloaded; check their health and the service events.', host, kind);
    case undefined:
      return undefined;
    default:
      return t('The requests to {0} failed with {1}.', host, kind);
  }
}

/** One line for a notification. */
export function shortSummary(s: LoadTestSummary, t: Translate = defaultTranslate): string {
  return t(
    'Load test {0}: {1} requests, {2} req/s, p50 {3} ms, p99 {4} ms, non-2xx {5}, errors {6}.',
    s.stopped ? t('stopped') : t('finished'),
    s.requests,
    s.requestsPerSec,
    s.latency.p50,
    s.latency.p99,
    s.non2xx,
    s.errors,
  ) + (errorReason(s, t) ? ` ${errorReason(s, t)}` : '');
}

/** Progress text: "1,234 / 100,000 requests · 850 req/s". */
export function formatProgress(p: LoadTestProgress, t: Translate = defaultTranslate): string {
  const done = p.done.toLocaleString('en-US');
  const rps = Math.round(p.currentRps).toLocaleString('en-US');
  const errors = p.errors ? t(' · {0} errors', p.errors) : '';
  if (p.total) return t('{0} / {1} requests · {2} req/s', done, p.total.toLocaleString('en-US'), rps) + errors;
  const secs = Math.floor(p.elapsedMs / 1000);
  return t('{0} requests · {1} / {2} s · {3} req/s', done, secs, p.durationSec ?? '?', rps) + errors;
}

/** Percentage (0–100) of the run done, for a progress bar. */
export function progressPercent(p: LoadTestProgress): number {
  if (p.total) return Math.min(100, (p.done / p.total) * 100);
  if (p.durationSec) return Math.min(100, (p.elapsedMs / (p.durationSec * 1000)) * 100);
  return 0;
}

/** Messages between the runner (parent) and the child process. */
export type ParentMessage = { type: 'start'; options: LoadTestOptions } | { type: 'stop' };
export type ChildMessage =
  | { type: 'progress'; progress: LoadTestProgress }
  | { type: 'done'; summary: LoadTestSummary }
  | { type: 'error'; message: string };
