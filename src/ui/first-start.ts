/**
 * The first screen leads into the hands-on: the first time VS Code starts with the extension in a
 * profile, the ECS view and the walkthrough panel open (once: remembered in the profile's
 * globalState). `ecsHandson.openHandsOnOnFirstStart: false` turns it off.
 *
 * Also ticks the native walkthrough's "Open the hands-on" step once the ECS view has been visible.
 * Its completion events alone do not: VS Code 1.99 creates the walkthrough service only when the
 * Welcome page or a walkthrough is first opened, and an event that happened before (the view shown,
 * the panel opened) or a context key already true at that moment never ticks a step. So the
 * extension raises the context key `ecsHandson.explorer.shown` (for a walkthrough already open)
 * and marks the step done itself (`welcome.markStepComplete`, which records it even before the
 * service has registered the step).
 */
import * as vscode from 'vscode';
import { EXPLORER_SHOWN_CONTEXT } from '../core/walkthrough/step-ids';

/** globalState key: the first start was handled in this profile. */
export const FIRST_START_KEY = 'ecsHandson.firstStart.done';
/** The native walkthrough (package.json contributes.walkthroughs) and its first step. */
const WALKTHROUGH_ID = 'ecsHandson.handsOn';
const OPEN_STEP_ID = 'open';

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
    // VS Code's step id: <extension id>#<walkthrough id>#<step id>. The command throws (after
    // recording the step) when the walkthrough is not registered yet: nothing to report.
    void Promise.resolve(vscode.commands.executeCommand('welcome.markStepComplete', `${context.extension.id}#${WALKTHROUGH_ID}#${OPEN_STEP_ID}`)).catch(
      (e: unknown) => log.trace(`walkthrough step ${OPEN_STEP_ID}: ${String(e)}`),
    );
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
