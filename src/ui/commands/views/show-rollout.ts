/**
 * `ecsHandson.rollout.show`: the rollout view of a service — from a service or deployment row, an
 * argument `{ clusterArn, serviceName }`, or the status bar / palette (the rollout the status bar
 * shows; when none is in progress, rollouts in progress are looked for first).
 */
import * as vscode from 'vscode';
import { t } from '../../l10n';
import { targetFromArg } from '../../rollout/target';
import { defineCommand, type CommandContext } from '../command';

type Target = { cluster: string; serviceName: string };

/** Status bar or palette: the rollout shown in the status bar (looking for rollouts in progress when none is active). */
async function current(ctx: CommandContext): Promise<Target | undefined> {
  const rollout = ctx.parts.rollout;
  let target = rollout.current();
  if (!target?.active) {
    await ctx.clients();
    await rollout.discover();
    target = rollout.current() ?? target;
  }
  if (!target) void vscode.window.showInformationMessage(t('No ECS rollout is in progress. Update a service or deploy a revision to start one.'));
  return target && { cluster: target.cluster, serviceName: target.serviceName };
}

export const showRollout = defineCommand({
  id: 'ecsHandson.rollout.show',
  title: () => t('Show rollout'),
  args: (r) => targetFromArg(r.raw) ?? r.fail(t('Give {0} and {1}.', 'clusterArn', 'serviceName'), 'clusterArn'),
  row: (node) => targetFromArg(node),
  rowMustExist: false,
  palette: current,
  run: (ctx, d) => ctx.parts.rollout.show(d.cluster, d.serviceName),
});
