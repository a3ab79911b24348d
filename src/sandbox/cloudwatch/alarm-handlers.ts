/**
 * PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, DescribeAlarmHistory,
 * SetAlarmState, Enable/DisableAlarmActions, TagResource, UntagResource, ListTagsForResource.
 */
import type {
  DeleteAlarmsCommandInput,
  DescribeAlarmHistoryCommandInput,
  DescribeAlarmsCommandInput,
  DescribeAlarmsForMetricCommandInput,
  DisableAlarmActionsCommandInput,
  ListTagsForResourceCommandInput,
  PutMetricAlarmCommandInput,
  SetAlarmStateCommandInput,
  Tag,
  TagResourceCommandInput,
  UntagResourceCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH, cloudwatchFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own, put } from '../records';
import { xmlDate, type RequestContext } from '../service';
import { COMPARISONS, pushHistory, changeState, TREAT_MISSING } from './alarms';
import { dimensions, UNITS } from './request';
import { alarmArn, cloudwatchState, seriesKey, sortDimensions, type Alarm, type CloudWatchState } from './model';
import { isPercentile, STATISTICS } from './store';

/** CloudWatch's per-Region alarm quota (tests may lower it). */
export const limits = { maxAlarms: 5000 };
const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
const ALL_COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];

/** MetricAlarm in the API's shape. */
export function alarmOutput(a: Alarm): Record<string, unknown> {
  return {
    AlarmName: a.AlarmName,
    AlarmArn: a.AlarmArn,
    ...(a.AlarmDescription !== undefined ? { AlarmDescription: a.AlarmDescription } : {}),
    AlarmConfigurationUpdatedTimestamp: xmlDate(a.AlarmConfigurationUpdatedTimestamp),
    ActionsEnabled: a.ActionsEnabled,
    OKActions: [...a.OKActions],
    AlarmActions: [...a.AlarmActions],
    InsufficientDataActions: [...a.InsufficientDataActions],
    StateValue: a.StateValue,
    StateReason: a.StateReason,
    ...(a.StateReasonData ? { StateReasonData: a.StateReasonData } : {}),
    StateUpdatedTimestamp: xmlDate(a.StateUpdatedTimestamp),
    MetricName: a.MetricName,
    Namespace: a.Namespace,
    ...(a.Statistic ? { Statistic: a.Statistic } : {}),
    ...(a.ExtendedStatistic ? { ExtendedStatistic: a.ExtendedStatistic } : {}),
    Dimensions: a.Dimensions.map((d) => ({ ...d })),
    Period: a.Period,
    ...(a.Unit ? { Unit: a.Unit } : {}),
    EvaluationPeriods: a.EvaluationPeriods,
    ...(a.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: a.DatapointsToAlarm } : {}),
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    ...(a.TreatMissingData ? { TreatMissingData: a.TreatMissingData } : {}),
    ...(a.EvaluateLowSampleCountPercentile ? { EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile } : {}),
    StateTransitionedTimestamp: xmlDate(a.StateTransitionedTimestamp),
  };
}

function actionList(list: string[] | undefined, key: string): string[] {
  const l = f.strings(list, key, { max: 5 }) ?? [];
  for (const arn of l) {
    if (!/^arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:.+/.test(arn) && !/^arn:aws:automate:/.test(arn)) {
      throw new AwsError('ValidationError', `Invalid arn syntax: ${arn.slice(0, 300)}`);
    }
  }
  return [...new Set(l)];
}

export const putMetricAlarm: Operation<PutMetricAlarmCommandInput> = (ctx, input) => {
  const name = f.str(input.AlarmName, 'AlarmName', { required: true, min: 1, max: 255 });
  const evaluationPeriods = f.int(input.EvaluationPeriods, 'EvaluationPeriods', { required: true, min: 1 });
  const comparison = f.oneOf(input.ComparisonOperator, 'ComparisonOperator', ALL_COMPARISONS, { required: true });
  if (!COMPARISONS[comparison]) {
    throw new AwsError('ValidationError', `Comparison operator ${comparison} is only valid for anomaly detection alarms, which the sandbox does not support.`);
  }
  if (input.Metrics !== undefined) {
    throw new AwsError('ValidationError', 'Alarms on metric math (Metrics) are not supported by the ECS Hands-on sandbox; use MetricName, Namespace, Statistic and Dimensions.');
  }
  const metricName = f.str(input.MetricName, 'MetricName', { min: 1, max: 255 });
  const namespace = f.str(input.Namespace, 'Namespace', { min: 1, max: 255 });
  if (!metricName || !namespace) throw new AwsError('ValidationError', 'Namespace and MetricName must be specified for an alarm on a single metric.');
  const statistic = f.oneOf(input.Statistic, 'Statistic', STATISTICS);
  const extended = input.ExtendedStatistic;
  if (statistic && extended) throw new AwsError('ValidationError', 'Statistic and ExtendedStatistic are mutually exclusive; specify only one.');
  if (!statistic && !extended) throw new AwsError('ValidationError', 'Either Statistic or ExtendedStatistic must be specified.');
  if (extended && !isPercentile(extended)) throw new AwsError('ValidationError', `The value ${extended} for parameter ExtendedStatistic is invalid.`);
  const period = f.int(input.Period, 'Period', { min: 1 });
  if (period === undefined) throw new AwsError('ValidationError', 'Period must be specified for an alarm on a single metric.');
  if (!(period === 10 || period === 30 || period % 60 === 0)) throw new AwsError('ValidationError', `Period (${period}) must be 10, 30 or a multiple of 60.`);
  if (period * evaluationPeriods > 86_400 * 7) {
    throw new AwsError('ValidationError', 'The evaluation period multiplied by the number of evaluation periods must not exceed 7 days.');
  }
  const datapointsToAlarm = f.int(input.DatapointsToAlarm, 'DatapointsToAlarm', { min: 1 });
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods) {
    throw new AwsError('ValidationError', `DatapointsToAlarm (${datapointsToAlarm}) must be less than or equal to EvaluationPeriods (${evaluationPeriods}).`);
  }
  const threshold = input.Threshold;
  if (threshold === undefined) throw new AwsError('ValidationError', 'Threshold must be specified for an alarm on a single metric.');
  const treat = f.str(input.TreatMissingData, 'TreatMissingData', { min: 1, max: 255 });
  if (treat !== undefined && !TREAT_MISSING.includes(treat)) {
    throw new AwsError('ValidationError', `The value ${treat} for parameter TreatMissingData is invalid. Valid values: ${TREAT_MISSING.join(', ')}.`);
  }
  const lowSample = f.str(input.EvaluateLowSampleCountPercentile, 'EvaluateLowSampleCountPercentile', { min: 1, max: 255 });
  const unit = f.oneOf(input.Unit, 'Unit', UNITS);
  const description = f.str(input.AlarmDescription, 'AlarmDescription', { min: 0, max: 1024 });
  const dims = sortDimensions(dimensions(input.Dimensions));
  const alarmActions = actionList(input.AlarmActions, 'AlarmActions');
  const okActions = actionList(input.OKActions, 'OKActions');
  const insufficientActions = actionList(input.InsufficientDataActions, 'InsufficientDataActions');
  const actionsEnabled = input.ActionsEnabled ?? true;
  const tags = tagList(input.Tags);

  const cw = cloudwatchState(ctx.state);
  const existing = own(cw.alarms, name);
  if (!existing && Object.keys(cw.alarms).length >= limits.maxAlarms) {
    throw new AwsError('LimitExceeded', `The maximum number of alarms (${limits.maxAlarms}) for this account in this Region has been reached.`);
  }
  const arn = alarmArn(ctx.region, ctx.accountId, name);
  const alarm: Alarm = {
    AlarmName: name,
    AlarmArn: arn,
    ...(description !== undefined ? { AlarmDescription: description } : {}),
    AlarmConfigurationUpdatedTimestamp: ctx.now,
    ActionsEnabled: actionsEnabled,
    OKActions: okActions,
    AlarmActions: alarmActions,
    InsufficientDataActions: insufficientActions,
    // An update keeps the state; a new alarm starts in INSUFFICIENT_DATA.
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
    ...(existing?.StateReasonData ? { StateReasonData: existing.StateReasonData } : {}),
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? ctx.now,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? ctx.now,
    MetricName: metricName,
    Namespace: namespace,
    ...(statistic ? { Statistic: statistic } : { ExtendedStatistic: extended }),
    Dimensions: dims,
    Period: period,
    ...(unit ? { Unit: unit } : {}),
    EvaluationPeriods: evaluationPeriods,
    ...(datapointsToAlarm !== undefined ? { DatapointsToAlarm: datapointsToAlarm } : {}),
    Threshold: threshold,
    ComparisonOperator: comparison,
    ...(treat ? { TreatMissingData: treat } : {}),
    ...(lowSample ? { EvaluateLowSampleCountPercentile: lowSample } : {}),
    evaluateNow: true,
  };
  put(cw.alarms, name, alarm);
  if (tags.length) mergeTags(cw, arn, tags);
  pushHistory(cw, {
    AlarmName: name,
    Timestamp: ctx.now,
    HistoryItemType: 'ConfigurationUpdate',
    HistorySummary: existing ? `Alarm "${name}" updated` : `Alarm "${name}" created`,
    HistoryData: JSON.stringify({
      version: '1.0',
      type: existing ? 'Update' : 'Create',
      ...(existing ? { originalConfiguration: configOf(existing) } : {}),
      updatedAlarm: configOf(alarm),
    }),
  });
  return {};
};

function configOf(a: Alarm): Record<string, unknown> {
  return {
    description: a.AlarmDescription,
    metricName: a.MetricName,
    namespace: a.Namespace,
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    dimensions: a.Dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    period: a.Period,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator,
    treatMissingData: a.TreatMissingData,
    actionsEnabled: a.ActionsEnabled,
    alarmActions: a.AlarmActions,
    okActions: a.OKActions,
    insufficientDataActions: a.InsufficientDataActions,
  };
}

function tagList(v: Tag[] | undefined): { Key: string; Value: string }[] {
  return (v ?? []).map((t, i) => ({
    Key: f.str(t.Key, ['Tags', i, 'Key'], { required: true, min: 1, max: 128 }),
    Value: f.str(t.Value, ['Tags', i, 'Value'], { required: true, min: 0, max: 256 }),
  }));
}

function mergeTags(cw: CloudWatchState, arn: string, tags: { Key: string; Value: string }[]): void {
  const list = (cw.tags[arn] ??= []);
  for (const t of tags) {
    const e = list.find((x) => x.Key === t.Key);
    if (e) e.Value = t.Value;
    else list.push({ ...t });
  }
  if (list.length > 50) throw new AwsError('LimitExceeded', 'A resource can have at most 50 tags.');
}

function alarmTypesAllowMetric(list: string[] | undefined): { metric: boolean; composite: boolean } {
  const types = list?.map((t, i) => f.oneOf(t, ['AlarmTypes', i], ['CompositeAlarm', 'MetricAlarm'] as const));
  if (!types) return { metric: true, composite: false };
  return { metric: types.includes('MetricAlarm'), composite: types.includes('CompositeAlarm') };
}

export const describeAlarms: Operation<DescribeAlarmsCommandInput> = (ctx, input) => {
  const names = f.strings(input.AlarmNames, 'AlarmNames', { max: 100 });
  const prefix = f.str(input.AlarmNamePrefix, 'AlarmNamePrefix', { min: 1, max: 255 });
  if (names && names.length && prefix) {
    throw new AwsError('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames cannot both be specified.');
  }
  const state = f.oneOf(input.StateValue, 'StateValue', STATES);
  const actionPrefix = f.str(input.ActionPrefix, 'ActionPrefix', { min: 1, max: 1024 });
  const size = f.int(input.MaxRecords, 'MaxRecords', { min: 1, max: 100 }) ?? 50;
  const types = alarmTypesAllowMetric(input.AlarmTypes);
  if (input.ChildrenOfAlarmName || input.ParentsOfAlarmName) {
    // Composite alarms do not exist in the sandbox: nothing is related.
    return { MetricAlarms: [], ...(types.composite ? { CompositeAlarms: [] } : {}) };
  }
  const cw = cloudwatchState(ctx.state);
  const all = types.metric
    ? Object.values(cw.alarms)
        .filter((a) => (!names || names.length === 0 || names.includes(a.AlarmName)))
        .filter((a) => !prefix || a.AlarmName.startsWith(prefix))
        .filter((a) => !state || a.StateValue === state)
        .filter((a) => !actionPrefix || [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((x) => x.startsWith(actionPrefix)))
        .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0))
    : [];
  const { page, next } = paginate(all, { op: 'DescribeAlarms', size, token: input.NextToken, key: (a) => a.AlarmName }, CLOUDWATCH);
  return {
    MetricAlarms: page.map(alarmOutput),
    ...(types.composite ? { CompositeAlarms: [] } : {}),
    ...(next ? { NextToken: next } : {}),
  };
};

export const describeAlarmsForMetric: Operation<DescribeAlarmsForMetricCommandInput> = (ctx, input) => {
  const metricName = f.str(input.MetricName, 'MetricName', { required: true, min: 1, max: 255 });
  const namespace = f.str(input.Namespace, 'Namespace', { required: true, min: 1, max: 255 });
  const statistic = f.oneOf(input.Statistic, 'Statistic', STATISTICS);
  const extended = input.ExtendedStatistic;
  const period = f.int(input.Period, 'Period', { min: 1 });
  const unit = f.oneOf(input.Unit, 'Unit', UNITS);
  const dimsGiven = input.Dimensions !== undefined;
  const key = seriesKey(namespace, metricName, dimensions(input.Dimensions));
  const cw = cloudwatchState(ctx.state);
  const alarms = Object.values(cw.alarms)
    .filter((a) => a.MetricName === metricName && a.Namespace === namespace)
    .filter((a) => !dimsGiven || seriesKey(a.Namespace, a.MetricName, a.Dimensions) === key)
    .filter((a) => !statistic || a.Statistic === statistic)
    .filter((a) => !extended || a.ExtendedStatistic === extended)
    .filter((a) => period === undefined || a.Period === period)
    .filter((a) => !unit || a.Unit === unit)
    .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : 1));
  return { MetricAlarms: alarms.map(alarmOutput) };
};

export const deleteAlarms: Operation<DeleteAlarmsCommandInput> = (ctx, input) => {
  const names = f.strings(input.AlarmNames, 'AlarmNames', { required: true, max: 100 });
  const cw = cloudwatchState(ctx.state);
  const unknown = names.filter((n) => !own(cw.alarms, n));
  if (unknown.length) throw new AwsError('ResourceNotFound', `${unknown.length === 1 ? 'Alarm' : 'Alarms'} ${unknown.join(', ')} ${unknown.length === 1 ? 'does' : 'do'} not exist.`, 404);
  for (const n of new Set(names)) {
    const a = own(cw.alarms, n)!;
    delete cw.alarms[n];
    delete cw.tags[a.AlarmArn];
    pushHistory(cw, {
      AlarmName: n,
      Timestamp: ctx.now,
      HistoryItemType: 'ConfigurationUpdate',
      HistorySummary: `Alarm "${n}" deleted`,
      HistoryData: JSON.stringify({ version: '1.0', type: 'Delete', originalConfiguration: configOf(a) }),
    });
  }
  return {};
};

export const describeAlarmHistory: Operation<DescribeAlarmHistoryCommandInput> = (ctx, input) => {
  const name = f.str(input.AlarmName, 'AlarmName', { min: 1, max: 255 });
  const type = f.oneOf(input.HistoryItemType, 'HistoryItemType', ['ConfigurationUpdate', 'StateUpdate', 'Action'] as const);
  const start = input.StartDate?.getTime();
  const end = input.EndDate?.getTime();
  const size = f.int(input.MaxRecords, 'MaxRecords', { min: 1, max: 100 }) ?? 100;
  const scanBy = f.oneOf(input.ScanBy, 'ScanBy', ['TimestampDescending', 'TimestampAscending'] as const) ?? 'TimestampDescending';
  const types = alarmTypesAllowMetric(input.AlarmTypes);
  const cw = cloudwatchState(ctx.state);
  const items = (types.metric ? cw.history : [])
    .filter((h) => !name || h.AlarmName === name)
    .filter((h) => !type || h.HistoryItemType === type)
    .filter((h) => start === undefined || h.Timestamp >= start)
    .filter((h) => end === undefined || h.Timestamp <= end);
  const ordered = scanBy === 'TimestampAscending' ? items : [...items].reverse();
  const { page, next } = paginate(ordered, { op: `DescribeAlarmHistory/${scanBy}`, size, token: input.NextToken }, CLOUDWATCH);
  return {
    AlarmHistoryItems: page.map((h) => ({ ...h, Timestamp: xmlDate(h.Timestamp) })),
    ...(next ? { NextToken: next } : {}),
  };
};

export const setAlarmState: Operation<SetAlarmStateCommandInput> = (ctx, input) => {
  const name = f.str(input.AlarmName, 'AlarmName', { required: true, min: 1, max: 255 });
  const state = f.oneOf(input.StateValue, 'StateValue', STATES, { required: true });
  const reason = f.str(input.StateReason, 'StateReason', { required: true, min: 0, max: 1023 });
  const data = f.str(input.StateReasonData, 'StateReasonData', { min: 0, max: 4000 });
  if (data !== undefined) {
    try {
      JSON.parse(data);
    } catch {
      throw new AwsError('InvalidFormat', 'The value of StateReasonData must be valid JSON.');
    }
  }
  const cw = cloudwatchState(ctx.state);
  const alarm = own(cw.alarms, name);
  if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);
  if (changeState(cw, alarm, state, reason, data, ctx.now)) cw.pending.push({ alarmName: name, state });
  return {};
};

const setActions =
  (enabled: boolean): Operation<DisableAlarmActionsCommandInput> =>
  (ctx, input) => {
    const names = f.strings(input.AlarmNames, 'AlarmNames', { required: true, max: 100 });
    const cw = cloudwatchState(ctx.state);
    for (const n of names) {
      const a = own(cw.alarms, n);
      if (!a || a.ActionsEnabled === enabled) continue;
      a.ActionsEnabled = enabled;
      a.AlarmConfigurationUpdatedTimestamp = ctx.now;
    }
    return {};
  };

function alarmByArn(cw: CloudWatchState, arn: string): Alarm | undefined {
  const name = /^arn:aws[\w-]*:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(arn)?.[1];
  const a = name !== undefined ? own(cw.alarms, name) : undefined;
  return a && a.AlarmArn === arn ? a : undefined;
}

const resourceArn = (ctx: RequestContext, given: string | undefined): { cw: CloudWatchState; arn: string } => {
  const arn = f.str(given, 'ResourceARN', { required: true, min: 1, max: 1024 });
  const cw = cloudwatchState(ctx.state);
  if (!alarmByArn(cw, arn)) throw new AwsError('ResourceNotFoundException', `${arn} was not found.`, 404);
  return { cw, arn };
};

export const tagResource: Operation<TagResourceCommandInput> = (ctx, input) => {
  const { cw, arn } = resourceArn(ctx, input.ResourceARN);
  mergeTags(cw, arn, tagList(f.need(input.Tags, 'Tags')));
  return {};
};

export const untagResource: Operation<UntagResourceCommandInput> = (ctx, input) => {
  const { cw, arn } = resourceArn(ctx, input.ResourceARN);
  const keys = f.need(input.TagKeys, 'TagKeys');
  cw.tags[arn] = (cw.tags[arn] ?? []).filter((t) => !keys.includes(t.Key));
  return {};
};

export const listTagsForResource: Operation<ListTagsForResourceCommandInput> = (ctx, input) => {
  const { cw, arn } = resourceArn(ctx, input.ResourceARN);
  return { Tags: (cw.tags[arn] ?? []).map((t) => ({ ...t })) };
};

export const enableAlarmActions = setActions(true);
export const disableAlarmActions = setActions(false);
