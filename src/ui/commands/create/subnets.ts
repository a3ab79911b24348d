/** Subnets for the cluster's instances and the load balancer: one in each of two AZs, one VPC. */
import type { Subnet } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../../aws';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { PickItem } from '../steps';

export async function describeSubnets(clients: AwsClients): Promise<Subnet[]> {
  const aws = loadAws();
  const out = await clients.ec2.send(new aws.DescribeSubnetsCommand({}));
  return out.Subnets ?? [];
}

/** One subnet in each of the first two AZs, the default VPC's default subnets first. */
export function defaultSubnetIds(subnets: Subnet[]): string[] {
  const sorted = [...subnets].sort(
    (a, b) => Number(!!b.DefaultForAz) - Number(!!a.DefaultForAz) || (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''),
  );
  const vpc = sorted[0]?.VpcId;
  const byAz = new Map<string, string>();
  for (const sn of sorted) {
    if (sn.VpcId !== vpc || !sn.AvailabilityZone || !sn.SubnetId || byAz.has(sn.AvailabilityZone)) continue;
    byAz.set(sn.AvailabilityZone, sn.SubnetId);
  }
  return [...byAz.values()].slice(0, 2);
}

export function subnetItems(subnets: Subnet[]): PickItem<string>[] {
  return [...subnets]
    .sort((a, b) => (a.VpcId ?? '').localeCompare(b.VpcId ?? '') || (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''))
    .map((sn) => ({
      label: sn.SubnetId ?? '',
      description: `${sn.AvailabilityZone ?? ''} · ${sn.CidrBlock ?? ''}`,
      detail: `${sn.VpcId ?? ''}${sn.DefaultForAz ? ` · ${t('default for AZ')}` : ''}${nameTag(sn.Tags) ? ` · ${nameTag(sn.Tags)}` : ''}`,
      value: sn.SubnetId ?? '',
    }));
}

const nameTag = (tags: { Key?: string; Value?: string }[] | undefined) => tags?.find((x) => x.Key === 'Name')?.Value;

/** Subnets must exist, share one VPC and cover at least two Availability Zones. */
export function checkSubnets(ids: string[], subnets: Subnet[]): string | undefined {
  if (ids.length === 0) return t('Choose a subnet in each of two Availability Zones.');
  const chosen: Subnet[] = [];
  for (const id of ids) {
    const sn = subnets.find((x) => x.SubnetId === id);
    if (!sn) return t('Subnet {0} does not exist.', id);
    chosen.push(sn);
  }
  if (new Set(chosen.map((x) => x.VpcId)).size > 1) return t('Choose subnets of one VPC.');
  const azs = new Set(chosen.map((x) => x.AvailabilityZone));
  if (azs.size < 2) return t('Choose subnets in at least two Availability Zones (chosen: {0}).', [...azs].join(', '));
  return undefined;
}
