/**
 * EC2 and SSM through the real `@aws-sdk/client-ec2` / `@aws-sdk/client-ssm` against a sandbox on a
 * free port: the hands-on's capacity steps (AMI from SSM → default network → security groups →
 * launch template → RunInstances in two AZs → the instances register with the ECS cluster), the
 * SDK's waiters and paginators, and errors as the SDK surfaces them.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeAccountAttributesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceRunning,
  waitUntilInstanceStatusOk,
  waitUntilInstanceTerminated,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeContainerInstancesCommand, ECSClient, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { awsCli, startCliSandbox, type CliSandbox } from './helpers/cli-sandbox';
import { createEcsInstanceRole } from './helpers/iam';
import { eventually as until, rejectsWith } from '../helpers/wait';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

const CLUSTER = 'demo-cluster';
const AL2023 = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';

describe('EC2 and SSM through the AWS SDK', () => {
  let sb: Sandbox;
  let ec2: EC2Client;
  let ssm: SSMClient;
  let ecs: ECSClient;
  let iam: IAMClient;
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;
  // Shared along the flow.
  let ami = '';
  let subnets: { id: string; az: string }[] = [];
  let nodeSg = '';
  let albSg = '';
  const instanceIds: string[] = [];

  before(async () => {
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    sb = await startSandbox({ port: 0, timeScale: 100, runtime, log: () => {} });
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    ec2 = new EC2Client(cfg);
    ssm = new SSMClient(cfg);
    ecs = new ECSClient(cfg);
    iam = new IAMClient(cfg);
    recordResponses(ec2, 'ec2', recorded);
    recordResponses(ssm, 'ssm', recorded);
    recordResponses(ecs, 'ecs', recorded);
    recordResponses(iam, 'iam', recorded);
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    clearInterval(flusher);
    ec2?.destroy();
    ssm?.destroy();
    ecs?.destroy();
    iam?.destroy();
    await sb?.close();
  });

  it('finds the ECS-optimized AMI in SSM (plain and JSON), with SSM errors for unknown names', async () => {
    const p = (await ssm.send(new GetParameterCommand({ Name: `${AL2023}/image_id` }))).Parameter!;
    assert.match(p.Value!, /^ami-[0-9a-f]{17}$/);
    assert.equal(p.Type, 'String');
    assert.ok(p.LastModifiedDate instanceof Date);
    assert.equal(p.ARN, `arn:aws:ssm:${sb.region}::parameter${AL2023}/image_id`);
    ami = p.Value!;
    const meta = JSON.parse((await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value!);
    assert.equal(meta.image_id, ami);
    assert.equal(meta.os, 'Amazon Linux 2023');
    const many = await ssm.send(new GetParametersCommand({ Names: [`${AL2023}/image_id`, '/not/there'] }));
    assert.equal(many.Parameters?.length, 1);
    assert.deepEqual(many.InvalidParameters, ['/not/there']);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/nope/recommended' })), 'ParameterNotFound');
  });

  it('describes the default network: two AZs, the default VPC, a default subnet in each AZ', async () => {
    const azs = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    assert.equal(azs.length, 2);
    assert.ok(azs.every((z) => z.State === 'available' && z.RegionName === sb.region && /-az\d$/.test(z.ZoneId!)));
    const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs!;
    assert.equal(vpcs.length, 1);
    assert.equal(vpcs[0].IsDefault, true);
    const subs = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcs[0].VpcId!] }, { Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    assert.equal(subs.length, 2);
    assert.deepEqual(new Set(subs.map((s) => s.AvailabilityZone)), new Set(azs.map((z) => z.ZoneName)));
    assert.equal(typeof subs[0].AvailableIpAddressCount, 'number');
    subnets = subs.map((s) => ({ id: s.SubnetId!, az: s.AvailabilityZone! }));
    // The account attributes tools read first: EC2-VPC only, this default VPC, the instance limit.
    const attrs = (await ec2.send(new DescribeAccountAttributesCommand({}))).AccountAttributes!;
    const attr = (name: string) => attrs.find((a) => a.AttributeName === name)?.AttributeValues?.map((v) => v.AttributeValue);
    assert.deepEqual(attr('supported-platforms'), ['VPC']);
    assert.deepEqual(attr('default-vpc'), [vpcs[0].VpcId]);
    assert.deepEqual(attr('max-instances'), ['20']);
    const one = (await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }))).AccountAttributes!;
    assert.deepEqual(one.map((a) => a.AttributeName), ['default-vpc']);
    await rejectsWith(ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['vcpu-limit' as 'default-vpc'] })), 'InvalidParameterValue', /Value \(vcpu-limit\) for parameter attributeName is invalid/);
  });

  it('creates security groups for the ALB and the nodes, with rules the SDK reads back', async () => {
    albSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-demo-lb-sg', Description: 'ALB: HTTP from anywhere' }))).GroupId!;
    nodeSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ecs-nodes-sg', Description: 'ECS container instances' }))).GroupId!;
    const auth = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: albSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTP' }] }],
      }),
    );
    assert.equal(auth.Return, true);
    assert.match(auth.SecurityGroupRules![0].SecurityGroupRuleId!, /^sgr-/);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: nodeSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: albSg }] }],
      }),
    );
    const [alb] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [albSg] }))).SecurityGroups!;
    assert.equal(alb.GroupName, 'app-demo-lb-sg');
    assert.deepEqual(alb.IpPermissions?.[0].IpRanges, [{ CidrIp: '0.0.0.0/0', Description: 'HTTP' }]);
    assert.equal(alb.IpPermissions?.[0].FromPort, 80);
    assert.equal(alb.IpPermissionsEgress?.[0].IpProtocol, '-1');
    const [node] = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['ecs-nodes-sg'] }] }))).SecurityGroups!;
    assert.equal(node.IpPermissions?.[0].UserIdGroupPairs?.[0].GroupId, albSg);
    await rejectsWith(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: albSg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' })),
      'InvalidPermission.Duplicate',
      /already exists/,
    );
    await rejectsWith(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound', "The security group 'sg-0123456789abcdef0' does not exist");
  });

  it('creates a launch template whose user data joins the cluster, and reads its version back', async () => {
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    const lt = (
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'demo-cluster-lt',
          LaunchTemplateData: {
            ImageId: ami,
            InstanceType: 't3.small',
            UserData: userData,
            SecurityGroupIds: [nodeSg],
            IamInstanceProfile: { Name: 'ecsInstanceRole' },
            TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'ecs-node' }] }],
          },
        }),
      )
    ).LaunchTemplate!;
    assert.match(lt.LaunchTemplateId!, /^lt-[0-9a-f]{17}$/);
    assert.ok(lt.CreateTime instanceof Date);
    assert.equal(lt.LatestVersionNumber, 1);
    const [v] = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, Versions: ['$Latest'] }))).LaunchTemplateVersions!;
    assert.equal(v.DefaultVersion, true);
    assert.equal(v.LaunchTemplateData?.UserData, userData);
    assert.deepEqual(v.LaunchTemplateData?.SecurityGroupIds, [nodeSg]);
    assert.equal(v.LaunchTemplateData?.IamInstanceProfile?.Name, 'ecsInstanceRole');
    assert.deepEqual(v.LaunchTemplateData?.TagSpecifications?.[0].Tags, [{ Key: 'Name', Value: 'ecs-node' }]);
    await rejectsWith(
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'demo-cluster-lt', LaunchTemplateData: { InstanceType: 't3.small' } })),
      'InvalidLaunchTemplateName.AlreadyExistsException',
    );
  });

  it('runs one instance per AZ from the template (once the account has ecsInstanceRole); they run and register with the ECS cluster', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    // A fresh account has no ecsInstanceRole: EC2 refuses the template's instance profile, as on AWS.
    await rejectsWith(
      ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, SubnetId: subnets[0].id, LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt' } })),
      'InvalidParameterValue',
      'Value (ecsInstanceRole) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    );
    await createEcsInstanceRole(iam);
    for (const s of subnets) {
      const r = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, SubnetId: s.id, LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt' } }));
      assert.match(r.ReservationId!, /^r-/);
      const i = r.Instances![0];
      assert.equal(i.State?.Name, 'pending');
      assert.equal(i.InstanceType, 't3.small');
      assert.equal(i.Placement?.AvailabilityZone, s.az);
      assert.equal(i.SecurityGroups?.[0].GroupId, nodeSg);
      assert.ok(i.LaunchTime instanceof Date);
      instanceIds.push(i.InstanceId!);
    }
    const waited = await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { InstanceIds: instanceIds });
    assert.equal(waited.state, 'SUCCESS');
    const ok = await waitUntilInstanceStatusOk({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { InstanceIds: instanceIds });
    assert.equal(ok.state, 'SUCCESS');
    const cis = await until('2 container instances', async () => {
      const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? [];
      return arns.length === 2 && (await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: arns }))).containerInstances;
    });
    assert.deepEqual(new Set(cis.map((c) => c.ec2InstanceId)), new Set(instanceIds));
    assert.equal(cis[0].registeredResources?.find((r) => r.name === 'CPU')?.integerValue, 2048);
  });

  it('describes instances: reservations, filters, tags, the paginator', async () => {
    const running = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }, { Name: 'tag:Name', Values: ['ecs-node'] }] }));
    const found = running.Reservations!.flatMap((r) => r.Instances!);
    assert.deepEqual(new Set(found.map((i) => i.InstanceId)), new Set(instanceIds));
    const tags = Object.fromEntries(found[0].Tags!.map((t) => [t.Key, t.Value]));
    assert.equal(tags.Name, 'ecs-node');
    assert.match(tags['aws:ec2launchtemplate:id'], /^lt-/);
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }))).InstanceProfile!;
    assert.deepEqual(found[0].IamInstanceProfile, { Arn: `arn:aws:iam::${sb.world.accountId}:instance-profile/ecsInstanceRole`, Id: profile.InstanceProfileId });
    assert.match(found[0].PrivateIpAddress!, /^172\.31\./);
    assert.equal(found[0].NetworkInterfaces?.[0].PrivateIpAddress, found[0].PrivateIpAddress);

    await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 5, MaxCount: 5 }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) {
      pages++;
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) seen.push(i.InstanceId!);
    }
    assert.equal(pages, 2);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);

    await ec2.send(new CreateTagsCommand({ Resources: [instanceIds[0]], Tags: [{ Key: 'role', Value: 'first' }] }));
    const described = (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['role'] }] }))).Tags!;
    assert.deepEqual(described, [{ Key: 'role', ResourceId: instanceIds[0], ResourceType: 'instance', Value: 'first' }]);

    await rejectsWith(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
  });

  it('refuses bad launches with EC2 errors', async () => {
    await rejectsWith(ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0123456789abcdef0' })), 'InvalidSubnetID.NotFound');
    await rejectsWith(ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SecurityGroupIds: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound');
    await rejectsWith(ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 'banana' as _InstanceType, MinCount: 1, MaxCount: 1 })), 'InvalidParameterValue');
    await rejectsWith(ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 50, MaxCount: 50 })), 'InstanceLimitExceeded');
    await assert.rejects(ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, DryRun: true })), (e: any) => e.name === 'DryRunOperation');
  });

  it('describes instance types with their real vCPUs and memory', async () => {
    const [t] = (await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.small'] }))).InstanceTypes!;
    assert.equal(t.VCpuInfo?.DefaultVCpus, 2);
    assert.equal(t.MemoryInfo?.SizeInMiB, 2048);
  });

  it('will not delete a security group in use; terminates the instances, which then deregister', async () => {
    await rejectsWith(ec2.send(new DeleteSecurityGroupCommand({ GroupId: nodeSg })), 'DependencyViolation', `resource ${nodeSg} has a dependent object`);
    const out = await ec2.send(new TerminateInstancesCommand({ InstanceIds: instanceIds }));
    for (const c of out.TerminatingInstances!) {
      assert.equal(c.PreviousState?.Name, 'running');
      assert.equal(c.PreviousState?.Code, 16);
      assert.equal(c.CurrentState?.Name, 'shutting-down');
    }
    const waited = await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { InstanceIds: instanceIds });
    assert.equal(waited.state, 'SUCCESS');
    await until('container instances gone from the cluster', async () => {
      const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? [];
      return arns.length === 0;
    });
    // The ALB group is still referenced by the nodes' rule; once the nodes' group goes, it can go too.
    await rejectsWith(ec2.send(new DeleteSecurityGroupCommand({ GroupId: albSg })), 'DependencyViolation', /dependent object/);
    assert.equal((await ec2.send(new DeleteSecurityGroupCommand({ GroupId: nodeSg }))).Return, true);
    assert.equal((await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'app-demo-lb-sg' }))).GroupId, albSg);
  });
});

describe('EC2 and SSM with the AWS CLI', () => {
  let sb: CliSandbox;
  before(async function () {
    try {
      execFileSync(awsCli, ['--version'], { stdio: 'ignore' });
    } catch {
      this.skip(); // no AWS CLI on this machine (scripts/setup.sh installs it)
    }
    sb = await startCliSandbox({ timeScale: 100 });
  });
  after(async () => {
    await sb?.stop();
  });

  it('gets the AMI, opens port 80, runs instances with plain-text user data, waits, filters and terminates', async () => {
    const got = await sb.aws(['ssm', 'get-parameters', '--names', `${AL2023}/image_id`, '/nope']);
    const ami = got.Parameters[0].Value;
    assert.match(ami, /^ami-[0-9a-f]{17}$/);
    assert.deepEqual(got.InvalidParameters, ['/nope']);
    assert.match(await sb.awsFails(['ssm', 'get-parameter', '--name', '/nope']), /\(ParameterNotFound\) when calling the GetParameter operation/);

    const sg = (await sb.aws(['ec2', 'create-security-group', '--group-name', 'cli-web', '--description', 'web'])).GroupId;
    const auth = await sb.aws(['ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '80', '--cidr', '0.0.0.0/0']);
    assert.equal(auth.Return, true);
    assert.match(
      await sb.awsFails(['ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '80', '--cidr', '0.0.0.0/0']),
      /\(InvalidPermission\.Duplicate\)/,
    );

    // The CLI base64-encodes --user-data itself.
    const run = await sb.aws([
      'ec2', 'run-instances', '--image-id', ami, '--instance-type', 't3.micro', '--count', '2',
      '--security-group-ids', sg,
      '--user-data', '#!/bin/bash\necho ECS_CLUSTER=cli-cluster >> /etc/ecs/ecs.config\n',
      '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=cli-node}]',
    ]);
    const ids = run.Instances.map((i: any) => i.InstanceId);
    assert.equal(ids.length, 2);
    await sb.aws(['ec2', 'wait', 'instance-running', '--instance-ids', ...ids]);
    const state = await sb.admin('/_sandbox/state');
    const stored = Object.values<any>(state.regions[Object.keys(state.regions)[0]].ec2.instances);
    assert.deepEqual(stored.filter((i) => ids.includes(i.instanceId)).map((i) => i.ecsCluster), ['cli-cluster', 'cli-cluster']);

    const described = await sb.aws(['ec2', 'describe-instances', '--filters', 'Name=tag:Name,Values=cli-node', 'Name=instance-state-name,Values=running']);
    const instances = described.Reservations.flatMap((r: any) => r.Instances);
    assert.deepEqual(new Set(instances.map((i: any) => i.InstanceId)), new Set(ids));
    assert.equal(instances[0].SecurityGroups[0].GroupName, 'cli-web');
    assert.match(
      await sb.awsFails(['ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0']),
      /\(InvalidInstanceID\.NotFound\) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist/,
    );

    const term = await sb.aws(['ec2', 'terminate-instances', '--instance-ids', ...ids]);
    assert.deepEqual(term.TerminatingInstances.map((t: any) => t.CurrentState.Name), ['shutting-down', 'shutting-down']);
    await sb.aws(['ec2', 'wait', 'instance-terminated', '--instance-ids', ...ids]);
    await sb.aws(['ec2', 'delete-security-group', '--group-id', sg]);
  });
});
