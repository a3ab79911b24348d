/**
 * `ecsHandson.taskDefinition.deregister`: DeregisterTaskDefinition of one revision (it becomes
 * INACTIVE: running tasks and services keep it, new ones cannot use it). Asks first (a `loss`
 * confirmation: always for a person, and on real AWS); warns when a service still uses it.
 *
 * Arguments (`DeregisterRevisionArgs`): { taskDefinition: string ("family:N" or ARN) }.
 * Returns { taskDefinitionArn, status } or `{ error, code }`.
 */
import { revisionFromArn } from '../../../core/format';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand } from '../command';
import { listAllServices, pickRevision } from '../pickers';

export const deregisterRevision = defineCommand({
  id: 'ecsHandson.taskDefinition.deregister',
  title: () => t('Deregister task definition'),
  args: (r) => {
    const v = r.string('taskDefinition');
    if (!v || !/:\d+$/.test(v)) return r.fail(t('"taskDefinition" is required: "family:revision" or a task definition ARN.'), 'taskDefinition');
    return v;
  },
  row: (node) => node.context?.taskDefinitionArn ?? node.resource,
  palette: async (ctx) => pickRevision(await ctx.clients(), t('Revision to deregister')),
  run: async (ctx, rev) => {
    const c = await ctx.clients();
    await ctx.confirm({
      kind: 'loss',
      message: t('Deregister {0}?', revisionFromArn(rev)),
      detail: async () => {
        const users = (await listAllServices(c)).filter((sv) => revisionFromArn(sv.taskDefinition) === revisionFromArn(rev));
        const detail = [t('New tasks and services cannot use an INACTIVE revision.')];
        if (users.length) detail.push(t('Still used by: {0}', users.map((u) => `${u.clusterName}/${u.serviceName}`).join(', ')));
        return detail;
      },
      button: t('Deregister'),
    });
    const out = await ctx.progress(t('Deregistering {0}…', revisionFromArn(rev)), () => c.ecs.send(new (loadAws().operateSdk.DeregisterTaskDefinitionCommand)({ taskDefinition: rev })));
    ctx.services.refresh({ kind: 'taskDefinitions' });
    return { taskDefinitionArn: out.taskDefinition?.taskDefinitionArn ?? rev, status: out.taskDefinition?.status ?? 'INACTIVE' };
  },
});
