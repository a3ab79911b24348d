/**
 * What the hands-on costs on real AWS, roughly: the EC2 instances the cluster step chooses (On-Demand,
 * Linux), the Application Load Balancer's hourly charge plus one LCU, the instances' root volumes and
 * the public IPv4 addresses AWS bills per hour, in the regions a hands-on is likely run in. Pure: the
 * walkthrough shows it on real AWS before anything is created. Approximate list prices: the notice
 * says so and points at the pricing pages; a region (or an instance type in it) this table does not
 * know gets no number, and the notice says so.
 */
import type { Translate } from '../l10n';

/**
 * USD per hour, On-Demand, Linux, shared tenancy, by region: every type the cluster step offers in
 * us-east-1; t3.small (the hands-on's) in the other regions. The load balancer: the Application Load
 * Balancer's hour in that region (its LCU-hour is $0.008 in all of these regions).
 *
 * Sources: AWS's price lists, https://aws.amazon.com/ec2/pricing/on-demand/ (EC2, Linux) and
 * https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer). Those pages
 * render their prices by script, so no stored copy of them could be read when this table was
 * written (2026-12); the figures were checked against published copies where one was found:
 * us-east-1 t3.small $0.0208 (cloud-bench.com/blog/aws-t3-micro-vs-t3-small), ap-northeast-1
 * t3.small $0.0272 (public price tables), ap-northeast-1 ALB $0.0243/h and $0.008/LCU-h
 * (aws.darcy-it.com, "ELBのコスト料金"). Third-party tables disagree on eu-central-1 and ap-southeast-1
 * t3.small (these figures are AWS's t3.small = 2 × t3.micro, $0.012 and $0.0132, and were not checked
 * against a stored copy). Hence "approximate: check the pricing pages" in the notice.
 */
export interface RegionPrices {
  instances: Record<string, number>;
  /** Application Load Balancer, per hour (without LCUs). */
  albHour: number;
}

/** How the pricing pages name the regions priced here. */
export const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-central-1': 'Europe (Frankfurt)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
};

export const REGION_PRICES: Record<string, RegionPrices> = {
  'us-east-1': {
    instances: { 't3.micro': 0.0104, 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832, 'm5.large': 0.096, 'c5.large': 0.085 },
    albHour: 0.0225,
  },
  'us-west-2': { instances: { 't3.small': 0.0208 }, albHour: 0.0225 },
  'eu-west-1': { instances: { 't3.small': 0.0228 }, albHour: 0.0252 },
  'eu-central-1': { instances: { 't3.small': 0.024 }, albHour: 0.027 },
  'ap-northeast-1': { instances: { 't3.small': 0.0272 }, albHour: 0.0243 },
  'ap-southeast-1': { instances: { 't3.small': 0.0264 }, albHour: 0.0252 },
};

/** USD per hour, On-Demand Linux, us-east-1 (the instance types the cluster step offers). */
export const INSTANCE_PRICE_PER_HOUR: Record<string, number> = REGION_PRICES['us-east-1'].instances;

/** One LCU-hour (a hands-on uses about one), the same in every region above. */
export const LCU_PRICE_PER_HOUR = 0.008;
/** An Application Load Balancer in us-east-1: $0.0225 per hour plus one LCU. */
export const ALB_PRICE_PER_HOUR = REGION_PRICES['us-east-1'].albHour + LCU_PRICE_PER_HOUR;
/**
 * A 30 GiB gp3 root volume (the ECS-optimized AMI's) at us-east-1's $0.08 per GiB-month, per hour
 * (other regions charge up to ~20 % more: a fraction of a cent per instance-hour).
 */
export const VOLUME_PRICE_PER_HOUR = (30 * 0.08) / 730;
/** A public IPv4 address, per hour, in every region (each instance, and the load balancer's one per Availability Zone). */
export const IPV4_PRICE_PER_HOUR = 0.005;

/** The instances the later steps run at most (sections 4b and 6: four instances). */
export const PEAK_INSTANCES = 4;

export interface CostEstimate {
  instanceType: string;
  region: string;
  /** The region's name on the pricing pages (undefined: a region this table does not know). */
  regionName?: string;
  /** USD per hour of one instance (undefined: a type or region this table does not know). */
  instancePerHour?: number;
  /** USD per hour of the load balancer with one LCU and its two public IPv4 addresses (undefined: region unknown). */
  loadBalancerPerHour?: number;
  count: number;
  /** USD per hour with `count` instances and the load balancer (two AZs). */
  perHour?: number;
  /** USD per hour at the peak (PEAK_INSTANCES instances). */
  peakPerHour?: number;
}

export function estimateCost(instanceType: string, count: number, region = 'us-east-1'): CostEstimate {
  const r = REGION_PRICES[region];
  if (!r) return { instanceType, region, count };
  const loadBalancerPerHour = r.albHour + LCU_PRICE_PER_HOUR + 2 * IPV4_PRICE_PER_HOUR;
  const base = { instanceType, region, regionName: REGION_NAMES[region], loadBalancerPerHour, count };
  const price = r.instances[instanceType];
  if (price === undefined) return base;
  const total = (n: number) => n * (price + VOLUME_PRICE_PER_HOUR + IPV4_PRICE_PER_HOUR) + loadBalancerPerHour;
  return { ...base, instancePerHour: price, perHour: total(count), peakPerHour: total(Math.max(count, PEAK_INSTANCES)) };
}

/** "$0.12" — two significant decimals, at least a cent's precision. */
export const usd = (n: number): string => `$${n < 0.1 ? n.toFixed(3) : n.toFixed(2)}`;

/** The regions this table prices, for the notice of a region it does not. */
export const PRICED_REGIONS = Object.keys(REGION_PRICES);

/**
 * The cost sentence of the walkthrough's real-AWS notice: approximate prices of the region, or
 * plainly that this region (or this instance type in it) has no price here.
 */
export function costNotice(instanceType: string, count: number, region: string, t: Translate): string {
  const e = estimateCost(instanceType, count, region);
  if (e.perHour !== undefined && e.peakPerHour !== undefined && e.instancePerHour !== undefined && e.loadBalancerPerHour !== undefined) {
    return t(
      'Roughly {0} per hour with {1} instances ({2} each), up to {3} per hour while the Blue/Green and auto scaling steps run {4} instances; the load balancer is about {5} of it. Approximate On-Demand prices of {6} with volumes and public IPv4 addresses: check the EC2 and Elastic Load Balancing pricing pages.',
      usd(e.perHour), count, usd(e.instancePerHour), usd(e.peakPerHour), Math.max(count, PEAK_INSTANCES), usd(e.loadBalancerPerHour), REGION_NAMES[region] ? t(REGION_NAMES[region]) : region,
    );
  }
  if (e.loadBalancerPerHour !== undefined) {
    return t(
      'This extension has no price for {0} in {1}: see the EC2 On-Demand pricing page. The load balancer is about {2} per hour there (approximate, check the Elastic Load Balancing pricing page).',
      instanceType, REGION_NAMES[region] ? t(REGION_NAMES[region]) : region, usd(e.loadBalancerPerHour),
    );
  }
  const us = estimateCost(instanceType, count, 'us-east-1');
  return us.perHour !== undefined
    ? t('This extension has no prices for region {0} (it knows {1}): see the EC2 On-Demand and Elastic Load Balancing pricing pages. For comparison, the same resources cost about {2} per hour in US East (N. Virginia).', region, PRICED_REGIONS.join(', '), usd(us.perHour))
    : t('This extension has no prices for region {0} (it knows {1}): see the EC2 On-Demand and Elastic Load Balancing pricing pages.', region, PRICED_REGIONS.join(', '));
}
