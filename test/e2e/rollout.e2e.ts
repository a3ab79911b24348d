/**
 * Browser end-to-end test of the rollout status bar item and view: real VS Code (code-server) in
 * headless Chromium with this checkout as a development extension, against a sandbox this test
 * starts on the extension's own state file (so the extension finds it "already running" and uses
 * it). The hands-on's rollouts are made with the SDK, as another user or the CLI would; the
 * extension finds them with "Show Rollout" from the palette.
 *
 *   npm run build && npx tsx test/e2e/rollout.e2e.ts
 *
 * Screenshots: test/e2e/screenshots/rollout-*.png (in progress, view, completed, stuck + tooltip,
 * view of the stuck rollout). Exits 1 on failure.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Page } from 'playwright-core';
import {
  checkPrerequisites,
  clearNotifications,
  launchBrowser,
  log,
  openSession,
  repoRoot,
  runCommand,
  runE2e,
  screenshot,
  statusBarItem,
  waitForNotification,
  webviewFrame,
  type WorkbenchSession,
} from './harness';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';
const REGION = 'ap-northeast-1';
const TIME_SCALE = 5;

interface Sandbox {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  child: ChildProcess;
}

/** Starts dist/sandbox.js on `stateFile` and reads its endpoint and credentials from its banner. */
async function startSandbox(stateFile: string): Promise<Sandbox> {
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/sandbox.js'), '--port', '0', '--state', stateFile, '--time-scale', String(TIME_SCALE), '--region', REGION, '--no-profile'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${out}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}:\n${out}`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const endpoint = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const keys = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out);
      if (endpoint && keys) {
        clearTimeout(timer);
        resolve({ endpoint, credentials: { accessKeyId: keys[1], secretAccessKey: keys[2] }, child });
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(what: string, fn: () => Promise<T | false | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? String(last) : JSON.stringify(last)}` : ''}`);
}

const container = (image: string, hostPort: number) => ({
  name: 'demo', image, cpu: 256, memory: 512, essential: true,
  portMappings: [{ containerPort: 8080, hostPort, protocol: 'tcp' as const }],
});

/** The rollout item's visible text (codicons are icons, not text). */
async function rolloutText(page: Page, re: RegExp, timeout = 30_000): Promise<string> {
  const item = statusBarItem(page, re).first();
  await item.waitFor({ state: 'visible', timeout });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const browser = await launchBrowser();
  let session: WorkbenchSession | undefined;
  let sb: Sandbox | undefined;
  let ecs: ECSClient | undefined;

  const shot = async (name: string) => {
    if (session) await screenshot(session.page, name).catch(() => undefined);
  };

  /** A failing step leaves a screenshot (rollout-failure-<n>.png) and its status bar text in the log. */
  const step = (n: number, fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (e) {
      await shot(`rollout-failure-${n}`);
      const bar = await session?.page.locator('.part.statusbar').innerText().catch(() => '');
      log(`      status bar at failure: ${bar?.replace(/\s+/g, ' ')}`);
      throw e;
    }
  };

  try {
    await runE2e('e2e rollout status bar and view (code-server 4.99.4 + Chromium)', [
      {
        name: 'a workbench with the extension and a sandbox with demo-service on 2 instances',
        fn: step(1, async () => {
          session = await openSession({ browser, settings: { 'ecsHandson.rollout.stuckAfterSeconds': 60, 'ecsHandson.sandbox.timeScale': TIME_SCALE } });
          const stateFile = path.join(session.server.userDataDir, 'User/globalStorage/ecs-handson.ecs-handson/sandbox/state.json');
          sb = await startSandbox(stateFile);
          const cfg = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials };
          ecs = new ECSClient(cfg);
          const ec2 = new EC2Client(cfg);
          const ssm = new SSMClient(cfg);
          await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
          const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
          const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
          const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
          for (const s of subnets.slice(0, 2)) {
            await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }));
          }
          await eventually('2 container instances', async () => (await ecs!.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns?.length === 2);
          await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver1.0', 80)] }));
          await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'demo-app-task:1', desiredCount: 2 }));
          await eventually('demo-service stable', async () => {
            const d = (await ecs!.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0].deployments ?? [];
            return d.length === 1 && d[0].rolloutState === 'COMPLETED' && d[0].runningCount === 2;
          }, 60_000);
          ec2.destroy();
          ssm.destroy();
        }),
      },
      {
        name: 'Show Rollout finds a dynamic-port rollout in progress; the status bar counts it down to "deployed"',
        fn: step(2, async () => {
          const { page } = session!;
          // Nothing in progress yet: the command says so (and the extension is now connected).
          await runCommand(page, 'Show Rollout');
          await waitForNotification(page, 'No ECS rollout is in progress', 30_000);
          await clearNotifications(page);
          await ecs!.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver2.0', 0)] }));
          await ecs!.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: 'demo-app-task:2' }));
          await runCommand(page, 'Show Rollout');
          const text = await rolloutText(page, /demo-service demo-app-task:2 \d\/2/);
          log(`      status bar: ${text}`);
          assert.match(text, /^demo-service demo-app-task:2 [0-2]\/2 · old [0-2] · \d+:\d\d$/);
          const spinner = statusBarItem(page, /demo-service demo-app-task:2/).first().locator('.codicon-sync.codicon-modifier-spin, .codicon-sync');
          assert.ok((await spinner.count()) > 0, 'a spinning sync icon');
          // The view: title, the deployments table.
          const frame = webviewFrame(page);
          await frame.locator('h1', { hasText: 'Rollout of demo-service' }).waitFor({ timeout: 20_000 });
          await frame.locator('table tbody tr th', { hasText: 'PRIMARY' }).first().waitFor({ timeout: 20_000 });
          await shot('rollout-in-progress');
          const done = await rolloutText(page, /demo-service demo-app-task:2 deployed/, 60_000);
          assert.equal(done, 'demo-service demo-app-task:2 deployed');
          await frame.locator('footer', { hasText: 'the rollout has finished' }).waitFor({ timeout: 20_000 });
          await shot('rollout-completed');
        }),
      },
      {
        name: 'a static-port-80 revision that cannot be placed shows as stuck, with the port event in the tooltip and the view',
        fn: step(3, async () => {
          const { page } = session!;
          // Back on static port 80 first (port 80 is free while demo-app-task:2 uses dynamic ports)…
          await ecs!.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver1.0', 80)] }));
          await ecs!.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: 'demo-app-task:3' }));
          await eventually('demo-app-task:3 deployed', async () => {
            const d = (await ecs!.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0].deployments ?? [];
            return d.length === 1 && d[0].taskDefinition?.endsWith(':3') && d[0].rolloutState === 'COMPLETED';
          }, 60_000);
          // …then another port-80 revision: both instances' port 80 is taken, nothing can be placed.
          await ecs!.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver2.0', 80)] }));
          await ecs!.send(new UpdateServiceCommand({
            cluster: CLUSTER, service: SERVICE, taskDefinition: 'demo-app-task:4',
            deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
          }));
          await runCommand(page, 'Show Rollout');
          const stuck = await rolloutText(page, /demo-service demo-app-task:4 .*stuck/, 60_000);
          log(`      status bar: ${stuck}`);
          assert.equal(stuck, 'demo-service demo-app-task:4 0/2 · old 2 · stuck');
          const item = statusBarItem(page, /demo-app-task:4/).first();
          await item.hover();
          const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'already using a port required by your task' }).first();
          await hover.waitFor({ state: 'visible', timeout: 10_000 });
          await sleep(300);
          await shot('rollout-stuck');
          // Close the view, then click the item: the view opens again on this rollout.
          await page.keyboard.press('Escape');
          await runCommand(page, 'View: Close All Editors');
          await page.locator('.tab', { hasText: 'Rollout: demo-service' }).waitFor({ state: 'detached', timeout: 10_000 });
          await item.click();
          await page.locator('.tab', { hasText: 'Rollout: demo-service' }).waitFor({ timeout: 10_000 });
          await page.mouse.move(900, 200);
          const frame = webviewFrame(page);
          await frame.locator('.explanation', { hasText: 'already using a port required by your task' }).waitFor({ timeout: 20_000 });
          await frame.locator('.state', { hasText: 'stuck' }).first().waitFor({ timeout: 10_000 });
          await shot('rollout-view');
        }),
      },
    ], { timeout: 150_000 });
  } catch (e) {
    await shot('rollout-failure');
    throw e;
  } finally {
    ecs?.destroy();
    await session?.close().catch(() => undefined);
    if (sb && sb.child.exitCode === null) {
      sb.child.kill('SIGTERM');
      await new Promise((r) => sb!.child.once('exit', r));
    }
    await browser.close().catch(() => undefined);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    log(`e2e: ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
