/**
 * Route tables: Create / Delete / DescribeRouteTables, Create / DeleteRoute, Associate /
 * Disassociate / ReplaceRouteTableAssociation. State only: each VPC has one main route table
 * (created with it; the main association moves with ReplaceRouteTableAssociation), a subnet is
 * explicitly associated with at most one table (otherwise it uses the main one), routes go to the
 * VPC itself (`local`) or to an internet gateway.
 */
import type {
  AssociateRouteTableCommandInput,
  CreateRouteCommandInput,
  CreateRouteTableCommandInput,
  DeleteRouteCommandInput,
  DeleteRouteTableCommandInput,
  DescribeRouteTablesCommandInput,
  DisassociateRouteTableCommandInput,
  ReplaceRouteTableAssociationCommandInput,
} from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { Route, RouteTable, RouteTableAssociation } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own } from '../records';
import type { RequestContext } from '../service';
import { cidrContains, parseCidr } from './cidr';
import { mainRouteTable } from './defaults';
import { associationNotFound, checkId, dependencyViolation, routeTableNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { type Ec2Context, checkDryRun, missing, pageSize, tagSet, tagsFor } from './request';
import { findSubnet } from './subnets';
import { findVpc } from './vpcs';

/** Route tables a VPC may have, and routes a table may hold, as EC2's default quotas. */
export const ROUTE_TABLES_PER_VPC = 200;
export const ROUTES_PER_TABLE = 50;

/** Route targets the sandbox does not keep: refused, not ignored. */
const UNSERVED_TARGETS = [
  'NatGatewayId',
  'InstanceId',
  'NetworkInterfaceId',
  'VpcPeeringConnectionId',
  'TransitGatewayId',
  'LocalGatewayId',
  'CarrierGatewayId',
  'EgressOnlyInternetGatewayId',
  'VpcEndpointId',
  'CoreNetworkArn',
  'OdbNetworkArn',
] as const;

export function findRouteTable(ctx: Ec2Context, id: string | undefined): RouteTable {
  if (id === undefined || id === '') throw missing('routeTableId');
  checkId('route-table', id);
  const t = ctx.state.ec2.routeTables[id];
  if (!t) throw routeTableNotFound(id);
  return t;
}

function findAssociation(ctx: Ec2Context, id: string | undefined): { table: RouteTable; association: RouteTableAssociation } {
  if (id === undefined || id === '') throw missing('associationId');
  for (const table of Object.values(ctx.state.ec2.routeTables)) {
    const association = table.associations.find((a) => a.associationId === id);
    if (association) return { table, association };
  }
  throw associationNotFound(id);
}

/** A route is active while its gateway is attached to the table's VPC (the local route always is). */
function routeState(ctx: Ec2Context, t: RouteTable, r: Route): 'active' | 'blackhole' {
  if (r.gatewayId === 'local') return 'active';
  const igw = ctx.state.ec2.internetGateways[r.gatewayId];
  return igw?.attachments.some((a) => a.vpcId === t.vpcId) ? 'active' : 'blackhole';
}

const associationOutput = (t: RouteTable, a: RouteTableAssociation) => ({
  main: a.main,
  routeTableAssociationId: a.associationId,
  routeTableId: t.routeTableId,
  ...(a.subnetId !== undefined ? { subnetId: a.subnetId } : {}),
  associationState: { state: 'associated' },
});

function tableOutput(ctx: RequestContext, t: RouteTable) {
  return {
    routeTableId: t.routeTableId,
    vpcId: t.vpcId,
    ownerId: ctx.accountId,
    routeSet: t.routes.map((r) => ({ destinationCidrBlock: r.destinationCidrBlock, gatewayId: r.gatewayId, origin: r.origin, state: routeState(ctx, t, r) })),
    associationSet: t.associations.map((a) => associationOutput(t, a)),
    propagatingVgwSet: [] as never[],
    tagSet: tagSet(t.tags),
  };
}

export const createRouteTable: Operation<CreateRouteTableCommandInput> = (ctx, input) => {
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const vpc = findVpc(ctx, input.VpcId);
  const tags = tagsFor(input.TagSpecifications, 'route-table', ['route-table']);
  const token = input.ClientToken;
  if (token !== undefined && token !== '') {
    const prior = Object.values(ctx.state.ec2.routeTables).find((t) => t.clientToken === token);
    if (prior && prior.vpcId !== vpc.vpcId) {
      throw new AwsError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that has different parameters.');
    }
    if (prior) return { routeTable: tableOutput(ctx, prior), clientToken: token };
  }
  if (Object.values(ctx.state.ec2.routeTables).filter((t) => t.vpcId === vpc.vpcId).length >= ROUTE_TABLES_PER_VPC) {
    throw new AwsError('RouteTableLimitExceeded', `The maximum number of route tables has been reached for the VPC ${vpc.vpcId}.`);
  }
  checkDryRun(input);
  const table: RouteTable = { ...mainRouteTable(ec2Id('rtb'), '', vpc.vpcId, vpc.cidrBlock), associations: [], tags, ...(token ? { clientToken: token } : {}) };
  ctx.state.ec2.routeTables[table.routeTableId] = table;
  return { routeTable: tableOutput(ctx, table), ...(token ? { clientToken: token } : {}) };
};

export const deleteRouteTable: Operation<DeleteRouteTableCommandInput> = (ctx, input) => {
  const table = findRouteTable(ctx, input.RouteTableId);
  // The main table and tables with subnets are in use.
  if (table.associations.length > 0) throw dependencyViolation('routeTable', table.routeTableId);
  checkDryRun(input);
  delete ctx.state.ec2.routeTables[table.routeTableId];
  return {};
};

/** `DestinationCidrBlock`, normalised; IPv6 and prefix-list destinations are not served. */
function destinationOf(input: CreateRouteCommandInput | DeleteRouteCommandInput): string {
  if (input.DestinationIpv6CidrBlock !== undefined || input.DestinationPrefixListId !== undefined) {
    const member = input.DestinationIpv6CidrBlock !== undefined ? 'DestinationIpv6CidrBlock' : 'DestinationPrefixListId';
    throw new AwsError('UnsupportedOperation', `${member} is not supported by the sandbox: its routes have IPv4 destinations (DestinationCidrBlock).`);
  }
  const text = input.DestinationCidrBlock;
  if (text === undefined || text === '') throw missing('destinationCidrBlock');
  const cidr = parseCidr(text);
  if (!cidr) throw new AwsError('InvalidParameterValue', `Value (${text}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return cidr.text;
}

export const createRoute: Operation<CreateRouteCommandInput> = (ctx, input) => {
  const table = findRouteTable(ctx, input.RouteTableId);
  const destination = destinationOf(input);
  const other = UNSERVED_TARGETS.find((m) => input[m] !== undefined);
  if (other) throw new AwsError('UnsupportedOperation', `${other} is not supported by the sandbox: its routes go to internet gateways (GatewayId).`);
  const gatewayId = input.GatewayId;
  if (gatewayId === undefined || gatewayId === '') throw missing('gatewayId');
  const igw = own(ctx.state.ec2.internetGateways, gatewayId);
  if (!igw) throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${gatewayId}' does not exist`);
  if (!igw.attachments.some((a) => a.vpcId === table.vpcId)) {
    throw new AwsError('InvalidParameterValue', `route table ${table.routeTableId} and network gateway ${gatewayId} belong to different networks`);
  }
  const vpcCidr = parseCidr(ctx.state.ec2.vpcs[table.vpcId]?.cidrBlock ?? '');
  const dest = parseCidr(destination);
  if (vpcCidr && dest && cidrContains(vpcCidr, dest)) {
    throw new AwsError(
      'InvalidParameterValue',
      `The destination CIDR block ${destination} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.`,
    );
  }
  if (table.routes.some((r) => r.destinationCidrBlock === destination)) throw new AwsError('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  if (table.routes.length >= ROUTES_PER_TABLE) throw new AwsError('RouteLimitExceeded', `The maximum number of routes has been reached for the route table ${table.routeTableId}.`);
  checkDryRun(input);
  table.routes.push({ destinationCidrBlock: destination, gatewayId, origin: 'CreateRoute' });
  return { return: true };
};

export const deleteRoute: Operation<DeleteRouteCommandInput> = (ctx, input) => {
  const table = findRouteTable(ctx, input.RouteTableId);
  const destination = destinationOf(input);
  const route = table.routes.find((r) => r.destinationCidrBlock === destination);
  if (!route) throw new AwsError('InvalidRoute.NotFound', `no route with destination-cidr-block ${destination} in route table ${table.routeTableId}`);
  if (route.gatewayId === 'local') throw new AwsError('InvalidParameterValue', `cannot remove local route ${destination} in route table ${table.routeTableId}`);
  checkDryRun(input);
  table.routes = table.routes.filter((r) => r !== route);
  return {};
};

export const associateRouteTable: Operation<AssociateRouteTableCommandInput> = (ctx, input) => {
  const table = findRouteTable(ctx, input.RouteTableId);
  if (input.GatewayId !== undefined || input.PublicIpv4Pool !== undefined) {
    throw new AwsError('UnsupportedOperation', 'Gateway route table associations are not supported by the sandbox: route tables are associated with subnets.');
  }
  if (input.SubnetId === undefined || input.SubnetId === '') throw missing('subnetId');
  const subnet = findSubnet(ctx, input.SubnetId);
  if (subnet.vpcId !== table.vpcId) {
    throw new AwsError('InvalidParameterValue', `Route table ${table.routeTableId} and subnet ${subnet.subnetId} belong to different networks`);
  }
  if (Object.values(ctx.state.ec2.routeTables).some((t) => t.associations.some((a) => a.subnetId === subnet.subnetId))) {
    throw new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${table.routeTableId} conflicts with an existing association`);
  }
  checkDryRun(input);
  const association: RouteTableAssociation = { associationId: ec2Id('rtbassoc'), main: false, subnetId: subnet.subnetId };
  table.associations.push(association);
  return { associationId: association.associationId, associationState: { state: 'associated' } };
};

export const disassociateRouteTable: Operation<DisassociateRouteTableCommandInput> = (ctx, input) => {
  const { table, association } = findAssociation(ctx, input.AssociationId);
  if (association.main) throw new AwsError('InvalidParameterValue', `cannot disassociate the main route table association ${association.associationId}`);
  checkDryRun(input);
  table.associations = table.associations.filter((a) => a !== association);
  return {};
};

/** Moves a subnet's association, or the VPC's main one, to another table of the VPC. */
export const replaceRouteTableAssociation: Operation<ReplaceRouteTableAssociationCommandInput> = (ctx, input) => {
  const { table: from, association } = findAssociation(ctx, input.AssociationId);
  const to = findRouteTable(ctx, input.RouteTableId);
  if (to.vpcId !== from.vpcId) {
    throw new AwsError('InvalidParameterValue', `Route table ${to.routeTableId} and association ${association.associationId} belong to different networks`);
  }
  checkDryRun(input);
  const moved: RouteTableAssociation = { ...association, associationId: ec2Id('rtbassoc') };
  from.associations = from.associations.filter((a) => a !== association);
  to.associations.push(moved);
  return { newAssociationId: moved.associationId, associationState: { state: 'associated' } };
};

export const describeRouteTables: Operation<DescribeRouteTablesCommandInput> = (ctx, input) => {
  const ids = input.RouteTableIds ?? [];
  for (const id of ids) findRouteTable(ctx, id);
  const all = Object.values(ctx.state.ec2.routeTables);
  const selected = ids.length > 0 ? all.filter((t) => ids.includes(t.routeTableId)) : all;
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'route-table-id': (t) => t.routeTableId,
      'vpc-id': (t) => t.vpcId,
      'owner-id': () => ctx.accountId,
      'association.main': (t) => t.associations.map((a) => String(a.main)),
      'association.subnet-id': (t) => t.associations.map((a) => a.subnetId),
      'association.route-table-association-id': (t) => t.associations.map((a) => a.associationId),
      'association.route-table-id': (t) => t.associations.map(() => t.routeTableId),
      'association.association-state': (t) => t.associations.map(() => 'associated'),
      'route.destination-cidr-block': (t) => t.routes.map((r) => r.destinationCidrBlock),
      'route.gateway-id': (t) => t.routes.map((r) => r.gatewayId),
      'route.origin': (t) => t.routes.map((r) => r.origin),
      'route.state': (t) => t.routes.map((r) => routeState(ctx, t, r)),
    },
    (t) => t.tags,
  );
  const { page, next } = paginate(
    out,
    { op: 'DescribeRouteTables', size: pageSize(input.MaxResults, { min: 5, max: 100 }), token: input.NextToken, key: (t) => t.routeTableId },
    ec2Dialect,
  );
  return { routeTableSet: page.map((t) => tableOutput(ctx, t)), nextToken: next };
};
