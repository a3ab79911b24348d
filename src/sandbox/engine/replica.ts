/**
 * The REPLICA scheduler's step within a deployment: stop older deployments' tasks (and tasks on
 * draining instances) while the healthy count stays at or above the lower bound, stop PRIMARY
 * tasks above the desired count, and start PRIMARY tasks up to the desired count within the upper
 * bound, spread over AZs and instances.
 *
 * PRIMARY tasks that failed their load balancer's health checks are replaced as ECS does since
 * 2023: they do not count toward the desired count, so replacements start first when
 * maximumPercent (and room on the instances) allows, and each unhealthy task is stopped once a
 * replacement is healthy; when no replacement can start, they are stopped one at a time. A busy
 * service thus never loses all its targets at once.
 */
import { lastSegment } from './ids';
import type { Ctx } from './context';
import { messages } from './events';
import { placeableInstances, placeOne } from './placement';
import { createWaitingTask, managedScalingOn, nextProvider, providerByInstance } from './capacity';
import { isDisplaced, launchServiceTask, mayLaunch, pickForStop, reportUnplaceable, serviceGroup, serviceRules, serviceTaskTags } from './scheduling';
import type { Deployment, Service, Task } from './state';
import { requestStop } from './tasks';
import { findTaskDefinition, regionIndex, taskNeeds } from './usage';

export interface Plan {
  startedIds: string[];
  stoppedIds: string[];
  /** Live tasks that belong to older deployments (or sit on instances being drained) before this step. */
  oldLive: number;
}

export const DEFAULT_MAX_PERCENT = 200;
export const DEFAULT_MIN_HEALTHY_PERCENT = 100;

/** Lower bound: healthy tasks a deployment keeps. */
export const lowerBound = (desired: number, minimumHealthyPercent: number): number => Math.ceil((desired * minimumHealthyPercent) / 100);
/** Upper bound: tasks RUNNING or PENDING at once over all deployments. */
export const upperBound = (desired: number, maximumPercent: number): number => Math.floor((desired * maximumPercent) / 100);

export function scheduleReplica(
  ctx: Ctx,
  clusterName: string,
  service: Service,
  primary: Deployment,
  live: Task[],
  healthy: Set<Task>,
  tasks: Task[],
  stopping: number,
): Plan {
  const desired = service.desiredCount;
  const cfg = service.deploymentConfiguration;
  const upper = upperBound(desired, cfg?.maximumPercent ?? DEFAULT_MAX_PERCENT);
  const lower = lowerBound(desired, cfg?.minimumHealthyPercent ?? DEFAULT_MIN_HEALTHY_PERCENT);
  // Tasks on a container instance that is DRAINING (or gone) are replaced like an older deployment's.
  const primaryLive = live.filter((t) => t.deploymentId === primary.id && !isDisplaced(ctx, t));
  const oldLive = live.filter((t) => t.deploymentId !== primary.id || isDisplaced(ctx, t));
  // PRIMARY tasks that failed their health checks (with the reason to stop them), and the others.
  const failing = new Map<Task, string>();
  if (ctx.hooks.serviceTaskFailing) {
    for (const t of primaryLive) {
      const why = ctx.hooks.serviceTaskFailing(ctx.rs, service, t, ctx.now);
      if (why) failing.set(t, why);
    }
  }
  const serving = failing.size ? primaryLive.filter((t) => !failing.has(t)) : primaryLive;

  // Stop: older tasks (not-yet-healthy ones freely, healthy ones down to the lower bound), and PRIMARY tasks above the desired count.
  const toStop: Task[] = [];
  const unhealthyOld = oldLive.filter((t) => !healthy.has(t));
  toStop.push(...pickForStop(unhealthyOld, live, unhealthyOld.length, () => true));
  const healthyOld = oldLive.filter((t) => healthy.has(t));
  const allowed = Math.max(0, healthy.size - lower);
  toStop.push(...pickForStop(healthyOld, live, Math.min(allowed, healthyOld.length), () => false));
  const excess = serving.length - desired;
  if (excess > 0) toStop.push(...pickForStop(serving, live, excess, (t) => !healthy.has(t)));
  const stoppedIds: string[] = [];
  for (const t of toStop) {
    if (requestStop(ctx, t, 'ServiceSchedulerInitiated', messages.scalingActivity(primary.id))) stoppedIds.push(lastSegment(t.taskArn));
  }

  // Start: PRIMARY tasks up to the desired count (unhealthy ones not counted), within the upper bound.
  const startedIds: string[] = [];
  const need = desired - serving.length;
  const want = Math.min(need, upper - (live.length - stoppedIds.length));
  let started = want > 0 && mayLaunch(ctx, service, primary);
  if (started) {
    const td = findTaskDefinition(ctx.rs, primary.taskDefinition);
    if (td) {
      const needs = taskNeeds(td);
      const idx = regionIndex(ctx.rs);
      const all = placeableInstances(ctx.rs, clusterName);
      const rules = serviceRules(ctx, service, td);
      // Through capacity providers: each task to the provider its strategy picks (base, then weight).
      const cps = service.capacityProviderStrategy?.length ? service.capacityProviderStrategy : undefined;
      const byInstance = cps ? providerByInstance(ctx.rs) : undefined;
      const counts = new Map<string, number>();
      if (cps) for (const t of live) if (t.capacityProviderName && !stoppedIds.includes(lastSegment(t.taskArn))) counts.set(t.capacityProviderName, (counts.get(t.capacityProviderName) ?? 0) + 1);
      for (let i = 0; i < want; i++) {
        const provider = cps ? nextProvider(cps, counts) : undefined;
        const instances = provider ? all.filter((ci) => byInstance!.get(ci.ec2InstanceId) === provider) : all;
        const p = placeOne(idx, instances, needs, serviceGroup(service), rules);
        if (!p.ok && provider && managedScalingOn(ctx.rs, provider) && p.problem !== 'MEMBER_OF' && p.problem !== 'DISTINCT_INSTANCE') {
          // No room yet: the task waits PROVISIONING while managed scaling grows the group.
          const t = createWaitingTask(ctx, { clusterName, td, needs, group: serviceGroup(service), provider, startedBy: primary.id, tags: serviceTaskTags(ctx, service, td.taskDefinitionArn, clusterName), serviceName: service.serviceName, deploymentId: primary.id });
          counts.set(provider, (counts.get(provider) ?? 0) + 1);
          tasks.push(t);
          startedIds.push(lastSegment(t.taskArn));
          continue;
        }
        if (!p.ok) {
          started = false;
          // Resources held by tasks being stopped (or about to be) come back shortly: say nothing until they do.
          if (stopping + stoppedIds.length === 0 && failing.size === 0) reportUnplaceable(ctx, service, p.problem, p.closest);
          break;
        }
        const t = launchServiceTask(ctx, clusterName, service, primary, td, needs, p);
        if (provider) {
          t.capacityProviderName = provider;
          counts.set(provider, (counts.get(provider) ?? 0) + 1);
        }
        tasks.push(t);
        startedIds.push(lastSegment(t.taskArn));
      }
    }
  }

  // Unhealthy tasks: each stops once a replacement is healthy (healthy tasks beyond the desired
  // count). While no replacement can start, one at a time: only when nothing else of the service
  // is stopping or starting, so that the previous one's replacement serves before the next goes.
  if (failing.size > 0) {
    const healthyServing = serving.filter((t) => healthy.has(t)).length;
    let k = Math.max(0, healthyServing + failing.size - desired);
    const settling = stopping + stoppedIds.length > 0 || startedIds.length > 0 || healthyServing < serving.length;
    if (k === 0 && need > 0 && !started && !settling) k = 1;
    for (const t of pickForStop([...failing.keys()], live, Math.min(k, failing.size), () => true)) {
      if (requestStop(ctx, t, 'ServiceSchedulerInitiated', failing.get(t)!)) stoppedIds.push(lastSegment(t.taskArn));
    }
  }
  return { startedIds, stoppedIds, oldLive: oldLive.length };
}
