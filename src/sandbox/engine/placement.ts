/**
 * Task placement for REPLICA tasks without a strategy, as ECS does it: keep the container
 * instances with enough CPU, memory and free host ports, then spread — the AZ with the fewest tasks
 * of the group first, then the instance with the fewest. Uses the usage index, so one placement
 * costs one pass over the cluster's instances.
 */
import type { PlacementProblem } from './events';
import type { ContainerInstance, RegionState } from './state';
import { DYNAMIC_PORT_MAX, DYNAMIC_PORT_MIN, reservedTcp, reservedUdp, type InstanceUsage, type RegionIndex, type TaskNeeds, usageOf } from './usage';

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
function misfits(ci: ContainerInstance, u: InstanceUsage, needs: TaskNeeds): PlacementProblem[] {
  const out: PlacementProblem[] = [];
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
export function placeOne(idx: RegionIndex, instances: ContainerInstance[], needs: TaskNeeds, group: string): Placement {
  if (instances.length === 0) return { ok: false, problem: 'NO_INSTANCES' };
  const azCount = new Map<string, number>();
  const usages: InstanceUsage[] = [];
  for (const ci of instances) {
    const u = usageOf(idx, ci.containerInstanceArn);
    usages.push(u);
    azCount.set(ci.availabilityZone, (azCount.get(ci.availabilityZone) ?? 0) + (u.groups.get(group) ?? 0));
  }
  let best = -1;
  let bestKey: [number, number, number] = [0, 0, 0];
  let closest = -1;
  let closestProblems: PlacementProblem[] = [];
  for (let i = 0; i < instances.length; i++) {
    const ci = instances[i];
    const u = usages[i];
    const problems = misfits(ci, u, needs);
    if (problems.length > 0) {
      if (closest < 0 || problems.length < closestProblems.length) {
        closest = i;
        closestProblems = problems;
      }
      continue;
    }
    const key: [number, number, number] = [azCount.get(ci.availabilityZone) ?? 0, u.groups.get(group) ?? 0, u.tasks.size];
    if (best < 0 || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
      best = i;
      bestKey = key;
    }
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
  return problem === 'NO_INSTANCES' ? 'AGENT' : `RESOURCE:${problem}`;
}
