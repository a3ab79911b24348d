/** Wiring only: every piece registers itself; nothing connects or loads the AWS SDK until first use. */
import * as vscode from 'vscode';
import { Services } from './ui/services';
import { registerCommands } from './ui/commands';
import { registerConnectionStatus } from './ui/connection/status';
import { registerExplorer } from './ui/explorer';
import { registerFirstStart } from './ui/first-start';
import { registerRollout } from './ui/rollout';
import { registerWalkthrough } from './ui/walkthrough';

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('ECS Hands-on', { log: true });
  services = new Services(context, log);
  context.subscriptions.push(log, services);
  registerConnectionStatus(context, services);
  const explorer = registerExplorer(context, services);
  const rollout = registerRollout(context, services);
  const walkthrough = registerWalkthrough(context, services);
  registerCommands(context, services, { explorer, rollout, walkthrough });
  registerFirstStart(context, explorer.view, () => walkthrough.open(), log);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('ecsHandson.connection') || e.affectsConfiguration('ecsHandson.aws') || e.affectsConfiguration('ecsHandson.endpoint')) {
        await services?.connections.reset();
        services?.refresh();
      }
    }),
  );
  return services;
}

export function deactivate(): void {
  services = undefined;
}
