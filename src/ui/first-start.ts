/**
 * The first screen leads into the hands-on: the first time VS Code starts with the extension in a
 * profile, the ECS view and the walkthrough panel open (once: remembered in the profile's
 * globalState). `ecsHandson.openHandsOnOnFirstStart: false` turns it off.
 *
 * Also keeps the context key `ecsHandson.explorer.shown` (true once the ECS view has been visible
 * in this window), the completion event of the native walkthrough's "Open the hands-on" step:
 * VS Code counts an `onView:` event once per window and loses it when the view was visible before
 * the walkthrough was registered (a view restored at startup), so that step stayed unticked.
 */
import * as vscode from 'vscode';
import { EXPLORER_SHOWN_CONTEXT } from '../core/walkthrough/step-ids';

/** globalState key: the first start was handled in this profile. */
export const FIRST_START_KEY = 'ecsHandson.firstStart.done';

export function registerFirstStart(
  context: vscode.ExtensionContext,
  view: vscode.TreeView<unknown>,
  openWalkthrough: () => void,
  log: vscode.LogOutputChannel,
): void {
  let shown = false;
  const markShown = (visible: boolean) => {
    if (!visible || shown) return;
    shown = true;
    void vscode.commands.executeCommand('setContext', EXPLORER_SHOWN_CONTEXT, true);
  };
  context.subscriptions.push(view.onDidChangeVisibility((e) => markShown(e.visible)));
  markShown(view.visible);

  if (context.globalState.get<boolean>(FIRST_START_KEY)) return;
  if (!vscode.workspace.getConfiguration('ecsHandson').get<boolean>('openHandsOnOnFirstStart', true)) return;
  void (async () => {
    await context.globalState.update(FIRST_START_KEY, true);
    log.info('first start in this profile: opening the ECS view and the hands-on');
    // The view first (it connects, starting the sandbox), then the panel, which keeps the focus.
    await vscode.commands.executeCommand('workbench.view.extension.ecsHandson');
    openWalkthrough();
  })().catch((e: unknown) => log.warn(`first start: ${String(e)}`));
}
