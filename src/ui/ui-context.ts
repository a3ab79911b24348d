/**
 * What every part of the UI shares: the log, the connection (clients + clock), explorer refresh
 * requests, the rollout tracker, and the common ways to show progress and AWS errors. Created once
 * in activate(); commands reach it through their `CommandContext` (src/ui/commands/command.ts).
 */
import * as vscode from 'vscode';
import { ConnectionManager } from './connection/manager';

/** What changed, so the explorer can refresh just that part (undefined = everything). */
export type RefreshHint = { kind: 'clusters' | 'taskDefinitions' | 'loadBalancers' } | { kind: 'service'; clusterArn: string; serviceName: string } | undefined;

export interface RolloutFollowing {
  /** Follow the rollout of a service in the status bar. */
  track(clusterArn: string, serviceName: string): void;
  /** Stop following a service (it was deleted): it leaves the status bar at once. */
  forget(clusterArn: string, serviceName: string): void;
}

/** An error the user has already been shown; the command table only logs it. */
export class AlreadyShownError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export class UiContext implements vscode.Disposable {
  readonly connections: ConnectionManager;
  private readonly refreshEmitter = new vscode.EventEmitter<RefreshHint>();
  readonly onDidRequestRefresh = this.refreshEmitter.event;
  private rolloutFollowing: RolloutFollowing | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.connections = new ConnectionManager(context, log);
  }

  /** The current connection's clients; connection failures are shown to the user and rethrown. */
  async clientsOrFail(): Promise<import('../aws').AwsClients> {
    try {
      return await this.connections.clients();
    } catch (e) {
      const retry = vscode.l10n.t('Retry');
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Cannot connect: {0}', e instanceof Error ? e.message : String(e)), retry);
      if (choice === retry) return this.clientsOrFail();
      throw new AlreadyShownError(e);
    }
  }

  /** Asks the explorer to refresh after a change. */
  refresh(hint?: RefreshHint): void {
    this.refreshEmitter.fire(hint);
  }

  setRolloutFollowing(t: RolloutFollowing): void {
    this.rolloutFollowing = t;
  }

  followRollout(clusterArn: string, serviceName: string): void {
    this.rolloutFollowing?.track(clusterArn, serviceName);
  }

  /** A command deleted this service: nothing about it stays in the status bar. */
  serviceDeleted(clusterArn: string, serviceName: string): void {
    this.rolloutFollowing?.forget(clusterArn, serviceName);
  }

  /** Runs `work` with a progress notification titled `title`. */
  withProgress<T>(title: string, work: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (p, token) => work(p, token)),
    );
  }

  /**
   * Shows why AWS (or the sandbox) refused, with the service's own message, and logs it. Returns
   * the user's choice when `actions` are offered (e.g. "Retry", which commands use to re-open their
   * input with what the user typed).
   */
  async showError(error: unknown, action: string, ...actions: string[]): Promise<string | undefined> {
    const info = this.connections.mapError(error, vscode.l10n.t);
    const text = `${action}: ${info.message}${info.hint ? ` — ${info.hint}` : ''}`;
    this.log.error(`${action}: ${info.code} ${info.message}`);
    return vscode.window.showErrorMessage(text, ...actions);
  }

  dispose(): void {
    this.refreshEmitter.dispose();
    this.connections.dispose();
  }
}
