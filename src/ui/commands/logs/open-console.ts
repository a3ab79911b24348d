/**
 * `ecsHandson.logs.openConsole` (real AWS): the CloudWatch console page of the logs shown — the
 * stream when there is one, else the log group.
 *
 * Arguments (`LogsConsoleArgs`): { uri?: string, open?: boolean (default true; false only returns
 * the URL) }. Returns { url, opened }.
 */
import * as vscode from 'vscode';
import { CommandError } from '../../../core/commands/failure';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { logsSession } from './session';

interface Draft {
  uri?: string;
  open: boolean;
}

export const openLogsConsole = defineCommand({
  id: 'ecsHandson.logs.openConsole',
  title: () => t('Open Logs in AWS Console'),
  args: (r): Draft => ({ uri: r.string('uri'), open: r.bool('open') ?? true }),
  palette: (): Draft => ({ open: true }),
  run: async (ctx, d): Promise<{ url: string; opened: boolean }> => {
    const session = logsSession(ctx, d.uri);
    if (!ctx.isRealAws) throw new CommandError(t('The AWS console shows only real AWS accounts; these logs are on {0}.', ctx.services.connections.settings.kind), 'NotFound');
    const state = session.state();
    const region = session.spec.region ?? (await (await ctx.clients()).region());
    const group = state.groups[0];
    if (!group) throw new CommandError(t('These logs have no log stream yet.'), 'NotFound');
    const url = loadAws().logsConsoleUrl(region, group, state.streams.length === 1 ? state.streams[0] : undefined);
    if (!d.open) return { url, opened: false };
    return { url, opened: await vscode.env.openExternal(vscode.Uri.parse(url, true)) };
  },
});
