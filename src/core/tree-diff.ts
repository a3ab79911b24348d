/**
 * What an explorer refresh must show again, and nothing more. The explorer reloads its data in the
 * background and compares it with what the tree shows; VS Code is told only about rows whose look
 * changed (label, description, icon, colour, context value, collapsibility; tooltips are resolved on hover) and about
 * parents whose list of children changed (added, removed, reordered).
 *
 * Why so little: telling VS Code that a node changed makes it drop the handles of everything below
 * that node until it has fetched them again, and a context-menu or inline command invoked on one of
 * those rows in the meantime arrives without its row. A leaf that changes costs nothing (it has no
 * children); a parent is told only when it must be.
 */
import type { TreeNode } from './tree-types';

/** A node as the tree model builds it; UI nodes may carry a click command. */
type Row = TreeNode & { command?: unknown };

/**
 * The members of a row that VS Code renders, or that menus (`viewItem`) read. Not the tooltip: every
 * row gets it when hovered (`resolveTreeItem`), so a tooltip-only change (a task's "started 12 sec
 * ago", a service's rollout time) never fires a row — firing a hovered row closes its tooltip, and
 * firing a parent makes VS Code fetch the rows below it again.
 */
export const SHOWN_FIELDS = ['label', 'description', 'icon', 'color', 'contextValue', 'collapsible'] as const;

/** Whether VS Code must be told about `after` to show it as it now is (it showed `before`). */
export function rowChanged(before: TreeNode, after: TreeNode): boolean {
  for (const f of SHOWN_FIELDS) if (before[f] !== after[f]) return true;
  const a = (before as Row).command;
  const b = (after as Row).command;
  return a !== b && JSON.stringify(a) !== JSON.stringify(b);
}

/** The row as VS Code draws it: with its `whenExpanded` look while expanded. */
export function shownRow(node: TreeNode, expanded: boolean): TreeNode {
  return expanded && node.whenExpanded ? { ...node, ...node.whenExpanded } : node;
}

/** Whether expanding or collapsing `node` changes its look (then VS Code must be told). */
export const looksDifferentExpanded = (node: TreeNode): boolean => !!node.whenExpanded && rowChanged(node, shownRow(node, true));

/** How a parent's children changed between two loads. */
export interface ChildrenDiff {
  /** Children were added, removed or reordered: the parent's list must be shown again. */
  listChanged: boolean;
  /** Ids of children in both lists whose row changed. */
  changed: string[];
}

/** Compares two loads of one parent's children (by id), as drawn (`expanded`: which rows are expanded). */
export function diffChildren(before: readonly TreeNode[], after: readonly TreeNode[], expanded: (id: string) => boolean = () => false): ChildrenDiff {
  const listChanged = before.length !== after.length || before.some((n, i) => n.id !== after[i].id);
  const old = new Map(before.map((n) => [n.id, n]));
  const changed: string[] = [];
  for (const n of after) {
    const was = old.get(n.id);
    if (was && rowChanged(shownRow(was, expanded(n.id)), shownRow(n, expanded(n.id)))) changed.push(n.id);
  }
  return { listChanged, changed };
}

/** The fields `rowChanged` compares, copied (the provider updates its node objects in place). */
export function snapshotRow(node: TreeNode): TreeNode {
  return { ...node };
}

/** The nodes to tell VS Code about after one refresh. */
export interface FirePlan {
  /** The top level's list changed: everything is shown again. */
  root: boolean;
  /** Node ids, none below another one of them. */
  ids: string[];
}

/**
 * From the diffs of the reloaded parents (`rootKey` for the top level) to the nodes to fire: each
 * parent whose list changed and each changed row, without those below another fired node (VS Code
 * fetches a fired node's subtree again, rows included). `ancestors(id)` lists a node's ancestors,
 * nearest first, without the root.
 */
export function nodesToFire(diffs: ReadonlyMap<string, ChildrenDiff>, ancestors: (id: string) => readonly string[], rootKey = ''): FirePlan {
  if (diffs.get(rootKey)?.listChanged) return { root: true, ids: [] };
  const wanted = new Set<string>();
  for (const [parent, d] of diffs) {
    if (d.listChanged && parent !== rootKey) wanted.add(parent);
    for (const id of d.changed) wanted.add(id);
  }
  const ids = [...wanted].filter((id) => !ancestors(id).some((a) => wanted.has(a)));
  return { root: false, ids };
}
