import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'ecs-handson.ecs-handson';

describe('ECS Hands-on extension', () => {
  it('is installed as a development extension', () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} not found among ${vscode.extensions.all.length} extensions`);
    assert.equal(ext.packageJSON.publisher, 'ecs-handson');
    assert.equal(ext.packageJSON.main, './dist/extension.js');
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers ecsHandson.sandbox.showInfo', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('ecsHandson.sandbox.showInfo'), 'command not registered');
  });

  it('contributes the command to the palette with a localized title', () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    type Localized = string | { value: string; original: string };
    const contributed = (ext.packageJSON.contributes?.commands ?? []) as { command: string; title: Localized; category?: Localized }[];
    const cmd = contributed.find((c) => c.command === 'ecsHandson.sandbox.showInfo');
    assert.ok(cmd, 'command not contributed in package.json');
    const text = (l: Localized | undefined): string | undefined => (typeof l === 'object' ? l.value : l);
    assert.equal(text(cmd.category), 'ECS Hands-on');
    // %command.sandbox.showInfo% resolved from package.nls[.<lang>].json; in a non-English
    // display language VS Code keeps the English original next to the translation.
    if (vscode.env.language.startsWith('ja')) {
      assert.deepEqual(cmd.title, { value: 'サンドボックスの情報を表示', original: 'Show Sandbox Info' });
    } else {
      assert.equal(cmd.title, 'Show Sandbox Info');
    }
  });

  it('runs ecsHandson.sandbox.showInfo without error', async () => {
    // showInformationMessage resolves when the toast is dismissed; the command must not throw.
    const run = vscode.commands.executeCommand('ecsHandson.sandbox.showInfo');
    const settled = await Promise.race([
      Promise.resolve(run).then(
        () => 'resolved',
        (e: unknown) => {
          throw e;
        },
      ),
      new Promise((r) => setTimeout(() => r('shown'), 300)),
    ]);
    assert.ok(settled === 'resolved' || settled === 'shown');
  });

  it('speaks the display language (vscode.l10n)', () => {
    const text = vscode.l10n.t('Copy Endpoint');
    if (vscode.env.language.startsWith('ja')) assert.equal(text, 'エンドポイントをコピー');
    else assert.equal(text, 'Copy Endpoint');
  });
});
