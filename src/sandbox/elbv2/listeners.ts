/**
 * CreateListener, DescribeListeners, ModifyListener, DeleteListener. HTTP listeners forward to a
 * target group (or answer fixed responses / redirects); the proxy (runtime/alb-proxy.ts) serves them.
 */
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { actionOutput, readActions } from './actions';
import { fail, optEnum, optInt, optList, optStr, optStrList, optTags, page, reqStr } from './input';
import { findLoadBalancer } from './load-balancers';
import { arnKind, bump, elbArns, elbv2State, type Elbv2State, type Listener } from './model';

export function listenerOutput(l: Listener): Record<string, unknown> {
  return {
    ListenerArn: l.ListenerArn,
    LoadBalancerArn: l.LoadBalancerArn,
    Port: l.Port,
    Protocol: l.Protocol,
    DefaultActions: l.DefaultActions.map(actionOutput),
  };
}

export function findListener(s: Elbv2State, arn: string): Listener {
  if (arnKind(arn) !== 'listener') fail(`'${arn}' is not a valid listener ARN`);
  const l = s.listeners[arn];
  if (!l) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
  return l;
}

function readProtocol(input: any, required: boolean): 'HTTP' | 'HTTPS' | undefined {
  const protocol = optEnum(input.Protocol, 'Protocol', ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const);
  if (protocol === undefined) {
    if (required) fail("1 validation error detected: Value null at 'protocol' failed to satisfy constraint: Member must not be null");
    return undefined;
  }
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') fail(`Protocol '${protocol}' is not supported with load balancer type 'application'`, 'UnsupportedProtocol');
  if (protocol === 'HTTPS') {
    const certs = optList(input.Certificates, 'Certificates');
    if (!certs?.length) fail('A certificate must be specified for HTTPS listeners');
    const arn = optStr((certs![0] as any)?.CertificateArn, 'Certificates.1.CertificateArn') ?? '';
    fail(`Certificate '${arn}' not found`, 'CertificateNotFound');
  }
  return protocol;
}

const sameActions = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function createListener(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const lbArn = reqStr(input.LoadBalancerArn, 'LoadBalancerArn');
  const lb = findLoadBalancer(s, lbArn);
  const protocol = readProtocol(input, true)!;
  const port = optInt(input.Port, 'Port', 1, 65535);
  if (port === undefined) fail("1 validation error detected: Value null at 'port' failed to satisfy constraint: Member must not be null");
  const actions = readActions(s, input.DefaultActions, 'DefaultActions', lbArn);
  const tags = optTags(input.Tags) ?? [];
  const existing = Object.values(s.listeners).find((l) => l.LoadBalancerArn === lbArn && l.Port === port);
  if (existing) {
    if (existing.Protocol === protocol && sameActions(existing.DefaultActions, actions)) return { Listeners: [listenerOutput(existing)] };
    fail(`A listener already exists on this port for this load balancer '${lb.LoadBalancerArn}'`, 'DuplicateListener');
  }
  if (Object.values(s.listeners).filter((l) => l.LoadBalancerArn === lbArn).length >= 50) {
    fail('The maximum number of listeners for this load balancer (50) has been reached', 'TooManyListeners');
  }
  const arn = elbArns.listener(lbArn);
  const listener: Listener = { ListenerArn: arn, LoadBalancerArn: lbArn, Port: port!, Protocol: protocol, DefaultActions: actions, defaultRuleArn: elbArns.rule(arn) };
  s.listeners[arn] = listener;
  if (tags.length) s.tags[arn] = tags;
  bump(s);
  return { Listeners: [listenerOutput(listener)] };
}

function describeListeners(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const lbArn = optStr(input.LoadBalancerArn, 'LoadBalancerArn');
  const arns = optStrList(input.ListenerArns, 'ListenerArns');
  if (!lbArn && !arns?.length) fail('You must specify either listener ARNs or a load balancer ARN');
  if (lbArn && arns?.length) fail('Listener ARNs and a load balancer ARN cannot be specified at the same time');
  let listeners: Listener[];
  if (lbArn) {
    findLoadBalancer(s, lbArn);
    listeners = Object.values(s.listeners).filter((l) => l.LoadBalancerArn === lbArn);
  } else listeners = arns!.map((a) => findListener(s, a));
  const p = page(listeners, input);
  return { Listeners: p.items.map(listenerOutput), NextMarker: p.NextMarker };
}

function modifyListener(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const l = findListener(s, reqStr(input.ListenerArn, 'ListenerArn'));
  const port = optInt(input.Port, 'Port', 1, 65535);
  const protocol = readProtocol(input, false);
  const actions = input.DefaultActions === undefined ? undefined : readActions(s, input.DefaultActions, 'DefaultActions', l.LoadBalancerArn);
  if (port !== undefined && port !== l.Port && Object.values(s.listeners).some((o) => o.LoadBalancerArn === l.LoadBalancerArn && o.Port === port)) {
    fail(`A listener already exists on this port for this load balancer '${l.LoadBalancerArn}'`, 'DuplicateListener');
  }
  if (port !== undefined) l.Port = port;
  if (protocol !== undefined) l.Protocol = protocol;
  if (actions) l.DefaultActions = actions;
  bump(s);
  return { Listeners: [listenerOutput(l)] };
}

function deleteListener(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const l = findListener(s, reqStr(input.ListenerArn, 'ListenerArn'));
  for (const r of Object.values(s.rules)) {
    if (r.ListenerArn === l.ListenerArn) {
      delete s.rules[r.RuleArn];
      delete s.tags[r.RuleArn];
    }
  }
  delete s.listeners[l.ListenerArn];
  delete s.tags[l.ListenerArn];
  bump(s);
  return {};
}

export const listenerOperations = {
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DeleteListener: deleteListener,
};
