/** What the explorer shows instead of resources when the connection failed or the sandbox died. */
import * as vscode from 'vscode';
import type { ConnectionState } from '../../connection/manager';
import type { ActionNode } from './item';

const ROOT = 'connection';

/** An error line with the reason, then "Restart Sandbox" (sandbox only) and "Switch Connection". */
export function connectionErrorNodes(state: Extract<ConnectionState, { status: 'failed' }>, isSandbox: boolean): ActionNode[] {
  const nodes: ActionNode[] = [
    {
      id: `${ROOT}/error`,
      kind: 'message',
      label: state.sandboxDied ? vscode.l10n.t('The sandbox is not running') : vscode.l10n.t('Cannot connect to {0}', state.label),
      description: state.message,
      tooltip: `$(error) ${escape(state.message)}`,
      icon: 'error',
      color: 'errorForeground',
      contextValue: 'ecsHandson.message.error',
      collapsible: 'none',
    },
  ];
  if (isSandbox) {
    const title = vscode.l10n.t('Restart Sandbox');
    nodes.push({
      id: `${ROOT}/restart`, kind: 'message', label: title, icon: 'debug-restart', contextValue: 'ecsHandson.action',
      collapsible: 'none', command: { id: 'ecsHandson.sandbox.restart', title },
      tooltip: vscode.l10n.t('Start the sandbox again; its state (clusters, services, task definitions) is kept.'),
    });
  }
  const switchTitle = vscode.l10n.t('Switch Connection…');
  nodes.push({
    id: `${ROOT}/switch`, kind: 'message', label: switchTitle, icon: 'plug', contextValue: 'ecsHandson.action',
    collapsible: 'none', command: { id: 'ecsHandson.connection.switch', title: switchTitle },
  });
  return nodes;
}

const escape = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!<>|$]/g, '\\$&');
