/** Explorer nodes for tasks and container instances. */
import type { ContainerInstance, Resource, Task } from '@aws-sdk/client-ecs';
import { clusterNameFromArn, count, escapeMarkdown, formatCpuUnits, formatMiB, idFromArn, relativeTime, familyOf, revisionFromArn, revisionNumberOf, shortId, toMillis } from './format';
import { defaultTranslate, type Translate } from './l10n';
import { RESERVED_HOST_PORTS } from './validate';
import { COLOR, childId, markdownTable, type NodeContext, type TreeNode } from './tree-types';

export interface TaskNodeContext extends NodeContext {
  /** EC2 instance id per container-instance ARN, to show where the task runs. */
  instanceIds?: ReadonlyMap<string, string>;
}

/** Host ports a task's containers are bound to. */
export function taskHostPorts(task: Task): number[] {
  const ports = new Set<number>();
  for (const c of task.containers ?? []) for (const b of c.networkBindings ?? []) if (b.hostPort) ports.add(b.hostPort);
  return [...ports].sort((a, b) => a - b);
}

/** Task: short id as label; "rev 2 · :32768 · demo-app-task · HEALTHY · i-0abc · us-east-1a" (a running task; "PENDING → RUNNING · rev 2 · …" otherwise) (what a narrow sidebar must show first). */
export function taskNode(task: Task, ctx: TaskNodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const arn = task.taskArn ?? '';
  const last = task.lastStatus ?? 'UNKNOWN';
  const desired = task.desiredStatus ?? '';
  const health = task.healthStatus;
  const instanceId = task.containerInstanceArn ? ctx.instanceIds?.get(task.containerInstanceArn) : undefined;
  const ports = taskHostPorts(task);
  const revision = revisionFromArn(task.taskDefinitionArn);
  const stopped = last === 'STOPPED';
  const failedStop = stopped && task.stopCode !== 'UserInitiated' && task.stopCode !== 'ServiceSchedulerInitiated';
  // The short facts the default sidebar width (300 px) must not cut come first: the status — left
  // to the green running icon (and the tooltip) for a task that runs and stays running, in words
  // otherwise (PENDING → RUNNING, DEACTIVATING, STOPPED) —, the revision number (old vs new in a
  // rollout), the host port; then the family and the rest. Checked at the default width on a
  // screenshot (test/e2e/rollout.e2e.ts).
  const steady = last === 'RUNNING' && (!desired || desired === 'RUNNING');
  const parts = steady ? [] : [last + (desired && desired !== last && !stopped ? ` → ${desired}` : '')];
  const number = revisionNumberOf(revision);
  if (number !== undefined) parts.push(t('rev {0}', number));
  if (!stopped && ports.length) parts.push(ports.map((p) => `:${p}`).join(' '));
  parts.push(number !== undefined ? familyOf(revision) : revision);
  if (health && health !== 'UNKNOWN') parts.push(health);
  if (stopped) {
    if (task.stopCode) parts.push(task.stopCode);
  } else {
    if (instanceId) parts.push(instanceId);
    if (task.availabilityZone) parts.push(task.availabilityZone);
  }
  const color =
    stopped ? (failedStop ? COLOR.error : COLOR.inactive)
    : health === 'UNHEALTHY' ? COLOR.error
    : last === 'RUNNING' && desired === 'RUNNING' ? COLOR.healthy
    : COLOR.progress;
  const icon = stopped ? 'vm-outline' : last === 'RUNNING' ? 'vm-running' : 'loading~spin';
  const started = toMillis(task.startedAt);
  const stoppedAt = toMillis(task.stoppedAt);
  let tooltip = markdownTable(`${t('Task')} ${idFromArn(arn)}`, [
    [t('Last / desired status'), `${last} / ${desired}`],
    [t('Health'), health],
    [t('Task definition'), revision],
    [t('Started by'), task.startedBy],
    [t('Group'), task.group],
    [t('Instance'), instanceId ?? (task.containerInstanceArn ? shortId(task.containerInstanceArn) : undefined)],
    [t('Availability Zone'), task.availabilityZone],
    [t('Host ports'), ports.length ? ports.join(', ') : undefined],
    [t('CPU / memory'), task.cpu || task.memory ? `${task.cpu ?? '-'} / ${task.memory ?? '-'}` : undefined],
    [t('Started'), started !== undefined && ctx.now !== undefined ? relativeTime(started, ctx.now, t, ctx.time) : undefined],
    [t('Stopped'), stoppedAt !== undefined && ctx.now !== undefined ? relativeTime(stoppedAt, ctx.now, t, ctx.time) : undefined],
    [t('Stop code'), task.stopCode],
  ]);
  if (task.stoppedReason) tooltip += `\n\n${t('Stopped reason')}: ${escapeMarkdown(task.stoppedReason)}`;
  for (const c of task.containers ?? []) {
    if (c.reason || (c.exitCode !== undefined && c.exitCode !== 0)) {
      tooltip += `\n\n${escapeMarkdown(c.name ?? '')}: ${escapeMarkdown(c.reason ?? '')}${c.exitCode !== undefined ? ` (${t('exit code {0}', c.exitCode)})` : ''}`;
    }
  }
  return {
    id: childId(ctx.parentId, 'task', arn),
    kind: 'task',
    label: shortId(arn),
    description: parts.join(' · '),
    tooltip,
    icon,
    color,
    contextValue: `ecsHandson.task.${stopped ? 'stopped' : last === 'RUNNING' ? 'running' : 'pending'}`,
    collapsible: 'none',
    resource: arn,
    context: { clusterArn: task.clusterArn ?? '', taskArn: arn },
  };
}

const resourceValue = (resources: Resource[] | undefined, name: string): Resource | undefined =>
  resources?.find((r) => r.name === name);

/** Static host ports in use on an instance: its reserved ports minus the agent's default reserved ones. */
export function portsInUse(ci: ContainerInstance): number[] {
  const reserved = [
    ...(resourceValue(ci.remainingResources, 'PORTS')?.stringSetValue ?? []),
    ...(resourceValue(ci.remainingResources, 'PORTS_UDP')?.stringSetValue ?? []),
  ].map(Number);
  const defaults = new Set<number>([...RESERVED_HOST_PORTS]);
  const registered = new Set(
    [
      ...(resourceValue(ci.registeredResources, 'PORTS')?.stringSetValue ?? []),
      ...(resourceValue(ci.registeredResources, 'PORTS_UDP')?.stringSetValue ?? []),
    ].map(Number),
  );
  return [...new Set(reserved)].filter((p) => Number.isFinite(p) && !defaults.has(p) && !registered.has(p)).sort((a, b) => a - b);
}

export const attributeValue = (ci: ContainerInstance, name: string): string | undefined =>
  ci.attributes?.find((a) => a.name === name)?.value;

/** Container instance: EC2 instance id; "t3.small · us-east-1a · CPU 1024/2048 · mem 1.4 GiB/1.9 GiB free · ports 80". */
export function containerInstanceNode(
  ci: ContainerInstance,
  ctx: NodeContext & { clusterArn?: string } = {},
  t: Translate = defaultTranslate,
): TreeNode {
  const arn = ci.containerInstanceArn ?? '';
  const cluster = ctx.clusterArn ?? clusterNameFromArn(arn) ?? '';
  const status = ci.status ?? 'UNKNOWN';
  const type = attributeValue(ci, 'ecs.instance-type');
  const az = attributeValue(ci, 'ecs.availability-zone');
  const cpuFree = resourceValue(ci.remainingResources, 'CPU')?.integerValue;
  const cpuTotal = resourceValue(ci.registeredResources, 'CPU')?.integerValue;
  const memFree = resourceValue(ci.remainingResources, 'MEMORY')?.integerValue;
  const memTotal = resourceValue(ci.registeredResources, 'MEMORY')?.integerValue;
  const ports = portsInUse(ci);
  const healthy = status === 'ACTIVE' && ci.agentConnected !== false;
  const parts: string[] = [];
  if (status !== 'ACTIVE') parts.push(status);
  if (ci.agentConnected === false) parts.push(t('agent disconnected'));
  if (type) parts.push(type);
  if (az) parts.push(az);
  if (cpuFree !== undefined && cpuTotal !== undefined) parts.push(t('CPU {0}/{1} free', cpuFree, cpuTotal));
  if (memFree !== undefined && memTotal !== undefined) parts.push(t('memory {0}/{1} free', formatMiB(memFree), formatMiB(memTotal)));
  parts.push(ports.length ? t('ports {0}', ports.join(', ')) : t('no static ports'));
  const tasks = count(ci.runningTasksCount) + count(ci.pendingTasksCount);
  return {
    id: childId(ctx.parentId, 'containerInstance', arn),
    kind: 'containerInstance',
    label: ci.ec2InstanceId ?? shortId(arn),
    description: parts.join(' · '),
    tooltip: markdownTable(`${t('Container instance')} ${idFromArn(arn)}`, [
      [t('Status'), status + (ci.statusReason ? ` (${escapeMarkdown(ci.statusReason)})` : '')],
      [t('Agent connected'), ci.agentConnected === undefined ? undefined : String(ci.agentConnected)],
      [t('EC2 instance'), ci.ec2InstanceId],
      [t('Instance type'), type],
      [t('Availability Zone'), az],
      [t('CPU remaining / registered'), cpuFree !== undefined ? `${formatCpuUnits(cpuFree)} / ${formatCpuUnits(cpuTotal)}` : undefined],
      [t('Memory remaining / registered'), memFree !== undefined ? `${formatMiB(memFree)} / ${formatMiB(memTotal)}` : undefined],
      [t('Static host ports in use'), ports.length ? ports.join(', ') : t('none')],
      [t('Running / pending tasks'), `${count(ci.runningTasksCount)} / ${count(ci.pendingTasksCount)}`],
    ]),
    icon: 'server',
    color: healthy ? COLOR.healthy : status === 'DRAINING' ? COLOR.progress : COLOR.error,
    contextValue: `ecsHandson.containerInstance.${status.toLowerCase()}`,
    collapsible: tasks > 0 ? 'collapsed' : 'none',
    children: tasks > 0 && ci.containerInstanceArn ? { type: 'instanceTasks', clusterArn: cluster, containerInstanceArn: arn } : undefined,
    resource: arn,
    context: { containerInstanceArn: arn, ec2InstanceId: ci.ec2InstanceId ?? '' },
  };
}
