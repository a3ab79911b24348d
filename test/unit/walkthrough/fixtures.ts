/** Realistic walkthrough snapshots: the hands-on's account at various points (ARNs as ECS writes them). */
import { emptySnapshot, type Snapshot, type TaskInfo } from '../../../src/core/walkthrough/snapshot';

export const ACCOUNT = '123456789012';
export const REGION = 'ap-northeast-1';
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/demo-cluster`;
export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/demo-cluster/demo-service`;
export const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/app-demo-lb/50dc6c495c0c9188`;
export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app-demo-lb-tg/73e2d6bc24d8a067`;
export const T0 = Date.UTC(2026, 10, 25, 18, 0, 0);
export const ci = (n: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/demo-cluster/0b1f6c3e8a6d4c2f9e1a7b5c3d2e1f0${n}`;
export const taskArn = (id: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/demo-cluster/${id}`;

export const PORT_EVENT =
  '(service demo-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0b1f6c3e8a6d4c2f9e1a7b5c3d2e1f01) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

export function task(id: string, rev: number, o: Partial<TaskInfo> = {}): TaskInfo {
  return {
    arn: taskArn(id),
    id,
    cluster: CLUSTER_ARN,
    group: 'service:demo-service',
    taskDefinition: `demo-app-task:${rev}`,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    containerInstanceArn: ci(1),
    hostPort: 80,
    startedAt: T0,
    ...o,
  };
}

/** demo-cluster with `instances` container instances (alternating AZs), nothing else. */
export function withCluster(instances = 2, now = T0): Snapshot {
  const s = emptySnapshot(now, ['clusters', 'containerInstances']);
  s.clusters.push({ name: 'demo-cluster', arn: CLUSTER_ARN, status: 'ACTIVE', containerInsights: false, registeredContainerInstances: instances });
  for (let i = 1; i <= instances; i++) {
    s.containerInstances.push({ arn: ci(i), cluster: 'demo-cluster', ec2InstanceId: `i-0abc${i}`, status: 'ACTIVE', availabilityZone: i % 2 ? 'ap-northeast-1a' : 'ap-northeast-1c', usedPorts: [], runningTasks: 0 });
  }
  return s;
}

/** The whole hands-on up to create-service: 2 RUNNING tasks of demo-app-task:1 behind app-demo-lb. */
export function running(now = T0 + 120_000): Snapshot {
  const s = withCluster(2, now);
  s.parts = ['clusters', 'containerInstances', 'taskDefinitions', 'loadBalancers', 'services', 'tasks'];
  s.taskDefinitions.push(
    { family: 'demo-app-task', revision: 1, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-app-task:1`, status: 'ACTIVE', image: 'uzresk/demo:ver1.0', containerPort: 8080, hostPort: 80 },
  );
  s.loadBalancers.push({ name: 'app-demo-lb', arn: LB_ARN, state: 'active', dnsName: 'app-demo-lb-1234567890.ap-northeast-1.elb.amazonaws.com', listenerPorts: [80], url: 'http://127.0.0.1:41234/' });
  s.targetGroups.push({ name: 'app-demo-lb-tg', arn: TG_ARN, loadBalancerArns: [LB_ARN], port: 80, healthCheckIntervalSeconds: 30, healthyThreshold: 5, unhealthyThreshold: 2, targets: [
    { id: 'i-0abc1', port: 80, health: 'healthy' },
    { id: 'i-0abc2', port: 80, health: 'healthy' },
  ] });
  s.services.push({
    name: 'demo-service',
    arn: SERVICE_ARN,
    cluster: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: 'demo-app-task:1',
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    targetGroupArns: [TG_ARN],
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'demo-app-task:1', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED', createdAt: T0 }],
    events: [{ createdAt: T0 + 100_000, message: '(service demo-service) has reached a steady state.' }],
  });
  s.tasks.push(task('a1b2c3d4e5f60718293a4b5c6d7e8f90', 1, { containerInstanceArn: ci(1) }), task('0f9e8d7c6b5a49382716f5e4d3c2b1a0', 1, { containerInstanceArn: ci(2) }));
  return s;
}
