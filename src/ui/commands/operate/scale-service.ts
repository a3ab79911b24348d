/**
 * `ecsHandson.service.scale`: set a service's desired count.
 *
 * Arguments (non-interactive): { cluster: string, service: string, desiredCount: number }.
 * Returns `UpdateServiceResult` or `{ error, code }`.
 */
import type { Command } from '../types';
import { argObject, askInt, invalid, refused, refusedRetry, t } from './common';
import { applyUpdate, describeService, serviceTarget, updateFromArgs, type UpdateServiceArgs } from './update-service';

export type ScaleServiceArgs = Pick<UpdateServiceArgs, 'cluster' | 'service'> & { desiredCount: number };

export const scaleService: Command = {
  id: 'ecsHandson.service.scale',
  run: async (s, arg) => {
    const action = t('Set desired count');
    const a = argObject<ScaleServiceArgs>(arg);
    if (a) {
      if (a.desiredCount === undefined) return invalid(t('"desiredCount" is required (a whole number between {0} and {1}).', 0, 5000));
      return updateFromArgs(s, { cluster: a.cluster, service: a.service, desiredCount: a.desiredCount }, action);
    }
    const c = await s.clientsOrFail();
    const target = await serviceTarget(s, c, arg, t('Service to scale'));
    if (!target) return undefined;
    let current;
    try {
      current = await describeService(c, target.cluster, target.service);
    } catch (e) {
      return refused(s, e, action);
    }
    if (!current) return invalid(t('Service {0} not found.', target.service));
    let desired = current.desiredCount ?? 0;
    for (;;) {
      const n = await askInt(t('{0}: desired count', current.serviceName ?? target.service), desired, 0, 5000, t('Currently {0} desired, {1} running.', current.desiredCount ?? 0, current.runningCount ?? 0));
      if (n === undefined) return undefined;
      desired = n;
      try {
        return await applyUpdate(s, c, { ...target, desiredCount: n }, current);
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
