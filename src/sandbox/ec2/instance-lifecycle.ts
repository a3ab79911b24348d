/**
 * DescribeInstances and TerminateInstances. Terminated instances stay describable for an hour, as
 * in EC2; after that they are as good as gone.
 */
import type { DescribeInstancesCommandInput, DescribeInstanceStatusCommandInput, TerminateInstancesCommandInput } from '@aws-sdk/client-ec2';
import type { Instance } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { checkId, instanceNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { checkDryRun, missing, pageSize } from './request';
import { privateDnsName, reservationOutput, STATE_CODES, stateOutput } from './instance-output';

/** How long a terminated instance stays visible (simulated ms). */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

function visible(ctx: RequestContext, i: Instance): boolean {
  return !(i.state === 'terminated' && i.terminatedAt !== undefined && ctx.now - i.terminatedAt > TERMINATED_VISIBLE_MS);
}

/** The instances named, in order; EC2's errors for malformed and unknown ids (all unknown ones listed). */
function named(ctx: RequestContext, ids: string[]): Instance[] {
  for (const id of ids) checkId('instance', id);
  const unknown = ids.filter((id) => !ctx.state.ec2.instances[id] || !visible(ctx, ctx.state.ec2.instances[id]));
  if (unknown.length > 0) throw instanceNotFound([...new Set(unknown)]);
  return [...new Set(ids)].map((id) => ctx.state.ec2.instances[id]);
}

export const describeInstances: Operation<DescribeInstancesCommandInput> = (ctx, input) => {
  const ids = input.InstanceIds ?? [];
  if (ids.length > 0 && input.MaxResults !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const selected = ids.length > 0 ? named(ctx, ids) : Object.values(ctx.state.ec2.instances).filter((i) => visible(ctx, i));
  const sg = (i: Instance) => i.securityGroupIds;
  const sgName = (i: Instance) => i.securityGroupIds.map((id) => ctx.state.ec2.securityGroups[id]?.groupName);
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'instance-id': (i) => i.instanceId,
      'instance-state-name': (i) => i.state,
      'instance-state-code': (i) => String(STATE_CODES[i.state]),
      'instance-type': (i) => i.instanceType,
      'image-id': (i) => i.imageId,
      'subnet-id': (i) => i.subnetId,
      'vpc-id': (i) => i.vpcId,
      'availability-zone': (i) => i.availabilityZone,
      'private-ip-address': (i) => i.privateIpAddress,
      'private-dns-name': (i) => privateDnsName(ctx.region, i.privateIpAddress),
      'reservation-id': (i) => i.reservationId,
      'key-name': (i) => i.keyName,
      'launch-time': (i) => new Date(i.launchTime).toISOString(),
      'owner-id': () => ctx.accountId,
      'instance.group-id': sg,
      'instance.group-name': sgName,
      'group-id': sg,
      'group-name': sgName,
      'network-interface.subnet-id': (i) => i.subnetId,
      'network-interface.vpc-id': (i) => i.vpcId,
      'iam-instance-profile.arn': (i) =>
        i.iamInstanceProfile?.arn ?? (i.iamInstanceProfile?.name ? `arn:aws:iam::${ctx.accountId}:instance-profile/${i.iamInstanceProfile.name}` : undefined),
      'placement-group-name': () => undefined,
      'tenancy': () => 'default',
      architecture: () => 'x86_64',
      'root-device-type': () => 'ebs',
    },
    (i) => i.tags,
  );
  const { page, next } = paginate(
    out,
    { op: 'DescribeInstances', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (i) => i.instanceId },
    ec2Dialect,
  );
  // Group the page by reservation, in launch order.
  const groups = new Map<string, Instance[]>();
  for (const i of page) {
    const r = i.reservationId ?? `r-${i.instanceId.slice(2)}`;
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(i);
  }
  return {
    reservationSet: [...groups.entries()].map(([r, instances]) => reservationOutput(ctx, r, instances)),
    nextToken: next,
  };
};

export const terminateInstances: Operation<TerminateInstancesCommandInput> = (ctx, input) => {
  const ids = input.InstanceIds ?? [];
  if (ids.length === 0) throw missing('InstanceId');
  const instances = named(ctx, ids);
  checkDryRun(input);
  const changes = instances.map((i) => {
    const previous = i.state;
    if (previous !== 'terminated' && previous !== 'shutting-down') ctx.engine.terminateInstance(ctx.state, i.instanceId);
    return { instanceId: i.instanceId, currentState: stateOutput(i.state), previousState: stateOutput(previous) };
  });
  return { instancesSet: changes };
};

/**
 * DescribeInstanceStatus: running instances (all visible ones with IncludeAllInstances), their
 * status checks passed once running. Other states report `not-applicable`.
 */
export const describeInstanceStatus: Operation<DescribeInstanceStatusCommandInput> = (ctx, input) => {
  const ids = input.InstanceIds ?? [];
  if (ids.length > 0 && input.MaxResults !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const includeAll = input.IncludeAllInstances === true;
  const selected = (ids.length > 0 ? named(ctx, ids) : Object.values(ctx.state.ec2.instances).filter((i) => visible(ctx, i))).filter(
    (i) => includeAll || i.state === 'running',
  );
  const check = (i: Instance) => (i.state === 'running' ? 'ok' : 'not-applicable');
  const out = applyFilters(selected, parseFilters(input.Filters), {
    'availability-zone': (i) => i.availabilityZone,
    'instance-state-name': (i) => i.state,
    'instance-state-code': (i) => String(STATE_CODES[i.state]),
    'instance-status.status': check,
    'system-status.status': check,
    'instance-status.reachability': (i) => (i.state === 'running' ? 'passed' : undefined),
    'system-status.reachability': (i) => (i.state === 'running' ? 'passed' : undefined),
  });
  const { page, next } = paginate(
    out,
    { op: 'DescribeInstanceStatus', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (i) => i.instanceId },
    ec2Dialect,
  );
  const summary = (i: Instance) =>
    i.state === 'running' ? { status: 'ok', details: [{ name: 'reachability', status: 'passed' }] } : { status: 'not-applicable' };
  return {
    instanceStatusSet: page.map((i) => ({
      instanceId: i.instanceId,
      availabilityZone: i.availabilityZone,
      instanceState: stateOutput(i.state),
      systemStatus: summary(i),
      instanceStatus: summary(i),
      eventsSet: [] as never[],
    })),
    nextToken: next,
  };
};
