/**
 * What tasks need and what container instances have left. The per-instance usage is an in-memory
 * index (kept beside the state, rebuilt from it on first use or after a restore) so placement
 * never rescans all tasks: placing 1,000 tasks on 100 instances is 1,000 × 100 cheap checks.
 */
import { lastSegment } from './ids';
import type { ContainerInstance, RegionState, Task, TaskDefinition } from './state';
import { serviceKey, clusterOfArn } from './context';

/** Host ports the ECS agent and Docker keep on every container instance. */
export const RESERVED_PORTS: readonly number[] = [22, 2375, 2376, 51678, 51679, 51680];
/** The host ports an instance keeps for the agent: as it registered them, else RESERVED_PORTS (tcp) and none (udp). */
export const reservedTcp = (ci: ContainerInstance): readonly number[] => ci.reservedTcpPorts ?? RESERVED_PORTS;
export const reservedUdp = (ci: ContainerInstance): readonly number[] => ci.reservedUdpPorts ?? [];

/** Docker's ephemeral range on the ECS-optimized AMI. */
export const DYNAMIC_PORT_MIN = 32768;
export const DYNAMIC_PORT_MAX = 61000;

export interface PortSpec {
  containerName: string;
  containerPort: number;
  /** 0 = dynamic (taken from the ephemeral range when placed). */
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface TaskNeeds {
  cpu: number;
  memory: number;
  ports: PortSpec[];
}

/** The host ports a task definition asks for, in container / mapping order (a task's `reservedPorts` follow this order). */
export function portSpecs(td: TaskDefinition): PortSpec[] {
  const out: PortSpec[] = [];
  if (td.networkMode === 'awsvpc' || td.networkMode === 'none') return out;
  for (const c of td.containerDefinitions) {
    for (const m of c.portMappings ?? []) {
      const host = td.networkMode === 'host' ? m.hostPort || m.containerPort : m.hostPort || 0;
      out.push({ containerName: c.name, containerPort: m.containerPort, hostPort: host, protocol: m.protocol === 'udp' ? 'udp' : 'tcp' });
    }
  }
  return out;
}

/**
 * CPU units and memory MiB a task reserves: the task-level values when set, else the containers'
 * sum; per container memory is the soft limit (`memoryReservation`) when set, else the hard limit
 * (`memory`) — as ECS reserves it.
 */
export function taskNeeds(td: TaskDefinition): TaskNeeds {
  let cpu = 0;
  let memory = 0;
  for (const c of td.containerDefinitions) {
    cpu += c.cpu ?? 0;
    memory += c.memoryReservation ?? c.memory ?? 0;
  }
  const tCpu = td.cpu !== undefined ? Number.parseInt(td.cpu, 10) : NaN;
  const tMem = td.memory !== undefined ? Number.parseInt(td.memory, 10) : NaN;
  if (Number.isFinite(tCpu)) cpu = tCpu;
  if (Number.isFinite(tMem)) memory = tMem;
  return { cpu, memory, ports: portSpecs(td) };
}

export interface InstanceUsage {
  cpu: number;
  memory: number;
  tcp: Set<number>;
  udp: Set<number>;
  /** Ids of the tasks holding resources here (every status but STOPPED). */
  tasks: Set<string>;
  /** Tasks per group (`service:<name>` …) here. */
  groups: Map<string, number>;
  /** Where the next dynamic-port search starts. */
  nextDynamic: number;
}

export interface RegionIndex {
  /** By container instance ARN. */
  usage: Map<string, InstanceUsage>;
  /** Ids of tasks not yet STOPPED. */
  live: Set<string>;
  /** `<cluster>/<service>` → ids of its tasks not yet STOPPED. */
  byService: Map<string, Set<string>>;
}

const indexes = new WeakMap<RegionState, RegionIndex>();

/** A task definition by ARN, `family:revision` or `family` (its latest ACTIVE revision). */
export function findTaskDefinition(rs: RegionState, ref: string): TaskDefinition | undefined {
  const famRev = ref.slice(ref.lastIndexOf('/') + 1);
  const i = famRev.lastIndexOf(':');
  if (i < 0) {
    const revs = rs.ecs.taskDefinitions[famRev] ?? [];
    for (let r = revs.length - 1; r >= 0; r--) if (revs[r]?.status === 'ACTIVE') return revs[r];
    return undefined;
  }
  const revs = rs.ecs.taskDefinitions[famRev.slice(0, i)];
  const rev = Number(famRev.slice(i + 1));
  return revs?.[rev - 1];
}

export function emptyUsage(): InstanceUsage {
  return { cpu: 0, memory: 0, tcp: new Set(), udp: new Set(), tasks: new Set(), groups: new Map(), nextDynamic: DYNAMIC_PORT_MIN };
}

export function usageOf(idx: RegionIndex, ciArn: string): InstanceUsage {
  let u = idx.usage.get(ciArn);
  if (!u) idx.usage.set(ciArn, (u = emptyUsage()));
  return u;
}

/** Protocol of each reserved port of a task (from its task definition; tcp when unknown). */
function reservedProtocols(rs: RegionState, task: Task): ('tcp' | 'udp')[] {
  const td = findTaskDefinition(rs, task.taskDefinitionArn);
  const specs = td ? portSpecs(td) : [];
  return task.reservedPorts.map((_, i) => specs[i]?.protocol ?? 'tcp');
}

/** Records that `task` holds its CPU, memory and ports on its container instance. */
export function track(rs: RegionState, idx: RegionIndex, task: Task): void {
  const id = lastSegment(task.taskArn);
  if (idx.live.has(id)) return;
  idx.live.add(id);
  // A task waiting for capacity holds nothing yet (it has no container instance).
  if (!task.awaitingCapacity) {
    const u = usageOf(idx, task.containerInstanceArn);
    u.cpu += Number(task.cpu) || 0;
    u.memory += Number(task.memory) || 0;
    const protos = reservedProtocols(rs, task);
    task.reservedPorts.forEach((p, i) => (protos[i] === 'udp' ? u.udp : u.tcp).add(p));
    u.tasks.add(id);
    u.groups.set(task.group, (u.groups.get(task.group) ?? 0) + 1);
  }
  if (task.serviceName && !task.orphaned) {
    const key = serviceKey(clusterOfArn(task.taskArn), task.serviceName);
    let set = idx.byService.get(key);
    if (!set) idx.byService.set(key, (set = new Set()));
    set.add(id);
  }
}

/** Releases what `track` recorded (the task reached STOPPED). */
export function untrack(rs: RegionState, idx: RegionIndex, task: Task): void {
  const id = lastSegment(task.taskArn);
  if (!idx.live.delete(id)) return;
  if (!task.awaitingCapacity) {
    const u = usageOf(idx, task.containerInstanceArn);
    u.cpu -= Number(task.cpu) || 0;
    u.memory -= Number(task.memory) || 0;
    const protos = reservedProtocols(rs, task);
    task.reservedPorts.forEach((p, i) => (protos[i] === 'udp' ? u.udp : u.tcp).delete(p));
    u.tasks.delete(id);
    const g = (u.groups.get(task.group) ?? 1) - 1;
    if (g <= 0) u.groups.delete(task.group);
    else u.groups.set(task.group, g);
  }
  if (task.serviceName) idx.byService.get(serviceKey(clusterOfArn(task.taskArn), task.serviceName))?.delete(id);
}

export function regionIndex(rs: RegionState): RegionIndex {
  let idx = indexes.get(rs);
  if (idx) return idx;
  idx = { usage: new Map(), live: new Set(), byService: new Map() };
  indexes.set(rs, idx);
  for (const task of Object.values(rs.ecs.tasks)) if (task.lastStatus !== 'STOPPED') track(rs, idx, task);
  return idx;
}

/** Drops the index so the next use rebuilds it from the state (after a restore). */
export function forgetIndex(rs: RegionState): void {
  indexes.delete(rs);
}

/** What DescribeContainerInstances shows as remainingResources: CPU, memory, and the host ports in use (reserved ones included). */
export function remaining(rs: RegionState, ci: ContainerInstance): { cpu: number; memory: number; ports: string[]; portsUdp: string[] } {
  const u = regionIndex(rs).usage.get(ci.containerInstanceArn) ?? emptyUsage();
  const tcp = [...reservedTcp(ci), ...[...u.tcp].sort((a, b) => a - b)];
  const udp = [...reservedUdp(ci), ...[...u.udp].sort((a, b) => a - b)];
  return {
    cpu: ci.registeredCpu - u.cpu,
    memory: ci.registeredMemory - u.memory,
    ports: tcp.map(String),
    portsUdp: udp.map(String),
  };
}

export function taskCounts(rs: RegionState, ci: ContainerInstance): { running: number; pending: number } {
  const u = regionIndex(rs).usage.get(ci.containerInstanceArn);
  let running = 0;
  let pending = 0;
  for (const id of u?.tasks ?? []) {
    const t = rs.ecs.tasks[id];
    if (!t) continue;
    if (t.lastStatus === 'RUNNING') running++;
    else if (t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING' || t.lastStatus === 'ACTIVATING') pending++;
  }
  return { running, pending };
}

