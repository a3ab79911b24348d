/** `ecsHandson.sandbox.showInfo`: where the sandbox listens and how the AWS CLI reaches it. Returns { endpoint, region }. */
import * as vscode from 'vscode';
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const showInfo = defineCommand({
  id: 'ecsHandson.sandbox.showInfo',
  title: () => t('Show Sandbox Info'),
  run: async (ctx) => {
    const conns = ctx.services.connections;
    if (conns.settings.kind !== 'sandbox') {
      void vscode.window.showInformationMessage(t('Not connected to the sandbox (connection: {0}).', conns.state.status === 'ready' ? conns.state.label : conns.settings.kind));
      return undefined;
    }
    await ctx.clients();
    const endpoint = conns.sandboxEndpoint;
    const region = conns.state.status === 'ready' && conns.state.connection.kind === 'sandbox' ? conns.state.connection.region : '';
    const text = t('ECS Hands-on sandbox at {0} ({1}). AWS CLI: aws --profile ecs-handson-sandbox --endpoint-url {0} ecs list-clusters', endpoint ?? '?', region);
    const copy = t('Copy Endpoint');
    const choice = await vscode.window.showInformationMessage(text, copy);
    if (choice === copy && endpoint) await vscode.env.clipboard.writeText(endpoint);
    return { endpoint, region };
  },
});
