/**
 * `ecsHandson.copyArn`: copy a resource's ARN to the clipboard (and say so in the status bar).
 *
 * Arguments (`CopyArnArgs`): { arn: string }. Returns the ARN copied, or `{ error, code }`.
 */
import * as vscode from 'vscode';
import { CommandError } from '../../../core/commands/failure';
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const copyArn = defineCommand({
  id: 'ecsHandson.copyArn',
  title: () => t('Copy ARN'),
  args: (r) => r.required('arn', t('"arn" is required.')),
  row: (node) => node.resource,
  rowMustExist: false,
  palette: (): string => {
    throw new CommandError(t('Select a resource in the ECS explorer to copy its ARN.'));
  },
  run: async (_ctx, arn) => {
    await vscode.env.clipboard.writeText(arn);
    vscode.window.setStatusBarMessage(t('Copied {0}', arn), 4000);
    return arn;
  },
});
