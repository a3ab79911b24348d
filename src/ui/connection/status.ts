/** The status bar entry that shows the current connection; click to switch. */
import * as vscode from 'vscode';
import type { UiContext } from '../ui-context';
import type { ConnectionState } from './manager';

/** Where the region came from, as the user reads it. */
const regionSources = () => ({
  setting: vscode.l10n.t('the setting ecsHandson.aws.region'),
  AWS_REGION: 'AWS_REGION',
  AWS_DEFAULT_REGION: 'AWS_DEFAULT_REGION',
  profile: vscode.l10n.t('the profile\'s region'),
  sandbox: vscode.l10n.t('the sandbox'),
});

/** The connection in a few lines: what it is, its region and where it came from, endpoint, credentials. */
export function readyTooltip(s: Extract<ConnectionState, { status: 'ready' }>): string {
  const r = s.resolved;
  const lines = [vscode.l10n.t('ECS Hands-on is connected to {0}. Click to switch.', s.label)];
  if (r.connection.kind === 'sandbox') return lines[0];
  if (r.profile) lines.push(vscode.l10n.t('Profile: {0}', r.profile));
  lines.push(vscode.l10n.t('Region: {0} (from {1})', r.region, regionSources()[r.regionSource]));
  lines.push(vscode.l10n.t('Endpoint: {0}', r.endpoints.ecs ?? vscode.l10n.t('AWS ({0})', `ecs.${r.region}.amazonaws.com${r.region.startsWith('cn-') ? '.cn' : ''}`)));
  lines.push(vscode.l10n.t('Credentials: {0}', r.credentialsLabel));
  lines.push(r.realAws ? vscode.l10n.t('Treated as real AWS: billable and destructive actions ask first.') : vscode.l10n.t('Treated as a local emulator: no confirmations before billable actions.'));
  return lines.join('\n');
}

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
        item.tooltip = readyTooltip(s);
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
