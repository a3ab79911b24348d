/**
 * What the logs editor commands (Filter…, Jump to Time…, Stop/Resume Following, Open in AWS
 * Console) act on: the logs editor named by `uri` (an argument call: Show Logs' result), else the
 * active editor when it shows logs, else the only logs editor open.
 */
import { CommandError } from '../../../core/commands/failure';
import { t } from '../../l10n';
import type { LogSession } from '../../logs/view';
import type { CommandContext } from '../command';

export function logsSession(ctx: CommandContext, uri?: string): LogSession {
  const view = ctx.parts.logs;
  const session = view.session(uri) ?? (uri === undefined && view.all().length === 1 ? view.all()[0] : undefined);
  if (!session) {
    throw new CommandError(uri ? t('Those logs are closed. Run Show Logs again.') : t('Open a logs editor first (Show Logs on a task or a service), then run {0} from it.', ctx.title), 'NotFound', uri ? 'uri' : undefined);
  }
  return session;
}
