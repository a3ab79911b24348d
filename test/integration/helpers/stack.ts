/**
 * The hands-on's stack (sections 1a–1d) built through the real SDK clients against a real sandbox:
 * cluster, two instances in two AZs, demo-app-task, app-demo-lb (security group allowing 80,
 * target group, listener) and demo-service with 2 tasks behind it.
 */
import { SandboxAdmin } from '../../../src/aws/sandbox-admin';
import { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand, ListContainerInstancesCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { EC2Client, DescribeSubnetsCommand, RunInstancesCommand, CreateSecurityGroupCommand, AuthorizeSecurityGroupIngressCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  ElasticLoadBalancingV2Client,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  CreateListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { eventually } from './cli-sandbox';

export interface Stack {
  sb: Sandbox;
  ecs: ECSClient;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  targetGroupArn: string;
  loadBalancerArn: string;
  /** The real URL that answers for the listener (from the admin API). */
  albUrl: string;
  close(): Promise<void>;
}

export const REGION = 'ap-northeast-1';

export function clientsFor(sb: Sandbox, maxAttempts = 3) {
  const config = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts };
  return { ecs: new ECSClient(config), ec2: new EC2Client(config), elb: new ElasticLoadBalancingV2Client(config) };
}

export async function buildStack(opts: { timeScale?: number; healthyThreshold?: number; interval?: number; instancesPerAz?: number } = {}): Promise<Stack> {
  const sb = await startSandbox({ port: 0, timeScale: opts.timeScale ?? 20 });
  const { ecs, ec2, elb } = clientsFor(sb);
  await ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster' }));
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
  const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0].VpcId!;
  const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n').toString('base64');
  for (const s of subnets) {
    const n = opts.instancesPerAz ?? 1;
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: n, MaxCount: n, SubnetId: s.SubnetId, UserData: userData }));
  }
  const instances = subnets.length * (opts.instancesPerAz ?? 1);
  await eventually(`${instances} container instances`, async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: 'demo-cluster' }))).containerInstanceArns?.length ?? 0) === instances);
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'demo-app-task',
      containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 512, memoryReservation: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 80 }] }],
    }),
  );
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-demo-lb-sg', Description: 'ALB', VpcId: vpcId }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const tg = await elb.send(
    new CreateTargetGroupCommand({
      Name: 'app-demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance',
      HealthCheckPath: '/', HealthCheckIntervalSeconds: opts.interval ?? 10, HealthyThresholdCount: opts.healthyThreshold ?? 2, UnhealthyThresholdCount: 2,
    }),
  );
  const targetGroupArn = tg.TargetGroups![0].TargetGroupArn!;
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: subnets.map((s) => s.SubnetId!), SecurityGroups: [sg.GroupId!] }));
  const loadBalancerArn = lb.LoadBalancers![0].LoadBalancerArn!;
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 2,
      loadBalancers: [{ targetGroupArn, containerName: 'demo', containerPort: 8080 }],
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50 },
    }),
  );
  const albUrl = await eventually('the listener URL', async () => {
    const body = await new SandboxAdmin(sb.endpoint, sb.adminToken).loadBalancers();
    return body.loadBalancers[0]?.localUrl ?? body.loadBalancers[0]?.url;
  });
  await eventually(
    'demo-service steady behind the ALB',
    async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
      return s.runningCount === 2 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
    },
    90_000,
  );
  return {
    sb, ecs, ec2, elb, targetGroupArn, loadBalancerArn, albUrl,
    async close() {
      ecs.destroy();
      ec2.destroy();
      elb.destroy();
      await sb.close();
    },
  };
}
