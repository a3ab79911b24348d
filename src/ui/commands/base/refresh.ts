/** `ecsHandson.refresh`: reload the whole explorer. */
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const refresh = defineCommand({
  id: 'ecsHandson.refresh',
  title: () => t('Refresh'),
  run: async (ctx) => ctx.services.refresh(),
});
