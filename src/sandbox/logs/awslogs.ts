/**
 * The awslogs log driver, as Docker runs it for an ECS task on an EC2 instance: a container whose
 * definition says `logConfiguration: { logDriver: 'awslogs', options: { … } }` has its stdout and
 * stderr lines sent to the log group `awslogs-group` (in `awslogs-region`, else the task's region),
 * stream `<awslogs-stream-prefix>/<container name>/<task id>` (else `awslogs-stream`, else the
 * container's id), each line one event timestamped on the sandbox clock.
 *
 * At the container's start the driver creates its stream; when the group is missing it creates the
 * group if `awslogs-create-group` is true, and otherwise the task fails to start as on ECS:
 * `CannotStartContainerError: Error response from daemon: failed to initialize logging driver:
 * failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does
 * not exist.` Options Docker refuses fail the task with `CannotCreateContainerError`.
 *
 * Lines of a group or stream deleted while the task runs: a deleted stream is created again, the
 * lines of a deleted group are dropped (Docker logs the error and goes on).
 */
import { createHash } from 'node:crypto';
import { lastSegment } from '../engine/ids';
import type { ContainerDefinition, RegionState, Task, World } from '../engine/state';
import { launchedContainer } from '../engine/tasks';
import { findTaskDefinition } from '../engine/usage';
import { validationMessage } from '../kit';
import { own } from '../records';
import { createGroup, RESERVED_PREFIX } from './groups';
import { existingLogsState } from './model';
import { addStream, appendEvents, utf8Bytes } from './store';

/** Where a task's container's lines go. */
export interface AwslogsRoute {
  region: string;
  group: string;
  stream: string;
}

export type AwslogsConfig = (AwslogsRoute & { ok: true; createGroup: boolean }) | { ok: false; reason: string };

const CREATE_FAILED = 'CannotCreateContainerError: Error response from daemon: ';
const INIT_FAILED = 'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ';

/** Docker's awslogs: a longer line is cut into events of this many bytes. */
const MAX_EVENT_BYTES = 262_144 - 26;

/** Go's strconv.ParseBool, which Docker reads `awslogs-create-group` with. */
const parseBool = (s: string): boolean | undefined =>
  ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s) ? false : undefined;

/** The container's id on its instance (the stream's name when neither a prefix nor a stream is given). */
const containerId = (taskId: string, container: string): string => createHash('sha256').update(`${taskId}/${container}`).digest('hex');

/** The awslogs configuration of a task's container: undefined when it logs with another driver (or none). */
export function awslogsConfig(task: Task, region: string, container: ContainerDefinition): AwslogsConfig | undefined {
  const lc = container.extra?.logConfiguration as { logDriver?: unknown; options?: unknown } | undefined;
  if (typeof lc !== 'object' || lc === null || lc.logDriver !== 'awslogs') return undefined;
  const options = typeof lc.options === 'object' && lc.options !== null ? (lc.options as Record<string, unknown>) : {};
  const opt = (k: string): string | undefined => {
    const v = own(options, k);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const group = opt('awslogs-group');
  if (group === undefined) return { ok: false, reason: `${CREATE_FAILED}must specify a value for log opt 'awslogs-group'` };
  const create = opt('awslogs-create-group');
  const createGroup = create === undefined ? false : parseBool(create);
  if (createGroup === undefined)
    return { ok: false, reason: `${CREATE_FAILED}must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing "${create}": invalid syntax` };
  const taskId = lastSegment(task.taskArn);
  const prefix = opt('awslogs-stream-prefix');
  const stream = prefix !== undefined ? `${prefix}/${container.name}/${taskId}` : (opt('awslogs-stream') ?? containerId(taskId, container.name));
  return { ok: true, region: opt('awslogs-region') ?? region, group, stream, createGroup };
}

/** Why CloudWatch Logs would refuse the group or stream name (CreateLogStream's validation), or undefined. */
function nameProblem(group: string, stream: string): string | undefined {
  if (group.length > 512) return validationMessage('logGroupName', group, 'Member must have length less than or equal to 512');
  if (!/^[.\-_/#A-Za-z0-9]+$/.test(group)) return validationMessage('logGroupName', group, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  if (stream.length > 512) return validationMessage('logStreamName', stream, 'Member must have length less than or equal to 512');
  if (!/^[^:*]*$/.test(stream)) return validationMessage('logStreamName', stream, 'Member must satisfy regular expression pattern: [^:*]*');
  return undefined;
}

/**
 * The driver at a container's start: creates its stream (and its group, when allowed). Returns the
 * route of its lines, a reason to fail the task, or undefined when the container does not use awslogs.
 * `region(name)` is the state of the region `awslogs-region` names, created if need be (only to create a group there).
 */
export function startAwslogs(
  world: World,
  rs: RegionState,
  task: Task,
  container: ContainerDefinition,
  now: number,
  region: (name: string) => RegionState,
): { route: AwslogsRoute } | { reason: string } | undefined {
  const c = awslogsConfig(task, rs.region, container);
  if (!c) return undefined;
  if (!c.ok) return { reason: c.reason };
  const bad = nameProblem(c.group, c.stream);
  if (bad) return { reason: `${INIT_FAILED}InvalidParameterException: ${bad}` };
  let g = own(existingLogsState(c.region === rs.region ? rs : own(world.regions, c.region))?.groups, c.group);
  if (!g) {
    if (!c.createGroup) return { reason: `${INIT_FAILED}ResourceNotFoundException: The specified log group does not exist.` };
    if (/^aws\//i.test(c.group)) return { reason: `${INIT_FAILED.replace('log stream', 'log group')}InvalidParameterException: ${RESERVED_PREFIX}` };
    g = createGroup(c.region === rs.region ? rs : region(c.region), c.group, now);
  }
  if (!own(g.streams, c.stream)) addStream(g, c.stream, now);
  return { route: { region: c.region, group: c.group, stream: c.stream } };
}

/** The route of a running task's lines, from the world (after a restart, the routes are not kept). */
export function routeOf(world: World, region: string, taskId: string): AwslogsRoute | undefined {
  const rs = own(world.regions, region);
  const task = rs && own(rs.ecs.tasks, taskId);
  const container = task && launchedContainer(findTaskDefinition(rs, task.taskDefinitionArn));
  const c = task && container ? awslogsConfig(task, region, container) : undefined;
  return c?.ok ? { region: c.region, group: c.group, stream: c.stream } : undefined;
}

/** Cuts a line into events of at most MAX_EVENT_BYTES (never inside a character), as Docker's driver does. */
export function splitLine(line: string): string[] {
  if (line.length * 3 <= MAX_EVENT_BYTES || utf8Bytes(line) <= MAX_EVENT_BYTES) return [line];
  const buf = Buffer.from(line, 'utf8');
  const out: string[] = [];
  let at = 0;
  while (at < buf.length) {
    let end = Math.min(buf.length, at + MAX_EVENT_BYTES);
    while (end < buf.length && end > at && (buf[end] & 0xc0) === 0x80) end--;
    out.push(buf.subarray(at, end).toString('utf8'));
    at = end;
  }
  return out;
}

/** Ships one line a task printed to its route, timestamped `now`; empty lines are not sent (as Docker's driver). */
export function shipLine(world: World, route: AwslogsRoute, line: string, now: number): void {
  if (line === '') return;
  const g = own(existingLogsState(own(world.regions, route.region))?.groups, route.group);
  if (!g) return; // the group was deleted: the driver's PutLogEvents fail, the lines are lost
  const stream = own(g.streams, route.stream) ?? addStream(g, route.stream, now);
  appendEvents(
    g,
    stream,
    splitLine(line).map((message) => ({ timestamp: now, message })),
    now,
  );
}
