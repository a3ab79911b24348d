/**
 * The Availability Zones and the VPCs: DescribeAvailabilityZones, CreateVpc / DeleteVpc /
 * DescribeVpcs, Describe / ModifyVpcAttribute. A region starts with its default VPC (defaults.ts);
 * every VPC has a default security group and a main route table, created and deleted with it.
 */
import type {
  CreateVpcCommandInput,
  DeleteVpcCommandInput,
  DescribeAvailabilityZonesCommandInput,
  DescribeVpcAttributeCommandInput,
  DescribeVpcsCommandInput,
  ModifyVpcAttributeCommandInput,
} from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { Vpc } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { parseCidr } from './cidr';
import { availabilityZones, defaultSecurityGroup, mainRouteTable } from './defaults';
import { checkId, dependencyViolation, vpcNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { liveInstances, loadBalancersOf } from './network-users';
import { type Ec2Context, checkDryRun, missing, pageSize, tagSet, tagsFor } from './request';

/** VPCs an account may have in a region (the default one included), as EC2's default quota. */
export const VPC_LIMIT = 5;

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

/** The VPC `id` names (EC2's malformed / not-found errors otherwise). */
export function findVpc(ctx: Ec2Context, id: string): Vpc {
  checkId('vpc', id);
  const vpc = ctx.state.ec2.vpcs[id];
  if (!vpc) throw vpcNotFound(id);
  return vpc;
}

export function vpcOutput(ctx: RequestContext, v: Vpc, state: string = v.state) {
  return {
    vpcId: v.vpcId,
    state,
    cidrBlock: v.cidrBlock,
    dhcpOptionsId: `dopt-${v.vpcId.slice(4, 12)}`,
    instanceTenancy: v.instanceTenancy ?? 'default',
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
  for (const id of ids) findVpc(ctx, id);
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
      'cidr-block-association.association-id': (v) => `vpc-cidr-assoc-${v.vpcId.slice(4, 12)}`,
      'cidr-block-association.state': () => 'associated',
      'dhcp-options-id': (v) => `dopt-${v.vpcId.slice(4, 12)}`,
      'instance-tenancy': (v) => v.instanceTenancy ?? 'default',
      'owner-id': () => ctx.accountId,
    },
    (v) => v.tags ?? [],
  );
  const { page, next } = paginate(out, { op: 'DescribeVpcs', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (v) => v.vpcId }, ec2Dialect);
  return { vpcSet: page.map((v) => vpcOutput(ctx, v)), nextToken: next };
};


/** Members of CreateVpc / CreateSubnet the sandbox does not serve (IPv6, IPAM pools, Outposts…): refused, not ignored. */
export function refuseUnserved(input: object, members: readonly string[], what: string): void {
  const given = members.find((m) => {
    const v = (input as Record<string, unknown>)[m];
    return v !== undefined && v !== false;
  });
  if (given) throw new AwsError('UnsupportedOperation', `${given} is not supported by the sandbox: its ${what} are IPv4 only, addressed by CIDR block.`);
}

/** A CIDR block of a VPC or subnet: `/16` to `/28`; malformed text is refused as EC2 does. */
export function blockOf(text: string | undefined, param: string, rangeCode: string) {
  if (text === undefined || text === '') throw missing(param);
  const cidr = parseCidr(text);
  if (!cidr) throw new AwsError('InvalidParameterValue', `Value (${text}) for parameter ${param} is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsError(rangeCode, `The CIDR '${text}' is invalid.`);
  return cidr;
}

export const createVpc: Operation<CreateVpcCommandInput> = (ctx, input) => {
  refuseUnserved(input, ['AmazonProvidedIpv6CidrBlock', 'Ipv6Pool', 'Ipv6CidrBlock', 'Ipv6IpamPoolId', 'Ipv6NetmaskLength', 'Ipv6CidrBlockNetworkBorderGroup', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'VpcEncryptionControl'], 'VPCs');
  if (input.CidrBlock === undefined || input.CidrBlock === '') throw new AwsError('MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
  const cidr = blockOf(input.CidrBlock, 'cidrBlock', 'InvalidVpc.Range');
  const tenancy = input.InstanceTenancy ?? 'default';
  if (tenancy !== 'default' && tenancy !== 'dedicated') throw new AwsError('InvalidParameterValue', `Value (${tenancy}) for parameter instanceTenancy is invalid.`);
  const tags = tagsFor(input.TagSpecifications, 'vpc', ['vpc']);
  if (Object.keys(ctx.state.ec2.vpcs).length >= VPC_LIMIT) throw new AwsError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
  checkDryRun(input);
  const ec2 = ctx.state.ec2;
  const vpcId = ec2Id('vpc');
  const vpc: Vpc = { vpcId, cidrBlock: cidr.text, isDefault: false, state: 'available', tags, ...(tenancy === 'dedicated' ? { instanceTenancy: tenancy } : {}) };
  ec2.vpcs[vpcId] = vpc;
  // Created with it: the default security group and the main route table.
  const sgId = ec2Id('sg');
  ec2.securityGroups[sgId] = defaultSecurityGroup(sgId, vpcId);
  const rtb = mainRouteTable(ec2Id('rtb'), ec2Id('rtbassoc'), vpcId, cidr.text);
  ec2.routeTables[rtb.routeTableId] = rtb;
  // EC2 answers while the VPC is still being set up; DescribeVpcs then finds it available.
  return { vpc: vpcOutput(ctx, vpc, 'pending') };
};

export const deleteVpc: Operation<DeleteVpcCommandInput> = (ctx, input) => {
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const vpc = findVpc(ctx, input.VpcId);
  const ec2 = ctx.state.ec2;
  const id = vpc.vpcId;
  const inUse =
    Object.values(ec2.subnets).some((s) => s.vpcId === id) ||
    Object.values(ec2.internetGateways).some((g) => g.attachments.some((a) => a.vpcId === id)) ||
    Object.values(ec2.securityGroups).some((g) => g.vpcId === id && g.groupName !== 'default') ||
    Object.values(ec2.routeTables).some((t) => t.vpcId === id && !t.associations.some((a) => a.main)) ||
    liveInstances(ctx.state).some((i) => i.vpcId === id) ||
    loadBalancersOf(ctx.state).some((lb) => lb.VpcId === id);
  if (inUse) throw dependencyViolation('vpc', id);
  checkDryRun(input);
  for (const g of Object.values(ec2.securityGroups)) if (g.vpcId === id) delete ec2.securityGroups[g.groupId];
  for (const t of Object.values(ec2.routeTables)) if (t.vpcId === id) delete ec2.routeTables[t.routeTableId];
  delete ec2.vpcs[id];
  return {};
};

const VPC_ATTRIBUTES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'] as const;
type VpcAttribute = (typeof VPC_ATTRIBUTES)[number];

/** An attribute's value: as modified, else EC2's default (hostnames are on in the default VPC only). */
const attributeOf = (v: Vpc, a: VpcAttribute): boolean => v[a] ?? (a === 'enableDnsSupport' || (a === 'enableDnsHostnames' && v.isDefault));

export const describeVpcAttribute: Operation<DescribeVpcAttributeCommandInput> = (ctx, input) => {
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const attribute = input.Attribute as string | undefined;
  if (attribute === undefined || attribute === '') throw missing('attribute');
  if (!(VPC_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw new AwsError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
  const vpc = findVpc(ctx, input.VpcId);
  return { vpcId: vpc.vpcId, [attribute]: { value: attributeOf(vpc, attribute as VpcAttribute) } };
};

export const modifyVpcAttribute: Operation<ModifyVpcAttributeCommandInput> = (ctx, input) => {
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const given = VPC_ATTRIBUTES.filter((a) => input[upper(a)] !== undefined);
  if (given.length !== 1) {
    throw new AwsError('InvalidParameterCombination', 'Exactly one of enableDnsSupport, enableDnsHostnames or enableNetworkAddressUsageMetrics must be specified.');
  }
  const attribute = given[0];
  const value = input[upper(attribute)]?.Value;
  if (value === undefined) throw missing(`${upper(attribute)}.Value`);
  const vpc = findVpc(ctx, input.VpcId);
  vpc[attribute] = value;
  return {};
};

const upper = <A extends VpcAttribute>(a: A) => `${a.charAt(0).toUpperCase()}${a.slice(1)}` as Capitalize<A>;
