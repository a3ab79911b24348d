/**
 * PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, DescribeAlarmHistory,
 * SetAlarmState, Enable/DisableAlarmActions, TagResource, UntagResource, ListTagsForResource.
 */
import { AwsError } from '../protocol/errors';
import { own, put } from '../records';
import { xmlDate, type Handler, type RequestContext } from '../service';
import { COMPARISONS, pushHistory, changeState, TREAT_MISSING } from './alarms';
import { alarmArn, cloudwatchState, seriesKey, sortDimensions, type Alarm, type CloudWatchState } from './model';
import { decodeToken, dimensions, encodeToken, optBool, optInt, optList, optNum, optStr, optTime, reqStr, strList, UNITS, validation } from './input';
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

function actionList(input: Record<string, unknown>, key: string): string[] {
  const l = strList(input, key) ?? [];
  if (l.length > 5) throw validation(lcFirst(key), `[${l.join(', ')}]`, 'Member must have length less than or equal to 5');
  for (const arn of l) {
    if (!/^arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:.+/.test(arn) && !/^arn:aws:automate:/.test(arn)) {
      throw new AwsError('ValidationError', `Invalid arn syntax: ${arn.slice(0, 300)}`);
    }
  }
  return [...new Set(l)];
}

const lcFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const putMetricAlarm: Handler = (ctx, input) => {
  const name = reqStr(input, 'AlarmName', { min: 1, max: 255 });
  const evaluationPeriods = optInt(input, 'EvaluationPeriods', 1);
  if (evaluationPeriods === undefined) throw validation('evaluationPeriods', undefined, 'Member must not be null');
  const comparison = reqStr(input, 'ComparisonOperator', { enum: ALL_COMPARISONS });
  if (!COMPARISONS[comparison]) {
    throw new AwsError('ValidationError', `Comparison operator ${comparison} is only valid for anomaly detection alarms, which the sandbox does not support.`);
  }
  if (input.Metrics !== undefined && input.Metrics !== '') {
    throw new AwsError('ValidationError', 'Alarms on metric math (Metrics) are not supported by the ECS Hands-on sandbox; use MetricName, Namespace, Statistic and Dimensions.');
  }
  const metricName = optStr(input, 'MetricName', { min: 1, max: 255 });
  const namespace = optStr(input, 'Namespace', { min: 1, max: 255 });
  if (!metricName || !namespace) throw new AwsError('ValidationError', 'Namespace and MetricName must be specified for an alarm on a single metric.');
  const statistic = optStr(input, 'Statistic', { enum: STATISTICS });
  const extended = optStr(input, 'ExtendedStatistic');
  if (statistic && extended) throw new AwsError('ValidationError', 'Statistic and ExtendedStatistic are mutually exclusive; specify only one.');
  if (!statistic && !extended) throw new AwsError('ValidationError', 'Either Statistic or ExtendedStatistic must be specified.');
  if (extended && !isPercentile(extended)) throw new AwsError('ValidationError', `The value ${extended} for parameter ExtendedStatistic is invalid.`);
  const period = optInt(input, 'Period', 1);
  if (period === undefined) throw new AwsError('ValidationError', 'Period must be specified for an alarm on a single metric.');
  if (!(period === 10 || period === 30 || period % 60 === 0)) throw new AwsError('ValidationError', `Period (${period}) must be 10, 30 or a multiple of 60.`);
  if (period * evaluationPeriods > 86_400 * 7) {
    throw new AwsError('ValidationError', 'The evaluation period multiplied by the number of evaluation periods must not exceed 7 days.');
  }
  const datapointsToAlarm = optInt(input, 'DatapointsToAlarm', 1);
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods) {
    throw new AwsError('ValidationError', `DatapointsToAlarm (${datapointsToAlarm}) must be less than or equal to EvaluationPeriods (${evaluationPeriods}).`);
  }
  const threshold = optNum(input, 'Threshold');
  if (threshold === undefined) throw new AwsError('ValidationError', 'Threshold must be specified for an alarm on a single metric.');
  const treat = optStr(input, 'TreatMissingData', { min: 1, max: 255 });
  if (treat !== undefined && !TREAT_MISSING.includes(treat)) {
    throw new AwsError('ValidationError', `The value ${treat} for parameter TreatMissingData is invalid. Valid values: ${TREAT_MISSING.join(', ')}.`);
  }
  const lowSample = optStr(input, 'EvaluateLowSampleCountPercentile', { min: 1, max: 255 });
  const unit = optStr(input, 'Unit', { enum: UNITS });
  const description = optStr(input, 'AlarmDescription', { min: 0, max: 1024 });
  const dims = sortDimensions(dimensions(input.Dimensions));
  const alarmActions = actionList(input, 'AlarmActions');
  const okActions = actionList(input, 'OKActions');
  const insufficientActions = actionList(input, 'InsufficientDataActions');
  const actionsEnabled = optBool(input, 'ActionsEnabled') ?? true;
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

function tagList(v: unknown): { Key: string; Value: string }[] {
  if (v === undefined || v === null || v === '') return [];
  if (!Array.isArray(v)) throw validation('tags', v, 'Member must be a list');
  return (v as Record<string, unknown>[]).map((t, i) => ({
    Key: reqStr(t ?? {}, 'Key', { min: 1, max: 128, member: `tags.${i + 1}.member.key` }),
    Value: reqStr(t ?? {}, 'Value', { min: 0, max: 256, member: `tags.${i + 1}.member.value` }),
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

function alarmTypesAllowMetric(input: Record<string, unknown>): { metric: boolean; composite: boolean } {
  const types = strList(input, 'AlarmTypes');
  if (!types) return { metric: true, composite: false };
  for (const t of types) if (t !== 'MetricAlarm' && t !== 'CompositeAlarm') throw validation('alarmTypes', t, 'Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]');
  return { metric: types.includes('MetricAlarm'), composite: types.includes('CompositeAlarm') };
}

const describeAlarms: Handler = (ctx, input) => {
  const names = strList(input, 'AlarmNames', 100);
  const prefix = optStr(input, 'AlarmNamePrefix', { min: 1, max: 255 });
  if (names && names.length && prefix) {
    throw new AwsError('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames cannot both be specified.');
  }
  const state = optStr(input, 'StateValue', { enum: STATES });
  const actionPrefix = optStr(input, 'ActionPrefix', { min: 1, max: 1024 });
  const max = optInt(input, 'MaxRecords', 1, 100) ?? 50;
  const after = decodeToken(optStr(input, 'NextToken'));
  const types = alarmTypesAllowMetric(input);
  if (optStr(input, 'ChildrenOfAlarmName') || optStr(input, 'ParentsOfAlarmName')) {
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
  const from = after === undefined ? all : all.filter((a) => a.AlarmName > after);
  const page = from.slice(0, max);
  return {
    MetricAlarms: page.map(alarmOutput),
    ...(types.composite ? { CompositeAlarms: [] } : {}),
    ...(from.length > max ? { NextToken: encodeToken(page[page.length - 1].AlarmName) } : {}),
  };
};

const describeAlarmsForMetric: Handler = (ctx, input) => {
  const metricName = reqStr(input, 'MetricName', { min: 1, max: 255 });
  const namespace = reqStr(input, 'Namespace', { min: 1, max: 255 });
  const statistic = optStr(input, 'Statistic', { enum: STATISTICS });
  const extended = optStr(input, 'ExtendedStatistic');
  const period = optInt(input, 'Period', 1);
  const unit = optStr(input, 'Unit', { enum: UNITS });
  const dimsGiven = input.Dimensions !== undefined && input.Dimensions !== null;
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

const deleteAlarms: Handler = (ctx, input) => {
  const names = strList(input, 'AlarmNames', 100);
  if (!names) throw validation('alarmNames', undefined, 'Member must not be null');
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

const describeAlarmHistory: Handler = (ctx, input) => {
  const name = optStr(input, 'AlarmName', { min: 1, max: 255 });
  const type = optStr(input, 'HistoryItemType', { enum: ['ConfigurationUpdate', 'StateUpdate', 'Action'] });
  const start = optTime(input, 'StartDate');
  const end = optTime(input, 'EndDate');
  const max = optInt(input, 'MaxRecords', 1, 100) ?? 100;
  const scanBy = optStr(input, 'ScanBy', { enum: ['TimestampDescending', 'TimestampAscending'] }) ?? 'TimestampDescending';
  const types = alarmTypesAllowMetric(input);
  const token = decodeToken(optStr(input, 'NextToken'));
  const skip = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(skip) || skip < 0) throw new AwsError('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken: The NextToken is invalid.');
  const cw = cloudwatchState(ctx.state);
  const items = (types.metric ? cw.history : [])
    .filter((h) => !name || h.AlarmName === name)
    .filter((h) => !type || h.HistoryItemType === type)
    .filter((h) => start === undefined || h.Timestamp >= start)
    .filter((h) => end === undefined || h.Timestamp <= end);
  const ordered = scanBy === 'TimestampAscending' ? items : [...items].reverse();
  const page = ordered.slice(skip, skip + max);
  return {
    AlarmHistoryItems: page.map((h) => ({ ...h, Timestamp: xmlDate(h.Timestamp) })),
    ...(ordered.length > skip + max ? { NextToken: encodeToken(String(skip + max)) } : {}),
  };
};

const setAlarmState: Handler = (ctx, input) => {
  const name = reqStr(input, 'AlarmName', { min: 1, max: 255 });
  const state = reqStr(input, 'StateValue', { enum: STATES }) as Alarm['StateValue'];
  const reason = reqStr(input, 'StateReason', { min: 0, max: 1023 });
  const data = optStr(input, 'StateReasonData', { min: 0, max: 4000 });
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

const setActions = (enabled: boolean): Handler => (ctx, input) => {
  const names = strList(input, 'AlarmNames', 100);
  if (!names) throw validation('alarmNames', undefined, 'Member must not be null');
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

const resourceArn = (ctx: RequestContext, input: Record<string, unknown>): { cw: CloudWatchState; arn: string } => {
  const arn = reqStr(input, 'ResourceARN', { min: 1, max: 1024, member: 'resourceARN' });
  const cw = cloudwatchState(ctx.state);
  if (!alarmByArn(cw, arn)) throw new AwsError('ResourceNotFoundException', `${arn} was not found.`, 404);
  return { cw, arn };
};

const tagResource: Handler = (ctx, input) => {
  const { cw, arn } = resourceArn(ctx, input);
  if (input.Tags === undefined) throw validation('tags', undefined, 'Member must not be null');
  mergeTags(cw, arn, tagList(input.Tags));
  return {};
};

const untagResource: Handler = (ctx, input) => {
  const { cw, arn } = resourceArn(ctx, input);
  const keys = optList(input, 'TagKeys');
  if (!keys) throw validation('tagKeys', undefined, 'Member must not be null');
  cw.tags[arn] = (cw.tags[arn] ?? []).filter((t) => !keys.includes(t.Key));
  return {};
};

const listTagsForResource: Handler = (ctx, input) => {
  const { cw, arn } = resourceArn(ctx, input);
  return { Tags: (cw.tags[arn] ?? []).map((t) => ({ ...t })) };
};

export const alarmOperations: Record<string, Handler> = {
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DescribeAlarmsForMetric: describeAlarmsForMetric,
  DeleteAlarms: deleteAlarms,
  DescribeAlarmHistory: describeAlarmHistory,
  SetAlarmState: setAlarmState,
  EnableAlarmActions: setActions(true),
  DisableAlarmActions: setActions(false),
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
