import assert from 'node:assert/strict';
import type { Cluster } from '@aws-sdk/client-ecs';
import type { Listener, LoadBalancer, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  clusterNode, containerInstanceNode, deploymentNode, listenerNode, loadBalancerNode, loadBalancerUrl, loadMoreNode, portsInUse,
  serviceEventNode, serviceNode, serviceSectionNodes, targetGroupNode, targetNode, taskDefinitionFamilyNode,
  taskDefinitionRevisionNode, taskNode,
} from '../../../src/core/tree-model';
import { CLUSTER_ARN, containerInstance, demoTaskDefinition, rollingSnapshot, T0_MS, task, TG_ARN } from './fixtures/ecs';

const ms = (s: number) => T0_MS + s * 1000;

const cluster: Cluster = {
  clusterArn: CLUSTER_ARN, clusterName: 'demo-cluster', status: 'ACTIVE', registeredContainerInstancesCount: 2,
  runningTasksCount: 3, pendingTasksCount: 1, activeServicesCount: 1, settings: [{ name: 'containerInsights', value: 'enabled' }],
};

describe('core/tree-model', () => {
  it('cluster: counts at a glance, lazily expands into its sections', () => {
    const n = clusterNode(cluster);
    assert.equal(n.label, 'demo-cluster');
    assert.equal(n.description, '1 service, 3 tasks (+1 pending), 2 instances');
    assert.match(n.tooltip!, /Container Insights: enabled/);
    assert.deepEqual(n.children, { type: 'clusterSections', clusterArn: CLUSTER_ARN });
    assert.equal(n.contextValue, 'ecsHandson.cluster.active');
    const inactive = clusterNode({ ...cluster, status: 'INACTIVE' });
    assert.equal(inactive.collapsible, 'none');
    assert.equal(inactive.color, 'disabledForeground');
  });

  it('cluster: a negative count from the service (an emulator) is never shown', () => {
    const n = clusterNode({ ...cluster, runningTasksCount: 0, pendingTasksCount: -1, activeServicesCount: 0 });
    assert.equal(n.description, '0 services, 0 tasks, 2 instances');
    assert.match(n.tooltip!, /Pending tasks: 0/);
  });

  it('service: green when steady, yellow while rolling, red when stuck or failed', () => {
    const steady = serviceNode(rollingSnapshot({ now: 80, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }), { now: ms(80) });
    assert.equal(steady.description, '2/2 running');
    assert.equal(steady.color, 'testing.iconPassed');
    assert.equal(steady.contextValue, 'ecsHandson.service.active');

    const rolling = serviceNode(rollingSnapshot({ now: 20, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } }), { now: ms(20) });
    assert.equal(rolling.description, 'new 1/2 running, 1 pending, old 2 · IN_PROGRESS');
    assert.equal(rolling.color, 'charts.yellow');
    assert.equal(rolling.icon, 'sync~spin');
    assert.equal(rolling.contextValue, 'ecsHandson.service.active.deploying');
    assert.match(rolling.tooltip!, /demo-app-task:2 1\/2 running, 1 pending, old 2 running — IN_PROGRESS 0:20/);

    const failed = serviceNode(rollingSnapshot({ now: 300, primary: { running: 0, pending: 0, failed: 3 }, old: { running: 2, pending: 0 }, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }), { now: ms(300) });
    assert.equal(failed.color, 'errorForeground');
    assert.equal(failed.description, 'new 0/2 running, old 2 · FAILED');
    const stuck = serviceNode(rollingSnapshot({ now: 600, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 } }), { now: ms(600) });
    assert.equal(stuck.description, 'new 0/2 running, old 2 · STUCK');
    assert.equal(stuck.color, 'errorForeground');
    assert.match(failed.tooltip!, /circuit breaker: tasks failed to start/);
  });

  it('service sections: deployments, tasks, stopped tasks, events and the load balancer', () => {
    const service = rollingSnapshot({ now: 0, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' });
    service.loadBalancers = [{ targetGroupArn: TG_ARN, containerName: 'demo-app', containerPort: 80 }];
    const sections = serviceSectionNodes(service, { parentId: 'x' });
    assert.deepEqual(sections.map((s) => s.label), ['Deployments', 'Tasks', 'Stopped tasks', 'Events', 'Load balancer']);
    assert.deepEqual(sections[2].children, { type: 'serviceTasks', clusterArn: CLUSTER_ARN, serviceName: 'demo-service', desiredStatus: 'STOPPED' });
    assert.deepEqual(sections[4].children, { type: 'serviceLoadBalancers', clusterArn: CLUSTER_ARN, serviceArn: service.serviceArn, targetGroupArns: [TG_ARN] });
    assert.equal(new Set(sections.map((s) => s.id)).size, 5, 'ids unique');
    assert.ok(sections.every((s) => s.id.startsWith('x/')));
  });

  it('deployment: status, revision and counts', () => {
    const service = rollingSnapshot({ now: 20, primary: { running: 1, pending: 1, failed: 1 }, old: { running: 2, pending: 0 } });
    const [primary, old] = service.deployments!.map((d) => deploymentNode(d, { now: ms(20) }));
    assert.equal(primary.label, 'PRIMARY demo-app-task:2');
    assert.equal(primary.description, '1/2 running, 1 pending, 1 failed · IN_PROGRESS');
    assert.equal(primary.color, 'charts.yellow');
    assert.equal(old.label, 'ACTIVE demo-app-task:1');
    assert.equal(old.description, '2/2 running · COMPLETED');
  });

  it('task: status (in words unless steadily running), revision and host port first (a narrow sidebar cuts the end), then health, instance, AZ; stopped with reason', () => {
    const instanceIds = new Map([[task({ id: 'x', lastStatus: 'RUNNING' }).containerInstanceArn!, 'i-0abc1234def567890']]);
    const running = taskNode(task({ id: '6a12b3c4d5e6f7a8b9c0', lastStatus: 'RUNNING', hostPort: 32768, health: 'HEALTHY' }), { instanceIds, now: ms(60) });
    assert.equal(running.label, '6a12b3c4');
    assert.equal(running.description, 'rev 2 · :32768 · demo-app-task · HEALTHY · i-0abc1234def567890 · us-east-1a', 'the running icon says RUNNING');
    assert.equal(running.color, 'testing.iconPassed');
    assert.equal(running.contextValue, 'ecsHandson.task.running');
    assert.match(running.tooltip!, /Started by: ecs-svc\/2222222222222222222/);

    const pending = taskNode(task({ id: 'ef67aaaa', lastStatus: 'PENDING', desiredStatus: 'RUNNING' }));
    assert.equal(pending.description, 'PENDING → RUNNING · rev 2 · demo-app-task · us-east-1a');
    assert.equal(pending.color, 'charts.yellow');

    const crashed = taskNode(task({ id: '218dbbbb', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1, stoppedAt: 30 }), { now: ms(90) });
    assert.equal(crashed.description, 'STOPPED · rev 2 · demo-app-task · EssentialContainerExited');
    assert.equal(crashed.color, 'errorForeground');
    assert.match(crashed.tooltip!, /Stopped reason: Essential container in task exited/);
    assert.match(crashed.tooltip!, /exit code 1/);
    assert.match(crashed.tooltip!, /Stopped: 1 min ago/);

    const scaledIn = taskNode(task({ id: '9999cccc', lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' }));
    assert.equal(scaledIn.color, 'disabledForeground', 'a normal scale-in is not an error');
  });

  it('service event: relative time and message, problems highlighted', () => {
    const ev = serviceEventNode({ id: 'e1', createdAt: new Date(ms(0)), message: '(service demo-service) has reached a steady state.' }, { now: ms(120) });
    assert.equal(ev.label, '2 min ago');
    assert.equal(ev.description, '(service demo-service) has reached a steady state.');
    assert.equal(ev.color, 'testing.iconPassed');
    const bad = serviceEventNode({ id: 'e2', createdAt: new Date(ms(0)), message: '(service demo-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 3f4d) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.' }, { now: ms(1) });
    assert.equal(bad.color, 'errorForeground');
    assert.ok(bad.description!.endsWith('already using a port required by your task.'));
  });

  it('container instance: type, AZ, remaining of registered, static ports excluding the reserved ones', () => {
    const ci = containerInstance({ staticPorts: [80] });
    assert.deepEqual(portsInUse(ci), [80]);
    const n = containerInstanceNode(ci);
    assert.equal(n.label, 'i-0abc1234def567890');
    assert.equal(n.description, 't3.small · us-east-1a · CPU 1792/2048 free · memory 1.7 GiB/1.9 GiB free · ports 80');
    assert.equal(n.color, 'testing.iconPassed');
    assert.deepEqual(n.children, { type: 'instanceTasks', clusterArn: 'demo-cluster', containerInstanceArn: ci.containerInstanceArn });
    assert.equal(containerInstanceNode(containerInstance()).description!.endsWith('no static ports'), true);
    const disconnected = containerInstanceNode({ ...ci, agentConnected: false });
    assert.equal(disconnected.color, 'errorForeground');
    assert.match(disconnected.description!, /agent disconnected/);
  });

  it('task-definition family and revisions', () => {
    const fam = taskDefinitionFamilyNode('demo-app-task', { latest: demoTaskDefinition(3), revisionCount: 3 });
    assert.equal(fam.description, 'latest :3 · 3 revisions');
    assert.deepEqual(fam.children, { type: 'taskDefinitionRevisions', family: 'demo-app-task' });
    const rev = taskDefinitionRevisionNode(demoTaskDefinition(2));
    assert.equal(rev.label, 'demo-app-task:2');
    assert.equal(rev.description, 'ecs-handson/demo-app:1 · 80→80/tcp · cpu 256 / mem 256');
    assert.match(rev.tooltip!, /memoryReservation 128 MiB \(soft\)/);
    const inactive = taskDefinitionRevisionNode({ ...demoTaskDefinition(1), status: 'INACTIVE' });
    assert.equal(inactive.contextValue, 'ecsHandson.taskDefinitionRevision.inactive');
    assert.equal(inactive.color, 'disabledForeground');
    const bare = taskDefinitionRevisionNode('arn:aws:ecs:us-east-1:1:task-definition/demo-app-task:7');
    assert.equal(bare.label, 'demo-app-task:7');
  });

  it('load balancer, listener, target group and targets', () => {
    const lb: LoadBalancer = {
      LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/demo-alb/50dc6c495c0c9188',
      LoadBalancerName: 'demo-alb', DNSName: 'demo-alb-123.elb.localhost', State: { Code: 'active' }, Type: 'application', Scheme: 'internet-facing',
    };
    const lbNode = loadBalancerNode(lb);
    assert.equal(lbNode.description, 'active · demo-alb-123.elb.localhost');
    assert.equal(lbNode.color, 'testing.iconPassed');
    assert.equal(loadBalancerUrl(lb, { Port: 8080, Protocol: 'HTTP' }), 'http://demo-alb-123.elb.localhost:8080/');
    assert.equal(loadBalancerUrl(lb, { Port: 80, Protocol: 'HTTP' }), 'http://demo-alb-123.elb.localhost/');

    const listener: Listener = { ListenerArn: 'l-1', Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }] };
    const ln = listenerNode(listener);
    assert.equal(ln.label, 'HTTP:80');
    assert.equal(ln.description, '→ demo-tg');
    assert.deepEqual(ln.children, { type: 'targetGroup', targetGroupArn: TG_ARN });

    const tg: TargetGroup = { TargetGroupArn: TG_ARN, TargetGroupName: 'demo-tg', Protocol: 'HTTP', Port: 80, HealthCheckPath: '/', TargetType: 'instance' };
    const health: TargetHealthDescription[] = [
      { Target: { Id: 'i-0abc', Port: 32768 }, TargetHealth: { State: 'healthy' } },
      { Target: { Id: 'i-0def', Port: 32769 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [502]' } },
    ];
    const tgNode = targetGroupNode(tg, { health });
    assert.equal(tgNode.description, 'HTTP:80 · 1 healthy, 1 unhealthy');
    assert.equal(tgNode.color, 'errorForeground');
    assert.equal(targetGroupNode(tg, { health: [health[0]] }).color, 'testing.iconPassed');
    assert.equal(targetGroupNode(tg, { health: [] }).description, 'HTTP:80 · no targets');
    const [ok, bad] = health.map((h) => targetNode(h, { parentId: 'tg' }));
    assert.equal(ok.label, 'i-0abc:32768');
    assert.equal(ok.color, 'testing.iconPassed');
    assert.equal(bad.description, 'unhealthy · Target.ResponseCodeMismatch');
    assert.equal(bad.color, 'errorForeground');
    assert.match(bad.tooltip!, /codes: \\\[502\\\]/, 'escaped for Markdown');
    const draining = targetNode({ Target: { Id: 'i-1', Port: 1 }, TargetHealth: { State: 'draining', Reason: 'Target.DeregistrationInProgress' } });
    assert.equal(draining.color, 'charts.yellow');
  });

  it('ids are stable across snapshots and unique per parent', () => {
    const a = serviceNode(rollingSnapshot({ now: 0, primary: { running: 0, pending: 0 } }), { parentId: 'sandbox/cluster:x', now: ms(0) });
    const b = serviceNode(rollingSnapshot({ now: 50, primary: { running: 2, pending: 0 } }), { parentId: 'sandbox/cluster:x', now: ms(50) });
    assert.equal(a.id, b.id);
    const elsewhere = serviceNode(rollingSnapshot({ now: 0, primary: { running: 0, pending: 0 } }), { parentId: 'other' });
    assert.notEqual(a.id, elsewhere.id);
    assert.notEqual(loadMoreNode('p', 'tok1').id, loadMoreNode('p', 'tok2').id);
  });
});
