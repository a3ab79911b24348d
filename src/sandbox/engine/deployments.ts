/**
 * The service scheduler and rolling-deployment controller (deploymentController ECS). Once per
 * tick each service is reconciled: start PRIMARY tasks up to the upper bound
 * (floor(desired × maximumPercent / 100) tasks), stop older deployments' tasks while the healthy
 * count stays at or above the lower bound (ceil(desired × minimumHealthyPercent / 100)), replace
 * tasks that stopped, and report progress as ECS does (deployments[], counts, events).
 */
import { deploymentId as newDeploymentId, lastSegment } from './ids';
import type { Ctx } from './context';
import { serviceKey } from './context';
import { addEvent, addGatedEvent, messages } from './events';
import { membersOf, placeableInstances } from './placement';
import { DEFAULT_MAX_PERCENT, DEFAULT_MIN_HEALTHY_PERCENT, lowerBound, scheduleReplica, upperBound } from './replica';
import { scheduleDaemon } from './daemon';
import { isHealthy, serviceRules } from './scheduling';
import type { Deployment, Service, Task } from './state';
import { isPendingStatus, requestStop } from './tasks';
import { findTaskDefinition, regionIndex } from './usage';

export { lowerBound, upperBound, DEFAULT_MAX_PERCENT, DEFAULT_MIN_HEALTHY_PERCENT } from './replica';

/** Consecutive failed task starts that trip the circuit breaker. */
export const circuitBreakerThreshold = (desired: number): number => Math.min(200, Math.max(3, Math.ceil(0.5 * desired)));

export function newDeployment(ctx: Ctx, service: Service, taskDefinition: string, isRollback = false): Deployment {
  const id = newDeploymentId();
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: messages.rolloutInProgress(id),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    launchType: 'EC2',
    consecutiveFailures: 0,
    ...(isRollback ? { isRollback: true } : {}),
  };
}

/** Makes `dep` the PRIMARY; the previous ones become ACTIVE. */
export function pushPrimary(service: Service, dep: Deployment): void {
  for (const d of service.deployments) d.status = 'ACTIVE';
  service.deployments.unshift(dep);
  service.taskDefinition = dep.taskDefinition;
  service.eventGate ??= {};
  delete service.eventGate['launch:backoff'];
  service.eventGate['steady'] = 0;
}

/** Circuit breaker: the PRIMARY failed too many task starts in a row → FAILED, and with rollback a new PRIMARY for the last COMPLETED deployment. */
function checkCircuitBreaker(ctx: Ctx, service: Service, primary: Deployment): boolean {
  const cb = service.deploymentConfiguration?.deploymentCircuitBreaker;
  if (!cb?.enable || primary.rolloutState !== 'IN_PROGRESS') return false;
  if ((primary.consecutiveFailures ?? 0) < circuitBreakerThreshold(service.desiredCount)) return false;
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = messages.circuitBreaker;
  primary.updatedAt = ctx.now;
  addEvent(service, ctx.now, messages.deploymentFailed(service.serviceName, primary.id));
  // A rollback that fails too is not rolled back again (that would loop).
  if (!cb.rollback || primary.isRollback) return true;
  const target = service.deployments.find((d) => d !== primary && d.rolloutState === 'COMPLETED');
  if (!target) return true;
  addEvent(service, ctx.now, messages.rollingBack(service.serviceName, target.id));
  pushPrimary(service, newDeployment(ctx, service, target.taskDefinition, true));
  return true;
}

/** One scheduler pass over a service. */
export function reconcileService(ctx: Ctx, clusterName: string, service: Service): void {
  const { rs, now, opts } = ctx;
  service.eventGate ??= {};
  service.events ??= [];
  const idx = regionIndex(rs);
  const ids = idx.byService.get(serviceKey(clusterName, service.serviceName));
  const tasks: Task[] = [];
  for (const id of ids ?? []) {
    const t = rs.ecs.tasks[id];
    if (t) tasks.push(t);
  }
  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING');
  const stopping = tasks.length - live.length;

  if (service.status === 'INACTIVE') {
    if (service.deletedAt !== undefined && service.deletedAt <= now) delete rs.ecs.services[clusterName]?.[service.serviceName];
    return;
  }
  if (service.status === 'DRAINING') {
    const stopped = live.filter((t) => requestStop(ctx, t, 'ServiceSchedulerInitiated', messages.scalingActivity(service.deployments[0]?.id ?? '')));
    if (stopped.length > 0) addEvent(service, now, messages.stopped(service.serviceName, stopped.map((t) => lastSegment(t.taskArn))));
    if ((ids?.size ?? 0) === 0) {
      service.status = 'INACTIVE';
      service.desiredCount = 0;
      service.deletedAt = now + opts.inactiveServiceRetentionMs;
    }
    updateCounts(ctx, service, tasks);
    return;
  }

  let primary = service.deployments[0];
  if (!primary) {
    pushPrimary(service, newDeployment(ctx, service, service.taskDefinition));
    primary = service.deployments[0];
  }
  if (checkCircuitBreaker(ctx, service, primary)) primary = service.deployments[0];
  const daemon = service.schedulingStrategy === 'DAEMON';
  // A DAEMON service wants one task per instance that takes tasks (and that its memberOf constraints allow).
  const daemonInstances = daemon ? membersOf(placeableInstances(rs, clusterName), serviceRules(ctx, service, findTaskDefinition(rs, primary.taskDefinition))) : [];
  if (daemon && service.desiredCount !== daemonInstances.length) {
    service.desiredCount = daemonInstances.length;
    service.eventGate['steady'] = 0;
  }
  const desired = service.desiredCount;
  if (primary.desiredCount !== desired) {
    primary.desiredCount = desired;
    primary.updatedAt = now;
  }
  const healthy = new Set(live.filter((t) => isHealthy(ctx, service, t)));
  const plan = daemon
    ? scheduleDaemon(ctx, clusterName, service, primary, daemonInstances, live, healthy, tasks)
    : scheduleReplica(ctx, clusterName, service, primary, live, healthy, tasks, stopping);
  const { startedIds, stoppedIds, oldLive } = plan;
  if (startedIds.length > 0) addEvent(service, now, messages.started(service.serviceName, startedIds));
  if (stoppedIds.length > 0) addEvent(service, now, messages.stopped(service.serviceName, stoppedIds));
  if (startedIds.length > 0 || stoppedIds.length > 0) service.eventGate['steady'] = 0;

  // Neither starting nor stopping is allowed by the configuration.
  const cfg = service.deploymentConfiguration;
  const upper = upperBound(desired, cfg?.maximumPercent ?? DEFAULT_MAX_PERCENT);
  const lower = lowerBound(desired, cfg?.minimumHealthyPercent ?? DEFAULT_MIN_HEALTHY_PERCENT);
  const settled = stopping === 0 && live.every((t) => healthy.has(t));
  if (oldLive > 0 && settled && startedIds.length === 0 && stoppedIds.length === 0 && desired > 0 && upper <= desired && lower >= desired) {
    addGatedEvent(service, now, 'deployment-configuration', opts.placementEventIntervalMs, messages.configurationBlocks(service.serviceName));
  }

  updateCounts(ctx, service, tasks);
  finishIfDone(ctx, service, tasks, healthy);
}

/** PRIMARY has its desired healthy tasks and older deployments have none left: COMPLETED, then steady state. */
function finishIfDone(ctx: Ctx, service: Service, tasks: Task[], healthy: Set<Task>): void {
  const { now } = ctx;
  const primary = service.deployments[0];
  const current = tasks.filter((t) => t.lastStatus !== 'STOPPED');
  const mine = current.filter((t) => t.deploymentId === primary.id);
  const others = current.length - mine.length;
  const done =
    others === 0 &&
    mine.length === service.desiredCount &&
    mine.every((t) => t.desiredStatus === 'RUNNING' && healthy.has(t));
  if (!done) return;
  if (primary.rolloutState === 'IN_PROGRESS') {
    service.deployments = [primary];
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = messages.rolloutCompleted(primary.id);
    primary.updatedAt = now;
    addEvent(service, now, messages.deploymentCompleted(service.serviceName, primary.id));
  }
  if (primary.rolloutState === 'COMPLETED' && service.deployments.length === 1 && service.eventGate['steady'] !== 1) {
    service.eventGate['steady'] = 1;
    addEvent(service, now, messages.steadyState(service.serviceName));
  }
}

function updateCounts(ctx: Ctx, service: Service, tasks: Task[]): void {
  let running = 0;
  let pending = 0;
  for (const d of service.deployments) {
    let r = 0;
    let p = 0;
    let l = 0;
    for (const t of tasks) {
      if (t.deploymentId !== d.id || t.lastStatus === 'STOPPED') continue;
      if (t.lastStatus === 'RUNNING') r++;
      else if (isPendingStatus(t) && t.desiredStatus === 'RUNNING') p++;
      if (t.desiredStatus === 'RUNNING') l++;
    }
    const desired = d.status === 'PRIMARY' ? service.desiredCount : l;
    if (d.runningCount !== r || d.pendingCount !== p || d.desiredCount !== desired) {
      d.runningCount = r;
      d.pendingCount = p;
      d.desiredCount = desired;
      d.updatedAt = ctx.now;
    }
    running += r;
    pending += p;
  }
  service.runningCount = running;
  service.pendingCount = pending;
}
