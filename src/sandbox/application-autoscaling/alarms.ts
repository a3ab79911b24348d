/**
 * How target tracking policies create, delete and read their CloudWatch alarms. By default through
 * CloudWatch's own API handlers (PutMetricAlarm / DeleteAlarms, called with a RequestContext built
 * for the region), so they are ordinary CloudWatch alarms that DescribeAlarms lists and whose
 * actions fire the policy. `setAlarmBackend` replaces it (tests).
 */
import type { Engine } from '../engine/engine';
import type { RegionState } from '../engine/state';
import { cloudwatchService, cloudwatchState } from '../cloudwatch';
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

export interface AlarmBackend {
  /** Creates or replaces the alarm; returns its ARN. */
  put(scope: AlarmScope, spec: AlarmSpec): string;
  delete(scope: AlarmScope, names: string[]): void;
  /** OK | ALARM | INSUFFICIENT_DATA, or undefined when unknown. */
  state(scope: AlarmScope, name: string): string | undefined;
}

export const alarmArn = (region: string, account: string, name: string): string => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;

const requestContext = (scope: AlarmScope): RequestContext => ({
  region: scope.rs.region,
  accountId: scope.engine.world.accountId,
  world: scope.engine.world,
  state: scope.rs,
  engine: scope.engine,
  now: scope.now,
  requestId: 'application-autoscaling',
});

/** Through CloudWatch's own PutMetricAlarm / DeleteAlarms handlers; state read from CloudWatch's state. */
export const defaultAlarmBackend: AlarmBackend = {
  put(scope, spec) {
    cloudwatchService.operations.PutMetricAlarm(requestContext(scope), JSON.parse(JSON.stringify(spec)));
    return alarmArn(scope.rs.region, scope.engine.world.accountId, spec.AlarmName);
  },
  delete(scope, names) {
    const existing = names.filter((n) => cloudwatchState(scope.rs).alarms[n]);
    if (existing.length > 0) cloudwatchService.operations.DeleteAlarms(requestContext(scope), { AlarmNames: existing });
  },
  state(scope, name) {
    return cloudwatchState(scope.rs).alarms[name]?.StateValue;
  },
};

let backend: AlarmBackend = defaultAlarmBackend;

export const alarmBackend = (): AlarmBackend => backend;

/** Replaces how alarms are created / deleted / read (undefined restores the default). */
export function setAlarmBackend(b: AlarmBackend | undefined): void {
  backend = b ?? defaultAlarmBackend;
}
