/**
 * Node descriptors of the explorer, independent of VS Code. The UI maps a `TreeNode` one to one
 * onto a `vscode.TreeItem` (id, label, description, MarkdownString tooltip, ThemeIcon(icon,
 * ThemeColor(color)), contextValue, collapsibleState) and loads children through `children`.
 */
import type { TimeBase } from './clock';

export type NodeKind =
  | 'cluster' | 'service' | 'deployment' | 'task' | 'serviceEvent' | 'containerInstance'
  | 'taskDefinitionFamily' | 'taskDefinitionRevision' | 'loadBalancer' | 'listener' | 'targetGroup' | 'target'
  | 'group' | 'loadMore' | 'message';

/** Kinds of grouping nodes (fixed children of a resource). */
export type GroupKind =
  | 'services' | 'containerInstances' | 'deployments' | 'tasks' | 'stoppedTasks' | 'events'
  | 'serviceLoadBalancers' | 'taskDefinitionFamilies' | 'loadBalancers';

/**
 * What the UI must fetch to produce a node's children (lazy loading). A discriminated union so the
 * provider can switch on `type`; all fields are what the AWS calls need.
 */
export type ChildrenQuery =
  | { type: 'clusterSections'; clusterArn: string }
  | { type: 'services'; clusterArn: string }
  | { type: 'containerInstances'; clusterArn: string }
  | { type: 'serviceSections'; clusterArn: string; serviceArn: string }
  | { type: 'deployments'; clusterArn: string; serviceArn: string }
  | { type: 'serviceTasks'; clusterArn: string; serviceName: string; desiredStatus: 'RUNNING' | 'STOPPED' }
  | { type: 'serviceEvents'; clusterArn: string; serviceArn: string }
  | { type: 'serviceLoadBalancers'; clusterArn: string; serviceArn: string; targetGroupArns: string[] }
  | { type: 'instanceTasks'; clusterArn: string; containerInstanceArn: string }
  | { type: 'taskDefinitionFamilies' }
  | { type: 'taskDefinitionRevisions'; family: string }
  | { type: 'loadBalancers' }
  | { type: 'listeners'; loadBalancerArn: string }
  | { type: 'targetGroup'; targetGroupArn: string }
  | { type: 'targets'; targetGroupArn: string };

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface TreeNode {
  /** Stable and unique in the tree: the parent's id plus this node's kind and key. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  /** Codicon id, e.g. `server-environment`, `sync~spin`. */
  icon: string;
  /** Theme color id, e.g. `testing.iconPassed`, `charts.yellow`, `errorForeground`. */
  color?: string;
  /** For `when` clauses in menus: `ecsHandson.<kind>` plus state suffixes, e.g. `ecsHandson.task.running`. */
  contextValue: string;
  collapsible: Collapsible;
  /** How to load children, when the node has any. */
  children?: ChildrenQuery;
  /** The resource ARN (or id) commands act on. */
  resource?: string;
  /** Extra identifiers commands need (cluster ARN, service name, …). */
  context?: Record<string, string>;
  /**
   * How the row looks while it is expanded, for rows above rows people act on (a cluster, a
   * service, a group with a count). VS Code fetches the rows below a row again — and a context-menu command
   * on one of them meanwhile arrives without its row — whenever the row's look changes; so an
   * expanded row shows only what changes rarely, and the rows below it show the rest (counts, the
   * rollout's state). The members given replace the row's own (`undefined`: none).
   */
  whenExpanded?: Partial<Pick<TreeNode, 'description' | 'icon' | 'color' | 'contextValue'>>;
}

/** Health colours used across node kinds. */
export const COLOR = {
  healthy: 'testing.iconPassed',
  progress: 'charts.yellow',
  error: 'errorForeground',
  inactive: 'disabledForeground',
  info: 'charts.blue',
} as const;

export interface NodeContext {
  /** Id of the parent node, to keep ids unique when a resource appears in two places. */
  parentId?: string;
  /** Epoch ms "now", for relative times. */
  now?: number;
  /** The clock `now` and the resources' timestamps are on (the sandbox's: times say "sandbox time"). */
  time?: TimeBase;
}

export const childId = (parentId: string | undefined, kind: string, key: string): string =>
  `${parentId ? `${parentId}/` : ''}${kind}:${key}`;

/** Markdown tooltip from a title and "label: value" rows (empty values skipped). */
export function markdownTable(title: string, rows: Array<[string, string | number | undefined]>): string {
  const lines = [`**${title}**`, ''];
  for (const [k, v] of rows) if (v !== undefined && v !== '') lines.push(`- ${k}: ${v}`);
  return lines.join('\n');
}
