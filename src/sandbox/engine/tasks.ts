/**
 * The task lifecycle: PROVISIONING → PENDING (runtime.start) → RUNNING (runtime says started) →
 * DEACTIVATING (drain hook) → STOPPING (runtime.stop) → DEPROVISIONING (runtime says exited) →
 * STOPPED (resources released). Transitions that wait on time run from `advanceTasks` (each tick);
 * the ones that wait on the runtime run from its events.
 */
import { arns, hexId, lastSegment } from './ids';
import type { Ctx } from './context';
import { clusterOfArn, serviceKey } from './context';
import { addGatedEvent, messages } from './events';
import type { Placement } from './placement';
import type { Container, ContainerDefinition, Service, Task, TaskDefinition } from './state';
import { findTaskDefinition, portSpecs, regionIndex, type TaskNeeds, track, untrack } from './usage';

/** Extra simulated time the engine waits for the runtime's `exited` after the stop timeout before it declares the task gone. */
const STOP_SAFETY_MS = 10_000;

export const isLive = (t: Task): boolean => t.lastStatus !== 'STOPPED';
export const isPendingStatus = (t: Task): boolean =>
  t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING' || t.lastStatus === 'ACTIVATING';

/** The service a task belongs to (none once it is orphaned: ECS no longer tracks it). */
export function serviceOfTask(ctx: Ctx, task: Task): Service | undefined {
  if (!task.serviceName || task.orphaned) return undefined;
  return ctx.rs.ecs.services[clusterOfArn(task.taskArn)]?.[task.serviceName];
}

const bump = (t: Task): void => {
  t.version = (t.version ?? 0) + 1;
};

/** What a new task is made of, wherever it goes: placed on an instance, or waiting for capacity. */
export interface TaskBase {
  clusterName: string;
  td: TaskDefinition;
  needs: TaskNeeds;
  group: string;
  startedBy?: string;
  tags?: { key: string; value: string }[];
  serviceName?: string;
  deploymentId?: string;
}

export interface NewTask extends TaskBase {
  placement: Extract<Placement, { ok: true }>;
}

/** Where a new task runs (a waiting task: nowhere yet, every member empty). */
export interface TaskWhere {
  containerInstanceArn: string;
  availabilityZone: string;
  ec2InstanceId: string;
  reservedPorts: number[];
}

/**
 * A new PROVISIONING task (its containers PENDING) at `where`, with `extra` members, stored and
 * indexed. `createTask` places one; capacity.ts's `createWaitingTask` makes one wait for capacity.
 */
export function addNewTask(ctx: Ctx, n: TaskBase, where: TaskWhere, extra: Partial<Task>): Task {
  const { rs, now, world } = ctx;
  const id = hexId();
  const containers: Container[] = n.td.containerDefinitions.map((c) => ({
    containerArn: arns.container(rs.region, world.accountId, n.clusterName, id),
    name: c.name,
    image: c.image,
    lastStatus: 'PENDING',
    networkBindings: [],
    cpu: String(c.cpu ?? 0),
    ...(c.memory !== undefined ? { memory: String(c.memory) } : {}),
    ...(c.memoryReservation !== undefined ? { memoryReservation: String(c.memoryReservation) } : {}),
    healthStatus: 'UNKNOWN',
  }));
  const task: Task = {
    taskArn: arns.task(rs.region, world.accountId, n.clusterName, id),
    clusterArn: arns.cluster(rs.region, world.accountId, n.clusterName),
    taskDefinitionArn: n.td.taskDefinitionArn,
    containerInstanceArn: where.containerInstanceArn,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    launchType: 'EC2',
    availabilityZone: where.availabilityZone,
    containers,
    cpu: String(n.needs.cpu),
    memory: String(n.needs.memory),
    ...(n.startedBy !== undefined ? { startedBy: n.startedBy } : {}),
    group: n.group,
    createdAt: now,
    healthStatus: 'UNKNOWN',
    version: 1,
    tags: n.tags ?? [],
    ec2InstanceId: where.ec2InstanceId,
    reservedPorts: where.reservedPorts,
    ...(n.serviceName !== undefined ? { serviceName: n.serviceName } : {}),
    ...(n.deploymentId !== undefined ? { deploymentId: n.deploymentId } : {}),
    ...extra,
  };
  rs.ecs.tasks[id] = task;
  track(rs, regionIndex(rs), task);
  return task;
}

/** Creates a PROVISIONING task on the placed instance and reserves its resources. */
export function createTask(ctx: Ctx, n: NewTask): Task {
  const { ci, hostPorts } = n.placement;
  return addNewTask(ctx, n, { containerInstanceArn: ci.containerInstanceArn, availabilityZone: ci.availabilityZone, ec2InstanceId: ci.ec2InstanceId, reservedPorts: hostPorts }, { nextTransitionAt: ctx.now });
}

/** Network bindings of a task: its task definition's port mappings with the host ports it holds. */
export function bindingsFor(task: Task, td: TaskDefinition | undefined): Map<string, Container['networkBindings']> {
  const out = new Map<string, Container['networkBindings']>();
  if (!td) return out;
  portSpecs(td).forEach((p, i) => {
    const hostPort = task.reservedPorts[i];
    if (hostPort === undefined) return;
    const list = out.get(p.containerName) ?? [];
    list.push({ bindIP: '0.0.0.0', containerPort: p.containerPort, hostPort, protocol: p.protocol });
    out.set(p.containerName, list);
  });
  return out;
}

/** Whether the runtime holds (or is starting) a process for the task: launched and not yet exited. */
const holdsProcess = (t: Task): boolean =>
  t.pullStoppedAt !== undefined &&
  (t.lastStatus === 'PENDING' || t.lastStatus === 'ACTIVATING' || t.lastStatus === 'RUNNING' || t.lastStatus === 'DEACTIVATING' || t.lastStatus === 'STOPPING');

/** Task processes alive across every region (for the sandbox's --max-tasks limit). */
export function liveProcesses(ctx: Ctx): number {
  let n = 0;
  for (const rs of Object.values(ctx.world.regions)) {
    const tasks = rs.ecs.tasks;
    for (const id of regionIndex(rs).live) {
      const t = tasks[id];
      if (t && holdsProcess(t)) n++;
    }
  }
  return n;
}

/** The container the sandbox runs for a task: its task definition's first essential one. */
export const launchedContainer = (td: TaskDefinition | undefined): ContainerDefinition | undefined =>
  td?.containerDefinitions.find((c) => c.essential !== false) ?? td?.containerDefinitions[0];

/** Asks the runtime to start the task's (first essential) container. */
export function launch(ctx: Ctx, task: Task): void {
  const td = findTaskDefinition(ctx.rs, task.taskDefinitionArn);
  const def = launchedContainer(td);
  const bindings = bindingsFor(task, td).get(def?.name ?? '') ?? [];
  ctx.runtime.start({
    region: ctx.rs.region,
    taskId: lastSegment(task.taskArn),
    image: def?.image ?? task.containers[0]?.image ?? '',
    containerName: def?.name ?? task.containers[0]?.name ?? '',
    ports: bindings.map((b) => ({ containerPort: b.containerPort, hostPort: b.hostPort })),
    environment: (def?.environment ?? []).map((e) => ({ name: e.name, value: e.value })),
    instanceId: task.ec2InstanceId,
    availabilityZone: task.availabilityZone,
    cpuUnits: Number(task.cpu) || 0,
  });
}

/** What the plug-ins say before the task's container starts: a reason to fail it, or undefined. */
function beforeLaunch(ctx: Ctx, task: Task): string | undefined {
  if (!ctx.hooks.beforeTaskLaunch) return undefined;
  const def = launchedContainer(findTaskDefinition(ctx.rs, task.taskDefinitionArn));
  return def ? ctx.hooks.beforeTaskLaunch(ctx.rs, task, def, ctx.now) : undefined;
}

/**
 * Asks a task to stop: desiredStatus STOPPED now, the lifecycle runs down on the next ticks.
 * A task the runtime never started stops at once. Returns false when it was already stopping.
 */
export function requestStop(ctx: Ctx, task: Task, stopCode: Task['stopCode'], reason: string): boolean {
  if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') return false;
  task.desiredStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  bump(task);
  if (task.lastStatus === 'PROVISIONING') {
    task.stoppingAt = ctx.now;
    task.executionStoppedAt = ctx.now;
    finishStop(ctx, task);
  } else {
    task.nextTransitionAt = ctx.now;
  }
  return true;
}

/**
 * Its container instance was deregistered with `force`: ECS stops tracking the task, which keeps
 * running. Its service no longer counts it (and starts a replacement); its load balancer targets are
 * deregistered and drain, as ECS does for the service tasks of a deregistered instance.
 */
export function orphanTask(ctx: Ctx, task: Task): void {
  if (task.orphaned || task.lastStatus === 'STOPPED') return;
  const service = serviceOfTask(ctx, task);
  if (service) ctx.hooks.beforeServiceTaskStop?.(ctx.rs, service, task, ctx.now);
  task.orphaned = true;
  bump(task);
  if (task.serviceName) regionIndex(ctx.rs).byService.get(serviceKey(clusterOfArn(task.taskArn), task.serviceName))?.delete(lastSegment(task.taskArn));
}

/** STOPPED: releases the task's CPU, memory and ports. */
export function finishStop(ctx: Ctx, task: Task): void {
  if (task.lastStatus === 'STOPPED') return;
  const { now } = ctx;
  task.lastStatus = 'STOPPED';
  task.desiredStatus = 'STOPPED';
  task.stoppingAt ??= now;
  task.executionStoppedAt ??= now;
  task.stoppedAt = now;
  delete task.nextTransitionAt;
  delete task.realPorts;
  for (const c of task.containers) c.lastStatus = 'STOPPED';
  bump(task);
  untrack(ctx.rs, regionIndex(ctx.rs), task);
  const service = serviceOfTask(ctx, task);
  if (service) ctx.hooks.serviceTaskStopped?.(ctx.rs, service, task, now);
}

/** A service task stopped before it became healthy on its own: counts toward the circuit breaker and delays the next launch. */
function recordFailure(ctx: Ctx, task: Task): void {
  const service = serviceOfTask(ctx, task);
  const dep = service?.deployments.find((d) => d.id === task.deploymentId);
  if (!service || !dep) return;
  dep.failedTasks += 1;
  dep.consecutiveFailures = (dep.consecutiveFailures ?? 0) + 1;
  dep.updatedAt = ctx.now;
  const backoff = Math.min(ctx.opts.failedLaunchBackoffMs * 2 ** Math.min(dep.consecutiveFailures - 1, 6), 15 * 60_000);
  (service.eventGate ??= {})['launch:backoff'] = ctx.now + backoff;
}

/** Moves tasks whose next transition is due. Runs every tick. */
export function advanceTasks(ctx: Ctx): void {
  const { rs, now } = ctx;
  const idx = regionIndex(rs);
  for (const id of [...idx.live]) {
    const task = rs.ecs.tasks[id];
    if (!task || task.nextTransitionAt === undefined || task.nextTransitionAt > now) continue;
    step(ctx, task);
  }
}

function step(ctx: Ctx, task: Task): void {
  const { now } = ctx;
  delete task.nextTransitionAt;
  if (task.desiredStatus === 'RUNNING') {
    if (task.lastStatus === 'PROVISIONING') {
      task.lastStatus = 'PENDING';
      task.pullStartedAt = now;
      bump(task);
      // The agent pulls the image first (tens of seconds on a real instance), then starts the container.
      if (ctx.opts.imagePullMs > 0) {
        task.nextTransitionAt = now + ctx.opts.imagePullMs;
        return;
      }
    }
    if (task.lastStatus === 'PENDING' && task.pullStoppedAt === undefined) {
      if (ctx.opts.maxTasks > 0 && liveProcesses(ctx) >= ctx.opts.maxTasks) {
        const service = serviceOfTask(ctx, task);
        if (service) addGatedEvent(service, now, 'limit:tasks', ctx.opts.placementEventIntervalMs, messages.taskLimitEvent(service.serviceName, ctx.opts.maxTasks));
        onFailed(ctx, task, messages.taskLimitReason(ctx.opts.maxTasks));
        return;
      }
      task.pullStoppedAt = now;
      bump(task);
      let refused: string | undefined;
      try {
        refused = beforeLaunch(ctx, task);
        if (!refused) launch(ctx, task);
      } catch (e) {
        refused = `CannotStartContainerError: ${(e as Error).message}`;
      }
      if (refused) onFailed(ctx, task, refused);
    }
    return;
  }
  switch (task.lastStatus) {
    case 'PENDING':
    case 'ACTIVATING':
    case 'RUNNING': {
      const service = task.lastStatus === 'RUNNING' ? serviceOfTask(ctx, task) : undefined;
      const until = service ? ctx.hooks.beforeServiceTaskStop?.(ctx.rs, service, task, now) : undefined;
      task.lastStatus = 'DEACTIVATING';
      task.nextTransitionAt = until !== undefined && until > now ? until : now;
      bump(task);
      return;
    }
    case 'DEACTIVATING': {
      const timeout = stopTimeoutMs(ctx, task);
      task.lastStatus = 'STOPPING';
      task.stoppingAt = now;
      task.nextTransitionAt = now + timeout + STOP_SAFETY_MS;
      bump(task);
      try {
        ctx.runtime.stop(ctx.rs.region, lastSegment(task.taskArn), timeout / ctx.clock.scale);
      } catch {
        toDeprovisioning(ctx, task, null);
      }
      return;
    }
    case 'STOPPING':
      // The runtime never said the process exited: consider it gone.
      toDeprovisioning(ctx, task, null);
      return;
    case 'DEPROVISIONING':
      finishStop(ctx, task);
      return;
    default:
      return;
  }
}

/** SIGTERM → SIGKILL delay: the containers' `stopTimeout` (seconds, ECS caps it at 120) when set, else the engine's default. */
function stopTimeoutMs(ctx: Ctx, task: Task): number {
  const td = findTaskDefinition(ctx.rs, task.taskDefinitionArn);
  let max: number | undefined;
  for (const c of td?.containerDefinitions ?? []) {
    const v = c.extra?.stopTimeout;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) max = Math.max(max ?? 0, Math.min(v, 120));
  }
  return max === undefined ? ctx.opts.stopTimeoutMs : max * 1000;
}

function toDeprovisioning(ctx: Ctx, task: Task, exitCode: number | null): void {
  task.lastStatus = 'DEPROVISIONING';
  task.stoppingAt ??= ctx.now;
  task.executionStoppedAt = ctx.now;
  task.nextTransitionAt = ctx.now;
  for (const c of task.containers) {
    c.lastStatus = 'STOPPED';
    if (exitCode !== null && c.exitCode === undefined) c.exitCode = exitCode;
  }
  bump(task);
}

/** Runtime: the task's server listens. */
export function onStarted(ctx: Ctx, task: Task, realPorts: Record<number, number>): void {
  task.realPorts = Object.fromEntries(Object.entries(realPorts).map(([k, v]) => [String(k), v]));
  if (task.desiredStatus !== 'RUNNING' || !(task.lastStatus === 'PENDING' || task.lastStatus === 'ACTIVATING')) return;
  const { now } = ctx;
  const bindings = bindingsFor(task, findTaskDefinition(ctx.rs, task.taskDefinitionArn));
  task.lastStatus = 'RUNNING';
  task.pullStoppedAt = now;
  task.startedAt = now;
  task.connectivity = 'CONNECTED';
  task.connectivityAt = now;
  task.healthyAt = now + ctx.opts.healthyAfterMs;
  for (const c of task.containers) {
    c.lastStatus = 'RUNNING';
    c.networkBindings = bindings.get(c.name) ?? [];
  }
  bump(task);
  const service = serviceOfTask(ctx, task);
  const dep = service?.deployments.find((d) => d.id === task.deploymentId);
  if (dep) dep.consecutiveFailures = 0;
  if (service) ctx.hooks.serviceTaskRunning?.(ctx.rs, service, task, now);
}

/** Runtime: the task could not start (e.g. `CannotPullContainerError: …`). */
export function onFailed(ctx: Ctx, task: Task, reason: string): void {
  if (task.lastStatus === 'STOPPED') return;
  if (task.desiredStatus === 'STOPPED') {
    toDeprovisioning(ctx, task, null);
    return;
  }
  task.desiredStatus = 'STOPPED';
  task.stopCode = 'TaskFailedToStart';
  task.stoppedReason = reason;
  task.pullStoppedAt ??= ctx.now;
  for (const c of task.containers) c.reason = reason;
  recordFailure(ctx, task);
  toDeprovisioning(ctx, task, null);
  finishStop(ctx, task);
}

/** Runtime: the task's process exited (on its own, killed, or after stop()). */
export function onExited(ctx: Ctx, task: Task, exitCode: number | null): void {
  if (task.lastStatus === 'STOPPED' || task.lastStatus === 'DEPROVISIONING') return;
  if (task.desiredStatus === 'RUNNING') {
    const neverHealthy = task.lastStatus !== 'RUNNING' || (task.healthyAt !== undefined && task.healthyAt > ctx.now);
    task.desiredStatus = 'STOPPED';
    task.stopCode = 'EssentialContainerExited';
    task.stoppedReason = messages.essentialExited;
    if (neverHealthy) recordFailure(ctx, task);
  }
  toDeprovisioning(ctx, task, exitCode);
}

const lastPurge = new WeakMap<object, number>();

/** Forgets STOPPED tasks older than the retention (checked about once a simulated minute). */
export function purgeStoppedTasks(ctx: Ctx): void {
  const { rs, now } = ctx;
  const last = lastPurge.get(rs);
  if (last !== undefined && now - last < 60_000) return;
  lastPurge.set(rs, now);
  for (const [id, t] of Object.entries(rs.ecs.tasks)) {
    if (t.lastStatus === 'STOPPED' && (t.stoppedAt ?? now) + ctx.opts.stoppedTaskRetentionMs <= now) delete rs.ecs.tasks[id];
  }
}
