/**
 * IAM roles: CreateRole, GetRole, ListRoles, DeleteRole, AttachRolePolicy, DetachRolePolicy,
 * ListAttachedRolePolicies and CreateServiceLinkedRole, with IAM's errors (NoSuchEntity,
 * EntityAlreadyExists, DeleteConflict, MalformedPolicyDocument, UnmodifiableEntity, LimitExceeded).
 * `ensureServiceLinkedRole` is how the sandbox's services create theirs, as AWS's do on first use.
 */
import type {
  AttachRolePolicyCommandInput,
  CreateRoleCommandInput,
  CreateServiceLinkedRoleCommandInput,
  DeleteRoleCommandInput,
  DetachRolePolicyCommandInput,
  GetRoleCommandInput,
  ListAttachedRolePoliciesCommandInput,
  ListRolesCommandInput,
} from '@aws-sdk/client-iam';
import type { IamRole, World } from '../engine/state';
import { IAM, iamFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { randomUniqueId } from '../sts/credentials';
import {
  checkModifiable,
  findRole,
  managedPolicy,
  maxItems,
  nameParam,
  noSuchEntity,
  pathParam,
  pathPrefixParam,
  role,
  roleOutput,
  SERVICE_LINKED_ROLES,
  serviceTrustPolicy,
  storeRole,
  dropRole,
  tagsParam,
} from './model';
import { checkTrustPolicy } from './trust-policy';

/** Managed policies a role may have attached at once (IAM's default quota). */
export const POLICIES_PER_ROLE = 10;

const roleArn = (world: World, path: string, name: string): string => `arn:aws:iam::${world.accountId}:role${path}${name}`;

/** Whether an IAM ARN of this account names a role (or the sandbox's user) that exists. */
export function iamArnExists(world: World, arn: string): boolean {
  const m = /^arn:aws:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) return false;
  if (m[1] === 'user') return m[2] === 'ecs-handson-sandbox';
  return findRole(world, m[2])?.Arn === arn;
}

export const createRole: Operation<CreateRoleCommandInput> = (ctx, input) => {
  const name = nameParam(input.RoleName, 'RoleName', 64);
  const path = pathParam(input.Path, 'Path');
  const doc = f.str(input.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument', { required: true, min: 1, max: 131072 });
  const description = f.str(input.Description, 'Description', { max: 1000 });
  const maxSession = f.int(input.MaxSessionDuration, 'MaxSessionDuration', { min: 3600, max: 43200 }) ?? 3600;
  if (input.PermissionsBoundary !== undefined) throw noSuchEntity(`Scope ARN: ${input.PermissionsBoundary} does not exist or is not attachable.`);
  const tags = tagsParam(input.Tags);
  if (findRole(ctx.world, name)) throw new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
  checkTrustPolicy(doc, ctx.accountId, (arn) => iamArnExists(ctx.world, arn));
  const r = storeRole(ctx.world, {
    RoleName: name,
    RoleId: randomUniqueId('AROA'),
    Arn: roleArn(ctx.world, path, name),
    Path: path,
    CreateDate: ctx.now,
    AssumeRolePolicyDocument: doc,
    ...(description !== undefined ? { Description: description } : {}),
    MaxSessionDuration: maxSession,
    Tags: tags,
    AttachedPolicies: [],
  });
  return { Role: roleOutput(r) };
};

export const getRole: Operation<GetRoleCommandInput> = (ctx, input) => ({ Role: roleOutput(role(ctx.world, nameParam(input.RoleName, 'RoleName', 64))) });

export const listRoles: Operation<ListRolesCommandInput> = (ctx, input) => {
  const prefix = pathPrefixParam(input.PathPrefix);
  const size = maxItems(input.MaxItems);
  const all = Object.values(ctx.world.iam?.roles ?? {})
    .filter((r) => r.Path.startsWith(prefix))
    .sort((a, b) => (a.RoleName.toLowerCase() < b.RoleName.toLowerCase() ? -1 : 1));
  const { page, next } = paginate(all, { op: `ListRoles:${prefix}`, size, token: input.Marker, key: (r) => r.RoleId }, IAM);
  return { Roles: page.map((r) => roleOutput(r, false)), IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
};

export const deleteRole: Operation<DeleteRoleCommandInput> = (ctx, input) => {
  const r = role(ctx.world, nameParam(input.RoleName, 'RoleName', 64));
  checkModifiable(r);
  if (r.AttachedPolicies.length > 0) throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
  if (profilesOf(ctx.world, r.RoleName).length > 0) throw new AwsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
  dropRole(ctx.world, r.RoleName);
  return {};
};

/** A managed policy ARN the sandbox knows (customer managed policies do not exist: there is no CreatePolicy). */
function policyParam(v: string | undefined) {
  const arn = f.str(v, 'PolicyArn', { required: true, min: 20, max: 2048 });
  if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`);
  const p = managedPolicy(arn);
  if (!p) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

export const attachRolePolicy: Operation<AttachRolePolicyCommandInput> = (ctx, input) => {
  const r = role(ctx.world, nameParam(input.RoleName, 'RoleName', 64));
  const p = policyParam(input.PolicyArn);
  checkModifiable(r);
  if (p.path === '/aws-service-role/') throw new AwsError('PolicyNotAttachable', 'Cannot attach a Service Role Policy to a Customer Role.');
  if (r.AttachedPolicies.includes(p.arn)) return {};
  if (r.AttachedPolicies.length >= POLICIES_PER_ROLE) throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${POLICIES_PER_ROLE}`, 409);
  r.AttachedPolicies.push(p.arn);
  return {};
};

export const detachRolePolicy: Operation<DetachRolePolicyCommandInput> = (ctx, input) => {
  const r = role(ctx.world, nameParam(input.RoleName, 'RoleName', 64));
  const p = policyParam(input.PolicyArn);
  checkModifiable(r);
  if (!r.AttachedPolicies.includes(p.arn)) throw noSuchEntity(`Policy ${p.arn} was not found.`);
  r.AttachedPolicies = r.AttachedPolicies.filter((a) => a !== p.arn);
  return {};
};

export const listAttachedRolePolicies: Operation<ListAttachedRolePoliciesCommandInput> = (ctx, input) => {
  const r = role(ctx.world, nameParam(input.RoleName, 'RoleName', 64));
  const prefix = pathPrefixParam(input.PathPrefix);
  const size = maxItems(input.MaxItems);
  const all = r.AttachedPolicies.map((arn) => managedPolicy(arn)!).filter((p) => p && p.path.startsWith(prefix));
  const { page, next } = paginate(all, { op: `ListAttachedRolePolicies:${r.RoleId}:${prefix}`, size, token: input.Marker, key: (p) => p.arn }, IAM);
  return { AttachedPolicies: page.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })), IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
};

/** Creates the service-linked role of `service` (one the sandbox knows); `suffix` as CreateServiceLinkedRole's CustomSuffix. */
function linkedRole(world: World, now: number, service: string, opts: { suffix?: string; description?: string } = {}): IamRole {
  const spec = SERVICE_LINKED_ROLES.find((s) => s.service === service);
  if (!spec) {
    throw new AwsError(
      'InvalidInput',
      `The sandbox has no service-linked role for ${service}; it knows ${SERVICE_LINKED_ROLES.map((s) => s.service).join(', ')}.`,
    );
  }
  if (opts.suffix !== undefined && !spec.suffix) throw new AwsError('InvalidInput', `Custom suffix is not allowed for ${service}`);
  const name = opts.suffix !== undefined ? `${spec.roleName}_${opts.suffix}` : spec.roleName;
  if (findRole(world, name)) throw new AwsError('InvalidInput', `Service role name ${name} has been taken in this account, please try a different suffix.`);
  const path = `/aws-service-role/${service}/`;
  return storeRole(world, {
    RoleName: name,
    RoleId: randomUniqueId('AROA'),
    Arn: roleArn(world, path, name),
    Path: path,
    CreateDate: now,
    AssumeRolePolicyDocument: serviceTrustPolicy(service),
    ...(opts.description ?? spec.description ? { Description: opts.description ?? spec.description } : {}),
    MaxSessionDuration: 3600,
    Tags: [],
    AttachedPolicies: [`arn:aws:iam::aws:policy/aws-service-role/${spec.policy}`],
    ServiceLinked: service,
  });
}

export const createServiceLinkedRole: Operation<CreateServiceLinkedRoleCommandInput> = (ctx, input) => {
  const service = f.str(input.AWSServiceName, 'AWSServiceName', { required: true, min: 1, max: 128 });
  const suffix = f.str(input.CustomSuffix, 'CustomSuffix', { min: 1, max: 64 });
  const description = f.str(input.Description, 'Description', { max: 1000 });
  return { Role: roleOutput(linkedRole(ctx.world, ctx.now, service, { suffix, description })) };
};

/**
 * What AWS's services do when they first need their service-linked role (ECS's CreateCluster, …):
 * create it unless it exists. The sandbox's user may create it, so it always can.
 */
export function ensureServiceLinkedRole(world: World, now: number, service: string): void {
  const spec = SERVICE_LINKED_ROLES.find((s) => s.service === service);
  if (spec && !findRole(world, spec.roleName)) linkedRole(world, now, service);
}

/** The instance profiles holding a role (DeleteRole's conflict check, ListInstanceProfilesForRole). */
export const profilesOf = (world: World, roleName: string) =>
  Object.values(world.iam?.instanceProfiles ?? {}).filter((p) => p.Roles.some((n) => n.toLowerCase() === roleName.toLowerCase()));
