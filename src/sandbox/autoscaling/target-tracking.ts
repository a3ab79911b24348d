/**
 * Target tracking scaling policies of Auto Scaling groups: PutScalingPolicy with PolicyType
 * TargetTrackingScaling creates the two CloudWatch alarms AWS creates (`TargetTracking-<group>-
 * AlarmHigh-<uuid>`: 3 of 3 one-minute datapoints above the target; `…-AlarmLow-…`: 15 of 15 below
 * 90% of it, unless DisableScaleIn) on the metric the sandbox publishes (AWS/EC2 CPUUtilization per
 * AutoScalingGroupName, ALB RequestCountPerTarget, or a customized metric); their actions run the
 * policy (`trackingCapacity`): the capacity that brings the metric back to the target.
 */
import { randomUUID } from 'node:crypto';
import type { PutScalingPolicyCommandInput, TargetTrackingConfiguration } from '@aws-sdk/client-auto-scaling';
import { deleteAlarms, putAlarm, type AlarmScope, type AlarmSpec } from '../application-autoscaling/alarms';
import { autoScalingFields as f } from '../kit';
import type { RequestContext } from '../service';
import { autoScalingState, type AsgPolicy, type AutoScalingGroup } from './model';

type Tracking = NonNullable<AsgPolicy['TargetTrackingConfiguration']>;

const PREDEFINED = ['ASGAverageCPUUtilization', 'ASGAverageNetworkIn', 'ASGAverageNetworkOut', 'ALBRequestCountPerTarget'] as const;
const STATISTICS = ['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum'] as const;

const scopeOf = (ctx: RequestContext): AlarmScope => ({ engine: ctx.engine, rs: ctx.state, now: ctx.now });

function trackingConfig(g: AutoScalingGroup, c: TargetTrackingConfiguration): Tracking {
  const p = 'TargetTrackingConfiguration';
  const target = f.num(c.TargetValue, [p, 'TargetValue'], { required: true });
  if (!(target > 0)) f.fail('TargetValue must be greater than 0.');
  const pre = c.PredefinedMetricSpecification;
  const custom = c.CustomizedMetricSpecification;
  if (!pre && !custom) f.fail('Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified.');
  if (pre && custom) f.fail('Only one of PredefinedMetricSpecification or CustomizedMetricSpecification can be specified.');
  let predefined: Tracking['PredefinedMetricSpecification'];
  if (pre) {
    const type = f.oneOf(pre.PredefinedMetricType, [p, 'PredefinedMetricSpecification', 'PredefinedMetricType'], PREDEFINED, { required: true });
    if (type === 'ASGAverageNetworkIn' || type === 'ASGAverageNetworkOut') {
      f.fail(`The sandbox does not publish the metric behind ${type} (AWS/EC2 NetworkIn / NetworkOut); use ASGAverageCPUUtilization, ALBRequestCountPerTarget or a customized metric.`);
    }
    const label = f.str(pre.ResourceLabel, [p, 'PredefinedMetricSpecification', 'ResourceLabel'], { min: 1, max: 1023 });
    if (type === 'ALBRequestCountPerTarget') {
      if (!label) f.fail('ResourceLabel is required for predefined metric type ALBRequestCountPerTarget.');
      const m = /^app\/[^/]+\/[^/]+\/(targetgroup\/[^/]+\/[^/]+)$/.exec(label!);
      if (!m) f.fail(`Invalid ResourceLabel: ${label}. It must be of the form app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>`);
      if (!g.TargetGroupARNs.some((arn) => arn.endsWith(`:${m![1]}`))) f.fail(`The target group ${m![1]} is not attached to the Auto Scaling group ${g.AutoScalingGroupName}.`);
    } else if (label !== undefined) {
      f.fail(`ResourceLabel is not supported for predefined metric type ${type}.`);
    }
    predefined = { PredefinedMetricType: type, ...(label ? { ResourceLabel: label } : {}) };
  }
  let customized: Tracking['CustomizedMetricSpecification'];
  if (custom) {
    const cp = [p, 'CustomizedMetricSpecification'];
    if (custom.Metrics !== undefined) f.fail('The sandbox does not evaluate metric math (CustomizedMetricSpecification.Metrics); specify MetricName, Namespace and Statistic.');
    customized = {
      MetricName: f.str(custom.MetricName, [...cp, 'MetricName'], { required: true, min: 1, max: 255 }),
      Namespace: f.str(custom.Namespace, [...cp, 'Namespace'], { required: true, min: 1, max: 255 }),
      Dimensions: (custom.Dimensions ?? []).map((d, i) => ({
        Name: f.str(d.Name, [...cp, 'Dimensions', i, 'Name'], { required: true, min: 1 }),
        Value: f.str(d.Value, [...cp, 'Dimensions', i, 'Value'], { required: true, min: 1 }),
      })),
      Statistic: f.oneOf(custom.Statistic, [...cp, 'Statistic'], STATISTICS, { required: true }),
      ...(custom.Unit !== undefined ? { Unit: custom.Unit } : {}),
    };
  }
  return {
    ...(predefined ? { PredefinedMetricSpecification: predefined } : {}),
    ...(customized ? { CustomizedMetricSpecification: customized } : {}),
    TargetValue: target,
    DisableScaleIn: c.DisableScaleIn ?? false,
  };
}

function metricOf(g: AutoScalingGroup, c: Tracking): Pick<AlarmSpec, 'Namespace' | 'MetricName' | 'Dimensions' | 'Statistic' | 'Unit'> {
  const pre = c.PredefinedMetricSpecification;
  if (pre?.PredefinedMetricType === 'ALBRequestCountPerTarget') {
    const label = pre.ResourceLabel!;
    return { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget', Dimensions: [{ Name: 'TargetGroup', Value: label.slice(label.indexOf('targetgroup/')) }], Statistic: 'Sum' };
  }
  if (pre) return { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'AutoScalingGroupName', Value: g.AutoScalingGroupName }], Statistic: 'Average' };
  const m = c.CustomizedMetricSpecification!;
  return { Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions ?? [], Statistic: m.Statistic as AlarmSpec['Statistic'], ...(m.Unit ? { Unit: m.Unit } : {}) };
}

/**
 * `alarms`: how the policy's alarms fire (AWS's defaults: AlarmHigh 3 of 3 datapoints, AlarmLow
 * below 90% of the target); ECS's managed scaling policies use 1 datapoint and the target itself.
 */
export function putTargetTracking(
  ctx: RequestContext,
  g: AutoScalingGroup,
  name: string,
  input: PutScalingPolicyCommandInput,
  existing: AsgPolicy | undefined,
  alarmShape: { highDatapoints: number; lowThresholdFactor: number } = { highDatapoints: 3, lowThresholdFactor: 0.9 },
) {
  for (const member of ['AdjustmentType', 'ScalingAdjustment', 'MinAdjustmentMagnitude', 'Cooldown', 'StepAdjustments', 'MetricAggregationType'] as const) {
    if (input[member] !== undefined) f.fail(`${member} is not supported for policy type TargetTrackingScaling.`);
  }
  if (input.TargetTrackingConfiguration === undefined) return f.fail('TargetTrackingConfiguration is required for policy type TargetTrackingScaling.');
  const tracking = trackingConfig(g, input.TargetTrackingConfiguration);
  const warmup = f.int(input.EstimatedInstanceWarmup, 'EstimatedInstanceWarmup', { min: 0 });
  const arn = existing?.PolicyARN ?? `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${randomUUID()}:autoScalingGroupName/${g.AutoScalingGroupName}:policyName/${name}`;
  const metric = metricOf(g, tracking);
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${arn}.`;
  const specs: AlarmSpec[] = [
    { AlarmName: `TargetTracking-${g.AutoScalingGroupName}-AlarmHigh-${randomUUID()}`, AlarmDescription: description, ...metric, Period: 60, EvaluationPeriods: alarmShape.highDatapoints, DatapointsToAlarm: alarmShape.highDatapoints, Threshold: tracking.TargetValue, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [arn] },
  ];
  if (!tracking.DisableScaleIn) {
    specs.push({
      AlarmName: `TargetTracking-${g.AutoScalingGroupName}-AlarmLow-${randomUUID()}`,
      AlarmDescription: description,
      ...metric,
      Period: 60,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
      Threshold: Math.round(tracking.TargetValue * alarmShape.lowThresholdFactor * 1e6) / 1e6,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [arn],
    });
  }
  const alarms = specs.map((spec) => ({ AlarmName: spec.AlarmName, AlarmARN: putAlarm(scopeOf(ctx), spec) }));
  // The replaced configuration's alarms go only once the new ones exist.
  if (existing) deleteAlarms(scopeOf(ctx), existing.Alarms.map((a) => a.AlarmName));
  const p: AsgPolicy = {
    PolicyARN: arn,
    PolicyName: name,
    AutoScalingGroupName: g.AutoScalingGroupName,
    PolicyType: 'TargetTrackingScaling',
    ...(warmup !== undefined ? { EstimatedInstanceWarmup: warmup } : {}),
    TargetTrackingConfiguration: tracking,
    Alarms: alarms,
    Enabled: input.Enabled ?? true,
  };
  autoScalingState(ctx.state).policies[arn] = p;
  return { PolicyARN: arn, Alarms: alarms };
}

/** Deletes a policy with the alarms target tracking created for it. */
export function deleteAsgPolicy(scope: AlarmScope | RequestContext, p: AsgPolicy): void {
  const s = 'rs' in scope ? scope : scopeOf(scope);
  if (p.PolicyType === 'TargetTrackingScaling') deleteAlarms(s, p.Alarms.map((a) => a.AlarmName));
  delete autoScalingState(s.rs).policies[p.PolicyARN];
}

/**
 * The capacity a target tracking alarm asks for: proportional to metric / target, at least one more
 * (AlarmHigh) or one fewer (AlarmLow); undefined when the policy does not scale in.
 */
export function trackingCapacity(p: AsgPolicy, current: number, alarmName: string, value: number | undefined): number | undefined {
  const c = p.TargetTrackingConfiguration;
  if (!c) return undefined;
  const low = p.Alarms.some((a) => a.AlarmName === alarmName && a.AlarmName.includes('-AlarmLow-'));
  if (low && c.DisableScaleIn) return undefined;
  if (value === undefined || current === 0) return low ? current - 1 : current + 1;
  const proportional = Math.ceil((current * value) / c.TargetValue - 1e-9);
  return low ? Math.min(proportional, current - 1) : Math.max(proportional, current + 1);
}
