/**
 * CreateService with a load balancer through the real SDK clients: ECS checks the target group the
 * way it does on AWS (exists, attached to a load balancer through a listener, target type fits the
 * network mode), reading what the ELBv2 API created.
 */
import * as assert from 'node:assert/strict';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbv2Service } from '../../src/sandbox/elbv2';
import { services as registry } from '../../src/sandbox/registry';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { rejectsWith } from '../helpers/wait';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

describe('ECS CreateService with an ALB target group through the SDK', () => {
  let sb: Sandbox;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;

  before(async () => {
    const services = registry.some((s) => s.signingName === 'elasticloadbalancing') ? registry : [...registry, elbv2Service];
    sb = await startSandbox({ port: 0, timeScale: 100, runtime: new FakeRuntime(), services, log: () => {} });
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    ecs = new ECSClient(cfg);
    elb = new ElasticLoadBalancingV2Client(cfg);
    recordResponses(ecs, 'ecs', recorded);
    recordResponses(elb, 'elasticloadbalancing', recorded);
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256, portMappings: [{ containerPort: 8080, hostPort: 80 }] }],
      }),
    );
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    ecs?.destroy();
    elb?.destroy();
    await sb?.close();
  });

  it('refuses a missing or unattached target group, then accepts it behind a listener', async () => {
    const ec2 = sb.engine.region(sb.region).ec2;
    const vpcId = Object.values(ec2.vpcs).find((v) => v.isDefault)!.vpcId;
    const subnets = Object.values(ec2.subnets).map((s) => s.subnetId);
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' })))
      .TargetGroups![0].TargetGroupArn!;
    const create = (targetGroupArn: string, serviceName = 'demo-service') =>
      ecs.send(
        new CreateServiceCommand({
          cluster: 'demo-cluster',
          serviceName,
          taskDefinition: 'demo-app-task',
          desiredCount: 2,
          loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }],
          healthCheckGracePeriodSeconds: 10,
        }),
      );
    await rejectsWith(
      create(tg.replace(/\/[0-9a-f]+$/, '/0000000000000000')),
      'InvalidParameterException',
      'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
    );
    await rejectsWith(create(tg), 'InvalidParameterException', `The target group with targetGroupArn ${tg} does not have an associated load balancer.`);

    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: subnets, Type: 'application' }))).LoadBalancers![0];
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }),
    );
    const out = await create(tg);
    assert.deepEqual(out.service?.loadBalancers, [{ targetGroupArn: tg, containerName: 'web', containerPort: 8080 }]);
    assert.equal(out.service?.healthCheckGracePeriodSeconds, 10);
    assert.match(out.service?.roleArn ?? '', /AWSServiceRoleForECS$/);

    const ipTg = (await elb.send(new CreateTargetGroupCommand({ Name: 'ip-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'ip' })))
      .TargetGroups![0].TargetGroupArn!;
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8081, DefaultActions: [{ Type: 'forward', TargetGroupArn: ipTg }] }),
    );
    await rejectsWith(create(ipTg, 'other'), 'InvalidParameterException', /has target type ip, which is incompatible with the bridge network mode/);
  });
});
