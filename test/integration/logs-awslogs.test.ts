/**
 * The awslogs log driver with real task processes, seen through the real SDK clients: a task whose
 * container definition says `logDriver: awslogs` has what its demo app prints — the start-up line
 * with its version and port, one access-log line per request, its shutdown on SIGTERM — in
 * `<awslogs-group>` / `<prefix>/<container>/<task id>`, timestamped on the sandbox clock; a task
 * whose group is missing (and may not be created) fails to start with ECS's stopped reason.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ContainerDefinition,
  type Task,
} from '@aws-sdk/client-ecs';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { eventually } from '../helpers/wait';

const REGION = 'ap-northeast-1';
const CLUSTER = 'logs-cluster';
const NOT_FOUND_REASON =
  'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.';

function get(url: string, userAgent: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'User-Agent': userAgent }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('awslogs log driver: real task processes ship their output to CloudWatch Logs', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;

  const container = (name: string, options: Record<string, string>): ContainerDefinition => ({
    name,
    image: 'uzresk/demo:ver1.0',
    cpu: 128,
    memory: 128,
    essential: true,
    portMappings: [{ containerPort: 8080, hostPort: 0 }],
    logConfiguration: { logDriver: 'awslogs', options },
  });
  const run = async (family: string): Promise<string> => (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family }))).tasks![0].taskArn!;
  const describe = async (arn: string): Promise<Task> => (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks![0];
  const until = (arn: string, status: string) => eventually(`task ${status}`, async () => ((await describe(arn)).lastStatus === status ? describe(arn) : undefined), 60_000);
  const messages = async (group: string, stream: string) =>
    (await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))).events ?? [];

  before(async () => {
    sb = await startSandbox({ port: 0, timeScale: 20 });
    const cfg = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 };
    ecs = new ECSClient(cfg);
    logs = new CloudWatchLogsClient(cfg);
    const ec2 = new EC2Client(cfg);
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, UserData: userData }));
    ec2.destroy();
    await eventually('a container instance', async () => (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns?.length === 1);
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'logged',
        containerDefinitions: [container('demo', { 'awslogs-group': '/ecs/logged', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' })],
      }),
    );
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'no-group',
        containerDefinitions: [container('web', { 'awslogs-group': '/ecs/missing', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'app' })],
      }),
    );
  });
  after(async () => {
    ecs?.destroy();
    logs?.destroy();
    await sb?.close();
  });

  it("ships the demo app's start-up, access-log and shutdown lines to <group> / <prefix>/<container>/<task id>, on the sandbox clock", async () => {
    const arn = await run('logged');
    const taskId = arn.split('/').pop()!;
    const task = await until(arn, 'RUNNING');
    // awslogs-create-group: the group was created at the container's start, with its stream.
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }))).logGroups!.map((g) => g.logGroupName), ['/ecs/logged']);
    const stream = `ecs/demo/${taskId}`;
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/logged' }))).logStreams!.map((s) => s.logStreamName), [stream]);

    const entry = (await new SandboxAdmin(sb.endpoint, sb.adminToken).tasks(REGION)).tasks.find((t) => t.taskId === taskId)!;
    assert.equal(await get(`${entry.url}/app/`, 'logs-test/1.0'), 200);
    assert.equal(await get(`${entry.url}/nope?x=1`, 'logs-test/1.0'), 404);
    const lines = await eventually('the access-log lines', async () => {
      const m = (await messages('/ecs/logged', stream)).map((e) => e.message!);
      return m.some((l) => l.includes('/nope')) ? m : undefined;
    });
    assert.match(lines[0], /^Starting DemoApplication ver1\.0 \(image uzresk\/demo:ver1\.0\) for task [0-9a-f]{32} on i-[0-9a-f]+ \(ap-northeast-1[a-z]\)$/);
    assert.match(lines[1], /^Started DemoApplication ver1\.0 on port 8080 \(http\) in \d+\.\d{3} seconds$/);
    assert.ok(lines.some((l) => /^127\.0\.0\.1 "GET \/app\/ HTTP\/1\.1" 200 \d+ \d+\.\dms "logs-test\/1\.0"$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^127\.0\.0\.1 "GET \/nope\?x=1 HTTP\/1\.1" 404 \d+ \d+\.\dms "logs-test\/1\.0"$/.test(l)), lines.join('\n'));

    // Timestamps are the sandbox's (20x faster than the wall clock), between the task's creation and now.
    const events = await messages('/ecs/logged', stream);
    const created = task.createdAt!.getTime();
    for (const e of events) assert.ok(e.timestamp! >= created && e.timestamp! <= sb.clock.now(), `${e.timestamp} in [${created}, ${sb.clock.now()}]`);
    assert.ok(events[events.length - 1].timestamp! > Date.now() + 5_000, 'stamped by the sandbox clock, ahead of the wall clock');

    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn, reason: 'test' }));
    await until(arn, 'STOPPED');
    const last = (await messages('/ecs/logged', stream)).map((e) => e.message!).slice(-2);
    assert.match(last[0], /^Received SIGTERM: shutting down, no longer accepting connections \(0 requests in flight\)$/);
    assert.match(last[1], /^Stopped DemoApplication ver1\.0 after serving \d+ requests$/);
  });

  it('fails a task whose log group is missing (and may not be created) as ECS does; it starts once the group exists', async () => {
    const arn = await run('no-group');
    const stopped = await until(arn, 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart');
    assert.equal(stopped.stoppedReason, NOT_FOUND_REASON);
    assert.equal(stopped.containers![0].reason, NOT_FOUND_REASON);
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/missing' }))).logGroups, [], 'not created');

    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/missing' }));
    const again = await run('no-group');
    await until(again, 'RUNNING');
    const stream = `app/web/${again.split('/').pop()}`;
    const lines = await eventually('the start-up lines', async () => {
      const m = (await messages('/ecs/missing', stream)).map((e) => e.message!);
      return m.length >= 2 ? m : undefined;
    });
    assert.match(lines[1], /^Started DemoApplication ver1\.0 on port 8080/);
  });
});
