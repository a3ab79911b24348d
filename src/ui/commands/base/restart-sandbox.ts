/** `ecsHandson.sandbox.restart`: stop and start the sandbox process (its state is kept on disk). */
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const restartSandbox = defineCommand({
  id: 'ecsHandson.sandbox.restart',
  title: () => t('Restart Sandbox'),
  run: async (ctx) => {
    await ctx.progress(t('Restarting the sandbox…'), () => ctx.services.connections.restartSandbox());
    ctx.services.refresh();
  },
});
