/**
 * `ecsHandson.logs.stopFollowing` / `ecsHandson.logs.resumeFollowing`: stop polling for new lines
 * (the editor keeps what it shows) and start again from where it stopped.
 *
 * Arguments (`LogsEditorArgs`): { uri?: string }. Returns the editor's state.
 */
import { t } from '../../l10n';
import type { LogsState } from '../../logs/view';
import { defineCommand } from '../command';
import { logsSession } from './session';

interface Draft {
  uri?: string;
}

export const stopFollowing = defineCommand({
  id: 'ecsHandson.logs.stopFollowing',
  title: () => t('Stop Following'),
  args: (r): Draft => ({ uri: r.string('uri') }),
  palette: (): Draft => ({}),
  run: async (ctx, d): Promise<LogsState> => {
    const session = logsSession(ctx, d.uri);
    ctx.parts.logs.setFollowing(session, false);
    return session.state();
  },
});

export const resumeFollowing = defineCommand({
  id: 'ecsHandson.logs.resumeFollowing',
  title: () => t('Resume Following'),
  args: (r): Draft => ({ uri: r.string('uri') }),
  palette: (): Draft => ({}),
  run: async (ctx, d): Promise<LogsState> => {
    const session = logsSession(ctx, d.uri);
    ctx.parts.logs.setFollowing(session, true);
    return session.state();
  },
});
