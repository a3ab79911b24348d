/**
 * The ECS explorer in a real browser: open "ECS Hands-on" in the activity bar (which starts the
 * sandbox), populate it through the AWS SDK from this process (a cluster, two EC2 instances that
 * register with it, a task definition, a service with 2 tasks), refresh from the view's title bar,
 * expand cluster → services → tasks and container instances, and take screenshots in the dark,
 * light and high-contrast themes.
 *
 *   npm run build && npx tsx test/e2e/explorer.e2e.ts       (ECS_HANDSON_E2E_GREP=light to filter)
 *
 * Screenshots: test/e2e/screenshots/explorer-*.png. Exits 1 on failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, ListContainerInstancesCommand, RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  activityBarItem, checkPrerequisites, launchBrowser, log, openSession, packageExtension, makeTempDir, repoRoot, runE2e, screenshot, sideBar, treeRow, treeRows,
  type WorkbenchSession,
} from './harness';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';

async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeout = 60_000, every = 300): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? String(last) : JSON.stringify(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return p;
    if (entry.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The sandbox the extension started for this session: endpoint from its lock, keys from its state file. */
async function sandboxOf(session: WorkbenchSession): Promise<{ endpoint: string; region: string; pid: number; credentials: { accessKeyId: string; secretAccessKey: string } }> {
  return eventually('the sandbox started by the extension', async () => {
    const lockFile = findFile(session.server.userDataDir, 'state.json.lock');
    if (!lockFile) return undefined;
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number; endpoint?: string; region?: string };
    const state = JSON.parse(fs.readFileSync(lockFile.replace(/\.lock$/, ''), 'utf8')) as { credentials?: { accessKeyId: string; secretAccessKey: string } };
    if (!lock.endpoint || !state.credentials) return undefined;
    return { endpoint: lock.endpoint, region: lock.region ?? 'ap-northeast-1', pid: lock.pid, credentials: state.credentials };
  }, 60_000, 500);
}

/** The hands-on's first steps through the SDK. */
async function populate(sb: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }): Promise<void> {
  const config = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials };
  const ecs = new ECSClient(config);
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (const image of ['uzresk/demo:ver1.0', 'uzresk/demo:ver2.0']) {
      await ecs.send(new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'demo', image, cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }],
      }));
    }
    const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? [];
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    for (const s of subnets.slice(0, 2)) {
      await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }));
    }
    await eventually('2 container instances', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 2);
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'demo-app-task:2', desiredCount: 2 }));
    await eventually('demo-service steady', async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0];
      return s?.runningCount === 2 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
    });
  } finally {
    ecs.destroy();
    ec2.destroy();
    ssm.destroy();
  }
}

/** Widens the side bar, as a user does to read the descriptions. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await sideBar(page).boundingBox();
  if (!box) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** Clicks a collapsed row to expand it (a click toggles a collapsible tree row). */
async function expand(page: Page, label: string | RegExp): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await eventually(`${String(label)} expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true', 20_000, 200);
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  let browser: Browser | undefined;
  const scratch = makeTempDir('ecs-handson-e2e-explorer-');
  let vsix = '';

  const explore = async (theme: string, uiTheme: string, shot: string): Promise<void> => {
    browser ??= await launchBrowser();
    vsix ||= await packageExtension(scratch);
    // Installed from the .vsix as a user would (a development extension host has no built-in themes).
    const session = await openSession({ browser, vsix, settings: { 'workbench.colorTheme': theme } });
    const { page } = session;
    let sandboxPid: number | undefined;
    try {
      await page.locator(`.monaco-workbench.${uiTheme}`).waitFor({ state: 'attached', timeout: 10_000 });
      await activityBarItem(page, 'ECS Hands-on').click();
      // Opening the view connects: the sandbox starts and the empty top level appears.
      await treeRow(page, 'Task definitions').waitFor({ state: 'visible', timeout: 60_000 });
      await treeRow(page, 'No clusters yet').waitFor({ state: 'visible', timeout: 10_000 });
      // The view's description is the connection (VS Code shows it in the view's header; with a
      // single view in the container the header is merged into the title and only read out).
      const header = sideBar(page).locator('.pane-header', { hasText: /ECS Explorer/i }).first();
      assert.match((await header.getAttribute('aria-label')) ?? '', /^ECS Explorer - Sandbox \(127\.0\.0\.1:\d+\)/);
      await widenSideBar(page, 760);
      await screenshot(page, `${shot}-empty`);

      const sb = await sandboxOf(session);
      sandboxPid = sb.pid;
      await populate(sb);

      // Refresh from the view's title bar.
      await sideBar(page).locator('.composite.title .action-label[aria-label="Refresh"]').first().click();
      await expand(page, CLUSTER);
      const cluster = treeRow(page, CLUSTER);
      await eventually('cluster counts', async () => /1 service, 2 tasks, 2 instances/.test(await cluster.innerText()), 20_000);
      // Services is expanded by default.
      const service = treeRow(page, SERVICE);
      await service.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await service.innerText(), /2\/2 running/);
      await expand(page, SERVICE);
      await expand(page, /^Tasks/);
      await eventually('2 task rows', async () => (await treeRows(page).filter({ hasText: /RUNNING · .* · :\d+ · demo-app-task:2/ }).count()) === 2, 20_000);
      await expand(page, /^Deployments/);
      await treeRow(page, /PRIMARY demo-app-task:2/).waitFor({ state: 'visible', timeout: 20_000 });
      await expand(page, /^Container instances/);
      await eventually('2 container instance rows', async () => (await treeRows(page).filter({ hasText: /t3\.small · .* · CPU 1792\/2048 free/ }).count()) === 2, 20_000);
      // Icons are codicons, coloured: the service and tasks in the "passed" colour.
      const icon = service.locator('.custom-view-tree-node-item-icon').first();
      assert.match((await icon.getAttribute('class')) ?? '', /codicon-layers/);
      await page.mouse.move(5, 5);
      await screenshot(page, shot);

      // The tooltip of a task: markdown with its details.
      await treeRows(page).filter({ hasText: /RUNNING · / }).first().locator('.label-name').hover();
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Host ports/ }).first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await hover.innerText(), /Last \/ desired status: RUNNING \/ RUNNING/);
      assert.match(await hover.innerText(), /Started: (\d+ (sec|min) ago|just now)/, 'relative to the sandbox clock');
      await screenshot(page, `${shot}-tooltip`);

      if (uiTheme === 'vs-dark') {
        // The sandbox dies: an error row with "Restart Sandbox"; clicking it brings the tree back.
        await page.mouse.move(5, 5);
        process.kill(sb.pid, 'SIGTERM');
        await treeRow(page, 'The sandbox is not running').waitFor({ state: 'visible', timeout: 30_000 });
        await treeRow(page, 'Switch Connection…').waitFor({ state: 'visible' });
        await screenshot(page, `${shot}-sandbox-stopped`);
        await treeRow(page, 'Restart Sandbox').click();
        await treeRow(page, CLUSTER).waitFor({ state: 'visible', timeout: 60_000 });
        sandboxPid = (await sandboxOf(session)).pid;
      }
    } catch (e) {
      await screenshot(page, `${shot}-failure`).catch(() => undefined);
      throw e;
    } finally {
      await session.close();
      // The sandbox outlives its editor by design; stop the one this test's editor started.
      if (sandboxPid) {
        try {
          process.kill(sandboxPid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    }
  };

  try {
    await runE2e('e2e explorer (code-server 4.99.4 + Chromium)', [
      { name: 'dark: cluster → services → tasks, container instances', fn: () => explore('Default Dark Modern', 'vs-dark', 'explorer-dark') },
      { name: 'light: the same tree in Default Light Modern', fn: () => explore('Default Light Modern', 'vs', 'explorer-light') },
      { name: 'high contrast: the same tree in Default High Contrast', fn: () => explore('Default High Contrast', 'hc-black', 'explorer-hc') },
    ], { timeout: 180_000 });
  } finally {
    await browser?.close().catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    log(`e2e: ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
