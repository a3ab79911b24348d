/**
 * `ecsHandson.loadBalancer.open`: open the load balancer's endpoint + `/app/` in the browser.
 * On the sandbox the listener's real local URL when the admin API lists it; otherwise
 * `http://<DNSName>:<port>/` as AWS shows it.
 *
 * Arguments (non-interactive): { loadBalancer: string (ARN), path?: string (default "/app/"),
 * open?: boolean (default true) }. From a listener node, its load balancer.
 * Returns { url, opened } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, boolArg, checkArgs, clientsOr, invalid, isFailure, isTreeNode, pickLoadBalancer, refused, stringArg, t } from './common';
import { checkPath, joinPath } from './open-task';
import { loadBalancerUrl } from './urls';

export interface OpenLoadBalancerArgs {
  loadBalancer: string;
  path?: string;
  open?: boolean;
}

async function open(s: Services, arn: string, path: string, doOpen: boolean) {
  const c = await s.clientsOrFail();
  const found = await loadBalancerUrl(s, c, arn);
  if (!found) return invalid(t('The load balancer has no DNS name yet.'));
  if (!found.exact) s.log.warn(`loadBalancer.open: the sandbox lists no real listener URL; using ${found.url}`);
  const url = joinPath(found.url, path);
  const opened = doOpen ? await vscode.env.openExternal(vscode.Uri.parse(url)) : false;
  return { url, opened };
}

export const openLoadBalancer: Command = {
  id: 'ecsHandson.loadBalancer.open',
  run: async (s, arg) => {
    const action = t('Open load balancer');
    const a = argObject<OpenLoadBalancerArgs>(arg);
    if (a) {
      const args = checkArgs(() => {
        const lb = stringArg(a.loadBalancer, 'loadBalancer');
        if (!lb || !lb.startsWith('arn:')) throw new ArgumentError(t('"loadBalancer" is required (a load balancer ARN).'));
        return { lb, path: checkPath(stringArg(a.path, 'path')), open: boolArg(a.open, 'open') ?? true };
      });
      if (isFailure(args)) return args;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        return await open(s, args.lb, args.path, args.open);
      } catch (e) {
        return refused(s, e, action);
      }
    }
    let arn: string | undefined;
    if (isTreeNode(arg)) {
      if (arg.kind === 'loadBalancer') arn = arg.resource;
      else if (arg.kind === 'listener' && arg.resource) arn = arg.resource.replace(':listener/', ':loadbalancer/').split('/').slice(0, 4).join('/');
    }
    try {
      if (!arn) {
        const c = await s.clientsOrFail();
        arn = (await pickLoadBalancer(c, t('Load balancer to open')))?.arn;
        if (!arn) return undefined;
      }
      return await open(s, arn, '/app/', true);
    } catch (e) {
      return refused(s, e, action);
    }
  },
};
