/**
 * ListContainerInstances (with the cluster query language), DescribeContainerInstances,
 * UpdateContainerInstancesState (DRAINING: the schedulers replace the service tasks on it, see
 * engine/replica.ts; standalone tasks stay). Registration is in registration.ts.
 */
import type {
  DescribeContainerInstancesCommandInput,
  ListContainerInstancesCommandInput,
  UpdateContainerInstancesStateCommandInput,
} from '@aws-sdk/client-ecs';
import type { ContainerInstance } from '../engine/state';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import { containerInstanceOut } from './output';
import { includes, pageSize } from './request';
import { activeCluster, findContainerInstance } from './resolve';
import { arns } from '../engine/ids';
import { parseQuery, QueryError, queryEnv, type Query } from '../engine/cluster-query';

/** A cluster query language expression (`what` names it in the error), or InvalidParameterException saying what is wrong with it. */
export function readQuery(expr: string, what: string, fields = f): Query {
  try {
    return parseQuery(expr);
  } catch (e) {
    if (e instanceof QueryError) return fields.fail(`Invalid ${what} '${expr.slice(0, 200)}': ${e.message}.`);
    throw e;
  }
}

const STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'] as const;

export const listContainerInstances: Operation<ListContainerInstancesCommandInput> = (ctx, input) => {
  const filter = input.filter;
  const status = f.oneOf(input.status, 'status', STATUSES);
  const cluster = activeCluster(ctx, input.cluster);
  const query = filter !== undefined ? readQuery(filter, 'filter expression') : undefined;
  const env = queryEnv(ctx.state);
  const items = Object.values(ctx.state.ecs.containerInstances)
    .filter((ci) => ci.clusterName === cluster.clusterName && (status ? ci.status === status : ci.status !== 'INACTIVE') && (!query || query(ci, env)))
    .sort((a, b) => a.registeredAt - b.registeredAt || (a.containerInstanceArn < b.containerInstanceArn ? -1 : 1))
    .map((ci) => ci.containerInstanceArn);
  const { page, next } = paginate(items, { op: 'ListContainerInstances', size: pageSize(input.maxResults), token: input.nextToken, key: (a) => a }, ECS);
  return { containerInstanceArns: page, nextToken: next };
};

export const describeContainerInstances: Operation<DescribeContainerInstancesCommandInput> = (ctx, input) => {
  const refs = f.strings(input.containerInstances, 'containerInstances') ?? [];
  if (refs.length === 0) f.fail('containerInstances must contain at least one container instance id or ARN.');
  if (refs.length > 100) f.fail('containerInstances can have at most 100 items.');
  const include = includes(input.include, ['TAGS', 'CONTAINER_INSTANCE_HEALTH'] as const);
  const cluster = activeCluster(ctx, input.cluster);
  const ciArn = (ref: string) => (ref.startsWith('arn:') ? ref : arns.containerInstance(ctx.region, ctx.accountId, cluster.clusterName, ref));
  const containerInstances: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const ci = findContainerInstance(ctx, cluster, ref);
    if (ci) containerInstances.push(containerInstanceOut(ctx.state, ci, include.has('TAGS')));
    else failures.push({ arn: ciArn(ref), reason: 'MISSING' });
  }
  return { containerInstances, failures };
};

export const updateContainerInstancesState: Operation<UpdateContainerInstancesStateCommandInput> = (ctx, input) => {
  const refs = f.strings(input.containerInstances, 'containerInstances') ?? [];
  if (refs.length === 0) f.fail('containerInstances must contain at least one container instance id or ARN.');
  if (refs.length > 10) f.fail('containerInstances can have at most 10 items.');
  const status = f.oneOf(input.status, 'status', ['ACTIVE', 'DRAINING'] as const, { required: true });
  const cluster = activeCluster(ctx, input.cluster);
  const ciArn = (ref: string) => (ref.startsWith('arn:') ? ref : arns.containerInstance(ctx.region, ctx.accountId, cluster.clusterName, ref));
  const found: ContainerInstance[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const ci = findContainerInstance(ctx, cluster, ref);
    if (!ci) failures.push({ arn: ciArn(ref), reason: 'MISSING' });
    else if (ci.status !== 'ACTIVE' && ci.status !== 'DRAINING') failures.push({ arn: ci.containerInstanceArn, reason: 'INACTIVE' });
    else found.push(ci);
  }
  for (const ci of found) {
    if (ci.status !== status) {
      ci.status = status;
      ci.version += 1;
    }
  }
  return { containerInstances: found.map((ci) => containerInstanceOut(ctx.state, ci)), failures };
};
