/**
 * Capacity providers backed by Auto Scaling groups, through the real AWS SDK against a sandbox on a
 * manual clock (fake task runtime): CreateCapacityProvider / Update / Delete / Describe and
 * PutClusterCapacityProviders with ECS's errors; a service on the cluster's default strategy whose
 * tasks wait PROVISIONING while managed scaling (the CapacityProviderReservation metric and ECS's
 * target tracking policy) grows the group from zero, no faster than maximumScalingStepSize; managed
 * termination protection keeping the instances that run tasks through the scale-in; base / weight
 * on RunTask over two providers.
 */
import * as assert from 'node:assert/strict';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteCapacityProviderCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateCapacityProviderCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';
import { rejectsWith, sleep } from '../helpers/wait';

const CLUSTER = 'cp-cluster';
const MIN = 60_000;

describe('ECS capacity providers (Auto Scaling groups, managed scaling, termination protection) through the AWS SDK', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let asg: AutoScalingClient;
  let ecs: ECSClient;
  let ec2: EC2Client;
  let cw: CloudWatchClient;
  let subnets = '';
  let asgArn = '';
  const recorded: Recorded[] = [];

  const advance = async (ms: number) => {
    clock.advance(ms);
    await sleep(60);
  };
  const group = async (name: string) => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
  const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }))).services![0];
  const serviceTasks = async (): Promise<Task[]> => {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }))).taskArns ?? [];
    return arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks! : [];
  };
  /** Advances `step` at a time until `done` (at most `max` simulated ms), recording the group's desired capacity after each step. */
  const until = async (what: string, done: () => Promise<boolean>, max: number, step = 20_000, desired?: number[]) => {
    for (let t = 0; t <= max; t += step) {
      if (await done()) return;
      await advance(step);
      if (desired) {
        const d = (await group('cp-asg')).DesiredCapacity!;
        if (desired[desired.length - 1] !== d) desired.push(d);
      }
    }
    assert.fail(`${what}: not within ${max / MIN} simulated minutes`);
  };

  before(async () => {
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    sb = await startSandbox({ port: 0, runtime, clock, tickMs: 15, log: () => {} });
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    asg = new AutoScalingClient(cfg);
    ecs = new ECSClient(cfg);
    ec2 = new EC2Client(cfg);
    cw = new CloudWatchClient(cfg);
    for (const [c, name] of [[asg, 'autoscaling'], [ecs, 'ecs'], [ec2, 'ec2'], [cw, 'monitoring']] as const) recordResponses(c, name, recorded);
    subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => s.SubnetId!).join(',');
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'ecs-small', ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.small', UserData: userData }));
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'cp-asg', LaunchConfigurationName: 'ecs-small', MinSize: 0, MaxSize: 6, DesiredCapacity: 0, VPCZoneIdentifier: subnets, NewInstancesProtectedFromScaleIn: true }));
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'fixed-asg', LaunchConfigurationName: 'ecs-small', MinSize: 1, MaxSize: 1, DesiredCapacity: 1, VPCZoneIdentifier: subnets }));
    asgArn = (await group('cp-asg')).AutoScalingGroupARN!;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    // 1 vCPU per task: two fit on a t3.small (2,048 CPU units).
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', cpu: 1024, memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }] }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'tiny', containerDefinitions: [{ name: 'tiny', image: 'uzresk/demo:ver1.0', cpu: 128, memory: 128 }] }));
  });
  // Every successful answer parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    clearInterval(flusher);
    for (const c of [asg, ecs, ec2, cw]) c?.destroy();
    await sb?.close();
  });

  it('CreateCapacityProvider keeps what it is sent, refuses as ECS does, and is described by name, ARN and page', async () => {
    const create = (name: string, extra: object = {}) =>
      ecs.send(new CreateCapacityProviderCommand({ name, autoScalingGroupProvider: { autoScalingGroupArn: asgArn, ...extra } }));
    await rejectsWith(create('ecs-cp'), 'ClientException', 'The capacity provider name cannot be prefixed with "aws", "ecs", or "fargate".');
    await rejectsWith(
      ecs.send(new CreateCapacityProviderCommand({ name: 'nogroup', autoScalingGroupProvider: { autoScalingGroupArn: 'ghost-asg' } })),
      'ClientException',
      /Auto Scaling group ARN is not valid: ghost-asg/,
    );
    await rejectsWith(
      ecs.send(new CreateCapacityProviderCommand({ name: 'unprotected', autoScalingGroupProvider: { autoScalingGroupArn: 'fixed-asg', managedScaling: { status: 'ENABLED' }, managedTerminationProtection: 'ENABLED' } })),
      'ClientException',
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.',
    );
    await rejectsWith(create('bad-step', { managedScaling: { status: 'ENABLED', targetCapacity: 101 } }), 'InvalidParameterException', /targetCapacity/);
    const cp = (
      await create('cp', {
        managedScaling: { status: 'ENABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 2, instanceWarmupPeriod: 60 },
        managedTerminationProtection: 'ENABLED',
      })
    ).capacityProvider!;
    assert.match(cp.capacityProviderArn!, /^arn:aws:ecs:[a-z0-9-]+:\d{12}:capacity-provider\/cp$/);
    assert.equal(cp.status, 'ACTIVE');
    assert.equal(cp.type, 'EC2_AUTOSCALING');
    assert.deepEqual(cp.autoScalingGroupProvider, {
      autoScalingGroupArn: asgArn,
      managedScaling: { status: 'ENABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 2, instanceWarmupPeriod: 60 },
      managedTerminationProtection: 'ENABLED',
      managedDraining: 'ENABLED',
    });
    await rejectsWith(create('cp'), 'ClientException', 'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.');
    await rejectsWith(create('cp-again'), 'ClientException', 'The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.');
    const fixed = (await ecs.send(new CreateCapacityProviderCommand({ name: 'fixed', autoScalingGroupProvider: { autoScalingGroupArn: 'fixed-asg' }, tags: [{ key: 'team', value: 'a' }] }))).capacityProvider!;
    assert.equal(fixed.autoScalingGroupProvider!.managedScaling!.status, 'DISABLED');
    assert.equal(fixed.autoScalingGroupProvider!.autoScalingGroupArn, (await group('fixed-asg')).AutoScalingGroupARN, 'a group name is stored as its ARN');

    const byName = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['fixed', cp.capacityProviderArn!, 'missing'], include: ['TAGS'] }));
    assert.deepEqual(byName.capacityProviders!.map((p) => [p.name, p.tags]), [['fixed', [{ key: 'team', value: 'a' }]], ['cp', []]]);
    assert.deepEqual(byName.failures!.map((x) => x.reason), ['MISSING']);
    const page1 = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 1 }));
    const page2 = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 1, nextToken: page1.nextToken }));
    assert.deepEqual([...page1.capacityProviders!, ...page2.capacityProviders!].map((p) => p.name), ['cp', 'fixed']);
    assert.equal(page2.nextToken, undefined);
  });

  it('PutClusterCapacityProviders sets the default strategy and ECS’s target tracking policy on the group; strategies are checked', async () => {
    await rejectsWith(
      ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'tiny', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] })),
      'InvalidParameterException',
      'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
    );
    await rejectsWith(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['cp', 'nope'], defaultCapacityProviderStrategy: [] })),
      'InvalidParameterException',
      /capacity provider does not exist/,
    );
    await rejectsWith(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['cp'], defaultCapacityProviderStrategy: [{ capacityProvider: 'fixed', weight: 1 }] })),
      'InvalidParameterException',
      /not associated with the cluster/,
    );
    await rejectsWith(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['cp', 'fixed'], defaultCapacityProviderStrategy: [{ capacityProvider: 'cp', base: 1, weight: 1 }, { capacityProvider: 'fixed', base: 1, weight: 1 }] })),
      'InvalidParameterException',
      /base value greater than 0 for only one/,
    );
    const out = await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['cp', 'fixed'], defaultCapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }));
    assert.deepEqual(out.cluster!.capacityProviders, ['cp', 'fixed']);
    assert.deepEqual(out.cluster!.defaultCapacityProviderStrategy, [{ capacityProvider: 'cp', weight: 1, base: 0 }]);
    const described = (await ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters![0];
    assert.deepEqual(described.defaultCapacityProviderStrategy, [{ capacityProvider: 'cp', weight: 1, base: 0 }]);

    const policies = (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'cp-asg' }))).ScalingPolicies!;
    assert.equal(policies.length, 1);
    const p = policies[0];
    assert.match(p.PolicyName!, /^ECSManagedAutoScalingPolicy-[0-9a-f-]{36}$/);
    assert.equal(p.PolicyType, 'TargetTrackingScaling');
    assert.deepEqual(p.TargetTrackingConfiguration!.CustomizedMetricSpecification, {
      MetricName: 'CapacityProviderReservation',
      Namespace: 'AWS/ECS/ManagedScaling',
      Dimensions: [{ Name: 'CapacityProviderName', Value: 'cp' }, { Name: 'ClusterName', Value: CLUSTER }],
      Statistic: 'Average',
    });
    assert.equal(p.TargetTrackingConfiguration!.TargetValue, 100);
    const alarms = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: p.Alarms!.map((a) => a.AlarmName!) }))).MetricAlarms!;
    assert.deepEqual(alarms.map((a) => [a.MetricName, a.ComparisonOperator, a.DatapointsToAlarm]).sort(), [['CapacityProviderReservation', 'GreaterThanThreshold', 1], ['CapacityProviderReservation', 'LessThanThreshold', 15]]);
    assert.equal((await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'fixed-asg' }))).ScalingPolicies!.length, 0, 'no managed scaling, no policy');
  });

  it('a service on the default strategy waits PROVISIONING while managed scaling grows the group from zero, by at most maximumScalingStepSize', async () => {
    await rejectsWith(
      ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'both', taskDefinition: 'web', desiredCount: 1, launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] })),
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
    const created = (await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: 'web', desiredCount: 3 }))).service!;
    assert.deepEqual(created.capacityProviderStrategy, [{ capacityProvider: 'cp', weight: 1, base: 0 }], 'the cluster default, copied');
    assert.equal(created.launchType, undefined);
    await advance(1_000);
    const waiting = await serviceTasks();
    assert.equal(waiting.length, 3);
    for (const t of waiting) {
      assert.equal(t.lastStatus, 'PROVISIONING');
      assert.equal(t.capacityProviderName, 'cp');
      assert.equal(t.containerInstanceArn, undefined, 'no container instance yet');
    }
    assert.equal((await service()).pendingCount, 3);

    // Zero instances and tasks waiting: the reservation is 200; the group grows to 1, then (N = 1, one task left) to 2.
    const desired: number[] = [0];
    await until('three tasks RUNNING', async () => (await service()).runningCount === 3, 10 * MIN, 20_000, desired);
    assert.deepEqual(desired, [0, 1, 2]);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ECS/ManagedScaling',
        MetricName: 'CapacityProviderReservation',
        Dimensions: [{ Name: 'CapacityProviderName', Value: 'cp' }, { Name: 'ClusterName', Value: CLUSTER }],
        StartTime: new Date(clock.now() - 30 * MIN),
        EndTime: new Date(clock.now()),
        Period: 60,
        Statistics: ['Maximum'],
      }),
    );
    const values = stats.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((d) => d.Maximum);
    assert.equal(values[0], 200, 'N = 0 and tasks waiting');
    assert.equal(values[values.length - 1], 100, 'every instance used');
    const cis = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns! }))).containerInstances!;
    assert.deepEqual(cis.map((c) => c.capacityProviderName).sort(), ['cp', 'cp', 'fixed'], 'each instance names its group’s provider (fixed-asg’s instance joined the cluster too)');
    // Managed termination protection: both instances run tasks.
    assert.deepEqual((await group('cp-asg')).Instances!.map((i) => i.ProtectedFromScaleIn), [true, true]);

    // 7 more tasks, one fits now: 6 wait (3 instances' worth) but a step is at most 2 instances; then 1 more.
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', desiredCount: 10 }));
    const more: number[] = [2];
    await until('ten tasks RUNNING', async () => (await service()).runningCount === 10, 10 * MIN, 20_000, more);
    assert.deepEqual(more, [2, 4, 5]);
  });

  it('managed termination protection: scale-in removes only the instances without tasks', async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', desiredCount: 2 }));
    await until('two tasks left', async () => (await serviceTasks()).length === 2 && (await service()).runningCount === 2, 5 * MIN);
    const kept = (await serviceTasks()).map((t) => t.taskArn);
    const hosts = async () => {
      const ciArns = [...new Set((await serviceTasks()).map((t) => t.containerInstanceArn!))];
      return (await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: ciArns }))).containerInstances!.map((c) => c.ec2InstanceId!).sort();
    };
    const busy = await hosts();
    // The low alarm needs 15 minutes below the target; the group then shrinks to the busy instances.
    await until('the group down to its busy instances', async () => {
      const g = await group('cp-asg');
      return g.Instances!.filter((i) => i.LifecycleState === 'InService').length === busy.length && g.DesiredCapacity === busy.length;
    }, 30 * MIN, MIN);
    const g = await group('cp-asg');
    assert.deepEqual(g.Instances!.filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!).sort(), busy);
    const tasks = await serviceTasks();
    assert.deepEqual(tasks.map((t) => t.taskArn).sort(), [...kept].sort(), 'the running tasks were not stopped by the scale-in');
    assert.ok(tasks.every((t) => t.lastStatus === 'RUNNING'));
  });

  it('RunTask splits tasks by base then weight; providers in use cannot be removed or deleted; an update moves ECS’s policy', async () => {
    const strategy = [
      { capacityProvider: 'cp', base: 1, weight: 1 },
      { capacityProvider: 'fixed', weight: 3 },
    ];
    const out = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'tiny', count: 5, capacityProviderStrategy: strategy }));
    assert.deepEqual(out.failures, []);
    const by = (name: string) => out.tasks!.filter((t) => t.capacityProviderName === name).length;
    assert.deepEqual([by('cp'), by('fixed')], [2, 3]);

    await rejectsWith(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['fixed'], defaultCapacityProviderStrategy: [] })),
      'ResourceInUseException',
      'The specified capacity provider is in use and cannot be removed.',
    );
    await rejectsWith(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'cp' })), 'ResourceInUseException', 'The specified capacity provider is in use and cannot be removed.');
    const updated = (await ecs.send(new UpdateCapacityProviderCommand({ name: 'cp', autoScalingGroupProvider: { managedScaling: { targetCapacity: 80 } } }))).capacityProvider!;
    assert.equal(updated.updateStatus, 'UPDATE_COMPLETE');
    assert.equal(updated.autoScalingGroupProvider!.managedScaling!.targetCapacity, 80);
    assert.equal(updated.autoScalingGroupProvider!.managedScaling!.maximumScalingStepSize, 2, 'what the update leaves out stays');
    const policies = (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'cp-asg' }))).ScalingPolicies!;
    assert.deepEqual(policies.map((p) => p.TargetTrackingConfiguration!.TargetValue), [80]);
  });
});
