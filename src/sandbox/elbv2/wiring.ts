/**
 * Everything ELBv2 needs at run time, in one object per sandbox: the ECS hooks (register / health
 * gate / drain / replace unhealthy tasks), the health checker, and the ALB proxies. The ELBv2
 * plug-in (plugin.ts) builds it before the engine, which takes `hooks` (`stopTask` calls the engine
 * lazily); its tick runs `tick(now)` after `engine.tick()`; the admin API lists `endpoints()`,
 * CloudWatch reads `metrics()`, and `close()` runs when the sandbox stops.
 */
import type { Clock } from '../engine/clock';
import type { EngineHooks } from '../engine/context';
import type { RegionState, Task, World } from '../engine/state';
import { AlbProxies, type AlbEndpoint } from '../runtime/alb-proxy';
import type { AlbMetricsEntry } from '../runtime/alb-metrics';
import type { TaskRuntime } from '../runtime/runtime';
import { ecsLoadBalancing } from './ecs-hooks';
import { HealthChecker, type Prober, type TargetHealthEvent, type TargetResolver } from './health';

export interface Elbv2RuntimeOptions {
  world: World;
  clock: Clock;
  runtime: Pick<TaskRuntime, 'url'>;
  stopTask: (rs: RegionState, task: Task, stopCode: Task['stopCode'], reason: string) => void;
  /** Tests: a fake prober, a fixed idle timeout. */
  prober?: Prober;
  idleTimeoutMs?: number;
  /** Every target health change (after the ECS integration handled it). */
  onHealthEvent?: (e: TargetHealthEvent) => void;
  /** Where unexpected errors of the proxies go (default stderr). */
  log?: (message: string) => void;
}

export interface Elbv2Runtime {
  hooks: EngineHooks;
  resolve: TargetResolver;
  proxies: AlbProxies;
  checker: HealthChecker;
  /** Health checks, draining, LB activation in every region; then re-checks the proxies (async). */
  tick(now: number): void;
  endpoints(): AlbEndpoint[];
  metrics(): AlbMetricsEntry[];
  close(): Promise<void>;
}

export function createElbv2Runtime(opts: Elbv2RuntimeOptions): Elbv2Runtime {
  const ecs = ecsLoadBalancing({ world: opts.world, runtime: opts.runtime, stopTask: opts.stopTask });
  const checker = new HealthChecker({ resolve: ecs.resolve, prober: opts.prober, realMs: (ms) => ms / opts.clock.scale });
  const proxies = new AlbProxies({ regions: () => Object.values(opts.world.regions), resolve: ecs.resolve, idleTimeoutMs: opts.idleTimeoutMs, log: opts.log });
  let closed = false;
  return {
    hooks: ecs.hooks,
    resolve: ecs.resolve,
    proxies,
    checker,
    tick(now) {
      if (closed) return;
      for (const rs of Object.values(opts.world.regions)) {
        if (!rs.serviceState.elbv2) continue;
        const events = checker.tick(rs, now);
        if (events.length) {
          ecs.onHealthEvents(rs, events, now);
          for (const e of events) opts.onHealthEvent?.(e);
        }
        ecs.releaseDrains(rs, now);
      }
      proxies.reconcile().catch((e) => (opts.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(`ALB: reconcile failed: ${(e as Error)?.stack ?? String(e)}`));
    },
    endpoints: () => proxies.endpoints(),
    metrics: () => proxies.metricsSnapshot(),
    async close() {
      closed = true;
      await checker.settle();
      await proxies.close();
    },
  };
}
