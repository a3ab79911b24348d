/**
 * The in-host half of the walkthrough bench (see bench/walkthrough.bench.ts): VS Code loads the
 * bundle of this file (out/bench/walkthrough/driver.js) as the extension-tests module of a fresh
 * code-server profile and awaits run().
 *
 * A scripted user drives the whole walkthrough, all 15 steps, through the panel host's message
 * interface — the very messages the webview sends when its buttons are clicked (`selectStep`,
 * `runAction` with the inputs the view shows, i.e. each step's defaults) — on the extension's own
 * sandbox at its default time scale (never changed here). After the actions of a step it waits
 * for the step's live check to pass as the panel runs it: the panel's own timer (every
 * CHECK_INTERVAL_MS while the webview is visible). host.runCheck is wrapped to time every check,
 * count the polls and note when the check's items change (the milestones).
 *
 * Per step it records wall ms (selecting the step → first passing check), sandbox-clock ms over the
 * same span (/_sandbox/status), polls, action timings and milestones; the JSON goes to
 * $ECS_HANDSON_BENCH_RESULT after every step. A step that does not pass within
 * $ECS_HANDSON_BENCH_STEP_TIMEOUT ms (default 900 000) is an error: run() rejects, with the
 * check's last detail in the result.
 */
import type { SandboxAdmin } from '../../src/aws/sandbox-admin';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploymentView, HostMessage } from '../../src/core/walkthrough/messages';
import { STEP_IDS, type StepId } from '../../src/core/walkthrough/step-ids';
import type { CheckResult } from '../../src/core/walkthrough/steps';
import type { UiContext } from '../../src/ui/ui-context';
import type { WalkthroughPanel } from '../../src/ui/walkthrough/panel';
import { BENCH_MARKER, FAST_HEALTH_CHECK_ENV, LAST_STEP_ENV, PAUSE_ENV, POLL_ENV, RESULT_ENV, STEP_TIMEOUT_ENV, type BenchResult, type StepResult } from './protocol';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (text: string): void => console.log(`${BENCH_MARKER}${text}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The panel's CHECK_INTERVAL_MS (src/ui/walkthrough/panel.ts): how often the driver polls when the webview never became ready. */
const PANEL_CHECK_INTERVAL_MS = 2500;
/** With a ready webview the panel polls on its own; the driver only steps in when it has not for this long. */
const SAFETY_POLL_MS = 15_000;

interface CheckRun {
  step: StepId;
  start: number;
  end?: number;
  result?: CheckResult;
  /** The deployment view the check posted (deployment steps). */
  deployment?: DeploymentView;
  byDriver: boolean;
}

class StepFailure extends Error {}

export async function run(): Promise<void> {
  const resultFile = process.env[RESULT_ENV] || path.join(__dirname, 'result.json');
  const stepTimeout = Number(process.env[STEP_TIMEOUT_ENV]) || 900_000;
  const lastStep = process.env[LAST_STEP_ENV] as StepId | undefined;
  const t0 = Date.now();
  const pauseMs = Number(process.env[PAUSE_ENV]) || 0;
  const pollMs = Number(process.env[POLL_ENV]) || 0;
  const out: BenchResult = { startedAt: new Date(t0).toISOString(), setupMs: 0, webviewReady: false, pauseMs, pollMs, fastHealthCheck: process.env[FAST_HEALTH_CHECK_ENV] === '1', steps: [], done: false };
  const write = (): void => {
    fs.mkdirSync(path.dirname(resultFile), { recursive: true });
    fs.writeFileSync(resultFile, JSON.stringify(out, null, 2));
  };
  write();
  try {
    await drive(out, write, stepTimeout, lastStep, t0);
    out.done = true;
  } catch (e) {
    out.error = e instanceof Error ? (e instanceof StepFailure ? e.message : (e.stack ?? e.message)) : String(e);
    log(`ERROR ${out.error}`);
    throw e;
  } finally {
    write();
  }
}

async function drive(out: BenchResult, write: () => void, stepTimeout: number, lastStep: StepId | undefined, t0: number): Promise<void> {
  log('activating the extension');
  const services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
  await vscode.commands.executeCommand('ecsHandson.walkthrough.open', 'prepare-image');
  const host = await vscode.commands.executeCommand<WalkthroughPanel>('_ecsHandson.walkthrough.panel');
  if (!host?.isOpen) throw new Error('the walkthrough panel did not open');

  // Every live check, by whom it was run (the panel's timer or this driver), timed.
  const runs: CheckRun[] = [];
  const original = host.runCheck.bind(host);
  let driverCalling = false;
  const lastDeployment = (): DeploymentView | undefined => {
    for (let i = host.posted.length - 1; i >= 0; i--) {
      const m = host.posted[i];
      if (m.kind === 'deployment') return m.view;
    }
    return undefined;
  };
  let onCheck: (r: CheckRun) => void = () => undefined;
  host.runCheck = async (step: StepId) => {
    const r: CheckRun = { step, start: Date.now(), byDriver: driverCalling };
    runs.push(r);
    try {
      r.result = await original(step);
      return r.result;
    } finally {
      r.end = Date.now();
      r.deployment = lastDeployment();
      onCheck(r);
    }
  };
  // What the panel posts to the webview, as it posts it: the deployment view, the autoscaling
  // chart and the load, summarized into milestones when they change.
  let onPost: (m: HostMessage) => void = () => undefined;
  const push = host.posted.push.bind(host.posted);
  host.posted.push = (...ms: HostMessage[]) => {
    for (const m of ms) onPost(m);
    return push(...ms);
  };
  const driverPoll = async (step: StepId): Promise<void> => {
    driverCalling = true;
    const p = host.runCheck(step);
    driverCalling = false;
    await p;
  };

  // The webview loads in Chromium and sends `ready`; from then on the panel polls by itself.
  const readyBy = Date.now() + 60_000;
  const isReady = () => host.posted.some((m: HostMessage) => m.kind === 'state');
  while (!isReady() && Date.now() < readyBy) await sleep(100);
  out.webviewReady = isReady();
  if (!out.webviewReady) {
    log('the webview did not send `ready` within 60 s: sending it for it; the driver polls every 2.5 s as the panel would');
    await host.handleMessage({ kind: 'ready' });
  }

  // The sandbox (started on the first AWS call, as the explorer or the first check would).
  await services.connections.clients();
  const endpoint = services.connections.sandboxEndpoint;
  const admin = services.connections.sandboxAdmin();
  if (!endpoint || !admin) throw new Error('not connected to the embedded sandbox (is ecsHandson.connection set to something else?)');
  const status = async (): Promise<{ now: number; timeScale: number; at: number }> => {
    const at = Date.now();
    const s = await admin.status();
    return { now: s.now, timeScale: s.timeScale, at: (at + Date.now()) / 2 };
  };
  const first = await status();
  out.timeScale = first.timeScale;
  out.setupMs = Date.now() - t0;
  log(`sandbox ${endpoint}, time scale ${first.timeScale}, webview ready: ${out.webviewReady}; setup ${secs(out.setupMs)}`);
  if (first.timeScale !== 10) throw new Error(`the sandbox runs at time scale ${first.timeScale}, not the default 10 (is ecsHandson.sandbox.timeScale set?)`);
  write();

  let reqId = 1000;
  const reply = (id: number) => host.posted.find((m): m is Extract<HostMessage, { kind: 'reply' }> => m.kind === 'reply' && m.id === id);
  const request = async (method: 'selectStep' | 'runAction', params: Record<string, unknown>): Promise<unknown> => {
    const id = ++reqId;
    await host.handleMessage({ kind: 'request', id, method, params });
    const r = reply(id);
    if (!r) throw new Error(`no reply to ${method} ${JSON.stringify(params)}`);
    if (!r.ok) throw new Error(`${method} ${JSON.stringify(params)}: ${r.error}`);
    return r.result;
  };

  const pendingLogs: Promise<void>[] = [];
  const only = lastStep ? STEP_IDS.slice(0, STEP_IDS.indexOf(lastStep) + 1) : STEP_IDS;
  for (const step of only) {
    if (out.pauseMs && step !== only[0]) {
      log(`  (reading for ${secs(out.pauseMs)})`);
      await sleep(out.pauseMs);
    }
    const res: StepResult = { step, wallMs: 0, polls: 0, driverPolls: 0, checkMs: 0, actions: [], milestones: [], status: 'error' };
    out.steps.push(res);
    const begin = await status();
    const start = Date.now();
    const sandboxAt = (t: number) => Math.round((t - begin.at) * begin.timeScale);
    let prev: { status?: string; ok: Map<string, boolean> } = { ok: new Map() };
    onCheck = (r) => {
      if (r.step !== step || !r.result || !r.end) return;
      const items = new Map(r.result.items.map((i) => [i.label.replace(/\s*\([^)]*\b(?:most seen|now)\b[^)]*\)/, ''), i.ok]));
      const changes: string[] = [];
      if (r.result.status !== prev.status) changes.push(`check ${r.result.status}`);
      for (const [label, ok] of items) if (prev.ok.get(label) !== ok && (ok || prev.ok.has(label))) changes.push(`${ok ? '✓' : '✗'} ${label}`);
      prev = { status: r.result.status, ok: items };
      if (changes.length) note(r.end, changes.join('; '));
    };
    const note = (at: number, text: string) => {
      res.milestones.push({ atMs: at - start, sandboxMs: sandboxAt(at), text });
      log(`    +${secs(at - start)} ${text}`);
    };
    let lastVisual: Record<string, string> = {};
    onPost = (m) => {
      let key: string | undefined;
      let text = '';
      if (m.kind === 'deployment') {
        key = 'deployment';
        text = deploymentSummary(m.view);
      } else if (m.kind === 'chart' && m.points.length) {
        const p = m.points[m.points.length - 1];
        key = 'chart';
        text = `desired ${p.desired}, running ${p.running}, instances ${p.instances}, alarm ${p.alarm}`;
        if (text !== lastVisual.chart) text += ` (cpu ${p.cpu ?? '?'}%)`;
      } else if (m.kind === 'load') {
        key = 'load';
        text = m.load.running ? 'load running' : `load stopped${m.load.message ? `: ${m.load.message}` : ''}`;
      }
      if (key === undefined) return;
      const bare = text.replace(/ \(cpu [^)]*\)$/, '');
      if (lastVisual[key] === bare) return;
      lastVisual = { ...lastVisual, [key]: bare };
      note(Date.now(), `[${key}] ${text}`);
    };
    log(`${step}`);
    /** Checks count from here on: the step's start, then the end of its last action. */
    let since = start;

    /** The webview's click: runAction with the inputs the view shows (the step's defaults). */
    const act = async (action: string, tolerate?: RegExp): Promise<boolean> => {
      const view = host.viewState();
      const inputs = Object.fromEntries(view.current.inputs.map((i) => [i.key, i.value]));
      const a0 = Date.now();
      const r = (await request('runAction', { step, action, inputs })) as { ok: boolean; message?: string; errors?: Record<string, string> };
      const ms = Date.now() - a0;
      res.actions.push({ action, atMs: a0 - start, ms, ok: r.ok, ...(r.message ? { message: r.message } : {}) });
      log(`    +${secs(a0 - start)} ${action} (${ms} ms)${r.message ? `: ${r.message}` : ''}`);
      if (!r.ok && tolerate?.test(r.message ?? '')) return false;
      if (!r.ok) {
        log(`    inputs sent: ${JSON.stringify(inputs)}`);
        log(`    sandbox tasks: ${await sandboxTasks(admin).catch((e) => String(e))}`);
        throw new StepFailure(`${step}/${action} failed: ${r.message ?? ''}${r.errors ? ` ${JSON.stringify(r.errors)}` : ''}`);
      }
      // Checks from the action's start count: an acknowledge runs its check inside the action,
      // and the panel's timer runs none while another action runs.
      since = a0;
      return true;
    };
    /** Waits (as the user watching the panel) for a check of this step, started after the last action, that satisfies `pred`. */
    const until = async (what: string, pred: (r: CheckRun) => boolean, timeout = stepTimeout - (Date.now() - start)): Promise<CheckRun> => {
      const by = Date.now() + Math.max(timeout, 0);
      for (;;) {
        const hit = runs.find((r) => r.step === step && r.start >= since && r.end !== undefined && pred(r));
        if (hit) return hit;
        const last = [...runs].reverse().find((r) => r.step === step);
        if (Date.now() > by) {
          res.status = 'timeout';
          res.lastDetail = last?.result?.detail;
          res.lastItems = last?.result?.items.map((i) => ({ label: i.label, ok: i.ok }));
          throw new StepFailure(`${step}: ${what} not within ${secs(Date.now() - start)} (step timeout ${secs(stepTimeout)}); the check says: ${last?.result?.status ?? '?'} — ${last?.result?.detail ?? '(no check ran)'}${res.lastItems ? ` [${res.lastItems.map((i) => `${i.ok ? '✓' : '✗'} ${i.label}`).join('; ')}]` : ''}`);
        }
        const inFlight = runs.some((r) => r.step === step && r.end === undefined);
        const quiet = Date.now() - Math.max(last?.end ?? 0, since);
        if (!inFlight && quiet > (out.pollMs || (out.webviewReady ? SAFETY_POLL_MS : PANEL_CHECK_INTERVAL_MS))) await driverPoll(step);
        await sleep(50);
      }
    };
    const pass = () => until('the check passing', (r) => r.result?.status === 'pass');
    const item = (re: RegExp, timeout?: number) => until(`"${re.source}"`, (r) => !!r.result?.items.some((i) => i.ok && re.test(i.label)), timeout);
    const oldRunning = (r: CheckRun) => r.deployment?.instances.flatMap((i) => i.tasks).filter((tk) => !tk.isNew && tk.lastStatus === 'RUNNING').length ?? 0;
    const newRunning = (r: CheckRun) => r.deployment?.instances.flatMap((i) => i.tasks).filter((tk) => tk.isNew && tk.lastStatus === 'RUNNING').length ?? 0;

    await request('selectStep', { step });
    try {
      switch (step) {
        case 'prepare-image':
        case 'construction-order':
          await act('acknowledge');
          break;
        case 'create-cluster':
        case 'load-balancer':
        case 'create-service':
        case 'task-definition':
          await act(step === 'task-definition' ? 'register' : 'create');
          break;
        case 'kill-container':
          // StopTask: the service replaces the task; then a crashing container (sandbox fault).
          await act('stopTask');
          await pass();
          // "Afterwards, switch the target group to shorter health-check settings and kill a task again."
          if (out.fastHealthCheck) await act('fastHealthCheck');
          await act('crashTask');
          break;
        case 'release': {
          await act('registerRevision');
          await act('update');
          // As in the article: the new revision waits for port 80; stop an old task so that a new
          // one takes its place, and again while the rollout still waits (min 100% keeps the other).
          // Only while an old task still runs and the rollout waits for it — two checks in a row,
          // as the user watches one refresh: ECS itself replaces old tasks that are not healthy yet
          // (the ones kill-container just started), and stopping a new task would restart the wait.
          let seen = await until('a check after the update', () => true);
          const waits = (x: CheckRun) => x.result?.status !== 'pass' && oldRunning(x) > 0;
          for (let i = 0; i < 4 && waits(seen); i++) {
            const prior = seen;
            seen = await until('the next check', (x) => x.start >= prior.end!);
            if (!waits(seen)) break;
            const before = newRunning(seen);
            if (!(await act('stopTask', /No RUNNING task/))) break;
            seen = await until('a new task in place of the stopped one, or the rollout done', (x) => x.result?.status === 'pass' || newRunning(x) > before);
          }
          break;
        }
        case 'bluegreen-port-conflict':
          await act('registerRevision');
          await act('update');
          break;
        case 'bluegreen-four-instances':
        case 'bluegreen-dynamic-ports':
          await act('scaleInstances');
          await act('registerRevision');
          await act('update');
          break;
        case 'autoscaling-service':
        case 'autoscaling-cluster':
          await act('configure');
          break;
        case 'autoscaling-run':
          await act('loadStart');
          await item(/scaled out to 4 tasks/);
          // Keep the load on until the instances scaled out too (the cluster's CPU crosses 20% later).
          await item(/instances scaled out to 4/);
          await act('loadStop');
          break;
        case 'cleanup':
          await act('cleanup');
          break;
      }
      const done = await pass();
      const end = done.end!;
      const after = await status();
      res.status = 'pass';
      res.wallMs = end - start;
      res.sandboxMs = Math.round(after.now - begin.now - (after.at - end) * after.timeScale);
      if (after.timeScale !== 10) throw new Error(`the time scale changed to ${after.timeScale} during ${step}`);
      res.lastDetail = done.result?.detail;
      // Read in the background: the next step starts right away, as the user would go on.
      pendingLogs.push(
        sandboxLog(admin, begin.now, after.now)
          .catch((e) => [{ sandboxMs: 0, text: `(could not read the sandbox state: ${String(e)})` }])
          .then((events) => void (res.sandboxEvents = events)),
      );
      const mine = runs.filter((r) => r.step === step && r.start >= start && r.end !== undefined && r.end <= end);
      res.polls = mine.length;
      res.driverPolls = mine.filter((r) => r.byDriver).length;
      res.checkMs = mine.reduce((n, r) => n + (r.end! - r.start), 0);
      const before = mine.filter((r) => r !== done && r.end! <= done.start).pop();
      if (before) res.lastGapMs = done.start - before.end!;
      log(`  ${step}: ${secs(res.wallMs)} wall, ${secs(res.sandboxMs)} sandbox, ${res.polls} polls (${res.driverPolls} by the driver), checks ${secs(res.checkMs)}`);
      out.timeScaleEnd = after.timeScale;
    } catch (e) {
      if (res.status === 'error') {
        res.error = e instanceof Error ? e.message : String(e);
        const last = [...runs].reverse().find((r) => r.step === step);
        res.lastDetail ??= last?.result?.detail;
        res.lastItems ??= last?.result?.items.map((i) => ({ label: i.label, ok: i.ok }));
      }
      res.wallMs = Date.now() - start;
      const now = await status().catch(() => undefined);
      if (now) res.sandboxEvents = await sandboxLog(admin, begin.now, now.now).catch(() => undefined);
      await Promise.all(pendingLogs);
      throw e;
    } finally {
      write();
    }
  }
  await Promise.all(pendingLogs);
  // Leave no load or timers running into the shutdown.
  await vscode.commands.executeCommand('ecsHandson.loadTest.stop').then(undefined, () => undefined);
}

/** "2 deployments; old RUNNING×1 DEACTIVATING×1; new PENDING×1; unplaced 1" */
function deploymentSummary(v: DeploymentView): string {
  const tasks = [...v.instances.flatMap((i) => i.tasks), ...v.unplaced];
  const group = (isNew: boolean) => {
    const counts = new Map<string, number>();
    for (const tk of tasks.filter((x) => x.isNew === isNew)) counts.set(tk.lastStatus, (counts.get(tk.lastStatus) ?? 0) + 1);
    return [...counts].map(([st, n]) => `${st}×${n}`).join(' ') || '-';
  };
  return `${v.deployments.length} deployment(s), ${v.instances.length} instance(s); old ${group(false)}; new ${group(true)}${v.unplaced.length ? `; unplaced ${v.unplaced.length}` : ''}`;
}

type World = {
  regions?: Record<string, {
    ecs?: { services?: Record<string, Record<string, { serviceName?: string; events?: { createdAt: number; message: string }[] }>> };
    serviceState?: {
      autoscaling?: { activities?: { Description: string; Cause?: string; StartTime: number; EndTime?: number; StatusCode: string }[] };
      applicationAutoscaling?: { activities?: { Description: string; StartTime: number; EndTime?: number; StatusCode: string }[] };
      cloudwatch?: { history?: { AlarmName: string; Timestamp: number; HistoryItemType: string; HistorySummary: string }[] };
    };
  }>;
};

/**
 * What the sandbox did between two of its clock readings: service events, Auto Scaling group and
 * service scaling activities, alarm state changes; sandbox ms relative to `from`.
 */
async function sandboxLog(admin: SandboxAdmin, from: number, to: number): Promise<{ sandboxMs: number; text: string }[]> {
  const world = (await admin.state()) as unknown as World;
  const out: { sandboxMs: number; text: string }[] = [];
  const add = (at: number | undefined, text: string) => {
    if (at !== undefined && at >= from && at <= to) out.push({ sandboxMs: at - from, text: text.length > 180 ? `${text.slice(0, 177)}…` : text });
  };
  for (const rs of Object.values(world.regions ?? {})) {
    for (const byName of Object.values(rs.ecs?.services ?? {})) {
      for (const svc of Object.values(byName)) for (const e of svc.events ?? []) add(e.createdAt, `[ecs] ${e.message}`);
    }
    for (const a of rs.serviceState?.autoscaling?.activities ?? []) {
      add(a.StartTime, `[asg] ${a.Description}`);
      add(a.EndTime, `[asg] done (${a.StatusCode}): ${a.Description}`);
    }
    for (const a of rs.serviceState?.applicationAutoscaling?.activities ?? []) add(a.StartTime, `[service scaling] ${a.Description} (${a.StatusCode})`);
    for (const h of rs.serviceState?.cloudwatch?.history ?? []) if (h.HistoryItemType !== 'ConfigurationUpdate') add(h.Timestamp, `[alarm] ${h.AlarmName}: ${h.HistorySummary}`);
  }
  return out.sort((a, b) => a.sandboxMs - b.sandboxMs);
}

/** The sandbox's tasks as its admin API has them (diagnostics when an action fails). */
async function sandboxTasks(admin: SandboxAdmin): Promise<string> {
  const world = (await admin.state()) as unknown as { regions?: Record<string, { ecs?: { tasks?: Record<string, { group?: string; lastStatus?: string; desiredStatus?: string; taskDefinitionArn?: string; clusterArn?: string }> } }> };
  const out: string[] = [];
  for (const [region, rs] of Object.entries(world.regions ?? {})) {
    for (const [id, tk] of Object.entries(rs.ecs?.tasks ?? {})) {
      out.push(`${region}/${id.slice(0, 8)} ${tk.group} ${tk.lastStatus}/${tk.desiredStatus} ${String(tk.taskDefinitionArn).split('/').pop()} ${String(tk.clusterArn).split('/').pop()}`);
    }
  }
  return out.join('; ') || '(none)';
}
