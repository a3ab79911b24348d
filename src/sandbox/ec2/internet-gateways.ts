/**
 * Internet gateways: Create / Attach / Detach / Delete / DescribeInternetGateways. State only (the
 * sandbox's traffic is local): a gateway is attached to at most one VPC and a VPC has at most one;
 * an attached gateway cannot be deleted; routes to a detached or deleted gateway are `blackhole`.
 */
import type {
  AttachInternetGatewayCommandInput,
  CreateInternetGatewayCommandInput,
  DeleteInternetGatewayCommandInput,
  DescribeInternetGatewaysCommandInput,
  DetachInternetGatewayCommandInput,
} from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { InternetGateway } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { checkId, dependencyViolation, internetGatewayNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { loadBalancersOf } from './network-users';
import { type Ec2Context, checkDryRun, missing, pageSize, tagSet, tagsFor } from './request';
import { findVpc } from './vpcs';

/** Internet gateways an account may have in a region, as EC2's default quota. */
export const INTERNET_GATEWAY_LIMIT = 5;

export function findInternetGateway(ctx: Ec2Context, id: string | undefined): InternetGateway {
  if (id === undefined || id === '') throw missing('internetGatewayId');
  checkId('internet-gateway', id);
  const igw = ctx.state.ec2.internetGateways[id];
  if (!igw) throw internetGatewayNotFound(id);
  return igw;
}

/** The gateway attached to the VPC, if any. */
export const gatewayOfVpc = (ctx: Ec2Context, vpcId: string): InternetGateway | undefined =>
  Object.values(ctx.state.ec2.internetGateways).find((g) => g.attachments.some((a) => a.vpcId === vpcId));

const igwOutput = (ctx: RequestContext, g: InternetGateway) => ({
  internetGatewayId: g.internetGatewayId,
  ownerId: ctx.accountId,
  attachmentSet: g.attachments.map((a) => ({ vpcId: a.vpcId, state: 'available' })),
  tagSet: tagSet(g.tags),
});

export const createInternetGateway: Operation<CreateInternetGatewayCommandInput> = (ctx, input) => {
  const tags = tagsFor(input.TagSpecifications, 'internet-gateway', ['internet-gateway']);
  if (Object.keys(ctx.state.ec2.internetGateways).length >= INTERNET_GATEWAY_LIMIT) {
    throw new AwsError('InternetGatewayLimitExceeded', 'The maximum number of internet gateways has been reached.');
  }
  checkDryRun(input);
  const igw: InternetGateway = { internetGatewayId: ec2Id('igw'), attachments: [], tags };
  ctx.state.ec2.internetGateways[igw.internetGatewayId] = igw;
  return { internetGateway: igwOutput(ctx, igw) };
};

export const attachInternetGateway: Operation<AttachInternetGatewayCommandInput> = (ctx, input) => {
  const igw = findInternetGateway(ctx, input.InternetGatewayId);
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const vpc = findVpc(ctx, input.VpcId);
  const attached = igw.attachments[0];
  if (attached) throw new AwsError('Resource.AlreadyAssociated', `resource ${igw.internetGatewayId} is already attached to network ${attached.vpcId}`);
  if (gatewayOfVpc(ctx, vpc.vpcId)) throw new AwsError('Resource.AlreadyAssociated', `Network ${vpc.vpcId} already has an internet gateway attached`);
  checkDryRun(input);
  igw.attachments = [{ vpcId: vpc.vpcId }];
  return {};
};

export const detachInternetGateway: Operation<DetachInternetGatewayCommandInput> = (ctx, input) => {
  const igw = findInternetGateway(ctx, input.InternetGatewayId);
  if (input.VpcId === undefined || input.VpcId === '') throw missing('vpcId');
  const vpc = findVpc(ctx, input.VpcId);
  if (!igw.attachments.some((a) => a.vpcId === vpc.vpcId)) {
    throw new AwsError('Gateway.NotAttached', `resource ${igw.internetGatewayId} is not attached to network ${vpc.vpcId}`);
  }
  // An internet-facing load balancer holds public addresses in the VPC.
  if (loadBalancersOf(ctx.state).some((lb) => lb.VpcId === vpc.vpcId && lb.Scheme === 'internet-facing')) {
    throw new AwsError(
      'DependencyViolation',
      `Network ${vpc.vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    );
  }
  checkDryRun(input);
  igw.attachments = [];
  return {};
};

export const deleteInternetGateway: Operation<DeleteInternetGatewayCommandInput> = (ctx, input) => {
  const igw = findInternetGateway(ctx, input.InternetGatewayId);
  if (igw.attachments.length > 0) throw dependencyViolation('internetGateway', igw.internetGatewayId);
  checkDryRun(input);
  delete ctx.state.ec2.internetGateways[igw.internetGatewayId];
  return {};
};

export const describeInternetGateways: Operation<DescribeInternetGatewaysCommandInput> = (ctx, input) => {
  const ids = input.InternetGatewayIds ?? [];
  for (const id of ids) findInternetGateway(ctx, id);
  const all = Object.values(ctx.state.ec2.internetGateways);
  const selected = ids.length > 0 ? all.filter((g) => ids.includes(g.internetGatewayId)) : all;
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'internet-gateway-id': (g) => g.internetGatewayId,
      'attachment.vpc-id': (g) => g.attachments.map((a) => a.vpcId),
      'attachment.state': (g) => g.attachments.map(() => 'available'),
      'owner-id': () => ctx.accountId,
    },
    (g) => g.tags,
  );
  const { page, next } = paginate(
    out,
    { op: 'DescribeInternetGateways', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (g) => g.internetGatewayId },
    ec2Dialect,
  );
  return { internetGatewaySet: page.map((g) => igwOutput(ctx, g)), nextToken: next };
};
