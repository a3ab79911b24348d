/**
 * IAM and STS through the real `@aws-sdk/client-iam` / `@aws-sdk/client-sts` against a sandbox on a
 * free port: the account a tool sees first (GetCallerIdentity), temporary credentials that every
 * service then accepts — only with their session token, and only until they expire — the IAM
 * subset ECS needs with IAM's errors, and EC2 / Auto Scaling refusing an instance profile IAM does
 * not have, as AWS does on a fresh account.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  RemoveRoleFromInstanceProfileCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { issueCredentials } from '../../src/sandbox/sts/credentials';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { eventually, rejectsWith } from '../helpers/wait';
import { createEcsInstanceRole, EC2_TRUST_POLICY, ECS_INSTANCE_POLICY_ARN } from './helpers/iam';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

describe('IAM and STS through the AWS SDK', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let dir: string;
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const cfg = (credentials: Creds = sb.credentials) => ({ endpoint: sb.endpoint, region: sb.region, credentials, maxAttempts: 1 });
  const clients: { destroy(): void }[] = [];
  const recorded: Recorded[] = [];
  const SIGNING: Record<string, string> = { IAM: 'iam', STS: 'sts', ECS: 'ecs', EC2: 'ec2', 'Auto Scaling': 'autoscaling', 'Elastic Load Balancing v2': 'elasticloadbalancing', CloudWatch: 'monitoring', SSM: 'ssm', 'Application Auto Scaling': 'application-autoscaling' };
  /** Kept for destroy(); its answers recorded for the output-shape check. */
  const client = <T extends { destroy(): void }>(c: T): T => {
    clients.push(c);
    const x = c as unknown as Parameters<typeof recordResponses>[0];
    recordResponses(x, SIGNING[String(x.config.serviceId)] ?? String(x.config.serviceId), recorded);
    return c;
  };
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  let iam: IAMClient;
  let sts: STSClient;
  const account = () => sb.world.accountId;
  const rootTrust = () => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account()}:root` }, Action: 'sts:AssumeRole' }] });
  const tempCreds = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken!,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam-sts-'));
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    sb = await startSandbox({ port: 0, runtime, clock, tickMs: 20, stateFile: join(dir, 'state.json'), log: () => {} });
    iam = client(new IAMClient(cfg()));
    sts = client(new STSClient(cfg()));
  });
  after(async () => {
    clearInterval(flusher);
    for (const c of clients) c.destroy();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GetCallerIdentity names the account and the sandbox user', async () => {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, account());
    assert.equal(id.Arn, `arn:aws:iam::${account()}:user/ecs-handson-sandbox`);
    assert.match(id.UserId!, /^AIDA[A-Z0-9]{17}$/);
  });

  it('a fresh account has no roles and no instance profile ecsInstanceRole', async () => {
    await rejectsWith(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })), 'NoSuchEntityException', 'Instance Profile ecsInstanceRole cannot be found.', 404);
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'ecsInstanceRole' })), 'NoSuchEntityException', 'The role with name ecsInstanceRole cannot be found.', 404);
    assert.deepEqual((await iam.send(new ListRolesCommand({}))).Roles, []);
  });

  it('EC2 refuses an instance profile IAM does not have (by name and by ARN), and one that holds no role', async () => {
    const ec2 = client(new EC2Client(cfg()));
    const launch = (IamInstanceProfile: { Name?: string; Arn?: string }) =>
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, IamInstanceProfile }));
    await rejectsWith(launch({ Name: 'ecsInstanceRole' }), 'InvalidParameterValue', 'Value (ecsInstanceRole) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name');
    const arn = `arn:aws:iam::${account()}:instance-profile/ecsInstanceRole`;
    await rejectsWith(launch({ Arn: arn }), 'InvalidParameterValue', `Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'empty-profile' }));
    await rejectsWith(launch({ Name: 'empty-profile' }), 'InvalidParameterValue', `IAM Instance Profile "arn:aws:iam::${account()}:instance-profile/empty-profile" has no associated IAM Roles`);
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'empty-profile' }));
    const reservations = (await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
    assert.equal(reservations.length, 0, 'nothing was launched');
  });

  it('creates ecsInstanceRole as the docs do; instances launched with it carry the profile', async () => {
    const profileArn = await createEcsInstanceRole(iam);
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'ecsInstanceRole' }))).Role!;
    assert.equal(role.Arn, `arn:aws:iam::${account()}:role/ecsInstanceRole`);
    assert.match(role.RoleId!, /^AROA[A-Z0-9]{17}$/);
    assert.equal(role.Path, '/');
    assert.equal(role.MaxSessionDuration, 3600);
    assert.ok(role.CreateDate instanceof Date);
    // IAM returns policy documents URL-encoded.
    assert.deepEqual(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)), JSON.parse(EC2_TRUST_POLICY));
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ecsInstanceRole' }))).AttachedPolicies, [
      { PolicyName: 'AmazonEC2ContainerServiceforEC2Role', PolicyArn: ECS_INSTANCE_POLICY_ARN },
    ]);
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }))).InstanceProfile!;
    assert.equal(profile.Arn, profileArn);
    assert.match(profile.InstanceProfileId!, /^AIPA[A-Z0-9]{17}$/);
    assert.deepEqual(profile.Roles?.map((r) => r.RoleName), ['ecsInstanceRole']);

    const ec2 = client(new EC2Client(cfg()));
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'ecsInstanceRole' } }));
    assert.deepEqual(run.Instances![0].IamInstanceProfile, { Arn: profileArn, Id: profile.InstanceProfileId });
  });

  it('answers with IAM errors: EntityAlreadyExists, MalformedPolicyDocument, NoSuchEntity, LimitExceeded, DeleteConflict, ValidationError', async () => {
    await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'ECSINSTANCEROLE', AssumeRolePolicyDocument: EC2_TRUST_POLICY })), 'EntityAlreadyExistsException', 'Role with name ECSINSTANCEROLE already exists.', 409);
    const bad = (doc: string) => iam.send(new CreateRoleCommand({ RoleName: 'bad-role', AssumeRolePolicyDocument: doc }));
    await rejectsWith(bad('ec2.amazonaws.com'), 'MalformedPolicyDocumentException', 'This policy contains invalid Json');
    const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] });
    await rejectsWith(bad(withResource), 'MalformedPolicyDocumentException', 'Has prohibited field Resource');
    const ghost = `arn:aws:iam::${account()}:role/ghost`;
    const ghostTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ghost }, Action: 'sts:AssumeRole' }] });
    await rejectsWith(bad(ghostTrust), 'MalformedPolicyDocumentException', `Invalid principal in policy: "AWS":"${ghost}"`);
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: EC2_TRUST_POLICY })),
      'ValidationError',
      "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'bad-role' })), { name: 'NoSuchEntityException' }, 'nothing was created');

    await rejectsWith(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'ecsInstanceRole', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })),
      'NoSuchEntityException',
      'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.',
      404,
    );
    await rejectsWith(iam.send(new AttachRolePolicyCommand({ RoleName: 'nobody', PolicyArn: ECS_INSTANCE_POLICY_ARN })), 'NoSuchEntityException', 'The role with name nobody cannot be found.', 404);
    await iam.send(new CreateRoleCommand({ RoleName: 'second', AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
    await rejectsWith(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'second' })),
      'LimitExceededException',
      'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
      409,
    );
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'ecsInstanceRole' })), 'DeleteConflictException', 'Cannot delete entity, must detach all policies first.', 409);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'ecsInstanceRole', PolicyArn: ECS_INSTANCE_POLICY_ARN }));
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'ecsInstanceRole' })), 'DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.', 409);
    await rejectsWith(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })), 'DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.', 409);
    // Put back as it was (the next tests launch with it).
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ecsInstanceRole', PolicyArn: ECS_INSTANCE_POLICY_ARN }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'second' }));
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'second' })), 'NoSuchEntityException', 'The role with name second cannot be found.', 404);
  });

  it('lists roles by page (MaxItems, Marker, IsTruncated) and by path prefix', async () => {
    for (const n of ['app-a', 'app-b', 'app-c']) {
      await iam.send(new CreateRoleCommand({ RoleName: n, Path: '/apps/', AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
    }
    const first = await iam.send(new ListRolesCommand({ MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    assert.deepEqual(first.Roles?.map((r) => r.RoleName), ['app-a', 'app-b']);
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, {})) names.push(...(page.Roles ?? []).map((r) => r.RoleName!));
    assert.deepEqual(names, ['app-a', 'app-b', 'app-c', 'ecsInstanceRole']);
    const apps = await iam.send(new ListRolesCommand({ PathPrefix: '/apps/' }));
    assert.deepEqual(apps.Roles?.map((r) => r.Arn), ['app-a', 'app-b', 'app-c'].map((n) => `arn:aws:iam::${account()}:role/apps/${n}`));
    assert.equal(apps.IsTruncated, false);
    await rejectsWith(iam.send(new ListRolesCommand({ Marker: 'not-a-marker' })), 'ValidationError', 'Invalid Marker');
  });

  it('service-linked roles: ECS creates its own with the first cluster; CreateServiceLinkedRole, and AWS alone may delete them', async () => {
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' })), 'NoSuchEntityException', 'The role with name AWSServiceRoleForECS cannot be found.', 404);
    const ecs = client(new ECSClient(cfg()));
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster' }));
    const slr = (await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).Role!;
    assert.equal(slr.Path, '/aws-service-role/ecs.amazonaws.com/');
    assert.equal(slr.Arn, `arn:aws:iam::${account()}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`);
    await rejectsWith(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' })),
      'InvalidInputException',
      'Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.',
    );
    await rejectsWith(
      iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForECS' })),
      'UnmodifiableEntityException',
      "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS",
    );
    const asRole = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'handson' }));
    assert.equal(asRole.Role?.RoleName, 'AWSServiceRoleForAutoScaling_handson');
  });

  it('GetSessionToken: the temporary credentials work with every service, only with their token', async () => {
    const out = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const c = tempCreds(out.Credentials);
    assert.match(c.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(c.secretAccessKey.length, 40);
    const left = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(left > 880_000 && left <= 900_000, `expires in ${left} ms (real time)`);
    // They are the user's, through a session.
    assert.equal((await client(new STSClient(cfg(c))).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${account()}:user/ecs-handson-sandbox`);
    assert.ok(Array.isArray((await client(new ECSClient(cfg(c))).send(new ListClustersCommand({}))).clusterArns));
    await client(new ElasticLoadBalancingV2Client(cfg(c))).send(new DescribeLoadBalancersCommand({}));
    await client(new EC2Client(cfg(c))).send(new DescribeSubnetsCommand({}));
    await rejectsWith(client(new STSClient(cfg(c))).send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);

    // Without its token, with another session's token, or a long-term key with a token: refused as AWS does.
    const other = tempCreds((await sts.send(new GetSessionTokenCommand({}))).Credentials);
    const tampered = `${c.sessionToken!.slice(0, -3)}${c.sessionToken!.endsWith('A') ? 'BBB' : 'AAA'}`;
    const invalid = 'The security token included in the request is invalid.';
    for (const bad of [{ ...c, sessionToken: undefined }, { ...c, sessionToken: other.sessionToken }, { ...c, sessionToken: tampered }, { ...sb.credentials, sessionToken: c.sessionToken }]) {
      await rejectsWith(client(new ECSClient(cfg(bad))).send(new ListClustersCommand({})), 'UnrecognizedClientException', invalid);
      await rejectsWith(client(new ElasticLoadBalancingV2Client(cfg(bad))).send(new DescribeLoadBalancersCommand({})), 'InvalidClientTokenId', invalid, 403);
      await rejectsWith(client(new STSClient(cfg(bad))).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', invalid, 403);
      await rejectsWith(client(new EC2Client(cfg(bad))).send(new DescribeSubnetsCommand({})), 'AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    }
  });

  it('expired temporary credentials are refused with each protocol’s expired-token error', async () => {
    // A session that ended a second ago (waiting out the 15-minute minimum is not a test).
    const c = issueCredentials(sb.world, { kind: 'session' }, Date.now() - 1000);
    const creds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    const expired = 'The security token included in the request is expired';
    await rejectsWith(client(new ECSClient(cfg(creds))).send(new ListClustersCommand({})), 'ExpiredTokenException', expired);
    // STS's own ExpiredTokenException (400) is about tokens passed as input; an expired signer gets the query services' ExpiredToken (403).
    await rejectsWith(client(new STSClient(cfg(creds))).send(new GetCallerIdentityCommand({})), 'ExpiredToken', expired, 403);
    await rejectsWith(client(new ElasticLoadBalancingV2Client(cfg(creds))).send(new DescribeLoadBalancersCommand({})), 'ExpiredToken', expired, 403);
    await rejectsWith(client(new EC2Client(cfg(creds))).send(new DescribeSubnetsCommand({})), 'RequestExpired', 'Request has expired.');
  });

  it('AssumeRole: a role that trusts the account gives credentials of its session; the trust policy and the durations are enforced', async () => {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: rootTrust(), MaxSessionDuration: 7200 }))).Role!;
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'handson', DurationSeconds: 7200, SourceIdentity: 'me' }));
    assert.deepEqual(out.AssumedRoleUser, { AssumedRoleId: `${role.RoleId}:handson`, Arn: `arn:aws:sts::${account()}:assumed-role/deployer/handson` });
    assert.equal(out.SourceIdentity, 'me');
    const left = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(left > 7_100_000 && left <= 7_200_000, `expires in ${left} ms`);
    const c = tempCreds(out.Credentials);
    const asRole = client(new STSClient(cfg(c)));
    assert.deepEqual(
      { ...(await asRole.send(new GetCallerIdentityCommand({}))), $metadata: undefined },
      { UserId: `${role.RoleId}:handson`, Account: account(), Arn: `arn:aws:sts::${account()}:assumed-role/deployer/handson`, $metadata: undefined },
    );
    assert.ok(Array.isArray((await client(new ECSClient(cfg(c))).send(new ListClustersCommand({}))).clusterArns));
    // Role chaining is limited to one hour.
    await rejectsWith(
      asRole.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'chained', DurationSeconds: 7200 })),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    assert.equal((await asRole.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'chained' }))).AssumedRoleUser?.Arn, `arn:aws:sts::${account()}:assumed-role/deployer/chained`);

    const denied = (arn: string) => `User: arn:aws:iam::${account()}:user/ecs-handson-sandbox is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
    // ecsInstanceRole trusts EC2, not the user; a missing role is answered the same way.
    const instanceRole = `arn:aws:iam::${account()}:role/ecsInstanceRole`;
    await rejectsWith(sts.send(new AssumeRoleCommand({ RoleArn: instanceRole, RoleSessionName: 'x1' })), 'AccessDenied', denied(instanceRole), 403);
    const missing = `arn:aws:iam::${account()}:role/missing`;
    await rejectsWith(sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'x1' })), 'AccessDenied', denied(missing), 403);
    await rejectsWith(
      sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'x1', DurationSeconds: 10_800 })),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    await rejectsWith(
      sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'has space' })),
      'ValidationError',
      "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    await rejectsWith(
      sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'x1', DurationSeconds: 60 })),
      'ValidationError',
      "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('Auto Scaling refuses a launch template whose instance profile is missing; a profile gone later fails the launch activity', async () => {
    const ec2 = client(new EC2Client(cfg()));
    const asg = client(new AutoScalingClient(cfg()));
    const subnet = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets![0].SubnetId!;
    const lt = (name: string, profile: string) =>
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', IamInstanceProfile: { Name: profile } } }));
    await lt('ghost-lt', 'ghost');
    const group = (name: string, template: string, desired: number) =>
      asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchTemplate: { LaunchTemplateName: template }, MinSize: 0, MaxSize: 2, DesiredCapacity: desired, VPCZoneIdentifier: subnet }));
    await rejectsWith(
      group('ghost-asg', 'ghost-lt', 1),
      'ValidationError',
      'You must use a valid fully-formed launch template. Value (ghost) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    );
    // A profile that exists when the group is created and is gone when it launches.
    await iam.send(new CreateRoleCommand({ RoleName: 'short-lived', AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'short-lived' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'short-lived', RoleName: 'short-lived' }));
    await lt('short-lived-lt', 'short-lived');
    await group('short-lived-asg', 'short-lived-lt', 0);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'short-lived', RoleName: 'short-lived' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'short-lived' }));
    const { SetDesiredCapacityCommand } = await import('@aws-sdk/client-auto-scaling');
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'short-lived-asg', DesiredCapacity: 1 }));
    const failed = await eventually('a failed launch activity', async () => {
      clock.advance(5_000);
      const acts = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'short-lived-asg' }))).Activities ?? [];
      return acts.find((a) => a.StatusCode === 'Failed');
    });
    const reason = 'Value (short-lived) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name';
    assert.equal(failed.Description, `Launching a new EC2 instance.  Status Reason: ${reason}. Launching EC2 instance failed.`);
    assert.equal(failed.StatusMessage, `${reason}. Launching EC2 instance failed.`);
  });

  it('IAM survives a restart on the same state file, and so do the sessions STS handed out', async () => {
    const session = tempCreds((await sts.send(new GetSessionTokenCommand({}))).Credentials);
    const file = sb.stateFile!;
    await sb.close();
    sb = await startSandbox({ port: 0, runtime, clock, tickMs: 20, stateFile: file, log: () => {} });
    const iam2 = client(new IAMClient(cfg()));
    assert.deepEqual((await iam2.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }))).InstanceProfile?.Roles?.map((r) => r.RoleName), ['ecsInstanceRole']);
    assert.ok((await iam2.send(new ListRolesCommand({ MaxItems: 100 }))).Roles!.some((r) => r.RoleName === 'AWSServiceRoleForECS'));
    assert.equal((await client(new STSClient(cfg(session))).send(new GetCallerIdentityCommand({}))).Account, account());
  });

  it('a whole reset of the sandbox starts a fresh account: no roles; a region reset keeps IAM (global)', async () => {
    const admin = new SandboxAdmin(sb.endpoint, sb.adminToken);
    await admin.reset('us-west-2');
    const iam3 = client(new IAMClient(cfg()));
    await iam3.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    await admin.reset();
    await rejectsWith(iam3.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })), 'NoSuchEntityException', 'Instance Profile ecsInstanceRole cannot be found.', 404);
    assert.deepEqual((await iam3.send(new ListRolesCommand({}))).Roles, []);
  });
});
