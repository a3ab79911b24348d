/**
 * The DAEMON scheduler: one task of the PRIMARY deployment on every ACTIVE container instance of
 * the cluster (the desired count follows the instances). A deployment replaces instance by
 * instance: an older task is stopped while the healthy count stays at or above the lower bound,
 * then the new one takes its place. Tasks on instances that stop taking tasks are stopped.
 */
import { lastSegment } from './ids';
import type { Ctx } from './context';
import { messages } from './events';
import { placeOne } from './placement';
import { type Plan, lowerBound, DEFAULT_MIN_HEALTHY_PERCENT } from './replica';
import { isDisplaced, launchServiceTask, mayLaunch, reportUnplaceable, serviceGroup, serviceRules } from './scheduling';
import type { ContainerInstance, Deployment, Service, Task } from './state';
import { requestStop } from './tasks';
import { findTaskDefinition, regionIndex, taskNeeds } from './usage';

export function scheduleDaemon(
  ctx: Ctx,
  clusterName: string,
  service: Service,
  primary: Deployment,
  instances: ContainerInstance[],
  live: Task[],
  healthy: Set<Task>,
  tasks: Task[],
): Plan {
  const desired = service.desiredCount;
  const lower = lowerBound(desired, service.deploymentConfiguration?.minimumHealthyPercent ?? DEFAULT_MIN_HEALTHY_PERCENT);
  let allowed = Math.max(0, healthy.size - lower);
  const stoppedIds: string[] = [];
  const startedIds: string[] = [];
  const stop = (t: Task): void => {
    if (requestStop(ctx, t, 'ServiceSchedulerInitiated', messages.scalingActivity(primary.id))) stoppedIds.push(lastSegment(t.taskArn));
  };
  const byInstance = new Map<string, Task[]>();
  let oldLive = 0;
  for (const t of live) {
    if (isDisplaced(ctx, t)) {
      oldLive++;
      stop(t);
      continue;
    }
    if (t.deploymentId !== primary.id) oldLive++;
    const list = byInstance.get(t.containerInstanceArn) ?? [];
    list.push(t);
    byInstance.set(t.containerInstanceArn, list);
  }
  const td = findTaskDefinition(ctx.rs, primary.taskDefinition);
  const needs = td && taskNeeds(td);
  const launchOk = mayLaunch(ctx, service, primary);
  const rules = serviceRules(ctx, service, td);
  const idx = regionIndex(ctx.rs);
  for (const ci of instances) {
    const here = byInstance.get(ci.containerInstanceArn) ?? [];
    const current = here.filter((t) => t.deploymentId === primary.id);
    for (const extra of current.slice(1)) stop(extra);
    let remaining = current.length > 0 ? 1 : 0;
    for (const old of here.filter((t) => t.deploymentId !== primary.id)) {
      if (!healthy.has(old)) stop(old);
      else if (allowed > 0) {
        allowed--;
        stop(old);
      } else remaining++;
    }
    if (remaining > 0 || !td || !needs || !launchOk) continue;
    const p = placeOne(idx, [ci], needs, serviceGroup(service), rules);
    if (!p.ok) {
      // An older task on this instance may still hold the resources while it stops.
      const holders = idx.usage.get(ci.containerInstanceArn)?.tasks ?? new Set<string>();
      const stoppingHere = [...holders].some((id) => ctx.rs.ecs.tasks[id]?.serviceName === service.serviceName);
      if (!stoppingHere) reportUnplaceable(ctx, service, p.problem, p.closest ?? ci);
      continue;
    }
    const t = launchServiceTask(ctx, clusterName, service, primary, td, needs, p);
    tasks.push(t);
    startedIds.push(lastSegment(t.taskArn));
  }
  return { startedIds, stoppedIds, oldLive };
}
