/**
 * Application Auto Scaling and EC2 Auto Scaling through the real `@aws-sdk/client-application-auto-scaling`
 * / `@aws-sdk/client-auto-scaling` against a sandbox on a free port (fake task runtime): an Auto
 * Scaling group of 2 whose instances register with the cluster, SetDesiredCapacity 4 → four
 * container instances over two AZs, then service auto scaling — a step policy invoked through the
 * alarm-action registry (as CloudWatch will) changes the service's desired count, and the activity
 * reads as AWS writes it; and a real CloudWatch alarm on a custom metric fires a group's policy.
 * The sandbox runs the CloudWatch and scaling extensions' ticks after the engine's.
 */
import * as assert from 'node:assert/strict';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand as DescribeAppScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand as PutAppScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTagsCommand,
  ExecutePolicyCommand,
  PutScalingPolicyCommand,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchClient, DeleteAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';
import { eventually as until, rejectsWith } from '../helpers/wait';

const CLUSTER = 'demo-cluster';
const RID = `service/${CLUSTER}/demo-service`;
const DIM = 'ecs:service:DesiredCount';

describe('Auto scaling through the AWS SDK', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let runtime: FakeRuntime;
  let timers: NodeJS.Timeout[] = [];
  let ecs: ECSClient;
  let ec2: EC2Client;
  let asg: AutoScalingClient;
  let aas: ApplicationAutoScalingClient;
  let cw: CloudWatchClient;
  let subnets: { id: string; az: string }[] = [];

  before(async () => {
    runtime = new FakeRuntime();
    sb = await startSandbox({ port: 0, timeScale: 100, runtime, log: () => {} });
    timers = [setInterval(() => runtime.flush(), 10)];
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    ecs = new ECSClient(cfg);
    ec2 = new EC2Client(cfg);
    asg = new AutoScalingClient(cfg);
    aas = new ApplicationAutoScalingClient(cfg);
    cw = new CloudWatchClient(cfg);
    recordResponses(asg, 'autoscaling', recorded);
    recordResponses(aas, 'application-autoscaling', recorded);
    recordResponses(ec2, 'ec2', recorded);
    recordResponses(ecs, 'ecs', recorded);
    recordResponses(cw, 'monitoring', recorded);
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    for (const t of timers) clearInterval(t);
    for (const c of [ecs, ec2, asg, aas, cw]) c?.destroy();
    await sb?.close();
  });

  const containerInstances = async () => {
    const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, status: 'ACTIVE' }))).containerInstanceArns ?? [];
    if (arns.length === 0) return [];
    return (await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: arns }))).containerInstances ?? [];
  };

  it('an Auto Scaling group of 2 from a launch template registers 2 container instances with the cluster', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => ({ id: s.SubnetId!, az: s.AvailabilityZone! }));
    assert.equal(new Set(subnets.map((s) => s.az)).size, 2);
    const lt = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'ecs-node',
        LaunchTemplateData: {
          ImageId: 'ami-0123456789abcdef0',
          InstanceType: 't3.medium',
          UserData: Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64'),
        },
      }),
    );
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'ecs-asg',
        LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId, Version: '$Latest' },
        MinSize: 2,
        MaxSize: 4,
        DesiredCapacity: 2,
        VPCZoneIdentifier: subnets.map((s) => s.id).join(','),
        Tags: [{ Key: 'Name', Value: 'ecs-node', PropagateAtLaunch: true }],
      }),
    );
    await rejectsWith(
      asg.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: 'ecs-asg',
          LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId },
          MinSize: 1,
          MaxSize: 1,
          VPCZoneIdentifier: subnets[0].id,
        }),
      ),
      'AlreadyExistsFault',
      'AutoScalingGroup by this name already exists - A group with the name ecs-asg already exists',
    );
    await until('2 container instances', async () => (await containerInstances()).length === 2);
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['ecs-asg'] }))).AutoScalingGroups![0];
    assert.equal(g.DesiredCapacity, 2);
    assert.equal(g.Instances!.length, 2);
    assert.ok(g.Instances!.every((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy' && i.ProtectedFromScaleIn === false));
    assert.equal(new Set(g.Instances!.map((i) => i.AvailabilityZone)).size, 2);
    assert.ok(g.CreatedTime instanceof Date);
    assert.equal(g.Tags![0].Key, 'Name');
    assert.equal(g.Tags![0].PropagateAtLaunch, true);
    assert.equal(g.VPCZoneIdentifier, subnets.map((s) => s.id).join(','));
    // Tags through their own API, as tools manage them (booleans on the query wire).
    const t = (Key: string, Value: string, PropagateAtLaunch?: boolean) => ({ ResourceId: 'ecs-asg', ResourceType: 'auto-scaling-group', Key, Value, PropagateAtLaunch });
    await asg.send(new CreateOrUpdateTagsCommand({ Tags: [t('env', 'dev', true), t('Name', 'ecs-node-2')] }));
    const tags = (await asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: ['ecs-asg'] }] }))).Tags!;
    assert.deepEqual(tags.map((x) => [x.Key, x.Value, x.PropagateAtLaunch]), [['Name', 'ecs-node-2', true], ['env', 'dev', true]]);
    await asg.send(new DeleteTagsCommand({ Tags: [t('env', 'dev')] }));
    assert.deepEqual((await asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'propagate-at-launch', Values: ['true'] }] }))).Tags!.map((x) => x.Key), ['Name']);
    await rejectsWith(asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ...t('a', 'b'), ResourceId: 'nope' }] })), 'ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found");
  });

  it('SetDesiredCapacity 4 → four container instances across two AZs; activities in Auto Scaling words', async () => {
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'ecs-asg', DesiredCapacity: 4 }));
    const cis = await until('4 container instances', async () => {
      const l = await containerInstances();
      return l.length === 4 && l;
    });
    const perAz = new Map<string, number>();
    for (const ci of cis) {
      const az = ci.attributes?.find((a) => a.name === 'ecs.availability-zone')?.value ?? '';
      perAz.set(az, (perAz.get(az) ?? 0) + 1);
    }
    assert.deepEqual([...perAz.values()], [2, 2]);
    const acts = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'ecs-asg' }))).Activities!;
    assert.equal(acts.length, 4);
    const a = acts[0];
    assert.match(a.Description!, /^Launching a new EC2 instance: i-[0-9a-f]{17}$/);
    assert.match(
      a.Cause!,
      /^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ a user request explicitly set group desired capacity changing the desired capacity from 2 to 4\. {2}At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4\.$/,
    );
    await until('activities Successful', async () => {
      const l = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'ecs-asg' }))).Activities!;
      return l.every((x) => x.StatusCode === 'Successful' && x.Progress === 100 && x.EndTime instanceof Date);
    });
    await rejectsWith(
      asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'ecs-asg', DesiredCapacity: 5 })),
      'ValidationError',
      'New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.',
    );
  });

  it('a simple scaling policy: PutScalingPolicy / DescribePolicies / ExecutePolicy scale the group in, protected instances stay', async () => {
    const put = await asg.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: 'ecs-asg', PolicyName: 'cluster-scale-in', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: -2, Cooldown: 60 }),
    );
    assert.match(put.PolicyARN!, new RegExp(`^arn:aws:autoscaling:${sb.region}:\\d{12}:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName/ecs-asg:policyName/cluster-scale-in$`));
    const [p] = (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'ecs-asg' }))).ScalingPolicies!;
    assert.equal(p.ScalingAdjustment, -2);
    assert.equal(p.Cooldown, 60);
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['ecs-asg'] }))).AutoScalingGroups![0];
    const keep = g.Instances!.map((i) => i.InstanceId!).sort().slice(0, 2);
    await asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'ecs-asg', InstanceIds: keep, ProtectedFromScaleIn: true }));
    await asg.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'ecs-asg', PolicyName: 'cluster-scale-in' }));
    const after = await until('2 instances left', async () => {
      const x = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['ecs-asg'] }))).AutoScalingGroups![0];
      return x.Instances!.length === 2 && x;
    });
    assert.deepEqual(after.Instances!.map((i) => i.InstanceId).sort(), keep);
    await until('2 container instances', async () => (await containerInstances()).length === 2);
  });

  it('service auto scaling: a step policy invoked through the alarm-action registry sets the desired count; the activity reads as AWS', async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
      }),
    );
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 2 }));
    await rejectsWith(
      aas.send(new PutAppScalingPolicyCommand({ PolicyName: 'x', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] } })),
      'ObjectNotFoundException',
      `No scalable target registered for service namespace: ecs, resource ID: ${RID}, scalable dimension: ${DIM}`,
    );
    await rejectsWith(
      aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/missing', ScalableDimension: DIM, MinCapacity: 1, MaxCapacity: 2 })),
      'ValidationException',
      "ECS service doesn't exist: service/demo-cluster/missing",
    );
    await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, MinCapacity: 2, MaxCapacity: 4 }));
    const [t] = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }))).ScalableTargets!;
    assert.equal(t.MaxCapacity, 4);
    assert.ok(t.CreationTime instanceof Date);
    const out = await aas.send(
      new PutAppScalingPolicyCommand({
        PolicyName: 'cpu-scale-out',
        ServiceNamespace: 'ecs',
        ResourceId: RID,
        ScalableDimension: DIM,
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }], Cooldown: 60, MetricAggregationType: 'Average' },
      }),
    );
    assert.match(out.PolicyARN!, new RegExp(`^arn:aws:autoscaling:${sb.region}:\\d{12}:scalingPolicy:[0-9a-f-]{36}:resource/ecs/service/demo-cluster/demo-service:policyName/cpu-scale-out$`));
    // A CloudWatch alarm on a metric at 35, 15 above its threshold: the step [0, ∞) adds 2.
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'demo-cpu-high', Namespace: 'Demo/Load', MetricName: 'ServiceCPU', Statistic: 'Average', Period: 60, EvaluationPeriods: 1,
        Threshold: 20, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [out.PolicyARN!],
      }),
    );
    const feeder = setInterval(() => void cw.send(new PutMetricDataCommand({ Namespace: 'Demo/Load', MetricData: [{ MetricName: 'ServiceCPU', Value: 35 }] })).catch(() => {}), 100);
    try {
      await until('desired 4', async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['demo-service'] }))).services![0].desiredCount === 4);
    } finally {
      clearInterval(feeder);
    }
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['demo-cpu-high'] }));
    const [a] = (await aas.send(new DescribeAppScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: RID }))).ScalingActivities!;
    assert.equal(a.Description, 'Setting desired count to 4.');
    assert.equal(a.Cause, 'monitor alarm demo-cpu-high in state ALARM triggered policy cpu-scale-out');
    assert.equal(a.StatusCode, 'Successful');
    assert.equal(a.StatusMessage, 'Successfully set desired count to 4. Change successfully fulfilled by ecs.');
    assert.ok(a.StartTime instanceof Date && a.EndTime instanceof Date);
    // The tasks follow on the two container instances (dynamic host ports).
    await until('4 running tasks', async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['demo-service'] }))).services![0].runningCount === 4);
  });

  it('target tracking returns its two alarms; other namespaces are refused; DeleteScalingPolicy', async () => {
    const tt = await aas.send(
      new PutAppScalingPolicyCommand({
        PolicyName: 'cpu50',
        ServiceNamespace: 'ecs',
        ResourceId: RID,
        ScalableDimension: DIM,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
      }),
    );
    assert.equal(tt.Alarms!.length, 2);
    assert.match(tt.Alarms![0].AlarmName!, /^TargetTracking-service\/demo-cluster\/demo-service-AlarmHigh-[0-9a-f-]{36}$/);
    assert.match(tt.Alarms![1].AlarmName!, /^TargetTracking-service\/demo-cluster\/demo-service-AlarmLow-[0-9a-f-]{36}$/);
    assert.match(tt.Alarms![0].AlarmARN!, /^arn:aws:cloudwatch:/);
    const pols = (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: RID }))).ScalingPolicies!;
    assert.deepEqual(pols.map((p) => p.PolicyName).sort(), ['cpu-scale-out', 'cpu50']);
    assert.equal(pols.find((p) => p.PolicyName === 'cpu50')!.TargetTrackingScalingPolicyConfiguration!.TargetValue, 50);
    await rejectsWith(
      aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' })),
      'ValidationException',
      /ECS services only/,
    );
    await aas.send(new DeleteScalingPolicyCommand({ PolicyName: 'cpu50', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM }));
    assert.equal((await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: RID }))).ScalingPolicies!.length, 1);
  });

  it('a CloudWatch alarm in ALARM fires the group\'s scale-out policy; the activity names the alarm and the policy', async () => {
    const { PolicyARN } = await asg.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: 'ecs-asg', PolicyName: 'cluster-scale-out', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2 }),
    );
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'cluster-cpu-high',
        Namespace: 'Demo/Load',
        MetricName: 'ClusterCPU',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 20,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [PolicyARN!],
      }),
    );
    const feeder = setInterval(() => void cw.send(new PutMetricDataCommand({ Namespace: 'Demo/Load', MetricData: [{ MetricName: 'ClusterCPU', Value: 80 }] })).catch(() => {}), 100);
    try {
      await until('desired 4', async () => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['ecs-asg'] }))).AutoScalingGroups![0].DesiredCapacity === 4);
    } finally {
      clearInterval(feeder);
    }
    await until('4 container instances', async () => (await containerInstances()).length === 4);
    const acts = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'ecs-asg' }))).Activities!;
    assert.match(
      acts[0].Cause!,
      /^At \S+Z a monitor alarm cluster-cpu-high in state ALARM triggered policy cluster-scale-out changing the desired capacity from 2 to 4\. {2}At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4\.$/,
    );
  });

  it('DeleteAutoScalingGroup: ResourceInUse without ForceDelete; with it the group and its instances go', async () => {
    await rejectsWith(asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'ecs-asg' })), 'ResourceInUseFault', /while there are instances/);
    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'ecs-asg', ForceDelete: true }));
    await until('group gone', async () => (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups!.length === 0);
    await until('no container instances', async () => (await containerInstances()).length === 0);
  });
});
