/**
 * `ecsHandson.task.open`: open a running task's page (`/app/`) in the browser. On the sandbox the
 * task's real local URL (admin API `/_sandbox/tasks`); on AWS the public DNS name of its instance
 * and its host port, when known.
 *
 * Arguments (`OpenTaskArgs`): { cluster: string, task: string, path?: string (default "/app/"),
 * open?: boolean (default true; false only returns the URL) }.
 * Returns { url, opened } or `{ error, code }`.
 */
import type { OpenTaskArgs } from '../../../core/commands/contract';
import { ArgumentError, CommandError } from '../../../core/commands/failure';
import { idFromArn } from '../../../core/format';
import { t } from '../../l10n';
import type { UiContext } from '../../ui-context';
import { defineCommand } from '../command';
import { pickTask } from '../pickers';
import { openInBrowser, taskUrl } from './urls';

export function joinPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function checkPath(p: string | undefined): string {
  const path = p ?? '/app/';
  if (!path.startsWith('/') || /\s/.test(path) || path.length > 1024) throw new ArgumentError(t('"path" must start with "/" and contain no spaces, got {0}.', JSON.stringify(path)), 'path');
  return path;
}

async function open(s: UiContext, cluster: string, task: string, path: string, doOpen: boolean) {
  const c = await s.clientsOrFail();
  const base = await taskUrl(s, c, cluster, task);
  if (!base) {
    throw new CommandError(
      s.connections.sandboxEndpoint
        ? t('Task {0} is not running (or has no port mapping), so it has no URL.', idFromArn(task).slice(0, 8))
        : t('Task {0} has no address to open on {1}: task URLs are the sandbox\'s; on AWS a task answers at its instance\'s public DNS name and host port, and its instance has none (or the task has no host port). Open the load balancer\'s URL instead.', idFromArn(task).slice(0, 8), s.connections.state.status === 'ready' ? s.connections.state.label : s.connections.settings.kind),
      'NotFound',
    );
  }
  const url = joinPath(base, path);
  if (!doOpen) return { url, opened: false };
  return { url, ...(await openInBrowser(url)) };
}

export const openTask = defineCommand({
  id: 'ecsHandson.task.open',
  title: () => t('Open task'),
  args: (r): Required<OpenTaskArgs> => ({
    cluster: r.required('cluster', t('"cluster" is required (a cluster name or ARN).')),
    task: r.required('task', t('"task" is required (a task ARN or id).')),
    path: checkPath(r.string('path')),
    open: r.bool('open') ?? true,
  }),
  row: (node): Required<OpenTaskArgs> | undefined => (node.context?.clusterArn && node.resource ? { cluster: node.context.clusterArn, task: node.resource, path: '/app/', open: true } : undefined),
  palette: async (ctx): Promise<Required<OpenTaskArgs> | undefined> => {
    const picked = await pickTask(await ctx.clients(), t('Task to open'));
    return picked && { cluster: picked.clusterArn, task: picked.taskArn, path: '/app/', open: true };
  },
  run: (ctx, d) => open(ctx.services, d.cluster, d.task, d.path, d.open),
});
