/**
 * What EC2 Auto Scaling does over time, run from the extension's tick: follow its instances'
 * EC2 states (Pending → InService, Terminating → gone), and keep the number of Pending + InService
 * instances equal to the desired capacity — launching from the group's launch template balanced
 * across its Availability Zones, terminating unprotected instances from the AZ with the most
 * instances (then the oldest) — with an activity per instance in Auto Scaling's words.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine';
import { addActivity } from '../service-state';
import type { RegionState, Tag } from '../engine/state';
import { launchInstances, type LaunchRequest } from '../ec2';
import { forgetGroup } from './groups';
import { runScheduledActions } from './scheduled-actions';
import {
  autoScalingState,
  causeTime,
  countsTowardCapacity,
  type AsgActivity,
  type AutoScalingGroup,
  type AutoScalingState,
  type GroupInstance,
  type LaunchConfiguration,
} from './model';

export interface Scope {
  engine: Engine;
  rs: RegionState;
  now: number;
}

/** Simulated ms before a failed launch is tried again. */
export const LAUNCH_RETRY_MS = 30_000;

function newActivity(g: AutoScalingGroup, now: number, description: string, cause: string, details: Record<string, string>): AsgActivity {
  return {
    ActivityId: randomUUID(),
    AutoScalingGroupName: g.AutoScalingGroupName,
    AutoScalingGroupARN: g.AutoScalingGroupARN,
    Description: description,
    Cause: cause,
    StartTime: now,
    StatusCode: 'InProgress',
    Progress: 50,
    Details: JSON.stringify(details),
  };
}

function finishActivity(s: AutoScalingState, id: string | undefined, now: number): void {
  const a = id ? s.activities.find((x) => x.ActivityId === id) : undefined;
  if (!a || a.StatusCode === 'Successful' || a.StatusCode === 'Failed') return;
  a.StatusCode = 'Successful';
  a.Progress = 100;
  a.EndTime = now;
}

const join = (first: string | undefined, rest: string): string => (first ? `${first}  ${rest}` : rest);

/** Starts terminating one instance of the group (the engine shuts it down; ECS stops its tasks). */
export function terminateGroupInstance(scope: Scope, s: AutoScalingState, g: AutoScalingGroup, inst: GroupInstance, cause: string): AsgActivity {
  const subnet = scope.rs.ec2.instances[inst.InstanceId]?.subnetId;
  const a = newActivity(g, scope.now, `Terminating EC2 instance: ${inst.InstanceId}`, cause, {
    ...(subnet ? { 'Subnet ID': subnet } : {}),
    'Availability Zone': inst.AvailabilityZone,
  });
  addActivity(s.activities, a);
  inst.LifecycleState = 'Terminating';
  inst.activityId = a.ActivityId;
  scope.engine.terminateInstance(scope.rs, inst.InstanceId);
  return a;
}

/** Follows the EC2 state of the group's instances. */
function syncInstances(scope: Scope, s: AutoScalingState, g: AutoScalingGroup): void {
  const { rs, now } = scope;
  for (const inst of Object.values(g.instances)) {
    const ec2 = rs.ec2.instances[inst.InstanceId];
    const gone = !ec2 || ec2.state === 'terminated';
    if (inst.LifecycleState === 'Terminating') {
      if (gone) {
        finishActivity(s, inst.activityId, now);
        delete g.instances[inst.InstanceId];
      }
      continue;
    }
    if (gone || ec2.state === 'shutting-down' || ec2.state === 'stopping' || ec2.state === 'stopped') {
      // Terminated or stopped outside Auto Scaling: unhealthy, taken out of service and replaced.
      inst.HealthStatus = 'Unhealthy';
      const a = newActivity(
        g,
        now,
        `Terminating EC2 instance: ${inst.InstanceId}`,
        `At ${causeTime(now)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
        { 'Availability Zone': inst.AvailabilityZone },
      );
      addActivity(s.activities, a);
      inst.activityId = a.ActivityId;
      inst.LifecycleState = 'Terminating';
      if (!gone && ec2.state !== 'shutting-down') scope.engine.terminateInstance(rs, inst.InstanceId);
      if (gone) {
        finishActivity(s, a.ActivityId, now);
        delete g.instances[inst.InstanceId];
      }
      continue;
    }
    if (inst.LifecycleState === 'Pending' && ec2.state === 'running') {
      inst.LifecycleState = 'InService';
      finishActivity(s, inst.activityId, now);
    }
  }
}

/** What RunInstances gets from a launch configuration (security groups by id, or by name). */
function fromLaunchConfiguration(lc: LaunchConfiguration): Partial<LaunchRequest> {
  const ids = lc.SecurityGroups.filter((x) => x.startsWith('sg-'));
  const names = lc.SecurityGroups.filter((x) => !x.startsWith('sg-'));
  const profile = lc.IamInstanceProfile;
  return {
    imageId: lc.ImageId,
    instanceType: lc.InstanceType,
    ...(ids.length ? { securityGroupIds: ids } : {}),
    ...(names.length ? { securityGroupNames: names } : {}),
    ...(lc.UserData ? { userData: lc.UserData } : {}),
    ...(lc.KeyName ? { keyName: lc.KeyName } : {}),
    ...(profile ? { iamInstanceProfile: profile.startsWith('arn:') ? { arn: profile } : { name: profile } } : {}),
  };
}

/** The AZ that gets the next instance: the one with the fewest, in the group's order on ties. */
function nextAz(g: AutoScalingGroup, counts: Map<string, number>): string {
  let best = g.AvailabilityZones[0];
  for (const az of g.AvailabilityZones) if ((counts.get(az) ?? 0) < (counts.get(best) ?? 0)) best = az;
  return best;
}

function launchOne(scope: Scope, s: AutoScalingState, g: AutoScalingGroup, az: string, cause: string): boolean {
  const { rs, now } = scope;
  const subnets = g.subnets.filter((id) => rs.ec2.subnets[id]?.availabilityZone === az);
  // Spread over the AZ's subnets too.
  const used = new Map<string, number>();
  for (const i of Object.values(g.instances)) {
    const sn = rs.ec2.instances[i.InstanceId]?.subnetId;
    if (sn) used.set(sn, (used.get(sn) ?? 0) + 1);
  }
  const subnetId = [...subnets].sort((a, b) => (used.get(a) ?? 0) - (used.get(b) ?? 0))[0];
  const tags: Tag[] = [
    ...g.Tags.filter((t) => t.PropagateAtLaunch && !t.Key.startsWith('aws:')).map((t) => ({ key: t.Key, value: t.Value })),
    { key: 'aws:autoscaling:groupName', value: g.AutoScalingGroupName },
  ];
  try {
    const lc = g.LaunchConfigurationName !== undefined ? s.launchConfigurations[g.LaunchConfigurationName] : undefined;
    if (g.LaunchConfigurationName !== undefined && !lc) throw new Error(`The launch configuration ${g.LaunchConfigurationName} does not exist`);
    const ctx = { region: rs.region, accountId: scope.engine.world.accountId, world: scope.engine.world, state: rs, now, engine: scope.engine };
    const launched = launchInstances(ctx, { minCount: 1, maxCount: 1, subnetId, tags, ...(lc ? fromLaunchConfiguration(lc) : { launchTemplate: { id: g.LaunchTemplate?.LaunchTemplateId, version: g.LaunchTemplate?.Version ?? '$Default' } }) });
    const ec2 = launched.instances[0];
    const a = newActivity(g, now, `Launching a new EC2 instance: ${ec2.instanceId}`, cause, { 'Subnet ID': ec2.subnetId, 'Availability Zone': ec2.availabilityZone });
    addActivity(s.activities, a);
    g.instances[ec2.instanceId] = {
      InstanceId: ec2.instanceId,
      InstanceType: ec2.instanceType,
      AvailabilityZone: ec2.availabilityZone,
      LifecycleState: 'Pending',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: g.NewInstancesProtectedFromScaleIn,
      ...(lc
        ? { LaunchConfigurationName: lc.LaunchConfigurationName }
        : {
            LaunchTemplate: {
              LaunchTemplateId: ec2.launchTemplate?.launchTemplateId ?? g.LaunchTemplate?.LaunchTemplateId ?? '',
              LaunchTemplateName: ec2.launchTemplate?.launchTemplateName ?? g.LaunchTemplate?.LaunchTemplateName ?? '',
              Version: ec2.launchTemplate?.version ?? g.LaunchTemplate?.Version ?? '$Default',
            },
          }),
      launchedAt: now,
      activityId: a.ActivityId,
    };
    return true;
  } catch (e) {
    const msg = (e as Error).message;
    addActivity(s.activities, {
      ...newActivity(g, now, `Launching a new EC2 instance.  Status Reason: ${msg}. Launching EC2 instance failed.`, cause, {
        ...(subnetId ? { 'Subnet ID': subnetId } : {}),
        'Availability Zone': az,
      }),
      StatusCode: 'Failed',
      StatusMessage: `${msg}. Launching EC2 instance failed.`,
      Progress: 100,
      EndTime: now,
    });
    g.launchRetryAt = now + LAUNCH_RETRY_MS;
    return false;
  }
}

/**
 * The instance to terminate on scale-in: unprotected, in the AZ with the most instances (among AZs
 * that have an unprotected one), then the oldest launch. Undefined when all are protected.
 */
export function pickForTermination(g: AutoScalingGroup): GroupInstance | undefined {
  const live = Object.values(g.instances).filter(countsTowardCapacity);
  const counts = new Map<string, number>();
  for (const i of live) counts.set(i.AvailabilityZone, (counts.get(i.AvailabilityZone) ?? 0) + 1);
  const candidates = live.filter((i) => !i.ProtectedFromScaleIn);
  if (candidates.length === 0) return undefined;
  const maxInAz = Math.max(...candidates.map((i) => counts.get(i.AvailabilityZone) ?? 0));
  return candidates
    .filter((i) => (counts.get(i.AvailabilityZone) ?? 0) === maxInAz)
    .sort((a, b) => a.launchedAt - b.launchedAt || (a.InstanceId < b.InstanceId ? -1 : 1))[0];
}

function reconcileGroup(scope: Scope, s: AutoScalingState, g: AutoScalingGroup): void {
  const { now } = scope;
  syncInstances(scope, s, g);
  if (g.Status === 'Delete in progress') {
    for (const inst of Object.values(g.instances)) {
      if (inst.LifecycleState !== 'Terminating') {
        terminateGroupInstance(scope, s, g, inst, `At ${causeTime(now)} an instance was taken out of service in response to a user request to delete the group.`);
      }
    }
    if (Object.keys(g.instances).length === 0) {
      delete s.groups[g.AutoScalingGroupName];
      forgetGroup(scope, s, g.AutoScalingGroupName);
    }
    return;
  }
  const live = Object.values(g.instances).filter(countsTowardCapacity);
  const from = live.length;
  if (from < g.DesiredCapacity) {
    if ((g.launchRetryAt ?? 0) > now) return;
    const cause = join(
      g.pendingCause,
      `At ${causeTime(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${g.DesiredCapacity}.`,
    );
    const counts = new Map<string, number>();
    for (const i of live) counts.set(i.AvailabilityZone, (counts.get(i.AvailabilityZone) ?? 0) + 1);
    for (let n = from; n < g.DesiredCapacity; n++) {
      const az = nextAz(g, counts);
      if (!launchOne(scope, s, g, az, cause)) break;
      counts.set(az, (counts.get(az) ?? 0) + 1);
    }
    delete g.pendingCause;
  } else if (from > g.DesiredCapacity) {
    let count = from;
    while (count > g.DesiredCapacity) {
      const victim = pickForTermination(g);
      if (!victim) break;
      const cause = join(
        g.pendingCause,
        `At ${causeTime(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${g.DesiredCapacity}.  At ${causeTime(now)} instance ${victim.InstanceId} was selected for termination.`,
      );
      terminateGroupInstance(scope, s, g, victim, cause);
      count--;
    }
    delete g.pendingCause;
  }
}

/** One pass over every group of the region. */
export function reconcileAutoScaling(scope: Scope): void {
  const raw = scope.rs.serviceState.autoscaling as AutoScalingState | undefined;
  if (!raw) return;
  const s = autoScalingState(scope.rs);
  runScheduledActions(s, scope.now);
  let failed: { error: unknown } | undefined;
  for (const g of Object.values(s.groups)) {
    try {
      reconcileGroup(scope, s, g);
    } catch (e) {
      failed ??= { error: e };
    }
  }
  if (failed) throw failed.error;
}
