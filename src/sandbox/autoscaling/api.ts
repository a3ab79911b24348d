/**
 * EC2 Auto Scaling API handlers (awsQuery, Version 2011-01-01): groups from launch templates,
 * capacity, instance protection, simple and step scaling policies, activities. The instances
 * themselves are launched / terminated by reconcile.ts on the next tick.
 */
import { own, put } from '../records';
import { randomUUID } from 'node:crypto';
import { AwsError } from '../protocol/errors';
import { xmlDate, type RequestContext } from '../service';
import { findTemplate, resolveVersion } from '../ec2';
import { stepProblem, type AdjustmentType } from '../application-autoscaling/step-math';
import { changeDesired, executeAsgPolicy } from './execute';
import { constraint, list, obj, optBool, optInt, optNum, optStr, paginate, reqStr, strList, validation } from './input';
import {
  autoScalingState,
  causeTime,
  type AsgActivity,
  type AsgPolicy,
  type AutoScalingGroup,
  type GroupInstance,
  type GroupTag,
} from './model';
import { terminateGroupInstance } from './reconcile';

type In = Record<string, unknown>;

const groupNotFound = (name: string): never => validation(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);

function group(ctx: RequestContext, name: string): AutoScalingGroup {
  const g = own(autoScalingState(ctx.state).groups, name);
  if (!g || g.Status === 'Delete in progress') return groupNotFound(name);
  return g;
}

function launchTemplateOf(ctx: RequestContext, input: In): AutoScalingGroup['LaunchTemplate'] | undefined {
  if (input.LaunchTemplate === undefined) return undefined;
  const lt = obj(input.LaunchTemplate);
  const id = optStr(lt, 'LaunchTemplateId');
  const name = optStr(lt, 'LaunchTemplateName');
  const version = optStr(lt, 'Version');
  if (!id && !name) validation('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  if (id && name) validation('Valid requests must contain either launchTemplateId or LaunchTemplateName, not both');
  let found;
  try {
    found = findTemplate(ctx, { id, name });
  } catch {
    return validation(
      id
        ? `You must use a valid fully-formed launch template. The specified launch template, with template ID ${id}, does not exist.`
        : `You must use a valid fully-formed launch template. The specified launch template, with template name ${name}, does not exist.`,
    );
  }
  try {
    resolveVersion(found, version);
  } catch {
    validation(`You must use a valid fully-formed launch template. The specified launch template, with template ID ${found.launchTemplateId}, does not have the version ${version}.`);
  }
  return { LaunchTemplateId: found.launchTemplateId, LaunchTemplateName: found.launchTemplateName, ...(version ? { Version: version } : { Version: '$Default' }) };
}

/** VPCZoneIdentifier (comma-separated subnets) or AvailabilityZones (their default subnets). */
function placement(ctx: RequestContext, input: In): { subnets: string[]; azs: string[] } | undefined {
  const zoneId = optStr(input, 'VPCZoneIdentifier');
  const azs = strList(input, 'AvailabilityZones');
  if (zoneId !== undefined && zoneId.trim() !== '') {
    const ids = [...new Set(zoneId.split(',').map((x) => x.trim()).filter(Boolean))];
    const subnets = ids.map((id) => {
      const sn = ctx.state.ec2.subnets[id];
      if (!sn) return validation(`The subnet ID '${id}' does not exist`);
      return sn;
    });
    if (new Set(subnets.map((s) => s.vpcId)).size > 1) validation('The subnets must all be in the same VPC.');
    if (azs.length > 0 && subnets.some((s) => !azs.includes(s.availabilityZone))) {
      validation('The availability zones of the specified subnets and the Auto Scaling group do not match');
    }
    const zones = [...new Set(subnets.map((s) => s.availabilityZone))];
    return { subnets: ids, azs: zones };
  }
  if (azs.length > 0) {
    const subnets = azs.map((az) => {
      const sn = Object.values(ctx.state.ec2.subnets).find((s) => s.availabilityZone === az && s.defaultForAz);
      if (!sn) return validation(`Invalid Availability Zone: ${az}`);
      return sn.subnetId;
    });
    return { subnets, azs: [...new Set(azs)] };
  }
  return undefined;
}

function tagsOf(input: In, name: string): GroupTag[] {
  return list(input.Tags).map((raw, i) => {
    const t = obj(raw);
    const key = optStr(t, 'Key');
    if (!key) return constraint(undefined, `tags.${i + 1}.member.key`, 'Member must not be null');
    if (key.startsWith('aws:')) validation(`Tag keys starting with 'aws:' are reserved for internal use: ${key}`);
    const rid = optStr(t, 'ResourceId');
    if (rid !== undefined && rid !== name) validation(`The resource ID ${rid} does not match the Auto Scaling group ${name}.`);
    return { Key: key, Value: optStr(t, 'Value') ?? '', PropagateAtLaunch: optBool(t, 'PropagateAtLaunch') ?? false };
  });
}

function checkSizes(min: number, max: number, desired: number | undefined): void {
  if (max < min) validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired !== undefined && (desired < min || desired > max)) {
    validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
}

export function createAutoScalingGroup(ctx: RequestContext, input: In) {
  const name = reqStr(input, 'AutoScalingGroupName', 255);
  if (input.MixedInstancesPolicy !== undefined) {
    validation('The sandbox does not support MixedInstancesPolicy; create the group from a LaunchTemplate.');
  }
  if (input.LaunchConfigurationName !== undefined || input.InstanceId !== undefined) {
    validation('The sandbox creates Auto Scaling groups from launch templates only; specify LaunchTemplate.');
  }
  const lt = launchTemplateOf(ctx, input);
  if (!lt) validation('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  const min = optInt(input, 'MinSize', 0);
  const max = optInt(input, 'MaxSize', 0);
  if (min === undefined) constraint(undefined, 'MinSize', 'Member must not be null');
  if (max === undefined) constraint(undefined, 'MaxSize', 'Member must not be null');
  const desired = optInt(input, 'DesiredCapacity', 0);
  checkSizes(min!, max!, desired);
  const where = placement(ctx, input);
  if (!where) validation('At least one Availability Zone or VPC Subnet is required.');
  const s = autoScalingState(ctx.state);
  if (own(s.groups, name)) throw new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
  const healthCheckType = optStr(input, 'HealthCheckType') ?? 'EC2';
  if (healthCheckType !== 'EC2' && healthCheckType !== 'ELB') validation(`Health check type '${healthCheckType}' is not supported. Valid values: EC2, ELB.`);
  const g: AutoScalingGroup = {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${name}`,
    LaunchTemplate: lt!,
    MinSize: min!,
    MaxSize: max!,
    DesiredCapacity: 0,
    DefaultCooldown: optInt(input, 'DefaultCooldown', 0) ?? 300,
    AvailabilityZones: where!.azs,
    subnets: where!.subnets,
    HealthCheckType: healthCheckType as AutoScalingGroup['HealthCheckType'],
    HealthCheckGracePeriod: optInt(input, 'HealthCheckGracePeriod', 0) ?? 0,
    CreatedTime: ctx.now,
    NewInstancesProtectedFromScaleIn: optBool(input, 'NewInstancesProtectedFromScaleIn') ?? false,
    TargetGroupARNs: strList(input, 'TargetGroupARNs'),
    Tags: tagsOf(input, name),
    TerminationPolicies: strList(input, 'TerminationPolicies').length ? strList(input, 'TerminationPolicies') : ['Default'],
    ServiceLinkedRoleARN:
      optStr(input, 'ServiceLinkedRoleARN') ??
      `arn:aws:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    instances: {},
  };
  changeDesired(g, ctx.now, desired ?? min!, 'a user request created an AutoScalingGroup');
  put(s.groups, name, g);
  return {};
}

export function updateAutoScalingGroup(ctx: RequestContext, input: In) {
  const g = group(ctx, reqStr(input, 'AutoScalingGroupName', 255));
  if (input.MixedInstancesPolicy !== undefined) validation('The sandbox does not support MixedInstancesPolicy.');
  const lt = launchTemplateOf(ctx, input);
  const min = optInt(input, 'MinSize', 0) ?? g.MinSize;
  const max = optInt(input, 'MaxSize', 0) ?? g.MaxSize;
  const givenDesired = optInt(input, 'DesiredCapacity', 0);
  checkSizes(min, max, givenDesired);
  const where = input.VPCZoneIdentifier !== undefined || input.AvailabilityZones !== undefined ? placement(ctx, input) : undefined;
  const cooldown = optInt(input, 'DefaultCooldown', 0);
  const grace = optInt(input, 'HealthCheckGracePeriod', 0);
  const hct = optStr(input, 'HealthCheckType');
  if (hct !== undefined && hct !== 'EC2' && hct !== 'ELB') validation(`Health check type '${hct}' is not supported. Valid values: EC2, ELB.`);
  const protect = optBool(input, 'NewInstancesProtectedFromScaleIn');
  if (lt) g.LaunchTemplate = lt;
  if (where) {
    g.subnets = where.subnets;
    g.AvailabilityZones = where.azs;
  }
  if (cooldown !== undefined) g.DefaultCooldown = cooldown;
  if (grace !== undefined) g.HealthCheckGracePeriod = grace;
  if (hct) g.HealthCheckType = hct as AutoScalingGroup['HealthCheckType'];
  if (protect !== undefined) g.NewInstancesProtectedFromScaleIn = protect;
  g.MinSize = min;
  g.MaxSize = max;
  const desired = givenDesired ?? Math.min(max, Math.max(min, g.DesiredCapacity));
  if (desired !== g.DesiredCapacity) {
    changeDesired(g, ctx.now, desired, `a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired}`);
  }
  return {};
}

function instanceOut(i: GroupInstance) {
  return {
    InstanceId: i.InstanceId,
    InstanceType: i.InstanceType,
    AvailabilityZone: i.AvailabilityZone,
    LifecycleState: i.LifecycleState,
    HealthStatus: i.HealthStatus,
    LaunchTemplate: { ...i.LaunchTemplate },
    ProtectedFromScaleIn: i.ProtectedFromScaleIn,
  };
}

function groupOut(g: AutoScalingGroup) {
  return {
    AutoScalingGroupName: g.AutoScalingGroupName,
    AutoScalingGroupARN: g.AutoScalingGroupARN,
    LaunchTemplate: { ...g.LaunchTemplate },
    MinSize: g.MinSize,
    MaxSize: g.MaxSize,
    DesiredCapacity: g.DesiredCapacity,
    DefaultCooldown: g.DefaultCooldown,
    AvailabilityZones: g.AvailabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: g.TargetGroupARNs,
    HealthCheckType: g.HealthCheckType,
    HealthCheckGracePeriod: g.HealthCheckGracePeriod,
    Instances: Object.values(g.instances)
      .sort((a, b) => (a.InstanceId < b.InstanceId ? -1 : 1))
      .map(instanceOut),
    CreatedTime: xmlDate(g.CreatedTime),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.subnets.join(','),
    EnabledMetrics: [],
    ...(g.Status ? { Status: g.Status } : {}),
    Tags: g.Tags.map((t) => ({ ResourceId: g.AutoScalingGroupName, ResourceType: 'auto-scaling-group', Key: t.Key, Value: t.Value, PropagateAtLaunch: t.PropagateAtLaunch })),
    TerminationPolicies: g.TerminationPolicies,
    NewInstancesProtectedFromScaleIn: g.NewInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: g.ServiceLinkedRoleARN,
    CapacityRebalance: false,
  };
}

export function describeAutoScalingGroups(ctx: RequestContext, input: In) {
  const names = strList(input, 'AutoScalingGroupNames');
  const filters = list(input.Filters).map((f) => ({ name: optStr(obj(f), 'Name') ?? '', values: strList(obj(f), 'Values') }));
  let groups = Object.values(autoScalingState(ctx.state).groups).sort((a, b) => (a.AutoScalingGroupName < b.AutoScalingGroupName ? -1 : 1));
  if (names.length) groups = groups.filter((g) => names.includes(g.AutoScalingGroupName));
  for (const f of filters) {
    if (f.name.startsWith('tag:')) groups = groups.filter((g) => g.Tags.some((t) => t.Key === f.name.slice(4) && f.values.includes(t.Value)));
    else if (f.name === 'tag-key') groups = groups.filter((g) => g.Tags.some((t) => f.values.includes(t.Key)));
    else if (f.name === 'tag-value') groups = groups.filter((g) => g.Tags.some((t) => f.values.includes(t.Value)));
    else validation(`Filter name ${f.name} is not supported. Supported filters: tag-key, tag-value, tag:<key>.`);
  }
  const { page, next } = paginate(groups, input, 100);
  return { AutoScalingGroups: page.map(groupOut), ...(next ? { NextToken: next } : {}) };
}

export function deleteAutoScalingGroup(ctx: RequestContext, input: In) {
  const name = reqStr(input, 'AutoScalingGroupName', 255);
  const g = group(ctx, name);
  const force = optBool(input, 'ForceDelete') ?? false;
  const s = autoScalingState(ctx.state);
  if (!force) {
    const all = Object.values(g.instances);
    if (all.some((i) => i.LifecycleState === 'Pending' || i.LifecycleState === 'Terminating')) {
      throw new AwsError('ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
    }
    if (all.length > 0) {
      throw new AwsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    }
    delete s.groups[name];
    for (const p of Object.values(s.policies)) if (p.AutoScalingGroupName === name) delete s.policies[p.PolicyARN];
    return {};
  }
  g.Status = 'Delete in progress';
  g.MinSize = 0;
  g.MaxSize = 0;
  g.DesiredCapacity = 0;
  return {};
}

export function setDesiredCapacity(ctx: RequestContext, input: In) {
  const g = group(ctx, reqStr(input, 'AutoScalingGroupName', 255));
  const desired = optInt(input, 'DesiredCapacity');
  if (desired === undefined) constraint(undefined, 'DesiredCapacity', 'Member must not be null');
  const honor = optBool(input, 'HonorCooldown') ?? false;
  if (desired! > g.MaxSize) validation(`New SetDesiredCapacity value ${desired} is above max value ${g.MaxSize} for the AutoScalingGroup.`);
  if (desired! < g.MinSize) validation(`New SetDesiredCapacity value ${desired} is below min value ${g.MinSize} for the AutoScalingGroup.`);
  if (honor && g.cooldownUntil !== undefined && ctx.now < g.cooldownUntil) {
    throw new AwsError('ScalingActivityInProgress', `The cooldown period of the Auto Scaling group ${g.AutoScalingGroupName} has not expired; try again later or set HonorCooldown to false.`);
  }
  if (desired !== g.DesiredCapacity) {
    changeDesired(g, ctx.now, desired!, 'a user request explicitly set group desired capacity');
    g.cooldownUntil = ctx.now + g.DefaultCooldown * 1000;
  }
  return {};
}

// ------------------------------------------------------------------------------- instances

function groupInstance(ctx: RequestContext, id: string): { g: AutoScalingGroup; inst: GroupInstance } | undefined {
  for (const g of Object.values(autoScalingState(ctx.state).groups)) {
    const inst = own(g.instances, id);
    if (inst) return { g, inst };
  }
  return undefined;
}

export function setInstanceProtection(ctx: RequestContext, input: In) {
  const g = group(ctx, reqStr(input, 'AutoScalingGroupName', 255));
  const ids = strList(input, 'InstanceIds');
  if (ids.length === 0) constraint(undefined, 'InstanceIds', 'Member must not be null');
  const protect = optBool(input, 'ProtectedFromScaleIn');
  if (protect === undefined) constraint(undefined, 'ProtectedFromScaleIn', 'Member must not be null');
  for (const id of ids) {
    if (!own(g.instances, id)) validation(`The instance ${id} is not part of Auto Scaling group ${g.AutoScalingGroupName}.`);
  }
  for (const id of ids) own(g.instances, id)!.ProtectedFromScaleIn = protect!;
  return {};
}

const activityOut = (a: AsgActivity) => ({
  ActivityId: a.ActivityId,
  AutoScalingGroupName: a.AutoScalingGroupName,
  Description: a.Description,
  Cause: a.Cause,
  StartTime: xmlDate(a.StartTime),
  ...(a.EndTime !== undefined ? { EndTime: xmlDate(a.EndTime) } : {}),
  StatusCode: a.StatusCode,
  ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
  Progress: a.Progress,
  Details: a.Details,
  AutoScalingGroupARN: a.AutoScalingGroupARN,
});

export function terminateInstanceInAutoScalingGroup(ctx: RequestContext, input: In) {
  const id = reqStr(input, 'InstanceId', 19);
  const decrement = optBool(input, 'ShouldDecrementDesiredCapacity');
  if (decrement === undefined) constraint(undefined, 'ShouldDecrementDesiredCapacity', 'Member must not be null');
  const found = groupInstance(ctx, id);
  if (!found || found.g.Status === 'Delete in progress') return validation(`Instance Id not found - No managed instance found for instance ID: ${id}`);
  const { g, inst } = found;
  const s = autoScalingState(ctx.state);
  const t = causeTime(ctx.now);
  if (inst.LifecycleState === 'Terminating') {
    const a = s.activities.find((x) => x.ActivityId === inst.activityId);
    if (a) return { Activity: activityOut(a) };
  }
  let cause: string;
  if (decrement) {
    if (g.DesiredCapacity <= g.MinSize) {
      validation(
        `Currently, desiredSize equals minSize (${g.MinSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
      );
    }
    cause = `At ${t} instance ${id} was taken out of service in response to a user request, shrinking the capacity from ${g.DesiredCapacity} to ${g.DesiredCapacity - 1}.`;
    g.DesiredCapacity -= 1;
  } else {
    cause = `At ${t} instance ${id} was taken out of service in response to a user request.`;
  }
  const a = terminateGroupInstance({ engine: ctx.engine, rs: ctx.state, now: ctx.now }, s, g, inst, cause);
  return { Activity: activityOut(a) };
}

export function describeAutoScalingInstances(ctx: RequestContext, input: In) {
  const ids = strList(input, 'InstanceIds');
  const rows: (GroupInstance & { group: string })[] = [];
  for (const g of Object.values(autoScalingState(ctx.state).groups)) {
    for (const i of Object.values(g.instances)) if (!ids.length || ids.includes(i.InstanceId)) rows.push({ ...i, group: g.AutoScalingGroupName });
  }
  rows.sort((a, b) => (a.InstanceId < b.InstanceId ? -1 : 1));
  const { page, next } = paginate(rows, input, 50);
  return {
    AutoScalingInstances: page.map((i) => ({
      InstanceId: i.InstanceId,
      InstanceType: i.InstanceType,
      AutoScalingGroupName: i.group,
      AvailabilityZone: i.AvailabilityZone,
      LifecycleState: i.LifecycleState,
      // DescribeAutoScalingInstances spells health in capitals, unlike DescribeAutoScalingGroups.
      HealthStatus: i.HealthStatus.toUpperCase(),
      LaunchTemplate: { ...i.LaunchTemplate },
      ProtectedFromScaleIn: i.ProtectedFromScaleIn,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

export function describeScalingActivities(ctx: RequestContext, input: In) {
  const ids = strList(input, 'ActivityIds');
  const name = optStr(input, 'AutoScalingGroupName');
  const includeDeleted = optBool(input, 'IncludeDeletedGroups') ?? false;
  const s = autoScalingState(ctx.state);
  const all = s.activities.filter(
    (a) =>
      (!ids.length || ids.includes(a.ActivityId)) &&
      (!name || a.AutoScalingGroupName === name) &&
      (includeDeleted || ids.length > 0 || !!own(s.groups, a.AutoScalingGroupName)),
  );
  const { page, next } = paginate(all, input, 100);
  return { Activities: page.map(activityOut), ...(next ? { NextToken: next } : {}) };
}

// -------------------------------------------------------------------------------- policies

const ADJUSTMENT_TYPES: readonly AdjustmentType[] = ['ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity'];

export function putScalingPolicy(ctx: RequestContext, input: In) {
  const g = group(ctx, reqStr(input, 'AutoScalingGroupName', 255));
  const name = reqStr(input, 'PolicyName', 255);
  const type = optStr(input, 'PolicyType') ?? 'SimpleScaling';
  if (type === 'TargetTrackingScaling' || type === 'PredictiveScaling') {
    validation(`The sandbox supports SimpleScaling and StepScaling policies for Auto Scaling groups, not ${type}.`);
  }
  if (type !== 'SimpleScaling' && type !== 'StepScaling') validation(`Invalid policy type ${type}. Valid values: SimpleScaling, StepScaling, TargetTrackingScaling, PredictiveScaling.`);
  const adjustmentType = optStr(input, 'AdjustmentType') as AdjustmentType | undefined;
  if (!adjustmentType) validation(`AdjustmentType is required for policy type ${type}.`);
  if (!ADJUSTMENT_TYPES.includes(adjustmentType!)) validation(`Invalid adjustment type ${adjustmentType}. Valid values: ${ADJUSTMENT_TYPES.join(', ')}.`);
  const mam = optInt(input, 'MinAdjustmentMagnitude', 1);
  if (mam !== undefined && adjustmentType !== 'PercentChangeInCapacity') validation('MinAdjustmentMagnitude is only supported with PercentChangeInCapacity.');
  const s = autoScalingState(ctx.state);
  const existing = Object.values(s.policies).find((p) => p.AutoScalingGroupName === g.AutoScalingGroupName && p.PolicyName === name);
  const arn = existing?.PolicyARN ?? `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${randomUUID()}:autoScalingGroupName/${g.AutoScalingGroupName}:policyName/${name}`;
  const base = { PolicyARN: arn, PolicyName: name, AutoScalingGroupName: g.AutoScalingGroupName, AdjustmentType: adjustmentType!, Alarms: [], Enabled: optBool(input, 'Enabled') ?? true };
  let p: AsgPolicy;
  if (type === 'SimpleScaling') {
    const adj = optInt(input, 'ScalingAdjustment');
    if (adj === undefined) validation('ScalingAdjustment is required for policy type SimpleScaling.');
    if (input.StepAdjustments !== undefined) validation('StepAdjustments is not supported for policy type SimpleScaling.');
    const cooldown = optInt(input, 'Cooldown', 0);
    p = { ...base, PolicyType: 'SimpleScaling', ScalingAdjustment: adj!, ...(cooldown !== undefined ? { Cooldown: cooldown } : {}), ...(mam !== undefined ? { MinAdjustmentMagnitude: mam } : {}) };
  } else {
    if (input.ScalingAdjustment !== undefined) validation('ScalingAdjustment is not supported for policy type StepScaling.');
    if (input.Cooldown !== undefined) validation('Cooldown is not supported for policy type StepScaling.');
    const steps = list(input.StepAdjustments).map((raw, i) => {
      const o = obj(raw);
      const adj = optInt(o, 'ScalingAdjustment');
      if (adj === undefined) constraint(undefined, `stepAdjustments.${i + 1}.member.scalingAdjustment`, 'Member must not be null');
      const lower = optNum(o, 'MetricIntervalLowerBound');
      const upper = optNum(o, 'MetricIntervalUpperBound');
      return { ...(lower !== undefined ? { MetricIntervalLowerBound: lower } : {}), ...(upper !== undefined ? { MetricIntervalUpperBound: upper } : {}), ScalingAdjustment: adj! };
    });
    if (steps.length === 0) validation('StepAdjustments is required for policy type StepScaling.');
    const problem = stepProblem(steps.map((x) => ({ lower: x.MetricIntervalLowerBound, upper: x.MetricIntervalUpperBound, adjustment: x.ScalingAdjustment })));
    if (problem) validation(problem);
    const agg = optStr(input, 'MetricAggregationType') ?? 'Average';
    if (!['Average', 'Minimum', 'Maximum'].includes(agg)) validation(`Invalid metric aggregation type ${agg}. Valid values: Average, Minimum, Maximum.`);
    const warmup = optInt(input, 'EstimatedInstanceWarmup', 0);
    p = {
      ...base,
      PolicyType: 'StepScaling',
      StepAdjustments: steps,
      MetricAggregationType: agg,
      ...(warmup !== undefined ? { EstimatedInstanceWarmup: warmup } : {}),
      ...(mam !== undefined ? { MinAdjustmentMagnitude: mam } : {}),
    };
  }
  s.policies[arn] = p;
  return { PolicyARN: arn, Alarms: [] };
}

const policyOut = (p: AsgPolicy) => ({
  AutoScalingGroupName: p.AutoScalingGroupName,
  PolicyName: p.PolicyName,
  PolicyARN: p.PolicyARN,
  PolicyType: p.PolicyType,
  AdjustmentType: p.AdjustmentType,
  ...(p.MinAdjustmentMagnitude !== undefined ? { MinAdjustmentMagnitude: p.MinAdjustmentMagnitude } : {}),
  ...(p.ScalingAdjustment !== undefined ? { ScalingAdjustment: p.ScalingAdjustment } : {}),
  ...(p.Cooldown !== undefined ? { Cooldown: p.Cooldown } : {}),
  StepAdjustments: p.StepAdjustments ?? [],
  ...(p.MetricAggregationType ? { MetricAggregationType: p.MetricAggregationType } : {}),
  ...(p.EstimatedInstanceWarmup !== undefined ? { EstimatedInstanceWarmup: p.EstimatedInstanceWarmup } : {}),
  Alarms: p.Alarms,
  Enabled: p.Enabled,
});

export function describePolicies(ctx: RequestContext, input: In) {
  const groupName = optStr(input, 'AutoScalingGroupName');
  const names = strList(input, 'PolicyNames');
  const types = strList(input, 'PolicyTypes');
  const all = Object.values(autoScalingState(ctx.state).policies).filter(
    (p) => (!groupName || p.AutoScalingGroupName === groupName) && (!names.length || names.includes(p.PolicyName) || names.includes(p.PolicyARN)) && (!types.length || types.includes(p.PolicyType)),
  );
  const { page, next } = paginate(all, input, 100);
  return { ScalingPolicies: page.map(policyOut), ...(next ? { NextToken: next } : {}) };
}

function findPolicy(ctx: RequestContext, groupName: string | undefined, nameOrArn: string): AsgPolicy | undefined {
  return Object.values(autoScalingState(ctx.state).policies).find(
    (p) => p.PolicyARN === nameOrArn || (p.PolicyName === nameOrArn && (!groupName || p.AutoScalingGroupName === groupName)),
  );
}

export function deletePolicy(ctx: RequestContext, input: In) {
  const groupName = optStr(input, 'AutoScalingGroupName');
  const name = reqStr(input, 'PolicyName');
  if (groupName !== undefined) group(ctx, groupName);
  const p = findPolicy(ctx, groupName, name);
  if (!p) validation(`Policy ${name} not found${groupName ? ` for Auto Scaling group ${groupName}` : ''}.`);
  delete autoScalingState(ctx.state).policies[p!.PolicyARN];
  return {};
}

export function executePolicy(ctx: RequestContext, input: In) {
  const groupName = optStr(input, 'AutoScalingGroupName');
  const name = reqStr(input, 'PolicyName');
  if (groupName !== undefined) group(ctx, groupName);
  const p = findPolicy(ctx, groupName, name);
  if (!p) return validation(`Policy ${name} not found${groupName ? ` for Auto Scaling group ${groupName}` : ''}.`);
  const g = group(ctx, p.AutoScalingGroupName);
  const honor = optBool(input, 'HonorCooldown') ?? false;
  const value = optNum(input, 'MetricValue');
  const threshold = optNum(input, 'BreachThreshold');
  if (p.PolicyType === 'StepScaling' && (value === undefined || threshold === undefined)) {
    validation('MetricValue and BreachThreshold are required to execute a StepScaling policy.');
  }
  if (p.PolicyType === 'SimpleScaling' && (value !== undefined || threshold !== undefined)) {
    validation('MetricValue and BreachThreshold are only supported for StepScaling policies.');
  }
  const r = executeAsgPolicy(g, p, ctx.now, { why: `a user request executed policy ${p.PolicyName}`, value, threshold, honorCooldown: honor });
  if (r === 'cooldown' && p.PolicyType === 'SimpleScaling') {
    throw new AwsError('ScalingActivityInProgress', `The cooldown period of the Auto Scaling group ${g.AutoScalingGroupName} has not expired; the policy ${p.PolicyName} was not executed.`);
  }
  return {};
}


