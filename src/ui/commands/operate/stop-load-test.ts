/** `ecsHandson.loadTest.stop`: ends the running load test (its summary follows). Returns { stopped: boolean }. */
import { t } from '../../l10n';
import { loadTests } from '../../loadtest';
import { defineCommand } from '../command';

export const stopLoadTest = defineCommand({
  id: 'ecsHandson.loadTest.stop',
  title: () => t('Stop load test'),
  run: async (ctx) => {
    const stopped = loadTests(ctx.services).stop();
    if (!stopped) void ctx.notify('info', t('No load test is running.'));
    return { stopped };
  },
});
