/**
 * The rollout view: one webview panel with a service's deployments table, its recent
 * failure-related events and the reasons of its stopped tasks. Locked down: a nonce'd style and
 * one nonce'd script that only swaps in bodies the host renders (all text escaped), no other
 * resources than the extension's media folder. Refreshes live from the follower's polls while the
 * rollout runs (stopped tasks at most every few seconds); a finished rollout is a static snapshot,
 * refreshed when the panel becomes visible again.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Service, Task } from '@aws-sdk/client-ecs';
import { computeRollout, type RolloutProgress } from '../../core/rollout';
import { idFromArn } from '../../core/format';
import type { Services } from '../services';
import { loadAws } from '../aws-loader';
import { renderViewBody, renderViewDocument, type ViewModel } from './present';
import { fetchStoppedTasks, rolloutKey, type RolloutFollower } from './tracker';

export const ROLLOUT_VIEW_TYPE = 'ecsHandson.rollout';
/** Stopped tasks are re-read at most this often (real time) while the rollout runs. */
const STOPPED_REFRESH_MS = 5000;

export class RolloutViewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: { cluster: string; serviceName: string } | undefined;
  private model: ViewModel | undefined;
  private nonce = '';
  private stoppedAt = 0;
  private stoppedLoading = false;
  private lastBody = '';
  /** The next render replaces the whole document (the first one after show()). */
  private fullRender = true;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly services: Services,
    private readonly follower: RolloutFollower,
    private readonly stuckAfterMs: () => number,
  ) {
    this.subscription = follower.onDidChange(() => this.onFollowerChange());
  }

  /** The panel's title, when open. */
  get title(): string | undefined {
    return this.panel?.title;
  }

  /** Opens (or reveals) the view for a service and loads it. */
  async show(cluster: string, serviceName: string): Promise<void> {
    const name = idFromArn(serviceName);
    this.target = { cluster, serviceName: name };
    const title = vscode.l10n.t('Rollout: {0}', name);
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.services.context.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel(ROLLOUT_VIEW_TYPE, title, vscode.ViewColumn.Active, {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [media],
      });
      this.panel.iconPath = vscode.Uri.joinPath(media, 'ecs.svg');
      this.nonce = randomBytes(16).toString('base64');
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.model = undefined;
        this.target = undefined;
        this.lastBody = '';
      }, undefined, this.disposables);
      this.panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) return;
        // A hidden webview loses its document: write it whole again, fresh.
        this.fullRender = true;
        this.lastBody = '';
        if (this.isLive()) this.render();
        else void this.load();
      }, undefined, this.disposables);
    } else {
      this.panel.reveal();
    }
    this.panel.title = title;
    this.model = { cluster, serviceName: name, now: Date.now(), live: false };
    this.stoppedAt = 0;
    this.fullRender = true;
    this.render();
    this.acknowledge();
    await this.load();
  }

  private followed() {
    return this.target ? this.follower.get(this.target.cluster, this.target.serviceName) : undefined;
  }

  private isLive(): boolean {
    const p = this.followed()?.progress;
    return !!p && (p.state === 'in-progress' || p.state === 'stuck');
  }

  private acknowledge(): void {
    if (this.target) this.follower.acknowledge(rolloutKey(this.target.cluster, this.target.serviceName));
  }

  /** Reads the service (unless the follower just did) and its stopped tasks, then renders. */
  private async load(): Promise<void> {
    const target = this.target;
    if (!target || !this.panel) return;
    try {
      const clients = await this.services.clientsOrFail();
      const clock = await this.services.connections.now();
      const followed = this.followed();
      let service: Service | undefined = followed?.service;
      let progress: RolloutProgress | undefined = followed?.progress;
      // A followed rollout that runs (or whose first poll is under way) comes from the follower's polls.
      const fromFollower = !!followed && (followed.progress === undefined || this.isLive());
      if (!fromFollower) {
        const aws = loadAws();
        const r = await aws.describeServices(clients.ecs, target.cluster, [target.serviceName]);
        service = r.items[0];
        if (!service) throw new Error(vscode.l10n.t('Service {0} was not found in cluster {1}.', target.serviceName, idFromArn(target.cluster)));
        progress = computeRollout(service, { now: clock(), stuckAfterMs: this.stuckAfterMs(), t: vscode.l10n.t });
        // Opened on a rollout nobody follows yet: follow it (status bar + live refresh).
        if ((progress.state === 'in-progress' || progress.state === 'stuck') && !this.isLive()) {
          this.follower.track(target.cluster, target.serviceName);
        }
      }
      if (this.target !== target) return;
      const stoppedTasks = await this.loadStopped(true);
      this.model = { cluster: target.cluster, serviceName: target.serviceName, service, progress, stoppedTasks, now: clock(), live: this.isLive() };
      this.render();
    } catch (e) {
      if (this.target !== target || !this.model) return;
      const message = e instanceof Error ? e.message : String(e);
      let text = message;
      try {
        text = loadAws().mapAwsError(e, { endpoint: this.services.connections.sandboxEndpoint, t: vscode.l10n.t }).message;
      } catch {
        /* keep the raw message */
      }
      this.model = { ...this.model, error: vscode.l10n.t('Cannot read the rollout: {0}', text) };
      this.render();
    }
  }

  private async loadStopped(force = false): Promise<Task[] | undefined> {
    const target = this.target;
    if (!target) return undefined;
    if (!force && (this.stoppedLoading || Date.now() - this.stoppedAt < STOPPED_REFRESH_MS)) return this.model?.stoppedTasks;
    this.stoppedLoading = true;
    try {
      const clients = await this.services.connections.clients();
      const tasks = await fetchStoppedTasks(loadAws(), clients.ecs, target.cluster, target.serviceName);
      this.stoppedAt = Date.now();
      return tasks;
    } catch (e) {
      this.services.log.warn(`rollout view: cannot list stopped tasks: ${e instanceof Error ? e.message : String(e)}`);
      return this.model?.stoppedTasks ?? [];
    } finally {
      this.stoppedLoading = false;
    }
  }

  /** A poll finished: re-render from the follower's snapshot (no extra DescribeServices). */
  private onFollowerChange(): void {
    const target = this.target;
    const f = this.followed();
    if (!this.panel || !target || !f?.progress || !this.model) return;
    const live = this.isLive();
    this.model = {
      ...this.model, service: f.service, progress: f.progress, now: f.clock?.() ?? this.model.now, live, error: undefined,
      stoppedTasks: f.stoppedTasks && f.stoppedTasks.length > (this.model.stoppedTasks?.length ?? 0) ? f.stoppedTasks : this.model.stoppedTasks,
    };
    if (this.panel.visible && f.progress.state === 'failed') this.acknowledge();
    this.render();
    // Re-read stopped tasks every few seconds while live, and once more when the rollout finishes.
    if (live || Date.now() - this.stoppedAt >= STOPPED_REFRESH_MS) {
      void this.loadStopped(!live).then((tasks) => {
        if (this.target === target && this.model && tasks) {
          this.model = { ...this.model, stoppedTasks: tasks };
          this.render();
        }
      });
    }
  }

  private render(): void {
    if (!this.panel || !this.model) return;
    const body = renderViewBody(this.model, vscode.l10n.t);
    if (body === this.lastBody) return;
    this.lastBody = body;
    if (this.fullRender || !this.model.progress) {
      // Until the first data arrived the document is (re)written whole; afterwards only the body is
      // posted, so that the reader's scroll position survives the refreshes.
      this.fullRender = !this.model.progress;
      this.panel.webview.html = renderViewDocument({
        cspSource: this.panel.webview.cspSource,
        nonce: this.nonce,
        title: this.panel.title,
        body,
        lang: vscode.env.language,
      });
    } else {
      void this.panel.webview.postMessage({ type: 'render', body });
    }
  }

  /** The current HTML body (for tests). */
  get body(): string {
    return this.model ? renderViewBody(this.model, vscode.l10n.t) : '';
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
