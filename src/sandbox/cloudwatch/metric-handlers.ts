/** GetMetricData, GetMetricStatistics, ListMetrics, PutMetricData. */
import { AwsError } from '../protocol/errors';
import { xmlDate, type Handler } from '../service';
import { cloudwatchState, type Dimension } from './model';
import {
  decodeToken,
  dimensions,
  encodeToken,
  invalidValue,
  missing,
  optBool,
  optInt,
  optList,
  optNum,
  optStr,
  optTime,
  reqStr,
  strList,
  UNITS,
  validation,
} from './input';
import { aggregate, findSeries, isPercentile, isStat, pointOf, putPoint, STATISTICS, statValue } from './store';

const NS = { min: 1, max: 255 };

/** Period: 1, 5, 10, 30 or a multiple of 60 seconds. */
function checkPeriod(period: number, param = 'Period'): void {
  if (!(period === 1 || period === 5 || period === 10 || period === 30 || (period > 0 && period % 60 === 0))) {
    throw invalidValue(param, period, 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.');
  }
}

function metricOf(m: Record<string, unknown> | undefined, member: string): { Namespace: string; MetricName: string; Dimensions: Dimension[] } {
  if (!m || typeof m !== 'object') throw validation(member, undefined, 'Member must not be null');
  return {
    Namespace: reqStr(m, 'Namespace', { ...NS, member: `${member}.namespace` }),
    MetricName: reqStr(m, 'MetricName', { ...NS, member: `${member}.metricName` }),
    Dimensions: dimensions(m.Dimensions, `${member}.dimensions`),
  };
}

const getMetricStatistics: Handler = (ctx, input) => {
  const Namespace = optStr(input, 'Namespace', NS);
  const MetricName = optStr(input, 'MetricName', NS);
  if (!Namespace) throw missing('Namespace');
  if (!MetricName) throw missing('MetricName');
  const start = optTime(input, 'StartTime');
  const end = optTime(input, 'EndTime');
  const period = optInt(input, 'Period', 1);
  if (start === undefined) throw missing('StartTime');
  if (end === undefined) throw missing('EndTime');
  if (period === undefined) throw missing('Period');
  checkPeriod(period);
  if (start >= end) throw invalidValue('StartTime', new Date(start).toISOString(), 'The parameter StartTime must be less than the parameter EndTime.');
  const stats = strList(input, 'Statistics', 5) ?? [];
  const ext = strList(input, 'ExtendedStatistics', 10) ?? [];
  if (stats.length === 0 && ext.length === 0) throw missing('Statistics or ExtendedStatistics');
  for (const s of stats) if (!(STATISTICS as readonly string[]).includes(s)) throw validation('statistics', s, `Member must satisfy enum value set: [${STATISTICS.join(', ')}]`);
  for (const s of ext) if (!isPercentile(s)) throw invalidValue('ExtendedStatistics', s, 'Percentiles must be p0.0 to p100.');
  const unit = optStr(input, 'Unit', { enum: UNITS });
  const periodMs = period * 1000;
  const count = Math.ceil((end - start) / periodMs);
  if (count > 1440) {
    throw new AwsError(
      'InvalidParameterCombination',
      `You have requested up to ${count.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const dims = dimensions(input.Dimensions);
  const series = findSeries(cloudwatchState(ctx.state), Namespace, MetricName, dims);
  const unitOk = !unit || !series?.unit || unit === series.unit;
  const aggs = unitOk ? aggregate(series, start, end, periodMs) : [];
  return {
    Label: MetricName,
    Datapoints: aggs.map((a) => {
      const dp: Record<string, unknown> = { Timestamp: xmlDate(a.t) };
      for (const s of stats) dp[s] = statValue(a, s);
      if (ext.length) {
        const m: Record<string, number> = {};
        for (const s of ext) {
          const v = statValue(a, s);
          if (v !== undefined) m[s] = v;
        }
        dp.ExtendedStatistics = m;
      }
      dp.Unit = series?.unit ?? 'None';
      return dp;
    }),
  };
};

const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;

const getMetricData: Handler = (ctx, input) => {
  const queries = optList(input, 'MetricDataQueries');
  if (!queries) throw validation('metricDataQueries', undefined, 'Member must not be null');
  if (queries.length === 0) throw new AwsError('ValidationError', 'The parameter MetricDataQueries must contain at least one query.');
  if (queries.length > 500) throw new AwsError('ValidationError', 'The collection MetricDataQueries must not have a size greater than 500.');
  const start = optTime(input, 'StartTime');
  const end = optTime(input, 'EndTime');
  if (start === undefined) throw validation('startTime', undefined, 'Member must not be null');
  if (end === undefined) throw validation('endTime', undefined, 'Member must not be null');
  if (start >= end) throw new AwsError('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = optStr(input, 'ScanBy', { enum: ['TimestampDescending', 'TimestampAscending'] }) ?? 'TimestampDescending';
  const maxDatapoints = optInt(input, 'MaxDatapoints', 1) ?? 100_800;
  decodeToken(optStr(input, 'NextToken'));
  const cw = cloudwatchState(ctx.state);
  const ids = new Set<string>();
  const results: Record<string, unknown>[] = [];
  let total = 0;
  for (const [i, raw] of queries.entries()) {
    const q = (raw ?? {}) as Record<string, unknown>;
    const member = `metricDataQueries.${i + 1}`;
    const id = reqStr(q, 'Id', { min: 1, max: 255, member: `${member}.id` });
    if (!METRIC_ID.test(id)) throw new AwsError('ValidationError', `The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is invalid. Ids must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(id)) throw new AwsError('ValidationError', `The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is not unique.`);
    ids.add(id);
    const expression = optStr(q, 'Expression');
    const stat = q.MetricStat as Record<string, unknown> | undefined;
    if (expression !== undefined && stat !== undefined) {
      throw new AwsError('ValidationError', `The parameters MetricDataQueries.member.${i + 1}.MetricStat and MetricDataQueries.member.${i + 1}.Expression are mutually exclusive and you have specified both.`);
    }
    if (expression !== undefined) {
      throw new AwsError('ValidationError', `MetricDataQueries.member.${i + 1}.Expression: metric math expressions are not supported by the ECS Hands-on sandbox; query the metric with MetricStat.`);
    }
    if (!stat) throw new AwsError('ValidationError', `Exactly one of MetricDataQueries.member.${i + 1}.MetricStat and MetricDataQueries.member.${i + 1}.Expression must be specified.`);
    const metric = metricOf(stat.Metric as Record<string, unknown>, `${member}.metricStat.metric`);
    const period = optInt(stat, 'Period', 1);
    if (period === undefined) throw validation(`${member}.metricStat.period`, undefined, 'Member must not be null');
    checkPeriod(period, `MetricDataQueries.member.${i + 1}.MetricStat.Period`);
    const statName = reqStr(stat, 'Stat', { member: `${member}.metricStat.stat` });
    if (!isStat(statName)) throw new AwsError('ValidationError', `The value ${statName} for parameter MetricDataQueries.member.${i + 1}.MetricStat.Stat is invalid.`);
    const unit = optStr(stat, 'Unit', { enum: UNITS });
    const returnData = optBool(q, 'ReturnData') ?? true;
    const periodMs = period * 1000;
    const alignedStart = Math.floor(start / periodMs) * periodMs;
    const series = findSeries(cw, metric.Namespace, metric.MetricName, metric.Dimensions);
    const unitOk = !unit || !series?.unit || unit === series.unit;
    let points = (unitOk ? aggregate(series, alignedStart, end, periodMs) : [])
      .map((a) => ({ t: a.t, v: statValue(a, statName) }))
      .filter((p): p is { t: number; v: number } => p.v !== undefined);
    if (scanBy === 'TimestampDescending') points.reverse();
    if (!returnData) continue;
    let status = 'Complete';
    if (total + points.length > maxDatapoints) {
      points = points.slice(0, Math.max(0, maxDatapoints - total));
      status = 'PartialData';
    }
    total += points.length;
    results.push({
      Id: id,
      Label: optStr(q, 'Label') ?? metric.MetricName,
      Timestamps: points.map((p) => xmlDate(p.t)),
      Values: points.map((p) => p.v),
      StatusCode: status,
    });
  }
  return { MetricDataResults: results, Messages: [] };
};

const listMetrics: Handler = (ctx, input) => {
  const ns = optStr(input, 'Namespace', NS);
  const name = optStr(input, 'MetricName', NS);
  const filters = optList(input, 'Dimensions') ?? [];
  if (filters.length > 10) throw validation('dimensions', `[…${filters.length} items]`, 'Member must have length less than or equal to 10');
  const dimFilters = (filters as Record<string, unknown>[]).map((f, i) => ({
    Name: reqStr(f ?? {}, 'Name', { min: 1, max: 255, member: `dimensions.${i + 1}.member.name` }),
    Value: optStr(f ?? {}, 'Value', { min: 1, max: 1024 }),
  }));
  const recently = optStr(input, 'RecentlyActive', { enum: ['PT3H'] });
  const after = decodeToken(optStr(input, 'NextToken'));
  const cw = cloudwatchState(ctx.state);
  const keys = Object.keys(cw.metrics).sort();
  const out: { Namespace: string; MetricName: string; Dimensions: Dimension[] }[] = [];
  let next: string | undefined;
  for (const k of keys) {
    if (after !== undefined && k <= after) continue;
    const s = cw.metrics[k];
    if (ns !== undefined && s.namespace !== ns) continue;
    if (name !== undefined && s.metricName !== name) continue;
    if (!dimFilters.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)))) continue;
    if (recently && s.lastPutAt < ctx.now - 3 * 3600_000) continue;
    if (out.length === 500) {
      next = encodeToken(keys[keys.indexOf(k) - 1]);
      break;
    }
    out.push({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ ...d })) });
  }
  return { Metrics: out, ...(next ? { NextToken: next } : {}) };
};

const putMetricData: Handler = (ctx, input) => {
  const ns = optStr(input, 'Namespace', NS);
  if (!ns) throw missing('Namespace');
  if (ns.startsWith(':') || /^AWS\//.test(ns)) throw invalidValue('Namespace', ns, 'Namespaces starting with "AWS/" are reserved for AWS services.');
  const data = optList(input, 'MetricData');
  if (!data || data.length === 0) throw missing('MetricData');
  if (data.length > 1000) throw invalidValue('MetricData', `${data.length} items`, 'The collection MetricData must not have a size greater than 1000.');
  const cw = cloudwatchState(ctx.state);
  const stored: (() => void)[] = [];
  for (const [i, raw] of data.entries()) {
    const d = (raw ?? {}) as Record<string, unknown>;
    const p = `MetricData.member.${i + 1}`;
    const name = optStr(d, 'MetricName', NS);
    if (!name) throw missing(`${p}.MetricName`);
    const dims = dimensions(d.Dimensions, `metricData.${i + 1}.member.dimensions`);
    const t = optTime(d, 'Timestamp') ?? ctx.now;
    if (t < ctx.now - 14 * 24 * 3600_000 || t > ctx.now + 2 * 3600_000) {
      throw invalidValue(`${p}.Timestamp`, new Date(t).toISOString(), 'Timestamps must be within the last two weeks and at most two hours in the future.');
    }
    const unit = optStr(d, 'Unit', { enum: UNITS });
    const res = optInt(d, 'StorageResolution', 1);
    if (res !== undefined && res !== 1 && res !== 60) throw invalidValue(`${p}.StorageResolution`, res, 'StorageResolution must be 1 or 60.');
    const value = optNum(d, 'Value');
    const set = d.StatisticValues as Record<string, unknown> | undefined;
    const values = optList(d, 'Values');
    const counts = optList(d, 'Counts');
    const given = [value !== undefined && 'Value', set !== undefined && 'StatisticValues', values !== undefined && 'Values'].filter(Boolean) as string[];
    if (given.length > 1) {
      throw new AwsError('InvalidParameterCombination', `The parameters ${p}.${given[0]} and ${p}.${given[1]} are mutually exclusive and you have specified both.`);
    }
    if (given.length === 0) throw missing(`${p}.Value`);
    // Timestamps are kept at 1-minute (or 1-second for high resolution) granularity.
    const gran = res === 1 ? 1000 : 60_000;
    const tt = Math.floor(t / gran) * gran;
    if (value !== undefined) {
      stored.push(() => putPoint(cw, ns, name, dims, pointOf(tt, [value]), unit, ctx.now));
    } else if (set) {
      const nums = ['SampleCount', 'Sum', 'Minimum', 'Maximum'].map((k) => {
        const v = optNum(set, k);
        if (v === undefined) throw missing(`${p}.StatisticValues.${k}`);
        return v;
      });
      if (nums[0] <= 0) throw invalidValue(`${p}.StatisticValues.SampleCount`, nums[0], 'SampleCount must be greater than zero.');
      if (nums[2] > nums[3]) throw invalidValue(`${p}.StatisticValues.Minimum`, nums[2], 'Minimum must not be greater than Maximum.');
      stored.push(() => putPoint(cw, ns, name, dims, { t: tt, n: nums[0], sum: nums[1], min: nums[2], max: nums[3] }, unit, ctx.now));
    } else {
      const vs = values!.map((v, j) => {
        const n = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(n)) throw invalidValue(`${p}.Values.member.${j + 1}`, v);
        return n;
      });
      if (vs.length > 150) throw invalidValue(`${p}.Values`, `${vs.length} items`, 'At most 150 values per datum.');
      let cs: number[] = vs.map(() => 1);
      if (counts) {
        if (counts.length !== vs.length) {
          throw new AwsError('InvalidParameterValue', `The parameters ${p}.Values and ${p}.Counts must be of the same size.`);
        }
        cs = counts.map((c) => Number(c));
      }
      const expanded: number[] = [];
      vs.forEach((v, j) => {
        for (let k = 0; k < Math.min(cs[j], 150); k++) expanded.push(v);
      });
      const n = cs.reduce((a, b) => a + b, 0);
      const sum = vs.reduce((a, v, j) => a + v * cs[j], 0);
      stored.push(() => putPoint(cw, ns, name, dims, { ...pointOf(tt, expanded), n, sum }, unit, ctx.now));
    }
  }
  // All datapoints are checked before any is stored. (Ones older than the sandbox's retention are accepted, as AWS does, and pruned at the next period.)
  for (const s of stored) s();
  return {};
};

export const metricOperations: Record<string, Handler> = {
  GetMetricStatistics: getMetricStatistics,
  GetMetricData: getMetricData,
  ListMetrics: listMetrics,
  PutMetricData: putMetricData,
};
