/**
 * `ecsHandson.logs.filter` (Filter…): show only the lines matching a CloudWatch Logs filter pattern
 * (FilterLogEvents): terms (`ERROR`), a quoted phrase (`"GET /app"`), exclusions (`-health`).
 * Empty: no filter. The editor reads its streams again with the pattern.
 *
 * Arguments (`LogsFilterArgs`): { uri?: string, pattern?: string }. Returns the editor's state.
 */
import * as vscode from 'vscode';
import { t } from '../../l10n';
import type { LogsState } from '../../logs/view';
import { defineCommand } from '../command';
import { logsSession } from './session';

interface Draft {
  uri?: string;
  pattern?: string;
}

export const filterLogs = defineCommand({
  id: 'ecsHandson.logs.filter',
  title: () => t('Filter Logs'),
  args: (r): Draft => ({ uri: r.string('uri'), pattern: r.string('pattern') ?? '' }),
  palette: (): Draft => ({}),
  ask: async (ctx, d): Promise<Draft | undefined> => {
    const session = logsSession(ctx, d.uri);
    const pattern = await vscode.window.showInputBox({
      title: t('Filter Logs'),
      value: d.pattern ?? session.spec.filterPattern ?? '',
      prompt: t('A CloudWatch Logs filter pattern: terms (ERROR), a "quoted phrase", -term to exclude. Empty: all lines.'),
      placeHolder: '"GET /app" -health',
    });
    return pattern === undefined ? undefined : { uri: session.uri.toString(), pattern };
  },
  run: async (ctx, d): Promise<LogsState> => {
    const session = logsSession(ctx, d.uri);
    const pattern = d.pattern?.trim();
    session.restart({ filterPattern: pattern ? pattern : undefined });
    return session.state();
  },
});
