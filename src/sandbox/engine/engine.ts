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
 * STATUS: skeleton. The method list below is the contract the handlers are written against.
 */
import type { Clock } from './clock';
import type { TaskRuntime } from '../runtime/runtime';
import type { Instance, RegionState, Service, Task, TaskDefinition, World } from './state';

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
}

export interface PlacementFailure {
  arn?: string;
  reason: string;
  detail?: string;
}

export class Engine {
  constructor(
    readonly world: World,
    readonly clock: Clock,
    readonly runtime: TaskRuntime,
    readonly options: EngineOptions = {},
  ) {}

  /** The region's state, created on first use with a default VPC, two subnets in two AZs and a default security group. */
  region(name: string): RegionState {
    throw new Error('not implemented');
  }

  /** Advances every region to `clock.now()`: instances boot / register / terminate, tasks move through their lifecycle, services reconcile and deploy. */
  tick(): void {
    throw new Error('not implemented');
  }

  /** A new service was stored (status ACTIVE, deployments empty): create its first PRIMARY deployment. */
  serviceCreated(rs: RegionState, service: Service): void {
    throw new Error('not implemented');
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
    throw new Error('not implemented');
  }

  /** DeleteService: the service goes DRAINING, its tasks stop, then it becomes INACTIVE. */
  serviceDeleted(rs: RegionState, service: Service): void {
    throw new Error('not implemented');
  }

  /** RunTask: place `count` tasks of `td` in the cluster now; what cannot be placed is a failure (`RESOURCE:CPU`, `RESOURCE:MEMORY`, `RESOURCE:PORTS`, …). */
  runTasks(
    rs: RegionState,
    clusterName: string,
    td: TaskDefinition,
    count: number,
    opts: { startedBy?: string; group?: string; tags?: { key: string; value: string }[] },
  ): { tasks: Task[]; failures: PlacementFailure[] } {
    throw new Error('not implemented');
  }

  /** StopTask (UserInitiated) or any other stop: desiredStatus STOPPED, then the lifecycle runs down. */
  stopTask(rs: RegionState, task: Task, stopCode: Task['stopCode'], reason: string): void {
    throw new Error('not implemented');
  }

  /**
   * RunInstances stored a `pending` instance: it becomes `running` after the boot time and, when its
   * user data says `ECS_CLUSTER=<name>` (`instance.ecsCluster`), registers as a container instance
   * of that cluster shortly after (as the ECS agent does).
   */
  instanceLaunched(rs: RegionState, instance: Instance): void {
    throw new Error('not implemented');
  }

  /** TerminateInstances: the instance shuts down, its container instance deregisters and its tasks stop. */
  terminateInstance(rs: RegionState, instanceId: string): void {
    throw new Error('not implemented');
  }
}
