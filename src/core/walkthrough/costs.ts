/**
 * What the hands-on costs on real AWS, roughly: the EC2 instances the cluster step chooses (On-Demand,
 * Linux, US East (N. Virginia) list prices; other regions differ by up to ~30 %), the Application
 * Load Balancer's hourly charge plus one LCU, the instances' root volumes and the public IPv4
 * addresses AWS bills per hour. Pure: the walkthrough shows it on real AWS before anything is created.
 */

/** USD per hour, On-Demand Linux, us-east-1 (the instance types the cluster step offers). */
export const INSTANCE_PRICE_PER_HOUR: Record<string, number> = {
  't3.micro': 0.0104,
  't3.small': 0.0208,
  't3.medium': 0.0416,
  't3.large': 0.0832,
  'm5.large': 0.096,
  'c5.large': 0.085,
};

/** An Application Load Balancer: $0.0225 per hour plus $0.008 per LCU-hour (a hands-on uses about one). */
export const ALB_PRICE_PER_HOUR = 0.0225 + 0.008;
/** A 30 GiB gp3 root volume (the ECS-optimized AMI's) at $0.08 per GiB-month, per hour. */
export const VOLUME_PRICE_PER_HOUR = (30 * 0.08) / 730;
/** A public IPv4 address, per hour (each instance, and the load balancer's one per Availability Zone). */
export const IPV4_PRICE_PER_HOUR = 0.005;

/** The instances the later steps run at most (sections 4b and 6: four instances). */
export const PEAK_INSTANCES = 4;

export interface CostEstimate {
  instanceType: string;
  /** USD per hour of one instance (undefined: a type this table does not know). */
  instancePerHour?: number;
  count: number;
  /** USD per hour with `count` instances and the load balancer (two AZs). */
  perHour?: number;
  /** USD per hour at the peak (PEAK_INSTANCES instances). */
  peakPerHour?: number;
}

const total = (perInstance: number, n: number) => n * (perInstance + VOLUME_PRICE_PER_HOUR + IPV4_PRICE_PER_HOUR) + ALB_PRICE_PER_HOUR + 2 * IPV4_PRICE_PER_HOUR;

export function estimateCost(instanceType: string, count: number): CostEstimate {
  const price = INSTANCE_PRICE_PER_HOUR[instanceType];
  if (price === undefined) return { instanceType, count };
  return { instanceType, count, instancePerHour: price, perHour: total(price, count), peakPerHour: total(price, Math.max(count, PEAK_INSTANCES)) };
}

/** "$0.12" — two significant decimals, at least a cent's precision. */
export const usd = (n: number): string => `$${n < 0.1 ? n.toFixed(3) : n.toFixed(2)}`;
