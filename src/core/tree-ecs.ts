/** Explorer nodes for clusters, services, deployments, service events and grouping nodes. */
import type { Cluster, Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { count, durationOnClock, escapeMarkdown, idFromArn, relativeTime, revisionFromArn, toMillis } from './format';
import { defaultTranslate, type Translate } from './l10n';
import { classifyEvent, computeRollout, trimEventMessage } from './rollout';
import { COLOR, childId, markdownTable, type ChildrenQuery, type GroupKind, type NodeContext, type TreeNode } from './tree-types';

const plural = (n: number, one: string, many: string, t: Translate) => t(n === 1 ? one : many, n);

export function clusterNode(cluster: Cluster, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const arn = cluster.clusterArn ?? '';
  const status = cluster.status ?? 'UNKNOWN';
  const services = count(cluster.activeServicesCount);
  const running = count(cluster.runningTasksCount);
  const pending = count(cluster.pendingTasksCount);
  const instances = count(cluster.registeredContainerInstancesCount);
  const insights = cluster.settings?.find((s) => s.name === 'containerInsights')?.value;
  const active = status === 'ACTIVE';
  const parts = [
    plural(services, '{0} service', '{0} services', t),
    plural(running, '{0} task', '{0} tasks', t) + (pending ? t(' (+{0} pending)', pending) : ''),
    plural(instances, '{0} instance', '{0} instances', t),
  ];
  return {
    id: childId(ctx.parentId, 'cluster', arn),
    kind: 'cluster',
    label: cluster.clusterName ?? idFromArn(arn),
    description: active ? parts.join(', ') : status,
    tooltip: markdownTable(escapeMarkdown(cluster.clusterName ?? ''), [
      [t('Status'), status],
      [t('Services'), services],
      [t('Running tasks'), running],
      [t('Pending tasks'), pending],
      [t('Container instances'), instances],
      [t('Container Insights'), insights ?? t('disabled')],
      [t('ARN'), `\`${arn}\``],
    ]),
    icon: 'server-environment',
    color: active ? undefined : COLOR.inactive,
    contextValue: `ecsHandson.cluster.${status.toLowerCase()}`,
    collapsible: active ? 'collapsed' : 'none',
    children: active ? { type: 'clusterSections', clusterArn: arn } : undefined,
    resource: arn,
    context: { clusterArn: arn, clusterName: cluster.clusterName ?? '' },
    // Expanded: the task counts (they move with every task) are in the rows below.
    whenExpanded: active ? { description: [parts[0], parts[2]].join(', ') } : undefined,
  };
}

/** A fixed grouping node under a resource ("Deployments", "Tasks", "Events", …). */
export function groupNode(
  group: GroupKind,
  label: string,
  children: ChildrenQuery,
  ctx: NodeContext & { description?: string; icon?: string; collapsible?: 'collapsed' | 'expanded' } = {},
): TreeNode {
  const icons: Record<GroupKind, string> = {
    services: 'layers', containerInstances: 'server', deployments: 'rocket', tasks: 'vm', stoppedTasks: 'vm-outline',
    events: 'history', serviceLoadBalancers: 'globe', taskDefinitionFamilies: 'file-code', loadBalancers: 'globe',
  };
  return {
    id: childId(ctx.parentId, 'group', group),
    kind: 'group',
    label,
    description: ctx.description,
    icon: ctx.icon ?? icons[group],
    contextValue: `ecsHandson.group.${group}`,
    collapsible: ctx.collapsible ?? 'collapsed',
    children,
    // Expanded: its rows show the count ("Tasks 2 running" would fire the group, and drop its
    // rows' handles, each time a task starts or stops).
    whenExpanded: ctx.description !== undefined ? { description: undefined } : undefined,
  };
}

/** Service: "2/2 running · COMPLETED", yellow while a rollout is in progress, red when failed. */
export function serviceNode(service: Service, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const arn = service.serviceArn ?? '';
  const clusterArn = service.clusterArn ?? '';
  const status = service.status ?? 'UNKNOWN';
  const now = ctx.now ?? Date.now();
  const rollout = computeRollout(service, { now, t });
  const desired = count(service.desiredCount);
  const running = count(service.runningCount);
  const pending = count(service.pendingCount);
  const healthy = status === 'ACTIVE' && rollout.state === 'completed' && running === desired;
  const color =
    status !== 'ACTIVE' ? COLOR.inactive
    : rollout.state === 'failed' || rollout.state === 'stuck' ? COLOR.error
    : healthy ? COLOR.healthy
    : COLOR.progress;
  let description: string;
  if (rollout.others.length > 0 && status === 'ACTIVE') {
    // Rolling: the new deployment's progress and what the old ones still run (service counts mix both).
    const p = rollout.primary;
    description = t('new {0}/{1} running', p.running, p.desired);
    if (p.pending) description += t(', {0} pending', p.pending);
    description += t(', old {0}', rollout.others.reduce((n, d) => n + d.running, 0));
  } else {
    description = t('{0}/{1} running', running, desired);
    if (pending) description += t(', {0} pending', pending);
  }
  if (status !== 'ACTIVE') description += ` · ${status}`;
  else if (rollout.state !== 'completed') {
    description += ` · ${rollout.state === 'stuck' ? t('STUCK') : rollout.state === 'failed' ? t('FAILED') : t('IN_PROGRESS')}`;
  }
  const lbs = (service.loadBalancers ?? []).map((lb) => lb.targetGroupArn ?? lb.loadBalancerName ?? '').filter(Boolean);
  const tooltipRows: Array<[string, string | number | undefined]> = [
    [t('Status'), status],
    [t('Task definition'), revisionFromArn(service.taskDefinition)],
    [t('Desired / running / pending'), `${desired} / ${running} / ${pending}`],
    [t('Rollout'), rollout.summaryText],
    [t('Launch type'), service.launchType],
    [t('Deployment'), service.deploymentConfiguration
      ? t('min {0}%, max {1}%', service.deploymentConfiguration.minimumHealthyPercent ?? 100, service.deploymentConfiguration.maximumPercent ?? 200)
      : undefined],
    [t('Circuit breaker'), service.deploymentConfiguration?.deploymentCircuitBreaker?.enable
      ? (service.deploymentConfiguration.deploymentCircuitBreaker.rollback ? t('enabled, with rollback') : t('enabled'))
      : undefined],
    [t('Target groups'), lbs.length ? lbs.length : undefined],
  ];
  let tooltip = markdownTable(escapeMarkdown(service.serviceName ?? ''), tooltipRows);
  if (rollout.explanation) tooltip += `\n\n$(warning) ${escapeMarkdown(rollout.explanation)}`;
  return {
    id: childId(ctx.parentId, 'service', arn),
    kind: 'service',
    label: service.serviceName ?? idFromArn(arn),
    description,
    tooltip,
    icon: rollout.state === 'in-progress' && status === 'ACTIVE' ? 'sync~spin' : 'layers',
    color,
    contextValue: `ecsHandson.service.${status.toLowerCase()}${rollout.state !== 'completed' ? '.deploying' : ''}`,
    collapsible: 'collapsed',
    children: { type: 'serviceSections', clusterArn, serviceArn: arn },
    resource: arn,
    context: { clusterArn, serviceArn: arn, serviceName: service.serviceName ?? '' },
    // Expanded: counts and the rollout's state are in Deployments and Tasks below (and the status bar).
    whenExpanded: {
      description: status === 'ACTIVE' ? undefined : status,
      icon: 'layers',
      color: status === 'ACTIVE' ? undefined : COLOR.inactive,
      contextValue: `ecsHandson.service.${status.toLowerCase()}`,
    },
  };
}

/** The fixed children of a service node. */
export function serviceSectionNodes(service: Service, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode[] {
  const clusterArn = service.clusterArn ?? '';
  const serviceArn = service.serviceArn ?? '';
  const serviceName = service.serviceName ?? '';
  const parentId = ctx.parentId;
  const deployments = service.deployments?.length ?? 0;
  const nodes = [
    groupNode('deployments', t('Deployments'), { type: 'deployments', clusterArn, serviceArn }, { parentId, description: String(deployments) }),
    groupNode('tasks', t('Tasks'), { type: 'serviceTasks', clusterArn, serviceName, desiredStatus: 'RUNNING' }, {
      parentId, description: t('{0} running', count(service.runningCount)),
    }),
    groupNode('stoppedTasks', t('Stopped tasks'), { type: 'serviceTasks', clusterArn, serviceName, desiredStatus: 'STOPPED' }, { parentId }),
    groupNode('events', t('Events'), { type: 'serviceEvents', clusterArn, serviceArn }, { parentId, ...(ctx.time?.simulated ? { description: t('sandbox time') } : {}) }),
  ];
  const tgs = (service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((x): x is string => !!x);
  if (tgs.length) {
    nodes.push(groupNode('serviceLoadBalancers', t('Load balancer'), { type: 'serviceLoadBalancers', clusterArn, serviceArn, targetGroupArns: tgs }, { parentId }));
  }
  return nodes;
}

/** A deployment: "PRIMARY demo-app-task:2", "1/2 running, 1 pending · IN_PROGRESS". */
export function deploymentNode(deployment: Deployment, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const status = deployment.status ?? '';
  const rollout = deployment.rolloutState;
  const revision = revisionFromArn(deployment.taskDefinition);
  const desired = count(deployment.desiredCount);
  const running = count(deployment.runningCount);
  const pending = count(deployment.pendingCount);
  const failed = count(deployment.failedTasks);
  let description = t('{0}/{1} running', running, desired);
  if (pending) description += t(', {0} pending', pending);
  if (failed) description += t(', {0} failed', failed);
  if (rollout) description += ` · ${rollout}`;
  const color =
    rollout === 'FAILED' ? COLOR.error
    : rollout === 'COMPLETED' ? COLOR.healthy
    : rollout === 'IN_PROGRESS' ? COLOR.progress
    : status === 'ACTIVE' ? COLOR.progress
    : undefined;
  const created = toMillis(deployment.createdAt);
  const updated = toMillis(deployment.updatedAt);
  return {
    id: childId(ctx.parentId, 'deployment', deployment.id ?? ''),
    kind: 'deployment',
    label: `${status} ${revision}`,
    description,
    tooltip: markdownTable(escapeMarkdown(deployment.id ?? ''), [
      [t('Status'), status],
      [t('Task definition'), revision],
      [t('Desired / running / pending / failed'), `${desired} / ${running} / ${pending} / ${failed}`],
      [t('Rollout state'), rollout],
      [t('Reason'), deployment.rolloutStateReason ? escapeMarkdown(deployment.rolloutStateReason) : undefined],
      [t('Created'), created !== undefined && ctx.now !== undefined ? relativeTime(created, ctx.now, t, ctx.time) : undefined],
      [t('Duration'), created !== undefined && updated !== undefined ? durationOnClock(updated - created, ctx.time, t) : undefined],
    ]),
    icon: rollout === 'IN_PROGRESS' ? 'sync~spin' : rollout === 'FAILED' ? 'error' : 'rocket',
    color,
    contextValue: `ecsHandson.deployment.${status.toLowerCase()}`,
    collapsible: 'none',
    resource: deployment.id,
  };
}

/** A service event: relative time as label, the message (without ECS's boilerplate) as description. */
export function serviceEventNode(event: ServiceEvent, ctx: NodeContext = {}, t: Translate = defaultTranslate): TreeNode {
  const message = trimEventMessage(event.message ?? '');
  const created = toMillis(event.createdAt);
  const problem = classifyEvent(message);
  return {
    id: childId(ctx.parentId, 'event', event.id ?? `${created}`),
    kind: 'serviceEvent',
    // The label stays short (the "Events" row says which clock); the tooltip says it with the time.
    label: created !== undefined && ctx.now !== undefined ? relativeTime(created, ctx.now, t) : created !== undefined ? new Date(created).toISOString() : '',
    description: message,
    tooltip: `${created !== undefined ? `*${escapeMarkdown(ctx.now !== undefined ? `${relativeTime(created, ctx.now, t, ctx.time)} · ` : '')}${new Date(created).toISOString()}*\n\n` : ''}${escapeMarkdown(message)}`,
    icon: problem ? 'warning' : /steady state|deployment completed/.test(message) ? 'pass' : 'info',
    color: problem ? COLOR.error : /steady state|deployment completed/.test(message) ? COLOR.healthy : undefined,
    contextValue: 'ecsHandson.serviceEvent',
    collapsible: 'none',
  };
}
