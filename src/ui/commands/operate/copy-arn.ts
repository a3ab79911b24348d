/**
 * `ecsHandson.copyArn`: copy a resource's ARN to the clipboard (and say so in the status bar).
 *
 * Arguments (non-interactive): { arn: string }. Returns the ARN copied, or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { Command } from '../types';
import { argObject, invalid, isTreeNode, t } from './common';

export const copyArn: Command = {
  id: 'ecsHandson.copyArn',
  run: async (_s, arg) => {
    const a = argObject<{ arn: string }>(arg);
    let arn: string | undefined;
    if (a) {
      if (typeof a.arn !== 'string' || !a.arn.trim()) return invalid(t('"arn" is required.'));
      arn = a.arn.trim();
    } else if (isTreeNode(arg)) {
      arn = arg.resource;
    }
    if (!arn) return invalid(t('Select a resource in the ECS explorer to copy its ARN.'));
    await vscode.env.clipboard.writeText(arn);
    vscode.window.setStatusBarMessage(t('Copied {0}', arn), 4000);
    return arn;
  },
};
