/**
 * Browser end-to-end test of the walkthrough: real VS Code (code-server) in headless Chromium, a
 * fresh profile with this checkout packaged and installed from its .vsix, as a user would (a
 * development extension host has no built-in themes, so neither dark, light nor high contrast would
 * be real); the extension starts its own sandbox.
 * The test opens the walkthrough from the palette and clicks through the steps inside the webview;
 * after each step it waits for the step's live check to tick and looks at what the step says to
 * look at (explorer, status bar, the probe, the deployment view, the chart).
 *
 *   npm run build && npx tsx test/e2e/walkthrough.e2e.ts
 *   ECS_HANDSON_E2E_GREP=release npx tsx test/e2e/walkthrough.e2e.ts  # only tests whose name contains "release"
 *
 * The Japanese panel (installed from the .vsix, light theme) is checked in walkthrough-keyboard.e2e.ts.
 *
 * Screenshots: test/e2e/screenshots/walkthrough-*.png. Exits 1 on failure.
 */
import { SandboxAdmin, adminTokenFromStateFile } from '../../src/aws/sandbox-admin';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { eventually } from '../helpers/wait';
import {
  activityBarItem,
  checkPrerequisites,
  clearNotifications,
  ensureTheme,
  launchBrowser,
  log,
  makeTempDir,
  openSession,
  packageExtension,
  pickColorTheme,
  repoRoot,
  runCommand,
  startCommand,
  runE2e,
  screenshot,
  statusBarItem,
  treeRow,
  webviewFrame,
  type WorkbenchSession,
} from './harness';

const TIME_SCALE = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The extension's sandbox, as a CLI user finds it: the endpoint in its lock file, the admin token in its state file. */
async function sandboxAdmin(session: WorkbenchSession, timeoutMs = 60_000): Promise<SandboxAdmin> {
  const stateFile = path.join(session.server.userDataDir, 'User/globalStorage/ecs-handson.ecs-handson/sandbox/state.json');
  const lock = `${stateFile}.lock`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const info = JSON.parse(fs.readFileSync(lock, 'utf8')) as { endpoint?: string };
      if (info.endpoint) return new SandboxAdmin(info.endpoint, await adminTokenFromStateFile(stateFile));
    } catch {
      // not yet
    }
    await sleep(250);
  }
  throw new Error(`no sandbox lock at ${lock}`);
}

async function setTimeScale(admin: SandboxAdmin | undefined, scale: number): Promise<void> {
  assert.ok(admin, 'the sandbox was found');
  await admin.setTimeScale(scale);
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
    throw new Error(`check did not become ${status}; it shows: ${now.replace(/\s+/g, ' ')}; action message: ${msg}\n${String(e)}`, { cause: e });
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

/**
 * Runs `fn` (an action run from the panel) and fails if a notification toast matching `re` shows
 * meanwhile: a walkthrough action reports its progress and result in the panel, not in toasts
 * (they would cover the panel's Next button).
 */
async function withoutToasts(page: Page, re: RegExp, fn: () => Promise<void>): Promise<void> {
  const seen: string[] = [];
  let done = false;
  const watch = (async () => {
    while (!done) {
      for (const text of await page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => [] as string[])) {
        if (re.test(text) && !seen.includes(text)) seen.push(text.replace(/\s+/g, ' '));
      }
      await sleep(150);
    }
  })();
  try {
    await fn();
    await sleep(1000);
  } finally {
    done = true;
    await watch;
  }
  assert.deepEqual(seen, [], 'notifications shown while an action ran from the walkthrough');
}

/** The probe's summary line and status codes, for the log. */
async function probeText(page: Page): Promise<string> {
  const f = frame(page);
  return `${(await f.locator('#probe-codes').innerText()).replace(/\s+/g, ' ')} · ${await f.locator('#probe-stats').innerText()}`;
}

/** How many requests of the probe got `code` (0 when it has none). */
async function probeCount(page: Page, code: string): Promise<number> {
  const badge = frame(page).locator(`#probe-codes vscode-badge[data-code="${code}"]`);
  if (!(await badge.count())) return 0;
  return Number(/:\s*(\d+)/.exec(await badge.innerText())?.[1] ?? 0);
}

/**
 * Switches the workbench's colour theme to Default High Contrast (on) or back to Default Dark Modern
 * (off) through "Preferences: Color Theme", as a user would.
 */
async function setHighContrast(session: WorkbenchSession, on: boolean): Promise<void> {
  const label = on ? 'Dark High Contrast' : 'Dark Modern';
  await pickColorTheme(session.page, label, on ? 'hc-black' : 'vs-dark');
  log(`      theme: ${label}`);
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/webview/walkthrough.js'))) throw new Error('dist/webview/walkthrough.js is missing: run `npm run build` first');
  const scratch = makeTempDir('ecs-handson-e2e-walkthrough-');
  const vsix = await packageExtension(scratch);
  const browser = await launchBrowser();
  let session: WorkbenchSession | undefined;
  let admin: SandboxAdmin | undefined;
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
          session = await openSession({ browser, vsix, settings: { 'ecsHandson.sandbox.timeScale': TIME_SCALE, 'workbench.colorTheme': 'Default Dark Modern' } });
          await ensureTheme(page(), 'vs-dark');
          await runCommand(page(), 'ECS Hands-on: Open Walkthrough');
          await current(page(), 'prepare-image', 30_000);
          const f = frame(page());
          assert.equal(await f.locator('.steps li').count(), 15, '15 steps in the list');
          assert.match(await f.locator('#progress-text').innerText(), /0 of 15/);
          await shot('00-prepare-image');
          // "Got it — continue": the step is done and the next one is shown.
          await act(page(), 'acknowledge');
          await f.locator('#nav-prepare-image.done').waitFor({ timeout: 10_000 });
          await current(page(), 'construction-order');
          assert.equal(await f.locator('.order-item').count(), 4, 'the order diagram has 4 boxes');
          await shot('01-construction-order');
          await act(page(), 'acknowledge');
          await f.locator('#nav-construction-order.done').waitFor({ timeout: 10_000 });
          await current(page(), 'create-cluster');
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
          admin = await sandboxAdmin(session!);
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
          await withoutToasts(page(), /Regist|demo-app-task/, async () => {
            await act(page(), 'register');
            // The command's progress shows beside the action, its result below it.
            await actionSettled(page());
          });
          // Registered with the console's log collection: its log group is created at once.
          assert.equal(
            (await frame(page()).locator('#action-message.ok').innerText()).trim(),
            'Registered demo-app-task:1. Created log group /ecs/demo-app-task in CloudWatch Logs: the container logs go there (Show Logs on a task or service).',
          );
          await waitCheck(page(), 'pass', 60_000);
          await shot('03-task-definition');
          // The AWS CLI behind the click, under the collapsed "AWS CLI" heading: the registration and
          // the log group it created, with the sandbox's profile and endpoint (issue 14).
          const cli = frame(page()).locator('#cli');
          assert.equal(await cli.getAttribute('open'), null, 'the AWS CLI section starts collapsed');
          await frame(page()).locator('#h-cli').click();
          // (Long commands continue on the next line after a backslash: read them as one line.)
          const script = (await cli.locator('.cli-action[data-action="register"] pre.cli-script').innerText()).trim().replace(/\\\n\s*/g, ' ');
          const logGroupLine = script.split('\n').find((l) => l.includes('aws logs create-log-group')) ?? '';
          assert.ok(logGroupLine.includes('--log-group-name /ecs/demo-app-task'), `the log group's command: ${script}`);
          assert.ok(logGroupLine.includes('--profile ecs-handson-sandbox'), `the sandbox's profile: ${logGroupLine}`);
          assert.match(logGroupLine, /--endpoint-url http:\/\/127\.0\.0\.1:\d+/);
          assert.match(script, /aws ecs register-task-definition [^\n]*--family demo-app-task/);
          await shot('03-task-definition-aws-cli', '#cli .cli-action');
          await frame(page()).locator('#h-cli').click();
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
          // The text names the load balancer's real URL (its *.elb.localhost name and port).
          const named = await frame(page()).locator('.section-what code', { hasText: /\/app\/$/ }).first().innerText();
          log(`      the step says to open: ${named}`);
          assert.match(named, /^http:\/\/app-demo-lb-\d+\.[a-z0-9-]+\.elb\.localhost:\d+\/app\/$/);
          // Open Endpoint in Browser: through code-server's proxy, with the path (/app/) kept.
          const { server } = session!;
          await startCommand(page(), 'Open Endpoint in Browser');
          await page().locator('.quick-input-list .monaco-list-row', { hasText: 'app-demo-lb' }).first().waitFor({ state: 'visible', timeout: 20_000 });
          const popupP = page().context().waitForEvent('page', { timeout: 20_000 });
          await page().keyboard.press('Enter');
          const popup = await popupP;
          await popup.waitForLoadState('domcontentloaded');
          log(`      opened: ${popup.url()}`);
          assert.match(popup.url(), new RegExp(`^${server.baseUrl}/proxy/\\d+/app/$`));
          await popup.locator('h1', { hasText: /^Demo app ver1\.0/ }).waitFor({ timeout: 15_000 });
          assert.equal(await page().locator('.monaco-dialog-box').count(), 0, 'no "open the external website?" dialog');
          await popup.close();
        }),
      },
      {
        name: 'kill-container: a stopped (then a crashed) task is replaced; the probe shows the traffic',
        fn: step('kill-container', async () => {
          await goTo(page(), 'kill-container');
          const f = frame(page());
          await f.locator('#probe-codes vscode-badge[data-code="200"]').waitFor({ timeout: 60_000 });
          // The article's experiment needs a working site first: the instances registered with the load
          // balancer start unhealthy (nothing listened on port 80), and while no target is healthy the
          // load balancer fails open and a stopped task's target is removed at once (no 502 window).
          await f.locator('#probe-targets[data-healthy="2"]').waitFor({ timeout: 120_000 });
          log(`      targets: ${await f.locator('#probe-targets').innerText()}`);
          // "Show the service's logs": the logs editor opens below the panel, with both tasks' start-up lines.
          await act(page(), 'showLogs');
          await actionSettled(page());
          const logsGroup = page().locator('.editor-group-container', { has: page().locator('.tab', { hasText: 'demo-service.log' }) }).first();
          await logsGroup.waitFor({ state: 'visible', timeout: 20_000 });
          // The load balancer's health checks and the probe add an access-log line every few seconds:
          // the editor's Filter… (title bar) keeps the demo app's own lines (Starting / Started / Stopped DemoApplication).
          await logsGroup.locator('.editor-actions .action-label[aria-label*="Filter Logs"]').first().click();
          const filterBox = page().locator('.quick-input-widget input.input');
          await filterBox.waitFor({ state: 'visible', timeout: 10_000 });
          await filterBox.fill('DemoApplication');
          await page().keyboard.press('Enter');
          const logLines = async () => (await logsGroup.locator('.monaco-editor .view-lines .view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
          const started = async () => new Set((await logLines()).flatMap((l) => /^\S+ \[([0-9a-f]{8})\] Started DemoApplication ver1\.0/.exec(l)?.[1] ?? []));
          await eventually('both tasks\' start-up lines in the service\'s logs', async () => (await started()).size >= 2, 30_000, 300);
          log(`      service logs (filtered) before the stop: ${[...(await started())].join(', ')} started`);
          assert.ok(await frame(page()).locator('#probe-codes').isVisible(), 'the panel stays visible above the logs');
          // StopTask: ECS replaces the task; its target stays in the group until the replacement runs or the
          // health checks fail, so about every other request gets a 502 meanwhile (a short window at this clock).
          const before = await started();
          await act(page(), 'stopTask');
          await actionSettled(page());
          let text = await waitCheck(page(), 'pass', 120_000);
          // The logs followed it: the stopped task's shutdown (SIGTERM, then its last line), the replacement's start-up.
          await eventually('the stop and the replacement in the service\'s logs', async () => {
            const lines = await logLines();
            const stopped = lines.some((l) => /^\S+ \[[0-9a-f]{8}\] Stopped DemoApplication ver1\.0 after serving \d+ requests?/.test(l));
            const fresh = [...(await started())].filter((id) => !before.has(id));
            if (stopped && fresh.length) log(`      service logs after the stop: ${lines.filter((l) => /DemoApplication/.test(l)).map((l) => l.replace(/^\S+ /, '').slice(0, 60)).join(' / ')}`);
            return stopped && fresh.length > 0;
          }, 60_000, 300).catch(async (e) => {
            throw new Error(`${(e as Error).message}; the logs: ${(await logLines()).join('\n')}`);
          });
          await screenshot(page(), 'walkthrough-kill-container-logs');
          await logsGroup.locator('.tab', { hasText: 'demo-service.log' }).locator('.tab-actions .action-label').click();
          await logsGroup.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
          log(`      check after stop: ${text}`);
          log(`      probe after stop: ${await probeText(page())}`);
          // A crashing container (sandbox fault injection), on a slow clock: the crashed task's target
          // stays in the group until its replacement runs on the same instance and port, and requests
          // routed to it meanwhile get 502 (the article's "502 Bad Gateway while a task restarts").
          const crashAndSeeTheWindow = async () => {
            // The oldest task is crashed: its target is a healthy one (the replacement's may still be initial).
            await f.locator('#probe-targets:not([data-healthy="0"])').waitFor({ timeout: 120_000 });
            log(`      targets: ${await f.locator('#probe-targets').innerText()}`);
            const before = await probeCount(page(), '502');
            const crashedAt = Date.now();
            const since = () => `${((Date.now() - crashedAt) / 1000).toFixed(1)} s after the crash`;
            await act(page(), 'crashTask');
            await actionSettled(page());
            // The probe samples 5 requests/s whatever the load: the window (seconds at this clock) shows.
            const seen = Date.now() + 60_000;
            while (Date.now() < seen && (await probeCount(page(), '502')) <= before) await sleep(250);
            log(`      first 502s of the crash: ${since()}`);
            // The window closes once the replacement runs on the same instance and port: 200s again.
            const closed = Date.now() + 60_000;
            let good = 0;
            while (Date.now() < closed && good < 8) {
              good = /^200 /.test(await f.locator('.probe-last').innerText().catch(() => '')) ? good + 1 : 0;
              await sleep(250);
            }
            const stats = await f.locator('#probe-stats').innerText();
            const codes = (await f.locator('#probe-codes').innerText()).replace(/\s+/g, ' ');
            log(`      probe after crash: ${codes} · ${stats} (${since()})`);
            assert.match(codes, /\b200: \d+/, 'the probe shows the 200s');
            const m = /^(\d+) requests, (\d+) errors, longest error window (\d+\.\d) s \(sandbox time\)$/.exec(stats);
            assert.ok(m, `probe stats: ${stats}`);
            assert.ok((await probeCount(page(), '502')) > before, `the crash's 502s are in the probe: ${codes}`);
            assert.ok(Number(m[3]) > 0, `a non-zero longest error window: ${stats}`);
            await shot('06-kill-container', '#h-probe');
            return since;
          };
          await setTimeScale(admin, 2);
          let since: () => string;
          try {
            since = await crashAndSeeTheWindow();
          } finally {
            await setTimeScale(admin, TIME_SCALE);
          }
          // What the 502s were, said in the panel (with the target group's health-check numbers).
          const window502 = f.locator('#live-insight[data-kind="502-window"]');
          await window502.waitFor({ timeout: 30_000 });
          log(`      insight: ${(await window502.innerText()).replace(/\s+/g, ' ')}`);
          assert.match(await window502.locator('.plain').innerText(), /^(502 Bad Gateway right now|The 502 window lasted \d+:\d\d \(sandbox time\))/);
          assert.match(await window502.locator('.remedy').innerText(), /failed health checks \d+ s apart/);
          await shot('06-kill-container-insight', '#live-insight');
          // The window was seen: the replacement's health checks (5 × 30 s) pass on the normal clock.
          text = await waitCheck(page(), 'pass', 180_000);
          log(`      check after crash: ${text} (${since()})`);
        }),
      },
      {
        name: 'high contrast: the workbench in Default High Contrast; the webview follows (probe with the 502 window)',
        fn: step('high-contrast', async () => {
          await setHighContrast(session!, true);
          await frame(page()).locator('body.vscode-high-contrast').waitFor({ state: 'attached', timeout: 15_000 });
          // The probe's canvas is redrawn with the theme's colours on the next samples.
          await sleep(1000);
          await shot('hc-kill-container', '#h-probe');
          await setHighContrast(session!, false);
          await frame(page()).locator('body.vscode-dark').waitFor({ state: 'attached', timeout: 15_000 });
        }),
      },
      {
        name: 'release: ver2.0 as a new revision; the rollout waits on port 80 until a task is stopped; the status bar follows it',
        fn: step('release', async () => {
          await goTo(page(), 'release');
          const f = frame(page());
          await withoutToasts(page(), /Regist|demo-app-task|Updat|demo-service/, async () => {
            await act(page(), 'registerRevision');
            await actionSettled(page());
            await act(page(), 'update');
            await actionSettled(page());
          });
          await statusBarItem(page(), /demo-service/).first().waitFor({ timeout: 60_000 });
          await f.locator('.deployments tbody tr').nth(1).waitFor({ timeout: 60_000 });
          await shot('07-release-in-progress', '#h-deployment');
          // The article's insight as it happens: stuck on port 80, in the status bar's words, with what to do.
          const insight = f.locator('#live-insight[data-kind="port-conflict"]');
          await insight.waitFor({ timeout: 60_000 });
          assert.equal((await insight.locator('.plain').innerText()).trim(), 'Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones.');
          assert.match(await insight.locator('.note').innerText(), /press "Stop an old task"/);
          assert.match(await insight.locator('.raw').innerText(), /already using a port required by your task/);
          await shot('07-release-insight', '#live-insight');
          log(`      status bar: ${(await statusBarItem(page(), /demo-service/).first().innerText()).replace(/\s+/g, ' ')}`);
          // As in the article: stop an old task so that the new one can take its port 80 (again
          // while the rollout still waits, since min 100% keeps the other old task until then).
          // The rest is the deregistration delay (300 s) twice and the new tasks' health checks:
          // at 60x (health-check timeouts keep a real floor of 2 s in the sandbox).
          // One old task at a time, as the article does: stop one, wait until its new-revision
          // replacement runs (minimumHealthyPercent 100 then keeps the other old task until it is
          // stopped too), stop the next.
          await setTimeScale(admin, 60);
          const passed = f.locator('#check[data-status="pass"]');
          const newRunning = () => f.locator('.instances .task.new', { hasText: 'RUNNING' }).count();
          const oldRunning = () => f.locator('.instances .task.old', { hasText: 'RUNNING' }).count();
          for (let i = 0; i < 4 && !(await passed.count()) && (await oldRunning()) > 0; i++) {
            const before = await newRunning();
            await act(page(), 'stopTask');
            await actionSettled(page());
            const until = Date.now() + 60_000;
            while (Date.now() < until && !(await passed.count()) && (await newRunning()) <= before) await sleep(250);
            log(`      after stopping an old task: ${await newRunning()} new task(s) running`);
          }
          const text = await waitCheck(page(), 'pass', 60_000);
          await setTimeScale(admin, TIME_SCALE);
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
          await setTimeScale(admin, 60);
          const text = await waitCheck(page(), 'pass', 240_000);
          await setTimeScale(admin, TIME_SCALE);
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
          await setTimeScale(admin, 60);
          const text = await waitCheck(page(), 'pass', 300_000);
          await setTimeScale(admin, TIME_SCALE);
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
          // The chart shows the CPU that fired the alarm: a 1-minute datapoint above the 20% threshold.
          const peak = f.locator('#chart-summary[data-cpu-peak]');
          await peak.waitFor({ state: 'attached', timeout: 60_000 });
          for (let i = 0; i < 120 && Number(await peak.getAttribute('data-cpu-peak')) <= 20; i++) await sleep(500);
          log(`      chart: ${await peak.innerText()}`);
          assert.ok(Number(await peak.getAttribute('data-cpu-peak')) > 20, `the chart shows CPU above the threshold: ${await peak.innerText()}`);
          await shot('13-autoscaling-scaled-out', '#h-chart');
          await act(page(), 'loadStop');
          // The chart in high contrast too (a moment, while the alarm waits for the scale-in).
          await setHighContrast(session!, true);
          await frame(page()).locator('body.vscode-high-contrast').waitFor({ state: 'attached', timeout: 15_000 });
          await sleep(1000);
          await shot('hc-autoscaling', '#h-chart');
          await setHighContrast(session!, false);
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
          // The deleted service's rollout leaves the status bar (it used to stay as "deployed").
          await statusBarItem(page(), /demo-service/).first().waitFor({ state: 'detached', timeout: 10_000 });
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
    ], { timeout: 600_000 });
  } finally {
    await session?.close();
    await browser.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
