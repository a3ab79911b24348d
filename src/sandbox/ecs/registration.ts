/**
 * RegisterContainerInstance and DeregisterContainerInstance, as the ECS agent and ECS use them.
 *
 * Registration takes the EC2 instance identity document the agent reads from the instance metadata
 * (`{"instanceId": "i-…", "region": "…", "instanceType": "…", "availabilityZone": "…", …}`). The
 * sandbox cannot check AWS's signature over it (it has no AWS key), so it checks the document
 * itself instead: it must name a running instance of this account and region, with the type and
 * AZ the instance has. Each call without `containerInstanceArn` registers a new container instance
 * (ECS's RegisterContainerInstance is not idempotent); with it, the agent re-registers that one.
 */
import type { DeregisterContainerInstanceCommandInput, RegisterContainerInstanceCommandInput, Resource } from '@aws-sdk/client-ecs';
import { agentAttributes, mergeAttributes, type Registration } from '../engine/instances';
import type { Instance } from '../engine/state';
import { taskCounts } from '../engine/usage';
import { ecsFields as f, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { customCount, limitExceeded, MAX_CUSTOM_ATTRIBUTES, readAttributes } from './attributes';
import { containerInstanceOut } from './output';
import { mergeTags, readTags } from './request';
import { activeCluster, findContainerInstance } from './resolve';

const invalidDocument = (why: string): AwsError =>
  new AwsError('ClientException', `The identity document and identity document signature were not valid: ${why}`);

/** The running EC2 instance the identity document names, or ClientException. */
function documentInstance(ctx: RequestContext, docText: string | undefined): Instance {
  if (docText === undefined) {
    throw new AwsError(
      'ClientException',
      'instanceIdentityDocument must be specified: the sandbox registers EC2 instances only (ECS Anywhere external instances are not served).',
    );
  }
  if (docText.length > 16 * 1024) throw invalidDocument('the document is longer than 16 KiB.');
  let doc: unknown;
  try {
    doc = JSON.parse(docText);
  } catch {
    throw invalidDocument('the document is not JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidDocument('the document is not a JSON object.');
  const d = doc as Record<string, unknown>;
  const shown = (v: unknown): string => JSON.stringify(v).slice(0, 80);
  const id = d.instanceId;
  if (typeof id !== 'string' || !/^i-[0-9a-f]{8,17}$/.test(id)) throw invalidDocument('it names no instanceId.');
  if (d.region !== undefined && d.region !== ctx.region) throw invalidDocument(`it is for region ${shown(d.region)}, not ${ctx.region}.`);
  if (d.accountId !== undefined && d.accountId !== ctx.accountId) throw invalidDocument(`it is for account ${shown(d.accountId)}.`);
  const inst = Object.hasOwn(ctx.state.ec2.instances, id) ? ctx.state.ec2.instances[id] : undefined;
  if (!inst || inst.state !== 'running') throw invalidDocument(`the sandbox has no running instance ${id} in ${ctx.region}.`);
  for (const [key, actual] of [
    ['instanceType', inst.instanceType],
    ['availabilityZone', inst.availabilityZone],
    ['imageId', inst.imageId],
  ] as const) {
    if (d[key] !== undefined && d[key] !== actual) throw invalidDocument(`${key} ${shown(d[key])} is not the instance's (${actual}).`);
  }
  return inst;
}

/** Host ports of a STRINGSET resource. */
function ports(r: Resource, at: (string | number)[]): number[] {
  const list = f.strings(r.stringSetValue, [...at, 'stringSetValue'], { required: true });
  return list.map((p) => {
    if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) f.fail(`Invalid port '${p.slice(0, 20)}' in ${r.name}: ports are 1 to 65535.`);
    return Number(p);
  });
}

/** `totalResources` as the agent sends them: CPU and MEMORY (INTEGER), PORTS and PORTS_UDP (STRINGSET). */
function readResources(list: Resource[] | undefined): Partial<Registration> {
  const out: Partial<Registration> = {};
  (list ?? []).forEach((r, i) => {
    const at = ['totalResources', i];
    const name = f.str(r.name, [...at, 'name'], { required: true });
    if (name === 'CPU' || name === 'MEMORY') {
      f.oneOf(r.type ?? 'INTEGER', [...at, 'type'], ['INTEGER', 'LONG'] as const);
      const v = r.integerValue ?? r.longValue;
      const n = f.int(v, [...at, 'integerValue'], { required: true, min: 1, max: 10_000_000 });
      if (name === 'CPU') out.registeredCpu = n;
      else out.registeredMemory = n;
    } else if (name === 'PORTS' || name === 'PORTS_UDP') {
      f.oneOf(r.type ?? 'STRINGSET', [...at, 'type'], ['STRINGSET'] as const);
      if (name === 'PORTS') out.reservedTcpPorts = ports(r, at);
      else out.reservedUdpPorts = ports(r, at);
    } else {
      f.fail(`The sandbox schedules CPU, MEMORY, PORTS and PORTS_UDP only; totalResources[${i}] is ${name.slice(0, 40)}.`);
    }
  });
  return out;
}

export const registerContainerInstance: Operation<RegisterContainerInstanceCommandInput> = (ctx, input) => {
  f.str(input.instanceIdentityDocumentSignature, 'instanceIdentityDocumentSignature');
  const resources = readResources(input.totalResources);
  const versionInfo = input.versionInfo ? { ...input.versionInfo } : undefined;
  const given = readAttributes(input.attributes, 'attributes', { values: true, target: false }).map((a) => ({
    name: a.name,
    ...(a.value !== undefined ? { value: a.value } : {}),
  }));
  if ((input.platformDevices ?? []).length > 0) f.fail('The sandbox does not schedule GPUs: platformDevices is not supported.');
  const tags = readTags(input.tags);
  const ref = f.str(input.containerInstanceArn, 'containerInstanceArn');
  const cluster = activeCluster(ctx, input.cluster);
  const inst = documentInstance(ctx, input.instanceIdentityDocument);
  const rs = ctx.state;

  if (ref !== undefined) {
    // The agent starting again on an instance it registered before.
    const ci = findContainerInstance(ctx, cluster, ref);
    if (!ci) throw new AwsError('ClientException', `The referenced container instance ${ref} was not found in cluster ${cluster.clusterName}.`);
    if (ci.ec2InstanceId !== inst.instanceId) throw invalidDocument(`container instance ${ref} is on ${ci.ec2InstanceId}, not ${inst.instanceId}.`);
    if (ci.status === 'INACTIVE') {
      throw new AwsError('ClientException', `Container instance ${ref} is INACTIVE (deregistered): register a new container instance without containerInstanceArn.`);
    }
    const changed =
      (resources.registeredCpu !== undefined && resources.registeredCpu !== ci.registeredCpu) ||
      (resources.registeredMemory !== undefined && resources.registeredMemory !== ci.registeredMemory);
    if (changed) throw new AwsError('ClientException', 'Container instance type changes are not supported.');
    const attributes = mergeAttributes(ci.attributes, given);
    if (customCount(attributes) > customCount(ci.attributes) && customCount(attributes) > MAX_CUSTOM_ATTRIBUTES) throw limitExceeded();
    const merged = tags.length ? mergeTags(rs.ecs.tags[ci.containerInstanceArn] ?? [], tags) : undefined;
    ci.attributes = attributes;
    if (versionInfo) ci.versionInfo = versionInfo;
    if (resources.reservedTcpPorts) ci.reservedTcpPorts = resources.reservedTcpPorts;
    if (resources.reservedUdpPorts) ci.reservedUdpPorts = resources.reservedUdpPorts;
    ci.agentConnected = true;
    ci.version += 1;
    if (merged) rs.ecs.tags[ci.containerInstanceArn] = merged;
    return { containerInstance: containerInstanceOut(rs, ci, tags.length > 0) };
  }

  const registration: Registration = { ...resources, attributes: given, ...(versionInfo ? { versionInfo } : {}) };
  if (customCount(mergeAttributes(agentAttributes(rs, inst), given)) > MAX_CUSTOM_ATTRIBUTES) throw limitExceeded();
  const ci = ctx.engine.registerContainerInstance(rs, inst, cluster.clusterName, registration);
  if (tags.length) rs.ecs.tags[ci.containerInstanceArn] = tags;
  return { containerInstance: containerInstanceOut(rs, ci, tags.length > 0) };
};

export const deregisterContainerInstance: Operation<DeregisterContainerInstanceCommandInput> = (ctx, input) => {
  const ref = f.str(input.containerInstance, 'containerInstance', { required: true });
  const force = input.force ?? false;
  const cluster = activeCluster(ctx, input.cluster);
  const ci = findContainerInstance(ctx, cluster, ref);
  if (!ci) throw new AwsError('InvalidParameterException', 'The referenced container instance was not found.');
  if (ci.status !== 'INACTIVE') {
    const counts = taskCounts(ctx.state, ci);
    if (counts.running + counts.pending > 0 && !force) throw new AwsError('InvalidParameterException', 'Found running tasks on the instance.');
    ctx.engine.deregisterContainerInstance(ctx.state, ci);
  }
  return { containerInstance: containerInstanceOut(ctx.state, ci) };
};
