/**
 * `ecsHandson.task.stop`: StopTask with the reason "Stopped from ECS Hands-on" (the hands-on's
 * "kill a container": the service starts a replacement). Asks first only on real AWS.
 *
 * Arguments (`StopTaskArgs`): { cluster: string, task: string (ARN or id), reason?: string }.
 * Returns { taskArn, desiredStatus, lastStatus } or `{ error, code }`.
 */
import type { StopTaskArgs } from '../../../core/commands/contract';
import { shortId } from '../../../core/format';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { pickTask } from '../pickers';

export interface StopTaskResult {
  taskArn: string;
  desiredStatus: string;
  lastStatus: string;
}

export const STOP_REASON = 'Stopped from ECS Hands-on';

export const stopTask = defineCommand({
  id: 'ecsHandson.task.stop',
  title: () => t('Stop task'),
  args: (r): Required<StopTaskArgs> => {
    const cluster = r.required('cluster', t('"cluster" is required (a cluster name or ARN).'));
    const task = r.required('task', t('"task" is required (a task ARN or id).'));
    const reason = r.string('reason') ?? STOP_REASON;
    if (reason.length > 255) r.fail(t('"reason" must be at most 255 characters.'), 'reason');
    return { cluster, task, reason };
  },
  row: (node): Required<StopTaskArgs> | undefined => (node.context?.clusterArn && node.resource ? { cluster: node.context.clusterArn, task: node.resource, reason: STOP_REASON } : undefined),
  palette: async (ctx): Promise<Required<StopTaskArgs> | undefined> => {
    const picked = await pickTask(await ctx.clients(), t('Task to stop'));
    return picked && { cluster: picked.clusterArn, task: picked.taskArn, reason: STOP_REASON };
  },
  run: async (ctx, d): Promise<StopTaskResult> => {
    const id = shortId(d.task);
    await ctx.confirm({ kind: 'aws', message: t('Stop task {0}?', id), detail: [t('If it belongs to a service, ECS starts a replacement.')], button: t('Stop Task') });
    const c = await ctx.clients();
    const out = await ctx.progress(t('Stopping task {0}…', id), () => c.ecs.send(new (loadAws().operateSdk.StopTaskCommand)({ cluster: d.cluster, task: d.task, reason: d.reason })));
    ctx.services.refresh({ kind: 'clusters' });
    return { taskArn: out.task?.taskArn ?? d.task, desiredStatus: out.task?.desiredStatus ?? 'STOPPED', lastStatus: out.task?.lastStatus ?? '' };
  },
});
