/**
 * Right-click actions act on the row clicked (issue 11), in a real browser: 50 right-clicks in the
 * ECS explorer — Inspect on task and revision rows, Deploy Revision on revision rows, Stop Task on
 * task rows, mixed — each chosen from the real context menu with the keyboard (ArrowDown, Enter),
 * while rollouts run, the explorer auto-refreshes at its default (every 5 s) and the sandbox answers
 * every API call 250 ms late (its latency fault). A command that arrives without its row asks what
 * to act on ("What to inspect", "Revision to deploy", "Task to stop") or fails: that is a lost
 * target. Asserts 0 lost targets, 0 pickers, and that each command acted on the row clicked: the
 * inspected document is that resource's, the stopped task is the one clicked (and no other), the
 * service runs the revision clicked.
 *
 *   npm run build && npx tsx test/e2e/rightclick.e2e.ts
 *   ECS_HANDSON_E2E_CLICKS=N (default 50), ECS_HANDSON_E2E_LATENCY_MS=N (default 250)
 *
 * Screenshots: test/e2e/screenshots/rightclick-*.png. Exits 1 on failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand,
  RegisterTaskDefinitionCommand, type Task,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import {
  ContextMenuActionMissing, activityBarItem, checkPrerequisites, contextMenu, extensionSandbox, launchBrowser, log, openSession, quickInput, repoRoot,
  runE2e, screenshot, screenshotDir, sideBar, treeRow, treeRows, type ExtensionSandbox, type WorkbenchSession,
} from './harness';

const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';
const FAMILY = 'demo-app-task';
const REVISIONS = 3;
const CLICKS = Number(process.env.ECS_HANDSON_E2E_CLICKS ?? 50);
const LATENCY_MS = Number(process.env.ECS_HANDSON_E2E_LATENCY_MS ?? 250);
/** The reason Stop Task gives (src/ui/commands/operate/stop-task.ts). */
const STOP_REASON = 'Stopped from ECS Hands-on';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(every);
  }
}

const container = (image: string) => [{ name: 'demo', image, cpu: 256, memory: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' as const }] }];

/** The hands-on's first steps through the SDK: demo-cluster on 2 instances, 3 revisions (dynamic ports), demo-service with 2 tasks. */
async function populate(sb: ExtensionSandbox, ecs: ECSClient): Promise<void> {
  const config = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials };
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (let i = 1; i <= REVISIONS; i++) await ecs.send(new RegisterTaskDefinitionCommand({ family: FAMILY, containerDefinitions: container(`uzresk/demo:ver${i}.0`) }));
    const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? [];
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    for (const s of subnets.slice(0, 2)) {
      await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }));
    }
    await eventually('2 container instances', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 2);
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: `${FAMILY}:1`, desiredCount: 2 }));
    await eventually('demo-service steady', async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0];
      return s?.runningCount === 2 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED';
    });
  } finally {
    ec2.destroy();
    ssm.destroy();
  }
}

/** Clicks a collapsed row to expand it. */
async function expand(page: Page, row: Locator): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await eventually('row expanded', async () => (await row.getAttribute('aria-expanded')) === 'true', 20_000, 200);
}

/** The tree row whose label is exactly `label`. */
const rowLabelled = (page: Page, label: string): Locator =>
  treeRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

function findLogs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findLogs(p));
    else if (e.name.endsWith('ECS Hands-on.log')) out.push(p);
  }
  return out;
}

type Kind = 'inspect-task' | 'inspect-revision' | 'deploy' | 'stop';
const PLAN: Kind[] = ['inspect-task', 'deploy', 'stop', 'inspect-task', 'inspect-revision'];

interface Outcome {
  ok: boolean;
  /** A quick input asked what to act on (its title). */
  picker?: string;
  /** An error the command showed. */
  error?: string;
  /** It acted on something else than the row clicked. */
  wrong?: string;
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const browser: Browser = await launchBrowser();
  let session: WorkbenchSession | undefined;
  let sb: ExtensionSandbox | undefined;
  let ecs: ECSClient | undefined;
  let admin: SandboxAdmin | undefined;

  const shot = async (name: string) => {
    if (session) await screenshot(session.page, name).catch(() => undefined);
  };

  /** Tasks of demo-service (RUNNING and STOPPED) by ARN. */
  const serviceTasks = async (): Promise<Task[]> => {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      arns.push(...((await ecs!.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }))).taskArns ?? []));
    }
    const out: Task[] = [];
    for (let i = 0; i < arns.length; i += 100) out.push(...((await ecs!.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns.slice(i, i + 100) }))).tasks ?? []));
    return out;
  };
  const serviceRevision = async () => (await ecs!.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0]?.taskDefinition ?? '';

  /** Marks the error toasts on screen as seen; returns their texts. (Page code: no DOM types here.) */
  const errorToasts = async (page: Page): Promise<string[]> =>
    page.locator('.notification-toast').evaluateAll((toasts: any[]) =>
      toasts.filter((t) => t.querySelector('.codicon-error')).map((t) => {
        t.dataset.seen = '1';
        return String(t.textContent ?? '');
      }),
    );
  /** Error toasts that appeared since `errorToasts` marked the others (their messages). */
  const newErrorToasts = async (page: Page): Promise<string[]> =>
    page.locator('.notification-toast').evaluateAll((toasts: any[]) =>
      toasts.filter((t) => t.querySelector('.codicon-error') && !t.dataset.seen).map((t) => String((t.querySelector('.notification-list-item-message') ?? t).textContent ?? '')),
    );
  /**
   * Waits for what the command does, or for a sign that it lost its row: a quick input asking what
   * to act on, or an error message. `done` answers once the command did its work.
   */
  const outcome = async (page: Page, _errorsBefore: string[], done: () => Promise<boolean>, allowPicker?: (title: string) => boolean, timeout = 20_000): Promise<Outcome> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const qi = quickInput(page);
      if (await qi.isVisible()) {
        const title = (await qi.locator('.quick-input-title').innerText().catch(() => '')).trim();
        if (!allowPicker?.(title)) return { ok: false, picker: title || '(untitled quick input)' };
      }
      const errors = await newErrorToasts(page);
      if (errors.length) return { ok: false, error: errors.join(' / ') };
      if (await done()) return { ok: true };
      if (Date.now() > deadline) return { ok: false, error: `nothing happened within ${timeout} ms` };
      await sleep(150);
    }
  };

  try {
    await runE2e(`e2e right-click: ${CLICKS} context-menu actions with auto-refresh on and ${LATENCY_MS} ms of API latency (code-server 4.99.4 + Chromium)`, [
      {
        name: 'the explorer shows demo-service\'s tasks and demo-app-task\'s revisions',
        fn: async () => {
          session = await openSession({ browser });
          const { page } = session;
          await activityBarItem(page, 'ECS Hands-on').click();
          await treeRow(page, 'Task definitions').waitFor({ state: 'visible', timeout: 60_000 });
          sb = await extensionSandbox(session);
          admin = new SandboxAdmin(sb.endpoint, sb.adminToken);
          ecs = new ECSClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
          await populate(sb, ecs);
          await sideBar(page).locator('.composite.title .action-label[aria-label="Refresh"]').first().click();
          await expand(page, rowLabelled(page, CLUSTER));
          await expand(page, rowLabelled(page, SERVICE));
          await expand(page, rowLabelled(page, 'Tasks'));
          await expand(page, rowLabelled(page, 'Task definitions'));
          await expand(page, rowLabelled(page, FAMILY));
          await eventually('2 running task rows and 3 revision rows', async () =>
            (await treeRows(page).filter({ hasText: /RUNNING · / }).count()) === 2 && (await rowLabelled(page, `${FAMILY}:${REVISIONS}`).isVisible()), 30_000);
          await shot('rightclick-tree');
        },
      },
      {
        name: `${CLICKS} right-clicks (Inspect, Deploy Revision, Stop Task) while rollouts run: each acts on the row clicked, none is lost`,
        fn: async () => {
          const { page } = session!;
          await admin!.setFaults({ latencyMs: LATENCY_MS });
          assert.equal((await admin!.faults()).latencyMs, LATENCY_MS);
          const lost: string[] = [];
          const stoppedByUs = new Set<string>();
          const counts: Record<Kind, number> = { 'inspect-task': 0, 'inspect-revision': 0, deploy: 0, stop: 0 };
          const started = Date.now();
          let skipped = 0;
          for (let i = 0, done = 0; done < CLICKS; i++) {
            const kind = PLAN[i % PLAN.length];
            if (i > CLICKS * 3) throw new Error(`only ${done} of ${CLICKS} clicks could be made (${skipped} skipped)`);
            // The row: a running task not stopped yet, or a revision (one the service does not run, to deploy).
            let label: string;
            if (kind === 'inspect-task' || kind === 'stop') {
              const labels = (await treeRows(page).filter({ hasText: /RUNNING · / }).locator('.label-name').allInnerTexts()).map((s) => s.trim()).filter((l) => !stoppedByUs.has(l));
              if (labels.length === 0) {
                skipped++;
                await sleep(500);
                continue;
              }
              label = labels[i % labels.length];
            } else {
              const current = (await serviceRevision()).replace(/^.*:task-definition\//, '');
              const revs = Array.from({ length: REVISIONS }, (_, k) => `${FAMILY}:${k + 1}`).filter((r) => kind === 'inspect-revision' || r !== current);
              label = revs[i % revs.length];
            }
            const row = rowLabelled(page, label);
            const action = kind === 'deploy' ? 'Deploy Revision to Service…' : kind === 'stop' ? 'Stop Task' : 'Inspect';
            if (kind.startsWith('inspect')) {
              // Close the previous document, so that the one this click opens is seen to open.
              for (const close of await page.locator('.tabs-container .tab .tab-actions .action-label').all()) await close.click().catch(() => undefined);
            }
            const errorsBefore = await errorToasts(page);
            try {
              await contextMenu(page, row, action, {
                timeout: 5000,
                // The row under the mouse when it was right-clicked (the tree may have moved it meanwhile): it has the focus.
                onOpen: async () => {
                  const focused = (await page.locator('[id="workbench.parts.sidebar"] .monaco-list-row.focused .label-name').first().innerText().catch(() => '')).trim();
                  if (focused && focused !== label) {
                    log(`      (#${done + 1}: the tree moved: ${focused} was under the mouse, not ${label})`);
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
            let result: Outcome;
            if (kind === 'inspect-task' || kind === 'inspect-revision') {
              const name = kind === 'inspect-task' ? new RegExp(`task-${label}[0-9a-f]*\\.json`) : new RegExp(`taskDefinitionRevision-${label.replace(':', '-')}\\.json`);
              result = await outcome(page, errorsBefore, async () => name.test(await page.locator('.tabs-container .tab.active').innerText().catch(() => '')));
            } else if (kind === 'stop') {
              result = await outcome(page, errorsBefore, async () => {
                const task = (await serviceTasks()).find((t) => t.taskArn?.split('/').pop()?.startsWith(label));
                return task?.desiredStatus === 'STOPPED';
              });
              if (result.ok) stoppedByUs.add(label);
            } else {
              let asked = '';
              result = await outcome(page, errorsBefore, async () => {
                const qi = quickInput(page);
                if (!asked && (await qi.isVisible())) {
                  asked = (await qi.locator('.quick-input-title').innerText().catch(() => '')).trim();
                  if (asked.startsWith(`Deploy ${label} to which service?`)) {
                    await qi.locator('.quick-input-list .monaco-list-row', { hasText: SERVICE }).first().waitFor({ state: 'visible', timeout: 20_000 });
                    await page.keyboard.press('Enter');
                  }
                }
                return (await serviceRevision()).endsWith(`:task-definition/${label}`);
              }, (title) => title.startsWith(`Deploy ${label} to which service?`));
              if (!result.ok && asked && !asked.startsWith(`Deploy ${label} to which service?`)) result = { ok: false, picker: asked };
            }
            if (!result.ok) {
              const what = `#${done} ${action} on ${label}: ${result.picker ? `a picker "${result.picker}"` : result.error ?? result.wrong}`;
              lost.push(what);
              log(`      LOST ${what}`);
              await shot(`rightclick-lost-${done}`);
              log(`      toasts: ${JSON.stringify(await page.locator('.notifications-toasts').innerText().catch((e: Error) => e.message))}`);
              for (const f of findLogs(session!.server.userDataDir)) log(`      --- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-12).join('\n')}`);
              await page.keyboard.press('Escape');
              await quickInput(page).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
            }
          }
          const secs = ((Date.now() - started) / 1000).toFixed(1);
          log(`      ${CLICKS} right-clicks in ${secs} s (${JSON.stringify(counts)}; ${skipped} rows changed before the click): ${lost.length} lost`);
          await shot('rightclick-after');
          // Only the tasks clicked were stopped by the extension.
          const stoppedByExtension = (await serviceTasks()).filter((t) => t.stoppedReason === STOP_REASON).map((t) => t.taskArn!.split('/').pop()!.slice(0, 8));
          assert.deepEqual(stoppedByExtension.sort(), [...stoppedByUs].sort(), 'the tasks Stop Task stopped are the ones clicked');
          assert.deepEqual(lost, [], `${lost.length} of ${CLICKS} right-clicks lost their row`);
        },
      },
    ], { timeout: 300_000 });
  } finally {
    // The extension's log (every API call and command) next to the screenshots, for CI artifacts.
    if (session) {
      for (const f of findLogs(session.server.userDataDir)) fs.copyFileSync(f, path.join(screenshotDir, 'rightclick-extension.log'));
    }
    await admin?.setFaults({}).catch(() => undefined);
    ecs?.destroy();
    await session?.close().catch(() => undefined);
    if (sb) {
      try {
        process.kill(sb.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
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
