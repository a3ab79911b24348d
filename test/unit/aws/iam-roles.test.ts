/**
 * src/aws/iam-roles.ts: what Create Cluster and Register Task Definition do about the IAM roles ECS
 * needs — against an in-memory IAM that answers the SDK commands as IAM does (NoSuchEntity,
 * EntityAlreadyExists, AccessDenied), and a host that approves or declines as a user would.
 */
import assert from 'node:assert/strict';
import { CommandError } from '../../../src/core/commands/failure';
import { defaultTranslate } from '../../../src/core/l10n';
import {
  ECS_INSTANCE_ROLE,
  ECS_SERVICE_LINKED_ROLE,
  ensureRole,
  planRole,
  provideExecutionRole,
  retryWhileProfilePropagates,
  roleCliCommands,
  taskExecutionRole,
  type RoleHost,
} from '../../../src/aws/iam-roles';

const err = (name: string, message: string) => Object.assign(new Error(message), { name });

/** An in-memory IAM for the commands iam-roles.ts sends. */
class FakeIam {
  roles = new Map<string, { policies: string[]; tags?: unknown }>();
  profiles = new Map<string, { roles: string[]; tags?: unknown }>();
  calls: string[] = [];
  /** Operations refused with AccessDenied. */
  denied = new Set<string>();

  async send(command: object): Promise<unknown> {
    const op = command.constructor.name.replace(/Command$/, '');
    const input = (command as { input: Record<string, any> }).input;
    this.calls.push(op);
    if (this.denied.has(op)) throw err('AccessDenied', `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:${op}`);
    const role = (name: string) => {
      const r = this.roles.get(name);
      if (!r) throw err('NoSuchEntityException', `The role with name ${name} cannot be found.`);
      return r;
    };
    switch (op) {
      case 'GetRole':
        role(input.RoleName);
        return { Role: { RoleName: input.RoleName, Arn: `arn:aws:iam::123456789012:role/${input.RoleName}` } };
      case 'ListAttachedRolePolicies':
        return { AttachedPolicies: role(input.RoleName).policies.map((PolicyArn) => ({ PolicyArn })) };
      case 'GetInstanceProfile': {
        const p = this.profiles.get(input.InstanceProfileName);
        if (!p) throw err('NoSuchEntityException', `Instance Profile ${input.InstanceProfileName} cannot be found.`);
        return { InstanceProfile: { Roles: p.roles.map((RoleName) => ({ RoleName })) } };
      }
      case 'CreateRole':
        if (this.roles.has(input.RoleName)) throw err('EntityAlreadyExistsException', `Role with name ${input.RoleName} already exists.`);
        assert.deepEqual(JSON.parse(input.AssumeRolePolicyDocument).Statement[0].Action, 'sts:AssumeRole');
        this.roles.set(input.RoleName, { policies: [], tags: input.Tags });
        return {};
      case 'AttachRolePolicy':
        role(input.RoleName).policies.push(input.PolicyArn);
        return {};
      case 'CreateInstanceProfile':
        this.profiles.set(input.InstanceProfileName, { roles: [], tags: input.Tags });
        return {};
      case 'AddRoleToInstanceProfile': {
        const p = this.profiles.get(input.InstanceProfileName)!;
        if (p.roles.length > 0) throw err('LimitExceededException', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
        p.roles.push(input.RoleName);
        return {};
      }
      case 'CreateServiceLinkedRole':
        if (this.roles.has('AWSServiceRoleForECS')) throw err('InvalidInputException', 'Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.');
        this.roles.set('AWSServiceRoleForECS', { policies: [] });
        return {};
      default:
        throw new Error(`unexpected ${op}`);
    }
  }
}

function host(answer: boolean) {
  const asked: { message: string; detail: string[]; button: string }[] = [];
  const logs: string[] = [];
  const h: RoleHost = {
    approve: async (message, detail, button) => {
      asked.push({ message, detail, button });
      return answer;
    },
    progress: () => undefined,
    log: (m) => logs.push(m),
  };
  return { h, asked, logs };
}

const t = defaultTranslate;
const PURPOSE = 'ECS container instances need ecsInstanceRole.';
const EC2_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';

describe('IAM roles ECS needs (src/aws/iam-roles.ts)', () => {
  it('plans what a fresh account lacks, and nothing where the instance profile holds a role', async () => {
    const iam = new FakeIam();
    assert.deepEqual(await planRole(iam, ECS_INSTANCE_ROLE), { status: 'missing', steps: ['createRole', 'attachPolicy', 'createInstanceProfile', 'addRoleToInstanceProfile'] });
    iam.roles.set('ecsInstanceRole', { policies: [] });
    assert.deepEqual(await planRole(iam, ECS_INSTANCE_ROLE), { status: 'missing', steps: ['attachPolicy', 'createInstanceProfile', 'addRoleToInstanceProfile'] });
    iam.roles.get('ecsInstanceRole')!.policies.push(EC2_POLICY);
    iam.profiles.set('ecsInstanceRole', { roles: [] });
    assert.deepEqual(await planRole(iam, ECS_INSTANCE_ROLE), { status: 'missing', steps: ['addRoleToInstanceProfile'] });
    iam.profiles.get('ecsInstanceRole')!.roles.push('someOtherRole');
    assert.deepEqual(await planRole(iam, ECS_INSTANCE_ROLE), { status: 'ready' });
    assert.deepEqual(await planRole(iam, ECS_SERVICE_LINKED_ROLE), { status: 'missing', steps: ['createServiceLinkedRole'] });
    iam.denied.add('GetInstanceProfile');
    const unknown = await planRole(iam, ECS_INSTANCE_ROLE);
    assert.equal(unknown.status, 'unknown');
    assert.match((unknown as { reason: string }).reason, /^AccessDenied: .*iam:GetInstanceProfile/);
  });

  it('creates the role, its policy and the instance profile once the host approves, tagged for the hands-on', async () => {
    const iam = new FakeIam();
    const { h, asked } = host(true);
    const out = await ensureRole(iam, ECS_INSTANCE_ROLE, PURPOSE, h, t);
    assert.deepEqual(asked.map((a) => [a.message, a.button]), [[`${PURPOSE} Create it now?`, 'Create role']]);
    assert.deepEqual(asked[0].detail, [
      'IAM role ecsInstanceRole that ec2.amazonaws.com may assume',
      'AWS managed policy AmazonEC2ContainerServiceforEC2Role attached to role ecsInstanceRole',
      'Instance profile ecsInstanceRole',
      'Role ecsInstanceRole added to instance profile ecsInstanceRole',
    ]);
    assert.deepEqual(out.created, asked[0].detail);
    assert.deepEqual(iam.roles.get('ecsInstanceRole')?.policies, [EC2_POLICY]);
    assert.deepEqual(iam.profiles.get('ecsInstanceRole')?.roles, ['ecsInstanceRole']);
    assert.deepEqual(iam.roles.get('ecsInstanceRole')?.tags, [{ Key: 'ecs-handson:managed', Value: 'true' }]);
    // A second run finds it ready and asks nothing.
    const again = host(true);
    assert.deepEqual(await ensureRole(iam, ECS_INSTANCE_ROLE, PURPOSE, again.h, t), { created: [] });
    assert.equal(again.asked.length, 0);
  });

  it('declined: creates nothing and says exactly what to create; the AWS CLI commands go to the log', async () => {
    const iam = new FakeIam();
    const { h, logs } = host(false);
    await assert.rejects(ensureRole(iam, ECS_INSTANCE_ROLE, PURPOSE, h, t), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.equal(e.code, 'RoleMissing');
      assert.equal(
        e.message,
        `${PURPOSE} Nothing was created. Create it yourself: IAM role ecsInstanceRole that ec2.amazonaws.com may assume; AWS managed policy AmazonEC2ContainerServiceforEC2Role attached to role ecsInstanceRole; Instance profile ecsInstanceRole; Role ecsInstanceRole added to instance profile ecsInstanceRole. The AWS CLI commands are in the ECS Hands-on log.`,
      );
      return true;
    });
    assert.equal(iam.roles.size + iam.profiles.size, 0);
    assert.ok(iam.calls.every((c) => c.startsWith('Get') || c.startsWith('List')), iam.calls.join());
    assert.equal(logs.length, 1);
    assert.ok(logs[0].includes('aws iam create-role --role-name ecsInstanceRole --assume-role-policy-document'), logs[0]);
    assert.ok(logs[0].includes(`aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn ${EC2_POLICY}`));
    assert.ok(logs[0].includes('aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole'));
  });

  it('IAM refuses to create it: the error says why and what an administrator must create', async () => {
    const iam = new FakeIam();
    iam.denied.add('CreateRole');
    const { h } = host(true);
    await assert.rejects(ensureRole(iam, ECS_INSTANCE_ROLE, PURPOSE, h, t), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.equal(e.code, 'RoleMissing');
      assert.match(e.message, /^ECS container instances need ecsInstanceRole\. It could not be created \(AccessDenied: User: .* is not authorized to perform: iam:CreateRole\)\. Ask an administrator to create it: IAM role ecsInstanceRole/);
      return true;
    });
  });

  it('IAM cannot be read (AccessDenied on the check): goes on, says so in the log, asks nothing', async () => {
    const iam = new FakeIam();
    iam.denied.add('GetInstanceProfile');
    const { h, asked, logs } = host(true);
    const out = await ensureRole(iam, ECS_INSTANCE_ROLE, PURPOSE, h, t);
    assert.match(out.unchecked!, /^AccessDenied/);
    assert.equal(asked.length, 0);
    assert.match(logs[0], /^Could not check IAM for ecsInstanceRole \(AccessDenied/);
  });

  it('the service-linked role: created with CreateServiceLinkedRole; one created meanwhile counts as done', async () => {
    const iam = new FakeIam();
    const out = await ensureRole(iam, ECS_SERVICE_LINKED_ROLE, 'ECS needs AWSServiceRoleForECS.', host(true).h, t);
    assert.deepEqual(out.created, ['Service-linked role AWSServiceRoleForECS for ecs.amazonaws.com']);
    assert.ok(iam.roles.has('AWSServiceRoleForECS'));
    assert.deepEqual(roleCliCommands(ECS_SERVICE_LINKED_ROLE, ['createServiceLinkedRole']), ['aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com']);
  });

  it('a task definition that needs an execution role and names none: offers ecsTaskExecutionRole in one question, creates it with AmazonECSTaskExecutionRolePolicy, answers its ARN', async () => {
    const iam = new FakeIam();
    const purpose = 'This task definition needs a task execution role.';
    const { h, asked } = host(true);
    const out = await provideExecutionRole(iam, purpose, ['ecsTaskExecutionRole must also be allowed ssm:GetParameters.'], h, t);
    assert.deepEqual(asked.map((a) => [a.message, a.button]), [[`${purpose} Use ecsTaskExecutionRole as its task execution role?`, 'Use ecsTaskExecutionRole']]);
    assert.deepEqual(asked[0].detail, [
      'IAM role ecsTaskExecutionRole that ecs-tasks.amazonaws.com may assume',
      'AWS managed policy AmazonECSTaskExecutionRolePolicy attached to role ecsTaskExecutionRole',
      'ecsTaskExecutionRole must also be allowed ssm:GetParameters.',
    ]);
    assert.equal(out.roleArn, 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole');
    assert.deepEqual(out.created, asked[0].detail.slice(0, 2));
    assert.deepEqual(iam.roles.get('ecsTaskExecutionRole')?.policies, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
    // It exists now: still asked (the document changes), nothing created.
    const again = host(true);
    const second = await provideExecutionRole(iam, purpose, [], again.h, t);
    assert.deepEqual(again.asked[0].detail, ['The existing role ecsTaskExecutionRole']);
    assert.deepEqual(second, { roleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole', created: [] });
    assert.equal(iam.calls.filter((c) => c === 'CreateRole').length, 1);
  });

  it('declined, or IAM cannot be read: nothing created, the error says what the document lacks', async () => {
    const iam = new FakeIam();
    const { h, logs } = host(false);
    await assert.rejects(provideExecutionRole(iam, 'Needs one.', [], h, t), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.equal(e.code, 'ExecutionRoleMissing');
      assert.equal(e.message, 'Needs one. You declined ecsTaskExecutionRole. Nothing was registered: add "executionRoleArn" (a role that ecs-tasks.amazonaws.com may assume, with AmazonECSTaskExecutionRolePolicy) to the task definition.');
      return true;
    });
    assert.equal(iam.roles.size, 0);
    assert.match(logs[0], /aws iam create-role --role-name ecsTaskExecutionRole/);
    iam.denied.add('GetRole');
    await assert.rejects(provideExecutionRole(iam, 'Needs one.', [], host(true).h, t), /IAM could not be read to find or create ecsTaskExecutionRole \(AccessDenied/);
  });

  it('reads the task execution role a task definition names', () => {
    assert.deepEqual(taskExecutionRole('arn:aws:iam::123456789012:role/ecsTaskExecutionRole'), {
      kind: 'role',
      roleName: 'ecsTaskExecutionRole',
      trustedService: 'ecs-tasks.amazonaws.com',
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    });
    assert.equal(taskExecutionRole('arn:aws:iam::123456789012:role/app/exec')?.path, '/app/');
    assert.equal(taskExecutionRole('ecsTaskExecutionRole'), undefined);
  });

  it('retries a launch while EC2 does not see a new instance profile yet, and only then', async () => {
    let now = 0;
    const sleep = async (ms: number) => void (now += ms);
    let tries = 0;
    const propagating = err('InvalidParameterValue', 'Value (ecsInstanceRole) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name');
    const ok = await retryWhileProfilePropagates(
      async () => {
        if (++tries < 4) throw propagating;
        return 'launched';
      },
      { sleep, now: () => now },
    );
    assert.deepEqual([ok, tries, now], ['launched', 4, 9000]);
    tries = 0;
    await assert.rejects(retryWhileProfilePropagates(async () => (++tries, Promise.reject(err('InstanceLimitExceeded', 'limit'))), { sleep, now: () => now }), { name: 'InstanceLimitExceeded' });
    assert.equal(tries, 1);
    now = 0;
    await assert.rejects(retryWhileProfilePropagates(() => Promise.reject(propagating), { sleep, now: () => now, timeoutMs: 10_000 }), { name: 'InvalidParameterValue' });
    assert.ok(now >= 10_000);
  });
});
