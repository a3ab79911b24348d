/**
 * The REPLICA scheduler's step within a deployment: stop older deployments' tasks (and tasks on
 * draining instances) while the healthy count stays at or above the lower bound, stop PRIMARY
 * tasks above the desired count, and start PRIMARY tasks up to the desired count within the upper
 * bound, spread over AZs and instances.
 */
import { lastSegment } from './ids';
import type { Ctx } from './context';
import { messages } from './events';
import { placeableInstances, placeOne } from './placement';
import { isDisplaced, launchServiceTask, mayLaunch, pickForStop, reportUnplaceable, serviceGroup } from './scheduling';
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

  // Stop: older tasks (not-yet-healthy ones freely, healthy ones down to the lower bound), and PRIMARY tasks above the desired count.
  const toStop: Task[] = [];
  const unhealthyOld = oldLive.filter((t) => !healthy.has(t));
  toStop.push(...pickForStop(unhealthyOld, live, unhealthyOld.length, () => true));
  const healthyOld = oldLive.filter((t) => healthy.has(t));
  const allowed = Math.max(0, healthy.size - lower);
  toStop.push(...pickForStop(healthyOld, live, Math.min(allowed, healthyOld.length), () => false));
  const excess = primaryLive.length - desired;
  if (excess > 0) toStop.push(...pickForStop(primaryLive, live, excess, (t) => !healthy.has(t)));
  const stoppedIds: string[] = [];
  for (const t of toStop) {
    if (requestStop(ctx, t, 'ServiceSchedulerInitiated', messages.scalingActivity(primary.id))) stoppedIds.push(lastSegment(t.taskArn));
  }

  // Start: PRIMARY tasks up to the desired count, within the upper bound.
  const startedIds: string[] = [];
  const want = Math.min(desired - primaryLive.length, upper - (live.length - stoppedIds.length));
  if (want > 0 && mayLaunch(ctx, service, primary)) {
    const td = findTaskDefinition(ctx.rs, primary.taskDefinition);
    if (td) {
      const needs = taskNeeds(td);
      const idx = regionIndex(ctx.rs);
      const instances = placeableInstances(ctx.rs, clusterName);
      for (let i = 0; i < want; i++) {
        const p = placeOne(idx, instances, needs, serviceGroup(service));
        if (!p.ok) {
          // Resources held by tasks being stopped come back shortly: say nothing until they do.
          if (stopping + stoppedIds.length === 0) reportUnplaceable(ctx, service, p.problem, p.closest);
          break;
        }
        const t = launchServiceTask(ctx, clusterName, service, primary, td, needs, p);
        tasks.push(t);
        startedIds.push(lastSegment(t.taskArn));
      }
    }
  }
  return { startedIds, stoppedIds, oldLive: oldLive.length };
}
