import * as vscode from 'vscode';
import type { Command } from '../types';
import { writeConnectionKind, type ConnectionKind } from '../../connection/settings';

const refresh: Command = { id: 'ecsHandson.refresh', run: (s) => s.refresh() };

const showLog: Command = { id: 'ecsHandson.showLog', run: (s) => s.log.show() };

const restartSandbox: Command = {
  id: 'ecsHandson.sandbox.restart',
  run: async (s) => {
    await s.withProgress(vscode.l10n.t('Restarting the sandbox…'), () => s.connections.restartSandbox());
    s.refresh();
  },
};

const showInfo: Command = {
  id: 'ecsHandson.sandbox.showInfo',
  run: async (s) => {
    if (s.connections.settings.kind !== 'sandbox') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Not connected to the sandbox (connection: {0}).', s.connections.state.status === 'ready' ? s.connections.state.label : s.connections.settings.kind));
      return undefined;
    }
    await s.clientsOrFail();
    const endpoint = s.connections.sandboxEndpoint;
    const region = s.connections.state.status === 'ready' && s.connections.state.connection.kind === 'sandbox' ? s.connections.state.connection.region : '';
    const text = vscode.l10n.t('ECS Hands-on sandbox at {0} ({1}). AWS CLI: aws --profile ecs-handson-sandbox --endpoint-url {0} ecs list-clusters', endpoint ?? '?', region);
    const copy = vscode.l10n.t('Copy Endpoint');
    const choice = await vscode.window.showInformationMessage(text, copy);
    if (choice === copy && endpoint) await vscode.env.clipboard.writeText(endpoint);
    return { endpoint, region };
  },
};

/**
 * Switch connection: sandbox, an AWS profile (+ region), or a custom endpoint. Arguments (for
 * tests and the walkthrough): `{ kind, profile?, region?, endpoint? }`.
 */
const switchConnection: Command = {
  id: 'ecsHandson.connection.switch',
  run: async (s, arg) => {
    let choice = arg as { kind?: ConnectionKind; profile?: string; region?: string; endpoint?: string } | undefined;
    if (!choice || typeof choice !== 'object' || !['sandbox', 'profile', 'endpoint'].includes(String(choice.kind))) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: `$(beaker) ${vscode.l10n.t('Sandbox')}`, description: vscode.l10n.t('built in, no AWS account needed'), conn: 'sandbox' as const },
          { label: `$(cloud) ${vscode.l10n.t('AWS profile…')}`, description: vscode.l10n.t('from ~/.aws/config and credentials'), conn: 'profile' as const },
          { label: `$(server) ${vscode.l10n.t('Custom endpoint…')}`, description: vscode.l10n.t('LocalStack or another emulator'), conn: 'endpoint' as const },
        ],
        { title: vscode.l10n.t('Connect the ECS explorer to'), placeHolder: s.connections.state.status === 'ready' ? s.connections.state.label : undefined },
      );
      if (!picked) return undefined;
      choice = { kind: picked.conn };
      if (picked.conn === 'profile') {
        const profile = await vscode.window.showInputBox({ title: vscode.l10n.t('AWS profile'), prompt: vscode.l10n.t('Empty: AWS_PROFILE or the default profile'), value: s.connections.settings.profile });
        if (profile === undefined) return undefined;
        const region = await vscode.window.showInputBox({ title: vscode.l10n.t('AWS region'), prompt: vscode.l10n.t("Empty: AWS_REGION or the profile's region"), value: s.connections.settings.region, validateInput: (v) => (v === '' || /^[a-z]{2}(-[a-z]+)+-\d$/.test(v) ? undefined : vscode.l10n.t('A region looks like ap-northeast-1.')) });
        if (region === undefined) return undefined;
        choice = { kind: 'profile', profile, region };
      } else if (picked.conn === 'endpoint') {
        const endpoint = await vscode.window.showInputBox({ title: vscode.l10n.t('Endpoint URL'), value: s.connections.settings.endpoint || 'http://localhost:4566', validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : vscode.l10n.t('Enter an http:// or https:// URL.')) });
        if (endpoint === undefined) return undefined;
        choice = { kind: 'endpoint', endpoint };
      }
    }
    await writeConnectionKind(choice.kind!, { profile: choice.profile, region: choice.region, endpoint: choice.endpoint });
    await s.connections.reset();
    s.refresh();
    return choice.kind;
  },
};

export const baseCommands: Command[] = [refresh, showLog, restartSandbox, showInfo, switchConnection];
