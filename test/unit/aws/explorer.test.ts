import assert from 'node:assert/strict';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { loadChildren, loadRoots } from '../../../src/aws/explorer';
import { CLUSTER_ARN, containerInstance, demoTaskDefinition, rollingSnapshot, T0_MS, task, TG_ARN } from '../core/fixtures/ecs';
import { fakeClient, type Handler } from './fake-client';

const elbNone = () => fakeClient(ElasticLoadBalancingV2Client, () => assert.fail('no ELB call expected'));
const now = T0_MS + 60_000;

function ecsWith(routes: Record<string, Handler>) {
  return fakeClient(ECSClient, (name, input, i) => {
    const route = routes[name];
    if (!route) assert.fail(`unexpected ${name}`);
    return route(name, input, i);
  });
}

describe('aws/explorer loadChildren', () => {
  it('roots: clusters (one batched describe) then the task-definition and load-balancer groups', async () => {
    const ecs = ecsWith({
      ListClusters: () => ({ clusterArns: [CLUSTER_ARN] }),
      DescribeClusters: (_n, input) => ({ clusters: input.clusters.map((arn: string) => ({ clusterArn: arn, clusterName: 'demo-cluster', status: 'ACTIVE' })) }),
    });
    const { nodes } = await loadRoots({ ecs, elbv2: elbNone() }, { parentId: 'sandbox', now });
    assert.deepEqual(nodes.map((n) => `${n.kind}:${n.label}`), ['cluster:demo-cluster', 'group:Task definitions', 'group:Load balancers']);
    assert.deepEqual(ecs.calls.map((c) => c.name), ['ListClusters', 'DescribeClusters']);
  });

  it('services: one page, described in batches, sorted, with "Load more…"', async () => {
    const arns = Array.from({ length: 12 }, (_, i) => `arn:aws:ecs:us-east-1:1:service/demo-cluster/svc-${String(11 - i).padStart(2, '0')}`);
    const ecs = ecsWith({
      ListServices: () => ({ serviceArns: arns, nextToken: 'next-1' }),
      DescribeServices: (_n, input) => ({
        services: input.services.map((arn: string) => ({ ...rollingSnapshot({ now: 60, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }), serviceArn: arn, serviceName: arn.split('/').pop() })),
      }),
    });
    const { nodes } = await loadChildren({ ecs, elbv2: elbNone() }, { type: 'services', clusterArn: CLUSTER_ARN }, { parentId: 'p', now, pageSize: 12 });
    assert.equal(nodes.length, 13);
    assert.equal(nodes[0].label, 'svc-00');
    assert.equal(nodes[12].kind, 'loadMore');
    assert.equal(nodes[12].context?.nextToken, 'next-1');
    assert.deepEqual(ecs.calls.map((c) => c.name), ['ListServices', 'DescribeServices', 'DescribeServices']);
    assert.equal(ecs.calls[0].input.maxResults, 12);
  });

  it('no services: a message node and no describe', async () => {
    const ecs = ecsWith({ ListServices: () => ({ serviceArns: [] }) });
    const { nodes } = await loadChildren({ ecs, elbv2: elbNone() }, { type: 'services', clusterArn: CLUSTER_ARN }, { parentId: 'p' });
    assert.deepEqual(nodes.map((n) => [n.kind, n.label]), [['message', 'No services']]);
    assert.equal(ecs.calls.length, 1);
  });

  it('service tasks: list, batched describe, one DescribeContainerInstances for instance ids; running first', async () => {
    const tasks = [
      task({ id: 'stopped0000000', lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedAt: 50 }),
      task({ id: 'running1111111', lastStatus: 'RUNNING', hostPort: 32768 }),
      task({ id: 'running2222222', lastStatus: 'RUNNING', hostPort: 32769 }),
    ];
    const ecs = ecsWith({
      ListTasks: () => ({ taskArns: tasks.map((t) => t.taskArn) }),
      DescribeTasks: () => ({ tasks }),
      DescribeContainerInstances: () => ({ containerInstances: [containerInstance()] }),
    });
    const { nodes } = await loadChildren(
      { ecs, elbv2: elbNone() },
      { type: 'serviceTasks', clusterArn: CLUSTER_ARN, serviceName: 'demo-service', desiredStatus: 'RUNNING' },
      { parentId: 'p', now },
    );
    assert.deepEqual(nodes.map((n) => n.label), ['running1', 'running2', 'stopped0']);
    assert.match(nodes[0].description!, /i-0abc1234def567890/);
    assert.deepEqual(ecs.calls.map((c) => c.name), ['ListTasks', 'DescribeTasks', 'DescribeContainerInstances']);
    assert.equal((ecs.calls[2].input.containerInstances as string[]).length, 1, 'instances de-duplicated');
    assert.equal(ecs.calls[0].input.serviceName, 'demo-service');
  });

  it('task-definition revisions: exact family only, newest first, INACTIVE included, only the newest described', async () => {
    const arn = (fam: string, n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${fam}:${n}`;
    const ecs = ecsWith({
      ListTaskDefinitions: (_n, input) =>
        input.status === 'ACTIVE'
          ? { taskDefinitionArns: [arn('demo-app-task-v2', 1), arn('demo-app-task', 3), arn('demo-app-task', 2)] }
          : { taskDefinitionArns: [arn('demo-app-task', 1)] },
      DescribeTaskDefinition: (_n, input) => ({ taskDefinition: demoTaskDefinition(Number(input.taskDefinition.split(':').pop())) }),
    });
    const { nodes } = await loadChildren({ ecs, elbv2: elbNone() }, { type: 'taskDefinitionRevisions', family: 'demo-app-task' }, { parentId: 'p', describeRevisions: 2 });
    assert.deepEqual(nodes.map((n) => n.label), ['demo-app-task:3', 'demo-app-task:2', 'demo-app-task:1']);
    assert.equal(nodes[2].contextValue, 'ecsHandson.taskDefinitionRevision.inactive');
    assert.equal(ecs.calls.filter((c) => c.name === 'DescribeTaskDefinition').length, 2);
    assert.match(nodes[0].description!, /ecs-handson\/demo-app:1/);
    assert.equal(nodes[2].description, 'INACTIVE');
  });

  it("service load balancer: the target groups' load balancers and the groups with their health", async () => {
    const lbArn = 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/demo-alb/50dc';
    const elbv2 = fakeClient(ElasticLoadBalancingV2Client, (name) => {
      switch (name) {
        case 'DescribeTargetGroups': return { TargetGroups: [{ TargetGroupArn: TG_ARN, TargetGroupName: 'demo-tg', Protocol: 'HTTP', Port: 80, LoadBalancerArns: [lbArn] }] };
        case 'DescribeTargetHealth': return { TargetHealthDescriptions: [{ Target: { Id: 'i-1', Port: 32768 }, TargetHealth: { State: 'healthy' } }] };
        case 'DescribeLoadBalancers': return { LoadBalancers: [{ LoadBalancerArn: lbArn, LoadBalancerName: 'demo-alb', DNSName: 'demo.elb', State: { Code: 'active' } }] };
        default: return assert.fail(name);
      }
    });
    const { nodes } = await loadChildren(
      { ecs: ecsWith({}), elbv2 },
      { type: 'serviceLoadBalancers', clusterArn: CLUSTER_ARN, serviceArn: 'svc', targetGroupArns: [TG_ARN] },
      { parentId: 'p' },
    );
    assert.deepEqual(nodes.map((n) => `${n.kind}:${n.label}:${n.description}`), ['loadBalancer:demo-alb:active · demo.elb', 'targetGroup:demo-tg:HTTP:80 · 1 healthy']);
  });

  it('deployments and events come from one DescribeServices', async () => {
    const svc = rollingSnapshot({ now: 20, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 }, events: [{ id: 'e1', at: 5, message: '(service demo-service) has started 2 tasks: (task a) (task b).' }] });
    const ecs = ecsWith({ DescribeServices: () => ({ services: [svc] }) });
    const clients = { ecs, elbv2: elbNone() };
    const deployments = await loadChildren(clients, { type: 'deployments', clusterArn: CLUSTER_ARN, serviceArn: svc.serviceArn! }, { parentId: 'p', now });
    assert.deepEqual(deployments.nodes.map((n) => n.label), ['PRIMARY demo-app-task:2', 'ACTIVE demo-app-task:1']);
    const events = await loadChildren(clients, { type: 'serviceEvents', clusterArn: CLUSTER_ARN, serviceArn: svc.serviceArn! }, { parentId: 'p', now });
    assert.deepEqual(events.nodes.map((n) => n.label), ['55 sec ago']);
    assert.equal(ecs.calls.length, 2);
  });

  it('propagates API errors for the UI to map', async () => {
    const ecs = ecsWith({ ListServices: () => { throw Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }); } });
    await assert.rejects(loadChildren({ ecs, elbv2: elbNone() }, { type: 'services', clusterArn: 'nope' }, { parentId: 'p' }), { name: 'ClusterNotFoundException' });
  });
});
