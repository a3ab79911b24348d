/**
 * What the engine's modules share: the region being worked on, the time, the runtime, the resolved
 * options and the hooks. Built by Engine for each call; modules are plain functions over it.
 */
import type { Clock } from './clock';
import type { TaskRuntime } from '../runtime/runtime';
import type { ContainerDefinition, RegionState, Service, Task, World } from './state';

/**
 * How the plug-ins follow the engine's tasks: load balancing (the ELBv2 plug-in's ecs-hooks.ts) its
 * service tasks, the awslogs log driver (the CloudWatch Logs plug-in) every task's start. Each hook
 * has at most one plug-in (plugin.ts). Defaults: nothing to register, health by the 40 s rule, stop
 * at once, every container starts.
 */
export interface EngineHooks {
  /**
   * A task's container is about to start, its image pulled (e.g. its log driver initialises: the
   * awslogs driver creates its log stream). Return a reason to fail the task to start instead, e.g.
   * `CannotStartContainerError: Error response from daemon: failed to initialize logging driver: …`.
   */
  beforeTaskLaunch?(rs: RegionState, task: Task, container: ContainerDefinition, now: number): string | undefined;
  /** A service task became RUNNING (e.g. register its targets). */
  serviceTaskRunning?(rs: RegionState, service: Service, task: Task, now: number): void;
  /**
   * Whether a RUNNING service task counts as healthy for its deployment. Return `undefined` to use
   * the default rule (healthy `healthyAfterMs` after RUNNING), e.g. for services without a load balancer.
   */
  serviceTaskHealthy?(rs: RegionState, service: Service, task: Task, now: number): boolean | undefined;
  /**
   * The scheduler (or StopTask) is about to stop a RUNNING service task (e.g. deregister its
   * targets). Return the simulated time until which the task keeps running while it drains
   * (it stays DEACTIVATING until then), or `undefined` to stop it now.
   */
  beforeServiceTaskStop?(rs: RegionState, service: Service, task: Task, now: number): number | undefined;
  /** A service task reached STOPPED (e.g. forget its targets). */
  serviceTaskStopped?(rs: RegionState, service: Service, task: Task, now: number): void;
  /**
   * Whether a RUNNING service task failed its load balancer's health checks (past the grace
   * period) and is to be replaced: the reason to stop it with, else undefined. The REPLICA
   * scheduler replaces such tasks as ECS does (replacements first when maximumPercent allows).
   */
  serviceTaskFailing?(rs: RegionState, service: Service, task: Task, now: number): string | undefined;
}

export interface ResolvedOptions {
  healthyAfterMs: number;
  placementEventIntervalMs: number;
  stoppedTaskRetentionMs: number;
  instanceBootMs: number;
  agentRegisterMs: number;
  stopTimeoutMs: number;
  instanceShutdownMs: number;
  inactiveServiceRetentionMs: number;
  terminatedInstanceRetentionMs: number;
  failedLaunchBackoffMs: number;
  imagePullMs: number;
  /** Most task processes alive at once across all regions (0 = no limit). */
  maxTasks: number;
}

export interface Ctx {
  world: World;
  rs: RegionState;
  now: number;
  clock: Clock;
  runtime: TaskRuntime;
  opts: ResolvedOptions;
  hooks: EngineHooks;
}

/** `<cluster>/<service>` — the key of a service in indexes and maps. */
export const serviceKey = (cluster: string, service: string): string => `${cluster}/${service}`;

/** The cluster name of a task / service / container instance ARN (`…:kind/<cluster>/<id>`). */
export const clusterOfArn = (arn: string): string => {
  const parts = arn.slice(arn.indexOf('/') + 1).split('/');
  return parts.length > 1 ? parts[0] : '';
};
