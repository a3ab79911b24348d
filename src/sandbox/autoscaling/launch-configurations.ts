/**
 * Launch configurations: CreateLaunchConfiguration, DescribeLaunchConfigurations,
 * DeleteLaunchConfiguration. A group created from one launches its instances with its image, type,
 * security groups, key, instance profile and user data (reconcile.ts), as from a launch template.
 * Everything the caller sends is kept and returned; what EC2 would refuse at launch (unknown
 * security group, key pair, instance profile, instance type) is refused at creation, as AWS does.
 */
import { randomUUID } from 'node:crypto';
import type {
  CreateLaunchConfigurationCommandInput,
  DeleteLaunchConfigurationCommandInput,
  DescribeLaunchConfigurationsCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { instanceType, INSTANCE_TYPES } from '../ec2/instance-types';
import { findKeyPairByName } from '../ec2/key-pairs';
import { checkUserData } from '../ec2/user-data';
import { resolveInstanceProfile } from '../iam';
import { AUTO_SCALING, autoScalingFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own, put } from '../records';
import { xmlDate, type RequestContext } from '../service';
import { pageSize } from './groups';
import { autoScalingState, type LaunchConfiguration } from './model';

/** AWS's limit of launch configurations per region. */
export const LAUNCH_CONFIGURATION_LIMIT = 200;

/** The launch configuration named, or AWS's ValidationError. */
export function launchConfiguration(ctx: RequestContext, name: string): LaunchConfiguration {
  const lc = own(autoScalingState(ctx.state).launchConfigurations, name);
  if (!lc) return f.fail(`Launch configuration name not found - Launch configuration ${name} not found`);
  return lc;
}

/** Security groups by id, or by name in the default VPC (as EC2-Classic-era launch configurations name them). */
function securityGroupsOf(ctx: RequestContext, given: string[]): string[] {
  const all = Object.values(ctx.state.ec2.securityGroups);
  return given.map((x, i) => {
    f.str(x, ['SecurityGroups', i], { min: 1, max: 255 });
    const found = x.startsWith('sg-') ? all.find((g) => g.groupId === x) : all.find((g) => g.groupName === x && ctx.state.ec2.vpcs[g.vpcId]?.isDefault);
    if (!found) f.fail(`The security group '${x}' does not exist`);
    return x;
  });
}

export const createLaunchConfiguration: Operation<CreateLaunchConfigurationCommandInput> = (ctx, input) => {
  const name = f.str(input.LaunchConfigurationName, 'LaunchConfigurationName', { required: true, min: 1, max: 255 });
  if (input.InstanceId !== undefined) {
    f.fail('The sandbox creates launch configurations from ImageId and InstanceType; InstanceId (copying a running instance) is not supported.');
  }
  if (input.ClassicLinkVPCId !== undefined || input.ClassicLinkVPCSecurityGroups?.length) f.fail('ClassicLink is no longer supported by Amazon EC2.');
  const imageId = f.str(input.ImageId, 'ImageId', { min: 1, max: 255 });
  if (imageId === undefined) f.fail('Valid requests must contain either the ImageId or InstanceId parameter.');
  const type = f.str(input.InstanceType, 'InstanceType', { min: 1, max: 255 });
  if (type === undefined) f.fail('Valid requests must contain either the InstanceType or InstanceId parameter.');
  if (!instanceType(type!)) f.fail(`Invalid instance type: ${type}. Instance types in the sandbox: ${Object.keys(INSTANCE_TYPES).join(', ')}.`);
  const s = autoScalingState(ctx.state);
  if (own(s.launchConfigurations, name)) {
    throw new AwsError('AlreadyExists', `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`);
  }
  if (Object.keys(s.launchConfigurations).length >= LAUNCH_CONFIGURATION_LIMIT) {
    throw new AwsError('LimitExceeded', `You have reached the limit of ${LAUNCH_CONFIGURATION_LIMIT} launch configurations in this region.`);
  }
  const keyName = f.str(input.KeyName, 'KeyName', { min: 1, max: 255 });
  if (keyName !== undefined && !findKeyPairByName(ctx, keyName)) f.fail(`The key pair '${keyName}' does not exist`);
  const userData = input.UserData;
  if (userData !== undefined) {
    f.str(userData, 'UserData', { max: 21847 });
    try {
      checkUserData(userData);
    } catch (e) {
      f.fail(`Invalid UserData: ${(e as Error).message}`);
    }
  }
  const profile = f.str(input.IamInstanceProfile, 'IamInstanceProfile', { min: 1, max: 1600 });
  if (profile !== undefined) {
    try {
      resolveInstanceProfile(ctx.world, profile.startsWith('arn:') ? { arn: profile } : { name: profile });
    } catch {
      f.fail(`Invalid IamInstanceProfile: ${profile}`);
    }
  }
  const tenancy = f.oneOf(input.PlacementTenancy, 'PlacementTenancy', ['default', 'dedicated'] as const);
  const md = input.MetadataOptions;
  const metadata = md
    ? {
        ...(md.HttpTokens !== undefined ? { HttpTokens: f.oneOf(md.HttpTokens, ['MetadataOptions', 'HttpTokens'], ['optional', 'required'] as const) } : {}),
        ...(md.HttpPutResponseHopLimit !== undefined ? { HttpPutResponseHopLimit: f.int(md.HttpPutResponseHopLimit, ['MetadataOptions', 'HttpPutResponseHopLimit'], { min: 1, max: 64 }) } : {}),
        ...(md.HttpEndpoint !== undefined ? { HttpEndpoint: f.oneOf(md.HttpEndpoint, ['MetadataOptions', 'HttpEndpoint'], ['disabled', 'enabled'] as const) } : {}),
      }
    : undefined;
  const lc: LaunchConfiguration = {
    LaunchConfigurationName: name,
    LaunchConfigurationARN: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:launchConfiguration:${randomUUID()}:launchConfigurationName/${name}`,
    ImageId: imageId!,
    InstanceType: type!,
    KeyName: keyName ?? '',
    SecurityGroups: securityGroupsOf(ctx, input.SecurityGroups ?? []),
    ClassicLinkVPCSecurityGroups: [],
    UserData: userData ?? '',
    KernelId: f.str(input.KernelId, 'KernelId', { max: 255 }) ?? '',
    RamdiskId: f.str(input.RamdiskId, 'RamdiskId', { max: 255 }) ?? '',
    BlockDeviceMappings: JSON.parse(JSON.stringify(input.BlockDeviceMappings ?? [])) as Record<string, unknown>[],
    InstanceMonitoring: { Enabled: input.InstanceMonitoring?.Enabled ?? true },
    ...(input.SpotPrice !== undefined ? { SpotPrice: f.str(input.SpotPrice, 'SpotPrice', { min: 1, max: 255 }) } : {}),
    ...(profile !== undefined ? { IamInstanceProfile: profile } : {}),
    CreatedTime: ctx.now,
    EbsOptimized: input.EbsOptimized ?? false,
    ...(input.AssociatePublicIpAddress !== undefined ? { AssociatePublicIpAddress: input.AssociatePublicIpAddress } : {}),
    ...(tenancy !== undefined ? { PlacementTenancy: tenancy } : {}),
    ...(metadata ? { MetadataOptions: metadata } : {}),
  };
  put(s.launchConfigurations, name, lc);
  return {};
};

const launchConfigurationOut = (lc: LaunchConfiguration) => ({ ...lc, CreatedTime: xmlDate(lc.CreatedTime) });

export const describeLaunchConfigurations: Operation<DescribeLaunchConfigurationsCommandInput> = (ctx, input) => {
  const names = input.LaunchConfigurationNames ?? [];
  let all = Object.values(autoScalingState(ctx.state).launchConfigurations).sort((a, b) => (a.LaunchConfigurationName < b.LaunchConfigurationName ? -1 : 1));
  if (names.length) all = all.filter((lc) => names.includes(lc.LaunchConfigurationName));
  const { page, next } = paginate(
    all,
    { op: 'DescribeLaunchConfigurations', size: pageSize(input.MaxRecords, 100), token: input.NextToken, key: (lc) => lc.LaunchConfigurationName },
    AUTO_SCALING,
  );
  return { LaunchConfigurations: page.map(launchConfigurationOut), ...(next ? { NextToken: next } : {}) };
};

export const deleteLaunchConfiguration: Operation<DeleteLaunchConfigurationCommandInput> = (ctx, input) => {
  const name = f.str(input.LaunchConfigurationName, 'LaunchConfigurationName', { required: true, min: 1, max: 255 });
  launchConfiguration(ctx, name);
  const s = autoScalingState(ctx.state);
  const user = Object.values(s.groups).find((g) => g.LaunchConfigurationName === name);
  if (user) throw new AwsError('ResourceInUse', `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup ${user.AutoScalingGroupName}`);
  delete s.launchConfigurations[name];
  return {};
};
