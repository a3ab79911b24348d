/**
 * `ecsHandson.loadBalancer.open`: open the load balancer's endpoint + `/app/` in the browser.
 * On the sandbox the listener's real local URL when the admin API lists it; otherwise
 * `http://<DNSName>:<port>/` as AWS shows it.
 *
 * Arguments (`OpenLoadBalancerArgs`): { loadBalancer: string (ARN), path?: string (default "/app/"),
 * open?: boolean (default true) }. From a listener row, its load balancer.
 * Returns { url, opened } or `{ error, code }`.
 */
import type { OpenLoadBalancerArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { loadBalancerArnOfListener } from '../../../core/format';
import { t } from '../../l10n';
import type { UiContext } from '../../ui-context';
import { defineCommand } from '../command';
import { pickLoadBalancer } from '../pickers';
import { checkPath, joinPath } from './open-task';
import { loadBalancerUrl, openInBrowser } from './urls';

async function open(s: UiContext, arn: string, path: string, doOpen: boolean) {
  const c = await s.clientsOrFail();
  const found = await loadBalancerUrl(s, c, arn);
  if (!found) throw new CommandError(t('The load balancer has no DNS name yet.'), 'NotFound');
  if (!found.exact) s.log.warn(`loadBalancer.open: the sandbox lists no real listener URL; using ${found.url}`);
  const url = joinPath(found.url, path);
  if (!doOpen) return { url, opened: false };
  // The sandbox's *.localhost name opens as its 127.0.0.1 address (the same listener), through
  // code-server's proxy when the editor runs in a browser.
  return { url, ...(await openInBrowser(joinPath(found.localUrl ?? found.url, path))) };
}

export const openLoadBalancer = defineCommand({
  id: 'ecsHandson.loadBalancer.open',
  title: () => t('Open load balancer'),
  args: (r): Required<OpenLoadBalancerArgs> => {
    const lb = r.string('loadBalancer');
    if (!lb || !lb.startsWith('arn:')) return r.fail(t('"loadBalancer" is required (a load balancer ARN).'), 'loadBalancer');
    return { loadBalancer: lb, path: checkPath(r.string('path')), open: r.bool('open') ?? true };
  },
  row: (node): Required<OpenLoadBalancerArgs> | undefined => {
    const arn = node.kind === 'listener' && node.resource ? loadBalancerArnOfListener(node.resource) : node.resource;
    return arn ? { loadBalancer: arn, path: '/app/', open: true } : undefined;
  },
  palette: async (ctx): Promise<Required<OpenLoadBalancerArgs> | undefined> => {
    const picked = await pickLoadBalancer(await ctx.clients(), t('Load balancer to open'));
    return picked && { loadBalancer: picked.arn, path: '/app/', open: true };
  },
  run: (ctx, d) => open(ctx.services, d.loadBalancer, d.path, d.open),
});
