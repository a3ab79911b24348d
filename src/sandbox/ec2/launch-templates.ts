/**
 * Launch templates: Create / CreateVersion / Describe / DescribeVersions / Delete, and the version
 * resolution RunInstances (and EC2 Auto Scaling) use.
 *
 * A version's `data` keeps lower-camel keys: imageId, instanceType, userData (base64),
 * securityGroupIds, securityGroups (names), iamInstanceProfile {arn, name}, keyName,
 * tagSpecifications [{resourceType, tags}], placement {availabilityZone},
 * networkInterfaces [{deviceIndex, subnetId, groups, associatePublicIpAddress}].
 */
import type {
  CreateLaunchTemplateCommandInput,
  CreateLaunchTemplateVersionCommandInput,
  DeleteLaunchTemplateCommandInput,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplateVersionsCommandInput,
  ModifyLaunchTemplateCommandInput,
  RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { LaunchTemplate, LaunchTemplateVersion, Tag } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { xmlDate } from '../service';
import { checkId, launchTemplateIdNotFound, launchTemplateNameNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { type Ec2Context, checkDryRun, missing, pageSize, tagList, tagSet, tagsFor } from './request';
import { checkUserData } from './user-data';

export interface TemplateData {
  imageId?: string;
  instanceType?: string;
  userData?: string;
  securityGroupIds?: string[];
  securityGroups?: string[];
  iamInstanceProfile?: { arn?: string; name?: string };
  keyName?: string;
  tagSpecifications?: { resourceType: string; tags: Tag[] }[];
  placement?: { availabilityZone?: string };
  networkInterfaces?: { deviceIndex?: number; subnetId?: string; groups?: string[]; associatePublicIpAddress?: boolean }[];
}

const NAME_RE = /^[a-zA-Z0-9().\-/_]{3,128}$/;
const TAGGABLE_IN_TEMPLATE = ['instance', 'volume', 'network-interface', 'spot-instances-request'];

function checkName(name: string | undefined): string {
  if (name === undefined || name === '') throw missing('LaunchTemplateName');
  if (!NAME_RE.test(name)) {
    throw new AwsError(
      'InvalidLaunchTemplateName.MalformedException',
      "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'",
    );
  }
  return name;
}

/** `LaunchTemplateData` into the stored shape. */
export function parseTemplateData(d: RequestLaunchTemplateData): TemplateData {
  const out: TemplateData = {};
  if (d.ImageId) out.imageId = d.ImageId;
  if (d.InstanceType) out.instanceType = d.InstanceType;
  if (d.UserData) out.userData = checkUserData(d.UserData);
  if (d.SecurityGroupIds?.length) out.securityGroupIds = d.SecurityGroupIds;
  if (d.SecurityGroups?.length) out.securityGroups = d.SecurityGroups;
  const profile = d.IamInstanceProfile;
  if (profile?.Arn !== undefined || profile?.Name !== undefined) {
    out.iamInstanceProfile = { ...(profile.Arn !== undefined ? { arn: profile.Arn } : {}), ...(profile.Name !== undefined ? { name: profile.Name } : {}) };
  }
  if (d.KeyName) out.keyName = d.KeyName;
  const specs = (d.TagSpecifications ?? []).map((o) => {
    const resourceType = o.ResourceType ?? '';
    if (!TAGGABLE_IN_TEMPLATE.includes(resourceType)) {
      throw new AwsError('InvalidParameterValue', `'${resourceType}' is not a valid taggable resource type for this operation.`);
    }
    return { resourceType, tags: tagList(o.Tags) };
  });
  if (specs.length > 0) out.tagSpecifications = specs;
  if (d.Placement?.AvailabilityZone !== undefined) out.placement = { availabilityZone: d.Placement.AvailabilityZone };
  const nics = (d.NetworkInterfaces ?? []).map((o) => ({
    ...(o.DeviceIndex !== undefined ? { deviceIndex: o.DeviceIndex } : {}),
    ...(o.SubnetId !== undefined ? { subnetId: o.SubnetId } : {}),
    ...(o.Groups?.length ? { groups: o.Groups } : {}),
    ...(o.AssociatePublicIpAddress !== undefined ? { associatePublicIpAddress: o.AssociatePublicIpAddress } : {}),
  }));
  if (nics.length > 0) out.networkInterfaces = nics;
  return out;
}

/** `launchTemplateData` as EC2 returns it. */
function dataOutput(data: TemplateData) {
  return {
    imageId: data.imageId,
    instanceType: data.instanceType,
    userData: data.userData,
    keyName: data.keyName,
    securityGroupIdSet: data.securityGroupIds,
    securityGroupSet: data.securityGroups,
    iamInstanceProfile: data.iamInstanceProfile,
    placement: data.placement,
    tagSpecificationSet: data.tagSpecifications?.map((t) => ({ resourceType: t.resourceType, tagSet: tagSet(t.tags) })),
    // `groupSet` here is a list of <groupId> elements, which the generic <item> encoding cannot express.
    networkInterfaceSet: data.networkInterfaces?.map((n) => ({
      deviceIndex: n.deviceIndex,
      subnetId: n.subnetId,
      associatePublicIpAddress: n.associatePublicIpAddress,
    })),
  };
}

export function templateOutput(ctx: RequestContext, lt: LaunchTemplate) {
  return {
    launchTemplateId: lt.launchTemplateId,
    launchTemplateName: lt.launchTemplateName,
    createTime: xmlDate(lt.createTime),
    createdBy: `arn:aws:iam::${ctx.accountId}:root`,
    defaultVersionNumber: lt.defaultVersionNumber,
    latestVersionNumber: lt.latestVersionNumber,
    tagSet: tagSet(lt.tags),
  };
}

function versionOutput(ctx: RequestContext, lt: LaunchTemplate, v: LaunchTemplateVersion) {
  return {
    launchTemplateId: lt.launchTemplateId,
    launchTemplateName: lt.launchTemplateName,
    versionNumber: v.versionNumber,
    versionDescription: v.versionDescription,
    createTime: xmlDate(v.createTime),
    createdBy: `arn:aws:iam::${ctx.accountId}:root`,
    defaultVersion: v.versionNumber === lt.defaultVersionNumber,
    launchTemplateData: dataOutput(v.data as TemplateData),
  };
}

/** A template by id or name; EC2's errors when neither or an unknown one is given. */
export function findTemplate(ctx: Ec2Context, ref: { id?: string; name?: string }): LaunchTemplate {
  const all = ctx.state.ec2.launchTemplates;
  if (ref.id) {
    checkId('launch-template', ref.id);
    const lt = all[ref.id];
    if (!lt) throw launchTemplateIdNotFound(ref.id);
    return lt;
  }
  if (ref.name) {
    const lt = Object.values(all).find((t) => t.launchTemplateName === ref.name);
    if (!lt) throw launchTemplateNameNotFound();
    return lt;
  }
  throw new AwsError('MissingParameter', 'The request must contain the parameter launchTemplateName or launchTemplateId');
}

/** `$Latest`, `$Default` or a version number; absent means the default version (as RunInstances does). */
export function resolveVersion(lt: LaunchTemplate, version: string | undefined): LaunchTemplateVersion {
  let n: number;
  if (version === undefined || version === '' || version === '$Default') n = lt.defaultVersionNumber;
  else if (version === '$Latest') n = lt.latestVersionNumber;
  else if (/^\d{1,9}$/.test(version)) n = Number(version);
  else {
    throw new AwsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find the specified version ${version} for the launch template with ID ${lt.launchTemplateId}.`);
  }
  const v = lt.versions.find((x) => x.versionNumber === n);
  if (!v) {
    throw new AwsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find the specified version ${version ?? n} for the launch template with ID ${lt.launchTemplateId}.`);
  }
  return v;
}

function description(input: { VersionDescription?: string }): { versionDescription?: string } {
  const d = input.VersionDescription;
  if (d !== undefined && d.length > 255) throw new AwsError('InvalidParameterValue', 'Version description must be at most 255 characters.');
  return d ? { versionDescription: d } : {};
}

export const createLaunchTemplate: Operation<CreateLaunchTemplateCommandInput> = (ctx, input) => {
  const name = checkName(input.LaunchTemplateName);
  if (input.LaunchTemplateData === undefined) throw missing('LaunchTemplateData');
  const data = parseTemplateData(input.LaunchTemplateData);
  const tags = tagsFor(input.TagSpecifications, 'launch-template', ['launch-template']);
  if (Object.values(ctx.state.ec2.launchTemplates).some((t) => t.launchTemplateName === name)) {
    throw new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
  }
  checkDryRun(input);
  const id = ec2Id('lt');
  const lt: LaunchTemplate = {
    launchTemplateId: id,
    launchTemplateName: name,
    createTime: ctx.now,
    defaultVersionNumber: 1,
    latestVersionNumber: 1,
    versions: [{ versionNumber: 1, createTime: ctx.now, data: { ...data }, ...description(input) }],
    tags,
  };
  ctx.state.ec2.launchTemplates[id] = lt;
  return { launchTemplate: templateOutput(ctx, lt) };
};

export const createLaunchTemplateVersion: Operation<CreateLaunchTemplateVersionCommandInput> = (ctx, input) => {
  const lt = findTemplate(ctx, { id: input.LaunchTemplateId, name: input.LaunchTemplateName });
  if (input.LaunchTemplateData === undefined) throw missing('LaunchTemplateData');
  const given = parseTemplateData(input.LaunchTemplateData);
  const source = input.SourceVersion;
  // With a source version, the new data overrides the source's, key by key.
  const base = source !== undefined ? { ...resolveVersion(lt, source).data } : {};
  if (lt.versions.length >= 10_000) throw new AwsError('VersionLimitExceeded', 'The maximum number of launch template versions has been reached.');
  checkDryRun(input);
  const v: LaunchTemplateVersion = {
    versionNumber: lt.latestVersionNumber + 1,
    createTime: ctx.now,
    data: { ...base, ...given },
    ...description(input),
  };
  lt.versions.push(v);
  lt.latestVersionNumber = v.versionNumber;
  return { launchTemplateVersion: versionOutput(ctx, lt, v) };
};

export const describeLaunchTemplates: Operation<DescribeLaunchTemplatesCommandInput> = (ctx, input) => {
  const ids = input.LaunchTemplateIds ?? [];
  const names = input.LaunchTemplateNames ?? [];
  const picked = new Set<string>();
  for (const id of ids) picked.add(findTemplate(ctx, { id }).launchTemplateId);
  for (const name of names) picked.add(findTemplate(ctx, { name }).launchTemplateId);
  const all = Object.values(ctx.state.ec2.launchTemplates);
  const selected = ids.length + names.length > 0 ? all.filter((t) => picked.has(t.launchTemplateId)) : all;
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'launch-template-name': (t) => t.launchTemplateName,
      'launch-template-id': (t) => t.launchTemplateId,
      'create-time': (t) => new Date(t.createTime).toISOString(),
    },
    (t) => t.tags,
  );
  const { page, next } = paginate(
    out,
    { op: 'DescribeLaunchTemplates', size: pageSize(input.MaxResults, { min: 1, max: 200 }), token: input.NextToken, key: (t) => t.launchTemplateId },
    ec2Dialect,
  );
  return { launchTemplates: page.map((t) => templateOutput(ctx, t)), nextToken: next };
};

export const describeLaunchTemplateVersions: Operation<DescribeLaunchTemplateVersionsCommandInput> = (ctx, input) => {
  const id = input.LaunchTemplateId;
  const name = input.LaunchTemplateName;
  const wanted = input.Versions ?? [];
  const templates = id || name ? [findTemplate(ctx, { id, name })] : Object.values(ctx.state.ec2.launchTemplates);
  if (!id && !name && wanted.some((w) => w !== '$Latest' && w !== '$Default')) {
    throw new AwsError(
      'InvalidParameterCombination',
      'When you do not specify a launch template, you can only specify $Latest or $Default versions.',
    );
  }
  const min = input.MinVersion;
  const max = input.MaxVersion;
  const pairs: { lt: LaunchTemplate; v: LaunchTemplateVersion }[] = [];
  for (const lt of templates) {
    let versions: LaunchTemplateVersion[];
    if (wanted.length > 0) {
      const seen = new Set<number>();
      versions = wanted.map((w) => resolveVersion(lt, w)).filter((v) => !seen.has(v.versionNumber) && !!seen.add(v.versionNumber));
    } else {
      versions = lt.versions.slice().sort((a, b) => b.versionNumber - a.versionNumber);
    }
    versions = versions.filter(
      (v) => (min === undefined || v.versionNumber >= Number(min)) && (max === undefined || v.versionNumber <= Number(max)),
    );
    for (const v of versions) pairs.push({ lt, v });
  }
  const filtered = applyFilters(pairs, parseFilters(input.Filters), {
    'image-id': (p) => (p.v.data as TemplateData).imageId,
    'instance-type': (p) => (p.v.data as TemplateData).instanceType,
    'is-default-version': (p) => p.v.versionNumber === p.lt.defaultVersionNumber,
    'iam-instance-profile': (p) => (p.v.data as TemplateData).iamInstanceProfile?.arn ?? (p.v.data as TemplateData).iamInstanceProfile?.name,
  });
  const { page, next } = paginate(
    filtered,
    { op: 'DescribeLaunchTemplateVersions', size: pageSize(input.MaxResults, { min: 1, max: 200 }), token: input.NextToken, key: (p) => `${p.lt.launchTemplateId}:${p.v.versionNumber}` },
    ec2Dialect,
  );
  return { launchTemplateVersionSet: page.map((p) => versionOutput(ctx, p.lt, p.v)), nextToken: next };
};

export const deleteLaunchTemplate: Operation<DeleteLaunchTemplateCommandInput> = (ctx, input) => {
  const lt = findTemplate(ctx, { id: input.LaunchTemplateId, name: input.LaunchTemplateName });
  checkDryRun(input);
  delete ctx.state.ec2.launchTemplates[lt.launchTemplateId];
  return { launchTemplate: templateOutput(ctx, lt) };
};

/** ModifyLaunchTemplate: makes another version the default. */
export const modifyLaunchTemplate: Operation<ModifyLaunchTemplateCommandInput> = (ctx, input) => {
  const lt = findTemplate(ctx, { id: input.LaunchTemplateId, name: input.LaunchTemplateName });
  const wanted = input.DefaultVersion;
  const v = wanted !== undefined && wanted !== '' ? resolveVersion(lt, wanted) : undefined;
  checkDryRun(input);
  if (v) lt.defaultVersionNumber = v.versionNumber;
  return { launchTemplate: templateOutput(ctx, lt) };
};
