/**
 * The hands-on's load must not kill healthy tasks. The stack of the hands-on (2 instances, 2 demo
 * tasks behind an ALB whose target group checks `/app/` with the walkthrough's settings: every 30 s,
 * 5 s timeout, 2 failures to turn unhealthy), in the sandbox CLI's own process at the default time
 * scale (10×), under the article's `ab -c 100` against `/app/loginForm` for 15 s — five health-check
 * intervals. The app is busy, not broken: no task may fail its health checks or be replaced, and
 * no request may get a 503 from an emptied target group.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { eventually, startCliSandbox, type CliSandbox } from './helpers/cli-sandbox';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';
const LOAD_SECONDS = 15;

function profileCredentials(home: string): { accessKeyId: string; secretAccessKey: string } {
  const text = readFileSync(join(home, '.aws', 'credentials'), 'utf8');
  const section = text.split(/^\[/m).find((s) => s.startsWith('ecs-handson-sandbox]'))!;
  const value = (k: string) => new RegExp(`^${k}\\s*=\\s*(\\S+)`, 'm').exec(section)![1];
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key') };
}

describe('the hands-on load (ab -c 100) does not kill healthy tasks', function () {
  this.timeout(180_000);
  let sb: CliSandbox;
  let ecs: ECSClient;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let tgArn = '';
  let albUrl = '';

  const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
  const taskArns = async () => ((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns ?? []).sort();
  const targetStates = async () => ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State);

  before(async () => {
    sb = await startCliSandbox({ timeScale: 10 });
    const config = { endpoint: sb.endpoint, region: 'ap-northeast-1', credentials: profileCredentials(sb.home) };
    ecs = new ECSClient(config);
    ec2 = new EC2Client(config);
    elb = new ElasticLoadBalancingV2Client(config);
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    const vpcId = subnets[0].VpcId!;
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    for (const s of subnets) await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 512, memoryReservation: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 80 }] }],
      }),
    );
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-demo-lb-sg', Description: 'ALB', VpcId: vpcId }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    // Quick checks while the stack comes up; the walkthrough's own settings before the load.
    tgArn = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: 'app-demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance',
          HealthCheckPath: '/app/', HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 5, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
        }),
      )
    ).TargetGroups![0].TargetGroupArn!;
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: subnets.map((s) => s.SubnetId!), SecurityGroups: [sg.GroupId!] }))).LoadBalancers![0];
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    await eventually('2 container instances', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns?.length ?? 0) === 2);
    // The walkthrough's service: minimumHealthyPercent 100, maximumPercent 200, 60 s grace period.
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'demo-app-task', desiredCount: 2, healthCheckGracePeriodSeconds: 60,
        loadBalancers: [{ targetGroupArn: tgArn, containerName: 'demo', containerPort: 8080 }],
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
    );
    await eventually('demo-service steady with 2 healthy targets', async () => {
      const s = await service();
      const states = await targetStates();
      return s.runningCount === 2 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && states.length === 2 && states.every((x) => x === 'healthy');
    }, 90_000);
    await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tgArn, HealthCheckIntervalSeconds: 30, HealthCheckTimeoutSeconds: 5, HealthyThresholdCount: 5, UnhealthyThresholdCount: 2 }));
    // Past the 60 s grace period (6 s real): a failing check would now replace the task.
    await new Promise((r) => setTimeout(r, 6500));
    albUrl = (await sb.admin('/_sandbox/load-balancers')).loadBalancers[0].localUrl;
  });
  after(async () => {
    ecs?.destroy();
    ec2?.destroy();
    elb?.destroy();
    if (sb) await sb.stop();
  });

  it(`${LOAD_SECONDS} s of ab -c 100 on /app/loginForm: every request served, no task replaced, targets healthy`, async () => {
    const before = await taskArns();
    assert.equal(before.length, 2);
    const eventsBefore = new Set((await service()).events!.map((e) => e.id));
    // Target health seen every 250 ms while the load runs.
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const s of await targetStates().catch(() => [])) seen.add(String(s));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const out = await new Promise<string>((resolve, reject) =>
      execFile('ab', ['-q', '-k', '-c', '100', '-t', String(LOAD_SECONDS), '-n', '10000000', `${albUrl}app/loginForm`], { timeout: (LOAD_SECONDS + 30) * 1000, maxBuffer: 1 << 22 }, (e, stdout, stderr) =>
        e && !stdout ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    watching = false;
    await watcher;
    const complete = Number(/Complete requests:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const non2xx = Number(/Non-2xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const failed = Number(/Failed requests:\s+(\d+)/.exec(out)?.[1] ?? 0);
    console.log(`      ${complete} requests in ${LOAD_SECONDS} s, ${non2xx} non-2xx, ${failed} failed; target states seen: ${[...seen].join(', ')}`);

    const s = await service();
    const news = s.events!.filter((e) => !eventsBefore.has(e.id)).map((e) => e.message!);
    assert.ok(complete > 500, `the load ran (${complete} requests)`);
    assert.equal(non2xx, 0, `no 503 / 502 through the ALB:\n${out}\nservice events:\n${news.join('\n')}`);
    assert.equal(failed, 0, `no failed request:\n${out}`);
    assert.deepEqual(news.filter((m) => /is unhealthy in \(target-group/.test(m)), [], 'no task failed its health checks');
    assert.deepEqual(await taskArns(), before, `the same two tasks still run:\n${news.join('\n')}`);
    assert.deepEqual([...seen].filter((x) => x !== 'healthy'), [], 'the targets stayed healthy');
  });
});
