/**
 * Auto Scaling groups: CreateAutoScalingGroup, UpdateAutoScalingGroup, DescribeAutoScalingGroups,
 * DeleteAutoScalingGroup, SetDesiredCapacity. Groups come from launch templates; their instances
 * are launched / terminated by reconcile.ts on the next tick.
 */
import { randomUUID } from 'node:crypto';
import type {
  CreateAutoScalingGroupCommandInput,
  DeleteAutoScalingGroupCommandInput,
  DescribeAutoScalingGroupsCommandInput,
  LaunchTemplateSpecification,
  SetDesiredCapacityCommandInput,
  Tag,
  UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { findTemplate, resolveVersion, type TemplateData } from '../ec2';
import { ensureServiceLinkedRole, resolveInstanceProfile } from '../iam';
import { AUTO_SCALING, autoScalingFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own, put } from '../records';
import { xmlDate, type RequestContext } from '../service';
import { changeDesired } from './execute';
import { launchConfiguration } from './launch-configurations';
import type { AlarmScope } from '../application-autoscaling/alarms';
import { autoScalingState, type AutoScalingGroup, type AutoScalingState, type GroupInstance, type GroupTag } from './model';
import { deleteAsgPolicy } from './target-tracking';

const groupNotFound = (name: string): never => f.fail(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);

/** The group named, unless it does not exist or is being deleted. */
export function group(ctx: RequestContext, name: string): AutoScalingGroup {
  const g = own(autoScalingState(ctx.state).groups, name);
  if (!g || g.Status === 'Delete in progress') return groupNotFound(name);
  return g;
}

/** A page of a Describe operation: MaxRecords 1–`max`. */
export const pageSize = (v: number | undefined, max: number): number => f.int(v, 'MaxRecords', { min: 1, max }) ?? max;

function launchTemplateOf(ctx: RequestContext, lt: LaunchTemplateSpecification | undefined): AutoScalingGroup['LaunchTemplate'] | undefined {
  if (lt === undefined) return undefined;
  const id = lt.LaunchTemplateId;
  const name = lt.LaunchTemplateName;
  const version = lt.Version;
  if (!id && !name) f.fail('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  if (id && name) f.fail('Valid requests must contain either launchTemplateId or LaunchTemplateName, not both');
  let found;
  try {
    found = findTemplate(ctx, { id, name });
  } catch {
    return f.fail(
      id
        ? `You must use a valid fully-formed launch template. The specified launch template, with template ID ${id}, does not exist.`
        : `You must use a valid fully-formed launch template. The specified launch template, with template name ${name}, does not exist.`,
    );
  }
  let data: TemplateData;
  try {
    data = resolveVersion(found, version).data;
  } catch {
    return f.fail(`You must use a valid fully-formed launch template. The specified launch template, with template ID ${found.launchTemplateId}, does not have the version ${version}.`);
  }
  // Auto Scaling tries the template as a launch would: an instance profile IAM does not have is refused now.
  if (data.iamInstanceProfile) {
    try {
      resolveInstanceProfile(ctx.world, data.iamInstanceProfile);
    } catch (e) {
      f.fail(`You must use a valid fully-formed launch template. ${(e as Error).message}`);
    }
  }
  return { LaunchTemplateId: found.launchTemplateId, LaunchTemplateName: found.launchTemplateName, ...(version ? { Version: version } : { Version: '$Default' }) };
}

/** VPCZoneIdentifier (comma-separated subnets) or AvailabilityZones (their default subnets). */
function placement(ctx: RequestContext, input: { VPCZoneIdentifier?: string; AvailabilityZones?: string[] }): { subnets: string[]; azs: string[] } | undefined {
  const zoneId = input.VPCZoneIdentifier;
  const azs = input.AvailabilityZones ?? [];
  if (zoneId !== undefined && zoneId.trim() !== '') {
    const ids = [...new Set(zoneId.split(',').map((x) => x.trim()).filter(Boolean))];
    const subnets = ids.map((id) => {
      const sn = ctx.state.ec2.subnets[id];
      if (!sn) return f.fail(`The subnet ID '${id}' does not exist`);
      return sn;
    });
    if (new Set(subnets.map((s) => s.vpcId)).size > 1) f.fail('The subnets must all be in the same VPC.');
    if (azs.length > 0 && subnets.some((s) => !azs.includes(s.availabilityZone))) {
      f.fail('The availability zones of the specified subnets and the Auto Scaling group do not match');
    }
    const zones = [...new Set(subnets.map((s) => s.availabilityZone))];
    return { subnets: ids, azs: zones };
  }
  if (azs.length > 0) {
    const subnets = azs.map((az) => {
      const sn = Object.values(ctx.state.ec2.subnets).find((s) => s.availabilityZone === az && s.defaultForAz);
      if (!sn) return f.fail(`Invalid Availability Zone: ${az}`);
      return sn.subnetId;
    });
    return { subnets, azs: [...new Set(azs)] };
  }
  return undefined;
}

function tagsOf(tags: Tag[] | undefined, name: string): GroupTag[] {
  return (tags ?? []).map((t, i) => {
    const key = f.str(t.Key, ['Tags', i, 'Key'], { required: true, min: 1 });
    if (key.startsWith('aws:')) f.fail(`Tag keys starting with 'aws:' are reserved for internal use: ${key}`);
    const rid = t.ResourceId;
    if (rid !== undefined && rid !== name) f.fail(`The resource ID ${rid} does not match the Auto Scaling group ${name}.`);
    return { Key: key, Value: t.Value ?? '', PropagateAtLaunch: t.PropagateAtLaunch ?? false };
  });
}

function checkSizes(min: number, max: number, desired: number | undefined): void {
  if (max < min) f.fail(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired !== undefined && (desired < min || desired > max)) {
    f.fail(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
}

export const createAutoScalingGroup: Operation<CreateAutoScalingGroupCommandInput> = (ctx, input) => {
  const name = f.str(input.AutoScalingGroupName, 'AutoScalingGroupName', { required: true, min: 1, max: 255 });
  if (input.MixedInstancesPolicy !== undefined) {
    f.fail('The sandbox does not support MixedInstancesPolicy; create the group from a LaunchTemplate.');
  }
  if (input.InstanceId !== undefined) {
    f.fail('The sandbox creates Auto Scaling groups from a LaunchTemplate or a LaunchConfigurationName; InstanceId is not supported.');
  }
  if (input.LaunchTemplate !== undefined && input.LaunchConfigurationName !== undefined) {
    f.fail('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  }
  const lt = launchTemplateOf(ctx, input.LaunchTemplate);
  const lcName = input.LaunchConfigurationName === undefined ? undefined : launchConfiguration(ctx, input.LaunchConfigurationName).LaunchConfigurationName;
  if (!lt && !lcName) f.fail('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  const min = f.int(input.MinSize, 'MinSize', { required: true, min: 0 });
  const max = f.int(input.MaxSize, 'MaxSize', { required: true, min: 0 });
  const desired = f.int(input.DesiredCapacity, 'DesiredCapacity', { min: 0 });
  checkSizes(min, max, desired);
  const where = placement(ctx, input);
  if (!where) f.fail('At least one Availability Zone or VPC Subnet is required.');
  const s = autoScalingState(ctx.state);
  if (own(s.groups, name)) throw new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
  const healthCheckType = input.HealthCheckType ?? 'EC2';
  if (healthCheckType !== 'EC2' && healthCheckType !== 'ELB') f.fail(`Health check type '${healthCheckType}' is not supported. Valid values: EC2, ELB.`);
  const g: AutoScalingGroup = {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${name}`,
    ...(lt ? { LaunchTemplate: lt } : { LaunchConfigurationName: lcName }),
    MinSize: min,
    MaxSize: max,
    DesiredCapacity: 0,
    DefaultCooldown: f.int(input.DefaultCooldown, 'DefaultCooldown', { min: 0 }) ?? 300,
    AvailabilityZones: where!.azs,
    subnets: where!.subnets,
    HealthCheckType: healthCheckType as AutoScalingGroup['HealthCheckType'],
    HealthCheckGracePeriod: f.int(input.HealthCheckGracePeriod, 'HealthCheckGracePeriod', { min: 0 }) ?? 0,
    CreatedTime: ctx.now,
    NewInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
    TargetGroupARNs: input.TargetGroupARNs ?? [],
    Tags: tagsOf(input.Tags, name),
    TerminationPolicies: input.TerminationPolicies?.length ? input.TerminationPolicies : ['Default'],
    ServiceLinkedRoleARN:
      input.ServiceLinkedRoleARN ??
      `arn:aws:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    instances: {},
  };
  changeDesired(g, ctx.now, desired ?? min, 'a user request created an AutoScalingGroup');
  put(s.groups, name, g);
  if (input.ServiceLinkedRoleARN === undefined) ensureServiceLinkedRole(ctx.world, ctx.now, 'autoscaling.amazonaws.com');
  return {};
}

export const updateAutoScalingGroup: Operation<UpdateAutoScalingGroupCommandInput> = (ctx, input) => {
  const g = group(ctx, f.str(input.AutoScalingGroupName, 'AutoScalingGroupName', { required: true, min: 1, max: 255 }));
  if (input.MixedInstancesPolicy !== undefined) f.fail('The sandbox does not support MixedInstancesPolicy.');
  if (input.LaunchTemplate !== undefined && input.LaunchConfigurationName !== undefined) {
    f.fail('Valid requests must contain either LaunchTemplate or LaunchConfigurationName, not both.');
  }
  const lt = launchTemplateOf(ctx, input.LaunchTemplate);
  const lcName = input.LaunchConfigurationName === undefined ? undefined : launchConfiguration(ctx, input.LaunchConfigurationName).LaunchConfigurationName;
  const min = f.int(input.MinSize, 'MinSize', { min: 0 }) ?? g.MinSize;
  const max = f.int(input.MaxSize, 'MaxSize', { min: 0 }) ?? g.MaxSize;
  const givenDesired = f.int(input.DesiredCapacity, 'DesiredCapacity', { min: 0 });
  checkSizes(min, max, givenDesired);
  const where = input.VPCZoneIdentifier !== undefined || input.AvailabilityZones !== undefined ? placement(ctx, input) : undefined;
  const cooldown = f.int(input.DefaultCooldown, 'DefaultCooldown', { min: 0 });
  const grace = f.int(input.HealthCheckGracePeriod, 'HealthCheckGracePeriod', { min: 0 });
  const hct = input.HealthCheckType;
  if (hct !== undefined && hct !== 'EC2' && hct !== 'ELB') f.fail(`Health check type '${hct}' is not supported. Valid values: EC2, ELB.`);
  const protect = input.NewInstancesProtectedFromScaleIn;
  if (lt) {
    g.LaunchTemplate = lt;
    delete g.LaunchConfigurationName;
  }
  if (lcName) {
    g.LaunchConfigurationName = lcName;
    delete g.LaunchTemplate;
  }
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

/** `LaunchTemplate` or `LaunchConfigurationName`, whichever a group or instance has. */
export const launchSourceOut = (x: { LaunchTemplate?: object; LaunchConfigurationName?: string }) =>
  x.LaunchTemplate ? { LaunchTemplate: { ...x.LaunchTemplate } } : x.LaunchConfigurationName ? { LaunchConfigurationName: x.LaunchConfigurationName } : {};

function instanceOut(i: GroupInstance) {
  return {
    InstanceId: i.InstanceId,
    InstanceType: i.InstanceType,
    AvailabilityZone: i.AvailabilityZone,
    LifecycleState: i.LifecycleState,
    HealthStatus: i.HealthStatus,
    ...launchSourceOut(i),
    ProtectedFromScaleIn: i.ProtectedFromScaleIn,
  };
}

function groupOut(g: AutoScalingGroup) {
  return {
    AutoScalingGroupName: g.AutoScalingGroupName,
    AutoScalingGroupARN: g.AutoScalingGroupARN,
    ...launchSourceOut(g),
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

export const describeAutoScalingGroups: Operation<DescribeAutoScalingGroupsCommandInput> = (ctx, input) => {
  const names = input.AutoScalingGroupNames ?? [];
  const filters = (input.Filters ?? []).map((x) => ({ name: x.Name ?? '', values: x.Values ?? [] }));
  let groups = Object.values(autoScalingState(ctx.state).groups).sort((a, b) => (a.AutoScalingGroupName < b.AutoScalingGroupName ? -1 : 1));
  if (names.length) groups = groups.filter((g) => names.includes(g.AutoScalingGroupName));
  for (const filter of filters) {
    const { name, values } = filter;
    if (name.startsWith('tag:')) groups = groups.filter((g) => g.Tags.some((t) => t.Key === name.slice(4) && values.includes(t.Value)));
    else if (name === 'tag-key') groups = groups.filter((g) => g.Tags.some((t) => values.includes(t.Key)));
    else if (name === 'tag-value') groups = groups.filter((g) => g.Tags.some((t) => values.includes(t.Value)));
    else f.fail(`Filter name ${name} is not supported. Supported filters: tag-key, tag-value, tag:<key>.`);
  }
  const { page, next } = paginate(groups, { op: 'DescribeAutoScalingGroups', size: pageSize(input.MaxRecords, 100), token: input.NextToken, key: (g) => g.AutoScalingGroupName }, AUTO_SCALING);
  return { AutoScalingGroups: page.map(groupOut), ...(next ? { NextToken: next } : {}) };
}

/** What goes with a deleted group: its policies (with their target tracking alarms) and scheduled actions. */
export function forgetGroup(scope: AlarmScope | RequestContext, s: AutoScalingState, name: string): void {
  for (const p of Object.values(s.policies)) if (p.AutoScalingGroupName === name) deleteAsgPolicy(scope, p);
  for (const a of Object.values(s.scheduledActions)) if (a.AutoScalingGroupName === name) delete s.scheduledActions[a.ScheduledActionARN];
}

export const deleteAutoScalingGroup: Operation<DeleteAutoScalingGroupCommandInput> = (ctx, input) => {
  const name = f.str(input.AutoScalingGroupName, 'AutoScalingGroupName', { required: true, min: 1, max: 255 });
  const g = group(ctx, name);
  const force = input.ForceDelete ?? false;
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
    forgetGroup(ctx, s, name);
    return {};
  }
  g.Status = 'Delete in progress';
  g.MinSize = 0;
  g.MaxSize = 0;
  g.DesiredCapacity = 0;
  return {};
}

export const setDesiredCapacity: Operation<SetDesiredCapacityCommandInput> = (ctx, input) => {
  const g = group(ctx, f.str(input.AutoScalingGroupName, 'AutoScalingGroupName', { required: true, min: 1, max: 255 }));
  const desired = f.int(input.DesiredCapacity, 'DesiredCapacity', { required: true });
  const honor = input.HonorCooldown ?? false;
  if (desired > g.MaxSize) f.fail(`New SetDesiredCapacity value ${desired} is above max value ${g.MaxSize} for the AutoScalingGroup.`);
  if (desired < g.MinSize) f.fail(`New SetDesiredCapacity value ${desired} is below min value ${g.MinSize} for the AutoScalingGroup.`);
  if (honor && g.cooldownUntil !== undefined && ctx.now < g.cooldownUntil) {
    throw new AwsError('ScalingActivityInProgress', `The cooldown period of the Auto Scaling group ${g.AutoScalingGroupName} has not expired; try again later or set HonorCooldown to false.`);
  }
  if (desired !== g.DesiredCapacity) {
    changeDesired(g, ctx.now, desired, 'a user request explicitly set group desired capacity');
    g.cooldownUntil = ctx.now + g.DefaultCooldown * 1000;
  }
  return {};
}
