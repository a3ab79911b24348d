import * as vscode from 'vscode';

/** Wires contributions only; everything heavy loads on first use. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ecsHandson.sandbox.showInfo', () =>
      vscode.window.showInformationMessage(vscode.l10n.t('ECS Hands-on sandbox: not started yet.')),
    ),
  );
}

export function deactivate(): void {}
