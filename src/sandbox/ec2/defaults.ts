/**
 * A region's EC2 state as a new account has it: a default VPC with one default subnet in each of
 * two Availability Zones, the VPC's default security group, an internet gateway attached to it and
 * its main route table (the local route and 0.0.0.0/0 to that gateway). Ids are derived from the
 * region so they stay stable across resets.
 */
import { createHash } from 'node:crypto';
import type { Ec2State, RouteTable, SecurityGroup } from '../engine/state';

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

/** A VPC's main route table as CreateVpc makes it: the local route, associated as main. */
export function mainRouteTable(routeTableId: string, associationId: string, vpcId: string, cidrBlock: string): RouteTable {
  return {
    routeTableId,
    vpcId,
    routes: [{ destinationCidrBlock: cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    associations: [{ associationId, main: true }],
    tags: [],
  };
}

/** The default VPC's internet gateway and main route table (a route to the internet through it). */
function defaultGateway(region: string, vpcId: string, cidrBlock: string): Pick<Ec2State, 'internetGateways' | 'routeTables'> {
  const igwId = `igw-${hex(`${region}/igw`, 17)}`;
  const rtb = mainRouteTable(`rtb-${hex(`${region}/rtb`, 17)}`, `rtbassoc-${hex(`${region}/rtbassoc`, 17)}`, vpcId, cidrBlock);
  rtb.routes.push({ destinationCidrBlock: '0.0.0.0/0', gatewayId: igwId, origin: 'CreateRoute' });
  return {
    internetGateways: { [igwId]: { internetGatewayId: igwId, attachments: [{ vpcId }], tags: [] } },
    routeTables: { [rtb.routeTableId]: rtb },
  };
}

/**
 * Brings the EC2 state of a file saved before internet gateways, route tables and key pairs were
 * kept to the current shape, in place (the raw parsed JSON, checked by the schema afterwards): the
 * default VPC gets its gateway and main route table, any other VPC a main route table. True when
 * it changed something.
 */
export function completeEc2Network(region: string, ec2: Record<string, unknown>): boolean {
  let changed = false;
  const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!Object.hasOwn(ec2, 'routeTables')) {
    const vpcs = isRecord(ec2.vpcs) ? Object.values(ec2.vpcs).filter(isRecord) : [];
    const routeTables: Record<string, RouteTable> = {};
    for (const vpc of vpcs) {
      if (typeof vpc.vpcId !== 'string' || typeof vpc.cidrBlock !== 'string') continue;
      if (vpc.isDefault === true && !Object.hasOwn(ec2, 'internetGateways')) {
        const net = defaultGateway(region, vpc.vpcId, vpc.cidrBlock);
        ec2.internetGateways = net.internetGateways;
        Object.assign(routeTables, net.routeTables);
      } else {
        const seed = `${region}/${vpc.vpcId}`;
        const rtb = mainRouteTable(`rtb-${hex(`${seed}/rtb`, 17)}`, `rtbassoc-${hex(`${seed}/rtbassoc`, 17)}`, vpc.vpcId, vpc.cidrBlock);
        routeTables[rtb.routeTableId] = rtb;
      }
    }
    ec2.routeTables = routeTables;
    changed = true;
  }
  for (const key of ['internetGateways', 'keyPairs']) {
    if (!Object.hasOwn(ec2, key)) {
      ec2[key] = {};
      changed = true;
    }
  }
  return changed;
}

/** A VPC's default security group, as EC2 creates it with the VPC: all traffic from itself, all out. */
export function defaultSecurityGroup(groupId: string, vpcId: string): SecurityGroup {
  return {
    groupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId,
    ipPermissions: [{ ipProtocol: '-1', ipRanges: [], userIdGroupPairs: [{ groupId }] }],
    ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] }],
    tags: [],
  };
}

export function defaultEc2State(region: string): Ec2State {
  const vpcId = `vpc-${hex(`${region}/vpc`, 17)}`;
  const sgId = `sg-${hex(`${region}/sg`, 17)}`;
  const state: Ec2State = {
    vpcs: { [vpcId]: { vpcId, cidrBlock: '172.31.0.0/16', isDefault: true, state: 'available' } },
    subnets: {},
    securityGroups: {
      [sgId]: defaultSecurityGroup(sgId, vpcId),
    },
    launchTemplates: {},
    instances: {},
    ...defaultGateway(region, vpcId, '172.31.0.0/16'),
    keyPairs: {},
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
