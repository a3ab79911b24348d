/**
 * Metric storage and statistics: datapoints are stored as statistic sets (with raw values when
 * known) and aggregated into periods at query time, as CloudWatch does.
 */
import {
  MAX_RAW_VALUES,
  RETENTION_MS,
  seriesKey,
  sortDimensions,
  type CloudWatchState,
  type Dimension,
  type MetricSeries,
  type Point,
} from './model';

/** Stores a datapoint (merged with one already at the same timestamp). */
export function putPoint(cw: CloudWatchState, namespace: string, metricName: string, dims: Dimension[], p: Point, unit: string | undefined, now: number): void {
  const key = seriesKey(namespace, metricName, dims);
  let s = cw.metrics[key];
  if (!s) {
    s = { namespace, metricName, dimensions: sortDimensions(dims), points: [], lastPutAt: now };
    cw.metrics[key] = s;
  }
  if (unit && unit !== 'None') s.unit = unit;
  s.lastPutAt = now;
  // Insert keeping the order (datapoints almost always arrive in order).
  let i = s.points.length;
  while (i > 0 && s.points[i - 1].t > p.t) i--;
  const same = i > 0 && s.points[i - 1].t === p.t ? s.points[i - 1] : undefined;
  if (same) {
    const a = rawValues(same);
    const b = rawValues(p);
    same.n += p.n;
    same.sum += p.sum;
    same.min = Math.min(same.min, p.min);
    same.max = Math.max(same.max, p.max);
    if (a && b && a.length + b.length <= MAX_RAW_VALUES) same.values = [...a, ...b];
    else delete same.values;
  } else {
    s.points.splice(i, 0, { ...p, ...(p.values ? { values: p.values.slice(0, MAX_RAW_VALUES) } : {}) });
  }
}

/** A datapoint from plain values. */
export function pointOf(t: number, values: number[]): Point {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A single value needs no raw list (it is min = max), which keeps the stored state small.
  return { t, n: values.length, sum, min, max, ...(values.length > 1 && values.length <= MAX_RAW_VALUES ? { values: [...values] } : {}) };
}

/** The raw values of a datapoint, when known (a single-sample datapoint is its own value). */
const rawValues = (p: Point): number[] | undefined => p.values ?? (p.n === 1 && p.min === p.max ? [p.min] : undefined);

/** Drops datapoints older than the retention window, and series left empty for as long. */
export function prune(cw: CloudWatchState, now: number): void {
  const cutoff = now - RETENTION_MS;
  for (const [k, s] of Object.entries(cw.metrics)) {
    let drop = 0;
    while (drop < s.points.length && s.points[drop].t < cutoff) drop++;
    if (drop) s.points.splice(0, drop);
    if (s.points.length === 0 && s.lastPutAt < cutoff) delete cw.metrics[k];
  }
}

export function findSeries(cw: CloudWatchState, namespace: string, metricName: string, dims: Dimension[]): MetricSeries | undefined {
  return cw.metrics[seriesKey(namespace, metricName, dims)];
}

export interface Aggregate {
  /** Period start. */
  t: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  values?: number[];
}

/** Aggregates the series' datapoints in [start, end) into periods of `periodMs` aligned to `start`. Periods without data are left out. */
export function aggregate(s: MetricSeries | undefined, start: number, end: number, periodMs: number): Aggregate[] {
  if (!s) return [];
  const out = new Map<number, Aggregate>();
  for (const p of s.points) {
    if (p.t < start || p.t >= end) continue;
    const t = start + Math.floor((p.t - start) / periodMs) * periodMs;
    let a = out.get(t);
    if (!a) {
      a = { t, n: 0, sum: 0, min: Infinity, max: -Infinity, values: [] };
      out.set(t, a);
    }
    a.n += p.n;
    a.sum += p.sum;
    a.min = Math.min(a.min, p.min);
    a.max = Math.max(a.max, p.max);
    const pv = rawValues(p);
    if (a.values && pv) a.values.push(...pv);
    else delete a.values;
  }
  return [...out.values()].sort((a, b) => a.t - b.t);
}

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/;

export const isStat = (s: string): boolean => (STATISTICS as readonly string[]).includes(s) || PERCENTILE.test(s);
export const isPercentile = (s: string): boolean => PERCENTILE.test(s);

/** The value of a statistic over an aggregate, or undefined when it cannot be computed (a percentile without raw values). */
export function statValue(a: Aggregate, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return a.n;
    case 'Average':
      return a.n ? a.sum / a.n : undefined;
    case 'Sum':
      return a.sum;
    case 'Minimum':
      return a.min;
    case 'Maximum':
      return a.max;
  }
  const m = PERCENTILE.exec(stat);
  if (!m || !a.values || a.values.length === 0) return undefined;
  const sorted = [...a.values].sort((x, y) => x - y);
  const rank = Math.ceil((Number(m[1]) / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
