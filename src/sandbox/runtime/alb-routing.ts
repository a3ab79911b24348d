/**
 * ALB routing, compiled from the ELBv2 state once per state version: a listener's rules in priority
 * order (path-pattern with `*` / `?` wildcards, host-header, http-request-method), then its default
 * action; target selection round-robin over healthy targets, failing open to every registered
 * non-draining target when none is healthy. Pure except for the round-robin counters.
 */
import type { Action, Elbv2State, Listener, RegisteredTarget, RuleCondition, TargetGroup } from '../elbv2/model';
import { rulesOf } from '../elbv2/rules';
import type { RegionState, SecurityGroup } from '../engine/state';

export interface CompiledRule {
  match: (path: string, host: string, method: string) => boolean;
  action: Action;
}

export interface CompiledListener {
  version: number;
  rules: CompiledRule[];
  defaultAction: Action;
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * ALB wildcard match: `*` = any run of characters (also none), `?` = exactly one character,
 * everything else literal. The classic iterative matcher that remembers only the last `*`: at most
 * O(pattern × text) steps whatever the input. (A regular expression built from the pattern
 * backtracks polynomially in the number of `*`: three of them against a path of a few thousand
 * slashes froze the event loop for minutes.)
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // position in the pattern just after the last `*` seen
  let mark = 0; // position in the text that `*` is currently extended to
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c !== STAR && (c === QUESTION || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === STAR) {
      star = ++p;
      mark = t;
    } else if (star >= 0) {
      p = star;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

/** Path patterns are case-sensitive, host patterns are not (as on AWS). */
function compileCondition(c: RuleCondition): (path: string, host: string, method: string) => boolean {
  if (c.Field === 'path-pattern') {
    const patterns = [...c.Values];
    return (path) => patterns.some((p) => wildcardMatch(p, path));
  }
  if (c.Field === 'host-header') {
    const patterns = c.Values.map((v) => v.toLowerCase());
    return (_p, host) => {
      const h = host.toLowerCase();
      return patterns.some((p) => wildcardMatch(p, h));
    };
  }
  const methods = new Set(c.Values.map((v) => v.toUpperCase()));
  return (_p, _h, method) => methods.has(method);
}

const terminal = (actions: Action[]): Action =>
  actions.find((a) => a.Type === 'forward' || a.Type === 'fixed-response' || a.Type === 'redirect') ?? actions[0];

export function compileListener(s: Elbv2State, l: Listener): CompiledListener {
  const rules = rulesOf(s, l.ListenerArn).map((r) => {
    const conds = r.Conditions.map(compileCondition);
    return { match: (p: string, h: string, m: string) => conds.every((c) => c(p, h, m)), action: terminal(r.Actions) };
  });
  return { version: s.version, rules, defaultAction: terminal(l.DefaultActions) };
}

/** The action for a request: the first matching rule's, else the default. */
export function routeAction(c: CompiledListener, url: string, hostHeader: string | undefined, method: string): Action {
  if (c.rules.length === 0) return c.defaultAction;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const host = (hostHeader ?? '').replace(/:\d+$/, '');
  for (const r of c.rules) if (r.match(path, host, method)) return r.action;
  return c.defaultAction;
}

/** The target group a forward action sends this request to (weighted when there are several). */
export function pickTargetGroup(a: Action): string | undefined {
  const tgs = a.ForwardConfig?.TargetGroups;
  if (!tgs || tgs.length <= 1) return a.TargetGroupArn ?? tgs?.[0]?.TargetGroupArn;
  const total = tgs.reduce((n, t) => n + (t.Weight ?? 1), 0);
  if (total <= 0) return undefined;
  let x = Math.random() * total;
  for (const t of tgs) {
    x -= t.Weight ?? 1;
    if (x < 0) return t.TargetGroupArn;
  }
  return tgs[tgs.length - 1].TargetGroupArn;
}

export interface TargetPool {
  version: number;
  /** Healthy targets, or — failing open — every registered non-draining target when none is healthy. */
  targets: RegisteredTarget[];
  next: number;
}

export function targetPool(s: Elbv2State, tg: TargetGroup): TargetPool {
  const candidates = Object.values(tg.targets).filter((t) => t.State !== 'draining' && t.State !== 'unused');
  const healthy = candidates.filter((t) => t.State === 'healthy');
  return { version: s.version, targets: healthy.length ? healthy : candidates, next: 0 };
}

/** Round robin; undefined when the pool is empty (-> 503). */
export function nextTarget(pool: TargetPool): RegisteredTarget | undefined {
  const n = pool.targets.length;
  if (n === 0) return undefined;
  const t = pool.targets[pool.next % n];
  pool.next = (pool.next + 1) % n;
  return t;
}

const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}\/\d{1,2}$/;

function allowsPort(sg: SecurityGroup, port: number): boolean {
  return sg.ipPermissions.some((p) => {
    const proto = p.ipProtocol;
    if (proto !== '-1' && proto !== 'tcp' && proto !== '6') return false;
    if (proto !== '-1' && !((p.fromPort ?? 0) <= port && port <= (p.toPort ?? 65535))) return false;
    return p.ipRanges.some((r) => IPV4_CIDR.test(r.cidrIp));
  });
}

/** Whether one of the load balancer's security groups lets clients reach `port` (tcp or all traffic, from an IPv4 CIDR). */
export function securityGroupsAllow(rs: RegionState, groupIds: string[], port: number): boolean {
  return groupIds.some((g) => {
    const sg = rs.ec2.securityGroups[g];
    return !!sg && allowsPort(sg, port);
  });
}
