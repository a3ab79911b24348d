/**
 * The walkthrough: the `ecsHandson.walkthrough.open` command (optional argument: a step id, or
 * `{ step }`), a serializer that restores the panel after a reload, and internal commands for tests
 * (`ecsHandson.walkthrough._panel` returns the panel host; `ecsHandson.walkthrough.reset`).
 */
import * as vscode from 'vscode';
import { isStepId } from '../../core/walkthrough/steps';
import type { Services } from '../services';
import { WALKTHROUGH_VIEW_TYPE, WalkthroughPanel } from './panel';

export { WALKTHROUGH_VIEW_TYPE, WalkthroughPanel } from './panel';

export function registerWalkthrough(context: vscode.ExtensionContext, services: Services): void {
  let host: WalkthroughPanel | undefined;
  const get = () => {
    if (!host) {
      host = new WalkthroughPanel(services);
      context.subscriptions.push(host);
    }
    return host;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('ecsHandson.walkthrough.open', (arg?: unknown) => {
      const step = isStepId(arg) ? arg : arg && typeof arg === 'object' && isStepId((arg as { step?: unknown }).step) ? (arg as { step: string }).step : undefined;
      get().open(step as Parameters<WalkthroughPanel['open']>[0]);
      return true;
    }),
    vscode.commands.registerCommand('ecsHandson.walkthrough.reset', () => get().reset()),
    vscode.commands.registerCommand('ecsHandson.walkthrough._panel', () => get()),
    vscode.window.registerWebviewPanelSerializer(WALKTHROUGH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => get().restore(panel, state),
    }),
  );
}
