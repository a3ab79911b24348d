/**
 * The rollout view: one webview panel with a service's deployments table, its recent
 * failure-related events and the reasons of its stopped tasks, on the extension's webview host
 * (src/ui/webview/host.ts: strict CSP with a nonce, ready handshake, validated messages). The page
 * (webview/src/rollout.ts) only swaps in bodies the host renders (present.ts, all text escaped).
 * Refreshes live from the follower's polls while the rollout runs (stopped tasks at most every few
 * seconds); a finished rollout is a static snapshot, refreshed when the panel becomes visible again.
 */
import * as vscode from 'vscode';
import { escapeHtml } from '../../core/html';
import { parseRolloutViewMessage, type RolloutViewHostMessage, type RolloutViewRequests } from '../../core/rollout-view-messages';
import { WebviewHost } from '../webview/host';
import type { Service, Task } from '@aws-sdk/client-ecs';
import { computeRollout, type RolloutProgress } from '../../core/rollout';
import { idFromArn } from '../../core/format';
import type { UiContext } from '../ui-context';
import { loadAws } from '../aws-loader';
import { renderViewBody, type ViewModel } from './present';
import { fetchStoppedTasks, rolloutKey, type RolloutFollower } from './tracker';

export const ROLLOUT_VIEW_TYPE = 'ecsHandson.rollout';
/** Stopped tasks are re-read at most this often (real time) while the rollout runs. */
const STOPPED_REFRESH_MS = 5000;

export class RolloutViewPanel extends WebviewHost<RolloutViewHostMessage, RolloutViewRequests> {
  private target: { cluster: string; serviceName: string } | undefined;
  private model: ViewModel | undefined;
  private stoppedAt = 0;
  private stoppedLoading = false;
  private lastBody = '';
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly services: UiContext,
    private readonly follower: RolloutFollower,
    private readonly stuckAfterMs: () => number,
  ) {
    super({
      viewType: ROLLOUT_VIEW_TYPE,
      extensionUri: services.context.extensionUri,
      page: () => ({ title: vscode.l10n.t('Rollout'), scripts: ['rollout.js'], styles: ['rollout.css'], placeholder: `<p>${escapeHtml(vscode.l10n.t('Loading…'))}</p>`, role: 'main' }),
      parse: parseRolloutViewMessage,
      log: services.log,
    });
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
    this.model = { cluster, serviceName: name, now: Date.now(), live: false };
    this.stoppedAt = 0;
    this.openPanel(vscode.l10n.t('Rollout: {0}', name));
    this.lastBody = '';
    this.render();
    this.acknowledge();
    await this.load();
  }

  /** The (re-created) page listens: give it the current body. */
  protected override onReady(): void {
    this.lastBody = '';
    this.render();
  }

  protected override onRequest(): Promise<unknown> {
    return Promise.reject(new Error('The rollout view takes no requests.'));
  }

  /** Shown again: a finished rollout is read again (a live one refreshes on its own). */
  protected override onVisibilityChange(visible: boolean): void {
    if (visible && !this.isLive()) void this.load();
  }

  protected override onClosed(): void {
    this.model = undefined;
    this.target = undefined;
    this.lastBody = '';
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
      this.model = { cluster: target.cluster, serviceName: target.serviceName, service, progress, stoppedTasks, now: clock(), live: this.isLive(), taskDefinition: this.followed()?.taskDefinition, time: this.services.connections.timeBase() };
      this.render();
    } catch (e) {
      if (this.target !== target || !this.model) return;
      const message = e instanceof Error ? e.message : String(e);
      let text = message;
      try {
        text = this.services.connections.mapError(e, vscode.l10n.t).message;
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
      ...this.model, service: f.service, progress: f.progress, now: f.clock?.() ?? this.model.now, live, error: undefined, taskDefinition: f.taskDefinition, time: f.time ?? this.model.time,
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
    if (body === this.lastBody || !this.isReady) return;
    this.lastBody = body;
    this.post({ kind: 'render', body });
  }

  /** The current HTML body (for tests). */
  get body(): string {
    return this.model ? renderViewBody(this.model, vscode.l10n.t) : '';
  }

  override dispose(): void {
    this.subscription.dispose();
    super.dispose();
  }
}
