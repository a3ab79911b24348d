/**
 * The sandbox engine: everything in ECS / EC2 that moves over time. Pure — no I/O, no timers of its
 * own: the server calls `tick()` often (every ~100 ms real time), tests call it after moving a
 * ManualClock. Real work (task processes) goes through the injected TaskRuntime, whose answers come
 * back through `RuntimeEvents` (bound in the constructor).
 *
 * API handlers do the validation and the plain CRUD (create a cluster, register a task definition,
 * store a service) and call the engine for the dynamics (start a deployment, run / stop tasks,
 * instances that boot and register).
 *
 * The work is split by concern: instances.ts (EC2 + agent), tasks.ts (task lifecycle),
 * placement.ts + usage.ts (where tasks fit; per-instance usage index), deployments.ts (service
 * reconcile, deployments, circuit breaker), replica.ts / daemon.ts (the two schedulers),
 * scheduling.ts (what they share), events.ts (service events and their exact texts),
 * context.ts (EngineHooks — the load-balancer extension points — and the shared context).
 */
import type { Clock } from './clock';
import type { TaskRuntime } from '../runtime/runtime';
import { createWaitingTask, managedScalingOn, nextProvider, placeWaitingTasks, providerByInstance, waitingRules } from './capacity';
import type { CapacityProviderStrategyItem, ContainerInstance, Instance, PlacementConstraint, PlacementStrategy, RegionState, Resource, Service, Task, TaskDefinition, World } from './state';
import { queryEnv } from './cluster-query';
import type { Ctx, EngineHooks, ResolvedOptions } from './context';
import { defaultEc2State } from '../ec2/defaults';
import { messages } from './events';
import { placeableInstances, placeOne, runTaskFailureReason } from './placement';
import { createTask, finishStop, launch, onExited, onFailed, onStarted, purgeStoppedTasks, requestStop, advanceTasks } from './tasks';
import { advanceInstances, deregisterContainerInstance, instanceLaunched, registerContainerInstance, terminateInstance, type Registration } from './instances';
import { newDeployment, pushPrimary, reconcileService } from './deployments';
import { findTaskDefinition, forgetIndex, regionIndex, remaining, reservedTcp, reservedUdp, taskCounts, taskNeeds } from './usage';

export type { EngineHooks } from './context';

export interface EngineOptions {
  /** Simulated ms a task counts as healthy after RUNNING when it has no load balancer (ECS: 40 s). */
  healthyAfterMs?: number;
  /** Simulated ms between two unplaceable-task events of one service (ECS rate-limits them). */
  placementEventIntervalMs?: number;
  /** Simulated ms stopped tasks stay describable (≥ 1 h). */
  stoppedTaskRetentionMs?: number;
  /** Simulated ms from RunInstances to `running`, and from `running` to the agent's registration. */
  instanceBootMs?: number;
  agentRegisterMs?: number;
  /** Simulated ms between SIGTERM and SIGKILL when a task stops (ECS: 30 s). */
  stopTimeoutMs?: number;
  /** Simulated ms from TerminateInstances to `terminated`. */
  instanceShutdownMs?: number;
  /** Simulated ms a deleted (INACTIVE) service stays describable. */
  inactiveServiceRetentionMs?: number;
  /** Simulated ms a terminated instance stays describable. */
  terminatedInstanceRetentionMs?: number;
  /** Simulated ms a service waits after a failed task start before launching again (doubles per consecutive failure, ≤ 15 min). */
  failedLaunchBackoffMs?: number;
  /** Simulated ms the agent spends pulling the image before the container starts (0 = none). */
  imagePullMs?: number;
  /**
   * Most task processes alive at once across all regions (the sandbox's own limit, to protect the
   * machine; 0 or absent = no limit). A task that would go beyond it fails to start (STOPPED,
   * TaskFailedToStart) and its service gets an event saying so.
   */
  maxTasks?: number;
  /** How load balancing follows service tasks (elbv2/ecs-hooks.ts); defaults: no-op, health by the 40 s rule. */
  hooks?: EngineHooks;
}

export interface PlacementFailure {
  arn?: string;
  reason: string;
  detail?: string;
}

const DEFAULTS: ResolvedOptions = {
  healthyAfterMs: 40_000,
  placementEventIntervalMs: 3 * 60_000,
  stoppedTaskRetentionMs: 60 * 60_000,
  instanceBootMs: 10_000,
  agentRegisterMs: 5_000,
  stopTimeoutMs: 30_000,
  instanceShutdownMs: 5_000,
  inactiveServiceRetentionMs: 60 * 60_000,
  terminatedInstanceRetentionMs: 60 * 60_000,
  failedLaunchBackoffMs: 10_000,
  imagePullMs: 15_000,
  maxTasks: 0,
};

export class Engine {
  private readonly resolved: ResolvedOptions;
  private readonly hooks: EngineHooks;

  constructor(
    readonly world: World,
    readonly clock: Clock,
    readonly runtime: TaskRuntime,
    readonly options: EngineOptions = {},
  ) {
    const given = Object.fromEntries(Object.entries(options).filter(([k, v]) => k !== 'hooks' && v !== undefined));
    this.resolved = { ...DEFAULTS, ...given };
    this.hooks = options.hooks ?? {};
    runtime.bind({
      started: (region, taskId, realPorts) => this.onRuntime(region, taskId, (ctx, t) => onStarted(ctx, t, realPorts)),
      failed: (region, taskId, reason) => this.onRuntime(region, taskId, (ctx, t) => onFailed(ctx, t, reason)),
      exited: (region, taskId, exitCode) => this.onRuntime(region, taskId, (ctx, t) => onExited(ctx, t, exitCode)),
    });
  }

  private ctx(rs: RegionState): Ctx {
    return { world: this.world, rs, now: this.clock.now(), clock: this.clock, runtime: this.runtime, opts: this.resolved, hooks: this.hooks };
  }

  private onRuntime(region: string, taskId: string, f: (ctx: Ctx, task: Task) => void): void {
    const rs = this.world.regions[region];
    const task = rs?.ecs.tasks[taskId];
    if (rs && task) f(this.ctx(rs), task);
  }

  /** The region's state, created on first use with a default VPC, two subnets in two AZs and a default security group. */
  region(name: string): RegionState {
    let rs = this.world.regions[name];
    if (!rs) {
      rs = {
        region: name,
        ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
        ec2: defaultEc2State(name),
        serviceState: {},
      };
      this.world.regions[name] = rs;
    }
    return rs;
  }

  /** Advances every region to `clock.now()`: instances boot / register / terminate, tasks move through their lifecycle, services reconcile and deploy. */
  tick(): void {
    // One broken record must not stall everything else: each step runs, the first error is rethrown at the end.
    let failed: { error: unknown } | undefined;
    const guard = (f: () => void): void => {
      try {
        f();
      } catch (e) {
        failed ??= { error: e };
      }
    };
    for (const rs of Object.values(this.world.regions)) {
      const ctx = this.ctx(rs);
      guard(() => advanceInstances(ctx));
      guard(() => placeWaitingTasks(ctx, (t, td) => waitingRules(rs, t, td)));
      guard(() => advanceTasks(ctx));
      for (const [clusterName, services] of Object.entries(rs.ecs.services)) {
        for (const service of Object.values(services)) guard(() => reconcileService(ctx, clusterName, service));
      }
      guard(() => purgeStoppedTasks(ctx));
    }
    if (failed) throw failed.error;
  }

  /** A new service was stored (status ACTIVE, deployments empty): create its first PRIMARY deployment. */
  serviceCreated(rs: RegionState, service: Service): void {
    const ctx = this.ctx(rs);
    service.events ??= [];
    service.eventGate ??= {};
    service.deployments ??= [];
    const td = findTaskDefinition(rs, service.taskDefinition);
    pushPrimary(service, newDeployment(ctx, service, td?.taskDefinitionArn ?? service.taskDefinition));
  }

  /**
   * UpdateService. Any of the changes may be given. A new task definition or `forceNewDeployment`
   * starts a new PRIMARY deployment (older ones become ACTIVE); a desired count alone changes the PRIMARY's.
   */
  serviceUpdated(
    rs: RegionState,
    service: Service,
    change: { taskDefinition?: string; desiredCount?: number; forceNewDeployment?: boolean },
  ): void {
    const ctx = this.ctx(rs);
    service.eventGate ??= {};
    if (change.desiredCount !== undefined && change.desiredCount !== service.desiredCount) {
      service.desiredCount = change.desiredCount;
      service.eventGate['steady'] = 0;
    }
    const primary = service.deployments[0];
    const wanted = change.taskDefinition ?? primary?.taskDefinition ?? service.taskDefinition;
    const arn = findTaskDefinition(rs, wanted)?.taskDefinitionArn ?? wanted;
    if (!primary || change.forceNewDeployment || arn !== primary.taskDefinition) {
      pushPrimary(service, newDeployment(ctx, service, arn));
    } else {
      primary.desiredCount = service.desiredCount;
      primary.updatedAt = ctx.now;
    }
  }

  /** DeleteService: the service goes DRAINING, its tasks stop, then it becomes INACTIVE. */
  serviceDeleted(rs: RegionState, service: Service): void {
    service.status = 'DRAINING';
    service.desiredCount = 0;
    for (const d of service.deployments) d.desiredCount = 0;
  }

  /**
   * RunTask: place `count` tasks of `td` in the cluster now; what cannot be placed is a failure
   * (`RESOURCE:CPU`, `RESOURCE:MEMORY`, `RESOURCE:PORTS` with the closest container instance's ARN;
   * `AGENT` with detail "No Container Instances were found in your cluster." when it has none —
   * real ECS answers that case with an InvalidParameterException carrying that message).
   */
  runTasks(
    rs: RegionState,
    clusterName: string,
    td: TaskDefinition,
    count: number,
    opts: {
      startedBy?: string;
      group?: string;
      tags?: { key: string; value: string }[];
      placementConstraints?: PlacementConstraint[];
      placementStrategy?: PlacementStrategy[];
      /** Through capacity providers (base, then weight); a task that does not fit waits PROVISIONING when its provider has managed scaling. */
      capacityProviderStrategy?: CapacityProviderStrategyItem[];
    },
  ): { tasks: Task[]; failures: PlacementFailure[] } {
    const ctx = this.ctx(rs);
    const idx = regionIndex(rs);
    const needs = taskNeeds(td);
    const cps = opts.capacityProviderStrategy?.length ? opts.capacityProviderStrategy : undefined;
    const byInstance = cps ? providerByInstance(rs) : undefined;
    const counts = new Map<string, number>();
    const all = placeableInstances(rs, clusterName);
    const group = opts.group ?? `family:${td.family}`;
    const rules = {
      constraints: [...(td.placementConstraints ?? []), ...(opts.placementConstraints ?? [])],
      strategy: opts.placementStrategy ?? [],
      env: queryEnv(rs),
    };
    const tasks: Task[] = [];
    const failures: PlacementFailure[] = [];
    for (let i = 0; i < count; i++) {
      const provider = cps ? nextProvider(cps, counts) : undefined;
      if (provider) counts.set(provider, (counts.get(provider) ?? 0) + 1);
      const instances = provider ? all.filter((ci) => byInstance!.get(ci.ec2InstanceId) === provider) : all;
      const p = placeOne(idx, instances, needs, group, rules);
      if (!p.ok && provider && managedScalingOn(rs, provider) && p.problem !== 'MEMBER_OF' && p.problem !== 'DISTINCT_INSTANCE') {
        tasks.push(createWaitingTask(ctx, { clusterName, td, needs, group, provider, startedBy: opts.startedBy, tags: opts.tags }));
        continue;
      }
      if (!p.ok) {
        failures.push({
          ...(p.closest ? { arn: p.closest.containerInstanceArn } : {}),
          reason: runTaskFailureReason(p.problem),
          ...(p.problem === 'NO_INSTANCES' ? { detail: messages.noContainerInstances } : {}),
        });
        continue;
      }
      const t = createTask(ctx, { clusterName, td, needs, placement: p, group, startedBy: opts.startedBy, tags: opts.tags });
      if (provider) t.capacityProviderName = provider;
      tasks.push(t);
    }
    return { tasks, failures };
  }

  /** StopTask (UserInitiated) or any other stop: desiredStatus STOPPED, then the lifecycle runs down. */
  stopTask(rs: RegionState, task: Task, stopCode: Task['stopCode'], reason: string): void {
    requestStop(this.ctx(rs), task, stopCode, reason);
  }

  /**
   * RunInstances stored a `pending` instance: it becomes `running` after the boot time and, when its
   * user data says `ECS_CLUSTER=<name>` (`instance.ecsCluster`), registers as a container instance
   * of that cluster shortly after (as the ECS agent does).
   */
  instanceLaunched(rs: RegionState, instance: Instance): void {
    instanceLaunched(this.ctx(rs), instance);
  }

  /** RegisterContainerInstance: a new ACTIVE container instance of the cluster on a running EC2 instance. */
  registerContainerInstance(rs: RegionState, instance: Instance, clusterName: string, registration: Registration): ContainerInstance {
    return registerContainerInstance(this.ctx(rs), instance, clusterName, registration);
  }

  /**
   * DeregisterContainerInstance: INACTIVE at once. With `force`, the tasks still on it keep running,
   * orphaned (their services replace them elsewhere); the handler refuses without it while tasks run.
   */
  deregisterContainerInstance(rs: RegionState, ci: ContainerInstance): void {
    deregisterContainerInstance(this.ctx(rs), ci, undefined);
  }

  /** TerminateInstances: the instance shuts down, its container instance deregisters and its tasks stop. */
  terminateInstance(rs: RegionState, instanceId: string): void {
    terminateInstance(this.ctx(rs), instanceId);
  }

  /**
   * Called once after the state was loaded from disk: the processes are gone, so tasks that were
   * running are launched again (same ids and API host ports; new real ports), tasks that were
   * stopping finish stopping, and everything else resumes from its stored timers.
   */
  restore(): void {
    for (const rs of Object.values(this.world.regions)) {
      forgetIndex(rs);
      regionIndex(rs);
      const ctx = this.ctx(rs);
      for (const task of Object.values(rs.ecs.tasks)) {
        if (task.lastStatus === 'STOPPED' || task.lastStatus === 'PROVISIONING') continue;
        delete task.realPorts;
        if (task.desiredStatus === 'RUNNING' && (task.lastStatus === 'PENDING' || task.lastStatus === 'ACTIVATING' || task.lastStatus === 'RUNNING')) {
          launch(ctx, task);
        } else if (task.lastStatus !== 'DEPROVISIONING') {
          task.lastStatus = 'DEPROVISIONING';
          task.executionStoppedAt ??= ctx.now;
          task.nextTransitionAt = ctx.now;
          task.version += 1;
        } else if (task.nextTransitionAt === undefined) {
          finishStop(ctx, task);
        }
      }
    }
  }

  /** The admin API is about to drop these regions' state (all when `region` is undefined): forget what the engine keeps beside it. */
  reset(region?: string): void {
    for (const name of region ? [region] : Object.keys(this.world.regions)) {
      const rs = this.world.regions[name];
      if (rs) forgetIndex(rs);
    }
  }

  // ----------------------------------------------------------------------------- read helpers

  /** Remaining CPU / memory and the host ports in use (the agent's reserved ones included), for DescribeContainerInstances. */
  remainingResources(rs: RegionState, ci: ContainerInstance): { cpu: number; memory: number; ports: string[]; portsUdp: string[] } {
    return remaining(rs, ci);
  }

  /** `registeredResources` in the API's shape. */
  registeredResources(ci: ContainerInstance): Resource[] {
    return resourceList(ci.registeredCpu, ci.registeredMemory, reservedTcp(ci).map(String), reservedUdp(ci).map(String));
  }

  /** `remainingResources` in the API's shape. */
  remainingResourceList(rs: RegionState, ci: ContainerInstance): Resource[] {
    const r = remaining(rs, ci);
    return resourceList(r.cpu, r.memory, r.ports, r.portsUdp);
  }

  runningTasksCount(rs: RegionState, ci: ContainerInstance): number {
    return taskCounts(rs, ci).running;
  }

  pendingTasksCount(rs: RegionState, ci: ContainerInstance): number {
    return taskCounts(rs, ci).pending;
  }

  /** Task ids (not yet STOPPED) of a service, without scanning all tasks. */
  serviceTaskIds(rs: RegionState, clusterName: string, serviceName: string): string[] {
    return [...(regionIndex(rs).byService.get(`${clusterName}/${serviceName}`) ?? [])];
  }
}

function resourceList(cpu: number, memory: number, ports: string[], portsUdp: string[]): Resource[] {
  return [
    { name: 'CPU', type: 'INTEGER', integerValue: cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: ports },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: portsUdp },
  ];
}

