/**
 * ECS <-> ELBv2: what ECS does for a service with `loadBalancers`, as engine hooks.
 * - a service task becomes RUNNING -> its target (`Id = EC2 instance id, Port = host port`) is
 *   registered in each target group (event `registered 1 targets in (target-group …)`);
 * - the task counts as healthy for its deployment once its targets are `healthy`;
 * - before the scheduler stops it, its targets are deregistered and the task keeps running while
 *   they drain (events `deregistered …` and `has begun draining connections on 1 tasks.`);
 * - a target that turns unhealthy (after the grace period) gets the `is unhealthy in (target-group …)`
 *   event and its task is replaced (`Task failed ELB health checks in (target-group <arn>)`): by the
 *   REPLICA scheduler, which starts replacements first when maximumPercent allows and otherwise
 *   stops unhealthy tasks one at a time (`serviceTaskFailing`), as ECS does since 2023; a DAEMON
 *   service's task is stopped at once.
 * Also the resolver the proxy and the health checker use: instance id (or private IP) + host port
 * -> the real URL of the task holding that port there.
 */
import type { EngineHooks } from '../engine/context';
import { addEvent } from '../engine/events';
import { lastSegment } from '../engine/ids';
import type { RegionState, Service, Task, World } from '../engine/state';
import type { TaskRuntime } from '../runtime/runtime';
import type { TargetHealthEvent, TargetResolver } from './health';
import { bump, elbv2State, targetKey, type TargetGroup } from './model';
import { deregisterTargets, registerTargets } from './targets';

export interface EcsLoadBalancingOptions {
  world: World;
  runtime: Pick<TaskRuntime, 'url'>;
  /** The engine's stopTask (ServiceSchedulerInitiated with the health-check reason). */
  stopTask: (rs: RegionState, task: Task, stopCode: Task['stopCode'], reason: string) => void;
}

export interface EcsLoadBalancing {
  hooks: EngineHooks;
  resolve: TargetResolver;
  /** Feed the events of `HealthChecker.tick` here (service events, replacing unhealthy tasks). */
  onHealthEvents(rs: RegionState, events: TargetHealthEvent[], now: number): void;
  /**
   * Every tick: a service task waiting out its deregistration delay (DEACTIVATING) whose target is
   * no longer draining anywhere — its target group was deleted — stops waiting, as on AWS, where the
   * target is gone with the group. (Without this a deleted service stayed DRAINING for the rest of
   * a 300 s delay and its cluster could not be deleted.)
   */
  releaseDrains(rs: RegionState, now: number): void;
}

const LIVE = new Set<Task['lastStatus']>(['RUNNING', 'DEACTIVATING', 'STOPPING']);

/** The host port of the container port a service load balancer names, if the task has one. */
export function hostPortFor(task: Task, containerName: string, containerPort: number): number | undefined {
  const c = task.containers.find((x) => x.name === containerName);
  return c?.networkBindings.find((b) => b.containerPort === containerPort)?.hostPort;
}

const holds = (task: Task, instanceId: string, port: number) =>
  task.ec2InstanceId === instanceId && LIVE.has(task.lastStatus) && task.containers.some((c) => c.networkBindings.some((b) => b.hostPort === port));

export function ecsLoadBalancing(opts: EcsLoadBalancingOptions): EcsLoadBalancing {
  /** `region|instance|port` -> task id; checked on every use, rebuilt on a miss. */
  const index = new Map<string, string>();

  const findTask = (rs: RegionState, instanceId: string, port: number): Task | undefined => {
    const key = `${rs.region}|${instanceId}|${port}`;
    const cached = index.get(key);
    const t = cached ? rs.ecs.tasks[cached] : undefined;
    if (t && holds(t, instanceId, port)) return t;
    index.delete(key);
    for (const task of Object.values(rs.ecs.tasks)) {
      if (holds(task, instanceId, port)) {
        index.set(key, lastSegment(task.taskArn));
        return task;
      }
    }
    return undefined;
  };

  const resolve: TargetResolver = (region, tg, target) => {
    const rs = opts.world.regions[region];
    if (!rs) return undefined;
    let instanceId = target.Id;
    if (tg.TargetType === 'ip') {
      const inst = Object.values(rs.ec2.instances).find((i) => i.privateIpAddress === target.Id && i.state === 'running');
      if (!inst) return undefined;
      instanceId = inst.instanceId;
    }
    const task = findTask(rs, instanceId, target.Port);
    return task ? opts.runtime.url(region, lastSegment(task.taskArn), target.Port) : undefined;
  };

  const refs = (rs: RegionState, service: Service, task: Task) => {
    const s = elbv2State(rs);
    const out: { tg: TargetGroup; port: number }[] = [];
    for (const lb of service.loadBalancers ?? []) {
      const tg = lb.targetGroupArn ? s.targetGroups[lb.targetGroupArn] : undefined;
      const port = hostPortFor(task, lb.containerName, lb.containerPort);
      if (tg && port !== undefined) out.push({ tg, port });
    }
    return out;
  };

  const targetId = (rs: RegionState, tg: TargetGroup, task: Task) =>
    tg.TargetType === 'ip' ? rs.ec2.instances[task.ec2InstanceId]?.privateIpAddress ?? task.ec2InstanceId : task.ec2InstanceId;

  /** Tasks whose `is unhealthy` event was written (once per episode; forgotten when healthy again). */
  const reported = new Set<string>();
  const inGrace = (service: Service, task: Task, now: number) =>
    task.startedAt !== undefined && now < task.startedAt + (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
  const reportUnhealthy = (service: Service, task: Task, tgName: string, port: number, description: string | undefined, now: number) => {
    if (reported.has(task.taskArn)) return;
    reported.add(task.taskArn);
    if (reported.size > 10_000) reported.clear();
    addEvent(
      service,
      now,
      `(service ${service.serviceName}) (task ${lastSegment(task.taskArn)}) (instance ${task.ec2InstanceId}) (port ${port}) is unhealthy in (target-group ${tgName}) due to (reason ${description}).`,
    );
  };

  const hooks: EngineHooks = {
    serviceTaskFailing(rs, service, task, now) {
      if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING' || inGrace(service, task, now)) return undefined;
      for (const { tg, port } of refs(rs, service, task)) {
        const rt = tg.targets[targetKey(targetId(rs, tg, task), port)];
        if (rt?.State !== 'unhealthy') continue;
        reportUnhealthy(service, task, tg.TargetGroupName, port, rt.Description, now);
        return `Task failed ELB health checks in (target-group ${tg.TargetGroupArn})`;
      }
      reported.delete(task.taskArn);
      return undefined;
    },
    serviceTaskRunning(rs, service, task, now) {
      for (const { tg, port } of refs(rs, service, task)) {
        const key = targetKey(targetId(rs, tg, task), port);
        const stale = tg.targets[key];
        if (stale?.deregisterWhenUnhealthy) {
          // The same instance + port as a task that died: ECS deregisters the old one and registers this one.
          delete tg.targets[key];
          bump(elbv2State(rs));
        }
        try {
          const added = registerTargets(rs, tg.TargetGroupArn, [{ Id: targetId(rs, tg, task), Port: port }], now);
          if (added.length) addEvent(service, now, `(service ${service.serviceName}) registered ${added.length} targets in (target-group ${tg.TargetGroupArn})`);
        } catch {
          // The instance is no longer running or the group is gone: nothing to register.
        }
      }
    },
    serviceTaskHealthy(rs, service, task) {
      const r = refs(rs, service, task);
      if (r.length === 0) return undefined;
      return r.every(({ tg, port }) => tg.targets[targetKey(targetId(rs, tg, task), port)]?.State === 'healthy');
    },
    beforeServiceTaskStop(rs, service, task, now) {
      // A task the user stops (StopTask) gets SIGTERM at once, as the hands-on observed: its target
      // stays in the group until the health checks see it fail (serviceTaskStopped), so requests
      // routed to it meanwhile fail with 502, and shorter health-check thresholds shorten that window.
      // Tasks the scheduler stops (deployments, scale-in) are deregistered and drained first.
      if (task.stopCode === 'UserInitiated') return undefined;
      let until: number | undefined;
      let draining = 0;
      for (const { tg, port } of refs(rs, service, task)) {
        const gone = deregisterTargets(rs, tg.TargetGroupArn, [{ Id: targetId(rs, tg, task), Port: port }], now);
        if (gone.length === 0) continue;
        addEvent(service, now, `(service ${service.serviceName}) deregistered ${gone.length} targets in (target-group ${tg.TargetGroupArn})`);
        for (const t of gone) {
          if (t.State === 'draining' && t.drainingUntil !== undefined) {
            until = Math.max(until ?? 0, t.drainingUntil);
            draining++;
          }
        }
      }
      if (draining > 0) {
        const taskSet = task.deploymentId ? `, taskSet ${task.deploymentId}` : '';
        addEvent(service, now, `(service ${service.serviceName}${taskSet}) has begun draining connections on 1 tasks.`);
      }
      return until;
    },
    serviceTaskStopped(rs, service, task, now) {
      // A task that stopped without the scheduler draining it (its process died). A healthy target
      // keeps getting requests (-> 502) until the health checks see it fail, then ECS deregisters it
      // (onHealthEvents); shorter health check thresholds shorten that window, as the hands-on notes.
      for (const { tg, port } of refs(rs, service, task)) {
        const rt = tg.targets[targetKey(targetId(rs, tg, task), port)];
        if (!rt || rt.State === 'draining') continue;
        if (rt.State === 'healthy') {
          rt.deregisterWhenUnhealthy = true;
          continue;
        }
        const gone = deregisterTargets(rs, tg.TargetGroupArn, [{ Id: rt.Id, Port: port }], now);
        if (gone.length) addEvent(service, now, `(service ${service.serviceName}) deregistered ${gone.length} targets in (target-group ${tg.TargetGroupArn})`);
      }
    },
  };

  const onHealthEvents = (rs: RegionState, events: TargetHealthEvent[], now: number) => {
    for (const e of events) {
      if (e.type !== 'state' || e.to !== 'unhealthy') continue;
      const tg = elbv2State(rs).targetGroups[e.targetGroupArn];
      if (!tg) continue;
      const rt = tg.targets[targetKey(e.target.Id, e.target.Port)];
      if (rt?.deregisterWhenUnhealthy) {
        const gone = deregisterTargets(rs, tg.TargetGroupArn, [{ Id: rt.Id, Port: rt.Port }], now);
        for (const svcs of Object.values(rs.ecs.services)) {
          for (const svc of Object.values(svcs)) {
            if (gone.length && svc.status === 'ACTIVE' && (svc.loadBalancers ?? []).some((l) => l.targetGroupArn === tg.TargetGroupArn)) {
              addEvent(svc, now, `(service ${svc.serviceName}) deregistered ${gone.length} targets in (target-group ${tg.TargetGroupArn})`);
            }
          }
        }
        continue;
      }
      let instanceId = e.target.Id;
      if (tg.TargetType === 'ip') instanceId = Object.values(rs.ec2.instances).find((i) => i.privateIpAddress === e.target.Id)?.instanceId ?? instanceId;
      const task = findTask(rs, instanceId, e.target.Port);
      if (!task || task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING' || !task.serviceName) continue;
      const cluster = lastSegment(task.clusterArn);
      const service = rs.ecs.services[cluster]?.[task.serviceName];
      if (!service || !(service.loadBalancers ?? []).some((l) => l.targetGroupArn === e.targetGroupArn)) continue;
      if (inGrace(service, task, now)) continue;
      reportUnhealthy(service, task, e.targetGroupName, e.target.Port, e.description, now);
      // The REPLICA scheduler replaces it (serviceTaskFailing); a DAEMON service has one task per instance: stop it now.
      if (service.schedulingStrategy === 'DAEMON') {
        opts.stopTask(rs, task, 'ServiceSchedulerInitiated', `Task failed ELB health checks in (target-group ${e.targetGroupArn})`);
      }
    }
  };

  const releaseDrains = (rs: RegionState, now: number) => {
    for (const task of Object.values(rs.ecs.tasks)) {
      if (task.lastStatus !== 'DEACTIVATING' || task.nextTransitionAt === undefined || task.nextTransitionAt <= now || !task.serviceName) continue;
      const service = rs.ecs.services[lastSegment(task.clusterArn)]?.[task.serviceName];
      const draining = service
        ? refs(rs, service, task).some(({ tg, port }) => tg.targets[targetKey(targetId(rs, tg, task), port)]?.State === 'draining')
        : false;
      if (!draining) task.nextTransitionAt = now;
    }
  };

  return { hooks, resolve, onHealthEvents, releaseDrains };
}
