/**
 * AWS Identity and Access Management in the sandbox (awsQuery, Version 2010-05-08): the subset the
 * ECS world needs — roles, their managed policies, instance profiles and service-linked roles. IAM
 * is global: its state is the account's (`World.iam`), whatever region a request is signed for.
 */
import type * as IamApi from '@aws-sdk/client-iam';
import { defineService, IAM } from '../kit';
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  listInstanceProfilesForRole,
  removeRoleFromInstanceProfile,
} from './instance-profiles';
import {
  attachRolePolicy,
  createRole,
  createServiceLinkedRole,
  deleteRole,
  detachRolePolicy,
  getRole,
  listAttachedRolePolicies,
  listRoles,
} from './roles';

export const iamService = defineService<typeof IamApi>(
  { signingName: 'iam', protocol: 'awsQuery', version: '2010-05-08', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/', dialect: IAM },
  {
    CreateRole: createRole,
    GetRole: getRole,
    ListRoles: listRoles,
    DeleteRole: deleteRole,
    AttachRolePolicy: attachRolePolicy,
    DetachRolePolicy: detachRolePolicy,
    ListAttachedRolePolicies: listAttachedRolePolicies,
    CreateServiceLinkedRole: createServiceLinkedRole,
    CreateInstanceProfile: createInstanceProfile,
    GetInstanceProfile: getInstanceProfile,
    DeleteInstanceProfile: deleteInstanceProfile,
    AddRoleToInstanceProfile: addRoleToInstanceProfile,
    RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
    ListInstanceProfilesForRole: listInstanceProfilesForRole,
  },
);

export { resolveInstanceProfile } from './instance-profiles';
export { ensureServiceLinkedRole } from './roles';
