/**
 * EC2 instances over time and the ECS agent on them: pending → running after the boot time; then,
 * when the user data names a cluster (`ECS_CLUSTER=…`), the agent registers a container instance
 * (retrying until the cluster exists). Terminating shuts the instance down, deregisters its
 * container instance and stops its tasks (services replace them elsewhere).
 */
import { arns, hexId } from './ids';
import type { Ctx } from './context';
import { messages } from './events';
import type { ContainerInstance, Instance } from './state';
import { requestStop } from './tasks';
import { regionIndex } from './usage';
import { instanceType } from '../ec2/instance-types';

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

function register(ctx: Ctx, inst: Instance, clusterName: string): ContainerInstance {
  const { rs, world, now } = ctx;
  const type = instanceType(inst.instanceType) ?? FALLBACK;
  const id = hexId();
  const subnet = rs.ec2.subnets[inst.subnetId];
  const ci: ContainerInstance = {
    containerInstanceArn: arns.containerInstance(rs.region, world.accountId, clusterName, id),
    ec2InstanceId: inst.instanceId,
    clusterName,
    status: 'ACTIVE',
    agentConnected: true,
    registeredCpu: type.registeredCpu,
    registeredMemory: type.registeredMemory,
    availabilityZone: inst.availabilityZone,
    instanceType: inst.instanceType,
    registeredAt: now,
    version: 1,
    attributes: [
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
    ],
  };
  rs.ecs.containerInstances[id] = ci;
  return ci;
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
            if (!containerInstanceOf(ctx, inst.instanceId)) register(ctx, inst, inst.ecsCluster);
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
}

/** The container instance goes INACTIVE and every task on it stops with `stoppedReason`. */
export function deregisterContainerInstance(ctx: Ctx, ci: ContainerInstance, stoppedReason: string): void {
  ci.status = 'INACTIVE';
  ci.agentConnected = false;
  ci.version += 1;
  const u = regionIndex(ctx.rs).usage.get(ci.containerInstanceArn);
  for (const id of [...(u?.tasks ?? [])]) {
    const t = ctx.rs.ecs.tasks[id];
    if (t) requestStop(ctx, t, 'ServiceSchedulerInitiated', stoppedReason);
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
}
