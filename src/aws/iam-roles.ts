/**
 * The IAM roles ECS needs before it can work for you, which the sandbox's user never had to think
 * about and a fresh AWS account does not have (issue 12, "Real AWS needs what the sandbox forgives"):
 *
 * - the instance profile `ecsInstanceRole` (a role EC2 may assume, with the managed policy
 *   AmazonEC2ContainerServiceforEC2Role): without it container instances never register;
 * - ECS's service-linked role `AWSServiceRoleForECS`;
 * - a task execution role (`ecsTaskExecutionRole`, AmazonECSTaskExecutionRolePolicy) when a task
 *   definition names one.
 *
 * `ensureRole` checks what exists (read-only IAM calls), then creates what is missing once the host
 * says yes (on real AWS it asks; see CommandContext.confirm), or stops with a `CommandError` that
 * says exactly what to create — the same steps as AWS CLI commands go to the log. It works on any
 * connection: on the sandbox the same calls reach its IAM.
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { CommandError } from '../core/commands/failure';
import type { Translate } from '../core/l10n';
import { managedTag } from '../core/managed';

/** What `ensureRole` needs of an IAM client (the SDK's IAMClient; a fake in tests). */
export interface IamSender {
  send(command: object): Promise<unknown>;
}

/** A role the extension may create: who may assume it, the managed policy it carries, its instance profile. */
export interface RoleSpec {
  kind: 'role';
  roleName: string;
  path?: string;
  trustedService: string;
  policyArn: string;
  /** EC2 roles: the instance profile holding the role (same name, as the console makes it). */
  instanceProfile?: string;
}

/** A service-linked role (AWS defines it; the account only creates it). */
export interface ServiceLinkedRoleSpec {
  kind: 'serviceLinked';
  roleName: string;
  service: string;
}

export type RoleRequirement = RoleSpec | ServiceLinkedRoleSpec;

export const ECS_INSTANCE_ROLE: RoleSpec = {
  kind: 'role',
  roleName: 'ecsInstanceRole',
  trustedService: 'ec2.amazonaws.com',
  policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
  instanceProfile: 'ecsInstanceRole',
};

export const ECS_SERVICE_LINKED_ROLE: ServiceLinkedRoleSpec = { kind: 'serviceLinked', roleName: 'AWSServiceRoleForECS', service: 'ecs.amazonaws.com' };

export const TASK_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

/** The task execution role the ECS console makes for a task definition that needs one and names none. */
export const ECS_TASK_EXECUTION_ROLE: RoleSpec = { kind: 'role', roleName: 'ecsTaskExecutionRole', trustedService: 'ecs-tasks.amazonaws.com', policyArn: TASK_EXECUTION_POLICY_ARN };

/** The task execution role a task definition names (`executionRoleArn`), as the ECS docs create `ecsTaskExecutionRole`. */
export function taskExecutionRole(roleArn: string): RoleSpec | undefined {
  const m = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[^/]+\/)*)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) return undefined;
  return { kind: 'role', roleName: m[2], ...(m[1] && m[1] !== '/' ? { path: m[1] } : {}), trustedService: 'ecs-tasks.amazonaws.com', policyArn: TASK_EXECUTION_POLICY_ARN };
}

/** One change to the account. */
export type RoleStep = 'createRole' | 'attachPolicy' | 'createInstanceProfile' | 'addRoleToInstanceProfile' | 'createServiceLinkedRole';

export type RolePlan =
  | { status: 'ready' }
  | { status: 'missing'; steps: RoleStep[] }
  /** IAM could not be read (refused, or not served by this endpoint): nothing is known. */
  | { status: 'unknown'; reason: string };

const errorName = (e: unknown): string => {
  const name = (e as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
};
const isNotFound = (e: unknown): boolean => ['NoSuchEntityException', 'NoSuchEntity'].includes(errorName(e));
const reasonOf = (e: unknown): string => `${errorName(e) || 'Error'}: ${String((e as { message?: unknown })?.message ?? e)}`;

export const trustPolicy = (service: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

async function roleSteps(iam: IamSender, spec: RoleSpec): Promise<RoleStep[]> {
  try {
    await iam.send(new GetRoleCommand({ RoleName: spec.roleName }));
  } catch (e) {
    if (isNotFound(e)) return ['createRole', 'attachPolicy'];
    throw e;
  }
  const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: spec.roleName, MaxItems: 1000 }))) as { AttachedPolicies?: { PolicyArn?: string }[] };
  return (attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === spec.policyArn) ? [] : ['attachPolicy'];
}

/**
 * A service-linked role of `service` under another name: IAM keeps every one at the path
 * /aws-service-role/<service>/ (moto, for one, names ECS's `AWSServiceRoleForecs`). Not readable
 * (no iam:ListRoles): none known.
 */
async function linkedRoleByPath(iam: IamSender, service: string): Promise<boolean> {
  const path = `/aws-service-role/${service}/`;
  try {
    const out = (await iam.send(new ListRolesCommand({ PathPrefix: path, MaxItems: 1000 }))) as { Roles?: { Path?: string }[] };
    return (out.Roles ?? []).some((r) => r.Path === path);
  } catch {
    return false;
  }
}

/**
 * What is missing of `req` (read-only). A role that exists is taken as the user made it; an
 * instance profile that holds a role is ready, whatever the role.
 */
export async function planRole(iam: IamSender, req: RoleRequirement): Promise<RolePlan> {
  try {
    if (req.kind === 'serviceLinked') {
      try {
        await iam.send(new GetRoleCommand({ RoleName: req.roleName }));
        return { status: 'ready' };
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return (await linkedRoleByPath(iam, req.service)) ? { status: 'ready' } : { status: 'missing', steps: ['createServiceLinkedRole'] };
      }
    }
    if (!req.instanceProfile) {
      try {
        await iam.send(new GetRoleCommand({ RoleName: req.roleName }));
        return { status: 'ready' };
      } catch (e) {
        if (isNotFound(e)) return { status: 'missing', steps: ['createRole', 'attachPolicy'] };
        throw e;
      }
    }
    let roles: unknown[] | undefined;
    try {
      const out = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: req.instanceProfile }))) as { InstanceProfile?: { Roles?: unknown[] } };
      roles = out.InstanceProfile?.Roles ?? [];
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (roles && roles.length > 0) return { status: 'ready' };
    const steps = [...(await roleSteps(iam, req)), ...(roles ? [] : ['createInstanceProfile' as const]), 'addRoleToInstanceProfile' as const];
    return { status: 'missing', steps };
  } catch (e) {
    return { status: 'unknown', reason: reasonOf(e) };
  }
}

/** Runs the steps in order; a step another caller did meanwhile counts as done. */
export async function applyRoleSteps(iam: IamSender, req: RoleRequirement, steps: readonly RoleStep[], onStep: (step: RoleStep) => void = () => undefined): Promise<void> {
  const tags = [managedTag()];
  for (const step of steps) {
    onStep(step);
    try {
      if (req.kind === 'serviceLinked') {
        if (step === 'createServiceLinkedRole') await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: req.service }));
        continue;
      }
      switch (step) {
        case 'createRole':
          await iam.send(
            new CreateRoleCommand({
              RoleName: req.roleName,
              ...(req.path ? { Path: req.path } : {}),
              AssumeRolePolicyDocument: trustPolicy(req.trustedService),
              Description: `Created by ECS Hands-on for ${req.trustedService}`,
              Tags: tags,
            }),
          );
          break;
        case 'attachPolicy':
          await iam.send(new AttachRolePolicyCommand({ RoleName: req.roleName, PolicyArn: req.policyArn }));
          break;
        case 'createInstanceProfile':
          await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: req.instanceProfile, Tags: tags }));
          break;
        case 'addRoleToInstanceProfile':
          await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: req.instanceProfile, RoleName: req.roleName }));
          break;
        default:
          break;
      }
    } catch (e) {
      const name = errorName(e);
      const done =
        name === 'EntityAlreadyExistsException' ||
        name === 'EntityAlreadyExists' ||
        (step === 'addRoleToInstanceProfile' && (name === 'LimitExceededException' || name === 'LimitExceeded')) ||
        (step === 'createServiceLinkedRole' && /has been taken/.test(String((e as Error).message)));
      if (!done) throw e;
    }
  }
}

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** Each step as a person reads it. */
export function describeRoleSteps(req: RoleRequirement, steps: readonly RoleStep[], t: Translate): string[] {
  return steps.map((step) => {
    if (req.kind === 'serviceLinked') return t('Service-linked role {0} for {1}', req.roleName, req.service);
    switch (step) {
      case 'createRole':
        return t('IAM role {0} that {1} may assume', req.roleName, req.trustedService);
      case 'attachPolicy':
        return t('AWS managed policy {0} attached to role {1}', policyName(req.policyArn), req.roleName);
      case 'createInstanceProfile':
        return t('Instance profile {0}', req.instanceProfile ?? '');
      case 'addRoleToInstanceProfile':
        return t('Role {0} added to instance profile {1}', req.roleName, req.instanceProfile ?? '');
      default:
        return step;
    }
  });
}

/** The same steps as AWS CLI commands (what to run with an identity that may change IAM). */
export function roleCliCommands(req: RoleRequirement, steps: readonly RoleStep[]): string[] {
  return steps.map((step) => {
    if (req.kind === 'serviceLinked') return `aws iam create-service-linked-role --aws-service-name ${req.service}`;
    switch (step) {
      case 'createRole':
        return `aws iam create-role --role-name ${req.roleName}${req.path ? ` --path ${req.path}` : ''} --assume-role-policy-document '${trustPolicy(req.trustedService)}'`;
      case 'attachPolicy':
        return `aws iam attach-role-policy --role-name ${req.roleName} --policy-arn ${req.policyArn}`;
      case 'createInstanceProfile':
        return `aws iam create-instance-profile --instance-profile-name ${req.instanceProfile}`;
      case 'addRoleToInstanceProfile':
        return `aws iam add-role-to-instance-profile --instance-profile-name ${req.instanceProfile} --role-name ${req.roleName}`;
      default:
        return '';
    }
  });
}

/** What `ensureRole` asks of its host. */
export interface RoleHost {
  /**
   * Whether to make the changes: on real AWS the host asks (modal) and resolves false when the user
   * declines; on the sandbox it says yes at once (the confirmation rule).
   */
  approve(message: string, detail: string[], button: string): Promise<boolean>;
  progress(message: string): void;
  log(message: string): void;
}

export interface EnsureRoleResult {
  /** What was created (as `describeRoleSteps` words it); empty when everything existed. */
  created: string[];
  /** IAM could not be read: the reason (the caller goes on; AWS will say if something is missing). */
  unchecked?: string;
}

/**
 * Makes sure `req` exists: checks IAM, and creates what is missing once the host approves. Throws a
 * `CommandError` (code `RoleMissing`) saying exactly what to create when the user declines or IAM
 * refuses to create it; the AWS CLI commands for it go to the log.
 * `purpose`: why it is needed, in the user's words (the start of every message).
 */
export async function ensureRole(iam: IamSender, req: RoleRequirement, purpose: string, host: RoleHost, t: Translate): Promise<EnsureRoleResult> {
  const plan = await planRole(iam, req);
  if (plan.status === 'ready') return { created: [] };
  if (plan.status === 'unknown') {
    host.log(`Could not check IAM for ${req.roleName} (${plan.reason}); going on without the check.`);
    return { created: [], unchecked: plan.reason };
  }
  const lines = describeRoleSteps(req, plan.steps, t);
  const commands = roleCliCommands(req, plan.steps);
  const explain = () => host.log(`To create ${req.roleName} with the AWS CLI:\n${commands.join('\n')}`);
  if (!(await host.approve(`${purpose} ${t('Create it now?')}`, lines, t('Create role')))) {
    explain();
    throw new CommandError(
      t('{0} Nothing was created. Create it yourself: {1}. The AWS CLI commands are in the ECS Hands-on log.', purpose, lines.join('; ')),
      'RoleMissing',
    );
  }
  host.progress(t('Creating IAM role {0}…', req.roleName));
  try {
    await applyRoleSteps(iam, req, plan.steps, (step) => host.log(`IAM: ${roleCliCommands(req, [step])[0]}`));
  } catch (e) {
    explain();
    throw new CommandError(
      t('{0} It could not be created ({1}). Ask an administrator to create it: {2}. The AWS CLI commands are in the ECS Hands-on log.', purpose, reasonOf(e), lines.join('; ')),
      'RoleMissing',
    );
  }
  return { created: lines };
}

/**
 * A task definition needs a task execution role and names none (src/core/execution-role.ts): offer
 * `ecsTaskExecutionRole`, as the console does — used if it exists, else created with
 * AmazonECSTaskExecutionRolePolicy — in one question (`purpose` says why; `detail` what else the
 * role will need). Resolves the role's ARN to put in the document. Throws a `CommandError`
 * (`ExecutionRoleMissing`) when the user declines, IAM cannot be read, or the role cannot be made.
 */
export async function provideExecutionRole(iam: IamSender, purpose: string, detail: string[], host: RoleHost, t: Translate): Promise<{ roleArn: string; created: string[] }> {
  const req = ECS_TASK_EXECUTION_ROLE;
  const refuse = (why: string) =>
    new CommandError(
      t('{0} {1} Nothing was registered: add "executionRoleArn" (a role that {2} may assume, with {3}) to the task definition.', purpose, why, req.trustedService, policyName(req.policyArn)),
      'ExecutionRoleMissing',
    );
  const plan = await planRole(iam, req);
  if (plan.status === 'unknown') throw refuse(t('IAM could not be read to find or create {0} ({1}).', req.roleName, plan.reason));
  const steps = plan.status === 'missing' ? plan.steps : [];
  const lines = steps.length > 0 ? describeRoleSteps(req, steps, t) : [t('The existing role {0}', req.roleName)];
  if (!(await host.approve(`${purpose} ${t('Use {0} as its task execution role?', req.roleName)}`, [...lines, ...detail], t('Use {0}', req.roleName)))) {
    if (steps.length > 0) host.log(`To create ${req.roleName} with the AWS CLI:\n${roleCliCommands(req, steps).join('\n')}`);
    throw refuse(t('You declined {0}.', req.roleName));
  }
  if (steps.length > 0) {
    host.progress(t('Creating IAM role {0}…', req.roleName));
    try {
      await applyRoleSteps(iam, req, steps, (step) => host.log(`IAM: ${roleCliCommands(req, [step])[0]}`));
    } catch (e) {
      host.log(`To create ${req.roleName} with the AWS CLI:\n${roleCliCommands(req, steps).join('\n')}`);
      throw refuse(t('{0} could not be created ({1}).', req.roleName, reasonOf(e)));
    }
  }
  const role = (await iam.send(new GetRoleCommand({ RoleName: req.roleName }))) as { Role?: { Arn?: string } };
  const roleArn = role.Role?.Arn;
  if (!roleArn) throw refuse(t('IAM did not say the ARN of {0}.', req.roleName));
  return { roleArn, created: steps.length > 0 ? lines : [] };
}

const PROFILE_PROPAGATION = /iamInstanceProfile|IAM Instance Profile/;

/**
 * Runs `launch` (RunInstances, CreateAutoScalingGroup), trying again while EC2 does not see an
 * instance profile IAM has just created (IAM is eventually consistent: a new profile may take some
 * seconds to be usable). Other errors, and the same error past `timeoutMs`, are thrown.
 */
export async function retryWhileProfilePropagates<T>(
  launch: () => Promise<T>,
  o: { timeoutMs?: number; everyMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number; cancelled?: () => boolean } = {},
): Promise<T> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    try {
      return await launch();
    } catch (e) {
      const name = errorName(e);
      const propagating = (name === 'InvalidParameterValue' || name === 'ValidationError') && PROFILE_PROPAGATION.test(String((e as Error).message));
      if (!propagating || now() >= deadline || o.cancelled?.()) throw e;
      await sleep(o.everyMs ?? 3000);
    }
  }
}
