/**
 * What the commands that change a service share (update, deploy revision, scale, force new
 * deployment, and the service rows of delete and auto scaling): reading the service from an
 * argument object, a row or a picker, and one UpdateService with the checks around it.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../../aws';
import type { ArgReader } from '../../../core/commands/args';
import type { ServiceRef, UpdateServiceArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { idFromArn } from '../../../core/format';
import type { TreeNode } from '../../../core/tree-types';
import { validateDeploymentPercents } from '../../../core/validate';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { CommandContext } from '../command';
import { pickService } from '../pickers';

export interface UpdateServiceResult {
  serviceArn: string;
  clusterArn: string;
  serviceName: string;
  /** The PRIMARY deployment after the update (`ecs-svc/…`). */
  deploymentId: string;
  taskDefinition: string;
  desiredCount: number;
}

const TASK_DEF_RE = /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[a-zA-Z0-9_-]{1,255}(?::\d{1,9})?$/;

/** `cluster` and `service` of an argument object. */
export function readServiceRef<A extends ServiceRef>(r: ArgReader<A>): ServiceRef {
  return {
    cluster: r.required('cluster', t('"cluster" is required (a cluster name or ARN).')),
    service: r.required('service', t('"service" is required (a service name or ARN).')),
  };
}

/** The members of UpdateService an argument object may set (each checked for type and range). */
export function readUpdate<A extends UpdateServiceArgs>(r: ArgReader<A>): UpdateServiceArgs {
  const ref = readServiceRef(r);
  const taskDefinition = r.string('taskDefinition');
  if (taskDefinition !== undefined && !TASK_DEF_RE.test(taskDefinition)) {
    r.fail(t('"taskDefinition" must be "family:revision", a family or a task definition ARN, got {0}.', JSON.stringify(taskDefinition)), 'taskDefinition');
  }
  return {
    ...ref,
    desiredCount: r.int('desiredCount', 0, 5000),
    taskDefinition,
    minimumHealthyPercent: r.int('minimumHealthyPercent', 0, 100),
    maximumPercent: r.int('maximumPercent', 100, 200),
    forceNewDeployment: r.bool('forceNewDeployment'),
  };
}

/** A service row: its cluster and name. */
export function serviceRow(node: TreeNode): ServiceRef | undefined {
  const cluster = node.context?.clusterArn;
  const service = node.context?.serviceName || idFromArn(node.resource);
  return node.kind === 'service' && cluster && service ? { cluster, service } : undefined;
}

/** Palette: a picked service (those running `preferFamily` first). */
export async function pickServiceRef(ctx: CommandContext, title: string, preferFamily?: string): Promise<ServiceRef | undefined> {
  const picked = await pickService(await ctx.clients(), title, preferFamily);
  return picked ? { cluster: picked.clusterArn, service: picked.serviceName } : undefined;
}

export async function describeService(c: AwsClients, cluster: string, service: string): Promise<Service | undefined> {
  const out = await c.ecs.send(new (loadAws().operateSdk.DescribeServicesCommand)({ cluster, services: [service] }));
  return out.services?.[0];
}

/** The ACTIVE service, or `NotFound` ("Service demo-service not found in cluster demo-cluster."). */
export async function activeService(c: AwsClients, ref: ServiceRef): Promise<Service> {
  const sv = await describeService(c, ref.cluster, ref.service);
  if (!sv || sv.status !== 'ACTIVE') throw new CommandError(t('Service {0} not found in cluster {1}.', ref.service, ref.cluster), 'NotFound');
  return sv;
}

/**
 * Checks the combination against the current service, asks on real AWS when the change adds tasks,
 * calls UpdateService, refreshes and follows the rollout in the status bar. Throws AWS errors.
 */
export async function applyUpdate(ctx: CommandContext, args: UpdateServiceArgs): Promise<UpdateServiceResult> {
  const c = await ctx.clients();
  const current = await activeService(c, args);
  const desired = args.desiredCount ?? current.desiredCount;
  const dc = current.deploymentConfiguration;
  if (args.minimumHealthyPercent !== undefined || args.maximumPercent !== undefined || args.desiredCount !== undefined) {
    const bad = validateDeploymentPercents(String(args.minimumHealthyPercent ?? dc?.minimumHealthyPercent ?? ''), String(args.maximumPercent ?? dc?.maximumPercent ?? ''), desired, t);
    if (bad) throw new CommandError(bad);
  }
  if (args.desiredCount !== undefined && args.desiredCount > (current.desiredCount ?? 0)) {
    await ctx.confirm({ kind: 'aws', message: t('Run {0} tasks of {1}?', args.desiredCount, current.serviceName ?? args.service), detail: [t('More tasks use more of your instances (billable on AWS).')], button: t('Update') });
  }
  const deploymentConfiguration =
    args.minimumHealthyPercent !== undefined || args.maximumPercent !== undefined
      ? {
          ...(dc ?? {}),
          ...(args.minimumHealthyPercent !== undefined ? { minimumHealthyPercent: args.minimumHealthyPercent } : {}),
          ...(args.maximumPercent !== undefined ? { maximumPercent: args.maximumPercent } : {}),
        }
      : undefined;
  const out = await ctx.progress(t('Updating service {0}…', args.service), () =>
    c.ecs.send(
      new (loadAws().operateSdk.UpdateServiceCommand)({
        cluster: args.cluster,
        service: args.service,
        ...(args.desiredCount !== undefined ? { desiredCount: args.desiredCount } : {}),
        ...(args.taskDefinition ? { taskDefinition: args.taskDefinition } : {}),
        ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
        ...(args.forceNewDeployment ? { forceNewDeployment: true } : {}),
      }),
    ),
  );
  const sv = out.service;
  const clusterArn = sv?.clusterArn ?? current.clusterArn ?? args.cluster;
  const serviceName = sv?.serviceName ?? args.service;
  ctx.services.refresh({ kind: 'service', clusterArn, serviceName });
  ctx.services.followRollout(clusterArn, serviceName);
  const primary = sv?.deployments?.find((d) => d.status === 'PRIMARY');
  return {
    serviceArn: sv?.serviceArn ?? '',
    clusterArn,
    serviceName,
    deploymentId: primary?.id ?? '',
    taskDefinition: sv?.taskDefinition ?? primary?.taskDefinition ?? '',
    desiredCount: sv?.desiredCount ?? 0,
  };
}
