/**
 * Application Auto Scaling API handlers (awsJson1_1, `AnyScaleFrontendService.<Operation>`), for
 * ECS services: scalable targets, step and target tracking policies (target tracking creates its
 * two CloudWatch alarms), scaling activities. Errors are AWS's codes with the `Message` member.
 */
import { randomUUID } from 'node:crypto';
import { hexId } from '../engine/ids';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { alarmBackend, type AlarmScope, type AlarmSpec } from './alarms';
import {
  DIMENSION,
  NAMESPACE,
  appScalingState,
  parseServiceResourceId,
  policiesOf,
  targetKey,
  type ScalableTarget,
  type ScalingActivity,
  type ScalingPolicy,
  type StepAdjustmentOut,
  type StepConfig,
  type TargetTrackingConfig,
} from './model';
import { findService, setDesiredCount } from './scale';
import { stepProblem } from './step-math';

const NAMESPACES = [
  'ecs', 'elasticmapreduce', 'ec2', 'appstream', 'dynamodb', 'rds', 'sagemaker', 'custom-resource',
  'comprehend', 'lambda', 'cassandra', 'kafka', 'elasticache', 'neptune', 'workspaces',
] as const;
const PREDEFINED = ['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget'] as const;

const invalid = (message: string): never => {
  throw new AwsError('ValidationException', message);
};

/** `serviceNamespace` style member names in validation messages. */
const memberName = (name: string) =>
  name
    .split('.')
    .map((seg) => (/^\d+$/.test(seg) ? `${seg}.member` : seg.charAt(0).toLowerCase() + seg.slice(1)))
    .join('.');

const constraint = (value: unknown, name: string, text: string): never =>
  invalid(`1 validation error detected: Value ${value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`} at '${memberName(name)}' failed to satisfy constraint: ${text}`);

const obj = (input: unknown): Record<string, unknown> => (input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {});

function optStr(input: Record<string, unknown>, name: string, path = name): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return constraint(v, path, 'Member must be a string');
  return v;
}

function reqStr(input: Record<string, unknown>, name: string, path = name): string {
  const v = optStr(input, name, path);
  if (v === undefined) return constraint(undefined, path, 'Member must not be null');
  if (v.length === 0) return constraint(v, path, 'Member must have length greater than or equal to 1');
  return v;
}

function optNum(input: Record<string, unknown>, name: string, path = name, opts: { int?: boolean; min?: number } = {}): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return constraint(v, path, `Member must be ${opts.int ? 'an integer' : 'a number'}`);
  if (opts.int && !Number.isInteger(v)) return constraint(v, path, 'Member must be an integer');
  if (opts.min !== undefined && v < opts.min) return constraint(v, path, `Member must have value greater than or equal to ${opts.min}`);
  return v;
}

function optBool(input: Record<string, unknown>, name: string, path = name): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return constraint(v, path, 'Member must be a boolean');
  return v;
}

function optEnum<T extends string>(input: Record<string, unknown>, name: string, values: readonly T[], path = name): T | undefined {
  const v = optStr(input, name, path);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) return constraint(v, path, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return v as T;
}

function optStrList(input: Record<string, unknown>, name: string): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return constraint(v, name, 'Member must be a list of strings');
  return v as string[];
}

/** ServiceNamespace: AWS's enum; the sandbox serves `ecs` only. */
function namespace(input: Record<string, unknown>): string {
  const ns = optEnum(input, 'ServiceNamespace', NAMESPACES);
  if (ns === undefined) return constraint(undefined, 'ServiceNamespace', 'Member must not be null');
  if (ns !== NAMESPACE) {
    invalid(`The sandbox supports Application Auto Scaling for Amazon ECS services only (ServiceNamespace 'ecs'), not '${ns}'.`);
  }
  return ns;
}

/** ResourceId + ScalableDimension of an ECS service, checked for shape. */
function resource(input: Record<string, unknown>): { resourceId: string; dimension: string } {
  const resourceId = reqStr(input, 'ResourceId');
  const dimension = reqStr(input, 'ScalableDimension');
  if (dimension !== DIMENSION || !parseServiceResourceId(resourceId)) invalid('Unsupported service namespace, resource type or scalable dimension');
  return { resourceId, dimension };
}

const scope = (ctx: RequestContext): AlarmScope => ({ engine: ctx.engine, rs: ctx.state, now: ctx.now });

const notRegistered = (ns: string, resourceId: string, dim: string): never => {
  throw new AwsError(
    'ObjectNotFoundException',
    `No scalable target registered for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dim}`,
  );
};

function paginate<T>(items: T[], input: Record<string, unknown>, max = 50): { page: T[]; next?: string } {
  const maxResults = optNum(input, 'MaxResults', 'MaxResults', { int: true, min: 1 }) ?? max;
  if (maxResults > max) constraint(maxResults, 'MaxResults', `Member must have value less than or equal to ${max}`);
  const token = optStr(input, 'NextToken');
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(start) || start < 0 || start > items.length) invalid('Invalid NextToken');
  }
  const page = items.slice(start, start + maxResults);
  const end = start + page.length;
  return { page, next: end < items.length ? Buffer.from(`o:${end}`).toString('base64') : undefined };
}

// ------------------------------------------------------------------------- scalable targets

const targetOut = (t: ScalableTarget) => ({
  ServiceNamespace: t.ServiceNamespace,
  ResourceId: t.ResourceId,
  ScalableDimension: t.ScalableDimension,
  MinCapacity: t.MinCapacity,
  MaxCapacity: t.MaxCapacity,
  RoleARN: t.RoleARN,
  CreationTime: t.CreationTime / 1000,
  SuspendedState: { ...t.SuspendedState },
  ScalableTargetARN: t.ScalableTargetARN,
});

export function registerScalableTarget(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const min = optNum(input, 'MinCapacity', 'MinCapacity', { int: true, min: 0 });
  const max = optNum(input, 'MaxCapacity', 'MaxCapacity', { int: true, min: 0 });
  const roleArn = optStr(input, 'RoleARN');
  const suspended = input.SuspendedState === undefined ? undefined : obj(input.SuspendedState);
  const s = appScalingState(ctx.state);
  const key = targetKey(ns, resourceId, dimension);
  const existing = s.targets[key];
  if (!findService(scope(ctx), resourceId)) invalid(`ECS service doesn't exist: ${resourceId}`);
  if (!existing && (min === undefined || max === undefined)) {
    invalid('MinCapacity and MaxCapacity are required when registering a new scalable target');
  }
  const newMin = min ?? existing!.MinCapacity;
  const newMax = max ?? existing!.MaxCapacity;
  if (newMin > newMax) invalid('Minimum capacity cannot be greater than maximum capacity');
  const susp = {
    DynamicScalingInSuspended: (suspended && optBool(suspended, 'DynamicScalingInSuspended', 'SuspendedState.DynamicScalingInSuspended')) ?? existing?.SuspendedState.DynamicScalingInSuspended ?? false,
    DynamicScalingOutSuspended: (suspended && optBool(suspended, 'DynamicScalingOutSuspended', 'SuspendedState.DynamicScalingOutSuspended')) ?? existing?.SuspendedState.DynamicScalingOutSuspended ?? false,
    ScheduledScalingSuspended: (suspended && optBool(suspended, 'ScheduledScalingSuspended', 'SuspendedState.ScheduledScalingSuspended')) ?? existing?.SuspendedState.ScheduledScalingSuspended ?? false,
  };
  const t: ScalableTarget = existing ?? {
    ServiceNamespace: ns,
    ResourceId: resourceId,
    ScalableDimension: dimension,
    MinCapacity: newMin,
    MaxCapacity: newMax,
    RoleARN:
      roleArn ??
      `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    CreationTime: ctx.now,
    SuspendedState: susp,
    ScalableTargetARN: `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${hexId(4)}${hexId(32)}`,
  };
  t.MinCapacity = newMin;
  t.MaxCapacity = newMax;
  t.SuspendedState = susp;
  if (roleArn) t.RoleARN = roleArn;
  s.targets[key] = t;
  // As AWS does: a desired count outside the new range is brought into it.
  const svc = findService(scope(ctx), resourceId)!;
  if (svc.desiredCount < newMin) setDesiredCount(scope(ctx), s, t, newMin, `minimum capacity was set to ${newMin}`);
  else if (svc.desiredCount > newMax) setDesiredCount(scope(ctx), s, t, newMax, `maximum capacity was set to ${newMax}`);
  return { ScalableTargetARN: t.ScalableTargetARN };
}

export function describeScalableTargets(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const ns = namespace(input);
  const ids = optStrList(input, 'ResourceIds');
  const dim = optStr(input, 'ScalableDimension');
  const s = appScalingState(ctx.state);
  const all = Object.values(s.targets)
    .filter((t) => t.ServiceNamespace === ns && (!ids || ids.includes(t.ResourceId)) && (!dim || t.ScalableDimension === dim))
    .sort((a, b) => a.CreationTime - b.CreationTime);
  const { page, next } = paginate(all, input);
  return { ScalableTargets: page.map(targetOut), ...(next ? { NextToken: next } : {}) };
}

export function deregisterScalableTarget(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const s = appScalingState(ctx.state);
  const key = targetKey(ns, resourceId, dimension);
  const t = s.targets[key];
  if (!t) return notRegistered(ns, resourceId, dimension);
  for (const p of policiesOf(s, t)) deletePolicyRecord(ctx, p);
  delete s.targets[key];
  return {};
}

// ------------------------------------------------------------------------------- policies

function stepConfig(raw: unknown): StepConfig {
  const c = obj(raw);
  const p = 'StepScalingPolicyConfiguration';
  const adjustmentType = optEnum(c, 'AdjustmentType', ['ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity'] as const, `${p}.AdjustmentType`);
  if (adjustmentType === undefined) invalid('AdjustmentType is required when adding a new step scaling policy configuration');
  const rawSteps = c.StepAdjustments;
  if (rawSteps !== undefined && !Array.isArray(rawSteps)) constraint(rawSteps, `${p}.StepAdjustments`, 'Member must be a list');
  const steps: StepAdjustmentOut[] = ((rawSteps as unknown[] | undefined) ?? []).map((x, i) => {
    const o = obj(x);
    const path = `${p}.StepAdjustments.${i + 1}`;
    const adj = optNum(o, 'ScalingAdjustment', `${path}.ScalingAdjustment`, { int: true });
    if (adj === undefined) constraint(undefined, `${path}.ScalingAdjustment`, 'Member must not be null');
    const lower = optNum(o, 'MetricIntervalLowerBound', `${path}.MetricIntervalLowerBound`);
    const upper = optNum(o, 'MetricIntervalUpperBound', `${path}.MetricIntervalUpperBound`);
    return { ...(lower !== undefined ? { MetricIntervalLowerBound: lower } : {}), ...(upper !== undefined ? { MetricIntervalUpperBound: upper } : {}), ScalingAdjustment: adj! };
  });
  if (steps.length === 0) invalid('StepAdjustments must be specified for a StepScaling policy');
  const problem = stepProblem(steps.map((s) => ({ lower: s.MetricIntervalLowerBound, upper: s.MetricIntervalUpperBound, adjustment: s.ScalingAdjustment })));
  if (problem) invalid(problem);
  if (adjustmentType === 'ExactCapacity' && steps.some((s) => s.ScalingAdjustment < 0)) invalid('ScalingAdjustment cannot be negative when AdjustmentType is ExactCapacity');
  const mam = optNum(c, 'MinAdjustmentMagnitude', `${p}.MinAdjustmentMagnitude`, { int: true, min: 0 });
  if (mam !== undefined && adjustmentType !== 'PercentChangeInCapacity') invalid('MinAdjustmentMagnitude is only supported with PercentChangeInCapacity');
  const cooldown = optNum(c, 'Cooldown', `${p}.Cooldown`, { int: true, min: 0 });
  const agg = optEnum(c, 'MetricAggregationType', ['Average', 'Minimum', 'Maximum'] as const, `${p}.MetricAggregationType`);
  return {
    ...(adjustmentType ? { AdjustmentType: adjustmentType } : {}),
    StepAdjustments: steps,
    ...(mam !== undefined ? { MinAdjustmentMagnitude: mam } : {}),
    ...(cooldown !== undefined ? { Cooldown: cooldown } : {}),
    ...(agg ? { MetricAggregationType: agg } : {}),
  };
}

function targetTrackingConfig(raw: unknown): TargetTrackingConfig {
  const c = obj(raw);
  const p = 'TargetTrackingScalingPolicyConfiguration';
  const target = optNum(c, 'TargetValue', `${p}.TargetValue`);
  if (target === undefined) constraint(undefined, `${p}.TargetValue`, 'Member must not be null');
  if (target! <= 0) invalid('TargetValue must be greater than 0');
  const pre = c.PredefinedMetricSpecification === undefined ? undefined : obj(c.PredefinedMetricSpecification);
  const custom = c.CustomizedMetricSpecification === undefined ? undefined : obj(c.CustomizedMetricSpecification);
  if (!pre && !custom) invalid('Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified');
  if (pre && custom) invalid('Only one of PredefinedMetricSpecification or CustomizedMetricSpecification can be specified');
  if (custom) {
    const cp = `${p}.CustomizedMetricSpecification`;
    if (!optStr(custom, 'MetricName', `${cp}.MetricName`)) constraint(undefined, `${cp}.MetricName`, 'Member must not be null');
    if (!optStr(custom, 'Namespace', `${cp}.Namespace`)) constraint(undefined, `${cp}.Namespace`, 'Member must not be null');
    optEnum(custom, 'Statistic', ['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum'] as const, `${cp}.Statistic`);
    if (custom.Dimensions !== undefined && (!Array.isArray(custom.Dimensions) || custom.Dimensions.some((d) => typeof obj(d).Name !== 'string' || typeof obj(d).Value !== 'string'))) {
      constraint(custom.Dimensions, `${cp}.Dimensions`, 'Member must be a list of {Name, Value}');
    }
  }
  let predefined: TargetTrackingConfig['PredefinedMetricSpecification'];
  if (pre) {
    const type = optStr(pre, 'PredefinedMetricType', `${p}.PredefinedMetricSpecification.PredefinedMetricType`);
    if (type === undefined) constraint(undefined, `${p}.PredefinedMetricSpecification.PredefinedMetricType`, 'Member must not be null');
    if (!(PREDEFINED as readonly string[]).includes(type!)) invalid(`Unsupported predefined metric type ${type} for service namespace ecs`);
    const label = optStr(pre, 'ResourceLabel', `${p}.PredefinedMetricSpecification.ResourceLabel`);
    if (type === 'ALBRequestCountPerTarget') {
      if (!label) invalid('ResourceLabel must be specified for predefined metric type ALBRequestCountPerTarget');
      if (!/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/.test(label!)) {
        invalid(`Invalid ResourceLabel: ${label}. It must be of the form app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>`);
      }
    } else if (label) {
      invalid(`ResourceLabel is not supported for predefined metric type ${type}`);
    }
    predefined = { PredefinedMetricType: type!, ...(label ? { ResourceLabel: label } : {}) };
  }
  const out = optNum(c, 'ScaleOutCooldown', `${p}.ScaleOutCooldown`, { int: true, min: 0 });
  const inn = optNum(c, 'ScaleInCooldown', `${p}.ScaleInCooldown`, { int: true, min: 0 });
  const disable = optBool(c, 'DisableScaleIn', `${p}.DisableScaleIn`);
  return {
    TargetValue: target!,
    ...(predefined ? { PredefinedMetricSpecification: predefined } : {}),
    ...(custom ? { CustomizedMetricSpecification: custom } : {}),
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
  p.Alarms = specs.map((spec) => ({ AlarmName: spec.AlarmName, AlarmARN: alarmBackend().put(scope(ctx), spec) }));
}

function deletePolicyRecord(ctx: RequestContext, p: ScalingPolicy): void {
  if (p.PolicyType === 'TargetTrackingScaling') alarmBackend().delete(scope(ctx), p.Alarms.map((a) => a.AlarmName));
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

export function putScalingPolicy(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const name = reqStr(input, 'PolicyName');
  if (name.length > 256 || !/^\P{Cc}+$/u.test(name)) constraint(name, 'PolicyName', 'Member must satisfy regular expression pattern: \\p{Print}+');
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const requested = optEnum(input, 'PolicyType', ['StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'] as const) ?? 'StepScaling';
  if (requested === 'PredictiveScaling') invalid('PredictiveScaling is not supported for service namespace ecs in the sandbox');
  const type = requested as ScalingPolicy['PolicyType'];
  const s = appScalingState(ctx.state);
  if (!s.targets[targetKey(ns, resourceId, dimension)]) return notRegistered(ns, resourceId, dimension);
  let step: StepConfig | undefined;
  let tracking: TargetTrackingConfig | undefined;
  if (type === 'StepScaling') {
    if (input.TargetTrackingScalingPolicyConfiguration !== undefined) invalid('TargetTrackingScalingPolicyConfiguration is not allowed for a StepScaling policy');
    if (input.StepScalingPolicyConfiguration === undefined) invalid('StepScalingPolicyConfiguration is required for a StepScaling policy');
    step = stepConfig(input.StepScalingPolicyConfiguration);
  } else {
    if (input.StepScalingPolicyConfiguration !== undefined) invalid('StepScalingPolicyConfiguration is not allowed for a TargetTrackingScaling policy');
    if (input.TargetTrackingScalingPolicyConfiguration === undefined) invalid('TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy');
    tracking = targetTrackingConfig(input.TargetTrackingScalingPolicyConfiguration);
  }
  const existing = Object.values(s.policies).find((p) => p.PolicyName === name && p.ServiceNamespace === ns && p.ResourceId === resourceId && p.ScalableDimension === dimension);
  if (existing && existing.PolicyType !== type) invalid(`Cannot change the policy type of existing policy ${name} from ${existing.PolicyType} to ${type}`);
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
  if (existing?.PolicyType === 'TargetTrackingScaling') alarmBackend().delete(scope(ctx), existing.Alarms.map((a) => a.AlarmName));
  s.policies[arn] = p;
  return { PolicyARN: arn, ...(tracking ? { Alarms: p.Alarms } : {}) };
}

export function describeScalingPolicies(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const ns = namespace(input);
  const names = optStrList(input, 'PolicyNames');
  const resourceId = optStr(input, 'ResourceId');
  const dim = optStr(input, 'ScalableDimension');
  const s = appScalingState(ctx.state);
  const all = Object.values(s.policies)
    .filter((p) => p.ServiceNamespace === ns && (!names || names.includes(p.PolicyName)) && (!resourceId || p.ResourceId === resourceId) && (!dim || p.ScalableDimension === dim))
    .sort((a, b) => a.CreationTime - b.CreationTime);
  const { page, next } = paginate(all, input);
  return { ScalingPolicies: page.map(policyOut), ...(next ? { NextToken: next } : {}) };
}

export function deleteScalingPolicy(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const name = reqStr(input, 'PolicyName');
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const s = appScalingState(ctx.state);
  const p = Object.values(s.policies).find((x) => x.PolicyName === name && x.ServiceNamespace === ns && x.ResourceId === resourceId && x.ScalableDimension === dimension);
  if (!p) {
    throw new AwsError('ObjectNotFoundException', `No scaling policy found for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}, policy name: ${name}`);
  }
  deletePolicyRecord(ctx, p);
  return {};
}

// ------------------------------------------------------------------------------ activities

const activityOut = (a: ScalingActivity) => ({
  ActivityId: a.ActivityId,
  ServiceNamespace: a.ServiceNamespace,
  ResourceId: a.ResourceId,
  ScalableDimension: a.ScalableDimension,
  Description: a.Description,
  Cause: a.Cause,
  StartTime: a.StartTime,
  ...(a.EndTime !== undefined ? { EndTime: a.EndTime } : {}),
  StatusCode: a.StatusCode,
  ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
});

export function describeScalingActivities(ctx: RequestContext, raw: unknown) {
  const input = obj(raw);
  const ns = namespace(input);
  const resourceId = optStr(input, 'ResourceId');
  const dim = optStr(input, 'ScalableDimension');
  optBool(input, 'IncludeNotScaledActivities');
  const s = appScalingState(ctx.state);
  const all = s.activities.filter((a) => a.ServiceNamespace === ns && (!resourceId || a.ResourceId === resourceId) && (!dim || a.ScalableDimension === dim));
  const { page, next } = paginate(all, input);
  return { ScalingActivities: page.map(activityOut), ...(next ? { NextToken: next } : {}) };
}
