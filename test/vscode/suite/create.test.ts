/**
 * The "create" commands run with argument objects inside real VS Code, against the sandbox the
 * extension starts: section 1 of the hands-on (cluster → task definition → revision → load
 * balancer → service), checked through the AWS SDK, plus bad input that must create nothing.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsClients } from '../../../src/aws';
import type { Services } from '../../../src/ui/services';

type AwsModule = typeof import('../../../src/aws');

const extensionId = 'ecs-handson.ecs-handson';
const MANAGED = { key: 'ecs-handson:managed', value: 'true' };

describe('Create commands (sandbox)', function () {
  this.timeout(120_000);
  let services: Services;
  let clients: AwsClients;
  let aws: AwsModule;
  let endpoint: string;
  let lbUrls: { url: string; localUrl?: string } | undefined;

  const run = async <T>(id: string, args: unknown): Promise<T> => (await vscode.commands.executeCommand(id, args)) as T;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
      await sleep(500);
    }
  }

  before(async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    services = (await ext.activate()) as Services;
    clients = await services.connections.clients();
    endpoint = services.connections.sandboxEndpoint!;
    assert.ok(endpoint, 'the extension should be connected to its sandbox');
    const res = await fetch(`${endpoint}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 200, await res.text());
    // The very module the extension loads (dist/aws.js): clients and command classes match.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    aws = require(path.join(ext.extensionPath, 'dist', 'aws.js')) as AwsModule;
  });

  it('cluster.create refuses an invalid name with a clear error and creates nothing', async () => {
    const result = await run<{ error?: string; field?: string }>('ecsHandson.cluster.create', { name: 'demo cluster!', waitSeconds: 0 });
    assert.ok(result && typeof result.error === 'string', `expected an error result, got ${JSON.stringify(result)}`);
    assert.match(result.error, /Cluster name: Use only letters, digits, hyphens \(-\) and underscores \(_\)\./);
    const clusters = await clients.ecs.send(new aws.ListClustersCommand({}));
    assert.deepEqual(clusters.clusterArns ?? [], []);
    const reservations = (await clients.ec2.send(new aws.DescribeInstancesCommand({}))).Reservations ?? [];
    assert.deepEqual(reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId), []);
  });

  it('cluster.create refuses subnets in a single AZ before creating anything', async () => {
    const subnets = (await clients.ec2.send(new aws.DescribeSubnetsCommand({}))).Subnets ?? [];
    const one = subnets[0].SubnetId!;
    const result = await run<{ error?: string }>('ecsHandson.cluster.create', { subnetIds: [one], waitSeconds: 0 });
    assert.match(result.error ?? '', /at least two Availability Zones/);
    assert.deepEqual((await clients.ecs.send(new aws.ListClustersCommand({}))).clusterArns ?? [], []);
  });

  it('cluster.create makes demo-cluster with 2 container instances in 2 AZs', async () => {
    const result = await run<{ clusterArn: string; instanceIds: string[]; containerInstanceArns: string[]; error?: string }>('ecsHandson.cluster.create', { waitSeconds: 90 });
    assert.equal(result.error, undefined, result.error);
    assert.match(result.clusterArn, /:cluster\/demo-cluster$/);
    assert.equal(result.instanceIds.length, 2);
    assert.equal(result.containerInstanceArns.length, 2);
    const cluster = (await clients.ecs.send(new aws.DescribeClustersCommand({ clusters: ['demo-cluster'], include: ['SETTINGS', 'TAGS'] }))).clusters?.[0];
    assert.equal(cluster?.status, 'ACTIVE');
    assert.equal(cluster?.registeredContainerInstancesCount, 2);
    assert.deepEqual(cluster?.settings?.find((x) => x.name === 'containerInsights')?.value, 'disabled');
    assert.ok(cluster?.tags?.some((x) => x.key === MANAGED.key && x.value === MANAGED.value), 'cluster tagged ecs-handson:managed=true');
    const cis = (await clients.ecs.send(new aws.DescribeContainerInstancesCommand({ cluster: 'demo-cluster', containerInstances: result.containerInstanceArns }))).containerInstances ?? [];
    const azs = new Set(cis.map((c) => c.attributes?.find((x) => x.name === 'ecs.availability-zone')?.value));
    assert.equal(azs.size, 2, `container instances in AZs ${[...azs].join(', ')}`);
    assert.ok(cis.every((c) => c.attributes?.find((x) => x.name === 'ecs.instance-type')?.value === 't3.small'), 'instance type t3.small');
  });

  it('taskDefinition.register refuses hard < soft memory and registers nothing', async () => {
    const result = await run<{ error?: string }>('ecsHandson.taskDefinition.register', { memory: 128, memoryReservation: 256 });
    assert.match(result.error ?? '', /Memory: The hard limit \(128 MiB\) must be greater than or equal to the soft limit \(256 MiB\)\./);
    const bad = await run<{ error?: string; field?: string }>('ecsHandson.taskDefinition.register', {
      document: { family: 'demo-app-task', containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 'lots' }] },
    });
    assert.equal(bad.field, '$.containerDefinitions[0].memory');
    assert.match(bad.error ?? '', /\$\.containerDefinitions\[0\]\.memory: Expected an integer, found string\./);
    const families = await clients.ecs.send(new aws.ListTaskDefinitionFamiliesCommand({}));
    assert.deepEqual(families.families ?? [], []);
  });

  it('taskDefinition.register makes demo-app-task:1 with the hands-on values', async () => {
    const result = await run<{ taskDefinitionArn: string; revision: number; error?: string }>('ecsHandson.taskDefinition.register', { environment: { GREETING: 'hello, world' } });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 1);
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:1' }))).taskDefinition!;
    const c = td.containerDefinitions![0];
    assert.equal(c.image, 'uzresk/demo:ver1.0');
    assert.equal(c.cpu, 256);
    assert.equal(c.memory, 512);
    assert.equal(c.memoryReservation, 256);
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort]), [[8080, 80]]);
    assert.deepEqual(c.environment, [{ name: 'GREETING', value: 'hello, world' }]);
  });

  it('taskDefinition.registerRevision makes revision 2 with ver2.0 and keeps the rest', async () => {
    const result = await run<{ taskDefinitionArn: string; revision: number; changes: string[]; error?: string }>('ecsHandson.taskDefinition.registerRevision', {
      family: 'demo-app-task',
      image: 'uzresk/demo:ver2.0',
    });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 2);
    assert.deepEqual(result.changes, ['Container "demo-app": image uzresk/demo:ver1.0 → uzresk/demo:ver2.0']);
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:2' }))).taskDefinition!;
    const c = td.containerDefinitions![0];
    assert.equal(c.image, 'uzresk/demo:ver2.0');
    assert.equal(c.memory, 512);
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort]), [[8080, 80]]);
    const same = await run<{ error?: string }>('ecsHandson.taskDefinition.registerRevision', { taskDefinition: 'demo-app-task:2', image: 'uzresk/demo:ver2.0' });
    assert.match(same.error ?? '', /Nothing changed compared to demo-app-task:2\./);
  });

  it('loadBalancer.create makes app-demo-lb with its security group, target group and listener', async () => {
    const bad = await run<{ error?: string }>('ecsHandson.loadBalancer.create', { name: '-app-demo-lb' });
    assert.match(bad.error ?? '', /Load balancer name: The name must not begin or end with a hyphen\./);

    const result = await run<{ loadBalancerArn: string; targetGroupArn: string; listenerArn: string; securityGroupId: string; url: string; localUrl?: string; registeredInstanceIds: string[]; error?: string }>(
      'ecsHandson.loadBalancer.create',
      { registerInstancesOf: 'demo-cluster' },
    );
    assert.equal(result.error, undefined, result.error);
    const lb = (await clients.elbv2.send(new aws.DescribeLoadBalancersCommand({ Names: ['app-demo-lb'] }))).LoadBalancers![0];
    assert.equal(lb.Type, 'application');
    assert.equal(lb.State?.Code, 'active');
    assert.equal(new Set(lb.AvailabilityZones?.map((z) => z.ZoneName)).size, 2);
    assert.deepEqual(lb.SecurityGroups, [result.securityGroupId]);
    const sg = (await clients.ec2.send(new aws.DescribeSecurityGroupsCommand({ GroupIds: [result.securityGroupId] }))).SecurityGroups![0];
    assert.equal(sg.GroupName, 'app-demo-lb-sg');
    assert.ok(sg.IpPermissions?.some((p) => p.FromPort === 80 && p.ToPort === 80 && p.IpRanges?.some((r) => r.CidrIp === '0.0.0.0/0')), 'SG allows 80 from anywhere');
    const listeners = (await clients.elbv2.send(new aws.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    assert.deepEqual(listeners.map((l) => [l.Protocol, l.Port, l.DefaultActions?.[0]?.Type, l.DefaultActions?.[0]?.TargetGroupArn]), [['HTTP', 80, 'forward', result.targetGroupArn]]);
    const tg = (await clients.elbv2.send(new aws.DescribeTargetGroupsCommand({ TargetGroupArns: [result.targetGroupArn] }))).TargetGroups![0];
    assert.equal(tg.TargetGroupName, 'app-demo-lb-tg');
    assert.equal(tg.TargetType, 'instance');
    assert.equal(tg.HealthCheckPath, '/');
    assert.equal(result.registeredInstanceIds.length, 2);
    const targets = (await clients.elbv2.send(new aws.DescribeTargetHealthCommand({ TargetGroupArn: result.targetGroupArn }))).TargetHealthDescriptions ?? [];
    assert.deepEqual(targets.map((x) => x.Target?.Id).sort(), [...result.registeredInstanceIds].sort());
    // The sandbox tells the listener's real port: the endpoint is <name>-<n>.<region>.elb.localhost:<port>.
    assert.match(result.url, /^http:\/\/app-demo-lb-\d+\.[a-z0-9-]+\.elb\.localhost:\d+\/$/);
    assert.match(result.localUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    lbUrls = result;
  });

  it('service.create runs demo-service with 2 RUNNING tasks behind the target group', async () => {
    const result = await run<{ serviceArn: string; clusterArn: string; taskDefinitionArn: string; error?: string }>('ecsHandson.service.create', {
      taskDefinition: 'demo-app-task:1',
      loadBalancer: { targetGroupName: 'app-demo-lb-tg' },
    });
    assert.equal(result.error, undefined, result.error);
    assert.match(result.serviceArn, /service\/demo-cluster\/demo-service$/);
    const svc = (await clients.ecs.send(new aws.DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
    assert.equal(svc.desiredCount, 2);
    assert.equal(svc.deploymentConfiguration?.maximumPercent, 200);
    assert.equal(svc.deploymentConfiguration?.minimumHealthyPercent, 100);
    assert.equal(svc.loadBalancers?.[0]?.containerName, 'demo-app');
    assert.equal(svc.loadBalancers?.[0]?.containerPort, 8080);
    assert.equal(svc.healthCheckGracePeriodSeconds, 60);
    await until('2 RUNNING tasks', 90_000, async () => {
      const s = (await clients.ecs.send(new aws.DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
      return s.runningCount === 2 ? true : undefined;
    });
    // Section 1d's observation: <ALB endpoint>/app/ answers, from both tasks in turn.
    assert.ok(lbUrls?.localUrl, 'load balancer test ran first');
    const taskIds = await until('both tasks answering through the load balancer', 60_000, async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${lbUrls!.localUrl}app/?format=json`);
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as { version?: string; taskId?: string };
        assert.equal(body.version, 'ver1.0');
        seen.add(String(body.taskId));
      }
      return seen.size === 2 ? seen : undefined;
    });
    assert.equal(taskIds.size, 2);
  });

  it('cluster.create with an Auto Scaling group: creates it, or is refused before creating anything', async () => {
    const result = await run<{ clusterArn?: string; autoScalingGroupName?: string; containerInstanceArns?: string[]; error?: string }>('ecsHandson.cluster.create', {
      name: 'asg-cluster',
      capacity: 'autoScalingGroup',
      count: 1,
      waitSeconds: 60,
    });
    const clusters = (await clients.ecs.send(new aws.DescribeClustersCommand({ clusters: ['asg-cluster'] }))).clusters ?? [];
    if (result.error !== undefined) {
      // A sandbox (or emulator) without EC2 Auto Scaling: its refusal is the result, and nothing exists.
      assert.ok(result.error.length > 0);
      assert.deepEqual(clusters.filter((c) => c.status === 'ACTIVE'), [], 'no cluster created when Auto Scaling refused');
      console.log(`      (EC2 Auto Scaling refused: ${result.error})`);
    } else {
      assert.equal(result.autoScalingGroupName, 'asg-cluster-asg');
      assert.equal(clusters[0]?.status, 'ACTIVE');
      assert.equal(result.containerInstanceArns?.length, 1);
    }
  });
});
