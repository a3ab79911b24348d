/**
 * Limits like ECS, through the real SDK clients:
 * - a task definition whose RegisterTaskDefinition JSON is over 64 KiB is refused with ECS's
 *   ClientException (a ~900 KB one used to be accepted);
 * - the sandbox CLI's `--max-tasks N`: tasks beyond N live task processes fail to start
 *   (STOPPED, TaskFailedToStart) with a reason naming the limit, and the service says so in an
 *   event (nothing capped the number of task processes before).
 */
import * as assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { eventually } from './helpers/cli-sandbox';

const MAIN = path.resolve('src/sandbox/main.ts');

describe('limits like ECS', function () {
  this.timeout(90_000);

  describe('task definition size', () => {
    let sb: Sandbox;
    let ecs: ECSClient;
    before(async () => {
      sb = await startSandbox({ port: 0, runtime: new FakeRuntime(), log: () => undefined });
      ecs = new ECSClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 });
    });
    after(async () => {
      ecs?.destroy();
      await sb?.close();
    });

    const withEnv = (bytes: number) => ({
      family: 'big',
      containerDefinitions: [
        {
          name: 'app',
          image: 'uzresk/demo:ver1.0',
          memory: 128,
          environment: Array.from({ length: Math.ceil(bytes / 1000) }, (_, i) => ({ name: `VAR_${i}`, value: 'v'.repeat(970) })),
        },
      ],
    });

    it('refuses a task definition over 64 KiB with ClientException and registers nothing; accepts one just under', async () => {
      for (const bytes of [70_000, 900_000]) {
        await assert.rejects(ecs.send(new RegisterTaskDefinitionCommand(withEnv(bytes))), (e: any) => {
          assert.equal(e.name, 'ClientException', e.message);
          assert.equal(e.$metadata?.httpStatusCode, 400);
          assert.match(e.message, /^Actual length: '\d+'\. Max allowed length is '65536' bytes\.$/);
          assert.ok(Number(/'(\d+)'/.exec(e.message)![1]) > 65_536);
          return true;
        });
      }
      assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns, []);
      const ok = await ecs.send(new RegisterTaskDefinitionCommand(withEnv(60_000)));
      assert.equal(ok.taskDefinition?.revision, 1);
      assert.equal(ok.taskDefinition?.containerDefinitions?.[0].environment?.length, 60);
    });
  });

  describe('the sandbox CLI --max-tasks', () => {
    let home: string;
    let child: ChildProcess | undefined;
    before(() => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-limits-'));
    });
    after(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.send({ type: 'shutdown' });
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(home, { recursive: true, force: true });
    });

    it('refuses bad values, and fails tasks beyond the limit to start with a reason and a service event', async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
      for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
      const bad = fork(MAIN, ['--max-tasks', '0', '--no-profile'], { execArgv: ['--import', 'tsx'], env, stdio: 'ignore' });
      const badMsg = await new Promise<any>((r) => bad.once('message', r));
      assert.deepEqual(badMsg, { type: 'error', message: "--max-tasks must be an integer from 1 to 100000, got '0'" });

      child = fork(MAIN, ['--port', '0', '--state', path.join(home, 'state.json'), '--no-profile', '--time-scale', '100', '--max-tasks', '2'], {
        execArgv: ['--import', 'tsx'],
        env,
        stdio: 'ignore',
      });
      const ready = await new Promise<any>((r) => child!.once('message', r));
      assert.equal(ready.type, 'ready');
      const config = { endpoint: ready.endpoint, region: ready.region, credentials: { accessKeyId: ready.accessKeyId, secretAccessKey: ready.secretAccessKey }, maxAttempts: 1 };
      const ecs = new ECSClient(config);
      const ec2 = new EC2Client(config);
      await ecs.send(new CreateClusterCommand({ clusterName: 'capped' }));
      const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=capped >> /etc/ecs/ecs.config\n').toString('base64');
      await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.xlarge', MinCount: 1, MaxCount: 1, UserData: userData }));
      await eventually('a container instance', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: 'capped' }))).containerInstanceArns?.length ?? 0) === 1);
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'app',
          containerDefinitions: [{ name: 'app', image: 'uzresk/demo:ver1.0', cpu: 128, memory: 128, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
        }),
      );
      await ecs.send(new CreateServiceCommand({ cluster: 'capped', serviceName: 'web', taskDefinition: 'app', desiredCount: 3 }));

      const event = await eventually('the limit event', async () => {
        const svc = (await ecs.send(new DescribeServicesCommand({ cluster: 'capped', services: ['web'] }))).services![0];
        return svc.runningCount === 2 && svc.events?.find((e) => e.message?.includes("sandbox's limit of 2 running task processes"));
      });
      assert.equal(
        event.message,
        "(service web) was unable to start a task because the sandbox's limit of 2 running task processes was reached. Stop tasks or scale services down, or restart the sandbox with a higher limit (ecs-handson-sandbox --max-tasks N).",
      );
      const stopped = (await ecs.send(new ListTasksCommand({ cluster: 'capped', desiredStatus: 'STOPPED' }))).taskArns!;
      assert.ok(stopped.length >= 1);
      const t = (await ecs.send(new DescribeTasksCommand({ cluster: 'capped', tasks: stopped }))).tasks![0];
      assert.equal(t.lastStatus, 'STOPPED');
      assert.equal(t.stopCode, 'TaskFailedToStart');
      assert.equal(
        t.stoppedReason,
        'SandboxTaskLimitReached: this sandbox runs at most 2 task processes at a time and 2 are running. Stop tasks or scale services down, or restart the sandbox with a higher --max-tasks.',
      );
      // The two tasks that run are real processes answering HTTP.
      const { tasks } = await new SandboxAdmin(ready.endpoint, ready.adminToken).tasks();
      assert.equal(tasks.length, 2);
      for (const x of tasks) assert.equal((await fetch(`${x.url!}/app/`)).status, 200);
      ecs.destroy();
      ec2.destroy();
    });
  });
});
