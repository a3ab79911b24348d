/**
 * A region's EC2 state as a new account has it: a default VPC with one default subnet in each of
 * two Availability Zones, and the VPC's default security group. Ids are derived from the region so
 * they stay stable across resets.
 */
import { createHash } from 'node:crypto';
import type { Ec2State } from '../engine/state';

const DIRECTIONS: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** The two AZs the sandbox offers in a region (ap-northeast-1 has no "b" for new accounts). */
export function availabilityZones(region: string): { name: string; id: string }[] {
  const letters = region === 'ap-northeast-1' ? ['a', 'c'] : ['a', 'b'];
  // Zone ids as AWS forms them: ap-northeast-1 -> apne1, us-east-1 -> use1, eu-central-1 -> euc1.
  const [geo, dir = '', num = ''] = region.split('-');
  const short = `${geo}${DIRECTIONS[dir] ?? dir.slice(0, 2)}${num}`;
  return letters.map((l, i) => ({ name: `${region}${l}`, id: `${short}-az${i + 1}` }));
}

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);

export function defaultEc2State(region: string): Ec2State {
  const vpcId = `vpc-${hex(`${region}/vpc`, 17)}`;
  const sgId = `sg-${hex(`${region}/sg`, 17)}`;
  const state: Ec2State = {
    vpcs: { [vpcId]: { vpcId, cidrBlock: '172.31.0.0/16', isDefault: true, state: 'available' } },
    subnets: {},
    securityGroups: {
      [sgId]: {
        groupId: sgId,
        groupName: 'default',
        description: 'default VPC security group',
        vpcId,
        ipPermissions: [{ ipProtocol: '-1', ipRanges: [], userIdGroupPairs: [{ groupId: sgId }] }],
        ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] }],
        tags: [],
      },
    },
    launchTemplates: {},
    instances: {},
  };
  availabilityZones(region).forEach((az, i) => {
    const subnetId = `subnet-${hex(`${region}/subnet/${az.name}`, 17)}`;
    state.subnets[subnetId] = {
      subnetId,
      vpcId,
      availabilityZone: az.name,
      availabilityZoneId: az.id,
      cidrBlock: `172.31.${i * 16}.0/20`,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
      availableIpAddressCount: 4091,
    };
  });
  return state;
}
