/**
 * Finds a resource's node by its ARN, loading the levels that can contain it (a service ARN:
 * root → its cluster → Services; a revision: Task definitions → its family; …). Pure over a
 * `getChildren` function, so the provider's cache is used and filled.
 */
import type { TreeNode } from '../../core/tree-types';

/** Could `node`'s subtree hold the resource `arn`? Keeps the search to a few loads. */
export function mayContain(node: TreeNode, arn: string, viaInstances = false): boolean {
  const kindOf = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:([^/]+)\//.exec(arn)?.[1] ?? '';
  const rest = arn.slice(arn.indexOf(`${kindOf}/`) + kindOf.length + 1);
  const clusterInArn = ['service', 'task', 'container-instance'].includes(kindOf) ? rest.split('/')[0] : undefined;
  switch (node.kind) {
    case 'cluster':
      return clusterInArn !== undefined && node.context?.clusterName === clusterInArn;
    case 'group': {
      const group = node.contextValue.replace(/^ecsHandson\.group\./, '');
      if (group === 'services') return kindOf === 'service' || kindOf === 'task';
      if (group === 'tasks') return kindOf === 'task';
      if (group === 'containerInstances') return kindOf === 'container-instance' || (viaInstances && kindOf === 'task');
      if (group === 'taskDefinitionFamilies') return kindOf === 'task-definition';
      if (group === 'loadBalancers') return kindOf === 'loadbalancer' || kindOf === 'listener' || kindOf === 'targetgroup';
      return false;
    }
    case 'service':
      return kindOf === 'task';
    case 'containerInstance':
      return viaInstances && kindOf === 'task';
    case 'taskDefinitionFamily':
      return kindOf === 'task-definition' && rest.replace(/:\d+$/, '') === node.context?.family;
    case 'loadBalancer':
      return kindOf === 'listener' || kindOf === 'targetgroup';
    default:
      return false;
  }
}

/**
 * Breadth-first search for the node whose `resource` is `arn`; at most `maxLoads` expansions. A
 * task is looked for under its service first, then under the container instances (standalone tasks).
 */
export async function findResource(
  getChildren: (node?: TreeNode) => Promise<TreeNode[]>,
  arn: string,
  maxLoads = 30,
): Promise<TreeNode | undefined> {
  return (await search(getChildren, arn, maxLoads, false)) ?? (/:task\//.test(arn) ? search(getChildren, arn, maxLoads, true) : undefined);
}

async function search(
  getChildren: (node?: TreeNode) => Promise<TreeNode[]>,
  arn: string,
  maxLoads: number,
  viaInstances: boolean,
): Promise<TreeNode | undefined> {
  let frontier: Array<TreeNode | undefined> = [undefined];
  let loads = 0;
  while (frontier.length && loads < maxLoads) {
    const next: TreeNode[] = [];
    for (const parent of frontier) {
      if (loads++ >= maxLoads) break;
      for (const child of await getChildren(parent)) {
        if (child.resource === arn) return child;
        if (child.children && mayContain(child, arn, viaInstances)) next.push(child);
      }
    }
    frontier = next;
  }
  return undefined;
}
