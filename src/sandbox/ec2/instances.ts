/**
 * RunInstances, and `launchInstances` — the same launch for callers inside the sandbox (EC2 Auto
 * Scaling). Everything is validated before the first instance is stored; each stored `pending`
 * instance is handed to the engine, which boots it and, when its user data names an ECS cluster,
 * registers it as a container instance.
 */
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { ec2Id, hexId } from '../engine/ids';
import type { Instance, SecurityGroup, Subnet, Tag } from '../engine/state';
import { ec2Fields as f, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { resolveInstanceProfile } from '../iam';
import { publicParameter, ecsOptimizedAmis } from '../ssm/public-parameters';
import { checkId, keyPairNotFound, subnetNotFound } from './errors';
import { findKeyPairByName } from './key-pairs';
import { type Ec2Context, mergeTags, missing, tagsFor } from './request';
import { INSTANCE_TYPES, instanceType } from './instance-types';
import { findTemplate, resolveVersion, type TemplateData } from './launch-templates';
import { reservationOutput } from './instance-output';
import { defaultVpcId, findGroup } from './security-groups';
import { checkUserData, decodeUserData, ecsClusterFromUserData } from './user-data';

/** Instances (pending or running) an account may have at once in a region. */
export const INSTANCE_LIMIT = 20;
/** EC2's type when neither the request nor the template names one. */
export const DEFAULT_INSTANCE_TYPE = 'm1.small';

export interface LaunchRequest {
  imageId?: string;
  instanceType?: string;
  minCount: number;
  maxCount: number;
  subnetId?: string;
  availabilityZone?: string;
  securityGroupIds?: string[];
  securityGroupNames?: string[];
  /** Base64. */
  userData?: string;
  iamInstanceProfile?: { arn?: string; name?: string };
  keyName?: string;
  /** Instance tags (from TagSpecifications). */
  tags?: Tag[];
  launchTemplate?: { id?: string; name?: string; version?: string };
  clientToken?: string;
}

export interface Launched {
  reservationId: string;
  instances: Instance[];
}

function imageOf(ctx: Ec2Context, given: string | undefined): string {
  if (given === undefined || given === '') throw missing('ImageId');
  if (given.startsWith('resolve:ssm:')) {
    const p = publicParameter(ctx.region, given.slice('resolve:ssm:'.length));
    if (!p || !/^ami-/.test(p.value)) {
      throw new AwsError('InvalidParameterValue', `Invalid value '${given}' for ImageId. The SSM parameter does not exist or is not an AMI ID.`);
    }
    return p.value;
  }
  checkId('image', given);
  return given;
}

function typeOf(given: string | undefined): string {
  const name = given && given !== '' ? given : DEFAULT_INSTANCE_TYPE;
  if (instanceType(name)) return name;
  if (/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(name)) {
    throw new AwsError(
      'Unsupported',
      `The requested configuration is currently not supported. Please check the documentation for supported configurations. (Instance types in the sandbox: ${Object.keys(INSTANCE_TYPES).join(', ')}.)`,
    );
  }
  throw new AwsError('InvalidParameterValue', `Invalid value '${name}' for InstanceType.`);
}

function subnetOf(ctx: Ec2Context, subnetId: string | undefined, az: string | undefined): Subnet {
  const subnets = Object.values(ctx.state.ec2.subnets);
  if (subnetId) {
    checkId('subnet', subnetId);
    const s = ctx.state.ec2.subnets[subnetId];
    if (!s) throw subnetNotFound(subnetId);
    if (az && s.availabilityZone !== az) {
      throw new AwsError('InvalidParameterValue', `Value (${az}) for parameter availabilityZone is invalid. Subnet '${subnetId}' is in the availability zone ${s.availabilityZone}`);
    }
    return s;
  }
  // No subnet: the default VPC's default subnet (in the requested AZ, else the first AZ).
  const vpcId = defaultVpcId(ctx);
  const defaults = subnets.filter((s) => s.vpcId === vpcId && s.defaultForAz).sort((a, b) => (a.availabilityZone < b.availabilityZone ? -1 : 1));
  if (az) {
    const s = defaults.find((x) => x.availabilityZone === az);
    if (!s) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${az}]`);
    return s;
  }
  if (defaults.length === 0) throw new AwsError('MissingInput', 'No subnets found for the default VPC. Please specify a subnet.');
  return defaults[0];
}

function groupsOf(ctx: Ec2Context, subnet: Subnet, ids: string[], names: string[]): SecurityGroup[] {
  const out: SecurityGroup[] = [];
  for (const id of ids) out.push(findGroup(ctx, { id }));
  for (const name of names) {
    const sg = Object.values(ctx.state.ec2.securityGroups).find((g) => g.vpcId === subnet.vpcId && g.groupName === name);
    if (!sg) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in VPC '${subnet.vpcId}'`);
    out.push(sg);
  }
  for (const sg of out) {
    if (sg.vpcId !== subnet.vpcId) {
      throw new AwsError('InvalidParameter', `Security group ${sg.groupId} and subnet ${subnet.subnetId} belong to different networks.`);
    }
  }
  if (out.length === 0) {
    const def = Object.values(ctx.state.ec2.securityGroups).find((g) => g.vpcId === subnet.vpcId && g.groupName === 'default');
    if (def) out.push(def);
  }
  return [...new Map(out.map((g) => [g.groupId, g])).values()];
}

const ipToInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** A free private address in the subnet (AWS reserves the first four and the last). */
function privateIp(ctx: Ec2Context, subnet: Subnet, taken: Set<string>): string {
  const [base, bits] = subnet.cidrBlock.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = ipToInt(base);
  for (const i of Object.values(ctx.state.ec2.instances)) if (i.state !== 'terminated') taken.add(i.privateIpAddress);
  for (let attempt = 0; attempt < 64; attempt++) {
    const ip = intToIp(start + 4 + Math.floor(Math.random() * (size - 5)));
    if (!taken.has(ip)) return ip;
  }
  for (let off = 4; off < size - 1; off++) {
    const ip = intToIp(start + off);
    if (!taken.has(ip)) return ip;
  }
  throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`);
}

/** Launches instances as RunInstances does; used by the handler and by EC2 Auto Scaling. */
export function launchInstances(ctx: Ec2Context, req: LaunchRequest, opts: { dryRun?: boolean } = {}): Launched {
  // Idempotency: the same client token returns the first call's reservation.
  if (req.clientToken) {
    const prior = Object.values(ctx.state.ec2.instances).filter((i) => i.clientToken === req.clientToken);
    if (prior.length > 0) return { reservationId: prior[0].reservationId ?? '', instances: prior };
  }
  let template: TemplateData = {};
  let ltRef: Instance['launchTemplate'];
  if (req.launchTemplate) {
    const lt = findTemplate(ctx, req.launchTemplate);
    const v = resolveVersion(lt, req.launchTemplate.version);
    template = v.data;
    ltRef = { launchTemplateId: lt.launchTemplateId, launchTemplateName: lt.launchTemplateName, version: String(v.versionNumber) };
  }
  const nic = template.networkInterfaces?.find((n) => (n.deviceIndex ?? 0) === 0);
  const imageId = imageOf(ctx, req.imageId ?? template.imageId);
  const type = typeOf(req.instanceType ?? template.instanceType);
  const { minCount, maxCount } = req;
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${minCount}' for minCount. Requested instance count must be greater than zero.`);
  }
  if (!Number.isInteger(maxCount) || maxCount < minCount) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${maxCount}' for maxCount. Must be greater than or equal to minCount.`);
  }
  const subnet = subnetOf(ctx, req.subnetId ?? nic?.subnetId, req.availabilityZone ?? template.placement?.availabilityZone);
  const groups = groupsOf(
    ctx,
    subnet,
    req.securityGroupIds ?? nic?.groups ?? template.securityGroupIds ?? [],
    req.securityGroupNames ?? template.securityGroups ?? [],
  );
  const userData = req.userData ?? template.userData;
  if (userData !== undefined) checkUserData(userData);
  // The instance profile must exist in IAM and hold a role (a fresh account has none: not even ecsInstanceRole).
  const profileSpec = req.iamInstanceProfile ?? template.iamInstanceProfile;
  const profile = profileSpec ? resolveInstanceProfile(ctx.world, profileSpec) : undefined;
  const keyName = req.keyName ?? template.keyName;
  if (keyName !== undefined && keyName !== '' && !findKeyPairByName(ctx, keyName)) throw keyPairNotFound(keyName);
  const templateTags = (template.tagSpecifications ?? []).filter((s) => s.resourceType === 'instance').flatMap((s) => s.tags);
  let tags = mergeTags(templateTags, req.tags ?? []);
  if (ltRef) {
    tags = mergeTags(tags, [
      { key: 'aws:ec2launchtemplate:id', value: ltRef.launchTemplateId },
      { key: 'aws:ec2launchtemplate:version', value: ltRef.version },
    ]);
  }
  const active = Object.values(ctx.state.ec2.instances).filter((i) => i.state === 'pending' || i.state === 'running').length;
  const room = INSTANCE_LIMIT - active;
  if (room < minCount) {
    throw new AwsError(
      'InstanceLimitExceeded',
      `You have requested more instances (${active + minCount}) than your current instance limit of ${INSTANCE_LIMIT} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    );
  }
  if (opts.dryRun) throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);

  const text = userData !== undefined ? decodeUserData(userData) : '';
  // The ECS-optimized AMI's agent joins `default` when ecs.config names no cluster.
  const ecsCluster = ecsClusterFromUserData(text) ?? (ecsOptimizedAmis(ctx.region).has(imageId) ? 'default' : undefined);
  const reservationId = `r-${hexId(17)}`;
  const count = Math.min(maxCount, room);
  const taken = new Set<string>();
  const instances: Instance[] = [];
  for (let n = 0; n < count; n++) {
    const ip = privateIp(ctx, subnet, taken);
    taken.add(ip);
    const instance: Instance = {
      instanceId: ec2Id('i'),
      imageId,
      instanceType: type,
      state: 'pending',
      launchTime: ctx.now,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      privateIpAddress: ip,
      securityGroupIds: groups.map((g) => g.groupId),
      ...(userData !== undefined ? { userData } : {}),
      ...(ltRef ? { launchTemplate: { ...ltRef } } : {}),
      tags: tags.map((t) => ({ ...t })),
      reservationId,
      amiLaunchIndex: n,
      ...(profile ? { iamInstanceProfile: { arn: profile.Arn, id: profile.InstanceProfileId } } : {}),
      ...(keyName ? { keyName } : {}),
      ...(req.clientToken ? { clientToken: req.clientToken } : {}),
      ...(ecsCluster ? { ecsCluster } : {}),
    };
    instances.push(instance);
  }
  for (const i of instances) ctx.state.ec2.instances[i.instanceId] = i;
  for (const i of instances) ctx.engine.instanceLaunched(ctx.state, i);
  return { reservationId, instances };
}

export const runInstances: Operation<RunInstancesCommandInput> = (ctx, input) => {
  const minCount = f.int(input.MinCount, 'MinCount');
  const maxCount = f.int(input.MaxCount, 'MaxCount');
  if (minCount === undefined) throw missing('MinCount');
  if (maxCount === undefined) throw missing('MaxCount');
  const lt = input.LaunchTemplate;
  const nics = input.NetworkInterfaces ?? [];
  const nic = nics.find((n) => (n.DeviceIndex ?? 0) === 0) ?? nics[0];
  const profile = input.IamInstanceProfile;
  const ids = input.SecurityGroupIds ?? [];
  const nicGroups = nic?.Groups ?? [];
  const names = input.SecurityGroups ?? [];
  const launched = launchInstances(
    ctx,
    {
      imageId: input.ImageId,
      instanceType: input.InstanceType,
      minCount,
      maxCount,
      subnetId: input.SubnetId ?? nic?.SubnetId,
      availabilityZone: input.Placement?.AvailabilityZone,
      securityGroupIds: ids.length > 0 ? ids : nicGroups.length > 0 ? nicGroups : undefined,
      securityGroupNames: names.length > 0 ? names : undefined,
      userData: input.UserData,
      iamInstanceProfile:
        profile?.Arn !== undefined || profile?.Name !== undefined
          ? { ...(profile.Arn !== undefined ? { arn: profile.Arn } : {}), ...(profile.Name !== undefined ? { name: profile.Name } : {}) }
          : undefined,
      keyName: input.KeyName,
      tags: tagsFor(input.TagSpecifications, 'instance', ['instance', 'volume', 'network-interface']),
      launchTemplate:
        lt?.LaunchTemplateId !== undefined || lt?.LaunchTemplateName !== undefined
          ? { id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version }
          : undefined,
      clientToken: input.ClientToken,
    },
    { dryRun: input.DryRun === true },
  );
  return reservationOutput(ctx, launched.reservationId, launched.instances);
};
