/**
 * The sandbox server with small test services: the real SDK clients (and the AWS CLI) send
 * requests in each protocol and parse the answers, results and errors.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchClient, DeleteAlarmsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeClustersCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import {
  AddTagsCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeEngine, FakeRuntime, fakeEngine, testServices } from './server-helpers';

const execFileP = promisify(execFile);

describe('sandbox server: protocols through the real SDK clients', () => {
  let sb: Sandbox;
  let runtime: FakeRuntime;
  const logs: string[] = [];
  const cfg = (region = 'ap-northeast-1') => ({ endpoint: sb.endpoint, region, credentials: sb.credentials, maxAttempts: 1 });

  before(async () => {
    runtime = new FakeRuntime();
    sb = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime, log: (m) => logs.push(m) });
  });
  after(async () => {
    await sb.close();
  });

  it('listens on 127.0.0.1 with generated credentials', () => {
    assert.match(sb.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sb.credentials.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(sb.credentials.secretAccessKey.length, 40);
    assert.equal(sb.region, 'ap-northeast-1');
  });

  it('awsJson1_1: ECS client creates and lists clusters, keeping state per region', async () => {
    const ecs = new ECSClient(cfg());
    const out = await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    assert.equal(out.cluster?.clusterArn, 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/demo');
    assert.ok(out.$metadata.requestId, 'request id header');
    const west = new ECSClient(cfg('us-west-2'));
    await west.send(new CreateClusterCommand({ clusterName: 'west' }));
    assert.deepEqual((await ecs.send(new ListClustersCommand({}))).clusterArns, ['arn:aws:ecs:ap-northeast-1:123456789012:cluster/demo']);
    assert.deepEqual((await west.send(new ListClustersCommand({}))).clusterArns, ['arn:aws:ecs:us-west-2:123456789012:cluster/west']);
    assert.deepEqual(Object.keys(sb.world.regions).sort(), ['ap-northeast-1', 'us-west-2']);
  });

  it('awsJson1_1: errors come back as the modelled exception with its message', async () => {
    const ecs = new ECSClient(cfg());
    await assert.rejects(ecs.send(new DescribeClustersCommand({ clusters: ['nope'] })), (e: any) => {
      assert.equal(e.name, 'ClusterNotFoundException');
      assert.equal(e.message, 'Cluster not found.');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.$fault, 'client');
      return true;
    });
  });

  it('awsJson1_0 query-compatible: CloudWatch client reads results and x-amzn-query-error codes', async () => {
    const cw = new CloudWatchClient(cfg());
    const out = await cw.send(new ListMetricsCommand({}));
    assert.equal(out.Metrics?.[0]?.MetricName, 'CPUUtilization');
    assert.deepEqual(out.Metrics?.[0]?.Dimensions, [{ Name: 'ClusterName', Value: 'c' }]);
    await assert.rejects(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['x'] })), (e: any) => {
      assert.equal(e.message, 'alarm missing');
      assert.equal(e.Code ?? e.Error?.Code, 'ResourceNotFound');
      return true;
    });
  });

  it('awsQuery: ELBv2 client parses lists, nested structures, timestamps and escaped text', async () => {
    const elb = new ElasticLoadBalancingV2Client(cfg());
    const out = await elb.send(new DescribeLoadBalancersCommand({ Names: ['web', 'api'] }));
    assert.equal(out.LoadBalancers?.length, 2);
    const [web] = out.LoadBalancers;
    assert.equal(web.LoadBalancerName, 'web');
    assert.equal(web.DNSName, 'web.local <&> "x"');
    assert.equal(web.CreatedTime?.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.deepEqual(web.State, { Code: 'active' });
    assert.deepEqual(
      web.AvailabilityZones?.map((z) => z.ZoneName),
      ['ap-northeast-1a', 'ap-northeast-1c'],
    );
    assert.deepEqual(web.SecurityGroups, []);
    assert.ok(out.$metadata.requestId);
  });

  it('awsQuery: X.member.N.Key inputs decode into lists of structures', async () => {
    const elb = new ElasticLoadBalancingV2Client(cfg());
    await elb.send(
      new AddTagsCommand({ ResourceArns: ['arn:1', 'arn:2'], Tags: [{ Key: 'a', Value: 'x&y=z' }, { Key: 'b', Value: 'ü 日本' }] }),
    );
    const out = await elb.send(new DescribeTagsCommand({ ResourceArns: ['arn:1'] }));
    assert.deepEqual(
      out.TagDescriptions?.map((d) => [d.ResourceArn, d.Tags]),
      [
        ['arn:1', [{ Key: 'a', Value: 'x&y=z' }, { Key: 'b', Value: 'ü 日本' }]],
        ['arn:2', [{ Key: 'a', Value: 'x&y=z' }, { Key: 'b', Value: 'ü 日本' }]],
      ],
    );
    const attrs = await elb.send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: 'arn:tg', Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }),
    );
    assert.deepEqual(attrs.Attributes, [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }]);
  });

  it('awsQuery: errors are <ErrorResponse> with the code the client maps to its exception', async () => {
    const elb = new ElasticLoadBalancingV2Client(cfg());
    await assert.rejects(elb.send(new DescribeLoadBalancersCommand({ Names: ['missing'] })), (e: any) => {
      assert.equal(e.name, 'LoadBalancerNotFoundException');
      assert.equal(e.message, 'One or more load balancers not found');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.ok(e.$metadata.requestId);
      return true;
    });
  });

  it('ec2Query: EC2 client sends X.N lists and Filter.N.Value.M, parses <item> lists and booleans', async () => {
    const ec2 = new EC2Client(cfg());
    const def = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.deepEqual(
      def.Vpcs?.map((v) => [v.VpcId, v.IsDefault, v.CidrBlock, v.Tags]),
      [['vpc-1', true, '172.31.0.0/16', [{ Key: 'Name', Value: 'default' }]]],
    );
    const byId = await ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-2'] }));
    assert.deepEqual(
      byId.Vpcs?.map((v) => [v.VpcId, v.IsDefault, v.Tags]),
      [['vpc-2', false, []]],
    );
    assert.ok(def.$metadata.requestId);
    const inst = await ec2.send(new DescribeInstancesCommand({}));
    assert.equal(inst.Reservations?.[0]?.Instances?.[0]?.LaunchTime?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(inst.Reservations?.[0]?.Instances?.[0]?.State?.Name, 'running');
  });

  it('ec2Query: errors are <Response><Errors> and keep dotted codes', async () => {
    const ec2 = new EC2Client(cfg());
    await assert.rejects(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-x'] })), (e: any) => {
      assert.equal(e.name, 'InvalidSubnetID.NotFound');
      assert.equal(e.message, "The subnet ID 'subnet-x' does not exist");
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  it('runs the engine tick on a timer', async () => {
    const e = sb.engine as FakeEngine;
    const before = e.ticks;
    await new Promise((r) => setTimeout(r, 350));
    assert.ok(e.ticks >= before + 2, `ticks ${before} -> ${e.ticks}`);
  });

  it('the AWS CLI v2 works against it (JSON, query and EC2 protocols)', async function () {
    const env = {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      AWS_ACCESS_KEY_ID: sb.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sb.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'ap-northeast-1',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_PAGER: '',
    };
    const aws = async (...args: string[]) =>
      JSON.parse((await execFileP('/usr/bin/aws', ['--endpoint-url', sb.endpoint, '--output', 'json', ...args], { env, timeout: 60_000 })).stdout);
    assert.deepEqual((await aws('ecs', 'list-clusters')).clusterArns, ['arn:aws:ecs:ap-northeast-1:123456789012:cluster/demo']);
    const lbs = await aws('elbv2', 'describe-load-balancers', '--names', 'one');
    assert.equal(lbs.LoadBalancers[0].LoadBalancerName, 'one');
    const vpcs = await aws('ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true');
    assert.deepEqual(
      vpcs.Vpcs.map((v: any) => v.VpcId),
      ['vpc-1'],
    );
    // This CLI still sends CloudWatch as awsQuery: routed to the query-compatible JSON service.
    const metrics = await aws('cloudwatch', 'list-metrics', '--namespace', 'Custom/X');
    assert.deepEqual(metrics.Metrics, [{ Namespace: 'Custom/X', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: 'c' }] }]);
    await assert.rejects(execFileP('/usr/bin/aws', ['--endpoint-url', sb.endpoint, 'cloudwatch', 'delete-alarms', '--alarm-names', 'x'], { env }), (e: any) => {
      assert.match(e.stderr, /ResourceNotFound/);
      assert.match(e.stderr, /alarm missing/);
      return true;
    });
    await assert.rejects(execFileP('/usr/bin/aws', ['--endpoint-url', sb.endpoint, 'ecs', 'describe-clusters', '--clusters', 'nope'], { env }), (e: any) => {
      assert.match(e.stderr, /ClusterNotFoundException/);
      assert.match(e.stderr, /Cluster not found\./);
      return true;
    });
  });
});
