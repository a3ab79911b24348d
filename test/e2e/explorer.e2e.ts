/**
 * The ECS explorer in a real browser: open "ECS Hands-on" in the activity bar (which starts the
 * sandbox), populate it through the AWS SDK from this process (a cluster, two EC2 instances that
 * register with it, a task definition, a service with 2 tasks), refresh from the view's title bar,
 * expand cluster → services → tasks and container instances, and take screenshots in the dark,
 * light and high-contrast themes (one session: the theme is picked with "Preferences: Color Theme", as a
 * user does, and the workbench repaints). It also checks what the installed .vsix brings: the
 * command listed under its category, Show Sandbox Info's notification (the former smoke test).
 *
 * Then task logs (issue 14), in the same session: Show Logs chosen with the keyboard from a task
 * row's context menu shows the demo app's start-up lines; Show Logs on the service follows all its
 * tasks; a task crashed through the sandbox's fault injection (SIGKILL, as the walkthrough's "Crash
 * a task") and one stopped with Stop Task (SIGTERM) are replaced, and the service's logs show the
 * stopped task's shutdown lines and both replacements' start-up lines, each with its task id.
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
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { defaultLogConfiguration } from '../../src/core/taskdef-logs';
import {
  activityBarItem, checkPrerequisites, clearNotifications, contextMenu, extensionSandbox, findCommand, launchBrowser, log, openSession, packageExtension, makeTempDir, pickColorTheme, repoRoot,
  runCommand, runE2e, screenshot, sideBar, treeRow, treeRows, waitForNotification,
  type WorkbenchSession, runScript } from './harness';
import { eventually, eventuallyMatches } from '../helpers/wait';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';

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
        // Logging as Register Task Definition's form does by default (the group is created by the first task: awslogs-create-group).
        containerDefinitions: [{ name: 'demo', image, cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }], logConfiguration: defaultLogConfiguration('demo-app-task', sb.region) }],
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

  let session: WorkbenchSession | undefined;
  let sandboxPid: number | undefined;
  const page = (): Page => {
    if (!session) throw new Error('the first test opens the session');
    return session.page;
  };
  const failed = async (shot: string, e: unknown): Promise<never> => {
    if (session) await screenshot(session.page, `${shot}-failure`).catch(() => undefined);
    throw e;
  };

  /** The populated tree and a task's tooltip, as the user sees them in the current theme. */
  const look = async (shot: string): Promise<void> => {
    const p = page();
    // (After the sandbox restart the tree is new: open the rows again.)
    await expand(p, CLUSTER);
    await treeRow(p, SERVICE).waitFor({ state: 'visible', timeout: 20_000 });
    await expand(p, SERVICE);
    await expand(p, /^Tasks/);
    await eventually('2 task rows', async () => (await treeRows(p).filter({ hasText: /rev 2 · :\d+ · demo-app-task/ }).count()) === 2, 20_000);
    // Icons are codicons, coloured: the service and tasks in the "passed" colour.
    const icon = treeRow(p, SERVICE).locator('.custom-view-tree-node-item-icon').first();
    assert.match((await icon.getAttribute('class')) ?? '', /codicon-layers/);
    await p.mouse.move(5, 5);
    await screenshot(p, shot);
    // The tooltip of a task: markdown with its details.
    const hover = p.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Host ports/ }).first();
    // A hover that starts while the auto-refresh repaints the row is dropped: point at it again.
    await eventually('the task tooltip', async () => {
      await p.mouse.move(5, 5);
      await treeRows(p).filter({ hasText: /rev \d+ · :\d+/ }).first().locator('.label-name').hover();
      return hover.waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false);
    }, 30_000, 0);
    assert.match(await hover.innerText(), /Last \/ desired status: RUNNING \/ RUNNING/);
    assert.match(await hover.innerText(), /Started: (\d+ (sec|min) ago|just now)/, 'relative to the sandbox clock');
    await screenshot(p, `${shot}-tooltip`);
    await p.mouse.move(5, 5);
  };

  const explore = async (): Promise<void> => {
    browser ??= await launchBrowser();
    vsix ||= await packageExtension(scratch);
    // Installed from the .vsix as a user would (a development extension host has no built-in themes).
    session = await openSession({ browser, vsix, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    const p = session.page;
    const shot = 'explorer-dark';
    try {
      await pickColorTheme(p, 'Dark Modern', 'vs-dark');
      const installed = fs.readdirSync(session.server.extensionsDir);
      assert.ok(installed.some((d) => d.startsWith('ecs-handson.ecs-handson-')), `not installed: ${installed.join(', ')}`);
      // Listed under its category in the palette, as the manifest and package.nls.json say.
      const row = await findCommand(p, 'Show Sandbox Info');
      assert.match((await row.innerText()).replace(/\s+/g, ' '), /ECS Hands-on: Show Sandbox Info/);
      await p.keyboard.press('Escape');

      await activityBarItem(p, 'ECS Hands-on').click();
      // Opening the view connects: the sandbox starts and the empty top level appears.
      await treeRow(p, 'Task definitions').waitFor({ state: 'visible', timeout: 60_000 });
      await treeRow(p, 'No clusters yet').waitFor({ state: 'visible', timeout: 10_000 });
      // The view's description is the connection (VS Code shows it in the view's header; with a
      // single view in the container the header is merged into the title and only read out).
      const header = sideBar(p).locator('.pane-header', { hasText: /ECS Explorer/i }).first();
      assert.match((await header.getAttribute('aria-label')) ?? '', /^ECS Explorer - Sandbox \(127\.0\.0\.1:\d+\)/);
      await widenSideBar(p, 760);
      await screenshot(p, `${shot}-empty`);

      // The palette's Show Sandbox Info answers with the sandbox's address.
      await runCommand(p, 'Show Sandbox Info');
      await waitForNotification(p, 'ECS Hands-on sandbox at http://127.0.0.1:');
      await screenshot(p, 'smoke-notification');
      await clearNotifications(p);

      const sb = await sandboxOf(session);
      sandboxPid = sb.pid;
      await populate(sb);

      // Refresh from the view's title bar.
      await sideBar(p).locator('.composite.title .action-label[aria-label="Refresh"]').first().click();
      // Collapsed, the cluster row counts services, tasks and instances; expanded, the task count
      // (it moves with every task) is left to the rows below.
      const cluster = treeRow(p, CLUSTER);
      await eventuallyMatches('cluster counts', () => cluster.innerText(), /1 service, 2 tasks, 2 instances/, 20_000);
      await expand(p, CLUSTER);
      await eventuallyMatches('expanded cluster counts', () => cluster.innerText(), /1 service, 2 instances/, 20_000);
      // Services is expanded by default.
      const service = treeRow(p, SERVICE);
      await service.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await service.innerText(), /2\/2 running/);
      await expand(p, SERVICE);
      await expand(p, /^Tasks/);
      await expand(p, /^Deployments/);
      await treeRow(p, /PRIMARY demo-app-task:2/).waitFor({ state: 'visible', timeout: 20_000 });
      await expand(p, /^Container instances/);
      await eventually('2 container instance rows', async () => (await treeRows(p).filter({ hasText: /t3\.small · .* · CPU 1792\/2048 free/ }).count()) === 2, 20_000);
      await look(shot);

      // The sandbox dies: an error row with "Restart Sandbox"; clicking it brings the tree back.
      process.kill(sb.pid, 'SIGTERM');
      await treeRow(p, 'The sandbox is not running').waitFor({ state: 'visible', timeout: 30_000 });
      await treeRow(p, 'Switch Connection…').waitFor({ state: 'visible' });
      await screenshot(p, `${shot}-sandbox-stopped`);
      await treeRow(p, 'Restart Sandbox').click();
      await treeRow(p, CLUSTER).waitFor({ state: 'visible', timeout: 60_000 });
      sandboxPid = (await sandboxOf(session)).pid;
    } catch (e) {
      await failed(shot, e);
    }
  };

  const inTheme = async (theme: string, uiTheme: 'vs' | 'hc-black', shot: string): Promise<void> => {
    try {
      await pickColorTheme(page(), theme, uiTheme);
      await look(shot);
    } catch (e) {
      await failed(shot, e);
    }
  };

  /** The text of the active editor (the logs editor), one string per line. */
  const editorLines = async (): Promise<string[]> => {
    const lines = await page().locator('.editor-group-container.active .editor-container .monaco-editor .view-lines .view-line').allInnerTexts();
    return lines.map((l) => l.replace(/\u00a0/g, ' '));
  };
  /** Waits until the active editor has a line matching each of `res`; returns the lines. */
  const waitLines = async (what: string, res: RegExp[], timeout = 60_000): Promise<string[]> => {
    let lines: string[] = [];
    await eventually(what, async () => {
      lines = await editorLines();
      return res.every((re) => lines.some((l) => re.test(l)));
    }, timeout, 300).catch(async (e) => {
      throw new Error(`${(e as Error).message}; the editor shows:\n${lines.join('\n')}`);
    });
    return lines;
  };
  /** Every tree row's text (what a failure reports). */
  const rowTexts = async (): Promise<string> => (await treeRows(page()).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ')).join(' | ');
  const runningTaskIds = async (): Promise<string[]> =>
    (await treeRows(page()).filter({ hasText: /rev 2 · :\d+ · demo-app-task/ }).locator('.label-name').allInnerTexts()).map((s) => s.trim());
  /** The mouse away from the tree, its tooltip gone (a row's hover covers the rows below it). */
  const mouseAway = async (): Promise<void> => {
    await page().mouse.move(5, 5);
    await page().locator('.monaco-hover, .workbench-hover').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  };
  const logsTab = (name: string) => page().locator('.tabs-container .tab', { hasText: `${name}.log` }).first();

  const taskLogs = async (): Promise<void> => {
    const p = page();
    const shot = 'logs';
    try {
      await pickColorTheme(p, 'Dark Modern', 'vs-dark');
      // Room for the logs editor beside the tree (the tree was widened to read its descriptions).
      await widenSideBar(p, 470);
      const sb = await extensionSandbox(session!);
      const admin = new SandboxAdmin(sb.endpoint, sb.adminToken);
      const ecs = new ECSClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
      try {
        await eventually('2 running task rows', async () => (await runningTaskIds()).length === 2, 30_000, 200);
        const [first, second] = await runningTaskIds();
        // Show Logs on a task row, from its context menu (a right-click opens it; the item is chosen with the keyboard: ArrowDown, Enter).
        const taskRow = treeRows(p).filter({ hasText: first }).first();
        const labels = await contextMenu(p, taskRow, 'Show Logs');
        log(`      task row menu: ${labels.join(' | ')}`);
        await logsTab(first).waitFor({ state: 'visible', timeout: 20_000 });
        // The demo app's start-up lines, of that task.
        await waitLines('the task\'s start-up lines', [new RegExp(`^\\S+ Starting DemoApplication ver2\\.0 \\(image uzresk/demo:ver2\\.0\\) for task ${first}`), /^\S+ Started DemoApplication ver2\.0 on port 8080 \(http\) in [\d.]+ seconds/]);
        await mouseAway();
        await screenshot(p, `${shot}-task`);

        // Show Logs on the service row: all its tasks, each line prefixed with its short id.
        await contextMenu(p, treeRow(p, SERVICE), 'Show Logs');
        await mouseAway();
        await logsTab(SERVICE).waitFor({ state: 'visible', timeout: 20_000 });
        await waitLines('both tasks\' start-up lines', [first, second].map((id) => new RegExp(`^\\S+ \\[${id}\\] .*Started DemoApplication ver2\\.0`)));

        // Crash the first task (the sandbox's fault injection, as the walkthrough's "Crash a task"): its replacement starts and joins the logs.
        const arnOf = async (id: string) => ((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns ?? []).find((a) => a.endsWith(`/${id}`) || a.split('/').pop()!.startsWith(id));
        const firstArn = await arnOf(first);
        assert.ok(firstArn, `task ${first} is listed`);
        const crashedAt = Date.now();
        await admin.killTask({ taskArn: firstArn });
        const third = await eventually('a replacement task row', async () => (await runningTaskIds()).find((id) => id !== first && id !== second), 60_000, 300)
          .catch(async (e) => { throw new Error(`${(e as Error).message}; the tree: ${await rowTexts()}`); });
        await waitLines('the replacement\'s start-up lines', [new RegExp(`^\\S+ \\[${third}\\] .*Starting DemoApplication ver2\\.0 .*for task ${third}`), new RegExp(`^\\S+ \\[${third}\\] .*Started DemoApplication ver2\\.0`)]);
        log(`      crashed ${first}; ${third} started and joined the logs ${((Date.now() - crashedAt) / 1000).toFixed(1)} s later`);

        // Stop the second task with Stop Task (SIGTERM): its shutdown lines, then its replacement's start-up.
        const stoppedAt = Date.now();
        await mouseAway();
        await contextMenu(p, treeRows(p).filter({ hasText: second }).first(), 'Stop Task');
        const fourth = await eventually('a second replacement task row', async () => (await runningTaskIds()).find((id) => ![first, second, third].includes(id)), 60_000, 300)
          .catch(async (e) => { throw new Error(`${(e as Error).message}; the tree: ${await rowTexts()}`); });
        const lines = await waitLines('the stopped task\'s shutdown and its replacement\'s start-up', [
          new RegExp(`^\\S+ \\[${second}\\] .*Received SIGTERM: shutting down`),
          new RegExp(`^\\S+ \\[${second}\\] .*Stopped DemoApplication ver2\\.0 after serving \\d+ requests?`),
          new RegExp(`^\\S+ \\[${fourth}\\] .*Started DemoApplication ver2\\.0`),
        ]);
        log(`      stopped ${second}; its shutdown and ${fourth}'s start-up in the logs ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s later`);
        // The crashed task printed nothing after its start-up (SIGKILL): no shutdown line of it.
        assert.ok(!lines.some((l) => l.includes(`[${first}]`) && /SIGTERM|Stopped DemoApplication/.test(l)), 'a crashed container says nothing');
        await mouseAway();
        await screenshot(p, `${shot}-service`);
      } finally {
        ecs.destroy();
      }
    } catch (e) {
      await failed(shot, e);
    }
  };

  try {
    await runE2e('e2e explorer (code-server 4.99.4 + Chromium)', [
      {
        name: 'dark, installed from the .vsix: listed in the palette, Show Sandbox Info, cluster → services → tasks, container instances, the sandbox restarted',
        fn: explore,
      },
      { name: 'light: the same tree in Default Light Modern', fn: () => inTheme('Light Modern', 'vs', 'explorer-light') },
      { name: 'high contrast: the same tree in Default High Contrast', fn: () => inTheme('Dark High Contrast', 'hc-black', 'explorer-hc') },
      {
        name: 'task logs: Show Logs from a task row\'s context menu (keyboard), then the service\'s logs through a crash and a stop, each replaced',
        fn: taskLogs,
      },
    ], { timeout: 180_000 });
  } finally {
    await session?.close().catch(() => undefined);
    // The sandbox outlives its editor by design; stop the one this test's editor started.
    if (sandboxPid) {
      try {
        process.kill(sandboxPid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    await browser?.close().catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runScript(main);
