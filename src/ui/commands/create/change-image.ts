/**
 * `ecsHandson.taskDefinition.changeImage` — "Change Image…" on a revision (or family) row: the
 * release of section 3 in one step. It asks only for the new image (prefilled with the current one;
 * the container first when there are several), shows the differences, and registers a new revision
 * that differs in nothing else. The full form stays `ecsHandson.taskDefinition.registerRevision`.
 *
 * Argument (`ChangeImageArgs`): { taskDefinition: string (ARN, family:N or family), image: string,
 * containerName?: string }. Returns `{ taskDefinitionArn, family, revision, changes }` like
 * Register New Revision, or `{ error, code, field? }`.
 */
import * as vscode from 'vscode';
import { validateImage } from '../../../core/validate';
import type { TreeNode } from '../../../core/tree-types';
import { t } from '../../l10n';
import { defineCommand, field, type CommandContext } from '../command';
import { pickRevision } from '../pickers';
import { check, describe, draft, fillFrom, registerRevision, review, sameSource, type State } from './revision';

/** Everything but the image stays as it is in the source revision. */
const KEEP_ALL_BUT_IMAGE: State['keep'] = { containerPort: false, hostPort: false, cpu: false, memory: false, memoryReservation: false, environment: false };

function imageDraft(source: string, image = '', containerName = ''): State {
  const st = draft(source);
  st.image = image;
  st.containerName = containerName;
  st.keep = { ...KEEP_ALL_BUT_IMAGE, image: image !== '' };
  return st;
}

/** One question (two with several containers): which container, then its new image. */
async function ask(ctx: CommandContext, st: State): Promise<State | undefined> {
  if (!st.base || !sameSource(st)) fillFrom(st, await describe(await ctx.clients(), st.source), st.keep);
  const containers = st.base?.containerDefinitions ?? [];
  if (containers.length > 1 && !st.keep.image) {
    const picked = await vscode.window.showQuickPick(
      containers.map((c) => ({ label: c.name ?? '', description: c.image })),
      { title: t('Change image: which container of {0}:{1}?', st.base?.family ?? '', st.base?.revision ?? 0) },
    );
    if (!picked) return undefined;
    st.containerName = picked.label;
    fillFrom(st, st.base!, st.keep);
  }
  const current = st.image;
  const image = await vscode.window.showInputBox({
    title: t('Change image of {0}:{1}', st.base?.family ?? '', st.base?.revision ?? 0),
    prompt: t('The new image (e.g. uzresk/demo:ver2.0); everything else stays as in revision {0}.', st.base?.revision ?? 0),
    value: current,
    valueSelection: current.includes(':') ? [current.lastIndexOf(':') + 1, current.length] : undefined,
    validateInput: (v) => validateImage(v.trim(), t),
  });
  if (image === undefined) return undefined;
  return { ...st, image: image.trim(), keep: { ...st.keep, image: true } };
}

export const changeImageCommand = defineCommand({
  id: 'ecsHandson.taskDefinition.changeImage',
  title: () => t('Change image'),
  args: (r): State => {
    const source = r.required('taskDefinition', t('"taskDefinition" is required (family:revision, an ARN or a family).'));
    const image = r.required('image', t('"image" is required, e.g. uzresk/demo:ver2.0.'));
    const bad = validateImage(image, t);
    if (bad) r.fail(`${t('Image')}: ${bad}`, 'image');
    return imageDraft(source, image, r.string('containerName') ?? '');
  },
  row: (node: TreeNode): State => imageDraft(node.context?.taskDefinitionArn || node.context?.family || node.resource || ''),
  palette: async (ctx) => {
    const rev = await pickRevision(await ctx.clients(), t('Revision whose image to change'));
    return rev ? imageDraft(rev) : undefined;
  },
  ask,
  check: (st) => (st.base ? check(st) : field('image', t('Image'), validateImage(st.image, t))),
  review,
  run: registerRevision,
});
