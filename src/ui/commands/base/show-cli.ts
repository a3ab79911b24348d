/**
 * `ecsHandson.cli.showLast` — the AWS CLI behind the last click (issue 14): the AWS CLI commands
 * equivalent to what the last command sent (recorded from its SDK calls, src/ui/cli/recorded.ts),
 * with the connection's profile, region and endpoint. From the palette it opens them in an editor
 * with "Copy as AWS CLI" and "Run in Terminal"; an argument call does what `then` says.
 *
 * Argument (optional): `{ then?: 'show' | 'copy' | 'terminal' }` (default 'show').
 * Returns `{ title, script, count }` — the action and its commands — or `{ error, code }` when no
 * command has sent anything yet.
 */
import * as vscode from 'vscode';
import type { ShowCliArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { cliDocument, lastCliAction, runInTerminal, type CliAction } from '../../cli/recorded';
import { t } from '../../l10n';
import { defineCommand, type CommandContext } from '../command';

type Then = NonNullable<ShowCliArgs['then']>;

/** Runs the commands in a terminal; on real AWS, changes are asked first (they act on the account). */
export async function runCliInTerminal(ctx: CommandContext, action: CliAction): Promise<void> {
  if (action.changes) {
    await ctx.confirm({
      kind: 'aws',
      message: t('Run the {0} AWS CLI commands of "{1}" in a terminal? They change your AWS account again.', action.count, action.title),
      detail: action.script.split('\n').slice(0, 12),
      button: t('Run in Terminal'),
    });
  }
  runInTerminal(ctx.services, action.script);
}

async function show(ctx: CommandContext, action: CliAction, then: Then): Promise<void> {
  if (then === 'copy') {
    await vscode.env.clipboard.writeText(action.script);
    ctx.tell(t('Copied {0} AWS CLI commands of "{1}".', action.count, action.title));
    return;
  }
  if (then === 'terminal') return runCliInTerminal(ctx, action);
  const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: cliDocument(action) });
  await vscode.window.showTextDocument(doc, { preview: true });
  if (!ctx.interactive) return;
  const copy = t('Copy as AWS CLI');
  const terminal = t('Run in Terminal');
  const choice = await vscode.window.showInformationMessage(t('The AWS CLI equivalent of "{0}": {1} commands.', action.title, action.count), copy, terminal);
  if (choice === copy) await show(ctx, action, 'copy');
  else if (choice === terminal) await show(ctx, action, 'terminal');
}

export const showLastCli = defineCommand({
  id: 'ecsHandson.cli.showLast',
  title: () => t('Show AWS CLI for Last Action'),
  args: (r): Then => r.oneOf('then', ['show', 'copy', 'terminal'] as const) ?? 'show',
  palette: (): Then => 'show',
  run: async (ctx, then: Then) => {
    const action = lastCliAction();
    if (!action) throw new CommandError(t('No command has sent an AWS call yet in this window: run one first (e.g. Create Cluster).'), 'NothingRecorded');
    await show(ctx, action, then);
    return { title: action.title, script: action.script, count: action.count };
  },
});
