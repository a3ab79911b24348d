/**
 * `ecsHandson.service.forceNewDeployment`: replace every task of a service with new ones (same
 * revision), e.g. to pick up a re-pushed image tag.
 *
 * Arguments (`ForceNewDeploymentArgs`): { cluster: string, service: string }.
 * Returns `UpdateServiceResult` or `{ error, code }`.
 */
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { applyUpdate, pickServiceRef, readServiceRef, serviceRow } from './service-update';

export const forceNewDeployment = defineCommand({
  id: 'ecsHandson.service.forceNewDeployment',
  title: () => t('Force new deployment'),
  args: readServiceRef,
  row: serviceRow,
  palette: (ctx) => pickServiceRef(ctx, t('Service to redeploy')),
  run: (ctx, ref) => applyUpdate(ctx, { ...ref, forceNewDeployment: true }),
});
