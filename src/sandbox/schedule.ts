/**
 * When scheduled scaling actions run, on the sandbox clock: EC2 Auto Scaling's `Recurrence` (Unix
 * cron, five fields, Sunday = 0) and Application Auto Scaling's `Schedule` (`at(…)`, `rate(…)`,
 * `cron(…)` with AWS's six fields: minutes hours day-of-month month day-of-week year, Sunday = 1),
 * both in an IANA time zone (UTC by default). Cron matching is croner's (no dependencies).
 */
import { Cron } from 'croner';

/** A time zone Intl knows (what AWS accepts: IANA names). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** A croner pattern, or the reason it is not one. */
function cron(pattern: string, tz: string | undefined, awsWeekdays: boolean): Cron | string {
  try {
    return new Cron(pattern, { paused: true, ...(tz ? { timezone: tz } : {}), ...(awsWeekdays ? { alternativeWeekdays: true } : {}) });
  } catch (e) {
    return (e as Error).message;
  }
}

/** The first run of a Unix cron expression strictly after `afterMs` (undefined if the expression is not one: five fields). */
export function nextUnixCron(expr: string, afterMs: number, tz?: string): number | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const c = cron(fields.join(' '), tz, false);
  if (typeof c === 'string') return undefined;
  return c.nextRun(new Date(afterMs))?.getTime();
}

/** Whether `expr` is a valid Unix cron expression (five fields). */
export const isUnixCron = (expr: string): boolean => {
  const fields = expr.trim().split(/\s+/);
  return fields.length === 5 && typeof cron(fields.join(' '), undefined, false) !== 'string';
};

/** AWS's year field (`*`, `2027`, `2026-2028`, `2026,2028`): does it match? */
function yearMatches(field: string, year: number): boolean {
  if (field === '*' || field === '?') return true;
  return field.split(',').some((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
    return m !== null && year >= Number(m[1]) && year <= Number(m[2] ?? m[1]);
  });
}

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** A parsed Application Auto Scaling schedule, or the problem with it. */
export type AppSchedule = { kind: 'at'; wall: string } | { kind: 'rate'; everyMs: number } | { kind: 'cron'; fields: string[] };

export function parseAppSchedule(expr: string): AppSchedule | string {
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expr);
  if (at) return Number.isNaN(Date.parse(`${at[1]}Z`)) ? `Invalid at expression: ${expr}` : { kind: 'at', wall: at[1] };
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expr);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return `Invalid rate expression: ${expr}`;
    if ((n === 1) !== !rate[2].endsWith('s')) return `Invalid rate expression: ${expr} (use ${n === 1 ? 'the singular' : 'the plural'} unit for ${n})`;
    return { kind: 'rate', everyMs: n * RATE_UNITS[rate[2]] };
  }
  const c = /^cron\((.+)\)$/.exec(expr);
  if (c) {
    const fields = c[1].trim().split(/\s+/);
    if (fields.length !== 6) return `Invalid cron expression: ${expr} (six fields: minutes hours day-of-month month day-of-week year)`;
    if (fields[2] !== '?' && fields[4] !== '?') return `Invalid cron expression: ${expr} (one of day-of-month and day-of-week must be '?')`;
    const problem = cron(croner(fields), undefined, true);
    if (typeof problem === 'string') return `Invalid cron expression: ${expr}`;
    if (!fields[5].split(',').every((p) => /^(\*|\?|\d{4}(-\d{4})?)$/.test(p))) return `Invalid cron expression: ${expr}`;
    return { kind: 'cron', fields };
  }
  return `Invalid schedule expression: ${expr}. Use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields).`;
}

/** AWS's six fields as croner's five (its `?` would mean "now"; the year is checked apart). */
const croner = (f: string[]): string => f.slice(0, 5).map((x) => (x === '?' ? '*' : x)).join(' ');

/** The UTC instant of a wall-clock time `yyyy-mm-ddThh:mm:ss` in `tz`. */
function wallToUtc(wall: string, tz: string | undefined): number {
  const asUtc = Date.parse(`${wall}Z`);
  if (!tz || tz === 'UTC') return asUtc;
  // The zone's offset at that instant, found by formatting it back (twice, for DST edges).
  let t = asUtc;
  for (let i = 0; i < 2; i++) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    t = asUtc - (shown - t);
  }
  return t;
}

/** The first run of `s` strictly after `afterMs` (`startMs`: when a rate started counting). */
export function nextAppRun(s: AppSchedule, afterMs: number, startMs: number, tz?: string): number | undefined {
  if (s.kind === 'at') {
    const t = wallToUtc(s.wall, tz);
    return t > afterMs ? t : undefined;
  }
  if (s.kind === 'rate') {
    const n = Math.floor((afterMs - startMs) / s.everyMs) + 1;
    return startMs + Math.max(1, n) * s.everyMs;
  }
  const c = cron(croner(s.fields), tz, true);
  if (typeof c === 'string') return undefined;
  let from = new Date(afterMs);
  for (let i = 0; i < 500; i++) {
    const next = c.nextRun(from);
    if (!next) return undefined;
    if (yearMatches(s.fields[5], next.getUTCFullYear())) return next.getTime();
    from = next;
  }
  return undefined;
}
