/**
 * src/aws/iam-roles.ts against moto's IAM (an AWS implementation this project does not own; IAM
 * auth on): what Create Cluster, Create Service and Register Task Definition do about the roles ECS
 * needs — a fresh account's missing roles found with read-only calls, created with the trust
 * policies and AWS managed policies the ECS docs give, found ready (and nothing asked or changed) the
 * second time; an identity that may not read IAM leaves the check undone, and one that may read
 * but not write gets the error saying what to create.
 */
import assert from 'node:assert/strict';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { CommandError } from '../../src/core/commands/failure';
import { defaultTranslate as t } from '../../src/core/l10n';
import {
  ECS_INSTANCE_ROLE, ECS_SERVICE_LINKED_ROLE, ECS_TASK_EXECUTION_ROLE, ensureRole, planRole, provideExecutionRole, type IamSender, type RoleHost,
} from '../../src/aws/iam-roles';
import { startMoto, type AccessKey, type Moto } from './helpers/moto';

const READ_ONLY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] });
const EC2_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';
const EXEC_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

describe('IAM roles ECS needs, against moto\'s IAM', function () {
  this.timeout(60_000);
  let moto: Moto;
  const clients: IAMClient[] = [];
  const iamWith = (key: AccessKey) => {
    const c = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: key, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  /** The client, recording which operations were sent. */
  const recorded = (c: IAMClient) => {
    const ops: string[] = [];
    const sender: IamSender = { send: (command: object) => (ops.push(command.constructor.name.replace(/Command$/, '')), c.send(command as never)) };
    return { sender, ops };
  };
  const host = (answer: boolean) => {
    const asked: string[] = [];
    const logs: string[] = [];
    const h: RoleHost = { approve: async (message) => (asked.push(message), answer), progress: () => undefined, log: (m) => logs.push(m) };
    return { h, asked, logs };
  };
  const trusted = (doc: string | undefined) => JSON.parse(decodeURIComponent(doc ?? '')).Statement[0].Principal.Service as string;

  before(async function () {
    // moto knows AWS's managed policies (attachable by ARN, as on AWS) only when asked to load them.
    moto = await startMoto(this, { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' });
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await moto?.stop();
  });

  it('an identity that may read IAM but not write: the missing roles are found, nothing is created, the error says what to create', async () => {
    await moto.iam({ Action: 'CreateUser', UserName: 'reader' });
    await moto.iam({ Action: 'PutUserPolicy', UserName: 'reader', PolicyName: 'read', PolicyDocument: READ_ONLY });
    const xml = await moto.iam({ Action: 'CreateAccessKey', UserName: 'reader' });
    const reader = iamWith({ accessKeyId: /<AccessKeyId>([^<]*)/.exec(xml)![1], secretAccessKey: /<SecretAccessKey>([^<]*)/.exec(xml)![1] });
    assert.deepEqual(await planRole(reader, ECS_INSTANCE_ROLE), { status: 'missing', steps: ['createRole', 'attachPolicy', 'createInstanceProfile', 'addRoleToInstanceProfile'] });
    assert.deepEqual(await planRole(reader, ECS_SERVICE_LINKED_ROLE), { status: 'missing', steps: ['createServiceLinkedRole'] });
    assert.deepEqual(await planRole(reader, ECS_TASK_EXECUTION_ROLE), { status: 'missing', steps: ['createRole', 'attachPolicy'] });
    await assert.rejects(ensureRole(reader, ECS_INSTANCE_ROLE, 'ECS container instances need ecsInstanceRole.', host(true).h, t), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.equal(e.code, 'RoleMissing');
      assert.match(e.message, /^ECS container instances need ecsInstanceRole\. It could not be created \(AccessDenied: .*iam:CreateRole.*\)\. Ask an administrator to create it: IAM role ecsInstanceRole that ec2\.amazonaws\.com may assume; /);
      return true;
    });
    const admin = iamWith(moto.admin);
    await assert.rejects(admin.send(new GetRoleCommand({ RoleName: 'ecsInstanceRole' })), { name: 'NoSuchEntityException' });
  });

  it('a fresh account: the instance profile, the service-linked role and the task execution role are created with their trust and managed policies', async () => {
    const iam = iamWith(moto.admin);
    const approved = host(true);
    const profile = await ensureRole(iam, ECS_INSTANCE_ROLE, 'Needs ecsInstanceRole.', approved.h, t);
    assert.equal(profile.created.length, 4);
    const slr = await ensureRole(iam, ECS_SERVICE_LINKED_ROLE, 'Needs AWSServiceRoleForECS.', approved.h, t);
    assert.deepEqual(slr.created, ['Service-linked role AWSServiceRoleForECS for ecs.amazonaws.com']);
    const exec = await provideExecutionRole(iam, 'Needs a task execution role.', [], approved.h, t);
    assert.deepEqual(approved.asked, ['Needs ecsInstanceRole. Create it now?', 'Needs AWSServiceRoleForECS. Create it now?', 'Needs a task execution role. Use ecsTaskExecutionRole as its task execution role?']);

    // What moto's IAM now holds, read back as IAM answers it.
    const instanceProfile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }))).InstanceProfile!;
    assert.deepEqual(instanceProfile.Roles?.map((r) => r.RoleName), ['ecsInstanceRole']);
    const instanceRole = (await iam.send(new GetRoleCommand({ RoleName: 'ecsInstanceRole' }))).Role!;
    assert.equal(trusted(instanceRole.AssumeRolePolicyDocument), 'ec2.amazonaws.com');
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ecsInstanceRole' }))).AttachedPolicies?.map((p) => p.PolicyArn), [EC2_POLICY]);
    assert.deepEqual(instanceRole.Tags?.map((x) => `${x.Key}=${x.Value}`), ['ecs-handson:managed=true']);
    // IAM names it (AWS: AWSServiceRoleForECS; moto: AWSServiceRoleForecs) and keeps it at the service's path.
    const linked = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/ecs.amazonaws.com/' }))).Roles ?? [];
    assert.equal(linked.length, 1);
    assert.match(linked[0].RoleName ?? '', /^AWSServiceRoleFor(ECS|ecs)$/);
    assert.deepEqual(JSON.parse(decodeURIComponent(linked[0].AssumeRolePolicyDocument ?? '')).Statement[0].Principal.Service, ['ecs.amazonaws.com']);
    const execRole = (await iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }))).Role!;
    assert.equal(exec.roleArn, execRole.Arn);
    assert.match(exec.roleArn, /^arn:aws:iam::\d{12}:role\/ecsTaskExecutionRole$/);
    assert.equal(trusted(execRole.AssumeRolePolicyDocument), 'ecs-tasks.amazonaws.com');
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ecsTaskExecutionRole' }))).AttachedPolicies?.map((p) => p.PolicyArn), [EXEC_POLICY]);
  });

  it('the second time everything is ready: nothing asked, only reads sent', async () => {
    const { sender, ops } = recorded(iamWith(moto.admin));
    const again = host(true);
    assert.deepEqual(await ensureRole(sender, ECS_INSTANCE_ROLE, 'Needs ecsInstanceRole.', again.h, t), { created: [] });
    assert.deepEqual(await ensureRole(sender, ECS_SERVICE_LINKED_ROLE, 'Needs AWSServiceRoleForECS.', again.h, t), { created: [] });
    assert.deepEqual(await ensureRole(sender, ECS_TASK_EXECUTION_ROLE, 'Needs ecsTaskExecutionRole.', again.h, t), { created: [] });
    assert.deepEqual(again.asked, []);
    assert.ok(ops.every((op) => op.startsWith('Get') || op.startsWith('List')), ops.join());
    // Created meanwhile by someone else: the steps that are already done count as done.
    const racing = host(true);
    const exec = await provideExecutionRole(sender, 'Needs a task execution role.', [], racing.h, t);
    assert.deepEqual(exec.created, []);
    assert.ok(ops.every((op) => op.startsWith('Get') || op.startsWith('List')), ops.join());
  });
});
