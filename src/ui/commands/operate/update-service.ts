/**
 * `ecsHandson.service.update`: desired count, revision (family:N), minimum / maximum percent and
 * "force new deployment" in one UpdateService call; then the status bar follows the rollout.
 *
 * Arguments (`UpdateServiceArgs`): { cluster: string (name or ARN), service: string (name or ARN),
 *   desiredCount?: number, taskDefinition?: string ("family:N", "family" or ARN),
 *   minimumHealthyPercent?: number, maximumPercent?: number, forceNewDeployment?: boolean }
 * Returns `UpdateServiceResult` ({ serviceArn, clusterArn, serviceName, deploymentId,
 * taskDefinition, desiredCount }) or `{ error, code }` (shown to the user as well).
 * From a service row or the palette it asks for each value, prefilled with the current one.
 */
import * as vscode from 'vscode';
import type { UpdateServiceArgs } from '../../../core/commands/contract';
import { revisionFromArn } from '../../../core/format';
import { validateDeploymentPercents } from '../../../core/validate';
import { t } from '../../l10n';
import { defineCommand, type CommandContext } from '../command';
import { askInt, pickRevision } from '../pickers';
import { activeService, applyUpdate, pickServiceRef, readUpdate, serviceRow } from './service-update';

/** Every value, prefilled with what was entered before (a Retry) or the service's current one. */
async function ask(ctx: CommandContext, d: UpdateServiceArgs): Promise<UpdateServiceArgs | undefined> {
  const c = await ctx.clients();
  const current = await activeService(c, d);
  const name = current.serviceName ?? d.service;
  const rev = await pickRevision(c, t('{0}: task definition revision', name), { current: d.taskDefinition ?? revisionFromArn(current.taskDefinition) });
  if (!rev) return undefined;
  const desired = await askInt(t('{0}: desired count', name), d.desiredCount ?? current.desiredCount ?? 0, 0, 5000);
  if (desired === undefined) return undefined;
  const maxNow = String(d.maximumPercent ?? current.deploymentConfiguration?.maximumPercent ?? 200);
  const min = await vscode.window.showInputBox({
    title: t('{0}: minimum healthy percent', name),
    value: String(d.minimumHealthyPercent ?? current.deploymentConfiguration?.minimumHealthyPercent ?? 100),
    validateInput: (v) => validateDeploymentPercents(v, maxNow, undefined, t),
  });
  if (min === undefined) return undefined;
  const max = await vscode.window.showInputBox({
    title: t('{0}: maximum percent', name),
    prompt: t('200 lets a rollout start the new tasks before stopping the old ones (Blue/Green).'),
    value: maxNow,
    validateInput: (v) => validateDeploymentPercents(min, v, desired, t),
  });
  if (max === undefined) return undefined;
  const force = await vscode.window.showQuickPick(
    [
      { label: t('No'), description: t('deploy only if something changed'), value: false },
      { label: t('Force new deployment'), description: t('replace every task even with the same revision'), value: true },
    ],
    { title: t('{0}: force a new deployment?', name) },
  );
  if (!force) return undefined;
  return { cluster: d.cluster, service: name, taskDefinition: rev, desiredCount: desired, minimumHealthyPercent: Number(min), maximumPercent: Number(max), forceNewDeployment: force.value };
}

export const updateService = defineCommand({
  id: 'ecsHandson.service.update',
  title: () => t('Update service'),
  args: (r) => {
    const u = readUpdate(r);
    if (u.desiredCount === undefined && !u.taskDefinition && u.minimumHealthyPercent === undefined && u.maximumPercent === undefined && !u.forceNewDeployment) {
      r.fail(t('Nothing to update: give desiredCount, taskDefinition, minimumHealthyPercent, maximumPercent or forceNewDeployment.'));
    }
    return u;
  },
  row: serviceRow,
  palette: (ctx) => pickServiceRef(ctx, t('Service to update')),
  ask,
  run: async (ctx, d) => {
    const res = await applyUpdate(ctx, d);
    ctx.tell(t('Service {0} updated: {1}, desired {2}.', res.serviceName, revisionFromArn(res.taskDefinition), res.desiredCount));
    return res;
  },
});
