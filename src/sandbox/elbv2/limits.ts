/**
 * DescribeAccountLimits: Elastic Load Balancing's default quotas, as AWS lists them for a new
 * account. Those the sandbox enforces (listeners per load balancer, rules per listener, tags per
 * resource) are refused at the same numbers.
 */
import type { DescribeAccountLimitsCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ELBV2, paginate, type Operation } from '../kit';
import { pageSize } from './request';

const LIMITS: Array<[string, number]> = [
  ['application-load-balancers', 50],
  ['condition-values-per-alb-rule', 5],
  ['condition-wildcards-per-alb-rule', 5],
  ['gateway-load-balancers', 100],
  ['gateway-load-balancers-per-vpc', 100],
  ['geneve-target-groups', 100],
  ['listeners-per-application-load-balancer', 50],
  ['listeners-per-network-load-balancer', 50],
  ['network-load-balancers', 50],
  ['rules-per-application-load-balancer', 100],
  ['target-groups', 3000],
  ['target-groups-per-action-on-application-load-balancer', 5],
  ['target-groups-per-action-on-network-load-balancer', 1],
  ['target-groups-per-application-load-balancer', 100],
  ['targets-per-application-load-balancer', 1000],
  ['targets-per-availability-zone-per-gateway-load-balancer', 300],
  ['targets-per-availability-zone-per-network-load-balancer', 500],
  ['targets-per-network-load-balancer', 3000],
];

export const describeAccountLimits: Operation<DescribeAccountLimitsCommandInput> = (_ctx, input) => {
  const { page, next } = paginate(LIMITS, { op: 'DescribeAccountLimits', size: pageSize(input.PageSize), token: input.Marker, key: ([name]) => name }, ELBV2);
  return { Limits: page.map(([Name, Max]) => ({ Name, Max: String(Max) })), NextMarker: next };
};
