/**
 * `ecsHandson.logs.show` (Show Logs): a task's or a service's CloudWatch Logs (the awslogs driver),
 * in a read-only editor that follows new lines (src/ui/logs/view.ts). On a task row (running, or
 * under "Stopped tasks"): its containers (a task with several asks which one, or all); on a service
 * row: all its tasks' streams interleaved by time, each line prefixed with the short task id, tasks
 * started later joining. From the palette: a pick of services and running tasks.
 *
 * Arguments (`ShowLogsArgs`): { cluster: string, task?: string, service?: string (one of them),
 * container?: string, filterPattern?: string, startTime?: string | number }.
 * Returns the editor's state `{ uri, following, groups, streams, lines, … }` or `{ error, code }`.
 */
import * as vscode from 'vscode';
import { CommandError } from '../../../core/commands/failure';
import { idFromArn, revisionFromArn, shortId } from '../../../core/format';
import type { LogSource } from '../../../aws/logs-follow';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { LogsState } from '../../logs/view';
import { defineCommand, type CommandContext } from '../command';
import { listAllServices, withBusy } from '../pickers';

interface Draft {
  cluster: string;
  task?: string;
  service?: string;
  container?: string;
  filterPattern?: string;
  startTime?: number;
  /** A person chose a task: ask which container when it has several. */
  askContainer?: boolean;
}

/** A start time argument as epoch ms (refused clearly when unreadable). */
export function readStartTime(value: string | number | undefined, field: string): number | undefined {
  const ms = loadAws().parseStartTime(value, Date.now());
  if (ms !== undefined && Number.isNaN(ms)) {
    throw new CommandError(t('"{0}" must be a date-time (2026-12-07T14:05:00Z), a time of day (14:05) or a time ago (-15m, -2h, -1d), got {1}.', field, JSON.stringify(value)), 'InvalidArguments', field);
  }
  return ms;
}

/** A LogsError (what the feature refuses: no awslogs, never started, no group) as the command's failure. */
export function asCommandError(e: unknown): unknown {
  return e instanceof Error && e.name === 'LogsError' ? new CommandError(e.message, (e as Error & { code: string }).code) : e;
}

async function pickTarget(ctx: CommandContext): Promise<Draft | undefined> {
  const c = await ctx.clients();
  const aws = loadAws();
  type Item = vscode.QuickPickItem & { draft?: Draft };
  const items = await withBusy(t('Loading services and tasks…'), async () => {
    const out: Item[] = [];
    const services = await listAllServices(c);
    if (services.length) out.push({ label: t('Services'), kind: vscode.QuickPickItemKind.Separator });
    for (const sv of services) {
      out.push({ label: `$(server-process) ${sv.serviceName}`, description: t('{0} · all its tasks', sv.clusterName), draft: { cluster: sv.clusterArn, service: sv.serviceName } });
    }
    const tasks: Item[] = [];
    for (const clusterArn of await aws.listClusterArns(c.ecs)) {
      const arns = await aws.listTaskArns(c.ecs, { cluster: clusterArn, desiredStatus: 'RUNNING' });
      if (arns.length === 0) continue;
      for (const task of (await aws.describeTasks(c.ecs, clusterArn, arns)).items) {
        tasks.push({
          label: `$(symbol-event) ${shortId(task.taskArn)}`,
          description: `${idFromArn(clusterArn)} · ${task.group ?? ''} · ${revisionFromArn(task.taskDefinitionArn)} · ${task.lastStatus ?? ''}`,
          draft: { cluster: clusterArn, task: task.taskArn ?? '', askContainer: true },
        });
      }
    }
    if (tasks.length) out.push({ label: t('Running tasks'), kind: vscode.QuickPickItemKind.Separator }, ...tasks);
    return out;
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage(t('There are no services or running tasks.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: t('Show logs of'), matchOnDescription: true }))?.draft;
}

/** A task with several containers: which one (or all). */
async function askContainer(ctx: CommandContext, d: Draft): Promise<Draft | undefined> {
  if (!d.task || d.container !== undefined || !d.askContainer) return d;
  const c = await ctx.clients();
  const aws = loadAws();
  const task = (await aws.describeTasks(c.ecs, d.cluster, [d.task])).items[0];
  if (!task?.taskDefinitionArn) return d;
  const td = (await c.ecs.send(new aws.operateSdk.DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }))).taskDefinition;
  const targets = td ? aws.containerLogTargets(td, task.taskArn) : [];
  if (targets.length <= 1) return d;
  type Item = vscode.QuickPickItem & { container?: string };
  const items: Item[] = [
    { label: t('All containers'), description: t('interleaved by time') },
    ...targets.map((x) => ({
      label: x.container,
      description: aws.isAwslogs(x) ? t('CloudWatch Logs: {0}', x.group) : t('log driver {0}: not in CloudWatch Logs', x.driver),
      container: x.container,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: t('Logs of which container of task {0}?', shortId(d.task)) });
  if (!picked) return undefined;
  return { ...d, askContainer: false, ...(picked.container ? { container: picked.container } : {}) };
}

export const showLogs = defineCommand({
  id: 'ecsHandson.logs.show',
  title: () => t('Show Logs'),
  args: (r): Draft => {
    const cluster = r.required('cluster', t('"cluster" is required (a cluster name or ARN).'));
    const task = r.string('task');
    const service = r.string('service');
    if (!task === !service) r.fail(t('Give either "task" (a task ARN or id) or "service" (a service name or ARN).'), task ? 'service' : 'task');
    const container = r.string('container');
    const filterPattern = r.string('filterPattern');
    const raw = r.value('startTime');
    if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') r.fail(t('"{0}" must be a string, got {1}.', 'startTime', JSON.stringify(raw)), 'startTime');
    const startTime = readStartTime(raw as string | number | undefined, 'startTime');
    return { cluster, ...(task ? { task } : { service }), ...(container ? { container } : {}), ...(filterPattern ? { filterPattern } : {}), ...(startTime !== undefined ? { startTime } : {}) };
  },
  row: (node): Draft | undefined => {
    const cluster = node.context?.clusterArn;
    if (!cluster) return undefined;
    if (node.kind === 'task' && node.resource) return { cluster, task: node.resource, askContainer: true };
    if (node.kind === 'service' && node.context?.serviceName) return { cluster, service: node.context.serviceName };
    return undefined;
  },
  palette: pickTarget,
  ask: askContainer,
  run: async (ctx, d): Promise<LogsState> => {
    const c = await ctx.clients();
    const aws = loadAws();
    try {
      let sources: LogSource[];
      let region: string | undefined;
      let discover: (() => Promise<LogSource[]>) | undefined;
      let name: string;
      let what: string;
      let groups: string[];
      const cluster = idFromArn(d.cluster);
      if (d.task) {
        const tl = await ctx.progress(t('Reading the log configuration of task {0}…', shortId(d.task)), () => aws.taskLogs(c.ecs, d.cluster, d.task!, { ...(d.container ? { container: d.container } : {}), t }));
        ({ sources, region } = tl);
        groups = sources.map((s) => s.group);
        name = d.container ? `${shortId(d.task)} ${d.container}` : shortId(d.task);
        what = d.container ? t('container {0} of task {1} (cluster {2})', d.container, shortId(d.task), cluster) : t('task {0} (cluster {1})', shortId(d.task), cluster);
      } else {
        const sl = await ctx.progress(t('Reading the log configuration of service {0}…', d.service!), () => aws.serviceLogs(c.ecs, d.cluster, d.service!, t));
        ({ sources, region, discover, groups } = sl);
        name = idFromArn(d.service);
        what = t('service {0} (cluster {1}), all its tasks', idFromArn(d.service), cluster);
      }
      const logs = c.logsIn(region);
      for (const group of new Set(groups)) await aws.requireLogGroup(logs, group, t);
      return await ctx.parts.logs.open({
        name, what, clients: c, sources,
        ...(region ? { region } : {}), ...(discover ? { discover } : {}),
        ...(d.filterPattern ? { filterPattern: d.filterPattern } : {}), ...(d.startTime !== undefined ? { startTime: d.startTime } : {}),
      });
    } catch (e) {
      throw asCommandError(e);
    }
  },
});
