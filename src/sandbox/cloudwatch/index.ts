/**
 * Amazon CloudWatch in the sandbox: metrics the sandbox's services publish (metrics.ts), custom
 * metrics (PutMetricData), metric alarms evaluated on the sandbox clock (alarms.ts) whose actions
 * reach Application / EC2 Auto Scaling through actions.ts.
 *
 * Protocol: the current SDK speaks awsJson1_0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`,
 * query-compatible errors); older clients such as the AWS CLI 2.9 speak awsQuery
 * (`Version=2010-08-01`). One definition answers both.
 *
 * In a sandbox it is the plug-in `cloudwatchPlugin` (plugin.ts): its tick samples and evaluates
 * every region after the engine's, reading the ALB counters and running alarm actions through its
 * own sandbox (`PluginHost.albMetrics`, `PluginHost.invokeAlarmAction`).
 */
import type * as CloudWatchApi from '@aws-sdk/client-cloudwatch';
import type { TickContext } from '../plugin';
import { noAlarmActions, type AlarmActionDispatch } from './actions';
import { CLOUDWATCH, defineService } from '../kit';
import {
  deleteAlarms,
  describeAlarmHistory,
  describeAlarms,
  describeAlarmsForMetric,
  disableAlarmActions,
  enableAlarmActions,
  listTagsForResource,
  putMetricAlarm,
  setAlarmState,
  tagResource,
  untagResource,
} from './alarm-handlers';
import { evaluateAlarms } from './alarms';
import { deleteDashboards, getDashboard, listDashboards, putDashboard } from './dashboards';
import { sampleRegion, type MetricSources } from './metrics';
import { cloudwatchState } from './model';
import { getMetricData, getMetricStatistics, listMetrics, putMetricData } from './metric-handlers';

export const cloudwatchService = defineService<typeof CloudWatchApi>(
  {
    signingName: 'monitoring',
    protocol: 'awsJson1_0',
    targetPrefix: 'GraniteServiceVersion20100801',
    version: '2010-08-01',
    xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    errorMessageKey: 'message',
    queryCompatible: true,
    dialect: CLOUDWATCH,
  },
  {
    GetMetricStatistics: getMetricStatistics,
    GetMetricData: getMetricData,
    ListMetrics: listMetrics,
    PutMetricData: putMetricData,
    PutMetricAlarm: putMetricAlarm,
    DescribeAlarms: describeAlarms,
    DescribeAlarmsForMetric: describeAlarmsForMetric,
    DeleteAlarms: deleteAlarms,
    DescribeAlarmHistory: describeAlarmHistory,
    SetAlarmState: setAlarmState,
    EnableAlarmActions: enableAlarmActions,
    DisableAlarmActions: disableAlarmActions,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
    PutDashboard: putDashboard,
    GetDashboard: getDashboard,
    ListDashboards: listDashboards,
    DeleteDashboards: deleteDashboards,
  },
);

/**
 * One region's CloudWatch work for a tick: sample metrics (closing a period at each minute), then
 * evaluate alarms and run their actions through `invoke`.
 */
export function cloudwatchTick(ctx: TickContext, sources: MetricSources = {}, invoke: AlarmActionDispatch = noAlarmActions): void {
  const boundary = isMinuteBoundary(ctx);
  let closed = false;
  let failed: { error: unknown } | undefined;
  try {
    closed = sampleRegion(ctx, sources);
  } catch (e) {
    failed = { error: e };
  }
  // Alarms are evaluated even if sampling failed (custom metrics, SetAlarmState actions).
  evaluateAlarms(ctx, invoke, cloudwatchState(ctx.rs), closed || (failed !== undefined && boundary));
  if (failed) throw failed.error;
}

/** The last minute ticked, by region state (so by sandbox: each has its own region objects). */
const lastMinute = new WeakMap<object, number>();
/** Whether a minute boundary passed since the last tick of this region (fallback when sampling failed). */
function isMinuteBoundary(ctx: TickContext): boolean {
  const m = Math.floor(ctx.now / 60_000);
  const prev = lastMinute.get(ctx.rs);
  lastMinute.set(ctx.rs, m);
  return prev !== undefined && m > prev;
}

export { cloudwatchState } from './model';
export type { MetricSources } from './metrics';
export { defaultAsgMembers, PERIOD_MS } from './metrics';
export { putPoint, pointOf } from './store';
