/**
 * Clean Up (src/aws/cleanup-discover.ts, src/aws/cleanup.ts) through the extension's own clients
 * against a sandbox holding the hands-on's stack (cluster, 2 instances, demo-app-task, app-demo-lb,
 * demo-service with 2 tasks behind it) plus section 6 (service scaling with its alarm, an Auto
 * Scaling group of the cluster with its policy and alarm), next to resources the hands-on did not
 * make (another cluster, service, load balancer, security group, Auto Scaling group, alarms):
 * what a dry run lists, the order of the deletion (a service's tasks are gone before its target
 * group is deleted, instances before the cluster…), a load balancer that refuses deletion reported
 * on its own while the rest goes, the second run, and cancellation.
 */
import assert from 'node:assert/strict';
import { PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, PutScalingPolicyCommand as PutAsgPolicyCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, CreateSecurityGroupCommand, DescribeInstancesCommand, DescribeLaunchTemplatesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeClustersCommand, DescribeServicesCommand, ListContainerInstancesCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CLEANUP_ORDER, cleanupKindLabel, deleteCleanupItems, type CleanupHost, type CleanupItem } from '../../src/aws/cleanup';
import { findCleanupItems } from '../../src/aws/cleanup-discover';
import { createClients, type AwsClients } from '../../src/aws/clients';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { managedEcsTag, managedTag } from '../../src/core/managed';
import { paceFor } from '../../src/core/poll';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { eventually } from './helpers/cli-sandbox';
import { buildStack, REGION, type Stack } from './helpers/stack';

/** `kind label` of an item; instances by id (their label adds type and AZ). */
const key = (i: CleanupItem) => `${i.kind} ${i.kind === 'instance' ? i.id : i.label}`;
const keys = (items: readonly CleanupItem[]) => items.map(key).sort();

/** Stops the current `watch` (one at a time, removed after each test). */
let unwatch: () => void = () => undefined;

/** Calls `before(operation)` before each call of these clients is sent, and records the operations in order. */
function watch(clients: AwsClients, before: (operation: string) => Promise<void> = async () => undefined): string[] {
  const sent: string[] = [];
  const stacks = [clients.ecs, clients.ec2, clients.elbv2, clients.autoScaling, clients.applicationAutoScaling, clients.cloudWatch].map(
    (client) => client.middlewareStack as unknown as { add(m: unknown, o: object): void; remove(name: string): boolean },
  );
  for (const stack of stacks) {
    stack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const op = (context.commandName ?? '').replace(/Command$/, '');
        await before(op);
        sent.push(op);
        return next(args);
      },
      { step: 'initialize', name: 'cleanupTestWatch' },
    );
  }
  unwatch = () => stacks.forEach((s) => s.remove('cleanupTestWatch'));
  return sent;
}

/** The mutating calls in order, consecutive repeats (one phase's items, retries) folded. */
const phasesOf = (sent: readonly string[]) => sent.filter((op) => /^(Delete|Deregister|Terminate|Update|Modify)/.test(op)).filter((op, i, a) => op !== a[i - 1]);

const host = (clients: AwsClients, extra: Partial<CleanupHost> = {}): CleanupHost => ({ clients, pace: paceFor(false), ...extra });

describe('Clean Up (src/aws) against the hands-on stack and resources it did not make', function () {
  this.timeout(120_000);
  let st: Stack;
  let clients: AwsClients;
  let admin: SandboxAdmin;
  const ids = { appSg: '', taggedSg: '', protectedLb: '', otherLb: '', otherSg: '', unrelatedSg: '', instances: [] as string[] };

  before(async () => {
    st = await buildStack({ timeScale: 20 });
    admin = new SandboxAdmin(st.sb.endpoint, st.sb.adminToken);
    clients = createClients({ kind: 'sandbox', endpoint: st.sb.endpoint, region: REGION, credentials: st.sb.credentials });
    const { ecs, ec2, elbv2, autoScaling, applicationAutoScaling, cloudWatch } = clients;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0].VpcId!;
    ids.appSg = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['app-demo-lb-sg'] }] }))).SecurityGroups![0].GroupId!;

    // Section 6 of the hands-on: service auto scaling (step policy + its alarm) ...
    const resourceId = 'service/demo-cluster/demo-service';
    const scalable = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount' as const };
    await applicationAutoScaling.send(new RegisterScalableTargetCommand({ ...scalable, MinCapacity: 2, MaxCapacity: 4 }));
    const svcPolicy = await applicationAutoScaling.send(
      new PutScalingPolicyCommand({
        ...scalable, PolicyName: 'demo-service-cpu-scale-out', PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }], Cooldown: 60 },
      }),
    );
    const alarm = (name: string, cluster: string, action: string, extra: { Dimensions?: Array<{ Name: string; Value: string }>; tagged?: boolean } = {}) =>
      cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name, Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: extra.Dimensions ?? [{ Name: 'ClusterName', Value: cluster }],
          Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 20, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: action ? [action] : [],
          ...(extra.tagged ? { Tags: [managedTag()] } : {}),
        }),
      );
    await alarm('demo-cluster-demo-service-cpu-high', 'demo-cluster', svcPolicy.PolicyARN!, { Dimensions: [{ Name: 'ClusterName', Value: 'demo-cluster' }, { Name: 'ServiceName', Value: 'demo-service' }], tagged: true });
    // ... and an Auto Scaling group of the cluster (launch template, 1 instance) with its policy and alarm.
    const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n').toString('base64');
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'demo-cluster-lt', LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', UserData: userData },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [managedTag()] }],
      }),
    );
    await autoScaling.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'demo-cluster-asg', LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt' }, MinSize: 1, MaxSize: 4, DesiredCapacity: 1, VPCZoneIdentifier: subnets.join(',') }));
    const asgPolicy = await autoScaling.send(
      new PutAsgPolicyCommand({ AutoScalingGroupName: 'demo-cluster-asg', PolicyName: 'demo-cluster-instances-scale-out', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] }),
    );
    await alarm('demo-cluster-cluster-cpu-high', 'demo-cluster', asgPolicy.PolicyARN!, { tagged: true });
    await eventually('the group instance in the cluster', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: 'demo-cluster' }))).containerInstanceArns?.length ?? 0) === 3);
    ids.instances = ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!);
    assert.equal(ids.instances.length, 3);

    // Tagged by the hands-on under other names: found by the tag.
    ids.taggedSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'tagged-sg', Description: 'tagged', VpcId: vpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: [managedTag()] }] }))).GroupId!;
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'tagged-task', containerDefinitions: [{ name: 'c', image: 'uzresk/demo:ver1.0', memory: 128 }], tags: [managedEcsTag()] }));
    // A load balancer of the hands-on that refuses deletion (deletion protection): reported, the rest still deleted.
    ids.protectedLb = (await elbv2.send(new CreateLoadBalancerCommand({ Name: 'protected-lb', Subnets: subnets, Tags: [managedTag()] }))).LoadBalancers![0].LoadBalancerArn!;
    await elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: ids.protectedLb, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] }));

    // Not the hands-on's: none of this may be listed or deleted.
    await ecs.send(new CreateClusterCommand({ clusterName: 'other-cluster' }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'other-task', containerDefinitions: [{ name: 'c', image: 'uzresk/demo:ver1.0', memory: 128 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'other-cluster', serviceName: 'other-service', taskDefinition: 'other-task', desiredCount: 0 }));
    await applicationAutoScaling.send(new RegisterScalableTargetCommand({ ...scalable, ResourceId: 'service/other-cluster/other-service', MinCapacity: 0, MaxCapacity: 2 }));
    await alarm('other-cluster-cpu-high', 'other-cluster', '');
    ids.otherSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'other-lb-sg', Description: 'other', VpcId: vpcId }))).GroupId!;
    ids.unrelatedSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'unrelated-sg', Description: 'unrelated', VpcId: vpcId }))).GroupId!;
    const otherTg = (await elbv2.send(new CreateTargetGroupCommand({ Name: 'other-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0].TargetGroupArn!;
    ids.otherLb = (await elbv2.send(new CreateLoadBalancerCommand({ Name: 'other-lb', Subnets: subnets, SecurityGroups: [ids.otherSg] }))).LoadBalancers![0].LoadBalancerArn!;
    await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: ids.otherLb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: otherTg }] }));
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'other-lt', LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small' } }));
    await autoScaling.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'other-asg', LaunchTemplate: { LaunchTemplateName: 'other-lt' }, MinSize: 0, MaxSize: 1, DesiredCapacity: 0, VPCZoneIdentifier: subnets.join(',') }));
    const otherPolicy = await autoScaling.send(
      new PutAsgPolicyCommand({ AutoScalingGroupName: 'other-asg', PolicyName: 'other-scale-out', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] }),
    );
    await alarm('other-asg-cpu-high', 'other-cluster', otherPolicy.PolicyARN!, { Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'other-asg' }] });
  });
  afterEach(() => unwatch());
  after(async () => {
    clients?.destroy();
    await st?.close();
  });

  /** Everything that is not the hands-on's is still there. */
  async function assertOthersSurvive() {
    const { ecs, ec2, elbv2, autoScaling, cloudWatch } = clients;
    const cl = (await ecs.send(new DescribeClustersCommand({ clusters: ['other-cluster'] }))).clusters ?? [];
    assert.deepEqual(cl.map((c) => c.status), ['ACTIVE'], 'other-cluster');
    const sv = (await ecs.send(new DescribeServicesCommand({ cluster: 'other-cluster', services: ['other-service'] }))).services ?? [];
    assert.deepEqual(sv.map((s) => s.status), ['ACTIVE'], 'other-service');
    assert.equal(((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'other-task', status: 'ACTIVE' }))).taskDefinitionArns ?? []).length, 1, 'other-task:1');
    assert.equal(((await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['other-lb'] }))).LoadBalancers ?? []).length, 1, 'other-lb');
    assert.equal(((await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: ids.otherLb }))).Listeners ?? []).length, 1, "other-lb's listener");
    assert.equal(((await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['other-tg'] }))).TargetGroups ?? []).length, 1, 'other-tg');
    const groups = ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((g) => g.GroupId);
    for (const g of [ids.otherSg, ids.unrelatedSg]) assert.ok(groups.includes(g), `security group ${g}`);
    const templates = ((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? []).map((t) => t.LaunchTemplateName);
    assert.ok(templates.includes('other-lt'), 'other-lt');
    const asgs = ((await autoScaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []).map((g) => g.AutoScalingGroupName);
    assert.deepEqual(asgs, ['other-asg']);
    const alarms = ((await cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.AlarmName).sort();
    assert.deepEqual(alarms, ['other-asg-cpu-high', 'other-cluster-cpu-high']);
  }

  it('a dry run lists exactly what the hands-on made, in deletion order, and deletes nothing', async () => {
    const sent = watch(clients);
    const messages: string[] = [];
    const found = await findCleanupItems(host(clients, { progress: (p) => p.message && messages.push(p.message) }));
    assert.deepEqual(found.warnings, []);
    assert.deepEqual(
      keys(found.items),
      [
        'alarm demo-cluster-cluster-cpu-high', 'alarm demo-cluster-demo-service-cpu-high',
        'asgPolicy demo-cluster-instances-scale-out (demo-cluster-asg)',
        'autoScalingGroup demo-cluster-asg',
        'cluster demo-cluster',
        ...ids.instances.map((i) => `instance ${i}`),
        'launchTemplate demo-cluster-lt',
        'listener app-demo-lb HTTP:80',
        'loadBalancer app-demo-lb', 'loadBalancer protected-lb',
        'scalableTarget service/demo-cluster/demo-service',
        'scalingPolicy demo-service-cpu-scale-out (service/demo-cluster/demo-service)',
        `securityGroup app-demo-lb-sg (${ids.appSg})`, `securityGroup tagged-sg (${ids.taggedSg})`,
        'service demo-cluster/demo-service',
        'targetGroup app-demo-tg',
        'taskDefinition demo-app-task:1', 'taskDefinition tagged-task:1',
      ].sort(),
    );
    const order = found.items.map((i) => CLEANUP_ORDER.indexOf(i.kind));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'listed in deletion order');
    assert.ok(messages.includes('looking for load balancers…'), messages.join(' | '));
    assert.deepEqual(phasesOf(sent), [], 'a dry run changes nothing');
    const sv = (await clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
    assert.deepEqual([sv.status, sv.runningCount], ['ACTIVE', 2]);
  });

  it('deletes in dependency order; a load balancer that refuses is reported on its own and the rest is deleted', async () => {
    const found = await findCleanupItems(host(clients));
    const probes: string[] = [];
    const sent = watch(clients, async (op) => {
      // What a person would see at that moment: no task of demo-service left when its target group
      // goes; every instance terminated when the cluster goes.
      if (op === 'DeleteTargetGroup') {
        const tasks = (await admin.tasks(REGION)).tasks.filter((t) => t.service?.includes('demo-service'));
        probes.push(`DeleteTargetGroup with ${tasks.length} demo-service tasks running`);
      }
      if (op === 'DeleteCluster') {
        const res = (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids.instances }))).Reservations ?? [];
        const live = res.flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated');
        probes.push(`DeleteCluster with ${live.length} instances not terminated`);
      }
    });
    const log: string[] = [];
    let progress = 0;
    const r = await deleteCleanupItems(host(clients, { log: (l) => log.push(l), progress: (p) => (progress += p.increment ?? 0) }), found.items);

    assert.deepEqual(r.failed.map((f) => `${key(f.item)}: ${f.error}`), [`loadBalancer protected-lb: OperationNotPermittedException: Load balancer '${ids.protectedLb}' cannot be deleted because deletion protection is enabled`]);
    assert.deepEqual(keys(r.deleted), keys(found.items.filter((i) => i.id !== ids.protectedLb)));
    assert.deepEqual(phasesOf(sent), [
      'DeleteAlarms', 'DeleteScalingPolicy', 'DeletePolicy', 'DeregisterScalableTarget',
      'ModifyTargetGroupAttributes', 'UpdateService', 'DeleteService', 'DeregisterTaskDefinition',
      'DeleteListener', 'DeleteLoadBalancer', 'DeleteTargetGroup', 'DeleteAutoScalingGroup', 'TerminateInstances',
      'DeleteLaunchTemplate', 'DeleteSecurityGroup', 'DeleteCluster',
    ]);
    assert.deepEqual(probes.filter((p, i, a) => p !== a[i - 1]), ['DeleteTargetGroup with 0 demo-service tasks running', 'DeleteCluster with 0 instances not terminated']);
    assert.deepEqual(log.map((l) => l.replace(/ in \d+\.\d s$/, '')), [
      'cleanup: 2 × alarm', 'cleanup: 1 × scalingPolicy', 'cleanup: 1 × asgPolicy', 'cleanup: 1 × scalableTarget', 'cleanup: 1 × service',
      'cleanup: 2 × taskDefinition', 'cleanup: 1 × listener', 'cleanup: 2 × loadBalancer', 'cleanup: 1 × targetGroup', 'cleanup: 1 × autoScalingGroup',
      'cleanup: 3 × instance', 'cleanup: 1 × launchTemplate', 'cleanup: 2 × securityGroup', 'cleanup: 1 × cluster',
    ]);
    assert.ok(Math.abs(progress - 100) < 1e-6, `progress adds up to 100: ${progress}`);

    const { ecs, ec2, elbv2 } = clients;
    assert.deepEqual((await ecs.send(new DescribeClustersCommand({ clusters: ['demo-cluster'] }))).clusters?.map((c) => c.status), ['INACTIVE']);
    assert.equal(((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'demo-app-task', status: 'ACTIVE' }))).taskDefinitionArns ?? []).length, 0);
    assert.deepEqual(((await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).map((l) => l.LoadBalancerName).sort(), ['other-lb', 'protected-lb']);
    const groups = ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((g) => g.GroupId);
    assert.ok(!groups.includes(ids.appSg) && !groups.includes(ids.taggedSg), 'app-demo-lb-sg and tagged-sg deleted');
    await assertOthersSurvive();
  });

  it('the next run finds only what refused; once allowed it goes, and then nothing is left', async () => {
    const again = await findCleanupItems(host(clients));
    assert.deepEqual(keys(again.items), ['loadBalancer protected-lb']);
    await clients.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: ids.protectedLb, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] }));
    const r = await deleteCleanupItems(host(clients), again.items);
    assert.deepEqual([keys(r.deleted), r.failed], [['loadBalancer protected-lb'], []]);
    const last = await findCleanupItems(host(clients));
    assert.deepEqual([last.items, last.warnings], [[], []]);
    const nothing = await deleteCleanupItems(host(clients), last.items);
    assert.deepEqual(nothing, { deleted: [], failed: [] });
    await assertOthersSurvive();
  });
});

describe('Clean Up (src/aws) cancelled mid-way', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let clients: AwsClients;
  before(async () => {
    sb = await startSandbox({ port: 0, timeScale: 20 });
    clients = createClients({ kind: 'sandbox', endpoint: sb.endpoint, region: REGION, credentials: sb.credentials });
    const { ecs, ec2, elbv2 } = clients;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0].VpcId!;
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster' }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver1.0', memory: 128 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 0 }));
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-demo-lb-sg', Description: 'ALB', VpcId: vpcId }))).GroupId!;
    const tg = (await elbv2.send(new CreateTargetGroupCommand({ Name: 'app-demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0].TargetGroupArn!;
    const lb = (await elbv2.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: subnets, SecurityGroups: [sg] }))).LoadBalancers![0].LoadBalancerArn!;
    await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
  });
  afterEach(() => unwatch());
  after(async () => {
    clients?.destroy();
    await sb?.close();
  });

  it('what had not started when it was cancelled is reported "Cancelled" and left for the next run', async () => {
    const found = await findCleanupItems(host(clients));
    assert.deepEqual([...new Set(found.items.map((i) => i.kind))], ['service', 'taskDefinition', 'listener', 'loadBalancer', 'targetGroup', 'securityGroup', 'cluster']);
    let cancelled = false;
    const sent = watch(clients);
    const r = await deleteCleanupItems(
      host(clients, {
        cancelled: () => cancelled,
        // The person presses Cancel while the task definitions are being deregistered.
        progress: (p) => {
          if (p.message?.startsWith(`${cleanupKindLabel('taskDefinition')}:`)) cancelled = true;
        },
      }),
      found.items,
    );
    assert.deepEqual(keys(r.deleted), ['service demo-cluster/demo-service', 'taskDefinition demo-app-task:1']);
    assert.deepEqual(r.failed.map((f) => `${f.item.kind}: ${f.error}`), ['listener: Cancelled', 'loadBalancer: Cancelled', 'targetGroup: Cancelled', 'securityGroup: Cancelled', 'cluster: Cancelled']);
    assert.deepEqual(phasesOf(sent), ['ModifyTargetGroupAttributes', 'UpdateService', 'DeleteService', 'DeregisterTaskDefinition'], 'nothing sent after the cancellation');
    const rest = await findCleanupItems(host(clients));
    assert.deepEqual(keys(rest.items), keys(r.failed.map((f) => f.item)));
  });
});
