/**
 * Issue 11 in a real browser (code-server 4.99.4 + headless Chromium), as a newcomer meets it:
 *
 * 1. The first screen of a new profile leads into the hands-on: the ECS view and the walkthrough
 *    panel open by themselves, the view's first row is "Start the hands-on" (a click opens the
 *    panel), and the native walkthrough's "Open the hands-on" step is ticked. Screenshots in
 *    English and Japanese (test/e2e/screenshots/first-screen-{en,ja}.png).
 * 2. Right-click actions act on the row clicked: 50 right-clicks in the ECS explorer — Inspect on
 *    task and revision rows, Deploy Revision on revision rows, Stop Task on task rows — each chosen
 *    from the real context menu with the keyboard (ArrowDown, Enter; a mouse click on a menu item
 *    does nothing in headless Chromium), while rollouts run, the explorer auto-refreshes at its
 *    default (every 5 s) and the sandbox answers every API call 250 ms late (its latency fault). A
 *    command that arrives without its row asks what to act on ("What to inspect", "Revision to
 *    deploy", "Task to stop") or says it lost the row: a lost target. Asserts 0 pickers, that
 *    each command acted on the row clicked (the inspected document is that resource's, the stopped
 *    task is the one clicked and no other, the service runs the revision clicked), and at most
 *    ECS_HANDSON_E2E_MAX_LOST (default 5) rows lost to VS Code's own refresh window, each one
 *    told ("choose it again"), never acted on.
 *
 *   npm run build && npx tsx test/e2e/rightclick.e2e.ts
 *   ECS_HANDSON_E2E_CLICKS=N (default 50), ECS_HANDSON_E2E_LATENCY_MS=N (default 250)
 *
 * Screenshots: test/e2e/screenshots/{first-screen,rightclick}-*.png. Exits 1 on failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import {
  ContextMenuActionMissing, activityBarItem, checkPrerequisites, contextMenu, extensionLog, extensionSandbox, findCommand, launchBrowser, log, openSession, quickInput,
  repoRoot, runCommand, runE2e, screenshot, screenshotDir, sideBar, treeRows, type ExtensionSandbox, type WorkbenchSession, runScript } from './harness';
import { eventually } from '../helpers/wait';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';
const FAMILY = 'demo-app-task';
const REVISIONS = 3;
const CLICKS = Number(process.env.ECS_HANDSON_E2E_CLICKS ?? 50);
const LATENCY_MS = Number(process.env.ECS_HANDSON_E2E_LATENCY_MS ?? 250);
/** Rows lost to VS Code's own refresh window (see the assertion); never a picker, never another row. */
const MAX_LOST = Number(process.env.ECS_HANDSON_E2E_MAX_LOST ?? 5);
/** The reason Stop Task gives (src/ui/commands/operate/stop-task.ts). */
const STOP_REASON = 'Stopped from ECS Hands-on';
const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsJa = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.ja.json'), 'utf8')) as Record<string, string>;
const bundleJa = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n/bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const container = (image: string) => [{ name: 'demo', image, cpu: 256, memory: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' as const }] }];

/** The hands-on's first steps through the SDK: demo-cluster on 2 instances, 3 revisions (dynamic ports), demo-service with 2 tasks. */
async function populate(sb: ExtensionSandbox, ecs: ECSClient): Promise<void> {
  const config = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials };
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? [];
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await Promise.all(subnets.slice(0, 2).map((s) =>
      ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }))));
    // ver1.0, ver2.0, ver1.0: every deployment is a real rollout.
    for (let i = 1; i <= REVISIONS; i++) await ecs.send(new RegisterTaskDefinitionCommand({ family: FAMILY, containerDefinitions: container(`uzresk/demo:ver${i % 2 === 0 ? 2 : 1}.0`) }));
    await eventually('2 container instances', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 2, 60_000, 200);
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: `${FAMILY}:1`, desiredCount: 2 }));
    await eventually('demo-service steady', async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0];
      return s?.runningCount === 2 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
    }, 60_000, 200);
  } finally {
    ec2.destroy();
    ssm.destroy();
  }
}

/** Clicks a collapsed row to expand it. */
async function expand(row: Locator): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await eventually('row expanded', async () => (await row.getAttribute('aria-expanded')) === 'true', 20_000, 100);
}

/** The tree row whose label is exactly `label`. */
const rowLabelled = (page: Page, label: string): Locator =>
  treeRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

/** An editor tab by its label. */
/** The start of the walkthrough panel's tab title, "Hands-on step {0}: {1}", in `lang`. */
const panelTab = (lang: 'en' | 'ja'): string => (lang === 'en' ? 'Hands-on step {0}: {1}' : bundleJa['Hands-on step {0}: {1}']).split('{0}')[0].trim();
const editorTab = (page: Page, label: string): Locator => page.locator('.tabs-container .tab', { hasText: label }).first();

function findLogs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findLogs(p));
    else if (e.name.endsWith('ECS Hands-on.log')) out.push(p);
  }
  return out;
}

/** The title of the quick input on screen, or undefined when none is open. */
async function openQuickInput(page: Page): Promise<string | undefined> {
  // The workbench may hold more than one quick-input widget; the one on screen.
  const qi = page.locator('.quick-input-widget:visible').first();
  if (!(await qi.isVisible().catch(() => false))) return undefined;
  const title = (await qi.locator('.quick-input-title').innerText().catch(() => '')).trim();
  const placeholder = (await qi.locator('input.input').getAttribute('placeholder').catch(() => '')) ?? '';
  return title || placeholder || '(a quick input without a title)';
}

/**
 * The first screen of a fresh profile, opened with the default for new users (the harness starts
 * tests as returning users): the ECS view, its "Start the hands-on" row and the walkthrough panel.
 */
async function firstScreen(page: Page, lang: 'en' | 'ja'): Promise<void> {
  const handsOnRow = lang === 'en' ? 'Start the hands-on' : bundleJa['Start the hands-on'];
  // The panel's tab names its step ("Hands-on step 0: The demo image").
  const panelTitle = panelTab(lang);
  // Nothing clicked: the extension opens both on its first start.
  await rowLabelled(page, handsOnRow).waitFor({ state: 'visible', timeout: 60_000 });
  await editorTab(page, panelTitle).waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await treeRows(page).first().locator('.label-name').innerText(), handsOnRow, 'the first row of the ECS view');
  // The panel has drawn its steps (not a blank webview).
  await page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('h1, h2').first().waitFor({ state: 'visible', timeout: 30_000 });
  await sleep(500);
  await screenshot(page, `first-screen-${lang}`);
}

/** A running task's row: "rev 2 · :32768 · demo-app-task · …" (other states start with their status). */
const RUNNING_TASK_ROW = /\b[0-9a-f]{8}\s*rev \d+ · :\d+/;
type Kind = 'inspect-task' | 'inspect-revision' | 'deploy' | 'stop';
const PLAN: Kind[] = ['inspect-task', 'deploy', 'stop', 'inspect-task', 'inspect-revision'];

interface Outcome {
  ok: boolean;
  /** A quick input asked what to act on (its title). */
  picker?: string;
  /** It acted on the row clicked, after more than 10 s (the log showed it running). */
  slowMs?: number;
  /** An error the command showed. */
  error?: string;
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const browser: Browser = await launchBrowser();
  let session: WorkbenchSession | undefined;
  let sb: ExtensionSandbox | undefined;
  let ecs: ECSClient | undefined;
  let admin: SandboxAdmin | undefined;
  const firstStart = { 'ecsHandson.openHandsOnOnFirstStart': true };
  let ja: Promise<void> = Promise.reject(new Error('the Japanese session did not start'));
  ja.catch(() => undefined);
  let jaSession: WorkbenchSession | undefined;
  const firstScreenJa = async (): Promise<void> => {
    jaSession = await openSession({ browser, locale: 'ja', settings: firstStart });
    try {
      await firstScreen(jaSession.page, 'ja');
      assert.equal(await activityBarItem(jaSession.page, nlsJa['viewsContainer.title']).count(), 1);
    } finally {
      const jaSandbox = await extensionSandbox(jaSession, 1000).catch(() => undefined);
      await jaSession.close().catch(() => undefined);
      jaSession = undefined;
      try {
        if (jaSandbox) process.kill(jaSandbox.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
  };

  const stopSandbox = () => {
    try {
      if (sb) process.kill(sb.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    sb = undefined;
  };
  const shot = async (name: string) => {
    if (session) await screenshot(session.page, name).catch(() => undefined);
  };
  const serviceRevision = async () => (await ecs!.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0]?.taskDefinition ?? '';
  /**
   * Who stopped the task (by its short id): 'us' (Stop Task's reason), 'ecs' (a rollout replaced it
   * before the click took effect: the row was right, there was nothing left to stop), or undefined
   * while it runs.
   */
  const stoppedBy = async (shortId: string): Promise<'us' | 'ecs' | undefined> => {
    const arn = ((await ecs!.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }))).taskArns ?? []).find((a) => a.split('/').pop()!.startsWith(shortId));
    if (!arn) return undefined;
    const task = (await ecs!.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks?.[0];
    return task?.stoppedReason === STOP_REASON ? 'us' : 'ecs';
  };

  /** Marks the error toasts on screen as seen. (Page code: no DOM types here.) */
  const markErrorToasts = async (page: Page): Promise<void> => {
    await page.locator('.notification-toast').evaluateAll((toasts: any[]) => toasts.forEach((t) => (t.dataset.seen = '1')));
  };
  /** Error toasts that appeared since `markErrorToasts` (their messages). */
  const newErrorToasts = async (page: Page): Promise<string[]> =>
    page.locator('.notification-toast').evaluateAll((toasts: any[]) =>
      toasts.filter((t) => t.querySelector('.codicon-error') && !t.dataset.seen).map((t) => String((t.querySelector('.notification-list-item-message') ?? t).textContent ?? '')),
    );
  /**
   * Waits for what the command does, or for a sign that it lost its row: a quick input asking what
   * to act on, or an error message. `done` answers once the command did its work.
   */
  const outcome = async (page: Page, done: () => Promise<boolean>, allowPicker?: (title: string) => boolean, command?: { id: string; logFrom: number }): Promise<Outcome> => {
    const started = Date.now();
    let deadline = started + 10_000;
    let slow = false;
    for (;;) {
      const asked = await openQuickInput(page);
      if (asked !== undefined && !allowPicker?.(asked)) return { ok: false, picker: asked };
      const errors = await newErrorToasts(page);
      if (errors.length) return { ok: false, error: errors.join(' / ') };
      if (await done()) return { ok: true, slowMs: slow ? Date.now() - started : undefined };
      if (Date.now() > deadline) {
        // Nothing to see: the extension's log tells a slow command (invoked, not ended: wait for
        // it, up to 40 s in all) from one that never reached the extension or ended without acting.
        const entries = command ? extensionLog(session!).slice(command.logFrom) : '';
        const invoked = command ? entries.split('\n').find((l) => l.includes(`${command.id}: invoked`)) : undefined;
        const ended = command ? entries.split('\n').find((l) => l.includes(`${command.id}: ended`)) : undefined;
        if (!slow && invoked && !ended) {
          slow = true;
          deadline = started + 40_000;
          continue;
        }
        const why = !command ? '' : !invoked ? '; the command never reached the extension' : ended ? `; the extension's log: ${ended.trim()}` : '; still running after 40 s';
        return { ok: false, error: `nothing happened within ${Date.now() - started} ms${why}` };
      }
      await sleep(100);
    }
  };

  try {
    await runE2e(`e2e first screen and right-clicks: ${CLICKS} context-menu actions with auto-refresh on and ${LATENCY_MS} ms of API latency (code-server 4.99.4 + Chromium)`, [
      {
        name: 'first start (en): the ECS view and the walkthrough panel open, "Start the hands-on" comes first, the native walkthrough\'s first step is ticked',
        fn: async () => {
          session = await openSession({ browser, settings: firstStart });
          const { page } = session;
          await firstScreen(page, 'en');
          // The row opens the panel (closed first).
          await editorTab(page, panelTab('en')).locator('.tab-actions .action-label').click();
          await editorTab(page, panelTab('en')).waitFor({ state: 'detached', timeout: 10_000 });
          await rowLabelled(page, 'Start the hands-on').click();
          await editorTab(page, panelTab('en')).waitFor({ state: 'visible', timeout: 20_000 });
          // The Welcome page's walkthrough: its first step ticked (the ECS view was opened). (The
          // panel has the keyboard focus: the palette opens from the workbench, so click the tree's empty space.)
          await sideBar(page).locator('.monaco-list').first().click({ position: { x: 150, y: 300 } });
          // Both chosen with the keyboard (filter, Enter): the walkthrough panel's webview lies over
          // the editor area and can take a mouse click meant for the list above it (seen on a busy machine).
          await findCommand(page, 'Welcome: Open Walkthrough...');
          await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Welcome: Open Walkthrough...' }).waitFor({ state: 'visible', timeout: 10_000 });
          await page.keyboard.press('Enter');
          const walkthrough = page.locator('.quick-input-list .monaco-list-row', { hasText: nls['walkthrough.handsOn.title'] }).first();
          await walkthrough.waitFor({ state: 'visible', timeout: 10_000 });
          await page.locator('.quick-input-widget input.input').fill(nls['walkthrough.handsOn.title']);
          await page.locator('.quick-input-list .monaco-list-row', { hasText: nls['walkthrough.handsOn.title'] }).first().waitFor({ state: 'visible', timeout: 10_000 });
          await page.keyboard.press('Enter');
          const step = page.locator('.getting-started-step', { hasText: nls['walkthrough.handsOn.open.title'] }).first();
          await step.waitFor({ state: 'visible', timeout: 20_000 });
          const checkbox = step.locator('[role="checkbox"]').first();
          await eventually('"Open the hands-on" ticked', async () => (await checkbox.getAttribute('aria-checked')) === 'true', 10_000, 200).catch(async (e) => {
            await shot('first-screen-walkthrough-unticked');
            throw e;
          });
          await shot('first-screen-native-walkthrough');
          // The next step is not ticked (the checkbox reads the state, not always true).
          const next = page.locator('.getting-started-step', { hasText: nls['walkthrough.handsOn.cluster.title'] }).first().locator('[role="checkbox"]').first();
          assert.equal(await next.getAttribute('aria-checked'), 'false', 'the cluster step is not done yet');
          await runCommand(page, 'View: Close All Editors');
        },
      },
      {
        name: 'the explorer shows demo-service\'s tasks and demo-app-task\'s revisions',
        fn: async () => {
          // The Japanese first screen in its own profile, beside the rest (mostly waiting on the sandbox).
          ja = firstScreenJa();
          ja.catch(() => undefined);
          const { page } = session!;
          await activityBarItem(page, 'ECS Hands-on').waitFor({ state: 'visible' });
          sb = await extensionSandbox(session!);
          admin = new SandboxAdmin(sb.endpoint, sb.adminToken);
          ecs = new ECSClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
          await populate(sb, ecs);
          await sideBar(page).locator('.composite.title .action-label[aria-label="Refresh"]').first().click();
          await expand(rowLabelled(page, CLUSTER));
          await expand(rowLabelled(page, SERVICE));
          await expand(rowLabelled(page, 'Tasks'));
          await expand(rowLabelled(page, 'Task definitions'));
          await expand(rowLabelled(page, FAMILY));
          await eventually('2 running task rows and 3 revision rows', async () =>
            (await treeRows(page).filter({ hasText: RUNNING_TASK_ROW }).count()) === 2 && (await rowLabelled(page, `${FAMILY}:${REVISIONS}`).isVisible()), 30_000, 200);
          await shot('rightclick-tree');
        },
      },
      {
        name: `${CLICKS} right-clicks (Inspect, Deploy Revision, Stop Task) while rollouts run: each acts on the row clicked, none is lost, no picker`,
        fn: async () => {
          const { page } = session!;
          await admin!.setFaults({ latencyMs: LATENCY_MS });
          assert.equal((await admin!.faults()).latencyMs, LATENCY_MS);
          const lost: string[] = [];
          const slowOnes: string[] = [];
          const stoppedByUs = new Set<string>();
          /** Tasks a rollout stopped between the right-click and Stop Task. */
          const stoppedBefore = new Set<string>();
          const counts: Record<Kind, number> = { 'inspect-task': 0, 'inspect-revision': 0, deploy: 0, stop: 0 };
          const started = Date.now();
          let skipped = 0;
          let pickers = 0;
          let moved = 0;
          let current = `${FAMILY}:1`;
          const took: Record<'menu' | Kind, number[]> = { menu: [], 'inspect-task': [], 'inspect-revision': [], deploy: [], stop: [] };
          for (let i = 0, done = 0; done < CLICKS; i++) {
            const kind = PLAN[i % PLAN.length];
            if (i > CLICKS * 3) throw new Error(`only ${done} of ${CLICKS} clicks could be made (${skipped} skipped)`);
            // The row: a running task not stopped yet, or a revision (one the service does not run, to deploy).
            let label: string;
            if (kind === 'inspect-task' || kind === 'stop') {
              const labels = (await treeRows(page).filter({ hasText: RUNNING_TASK_ROW }).locator('.label-name').allInnerTexts()).map((s) => s.trim()).filter((l) => !stoppedByUs.has(l) && !stoppedBefore.has(l));
              if (labels.length === 0) {
                skipped++;
                await sleep(300);
                continue;
              }
              label = labels[i % labels.length];
            } else {
              const revs = Array.from({ length: REVISIONS }, (_, k) => `${FAMILY}:${k + 1}`).filter((r) => kind === 'inspect-revision' || r !== current);
              label = revs[i % revs.length];
            }
            const row = rowLabelled(page, label);
            const action = kind === 'deploy' ? 'Deploy Revision to Service…' : kind === 'stop' ? 'Stop Task' : 'Inspect';
            if (kind.startsWith('inspect')) {
              // Close the previous document, so that the one this click opens is seen to open.
              for (const close of await page.locator('.tabs-container .tab .tab-actions .action-label').all()) await close.click({ timeout: 2000 }).catch(() => undefined);
            }
            await markErrorToasts(page);
            const logFrom = extensionLog(session!).length;
            const t0 = Date.now();
            try {
              await contextMenu(page, row, action, {
                timeout: 5000,
                // The row under the mouse when it was right-clicked (the tree may have moved it meanwhile): it has the focus.
                onOpen: async () => {
                  const focused = (await sideBar(page).locator('.monaco-list-row.focused .label-name').first().innerText().catch(() => '')).trim();
                  if (focused && focused !== label) {
                    log(`      (#${done + 1}: the tree moved: ${focused} was under the mouse, not ${label})`);
                    moved++;
                    label = focused;
                  }
                },
              });
            } catch (e) {
              // The row left or changed state between reading it and the right-click (a rollout
              // replaced the task): not a command, nothing to judge. Try another row.
              if (e instanceof ContextMenuActionMissing || /Timeout/.test(String(e))) {
                skipped++;
                await page.keyboard.press('Escape').catch(() => undefined);
                continue;
              }
              throw e;
            }
            done++;
            counts[kind]++;
            const t1 = Date.now();
            took.menu.push(t1 - t0);
            let result: Outcome;
            if (kind === 'inspect-task' || kind === 'inspect-revision') {
              const name = kind === 'inspect-task' ? new RegExp(`task-${label}[0-9a-f]*\\.json`) : new RegExp(`taskDefinitionRevision-${label.replace(':', '-')}\\.json`);
              result = await outcome(page, async () => name.test(await page.locator('.tabs-container .tab.active').innerText().catch(() => '')), undefined, { id: 'ecsHandson.inspect', logFrom });
            } else if (kind === 'stop') {
              let by: 'us' | 'ecs' | undefined;
              result = await outcome(page, async () => !!(by = await stoppedBy(label)), undefined, { id: 'ecsHandson.task.stop', logFrom });
              if (result.ok && by === 'us') stoppedByUs.add(label);
              else if (result.ok) stoppedBefore.add(label);
            } else {
              // Deploy asks only for the service, naming the revision clicked.
              const which = `Deploy ${label} to which service?`;
              let answered = false;
              result = await outcome(page, async () => {
                if (!answered && (await openQuickInput(page)) === which) {
                  await quickInput(page).first().locator('.quick-input-list .monaco-list-row', { hasText: SERVICE }).first().waitFor({ state: 'visible', timeout: 10_000 });
                  await page.keyboard.press('Enter');
                  answered = true;
                }
                return (await serviceRevision()).endsWith(`:task-definition/${label}`);
              }, (title) => title === which, { id: 'ecsHandson.taskDefinition.deploy', logFrom });
              if (result.ok) current = label;
            }
            took[kind].push(Date.now() - t1);
            if (result.slowMs !== undefined) {
              slowOnes.push(`#${done} ${action} on ${label}: ${result.slowMs} ms`);
              log(`      SLOW #${done} ${action} on ${label}: acted on it after ${result.slowMs} ms`);
            }
            if (!result.ok) {
              if (result.picker) pickers++;
              const what = `#${done} ${action} on ${label}: ${result.picker ? `a picker "${result.picker}"` : result.error}`;
              lost.push(what);
              log(`      LOST ${what}`);
              await shot(`rightclick-lost-${done}`);
              await page.keyboard.press('Escape');
              await quickInput(page).first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
            }
          }
          const secs = ((Date.now() - started) / 1000).toFixed(1);
          log(`      ${CLICKS} right-clicks in ${secs} s (${JSON.stringify(counts)}; ${skipped} rows gone before the click, ${moved} moved under the mouse, ${stoppedBefore.size} tasks a rollout stopped first): ${lost.length} lost, ${pickers} pickers, ${slowOnes.length} slower than 10 s`);
          const avg = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
          log(`      average ms: ${Object.entries(took).map(([k, xs]) => `${k} ${avg(xs)}`).join(', ')}`);
          await shot('rightclick-after');
          // Only the tasks clicked were stopped by the extension.
          const stoppedArns = (await ecs!.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }))).taskArns ?? [];
          const stoppedTasks = stoppedArns.length ? ((await ecs!.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: stoppedArns.slice(0, 100) }))).tasks ?? []) : [];
          const stoppedByExtension = stoppedTasks.filter((t) => t.stoppedReason === STOP_REASON).map((t) => t.taskArn!.split('/').pop()!.slice(0, 8));
          assert.deepEqual(stoppedByExtension.sort(), [...stoppedByUs].sort(), 'the tasks Stop Task stopped are the ones clicked');
          assert.equal(pickers, 0, `${pickers} of ${CLICKS} right-clicks opened a picker`);
          // VS Code itself drops the handles of a row's children while it shows that row's new list
          // (a task started or stopped) until it has fetched them again: a command chosen in those
          // few milliseconds arrives without its row, and the extension says so ("choose it again")
          // without acting. The explorer now fires only what changed, so this is rare; before the
          // fix 23 of 35 right-clicks here lost their row. See src/core/tree-diff.ts.
          assert.ok(lost.length <= MAX_LOST, `${lost.length} of ${CLICKS} right-clicks lost their row (at most ${MAX_LOST}): ${lost.join('; ')}`);
        },
      },
      {
        name: 'first start (ja): the same first screen in Japanese (run beside the right-clicks)',
        fn: async () => {
          await ja;
        },
      },
    ], { timeout: 240_000 });
  } finally {
    if (session) {
      for (const f of findLogs(session.server.userDataDir)) fs.copyFileSync(f, path.join(screenshotDir, 'rightclick-extension.log'));
    }
    await ja.catch(() => undefined);
    await jaSession?.close().catch(() => undefined);
    await admin?.setFaults({}).catch(() => undefined);
    ecs?.destroy();
    await session?.close().catch(() => undefined);
    stopSandbox();
    await browser.close().catch(() => undefined);
  }
}

runScript(main);
