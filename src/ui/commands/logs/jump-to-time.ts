/**
 * `ecsHandson.logs.jumpToTime` (Jump to Time…): show the lines from a time on (GetLogEvents /
 * FilterLogEvents `startTime`): a date-time, a time of day (14:05) or a time ago (-15m, -2h, -1d).
 * Empty: from the start of the streams.
 *
 * Arguments (`LogsJumpArgs`): { uri?: string, time?: string | number }. Returns the editor's state.
 */
import * as vscode from 'vscode';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { LogsState } from '../../logs/view';
import { defineCommand } from '../command';
import { logsSession } from './session';
import { readStartTime } from './show-logs';

interface Draft {
  uri?: string;
  time?: number;
}

export const jumpToTime = defineCommand({
  id: 'ecsHandson.logs.jumpToTime',
  title: () => t('Jump to Time'),
  args: (r): Draft => {
    const raw = r.value('time');
    if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') r.fail(t('"{0}" must be a string, got {1}.', 'time', JSON.stringify(raw)), 'time');
    return { uri: r.string('uri'), time: readStartTime(raw as string | number | undefined, 'time') };
  },
  palette: (): Draft => ({}),
  ask: async (ctx, d): Promise<Draft | undefined> => {
    const session = logsSession(ctx, d.uri);
    const current = d.time ?? session.spec.startTime;
    const text = await vscode.window.showInputBox({
      title: t('Jump to Time'),
      value: current !== undefined ? new Date(current).toISOString() : '-15m',
      prompt: t('Show lines from: a date-time (2026-12-07T14:05:00Z), a time of day (14:05) or a time ago (-15m, -2h, -1d). Empty: from the start.'),
      validateInput: (v) => (Number.isNaN(loadAws().parseStartTime(v, Date.now())) ? t('Not a time: try 14:05, -15m or 2026-12-07T14:05:00Z.') : undefined),
    });
    if (text === undefined) return undefined;
    return { uri: session.uri.toString(), time: readStartTime(text, 'time') };
  },
  run: async (ctx, d): Promise<LogsState> => {
    const session = logsSession(ctx, d.uri);
    session.restart({ startTime: d.time });
    return session.state();
  },
});
