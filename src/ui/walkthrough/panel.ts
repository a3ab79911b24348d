/**
 * The walkthrough panel host: one WebviewPanel (`ecsHandson.walkthrough`) showing the hands-on's
 * steps, on the extension's webview host (src/ui/webview/host.ts: strict CSP with a nonce, only
 * dist/webview and media loadable, typed request/reply messaging after a `ready` handshake, every
 * message validated before anything runs).
 * The live check of the current step reads the account through the SDK (only the parts that step
 * needs) every few seconds while the panel is visible; progress is kept per connection in
 * globalState (and in the webview's own state for a reload). The actions (actions.ts), the visuals
 * (visuals.ts: request probe, deployment view, autoscaling chart), the view state (view.ts) and the
 * texts (strings.ts) live in the neighbouring files; the snapshot the checks read is collected by
 * src/aws/walkthrough-snapshot.ts.
 */
import * as vscode from 'vscode';
import { t } from '../l10n';
import { parseWebviewMessage, type HostMessage, type LoadView, type RequestMap, type ViewState, type WebviewRequest } from '../../core/walkthrough/messages';
import { emptySnapshot, type Snapshot, type SnapshotPart } from '../../core/walkthrough/snapshot';
import { STEP_IDS, type StepId } from '../../core/walkthrough/step-ids';
import { STEPS, defaultInputs, emptyProgress, observe, parseProgress, resolveInputs, type CheckResult, type InputValues, type Progress } from '../../core/walkthrough/steps';
import { loadAws } from '../aws-loader';
import { loadTests } from '../loadtest';
import { errorReason } from '../loadtest/summary';
import type { UiContext } from '../ui-context';
import { loadBalancerUrl, openInBrowser } from '../commands/operate/urls';
import { prepareAction, runStepAction, stepCli, type ActionHost } from './actions';
import { connectionKey, legacyConnectionKey } from './strings';
import { insightParts, liveInsight, type LiveInsight } from '../../core/walkthrough/insights';
import { contentFor, namesEndpoint } from '../../core/walkthrough/content';
import { buildViewState } from './view';
import { WebviewHost } from '../webview/host';
import { escapeHtml } from '../../core/html';
import { WalkthroughVisuals, visualParts } from './visuals';

export const WALKTHROUGH_VIEW_TYPE = 'ecsHandson.walkthrough';
const PROGRESS_KEY = 'ecsHandson.walkthrough.progress';
/** How often the current step's check runs while the panel is visible. */
const CHECK_INTERVAL_MS = 2500;
/** On the sandbox (local, no API cost), while the check has not passed yet: tick it sooner. */
const CHECK_INTERVAL_WAITING_SANDBOX_MS = 1000;

export class WalkthroughPanel extends WebviewHost<HostMessage, RequestMap> {
  private progress: Progress = emptyProgress();
  private key = '';
  private checking = false;
  private running: string | undefined;
  /** What the running action's command is doing (its progress, shown beside the action). */
  private runningText: string | undefined;
  /** The current step's article insight as it happens (from its live check). */
  private insight: LiveInsight | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private load: LoadView = { running: false, done: 0, total: 0, rps: 0, errors: 0 };
  private readonly visuals: WalkthroughVisuals;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: UiContext) {
    super({
      viewType: WALKTHROUGH_VIEW_TYPE,
      extensionUri: services.context.extensionUri,
      page: () => ({
        title: t('ECS Hands-on Walkthrough'),
        scripts: ['walkthrough.js'],
        styles: ['codicon.css', 'uPlot.min.css', 'walkthrough.css'],
        placeholder: escapeHtml(t('Loading…')),
        role: 'application',
      }),
      parse: parseWebviewMessage,
      log: services.log,
    });
    this.key = connectionKey(services);
    this.progress = this.loadProgress();
    this.visuals = new WalkthroughVisuals({
      post: (m) => this.post(m),
      clients: () => services.connections.clients(),
      threshold: () => this.threshold(),
      sandboxClock: () => !!services.connections.sandboxEndpoint,
    });
    this.disposables.push(
      services.connections.onDidChange(() => {
        const k = connectionKey(services);
        if (k !== this.key) {
          this.key = k;
          this.progress = this.loadProgress();
          this.visuals.reset();
        }
        // The connection's name (and the real-AWS notice) as resolved.
        this.pushState();
      }),
    );
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
    if (!this.openPanel(this.tabTitle())) this.pushState();
    return this.panel!;
  }

  /**
   * The tab's title names the current step ("Hands-on step 2: Create the cluster"): unlike the
   * Welcome page's own tab ("Walkthrough: ECS Hands-on: …"), which lists the steps.
   */
  tabTitle(): string {
    const id = this.progress.current;
    return t('Hands-on step {0}: {1}', STEP_IDS.indexOf(id), contentFor(vscode.env.language)[id].title);
  }

  /** The serializer restores a panel after a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = state as { current?: unknown } | undefined;
    if (s && typeof s.current === 'string' && (STEP_IDS as readonly string[]).includes(s.current)) this.progress.current = s.current as StepId;
    this.adoptPanel(panel);
  }

  protected override onAttached(): void {
    const lt = loadTests(this.services);
    const sub1 = lt.onProgress((p) => {
      this.load = { running: true, done: p.done, total: p.total ?? 0, rps: Math.round(p.currentRps), errors: p.errors };
      this.post({ kind: 'load', load: this.load });
    });
    const sub2 = lt.onDone((sm) => {
      const why = errorReason(sm, t);
      this.load = { ...this.load, running: false, message: t('Load finished: {0} requests, {1} req/s, {2} non-2xx', sm.requests, Math.round(sm.requestsPerSec), sm.non2xx) + (why ? ` ${why}` : '') };
      this.post({ kind: 'load', load: this.load });
    });
    this.disposeWithPanel(sub1, sub2);
  }

  protected override onVisibilityChange(): void {
    this.schedule();
  }

  protected override onClosed(): void {
    this.stopTimers();
  }

  // ---------------------------------------------------------------------------------------- messages

  protected override onReady(): void {
    this.pushState();
    this.visuals.replay();
    this.post({ kind: 'load', load: this.load });
    this.schedule(true);
  }

  protected override onRequest(m: WebviewRequest): Promise<unknown> {
    return this.request(m);
  }

  private async request(m: WebviewRequest): Promise<RequestMap[typeof m.method]['result']> {
    switch (m.method) {
      case 'selectStep': {
        if (this.progress.current !== m.params.step) {
          this.progress.current = m.params.step;
          this.visuals.reset();
          this.insight = undefined;
        }
        await this.save();
        this.pushState();
        this.schedule(true);
        return null;
      }
      case 'setInputs': {
        const { values, errors } = resolveInputs(m.params.step, m.params.inputs, t);
        const sp = (this.progress.steps[m.params.step] ??= { done: false });
        sp.inputs = { ...(sp.inputs ?? defaultInputs(m.params.step)), ...pickValid(values, errors) };
        await this.save();
        return { errors };
      }
      case 'runAction':
        return this.runAction(m.params.step, m.params.action, m.params.inputs);
      case 'check':
        return (await this.runCheck(m.params.step)) ?? null;
      case 'reset':
        return this.reset();
      case 'cli':
        return stepCli(this.services, this.progress.steps[m.params.step], m.params.action, m.params.then);
      case 'openExternal':
        // A sandbox address opens through code-server's proxy with its path (urls.ts).
        await openInBrowser(m.params.url);
        return null;
    }
  }

  /** Clears the progress of the current connection. */
  async reset(): Promise<null> {
    this.progress = emptyProgress();
    for (const id of STEP_IDS) setDoneContext(id, false);
    this.visuals.reset();
    this.insight = undefined;
    await this.save();
    this.pushState();
    return null;
  }

  private inputsOf(step: StepId): InputValues {
    return { ...defaultInputs(step), ...(this.progress.steps[step]?.inputs ?? {}) };
  }

  private async runAction(step: StepId, actionId: string, given: Record<string, unknown>): Promise<RequestMap['runAction']['result']> {
    const prepared = prepareAction(step, actionId, given);
    if ('error' in prepared) return prepared.error;
    const { action, values } = prepared;
    const sp = (this.progress.steps[step] ??= { done: false });
    sp.inputs = values;
    if (action.kind === 'acknowledge') {
      sp.record = { ...(sp.record ?? {}), acknowledged: true };
      await this.runCheck(step);
      // "Got it — continue": read, so on to the next step.
      const next = STEP_IDS[STEP_IDS.indexOf(step) + 1];
      if (next && this.progress.current === step) {
        this.progress.current = next;
        this.visuals.reset();
        this.insight = undefined;
        await this.save();
        this.pushState();
        this.schedule(true);
      }
      return { ok: true };
    }
    if (this.running) return { ok: false, message: t('Another action is running.') };
    this.running = actionId;
    this.pushState();
    try {
      return await runStepAction(this.actionHost(), step, action, values);
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    } finally {
      this.running = undefined;
      this.runningText = undefined;
      this.pushState();
      this.schedule(true);
    }
  }

  private actionHost(): ActionHost {
    return {
      services: this.services,
      progressOf: (step) => (this.progress.steps[step] ??= { done: false }),
      snapshot: (step, parts, inputs) => this.snapshot(step, parts, inputs),
      now: () => this.now(),
      save: () => this.save(),
      loadStarted: (ranAt, total) => {
        this.load = { running: true, done: 0, total, rps: 0, errors: 0 };
        this.post({ kind: 'load', load: this.load });
        this.visuals.chart.reset(ranAt);
      },
      beforeStop: (action) => this.visuals.probe.mark(t(action.label)),
      pushState: () => this.pushState(),
      progress: (text) => {
        if (this.running === undefined || text === this.runningText) return;
        this.runningText = text;
        this.pushState();
      },
    };
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
    return loadAws().collectSnapshot({
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
    const current = step === this.progress.current;
    const extra: SnapshotPart[] = current ? [...visualParts(spec.visual), ...insightParts(step), ...(namesEndpoint(step) ? (['loadBalancers'] as const) : [])] : [];
    this.checking = true;
    let result: CheckResult;
    try {
      const snap = spec.parts.length || extra.length ? await this.snapshot(step, [...spec.parts, ...extra], inputs) : undefined;
      if (snap) {
        sp.record = observe(step, record, snap, inputs);
        if (current && spec.visual === 'chart') this.visuals.chart.setOrigin(step === 'autoscaling-run' ? sp.record?.ranAt : undefined);
        if (current) this.visuals.update(spec.visual, snap, inputs);
        if (current) {
          this.insight = liveInsight({
            step, snapshot: snap, inputs, record: sp.record ?? record, t, probe: this.visuals.probeSeen(), time: this.services.connections.timeBase(),
          });
        }
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

  private threshold(): number {
    const v = Number(this.inputsOf('autoscaling-service').cpuThreshold);
    return Number.isFinite(v) ? v : 20;
  }

  // ---------------------------------------------------------------------------------------- timers

  /** (Re)starts the periodic check and the probe for the current step while the panel is visible. */
  private schedule(now = false): void {
    this.stopTimers();
    if (!this.panel || !this.panel.visible || !this.isReady) return;
    const step = this.progress.current;
    const tick = async () => {
      if (!this.panel?.visible) return;
      if (this.running === undefined) await this.runCheck(this.progress.current);
      if (!this.panel?.visible || this.progress.current !== step) return;
      const waiting = this.progress.steps[step]?.lastCheck?.status !== 'pass';
      const interval = waiting && this.services.connections.sandboxEndpoint ? CHECK_INTERVAL_WAITING_SANDBOX_MS : CHECK_INTERVAL_MS;
      this.checkTimer = setTimeout(() => void tick(), interval);
    };
    this.checkTimer = setTimeout(() => void tick(), now ? 0 : CHECK_INTERVAL_MS);
    if (STEPS[step].visual === 'probe') this.visuals.probe.start();
  }

  private stopTimers(): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = undefined;
    this.visuals.probe.stop();
  }

  // ---------------------------------------------------------------------------------------- state

  private loadProgress(): Progress {
    const all = this.services.context.globalState.get<Record<string, unknown>>(PROGRESS_KEY, {});
    const legacy = legacyConnectionKey(this.services);
    // Progress kept under the old key (the setting's profile, "default" region) is read once and moves on the next save.
    const p = parseProgress(all?.[this.key] ?? (legacy && legacy !== this.key ? all?.[legacy] : undefined));
    for (const id of STEP_IDS) setDoneContext(id, !!p.steps[id]?.done);
    return p;
  }

  /**
   * Writes the progress, one write after the other: VS Code's globalState replaces its in-memory
   * copy with the workbench's echo of each write, so two overlapping writes can leave an older
   * copy readable (and a read-modify-write built on it would drop the newer progress).
   */
  private save(): Promise<void> {
    const write = async () => {
      const all = { ...(this.services.context.globalState.get<Record<string, unknown>>(PROGRESS_KEY, {}) ?? {}) };
      all[this.key] = this.progress;
      await this.services.context.globalState.update(PROGRESS_KEY, all);
    };
    this.saving = this.saving.then(write, write);
    return this.saving;
  }

  /** What the webview shows (public for tests). */
  viewState(): ViewState {
    return buildViewState({
      services: this.services,
      progress: this.progress,
      inputs: this.inputsOf(this.progress.current),
      checking: this.checking,
      running: this.running,
      runningText: this.runningText,
      insight: this.insight,
      endpoint: this.visuals.endpoint,
    });
  }

  private pushState(): void {
    if (this.panel && this.panel.title !== this.tabTitle()) this.panel.title = this.tabTitle();
    if (this.isReady) this.post({ kind: 'state', state: this.viewState() });
  }

  override dispose(): void {
    this.stopTimers();
    this.visuals.dispose();
    super.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Context keys the native Welcome-page walkthrough completes on (see content-en.ts). */
function setDoneContext(step: StepId, done: boolean): void {
  void vscode.commands.executeCommand('setContext', `ecsHandson.walkthrough.done.${step}`, done);
}

function pickValid(values: InputValues, errors: Record<string, string>): InputValues {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !errors[k]));
}
