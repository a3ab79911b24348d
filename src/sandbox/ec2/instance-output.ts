/**
 * An instance as EC2 returns it (RunInstances' instancesSet, DescribeInstances' reservationSet),
 * with EC2's element names.
 */
import { createHash } from 'node:crypto';
import type { Instance } from '../engine/state';
import type { RequestContext } from '../service';
import { xmlDate } from '../service';
import { publicAmiArchitectures } from '../ssm/public-parameters';
import { tagSet } from './request';
import { instanceType } from './instance-types';

export const STATE_CODES: Record<Instance['state'], number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export const stateOutput = (state: Instance['state']) => ({ code: STATE_CODES[state], name: state });

const hash = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);

export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** EC2's `stateReason`: code and message. */
function stateReason(i: Instance): { code: string; message: string } | undefined {
  if (i.state === 'pending') return { code: 'pending', message: 'pending' };
  if (i.state === 'running') return undefined;
  if (i.stateReason) {
    const code = i.stateReason.includes(':') ? i.stateReason.slice(0, i.stateReason.indexOf(':')) : i.stateReason;
    return { code, message: i.stateReason };
  }
  if (i.state === 'shutting-down' || i.state === 'terminated') {
    return { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  }
  return undefined;
}

const gmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');

function groupSet(ctx: RequestContext, i: Instance) {
  return i.securityGroupIds.map((id) => ({ groupId: id, groupName: ctx.state.ec2.securityGroups[id]?.groupName ?? '' }));
}

function profileOutput(ctx: RequestContext, i: Instance) {
  const p = i.iamInstanceProfile;
  if (!p) return undefined;
  const arn = p.arn ?? `arn:aws:iam::${ctx.accountId}:instance-profile/${p.name}`;
  return { arn, id: p.id ?? `AIPA${hash(arn, 17).toUpperCase()}` };
}

export function instanceOutput(ctx: RequestContext, i: Instance) {
  const gone = i.state === 'terminated';
  const type = instanceType(i.instanceType);
  const arch = publicAmiArchitectures(ctx.region).get(i.imageId) ?? 'x86_64';
  const dns = gone ? '' : privateDnsName(ctx.region, i.privateIpAddress);
  const eni = `eni-${hash(`${i.instanceId}/eni`, 17)}`;
  const groups = gone ? [] : groupSet(ctx, i);
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: stateOutput(i.state),
    privateDnsName: dns,
    dnsName: '',
    reason: gone || i.state === 'shutting-down' ? `User initiated (${gmt(i.terminatedAt ?? ctx.now)})` : '',
    keyName: i.keyName,
    amiLaunchIndex: i.amiLaunchIndex ?? 0,
    productCodes: [] as never[],
    instanceType: i.instanceType,
    launchTime: xmlDate(i.launchTime),
    placement: {
      availabilityZone: i.availabilityZone,
      availabilityZoneId: Object.values(ctx.state.ec2.subnets).find((s) => s.availabilityZone === i.availabilityZone)?.availabilityZoneId,
      groupName: '',
      // Instances in a dedicated VPC run on dedicated hardware.
      tenancy: ctx.state.ec2.vpcs[i.vpcId]?.instanceTenancy ?? 'default',
    },
    monitoring: { state: 'disabled' },
    subnetId: gone ? undefined : i.subnetId,
    vpcId: gone ? undefined : i.vpcId,
    privateIpAddress: gone ? undefined : i.privateIpAddress,
    sourceDestCheck: gone ? undefined : true,
    groupSet: groups,
    stateReason: stateReason(i),
    architecture: arch,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    blockDeviceMapping: [] as never[],
    virtualizationType: 'hvm',
    clientToken: i.clientToken ?? '',
    tagSet: tagSet(i.tags),
    hypervisor: 'xen',
    networkInterfaceSet: gone
      ? []
      : [
          {
            networkInterfaceId: eni,
            subnetId: i.subnetId,
            vpcId: i.vpcId,
            description: '',
            ownerId: ctx.accountId,
            status: 'in-use',
            macAddress: hash(`${i.instanceId}/mac`, 12).replace(/(..)(?!$)/g, '$1:'),
            privateIpAddress: i.privateIpAddress,
            privateDnsName: dns,
            sourceDestCheck: true,
            groupSet: groups,
            attachment: {
              attachmentId: `eni-attach-${hash(`${i.instanceId}/attach`, 17)}`,
              deviceIndex: 0,
              status: 'attached',
              attachTime: xmlDate(i.launchTime),
              deleteOnTermination: true,
              networkCardIndex: 0,
            },
            privateIpAddressesSet: [{ privateIpAddress: i.privateIpAddress, privateDnsName: dns, primary: true }],
            ipv6AddressesSet: [] as never[],
            interfaceType: 'interface',
          },
        ],
    iamInstanceProfile: profileOutput(ctx, i),
    ebsOptimized: false,
    enaSupport: true,
    cpuOptions: type ? { coreCount: Math.max(1, type.vcpus / (type.vcpus > 1 ? 2 : 1)), threadsPerCore: type.vcpus > 1 ? 2 : 1 } : undefined,
    metadataOptions: { state: 'applied', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    usageOperationUpdateTime: xmlDate(i.launchTime),
    currentInstanceBootMode: 'legacy-bios',
    bootMode: 'uefi-preferred',
  };
}

export function reservationOutput(ctx: RequestContext, reservationId: string, instances: Instance[]) {
  return {
    reservationId,
    ownerId: ctx.accountId,
    groupSet: [] as never[],
    instancesSet: instances.map((i) => instanceOutput(ctx, i)),
  };
}
