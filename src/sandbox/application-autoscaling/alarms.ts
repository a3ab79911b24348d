/**
 * How target tracking policies create, delete and read their CloudWatch alarms: through CloudWatch's
 * own API handlers (PutMetricAlarm / DeleteAlarms, called with a RequestContext built for the
 * region), so they are ordinary CloudWatch alarms of the same sandbox that DescribeAlarms lists and
 * whose actions fire the policy.
 */
import type { Engine } from '../engine/engine';
import type { RegionState } from '../engine/state';
import { cloudwatchService, cloudwatchState } from '../cloudwatch';
import { alarmArn } from '../cloudwatch/model';
import type { RequestContext } from '../service';

export interface AlarmSpec {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Statistic: 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  AlarmActions: string[];
  Unit?: string;
}

/** What the scaling code needs of the region, with or without a request. */
export interface AlarmScope {
  engine: Engine;
  rs: RegionState;
  now: number;
}

const requestContext = (scope: AlarmScope): RequestContext => ({
  region: scope.rs.region,
  accountId: scope.engine.world.accountId,
  world: scope.engine.world,
  state: scope.rs,
  engine: scope.engine,
  now: scope.now,
  requestId: 'application-autoscaling',
});

/** Creates or replaces the alarm; returns its ARN. */
export function putAlarm(scope: AlarmScope, spec: AlarmSpec): string {
  cloudwatchService.operations.PutMetricAlarm(requestContext(scope), JSON.parse(JSON.stringify(spec)));
  return alarmArn(scope.rs.region, scope.engine.world.accountId, spec.AlarmName);
}

/** Deletes those of the alarms that exist. */
export function deleteAlarms(scope: AlarmScope, names: string[]): void {
  const existing = names.filter((n) => cloudwatchState(scope.rs).alarms[n]);
  if (existing.length > 0) cloudwatchService.operations.DeleteAlarms(requestContext(scope), { AlarmNames: existing });
}

/** OK | ALARM | INSUFFICIENT_DATA, or undefined when there is no such alarm. */
export const alarmState = (scope: AlarmScope, name: string): string | undefined => cloudwatchState(scope.rs).alarms[name]?.StateValue;
