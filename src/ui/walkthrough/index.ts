/**
 * The walkthrough: the panel host (created on first use) and a serializer that restores the panel
 * after a reload. Returns what the commands `ecsHandson.walkthrough.open` / `.reset` and the
 * internal `_ecsHandson.walkthrough.panel` drive (registered with every other command in
 * src/ui/commands).
 */
import * as vscode from 'vscode';
import type { WalkthroughControl } from '../commands/parts';
import type { UiContext } from '../ui-context';
import { WALKTHROUGH_VIEW_TYPE, WalkthroughPanel } from './panel';

export { WALKTHROUGH_VIEW_TYPE, WalkthroughPanel } from './panel';

export function registerWalkthrough(context: vscode.ExtensionContext, services: UiContext): WalkthroughControl {
  let host: WalkthroughPanel | undefined;
  const get = () => {
    if (!host) {
      host = new WalkthroughPanel(services);
      context.subscriptions.push(host);
    }
    return host;
  };
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(WALKTHROUGH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => get().restore(panel, state),
    }),
  );
  return {
    open: (step) => void get().open(step),
    reset: () => get().reset(),
    panel: get,
  };
}
