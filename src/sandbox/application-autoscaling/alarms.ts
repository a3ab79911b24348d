/**
 * How target tracking policies create, delete and read their CloudWatch alarms. By default through
 * CloudWatch's own API handlers (PutMetricAlarm / DeleteAlarms / DescribeAlarms of the
 * ServiceDefinition exported by `../cloudwatch`, called with a RequestContext built for the region),
 * so the alarms are ordinary CloudWatch alarms that DescribeAlarms lists and that fire the policy.
 * When CloudWatch is not loaded, the alarms are only remembered here (their names and ARNs are still
 * what AWS returns). `setAlarmBackend` replaces the whole thing (tests, or a direct state API).
 */
import type { Engine } from '../engine/engine';
import type { RegionState } from '../engine/state';
import type { RequestContext, ServiceDefinition } from '../service';

export interface AlarmSpec {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Statistic: 'Average' | 'Sum';
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

function cloudWatchDefinition(): ServiceDefinition | undefined {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../cloudwatch') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  for (const v of Object.values(mod)) {
    const def = v as ServiceDefinition | undefined;
    if (def && typeof def === 'object' && def.operations && typeof def.operations.PutMetricAlarm === 'function') return def;
  }
  return undefined;
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

interface Remembered {
  alarms: Record<string, AlarmSpec>;
}

const remembered = (rs: RegionState): Remembered => {
  const key = 'applicationAutoscalingAlarms';
  return ((rs.ext[key] as Remembered | undefined) ??= { alarms: {} }) as Remembered;
};

/** Through CloudWatch's handlers when present, else remembered in the region's state. */
export const defaultAlarmBackend: AlarmBackend = {
  put(scope, spec) {
    const cw = cloudWatchDefinition();
    if (cw) {
      const r = cw.operations.PutMetricAlarm(requestContext(scope), JSON.parse(JSON.stringify(spec)));
      if (r instanceof Promise) r.catch(() => undefined);
    } else {
      remembered(scope.rs).alarms[spec.AlarmName] = spec;
    }
    return alarmArn(scope.rs.region, scope.engine.world.accountId, spec.AlarmName);
  },
  delete(scope, names) {
    if (names.length === 0) return;
    const cw = cloudWatchDefinition();
    if (cw?.operations.DeleteAlarms) {
      try {
        const r = cw.operations.DeleteAlarms(requestContext(scope), { AlarmNames: names });
        if (r instanceof Promise) r.catch(() => undefined);
      } catch {
        // Already gone.
      }
    }
    const mem = remembered(scope.rs);
    for (const n of names) delete mem.alarms[n];
  },
  state(scope, name) {
    const cw = cloudWatchDefinition();
    if (!cw?.operations.DescribeAlarms) return undefined;
    try {
      const r = cw.operations.DescribeAlarms(requestContext(scope), { AlarmNames: [name] }) as
        | { MetricAlarms?: { AlarmName?: string; StateValue?: string }[] }
        | Promise<unknown>;
      if (r instanceof Promise) return undefined;
      return r?.MetricAlarms?.find((a) => a.AlarmName === name)?.StateValue;
    } catch {
      return undefined;
    }
  },
};

let backend: AlarmBackend = defaultAlarmBackend;

export const alarmBackend = (): AlarmBackend => backend;

/** Replaces how alarms are created / deleted / read (undefined restores the default). */
export function setAlarmBackend(b: AlarmBackend | undefined): void {
  backend = b ?? defaultAlarmBackend;
}
