/**
 * `ecsHandson.service.scale`: set a service's desired count.
 *
 * Arguments (`ScaleServiceArgs`): { cluster: string, service: string, desiredCount: number }.
 * Returns `UpdateServiceResult` or `{ error, code }`.
 */
import type { ServiceRef } from '../../../core/commands/contract';
import { count } from '../../../core/format';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { askInt } from '../pickers';
import { activeService, applyUpdate, pickServiceRef, readServiceRef, serviceRow } from './service-update';

type Draft = ServiceRef & { desiredCount?: number };

export const scaleService = defineCommand({
  id: 'ecsHandson.service.scale',
  title: () => t('Set desired count'),
  args: (r): Draft => {
    const ref = readServiceRef(r);
    const desiredCount = r.int('desiredCount', 0, 5000);
    if (desiredCount === undefined) r.fail(t('"desiredCount" is required (a whole number between {0} and {1}).', 0, 5000), 'desiredCount');
    return { ...ref, desiredCount };
  },
  row: (node): Draft | undefined => serviceRow(node),
  palette: (ctx): Promise<Draft | undefined> => pickServiceRef(ctx, t('Service to scale')),
  ask: async (ctx, d) => {
    const current = await activeService(await ctx.clients(), d);
    const n = await askInt(t('{0}: desired count', current.serviceName ?? d.service), d.desiredCount ?? current.desiredCount ?? 0, 0, 5000, t('Currently {0} desired, {1} running.', count(current.desiredCount), count(current.runningCount)));
    return n === undefined ? undefined : { ...d, desiredCount: n };
  },
  run: (ctx, d) => applyUpdate(ctx, d),
});
