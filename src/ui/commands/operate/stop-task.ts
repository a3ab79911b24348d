/**
 * `ecsHandson.task.stop`: StopTask with the reason "Stopped from ECS Hands-on" (the hands-on's
 * "kill a container": the service starts a replacement). Asks first only on real AWS.
 *
 * Arguments (non-interactive): { cluster: string, task: string (ARN or id), reason?: string }.
 * Returns { taskArn, desiredStatus, lastStatus } or `{ error, code }`.
 */
import { idFromArn } from '../../../core/format';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, checkArgs, clientsOr, confirm, isFailure, isTreeNode, pickTask, refused, refusedRetry, sdk, stringArg, t } from './common';

export interface StopTaskArgs {
  cluster: string;
  task: string;
  reason?: string;
}

export interface StopTaskResult {
  taskArn: string;
  desiredStatus: string;
  lastStatus: string;
}

export const STOP_REASON = 'Stopped from ECS Hands-on';

async function stop(s: Services, cluster: string, task: string, reason: string): Promise<StopTaskResult | undefined> {
  if (!(await confirm(s, t('Stop task {0}?', idFromArn(task).slice(0, 8)), [t('If it belongs to a service, ECS starts a replacement.')], t('Stop Task')))) return undefined;
  const c = await s.clientsOrFail();
  const out = await s.withProgress(t('Stopping task {0}…', idFromArn(task).slice(0, 8)), () => c.ecs.send(new (sdk().StopTaskCommand)({ cluster, task, reason })));
  s.refresh({ kind: 'clusters' });
  return { taskArn: out.task?.taskArn ?? task, desiredStatus: out.task?.desiredStatus ?? 'STOPPED', lastStatus: out.task?.lastStatus ?? '' };
}

export const stopTask: Command = {
  id: 'ecsHandson.task.stop',
  run: async (s, arg) => {
    const action = t('Stop task');
    const a = argObject<StopTaskArgs>(arg);
    if (a) {
      const args = checkArgs(() => {
        const cluster = stringArg(a.cluster, 'cluster');
        const task = stringArg(a.task, 'task');
        if (!cluster) throw new ArgumentError(t('"cluster" is required (a cluster name or ARN).'));
        if (!task) throw new ArgumentError(t('"task" is required (a task ARN or id).'));
        const reason = stringArg(a.reason, 'reason') ?? STOP_REASON;
        if (reason.length > 255) throw new ArgumentError(t('"reason" must be at most 255 characters.'));
        return { cluster, task, reason };
      });
      if (isFailure(args)) return args;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        return await stop(s, args.cluster, args.task, args.reason);
      } catch (e) {
        return refused(s, e, action);
      }
    }
    let target: { cluster: string; task: string } | undefined;
    if (isTreeNode(arg) && arg.kind === 'task' && arg.context?.clusterArn && arg.resource) target = { cluster: arg.context.clusterArn, task: arg.resource };
    if (!target) {
      const c = await s.clientsOrFail();
      const picked = await pickTask(c, t('Task to stop'));
      if (!picked) return undefined;
      target = { cluster: picked.clusterArn, task: picked.taskArn };
    }
    for (;;) {
      try {
        return await stop(s, target.cluster, target.task, STOP_REASON);
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
