/**
 * The ECS explorer (view `ecsHandson.explorer`): the connection as root context, clusters,
 * services, tasks, container instances, task definitions and load balancers below it.
 * Registering creates the view only; the first getChildren (the view opened) connects.
 */
import * as vscode from 'vscode';
import { ROOT_KEY } from '../../core/poll';
import type { TreeNode } from '../../core/tree-types';
import type { ConnectionState } from '../connection/manager';
import type { RefreshHint, UiContext } from '../ui-context';
import { ExplorerProvider } from './provider';
import { ExplorerRefresher, readRefreshSettings } from './refresh';
import { findResource } from './reveal';

export { ExplorerProvider } from './provider';

/** What other parts of the extension (and the tests, via the internal command `_ecsHandson.explorer`) use. */
export interface ExplorerApi {
  readonly provider: ExplorerProvider;
  readonly view: vscode.TreeView<TreeNode>;
  /**
   * Refreshes now: what the visible view shows is reloaded in the background (only changes reach
   * VS Code), the rest is loaded again when next asked for. Resolves once done.
   */
  refresh(hint?: RefreshHint): Promise<void>;
  /** Finds the resource's node (loading what can contain it), reveals and selects it. */
  reveal(resourceArn: string, options?: { select?: boolean; focus?: boolean; expand?: boolean | number }): Promise<TreeNode | undefined>;
  /** Finds a resource's node without revealing it. */
  find(resourceArn: string): Promise<TreeNode | undefined>;
}

export function registerExplorer(context: vscode.ExtensionContext, services: UiContext): ExplorerApi {
  const provider = new ExplorerProvider(services);
  const view = vscode.window.createTreeView('ecsHandson.explorer', { treeDataProvider: provider, showCollapseAll: true });
  const refresher = new ExplorerRefresher(provider, { intervalMs: readRefreshSettings });
  refresher.onError = (e) => services.log.error(`explorer refresh: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  provider.events = {
    onThrottled: () => refresher.throttled(),
    onLoaded: (key) => refresher.setExpanded(key, true),
    onForget: (key) => refresher.forget(key),
  };

  let connectedTo: string | undefined;
  let lastStatus: ConnectionState['status'] = services.connections.state.status;
  let failedBefore = false;
  const showState = (s: ConnectionState) => {
    switch (s.status) {
      case 'idle':
        view.description = undefined;
        view.message = undefined;
        break;
      case 'starting':
        view.description = vscode.l10n.t('{0} (connecting…)', s.label);
        view.message = undefined;
        break;
      case 'ready':
        view.description = s.label;
        view.message = undefined;
        break;
      case 'failed':
        view.description = s.label;
        // A failed sandbox shows error nodes with "Restart Sandbox"; another connection shows the
        // welcome view ("Switch Connection") under this message.
        view.message = services.connections.settings.kind === 'sandbox' || s.sandboxDied ? undefined : vscode.l10n.t('Cannot connect: {0}', s.message);
        break;
    }
  };
  showState(services.connections.state);

  const find = (arn: string) => findResource((n) => provider.getChildren(n), arn);
  const explorer: ExplorerApi = {
    provider,
    view,
    refresh: (hint) => refresher.refreshNow(provider.keysFor(hint)),
    find,
    reveal: async (arn, options) => {
      const node = await find(arn);
      if (node) await provider.whileExpanding(() => view.reveal(node, { select: options?.select ?? true, focus: options?.focus ?? false, expand: options?.expand ?? false }));
      return node;
    },
  };

  context.subscriptions.push(
    provider,
    view,
    refresher,
    view.onDidExpandElement((e) => {
      refresher.setExpanded(e.element.id, true);
      provider.setOpen(e.element.id, true);
    }),
    view.onDidCollapseElement((e) => {
      refresher.setExpanded(e.element.id, false);
      provider.setOpen(e.element.id, false);
    }),
    view.onDidChangeVisibility((e) => refresher.setVisible(e.visible)),
    services.onDidRequestRefresh((hint) => refresher.request(provider.keysFor(hint))),
    services.connections.onDidChange((s) => {
      showState(s);
      const previous = lastStatus;
      lastStatus = s.status;
      if (s.status === 'idle') {
        // Switched or reset: forget everything; reload if the view is open.
        connectedTo = undefined;
        provider.clear();
        provider.fire(ROOT_KEY);
      } else if (s.status === 'failed') {
        provider.invalidate(ROOT_KEY);
        provider.fire(ROOT_KEY);
      } else if (s.status === 'ready') {
        const id = JSON.stringify(s.connection.kind === 'sandbox' ? { ...s.connection, credentials: undefined } : s.connection);
        if (connectedTo !== undefined && connectedTo !== id) {
          // Another endpoint (e.g. a restarted sandbox on a new port).
          provider.clear();
          provider.fire(ROOT_KEY);
        } else if (previous === 'failed' || (previous === 'starting' && failedBefore)) {
          // Back after a failure: replace the error nodes.
          provider.invalidate(ROOT_KEY, true);
          provider.fire(ROOT_KEY);
        }
        connectedTo = id;
      }
      failedBefore = s.status === 'failed' || (failedBefore && s.status === 'starting');
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ecsHandson.autoRefresh') || e.affectsConfiguration('ecsHandson.autoRefreshSeconds')) refresher.reschedule();
    }),
  );
  refresher.setVisible(view.visible);
  return explorer;
}
