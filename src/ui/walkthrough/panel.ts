/**
 * The walkthrough panel host: one WebviewPanel (`ecsHandson.walkthrough`) showing the hands-on's
 * steps. Locked down (strict CSP with a nonce, only dist/webview and media loadable), typed
 * request/reply messaging after a `ready` handshake, every message validated before anything runs.
 * The live check of the current step reads the account through the SDK (only the parts that step
 * needs) every few seconds while the panel is visible; progress is kept per connection in
 * globalState (and in the webview's own state for a reload).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { GetMetricDataCommandInput, GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { contentFor, filledContent } from '../../core/walkthrough/content';
import { parseWebviewMessage, type ChartPoint, type DeploymentView, type HostMessage, type LoadView, type ProbeSample, type RequestMap, type ViewState, type WebviewRequest } from '../../core/walkthrough/messages';
import { emptySnapshot, type Snapshot, type SnapshotPart } from '../../core/walkthrough/snapshot';
import { STEP_IDS, type StepId } from '../../core/walkthrough/step-ids';
import {
  STEPS, completedCount, defaultInputs, emptyProgress, missingPrerequisites, observe, parseProgress, resolveInputs,
  type CheckResult, type InputValues, type Progress,
} from '../../core/walkthrough/steps';
import { loadAws } from '../aws-loader';
import { loadTests } from '../loadtest';
import type { Services } from '../services';
import { loadBalancerUrl } from '../commands/operate/urls';
import { collectSnapshot } from './collect';
import { deploymentView } from '../../core/walkthrough/visuals';

export const WALKTHROUGH_VIEW_TYPE = 'ecsHandson.walkthrough';
const PROGRESS_KEY = 'ecsHandson.walkthrough.progress';
const CHECK_INTERVAL_MS = 2500;
const PROBE_INTERVAL_MS = 200;
const PROBE_KEEP = 450; // ~90 s of samples
const CHART_KEEP = 600;

const t = vscode.l10n.t;

/** UI chrome texts the webview shows (translated here; the webview has no l10n of its own). */
function uiStrings(): Record<string, string> {
  return {
    steps: t('Steps'),
    progress: t('{0} of {1} steps done'),
    what: t('What'),
    why: t('Why'),
    insights: t('Worth noticing'),
    observe: t('What to look at'),
    inputs: t('Inputs'),
    check: t('Live check'),
    recheck: t('Re-run check'),
    checking: t('Checking…'),
    notChecked: t('Not checked yet.'),
    pass: t('Done'),
    fail: t('Not yet'),
    waiting: t('In progress'),
    needs: t('This step needs {0} first.'),
    goBack: t('Go back to {0}'),
    reset: t('Reset progress'),
    resetConfirm: t('Reset the walkthrough progress for this connection?'),
    next: t('Next step'),
    previous: t('Previous step'),
    running: t('Running…'),
    probe: t('Request probe'),
    probeHelp: t('Status codes of requests through the load balancer, every 200 ms. Red: 502 and other errors.'),
    probeNoUrl: t('No load balancer URL yet.'),
    probeSummary: t('{0} requests, {1} errors, longest error window {2} s'),
    deployment: t('Deployment'),
    unplaced: t('Not placed'),
    noTasks: t('No tasks'),
    events: t('Service events'),
    chart: t('Auto scaling'),
    cpu: t('CPU %'),
    threshold: t('Threshold'),
    desired: t('Desired tasks'),
    runningTasks: t('Running tasks'),
    instances: t('Instances'),
    alarm: t('Alarm'),
    load: t('Load'),
    loadIdle: t('No load running.'),
    loadProgress: t('{0} / {1} requests, {2} req/s, {3} errors'),
    order: t('Order of construction'),
    cluster: t('Cluster'),
    taskDefinition: t('Task definition'),
    loadBalancer: t('Load balancer'),
    service: t('Service'),
    stepN: t('Step {0}'),
    on: t('On'),
    off: t('Off'),
    newTask: t('new'),
    oldTask: t('old'),
    port: t('port {0}'),
    noCpu: t('CPU data is not available on this connection.'),
  };
}

function connectionKey(s: Services): string {
  const c = s.connections.settings;
  if (c.kind === 'profile') return `profile:${c.profile || 'default'}@${c.region || 'default'}`;
  if (c.kind === 'endpoint') return `endpoint:${c.endpoint}`;
  return `sandbox:${c.sandboxRegion}`;
}

function connectionLabel(s: Services): string {
  const c = s.connections.settings;
  if (c.kind === 'profile') return t('AWS profile {0} ({1})', c.profile || 'default', c.region || 'default');
  if (c.kind === 'endpoint') return t('Endpoint {0}', c.endpoint);
  return t('Sandbox ({0})', c.sandboxRegion);
}

export class WalkthroughPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private nonce = '';
  private ready = false;
  private progress: Progress = emptyProgress();
  private key = '';
  private checking = false;
  private running: string | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probeStart = 0;
  private probeUrl: string | undefined;
  /** The load balancer's URL once seen (fills `{endpoint}` in the texts). */
  private endpoint: string | undefined;
  private probeSamples: ProbeSample[] = [];
  private probePending: ProbeSample[] = [];
  private probeBusy = false;
  private chart: ChartPoint[] = [];
  private load: LoadView = { running: false, done: 0, total: 0, rps: 0, errors: 0 };
  private lastDeployment: DeploymentView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly panelDisposables: vscode.Disposable[] = [];
  /** Messages posted to the webview (kept for tests). */
  readonly posted: HostMessage[] = [];

  constructor(private readonly services: Services) {
    this.key = connectionKey(services);
    this.progress = this.loadProgress();
    this.disposables.push(
      services.connections.onDidChange(() => {
        const k = connectionKey(services);
        if (k !== this.key) {
          this.key = k;
          this.progress = this.loadProgress();
          this.resetVisuals();
          this.pushState();
        }
      }),
    );
  }

  get isOpen(): boolean {
    return !!this.panel;
  }

  get currentStep(): StepId {
    return this.progress.current;
  }

  get progressSnapshot(): Progress {
    return JSON.parse(JSON.stringify(this.progress)) as Progress;
  }

  /** Opens or reveals the panel (optionally at a step). */
  open(step?: StepId): vscode.WebviewPanel {
    if (step) this.progress.current = step;
    if (this.panel) {
      this.panel.reveal();
      this.pushState();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(WALKTHROUGH_VIEW_TYPE, t('ECS Hands-on Walkthrough'), vscode.ViewColumn.Active, this.options());
    this.attach(panel);
    return panel;
  }

  /** The serializer restores a panel after a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = state as { current?: unknown } | undefined;
    if (s && typeof s.current === 'string' && (STEP_IDS as readonly string[]).includes(s.current)) this.progress.current = s.current as StepId;
    if (this.panel && this.panel !== panel) this.panel.dispose();
    panel.webview.options = this.options();
    this.attach(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const ext = this.services.context.extensionUri;
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(ext, 'dist', 'webview'), vscode.Uri.joinPath(ext, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.nonce = randomBytes(16).toString('base64');
    panel.iconPath = vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'ecs.svg');
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m) => void this.handleMessage(m)),
      panel.onDidChangeViewState(() => this.schedule()),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.stopTimers();
        vscode.Disposable.from(...this.panelDisposables.splice(0)).dispose();
      }),
    );
    const lt = loadTests(this.services);
    const sub1 = lt.onProgress((p) => {
      this.load = { running: true, done: p.done, total: p.total ?? 0, rps: Math.round(p.currentRps), errors: p.errors };
      this.post({ kind: 'load', load: this.load });
    });
    const sub2 = lt.onDone((sm) => {
      this.load = { ...this.load, running: false, message: t('Load finished: {0} requests, {1} req/s, {2} non-2xx', sm.requests, Math.round(sm.requestsPerSec), sm.non2xx) };
      this.post({ kind: 'load', load: this.load });
    });
    this.panelDisposables.push({ dispose: () => (sub1.dispose(), sub2.dispose()) });
  }

  private html(webview: vscode.Webview): string {
    const ext = this.services.context.extensionUri;
    const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'webview', ...p)).toString();
    const n = this.nonce;
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${n}'`,
      `style-src ${webview.cspSource} 'nonce-${n}'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    const lang = /^ja\b/i.test(vscode.env.language) ? 'ja' : 'en';
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('uPlot.min.css')}">
<link rel="stylesheet" href="${asset('walkthrough.css')}">
<title>${t('ECS Hands-on Walkthrough')}</title>
</head>
<body>
<div id="app" role="application" aria-busy="true">${t('Loading…')}</div>
<script nonce="${n}" type="module" src="${asset('walkthrough.js')}"></script>
</body>
</html>`;
  }

  // ---------------------------------------------------------------------------------------- messages

  /** Handles one message from the webview (public for tests). Invalid messages are logged and dropped. */
  async handleMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`walkthrough: rejected a message from the webview: ${parsed.error}`);
      const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : undefined;
      if (id !== undefined && Number.isInteger(id)) this.post({ kind: 'reply', id, ok: false, error: parsed.error });
      return;
    }
    const m = parsed.value;
    if (m.kind === 'ready') {
      this.ready = true;
      this.pushState();
      this.post({ kind: 'probe', url: this.probeUrl, samples: this.probeSamples, reset: true });
      this.post({ kind: 'chart', points: this.chart, threshold: this.threshold(), reset: true });
      if (this.lastDeployment) this.post({ kind: 'deployment', view: this.lastDeployment });
      this.post({ kind: 'load', load: this.load });
      this.schedule(true);
      return;
    }
    try {
      const result = await this.request(m);
      this.post({ kind: 'reply', id: m.id, ok: true, result });
    } catch (e) {
      this.post({ kind: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async request(m: WebviewRequest): Promise<RequestMap[typeof m.method]['result']> {
    switch (m.method) {
      case 'selectStep': {
        if (this.progress.current !== m.params.step) {
          this.progress.current = m.params.step;
          this.resetVisuals();
        }
        this.save();
        this.pushState();
        this.schedule(true);
        return null;
      }
      case 'setInputs': {
        const { values, errors } = resolveInputs(m.params.step, m.params.inputs, t);
        const sp = (this.progress.steps[m.params.step] ??= { done: false });
        sp.inputs = { ...(sp.inputs ?? defaultInputs(m.params.step)), ...pickValid(values, errors) };
        this.save();
        return { errors };
      }
      case 'runAction':
        return this.runAction(m.params.step, m.params.action, m.params.inputs);
      case 'check':
        return (await this.runCheck(m.params.step)) ?? null;
      case 'reset':
        return this.reset();
      case 'openExternal':
        await vscode.env.openExternal(vscode.Uri.parse(m.params.url));
        return null;
    }
  }

  /** Clears the progress of the current connection. */
  async reset(): Promise<null> {
    this.progress = emptyProgress();
    for (const id of STEP_IDS) setDoneContext(id, false);
    this.resetVisuals();
    await this.save();
    this.pushState();
    return null;
  }

  private inputsOf(step: StepId): InputValues {
    return { ...defaultInputs(step), ...(this.progress.steps[step]?.inputs ?? {}) };
  }

  private async runAction(step: StepId, actionId: string, given: Record<string, unknown>): Promise<RequestMap['runAction']['result']> {
    const spec = STEPS[step];
    const action = spec.actions.find((a) => a.id === actionId);
    if (!action) return { ok: false, message: t('Unknown action.') };
    const { values, errors } = resolveInputs(step, given, t);
    if (Object.keys(errors).length) return { ok: false, message: t('Fix the inputs first.'), errors };
    const sp = (this.progress.steps[step] ??= { done: false });
    sp.inputs = values;
    if (action.kind === 'acknowledge') {
      sp.record = { ...(sp.record ?? {}), acknowledged: true };
      await this.runCheck(step);
      return { ok: true };
    }
    if (this.running) return { ok: false, message: t('Another action is running.') };
    this.running = actionId;
    this.pushState();
    try {
      const needs: SnapshotPart[] = [...(action.parts ?? [])];
      if (action.record) needs.push('services', 'tasks');
      const snap = needs.length ? await this.snapshot(step, needs, values) : undefined;
      if (action.kind === 'loadStop') {
        const r = (await vscode.commands.executeCommand('ecsHandson.loadTest.stop')) as { stopped?: boolean } | undefined;
        return { ok: true, message: r?.stopped ? t('Load stopped.') : t('No load was running.') };
      }
      if (action.kind === 'loadStart') {
        const lb = snap?.loadBalancers[0];
        if (!lb?.url && !lb?.dnsName) return { ok: false, message: t('No load balancer {0} to load.', String(values.loadBalancer)) };
        const url = `${lb.localUrl ?? lb.url ?? `http://${lb.dnsName}/`}app/loginForm`;
        const res = await vscode.commands.executeCommand('ecsHandson.loadTest.run', { url, amount: Number(values.amount), connections: Number(values.connections), wait: false });
        const err = errorOf(res);
        if (err) return { ok: false, message: err };
        sp.record = { ranAt: snap?.takenAt ?? (await this.now()), maxDesired: 0, maxInstances: 0 };
        this.chart = [];
        this.load = { running: true, done: 0, total: Number(values.amount), rps: 0, errors: 0 };
        this.post({ kind: 'load', load: this.load });
        this.post({ kind: 'chart', points: [], threshold: this.threshold(), reset: true });
        await this.save();
        return { ok: true };
      }
      const args = action.args ? action.args(values, snap ?? (await this.snapshot(step, [], values))) : undefined;
      const argErr = errorOf(args);
      if (argErr) return { ok: false, message: argErr };
      if (action.kind === 'sandboxKill') {
        const endpoint = this.services.connections.sandboxEndpoint;
        if (!endpoint) return { ok: false, message: t('Only the sandbox can crash a task.') };
        const task = (args as { task: string }).task;
        const r = await fetch(`${endpoint}/_sandbox/tasks/kill`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taskArn: task }) });
        if (!r.ok) return { ok: false, message: ((await r.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${r.status}` };
        this.services.log.info(`walkthrough: crashed task ${task} (sandbox fault injection)`);
        sp.record = { ...action.record!(values, snap!, args), action: actionId };
        await this.save();
        this.services.refresh();
        return { ok: true, message: t('Task {0} crashed.', task.slice(task.lastIndexOf('/') + 1, task.lastIndexOf('/') + 9)) };
      }
      this.services.log.info(`walkthrough: ${step}/${actionId} → ${action.command}`);
      const res = await vscode.commands.executeCommand(action.command!, args);
      const err = errorOf(res);
      if (err) return { ok: false, message: err };
      if (res === undefined) return { ok: false, message: t('The command did not finish (cancelled or failed; see the notification).') };
      if (action.record && snap) sp.record = { ...action.record(values, snap, args), action: actionId };
      else sp.record = { ...(sp.record ?? {}), ranAt: snap?.takenAt ?? (await this.now()), action: actionId };
      await this.save();
      this.services.refresh();
      return { ok: true };
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    } finally {
      this.running = undefined;
      this.pushState();
      this.schedule(true);
    }
  }

  private async now(): Promise<number> {
    try {
      return (await this.services.connections.now())();
    } catch {
      return Date.now();
    }
  }

  private async snapshot(step: StepId, parts: SnapshotPart[], inputs: InputValues): Promise<Snapshot> {
    const clients = await this.services.connections.clients();
    const now = await this.now();
    return collectSnapshot({
      clients,
      parts: [...new Set(parts)],
      inputs,
      now,
      lbUrl: async (arn) => {
        const u = await loadBalancerUrl(this.services, clients, arn);
        return u ? { url: u.url, ...(u.localUrl ? { localUrl: u.localUrl } : {}) } : undefined;
      },
    });
  }

  /** Runs the step's check now; marks it done when it holds. */
  async runCheck(step: StepId): Promise<CheckResult | undefined> {
    const spec = STEPS[step];
    const sp = (this.progress.steps[step] ??= { done: false });
    const inputs = this.inputsOf(step);
    const record = sp.record ?? {};
    const extra: SnapshotPart[] = [];
    if (step === this.progress.current && spec.visual === 'deployment') extra.push('services', 'tasks', 'containerInstances', 'taskDefinitions');
    if (step === this.progress.current && spec.visual === 'probe') extra.push('loadBalancers');
    if (step === this.progress.current && spec.visual === 'chart') extra.push('services', 'alarms', 'containerInstances');
    this.checking = true;
    let result: CheckResult;
    try {
      const snap = spec.parts.length || extra.length ? await this.snapshot(step, [...spec.parts, ...extra], inputs) : undefined;
      if (snap) {
        sp.record = observe(step, record, snap, inputs);
        this.visuals(step, snap, inputs);
      }
      result = spec.check(snap ?? emptySnapshot(), { inputs, record: sp.record ?? record, t });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      result = { status: 'fail', detail: t('Cannot read the state: {0}', msg), items: [] };
    } finally {
      this.checking = false;
    }
    sp.lastCheck = result;
    if (result.status === 'pass' && !sp.done) {
      sp.done = true;
      setDoneContext(step, true);
    }
    await this.save();
    this.pushState();
    return result;
  }

  // ---------------------------------------------------------------------------------------- visuals

  private threshold(): number {
    const v = Number(this.inputsOf('autoscaling-service').cpuThreshold);
    return Number.isFinite(v) ? v : 20;
  }

  private resetVisuals(): void {
    this.probeSamples = [];
    this.probePending = [];
    this.probeStart = 0;
    this.lastDeployment = undefined;
    this.post({ kind: 'probe', url: this.probeUrl, samples: [], reset: true });
  }

  private visuals(step: StepId, snap: Snapshot, inputs: InputValues): void {
    const visual = STEPS[step].visual;
    const anyLb = snap.loadBalancers.find((x) => x.name === inputs.loadBalancer) ?? snap.loadBalancers[0];
    if (anyLb?.url || anyLb?.dnsName) this.endpoint = (anyLb.url ?? `http://${anyLb.dnsName}/`).replace(/\/+$/, '');
    if (visual === 'probe') {
      const lb = snap.loadBalancers.find((x) => x.name === inputs.loadBalancer);
      const base = lb?.localUrl ?? lb?.url ?? (lb?.dnsName ? `http://${lb.dnsName}/` : undefined);
      const url = base ? `${base}app/` : undefined;
      if (url !== this.probeUrl) {
        this.probeUrl = url;
        this.post({ kind: 'probe', url, samples: this.probeSamples });
      }
    }
    if (visual === 'deployment') {
      this.lastDeployment = deploymentView(snap, String(inputs.family ?? 'demo-app-task'), String(inputs.service ?? 'demo-service'));
      this.post({ kind: 'deployment', view: this.lastDeployment });
    }
    if (visual === 'chart') void this.chartPoint(snap, inputs);
  }

  private async chartPoint(snap: Snapshot, inputs: InputValues): Promise<void> {
    const svc = snap.services.find((s) => s.name === inputs.service);
    const alarmUp = snap.alarms.filter((a) => a.metricName === 'CPUUtilization' && a.dimensions.ServiceName === inputs.service);
    const alarm = alarmUp.find((a) => a.state === 'ALARM') ? (alarmUp.find((a) => a.state === 'ALARM' && (a.comparison ?? '').startsWith('GreaterThan')) ? 'HIGH' : 'LOW') : 'OK';
    const point: ChartPoint = {
      t: Math.round(snap.takenAt / 1000),
      cpu: await this.cpu(String(inputs.cluster), String(inputs.service), snap.takenAt).catch(() => null),
      desired: svc?.desiredCount ?? 0,
      running: svc?.runningCount ?? 0,
      instances: snap.containerInstances.filter((c) => c.status === 'ACTIVE').length,
      alarm,
    };
    this.chart.push(point);
    if (this.chart.length > CHART_KEEP) this.chart.splice(0, this.chart.length - CHART_KEEP);
    this.post({ kind: 'chart', points: [point], threshold: this.threshold() });
  }

  /** The service's CPUUtilization (1-minute average), when the AWS layer offers GetMetricData. */
  private async cpu(cluster: string, service: string, now: number): Promise<number | null> {
    const sdk = loadAws().operateSdk as unknown as { GetMetricDataCommand?: new (input: GetMetricDataCommandInput) => never };
    if (!sdk.GetMetricDataCommand) return null;
    const clients = await this.services.connections.clients();
    const out = (await clients.cloudWatch.send(
      new sdk.GetMetricDataCommand({
        StartTime: new Date(now - 5 * 60_000),
        EndTime: new Date(now),
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: cluster }, { Name: 'ServiceName', Value: service }] },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
      }),
    )) as GetMetricDataCommandOutput;
    const r = out.MetricDataResults?.[0];
    if (!r?.Values?.length || !r.Timestamps?.length) return null;
    let best = 0;
    for (let i = 1; i < r.Timestamps.length; i++) if (r.Timestamps[i].getTime() > r.Timestamps[best].getTime()) best = i;
    return Math.round(r.Values[best] * 10) / 10;
  }

  private probeTick(): void {
    if (this.probeBusy || !this.probeUrl) return;
    this.probeBusy = true;
    const url = this.probeUrl;
    const started = Date.now();
    if (!this.probeStart) this.probeStart = started;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 2000);
    fetch(url, { signal: ctl.signal, headers: { 'cache-control': 'no-store' } })
      .then(async (r) => {
        await r.arrayBuffer().catch(() => undefined);
        return r.status;
      })
      .catch(() => 0)
      .then((status) => {
        clearTimeout(timer);
        this.probeBusy = false;
        const sample = { t: started - this.probeStart, status, ms: Date.now() - started };
        this.probeSamples.push(sample);
        if (this.probeSamples.length > PROBE_KEEP) this.probeSamples.splice(0, this.probeSamples.length - PROBE_KEEP);
        this.probePending.push(sample);
        if (this.probePending.length >= 2) {
          this.post({ kind: 'probe', url, samples: this.probePending.splice(0) });
        }
      });
  }

  // ---------------------------------------------------------------------------------------- timers

  /** (Re)starts the periodic check and the probe for the current step while the panel is visible. */
  private schedule(now = false): void {
    this.stopTimers();
    if (!this.panel || !this.panel.visible || !this.ready) return;
    const step = this.progress.current;
    const tick = async () => {
      if (!this.panel?.visible) return;
      if (this.running === undefined) await this.runCheck(this.progress.current);
      if (this.panel?.visible && this.progress.current === step) this.checkTimer = setTimeout(() => void tick(), CHECK_INTERVAL_MS);
    };
    this.checkTimer = setTimeout(() => void tick(), now ? 0 : CHECK_INTERVAL_MS);
    if (STEPS[step].visual === 'probe') this.probeTimer = setInterval(() => this.probeTick(), PROBE_INTERVAL_MS);
  }

  private stopTimers(): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.checkTimer = undefined;
    this.probeTimer = undefined;
  }

  // ---------------------------------------------------------------------------------------- state

  private loadProgress(): Progress {
    const all = this.services.context.globalState.get<Record<string, unknown>>(PROGRESS_KEY, {});
    const p = parseProgress(all?.[this.key]);
    for (const id of STEP_IDS) setDoneContext(id, !!p.steps[id]?.done);
    return p;
  }

  private async save(): Promise<void> {
    const all = { ...(this.services.context.globalState.get<Record<string, unknown>>(PROGRESS_KEY, {}) ?? {}) };
    all[this.key] = this.progress;
    await this.services.context.globalState.update(PROGRESS_KEY, all);
  }

  /** What the webview shows (public for tests). */
  viewState(): ViewState {
    const contents = contentFor(vscode.env.language);
    const id = this.progress.current;
    const spec = STEPS[id];
    const sp = this.progress.steps[id];
    const inputs = this.inputsOf(id);
    const { errors } = resolveInputs(id, inputs, t);
    return {
      lang: /^ja\b/i.test(vscode.env.language) ? 'ja' : 'en',
      connection: connectionLabel(this.services),
      completed: completedCount(this.progress),
      strings: uiStrings(),
      steps: STEP_IDS.map((s, index) => ({ id: s, index, title: contents[s].title, summary: contents[s].summary, done: !!this.progress.steps[s]?.done })),
      current: {
        id,
        content: filledContent(contents[id], { ...inputs, ...(this.endpoint ? { endpoint: this.endpoint } : {}) }),
        inputs: spec.inputs.map((i) => ({
          key: i.key,
          label: t(i.label),
          kind: i.kind,
          value: inputs[i.key] ?? i.default,
          ...(i.options ? { options: i.options } : {}),
          ...(i.optional ? { optional: true } : {}),
          ...(errors[i.key] ? { error: errors[i.key] } : {}),
        })),
        actions: spec.actions.filter((a) => !a.sandboxOnly || !!this.services.connections.sandboxEndpoint).map((a) => ({
          id: a.id,
          label: !a.secondary && contents[id].actionLabel ? filledContent(contents[id], inputs).actionLabel : t(a.label),
          kind: a.kind,
          secondary: !!a.secondary,
        })),
        check: sp?.lastCheck,
        checking: this.checking,
        ...(this.running ? { running: this.running } : {}),
        missing: missingPrerequisites(id, this.progress).map((m) => ({ id: m, title: contents[m].title })),
        visual: spec.visual,
      },
    };
  }

  private pushState(): void {
    if (this.panel && this.ready) this.post({ kind: 'state', state: this.viewState() });
  }

  private post(m: HostMessage): void {
    this.posted.push(m);
    if (this.posted.length > 200) this.posted.splice(0, this.posted.length - 200);
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    this.stopTimers();
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables, ...this.panelDisposables).dispose();
  }
}

/** Context keys the native Welcome-page walkthrough completes on (see content-en.ts). */
function setDoneContext(step: StepId, done: boolean): void {
  void vscode.commands.executeCommand('setContext', `ecsHandson.walkthrough.${step}Done`, done);
  void vscode.commands.executeCommand('setContext', `ecsHandson.walkthrough.done.${step}`, done);
}

function pickValid(values: InputValues, errors: Record<string, string>): InputValues {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !errors[k]));
}

/** `{ error }` results of the extension's commands (and of args builders). */
function errorOf(v: unknown): string | undefined {
  if (v && typeof v === 'object' && typeof (v as { error?: unknown }).error === 'string') return (v as { error: string }).error;
  return undefined;
}

