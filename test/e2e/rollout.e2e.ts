/**
 * Browser end-to-end test of the rollout status bar item and view: real VS Code (code-server) in
 * headless Chromium with this checkout as a development extension, against a sandbox this test
 * starts on the extension's own state file (so the extension finds it "already running" and uses
 * it). The hands-on's rollouts are made with the SDK, as another user or the CLI would; the
 * extension finds them with "Show Rollout" from the palette.
 *
 *   npm run build && npx tsx test/e2e/rollout.e2e.ts
 *
 * Then, on the same sandbox: Open Task Page opens the task through code-server's proxy with the
 * path kept (/proxy/PORT/app/) and the demo app's links stay under it; at the default sidebar
 * width the task rows show status, host port and revision uncut; and a Japanese workbench (a
 * second code-server whose profile shares the sandbox's state directory, so its extension finds
 * the same sandbox running) explains the stuck rollout in Japanese.
 *
 * Screenshots: test/e2e/screenshots/rollout-*.png (in progress, view, completed, stuck + tooltip
 * and view of the stuck rollout in en and ja, task rows at the default width). Exits 1 on failure.
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
  activityBarItem,
  checkPrerequisites,
  clearNotifications,
  type CodeServer,
  launchBrowser,
  log,
  newWorkbenchPage,
  openSession,
  openWorkbench,
  quickInput,
  repoRoot,
  runCommand,
  startCommand,
  runE2e,
  screenshot,
  sideBar,
  startCodeServer,
  statusBarItem,
  treeRow,
  treeRows,
  waitForNotification,
  webviewFrame,
  type WorkbenchSession, runScript } from './harness';
import { eventually } from '../helpers/wait';

/** Where the extension keeps its sandbox's state (and lock) in a profile. */
const sandboxDir = (userDataDir: string) => path.join(userDataDir, 'User/globalStorage/ecs-handson.ecs-handson/sandbox');

/**
 * The rows of the explorer whose label or the first `parts` facts of their description (" · "
 * separated) run past the sidebar's edge, with what is cut: measured on the rendered text.
 */
async function cutRows(rows: ReturnType<typeof treeRows>, parts: number): Promise<string[]> {
  return rows.evaluateAll((els, n) =>
    els.flatMap((el) => {
      const row = el as HTMLElement;
      // The label's visible edge: its container, within the row (the tree clips what runs past it), less an ellipsis.
      const edge = Math.min(row.querySelector('.monaco-icon-label-container')?.getBoundingClientRect().right ?? 0, row.getBoundingClientRect().right) - 8;
      const name = row.querySelector('.label-name')?.getBoundingClientRect();
      const desc = row.querySelector('.label-description');
      const text: string = desc?.textContent ?? '';
      const facts = text.split(' · ').slice(0, n).join(' · ');
      // Where the facts end as laid out (an ellipsis hides whatever runs past the label's edge).
      let right = 0;
      if (desc && facts) {
        const walker = document.createTreeWalker(desc, 4 /* NodeFilter.SHOW_TEXT */);
        let left = facts.length;
        for (let node = walker.nextNode(); node && left > 0; node = walker.nextNode()) {
          const take = Math.min(left, node.textContent.length);
          const range = document.createRange();
          range.setStart(node, 0);
          range.setEnd(node, take);
          right = Math.max(right, range.getBoundingClientRect().right);
          left -= take;
        }
      }
      return !name || name.right > edge + 0.5 || right > edge + 0.5 || !facts ? [`${row.innerText.replace(/\s+/g, ' ')} (facts end at ${Math.round(right)} px, edge ${Math.round(edge)} px)`] : [];
    }), parts);
}
type HTMLElement = any;
declare const document: any;

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
  let jaServer: CodeServer | undefined;
  let jaShot: ((name: string) => Promise<void>) | undefined;

  const shot = async (name: string) => {
    if (session) await screenshot(session.page, name).catch(() => undefined);
  };

  /** A failing step leaves a screenshot (rollout-failure-<n>.png) and its status bar text in the log. */
  const step = (n: number, fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (e) {
      await shot(`rollout-failure-${n}`);
      if (n === 6) await jaShot?.('rollout-failure-ja').catch(() => undefined);
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
          assert.match(text, /^demo-service demo-app-task:2 [0-2]\/2 · old [0-2] · \d+:\d\d \(sandbox time\)$/, "elapsed on the sandbox clock, labelled");
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
          // Why, in plain words, and what to do — ECS's own text below.
          const tip = (await hover.innerText()).replace(/\s+/g, ' ');
          assert.match(tip, /Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones\./);
          assert.match(tip, /What to do: Use a dynamic host port \(hostPort 0\)/);
          assert.ok(tip.indexOf('Port 80 is already used') < tip.indexOf('already using a port required by your task'), `the plain words come first: ${tip}`);
          await sleep(300);
          await shot('rollout-stuck-en-tooltip');
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
          const box = frame.locator('.explanation[data-kind="port-conflict"]');
          assert.equal((await box.locator('.plain').innerText()).trim(), 'Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones.');
          assert.match(await box.locator('.remedy').innerText(), /^What to do: Use a dynamic host port/);
          await shot('rollout-stuck-en-view');
        }),
      },
      {
        name: 'Open Task Page under code-server: /proxy/PORT/app/ with the path kept, no "open the external website?" prompt; the demo app\'s links stay under the proxy',
        fn: step(4, async () => {
          const { page, server } = session!;
          await runCommand(page, 'View: Close All Editors');
          await startCommand(page, 'Open Task Page');
          const rows = quickInput(page).locator('.quick-input-list .monaco-list-row');
          await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
          const popupP = page.context().waitForEvent('page', { timeout: 20_000 });
          await page.keyboard.press('Enter');
          const popup = await popupP;
          await popup.waitForLoadState('domcontentloaded');
          const url = popup.url();
          log(`      opened: ${url}`);
          const m = new RegExp(`^${server.baseUrl}/proxy/(\\d+)/app/$`).exec(url);
          assert.ok(m, `the task page through code-server's proxy with its path: ${url}`);
          await popup.locator('h1', { hasText: /^Demo app ver/ }).waitFor({ timeout: 10_000 });
          assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no "open the external website?" dialog');
          // The landing page's link is relative: it stays under /proxy/PORT/ (an absolute /app/ 404s there).
          await popup.goto(`${server.baseUrl}/proxy/${m[1]}/`);
          await popup.locator('a', { hasText: '/app/' }).click();
          await popup.waitForURL(`${server.baseUrl}/proxy/${m[1]}/app/`, { timeout: 10_000 });
          await popup.locator('h1', { hasText: /^Demo app ver/ }).waitFor({ timeout: 10_000 });
          await popup.close();
        }),
      },
      {
        name: 'at the default sidebar width the task rows show the revision and host port uncut (the status as the running icon)',
        fn: step(5, async () => {
          const { page } = session!;
          await activityBarItem(page, 'ECS Hands-on').click();
          const expand = async (label: string | RegExp) => {
            const row = treeRow(page, label).first();
            await row.waitFor({ state: 'visible', timeout: 30_000 });
            if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
            await eventually(`${String(label)} expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true', 20_000, 200);
          };
          await expand(CLUSTER);
          await expand(SERVICE);
          await expand(/^Tasks/);
          const tasks = treeRows(page).filter({ hasText: /rev \d+ · :\d+ · demo-app-task/ });
          await eventually('2 task rows', async () => (await tasks.count()) === 2, 30_000);
          const width = await sideBar(page).evaluate((el) => Math.round((el as HTMLElement).getBoundingClientRect().width));
          await page.mouse.move(900, 200);
          await shot('rollout-task-rows-default-width');
          const cut = await cutRows(tasks, 2);
          log(`      sidebar ${width} px; task rows: ${(await tasks.allInnerTexts()).map((x) => x.replace(/\s+/g, ' ')).join(' | ')}`);
          assert.deepEqual(cut, [], `task rows whose status, port and revision are cut at ${width} px`);
        }),
      },
      {
        name: 'ja: a Japanese workbench on the same sandbox explains the stuck rollout in Japanese (tooltip and view)',
        fn: step(6, async () => {
          // A second profile whose sandbox directory is the first one's: its extension finds the sandbox running.
          const scratch = fs.mkdtempSync(path.join(path.dirname(session!.server.userDataDir), 'ja-'));
          const userDataDir = path.join(scratch, 'user-data');
          fs.mkdirSync(path.dirname(sandboxDir(userDataDir)), { recursive: true });
          fs.symlinkSync(sandboxDir(session!.server.userDataDir), sandboxDir(userDataDir));
          let ja: CodeServer | undefined;
          const jaPage = await (async () => {
            ja = await startCodeServer({ userDataDir, extensionsDir: path.join(scratch, 'extensions'), locale: 'ja', settings: { 'ecsHandson.rollout.stuckAfterSeconds': 60, 'ecsHandson.sandbox.timeScale': TIME_SCALE } });
            jaServer = ja;
            const p = await newWorkbenchPage(browser, { locale: 'ja-JP' });
            await openWorkbench(p, ja.workbenchUrl({ folder: scratch, extensionDevelopmentPath: repoRoot }));
            return p;
          })();
          jaShot = (name) => screenshot(jaPage, name).then(() => undefined);
          await runCommand(jaPage, 'ロールアウトを表示');
          const item = statusBarItem(jaPage, /demo-service demo-app-task:4 .*停滞/).first();
          await item.waitFor({ state: 'visible', timeout: 60_000 });
          await item.hover();
          const hover = jaPage.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'already using a port required by your task' }).first();
          await hover.waitFor({ state: 'visible', timeout: 10_000 });
          const tip = (await hover.innerText()).replace(/\s+/g, ' ');
          assert.match(tip, /ポート 80 はすべてのインスタンスで古いタスクが使用中のため、ECS は新しいタスクを起動できません。/);
          assert.match(tip, /対処: /);
          await sleep(300);
          await screenshot(jaPage, 'rollout-stuck-ja-tooltip');
          await jaPage.keyboard.press('Escape');
          const frame = webviewFrame(jaPage);
          const box = frame.locator('.explanation[data-kind="port-conflict"]');
          await box.waitFor({ timeout: 20_000 });
          assert.equal((await box.locator('.plain').innerText()).trim(), 'ポート 80 はすべてのインスタンスで古いタスクが使用中のため、ECS は新しいタスクを起動できません。');
          assert.match(await box.locator('.remedy').innerText(), /^対処:/);
          await jaPage.mouse.move(900, 200);
          await screenshot(jaPage, 'rollout-stuck-ja-view');
          await jaPage.context().close();
        }),
      },
    ], { timeout: 180_000 });
  } catch (e) {
    await shot('rollout-failure');
    throw e;
  } finally {
    ecs?.destroy();
    await jaServer?.stop().catch(() => undefined);
    await session?.close().catch(() => undefined);
    if (sb && sb.child.exitCode === null) {
      sb.child.kill('SIGTERM');
      await new Promise((r) => sb!.child.once('exit', r));
    }
    await browser.close().catch(() => undefined);
  }
}

runScript(main);
