/**
 * ELBv2 over the wire: the sandbox server (SigV4, awsQuery decoding, XML encoding) with the ELBv2
 * and EC2 services, driven by the real SDK clients and the AWS CLI.
 */
import assert from 'node:assert/strict';
import { DescribeSubnetsCommand, EC2Client, AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeAccountLimitsCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ResourceInUseException,
  SubnetNotFoundException,
  DescribeSSLPoliciesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Service } from '../../src/sandbox/ec2';
import { elbv2Settings } from '../../src/sandbox/elbv2/model';
import { elbv2Plugin } from '../../src/sandbox/elbv2/plugin';
import { ManualClock } from '../../src/sandbox/engine/clock';
import type { TaskRuntime } from '../../src/sandbox/runtime/runtime';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { runAws } from './helpers/aws-cli';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

const noRuntime: TaskRuntime = {
  bind: () => undefined,
  start: () => undefined,
  stop: () => undefined,
  cpuSeconds: () => undefined,
  url: () => undefined,
  shutdown: async () => undefined,
};

describe('ELBv2 over the wire (SDK + AWS CLI against the sandbox server)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let clock: ManualClock;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  const region = 'ap-northeast-1';

  before(async () => {
    clock = new ManualClock();
    sb = await startSandbox({ port: 0, region, clock, runtime: noRuntime, plugins: [elbv2Plugin], services: [ec2Service], log: () => undefined });
    const cfg = { region, endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 1 };
    elb = new ElasticLoadBalancingV2Client(cfg);
    ec2 = new EC2Client(cfg);
    recordResponses(elb, 'elasticloadbalancing', recorded);
    recordResponses(ec2, 'ec2', recorded);
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    await sb?.close();
  });

  it('creates the hands-on ALB, target group and listener; errors come back as AWS sends them', async () => {
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
    const vpcId = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets![0].VpcId!;
    await assert.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: [subnets[0], 'subnet-0000000000000000a'] })), (e) => e instanceof SubnetNotFoundException);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: subnets }))).LoadBalancers![0];
    assert.equal(lb.State!.Code, 'provisioning');
    assert.ok(lb.CreatedTime instanceof Date);
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0];
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    await assert.rejects(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })), (e) => e instanceof ResourceInUseException);
    assert.deepEqual((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions, []);
    clock.advance(elbv2Settings.provisioningMs);
    assert.equal((await elb.send(new DescribeLoadBalancersCommand({ Names: ['app-demo-lb'] }))).LoadBalancers![0].State!.Code, 'active');
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups![0].GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  });

  it('lists the account limits in pages, the ones the sandbox enforces at the numbers it enforces', async () => {
    const limits: Array<{ Name?: string; Max?: string }> = [];
    let marker: string | undefined;
    do {
      const page = await elb.send(new DescribeAccountLimitsCommand({ PageSize: 5, Marker: marker }));
      limits.push(...page.Limits!);
      marker = page.NextMarker;
    } while (marker);
    const max = (name: string) => limits.find((l) => l.Name === name)?.Max;
    assert.equal(max('application-load-balancers'), '50');
    assert.equal(max('listeners-per-application-load-balancer'), '50');
    assert.equal(max('rules-per-application-load-balancer'), '100');
    assert.ok(limits.length > 10 && new Set(limits.map((l) => l.Name)).size === limits.length, 'every limit once');
  });

  it('lists the predefined SSL policies with their protocols and ciphers; an unknown one is SSLPolicyNotFound', async () => {
    const one = (await elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-2016-08'] }))).SslPolicies!;
    assert.equal(one.length, 1);
    assert.deepEqual(one[0].SslProtocols, ['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    assert.equal(one[0].Ciphers!.length, 18);
    assert.deepEqual(one[0].Ciphers![0], { Name: 'ECDHE-ECDSA-AES128-GCM-SHA256', Priority: 1 });
    assert.deepEqual(one[0].Ciphers![17], { Name: 'AES256-SHA', Priority: 18 });
    assert.deepEqual(one[0].SupportedLoadBalancerTypes, ['application', 'network']);
    const tls13 = (await elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-3-2021-06'] }))).SslPolicies!;
    assert.deepEqual(tls13.map((p) => [p.Name, p.SslProtocols]), [['ELBSecurityPolicy-TLS13-1-3-2021-06', ['TLSv1.3']], ['ELBSecurityPolicy-TLS13-1-2-2021-06', ['TLSv1.2', 'TLSv1.3']]]);
    assert.deepEqual(tls13[0].Ciphers!.map((c) => c.Name), ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
    const page = await elb.send(new DescribeSSLPoliciesCommand({ PageSize: 2 }));
    assert.equal(page.SslPolicies!.length, 2);
    const rest = await elb.send(new DescribeSSLPoliciesCommand({ PageSize: 400, Marker: page.NextMarker }));
    assert.ok(rest.SslPolicies!.length >= 3 && rest.NextMarker === undefined);
    await assert.rejects(elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-Nope'] })), (e: Error) => e.name === 'SSLPolicyNotFoundException' && /ELBSecurityPolicy-Nope/.test(e.message));
  });

  it('the AWS CLI (elbv2) works against it', async function () {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: sb.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sb.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: region,
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    delete env.AWS_PROFILE;
    const aws = async (args: string[]) => {
      const r = await runAws([...args, '--endpoint-url', sb.endpoint, '--output', 'json'], { env, timeoutMs: 60_000 });
      return { code: r.code, out: r.stdout, err: r.stderr };
    };
    const d = await aws(['elbv2', 'describe-load-balancers', '--names', 'app-demo-lb']);
    assert.equal(d.code, 0, d.err);
    const lb = JSON.parse(d.out).LoadBalancers[0];
    assert.equal(lb.LoadBalancerName, 'app-demo-lb');
    assert.match(lb.DNSName, /\.elb\.localhost$/);
    const tgs = JSON.parse((await aws(['elbv2', 'describe-target-groups', '--load-balancer-arn', lb.LoadBalancerArn])).out).TargetGroups;
    assert.equal(tgs[0].TargetGroupName, 'demo-tg');
    const mod = await aws(['elbv2', 'modify-target-group', '--target-group-arn', tgs[0].TargetGroupArn, '--health-check-interval-seconds', '10', '--healthy-threshold-count', '2']);
    assert.equal(mod.code, 0, mod.err);
    assert.equal(JSON.parse(mod.out).TargetGroups[0].HealthyThresholdCount, 2);
    const bad = await aws(['elbv2', 'describe-target-groups', '--names', 'nope']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /TargetGroupNotFound/);
    const reg = await aws(['elbv2', 'register-targets', '--target-group-arn', tgs[0].TargetGroupArn, '--targets', 'Id=i-0123456789abcdef0']);
    assert.notEqual(reg.code, 0);
    assert.match(reg.err, /InvalidTarget/);
  });
});
