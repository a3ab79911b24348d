/**
 * The explorer's data model: pure node descriptors built from API responses (see tree-types.ts).
 * One module per resource area; this file is the single import for the UI.
 */
export * from './tree-types';
export * from './tree-ecs';
export * from './tree-tasks';
export * from './tree-taskdefs';
export * from './tree-elb';

import { childId, type NodeContext, type TreeNode } from './tree-types';

/** A "Load more…" node for paged lists; the UI re-runs `query` with `nextToken`. */
export function loadMoreNode(parentId: string, nextToken: string, label = 'Load more…'): TreeNode {
  return {
    id: childId(parentId, 'loadMore', nextToken.slice(0, 32)),
    kind: 'loadMore',
    label,
    icon: 'ellipsis',
    contextValue: 'ecsHandson.loadMore',
    collapsible: 'none',
    context: { nextToken },
  };
}

/** An informational or error leaf ("No services", "Cannot reach http://127.0.0.1:4566"). */
export function messageNode(text: string, ctx: NodeContext & { error?: boolean; key?: string } = {}): TreeNode {
  return {
    id: childId(ctx.parentId, 'message', ctx.key ?? text.slice(0, 40)),
    kind: 'message',
    label: text,
    icon: ctx.error ? 'error' : 'info',
    color: ctx.error ? 'errorForeground' : undefined,
    contextValue: ctx.error ? 'ecsHandson.message.error' : 'ecsHandson.message',
    collapsible: 'none',
  };
}
