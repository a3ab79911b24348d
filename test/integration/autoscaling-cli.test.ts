/**
 * Section 6 of the hands-on end to end, driven by the AWS CLI and Debian's `ab`, as the article does
 * it: service auto scaling (max 4, CPU 1-minute average > 20% → +2, a scale-in policy) and the
 * instances' Auto Scaling group (max 4, cluster CPU > 20% → +2 instances, a scale-in policy). A real
 * HTTP load through the ALB drives the measured CPU over 20%: alarm → desired 4 → instances scale out
 * → tasks start; after the load stops: low alarm → desired 2 → tasks and instances back to 2.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { startCliSandbox, eventually, type CliSandbox } from './helpers/cli-sandbox';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';
const ASG = 'demo-cluster-asg';
const RESOURCE = `service/${CLUSTER}/${SERVICE}`;

describe('the autoscaling section with the AWS CLI and ab', function () {
  this.timeout(420_000);
  let sb: CliSandbox;
  let ab: ChildProcess | undefined;

  before(async () => {
    sb = await startCliSandbox({ timeScale: 20 });
  });
  after(async () => {
    ab?.kill('SIGKILL');
    if (sb) await sb.stop();
  });

  const aas = ['--service-namespace', 'ecs', '--scalable-dimension', 'ecs:service:DesiredCount', '--resource-id', RESOURCE];
  const service = async () => (await sb.aws(['ecs', 'describe-services', '--cluster', CLUSTER, '--services', SERVICE])).services[0];
  const group = async () => (await sb.aws(['autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', ASG])).AutoScalingGroups[0];
  const instanceCount = async () => (await sb.aws(['ecs', 'list-container-instances', '--cluster', CLUSTER, '--status', 'ACTIVE'])).containerInstanceArns.length as number;
  const alarmState = async (name: string) => (await sb.aws(['cloudwatch', 'describe-alarms', '--alarm-names', name])).MetricAlarms[0]?.StateValue as string;

  it('builds the hands-on stack on an Auto Scaling group of 2 instances behind the ALB', async () => {
    await sb.aws(['ecs', 'create-cluster', '--cluster-name', CLUSTER]);
    const ami = (await sb.aws(['ssm', 'get-parameter', '--name', '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id'])).Parameter.Value;
    const subnets = (await sb.aws(['ec2', 'describe-subnets'])).Subnets as any[];
    const vpc = subnets[0].VpcId;
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    // One vCPU per instance, so that two busy tasks show on the cluster's CPU as they did in the article.
    await sb.aws(['ec2', 'create-launch-template', '--launch-template-name', 'demo-lt', '--launch-template-data', JSON.stringify({ ImageId: ami, InstanceType: 't2.micro', UserData: userData })]);
    await sb.aws([
      'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', ASG, '--launch-template', 'LaunchTemplateName=demo-lt,Version=$Latest',
      '--min-size', '2', '--max-size', '4', '--desired-capacity', '2', '--vpc-zone-identifier', subnets.map((s) => s.SubnetId).join(','), '--default-cooldown', '60',
    ]);
    await eventually('2 container instances', async () => (await instanceCount()) === 2);

    await sb.aws([
      'ecs', 'register-task-definition', '--family', 'demo-app-task', '--container-definitions',
      JSON.stringify([{ name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 80 }] }]),
    ]);
    const sg = (await sb.aws(['ec2', 'create-security-group', '--group-name', 'app-demo-lb-sg', '--description', 'ALB', '--vpc-id', vpc])).GroupId;
    await sb.aws(['ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '80', '--cidr', '0.0.0.0/0']);
    const tg = (await sb.aws([
      'elbv2', 'create-target-group', '--name', 'app-demo-tg', '--protocol', 'HTTP', '--port', '80', '--vpc-id', vpc, '--target-type', 'instance',
      '--health-check-interval-seconds', '10', '--healthy-threshold-count', '2',
    ])).TargetGroups[0].TargetGroupArn;
    await sb.aws(['elbv2', 'modify-target-group-attributes', '--target-group-arn', tg, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=30']);
    const lb = (await sb.aws(['elbv2', 'create-load-balancer', '--name', 'app-demo-lb', '--subnets', ...subnets.map((s) => s.SubnetId), '--security-groups', sg])).LoadBalancers[0].LoadBalancerArn;
    await sb.aws(['elbv2', 'create-listener', '--load-balancer-arn', lb, '--protocol', 'HTTP', '--port', '80', '--default-actions', `Type=forward,TargetGroupArn=${tg}`]);
    await sb.aws([
      'ecs', 'create-service', '--cluster', CLUSTER, '--service-name', SERVICE, '--task-definition', 'demo-app-task', '--desired-count', '2',
      '--load-balancers', `targetGroupArn=${tg},containerName=demo,containerPort=8080`,
    ]);
    await eventually('2 tasks running', async () => {
      const s = await service();
      return s.runningCount === 2 && s.deployments.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
    }, 120_000);
  });

  it('configures service and cluster auto scaling as the article does', async () => {
    await sb.aws(['application-autoscaling', 'register-scalable-target', ...aas, '--min-capacity', '2', '--max-capacity', '4']);
    const out = (await sb.aws([
      'application-autoscaling', 'put-scaling-policy', ...aas, '--policy-name', 'cpu-scale-out', '--policy-type', 'StepScaling',
      '--step-scaling-policy-configuration', JSON.stringify({ AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }], Cooldown: 60, MetricAggregationType: 'Average' }),
    ])).PolicyARN;
    const inn = (await sb.aws([
      'application-autoscaling', 'put-scaling-policy', ...aas, '--policy-name', 'cpu-scale-in', '--policy-type', 'StepScaling',
      '--step-scaling-policy-configuration', JSON.stringify({ AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -2 }], Cooldown: 60, MetricAggregationType: 'Average' }),
    ])).PolicyARN;
    const svcDims = ['--dimensions', `Name=ClusterName,Value=${CLUSTER}`, `Name=ServiceName,Value=${SERVICE}`];
    const common = ['--namespace', 'AWS/ECS', '--metric-name', 'CPUUtilization', '--statistic', 'Average', '--period', '60', '--evaluation-periods', '1', '--threshold', '20'];
    await sb.aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'demo-service-cpu-high', ...common, ...svcDims, '--comparison-operator', 'GreaterThanThreshold', '--alarm-actions', out]);
    await sb.aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'demo-service-cpu-low', ...common, ...svcDims, '--comparison-operator', 'LessThanOrEqualToThreshold', '--alarm-actions', inn]);

    const asgOut = (await sb.aws([
      'autoscaling', 'put-scaling-policy', '--auto-scaling-group-name', ASG, '--policy-name', 'cluster-cpu-scale-out', '--policy-type', 'StepScaling',
      '--adjustment-type', 'ChangeInCapacity', '--metric-aggregation-type', 'Average', '--step-adjustments', 'MetricIntervalLowerBound=0,ScalingAdjustment=2', '--estimated-instance-warmup', '60',
    ])).PolicyARN;
    const asgIn = (await sb.aws([
      'autoscaling', 'put-scaling-policy', '--auto-scaling-group-name', ASG, '--policy-name', 'cluster-cpu-scale-in', '--policy-type', 'StepScaling',
      '--adjustment-type', 'ChangeInCapacity', '--metric-aggregation-type', 'Average', '--step-adjustments', 'MetricIntervalUpperBound=0,ScalingAdjustment=-2', '--estimated-instance-warmup', '60',
    ])).PolicyARN;
    const clusterDims = ['--dimensions', `Name=ClusterName,Value=${CLUSTER}`];
    await sb.aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'demo-cluster-cpu-high', ...common, ...clusterDims, '--comparison-operator', 'GreaterThanThreshold', '--alarm-actions', asgOut]);
    await sb.aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'demo-cluster-cpu-low', ...common, ...clusterDims, '--comparison-operator', 'LessThanOrEqualToThreshold', '--alarm-actions', asgIn]);

    const policies = (await sb.aws(['application-autoscaling', 'describe-scaling-policies', '--service-namespace', 'ecs'])).ScalingPolicies;
    assert.equal(policies.length, 2);
    assert.equal((await group()).MaxSize, 4);
    await eventually('the idle service alarm is OK', async () => (await alarmState('demo-service-cpu-high')) === 'OK', 60_000);
  });

  it('under ab load: alarm → desired 4 → 4 instances → 4 tasks; after the load: back to 2 and 2', async () => {
    const lbs = await sb.admin('/_sandbox/load-balancers');
    const base = (lbs.loadBalancers[0].localUrl as string).replace(/\/$/, '');
    // The article's load, bounded in time: stopped as soon as the scale-out has been seen.
    ab = spawn('ab', ['-q', '-k', '-c', '20', '-t', '400', '-n', '10000000', `${base}/app/loginForm`], { stdio: 'ignore' });
    const t0 = Date.now();

    const order: string[] = [];
    const seen = (what: string) => {
      if (!order.includes(what)) {
        order.push(what);
        console.log(`      ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      return true;
    };
    await eventually('the service CPU alarm in ALARM', async () => (await alarmState('demo-service-cpu-high')) === 'ALARM' && seen('alarm'), 150_000, 500);
    await eventually('desired count 4', async () => (await service()).desiredCount === 4 && seen('desired 4'), 60_000, 500);
    await eventually('4 container instances', async () => (await instanceCount()) === 4 && seen('4 instances'), 150_000, 500);
    await eventually('4 tasks RUNNING', async () => (await service()).runningCount === 4 && seen('4 tasks'), 150_000, 500).catch(async (e) => {
      const s = await service();
      const health = await sb.aws(['elbv2', 'describe-target-health', '--target-group-arn', s.loadBalancers[0].targetGroupArn]);
      throw new Error(`${e.message}\nservice: desired ${s.desiredCount} running ${s.runningCount} pending ${s.pendingCount}\nevents:\n${s.events.slice(0, 12).map((x: any) => x.message).join('\n')}\ntargets: ${JSON.stringify(health.TargetHealthDescriptions.map((d: any) => [d.Target.Id, d.TargetHealth.State, d.TargetHealth.Reason]))}`);
    });
    assert.deepEqual(order, ['alarm', 'desired 4', '4 instances', '4 tasks'], 'the article\'s order');
    const activities = (await sb.aws(['application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'ecs'])).ScalingActivities;
    assert.ok(activities.some((a: any) => a.Description === 'Setting desired count to 4.' && /monitor alarm demo-service-cpu-high in state ALARM triggered policy cpu-scale-out/.test(a.Cause)));

    ab.kill('SIGINT');
    ab = undefined;
    await eventually('the low alarm', async () => (await alarmState('demo-service-cpu-low')) === 'ALARM', 150_000, 500);
    await eventually('desired count back to 2', async () => (await service()).desiredCount === 2, 120_000, 500);
    await eventually('2 tasks and 2 instances', async () => {
      const s = await service();
      const g = await group();
      return s.runningCount === 2 && g.DesiredCapacity === 2 && (await instanceCount()) === 2 && s.deployments.length === 1;
    }, 240_000, 1000);
  });
});
