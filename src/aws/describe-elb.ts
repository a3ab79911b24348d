/**
 * ELBv2 (and EC2) describes: load balancers and target groups by ARN in batches of 20, paginated
 * listings per load balancer, and DescribeTargetHealth per target group with limited concurrency.
 */
import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk, collectPages, DEFAULT_CONCURRENCY, mapLimit } from './batch';
import type { BatchOptions } from './describe';

export const ELB_BATCH_LIMITS = {
  /** "You can specify up to 20 load balancers in a single call." */
  DescribeLoadBalancers: 20,
  /** Kept at 20 like DescribeLoadBalancers (the API documents no larger batch). */
  DescribeTargetGroups: 20,
  /** EC2 DescribeInstances with InstanceIds: up to 1000; kept smaller to bound response size. */
  DescribeInstances: 200,
} as const;

/** ELBv2 maximum page size (the SDK paginators do not set one). */
const PAGE_SIZE = 400;

/** Every load balancer of the account/region, or the given ones (batches of 20). */
export async function describeLoadBalancers(
  elb: ElasticLoadBalancingV2Client,
  arns?: readonly string[],
  opts: BatchOptions = {},
): Promise<LoadBalancer[]> {
  if (!arns) return collectPages(paginateDescribeLoadBalancers({ client: elb }, { PageSize: PAGE_SIZE }), (p) => p.LoadBalancers);
  const batches = chunk([...new Set(arns)], ELB_BATCH_LIMITS.DescribeLoadBalancers);
  const results = await mapLimit(batches, opts.concurrency ?? DEFAULT_CONCURRENCY, async (batch) =>
    (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: batch }))).LoadBalancers ?? [],
  );
  return results.flat();
}

export function describeListeners(elb: ElasticLoadBalancingV2Client, loadBalancerArn: string): Promise<Listener[]> {
  return collectPages(paginateDescribeListeners({ client: elb }, { LoadBalancerArn: loadBalancerArn, PageSize: PAGE_SIZE }), (p) => p.Listeners);
}

/** Target groups by ARN (batches of 20), of one load balancer, or all of them. */
export async function describeTargetGroups(
  elb: ElasticLoadBalancingV2Client,
  by: { arns: readonly string[] } | { loadBalancerArn: string } | 'all',
  opts: BatchOptions = {},
): Promise<TargetGroup[]> {
  if (by === 'all') return collectPages(paginateDescribeTargetGroups({ client: elb }, { PageSize: PAGE_SIZE }), (p) => p.TargetGroups);
  if ('loadBalancerArn' in by) {
    return collectPages(paginateDescribeTargetGroups({ client: elb }, { LoadBalancerArn: by.loadBalancerArn, PageSize: PAGE_SIZE }), (p) => p.TargetGroups);
  }
  const batches = chunk([...new Set(by.arns)], ELB_BATCH_LIMITS.DescribeTargetGroups);
  const results = await mapLimit(batches, opts.concurrency ?? DEFAULT_CONCURRENCY, async (batch) =>
    (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: batch }))).TargetGroups ?? [],
  );
  return results.flat();
}

/** Target health of each target group (one call per group, the API has no batch form). */
export async function describeTargetHealth(
  elb: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
  opts: BatchOptions = {},
): Promise<Map<string, TargetHealthDescription[]>> {
  const unique = [...new Set(targetGroupArns)];
  const results = await mapLimit(unique, opts.concurrency ?? DEFAULT_CONCURRENCY, async (arn) =>
    (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? [],
  );
  return new Map(unique.map((arn, i) => [arn, results[i]]));
}

/** EC2 instances by id (flattened from reservations), batched. */
export async function describeInstances(ec2: EC2Client, instanceIds: readonly string[], opts: BatchOptions = {}): Promise<Instance[]> {
  const batches = chunk([...new Set(instanceIds)], ELB_BATCH_LIMITS.DescribeInstances);
  const results = await mapLimit(batches, opts.concurrency ?? DEFAULT_CONCURRENCY, async (batch) => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: batch }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  });
  return results.flat();
}
