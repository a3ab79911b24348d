/**
 * `ecsHandson.task.open`: open a running task's page (`/app/`) in the browser. On the sandbox the
 * task's real local URL (admin API `/_sandbox/tasks`); on AWS the public DNS name of its instance
 * and its host port, when known.
 *
 * Arguments (non-interactive): { cluster: string, task: string, path?: string (default "/app/"),
 * open?: boolean (default true; false only returns the URL) }.
 * Returns { url, opened } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import { idFromArn } from '../../../core/format';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, boolArg, checkArgs, clientsOr, invalid, isFailure, isTreeNode, pickTask, refused, stringArg, t } from './common';
import { taskUrl } from './urls';

export interface OpenTaskArgs {
  cluster: string;
  task: string;
  path?: string;
  open?: boolean;
}

export function joinPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function checkPath(p: string | undefined): string {
  const path = p ?? '/app/';
  if (!path.startsWith('/') || /\s/.test(path) || path.length > 1024) throw new ArgumentError(t('"path" must start with "/" and contain no spaces, got {0}.', JSON.stringify(path)));
  return path;
}

async function open(s: Services, cluster: string, task: string, path: string, doOpen: boolean) {
  const c = await s.clientsOrFail();
  const base = await taskUrl(s, c, cluster, task);
  if (!base) {
    return invalid(
      s.connections.sandboxEndpoint
        ? t('Task {0} is not running (or has no port mapping), so it has no URL.', idFromArn(task).slice(0, 8))
        : t('No public address is known for task {0}: its instance has no public DNS name or the task has no host port.', idFromArn(task).slice(0, 8)),
    );
  }
  const url = joinPath(base, path);
  const opened = doOpen ? await vscode.env.openExternal(vscode.Uri.parse(url)) : false;
  return { url, opened };
}

export const openTask: Command = {
  id: 'ecsHandson.task.open',
  run: async (s, arg) => {
    const action = t('Open task');
    const a = argObject<OpenTaskArgs>(arg);
    if (a) {
      const args = checkArgs(() => {
        const cluster = stringArg(a.cluster, 'cluster');
        const task = stringArg(a.task, 'task');
        if (!cluster) throw new ArgumentError(t('"cluster" is required (a cluster name or ARN).'));
        if (!task) throw new ArgumentError(t('"task" is required (a task ARN or id).'));
        return { cluster, task, path: checkPath(stringArg(a.path, 'path')), open: boolArg(a.open, 'open') ?? true };
      });
      if (isFailure(args)) return args;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        return await open(s, args.cluster, args.task, args.path, args.open);
      } catch (e) {
        return refused(s, e, action);
      }
    }
    let target: { cluster: string; task: string } | undefined;
    if (isTreeNode(arg) && arg.kind === 'task' && arg.context?.clusterArn && arg.resource) target = { cluster: arg.context.clusterArn, task: arg.resource };
    if (!target) {
      const c = await s.clientsOrFail();
      const picked = await pickTask(c, t('Task to open'));
      if (!picked) return undefined;
      target = { cluster: picked.clusterArn, task: picked.taskArn };
    }
    try {
      return await open(s, target.cluster, target.task, '/app/', true);
    } catch (e) {
      return refused(s, e, action);
    }
  },
};
