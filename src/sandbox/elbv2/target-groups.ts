/**
 * CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the target
 * group attributes, with AWS's health check defaults and ranges.
 */
import type {
  CreateTargetGroupCommandInput,
  DeleteTargetGroupCommandInput,
  DescribeTargetGroupAttributesCommandInput,
  DescribeTargetGroupsCommandInput,
  ModifyTargetGroupAttributesCommandInput,
  ModifyTargetGroupCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ELBV2, elbv2Fields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
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
import { attributeList, checkName, modifyAttributes, notNull, pageSize, readTags } from './request';

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
      f.fail(`Invalid HTTP code '${code}'. Specify values between 200 and 499 as a single value (200), a list (200,202) or a range (200-299)`);
    }
    ranges.push([lo, hi]);
  }
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** Reads and range-checks the health check members of CreateTargetGroup / ModifyTargetGroup over `base`. */
function healthCheckInput(input: Omit<ModifyTargetGroupCommandInput, 'TargetGroupArn'>, base: HealthCheckSettings): HealthCheckSettings {
  const hc: HealthCheckSettings = { ...base, Matcher: { ...base.Matcher } };
  hc.HealthCheckProtocol = f.oneOf(input.HealthCheckProtocol, 'HealthCheckProtocol', ['HTTP', 'HTTPS'] as const) ?? hc.HealthCheckProtocol;
  const port = input.HealthCheckPort;
  if (port !== undefined) {
    if (port !== 'traffic-port' && !(/^\d+$/.test(port) && +port >= 1 && +port <= 65535)) {
      f.fail(`Health check port '${port}' must be 'traffic-port' or an integer between 1 and 65535`);
    }
    hc.HealthCheckPort = port;
  }
  const enabled = input.HealthCheckEnabled;
  if (enabled === false) f.fail('Health check enabled must be true for target groups with target type \'instance\' or \'ip\'');
  hc.HealthCheckIntervalSeconds = f.int(input.HealthCheckIntervalSeconds, 'HealthCheckIntervalSeconds', { min: 5, max: 300 }) ?? hc.HealthCheckIntervalSeconds;
  hc.HealthCheckTimeoutSeconds = f.int(input.HealthCheckTimeoutSeconds, 'HealthCheckTimeoutSeconds', { min: 2, max: 120 }) ?? hc.HealthCheckTimeoutSeconds;
  hc.HealthyThresholdCount = f.int(input.HealthyThresholdCount, 'HealthyThresholdCount', { min: 2, max: 10 }) ?? hc.HealthyThresholdCount;
  hc.UnhealthyThresholdCount = f.int(input.UnhealthyThresholdCount, 'UnhealthyThresholdCount', { min: 2, max: 10 }) ?? hc.UnhealthyThresholdCount;
  const path = input.HealthCheckPath;
  if (path !== undefined) {
    if (!path.startsWith('/') || path.length > 1024) f.fail(`Health check path '${path}' must begin with a '/' character and can be at most 1024 characters long`);
    hc.HealthCheckPath = path;
  }
  const matcher = input.Matcher;
  if (matcher) {
    if (matcher.GrpcCode !== undefined) f.fail('A gRPC matcher can only be used with target groups whose protocol version is GRPC');
    const code = f.str(matcher.HttpCode, ['Matcher', 'HttpCode'], { required: true });
    parseMatcher(code);
    hc.Matcher = { HttpCode: code };
  }
  if (hc.HealthCheckTimeoutSeconds >= hc.HealthCheckIntervalSeconds) f.fail('Health check interval must be greater than the timeout.');
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
  if (arnKind(arn) !== 'targetgroup') f.fail(`'${arn}' is not a valid target group ARN`);
  const tg = s.targetGroups[arn];
  if (!tg) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found');
  return tg;
}

export const createTargetGroup: Operation<CreateTargetGroupCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const name = f.str(input.Name, 'Name', { required: true });
  checkName(name, 'Target group');
  const targetType = f.oneOf(input.TargetType, 'TargetType', ['instance', 'ip', 'lambda', 'alb'] as const) ?? 'instance';
  if (targetType === 'lambda' || targetType === 'alb') return f.fail(`Target type '${targetType}' is not supported by the sandbox`, 'InvalidConfigurationRequest');
  const protocol = f.oneOf(input.Protocol, 'Protocol', ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const);
  if (protocol === undefined) return f.fail(`A protocol must be specified for target groups with target type '${targetType}'`);
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return f.fail(`Protocol '${protocol}' is not supported for target groups of Application Load Balancers in the sandbox`, 'UnsupportedProtocol');
  const port = f.int(input.Port, 'Port', { min: 1, max: 65535 });
  if (port === undefined) return f.fail(`A port must be specified for target groups with target type '${targetType}'`);
  const vpcId = input.VpcId;
  if (!vpcId) return f.fail(`A VPC ID must be specified for target groups with target type '${targetType}'`);
  if (!ctx.state.ec2.vpcs[vpcId]) f.fail(`The VPC ID '${vpcId}' is not found`);
  const protocolVersion = f.oneOf(input.ProtocolVersion, 'ProtocolVersion', ['HTTP1', 'HTTP2', 'GRPC'] as const) ?? 'HTTP1';
  const ipAddressType = f.oneOf(input.IpAddressType, 'IpAddressType', ['ipv4', 'ipv6'] as const) ?? 'ipv4';
  const hc = healthCheckInput(input, HEALTH_CHECK_DEFAULTS);
  const tags = readTags(input.Tags);

  const existing = Object.values(s.targetGroups).find((t) => t.TargetGroupName === name);
  if (existing) {
    const same =
      existing.Protocol === protocol &&
      existing.Port === port &&
      existing.VpcId === vpcId &&
      existing.TargetType === targetType &&
      JSON.stringify(healthOf(existing)) === JSON.stringify(hc);
    if (!same) f.fail(`A target group with the same name '${name}' exists, but with different settings`, 'DuplicateTargetGroupName');
    return { TargetGroups: [tgOutput(s, existing)] };
  }
  const arn = elbArns.targetGroup(ctx.region, ctx.accountId, name);
  const tg: TargetGroup = {
    TargetGroupArn: arn,
    TargetGroupName: name,
    Protocol: protocol,
    ProtocolVersion: protocolVersion,
    Port: port,
    VpcId: vpcId,
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
};

function healthOf(tg: TargetGroup): HealthCheckSettings {
  const h = {} as Record<string, unknown>;
  for (const k of Object.keys(HEALTH_CHECK_DEFAULTS)) h[k] = (tg as unknown as Record<string, unknown>)[k];
  return h as unknown as HealthCheckSettings;
}

export const describeTargetGroups: Operation<DescribeTargetGroupsCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const arns = input.TargetGroupArns;
  const names = input.Names;
  const lbArn = input.LoadBalancerArn;
  if ([arns?.length, names?.length, lbArn].filter(Boolean).length > 1) {
    f.fail('Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time');
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
  const { page, next } = paginate(tgs, { op: 'DescribeTargetGroups', size: pageSize(input.PageSize), token: input.Marker, key: (t) => t.TargetGroupArn }, ELBV2);
  return { TargetGroups: page.map((t) => tgOutput(s, t)), NextMarker: next };
};

export const modifyTargetGroup: Operation<ModifyTargetGroupCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const tg = findTargetGroup(s, f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true }));
  const hc = healthCheckInput(input, healthOf(tg));
  Object.assign(tg, hc);
  // A shorter interval applies from the next check on: pull forward checks scheduled further out.
  for (const t of Object.values(tg.targets)) {
    t.nextCheckAt = Math.min(t.nextCheckAt, ctx.now + hc.HealthCheckIntervalSeconds * 1000);
  }
  bump(s);
  return { TargetGroups: [tgOutput(s, tg)] };
};

export const deleteTargetGroup: Operation<DeleteTargetGroupCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const arn = f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true });
  if (arnKind(arn) !== 'targetgroup') f.fail(`'${arn}' is not a valid target group ARN`);
  if (!s.targetGroups[arn]) return {};
  if (loadBalancersOfTargetGroup(s, arn).length > 0) {
    f.fail(`Target group '${arn}' is currently in use by a listener or a rule`, 'ResourceInUse');
  }
  delete s.targetGroups[arn];
  delete s.tags[arn];
  bump(s);
  return {};
};

function checkTgAttribute(key: string, value: string): void {
  const bad = (why: string) => f.fail(`Target group attribute '${key}' ${why}`, 'InvalidConfigurationRequest');
  const int = (lo: number, hi: number) => (/^\d+$/.test(value) && +value >= lo && +value <= hi) || bad(`must be an integer between ${lo} and ${hi}`);
  if (!Object.hasOwn(TG_ATTRIBUTE_DEFAULTS, key)) f.fail(`Target group attribute key '${key}' is not recognized`, 'InvalidConfigurationRequest');
  if (key === 'deregistration_delay.timeout_seconds') int(0, 3600);
  else if (key === 'stickiness.enabled' && value !== 'true' && value !== 'false') bad("must be 'true' or 'false'");
  else if (key === 'stickiness.type' && value !== 'lb_cookie' && value !== 'app_cookie') bad("must be 'lb_cookie' or 'app_cookie'");
  else if (key.startsWith('stickiness.') && key.endsWith('duration_seconds')) int(1, 604800);
  else if (key === 'slow_start.duration_seconds' && value !== '0') int(30, 900);
  else if (key === 'load_balancing.algorithm.type' && !['round_robin', 'least_outstanding_requests', 'weighted_random'].includes(value)) {
    bad("must be 'round_robin', 'least_outstanding_requests' or 'weighted_random'");
  }
}

export const describeTargetGroupAttributes: Operation<DescribeTargetGroupAttributesCommandInput> = (ctx, input) => {
  const tg = findTargetGroup(elbv2State(ctx.state), f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true }));
  return { Attributes: attributeList(tg.attributes) };
};

export const modifyTargetGroupAttributes: Operation<ModifyTargetGroupAttributesCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const tg = findTargetGroup(s, f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true }));
  if (!input.Attributes?.length) notNull('Attributes');
  const Attributes = modifyAttributes(tg.attributes, input.Attributes!, checkTgAttribute);
  bump(s);
  return { Attributes };
};

/** The target group's deregistration delay in simulated ms. */
export const deregistrationDelayMs = (tg: TargetGroup): number => Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? 300) * 1000;
