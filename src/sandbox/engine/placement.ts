/**
 * Task placement as ECS does it: keep the container instances that satisfy the placement
 * constraints (`memberOf` a cluster query, `distinctInstance`: no task of the group there yet) and
 * have enough CPU, memory and free host ports; then rank them by the placement strategies in order
 * (`spread` over an attribute or instanceId — fewest tasks of the group first; `binpack` on cpu or
 * memory — least left first; `random`), the next strategy breaking the ties of the one before.
 * Without a strategy: spread over AZs, then instances (ECS's default for services). Uses the usage
 * index, so one placement costs one pass over the cluster's instances.
 */
import { attributeOf, parseQuery, type Query, type QueryEnv } from './cluster-query';
import type { PlacementProblem } from './events';
import type { ContainerInstance, PlacementConstraint, PlacementStrategy, RegionState } from './state';
import { DYNAMIC_PORT_MAX, DYNAMIC_PORT_MIN, reservedTcp, reservedUdp, type InstanceUsage, type RegionIndex, type TaskNeeds, usageOf } from './usage';

/** Constraints and strategies of one placement (the task definition's and the service's or RunTask's). */
export interface PlacementRules {
  constraints?: readonly PlacementConstraint[];
  strategy?: readonly PlacementStrategy[];
  /** What `memberOf` expressions read (cluster-query.ts queryEnv). */
  env?: QueryEnv;
}

/** Parsed `memberOf` expressions (they were checked when stored), a bounded cache. */
const queries = new Map<string, Query>();
function compiled(expression: string): Query {
  let q = queries.get(expression);
  if (!q) {
    try {
      q = parseQuery(expression);
    } catch {
      q = () => false;
    }
    if (queries.size >= 500) queries.clear();
    queries.set(expression, q);
  }
  return q;
}

function constraintProblems(ci: ContainerInstance, u: InstanceUsage, group: string, rules: PlacementRules): PlacementProblem[] {
  const out: PlacementProblem[] = [];
  for (const c of rules.constraints ?? []) {
    if (c.type === 'distinctInstance') {
      if ((u.groups.get(group) ?? 0) > 0 && !out.includes('DISTINCT_INSTANCE')) out.push('DISTINCT_INSTANCE');
    } else if (rules.env && c.expression !== undefined && !compiled(c.expression)(ci, rules.env) && !out.includes('MEMBER_OF')) {
      out.push('MEMBER_OF');
    }
  }
  return out;
}

/** The instances `memberOf` constraints allow (the DAEMON scheduler's instances). */
export function membersOf(instances: ContainerInstance[], rules: PlacementRules): ContainerInstance[] {
  const member = (rules.constraints ?? []).filter((c) => c.type === 'memberOf' && c.expression !== undefined);
  if (member.length === 0 || !rules.env) return instances;
  return instances.filter((ci) => member.every((c) => compiled(c.expression!)(ci, rules.env!)));
}

/** One strategy's key for each candidate (lower is better). */
function strategyKeys(s: PlacementStrategy, instances: ContainerInstance[], usages: InstanceUsage[], group: string): number[] {
  const field = (s.field ?? '').toLowerCase();
  if (s.type === 'random') return instances.map(() => Math.random());
  if (s.type === 'binpack') {
    return instances.map((ci, i) => (field === 'cpu' ? ci.registeredCpu - usages[i].cpu : ci.registeredMemory - usages[i].memory));
  }
  if (field === 'instanceid' || field === 'host') return usages.map((u) => u.groups.get(group) ?? 0);
  const name = (s.field ?? '').slice('attribute:'.length);
  const valueOf = (ci: ContainerInstance) => attributeOf(ci, name) ?? '';
  const perValue = new Map<string, number>();
  instances.forEach((ci, i) => perValue.set(valueOf(ci), (perValue.get(valueOf(ci)) ?? 0) + (usages[i].groups.get(group) ?? 0)));
  return instances.map((ci) => perValue.get(valueOf(ci)) ?? 0);
}


export type Placement =
  | { ok: true; ci: ContainerInstance; hostPorts: number[] }
  | { ok: false; problem: PlacementProblem; closest?: ContainerInstance };

/** Container instances a task may be placed on: ACTIVE, agent connected, in the cluster. */
export function placeableInstances(rs: RegionState, clusterName: string): ContainerInstance[] {
  const out: ContainerInstance[] = [];
  for (const ci of Object.values(rs.ecs.containerInstances)) {
    if (ci.clusterName === clusterName && ci.status === 'ACTIVE' && ci.agentConnected) out.push(ci);
  }
  return out;
}

/** What keeps `needs` off this instance, in the order ECS reports it; empty when it fits. */
function misfits(ci: ContainerInstance, u: InstanceUsage, needs: TaskNeeds, group: string, rules: PlacementRules): PlacementProblem[] {
  const out = rules.constraints?.length ? constraintProblems(ci, u, group, rules) : [];
  if (u.cpu + needs.cpu > ci.registeredCpu) out.push('CPU');
  if (u.memory + needs.memory > ci.registeredMemory) out.push('MEMORY');
  const ports = needs.ports;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (p.hostPort === 0) continue;
    let clash = (p.protocol === 'udp' ? reservedUdp(ci) : reservedTcp(ci)).includes(p.hostPort) || (p.protocol === 'udp' ? u.udp : u.tcp).has(p.hostPort);
    for (let j = 0; j < i && !clash; j++) clash = ports[j].hostPort === p.hostPort && ports[j].protocol === p.protocol;
    if (clash) {
      out.push('PORTS');
      break;
    }
  }
  return out;
}

/** Picks host ports for a task on an instance that fits: static ones as asked, dynamic ones from the ephemeral range. */
function allocatePorts(ci: ContainerInstance, u: InstanceUsage, needs: TaskNeeds): number[] | undefined {
  const taken = { tcp: new Set<number>(), udp: new Set<number>() };
  const out: number[] = [];
  for (const p of needs.ports) {
    if (p.hostPort !== 0) {
      out.push(p.hostPort);
      taken[p.protocol].add(p.hostPort);
      continue;
    }
    const used = p.protocol === 'udp' ? u.udp : u.tcp;
    const reserved = p.protocol === 'udp' ? reservedUdp(ci) : reservedTcp(ci);
    const span = DYNAMIC_PORT_MAX - DYNAMIC_PORT_MIN + 1;
    let found = -1;
    for (let i = 0; i < span; i++) {
      const port = DYNAMIC_PORT_MIN + ((u.nextDynamic - DYNAMIC_PORT_MIN + i) % span);
      if (!used.has(port) && !taken[p.protocol].has(port) && !reserved.includes(port)) {
        found = port;
        break;
      }
    }
    if (found < 0) return undefined;
    u.nextDynamic = found + 1 > DYNAMIC_PORT_MAX ? DYNAMIC_PORT_MIN : found + 1;
    out.push(found);
    taken[p.protocol].add(found);
  }
  return out;
}

/**
 * Chooses an instance for one task of `group`. Does not reserve anything: the caller creates the
 * task and tracks it in the index (so the next placement sees it).
 */
export function placeOne(idx: RegionIndex, instances: ContainerInstance[], needs: TaskNeeds, group: string, rules: PlacementRules = {}): Placement {
  if (instances.length === 0) return { ok: false, problem: 'NO_INSTANCES' };
  const usages = instances.map((ci) => usageOf(idx, ci.containerInstanceArn));
  const strategy = rules.strategy ?? [];
  // With strategies: each one's key per candidate, in order (then fewer tasks, then list order).
  const columns = strategy.map((s) => strategyKeys(s, instances, usages, group));
  const better = (i: number, j: number): boolean => {
    for (const col of columns) if (col[i] !== col[j]) return col[i] < col[j];
    return usages[i].tasks.size < usages[j].tasks.size;
  };
  // Without one, ECS's default spread: the AZ, then the instance with the fewest tasks of the group.
  const azCount = new Map<string, number>();
  if (columns.length === 0) {
    instances.forEach((ci, i) => azCount.set(ci.availabilityZone, (azCount.get(ci.availabilityZone) ?? 0) + (usages[i].groups.get(group) ?? 0)));
  }
  const spreadBetter = (i: number, j: number): boolean => {
    const ai = azCount.get(instances[i].availabilityZone) ?? 0;
    const aj = azCount.get(instances[j].availabilityZone) ?? 0;
    if (ai !== aj) return ai < aj;
    const gi = usages[i].groups.get(group) ?? 0;
    const gj = usages[j].groups.get(group) ?? 0;
    if (gi !== gj) return gi < gj;
    return usages[i].tasks.size < usages[j].tasks.size;
  };
  const first = columns.length > 0 ? better : spreadBetter;
  let best = -1;
  let closest = -1;
  let closestProblems: PlacementProblem[] = [];
  for (let i = 0; i < instances.length; i++) {
    const problems = misfits(instances[i], usages[i], needs, group, rules);
    if (problems.length > 0) {
      if (closest < 0 || problems.length < closestProblems.length) {
        closest = i;
        closestProblems = problems;
      }
      continue;
    }
    if (best < 0 || first(i, best)) best = i;
  }
  if (best >= 0) {
    const hostPorts = allocatePorts(instances[best], usages[best], needs);
    if (hostPorts) return { ok: true, ci: instances[best], hostPorts };
    return { ok: false, problem: 'PORTS', closest: instances[best] };
  }
  return { ok: false, problem: closestProblems[0], closest: instances[closest] };
}

/** The RunTask `failures[].reason` for a placement problem. */
export function runTaskFailureReason(problem: PlacementProblem): string {
  if (problem === 'NO_INSTANCES') return 'AGENT';
  if (problem === 'MEMBER_OF') return 'MemberOf placement constraint unsatisfied.';
  if (problem === 'DISTINCT_INSTANCE') return 'DistinctInstance placement constraint unsatisfied.';
  return `RESOURCE:${problem}`;
}
