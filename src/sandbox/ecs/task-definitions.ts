/** RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies, DeregisterTaskDefinition. */
import type {
  ContainerDefinition as ContainerDefinitionInput,
  DeleteTaskDefinitionsCommandInput,
  DeregisterTaskDefinitionCommandInput,
  DescribeTaskDefinitionCommandInput,
  ListTaskDefinitionFamiliesCommandInput,
  ListTaskDefinitionsCommandInput,
  PortMapping as PortMappingInput,
  RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { executionRoleNeeds, type ExecutionRoleNeed } from '../../core/execution-role';
import { AwsError } from '../protocol/errors';
import { arns } from '../engine/ids';
import type { ContainerDefinition, NetworkMode, PortMapping, TaskDefinition } from '../engine/state';
import { ECS, ecsClientFields as cf, ecsFields as f, ecsPath, paginate, type Operation } from '../kit';
import { taskDefinitionOut, tagsOf } from './output';
import { includes, NAME_RE, pageSize, readTags } from './request';
import { findTaskDefinition, own, put } from './resolve';
import { readConstraints } from './placement';
import { taskDefinitionExtras } from './task-definition-members';

/** Task definitions are refused with ClientException. */
const bad = (message: string): never => cf.fail(message);

const KNOWN_CONTAINER_MEMBERS = new Set([
  'name', 'image', 'cpu', 'memory', 'memoryReservation', 'essential', 'portMappings', 'environment', 'command', 'entryPoint',
]);

/** Task-level CPU: units ("256") or vCPUs ("0.25 vCPU", "1 vcpu"); returned as units. */
function taskCpu(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(s);
  if (!m) return bad(`Invalid 'cpu' setting for task: '${s}'. Specify CPU units (e.g. 256) or vCPUs (e.g. 0.25 vCPU).`);
  const units = m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]);
  if (!Number.isInteger(units) || units < 128) return bad(`Invalid 'cpu' setting for task. The minimum is 128 CPU units (0.125 vCPU).`);
  return String(units);
}

/** Task-level memory: MiB ("512") or GB ("1 GB"); returned as MiB. */
function taskMemory(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(s);
  if (!m) return bad(`Invalid 'memory' setting for task: '${s}'. Specify MiB (e.g. 512) or GB (e.g. 1 GB).`);
  const mib = m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]);
  if (!Number.isInteger(mib) || mib < 6) return bad(`Invalid 'memory' setting for task. The minimum is 6 MiB.`);
  return String(mib);
}

function portMappings(list: PortMappingInput[] | undefined, member: (string | number)[], container: string, mode: NetworkMode): PortMapping[] {
  return (list ?? []).map((p, i) => {
    const at = [...member, i];
    const containerPort = cf.int(p.containerPort, [...at, 'containerPort'], { min: 1, max: 65535 });
    if (containerPort === undefined) return bad(`Invalid setting for container '${container}'. ${ecsPath([...at, 'containerPort'])} must be specified.`);
    let hostPort = cf.int(p.hostPort, [...at, 'hostPort'], { min: 0, max: 65535 });
    const protocol = cf.oneOf(p.protocol, [...at, 'protocol'], ['tcp', 'udp'] as const) ?? 'tcp';
    if (mode === 'awsvpc' || mode === 'host') {
      if (hostPort !== undefined && hostPort !== 0 && hostPort !== containerPort) {
        bad(
          mode === 'awsvpc'
            ? 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.'
            : 'When networkMode=host, the host ports and container ports in port mappings must match.',
        );
      }
      hostPort = containerPort;
    }
    const { containerPort: _c, hostPort: _h, protocol: _p, ...extra } = p;
    return { ...extra, containerPort, hostPort: hostPort ?? 0, protocol };
  });
}

function containerDefinition(c: ContainerDefinitionInput, i: number, mode: NetworkMode, taskMem: string | undefined): ContainerDefinition {
  const at = ['containerDefinitions', i];
  const name = c.name;
  if (!name) return bad('Container.name should not be null or empty.');
  if (!NAME_RE.test(name)) bad(`Invalid container name '${name}'. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`);
  const image = c.image;
  if (!image) return bad('Container.image should not be null or empty.');
  const cpu = cf.int(c.cpu, [...at, 'cpu'], { min: 0, max: 10240 });
  const memory = cf.int(c.memory, [...at, 'memory']);
  const memoryReservation = cf.int(c.memoryReservation, [...at, 'memoryReservation']);
  if (memory === undefined && memoryReservation === undefined && taskMem === undefined) {
    bad(`Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
  }
  if (memory !== undefined && memory < 6) bad(`Invalid 'memory' setting for container '${name}'. The minimum is 6 MiB, got ${memory}.`);
  if (memoryReservation !== undefined && memoryReservation < 6) {
    bad(`Invalid 'memoryReservation' setting for container '${name}'. The minimum is 6 MiB, got ${memoryReservation}.`);
  }
  if (memory !== undefined && memoryReservation !== undefined && memory < memoryReservation) {
    bad(
      `Invalid setting for container '${name}'. The 'memory' value (${memory}) must be greater than or equal to the 'memoryReservation' value (${memoryReservation}).`,
    );
  }
  const environment = (c.environment ?? []).map((e, j) => ({
    name: cf.str(e.name, [...at, 'environment', j, 'name'], { required: true }),
    value: e.value ?? '',
  }));
  const command = c.command;
  const entryPoint = c.entryPoint;
  const essential = c.essential ?? true;
  // Every other modelled member is kept as given and returned by DescribeTaskDefinition.
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!KNOWN_CONTAINER_MEMBERS.has(k) && v !== undefined) put(extra, k, v);
  const cd: ContainerDefinition = {
    name,
    image,
    cpu: cpu ?? 0,
    essential,
    portMappings: portMappings(c.portMappings, [...at, 'portMappings'], name, mode),
    environment,
  };
  if (memory !== undefined) cd.memory = memory;
  if (memoryReservation !== undefined) cd.memoryReservation = memoryReservation;
  if (command) cd.command = command;
  if (entryPoint) cd.entryPoint = entryPoint;
  if (Object.keys(extra).length) cd.extra = extra;
  return cd;
}

/**
 * ECS refuses (ClientException) a task definition that names no `executionRoleArn` when something
 * in it needs the task execution role (src/core/execution-role.ts says what): the first such need,
 * in ECS's words, or undefined. ECR images and awslogs need one only on FARGATE here: on EC2 the
 * container instance role serves them, and ECS's message for them names Fargate. The messages for
 * container secrets, private registry authentication and the two Fargate cases are the ones users
 * report from ECS (see src/core/execution-role.ts); those for a log configuration's secretOptions
 * and for environment files follow the container secrets one (no report of ECS's own wording found).
 */
function missingExecutionRole(input: RegisterTaskDefinitionCommandInput, fargate: boolean): string | undefined {
  const needs = executionRoleNeeds(input as unknown as Record<string, unknown>);
  const hasSecrets = (n: ExecutionRoleNeed) => input.containerDefinitions?.find((c) => c.name === n.container)?.secrets?.some((s) => s.valueFrom);
  for (const n of needs) {
    switch (n.kind) {
      case 'secrets':
        return hasSecrets(n)
          ? "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."
          : "When you are specifying secretOptions in a log configuration, you must also specify a value for 'executionRoleArn'.";
      case 'repositoryCredentials':
        return 'Private repository authentication requires that the task definition specify a value for executionRoleArn.';
      case 'environmentFiles':
        return "When you are specifying environment files, you must also specify a value for 'executionRoleArn'.";
      case 'ecrImage':
        if (fargate) return 'Fargate requires task definition to have execution role ARN to support ECR images.';
        break;
      case 'awslogs':
        if (fargate) return 'Fargate requires task definition to have execution role ARN to support log driver awslogs.';
        break;
    }
  }
  return undefined;
}

/** Validates a RegisterTaskDefinition request into the revision to store (without its ARN / revision). */
export function parseTaskDefinition(input: RegisterTaskDefinitionCommandInput) {
  const family = input.family;
  if (!family) return bad('Family should not be null or empty.');
  if (!NAME_RE.test(family)) bad('Invalid family name. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.');
  const networkMode = cf.oneOf(input.networkMode, 'networkMode', ['bridge', 'host', 'awsvpc', 'none'] as const) ?? 'bridge';
  const requiresCompatibilities = (input.requiresCompatibilities ?? []).map(
    (r, i) => cf.oneOf(r, ['requiresCompatibilities', i], ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const)!,
  );
  const cpu = taskCpu(input.cpu);
  const memory = taskMemory(input.memory);
  const rawContainers = input.containerDefinitions ?? [];
  if (rawContainers.length === 0) bad('Container list cannot be empty.');
  const containerDefinitions = rawContainers.map((c, i) => containerDefinition(c, i, networkMode, memory));
  const names = new Set<string>();
  const hostPorts = new Set<string>();
  for (const cd of containerDefinitions) {
    if (names.has(cd.name)) bad(`Duplicate container name '${cd.name}'. Container names must be unique within a task definition.`);
    names.add(cd.name);
    for (const p of cd.portMappings) {
      if (!p.hostPort) continue;
      const key = `${p.hostPort}/${p.protocol}`;
      if (hostPorts.has(key)) bad(`Invalid setting for container '${cd.name}'. Host port ${p.hostPort}/${p.protocol} is already used by another port mapping of this task definition.`);
      hostPorts.add(key);
    }
  }
  if (!containerDefinitions.some((c) => c.essential)) bad('Invalid setting for task definition. At least one essential container is required.');
  if (requiresCompatibilities.includes('FARGATE')) {
    if (networkMode !== 'awsvpc') bad('Fargate only supports network mode ‘awsvpc’.');
    if (!cpu || !memory) bad("Fargate requires that 'cpu' and 'memory' be defined at the task level.");
  }
  const tagList = readTags(input.tags);
  const placementConstraints = readConstraints(input.placementConstraints, { taskDefinition: true, fields: cf });
  const taskRoleArn = input.taskRoleArn;
  const executionRoleArn = input.executionRoleArn;
  const needsRole = executionRoleArn ? undefined : missingExecutionRole(input, requiresCompatibilities.includes('FARGATE'));
  if (needsRole) bad(needsRole);
  const extra = taskDefinitionExtras(input, containerDefinitions);
  const compatibilities = ['EC2', 'EXTERNAL'];
  if (networkMode === 'awsvpc' && cpu && memory) compatibilities.push('FARGATE');
  return { family, networkMode, requiresCompatibilities, cpu, memory, containerDefinitions, tags: tagList, taskRoleArn, executionRoleArn, compatibilities, placementConstraints, extra };
}

/** ECS refuses a RegisterTaskDefinition request whose JSON is over 64 KiB. */
export const MAX_TASK_DEFINITION_BYTES = 65_536;

export const registerTaskDefinition: Operation<RegisterTaskDefinitionCommandInput> = (ctx, input) => {
  const size = Buffer.byteLength(JSON.stringify(input), 'utf8');
  // ECS's own message (ClientException), as the console and CloudTrail show it.
  if (size > MAX_TASK_DEFINITION_BYTES) bad(`Actual length: '${size}'. Max allowed length is '${MAX_TASK_DEFINITION_BYTES}' bytes.`);
  const p = parseTaskDefinition(input);
  const ecs = ctx.state.ecs;
  const revs = own(ecs.taskDefinitions, p.family) ?? [];
  const revision = revs.length + 1;
  const td: TaskDefinition = {
    taskDefinitionArn: arns.taskDefinition(ctx.region, ctx.accountId, p.family, revision),
    family: p.family,
    revision,
    status: 'ACTIVE',
    containerDefinitions: p.containerDefinitions,
    networkMode: p.networkMode,
    requiresCompatibilities: p.requiresCompatibilities,
    compatibilities: p.compatibilities,
    registeredAt: ctx.now,
    registeredBy: `arn:aws:iam::${ctx.accountId}:root`,
  };
  if (p.cpu !== undefined) td.cpu = p.cpu;
  if (p.memory !== undefined) td.memory = p.memory;
  if (p.taskRoleArn) td.taskRoleArn = p.taskRoleArn;
  if (p.executionRoleArn) td.executionRoleArn = p.executionRoleArn;
  if (p.placementConstraints?.length) td.placementConstraints = p.placementConstraints;
  if (Object.keys(p.extra).length) td.extra = p.extra;
  revs.push(td);
  put(ecs.taskDefinitions, p.family, revs);
  if (p.tags.length) ecs.tags[td.taskDefinitionArn] = p.tags;
  const out: Record<string, unknown> = { taskDefinition: taskDefinitionOut(td) };
  if (p.tags.length) out.tags = p.tags.map((t) => ({ ...t }));
  return out;
};

const unableToDescribe = () => new AwsError('ClientException', 'Unable to describe task definition.');

export const describeTaskDefinition: Operation<DescribeTaskDefinitionCommandInput> = (ctx, input) => {
  const ref = cf.str(input.taskDefinition, 'taskDefinition', { required: true });
  const include = includes(input.include, ['TAGS'] as const, cf);
  const td = findTaskDefinition(ctx, ref);
  if (!td) throw unableToDescribe();
  const out: Record<string, unknown> = { taskDefinition: taskDefinitionOut(td) };
  if (include.has('TAGS')) out.tags = tagsOf(ctx.state.ecs, td.taskDefinitionArn).map((t) => ({ ...t }));
  return out;
};

export const listTaskDefinitions: Operation<ListTaskDefinitionsCommandInput> = (ctx, input) => {
  const family = input.familyPrefix;
  const status = f.oneOf(input.status, 'status', ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const) ?? 'ACTIVE';
  const sort = f.oneOf(input.sort, 'sort', ['ASC', 'DESC'] as const) ?? 'ASC';
  const families = Object.keys(ctx.state.ecs.taskDefinitions)
    .filter((f) => family === undefined || family === '' || f === family)
    .sort();
  const items: TaskDefinition[] = [];
  for (const f of families) for (const td of ctx.state.ecs.taskDefinitions[f]) if (td.status === status) items.push(td);
  if (sort === 'DESC') items.reverse();
  const { page, next } = paginate(
    items,
    { op: `ListTaskDefinitions/${sort}`, size: pageSize(input.maxResults), token: input.nextToken, key: (t) => t.taskDefinitionArn },
    ECS,
  );
  return { taskDefinitionArns: page.map((t) => t.taskDefinitionArn), nextToken: next };
};

export const listTaskDefinitionFamilies: Operation<ListTaskDefinitionFamiliesCommandInput> = (ctx, input) => {
  const prefix = input.familyPrefix ?? '';
  const status = f.oneOf(input.status, 'status', ['ACTIVE', 'INACTIVE', 'ALL'] as const) ?? 'ALL';
  const items = Object.entries(ctx.state.ecs.taskDefinitions)
    .filter(([f, revs]) => {
      if (!f.startsWith(prefix)) return false;
      const active = revs.some((r) => r.status === 'ACTIVE');
      return status === 'ALL' || (status === 'ACTIVE' ? active : !active);
    })
    .map(([f]) => f)
    .sort();
  const { page, next } = paginate(items, { op: 'ListTaskDefinitionFamilies', size: pageSize(input.maxResults), token: input.nextToken, key: (x) => x }, ECS);
  return { families: page, nextToken: next };
};

export const deregisterTaskDefinition: Operation<DeregisterTaskDefinitionCommandInput> = (ctx, input) => {
  const ref = cf.str(input.taskDefinition, 'taskDefinition', { required: true });
  const spec = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
  if (!/:\d+$/.test(spec)) bad(`Invalid revision number. A revision is required: use family:revision or the full ARN, got '${ref}'.`);
  const td = findTaskDefinition(ctx, ref);
  if (!td) return bad('The specified task definition does not exist.');
  if (td.status === 'ACTIVE') {
    td.status = 'INACTIVE';
    td.deregisteredAt = ctx.now;
  }
  return { taskDefinition: taskDefinitionOut(td) };
};

/** DeleteTaskDefinitions: INACTIVE revisions move to DELETE_IN_PROGRESS; the rest are failures. */
export const deleteTaskDefinitions: Operation<DeleteTaskDefinitionsCommandInput> = (ctx, input) => {
  const refs = cf.strings(input.taskDefinitions, 'taskDefinitions') ?? [];
  if (refs.length === 0) bad('taskDefinitions must contain at least one task definition.');
  if (refs.length > 10) bad('taskDefinitions can have at most 10 items.');
  const found: TaskDefinition[] = [];
  const failures: { arn: string; reason: string; detail?: string }[] = [];
  for (const ref of refs) {
    const spec = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
    const td = /:\d+$/.test(spec) ? findTaskDefinition(ctx, ref) : undefined;
    if (!td) failures.push({ arn: ref, reason: 'The specified task definition does not exist.' });
    else if (td.status === 'ACTIVE') {
      failures.push({ arn: td.taskDefinitionArn, reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.' });
    } else found.push(td);
  }
  for (const td of found) td.status = 'DELETE_IN_PROGRESS';
  return { taskDefinitions: found.map(taskDefinitionOut), failures };
};
