/** Wiring only: every piece registers itself; nothing connects or loads the AWS SDK until first use. */
import * as vscode from 'vscode';
import { UiContext } from './ui/ui-context';
import { registerCommands } from './ui/commands';
import { registerConnectionStatus } from './ui/connection/status';
import { registerExplorer } from './ui/explorer';
import { LogsView } from './ui/logs/view';
import { registerFirstStart } from './ui/first-start';
import { registerRollout } from './ui/rollout';
import { registerWalkthrough } from './ui/walkthrough';

export function activate(context: vscode.ExtensionContext): UiContext {
  const log = vscode.window.createOutputChannel('ECS Hands-on', { log: true });
  const ui = new UiContext(context, log);
  context.subscriptions.push(log, ui);
  registerConnectionStatus(context, ui);
  const explorer = registerExplorer(context, ui);
  const rollout = registerRollout(context, ui);
  const walkthrough = registerWalkthrough(context, ui);
  const logs = new LogsView(ui);
  context.subscriptions.push(logs);
  registerCommands(context, ui, { explorer, rollout, walkthrough, logs });
  registerFirstStart(context, explorer.view, () => walkthrough.open(), log);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('ecsHandson.connection') || e.affectsConfiguration('ecsHandson.aws') || e.affectsConfiguration('ecsHandson.endpoint')) {
        await ui.connections.reset();
        ui.refresh();
      }
      // The sandbox's clock: on AWS (or another endpoint) time is real, and the setting does nothing there.
      if (e.affectsConfiguration('ecsHandson.sandbox.timeScale') && ui.connections.settings.kind !== 'sandbox') {
        const st = ui.connections.state;
        void vscode.window.showInformationMessage(vscode.l10n.t('The time scale applies to the sandbox only: {0} runs in real time, as AWS does.', st.status === 'ready' ? st.label : ui.connections.settings.kind));
      }
    }),
  );
  return ui;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
