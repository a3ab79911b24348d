/**
 * `ecsHandson.service.create` — section 1d: a service running a task definition on the cluster,
 * optionally behind a load balancer's target group, with its deployment configuration (minimum /
 * maximum percent, circuit breaker) and, with a load balancer, a health-check grace period. Then
 * the status bar follows its rollout (`followRollout`).
 *
 * Argument (all optional; defaults are the hands-on's):
 * ```ts
 * {
 *   cluster?: string;             // name or ARN: 'demo-cluster'
 *   taskDefinition?: string;      // 'family:revision' or ARN; default the latest ACTIVE demo-app-task
 *   serviceName?: string;         // 'demo-service'
 *   desiredCount?: number;        // 2
 *   loadBalancer?: {              // absent / null: none
 *     targetGroupArn?: string;    //   or targetGroupName ('app-demo-lb-tg')
 *     targetGroupName?: string;
 *     containerName?: string;     //   default: the container that maps containerPort
 *     containerPort?: number;     //   8080
 *   } | null;
 *   minimumHealthyPercent?: number;   // 100
 *   maximumPercent?: number;          // 200
 *   circuitBreaker?: boolean;         // false (true = enable with rollback)
 *   healthCheckGracePeriodSeconds?: number; // 60, only with a load balancer
 * }
 * ```
 * Returns `{ serviceArn, serviceName, clusterArn, taskDefinitionArn }`, or `{ error, code, field? }`
 * (shown too). From a cluster row (or its Services group) the cluster is that row's.
 */
import type * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { validateDeploymentPercents, validateDesiredCount, validatePort, validateResourceName } from '../../../core/validate';
import type { ArgReader } from '../../../core/commands/args';
import type { CreateServiceArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { managedEcsTag } from '../../../core/managed';
import type { TreeNode } from '../../../core/tree-types';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { creation, defineCommand, field, type CommandContext, type Invalid } from '../command';
import { runSteps, type Step } from '../steps';
import { ensureRoleFor } from './roles';

export interface CreateServiceResult {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  taskDefinitionArn: string;
}

interface State {
  cluster: string;
  /** '' = the latest ACTIVE revision of demo-app-task (resolved at creation). */
  taskDefinition: string;
  serviceName: string;
  desiredCount: string;
  /** Target group ARN or name; '' = no load balancer. */
  targetGroup: string;
  /** `name:port`; '' = the container that maps 8080 (or the first mapping). */
  container: string;
  minimumHealthyPercent: string;
  maximumPercent: string;
  circuitBreaker: boolean;
  grace: string;
  td?: TaskDefinition;
  /** The cluster is the row's (from a cluster row): not asked. */
  fromRow: boolean;
}

const withLb = (st: State) => st.targetGroup !== '';

function check(st: State): Invalid | undefined {
  const count = Number(st.desiredCount);
  return (
    field('cluster', t('Cluster'), st.cluster.startsWith('arn:') ? undefined : validateResourceName(st.cluster, t)) ??
    field('serviceName', t('Service name'), validateResourceName(st.serviceName, t)) ??
    field('desiredCount', t('Desired tasks'), validateDesiredCount(st.desiredCount, 5000, t)) ??
    field('maximumPercent', t('Deployment'), validateDeploymentPercents(st.minimumHealthyPercent, st.maximumPercent, Number.isInteger(count) ? count : undefined, t)) ??
    (withLb(st) && st.container !== '' ? field('loadBalancer.containerPort', t('Container port'), /^[A-Za-z0-9_-]*:\d+$/.test(st.container) ? validatePort(st.container.split(':')[1], t) : t('Write name:port, e.g. demo-app:8080.')) : undefined) ??
    (withLb(st) ? field('healthCheckGracePeriodSeconds', t('Health check grace period'), /^\d{1,5}$/.test(st.grace.trim()) ? undefined : t('Enter seconds as a whole number (0 = none).')) : undefined)
  );
}

async function latestRevision(clients: AwsClients, family: string): Promise<string> {
  const aws = loadAws();
  const out = await clients.ecs.send(new aws.ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: 1 }));
  const arn = out.taskDefinitionArns?.[0];
  if (!arn) throw new CommandError(t('There is no ACTIVE revision of {0}. Register the task definition first.', family), 'NotFound', 'taskDefinition');
  return arn;
}

async function describeTd(clients: AwsClients, st: State): Promise<TaskDefinition> {
  const aws = loadAws();
  const source = st.taskDefinition || (await latestRevision(clients, 'demo-app-task'));
  if (st.td && (st.td.taskDefinitionArn === source || `${st.td.family}:${st.td.revision}` === source)) return st.td;
  const out = await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: source }));
  st.td = out.taskDefinition;
  if (!st.td) throw new CommandError(t('Task definition {0} not found.', source), 'NotFound', 'taskDefinition');
  return st.td;
}

/** The container and port the target group sends traffic to. */
function containerTarget(td: TaskDefinition, chosen: string): { containerName: string; containerPort: number } {
  if (chosen !== '') {
    const [containerName, port] = chosen.split(':');
    const c = containerName
      ? td.containerDefinitions?.find((x) => x.name === containerName)
      : td.containerDefinitions?.find((x) => x.portMappings?.some((p) => p.containerPort === Number(port)));
    if (!c) throw new CommandError(t('No container named "{0}" mapping port {1} in {2}:{3}.', containerName, port, td.family ?? '', td.revision ?? 0), 'InvalidArguments', 'loadBalancer.containerName');
    return { containerName: c.name ?? containerName, containerPort: Number(port) };
  }
  for (const c of td.containerDefinitions ?? []) {
    const pm = c.portMappings?.find((p) => p.containerPort === 8080) ?? c.portMappings?.[0];
    if (pm?.containerPort) return { containerName: c.name ?? '', containerPort: pm.containerPort };
  }
  throw new CommandError(t('{0}:{1} maps no container port, so a load balancer cannot reach it.', td.family ?? '', td.revision ?? 0), 'InvalidArguments', 'loadBalancer');
}

function steps(clients: AwsClients, fromNode: boolean): Step<State>[] {
  const aws = loadAws();
  return [
    {
      type: 'pick', key: 'cluster', title: t('Cluster'), when: () => !fromNode,
      items: async () => {
        const out = await clients.ecs.send(new aws.ListClustersCommand({}));
        const arns = out.clusterArns ?? [];
        if (arns.length === 0) throw new Error(t('There is no cluster yet. Create one first.'));
        return arns.map((arn) => {
          const name = arn.split('/').pop() ?? arn;
          return { label: name, description: arn, value: name, picked: name === 'demo-cluster' };
        });
      },
    },
    {
      type: 'pick', key: 'taskDefinition', title: t('Task definition'),
      items: async (st) => {
        const out = await clients.ecs.send(new aws.ListTaskDefinitionsCommand({ status: 'ACTIVE', sort: 'DESC', maxResults: 100 }));
        const arns = out.taskDefinitionArns ?? [];
        if (arns.length === 0) throw new Error(t('There are no ACTIVE task definitions. Register one first.'));
        const items = arns.map((arn) => ({ label: arn.split('/').pop() ?? arn, description: arn, value: arn.split('/').pop() ?? arn }));
        if (st.taskDefinition === '') st.taskDefinition = items.find((x) => x.label.startsWith('demo-app-task:'))?.value ?? items[0].value;
        return items;
      },
    },
    { type: 'input', key: 'serviceName', title: t('Service name'), validate: (v) => validateResourceName(v, t) },
    { type: 'input', key: 'desiredCount', title: t('Desired tasks'), prompt: t('The hands-on runs one task per AZ: 2.'), validate: (v) => validateDesiredCount(v, 5000, t) },
    {
      type: 'pick', key: 'targetGroup', title: t('Load balancer'),
      items: async (st) => {
        const out = await clients.elbv2.send(new aws.DescribeTargetGroupsCommand({}));
        const groups = out.TargetGroups ?? [];
        // A name (the default 'app-demo-lb-tg') becomes that group's ARN, or "no load balancer" when there is none.
        if (st.targetGroup !== '' && !st.targetGroup.startsWith('arn:')) st.targetGroup = groups.find((g) => g.TargetGroupName === st.targetGroup)?.TargetGroupArn ?? '';
        return [
          ...groups.map((g) => ({
            label: g.TargetGroupName ?? '',
            description: `${g.Protocol ?? ''}:${g.Port ?? ''} · ${g.TargetType ?? ''}`,
            detail: (g.LoadBalancerArns ?? []).length > 0 ? t('used by {0}', (g.LoadBalancerArns ?? []).map((a) => a.split('/')[2] ?? a).join(', ')) : t('not attached to a load balancer yet'),
            value: g.TargetGroupArn ?? '',
          })),
          { label: t('No load balancer'), value: '' },
        ];
      },
    },
    {
      type: 'pick', key: 'container', title: t('Container to load balance'), when: withLb,
      before: async (st) => {
        if (withLb(st)) await describeTd(clients, st);
      },
      items: (st) =>
        (st.td?.containerDefinitions ?? []).flatMap((c) =>
          (c.portMappings ?? []).map((p) => ({
            label: `${c.name ?? ''}:${p.containerPort ?? ''}`,
            description: p.hostPort ? t('host port {0}', p.hostPort) : t('dynamic host port'),
            value: `${c.name ?? ''}:${p.containerPort ?? ''}`,
            picked: p.containerPort === 8080,
          })),
        ),
    },
    { type: 'input', key: 'minimumHealthyPercent', title: t('Minimum healthy percent'), prompt: t('0–100; the hands-on keeps 100.'), validate: (v, st) => validateDeploymentPercents(v, st.maximumPercent, undefined, t) },
    {
      type: 'input', key: 'maximumPercent', title: t('Maximum percent'), prompt: t('100–200; 200 lets 2 tasks become 4 during a deployment (section 4).'),
      validate: (v, st) => validateDeploymentPercents(st.minimumHealthyPercent, v, Number(st.desiredCount), t),
    },
    {
      type: 'pick', key: 'circuitBreaker', title: t('Deployment circuit breaker'),
      items: () => [
        { label: t('Off'), description: t('as in the hands-on'), value: false },
        { label: t('On, with rollback'), description: t('a deployment whose tasks keep failing is rolled back'), value: true },
      ],
    },
    { type: 'input', key: 'grace', title: t('Health check grace period (s)'), when: withLb, prompt: t('How long ECS ignores failing load balancer health checks of a new task.'), validate: (v) => (/^\d{1,5}$/.test(v.trim()) ? undefined : t('Enter seconds as a whole number (0 = none).')) },
  ];
}

/**
 * ECS's service-linked role, made sure of once the input is known to be good (as Create Cluster
 * does): ECS needs it to manage the service's tasks and load balancer registrations.
 */
const prepareRole = (ctx: CommandContext, clients: AwsClients) => async (progress: vscode.Progress<{ message?: string }>) => {
  const slr = loadAws().ECS_SERVICE_LINKED_ROLE;
  progress.report({ message: t('Checking IAM roles…') });
  await ensureRoleFor(ctx, clients, slr, t('ECS needs its service-linked role {0} to manage clusters and services, and this account does not have it yet.', slr.roleName), progress);
};

async function createService(
  st: State,
  clients: AwsClients,
  progress: vscode.Progress<{ message?: string }>,
  prepare: (progress: vscode.Progress<{ message?: string }>) => Promise<void>,
): Promise<CreateServiceResult> {
  const aws = loadAws();
  const td = await describeTd(clients, st);
  let loadBalancers: { targetGroupArn: string; containerName: string; containerPort: number }[] | undefined;
  if (withLb(st)) {
    let targetGroupArn = st.targetGroup;
    if (!targetGroupArn.startsWith('arn:')) {
      const out = await clients.elbv2.send(new aws.DescribeTargetGroupsCommand({ Names: [targetGroupArn] }));
      targetGroupArn = out.TargetGroups?.[0]?.TargetGroupArn ?? '';
    }
    loadBalancers = [{ targetGroupArn, ...containerTarget(td, st.container) }];
  }
  await prepare(progress);
  progress.report({ message: t('Creating service {0}…', st.serviceName) });
  const out = await clients.ecs.send(
    new aws.CreateServiceCommand({
      cluster: st.cluster,
      serviceName: st.serviceName.trim(),
      taskDefinition: td.taskDefinitionArn,
      desiredCount: Number(st.desiredCount),
      launchType: 'EC2',
      ...(loadBalancers ? { loadBalancers, healthCheckGracePeriodSeconds: Number(st.grace) } : {}),
      deploymentConfiguration: {
        minimumHealthyPercent: Number(st.minimumHealthyPercent || 100),
        maximumPercent: Number(st.maximumPercent || 200),
        deploymentCircuitBreaker: { enable: st.circuitBreaker, rollback: st.circuitBreaker },
      },
      tags: [managedEcsTag()],
    }),
  );
  const svc = out.service;
  return {
    serviceArn: svc?.serviceArn ?? '',
    serviceName: svc?.serviceName ?? st.serviceName,
    clusterArn: svc?.clusterArn ?? st.cluster,
    taskDefinitionArn: svc?.taskDefinition ?? td.taskDefinitionArn ?? '',
  };
}

function draft(cluster: string, fromRow: boolean, r?: ArgReader<CreateServiceArgs>): State {
  const lb = (r?.value('loadBalancer') ?? undefined) as CreateServiceArgs['loadBalancer'];
  return {
    cluster: r?.text('cluster', cluster) ?? cluster,
    taskDefinition: r?.text('taskDefinition') ?? '',
    serviceName: r?.text('serviceName', 'demo-service') ?? 'demo-service',
    desiredCount: r?.text('desiredCount', '2') ?? '2',
    // A person starts from the hands-on's target group; an argument object names its own (or none).
    targetGroup: r ? (lb?.targetGroupArn ?? lb?.targetGroupName ?? '') : 'app-demo-lb-tg',
    container: lb?.containerName || lb?.containerPort ? `${lb.containerName ?? ''}:${lb.containerPort ?? 8080}` : '',
    minimumHealthyPercent: r?.text('minimumHealthyPercent', '100') ?? '100',
    maximumPercent: r?.text('maximumPercent', '200') ?? '200',
    circuitBreaker: r?.value('circuitBreaker') === true,
    grace: r?.text('healthCheckGracePeriodSeconds', '60') ?? '60',
    fromRow,
  };
}

/** A cluster row, or its Services group: that cluster. */
function fromRow(node: TreeNode): State | undefined {
  const cluster = node.kind === 'cluster' ? (node.context?.clusterArn ?? node.resource) : node.children && 'clusterArn' in node.children ? node.children.clusterArn : undefined;
  if (node.kind === 'group' && node.children?.type !== 'services') return undefined;
  return cluster ? draft(cluster, true) : undefined;
}

async function create(ctx: CommandContext, st: State): Promise<CreateServiceResult> {
  const clients = await ctx.clients();
  const r = await ctx.progress(ctx.title, (progress) => createService(st, clients, progress, prepareRole(ctx, clients)));
  ctx.services.refresh({ kind: 'service', clusterArn: r.clusterArn, serviceName: r.serviceName });
  ctx.services.followRollout(r.clusterArn, r.serviceName);
  return r;
}

export const createServiceCommand = defineCommand({
  id: 'ecsHandson.service.create',
  title: () => t('Create service'),
  args: (r) => draft('demo-cluster', false, r),
  row: fromRow,
  palette: () => draft('demo-cluster', false),
  ask: async (ctx, st) => runSteps(ctx.title, steps(await ctx.clients(), st.fromRow), st),
  check,
  confirm: (ctx, st) => creation(ctx.title, [t("ECS service {0} with {1} tasks on {2} (the tasks use the cluster's instances)", st.serviceName, st.desiredCount, st.cluster)]),
  run: create,
});
