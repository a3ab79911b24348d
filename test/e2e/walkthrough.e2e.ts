/**
 * Browser end-to-end test of the walkthrough: real VS Code (code-server) in headless Chromium, a
 * fresh profile with this checkout as a development extension; the extension starts its own sandbox.
 * The test opens the walkthrough from the palette and clicks through the steps inside the webview;
 * after each step it waits for the step's live check to tick and looks at what the step says to
 * look at (explorer, status bar, the probe, the deployment view, the chart).
 *
 *   npm run build && npx tsx test/e2e/walkthrough.e2e.ts
 *   ECS_HANDSON_E2E_GREP=ja npx tsx test/e2e/walkthrough.e2e.ts     # only tests whose name contains "ja"
 *
 * Screenshots: test/e2e/screenshots/walkthrough-*.png. Exits 1 on failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import {
  activityBarItem,
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
  treeRow,
  webviewFrame,
  type WorkbenchSession,
} from './harness';

const TIME_SCALE = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sandboxEndpoint(session: WorkbenchSession, timeoutMs = 60_000): Promise<string> {
  const lock = path.join(session.server.userDataDir, 'User/globalStorage/ecs-handson.ecs-handson/sandbox/state.json.lock');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const info = JSON.parse(fs.readFileSync(lock, 'utf8')) as { endpoint?: string };
      if (info.endpoint) return info.endpoint;
    } catch {
      // not yet
    }
    await sleep(250);
  }
  throw new Error(`no sandbox lock at ${lock}`);
}

async function setTimeScale(endpoint: string, scale: number): Promise<void> {
  const r = await fetch(`${endpoint}/_sandbox/time-scale`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scale }) });
  assert.ok(r.ok, `time-scale ${scale}: HTTP ${r.status}`);
  log(`      sandbox time scale ${scale}`);
}

function frame(page: Page): FrameLocator {
  return webviewFrame(page);
}

/** Waits until the current step (by id) is shown and its check says `status`. */
async function waitCheck(page: Page, status: 'pass' | 'fail' | 'waiting', timeout: number): Promise<string> {
  const f = frame(page);
  const box = f.locator(`#check[data-status="${status}"]`);
  try {
    await box.waitFor({ timeout });
  } catch (e) {
    const now = await f.locator('#check').innerText().catch(() => '?');
    const msg = await f.locator('#action-message').innerText().catch(() => '');
    throw new Error(`check did not become ${status}; it shows: ${now.replace(/\s+/g, ' ')}; action message: ${msg}\n${String(e)}`);
  }
  return (await box.innerText()).replace(/\s+/g, ' ');
}

async function current(page: Page, step: string, timeout = 15_000): Promise<void> {
  await frame(page).locator(`#nav-${step}[aria-current="step"]`).waitFor({ timeout });
}

async function goTo(page: Page, step: string): Promise<void> {
  await frame(page).locator(`#nav-${step}`).click();
  await current(page, step);
}

async function act(page: Page, action: string): Promise<void> {
  const f = frame(page);
  const b = f.locator(`#action-${action}`);
  await b.waitFor({ timeout: 15_000 });
  // The button is disabled while another action runs.
  for (let i = 0; i < 100 && (await b.getAttribute('disabled')) !== null; i++) await sleep(300);
  await b.click();
  log(`      clicked ${action}`);
}

/** Waits until no action runs and the last action did not fail. */
async function actionSettled(page: Page, timeout = 240_000): Promise<void> {
  const f = frame(page);
  // The click reaches the host asynchronously: give the progress ring a moment to show, or a fast
  // action seems settled before it started and the next click gets "Another action is running".
  await f.locator('vscode-progress-ring').first().waitFor({ timeout: 1500 }).catch(() => undefined);
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const running = await f.locator('vscode-progress-ring').count();
    if (!running) break;
    await sleep(500);
  }
  const bad = await f.locator('#action-message.bad').count();
  if (bad) throw new Error(`the action failed: ${await f.locator('#action-message').innerText()}`);
}

/** The workbench's theme kind (vs / vs-dark); toggles light/dark when the setting did not apply. */
async function ensureTheme(page: Page, kind: 'vs' | 'vs-dark'): Promise<void> {
  const is = async () => page.locator(`.monaco-workbench.${kind}`).count();
  for (let i = 0; i < 20 && !(await is()); i++) await sleep(250);
  if (!(await is())) await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 10_000 });
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/webview/walkthrough.js'))) throw new Error('dist/webview/walkthrough.js is missing: run `npm run build` first');
  const browser = await launchBrowser();
  let session: WorkbenchSession | undefined;
  let endpoint = '';
  /** Screenshot with the notifications cleared and, when given, a part of the panel scrolled into view. */
  const shot = async (name: string, at?: string) => {
    if (!session) return;
    await clearNotifications(session.page).catch(() => undefined);
    if (at) await frame(session.page).locator(at).first().scrollIntoViewIfNeeded({ timeout: 5000 }).catch(() => undefined);
    await screenshot(session.page, `walkthrough-${name}`).catch(() => undefined);
  };
  const step = (name: string, fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (e) {
      await shot(`failure-${name}`);
      throw e;
    }
  };
  const page = () => session!.page;

  try {
    await runE2e('e2e walkthrough (code-server 4.99.4 + Chromium)', [
      {
        name: 'opens from the palette in a fresh profile, dark theme; the first step is current',
        fn: step('open', async () => {
          session = await openSession({ browser, settings: { 'ecsHandson.sandbox.timeScale': TIME_SCALE, 'workbench.colorTheme': 'Default Dark Modern' } });
          await ensureTheme(page(), 'vs-dark');
          await runCommand(page(), 'ECS Hands-on: Open Walkthrough');
          await current(page(), 'prepare-image', 30_000);
          const f = frame(page());
          assert.equal(await f.locator('.steps li').count(), 15, '15 steps in the list');
          assert.match(await f.locator('#progress-text').innerText(), /0 of 15/);
          await shot('00-prepare-image');
          await act(page(), 'acknowledge');
          await waitCheck(page(), 'pass', 10_000);
          assert.match(await f.locator('#progress-text').innerText(), /1 of 15/);
          await f.locator('#next').click();
          await current(page(), 'construction-order');
          assert.equal(await f.locator('.order-item').count(), 4, 'the order diagram has 4 boxes');
          await shot('01-construction-order');
          await act(page(), 'acknowledge');
          await waitCheck(page(), 'pass', 10_000);
        }),
      },
      {
        name: 'a step that needs earlier ones says so and goes back',
        fn: step('needs', async () => {
          const f = frame(page());
          await goTo(page(), 'create-service');
          const needs = f.locator('#needs');
          await needs.waitFor({ timeout: 10_000 });
          assert.match(await needs.innerText(), /Create the cluster|cluster/i);
          await shot('needs-go-back');
          await f.locator('#needs .go-back').first().click();
          await current(page(), 'create-cluster');
        }),
      },
      {
        name: 'create-cluster: demo-cluster with 2 container instances; the explorer shows it',
        fn: step('create-cluster', async () => {
          endpoint = await sandboxEndpoint(session!);
          await act(page(), 'create');
          await actionSettled(page());
          const text = await waitCheck(page(), 'pass', 180_000);
          log(`      check: ${text}`);
          await shot('02-create-cluster', '#check');
          await activityBarItem(page(), 'ECS Hands-on').click();
          await treeRow(page(), /demo-cluster/).first().waitFor({ timeout: 30_000 });
        }),
      },
      {
        name: 'task-definition: demo-app-task with ver1.0, 8080 → 80',
        fn: step('task-definition', async () => {
          await goTo(page(), 'task-definition');
          await act(page(), 'register');
          await actionSettled(page());
          await waitCheck(page(), 'pass', 60_000);
          await shot('03-task-definition');
        }),
      },
      {
        name: 'load-balancer: app-demo-lb with a listener on 80',
        fn: step('load-balancer', async () => {
          await goTo(page(), 'load-balancer');
          await act(page(), 'create');
          await actionSettled(page());
          await waitCheck(page(), 'pass', 120_000);
          await shot('04-load-balancer');
        }),
      },
      {
        name: 'create-service: demo-service has 2 RUNNING tasks behind app-demo-lb',
        fn: step('create-service', async () => {
          await goTo(page(), 'create-service');
          assert.equal(await frame(page()).locator('#needs').count(), 0, 'no missing prerequisite any more');
          await act(page(), 'create');
          await actionSettled(page());
          const text = await waitCheck(page(), 'pass', 180_000);
          log(`      check: ${text}`);
          await shot('05-create-service', '#check');
        }),
      },
      {
        name: 'kill-container: a stopped (then a crashed) task is replaced; the probe shows the traffic',
        fn: step('kill-container', async () => {
          await goTo(page(), 'kill-container');
          const f = frame(page());
          await f.locator('#probe-codes vscode-badge[data-code="200"]').waitFor({ timeout: 60_000 });
          // StopTask: ECS replaces the task (the sandbox, like AWS today, deregisters it first).
          await act(page(), 'stopTask');
          await actionSettled(page());
          let text = await waitCheck(page(), 'pass', 120_000);
          log(`      check after stop: ${text}`);
          // A crashing container (sandbox fault injection), on a slow clock so that the 502 window lasts
          // seconds even when a loaded machine answers the probe slowly.
          await setTimeScale(endpoint, 2);
          await act(page(), 'crashTask');
          await actionSettled(page());
          text = await waitCheck(page(), 'pass', 180_000);
          log(`      check after crash: ${text}`);
          await sleep(3000);
          const codes = (await f.locator('#probe-codes').innerText()).replace(/\s+/g, ' ');
          const stats = await f.locator('#probe-stats').innerText();
          log(`      probe: ${codes} · ${stats}`);
          assert.match(codes, /\b200: \d+/, 'the probe shows the 200s');
          assert.match(stats, /^\d+ requests, \d+ errors, longest error window \d+\.\d s$/);
          await shot('06-kill-container', '#h-probe');
          await setTimeScale(endpoint, TIME_SCALE);
        }),
      },
      {
        name: 'release: ver2.0 as a new revision; the rollout waits on port 80 until a task is stopped; the status bar follows it',
        fn: step('release', async () => {
          await goTo(page(), 'release');
          const f = frame(page());
          await act(page(), 'registerRevision');
          await actionSettled(page());
          await act(page(), 'update');
          await actionSettled(page());
          await statusBarItem(page(), /demo-service/).first().waitFor({ timeout: 60_000 });
          await f.locator('.deployments tbody tr').nth(1).waitFor({ timeout: 60_000 });
          await shot('07-release-in-progress', '#h-deployment');
          log(`      status bar: ${(await statusBarItem(page(), /demo-service/).first().innerText()).replace(/\s+/g, ' ')}`);
          // As in the article: stop an old task so that the new one can take its port 80 (again
          // while the rollout still waits, since min 100% keeps the other old task until then).
          let text = '';
          for (let i = 0; i < 4 && !text; i++) {
            await act(page(), 'stopTask');
            await actionSettled(page());
            text = await waitCheck(page(), 'pass', 60_000).catch(() => '');
          }
          assert.ok(text, 'the release completed');
          log(`      check: ${text}`);
          await shot('07-release-done', '#h-deployment');
        }),
      },
      {
        name: 'bluegreen-port-conflict: maximumPercent 200 on 2 instances → the port-conflict event',
        fn: step('bluegreen-port-conflict', async () => {
          await goTo(page(), 'bluegreen-port-conflict');
          await act(page(), 'registerRevision');
          await actionSettled(page());
          await act(page(), 'update');
          await actionSettled(page());
          const text = await waitCheck(page(), 'pass', 180_000);
          log(`      check: ${text}`);
          await frame(page()).locator('.events li', { hasText: 'is already using a port required by your task' }).first().waitFor({ timeout: 10_000 });
          await shot('08-bluegreen-port-conflict', '#h-deployment');
        }),
      },
      {
        name: 'bluegreen-four-instances: 4 instances, 4 tasks at once, then only the new revision',
        fn: step('bluegreen-four-instances', async () => {
          await goTo(page(), 'bluegreen-four-instances');
          const f = frame(page());
          await act(page(), 'scaleInstances');
          await actionSettled(page());
          await act(page(), 'registerRevision');
          await actionSettled(page());
          await act(page(), 'update');
          await actionSettled(page());
          await f.locator('.instance').nth(3).waitFor({ timeout: 180_000 });
          // 4 tasks during Blue/Green
          const until = Date.now() + 180_000;
          let most = 0;
          while (Date.now() < until && most < 4) {
            most = Math.max(most, await f.locator('.instances .task').count());
            if (most >= 4) await shot('09-bluegreen-four-tasks', '#h-deployment');
            await sleep(500);
          }
          assert.ok(most >= 4, `4 tasks at once in the deployment view (most seen ${most})`);
          await setTimeScale(endpoint, 60);
          const text = await waitCheck(page(), 'pass', 240_000);
          await setTimeScale(endpoint, TIME_SCALE);
          log(`      check: ${text}`);
          await shot('09-bluegreen-four-instances-done');
        }),
      },
      {
        name: 'bluegreen-dynamic-ports: 2 instances, dynamic host ports, 4 tasks on 2 instances then only the new',
        fn: step('bluegreen-dynamic-ports', async () => {
          await goTo(page(), 'bluegreen-dynamic-ports');
          await act(page(), 'scaleInstances');
          await actionSettled(page());
          await act(page(), 'registerRevision');
          await actionSettled(page());
          await act(page(), 'update');
          await actionSettled(page());
          // See the 4 tasks side by side at the normal pace first; then let the drain pass quickly.
          await frame(page()).locator('.check-items li.ok', { hasText: /4 tasks/ }).waitFor({ timeout: 180_000 });
          await setTimeScale(endpoint, 60);
          const text = await waitCheck(page(), 'pass', 300_000);
          await setTimeScale(endpoint, TIME_SCALE);
          log(`      check: ${text}`);
          await shot('10-bluegreen-dynamic-ports', '#h-deployment');
        }),
      },
      {
        name: 'autoscaling-service: policies and an alarm at 20%',
        fn: step('autoscaling-service', async () => {
          await goTo(page(), 'autoscaling-service');
          await act(page(), 'configure');
          await actionSettled(page());
          await waitCheck(page(), 'pass', 60_000);
          await shot('11-autoscaling-service');
        }),
      },
      {
        name: 'autoscaling-cluster: the instances\' Auto Scaling group, max 4, policies at 20%',
        fn: step('autoscaling-cluster', async () => {
          await goTo(page(), 'autoscaling-cluster');
          await act(page(), 'configure');
          await actionSettled(page());
          await waitCheck(page(), 'pass', 60_000);
          await shot('12-autoscaling-cluster');
        }),
      },
      {
        name: 'autoscaling-run: load from the walkthrough → scale-out to 4 → stop → back to 2',
        fn: step('autoscaling-run', async () => {
          await goTo(page(), 'autoscaling-run');
          const f = frame(page());
          await act(page(), 'loadStart');
          await f.locator('#load-status', { hasText: /req/ }).waitFor({ timeout: 60_000 });
          await f.locator('.check-items li.ok', { hasText: /4 tasks/ }).waitFor({ timeout: 180_000 });
          // The cluster's CPU (Σ used / Σ registered CPU of the instances) crosses 20% later than the
          // service's: keep the load on until the instances scaled out too, as the article's ab run does.
          await f.locator('.check-items li.ok', { hasText: /instances scaled out to 4/ }).waitFor({ timeout: 240_000 });
          await shot('13-autoscaling-scaled-out', '#h-chart');
          await act(page(), 'loadStop');
          // Stays at TIME_SCALE: at 60x a simulated minute is 1 s real while the task processes report
          // CPU every 500 ms, so the 1-minute CPU datapoints the scale-in alarm reads are too noisy.
          const text = await waitCheck(page(), 'pass', 400_000);
          log(`      check: ${text}`);
          await shot('13-autoscaling-run', '#h-chart');
        }),
      },
      {
        name: 'cleanup: everything is gone; progress survives a reload, reset clears it',
        fn: step('cleanup', async () => {
          await goTo(page(), 'cleanup');
          await act(page(), 'cleanup');
          await actionSettled(page(), 400_000);
          await waitCheck(page(), 'pass', 300_000);
          await shot('14-cleanup');
        }),
      },
      {
        name: 'progress persists across a reload (serializer restores the panel), reset clears it',
        fn: step('reload', async () => {
          const f = frame(page());
          const before = await f.locator('#progress-text').innerText();
          await runCommand(page(), 'Developer: Reload Window');
          await page().locator('.monaco-workbench').waitFor({ timeout: 60_000 });
          await frame(page()).locator('#progress-text').waitFor({ timeout: 60_000 });
          assert.equal(await frame(page()).locator('#progress-text').innerText(), before);
          await frame(page()).locator('#reset').click();
          await frame(page()).locator('#reset').click();
          await frame(page()).locator('#progress-text', { hasText: /^0 of 15/ }).waitFor({ timeout: 10_000 });
          await session!.close();
          session = undefined;
        }),
      },
      {
        name: 'ja: Japanese locale, light theme: the command and the panel are in Japanese',
        fn: step('ja', async () => {
          session?.close();
          session = await openSession({ browser, locale: 'ja', settings: { 'ecsHandson.sandbox.timeScale': TIME_SCALE, 'workbench.colorTheme': 'Default Light Modern' } });
          await ensureTheme(page(), 'vs');
          await runCommand(page(), 'ECS Hands-on: ウォークスルーを開く');
          await current(page(), 'prepare-image', 30_000);
          const f = frame(page());
          assert.equal(await f.locator('html').getAttribute('lang'), 'ja');
          assert.match(await f.locator('#progress-text').innerText(), /15/);
          assert.match(await f.locator('#h-check').innerText(), /チェック/);
          await shot('ja-00-prepare-image');
          await goTo(page(), 'kill-container');
          await shot('ja-light-kill-container', '#h-probe');
          await session.close();
          session = undefined;
        }),
      },
    ], { timeout: 600_000 });
  } finally {
    await session?.close();
    await browser.close();
  }
}

void main();
