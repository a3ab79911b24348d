/**
 * CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, SetSecurityGroups and the load
 * balancer attributes. Application load balancers only.
 */
import { randomInt } from 'node:crypto';
import type {
  CreateLoadBalancerCommandInput,
  DeleteLoadBalancerCommandInput,
  DescribeLoadBalancerAttributesCommandInput,
  DescribeLoadBalancersCommandInput,
  ModifyLoadBalancerAttributesCommandInput,
  SetSecurityGroupsCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ensureServiceLinkedRole } from '../iam';
import { ELBV2, elbv2Fields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { xmlDate } from '../service';
import { arnKind, bump, canonicalHostedZoneId, elbArns, elbv2Settings, elbv2State, type Elbv2State, type LoadBalancer } from './model';
import { attributeList, checkName, modifyAttributes, pageSize, readTags } from './request';

const NOT_FOUND = () => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');

export const LB_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'deletion_protection.enabled': 'false',
  'idle_timeout.timeout_seconds': '60',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.preserve_host_header.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http2.enabled': 'true',
  'waf.fail_open.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'true',
  'client_keep_alive.seconds': '3600',
};

/** The API shape of a load balancer (sandbox-only fields left out). */
export function lbOutput(lb: LoadBalancer): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.LoadBalancerArn,
    DNSName: lb.DNSName,
    CanonicalHostedZoneId: lb.CanonicalHostedZoneId,
    CreatedTime: xmlDate(lb.CreatedTime),
    LoadBalancerName: lb.LoadBalancerName,
    Scheme: lb.Scheme,
    VpcId: lb.VpcId,
    State: lb.State,
    Type: lb.Type,
    AvailabilityZones: lb.AvailabilityZones.map((z) => ({ ZoneName: z.ZoneName, SubnetId: z.SubnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.SecurityGroups,
    IpAddressType: lb.IpAddressType,
  };
}

/** Provisioning load balancers whose time has come become active. Returns whether anything changed. */
export function advanceLoadBalancers(s: Elbv2State, now: number): boolean {
  let changed = false;
  for (const lb of Object.values(s.loadBalancers)) {
    if (lb.State.Code === 'provisioning' && now >= lb.activeAt) {
      lb.State = { Code: 'active' };
      changed = true;
    }
  }
  if (changed) bump(s);
  return changed;
}

export function findLoadBalancer(s: Elbv2State, arn: string): LoadBalancer {
  if (arnKind(arn) !== 'loadbalancer') f.fail(`'${arn}' is not a valid load balancer ARN`);
  const lb = s.loadBalancers[arn];
  if (!lb) throw NOT_FOUND();
  return lb;
}

function checkSecurityGroups(ctx: RequestContext, groups: string[], vpcId: string): void {
  for (const g of groups) {
    const sg = ctx.state.ec2.securityGroups[g];
    if (!sg) return f.fail(`Security group '${g}' does not exist`, 'InvalidSecurityGroup');
    if (sg.vpcId !== vpcId) f.fail(`Security group '${g}' does not belong to VPC '${vpcId}'`, 'InvalidSecurityGroup');
  }
}

export const createLoadBalancer: Operation<CreateLoadBalancerCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const name = f.str(input.Name, 'Name', { required: true });
  checkName(name, 'Load balancer');
  const type = f.oneOf(input.Type, 'Type', ['application', 'network', 'gateway'] as const) ?? 'application';
  if (type !== 'application') f.fail(`Load balancer type '${type}' is not supported by the sandbox`, 'InvalidConfigurationRequest');
  const scheme = f.oneOf(input.Scheme, 'Scheme', ['internet-facing', 'internal'] as const) ?? 'internet-facing';
  const ipAddressType = f.oneOf(input.IpAddressType, 'IpAddressType', ['ipv4', 'dualstack'] as const) ?? 'ipv4';
  let subnetIds = input.Subnets ?? [];
  const mappings = input.SubnetMappings;
  if (mappings) {
    if (subnetIds.length) f.fail('You can specify subnets or subnet mappings, not both');
    subnetIds = mappings.map((m, i) => f.str(m.SubnetId, ['SubnetMappings', i, 'SubnetId'], { required: true }));
  }
  const sgInput = input.SecurityGroups;
  const tags = readTags(input.Tags);

  if (subnetIds.length === 0) f.fail('At least two subnets in two different Availability Zones must be specified');
  const subnets = subnetIds.map((id) => {
    const sn = ctx.state.ec2.subnets[id];
    if (!sn) return f.fail(`The subnet ID '${id}' does not exist`, 'SubnetNotFound');
    return sn;
  });
  const vpcId = subnets[0].vpcId;
  if (subnets.some((sn) => sn.vpcId !== vpcId)) f.fail('The specified subnets are not all in the same VPC', 'InvalidConfigurationRequest');
  const azs = new Set<string>();
  for (const sn of subnets) {
    if (azs.has(sn.availabilityZone)) {
      f.fail('A load balancer cannot be attached to multiple subnets in the same Availability Zone', 'InvalidConfigurationRequest');
    }
    azs.add(sn.availabilityZone);
  }
  if (azs.size < 2) f.fail('At least two subnets in two different Availability Zones must be specified');
  // An internet-facing load balancer needs its VPC's internet gateway.
  if (scheme === 'internet-facing' && !Object.values(ctx.state.ec2.internetGateways).some((g) => g.attachments.some((a) => a.vpcId === vpcId))) {
    f.fail(`VPC ${vpcId} has no internet gateway`, 'InvalidSubnet');
  }
  let securityGroups = sgInput;
  if (securityGroups === undefined || securityGroups.length === 0) {
    const def = Object.values(ctx.state.ec2.securityGroups).find((g) => g.vpcId === vpcId && g.groupName === 'default');
    securityGroups = def ? [def.groupId] : [];
  } else {
    checkSecurityGroups(ctx, securityGroups, vpcId);
  }

  const existing = Object.values(s.loadBalancers).find((lb) => lb.LoadBalancerName === name);
  if (existing) {
    const same =
      existing.Scheme === scheme &&
      existing.Type === type &&
      [...existing.AvailabilityZones.map((z) => z.SubnetId)].sort().join() === [...subnetIds].sort().join() &&
      [...existing.SecurityGroups].sort().join() === [...securityGroups].sort().join();
    if (!same) f.fail(`A load balancer with the same name '${name}' exists, but with different settings`, 'DuplicateLoadBalancerName');
    return { LoadBalancers: [lbOutput(existing)] };
  }

  const arn = elbArns.loadBalancer(ctx.region, ctx.accountId, name);
  const digits = String(randomInt(100_000_000, 2_000_000_000));
  const lb: LoadBalancer = {
    LoadBalancerArn: arn,
    LoadBalancerName: name,
    DNSName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${ctx.region}.elb.localhost`.toLowerCase(),
    CanonicalHostedZoneId: canonicalHostedZoneId(ctx.region),
    CreatedTime: ctx.now,
    Scheme: scheme,
    VpcId: vpcId,
    State: { Code: 'provisioning' },
    Type: 'application',
    AvailabilityZones: subnets.map((sn) => ({ ZoneName: sn.availabilityZone, SubnetId: sn.subnetId })),
    SecurityGroups: securityGroups,
    IpAddressType: ipAddressType,
    attributes: { ...LB_ATTRIBUTE_DEFAULTS },
    activeAt: ctx.now + elbv2Settings.provisioningMs,
  };
  s.loadBalancers[arn] = lb;
  ensureServiceLinkedRole(ctx.world, ctx.now, 'elasticloadbalancing.amazonaws.com');
  if (tags.length) s.tags[arn] = tags;
  bump(s);
  return { LoadBalancers: [lbOutput(lb)] };
};

export const describeLoadBalancers: Operation<DescribeLoadBalancersCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  advanceLoadBalancers(s, ctx.now);
  const arns = input.LoadBalancerArns;
  const names = input.Names;
  if (arns?.length && names?.length) f.fail('Load balancer names and load balancer ARNs cannot be specified at the same time');
  let lbs = Object.values(s.loadBalancers);
  if (arns?.length) {
    lbs = arns.map((a) => findLoadBalancer(s, a));
  } else if (names?.length) {
    lbs = names.map((n) => {
      const lb = lbs.find((l) => l.LoadBalancerName === n);
      if (!lb) throw new AwsError('LoadBalancerNotFound', `Load balancers '[${n}]' not found`);
      return lb;
    });
  }
  const { page, next } = paginate(lbs, { op: 'DescribeLoadBalancers', size: pageSize(input.PageSize), token: input.Marker, key: (lb) => lb.LoadBalancerArn }, ELBV2);
  return { LoadBalancers: page.map(lbOutput), NextMarker: next };
};

/** Removes a load balancer with its listeners and rules (its target groups stay). */
export function removeLoadBalancer(s: Elbv2State, arn: string): void {
  for (const l of Object.values(s.listeners)) {
    if (l.LoadBalancerArn !== arn) continue;
    for (const r of Object.values(s.rules)) if (r.ListenerArn === l.ListenerArn) {
      delete s.rules[r.RuleArn];
      delete s.tags[r.RuleArn];
    }
    delete s.listeners[l.ListenerArn];
    delete s.tags[l.ListenerArn];
  }
  delete s.loadBalancers[arn];
  delete s.tags[arn];
  bump(s);
}

export const deleteLoadBalancer: Operation<DeleteLoadBalancerCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const arn = f.str(input.LoadBalancerArn, 'LoadBalancerArn', { required: true });
  if (arnKind(arn) !== 'loadbalancer') f.fail(`'${arn}' is not a valid load balancer ARN`);
  const lb = s.loadBalancers[arn];
  if (!lb) return {}; // deleting a load balancer that does not exist succeeds (documented)
  if (lb.attributes['deletion_protection.enabled'] === 'true') {
    f.fail(`Load balancer '${arn}' cannot be deleted because deletion protection is enabled`, 'OperationNotPermitted');
  }
  removeLoadBalancer(s, arn);
  return {};
};

export const setSecurityGroups: Operation<SetSecurityGroupsCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const lb = findLoadBalancer(s, f.str(input.LoadBalancerArn, 'LoadBalancerArn', { required: true }));
  const groups = input.SecurityGroups ?? [];
  if (groups.length === 0) f.fail('You must specify at least one security group for an Application Load Balancer');
  checkSecurityGroups(ctx, groups, lb.VpcId);
  lb.SecurityGroups = groups;
  bump(s);
  return { SecurityGroupIds: groups };
};

export const describeLoadBalancerAttributes: Operation<DescribeLoadBalancerAttributesCommandInput> = (ctx, input) => {
  const lb = findLoadBalancer(elbv2State(ctx.state), f.str(input.LoadBalancerArn, 'LoadBalancerArn', { required: true }));
  return { Attributes: attributeList(lb.attributes) };
};

function checkLbAttribute(key: string, value: string): void {
  if (!Object.hasOwn(LB_ATTRIBUTE_DEFAULTS, key)) f.fail(`Load balancer attribute key '${key}' is not recognized`, 'InvalidConfigurationRequest');
  if (key === 'idle_timeout.timeout_seconds' && !(/^\d+$/.test(value) && +value >= 1 && +value <= 4000)) {
    f.fail(`Load balancer attribute '${key}' must be an integer between 1 and 4000`, 'InvalidConfigurationRequest');
  }
  if (key.endsWith('.enabled') && value !== 'true' && value !== 'false') {
    f.fail(`Load balancer attribute '${key}' must be 'true' or 'false'`, 'InvalidConfigurationRequest');
  }
}

export const modifyLoadBalancerAttributes: Operation<ModifyLoadBalancerAttributesCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const lb = findLoadBalancer(s, f.str(input.LoadBalancerArn, 'LoadBalancerArn', { required: true }));
  const Attributes = modifyAttributes(lb.attributes, input.Attributes ?? [], checkLbAttribute);
  bump(s);
  return { Attributes };
};
