/**
 * PutScalingPolicy, DescribeScalingPolicies, DeleteScalingPolicy: step scaling and target tracking
 * policies for ECS services (target tracking creates its two CloudWatch alarms, as AWS does).
 */
import { randomUUID } from 'node:crypto';
import type {
  DeleteScalingPolicyCommandInput,
  DescribeScalingPoliciesCommandInput,
  PutScalingPolicyCommandInput,
  StepScalingPolicyConfiguration,
  TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling';
import { APPLICATION_AUTO_SCALING, appScalingFields as f, paginate, validationMessage, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { deleteAlarms, putAlarm, type AlarmSpec } from './alarms';
import { appScalingState, parseServiceResourceId, targetKey, type ScalingPolicy, type StepConfig, type TargetTrackingConfig } from './model';
import { namespace, notRegistered, pageSize, resource, scope } from './request';
import { stepProblem } from './step-math';

const PREDEFINED = ['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget'] as const;

function stepConfig(c: StepScalingPolicyConfiguration): StepConfig {
  const p = 'StepScalingPolicyConfiguration';
  const adjustmentType = f.oneOf(c.AdjustmentType, [p, 'AdjustmentType'], ['ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity'] as const);
  if (adjustmentType === undefined) f.fail('AdjustmentType is required when adding a new step scaling policy configuration');
  const steps = (c.StepAdjustments ?? []).map((x, i) => ({
    ...(x.MetricIntervalLowerBound !== undefined ? { MetricIntervalLowerBound: x.MetricIntervalLowerBound } : {}),
    ...(x.MetricIntervalUpperBound !== undefined ? { MetricIntervalUpperBound: x.MetricIntervalUpperBound } : {}),
    ScalingAdjustment: f.int(x.ScalingAdjustment, [p, 'StepAdjustments', i, 'ScalingAdjustment'], { required: true }),
  }));
  if (steps.length === 0) f.fail('StepAdjustments must be specified for a StepScaling policy');
  const problem = stepProblem(steps.map((s) => ({ lower: s.MetricIntervalLowerBound, upper: s.MetricIntervalUpperBound, adjustment: s.ScalingAdjustment })));
  if (problem) f.fail(problem);
  if (adjustmentType === 'ExactCapacity' && steps.some((s) => s.ScalingAdjustment < 0)) f.fail('ScalingAdjustment cannot be negative when AdjustmentType is ExactCapacity');
  const mam = f.int(c.MinAdjustmentMagnitude, [p, 'MinAdjustmentMagnitude'], { min: 0 });
  if (mam !== undefined && adjustmentType !== 'PercentChangeInCapacity') f.fail('MinAdjustmentMagnitude is only supported with PercentChangeInCapacity');
  const cooldown = f.int(c.Cooldown, [p, 'Cooldown'], { min: 0 });
  const agg = f.oneOf(c.MetricAggregationType, [p, 'MetricAggregationType'], ['Average', 'Minimum', 'Maximum'] as const);
  return {
    ...(adjustmentType ? { AdjustmentType: adjustmentType } : {}),
    StepAdjustments: steps,
    ...(mam !== undefined ? { MinAdjustmentMagnitude: mam } : {}),
    ...(cooldown !== undefined ? { Cooldown: cooldown } : {}),
    ...(agg ? { MetricAggregationType: agg } : {}),
  };
}

function targetTrackingConfig(c: TargetTrackingScalingPolicyConfiguration): TargetTrackingConfig {
  const p = 'TargetTrackingScalingPolicyConfiguration';
  const target = f.num(c.TargetValue, [p, 'TargetValue'], { required: true });
  if (target <= 0) f.fail('TargetValue must be greater than 0');
  const pre = c.PredefinedMetricSpecification;
  const custom = c.CustomizedMetricSpecification;
  if (!pre && !custom) f.fail('Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified');
  if (pre && custom) f.fail('Only one of PredefinedMetricSpecification or CustomizedMetricSpecification can be specified');
  if (custom) {
    const cp = [p, 'CustomizedMetricSpecification'];
    f.str(custom.MetricName, [...cp, 'MetricName'], { required: true, min: 1 });
    f.str(custom.Namespace, [...cp, 'Namespace'], { required: true, min: 1 });
    f.oneOf(custom.Statistic, [...cp, 'Statistic'], ['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum'] as const);
  }
  let predefined: TargetTrackingConfig['PredefinedMetricSpecification'];
  if (pre) {
    const type = f.str(pre.PredefinedMetricType, [p, 'PredefinedMetricSpecification', 'PredefinedMetricType'], { required: true });
    if (!(PREDEFINED as readonly string[]).includes(type)) f.fail(`Unsupported predefined metric type ${type} for service namespace ecs`);
    const label = pre.ResourceLabel;
    if (type === 'ALBRequestCountPerTarget') {
      if (!label) f.fail('ResourceLabel must be specified for predefined metric type ALBRequestCountPerTarget');
      if (!/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/.test(label!)) {
        f.fail(`Invalid ResourceLabel: ${label}. It must be of the form app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>`);
      }
    } else if (label) {
      f.fail(`ResourceLabel is not supported for predefined metric type ${type}`);
    }
    predefined = { PredefinedMetricType: type, ...(label ? { ResourceLabel: label } : {}) };
  }
  const out = f.int(c.ScaleOutCooldown, [p, 'ScaleOutCooldown'], { min: 0 });
  const inn = f.int(c.ScaleInCooldown, [p, 'ScaleInCooldown'], { min: 0 });
  const disable = c.DisableScaleIn;
  return {
    TargetValue: target,
    ...(predefined ? { PredefinedMetricSpecification: predefined } : {}),
    ...(custom ? { CustomizedMetricSpecification: custom as Record<string, unknown> } : {}),
    ...(out !== undefined ? { ScaleOutCooldown: out } : {}),
    ...(inn !== undefined ? { ScaleInCooldown: inn } : {}),
    ...(disable !== undefined ? { DisableScaleIn: disable } : {}),
  };
}

/** The metric a target tracking policy tracks, as CloudWatch alarm fields. */
function trackedMetric(resourceId: string, c: TargetTrackingConfig): Pick<AlarmSpec, 'Namespace' | 'MetricName' | 'Dimensions' | 'Statistic' | 'Unit'> {
  const { cluster, service } = parseServiceResourceId(resourceId)!;
  const type = c.PredefinedMetricSpecification?.PredefinedMetricType;
  if (type === 'ALBRequestCountPerTarget') {
    const label = c.PredefinedMetricSpecification!.ResourceLabel!;
    return { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget', Dimensions: [{ Name: 'TargetGroup', Value: label.slice(label.indexOf('targetgroup/')) }], Statistic: 'Sum' };
  }
  if (type) {
    return {
      Namespace: 'AWS/ECS',
      MetricName: type === 'ECSServiceAverageMemoryUtilization' ? 'MemoryUtilization' : 'CPUUtilization',
      Dimensions: [
        { Name: 'ClusterName', Value: cluster },
        { Name: 'ServiceName', Value: service },
      ],
      Statistic: 'Average',
      Unit: 'Percent',
    };
  }
  const m = c.CustomizedMetricSpecification ?? {};
  const dims = Array.isArray(m.Dimensions) ? (m.Dimensions as { Name: string; Value: string }[]) : [];
  return {
    Namespace: String(m.Namespace ?? ''),
    MetricName: String(m.MetricName ?? ''),
    Dimensions: dims.map((d) => ({ Name: String(d.Name), Value: String(d.Value) })),
    Statistic: (typeof m.Statistic === 'string' ? m.Statistic : 'Average') as AlarmSpec['Statistic'],
    ...(typeof m.Unit === 'string' ? { Unit: m.Unit } : {}),
  };
}

/** Target tracking's two alarms, AWS's names and settings; the low one only when scale-in is enabled. */
function createTrackingAlarms(ctx: RequestContext, p: ScalingPolicy): void {
  const c = p.TargetTrackingScalingPolicyConfiguration!;
  const metric = trackedMetric(p.ResourceId, c);
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${p.PolicyARN}.`;
  const specs: AlarmSpec[] = [
    {
      AlarmName: `TargetTracking-${p.ResourceId}-AlarmHigh-${randomUUID()}`,
      AlarmDescription: description,
      ...metric,
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: c.TargetValue,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [p.PolicyARN],
    },
  ];
  if (!c.DisableScaleIn) {
    specs.push({
      AlarmName: `TargetTracking-${p.ResourceId}-AlarmLow-${randomUUID()}`,
      AlarmDescription: description,
      ...metric,
      Period: 60,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
      Threshold: Math.round(c.TargetValue * 0.9 * 1e6) / 1e6,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [p.PolicyARN],
    });
  }
  p.Alarms = specs.map((spec) => ({ AlarmName: spec.AlarmName, AlarmARN: putAlarm(scope(ctx), spec) }));
}

export function deletePolicyRecord(ctx: RequestContext, p: ScalingPolicy): void {
  if (p.PolicyType === 'TargetTrackingScaling') deleteAlarms(scope(ctx), p.Alarms.map((a) => a.AlarmName));
  delete appScalingState(ctx.state).policies[p.PolicyARN];
}

const policyOut = (p: ScalingPolicy) => ({
  PolicyARN: p.PolicyARN,
  PolicyName: p.PolicyName,
  ServiceNamespace: p.ServiceNamespace,
  ResourceId: p.ResourceId,
  ScalableDimension: p.ScalableDimension,
  PolicyType: p.PolicyType,
  ...(p.StepScalingPolicyConfiguration ? { StepScalingPolicyConfiguration: p.StepScalingPolicyConfiguration } : {}),
  ...(p.TargetTrackingScalingPolicyConfiguration ? { TargetTrackingScalingPolicyConfiguration: p.TargetTrackingScalingPolicyConfiguration } : {}),
  Alarms: p.Alarms,
  CreationTime: p.CreationTime / 1000,
});

export const putScalingPolicy: Operation<PutScalingPolicyCommandInput> = (ctx, input) => {
  const name = f.str(input.PolicyName, 'PolicyName', { required: true, min: 1 });
  if (name.length > 256 || !/^\P{Cc}+$/u.test(name)) f.fail(validationMessage('PolicyName', name, 'Member must satisfy regular expression pattern: \\p{Print}+'));
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const requested = f.oneOf(input.PolicyType, 'PolicyType', ['StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'] as const) ?? 'StepScaling';
  if (requested === 'PredictiveScaling') f.fail('PredictiveScaling is not supported for service namespace ecs in the sandbox');
  const type = requested as ScalingPolicy['PolicyType'];
  const s = appScalingState(ctx.state);
  if (!s.targets[targetKey(ns, resourceId, dimension)]) return notRegistered(ns, resourceId, dimension);
  let step: StepConfig | undefined;
  let tracking: TargetTrackingConfig | undefined;
  if (type === 'StepScaling') {
    if (input.TargetTrackingScalingPolicyConfiguration !== undefined) f.fail('TargetTrackingScalingPolicyConfiguration is not allowed for a StepScaling policy');
    if (input.StepScalingPolicyConfiguration === undefined) return f.fail('StepScalingPolicyConfiguration is required for a StepScaling policy');
    step = stepConfig(input.StepScalingPolicyConfiguration);
  } else {
    if (input.StepScalingPolicyConfiguration !== undefined) f.fail('StepScalingPolicyConfiguration is not allowed for a TargetTrackingScaling policy');
    if (input.TargetTrackingScalingPolicyConfiguration === undefined) return f.fail('TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy');
    tracking = targetTrackingConfig(input.TargetTrackingScalingPolicyConfiguration);
  }
  const existing = Object.values(s.policies).find((p) => p.PolicyName === name && p.ServiceNamespace === ns && p.ResourceId === resourceId && p.ScalableDimension === dimension);
  if (existing && existing.PolicyType !== type) f.fail(`Cannot change the policy type of existing policy ${name} from ${existing.PolicyType} to ${type}`);
  const arn =
    existing?.PolicyARN ?? `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${randomUUID()}:resource/${ns}/${resourceId}:policyName/${name}`;
  const p: ScalingPolicy = {
    PolicyARN: arn,
    PolicyName: name,
    ServiceNamespace: ns,
    ResourceId: resourceId,
    ScalableDimension: dimension,
    PolicyType: type,
    ...(step ? { StepScalingPolicyConfiguration: step } : {}),
    ...(tracking ? { TargetTrackingScalingPolicyConfiguration: tracking } : {}),
    Alarms: existing?.PolicyType === 'StepScaling' ? existing.Alarms : [],
    CreationTime: existing?.CreationTime ?? ctx.now,
  };
  if (tracking) createTrackingAlarms(ctx, p);
  // The replaced configuration's alarms go only once the new ones exist.
  if (existing?.PolicyType === 'TargetTrackingScaling') deleteAlarms(scope(ctx), existing.Alarms.map((a) => a.AlarmName));
  s.policies[arn] = p;
  return { PolicyARN: arn, ...(tracking ? { Alarms: p.Alarms } : {}) };
};

export const describeScalingPolicies: Operation<DescribeScalingPoliciesCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const names = input.PolicyNames;
  const resourceId = input.ResourceId;
  const dim = input.ScalableDimension;
  const s = appScalingState(ctx.state);
  const all = Object.values(s.policies)
    .filter((p) => p.ServiceNamespace === ns && (!names || names.includes(p.PolicyName)) && (!resourceId || p.ResourceId === resourceId) && (!dim || p.ScalableDimension === dim))
    .sort((a, b) => a.CreationTime - b.CreationTime);
  const { page, next } = paginate(
    all,
    { op: 'DescribeScalingPolicies', size: pageSize(input.MaxResults), token: input.NextToken, key: (p) => p.PolicyARN },
    APPLICATION_AUTO_SCALING,
  );
  return { ScalingPolicies: page.map(policyOut), ...(next ? { NextToken: next } : {}) };
};

export const deleteScalingPolicy: Operation<DeleteScalingPolicyCommandInput> = (ctx, input) => {
  const name = f.str(input.PolicyName, 'PolicyName', { required: true, min: 1 });
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const s = appScalingState(ctx.state);
  const p = Object.values(s.policies).find((x) => x.PolicyName === name && x.ServiceNamespace === ns && x.ResourceId === resourceId && x.ScalableDimension === dimension);
  if (!p) {
    throw new AwsError('ObjectNotFoundException', `No scaling policy found for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}, policy name: ${name}`);
  }
  deletePolicyRecord(ctx, p);
  return {};
};
