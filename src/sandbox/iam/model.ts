/**
 * IAM's state (global: one per account, `World.iam`), its identifiers and ARNs, the AWS managed
 * policies the sandbox knows, the service-linked roles of the services it serves, and the output
 * shapes of roles and instance profiles.
 */
import type { IamInstanceProfile, IamRole, IamState, World } from '../engine/state';
import { iamFields as f, validationMessage } from '../kit';
import { AwsError } from '../protocol/errors';
import { own, put } from '../records';
import { xmlDate } from '../service';

/** The account's IAM state, created on first use (a fresh account has no roles). */
export function iamState(world: World): IamState {
  world.iam ??= { roles: {}, instanceProfiles: {} };
  return world.iam;
}

const key = (name: string): string => name.toLowerCase();

/** The role named (IAM names are unique regardless of case), if any. */
export const findRole = (world: World, name: string): IamRole | undefined => (world.iam ? own(world.iam.roles, key(name)) : undefined);
export const findInstanceProfile = (world: World, name: string): IamInstanceProfile | undefined =>
  world.iam ? own(world.iam.instanceProfiles, key(name)) : undefined;

export const storeRole = (world: World, role: IamRole): IamRole => put(iamState(world).roles, key(role.RoleName), role);
export const storeInstanceProfile = (world: World, p: IamInstanceProfile): IamInstanceProfile => put(iamState(world).instanceProfiles, key(p.InstanceProfileName), p);
export const dropRole = (world: World, name: string): void => void delete iamState(world).roles[key(name)];
export const dropInstanceProfile = (world: World, name: string): void => void delete iamState(world).instanceProfiles[key(name)];

// --------------------------------------------------------------------------------- errors

/** `NoSuchEntity` (HTTP 404, as IAM answers it). */
export const noSuchEntity = (message: string): AwsError => new AwsError('NoSuchEntity', message, 404);
export const roleNotFound = (name: string): AwsError => noSuchEntity(`The role with name ${name} cannot be found.`);
export const profileNotFound = (name: string): AwsError => noSuchEntity(`Instance Profile ${name} cannot be found.`);

/** The role named, or IAM's NoSuchEntity. */
export function role(world: World, name: string): IamRole {
  const r = findRole(world, name);
  if (!r) throw roleNotFound(name);
  return r;
}

export function instanceProfile(world: World, name: string): IamInstanceProfile {
  const p = findInstanceProfile(world, name);
  if (!p) throw profileNotFound(name);
  return p;
}

/** A service-linked role: only its service may change it. */
export function checkModifiable(r: IamRole): void {
  if (r.ServiceLinked) {
    throw new AwsError('UnmodifiableEntity', `Cannot perform the operation on the protected role '${r.RoleName}' - this role is only modifiable by AWS`);
  }
}

// ------------------------------------------------------------------------------- input checks

const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;

/** A role / instance profile name: `[\w+=,.@-]+`, 1–`max` characters. */
export function nameParam(v: string | undefined, member: string, max: number): string {
  const name = f.str(v, member, { required: true, min: 1, max });
  if (!NAME_RE.test(name)) f.fail(validationMessage(member, name, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+'));
  return name;
}

/** A path: `/` or `/…/`, 1–512 characters (default `/`). */
export function pathParam(v: string | undefined, member: string): string {
  const path = f.str(v, member, { min: 1, max: 512 }) ?? '/';
  if (!PATH_RE.test(path)) f.fail(validationMessage(member, path, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)'));
  return path;
}

/** A path prefix filter: `/` or `/…` (default `/`). */
export function pathPrefixParam(v: string | undefined): string {
  const prefix = f.str(v, 'PathPrefix', { min: 1, max: 512 }) ?? '/';
  if (!/^\/[\u0021-\u007F]*$/.test(prefix)) f.fail(validationMessage('PathPrefix', prefix, 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*'));
  return prefix;
}

/** Tags: at most 50, keys 1–128 and values 0–256 characters, no key twice. */
export function tagsParam(tags: { Key?: string; Value?: string }[] | undefined): { Key: string; Value: string }[] {
  const list = f.list(tags, 'Tags', { max: 50 }) ?? [];
  const seen = new Set<string>();
  return list.map((t, i) => {
    const k = f.str(t.Key, ['Tags', i, 'Key'], { required: true, min: 1, max: 128 });
    const v = f.str(t.Value, ['Tags', i, 'Value'], { required: true, min: 0, max: 256 });
    if (seen.has(k.toLowerCase())) throw new AwsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k.toLowerCase());
    return { Key: k, Value: v };
  });
}

/** MaxItems 1–1000 (default 100), as every IAM list reads it. */
export const maxItems = (v: number | undefined): number => f.int(v, 'MaxItems', { min: 1, max: 1000 }) ?? 100;

// ------------------------------------------------------------------------- managed policies

export interface ManagedPolicy {
  name: string;
  path: string;
  arn: string;
}

const managed = (path: string, name: string): ManagedPolicy => ({ name, path, arn: `arn:aws:iam::aws:policy${path}${name}` });

/** The AWS managed policies the sandbox knows (those the ECS world attaches); others are NoSuchEntity. */
export const MANAGED_POLICIES: readonly ManagedPolicy[] = [
  managed('/service-role/', 'AmazonEC2ContainerServiceforEC2Role'),
  managed('/service-role/', 'AmazonECSTaskExecutionRolePolicy'),
  managed('/service-role/', 'AmazonEC2ContainerServiceRole'),
  managed('/service-role/', 'AmazonEC2ContainerServiceAutoscaleRole'),
  managed('/', 'AmazonECS_FullAccess'),
  managed('/', 'AmazonEC2ContainerRegistryReadOnly'),
  managed('/', 'AmazonSSMManagedInstanceCore'),
  managed('/', 'CloudWatchAgentServerPolicy'),
  managed('/', 'CloudWatchLogsFullAccess'),
  managed('/', 'AdministratorAccess'),
  managed('/', 'PowerUserAccess'),
  managed('/', 'ReadOnlyAccess'),
  managed('/aws-service-role/', 'AmazonECSServiceRolePolicy'),
  managed('/aws-service-role/', 'AutoScalingServiceRolePolicy'),
  managed('/aws-service-role/', 'AWSElasticLoadBalancingServiceRolePolicy'),
  managed('/aws-service-role/', 'AWSApplicationAutoscalingECSServicePolicy'),
];

export const managedPolicy = (arn: string): ManagedPolicy | undefined => MANAGED_POLICIES.find((p) => p.arn === arn);

// ------------------------------------------------------------------------ service-linked roles

export interface ServiceLinkedRoleSpec {
  service: string;
  roleName: string;
  policy: string;
  description: string;
  /** Whether CreateServiceLinkedRole takes a CustomSuffix for this service. */
  suffix: boolean;
}

/** The service-linked roles of the services the sandbox serves. */
export const SERVICE_LINKED_ROLES: readonly ServiceLinkedRoleSpec[] = [
  { service: 'ecs.amazonaws.com', roleName: 'AWSServiceRoleForECS', policy: 'AmazonECSServiceRolePolicy', description: 'Role to enable Amazon ECS to manage your cluster.', suffix: false },
  {
    service: 'autoscaling.amazonaws.com',
    roleName: 'AWSServiceRoleForAutoScaling',
    policy: 'AutoScalingServiceRolePolicy',
    description: 'Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling',
    suffix: true,
  },
  {
    service: 'elasticloadbalancing.amazonaws.com',
    roleName: 'AWSServiceRoleForElasticLoadBalancing',
    policy: 'AWSElasticLoadBalancingServiceRolePolicy',
    description: 'Allows ELB to call AWS services on your behalf.',
    suffix: false,
  },
  {
    service: 'ecs.application-autoscaling.amazonaws.com',
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    policy: 'AWSApplicationAutoscalingECSServicePolicy',
    description: '',
    suffix: false,
  },
];

/** A trust policy letting `service` assume the role. */
export const serviceTrustPolicy = (service: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

// ------------------------------------------------------------------------------------ output

/** A role as IAM returns it (`withTags`: GetRole / CreateRole; ListRoles leaves them out). */
export function roleOutput(r: IamRole, withTags = true) {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: xmlDate(r.CreateDate),
    // IAM returns policy documents URL-encoded (the AWS CLI decodes them; SDK callers decodeURIComponent).
    AssumeRolePolicyDocument: encodeURIComponent(r.AssumeRolePolicyDocument),
    Description: r.Description,
    MaxSessionDuration: r.MaxSessionDuration,
    ...(withTags && r.Tags.length > 0 ? { Tags: r.Tags } : {}),
  };
}

export function instanceProfileOutput(world: World, p: IamInstanceProfile) {
  return {
    Path: p.Path,
    InstanceProfileName: p.InstanceProfileName,
    InstanceProfileId: p.InstanceProfileId,
    Arn: p.Arn,
    CreateDate: xmlDate(p.CreateDate),
    Roles: p.Roles.map((n) => findRole(world, n)).filter((r): r is IamRole => !!r).map((r) => roleOutput(r, false)),
    ...(p.Tags.length > 0 ? { Tags: p.Tags } : {}),
  };
}
