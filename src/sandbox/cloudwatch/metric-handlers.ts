/** GetMetricData, GetMetricStatistics, ListMetrics, PutMetricData. */
import type { GetMetricDataCommandInput, GetMetricStatisticsCommandInput, ListMetricsCommandInput, Metric, PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH, cloudwatchFields as f, cloudwatchInvalidValue as invalidValue, paginate, type Operation, type Path } from '../kit';
import { AwsError } from '../protocol/errors';
import { xmlDate } from '../service';
import { dimensions, missing, UNITS } from './request';
import { cloudwatchState, type Dimension } from './model';
import { aggregate, findSeries, isPercentile, isStat, pointOf, putPoint, STATISTICS, statValue } from './store';

const NS = { min: 1, max: 255 };
const validation = (message: string) => new AwsError('ValidationError', message);

/** Period: 1, 5, 10, 30 or a multiple of 60 seconds. */
function checkPeriod(period: number, param = 'Period'): void {
  if (!(period === 1 || period === 5 || period === 10 || period === 30 || (period > 0 && period % 60 === 0))) {
    throw invalidValue(param, period, 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.');
  }
}

function metricOf(m: Metric | undefined, path: (string | number)[]): { Namespace: string; MetricName: string; Dimensions: Dimension[] } {
  if (!m) throw CLOUDWATCH.missing(path);
  return {
    Namespace: f.str(m.Namespace, [...path, 'Namespace'], { ...NS, required: true }),
    MetricName: f.str(m.MetricName, [...path, 'MetricName'], { ...NS, required: true }),
    Dimensions: dimensions(m.Dimensions, [...path, 'Dimensions']),
  };
}

export const getMetricStatistics: Operation<GetMetricStatisticsCommandInput> = (ctx, input) => {
  const Namespace = f.str(input.Namespace, 'Namespace', NS);
  const MetricName = f.str(input.MetricName, 'MetricName', NS);
  if (!Namespace) throw missing('Namespace');
  if (!MetricName) throw missing('MetricName');
  const start = input.StartTime?.getTime();
  const end = input.EndTime?.getTime();
  const period = f.int(input.Period, 'Period', { min: 1 });
  if (start === undefined) throw missing('StartTime');
  if (end === undefined) throw missing('EndTime');
  if (period === undefined) throw missing('Period');
  checkPeriod(period);
  if (start >= end) throw invalidValue('StartTime', new Date(start).toISOString(), 'The parameter StartTime must be less than the parameter EndTime.');
  const stats = f.strings(input.Statistics, 'Statistics', { max: 5 }) ?? [];
  const ext = f.strings(input.ExtendedStatistics, 'ExtendedStatistics', { max: 10 }) ?? [];
  if (stats.length === 0 && ext.length === 0) throw missing('Statistics or ExtendedStatistics');
  stats.forEach((s, i) => f.oneOf(s, ['Statistics', i], STATISTICS));
  for (const s of ext) if (!isPercentile(s)) throw invalidValue('ExtendedStatistics', s, 'Percentiles must be p0.0 to p100.');
  const unit = f.oneOf(input.Unit, 'Unit', UNITS);
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
  // CloudWatch rounds StartTime down: to the minute (less than 15 days ago), to 5 minutes (up to 63 days), else to the hour.
  const age = ctx.now - start;
  const round = age < 15 * 86_400_000 ? 60_000 : age < 63 * 86_400_000 ? 300_000 : 3_600_000;
  const aggs = unitOk ? aggregate(series, Math.floor(start / round) * round, end, periodMs) : [];
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

export const getMetricData: Operation<GetMetricDataCommandInput> = (ctx, input) => {
  const queries = f.list(input.MetricDataQueries, 'MetricDataQueries', { required: true });
  if (queries.length === 0) throw validation('The parameter MetricDataQueries must contain at least one query.');
  if (queries.length > 500) throw validation('The collection MetricDataQueries must not have a size greater than 500.');
  const start = f.need(input.StartTime, 'StartTime').getTime();
  const end = f.need(input.EndTime, 'EndTime').getTime();
  if (start >= end) throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = f.oneOf(input.ScanBy, 'ScanBy', ['TimestampDescending', 'TimestampAscending'] as const) ?? 'TimestampDescending';
  const maxDatapoints = f.int(input.MaxDatapoints, 'MaxDatapoints', { min: 1 }) ?? 100_800;
  // One answer holds every result: the sandbox never issues a GetMetricData token.
  if (input.NextToken) throw CLOUDWATCH.badToken(input.NextToken);
  const cw = cloudwatchState(ctx.state);
  const ids = new Set<string>();
  const results: Record<string, unknown>[] = [];
  let total = 0;
  for (const [i, q] of queries.entries()) {
    const at: Path = ['MetricDataQueries', i];
    const id = f.str(q.Id, [...at, 'Id'], { required: true, min: 1, max: 255 });
    if (!METRIC_ID.test(id)) throw validation(`The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is invalid. Ids must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(id)) throw validation(`The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is not unique.`);
    ids.add(id);
    const expression = q.Expression;
    const stat = q.MetricStat;
    if (expression !== undefined && stat !== undefined) {
      throw validation(`The parameters MetricDataQueries.member.${i + 1}.MetricStat and MetricDataQueries.member.${i + 1}.Expression are mutually exclusive and you have specified both.`);
    }
    if (expression !== undefined) {
      throw validation(`MetricDataQueries.member.${i + 1}.Expression: metric math expressions are not supported by the ECS Hands-on sandbox; query the metric with MetricStat.`);
    }
    if (!stat) throw validation(`Exactly one of MetricDataQueries.member.${i + 1}.MetricStat and MetricDataQueries.member.${i + 1}.Expression must be specified.`);
    const metric = metricOf(stat.Metric, [...at, 'MetricStat', 'Metric']);
    const period = f.int(stat.Period, [...at, 'MetricStat', 'Period'], { required: true, min: 1 });
    checkPeriod(period, `MetricDataQueries.member.${i + 1}.MetricStat.Period`);
    const statName = f.str(stat.Stat, [...at, 'MetricStat', 'Stat'], { required: true });
    if (!isStat(statName)) throw validation(`The value ${statName} for parameter MetricDataQueries.member.${i + 1}.MetricStat.Stat is invalid.`);
    const unit = f.oneOf(stat.Unit, [...at, 'MetricStat', 'Unit'], UNITS);
    const returnData = q.ReturnData ?? true;
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
      Label: q.Label ?? metric.MetricName,
      Timestamps: points.map((p) => xmlDate(p.t)),
      Values: points.map((p) => p.v),
      StatusCode: status,
    });
  }
  return { MetricDataResults: results, Messages: [] };
};

/** ListMetrics answers 500 metrics per page. */
const LIST_METRICS_PAGE = 500;

export const listMetrics: Operation<ListMetricsCommandInput> = (ctx, input) => {
  const ns = f.str(input.Namespace, 'Namespace', NS);
  const name = f.str(input.MetricName, 'MetricName', NS);
  const dimFilters = (f.list(input.Dimensions, 'Dimensions', { max: 10 }) ?? []).map((d, i) => ({
    Name: f.str(d.Name, ['Dimensions', i, 'Name'], { required: true, min: 1, max: 255 }),
    Value: f.str(d.Value, ['Dimensions', i, 'Value'], { min: 1, max: 1024 }),
  }));
  const recently = f.oneOf(input.RecentlyActive, 'RecentlyActive', ['PT3H'] as const);
  const cw = cloudwatchState(ctx.state);
  const matching = Object.keys(cw.metrics)
    .sort()
    .filter((k) => {
      const s = cw.metrics[k];
      return (
        (ns === undefined || s.namespace === ns) &&
        (name === undefined || s.metricName === name) &&
        dimFilters.every((df) => s.dimensions.some((d) => d.Name === df.Name && (df.Value === undefined || d.Value === df.Value))) &&
        (!recently || s.lastPutAt >= ctx.now - 3 * 3600_000)
      );
    });
  const { page, next } = paginate(matching, { op: 'ListMetrics', size: LIST_METRICS_PAGE, token: input.NextToken, key: (k) => k }, CLOUDWATCH);
  const Metrics = page.map((k) => {
    const s = cw.metrics[k];
    return { Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ ...d })) };
  });
  return { Metrics, ...(next ? { NextToken: next } : {}) };
};

export const putMetricData: Operation<PutMetricDataCommandInput> = (ctx, input) => {
  const ns = f.str(input.Namespace, 'Namespace', NS);
  if (!ns) throw missing('Namespace');
  if (ns.startsWith(':') || /^AWS\//.test(ns)) throw invalidValue('Namespace', ns, 'Namespaces starting with "AWS/" are reserved for AWS services.');
  const data = input.MetricData;
  if (!data || data.length === 0) throw missing('MetricData');
  if (data.length > 1000) throw invalidValue('MetricData', `${data.length} items`, 'The collection MetricData must not have a size greater than 1000.');
  const cw = cloudwatchState(ctx.state);
  const stored: (() => void)[] = [];
  for (const [i, d] of data.entries()) {
    const p = `MetricData.member.${i + 1}`;
    const name = f.str(d.MetricName, ['MetricData', i, 'MetricName'], NS);
    if (!name) throw missing(`${p}.MetricName`);
    const dims = dimensions(d.Dimensions, ['MetricData', i, 'Dimensions']);
    const t = d.Timestamp?.getTime() ?? ctx.now;
    if (t < ctx.now - 14 * 24 * 3600_000 || t > ctx.now + 2 * 3600_000) {
      throw invalidValue(`${p}.Timestamp`, new Date(t).toISOString(), 'Timestamps must be within the last two weeks and at most two hours in the future.');
    }
    const unit = f.oneOf(d.Unit, ['MetricData', i, 'Unit'], UNITS);
    const res = f.int(d.StorageResolution, ['MetricData', i, 'StorageResolution'], { min: 1 });
    if (res !== undefined && res !== 1 && res !== 60) throw invalidValue(`${p}.StorageResolution`, res, 'StorageResolution must be 1 or 60.');
    const value = d.Value;
    const set = d.StatisticValues;
    const values = d.Values;
    const counts = d.Counts;
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
      const nums = (['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const).map((k) => {
        const v = set[k];
        if (v === undefined) throw missing(`${p}.StatisticValues.${k}`);
        return v;
      });
      if (nums[0] <= 0) throw invalidValue(`${p}.StatisticValues.SampleCount`, nums[0], 'SampleCount must be greater than zero.');
      if (nums[2] > nums[3]) throw invalidValue(`${p}.StatisticValues.Minimum`, nums[2], 'Minimum must not be greater than Maximum.');
      stored.push(() => putPoint(cw, ns, name, dims, { t: tt, n: nums[0], sum: nums[1], min: nums[2], max: nums[3] }, unit, ctx.now));
    } else {
      const vs = values!;
      if (vs.length > 150) throw invalidValue(`${p}.Values`, `${vs.length} items`, 'At most 150 values per datum.');
      let cs: number[] = vs.map(() => 1);
      if (counts) {
        if (counts.length !== vs.length) {
          throw new AwsError('InvalidParameterValue', `The parameters ${p}.Values and ${p}.Counts must be of the same size.`);
        }
        cs = counts;
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
