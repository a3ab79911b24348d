/**
 * EC2 instances over time and the ECS agent on them: pending → running after the boot time; then,
 * when the user data names a cluster (`ECS_CLUSTER=…`), the agent registers a container instance
 * (retrying until the cluster exists) with the custom attributes of `ECS_INSTANCE_ATTRIBUTES`.
 * Terminating shuts the instance down, deregisters its container instance and stops its tasks
 * (services replace them elsewhere). Deregistering with `force` leaves the tasks running, orphaned.
 * INACTIVE container instances stay describable for an hour.
 */
import { arns, hexId } from './ids';
import type { Ctx } from './context';
import { messages } from './events';
import type { ContainerInstance, Instance, RegionState } from './state';
import { orphanTask, requestStop } from './tasks';
import { regionIndex } from './usage';
import { instanceType } from '../ec2/instance-types';
import { decodeUserData } from '../ec2/user-data';

/** What an instance type unknown to the sandbox registers (a t3.medium). */
const FALLBACK = { registeredCpu: 2048, registeredMemory: 3891 };

export function instanceLaunched(ctx: Ctx, inst: Instance): void {
  if (inst.state !== 'pending') return;
  inst.nextTransitionAt = ctx.now + ctx.opts.instanceBootMs;
}

export function containerInstanceOf(ctx: Ctx, ec2InstanceId: string): ContainerInstance | undefined {
  for (const ci of Object.values(ctx.rs.ecs.containerInstances)) {
    if (ci.ec2InstanceId === ec2InstanceId && ci.status !== 'INACTIVE') return ci;
  }
  return undefined;
}

/** CPU units and MiB an instance of this type registers (what the agent reports as totalResources). */
export function registeredResourcesOf(inst: Instance): { registeredCpu: number; registeredMemory: number } {
  const type = instanceType(inst.instanceType) ?? FALLBACK;
  return { registeredCpu: type.registeredCpu, registeredMemory: type.registeredMemory };
}

/** What RegisterContainerInstance may set beyond what the instance itself says. */
export interface Registration {
  registeredCpu?: number;
  registeredMemory?: number;
  reservedTcpPorts?: number[];
  reservedUdpPorts?: number[];
  versionInfo?: ContainerInstance['versionInfo'];
  /** Added to (or replacing by name) the agent's own attributes. */
  attributes?: { name: string; value?: string }[];
}

/** The attributes the agent reports for an instance (capabilities and `ecs.*`). */
export function agentAttributes(rs: RegionState, inst: Instance): { name: string; value?: string }[] {
  const subnet = rs.ec2.subnets[inst.subnetId];
  return [
    { name: 'ecs.capability.execution-role-awslogs' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.17' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
    { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
    { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
    { name: 'ecs.ami-id', value: inst.imageId },
    { name: 'ecs.availability-zone', value: inst.availabilityZone },
    { name: 'ecs.instance-type', value: inst.instanceType },
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.cpu-architecture', value: 'x86_64' },
    { name: 'ecs.vpc-id', value: inst.vpcId },
    { name: 'ecs.subnet-id', value: subnet?.subnetId ?? inst.subnetId },
  ];
}

/** Adds `extra` to `base`, an attribute of the same name replacing the earlier one. */
export function mergeAttributes(base: { name: string; value?: string }[], extra: { name: string; value?: string }[]): { name: string; value?: string }[] {
  const out = base.filter((a) => !extra.some((e) => e.name === a.name));
  for (const e of extra) out.push(e.value === undefined ? { name: e.name } : { name: e.name, value: e.value });
  return out;
}

/** A new ACTIVE container instance of `clusterName` on `inst` (the agent's registration, or RegisterContainerInstance's). */
export function registerContainerInstance(ctx: Ctx, inst: Instance, clusterName: string, r: Registration = {}): ContainerInstance {
  const { rs, world, now } = ctx;
  const own = registeredResourcesOf(inst);
  const id = hexId();
  const ci: ContainerInstance = {
    containerInstanceArn: arns.containerInstance(rs.region, world.accountId, clusterName, id),
    ec2InstanceId: inst.instanceId,
    clusterName,
    status: 'ACTIVE',
    agentConnected: true,
    registeredCpu: r.registeredCpu ?? own.registeredCpu,
    registeredMemory: r.registeredMemory ?? own.registeredMemory,
    availabilityZone: inst.availabilityZone,
    instanceType: inst.instanceType,
    registeredAt: now,
    version: 1,
    attributes: mergeAttributes(agentAttributes(rs, inst), r.attributes ?? []),
    ...(r.versionInfo ? { versionInfo: r.versionInfo } : {}),
    ...(r.reservedTcpPorts ? { reservedTcpPorts: r.reservedTcpPorts } : {}),
    ...(r.reservedUdpPorts ? { reservedUdpPorts: r.reservedUdpPorts } : {}),
  };
  rs.ecs.containerInstances[id] = ci;
  return ci;
}

/**
 * The custom attributes the agent reads from `ECS_INSTANCE_ATTRIBUTES={"stack":"prod"}` in
 * /etc/ecs/ecs.config, as user data writes it (`echo ECS_INSTANCE_ATTRIBUTES={\"stack\":\"prod\"} >> …`,
 * or unescaped in a heredoc); the last assignment wins. A value that is not a JSON object of strings
 * is left out (the sandbox registers the instance without them rather than not at all).
 */
export function instanceAttributesFromUserData(text: string): { name: string; value: string }[] {
  let found: { name: string; value: string }[] = [];
  const re = /(?:^|[^A-Za-z0-9_])ECS_INSTANCE_ATTRIBUTES\s*=\s*['"]?(\{[^\n]*\})/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[1].slice(0, m[1].lastIndexOf('}') + 1);
    for (const candidate of [raw, raw.replace(/\\"/g, '"')]) {
      try {
        const o = JSON.parse(candidate) as unknown;
        if (typeof o !== 'object' || o === null || Array.isArray(o)) continue;
        const entries = Object.entries(o);
        if (entries.every(([, v]) => typeof v === 'string')) {
          found = entries.map(([name, value]) => ({ name, value: value as string }));
          break;
        }
      } catch {
        // try the unescaped form, then give up on this assignment
      }
    }
  }
  return found;
}

function registerFromUserData(ctx: Ctx, inst: Instance, clusterName: string): ContainerInstance {
  const custom = inst.userData ? instanceAttributesFromUserData(decodeUserData(inst.userData)) : [];
  return registerContainerInstance(ctx, inst, clusterName, { attributes: custom });
}

/** Boots, registers and retires instances whose time has come. Runs every tick. */
export function advanceInstances(ctx: Ctx): void {
  const { rs, now } = ctx;
  for (const inst of Object.values(rs.ec2.instances)) {
    const due = inst.nextTransitionAt !== undefined && inst.nextTransitionAt <= now;
    switch (inst.state) {
      case 'pending':
        if (due) {
          inst.state = 'running';
          delete inst.nextTransitionAt;
          if (inst.ecsCluster) inst.registerAt = now + ctx.opts.agentRegisterMs;
        }
        break;
      case 'running':
        if (inst.ecsCluster && inst.registerAt !== undefined && inst.registerAt <= now) {
          const cluster = rs.ecs.clusters[inst.ecsCluster];
          // Like the agent: keep retrying until the cluster exists.
          if (cluster?.status === 'ACTIVE') {
            if (!containerInstanceOf(ctx, inst.instanceId)) registerFromUserData(ctx, inst, inst.ecsCluster);
            delete inst.registerAt;
          }
        }
        break;
      case 'shutting-down':
        if (due) {
          inst.state = 'terminated';
          inst.terminatedAt = now;
          delete inst.nextTransitionAt;
        }
        break;
      case 'stopping':
        if (due) {
          inst.state = 'stopped';
          delete inst.nextTransitionAt;
        }
        break;
      case 'terminated':
        if ((inst.terminatedAt ?? now) + ctx.opts.terminatedInstanceRetentionMs <= now) delete rs.ec2.instances[inst.instanceId];
        break;
      default:
        break;
    }
  }
  // As on ECS, a deregistered container instance can be described for an hour, then it is gone.
  for (const [id, ci] of Object.entries(rs.ecs.containerInstances)) {
    if (ci.status !== 'INACTIVE') continue;
    if (ci.deregisteredAt === undefined) ci.deregisteredAt = now;
    else if (ci.deregisteredAt + ctx.opts.terminatedInstanceRetentionMs <= now) {
      delete rs.ecs.containerInstances[id];
      delete rs.ecs.tags[ci.containerInstanceArn];
    }
  }
}

/**
 * The container instance goes INACTIVE. Its tasks stop with `stoppedReason` — or, when it is
 * undefined (DeregisterContainerInstance with `force`), keep running orphaned: ECS forgets them,
 * their services start replacements, their load balancer targets are deregistered and drain.
 */
export function deregisterContainerInstance(ctx: Ctx, ci: ContainerInstance, stoppedReason: string | undefined): void {
  ci.status = 'INACTIVE';
  ci.agentConnected = false;
  ci.deregisteredAt = ctx.now;
  ci.version += 1;
  const u = regionIndex(ctx.rs).usage.get(ci.containerInstanceArn);
  for (const id of [...(u?.tasks ?? [])]) {
    const t = ctx.rs.ecs.tasks[id];
    if (!t) continue;
    if (stoppedReason !== undefined) requestStop(ctx, t, 'ServiceSchedulerInitiated', stoppedReason);
    else if (t.desiredStatus === 'RUNNING') orphanTask(ctx, t);
  }
}

export function terminateInstance(ctx: Ctx, instanceId: string): void {
  const inst = ctx.rs.ec2.instances[instanceId];
  if (!inst || inst.state === 'terminated' || inst.state === 'shutting-down') return;
  inst.state = 'shutting-down';
  inst.nextTransitionAt = ctx.now + ctx.opts.instanceShutdownMs;
  inst.stateReason = 'Client.UserInitiatedShutdown: User initiated shutdown';
  delete inst.registerAt;
  const ci = containerInstanceOf(ctx, instanceId);
  if (ci) deregisterContainerInstance(ctx, ci, messages.hostTerminated(instanceId));
  // Tasks orphaned on it by a forced deregistration die with the host.
  for (const id of [...regionIndex(ctx.rs).live]) {
    const t = ctx.rs.ecs.tasks[id];
    if (t?.orphaned && t.ec2InstanceId === instanceId) requestStop(ctx, t, 'ServiceSchedulerInitiated', messages.hostTerminated(instanceId));
  }
}
