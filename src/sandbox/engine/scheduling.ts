/**
 * What the REPLICA and DAEMON schedulers share: health, which tasks to stop first, launching a
 * service task, and reporting an unplaceable one.
 */
import { lastSegment } from './ids';
import type { Ctx } from './context';
import { addGatedEvent, messages, type PlacementProblem } from './events';
import type { Placement, PlacementRules } from './placement';
import { queryEnv } from './cluster-query';
import type { ContainerInstance, Deployment, Service, Tag, Task, TaskDefinition } from './state';
import { createTask } from './tasks';
import type { TaskNeeds } from './usage';

/** A task counts as healthy: RUNNING, not asked to stop, and healthy by the hook (load balancer) or `healthyAfterMs` after it started. */
export function isHealthy(ctx: Ctx, service: Service, t: Task): boolean {
  if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') return false;
  const fromHook = ctx.hooks.serviceTaskHealthy?.(ctx.rs, service, t, ctx.now);
  return fromHook ?? (t.healthyAt !== undefined && t.healthyAt <= ctx.now);
}

/** Whether the task's container instance no longer takes tasks (DRAINING, deregistered or gone). */
export const isDisplaced = (ctx: Ctx, t: Task): boolean =>
  !t.awaitingCapacity && ctx.rs.ecs.containerInstances[lastSegment(t.containerInstanceArn)]?.status !== 'ACTIVE';

/**
 * Picks `k` tasks to stop from `candidates`: those that `first` marks before the others, then from
 * the AZ and then the instance with the most of the service's live tasks.
 */
export function pickForStop(candidates: Task[], live: Task[], k: number, first: (t: Task) => boolean): Task[] {
  const az = new Map<string, number>();
  const inst = new Map<string, number>();
  for (const t of live) {
    az.set(t.availabilityZone, (az.get(t.availabilityZone) ?? 0) + 1);
    inst.set(t.containerInstanceArn, (inst.get(t.containerInstanceArn) ?? 0) + 1);
  }
  const key = (t: Task): [number, number, number] => [first(t) ? 1 : 0, az.get(t.availabilityZone) ?? 0, inst.get(t.containerInstanceArn) ?? 0];
  const pool = [...candidates];
  const out: Task[] = [];
  while (out.length < k && pool.length > 0) {
    let best = 0;
    let bestKey = key(pool[0]);
    for (let i = 1; i < pool.length; i++) {
      const k2 = key(pool[i]);
      if (k2[0] > bestKey[0] || (k2[0] === bestKey[0] && (k2[1] > bestKey[1] || (k2[1] === bestKey[1] && k2[2] > bestKey[2])))) {
        best = i;
        bestKey = k2;
      }
    }
    const [t] = pool.splice(best, 1);
    out.push(t);
    az.set(t.availabilityZone, (az.get(t.availabilityZone) ?? 1) - 1);
    inst.set(t.containerInstanceArn, (inst.get(t.containerInstanceArn) ?? 1) - 1);
  }
  return out;
}

export function serviceTaskTags(ctx: Ctx, service: Service, tdArn: string, clusterName: string): Tag[] {
  const tags: Tag[] = [];
  if (service.propagateTags === 'SERVICE') tags.push(...(ctx.rs.ecs.tags[service.serviceArn] ?? []));
  else if (service.propagateTags === 'TASK_DEFINITION') tags.push(...(ctx.rs.ecs.tags[tdArn] ?? []));
  if (service.enableECSManagedTags) {
    tags.push({ key: 'aws:ecs:serviceName', value: service.serviceName }, { key: 'aws:ecs:clusterName', value: clusterName });
  }
  return tags;
}

/** Creates a task of the deployment on the placed instance (startedBy = deployment id, group = `service:<name>`). */
export function launchServiceTask(
  ctx: Ctx,
  clusterName: string,
  service: Service,
  dep: Deployment,
  td: TaskDefinition,
  needs: TaskNeeds,
  placement: Extract<Placement, { ok: true }>,
): Task {
  return createTask(ctx, {
    clusterName,
    td,
    needs,
    placement,
    group: serviceGroup(service),
    startedBy: dep.id,
    tags: serviceTaskTags(ctx, service, td.taskDefinitionArn, clusterName),
    serviceName: service.serviceName,
    deploymentId: dep.id,
  });
}

export const serviceGroup = (service: Service): string => `service:${service.serviceName}`;

/** The placement rules of a service's tasks: the task definition's constraints and the service's, its strategy. */
export function serviceRules(ctx: Ctx, service: Service, td: TaskDefinition | undefined): PlacementRules {
  return {
    constraints: [...(td?.placementConstraints ?? []), ...(service.placementConstraints ?? [])],
    strategy: service.placementStrategy ?? [],
    env: queryEnv(ctx.rs),
  };
}

/** The rate-limited "was unable to place a task" event. */
export function reportUnplaceable(ctx: Ctx, service: Service, problem: PlacementProblem, closest?: ContainerInstance): void {
  const msg = messages.unplaceable(service.serviceName, problem, closest && lastSegment(closest.containerInstanceArn));
  addGatedEvent(service, ctx.now, `placement:${problem}`, ctx.opts.placementEventIntervalMs, msg);
}

/** Whether the service may launch now: its PRIMARY has not failed and no failed-launch pause is running. */
export function mayLaunch(ctx: Ctx, service: Service, primary: Deployment): boolean {
  const backoff = service.eventGate['launch:backoff'];
  return primary.rolloutState !== 'FAILED' && (backoff === undefined || backoff <= ctx.now);
}
