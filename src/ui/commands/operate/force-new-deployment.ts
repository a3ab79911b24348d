/**
 * `ecsHandson.service.forceNewDeployment`: replace every task of a service with new ones (same
 * revision), e.g. to pick up a re-pushed image tag.
 *
 * Arguments (non-interactive): { cluster: string, service: string }.
 * Returns `UpdateServiceResult` or `{ error, code }`.
 */
import type { Command } from '../types';
import { argObject, refusedRetry, t } from './common';
import { applyUpdate, describeService, serviceTarget, updateFromArgs, type UpdateServiceArgs } from './update-service';

export type ForceNewDeploymentArgs = Pick<UpdateServiceArgs, 'cluster' | 'service'>;

export const forceNewDeployment: Command = {
  id: 'ecsHandson.service.forceNewDeployment',
  run: async (s, arg) => {
    const action = t('Force new deployment');
    const a = argObject<ForceNewDeploymentArgs>(arg);
    if (a) return updateFromArgs(s, { cluster: a.cluster, service: a.service, forceNewDeployment: true }, action);
    const c = await s.clientsOrFail();
    const target = await serviceTarget(s, c, arg, t('Service to redeploy'));
    if (!target) return undefined;
    for (;;) {
      try {
        const current = await describeService(c, target.cluster, target.service);
        return await applyUpdate(s, c, { ...target, forceNewDeployment: true }, current);
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
