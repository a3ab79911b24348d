/**
 * Loads the explorer's children: resolves a node's `ChildrenQuery` (src/core/tree-types.ts) into
 * node descriptors with paginated lists and batched describes. The UI's TreeDataProvider only maps
 * the result to TreeItems; errors are thrown for the UI to map with `mapAwsError`.
 */
import type { Service, Task } from '@aws-sdk/client-ecs';
import {
  clusterNode, containerInstanceNode, deploymentNode, groupNode, listenerNode, loadBalancerNode, loadMoreNode, messageNode,
  serviceEventNode, serviceNode, serviceSectionNodes, targetGroupNode, targetNode, taskDefinitionFamilyNode,
  taskDefinitionRevisionNode, taskNode, type ChildrenQuery, type TreeNode,
} from '../core/tree-model';
import { WALL_TIME, type TimeBase } from '../core/clock';
import { familyOf, revisionNumberOf, toMillis } from '../core/format';
import { defaultTranslate, type Translate } from '../core/l10n';
import type { AwsClients } from './clients';
import { describeClusters, describeContainerInstances, describeServices, describeTaskDefinitions, describeTasks } from './describe';
import { describeListeners, describeLoadBalancers, describeTargetGroups, describeTargetHealth } from './describe-elb';
import {
  listClusterArns, listContainerInstanceArns, listServiceArnsPage, listTaskArnsPage, listTaskDefinitionArns,
  listTaskDefinitionFamiliesPage,
} from './list';

/** The clients the loader needs (a subset of AwsClients, so tests can pass fakes). */
export type ExplorerClients = Pick<AwsClients, 'ecs' | 'elbv2'> & Partial<Pick<AwsClients, 'connection'>>;

export interface LoadOptions {
  /** Id of the node being expanded (children ids derive from it). */
  parentId: string;
  /** Token of a "Load more…" node. */
  nextToken?: string;
  /** Items per page for paged lists (default 50). */
  pageSize?: number;
  /** The service's "now" in epoch ms (default Date.now(); for the sandbox use its scaled clock, see core/clock.ts). */
  now?: number;
  /** How many newest revisions of a family to describe in detail (default 5). */
  describeRevisions?: number;
  /** How many service events to show (default 50; ECS keeps 100). */
  eventLimit?: number;
  t?: Translate;
}

export interface LoadResult {
  nodes: TreeNode[];
}

/** The clock the connection's timestamps are on: the sandbox's simulated one, or the wall clock. */
export const timeBaseOf = (clients: ExplorerClients): TimeBase => (clients.connection?.kind === 'sandbox' ? { simulated: true } : WALL_TIME);

/** The top level under a connection: clusters, then "Task definitions" and "Load balancers". */
export async function loadRoots(clients: ExplorerClients, opts: LoadOptions): Promise<LoadResult> {
  const t = opts.t ?? defaultTranslate;
  const arns = await listClusterArns(clients.ecs);
  const { items } = await describeClusters(clients.ecs, arns);
  const nodes = items
    .sort((a, b) => (a.clusterName ?? '').localeCompare(b.clusterName ?? ''))
    .map((c) => clusterNode(c, { parentId: opts.parentId, now: opts.now, time: timeBaseOf(clients) }, t));
  if (nodes.length === 0) nodes.push(messageNode(t('No clusters yet'), { parentId: opts.parentId, key: 'noClusters' }));
  nodes.push(
    groupNode('taskDefinitionFamilies', t('Task definitions'), { type: 'taskDefinitionFamilies' }, { parentId: opts.parentId }),
    groupNode('loadBalancers', t('Load balancers'), { type: 'loadBalancers' }, { parentId: opts.parentId }),
  );
  return { nodes };
}

async function describeOneService(clients: ExplorerClients, cluster: string, service: string): Promise<Service | undefined> {
  const { items } = await describeServices(clients.ecs, cluster, [service]);
  return items[0];
}

/** EC2 instance id per container-instance ARN for the given tasks (one batched describe). */
async function instanceIdsFor(clients: ExplorerClients, cluster: string, tasks: Task[]): Promise<Map<string, string>> {
  const arns = [...new Set(tasks.map((t) => t.containerInstanceArn).filter((a): a is string => !!a))];
  if (arns.length === 0) return new Map();
  const { items } = await describeContainerInstances(clients.ecs, cluster, arns);
  return new Map(items.map((ci) => [ci.containerInstanceArn ?? '', ci.ec2InstanceId ?? '']));
}

const taskOrder = (a: Task, b: Task) => {
  const rank = (t: Task) => (t.lastStatus === 'RUNNING' ? 0 : t.lastStatus === 'STOPPED' ? 2 : 1);
  return rank(a) - rank(b) || (toMillis(b.stoppedAt ?? b.startedAt ?? b.createdAt) ?? 0) - (toMillis(a.stoppedAt ?? a.startedAt ?? a.createdAt) ?? 0);
};

/** Resolve one node's children. */
export async function loadChildren(clients: ExplorerClients, query: ChildrenQuery, opts: LoadOptions): Promise<LoadResult> {
  const t = opts.t ?? defaultTranslate;
  const now = opts.now ?? Date.now();
  const parentId = opts.parentId;
  // The rule of core/clock.ts: on the sandbox, times are on its (faster) clock and say so.
  const ctx = { parentId, now, time: timeBaseOf(clients) };
  const page = { nextToken: opts.nextToken, pageSize: opts.pageSize ?? 50 };
  const empty = (text: string, key: string): LoadResult => ({ nodes: [messageNode(text, { parentId, key })] });
  const withMore = (nodes: TreeNode[], nextToken: string | undefined): LoadResult => ({
    nodes: nextToken ? [...nodes, loadMoreNode(parentId, nextToken, t('Load more…'))] : nodes,
  });

  switch (query.type) {
    case 'clusterSections':
      return {
        nodes: [
          groupNode('services', t('Services'), { type: 'services', clusterArn: query.clusterArn }, { parentId, collapsible: 'expanded' }),
          groupNode('containerInstances', t('Container instances'), { type: 'containerInstances', clusterArn: query.clusterArn }, { parentId }),
        ],
      };
    case 'services': {
      const { items: arns, nextToken } = await listServiceArnsPage(clients.ecs, query.clusterArn, page);
      if (arns.length === 0 && !opts.nextToken) return empty(t('No services'), 'noServices');
      const { items } = await describeServices(clients.ecs, query.clusterArn, arns);
      const nodes = items.sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? '')).map((s) => serviceNode(s, ctx, t));
      return withMore(nodes, nextToken);
    }
    case 'containerInstances': {
      const arns = await listContainerInstanceArns(clients.ecs, { cluster: query.clusterArn });
      if (arns.length === 0) return empty(t('No container instances'), 'noInstances');
      const { items } = await describeContainerInstances(clients.ecs, query.clusterArn, arns);
      return { nodes: items.map((ci) => containerInstanceNode(ci, { ...ctx, clusterArn: query.clusterArn }, t)) };
    }
    case 'serviceSections': {
      const service = await describeOneService(clients, query.clusterArn, query.serviceArn);
      return service ? { nodes: serviceSectionNodes(service, ctx, t) } : empty(t('Service not found'), 'missing');
    }
    case 'deployments': {
      const service = await describeOneService(clients, query.clusterArn, query.serviceArn);
      return { nodes: (service?.deployments ?? []).map((d) => deploymentNode(d, ctx, t)) };
    }
    case 'serviceEvents': {
      const service = await describeOneService(clients, query.clusterArn, query.serviceArn);
      const events = (service?.events ?? []).slice(0, opts.eventLimit ?? 50);
      return events.length ? { nodes: events.map((e) => serviceEventNode(e, ctx, t)) } : empty(t('No events'), 'noEvents');
    }
    case 'serviceTasks':
    case 'instanceTasks': {
      const filter = query.type === 'serviceTasks'
        ? { cluster: query.clusterArn, serviceName: query.serviceName, desiredStatus: query.desiredStatus }
        : { cluster: query.clusterArn, containerInstance: query.containerInstanceArn };
      const { items: arns, nextToken } = await listTaskArnsPage(clients.ecs, filter, page);
      if (arns.length === 0 && !opts.nextToken) return empty(t('No tasks'), 'noTasks');
      const { items } = await describeTasks(clients.ecs, query.clusterArn, arns);
      const instanceIds = await instanceIdsFor(clients, query.clusterArn, items);
      return withMore(items.sort(taskOrder).map((task) => taskNode(task, { ...ctx, instanceIds }, t)), nextToken);
    }
    case 'serviceLoadBalancers': {
      const [groups, health] = await Promise.all([
        describeTargetGroups(clients.elbv2, { arns: query.targetGroupArns }),
        describeTargetHealth(clients.elbv2, query.targetGroupArns),
      ]);
      const lbArns = [...new Set(groups.flatMap((g) => g.LoadBalancerArns ?? []))];
      const lbs = lbArns.length ? await describeLoadBalancers(clients.elbv2, lbArns) : [];
      return {
        nodes: [
          ...lbs.map((lb) => loadBalancerNode(lb, ctx, t)),
          ...groups.map((g) => targetGroupNode(g, { ...ctx, health: health.get(g.TargetGroupArn ?? '') }, t)),
        ],
      };
    }
    case 'taskDefinitionFamilies': {
      const { items, nextToken } = await listTaskDefinitionFamiliesPage(clients.ecs, { status: 'ACTIVE' }, page);
      if (items.length === 0 && !opts.nextToken) return empty(t('No task definitions'), 'noFamilies');
      return withMore(items.map((f) => taskDefinitionFamilyNode(f, ctx, t)), nextToken);
    }
    case 'taskDefinitionRevisions': {
      const [active, inactive] = await Promise.all([
        listTaskDefinitionArns(clients.ecs, { familyPrefix: query.family, status: 'ACTIVE', sort: 'DESC' }),
        listTaskDefinitionArns(clients.ecs, { familyPrefix: query.family, status: 'INACTIVE', sort: 'DESC' }),
      ]);
      // familyPrefix matches by prefix: keep this family only.
      const mine = (arns: string[]) => arns.filter((a) => familyOf(a) === query.family);
      const all = [
        ...mine(active).map((arn) => ({ arn, status: 'ACTIVE' })),
        ...mine(inactive).map((arn) => ({ arn, status: 'INACTIVE' })),
      ].sort((a, b) => (revisionNumberOf(b.arn) ?? 0) - (revisionNumberOf(a.arn) ?? 0));
      const detailed = all.slice(0, opts.describeRevisions ?? 5).map((r) => r.arn);
      const { items } = await describeTaskDefinitions(clients.ecs, detailed);
      const byArn = new Map(items.map((td) => [td.taskDefinitionArn ?? '', td]));
      return { nodes: all.map((r) => taskDefinitionRevisionNode(byArn.get(r.arn) ?? r.arn, { ...ctx, status: r.status }, t)) };
    }
    case 'loadBalancers': {
      const lbs = await describeLoadBalancers(clients.elbv2);
      if (lbs.length === 0) return empty(t('No load balancers'), 'noLoadBalancers');
      return { nodes: lbs.map((lb) => loadBalancerNode(lb, ctx, t)) };
    }
    case 'listeners': {
      const listeners = await describeListeners(clients.elbv2, query.loadBalancerArn);
      if (listeners.length === 0) return empty(t('No listeners'), 'noListeners');
      return { nodes: listeners.sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0)).map((l) => listenerNode(l, ctx, t)) };
    }
    case 'targetGroup': {
      const [groups, health] = await Promise.all([
        describeTargetGroups(clients.elbv2, { arns: [query.targetGroupArn] }),
        describeTargetHealth(clients.elbv2, [query.targetGroupArn]),
      ]);
      return { nodes: groups.map((g) => targetGroupNode(g, { ...ctx, health: health.get(g.TargetGroupArn ?? '') }, t)) };
    }
    case 'targets': {
      const health = (await describeTargetHealth(clients.elbv2, [query.targetGroupArn])).get(query.targetGroupArn) ?? [];
      if (health.length === 0) return empty(t('No registered targets'), 'noTargets');
      return { nodes: health.map((h) => targetNode(h, ctx, t)) };
    }
  }
}
