/**
 * EC2 Auto Scaling launch configurations, scheduled actions and target tracking policies, and
 * Application Auto Scaling scheduled actions, through the real AWS SDK against a sandbox on a
 * manual clock (fake task runtime): a group launched from a launch configuration registers its
 * instances with the cluster; scheduled actions change the group's and the service's capacity when
 * the sandbox clock reaches them (a one-time action, a daily cron in Asia/Tokyo); a target tracking
 * policy creates the two alarms AWS names and scales the group out on its metric.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ApplicationAutoScalingClient,
  DeleteScheduledActionCommand as DeleteAppScheduledActionCommand,
  DescribeScalableTargetsCommand,
  DescribeScheduledActionsCommand as DescribeAppScheduledActionsCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DeleteLaunchConfigurationCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, ListContainerInstancesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';
import { eventually, rejectsWith, sleep } from '../helpers/wait';

const CLUSTER = 'lc-cluster';
const START = Date.UTC(2026, 0, 1, 0, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('Auto Scaling launch configurations, scheduled actions and target tracking through the AWS SDK', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;
  const clock = new ManualClock(START);
  let asg: AutoScalingClient;
  let aas: ApplicationAutoScalingClient;
  let ec2: EC2Client;
  let ecs: ECSClient;
  let cw: CloudWatchClient;
  let subnets: string[] = [];

  /** Moves the sandbox clock and lets a few ticks run. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await sleep(80);
  };
  const groupOf = async (name: string) => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];

  before(async () => {
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    sb = await startSandbox({ port: 0, runtime, clock, tickMs: 20, log: () => {} });
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    asg = new AutoScalingClient(cfg);
    aas = new ApplicationAutoScalingClient(cfg);
    ec2 = new EC2Client(cfg);
    ecs = new ECSClient(cfg);
    cw = new CloudWatchClient(cfg);
    recordResponses(asg, 'autoscaling', recorded);
    recordResponses(aas, 'application-autoscaling', recorded);
    recordResponses(ec2, 'ec2', recorded);
    recordResponses(ecs, 'ecs', recorded);
    recordResponses(cw, 'monitoring', recorded);
    subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => s.SubnetId!);
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    clearInterval(flusher);
    for (const c of [asg, aas, ec2, ecs, cw]) c?.destroy();
    await sb?.close();
  });

  it('a group from a launch configuration launches its image and type and registers with the cluster; the configuration cannot go while in use', async () => {
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups![0].GroupId!;
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await asg.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'ecs-lc',
        ImageId: 'ami-0abcdef1234567890',
        InstanceType: 't3.small',
        SecurityGroups: [sg],
        UserData: userData,
        InstanceMonitoring: { Enabled: false },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3' } }],
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      }),
    );
    await rejectsWith(asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'ecs-lc', ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.small' })), 'AlreadyExistsFault');
    await rejectsWith(asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'bad-sg', ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.small', SecurityGroups: ['sg-0000000000000000a'] })), 'ValidationError', /sg-0000000000000000a/);
    const lc = (await asg.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: ['ecs-lc'] }))).LaunchConfigurations![0];
    assert.match(lc.LaunchConfigurationARN!, /^arn:aws:autoscaling:[^:]+:\d{12}:launchConfiguration:[0-9a-f-]{36}:launchConfigurationName\/ecs-lc$/);
    assert.equal(lc.ImageId, 'ami-0abcdef1234567890');
    assert.deepEqual(lc.SecurityGroups, [sg]);
    assert.equal(lc.UserData, userData);
    assert.deepEqual(lc.InstanceMonitoring, { Enabled: false });
    assert.deepEqual(lc.BlockDeviceMappings, [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3' } }]);
    assert.deepEqual(lc.MetadataOptions, { HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    assert.ok(lc.CreatedTime instanceof Date);

    await rejectsWith(
      asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', LaunchConfigurationName: 'missing', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: subnets.join(',') })),
      'ValidationError',
      /missing/,
    );
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'lc-asg', LaunchConfigurationName: 'ecs-lc', MinSize: 1, MaxSize: 6, DesiredCapacity: 2, VPCZoneIdentifier: subnets.join(',') }));
    const g = await eventually('2 InService instances', async () => {
      await advance(30_000);
      const x = await groupOf('lc-asg');
      return x.Instances!.filter((i) => i.LifecycleState === 'InService').length === 2 && x;
    });
    assert.equal(g.LaunchConfigurationName, 'ecs-lc');
    assert.equal(g.LaunchTemplate, undefined);
    assert.deepEqual(g.Instances!.map((i) => i.LaunchConfigurationName), ['ecs-lc', 'ecs-lc']);
    const ids = g.Instances!.map((i) => i.InstanceId!);
    const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) => r.Instances!);
    assert.deepEqual(described.map((i) => [i.ImageId, i.InstanceType]), [['ami-0abcdef1234567890', 't3.small'], ['ami-0abcdef1234567890', 't3.small']]);
    assert.ok(described.every((i) => i.SecurityGroups!.some((x) => x.GroupId === sg)));
    await eventually('2 container instances', async () => {
      await advance(10_000);
      return ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 2;
    });
    await rejectsWith(asg.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'ecs-lc' })), 'ResourceInUseFault', /lc-asg/);
    await rejectsWith(asg.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'ghost' })), 'ValidationError', /ghost/);

    // UpdateAutoScalingGroup moves the group to another configuration; the first one is then free to go.
    await asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'ecs-lc-2', ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.small', SecurityGroups: [sg], UserData: userData }));
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lc-asg', LaunchConfigurationName: 'ecs-lc-2' }));
    const moved = await groupOf('lc-asg');
    assert.equal(moved.LaunchConfigurationName, 'ecs-lc-2');
    assert.deepEqual(moved.Instances!.map((i) => i.LaunchConfigurationName), ['ecs-lc', 'ecs-lc'], 'instances keep what they were launched from');
    await asg.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'ecs-lc' }));
    assert.deepEqual((await asg.send(new DescribeLaunchConfigurationsCommand({}))).LaunchConfigurations!.map((x) => x.LaunchConfigurationName), ['ecs-lc-2']);
  });

  it('scheduled actions change the group at their time on the sandbox clock, once or on a cron in a time zone', async () => {
    const now = clock.now();
    const inOneHour = new Date(Math.ceil((now + HOUR) / MIN) * MIN);
    await rejectsWith(
      asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'past', StartTime: new Date(now - HOUR), DesiredCapacity: 3 })),
      'ValidationError',
      'Given start time is in the past',
    );
    await rejectsWith(
      asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'bad', Recurrence: '0 9 * *', DesiredCapacity: 3 })),
      'ValidationError',
      /recurrence/,
    );
    await asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'peak', StartTime: inOneHour, MinSize: 2, MaxSize: 6, DesiredCapacity: 4 }));
    await asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'morning', Recurrence: '0 9 * * *', TimeZone: 'Asia/Tokyo', MinSize: 1, DesiredCapacity: 1 }));
    const batch = await asg.send(
      new BatchPutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: 'lc-asg',
        ScheduledUpdateGroupActions: [
          { ScheduledActionName: 'later', StartTime: new Date(now + 48 * HOUR), DesiredCapacity: 2 },
          { ScheduledActionName: 'broken', StartTime: new Date(now - MIN), DesiredCapacity: 2 },
        ],
      }),
    );
    assert.deepEqual(batch.FailedScheduledUpdateGroupActions, [{ ScheduledActionName: 'broken', ErrorCode: 'ValidationError', ErrorMessage: 'Given start time is in the past' }]);
    const listed = (await asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'lc-asg' }))).ScheduledUpdateGroupActions!;
    assert.deepEqual(listed.map((a) => a.ScheduledActionName), ['peak', 'morning', 'later']);
    const morning = listed[1];
    // 09:00 in Tokyo is 00:00 UTC: the next one after the clock's start is on the 2nd of January.
    assert.equal(morning.StartTime!.toISOString(), '2026-01-02T00:00:00.000Z');
    assert.equal(morning.Recurrence, '0 9 * * *');
    assert.equal(morning.TimeZone, 'Asia/Tokyo');
    assert.match(listed[0].ScheduledActionARN!, /:scheduledUpdateGroupAction:[0-9a-f-]{36}:autoScalingGroupName\/lc-asg:scheduledActionName\/peak$/);

    await advance(inOneHour.getTime() - clock.now() - MIN);
    assert.equal((await groupOf('lc-asg')).DesiredCapacity, 2, 'not before its time');
    await advance(MIN);
    const peaked = await eventually('the scheduled scale-out', async () => {
      await sleep(50);
      const x = await groupOf('lc-asg');
      return x.DesiredCapacity === 4 && x;
    });
    assert.equal(peaked.MinSize, 2);
    const causes = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'lc-asg' }))).Activities!.map((a) => a.Cause!);
    assert.ok(causes.some((c) => c.includes('a scheduled action update of AutoScalingGroup constraints to min: 2, max: 6, desired: 4 changing the desired capacity from 2 to 4.')), causes.join('\n'));
    const after = (await asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'lc-asg' }))).ScheduledUpdateGroupActions!;
    assert.deepEqual(after.map((a) => a.ScheduledActionName), ['morning', 'later'], 'a one-time action is gone once it ran');

    await advance(Date.UTC(2026, 0, 2) - clock.now());
    await eventually('the 09:00 JST action', async () => {
      await sleep(50);
      const x = await groupOf('lc-asg');
      return x.DesiredCapacity === 1 && x.MinSize === 1;
    });
    const next = (await asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionNames: ['morning'] }))).ScheduledUpdateGroupActions![0];
    assert.equal(next.StartTime!.toISOString(), '2026-01-03T00:00:00.000Z');

    const del = await asg.send(new BatchDeleteScheduledActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionNames: ['later', 'ghost'] }));
    assert.deepEqual(del.FailedScheduledActions!.map((x) => [x.ScheduledActionName, x.ErrorCode]), [['ghost', 'ValidationError']]);
    await asg.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'morning' }));
    await rejectsWith(asg.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'morning' })), 'ValidationError', /morning/);
    assert.deepEqual((await asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'lc-asg' }))).ScheduledUpdateGroupActions, []);
    // With StartTime and Recurrence, the first run is at StartTime (then on the recurrence).
    const firstRun = new Date(Math.ceil((clock.now() + 2 * HOUR) / MIN) * MIN);
    await asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'weekly', StartTime: firstRun, Recurrence: '0 0 * * 1', DesiredCapacity: 1 }));
    const weekly = (await asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'lc-asg' }))).ScheduledUpdateGroupActions![0];
    assert.equal(weekly.StartTime!.toISOString(), firstRun.toISOString());
    await asg.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: 'lc-asg', ScheduledActionName: 'weekly' }));
  });

  it('a target tracking policy creates the alarms AWS names and scales the group out on its metric', async () => {
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lc-asg', MinSize: 1, MaxSize: 6, DesiredCapacity: 2 }));
    const cpu = await asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'lc-asg',
        PolicyName: 'cpu50',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
      }),
    );
    assert.equal(cpu.Alarms!.length, 2);
    assert.match(cpu.Alarms![0].AlarmName!, /^TargetTracking-lc-asg-AlarmHigh-[0-9a-f-]{36}$/);
    assert.match(cpu.Alarms![1].AlarmName!, /^TargetTracking-lc-asg-AlarmLow-[0-9a-f-]{36}$/);
    const alarms = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: cpu.Alarms!.map((a) => a.AlarmName!) }))).MetricAlarms!;
    const high = alarms.find((a) => a.AlarmName === cpu.Alarms![0].AlarmName)!;
    assert.deepEqual([high.Namespace, high.MetricName, high.Statistic, high.Threshold, high.ComparisonOperator, high.EvaluationPeriods], ['AWS/EC2', 'CPUUtilization', 'Average', 50, 'GreaterThanThreshold', 3]);
    assert.deepEqual(high.Dimensions, [{ Name: 'AutoScalingGroupName', Value: 'lc-asg' }]);
    assert.deepEqual(high.AlarmActions, [cpu.PolicyARN]);
    assert.equal(alarms.find((a) => a.AlarmName === cpu.Alarms![1].AlarmName)!.Threshold, 45);
    const described = (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'lc-asg', PolicyNames: ['cpu50'] }))).ScalingPolicies![0];
    assert.equal(described.PolicyType, 'TargetTrackingScaling');
    assert.deepEqual(described.TargetTrackingConfiguration, { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50, DisableScaleIn: false });
    await asg.send(new DeletePolicyCommand({ AutoScalingGroupName: 'lc-asg', PolicyName: 'cpu50' }));
    assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNames: cpu.Alarms!.map((a) => a.AlarmName!) }))).MetricAlarms, [], 'its alarms go with it');

    // A customized metric at twice the target for three minutes: AlarmHigh fires, capacity 2 → 4.
    await asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'lc-asg',
        PolicyName: 'queue',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { CustomizedMetricSpecification: { Namespace: 'Demo', MetricName: 'Backlog', Dimensions: [{ Name: 'Group', Value: 'lc-asg' }], Statistic: 'Average' }, TargetValue: 10, DisableScaleIn: true },
      }),
    );
    const g = await eventually('scale-out to 4', async () => {
      await cw.send(new PutMetricDataCommand({ Namespace: 'Demo', MetricData: [{ MetricName: 'Backlog', Dimensions: [{ Name: 'Group', Value: 'lc-asg' }], Value: 20, Timestamp: new Date(clock.now()) }] }));
      await advance(20_000);
      const x = await groupOf('lc-asg');
      return x.DesiredCapacity !== 2 && x;
    });
    assert.equal(g.DesiredCapacity, 4);
    const causes = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'lc-asg' }))).Activities!.map((a) => a.Cause!);
    assert.ok(causes.some((c) => /a monitor alarm TargetTracking-lc-asg-AlarmHigh-[0-9a-f-]{36} in state ALARM triggered policy queue changing the desired capacity from 2 to 4\./.test(c)), causes.join('\n'));
    await rejectsWith(
      asg.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'lc-asg', PolicyName: 'queue', PolicyType: 'TargetTrackingScaling', AdjustmentType: 'ChangeInCapacity', TargetTrackingConfiguration: { TargetValue: 1, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } } })),
      'ValidationError',
      /AdjustmentType/,
    );
  });

  it("Application Auto Scaling scheduled actions set the service target's capacity at their time", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'uzresk/demo:1', memory: 128, portMappings: [{ containerPort: 8080 }] }] }));
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: 'web', desiredCount: 1 }));
    const rid = `service/${CLUSTER}/web`;
    const dim = 'ecs:service:DesiredCount';
    await rejectsWith(
      aas.send(new PutScheduledActionCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, ScheduledActionName: 'x', Schedule: 'at(2026-01-05T00:00:00)', ScalableTargetAction: { MinCapacity: 2 } })),
      'ObjectNotFoundException',
    );
    await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, MinCapacity: 1, MaxCapacity: 4 }));
    await rejectsWith(
      aas.send(new PutScheduledActionCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, ScheduledActionName: 'x', Schedule: 'cron(0 9 * * * *)', ScalableTargetAction: { MinCapacity: 2 } })),
      'ValidationException',
      /cron/,
    );
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const at = new Date(Date.parse(`${day}T00:00:00Z`) + 26 * HOUR);
    await aas.send(
      new PutScheduledActionCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, ScheduledActionName: 'peak', Schedule: `at(${at.toISOString().slice(0, 19)})`, ScalableTargetAction: { MinCapacity: 3, MaxCapacity: 5 } }),
    );
    await aas.send(
      new PutScheduledActionCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, ScheduledActionName: 'weekday', Schedule: 'cron(0 9 ? * MON-FRI *)', Timezone: 'Asia/Tokyo', ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 8 } }),
    );
    const listed = (await aas.send(new DescribeAppScheduledActionsCommand({ ServiceNamespace: 'ecs', ResourceId: rid }))).ScheduledActions!;
    assert.deepEqual(listed.map((a) => [a.ScheduledActionName, a.Schedule, a.Timezone, a.ScalableTargetAction]), [
      ['peak', `at(${at.toISOString().slice(0, 19)})`, undefined, { MinCapacity: 3, MaxCapacity: 5 }],
      ['weekday', 'cron(0 9 ? * MON-FRI *)', 'Asia/Tokyo', { MinCapacity: 1, MaxCapacity: 8 }],
    ]);
    assert.match(listed[0].ScheduledActionARN!, /:scheduledAction:[0-9a-f-]{36}:resource\/ecs\/service\/lc-cluster\/web:scheduledActionName\/peak$/);
    assert.ok(listed[0].CreationTime instanceof Date);

    await advance(at.getTime() - clock.now());
    await eventually('min 3 on the target and desired 3 on the service', async () => {
      await sleep(50);
      const t = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [rid] }))).ScalableTargets![0];
      const svc = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }))).services![0];
      return t.MinCapacity === 3 && t.MaxCapacity === 5 && svc.desiredCount === 3;
    });
    await rejectsWith(aas.send(new DeleteAppScheduledActionCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, ScheduledActionName: 'ghost' })), 'ObjectNotFoundException');
    await aas.send(new DeleteAppScheduledActionCommand({ ServiceNamespace: 'ecs', ResourceId: rid, ScalableDimension: dim, ScheduledActionName: 'weekday' }));
    const left = (await aas.send(new DescribeAppScheduledActionsCommand({ ServiceNamespace: 'ecs' }))).ScheduledActions!;
    assert.deepEqual(left.map((a) => a.ScheduledActionName), ['peak'], 'an at() action stays listed after it ran, as AWS keeps it');
  });

  it('launch configurations and scheduled actions are saved: a restarted sandbox has them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asg-durable-'));
    const stateFile = path.join(dir, 'state.json');
    const start = () => startSandbox({ port: 0, runtime: new FakeRuntime(), clock: new ManualClock(START), stateFile, log: () => {} });
    let first: Sandbox | undefined = await start();
    try {
      const c = new AutoScalingClient({ endpoint: first.endpoint, region: first.region, credentials: first.credentials, maxAttempts: 1 });
      await c.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'kept', ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro' }));
      const e = new EC2Client({ endpoint: first.endpoint, region: first.region, credentials: first.credentials, maxAttempts: 1 });
      const sn = ((await e.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((x) => x.SubnetId!);
      e.destroy();
      await c.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'kept-asg', LaunchConfigurationName: 'kept', MinSize: 0, MaxSize: 2, DesiredCapacity: 0, VPCZoneIdentifier: sn.join(',') }));
      await c.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'kept-asg', ScheduledActionName: 'nightly', Recurrence: '0 0 * * *', DesiredCapacity: 1 }));
      c.destroy();
      await first.close();
      first = await start();
      const d = new AutoScalingClient({ endpoint: first.endpoint, region: first.region, credentials: first.credentials, maxAttempts: 1 });
      assert.equal((await d.send(new DescribeLaunchConfigurationsCommand({}))).LaunchConfigurations![0].LaunchConfigurationName, 'kept');
      assert.equal((await d.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups![0].LaunchConfigurationName, 'kept');
      assert.equal((await d.send(new DescribeScheduledActionsCommand({}))).ScheduledUpdateGroupActions![0].Recurrence, '0 0 * * *');
      d.destroy();
    } finally {
      await first?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
