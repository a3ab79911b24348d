/**
 * `ecsHandson.cleanup` (hands-on section 7): find what the hands-on created (src/aws/cleanup-discover.ts),
 * show the list (a QuickPick with every item checked), then delete it in dependency order with
 * progress (src/aws/cleanup.ts). Individual failures do not stop it; they are reported at the end.
 *
 * Arguments (`CleanupArgs`): { dryRun?: boolean (only list) }.
 * A person unchecks what to keep in the list; an argument call deletes everything found. On real AWS
 * every call asks first (modal, with the list).
 * Returns { found: CleanupItem[], deleted: CleanupItem[], failed: [{ item, error }], warnings: string[] }.
 */
import * as vscode from 'vscode';
import type { CleanupHost, CleanupItem, CleanupResult } from '../../../aws';
import { paceFor } from '../../../core/poll';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand, type CommandContext } from '../command';

async function pick(items: CleanupItem[]): Promise<CleanupItem[] | undefined> {
  const aws = loadAws();
  const entries: Array<vscode.QuickPickItem & { item?: CleanupItem }> = [];
  for (const phase of aws.cleanupPhases(items)) {
    entries.push({ label: aws.cleanupKindLabel(phase.kind, t), kind: vscode.QuickPickItemKind.Separator });
    for (const item of phase.items) entries.push({ label: item.label, description: item.id !== item.label ? item.id : undefined, picked: true, item });
  }
  const picked = await vscode.window.showQuickPick(entries, {
    title: t('Clean up: these will be deleted (uncheck what to keep)'),
    canPickMany: true,
    matchOnDescription: true,
  });
  return picked?.flatMap((p) => (p.item ? [p.item] : []));
}

function reportResult(ctx: CommandContext, r: CleanupResult): void {
  const s = ctx.services;
  for (const w of r.warnings) s.log.warn(`cleanup: ${w}`);
  for (const d of r.deleted) s.log.info(`cleanup: deleted ${d.kind} ${d.label}`);
  for (const f of r.failed) s.log.error(`cleanup: could not delete ${f.item.kind} ${f.item.label}: ${f.error}`);
  if (r.failed.length) {
    const show = t('Show Log');
    void ctx
      .notify('warning', t('Clean up: {0} deleted, {1} failed: {2}', r.deleted.length, r.failed.length, r.failed.map((f) => `${f.item.label} (${f.error})`).join('; ')), show)
      .then((c) => c === show && s.log.show(true));
  } else {
    void ctx.notify('info', t('Clean up: {0} resources deleted.', r.deleted.length));
  }
}

async function run(ctx: CommandContext, opts: { dryRun: boolean }): Promise<CleanupResult | undefined> {
  const s = ctx.services;
  const aws = loadAws();
  const host: CleanupHost = { clients: await ctx.clients(), t, pace: paceFor(ctx.isRealAws), log: (line) => s.log.info(line), onlyTagged: ctx.isRealAws };
  const found = await ctx.progress(t('Looking for what the hands-on created…'), (p) => aws.findCleanupItems({ ...host, progress: (m) => p.report(m) }));
  const result: CleanupResult = { found: found.items, deleted: [], failed: [], warnings: found.warnings };
  if (opts.dryRun) return result;
  if (found.items.length === 0) {
    for (const w of found.warnings) s.log.warn(`cleanup: ${w}`);
    void ctx.notify('info', t('Nothing to clean up: no resources of the hands-on were found.'));
    return result;
  }
  let chosen = found.items;
  if (ctx.interactive) {
    const picked = await pick(found.items);
    if (!picked || picked.length === 0) return undefined;
    chosen = picked;
  }
  await ctx.confirm({ kind: 'aws', message: t('Delete {0} resources?', chosen.length), detail: aws.cleanupSummary(chosen, t), button: t('Delete') });
  const done = await ctx.progress(t('Cleaning up the hands-on…'), (p, token) =>
    aws.deleteCleanupItems({ ...host, progress: (m) => p.report(m), cancelled: () => token.isCancellationRequested }, chosen),
  );
  result.deleted = done.deleted;
  result.failed = done.failed;
  for (const d of done.deleted) if (d.kind === 'service' && d.ref?.cluster) s.serviceDeleted(d.ref.cluster, d.ref.service ?? d.id);
  s.refresh();
  reportResult(ctx, result);
  return result;
}

export const cleanup = defineCommand({
  id: 'ecsHandson.cleanup',
  title: () => t('Clean up'),
  args: (r) => ({ dryRun: r.bool('dryRun') ?? false }),
  palette: () => ({ dryRun: false }),
  run,
});
