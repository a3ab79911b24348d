/**
 * Today's answer to the article's manual cluster scaling, with the AWS CLI against the sandbox
 * (real task processes): a cluster in a new VPC with two new subnets, an Auto Scaling group behind
 * a capacity provider with managed scaling and managed termination protection, the demo service
 * placed with binpack on memory and scaled out from zero instances by ECS's
 * CapacityProviderReservation metric, and an instance drained (DRAINING) — its tasks replaced on a
 * new instance the capacity provider launches — as the article's lessons on scaling in teach.
 */
import assert from 'node:assert/strict';
import { startCliSandbox, eventually, type CliSandbox } from './helpers/cli-sandbox';

const CLUSTER = 'cp-demo';
const ASG = 'cp-demo-asg';

describe('capacity provider with managed scaling, binpack and a drained instance, with the AWS CLI', function () {
  this.timeout(240_000);
  let sb: CliSandbox;

  before(async () => {
    sb = await startCliSandbox({ timeScale: 1000 });
  });
  after(async () => {
    if (sb) await sb.stop();
  });

  const service = async () => (await sb.aws(['ecs', 'describe-services', '--cluster', CLUSTER, '--services', 'demo'])).services[0];
  const group = async () => (await sb.aws(['autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', ASG])).AutoScalingGroups[0];
  /** Running tasks per container instance ARN. */
  const tasksByInstance = async (): Promise<Map<string, number>> => {
    const arns = (await sb.aws(['ecs', 'list-tasks', '--cluster', CLUSTER, '--service-name', 'demo'])).taskArns as string[];
    const out = new Map<string, number>();
    if (arns.length === 0) return out;
    for (const t of (await sb.aws(['ecs', 'describe-tasks', '--cluster', CLUSTER, '--tasks', ...arns])).tasks as { lastStatus: string; containerInstanceArn?: string }[]) {
      if (t.lastStatus === 'RUNNING' && t.containerInstanceArn) out.set(t.containerInstanceArn, (out.get(t.containerInstanceArn) ?? 0) + 1);
    }
    return out;
  };

  it('builds the VPC, the group and the capacity provider, and runs the demo service from zero instances', async () => {
    const vpc = (await sb.aws(['ec2', 'create-vpc', '--cidr-block', '10.20.0.0/16'])).Vpc.VpcId;
    const zones = (await sb.aws(['ec2', 'describe-availability-zones'])).AvailabilityZones.map((z: { ZoneName: string }) => z.ZoneName);
    const subnets: string[] = [];
    for (const [i, az] of zones.slice(0, 2).entries()) {
      subnets.push((await sb.aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', `10.20.${i + 1}.0/24`, '--availability-zone', az])).Subnet.SubnetId);
    }
    await sb.aws(['ecs', 'create-cluster', '--cluster-name', CLUSTER]);
    const ami = (await sb.aws(['ssm', 'get-parameter', '--name', '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id'])).Parameter.Value;
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await sb.aws(['ec2', 'create-launch-template', '--launch-template-name', 'cp-demo-lt', '--launch-template-data', JSON.stringify({ ImageId: ami, InstanceType: 't3.small', UserData: userData })]);
    await sb.aws([
      'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', ASG, '--launch-template', 'LaunchTemplateName=cp-demo-lt,Version=$Latest',
      '--min-size', '0', '--max-size', '4', '--desired-capacity', '0', '--vpc-zone-identifier', subnets.join(','), '--new-instances-protected-from-scale-in',
    ]);
    const asgArn = (await group()).AutoScalingGroupARN;
    const cp = (await sb.aws([
      'ecs', 'create-capacity-provider', '--name', 'demo-cp', '--auto-scaling-group-provider',
      JSON.stringify({ autoScalingGroupArn: asgArn, managedScaling: { status: 'ENABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 2 }, managedTerminationProtection: 'ENABLED' }),
    ])).capacityProvider;
    assert.equal(cp.status, 'ACTIVE');
    await sb.aws(['ecs', 'put-cluster-capacity-providers', '--cluster', CLUSTER, '--capacity-providers', 'demo-cp', '--default-capacity-provider-strategy', 'capacityProvider=demo-cp,weight=1']);
    // Two vCPUs per t3.small: four of these tasks fill one.
    await sb.aws(['ecs', 'register-task-definition', '--family', 'demo-app', '--container-definitions', JSON.stringify([{ name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 512, memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }])]);
    await sb.aws(['ecs', 'create-service', '--cluster', CLUSTER, '--service-name', 'demo', '--task-definition', 'demo-app', '--desired-count', '6', '--placement-strategy', 'type=binpack,field=memory']);
    const created = await service();
    assert.deepEqual(created.capacityProviderStrategy, [{ capacityProvider: 'demo-cp', weight: 1, base: 0 }]);
    assert.deepEqual(created.placementStrategy, [{ type: 'binpack', field: 'memory' }]);

    await eventually('6 tasks RUNNING on 2 instances of the new VPC', async () => (await service()).runningCount === 6, 120_000, 500);
    const g = await group();
    assert.equal(g.DesiredCapacity, 2);
    const ids = g.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    const described = (await sb.aws(['ec2', 'describe-instances', '--instance-ids', ...ids])).Reservations.flatMap((r: { Instances: unknown[] }) => r.Instances);
    assert.ok(described.every((i: { VpcId: string }) => i.VpcId === vpc));
    assert.deepEqual([...(await tasksByInstance()).values()].sort(), [2, 4]);
    assert.ok(g.Instances.every((i: { ProtectedFromScaleIn: boolean }) => i.ProtectedFromScaleIn), 'both run tasks: protected');
  });

  it('binpack puts the next task on the fuller instance', async () => {
    await sb.aws(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'demo', '--desired-count', '5']);
    await eventually('5 tasks', async () => [...(await tasksByInstance()).values()].reduce((a, b) => a + b, 0) === 5, 60_000, 500);
    const before = await tasksByInstance();
    const fuller = [...before.entries()].sort((a, b) => b[1] - a[1])[0][0];
    await sb.aws(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'demo', '--desired-count', '6']);
    await eventually('6 tasks', async () => [...(await tasksByInstance()).values()].reduce((a, b) => a + b, 0) === 6, 60_000, 500);
    const after = await tasksByInstance();
    assert.equal(after.get(fuller), (before.get(fuller) ?? 0) + 1, 'the new task went to the instance with the least memory left');
  });

  it('draining an instance moves its tasks to a new instance the capacity provider launches; idle, it loses its protection', async () => {
    const byInstance = await tasksByInstance();
    const [drained, onIt] = [...byInstance.entries()].sort((a, b) => a[1] - b[1])[0];
    await sb.aws(['ecs', 'update-container-instances-state', '--cluster', CLUSTER, '--container-instances', drained, '--status', 'DRAINING']);
    await eventually('the drained instance empty and 6 tasks running elsewhere', async () => {
      const now = await tasksByInstance();
      return !now.has(drained) && [...now.values()].reduce((a, b) => a + b, 0) === 6;
    }, 120_000, 500);
    assert.ok(onIt > 0);
    const g = await group();
    assert.equal(g.DesiredCapacity, 3, 'the other instance was full: managed scaling launched one for the drained tasks');
    const ci = (await sb.aws(['ecs', 'describe-container-instances', '--cluster', CLUSTER, '--container-instances', drained])).containerInstances[0];
    assert.equal(ci.status, 'DRAINING');
    assert.equal(ci.runningTasksCount, 0);
    await eventually('managed termination protection lifted from the drained instance', async () => {
      const i = (await group()).Instances.find((x: { InstanceId: string }) => x.InstanceId === ci.ec2InstanceId);
      return i && i.ProtectedFromScaleIn === false;
    }, 30_000, 500);
  });
});
