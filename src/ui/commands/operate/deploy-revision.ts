/**
 * `ecsHandson.taskDefinition.deploy`: right-click a revision → pick the service (services whose
 * task definition is of the same family first, over all clusters) → UpdateService to that
 * revision (minimum / maximum percent kept unless given) → the status bar follows the rollout.
 *
 * Arguments (`DeployRevisionArgs`): { taskDefinition: string ("family:N" or ARN), cluster: string,
 *   service: string, minimumHealthyPercent?: number, maximumPercent?: number }
 * Returns `UpdateServiceResult` (serviceArn, deploymentId, …) or `{ error, code }`.
 */
import type { UpdateServiceArgs } from '../../../core/commands/contract';
import { familyOf, revisionFromArn } from '../../../core/format';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { pickRevision } from '../pickers';
import { applyUpdate, pickServiceRef, readUpdate } from './service-update';

/** The revision, and (once chosen) the service it goes to. */
type Draft = { taskDefinition: string } & Partial<Omit<UpdateServiceArgs, 'taskDefinition'>>;

export const deployRevision = defineCommand({
  id: 'ecsHandson.taskDefinition.deploy',
  title: () => t('Deploy revision'),
  args: (r): Draft => {
    r.required('taskDefinition', t('"taskDefinition" is required ("family:revision" or an ARN).'));
    const u = readUpdate(r);
    return { cluster: u.cluster, service: u.service, taskDefinition: u.taskDefinition!, minimumHealthyPercent: u.minimumHealthyPercent, maximumPercent: u.maximumPercent };
  },
  row: (node): Draft | undefined => {
    const revision = revisionFromArn(node.context?.taskDefinitionArn ?? node.resource);
    return revision ? { taskDefinition: revision } : undefined;
  },
  palette: async (ctx): Promise<Draft | undefined> => {
    const revision = await pickRevision(await ctx.clients(), t('Revision to deploy'));
    return revision ? { taskDefinition: revision } : undefined;
  },
  // Which service (asked once: a Retry keeps it).
  ask: async (ctx, d) => {
    if (d.cluster && d.service) return d;
    const ref = await pickServiceRef(ctx, t('Deploy {0} to which service?', d.taskDefinition), familyOf(d.taskDefinition));
    return ref ? { ...d, ...ref } : undefined;
  },
  run: async (ctx, d) => {
    const res = await applyUpdate(ctx, { ...d, cluster: d.cluster!, service: d.service! });
    ctx.tell(t('Deploying {0} to {1} ({2}).', d.taskDefinition, res.serviceName, res.deploymentId));
    return res;
  },
});
