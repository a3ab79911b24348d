/**
 * IAM instance profiles: CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile,
 * AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole — and
 * `resolveInstanceProfile`, how EC2 finds the profile an instance is launched with (RunInstances,
 * launch templates, EC2 Auto Scaling), refusing one that does not exist or holds no role as EC2 does.
 */
import type {
  AddRoleToInstanceProfileCommandInput,
  CreateInstanceProfileCommandInput,
  DeleteInstanceProfileCommandInput,
  GetInstanceProfileCommandInput,
  ListInstanceProfilesForRoleCommandInput,
  RemoveRoleFromInstanceProfileCommandInput,
} from '@aws-sdk/client-iam';
import type { IamInstanceProfile, World } from '../engine/state';
import { IAM, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { randomUniqueId } from '../sts/credentials';
import {
  findInstanceProfile,
  instanceProfile,
  instanceProfileOutput,
  maxItems,
  nameParam,
  noSuchEntity,
  pathParam,
  role,
  storeInstanceProfile,
  dropInstanceProfile,
  tagsParam,
} from './model';
import { profilesOf } from './roles';

/** Roles an instance profile may hold (IAM's fixed quota). */
export const ROLES_PER_INSTANCE_PROFILE = 1;

export const createInstanceProfile: Operation<CreateInstanceProfileCommandInput> = (ctx, input) => {
  const name = nameParam(input.InstanceProfileName, 'InstanceProfileName', 128);
  const path = pathParam(input.Path, 'Path');
  const tags = tagsParam(input.Tags);
  if (findInstanceProfile(ctx.world, name)) throw new AwsError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
  const p = storeInstanceProfile(ctx.world, {
    InstanceProfileName: name,
    InstanceProfileId: randomUniqueId('AIPA'),
    Arn: `arn:aws:iam::${ctx.accountId}:instance-profile${path}${name}`,
    Path: path,
    CreateDate: ctx.now,
    Tags: tags,
    Roles: [],
  });
  return { InstanceProfile: instanceProfileOutput(ctx.world, p) };
};

export const getInstanceProfile: Operation<GetInstanceProfileCommandInput> = (ctx, input) => ({
  InstanceProfile: instanceProfileOutput(ctx.world, instanceProfile(ctx.world, nameParam(input.InstanceProfileName, 'InstanceProfileName', 128))),
});

export const deleteInstanceProfile: Operation<DeleteInstanceProfileCommandInput> = (ctx, input) => {
  const p = instanceProfile(ctx.world, nameParam(input.InstanceProfileName, 'InstanceProfileName', 128));
  if (p.Roles.length > 0) throw new AwsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
  dropInstanceProfile(ctx.world, p.InstanceProfileName);
  return {};
};

export const addRoleToInstanceProfile: Operation<AddRoleToInstanceProfileCommandInput> = (ctx, input) => {
  const p = instanceProfile(ctx.world, nameParam(input.InstanceProfileName, 'InstanceProfileName', 128));
  const r = role(ctx.world, nameParam(input.RoleName, 'RoleName', 64));
  if (p.Roles.length >= ROLES_PER_INSTANCE_PROFILE) {
    throw new AwsError('LimitExceeded', `Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${ROLES_PER_INSTANCE_PROFILE}`, 409);
  }
  p.Roles.push(r.RoleName);
  return {};
};

export const removeRoleFromInstanceProfile: Operation<RemoveRoleFromInstanceProfileCommandInput> = (ctx, input) => {
  const p = instanceProfile(ctx.world, nameParam(input.InstanceProfileName, 'InstanceProfileName', 128));
  const name = nameParam(input.RoleName, 'RoleName', 64);
  const r = role(ctx.world, name);
  const at = p.Roles.findIndex((n) => n.toLowerCase() === r.RoleName.toLowerCase());
  if (at < 0) throw noSuchEntity(`The role with name ${name} cannot be found in instance profile ${p.InstanceProfileName}.`);
  p.Roles.splice(at, 1);
  return {};
};

export const listInstanceProfilesForRole: Operation<ListInstanceProfilesForRoleCommandInput> = (ctx, input) => {
  const r = role(ctx.world, nameParam(input.RoleName, 'RoleName', 64));
  const size = maxItems(input.MaxItems);
  const all = profilesOf(ctx.world, r.RoleName).sort((a, b) => (a.InstanceProfileName.toLowerCase() < b.InstanceProfileName.toLowerCase() ? -1 : 1));
  const { page, next } = paginate(all, { op: `ListInstanceProfilesForRole:${r.RoleId}`, size, token: input.Marker, key: (p) => p.InstanceProfileId }, IAM);
  return { InstanceProfiles: page.map((p) => instanceProfileOutput(ctx.world, p)), IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
};

// ------------------------------------------------------------------------------------ EC2

/**
 * The instance profile an instance is launched with (`Name` or `Arn`, as RunInstances and launch
 * templates take it), or EC2's `InvalidParameterValue` when IAM has no such profile, or it holds no
 * role (EC2 refuses both at launch).
 */
export function resolveInstanceProfile(world: World, spec: { arn?: string; name?: string }): IamInstanceProfile {
  let p: IamInstanceProfile | undefined;
  if (spec.arn !== undefined) {
    const m = /^arn:aws:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(spec.arn);
    p = m && m[1] === world.accountId ? findInstanceProfile(world, m[2]) : undefined;
    if (!p || p.Arn !== spec.arn) {
      throw new AwsError('InvalidParameterValue', `Value (${spec.arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
    }
    if (spec.name !== undefined && spec.name !== p.InstanceProfileName) {
      throw new AwsError('InvalidParameterCombination', 'The parameter iamInstanceProfile.name may not be used in combination with iamInstanceProfile.arn.');
    }
  } else {
    const name = spec.name ?? '';
    p = findInstanceProfile(world, name);
    if (!p) throw new AwsError('InvalidParameterValue', `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
  }
  if (p.Roles.length === 0) throw new AwsError('InvalidParameterValue', `IAM Instance Profile "${p.Arn}" has no associated IAM Roles`);
  return p;
}
