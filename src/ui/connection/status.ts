/** The status bar entry that shows the current connection; click to switch. */
import * as vscode from 'vscode';
import type { UiContext } from '../ui-context';
import type { ConnectionState } from './manager';

export function registerConnectionStatus(context: vscode.ExtensionContext, services: UiContext): void {
  const item = vscode.window.createStatusBarItem('ecsHandson.connection', vscode.StatusBarAlignment.Left, 20);
  item.name = vscode.l10n.t('ECS Hands-on Connection');
  item.command = 'ecsHandson.connection.switch';
  const render = (s: ConnectionState) => {
    item.backgroundColor = undefined;
    switch (s.status) {
      case 'idle':
        item.text = `$(plug) ECS: ${{ sandbox: vscode.l10n.t('Sandbox'), profile: vscode.l10n.t('AWS profile'), endpoint: vscode.l10n.t('Custom endpoint') }[services.connections.settings.kind]}`;
        item.tooltip = vscode.l10n.t('ECS Hands-on: not connected yet. Click to switch the connection.');
        break;
      case 'starting':
        item.text = `$(loading~spin) ECS: ${s.label}`;
        item.tooltip = vscode.l10n.t('Connecting to {0}…', s.label);
        break;
      case 'ready':
        item.text = `$(${s.connection.kind === 'sandbox' ? 'beaker' : 'cloud'}) ECS: ${s.label}`;
        item.tooltip = vscode.l10n.t('ECS Hands-on is connected to {0}. Click to switch.', s.label);
        break;
      case 'failed':
        item.text = `$(error) ECS: ${s.label}`;
        item.tooltip = s.message;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        item.command = s.sandboxDied ? 'ecsHandson.sandbox.restart' : 'ecsHandson.connection.switch';
        return void item.show();
    }
    item.command = 'ecsHandson.connection.switch';
    item.show();
  };
  render(services.connections.state);
  context.subscriptions.push(item, services.connections.onDidChange(render));
}
