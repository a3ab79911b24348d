/**
 * The metrics AWS services publish to CloudWatch, sampled on the sandbox clock in 1-minute periods:
 *
 * - `AWS/ECS` CPUUtilization, MemoryUtilization per {ClusterName, ServiceName} and per {ClusterName}
 *   (plus CPUReservation / MemoryReservation per cluster).
 * - `AWS/EC2` CPUUtilization per {InstanceId} and per {AutoScalingGroupName}.
 * - `AWS/ApplicationELB` RequestCount, HTTPCode_ELB_5XX_Count (and 4XX / 502 / 503 / 504),
 *   HTTPCode_Target_2XX…5XX_Count, TargetResponseTime per {LoadBalancer} and {LoadBalancer, TargetGroup},
 *   from the ALB proxy's cumulative counters (a pluggable source).
 *
 * CPU. Each RUNNING task's process is measured (`runtime.cpuSeconds`, real CPU seconds, monotonic).
 * Every ~5 simulated seconds the sampler reads it and adds the increase to the period's `used`
 * seconds, and the *real* time elapsed since the previous reading — simulated elapsed / time scale —
 * to the period's `real` seconds. At the minute boundary, a task used `used / real` vCPUs on average,
 * i.e. `used / real × 1024` CPU units (capped at its instance's registered CPU: a process cannot use
 * more than the host has), and its utilisation is
 *     used / (real × reservedCpu / 1024) × 100
 * (a task with no CPU reservation is measured against 1 vCPU). Readings start `warmupRealMs` real ms
 * after the task became RUNNING, so the process's start-up CPU never counts. The service's Average
 * is Σ used units / Σ reserved units of its tasks (Minimum / Maximum / percentiles over its tasks;
 * SampleCount = tasks). It can exceed 100 when a task uses more than its reservation, as on ECS.
 * The cluster's CPUUtilization is Σ used units of all its tasks / Σ registered CPU of its ACTIVE
 * container instances; CPUReservation is Σ reserved / Σ registered.
 *
 * Memory. Task processes are not measured for memory: each task is taken to use a nominal
 * `nominalTaskMemoryMiB` (default 60 MiB, at most its reservation), so MemoryUtilization =
 * nominal / reserved memory × 100 (service) and Σ nominal / Σ registered memory (cluster).
 *
 * EC2. An instance's CPUUtilization is the CPU units its tasks used / its CPU units; an Auto Scaling
 * group's is the average over its running instances (members found by `asgMembers`, by default
 * from the `aws:autoscaling:groupName` tag EC2 Auto Scaling puts on its instances).
 *
 * A service with no running task, and ALB counts of zero, publish no datapoint (as AWS: missing data).
 */
import type { TickContext } from '../plugin';
import type { AlbMetricsEntry } from '../runtime/alb-metrics';
import type { ContainerInstance, RegionState } from '../engine/state';
import { instanceType } from '../ec2/instance-types';
import { capacityReservations } from '../engine/capacity';
import { cloudwatchState, type CloudWatchState, type Dimension, type SamplerState, type TaskSample } from './model';
import { pointOf, prune, putPoint } from './store';

export const PERIOD_MS = 60_000;
export const SAMPLE_MS = 5_000;

export interface MetricSources {
  /** Cumulative ALB counters of every load balancer (all regions; filtered by `region`). */
  albMetrics?: () => AlbMetricsEntry[];
  /** Auto Scaling group name -> member instance ids. */
  asgMembers?: (rs: RegionState) => Record<string, string[]>;
  /** Real ms after RUNNING before a task's CPU is measured (default 1000). */
  warmupRealMs?: number;
  /** Nominal memory a task uses, MiB (default 60). */
  nominalTaskMemoryMiB?: number;
}

/**
 * Members of each Auto Scaling group: from EC2 Auto Scaling's state (`serviceState.autoscaling.groups[name].instances`,
 * by instance id, leaving out Terminated / Detached ones) when there is one, else from the
 * `aws:autoscaling:groupName` tag EC2 Auto Scaling puts on its instances.
 */
export function defaultAsgMembers(rs: RegionState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  type Member = { InstanceId?: string; instanceId?: string; LifecycleState?: string };
  const asState = rs.serviceState.autoscaling as { groups?: Record<string, { instances?: Record<string, Member> | Member[] }> } | undefined;
  if (asState?.groups && typeof asState.groups === 'object') {
    for (const [name, g] of Object.entries(asState.groups)) {
      const members = g?.instances ? (Array.isArray(g.instances) ? g.instances : Object.values(g.instances)) : [];
      out[name] = members
        .filter((i) => i.LifecycleState !== 'Terminated' && i.LifecycleState !== 'Detached')
        .map((i) => i.InstanceId ?? i.instanceId)
        .filter((x): x is string => typeof x === 'string');
    }
    return out;
  }
  for (const inst of Object.values(rs.ec2.instances)) {
    const g = inst.tags?.find((t) => t.key === 'aws:autoscaling:groupName')?.value;
    if (g) (out[g] ??= []).push(inst.instanceId);
  }
  return out;
}

/** `app/<name>/<id>` from a load balancer ARN; `targetgroup/<name>/<id>` from a target group ARN. */
export const lbDimension = (arn: string): string => arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
export const tgDimension = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

/**
 * Samples the region; at each minute boundary closes the period (stores its datapoints, stamped
 * with the period's start) and returns true.
 */
export function sampleRegion(ctx: TickContext, src: MetricSources = {}): boolean {
  const cw = cloudwatchState(ctx.rs);
  const sm = cw.sampler;
  const now = ctx.now;
  if (!sm.periodStart) {
    sm.periodStart = Math.floor(now / PERIOD_MS) * PERIOD_MS;
    sm.lastSampleAt = now;
    observeTasks(ctx, sm, src);
    return false;
  }
  const boundary = now >= sm.periodStart + PERIOD_MS;
  if (!boundary && now - sm.lastSampleAt < SAMPLE_MS) return false;
  observeTasks(ctx, sm, src);
  sm.lastSampleAt = now;
  if (!boundary) return false;
  closePeriod(ctx, cw, sm.periodStart, src);
  sm.periodStart = Math.floor(now / PERIOD_MS) * PERIOD_MS;
  prune(cw, now);
  return true;
}

function observeTasks(ctx: TickContext, sm: SamplerState, src: MetricSources): void {
  const scale = ctx.engine.clock.scale || 1;
  const warmupSim = (src.warmupRealMs ?? 1000) * scale;
  for (const [id, task] of Object.entries(ctx.rs.ecs.tasks)) {
    if (task.lastStatus !== 'RUNNING' || task.startedAt === undefined || ctx.now - task.startedAt < warmupSim) continue;
    const cpu = ctx.runtime.cpuSeconds(ctx.rs.region, id);
    if (cpu === undefined || !Number.isFinite(cpu)) continue;
    const prev = sm.tasks[id];
    if (!prev) {
      sm.tasks[id] = {
        cpu,
        at: ctx.now,
        used: 0,
        real: 0,
        cluster: task.clusterArn.slice(task.clusterArn.lastIndexOf('/') + 1),
        service: task.serviceName ?? (task.group.startsWith('service:') ? task.group.slice('service:'.length) : undefined),
        instanceId: task.ec2InstanceId,
        reservedCpu: Number(task.cpu) || 0,
        reservedMemory: Number(task.memory) || 0,
      };
      continue;
    }
    prev.used += Math.max(0, cpu - prev.cpu);
    prev.real += Math.max(0, ctx.now - prev.at) / scale / 1000;
    prev.cpu = cpu;
    prev.at = ctx.now;
  }
}

const put = (cw: CloudWatchState, ns: string, name: string, dims: Dimension[], t: number, values: number[], unit: string, now: number) =>
  putPoint(cw, ns, name, dims, pointOf(t, values), unit, now);

function closePeriod(ctx: TickContext, cw: CloudWatchState, t: number, src: MetricSources): void {
  const rs = ctx.rs;
  const now = ctx.now;
  // ECS managed scaling: each managed provider's reservation in each cluster it serves.
  for (const r of capacityReservations(rs)) {
    put(cw, 'AWS/ECS/ManagedScaling', 'CapacityProviderReservation', [{ Name: 'CapacityProviderName', Value: r.provider }, { Name: 'ClusterName', Value: r.clusterName }], t, [r.value], 'Percent', now);
  }
  const nominal = src.nominalTaskMemoryMiB ?? 60;
  const ciByInstance = new Map<string, ContainerInstance>();
  for (const ci of Object.values(rs.ecs.containerInstances)) if (ci.status !== 'INACTIVE') ciByInstance.set(ci.ec2InstanceId, ci);
  const instanceCpu = (instanceId: string): number => {
    const ci = ciByInstance.get(instanceId);
    if (ci) return ci.registeredCpu;
    const inst = rs.ec2.instances[instanceId];
    return (inst && instanceType(inst.instanceType)?.registeredCpu) || 1024;
  };

  // Per task: CPU units used over the period.
  const services = new Map<string, { cluster: string; service: string; used: number; reserved: number; cpu: number[]; mem: number[] }>();
  const clusterUsed = new Map<string, { used: number; nominal: number }>();
  const instanceUsed = new Map<string, number>();
  for (const [id, s] of Object.entries(cw.sampler.tasks)) {
    if (s.real > 0) {
      const units = Math.min((s.used / s.real) * 1024, instanceCpu(s.instanceId));
      const reserved = s.reservedCpu > 0 ? s.reservedCpu : 1024;
      const memPct = s.reservedMemory > 0 ? (Math.min(nominal, s.reservedMemory) / s.reservedMemory) * 100 : 0;
      if (s.service) {
        const k = `${s.cluster}/${s.service}`;
        const e = services.get(k) ?? { cluster: s.cluster, service: s.service, used: 0, reserved: 0, cpu: [], mem: [] };
        e.used += units;
        e.reserved += reserved;
        e.cpu.push((units / reserved) * 100);
        e.mem.push(memPct);
        services.set(k, e);
      }
      const c = clusterUsed.get(s.cluster) ?? { used: 0, nominal: 0 };
      c.used += units;
      c.nominal += Math.min(nominal, s.reservedMemory || nominal);
      clusterUsed.set(s.cluster, c);
      instanceUsed.set(s.instanceId, (instanceUsed.get(s.instanceId) ?? 0) + units);
    }
    const task = rs.ecs.tasks[id];
    if (!task || task.lastStatus !== 'RUNNING') delete cw.sampler.tasks[id];
    else {
      s.used = 0;
      s.real = 0;
    }
  }

  for (const e of services.values()) {
    const dims = [
      { Name: 'ClusterName', Value: e.cluster },
      { Name: 'ServiceName', Value: e.service },
    ];
    // Average = Σ used / Σ reserved: the statistic set's sum is that average × the task count.
    const avg = e.reserved > 0 ? (e.used / e.reserved) * 100 : 0;
    putPoint(cw, 'AWS/ECS', 'CPUUtilization', dims, { ...pointOf(t, e.cpu), sum: avg * e.cpu.length }, 'Percent', now);
    put(cw, 'AWS/ECS', 'MemoryUtilization', dims, t, e.mem, 'Percent', now);
  }

  // Clusters with container instances.
  const clusters = new Map<string, { cpu: number; mem: number }>();
  for (const ci of Object.values(rs.ecs.containerInstances)) {
    if (ci.status !== 'ACTIVE' && ci.status !== 'DRAINING') continue;
    const c = clusters.get(ci.clusterName) ?? { cpu: 0, mem: 0 };
    c.cpu += ci.registeredCpu;
    c.mem += ci.registeredMemory;
    clusters.set(ci.clusterName, c);
  }
  const reservedNow = new Map<string, { cpu: number; mem: number }>();
  for (const task of Object.values(rs.ecs.tasks)) {
    if (task.lastStatus !== 'RUNNING') continue;
    const cluster = task.clusterArn.slice(task.clusterArn.lastIndexOf('/') + 1);
    const r = reservedNow.get(cluster) ?? { cpu: 0, mem: 0 };
    r.cpu += Number(task.cpu) || 0;
    r.mem += Number(task.memory) || 0;
    reservedNow.set(cluster, r);
  }
  for (const [name, reg] of clusters) {
    const dims = [{ Name: 'ClusterName', Value: name }];
    const used = clusterUsed.get(name) ?? { used: 0, nominal: 0 };
    const res = reservedNow.get(name) ?? { cpu: 0, mem: 0 };
    if (reg.cpu > 0) {
      put(cw, 'AWS/ECS', 'CPUUtilization', dims, t, [(used.used / reg.cpu) * 100], 'Percent', now);
      put(cw, 'AWS/ECS', 'CPUReservation', dims, t, [(res.cpu / reg.cpu) * 100], 'Percent', now);
    }
    if (reg.mem > 0) {
      put(cw, 'AWS/ECS', 'MemoryUtilization', dims, t, [(used.nominal / reg.mem) * 100], 'Percent', now);
      put(cw, 'AWS/ECS', 'MemoryReservation', dims, t, [(res.mem / reg.mem) * 100], 'Percent', now);
    }
  }

  // EC2 instances and Auto Scaling groups.
  const instancePct = new Map<string, number>();
  for (const inst of Object.values(rs.ec2.instances)) {
    if (inst.state !== 'running') continue;
    const pct = ((instanceUsed.get(inst.instanceId) ?? 0) / instanceCpu(inst.instanceId)) * 100;
    instancePct.set(inst.instanceId, pct);
    put(cw, 'AWS/EC2', 'CPUUtilization', [{ Name: 'InstanceId', Value: inst.instanceId }], t, [pct], 'Percent', now);
  }
  let groups: Record<string, string[]>;
  try {
    groups = (src.asgMembers ?? defaultAsgMembers)(rs);
  } catch {
    groups = {};
  }
  for (const [name, ids] of Object.entries(groups)) {
    const values = ids.map((id) => instancePct.get(id)).filter((v): v is number => v !== undefined);
    if (values.length) put(cw, 'AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: name }], t, values, 'Percent', now);
  }

  if (src.albMetrics) closeAlb(cw, rs, t, now, src.albMetrics);
}

type Counts = Record<string, number>;
const ALB_COUNTS: [keyof AlbMetricsEntry, string][] = [
  ['requestCount', 'RequestCount'],
  ['elb5xx', 'HTTPCode_ELB_5XX_Count'],
  ['elb4xx', 'HTTPCode_ELB_4XX_Count'],
  ['elb502', 'HTTPCode_ELB_502_Count'],
  ['elb503', 'HTTPCode_ELB_503_Count'],
  ['elb504', 'HTTPCode_ELB_504_Count'],
  ['target2xx', 'HTTPCode_Target_2XX_Count'],
  ['target3xx', 'HTTPCode_Target_3XX_Count'],
  ['target4xx', 'HTTPCode_Target_4XX_Count'],
  ['target5xx', 'HTTPCode_Target_5XX_Count'],
];
const COUNTER_KEYS = [...ALB_COUNTS.map(([k]) => k as string), 'targetResponseTimeSum', 'targetResponseTimeCount'];

/** Healthy targets of a target group (ELBv2's state), for RequestCountPerTarget. */
function healthyTargets(rs: RegionState, tgArn: string): number {
  const elb = rs.serviceState.elbv2 as { targetGroups?: Record<string, { targets?: Record<string, { State?: string }> }> } | undefined;
  const targets = elb?.targetGroups?.[tgArn]?.targets;
  return targets ? Object.values(targets).filter((x) => x.State === 'healthy').length : 0;
}

function closeAlb(cw: CloudWatchState, rs: RegionState, t: number, now: number, source: () => AlbMetricsEntry[]): void {
  const region = rs.region;
  let entries: AlbMetricsEntry[];
  try {
    entries = source().filter((e) => e.region === region);
  } catch {
    return;
  }
  const byLb = new Map<string, Counts>();
  const byTg = new Map<string, { lb: string; tg: string; tgArn: string; c: Counts }>();
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.loadBalancerArn}|${e.targetGroupArn ?? ''}`;
    seen.add(key);
    const prev = cw.sampler.alb[key] ?? {};
    const cur: Counts = {};
    const delta: Counts = {};
    for (const k of COUNTER_KEYS) {
      const v = Number((e as unknown as Record<string, number>)[k]) || 0;
      cur[k] = v;
      const p = prev[k] ?? 0;
      delta[k] = v >= p ? v - p : v; // counters restarted (sandbox reload): count from zero
    }
    cw.sampler.alb[key] = cur;
    const lbDim = lbDimension(e.loadBalancerArn);
    const lb = byLb.get(lbDim) ?? {};
    for (const k of COUNTER_KEYS) lb[k] = (lb[k] ?? 0) + delta[k];
    byLb.set(lbDim, lb);
    if (e.targetGroupArn) {
      const tgDim = tgDimension(e.targetGroupArn);
      const k2 = `${lbDim}|${tgDim}`;
      const x = byTg.get(k2) ?? { lb: lbDim, tg: tgDim, tgArn: e.targetGroupArn, c: {} };
      for (const k of COUNTER_KEYS) x.c[k] = (x.c[k] ?? 0) + delta[k];
      byTg.set(k2, x);
    }
  }
  for (const k of Object.keys(cw.sampler.alb)) if (!seen.has(k)) delete cw.sampler.alb[k];
  const emit = (dims: Dimension[], c: Counts, targetMetrics: boolean) => {
    for (const [k, name] of ALB_COUNTS) {
      // ELB-generated codes are published per load balancer only; RequestCount and target codes also per target group.
      if ((c[k as string] ?? 0) > 0 && (targetMetrics ? name === 'RequestCount' || name.startsWith('HTTPCode_Target') : true)) {
        putPoint(cw, 'AWS/ApplicationELB', name, dims, { t, n: 1, sum: c[k as string], min: c[k as string], max: c[k as string] }, 'Count', now);
      }
    }
    const n = c.targetResponseTimeCount ?? 0;
    if (n > 0) {
      const avg = (c.targetResponseTimeSum ?? 0) / n;
      putPoint(cw, 'AWS/ApplicationELB', 'TargetResponseTime', dims, { t, n, sum: c.targetResponseTimeSum, min: avg, max: avg }, 'Seconds', now);
    }
  };
  for (const [lb, c] of byLb) emit([{ Name: 'LoadBalancer', Value: lb }], c, false);
  // RequestCountPerTarget: the target group's requests / its healthy targets (at least 1), per {TargetGroup} and {LoadBalancer, TargetGroup}.
  const perTg = new Map<string, { tgArn: string; requests: number }>();
  for (const x of byTg.values()) {
    const requests = x.c.requestCount ?? 0;
    if (requests <= 0) continue;
    const perTarget = requests / Math.max(1, healthyTargets(rs, x.tgArn));
    const dims = [
      { Name: 'LoadBalancer', Value: x.lb },
      { Name: 'TargetGroup', Value: x.tg },
    ];
    putPoint(cw, 'AWS/ApplicationELB', 'RequestCountPerTarget', dims, { t, n: 1, sum: perTarget, min: perTarget, max: perTarget }, 'None', now);
    const p = perTg.get(x.tg) ?? { tgArn: x.tgArn, requests: 0 };
    p.requests += requests;
    perTg.set(x.tg, p);
  }
  for (const [tg, p] of perTg) {
    const v = p.requests / Math.max(1, healthyTargets(rs, p.tgArn));
    putPoint(cw, 'AWS/ApplicationELB', 'RequestCountPerTarget', [{ Name: 'TargetGroup', Value: tg }], { t, n: 1, sum: v, min: v, max: v }, 'None', now);
  }
  for (const x of byTg.values()) {
    emit(
      [
        { Name: 'LoadBalancer', Value: x.lb },
        { Name: 'TargetGroup', Value: x.tg },
      ],
      x.c,
      true,
    );
  }
}

export type { TaskSample };
