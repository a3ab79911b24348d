/**
 * `ecsHandson.refresh`: reload the whole explorer. On an AWS profile or a custom endpoint, the
 * shared config and credentials files are read again first (a rotated key, `aws configure`,
 * `aws sso login`: no window reload needed).
 */
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const refresh = defineCommand({
  id: 'ecsHandson.refresh',
  title: () => t('Refresh'),
  run: async (ctx) => {
    ctx.services.connections.reloadCredentials('Refresh');
    ctx.services.refresh();
  },
});
