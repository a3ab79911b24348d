/**
 * CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the target
 * group attributes, with AWS's health check defaults and ranges.
 */
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { checkName, fail, optBool, optEnum, optInt, optList, optObj, optStr, optStrList, optTags, page, reqStr } from './input';
import { findLoadBalancer } from './load-balancers';
import {
  arnKind,
  bump,
  elbArns,
  elbv2State,
  loadBalancersOfTargetGroup,
  type Elbv2State,
  type HealthCheckSettings,
  type TargetGroup,
} from './model';

export const TG_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'slow_start.duration_seconds': '0',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

export const HEALTH_CHECK_DEFAULTS: HealthCheckSettings = {
  HealthCheckProtocol: 'HTTP',
  HealthCheckPort: 'traffic-port',
  HealthCheckEnabled: true,
  HealthCheckIntervalSeconds: 30,
  HealthCheckTimeoutSeconds: 5,
  HealthyThresholdCount: 5,
  UnhealthyThresholdCount: 2,
  HealthCheckPath: '/',
  Matcher: { HttpCode: '200' },
};

/** Parses a matcher (`200`, `200,302`, `200-299`) into a predicate; throws ValidationError when malformed. */
export function parseMatcher(code: string): (status: number) => boolean {
  const parts = code.split(',').map((p) => p.trim());
  const ranges: [number, number][] = [];
  for (const p of parts) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(p);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m?.[2] ? Number(m[2]) : lo;
    if (!m || lo < 200 || hi > 499 || lo > hi) {
      fail(`Invalid HTTP code '${code}'. Specify values between 200 and 499 as a single value (200), a list (200,202) or a range (200-299)`);
    }
    ranges.push([lo, hi]);
  }
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** Reads and range-checks the health check members of CreateTargetGroup / ModifyTargetGroup over `base`. */
function healthCheckInput(input: any, base: HealthCheckSettings): HealthCheckSettings {
  const hc: HealthCheckSettings = { ...base, Matcher: { ...base.Matcher } };
  hc.HealthCheckProtocol = optEnum(input.HealthCheckProtocol, 'HealthCheckProtocol', ['HTTP', 'HTTPS'] as const) ?? hc.HealthCheckProtocol;
  const port = optStr(input.HealthCheckPort, 'HealthCheckPort');
  if (port !== undefined) {
    if (port !== 'traffic-port' && !(/^\d+$/.test(port) && +port >= 1 && +port <= 65535)) {
      fail(`Health check port '${port}' must be 'traffic-port' or an integer between 1 and 65535`);
    }
    hc.HealthCheckPort = port;
  }
  const enabled = optBool(input.HealthCheckEnabled, 'HealthCheckEnabled');
  if (enabled === false) fail('Health check enabled must be true for target groups with target type \'instance\' or \'ip\'');
  hc.HealthCheckIntervalSeconds = optInt(input.HealthCheckIntervalSeconds, 'HealthCheckIntervalSeconds', 5, 300) ?? hc.HealthCheckIntervalSeconds;
  hc.HealthCheckTimeoutSeconds = optInt(input.HealthCheckTimeoutSeconds, 'HealthCheckTimeoutSeconds', 2, 120) ?? hc.HealthCheckTimeoutSeconds;
  hc.HealthyThresholdCount = optInt(input.HealthyThresholdCount, 'HealthyThresholdCount', 2, 10) ?? hc.HealthyThresholdCount;
  hc.UnhealthyThresholdCount = optInt(input.UnhealthyThresholdCount, 'UnhealthyThresholdCount', 2, 10) ?? hc.UnhealthyThresholdCount;
  const path = optStr(input.HealthCheckPath, 'HealthCheckPath');
  if (path !== undefined) {
    if (!path.startsWith('/') || path.length > 1024) fail(`Health check path '${path}' must begin with a '/' character and can be at most 1024 characters long`);
    hc.HealthCheckPath = path;
  }
  const matcher = optObj(input.Matcher, 'Matcher');
  if (matcher) {
    if (matcher.GrpcCode !== undefined) fail('A gRPC matcher can only be used with target groups whose protocol version is GRPC');
    const code = reqStr(matcher.HttpCode, 'Matcher.HttpCode');
    parseMatcher(code);
    hc.Matcher = { HttpCode: code };
  }
  if (hc.HealthCheckTimeoutSeconds >= hc.HealthCheckIntervalSeconds) fail('Health check interval must be greater than the timeout.');
  return hc;
}

export function tgOutput(s: Elbv2State, tg: TargetGroup): Record<string, unknown> {
  return {
    TargetGroupArn: tg.TargetGroupArn,
    TargetGroupName: tg.TargetGroupName,
    Protocol: tg.Protocol,
    Port: tg.Port,
    VpcId: tg.VpcId,
    HealthCheckProtocol: tg.HealthCheckProtocol,
    HealthCheckPort: tg.HealthCheckPort,
    HealthCheckEnabled: tg.HealthCheckEnabled,
    HealthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds,
    HealthyThresholdCount: tg.HealthyThresholdCount,
    UnhealthyThresholdCount: tg.UnhealthyThresholdCount,
    HealthCheckPath: tg.HealthCheckPath,
    Matcher: tg.Matcher,
    LoadBalancerArns: loadBalancersOfTargetGroup(s, tg.TargetGroupArn),
    TargetType: tg.TargetType,
    ProtocolVersion: tg.ProtocolVersion,
    IpAddressType: tg.IpAddressType,
  };
}

export function findTargetGroup(s: Elbv2State, arn: string): TargetGroup {
  if (arnKind(arn) !== 'targetgroup') fail(`'${arn}' is not a valid target group ARN`);
  const tg = s.targetGroups[arn];
  if (!tg) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found');
  return tg;
}

function createTargetGroup(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const name = reqStr(input.Name, 'Name');
  checkName(name, 'Target group');
  const targetType = optEnum(input.TargetType, 'TargetType', ['instance', 'ip', 'lambda', 'alb'] as const) ?? 'instance';
  if (targetType === 'lambda' || targetType === 'alb') fail(`Target type '${targetType}' is not supported by the sandbox`, 'InvalidConfigurationRequest');
  const protocol = optEnum(input.Protocol, 'Protocol', ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const);
  if (protocol === undefined) fail(`A protocol must be specified for target groups with target type '${targetType}'`);
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') fail(`Protocol '${protocol}' is not supported for target groups of Application Load Balancers in the sandbox`, 'UnsupportedProtocol');
  const port = optInt(input.Port, 'Port', 1, 65535);
  if (port === undefined) fail(`A port must be specified for target groups with target type '${targetType}'`);
  const vpcId = optStr(input.VpcId, 'VpcId');
  if (!vpcId) fail(`A VPC ID must be specified for target groups with target type '${targetType}'`);
  if (!ctx.state.ec2.vpcs[vpcId!]) fail(`The VPC ID '${vpcId}' is not found`);
  const protocolVersion = optEnum(input.ProtocolVersion, 'ProtocolVersion', ['HTTP1', 'HTTP2', 'GRPC'] as const) ?? 'HTTP1';
  const ipAddressType = optEnum(input.IpAddressType, 'IpAddressType', ['ipv4', 'ipv6'] as const) ?? 'ipv4';
  const hc = healthCheckInput(input, HEALTH_CHECK_DEFAULTS);
  const tags = optTags(input.Tags) ?? [];

  const existing = Object.values(s.targetGroups).find((t) => t.TargetGroupName === name);
  if (existing) {
    const same =
      existing.Protocol === protocol &&
      existing.Port === port &&
      existing.VpcId === vpcId &&
      existing.TargetType === targetType &&
      JSON.stringify(healthOf(existing)) === JSON.stringify(hc);
    if (!same) fail(`A target group with the same name '${name}' exists, but with different settings`, 'DuplicateTargetGroupName');
    return { TargetGroups: [tgOutput(s, existing)] };
  }
  const arn = elbArns.targetGroup(ctx.region, ctx.accountId, name);
  const tg: TargetGroup = {
    TargetGroupArn: arn,
    TargetGroupName: name,
    Protocol: protocol!,
    ProtocolVersion: protocolVersion,
    Port: port!,
    VpcId: vpcId!,
    TargetType: targetType,
    IpAddressType: ipAddressType,
    ...hc,
    attributes: { ...TG_ATTRIBUTE_DEFAULTS },
    targets: {},
    CreatedTime: ctx.now,
  };
  s.targetGroups[arn] = tg;
  if (tags.length) s.tags[arn] = tags;
  bump(s);
  return { TargetGroups: [tgOutput(s, tg)] };
}

function healthOf(tg: TargetGroup): HealthCheckSettings {
  const h = {} as Record<string, unknown>;
  for (const k of Object.keys(HEALTH_CHECK_DEFAULTS)) h[k] = (tg as unknown as Record<string, unknown>)[k];
  return h as unknown as HealthCheckSettings;
}

function describeTargetGroups(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const arns = optStrList(input.TargetGroupArns, 'TargetGroupArns');
  const names = optStrList(input.Names, 'Names');
  const lbArn = optStr(input.LoadBalancerArn, 'LoadBalancerArn');
  if ([arns?.length, names?.length, lbArn].filter(Boolean).length > 1) {
    fail('Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time');
  }
  let tgs = Object.values(s.targetGroups);
  if (arns?.length) tgs = arns.map((a) => findTargetGroup(s, a));
  else if (names?.length) {
    tgs = names.map((n) => {
      const tg = tgs.find((t) => t.TargetGroupName === n);
      if (!tg) throw new AwsError('TargetGroupNotFound', `Target groups '[${n}]' not found`);
      return tg;
    });
  } else if (lbArn) {
    findLoadBalancer(s, lbArn);
    tgs = tgs.filter((t) => loadBalancersOfTargetGroup(s, t.TargetGroupArn).includes(lbArn));
  }
  const p = page(tgs, input);
  return { TargetGroups: p.items.map((t) => tgOutput(s, t)), NextMarker: p.NextMarker };
}

function modifyTargetGroup(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const tg = findTargetGroup(s, reqStr(input.TargetGroupArn, 'TargetGroupArn'));
  const hc = healthCheckInput(input, healthOf(tg));
  Object.assign(tg, hc);
  // A shorter interval applies from the next check on: pull forward checks scheduled further out.
  for (const t of Object.values(tg.targets)) {
    t.nextCheckAt = Math.min(t.nextCheckAt, ctx.now + hc.HealthCheckIntervalSeconds * 1000);
  }
  bump(s);
  return { TargetGroups: [tgOutput(s, tg)] };
}

function deleteTargetGroup(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const arn = reqStr(input.TargetGroupArn, 'TargetGroupArn');
  if (arnKind(arn) !== 'targetgroup') fail(`'${arn}' is not a valid target group ARN`);
  if (!s.targetGroups[arn]) return {};
  if (loadBalancersOfTargetGroup(s, arn).length > 0) {
    fail(`Target group '${arn}' is currently in use by a listener or a rule`, 'ResourceInUse');
  }
  delete s.targetGroups[arn];
  delete s.tags[arn];
  bump(s);
  return {};
}

const attrList = (a: Record<string, string>) => Object.entries(a).map(([Key, Value]) => ({ Key, Value }));

function checkTgAttribute(key: string, value: string): void {
  const bad = (why: string) => fail(`Target group attribute '${key}' ${why}`, 'InvalidConfigurationRequest');
  const int = (lo: number, hi: number) => (/^\d+$/.test(value) && +value >= lo && +value <= hi) || bad(`must be an integer between ${lo} and ${hi}`);
  if (!(key in TG_ATTRIBUTE_DEFAULTS)) fail(`Target group attribute key '${key}' is not recognized`, 'InvalidConfigurationRequest');
  if (key === 'deregistration_delay.timeout_seconds') int(0, 3600);
  else if (key === 'stickiness.enabled' && value !== 'true' && value !== 'false') bad("must be 'true' or 'false'");
  else if (key === 'stickiness.type' && value !== 'lb_cookie' && value !== 'app_cookie') bad("must be 'lb_cookie' or 'app_cookie'");
  else if (key.startsWith('stickiness.') && key.endsWith('duration_seconds')) int(1, 604800);
  else if (key === 'slow_start.duration_seconds' && value !== '0') int(30, 900);
  else if (key === 'load_balancing.algorithm.type' && !['round_robin', 'least_outstanding_requests', 'weighted_random'].includes(value)) {
    bad("must be 'round_robin', 'least_outstanding_requests' or 'weighted_random'");
  }
}

function describeTargetGroupAttributes(ctx: RequestContext, input: any) {
  const tg = findTargetGroup(elbv2State(ctx.state), reqStr(input.TargetGroupArn, 'TargetGroupArn'));
  return { Attributes: attrList(tg.attributes) };
}

function modifyTargetGroupAttributes(ctx: RequestContext, input: any) {
  const s = elbv2State(ctx.state);
  const tg = findTargetGroup(s, reqStr(input.TargetGroupArn, 'TargetGroupArn'));
  const list = optList(input.Attributes, 'Attributes') ?? [];
  if (list.length === 0) fail('1 validation error detected: Value null at \'attributes\' failed to satisfy constraint: Member must not be null');
  const changes: Record<string, string> = {};
  list.forEach((a, i) => {
    const o = optObj(a, `Attributes.${i + 1}`) ?? {};
    const key = reqStr(o.Key, `Attributes.${i + 1}.Key`);
    const value = optStr(o.Value, `Attributes.${i + 1}.Value`) ?? '';
    checkTgAttribute(key, value);
    changes[key] = value;
  });
  Object.assign(tg.attributes, changes);
  bump(s);
  return { Attributes: attrList(tg.attributes) };
}

/** The target group's deregistration delay in simulated ms. */
export const deregistrationDelayMs = (tg: TargetGroup): number => Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? 300) * 1000;

export const targetGroupOperations = {
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  ModifyTargetGroup: modifyTargetGroup,
  DeleteTargetGroup: deleteTargetGroup,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
};
