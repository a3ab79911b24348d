/**
 * `ecsHandson.service.delete`: scale the service to 0, delete it and wait until ECS has drained it
 * (INACTIVE, or DRAINING with no task left). Always asks first.
 *
 * Arguments (non-interactive): { cluster: string, service: string, wait?: boolean (default true) }.
 * Non-interactive calls on the sandbox do not ask; on real AWS they ask like the palette does.
 * Returns { serviceArn, status } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, boolArg, checkArgs, clientsOr, confirm, invalid, isFailure, paceFor, refused, refusedRetry, sdk, stringArg, t, waitFor } from './common';
import { describeService, serviceTarget } from './update-service';

export interface DeleteServiceArgs {
  cluster: string;
  service: string;
  wait?: boolean;
}

export interface DeleteServiceResult {
  serviceArn: string;
  status: string;
}

/** Scale to 0, delete, wait (bounded) until no task is left. Throws AWS errors. */
export async function deleteServiceNow(c: AwsClients, cluster: string, service: string, wait: boolean, token?: vscode.CancellationToken, report?: (m: string) => void, pollMs = 1500): Promise<DeleteServiceResult> {
  const x = sdk();
  report?.(t('scaling {0} to 0…', service));
  await c.ecs.send(new x.UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  report?.(t('deleting {0}…', service));
  const out = await c.ecs.send(new x.DeleteServiceCommand({ cluster, service, force: true }));
  let status = out.service?.status ?? 'DRAINING';
  if (wait) {
    report?.(t('waiting for the tasks of {0} to stop…', service));
    const done = await waitFor(async () => {
      const sv = await describeService(c, cluster, service);
      status = sv?.status ?? 'INACTIVE';
      return status === 'INACTIVE' || (sv?.runningCount ?? 0) + (sv?.pendingCount ?? 0) === 0 ? status : undefined;
    }, 10 * 60_000, token, pollMs);
    status = done ?? status;
  }
  return { serviceArn: out.service?.serviceArn ?? '', status };
}

async function run(s: Services, cluster: string, service: string, wait: boolean): Promise<DeleteServiceResult> {
  const c = await s.clientsOrFail();
  const res = await s.withProgress(t('Deleting service {0}…', service), (p, token) => deleteServiceNow(c, cluster, service, wait, token, (m) => p.report({ message: m }), paceFor(s)(1500)));
  s.serviceDeleted(cluster, service);
  s.refresh({ kind: 'clusters' });
  return res;
}

export const deleteService: Command = {
  id: 'ecsHandson.service.delete',
  run: async (s, arg) => {
    const action = t('Delete service');
    const a = argObject<DeleteServiceArgs>(arg);
    const question = (name: string) => t('Delete service {0}?', name);
    const detail = [t('Its desired count is set to 0, its tasks are stopped and the service is deleted.')];
    if (a) {
      const args = checkArgs(() => {
        const cluster = stringArg(a.cluster, 'cluster');
        const service = stringArg(a.service, 'service');
        if (!cluster) throw new ArgumentError(t('"cluster" is required (a cluster name or ARN).'));
        if (!service) throw new ArgumentError(t('"service" is required (a service name or ARN).'));
        return { cluster, service, wait: boolArg(a.wait, 'wait') ?? true };
      });
      if (isFailure(args)) return args;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        const sv = await describeService(c, args.cluster, args.service);
        if (!sv || sv.status !== 'ACTIVE') return invalid(t('Service {0} not found in cluster {1}.', args.service, args.cluster));
        if (!(await confirm(s, question(args.service), detail, t('Delete')))) return undefined;
        return await run(s, args.cluster, args.service, args.wait);
      } catch (e) {
        return refused(s, e, action);
      }
    }
    const c = await s.clientsOrFail();
    const target = await serviceTarget(s, c, arg, t('Service to delete'));
    if (!target) return undefined;
    const name = target.service.split('/').pop() ?? target.service;
    if (!(await confirm(s, question(name), detail, t('Delete'), true))) return undefined;
    for (;;) {
      try {
        return await run(s, target.cluster, target.service, true);
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
