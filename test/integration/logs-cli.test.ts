/**
 * Task logs with Debian's AWS CLI (2.9, /usr/bin/aws) against the sandbox, as a reader of the
 * hands-on would follow them: `aws logs tail <group> --follow` prints a task's lines as its demo
 * app serves requests, and `aws logs get-log-events` pages a stream with its forward / backward
 * tokens (the same token back at the end).
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { awsCli, cliEnv, runAws } from './helpers/aws-cli';
import { eventually } from '../helpers/wait';

const REGION = 'ap-northeast-1';
const CLUSTER = 'cli-logs';
const GROUP = '/ecs/cli-demo';

const get = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { 'User-Agent': 'curl/7.88.1' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });

describe('task logs with the AWS CLI: aws logs tail --follow, aws logs get-log-events', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let home: string;
  let taskUrl: string;
  let stream: string;
  let tail: ChildProcessWithoutNullStreams | undefined;

  const env = (): NodeJS.ProcessEnv => cliEnv(home, sb.credentials);
  const globals = () => ['--endpoint-url', sb.endpoint, '--region', REGION];
  const aws = async (args: string[]) => {
    const r = await runAws([...args, ...globals(), '--output', 'json'], { env: env(), timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`aws ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'logs-cli-'));
    sb = await startSandbox({ port: 0, timeScale: 20 });
    const cfg = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 };
    const ecs = new ECSClient(cfg);
    const ec2 = new EC2Client(cfg);
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
      const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
      await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, UserData: userData }));
      await eventually('a container instance', async () => (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns?.length === 1);
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'cli-demo',
          containerDefinitions: [
            {
              name: 'demo', image: 'uzresk/demo:ver2.0', cpu: 128, memory: 128, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0 }],
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' } },
            },
          ],
        }),
      );
      const arn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'cli-demo' }))).tasks![0].taskArn!;
      await eventually('the task RUNNING', async () => (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks![0].lastStatus === 'RUNNING');
      const taskId = arn.split('/').pop()!;
      stream = `ecs/demo/${taskId}`;
      taskUrl = (await new SandboxAdmin(sb.endpoint, sb.adminToken).tasks(REGION)).tasks.find((t) => t.taskId === taskId)!.url!;
    } finally {
      ecs.destroy();
      ec2.destroy();
    }
  });
  after(async () => {
    if (tail && tail.exitCode === null) tail.kill('SIGKILL');
    await sb?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('aws logs tail --follow prints the lines already there, then each new request as it is served', async () => {
    assert.equal(await get(`${taskUrl}/app/`), 200);
    // In a terminal the CLI's lines show at once; into a pipe Python would hold them in its buffer.
    tail = spawn(awsCli, ['logs', 'tail', GROUP, '--follow', ...globals()], { env: { ...env(), PYTHONUNBUFFERED: '1' } });
    let out = '';
    let err = '';
    tail.stdout.on('data', (d) => (out += d));
    tail.stderr.on('data', (d) => (err += d));
    const line = (re: RegExp) => eventually(`a line matching ${String(re)} (stdout: ${out.slice(-500)} stderr: ${err.slice(-500)})`, async () => out.split('\n').find((l) => re.test(l)), 30_000);
    // `<ISO timestamp> <stream> <message>`, the CLI's detailed format.
    const started = await line(/Started DemoApplication ver2\.0 on port 8080/);
    assert.match(started, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 ${stream.replace(/\//g, '\\/')} Started DemoApplication ver2\\.0`));
    await line(/"GET \/app\/ HTTP\/1\.1" 200 \d+ [\d.]+ms "curl\/7\.88\.1"/);
    // A request served while following: its line shows up at the next poll (every 5 s).
    assert.equal(await get(`${taskUrl}/app/loginForm`), 200);
    await line(/"GET \/app\/loginForm HTTP\/1\.1" 200 \d+ [\d.]+ms/);
    tail.kill('SIGINT');
  });

  it('aws logs get-log-events pages a stream forward, and gives back the same token at its end', async () => {
    const first = await aws(['logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', stream, '--start-from-head', '--limit', '1']);
    const events = first.events as { message: string; timestamp: number; ingestionTime: number }[];
    assert.equal(events.length, 1);
    assert.match(events[0].message, /^Starting DemoApplication ver2\.0/);
    assert.match(String(first.nextForwardToken), /^f\/\d{56}$/);
    assert.match(String(first.nextBackwardToken), /^b\/\d{56}$/);
    let token = String(first.nextForwardToken);
    const seen = [events[0].message];
    for (;;) {
      const page = await aws(['logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', stream, '--start-from-head', '--next-token', token]);
      seen.push(...(page.events as { message: string }[]).map((e) => e.message));
      if (page.nextForwardToken === token) break;
      token = String(page.nextForwardToken);
    }
    assert.ok(seen.some((m) => m.includes('"GET /app/loginForm HTTP/1.1" 200')), seen.join('\n'));
    const r = await runAws(['logs', 'create-log-group', '--log-group-name', GROUP, ...globals()], { env: env() });
    assert.equal(r.code, 254);
    assert.match(r.stderr, /An error occurred \(ResourceAlreadyExistsException\) when calling the CreateLogGroup operation: The specified log group already exists/);
  });
});
