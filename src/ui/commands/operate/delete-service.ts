/**
 * `ecsHandson.service.delete`: scale the service to 0, delete it and wait until ECS has drained it
 * (INACTIVE, or DRAINING with no task left). Asks first (a `loss` confirmation: always for a
 * person, and on real AWS).
 *
 * Arguments (`DeleteServiceArgs`): { cluster: string, service: string, wait?: boolean (default true) }.
 * Returns { serviceArn, status } or `{ error, code }`.
 */
import type { ServiceRef } from '../../../core/commands/contract';
import { idFromArn } from '../../../core/format';
import { paceFor } from '../../../core/poll';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { activeService, pickServiceRef, readServiceRef, serviceRow } from './service-update';

export const deleteService = defineCommand({
  id: 'ecsHandson.service.delete',
  title: () => t('Delete service'),
  args: (r) => ({ ...readServiceRef(r), wait: r.bool('wait') ?? true }),
  row: (node): (ServiceRef & { wait: boolean }) | undefined => {
    const ref = serviceRow(node);
    return ref && { ...ref, wait: true };
  },
  palette: async (ctx) => {
    const ref = await pickServiceRef(ctx, t('Service to delete'));
    return ref && { ...ref, wait: true };
  },
  run: async (ctx, d) => {
    const c = await ctx.clients();
    await activeService(c, d);
    const name = idFromArn(d.service);
    await ctx.confirm({ kind: 'loss', message: t('Delete service {0}?', name), detail: [t('Its desired count is set to 0, its tasks are stopped and the service is deleted.')], button: t('Delete') });
    const pace = paceFor(ctx.isRealAws);
    const res = await ctx.progress(t('Deleting service {0}…', d.service), (p, token) =>
      loadAws().deleteServiceNow(c.ecs, d.cluster, d.service, { wait: d.wait, cancelled: () => token.isCancellationRequested, report: (m) => p.report({ message: m }), pollMs: pace(1500), t }),
    );
    ctx.services.serviceDeleted(d.cluster, d.service);
    ctx.services.refresh({ kind: 'clusters' });
    return res;
  },
});
