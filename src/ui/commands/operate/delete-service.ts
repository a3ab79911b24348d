/**
 * `ecsHandson.service.delete`: scale the service to 0, delete it and wait until ECS has drained it
 * (INACTIVE, or DRAINING with no task left). Asks first (a `loss` confirmation: always for a
 * person, and on real AWS).
 *
 * Arguments (`DeleteServiceArgs`): { cluster: string, service: string, wait?: boolean (default true) }.
 * Returns { serviceArn, status } or `{ error, code }`.
 */
import type { AwsClients } from '../../../aws';
import type { ServiceRef } from '../../../core/commands/contract';
import { idFromArn } from '../../../core/format';
import { paceFor, waitUntil } from '../../../core/poll';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { activeService, describeService, pickServiceRef, readServiceRef, serviceRow } from './service-update';

export interface DeleteServiceResult {
  serviceArn: string;
  status: string;
}

/** Scale to 0, delete, wait (bounded) until no task is left. Throws AWS errors. */
export async function deleteServiceNow(
  c: AwsClients,
  cluster: string,
  service: string,
  opts: { wait: boolean; cancelled?: () => boolean; report?: (m: string) => void; pollMs?: number },
): Promise<DeleteServiceResult> {
  const x = loadAws().operateSdk;
  opts.report?.(t('scaling {0} to 0…', service));
  await c.ecs.send(new x.UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  opts.report?.(t('deleting {0}…', service));
  const out = await c.ecs.send(new x.DeleteServiceCommand({ cluster, service, force: true }));
  let status = out.service?.status ?? 'DRAINING';
  if (opts.wait) {
    opts.report?.(t('waiting for the tasks of {0} to stop…', service));
    const done = await waitUntil(
      async () => {
        const sv = await describeService(c, cluster, service);
        status = sv?.status ?? 'INACTIVE';
        return status === 'INACTIVE' || (sv?.runningCount ?? 0) + (sv?.pendingCount ?? 0) === 0 ? status : undefined;
      },
      { timeoutMs: 10 * 60_000, intervalMs: opts.pollMs ?? 1500, cancelled: opts.cancelled },
    );
    status = done ?? status;
  }
  return { serviceArn: out.service?.serviceArn ?? '', status };
}

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
      deleteServiceNow(c, d.cluster, d.service, { wait: d.wait, cancelled: () => token.isCancellationRequested, report: (m) => p.report({ message: m }), pollMs: pace(1500) }),
    );
    ctx.services.serviceDeleted(d.cluster, d.service);
    ctx.services.refresh({ kind: 'clusters' });
    return res;
  },
});
