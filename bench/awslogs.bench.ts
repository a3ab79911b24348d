/**
 * What the awslogs log driver costs under the hands-on's load: two demo tasks in one sandbox, one
 * whose container logs with `awslogs` (each access-log line shipped to CloudWatch Logs) and one
 * without, under `ab -k -c 100` straight to each task's port, on the hands-on's path
 * (/app/loginForm: CPU work in the task) and on a trivial one (/app/health: the per-line cost
 * dominates). Rounds alternate which task goes first; medians are compared. Printed per path:
 * requests/s and the sandbox process's CPU per request (it reads every line the task prints, and
 * with awslogs also stores it), with the ratios awslogs/none. Then the state a full group leaves:
 * events held, the state file's size and one JSON.stringify of it (what a save costs).
 *
 *   npx tsx bench/awslogs.bench.ts [--rounds 3] [--n-app 3000] [--n-trivial 20000] [--c 100] [--path P]
 *
 * Targets: awslogs keeps ≥ 0.9x the requests/s of no driver on either path; a save of the state
 * with a full group (10,000 access lines) takes < 50 ms. `TARGET MISSED` when one is not met.
 */
import { execFile } from 'node:child_process';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { SandboxAdmin } from '../src/aws/sandbox-admin';
import { existingLogsState } from '../src/sandbox/logs/model';
import { startSandbox } from '../src/sandbox/server';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const concurrency = Number(opt('c', '100'));
const rounds = Number(opt('rounds', '3'));
const onlyPath = opt('path', '');
const PATHS = [
  { path: '/app/loginForm', n: Number(opt('n-app', '3000')) },
  { path: '/app/health', n: Number(opt('n-trivial', '20000')) },
].filter((p) => !onlyPath || p.path === onlyPath);
const REGION = 'ap-northeast-1';
const CLUSTER = 'bench';

function ab(url: string, n: number): Promise<{ rps: number; failed: number; complete: number }> {
  return new Promise((res, rej) =>
    execFile('ab', ['-q', '-k', '-n', String(n), '-c', String(concurrency), url], { maxBuffer: 1 << 24, timeout: 600_000 }, (e, out, err) => {
      if (e && !out) return rej(new Error(`ab failed: ${e.message}\n${err}`));
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
      res({ rps: num(/Requests per second:\s+([\d.]+)/), failed: num(/Failed requests:\s+(\d+)/), complete: num(/Complete requests:\s+(\d+)/) });
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const sb = await startSandbox({ port: 0, timeScale: 50, log: () => undefined });
  const cfg = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials };
  const ecs = new ECSClient(cfg);
  const ec2 = new EC2Client(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const missed: string[] = [];
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, UserData: userData }));
    while (((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns?.length ?? 0) < 1) await sleep(100);
    const family = async (name: string, awslogs: boolean) =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: name,
          containerDefinitions: [
            {
              name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0 }],
              ...(awslogs ? { logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/bench', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' } } } : {}),
            },
          ],
        }),
      );
    await family('none', false);
    await family('awslogs', true);
    const urls: Record<string, string> = {};
    for (const name of ['none', 'awslogs']) {
      const arn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: name }))).tasks![0].taskArn!;
      while ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks![0].lastStatus !== 'RUNNING') await sleep(100);
      const id = arn.split('/').pop();
      urls[name] = (await new SandboxAdmin(sb.endpoint, sb.adminToken).tasks(REGION)).tasks.find((t) => t.taskId === id)!.url!;
    }

    console.log(`ab -k -c ${concurrency}, ${rounds} rounds per path, alternating; medians. CPU: this (the sandbox's) process per request.`);
    console.log('path              driver    req/s   sandbox µs/req   failed');
    for (const { path, n } of PATHS) {
      const runs: Record<string, { rps: number; cpu: number; failed: number }[]> = { none: [], awslogs: [] };
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 === 0 ? ['none', 'awslogs'] : ['awslogs', 'none']) {
          await sleep(300); // let the previous run's lines drain
          const before = process.cpuUsage();
          const res = await ab(`${urls[name]}${path}`, n);
          await sleep(300);
          const used = process.cpuUsage(before);
          runs[name].push({ rps: res.rps, cpu: (used.user + used.system) / res.complete, failed: res.failed });
        }
      }
      const m = (name: string) => ({ rps: median(runs[name].map((x) => x.rps)), cpu: median(runs[name].map((x) => x.cpu)), failed: runs[name].reduce((a, x) => a + x.failed, 0) });
      const none = m('none');
      const withLogs = m('awslogs');
      for (const [name, x] of [['none', none], ['awslogs', withLogs]] as const) console.log(`${path.padEnd(17)} ${name.padEnd(8)} ${x.rps.toFixed(0).padStart(6)}   ${x.cpu.toFixed(1).padStart(14)}   ${String(x.failed).padStart(6)}`);
      const ratio = withLogs.rps / none.rps;
      console.log(`${path.padEnd(17)} awslogs/none: req/s ${ratio.toFixed(2)}x, sandbox CPU per request +${(withLogs.cpu - none.cpu).toFixed(1)} µs`);
      if (ratio < 0.9) missed.push(`${path}: awslogs at ${ratio.toFixed(2)}x the requests/s of no driver (target ≥ 0.9x)`);
      if (withLogs.failed || none.failed) missed.push(`${path}: failed requests (${withLogs.failed} with awslogs, ${none.failed} without)`);
    }

    const group = existingLogsState(sb.world.regions[REGION])!.groups['/ecs/bench'];
    const started = performance.now();
    const text = JSON.stringify(sb.world);
    const ms = performance.now() - started;
    const described = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/bench' }))).logGroups![0];
    console.log(`state with the full group: ${group.count} events held (${group.seq} shipped, the oldest dropped), ${described.storedBytes} bytes of messages; state JSON ${(text.length / 1024).toFixed(0)} KiB, JSON.stringify ${ms.toFixed(1)} ms`);
    if (ms >= 50) missed.push(`JSON.stringify of the state with a full group took ${ms.toFixed(1)} ms (target < 50 ms)`);
  } finally {
    for (const c of [ecs, ec2, logs]) c.destroy();
    await sb.close();
  }
  for (const m of missed) console.log(`TARGET MISSED: ${m}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
