/**
 * CreateListener, DescribeListeners, ModifyListener, DeleteListener. HTTP listeners forward to a
 * target group (or answer fixed responses / redirects); the proxy (runtime/alb-proxy.ts) serves them.
 */
import type {
  CreateListenerCommandInput,
  DeleteListenerCommandInput,
  DescribeListenersCommandInput,
  ModifyListenerCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ELBV2, elbv2Fields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { actionOutput, readActions } from './actions';
import { findLoadBalancer } from './load-balancers';
import { arnKind, bump, elbArns, elbv2State, type Elbv2State, type Listener } from './model';
import { pageSize, readTags } from './request';

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
  if (arnKind(arn) !== 'listener') f.fail(`'${arn}' is not a valid listener ARN`);
  const l = s.listeners[arn];
  if (!l) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
  return l;
}

function readProtocol(input: Pick<ModifyListenerCommandInput, 'Protocol' | 'Certificates'>, required: boolean): 'HTTP' | 'HTTPS' | undefined {
  const protocol = f.oneOf(input.Protocol, 'Protocol', ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const, { required });
  if (protocol === undefined) return undefined;
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return f.fail(`Protocol '${protocol}' is not supported with load balancer type 'application'`, 'UnsupportedProtocol');
  if (protocol === 'HTTPS') {
    const certs = input.Certificates;
    if (!certs?.length) return f.fail('A certificate must be specified for HTTPS listeners');
    f.fail(`Certificate '${certs[0].CertificateArn ?? ''}' not found`, 'CertificateNotFound');
  }
  return protocol;
}

const sameActions = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const createListener: Operation<CreateListenerCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const lbArn = f.str(input.LoadBalancerArn, 'LoadBalancerArn', { required: true });
  const lb = findLoadBalancer(s, lbArn);
  const protocol = readProtocol(input, true)!;
  const port = f.int(input.Port, 'Port', { required: true, min: 1, max: 65535 });
  const actions = readActions(s, input.DefaultActions, 'DefaultActions', lbArn);
  const tags = readTags(input.Tags);
  const existing = Object.values(s.listeners).find((l) => l.LoadBalancerArn === lbArn && l.Port === port);
  if (existing) {
    if (existing.Protocol === protocol && sameActions(existing.DefaultActions, actions)) return { Listeners: [listenerOutput(existing)] };
    f.fail(`A listener already exists on this port for this load balancer '${lb.LoadBalancerArn}'`, 'DuplicateListener');
  }
  if (Object.values(s.listeners).filter((l) => l.LoadBalancerArn === lbArn).length >= 50) {
    f.fail('The maximum number of listeners for this load balancer (50) has been reached', 'TooManyListeners');
  }
  const arn = elbArns.listener(lbArn);
  const listener: Listener = { ListenerArn: arn, LoadBalancerArn: lbArn, Port: port, Protocol: protocol, DefaultActions: actions, defaultRuleArn: elbArns.rule(arn) };
  s.listeners[arn] = listener;
  if (tags.length) s.tags[arn] = tags;
  bump(s);
  return { Listeners: [listenerOutput(listener)] };
};

export const describeListeners: Operation<DescribeListenersCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const lbArn = input.LoadBalancerArn;
  const arns = input.ListenerArns;
  if (!lbArn && !arns?.length) f.fail('You must specify either listener ARNs or a load balancer ARN');
  if (lbArn && arns?.length) f.fail('Listener ARNs and a load balancer ARN cannot be specified at the same time');
  let listeners: Listener[];
  if (lbArn) {
    findLoadBalancer(s, lbArn);
    listeners = Object.values(s.listeners).filter((l) => l.LoadBalancerArn === lbArn);
  } else listeners = arns!.map((a) => findListener(s, a));
  const { page, next } = paginate(listeners, { op: 'DescribeListeners', size: pageSize(input.PageSize), token: input.Marker, key: (l) => l.ListenerArn }, ELBV2);
  return { Listeners: page.map(listenerOutput), NextMarker: next };
};

export const modifyListener: Operation<ModifyListenerCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const l = findListener(s, f.str(input.ListenerArn, 'ListenerArn', { required: true }));
  const port = f.int(input.Port, 'Port', { min: 1, max: 65535 });
  const protocol = readProtocol(input, false);
  const actions = input.DefaultActions === undefined ? undefined : readActions(s, input.DefaultActions, 'DefaultActions', l.LoadBalancerArn);
  if (port !== undefined && port !== l.Port && Object.values(s.listeners).some((o) => o.LoadBalancerArn === l.LoadBalancerArn && o.Port === port)) {
    f.fail(`A listener already exists on this port for this load balancer '${l.LoadBalancerArn}'`, 'DuplicateListener');
  }
  if (port !== undefined) l.Port = port;
  if (protocol !== undefined) l.Protocol = protocol;
  if (actions) l.DefaultActions = actions;
  bump(s);
  return { Listeners: [listenerOutput(l)] };
};

export const deleteListener: Operation<DeleteListenerCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const l = findListener(s, f.str(input.ListenerArn, 'ListenerArn', { required: true }));
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
};
