/**
 * `ecsHandson.taskDefinition.deploy`: right-click a revision → pick the service (services whose
 * task definition is of the same family first, over all clusters) → UpdateService to that
 * revision (minimum / maximum percent kept unless given) → the status bar follows the rollout.
 *
 * Arguments (non-interactive):
 *   { taskDefinition: string ("family:N" or ARN), cluster: string, service: string,
 *     minimumHealthyPercent?: number, maximumPercent?: number }
 * Returns `UpdateServiceResult` (serviceArn, deploymentId, …) or `{ error, code }`.
 */
import * as vscode from 'vscode';
import { familyOf, revisionFromArn } from '../../../core/format';
import type { Command } from '../types';
import { argObject, invalid, isFailure, isTreeNode, pickRevision, pickService, refusedRetry, t } from './common';
import { applyUpdate, describeService, updateFromArgs, type UpdateServiceArgs } from './update-service';

export type DeployRevisionArgs = Pick<UpdateServiceArgs, 'cluster' | 'service' | 'minimumHealthyPercent' | 'maximumPercent'> & { taskDefinition: string };

export const deployRevision: Command = {
  id: 'ecsHandson.taskDefinition.deploy',
  run: async (s, arg) => {
    const action = t('Deploy revision');
    const a = argObject<DeployRevisionArgs>(arg);
    if (a) {
      if (typeof a.taskDefinition !== 'string' || a.taskDefinition.trim() === '') return invalid(t('"taskDefinition" is required ("family:revision" or an ARN).'));
      return updateFromArgs(s, { ...a, taskDefinition: a.taskDefinition }, action);
    }
    const c = await s.clientsOrFail();
    let revision = isTreeNode(arg) && arg.kind === 'taskDefinitionRevision' ? revisionFromArn(arg.context?.taskDefinitionArn ?? arg.resource) : undefined;
    if (!revision) revision = await pickRevision(c, t('Revision to deploy'));
    if (!revision) return undefined;
    const picked = await pickService(c, t('Deploy {0} to which service?', revision), familyOf(revision));
    if (!picked) return undefined;
    for (;;) {
      try {
        const current = await describeService(c, picked.clusterArn, picked.serviceName);
        const res = await applyUpdate(s, c, { cluster: picked.clusterArn, service: picked.serviceName, taskDefinition: revision }, current);
        if (res && !isFailure(res)) void vscode.window.showInformationMessage(t('Deploying {0} to {1} ({2}).', revision, picked.serviceName, res.deploymentId));
        return res;
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
