/**
 * Capacity providers in the scheduler: which container instances belong to which provider (the
 * EC2 instances of its Auto Scaling group), which provider the next task of a strategy goes to
 * (base, then weight), tasks that wait PROVISIONING for their provider's group to scale out, and
 * the CapacityProviderReservation metric that drives managed scaling, as ECS computes it:
 *
 *   N = the group's instances (Pending or InService), M = the instances needed: those running at
 *   least one non-DAEMON task, plus, while tasks wait PROVISIONING, the instances their resources
 *   take (packed onto the group's instance type), at least `minimumScalingStepSize` and at most
 *   `maximumScalingStepSize` more than N. Reservation = M / N × 100; 100 when both are 0; 200 when
 *   N is 0 and M is not.
 */
import { lastSegment } from './ids';
import { addNewTask, type TaskBase } from './tasks';
import type { Ctx } from './context';
import { placeableInstances, placeOne, type PlacementRules } from './placement';
import { queryEnv } from './cluster-query';
import type { CapacityProvider, CapacityProviderStrategyItem, ContainerInstance, RegionState, Task, TaskDefinition } from './state';
import { findTaskDefinition, regionIndex, taskNeeds, track, untrack } from './usage';
import { instanceType } from '../ec2/instance-types';

type LooseGroup = { instances?: Record<string, { LifecycleState?: string; InstanceType?: string; ProtectedFromScaleIn?: boolean }>; LaunchTemplate?: unknown };

/** The group name in an Auto Scaling group ARN (`…:autoScalingGroupName/<name>`), or the name itself. */
export const groupNameOf = (arnOrName: string): string => {
  const i = arnOrName.indexOf(':autoScalingGroupName/');
  return i >= 0 ? arnOrName.slice(i + ':autoScalingGroupName/'.length) : arnOrName;
};

/** EC2 Auto Scaling's group of that name, read without creating its state. */
export function groupOf(rs: RegionState, provider: CapacityProvider): LooseGroup | undefined {
  const groups = (rs.serviceState.autoscaling as { groups?: Record<string, LooseGroup> } | undefined)?.groups;
  const name = groupNameOf(provider.autoScalingGroupProvider.autoScalingGroupArn);
  return groups && Object.prototype.hasOwnProperty.call(groups, name) ? groups[name] : undefined;
}

export const activeProvider = (rs: RegionState, name: string): CapacityProvider | undefined => {
  const all = rs.ecs.capacityProviders;
  const p = all && Object.prototype.hasOwnProperty.call(all, name) ? all[name] : undefined;
  return p?.status === 'ACTIVE' ? p : undefined;
};

/** EC2 instance id → the name of the ACTIVE capacity provider whose group holds it. */
export function providerByInstance(rs: RegionState): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of Object.values(rs.ecs.capacityProviders ?? {})) {
    if (p.status !== 'ACTIVE') continue;
    for (const [id, i] of Object.entries(groupOf(rs, p)?.instances ?? {})) {
      if (i.LifecycleState !== 'Terminated' && i.LifecycleState !== 'Detached') out.set(id, p.name);
    }
  }
  return out;
}

/** The capacity provider of a container instance: its group's, when that provider is associated with its cluster. */
export function providerOfInstance(rs: RegionState, ci: ContainerInstance): string | undefined {
  const name = providerByInstance(rs).get(ci.ec2InstanceId);
  return name && rs.ecs.clusters[ci.clusterName]?.capacityProviders.includes(name) ? name : undefined;
}

/**
 * The provider the next task goes to: the provider with a base until it has that many tasks, then
 * the one furthest below its share by weight (of the tasks beyond the base), in strategy order on a tie.
 */
export function nextProvider(strategy: readonly CapacityProviderStrategyItem[], counts: ReadonlyMap<string, number>): string {
  const count = (name: string) => counts.get(name) ?? 0;
  for (const s of strategy) if (s.base > 0 && count(s.capacityProvider) < s.base) return s.capacityProvider;
  const weighted = strategy.filter((s) => s.weight > 0);
  if (weighted.length === 0) return strategy[0].capacityProvider;
  const total = weighted.reduce((n, s) => n + s.weight, 0);
  const beyondBase = strategy.reduce((n, s) => n + Math.max(0, count(s.capacityProvider) - s.base), 0) + 1;
  let best = weighted[0];
  let bestDeficit = -Infinity;
  for (const s of weighted) {
    const deficit = (beyondBase * s.weight) / total - Math.max(0, count(s.capacityProvider) - s.base);
    if (deficit > bestDeficit + 1e-9) {
      best = s;
      bestDeficit = deficit;
    }
  }
  return best.capacityProvider;
}

/** The cluster's placeable instances that belong to `provider`. */
export function providerInstances(rs: RegionState, clusterName: string, provider: string, byInstance = providerByInstance(rs)): ContainerInstance[] {
  return placeableInstances(rs, clusterName).filter((ci) => byInstance.get(ci.ec2InstanceId) === provider);
}

export const managedScalingOn = (rs: RegionState, provider: string): boolean =>
  activeProvider(rs, provider)?.autoScalingGroupProvider.managedScaling.status === 'ENABLED';

export interface WaitingTask extends TaskBase {
  provider: string;
}

/** A task that waits PROVISIONING for its provider's group to have room (no container instance yet). */
export function createWaitingTask(ctx: Ctx, n: WaitingTask): Task {
  return addNewTask(ctx, n, { containerInstanceArn: '', availabilityZone: '', ec2InstanceId: '', reservedPorts: [] }, { capacityProviderName: n.provider, awaitingCapacity: true });
}

/** Places the waiting tasks that now fit on their provider's instances (each tick); they go on to PENDING. */
export function placeWaitingTasks(ctx: Ctx, rulesOf: (t: Task, td: TaskDefinition) => PlacementRules): void {
  const { rs } = ctx;
  const idx = regionIndex(rs);
  let byInstance: Map<string, string> | undefined;
  for (const id of [...idx.live]) {
    const t = rs.ecs.tasks[id];
    if (!t?.awaitingCapacity || t.desiredStatus !== 'RUNNING' || !t.capacityProviderName) continue;
    const td = findTaskDefinition(rs, t.taskDefinitionArn);
    if (!td) continue;
    byInstance ??= providerByInstance(rs);
    const clusterName = lastSegment(t.clusterArn);
    const instances = providerInstances(rs, clusterName, t.capacityProviderName, byInstance);
    if (instances.length === 0) continue;
    const p = placeOne(idx, instances, taskNeeds(td), t.group, rulesOf(t, td));
    if (!p.ok) continue;
    untrack(rs, idx, t);
    t.containerInstanceArn = p.ci.containerInstanceArn;
    t.ec2InstanceId = p.ci.ec2InstanceId;
    t.availabilityZone = p.ci.availabilityZone;
    t.reservedPorts = p.hostPorts;
    delete t.awaitingCapacity;
    t.nextTransitionAt = ctx.now;
    t.version += 1;
    track(rs, idx, t);
  }
}

/** The rules of a waiting task: its task definition's constraints, and its service's constraints and strategy. */
export function waitingRules(rs: RegionState, t: Task, td: TaskDefinition): PlacementRules {
  const service = t.serviceName ? rs.ecs.services[lastSegment(t.clusterArn)]?.[t.serviceName] : undefined;
  return {
    constraints: [...(td.placementConstraints ?? []), ...(service?.placementConstraints ?? [])],
    strategy: service?.placementStrategy ?? [],
    env: queryEnv(rs),
  };
}

export interface Reservation {
  clusterName: string;
  provider: string;
  value: number;
  /** N and M, for tests and logs. */
  instances: number;
  needed: number;
}

/** CapacityProviderReservation of each managed-scaling provider in each cluster it is associated with. */
export function capacityReservations(rs: RegionState): Reservation[] {
  const out: Reservation[] = [];
  const providers = Object.values(rs.ecs.capacityProviders ?? {}).filter((p) => p.status === 'ACTIVE' && p.autoScalingGroupProvider.managedScaling.status === 'ENABLED');
  if (providers.length === 0) return out;
  const idx = regionIndex(rs);
  for (const cluster of Object.values(rs.ecs.clusters)) {
    if (cluster.status !== 'ACTIVE') continue;
    for (const p of providers) {
      if (!cluster.capacityProviders.includes(p.name)) continue;
      const g = groupOf(rs, p);
      if (!g) continue;
      const members = Object.entries(g.instances ?? {}).filter(([, i]) => i.LifecycleState === 'Pending' || i.LifecycleState === 'InService');
      const memberIds = new Set(members.map(([id]) => id));
      const n = members.length;
      // Instances running at least one task that is not a DAEMON service's.
      const busy = new Set<string>();
      const waiting: Task[] = [];
      for (const id of idx.live) {
        const t = rs.ecs.tasks[id];
        if (!t || t.orphaned || lastSegment(t.clusterArn) !== cluster.clusterName) continue;
        if (t.awaitingCapacity) {
          if (t.capacityProviderName === p.name) waiting.push(t);
          continue;
        }
        if (!memberIds.has(t.ec2InstanceId) || isDaemonTask(rs, t)) continue;
        busy.add(t.ec2InstanceId);
      }
      let m = busy.size;
      if (waiting.length > 0) {
        const type = instanceType(members[0]?.[1].InstanceType ?? groupInstanceType(rs, g) ?? 't3.medium');
        const perInstance = { cpu: type?.registeredCpu ?? 2048, memory: type?.registeredMemory ?? 3800 };
        const cpu = waiting.reduce((s, t) => s + (Number(t.cpu) || 0), 0);
        const memory = waiting.reduce((s, t) => s + (Number(t.memory) || 0), 0);
        const estimate = Math.max(1, Math.ceil(cpu / perInstance.cpu), Math.ceil(memory / perInstance.memory));
        // Instances launched but not yet registered with the cluster are on their way: count them as given.
        const registered = new Set(Object.values(rs.ecs.containerInstances).filter((ci) => ci.clusterName === cluster.clusterName && ci.status !== 'INACTIVE').map((ci) => ci.ec2InstanceId));
        const coming = members.filter(([id]) => !registered.has(id)).length;
        const ms = p.autoScalingGroupProvider.managedScaling;
        m = Math.max(m, n) + (estimate > coming ? Math.min(ms.maximumScalingStepSize, Math.max(ms.minimumScalingStepSize, estimate - coming)) : 0);
      }
      const value = n === 0 ? (m === 0 ? 100 : 200) : (m / n) * 100;
      out.push({ clusterName: cluster.clusterName, provider: p.name, value, instances: n, needed: m });
    }
  }
  return out;
}

function isDaemonTask(rs: RegionState, t: Task): boolean {
  if (!t.serviceName) return false;
  return rs.ecs.services[lastSegment(t.clusterArn)]?.[t.serviceName]?.schedulingStrategy === 'DAEMON';
}

/** The instance type a group launches (its launch template's or launch configuration's), for the estimate. */
function groupInstanceType(rs: RegionState, g: LooseGroup): string | undefined {
  const lt = (g as { LaunchTemplate?: { LaunchTemplateId?: string } }).LaunchTemplate;
  if (lt?.LaunchTemplateId) {
    const t = rs.ec2.launchTemplates[lt.LaunchTemplateId];
    const v = t?.versions.find((x) => x.versionNumber === t.defaultVersionNumber);
    const type = v?.data.instanceType;
    if (typeof type === 'string') return type;
  }
  const lc = (g as { LaunchConfigurationName?: string }).LaunchConfigurationName;
  const lcs = (rs.serviceState.autoscaling as { launchConfigurations?: Record<string, { InstanceType?: string }> } | undefined)?.launchConfigurations;
  return lc ? lcs?.[lc]?.InstanceType : undefined;
}

/** EC2 instance ids of a provider's group that run tasks other than DAEMON ones (managed termination protection). */
export function instancesWithTasks(rs: RegionState): Set<string> {
  const out = new Set<string>();
  const idx = regionIndex(rs);
  for (const id of idx.live) {
    const t = rs.ecs.tasks[id];
    if (t && !t.awaitingCapacity && !isDaemonTask(rs, t)) out.add(t.ec2InstanceId);
  }
  return out;
}

/**
 * Managed termination protection: in the group of each provider that has it, the instances running
 * tasks (other than DAEMON ones) are protected from scale-in and the others are not, as ECS sets them.
 */
export function manageTerminationProtection(rs: RegionState): void {
  let busy: Set<string> | undefined;
  for (const p of Object.values(rs.ecs.capacityProviders ?? {})) {
    if (p.status !== 'ACTIVE' || p.autoScalingGroupProvider.managedTerminationProtection !== 'ENABLED') continue;
    const g = groupOf(rs, p);
    busy ??= instancesWithTasks(rs);
    for (const [id, i] of Object.entries(g?.instances ?? {})) {
      if (i.LifecycleState !== 'InService') continue;
      i.ProtectedFromScaleIn = busy.has(id);
    }
  }
}
