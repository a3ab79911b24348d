/**
 * Subnets: CreateSubnet (a block inside its VPC's, overlapping no other subnet of it, in the
 * Availability Zone asked for or the one with the fewest of the VPC's subnets), DeleteSubnet
 * (refused while an instance or a load balancer has an interface in it), DescribeSubnets,
 * ModifySubnetAttribute (MapPublicIpOnLaunch).
 */
import type { CreateSubnetCommandInput, DeleteSubnetCommandInput, DescribeSubnetsCommandInput, ModifySubnetAttributeCommandInput } from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { Subnet } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { cidrContains, cidrOverlaps, cidrSize, parseCidr } from './cidr';
import { availabilityZones } from './defaults';
import { checkId, dependencyViolation, subnetNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { subnetInUse } from './network-users';
import { type Ec2Context, checkDryRun, missing, pageSize, tagSet, tagsFor } from './request';
import { blockOf, findVpc, refuseUnserved } from './vpcs';

/** Subnets a VPC may have, as EC2's default quota. */
export const SUBNETS_PER_VPC = 200;

/** The subnet `id` names (EC2's malformed / not-found errors otherwise). */
export function findSubnet(ctx: Ec2Context, id: string): Subnet {
  checkId('subnet', id);
  const s = ctx.state.ec2.subnets[id];
  if (!s) throw subnetNotFound(id);
  return s;
}

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
  for (const id of ids) findSubnet(ctx, id);
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
      'available-ip-address-count': (s) => availableIps(ctx, s),
      state: () => 'available',
      'owner-id': () => ctx.accountId,
      'subnet-arn': (s) => `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${s.subnetId}`,
    },
    (s) => s.tags ?? [],
  );
  const { page, next } = paginate(out, { op: 'DescribeSubnets', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (s) => s.subnetId }, ec2Dialect);
  return { subnetSet: page.map((s) => subnetOutput(ctx, s)), nextToken: next };
};

export const createSubnet: Operation<CreateSubnetCommandInput> = (ctx, input) => {
  refuseUnserved(input, ['Ipv6CidrBlock', 'Ipv6Native', 'Ipv6IpamPoolId', 'Ipv6NetmaskLength', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'OutpostArn'], 'subnets');
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const vpc = findVpc(ctx, input.VpcId);
  const cidr = blockOf(input.CidrBlock, 'cidrBlock', 'InvalidSubnet.Range');
  const vpcCidr = parseCidr(vpc.cidrBlock);
  if (!vpcCidr || !cidrContains(vpcCidr, cidr)) throw new AwsError('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`);
  const siblings = Object.values(ctx.state.ec2.subnets).filter((s) => s.vpcId === vpc.vpcId);
  if (siblings.some((s) => { const c = parseCidr(s.cidrBlock); return c !== undefined && cidrOverlaps(c, cidr); })) {
    throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${input.CidrBlock}' conflicts with another subnet`);
  }
  const az = zoneOf(ctx, input.AvailabilityZone, input.AvailabilityZoneId, siblings);
  const tags = tagsFor(input.TagSpecifications, 'subnet', ['subnet']);
  if (siblings.length >= SUBNETS_PER_VPC) throw new AwsError('SubnetLimitExceeded', `The maximum number of subnets for the VPC '${vpc.vpcId}' has been reached.`);
  checkDryRun(input);
  const subnetId = ec2Id('subnet');
  const subnet: Subnet = {
    subnetId,
    vpcId: vpc.vpcId,
    availabilityZone: az.name,
    availabilityZoneId: az.id,
    cidrBlock: cidr.text,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    // AWS keeps the first four addresses and the last of every subnet.
    availableIpAddressCount: cidrSize(cidr) - 5,
    tags,
  };
  ctx.state.ec2.subnets[subnetId] = subnet;
  return { subnet: subnetOutput(ctx, subnet) };
};

/** The zone asked for (by name or id), else the one holding the fewest of the VPC's subnets. */
function zoneOf(ctx: Ec2Context, name: string | undefined, id: string | undefined, siblings: Subnet[]): { name: string; id: string } {
  const zones = availabilityZones(ctx.region);
  const byName = name ? zones.find((z) => z.name === name) : undefined;
  if (name && !byName) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${name}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(', ')}.`,
    );
  }
  const byId = id ? zones.find((z) => z.id === id) : undefined;
  if (id && !byId) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${id}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zone ids: ${zones.map((z) => z.id).join(', ')}.`,
    );
  }
  if (byName && byId && byName !== byId) {
    throw new AwsError('InvalidParameterCombination', `The Availability Zone ${name} and the Availability Zone ID ${id} name different zones.`);
  }
  const chosen = byName ?? byId;
  if (chosen) return chosen;
  const count = (z: { name: string }) => siblings.filter((s) => s.availabilityZone === z.name).length;
  return zones.reduce((best, z) => (count(z) < count(best) ? z : best));
}

export const deleteSubnet: Operation<DeleteSubnetCommandInput> = (ctx, input) => {
  if (input.SubnetId === undefined || input.SubnetId === '') throw missing('subnetId');
  const subnet = findSubnet(ctx, input.SubnetId);
  if (subnetInUse(ctx.state, subnet.subnetId)) throw dependencyViolation('subnet', subnet.subnetId);
  checkDryRun(input);
  // Its explicit route table association goes with it.
  for (const t of Object.values(ctx.state.ec2.routeTables)) t.associations = t.associations.filter((a) => a.subnetId !== subnet.subnetId);
  delete ctx.state.ec2.subnets[subnet.subnetId];
  return {};
};

/** ModifySubnetAttribute members the sandbox does not keep (IPv6, customer-owned addresses, resource names, LNI). */
const UNSERVED_SUBNET_ATTRIBUTES = [
  'AssignIpv6AddressOnCreation',
  'MapCustomerOwnedIpOnLaunch',
  'CustomerOwnedIpv4Pool',
  'EnableDns64',
  'PrivateDnsHostnameTypeOnLaunch',
  'EnableResourceNameDnsARecordOnLaunch',
  'EnableResourceNameDnsAAAARecordOnLaunch',
  'EnableLniAtDeviceIndex',
  'DisableLniAtDeviceIndex',
] as const;

export const modifySubnetAttribute: Operation<ModifySubnetAttributeCommandInput> = (ctx, input) => {
  if (input.SubnetId === undefined || input.SubnetId === '') throw missing('subnetId');
  const other = UNSERVED_SUBNET_ATTRIBUTES.find((a) => input[a] !== undefined);
  if (other) throw new AwsError('UnsupportedOperation', `${other} is not supported by the sandbox: of a subnet's attributes it keeps MapPublicIpOnLaunch.`);
  const value = input.MapPublicIpOnLaunch?.Value;
  if (value === undefined) throw missing('MapPublicIpOnLaunch.Value');
  const subnet = findSubnet(ctx, input.SubnetId);
  subnet.mapPublicIpOnLaunch = value;
  return {};
};
