/**
 * Deleting an ECS service the way the console does: scale it to 0, delete it, and (optionally) wait
 * until ECS has drained it — INACTIVE, or DRAINING with no task left. Used by the Delete service
 * command and by Clean Up.
 */
import { DeleteServiceCommand, DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { defaultTranslate, type Translate } from '../core/l10n';
import { waitUntil } from '../core/poll';

export interface DeleteServiceResult {
  serviceArn: string;
  status: string;
}

/** Scale to 0, delete, wait (bounded, 10 min) until no task is left. Throws AWS errors. */
export async function deleteServiceNow(
  ecs: ECSClient,
  cluster: string,
  service: string,
  opts: { wait: boolean; cancelled?: () => boolean; report?: (m: string) => void; pollMs?: number; t?: Translate },
): Promise<DeleteServiceResult> {
  const t = opts.t ?? defaultTranslate;
  opts.report?.(t('scaling {0} to 0…', service));
  await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  opts.report?.(t('deleting {0}…', service));
  const out = await ecs.send(new DeleteServiceCommand({ cluster, service, force: true }));
  let status = out.service?.status ?? 'DRAINING';
  if (opts.wait) {
    opts.report?.(t('waiting for the tasks of {0} to stop…', service));
    const done = await waitUntil(
      async () => {
        const sv = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
        status = sv?.status ?? 'INACTIVE';
        return status === 'INACTIVE' || (sv?.runningCount ?? 0) + (sv?.pendingCount ?? 0) === 0 ? status : undefined;
      },
      { timeoutMs: 10 * 60_000, intervalMs: opts.pollMs ?? 1500, cancelled: opts.cancelled },
    );
    status = done ?? status;
  }
  return { serviceArn: out.service?.serviceArn ?? '', status };
}
