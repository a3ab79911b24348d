/**
 * Task logs (CloudWatch Logs, the awslogs driver), without VS Code: where a task's containers
 * write (from the task definition's `logConfiguration`), the streams of a task or of a service's
 * tasks, the CloudWatch console URL of a group or stream, and the SDK client behind `LogsApi`.
 *
 * The awslogs driver writes a container's output to the group `awslogs-group`, stream
 * `<awslogs-stream-prefix>/<container name>/<task id>`, in `awslogs-region`.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient, type Task, type TaskDefinition } from '@aws-sdk/client-ecs';
import { defaultTranslate, type Translate } from '../core/l10n';
import { idFromArn, shortId } from '../core/format';
import { MANAGED_TAG_KEY, MANAGED_TAG_VALUE } from '../core/managed';
import { describeTasks } from './describe';
import { listTaskArns } from './list';
import type { LogSource, LogsApi } from './logs-follow';

export * from './logs-follow';

/** Where one container's logs go. */
export type ContainerLogTarget =
  | { container: string; driver: 'awslogs'; group: string; prefix?: string; region?: string; stream?: string }
  | { container: string; driver: string };

/** A clear refusal of the logs feature (not an AWS error): `code` says which. */
export class LogsError extends Error {
  constructor(message: string, readonly code: 'NoAwslogs' | 'NeverStarted' | 'LogGroupNotFound' | 'NotFound' | 'NoStreamPrefix') {
    super(message);
    this.name = 'LogsError';
  }
}

/** Each container's log destination in a task definition; `taskArn` names the streams. */
export function containerLogTargets(td: TaskDefinition, taskArn?: string): ContainerLogTarget[] {
  return (td.containerDefinitions ?? []).map((c) => {
    const container = c.name ?? '';
    const lc = c.logConfiguration;
    if (lc?.logDriver !== 'awslogs') return { container, driver: lc?.logDriver ?? 'none' };
    const o = lc.options ?? {};
    const prefix = o['awslogs-stream-prefix'];
    const stream = prefix && taskArn ? `${prefix}/${container}/${idFromArn(taskArn)}` : undefined;
    return { container, driver: 'awslogs', group: o['awslogs-group'] ?? '', ...(prefix ? { prefix } : {}), ...(o['awslogs-region'] ? { region: o['awslogs-region'] } : {}), ...(stream ? { stream } : {}) };
  });
}

export type AwslogsTarget = Extract<ContainerLogTarget, { group: string }>;
export const isAwslogs = (t: ContainerLogTarget): t is AwslogsTarget => t.driver === 'awslogs' && 'group' in t;

/** What to tell about a container that does not send its logs to CloudWatch Logs. */
export function notAwslogsMessage(target: ContainerLogTarget, t: Translate = defaultTranslate): string {
  return target.driver === 'none'
    ? t('Container {0} does not send its logs to CloudWatch Logs: its task definition has no log configuration. Add the awslogs log driver (a new revision) to see its logs here.', target.container)
    : t('Container {0} does not send its logs to CloudWatch Logs: it uses the {1} log driver. Use the awslogs log driver (a new revision) to see its logs here.', target.container, target.driver);
}

/** The streams of the chosen containers of a task (all awslogs containers when none is named). */
export function taskSources(task: Task, td: TaskDefinition, opts: { container?: string; label?: string; t?: Translate } = {}): { sources: LogSource[]; region?: string } {
  const t = opts.t ?? defaultTranslate;
  const targets = containerLogTargets(td, task.taskArn);
  let chosen = targets;
  if (opts.container !== undefined) {
    chosen = targets.filter((x) => x.container === opts.container);
    if (chosen.length === 0) throw new LogsError(t('Task {0} has no container named {1} (its containers: {2}).', shortId(task.taskArn), opts.container, targets.map((x) => x.container).join(', ')), 'NotFound');
  }
  const aws = chosen.filter(isAwslogs);
  if (aws.length === 0) throw new LogsError(chosen.map((x) => notAwslogsMessage(x, t)).join(' '), 'NoAwslogs');
  const noPrefix = aws.find((x) => !x.prefix);
  if (noPrefix && aws.every((x) => !x.prefix)) {
    throw new LogsError(t('Container {0} has no awslogs-stream-prefix: its log stream is named after the Docker container id, which ECS does not report. Add awslogs-stream-prefix to its log configuration.', noPrefix.container), 'NoStreamPrefix');
  }
  const multi = aws.length > 1;
  const sources = aws.filter((x) => x.stream).map((x) => {
    const label = [opts.label, multi ? x.container : undefined].filter(Boolean).join(' ');
    return { group: x.group, stream: x.stream!, ...(label ? { label } : {}) };
  });
  return { sources, region: aws.find((x) => x.region)?.region };
}

/**
 * A task that stopped before it ever ran has no logs: say why it stopped. ECS says so with the stop
 * code TaskFailedToStart; a stopped task with no start time, a stopped reason and no container exit
 * code failed to start too. (A stopped task without any of these — an emulator's — is read as usual.)
 */
export function neverStarted(task: Task, t: Translate = defaultTranslate): LogsError | undefined {
  if (task.lastStatus !== 'STOPPED' || task.startedAt) return undefined;
  const exited = task.containers?.some((c) => c.exitCode !== undefined);
  if (task.stopCode !== 'TaskFailedToStart' && (!task.stoppedReason || exited)) return undefined;
  const why = task.stoppedReason ?? task.containers?.find((c) => c.reason)?.reason;
  return new LogsError(
    why ? t('Task {0} never started ({1}), so it wrote no logs.', shortId(task.taskArn), why) : t('Task {0} never started, so it wrote no logs.', shortId(task.taskArn)),
    'NeverStarted',
  );
}

/** What a task's logs are: its streams (and region when its log configuration names one). */
export interface TaskLogs {
  task: Task;
  sources: LogSource[];
  region?: string;
  containers: string[];
}

async function taskDefinitionOf(ecs: ECSClient, arn: string, t: Translate, cache?: Map<string, TaskDefinition>): Promise<TaskDefinition> {
  const cached = cache?.get(arn);
  if (cached) return cached;
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition;
  if (!td) throw new LogsError(t('Task definition {0} was not found.', arn), 'NotFound');
  cache?.set(arn, td);
  return td;
}

/** The streams of one task's containers (`container`: only that one). */
export async function taskLogs(ecs: ECSClient, cluster: string, taskArn: string, opts: { container?: string; t?: Translate } = {}): Promise<TaskLogs> {
  const t = opts.t ?? defaultTranslate;
  const task = (await describeTasks(ecs, cluster, [taskArn])).items[0];
  if (!task) throw new LogsError(t('Task {0} was not found in cluster {1}.', shortId(taskArn), idFromArn(cluster)), 'NotFound');
  const never = neverStarted(task, t);
  if (never) throw never;
  const td = await taskDefinitionOf(ecs, task.taskDefinitionArn ?? '', t);
  const { sources, region } = taskSources(task, td, { container: opts.container, t });
  return { task, sources, ...(region ? { region } : {}), containers: (td.containerDefinitions ?? []).map((c) => c.name ?? '') };
}

/**
 * A service's logs: the streams of its running tasks (labelled with the short task id) and a
 * `discover` that finds the tasks started since (they join the follow). A service whose task
 * definition sends no container to CloudWatch Logs is refused at once.
 */
export async function serviceLogs(ecs: ECSClient, cluster: string, service: string, t: Translate = defaultTranslate): Promise<{ sources: LogSource[]; groups: string[]; region?: string; discover: () => Promise<LogSource[]> }> {
  const svc = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
  if (!svc || svc.status === 'INACTIVE') throw new LogsError(t('Service {0} was not found in cluster {1}.', idFromArn(service), idFromArn(cluster)), 'NotFound');
  const cache = new Map<string, TaskDefinition>();
  const td = await taskDefinitionOf(ecs, svc.taskDefinition ?? '', t, cache);
  const targets = containerLogTargets(td).filter(isAwslogs);
  if (targets.length === 0) throw new LogsError(containerLogTargets(td).map((x) => notAwslogsMessage(x, t)).join(' '), 'NoAwslogs');
  const region = targets.find((x) => x.region)?.region;
  const discover = async (): Promise<LogSource[]> => {
    const arns = await listTaskArns(ecs, { cluster, serviceName: svc.serviceName });
    if (arns.length === 0) return [];
    const { items } = await describeTasks(ecs, cluster, arns);
    const out: LogSource[] = [];
    for (const task of items) {
      if (neverStarted(task, t)) continue;
      try {
        out.push(...taskSources(task, await taskDefinitionOf(ecs, task.taskDefinitionArn ?? '', t, cache), { label: shortId(task.taskArn), t }).sources);
      } catch (e) {
        // A revision without awslogs (a deployment in progress): its tasks have no streams to follow.
        if (!(e instanceof LogsError)) throw e;
      }
    }
    return out;
  };
  return { sources: await discover(), groups: [...new Set(targets.map((x) => x.group))], ...(region ? { region } : {}), discover };
}

/** Refuses a group that does not exist (before following: a stream may not exist yet, its group must). */
export async function requireLogGroup(logs: CloudWatchLogsClient, group: string, t: Translate = defaultTranslate): Promise<void> {
  if (!(await logGroupExists(logs, group))) {
    throw new LogsError(t('Log group {0} does not exist. The awslogs driver creates it only with awslogs-create-group set to true; create the group (or set that option) and start the task again.', group), 'LogGroupNotFound');
  }
}

/** Whether log group `group` exists (DescribeLogGroups by its name as prefix). */
export async function logGroupExists(logs: CloudWatchLogsClient, group: string): Promise<boolean> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  return (out.logGroups ?? []).some((g) => g.logGroupName === group);
}

/**
 * Creates log group `group` (tagged as the extension's) unless it exists: 'created' or 'exists'.
 * Register Task Definition does this for its awslogs containers, as the console's "Auto-configure
 * CloudWatch Logs" did (src/core/taskdef-logs.ts says why). AWS errors (AccessDenied…) are thrown.
 */
export async function ensureLogGroup(logs: CloudWatchLogsClient, group: string): Promise<'created' | 'exists'> {
  if (await logGroupExists(logs, group)) return 'exists';
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group, tags: { [MANAGED_TAG_KEY]: MANAGED_TAG_VALUE } }));
    return 'created';
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceAlreadyExistsException') return 'exists';
    throw e;
  }
}

/** `LogsApi` over the SDK client. */
export function logsApi(logs: CloudWatchLogsClient): LogsApi {
  return {
    getLogEvents: (input) => logs.send(new GetLogEventsCommand(input)),
    filterLogEvents: (input) => logs.send(new FilterLogEventsCommand(input)),
  };
}

/** The console's encoding of a group or stream name in its URL fragment (`/` → `$252F`). */
const consoleEscape = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');

/** The CloudWatch console page of a log group, or of one stream in it. */
export function logsConsoleUrl(region: string, group: string, stream?: string): string {
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : region.startsWith('us-gov-') ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`;
  const base = `https://${host}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consoleEscape(group)}`;
  return stream ? `${base}/log-events/${consoleEscape(stream)}` : base;
}
