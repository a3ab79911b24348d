/**
 * Task logs against moto's CloudWatch Logs and ECS (an AWS emulator this project does not own: the
 * real API shapes, through the same SDK clients and connection the extension uses): the streams a
 * task's awslogs container writes to, following them with GetLogEvents' forward tokens as events
 * are put, a service's tasks interleaved, a filter pattern (FilterLogEvents), jump to time, and a
 * missing log group refused clearly.
 */
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand, RegisterContainerInstanceCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { DescribeImagesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { connectClients, type AwsClients } from '../../src/aws/clients';
import { LogFollower, logsApi, requireLogGroup, serviceLogs, taskLogs, type LogLine } from '../../src/aws/logs';
import { startMoto, type Moto } from './helpers/moto';

const REGION = 'eu-west-1';
const GROUP = '/ecs/logs-app';

describe('task logs against moto (CloudWatch Logs + ECS)', function () {
  this.timeout(60_000);
  let moto: Moto;
  let c: AwsClients;
  let taskArn: string;
  const base = Date.now() - 60_000;

  const put = async (stream: string, ...lines: Array<[number, string]>) => {
    await c.logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: lines.map(([dt, message]) => ({ timestamp: base + dt, message })) }));
  };

  before(async function () {
    moto = await startMoto(this, { MOTO_ECS_SERVICE_RUNNING: '1' });
    c = await connectClients({ kind: 'endpoint', endpoint: moto.endpoint, region: REGION, credentials: { source: 'keys', ...moto.admin } }, { maxAttempts: 1 });
    await c.ecs.send(new CreateClusterCommand({ clusterName: 'logs' }));
    const image = (await c.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0].ImageId!;
    const instanceId = (await c.ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.small', MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;
    await c.ecs.send(new RegisterContainerInstanceCommand({ cluster: 'logs', instanceIdentityDocument: JSON.stringify({ instanceId }) }));
    await c.ecs.send(new RegisterTaskDefinitionCommand({
      family: 'logs-app', networkMode: 'bridge', requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        { name: 'app', image: 'uzresk/demo:ver1.0', memory: 128, essential: true, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': 'ecs', 'awslogs-region': REGION } } },
        { name: 'sidecar', image: 'busybox', memory: 32, essential: false, logConfiguration: { logDriver: 'json-file' } },
      ],
    }));
    taskArn = (await c.ecs.send(new RunTaskCommand({ cluster: 'logs', taskDefinition: 'logs-app:1', count: 1, launchType: 'EC2' }))).tasks![0].taskArn!;
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  });

  after(async () => {
    c?.destroy();
    await moto?.stop();
  });

  it('finds the task\'s stream from its task definition and follows it as events are put', async () => {
    const tl = await taskLogs(c.ecs, 'logs', taskArn);
    const stream = `ecs/app/${taskArn.split('/').pop()}`;
    assert.deepEqual(tl.sources, [{ group: GROUP, stream }]);
    assert.equal(tl.region, REGION);
    await assert.rejects(taskLogs(c.ecs, 'logs', taskArn, { container: 'sidecar' }), /Container sidecar does not send its logs to CloudWatch Logs: it uses the json-file log driver/);
    await requireLogGroup(c.logsIn(tl.region), GROUP);

    const lines: LogLine[] = [];
    const f = new LogFollower(logsApi(c.logsIn(tl.region)), tl.sources, (l) => lines.push(...l), (e) => assert.fail(String(e)));
    // The stream does not exist yet (the container has not written): nothing, no error.
    assert.equal(await f.pollOnce(), 0);
    await c.logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
    await put(stream, [1, 'listening on :8080 (ver1.0)'], [2, 'GET /app/ 200 3ms']);
    assert.equal(await f.pollOnce(), 2);
    assert.equal(await f.pollOnce(), 0, 'caught up: the token came back');
    await put(stream, [3, 'GET /app/loginForm 200 2ms'], [4, 'GET /health 200 1ms']);
    assert.equal(await f.pollOnce(), 2);
    assert.deepEqual(lines.map((l) => l.message), ['listening on :8080 (ver1.0)', 'GET /app/ 200 3ms', 'GET /app/loginForm 200 2ms', 'GET /health 200 1ms']);
    assert.deepEqual(lines.map((l) => l.timestamp), [1, 2, 3, 4].map((d) => base + d));

    // A filter pattern and a start time.
    const filtered: LogLine[] = [];
    const ff = new LogFollower(logsApi(c.logs), tl.sources, (l) => filtered.push(...l), (e) => assert.fail(String(e)), { filterPattern: 'GET', startTime: base + 2 });
    await ff.pollOnce();
    assert.deepEqual(filtered.map((l) => l.message), ['GET /app/ 200 3ms', 'GET /app/loginForm 200 2ms', 'GET /health 200 1ms']);
    await put(stream, [5, 'SIGTERM: shutting down'], [6, 'GET /app/ 200 4ms']);
    await ff.pollOnce();
    assert.deepEqual(filtered.map((l) => l.message).slice(3), ['GET /app/ 200 4ms'], 'only the new matching line, none read twice');
  });

  it('a service: the streams of its tasks interleaved by time, each labelled with the short task id; a task started later joins', async () => {
    // moto starts no tasks for a service and ignores ListTasks' serviceName: the service's own
    // cluster, its tasks started with RunTask (each one then counts as the service's).
    await c.ecs.send(new CreateClusterCommand({ clusterName: 'svc' }));
    const image = (await c.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0].ImageId!;
    const instanceId = (await c.ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.small', MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;
    await c.ecs.send(new RegisterContainerInstanceCommand({ cluster: 'svc', instanceIdentityDocument: JSON.stringify({ instanceId }) }));
    await c.ecs.send(new CreateServiceCommand({ cluster: 'svc', serviceName: 'web', taskDefinition: 'logs-app:1', desiredCount: 2 }));
    const runOne = async () => (await c.ecs.send(new RunTaskCommand({ cluster: 'svc', taskDefinition: 'logs-app:1', count: 1, launchType: 'EC2' }))).tasks![0].taskArn!;
    const first = [await runOne(), await runOne()];
    const sl = await serviceLogs(c.ecs, 'svc', 'web');
    assert.deepEqual(sl.groups, [GROUP]);
    const streamOf = (arn: string) => `ecs/app/${arn.split('/').pop()}`;
    assert.deepEqual(sl.sources.map((x) => x.stream).sort(), first.map(streamOf).sort());
    for (const x of sl.sources) assert.equal(x.label, x.stream.split('/').pop()!.slice(0, 8));
    for (const [i, arn] of first.entries()) {
      await c.logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: streamOf(arn) }));
      await put(streamOf(arn), [10 + i, `task ${i} first`], [20 + i, `task ${i} second`]);
    }
    const lines: LogLine[] = [];
    const f = new LogFollower(logsApi(c.logs), sl.sources, (l) => lines.push(...l), (e) => assert.fail(String(e)), { discover: sl.discover, discoverEveryMs: 0 });
    await f.pollOnce();
    const label = (arn: string) => arn.split('/').pop()!.slice(0, 8);
    assert.deepEqual(lines.map((l) => `${l.label} ${l.message}`), [`${label(first[0])} task 0 first`, `${label(first[1])} task 1 first`, `${label(first[0])} task 0 second`, `${label(first[1])} task 1 second`]);
    const later = await runOne();
    await c.logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: streamOf(later) }));
    await put(streamOf(later), [30, 'replacement started']);
    await f.pollOnce();
    assert.equal(`${lines.at(-1)!.label} ${lines.at(-1)!.message}`, `${label(later)} replacement started`);
  });

  it('a missing log group is refused clearly', async () => {
    await assert.rejects(requireLogGroup(c.logs, '/ecs/nope'), /Log group \/ecs\/nope does not exist/);
  });
});
