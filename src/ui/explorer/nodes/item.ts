/** Maps a core `TreeNode` descriptor one to one onto a `vscode.TreeItem`. */
import * as vscode from 'vscode';
import type { TreeNode } from '../../../core/tree-types';

/** A node the UI adds itself (connection errors): clicking it runs `command`. */
export interface ActionNode extends TreeNode {
  command?: { id: string; title: string; arguments?: unknown[] };
}

const collapsibleState = (c: TreeNode['collapsible']): vscode.TreeItemCollapsibleState =>
  c === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded
  : c === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed
  : vscode.TreeItemCollapsibleState.None;

/** The node's Markdown tooltip as VS Code shows it. */
export function tooltipOf(node: TreeNode): vscode.MarkdownString | undefined {
  if (!node.tooltip) return undefined;
  const md = new vscode.MarkdownString(node.tooltip, true);
  md.supportThemeIcons = true;
  return md;
}

/** The tree item; its tooltip comes when hovered (`resolveTreeItem`, see core `SHOWN_FIELDS`). */
export function toTreeItem(node: ActionNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, collapsibleState(node.collapsible));
  item.id = node.id;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
  item.contextValue = node.contextValue;
  if (node.kind === 'loadMore') {
    item.command = { command: 'ecsHandson.loadMore', title: node.label, arguments: [node] };
  } else if (node.command) {
    item.command = { command: node.command.id, title: node.command.title, arguments: node.command.arguments };
  }
  // Nothing happens on a single click of a resource: commands come from the context menu.
  return item;
}
