/**
 * How AWS services plug into a sandbox: one contract for all of them, one instance of each plug-in
 * per sandbox. A plug-in factory is called once by `startSandbox` with that sandbox's world,
 * clock, runtime and log, and returns the APIs it serves and whatever it runs beside them:
 *
 * - `services`: its API definitions (stateless: their state lives in the world);
 * - `hooks`: how it follows the engine's tasks (ELBv2: register, health gate, drain; CloudWatch
 *   Logs: the awslogs driver's stream at a container's start);
 * - `tick(now)`: its work after each engine tick (health checks, metric sampling, alarms, scaling);
 * - `endpoints()` / `metrics()`: the ALB listeners it serves and their counters;
 * - `alarmActions`: the ARNs it acts on when a CloudWatch alarm invokes them (scaling policies);
 * - `shutdown()`: what it stops when the sandbox closes (proxies, timers).
 *
 * What one plug-in needs of another goes through the host, within the sandbox: CloudWatch reads
 * the ALB counters with `host.albMetrics()` and runs alarm actions with `host.invokeAlarmAction`.
 * Nothing is registered process-wide, so any number of sandboxes can run in one process.
 */
import { routeAlarmAction, type AlarmActionEvent, type AlarmActionRoute } from './cloudwatch/actions';
import type { Clock } from './engine/clock';
import type { EngineHooks } from './engine/context';
import type { Engine } from './engine/engine';
import type { RegionState, World } from './engine/state';
import type { AlbEndpoint } from './runtime/alb-proxy';
import type { AlbMetricsEntry } from './runtime/alb-metrics';
import type { TaskRuntime } from './runtime/runtime';
import type { ServiceDefinition } from './service';

/** What a plug-in's per-region work is given. */
export interface TickContext {
  engine: Engine;
  rs: RegionState;
  /** Simulated epoch ms. */
  now: number;
  runtime: TaskRuntime;
}

/** What a plug-in is given by its sandbox. */
export interface PluginHost {
  readonly world: World;
  readonly clock: Clock;
  readonly runtime: TaskRuntime;
  log(message: string): void;
  /**
   * The sandbox's engine. It is built after the plug-ins (it takes their hooks): read it from
   * ticks, hooks and actions, not while the factory runs.
   */
  readonly engine: Engine;
  /** The ALB counters of this sandbox's plug-ins. */
  albMetrics(): AlbMetricsEntry[];
  /** Runs an alarm action with this sandbox's plug-in that owns its ARN; false when none does. */
  invokeAlarmAction(ctx: TickContext, actionArn: string, event: AlarmActionEvent): boolean;
}

export interface SandboxPlugin {
  name: string;
  services: readonly ServiceDefinition[];
  /** How the plug-in follows the engine's tasks. Each hook has at most one plug-in in a sandbox. */
  hooks?: EngineHooks;
  /** Runs after `engine.tick()`, in the plug-ins' order. A throw is logged; the other parts still tick. */
  tick?(now: number): void;
  /** The ALB listeners it serves (the admin API's `/_sandbox/load-balancers`). */
  endpoints?(): AlbEndpoint[];
  /** Its ALB counters (CloudWatch's AWS/ApplicationELB). */
  metrics?(): AlbMetricsEntry[];
  /** The alarm actions it runs, by ARN. */
  alarmActions?: readonly AlarmActionRoute[];
  shutdown?(): Promise<void> | void;
}

export type PluginFactory = (host: PluginHost) => SandboxPlugin;

/** A plug-in that only serves APIs (ECS, EC2, SSM: the engine runs their state; tests' own services). */
export const servicesPlugin =
  (name: string, services: readonly ServiceDefinition[]): PluginFactory =>
  () => ({ name, services });

/** Runs `f` for each region of the host's world. */
export function forEachRegion(host: PluginHost, now: number, f: (ctx: TickContext) => void): void {
  for (const rs of Object.values(host.world.regions)) f({ engine: host.engine, rs, now, runtime: host.runtime });
}

/** A sandbox's plug-ins, assembled. */
export interface Plugins {
  readonly list: readonly SandboxPlugin[];
  /** Every plug-in's services, in order. */
  readonly services: readonly ServiceDefinition[];
  /** The engine hooks, each from the one plug-in that has it (none when no plug-in has any). */
  readonly hooks: EngineHooks | undefined;
  /** Hands the plug-ins the engine built with `hooks`. */
  attach(engine: Engine): void;
  endpoints(): AlbEndpoint[];
  metrics(): AlbMetricsEntry[];
  /** Shuts every plug-in down, in order; a failure is logged and the others still shut down. */
  shutdown(): Promise<void>;
}

export interface PluginBase {
  world: World;
  clock: Clock;
  runtime: TaskRuntime;
  log(message: string): void;
}

/** Creates this sandbox's instance of each plug-in. */
export function assemblePlugins(factories: readonly PluginFactory[], base: PluginBase): Plugins {
  let engine: Engine | undefined;
  let list: SandboxPlugin[] = [];
  const host: PluginHost = {
    world: base.world,
    clock: base.clock,
    runtime: base.runtime,
    log: (message) => base.log(message),
    get engine(): Engine {
      if (!engine) throw new Error('the sandbox engine is not built yet: plug-in factories must not use it');
      return engine;
    },
    albMetrics: () => list.flatMap((p) => p.metrics?.() ?? []),
    invokeAlarmAction: (ctx, arn, event) => list.some((p) => routeAlarmAction(p.alarmActions ?? [], ctx, arn, event)),
  };
  list = factories.map((f) => f(host));
  return {
    list,
    services: list.flatMap((p) => p.services),
    hooks: mergeHooks(list),
    attach(e) {
      engine = e;
    },
    endpoints: () => list.flatMap((p) => p.endpoints?.() ?? []),
    metrics: () => host.albMetrics(),
    async shutdown() {
      for (const p of list) {
        try {
          await p.shutdown?.();
        } catch (e) {
          base.log(`sandbox: ${p.name} failed to shut down: ${(e as Error)?.stack ?? String(e)}`);
        }
      }
    },
  };
}

/** The plug-ins' engine hooks as one set; two plug-ins with the same hook are refused (which of them would the engine follow?). */
function mergeHooks(list: readonly SandboxPlugin[]): EngineHooks | undefined {
  const merged: EngineHooks & Record<string, unknown> = {};
  const owner: Record<string, string> = {};
  for (const p of list) {
    for (const [k, f] of Object.entries(p.hooks ?? {})) {
      if (typeof f !== 'function') continue;
      if (owner[k]) throw new Error(`only one plug-in may have the engine hook ${k}: ${owner[k]} and ${p.name} do`);
      owner[k] = p.name;
      merged[k] = (f as (...a: unknown[]) => unknown).bind(p.hooks);
    }
  }
  return Object.keys(merged).length ? merged : undefined;
}
