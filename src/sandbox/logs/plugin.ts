/**
 * CloudWatch Logs as a sandbox plug-in: its API, the awslogs log driver of the tasks (awslogs.ts:
 * the engine hook that creates a container's stream at its start — or fails the task as ECS does —
 * and the runtime's output shipped line by line), and a tick that applies the groups' retention on
 * the sandbox clock.
 */
import { lastSegment } from '../engine/ids';
import { forEachRegion, type PluginFactory } from '../plugin';
import { own } from '../records';
import { routeOf, shipLine, startAwslogs, type AwslogsRoute } from './awslogs';
import { logsService } from './index';
import { existingLogsState } from './model';
import { expireGroup } from './store';

/** Simulated ms between two retention passes over a region. */
const EXPIRE_EVERY_MS = 60_000;
/** Real ms between two prunings of the routes of tasks that are gone. */
const PRUNE_EVERY_MS = 10_000;

export const logsPlugin: PluginFactory = (host) => {
  /** Each task's route (`null`: its container does not use awslogs), by `<region>\0<task id>`. */
  const routes = new Map<string, AwslogsRoute | null>();
  const key = (region: string, taskId: string) => `${region}\u0000${taskId}`;
  const lastExpire = new WeakMap<object, number>();
  let lastPrune = Date.now();

  const unsubscribe = host.runtime.onOutput?.((region, taskId, line) => {
    const k = key(region, taskId);
    let route = routes.get(k);
    if (route === undefined) {
      route = routeOf(host.world, region, taskId) ?? null;
      routes.set(k, route);
    }
    if (route) shipLine(host.world, route, line, host.clock.now());
  });

  return {
    name: 'logs',
    services: [logsService],
    hooks: {
      beforeTaskLaunch(rs, task, container, now) {
        const started = startAwslogs(host.world, rs, task, container, now, (name) => host.engine.region(name));
        if (started && 'reason' in started) return started.reason;
        routes.set(key(rs.region, lastSegment(task.taskArn)), started?.route ?? null);
        return undefined;
      },
    },
    tick(now) {
      forEachRegion(host, now, ({ rs }) => {
        const logs = existingLogsState(rs);
        if (!logs) return;
        const last = lastExpire.get(rs);
        if (last !== undefined && now - last < EXPIRE_EVERY_MS) return;
        lastExpire.set(rs, now);
        for (const g of Object.values(logs.groups)) expireGroup(g, now);
      });
      // Forget the routes of tasks that stopped (a line printed later finds its route again).
      if (Date.now() - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        for (const k of routes.keys()) {
          const [region, taskId] = k.split('\u0000');
          const task = own(own(host.world.regions, region)?.ecs.tasks, taskId);
          if (!task || task.lastStatus === 'STOPPED') routes.delete(k);
        }
      }
    },
    shutdown: () => unsubscribe?.(),
  };
};
