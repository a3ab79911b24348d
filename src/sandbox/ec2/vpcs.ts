/**
 * The network the sandbox offers: DescribeAvailabilityZones, DescribeVpcs, DescribeSubnets over the
 * default VPC and its default subnets (defaults.ts).
 */
import type { DescribeAvailabilityZonesCommandInput, DescribeSubnetsCommandInput, DescribeVpcsCommandInput } from '@aws-sdk/client-ec2';
import type { Subnet, Vpc } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { availabilityZones } from './defaults';
import { checkId, subnetNotFound, vpcNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { pageSize, tagSet } from './request';

export const describeAvailabilityZones: Operation<DescribeAvailabilityZonesCommandInput> = (ctx, input) => {
  const zones = availabilityZones(ctx.region).map((z) => ({
    zoneName: z.name,
    zoneId: z.id,
    zoneState: 'available',
    optInStatus: 'opt-in-not-required',
    messageSet: [] as never[],
    regionName: ctx.region,
    groupName: ctx.region,
    groupLongName: ctx.region,
    networkBorderGroup: ctx.region,
    zoneType: 'availability-zone',
  }));
  const names = input.ZoneNames ?? [];
  const ids = input.ZoneIds ?? [];
  const unknownName = names.find((n) => !zones.some((z) => z.zoneName === n));
  if (unknownName) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${unknownName}]`);
  const unknownId = ids.find((n) => !zones.some((z) => z.zoneId === n));
  if (unknownId) throw new AwsError('InvalidParameterValue', `Invalid availability zone ID: [${unknownId}]`);
  let out = zones.filter((z) => (names.length === 0 || names.includes(z.zoneName)) && (ids.length === 0 || ids.includes(z.zoneId)));
  out = applyFilters(out, parseFilters(input.Filters), {
    'zone-name': (z) => z.zoneName,
    'zone-id': (z) => z.zoneId,
    state: (z) => z.zoneState,
    'region-name': (z) => z.regionName,
    'zone-type': (z) => z.zoneType,
    'group-name': (z) => z.groupName,
    'opt-in-status': (z) => z.optInStatus,
    'network-border-group': (z) => z.networkBorderGroup,
  });
  return { availabilityZoneInfo: out };
};

export function vpcOutput(ctx: RequestContext, v: Vpc) {
  return {
    vpcId: v.vpcId,
    state: v.state,
    cidrBlock: v.cidrBlock,
    dhcpOptionsId: `dopt-${v.vpcId.slice(4, 12)}`,
    instanceTenancy: 'default',
    isDefault: v.isDefault,
    ownerId: ctx.accountId,
    cidrBlockAssociationSet: [
      { associationId: `vpc-cidr-assoc-${v.vpcId.slice(4, 12)}`, cidrBlock: v.cidrBlock, cidrBlockState: { state: 'associated' } },
    ],
    tagSet: tagSet(v.tags),
  };
}

export const describeVpcs: Operation<DescribeVpcsCommandInput> = (ctx, input) => {
  const ids = input.VpcIds ?? [];
  const all = Object.values(ctx.state.ec2.vpcs);
  for (const id of ids) {
    checkId('vpc', id);
    if (!ctx.state.ec2.vpcs[id]) throw vpcNotFound(id);
  }
  const selected = ids.length > 0 ? all.filter((v) => ids.includes(v.vpcId)) : all;
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'vpc-id': (v) => v.vpcId,
      'is-default': (v) => v.isDefault,
      isDefault: (v) => v.isDefault,
      state: (v) => v.state,
      'cidr-block': (v) => v.cidrBlock,
      cidr: (v) => v.cidrBlock,
      'cidr-block-association.cidr-block': (v) => v.cidrBlock,
      'owner-id': () => ctx.accountId,
    },
    (v) => v.tags ?? [],
  );
  const { page, next } = paginate(out, { op: 'DescribeVpcs', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (v) => v.vpcId }, ec2Dialect);
  return { vpcSet: page.map((v) => vpcOutput(ctx, v)), nextToken: next };
};

export function subnetOutput(ctx: RequestContext, s: Subnet) {
  return {
    subnetId: s.subnetId,
    subnetArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${s.subnetId}`,
    state: 'available',
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    availableIpAddressCount: availableIps(ctx, s),
    availabilityZone: s.availabilityZone,
    availabilityZoneId: s.availabilityZoneId,
    defaultForAz: s.defaultForAz,
    mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    ipv6Native: false,
    enableDns64: false,
    ownerId: ctx.accountId,
    ipv6CidrBlockAssociationSet: [] as never[],
    privateDnsNameOptionsOnLaunch: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    tagSet: tagSet(s.tags),
  };
}

/** The subnet's free addresses: its count less the instances holding an address in it. */
function availableIps(ctx: RequestContext, s: Subnet): number {
  const used = Object.values(ctx.state.ec2.instances).filter((i) => i.subnetId === s.subnetId && i.state !== 'terminated').length;
  return Math.max(0, s.availableIpAddressCount - used);
}

export const describeSubnets: Operation<DescribeSubnetsCommandInput> = (ctx, input) => {
  const ids = input.SubnetIds ?? [];
  for (const id of ids) {
    checkId('subnet', id);
    if (!ctx.state.ec2.subnets[id]) throw subnetNotFound(id);
  }
  const all = Object.values(ctx.state.ec2.subnets);
  const selected = ids.length > 0 ? all.filter((s) => ids.includes(s.subnetId)) : all;
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'subnet-id': (s) => s.subnetId,
      'vpc-id': (s) => s.vpcId,
      'availability-zone': (s) => s.availabilityZone,
      availabilityZone: (s) => s.availabilityZone,
      'availability-zone-id': (s) => s.availabilityZoneId,
      'default-for-az': (s) => s.defaultForAz,
      defaultForAz: (s) => s.defaultForAz,
      'cidr-block': (s) => s.cidrBlock,
      cidr: (s) => s.cidrBlock,
      cidrBlock: (s) => s.cidrBlock,
      'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
      state: () => 'available',
      'owner-id': () => ctx.accountId,
      'subnet-arn': (s) => `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${s.subnetId}`,
    },
    (s) => s.tags ?? [],
  );
  const { page, next } = paginate(out, { op: 'DescribeSubnets', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (s) => s.subnetId }, ec2Dialect);
  return { subnetSet: page.map((s) => subnetOutput(ctx, s)), nextToken: next };
};
