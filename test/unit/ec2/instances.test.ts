import { strict as assert } from 'node:assert';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { harness } from './harness';
import { amiId } from '../../../src/sandbox/ssm/public-parameters';
import { createInstanceRole } from '../iam/helpers';
import { INSTANCE_LIMIT } from '../../../src/sandbox/ec2/instances';

const AMI = amiId('ap-northeast-1', 'amazon-linux-2023');
const ecsUserData = (cluster: string) =>
  Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString('base64');

const inCidr = (ip: string, cidr: string): boolean => {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return toInt(ip) >= toInt(base) && toInt(ip) < toInt(base) + size;
};

describe('EC2 instances', () => {
  it('runs pending instances in the first AZ by default, hands each to the engine, and returns the reservation', async () => {
    const h = harness();
    const out = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.small', MinCount: 2, MaxCount: 2, UserData: ecsUserData('demo-cluster') }));
    assert.match(out.reservationId, /^r-[0-9a-f]{17}$/);
    assert.equal(out.ownerId, '123456789012');
    assert.equal(out.instancesSet.length, 2);
    const firstSubnet = Object.values(h.ctx.state.ec2.subnets).find((s) => s.availabilityZone === 'ap-northeast-1a')!;
    for (const [n, i] of out.instancesSet.entries()) {
      assert.match(i.instanceId, /^i-[0-9a-f]{17}$/);
      assert.deepEqual(i.instanceState, { code: 0, name: 'pending' });
      assert.equal(i.instanceType, 't3.small');
      assert.equal(i.amiLaunchIndex, n);
      assert.equal(i.placement.availabilityZone, 'ap-northeast-1a');
      assert.equal(i.subnetId, firstSubnet.subnetId);
      assert.ok(inCidr(i.privateIpAddress, firstSubnet.cidrBlock), i.privateIpAddress);
      assert.equal(i.privateDnsName, `ip-${i.privateIpAddress.replace(/\./g, '-')}.ap-northeast-1.compute.internal`);
      assert.equal(i.groupSet[0].groupName, 'default');
    }
    assert.notEqual(out.instancesSet[0].privateIpAddress, out.instancesSet[1].privateIpAddress);
    assert.deepEqual(h.engine.launched, out.instancesSet.map((i: any) => i.instanceId));
    const stored = h.ctx.state.ec2.instances[out.instancesSet[0].instanceId];
    assert.equal(stored.ecsCluster, 'demo-cluster');
    assert.equal(stored.state, 'pending');
  });

  it('reads ECS_CLUSTER anywhere in the user data; ECS AMIs without it join "default"; other AMIs join nothing', async () => {
    const h = harness();
    const run = async (ud: string | undefined, image = AMI) => {
      const out = await h.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, UserData: ud && Buffer.from(ud).toString('base64') }));
      return h.ctx.state.ec2.instances[out.instancesSet[0].instanceId].ecsCluster;
    };
    assert.equal(await run('#!/bin/bash\ncat <<EOF >> /etc/ecs/ecs.config\nECS_ENABLE_TASK_IAM_ROLE=true\nECS_CLUSTER="blue_team-1"\nEOF\n'), 'blue_team-1');
    assert.equal(await run('#!/bin/bash\nyum update -y\n'), 'default');
    assert.equal(await run(undefined), 'default');
    assert.equal(await run('#!/bin/bash\necho hi\n', 'ami-0123456789abcdef0'), undefined);
    assert.equal(await run('echo ECS_CLUSTER=x >> /etc/ecs/ecs.config', 'ami-0123456789abcdef0'), 'x');
    const bad = await h.fails(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, UserData: '***' }));
    assert.equal(bad.code, 'InvalidUserData.Malformed');
  });

  it('launches from a launch template ($Latest, $Default, N), request values overriding the template', async () => {
    const h = harness();
    createInstanceRole(h.ctx);
    const sg = (await h.send(new CreateSecurityGroupCommand({ GroupName: 'ecs-nodes', Description: 'nodes' }))).groupId;
    const lt = (
      await h.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'demo-cluster-lt',
          LaunchTemplateData: {
            ImageId: AMI,
            InstanceType: 't3.small',
            UserData: ecsUserData('demo-cluster'),
            SecurityGroupIds: [sg],
            IamInstanceProfile: { Name: 'ecsInstanceRole' },
            TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'ecs-node' }, { Key: 'tier', Value: 'a' }] }],
          },
        }),
      )
    ).launchTemplate;
    await h.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: lt.launchTemplateId, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.medium' } }));
    const run = async (version: string | undefined, extra: object = {}) =>
      (await h.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt', Version: version }, ...extra }))).instancesSet[0];
    assert.equal((await run(undefined)).instanceType, 't3.small', 'no version = $Default');
    assert.equal((await run('$Default')).instanceType, 't3.small');
    assert.equal((await run('$Latest')).instanceType, 't3.medium');
    const i = await run('2', { InstanceType: 't3.large', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'tier', Value: 'b' }] }] });
    assert.equal(i.instanceType, 't3.large');
    assert.equal(i.imageId, AMI);
    assert.deepEqual(i.groupSet, [{ groupId: sg, groupName: 'ecs-nodes' }]);
    assert.equal(i.iamInstanceProfile.arn, 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole');
    const tags = Object.fromEntries(i.tagSet.map((t: any) => [t.key, t.value]));
    assert.deepEqual(tags, { Name: 'ecs-node', tier: 'b', 'aws:ec2launchtemplate:id': lt.launchTemplateId, 'aws:ec2launchtemplate:version': '2' });
    assert.equal(h.ctx.state.ec2.instances[i.instanceId].ecsCluster, 'demo-cluster');
    const missingVersion = await h.fails(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt', Version: '7' } }));
    assert.equal(missingVersion.code, 'InvalidLaunchTemplateId.VersionNotFound');
    const missingLt = await h.fails(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'nope-lt' } }));
    assert.equal(missingLt.code, 'InvalidLaunchTemplateName.NotFoundException');
  });

  it('places instances in the given subnet and resolves resolve:ssm: image ids', async () => {
    const h = harness();
    const subnet = Object.values(h.ctx.state.ec2.subnets).find((s) => s.availabilityZone === 'ap-northeast-1c')!;
    const out = await h.send(
      new RunInstancesCommand({
        ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
        InstanceType: 't3.small',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnet.subnetId,
      }),
    );
    const i = out.instancesSet[0];
    assert.equal(i.imageId, AMI);
    assert.equal(i.subnetId, subnet.subnetId);
    assert.equal(i.placement.availabilityZone, 'ap-northeast-1c');
    assert.ok(inCidr(i.privateIpAddress, subnet.cidrBlock));
  });

  it('validates everything before launching anything', async () => {
    const h = harness();
    const cases: [any, string][] = [
      [{ InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }, 'MissingParameter'],
      [{ ImageId: 'ubuntu', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }, 'InvalidAMIID.Malformed'],
      [{ ImageId: AMI, InstanceType: 'banana', MinCount: 1, MaxCount: 1 }, 'InvalidParameterValue'],
      [{ ImageId: AMI, InstanceType: 'p5.48xlarge', MinCount: 1, MaxCount: 1 }, 'Unsupported'],
      [{ ImageId: AMI, InstanceType: 't3.micro', MinCount: 0, MaxCount: 1 }, 'InvalidParameterValue'],
      [{ ImageId: AMI, InstanceType: 't3.micro', MinCount: 3, MaxCount: 2 }, 'InvalidParameterValue'],
      [{ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0123456789abcdef0' }, 'InvalidSubnetID.NotFound'],
      [{ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SecurityGroupIds: ['sg-0123456789abcdef0'] }, 'InvalidGroup.NotFound'],
      [{ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'a', Value: 'b' }] }] }, 'InvalidParameterValue'],
      [{ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, DryRun: true }, 'DryRunOperation'],
    ];
    for (const [input, code] of cases) {
      const err = await h.fails(new RunInstancesCommand(input));
      assert.equal(err.code, code, JSON.stringify(input));
    }
    assert.deepEqual(h.ctx.state.ec2.instances, {});
    assert.deepEqual(h.engine.launched, []);
  });

  it('defaults to m1.small when neither request nor template names a type', async () => {
    const h = harness();
    const out = await h.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }));
    assert.equal(out.instancesSet[0].instanceType, 'm1.small');
  });

  it(`enforces the account limit of ${INSTANCE_LIMIT} running instances: launches up to it, refuses below MinCount`, async () => {
    const h = harness();
    await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 15, MaxCount: 15 }));
    const some = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 10 }));
    assert.equal(some.instancesSet.length, INSTANCE_LIMIT - 15);
    const err = await h.fails(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    assert.equal(err.code, 'InstanceLimitExceeded');
    assert.match(err.message, /current instance limit of 20/);
  });

  it('returns the same reservation for a repeated client token', async () => {
    const h = harness();
    const a = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ClientToken: 'tok-1' }));
    const b = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ClientToken: 'tok-1' }));
    assert.equal(b.reservationId, a.reservationId);
    assert.equal(Object.keys(h.ctx.state.ec2.instances).length, 1);
  });

  it('describes instances grouped by reservation, with filters and pagination', async () => {
    const h = harness();
    const subnetC = Object.values(h.ctx.state.ec2.subnets).find((s) => s.availabilityZone === 'ap-northeast-1c')!;
    const r1 = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'ecs' }] }] }));
    const r2 = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: subnetC.subnetId }));
    h.ctx.state.ec2.instances[r2.instancesSet[0].instanceId].state = 'running';
    const all = await h.send(new DescribeInstancesCommand({}));
    assert.deepEqual(all.reservationSet.map((r: any) => [r.reservationId, r.instancesSet.length]), [[r1.reservationId, 2], [r2.reservationId, 1]]);
    const ids = (out: any) => out.reservationSet.flatMap((r: any) => r.instancesSet.map((i: any) => i.instanceId));
    const running = await h.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }));
    assert.deepEqual(ids(running), [r2.instancesSet[0].instanceId]);
    const tagged = await h.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:role', Values: ['ecs'] }] }));
    assert.equal(ids(tagged).length, 2);
    const tagKey = await h.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['role'] }, { Name: 'instance-type', Values: ['t3.small'] }] }));
    assert.equal(ids(tagKey).length, 0);
    const inAz = await h.send(new DescribeInstancesCommand({ Filters: [{ Name: 'availability-zone', Values: ['ap-northeast-1c'] }, { Name: 'subnet-id', Values: [subnetC.subnetId] }] }));
    assert.deepEqual(ids(inAz), [r2.instancesSet[0].instanceId]);
    const page1 = await h.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    assert.equal(ids(page1).length, 3);
    assert.equal(page1.nextToken, undefined);
    const bad = await h.fails(new DescribeInstancesCommand({ MaxResults: 4 }));
    assert.equal(bad.code, 'InvalidParameterValue');
    const combo = await h.fails(new DescribeInstancesCommand({ InstanceIds: [r2.instancesSet[0].instanceId], MaxResults: 5 }));
    assert.equal(combo.code, 'InvalidParameterCombination');
  });

  it('reports instance status checks: running instances only, all with IncludeAllInstances', async () => {
    const h = harness();
    const run = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2 }));
    const [a, b] = run.instancesSet.map((i: any) => i.instanceId);
    h.ctx.state.ec2.instances[a].state = 'running';
    const running = (await h.send(new DescribeInstanceStatusCommand({}))).instanceStatusSet;
    assert.deepEqual(running.map((s: any) => [s.instanceId, s.instanceStatus.status, s.systemStatus.status]), [[a, 'ok', 'ok']]);
    const all = (await h.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }))).instanceStatusSet;
    assert.deepEqual(all.map((s: any) => [s.instanceId, s.instanceState.name, s.instanceStatus.status]), [[a, 'running', 'ok'], [b, 'pending', 'not-applicable']]);
  });

  it('reports unknown instance ids, all of them, and malformed ones', async () => {
    const h = harness();
    const one = await h.fails(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }));
    assert.equal(one.code, 'InvalidInstanceID.NotFound');
    assert.equal(one.message, "The instance ID 'i-0123456789abcdef0' does not exist");
    const two = await h.fails(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] }));
    assert.equal(two.message, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    const bad = await h.fails(new DescribeInstancesCommand({ InstanceIds: ['web-1'] }));
    assert.equal(bad.code, 'InvalidInstanceID.Malformed');
  });

  it('terminates through the engine, reports previous and current state, and keeps terminated instances visible for an hour', async () => {
    const h = harness();
    const run = await h.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    const id = run.instancesSet[0].instanceId;
    h.ctx.state.ec2.instances[id].state = 'running';
    const out = await h.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(out.instancesSet, [{ instanceId: id, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }]);
    assert.deepEqual(h.engine.terminated, [id]);
    // The engine finishes the shutdown later.
    h.ctx.state.ec2.instances[id].state = 'terminated';
    const again = await h.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(again.instancesSet[0].previousState, { code: 48, name: 'terminated' });
    assert.deepEqual(h.engine.terminated, [id], 'a terminated instance is not terminated twice');
    h.advance(30 * 60 * 1000);
    const seen = await h.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const described = seen.reservationSet[0].instancesSet[0];
    assert.equal(described.instanceState.name, 'terminated');
    assert.equal(described.stateReason.code, 'Client.UserInitiatedShutdown');
    h.advance(31 * 60 * 1000);
    assert.equal((await h.send(new DescribeInstancesCommand({}))).reservationSet.length, 0);
    assert.equal((await h.fails(new DescribeInstancesCommand({ InstanceIds: [id] }))).code, 'InvalidInstanceID.NotFound');
  });
});
