/** `ecsHandson.showLog`: the extension's output channel. */
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const showLog = defineCommand({
  id: 'ecsHandson.showLog',
  title: () => t('Show Log'),
  run: async (ctx) => ctx.services.log.show(),
});
