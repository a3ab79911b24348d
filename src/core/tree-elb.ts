/** Explorer nodes for load balancers, listeners, target groups and targets. */
import type { Listener, LoadBalancer, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbNameFromArn, escapeMarkdown } from './format';
import { defaultTranslate, type Translate } from './l10n';
import { COLOR, childId, markdownTable, type NodeContext, type TreeNode } from './tree-types';

/** The URL to open for a load balancer's listener (`http://dns:port/`). */
export function loadBalancerUrl(lb: LoadBalancer, listener?: Pick<Listener, 'Port' | 'Protocol'>): string | undefined {
  if (!lb.DNSName) return undefined;
  const protocol = listener?.Protocol === 'HTTPS' ? 'https' : 'http';
  const port = listener?.Port;
  const defaultPort = protocol === 'https' ? 443 : 80;
  return `${protocol}://${lb.DNSName}${port && port !== defaultPort ? `:${port}` : ''}/`;
}

export function loadBalancerNode(lb: LoadBalancer, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const arn = lb.LoadBalancerArn ?? '';
  const state = lb.State?.Code ?? 'unknown';
  const color = state === 'active' ? COLOR.healthy : state === 'provisioning' ? COLOR.progress : COLOR.error;
  return {
    id: childId(ctx.parentId, 'loadBalancer', arn),
    kind: 'loadBalancer',
    label: lb.LoadBalancerName ?? elbNameFromArn(arn),
    description: `${state} · ${lb.DNSName ?? ''}`,
    tooltip: markdownTable(escapeMarkdown(lb.LoadBalancerName ?? ''), [
      [t('State'), state + (lb.State?.Reason ? ` (${escapeMarkdown(lb.State.Reason)})` : '')],
      [t('DNS name'), lb.DNSName ? `\`${lb.DNSName}\`` : undefined],
      [t('Type / scheme'), `${lb.Type ?? ''} / ${lb.Scheme ?? ''}`],
      [t('Availability Zones'), (lb.AvailabilityZones ?? []).map((z) => z.ZoneName).join(', ')],
      [t('VPC'), lb.VpcId],
    ]),
    icon: 'globe',
    color,
    contextValue: `ecsHandson.loadBalancer.${state}`,
    collapsible: 'collapsed',
    children: { type: 'listeners', loadBalancerArn: arn },
    resource: arn,
    context: { loadBalancerArn: arn, dnsName: lb.DNSName ?? '', url: loadBalancerUrl(lb) ?? '' },
  };
}

/** Listener: "HTTP:80 → demo-tg" (forward), or the action type. */
export function listenerNode(listener: Listener, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const arn = listener.ListenerArn ?? '';
  const actions = [...(listener.DefaultActions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  const forward = actions.find((a) => a.Type === 'forward');
  const tgArns = forward
    ? forward.TargetGroupArn
      ? [forward.TargetGroupArn]
      : (forward.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn ?? '').filter(Boolean)
    : [];
  const target = tgArns.length
    ? tgArns.map(elbNameFromArn).join(', ')
    : actions[0]?.Type === 'fixed-response'
      ? t('fixed response {0}', actions[0].FixedResponseConfig?.StatusCode ?? '')
      : actions[0]?.Type ?? '';
  const label = `${listener.Protocol ?? ''}:${listener.Port ?? ''}`;
  return {
    id: childId(ctx.parentId, 'listener', arn),
    kind: 'listener',
    label,
    description: `→ ${target}`,
    tooltip: markdownTable(escapeMarkdown(label), [[t('Default action'), escapeMarkdown(`${actions[0]?.Type ?? ''} → ${target}`)]]),
    icon: 'plug',
    contextValue: 'ecsHandson.listener',
    collapsible: tgArns.length === 1 ? 'collapsed' : 'none',
    children: tgArns.length === 1 ? { type: 'targetGroup', targetGroupArn: tgArns[0] } : undefined,
    resource: arn,
    context: { listenerArn: arn, targetGroupArns: tgArns.join(',') },
  };
}

/** Counts of target health states. */
export function summarizeTargetHealth(health: TargetHealthDescription[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of health) {
    const s = h.TargetHealth?.State ?? 'unknown';
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return counts;
}

/** Target group: "HTTP:80 · 2 healthy, 1 unhealthy" when health is known. */
export function targetGroupNode(
  tg: TargetGroup,
  ctx: NodeContext & { health?: TargetHealthDescription[] } = {},
  t: Translate = defaultTranslate,
): TreeNode {
  const arn = tg.TargetGroupArn ?? '';
  const counts = ctx.health ? summarizeTargetHealth(ctx.health) : undefined;
  const healthText = counts
    ? Object.keys(counts).length === 0
      ? t('no targets')
      : Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')
    : undefined;
  const total = ctx.health?.length ?? 0;
  const color =
    !counts ? undefined
    : total === 0 ? COLOR.progress
    : (counts.unhealthy ?? 0) > 0 ? COLOR.error
    : counts.healthy === total ? COLOR.healthy
    : COLOR.progress;
  const hc = `${tg.HealthCheckProtocol ?? ''} ${tg.HealthCheckPath ?? ''} (${tg.HealthCheckIntervalSeconds ?? '?'}s, ${tg.HealthyThresholdCount ?? '?'}/${tg.UnhealthyThresholdCount ?? '?'})`;
  return {
    id: childId(ctx.parentId, 'targetGroup', arn),
    kind: 'targetGroup',
    label: tg.TargetGroupName ?? elbNameFromArn(arn),
    description: [`${tg.Protocol ?? ''}:${tg.Port ?? ''}`, healthText].filter(Boolean).join(' · '),
    tooltip: markdownTable(escapeMarkdown(tg.TargetGroupName ?? ''), [
      [t('Protocol / port'), `${tg.Protocol ?? ''} / ${tg.Port ?? ''}`],
      [t('Target type'), tg.TargetType],
      [t('Health check'), escapeMarkdown(hc)],
      [t('Matcher'), tg.Matcher?.HttpCode],
      [t('Targets'), healthText],
    ]),
    icon: 'target',
    color,
    contextValue: 'ecsHandson.targetGroup',
    collapsible: 'collapsed',
    children: { type: 'targets', targetGroupArn: arn },
    resource: arn,
    context: { targetGroupArn: arn },
  };
}

/** Target: "i-0abc:32768" with its health state and reason. */
export function targetNode(h: TargetHealthDescription, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const id = `${h.Target?.Id ?? ''}:${h.Target?.Port ?? ''}`;
  const state = h.TargetHealth?.State ?? 'unknown';
  const reason = h.TargetHealth?.Reason;
  const color =
    state === 'healthy' ? COLOR.healthy
    : state === 'unhealthy' ? COLOR.error
    : state === 'initial' || state === 'draining' ? COLOR.progress
    : COLOR.inactive;
  return {
    id: childId(ctx.parentId, 'target', id),
    kind: 'target',
    label: id,
    description: [state, reason].filter(Boolean).join(' · '),
    tooltip: markdownTable(escapeMarkdown(id), [
      [t('State'), state],
      [t('Reason'), reason],
      [t('Description'), h.TargetHealth?.Description ? escapeMarkdown(h.TargetHealth.Description) : undefined],
      [t('Availability Zone'), h.Target?.AvailabilityZone],
    ]),
    icon: state === 'healthy' ? 'pass-filled' : state === 'unhealthy' ? 'error' : 'circle-large-outline',
    color,
    contextValue: `ecsHandson.target.${state}`,
    collapsible: 'none',
    resource: h.Target?.Id,
  };
}
