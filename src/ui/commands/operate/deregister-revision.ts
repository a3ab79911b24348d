/**
 * `ecsHandson.taskDefinition.deregister`: DeregisterTaskDefinition of one revision (it becomes
 * INACTIVE: running tasks and services keep it, new ones cannot use it). Asks first; warns when a
 * service still uses it.
 *
 * Arguments (non-interactive): { taskDefinition: string ("family:N" or ARN) }. Non-interactive
 * calls on the sandbox do not ask. Returns { taskDefinitionArn, status } or `{ error, code }`.
 */
import { revisionFromArn } from '../../../core/format';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, checkArgs, clientsOr, confirm, isFailure, isTreeNode, listAllServices, pickRevision, refused, refusedRetry, sdk, stringArg, t } from './common';

export interface DeregisterRevisionArgs {
  taskDefinition: string;
}

async function deregister(s: Services, rev: string, ask: boolean) {
  const c = await s.clientsOrFail();
  if (ask || s.connections.isRealAws) {
    const users = (await listAllServices(c)).filter((sv) => revisionFromArn(sv.taskDefinition) === revisionFromArn(rev));
    const detail = [t('New tasks and services cannot use an INACTIVE revision.')];
    if (users.length) detail.push(t('Still used by: {0}', users.map((u) => `${u.clusterName}/${u.serviceName}`).join(', ')));
    if (!(await confirm(s, t('Deregister {0}?', revisionFromArn(rev)), detail, t('Deregister'), true))) return undefined;
  }
  const out = await s.withProgress(t('Deregistering {0}…', revisionFromArn(rev)), () => c.ecs.send(new (sdk().DeregisterTaskDefinitionCommand)({ taskDefinition: rev })));
  s.refresh({ kind: 'taskDefinitions' });
  return { taskDefinitionArn: out.taskDefinition?.taskDefinitionArn ?? rev, status: out.taskDefinition?.status ?? 'INACTIVE' };
}

export const deregisterRevision: Command = {
  id: 'ecsHandson.taskDefinition.deregister',
  run: async (s, arg) => {
    const action = t('Deregister task definition');
    const a = argObject<DeregisterRevisionArgs>(arg);
    if (a) {
      const rev = checkArgs(() => {
        const v = stringArg(a.taskDefinition, 'taskDefinition');
        if (!v || !/:\d+$/.test(v)) throw new ArgumentError(t('"taskDefinition" is required: "family:revision" or a task definition ARN.'));
        return v;
      });
      if (isFailure(rev)) return rev;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        return await deregister(s, rev, false);
      } catch (e) {
        return refused(s, e, action);
      }
    }
    let rev = isTreeNode(arg) && arg.kind === 'taskDefinitionRevision' ? (arg.context?.taskDefinitionArn ?? arg.resource) : undefined;
    if (!rev) rev = await pickRevision(await s.clientsOrFail(), t('Revision to deregister'));
    if (!rev) return undefined;
    for (;;) {
      try {
        return await deregister(s, rev, true);
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
