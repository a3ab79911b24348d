/** ListContainerInstances, DescribeContainerInstances, UpdateContainerInstancesState. */
import type {
  DescribeContainerInstancesCommandInput,
  ListContainerInstancesCommandInput,
  UpdateContainerInstancesStateCommandInput,
} from '@aws-sdk/client-ecs';
import type { ContainerInstance, RegionState } from '../engine/state';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import { containerInstanceOut } from './output';
import { includes, pageSize } from './request';
import { activeCluster, findContainerInstance } from './resolve';
import { taskCounts } from '../engine/usage';
import { arns } from '../engine/ids';

type Pred = (ci: ContainerInstance) => boolean;

const attr = (ci: ContainerInstance, name: string): string | undefined => {
  const a = ci.attributes.find((x) => x.name === name);
  if (a) return a.value ?? '';
  if (name === 'ecs.availability-zone') return ci.availabilityZone;
  if (name === 'ecs.instance-type') return ci.instanceType;
  if (name === 'ecs.os-type') return 'linux';
  return undefined;
};

/**
 * A subset of the cluster query language: `attribute:<name> == v`, `!= v`, `in [a, b]`,
 * `not in [a, b]`, `exists`, `not exists`, `ec2InstanceId == i-…`, `runningTasksCount <op> n`,
 * joined by `and` / `or` (and binds tighter), parentheses not supported.
 */
export function parseFilter(rs: RegionState, expr: string): Pred {
  const bad = (): never => f.fail(`Invalid filter expression: '${expr}'.`);
  const term = (t: string): Pred => {
    const s = t.trim();
    let m = /^attribute:([\w.\-:/]+)\s+(not\s+)?exists$/i.exec(s);
    if (m) {
      const [, name, not] = m;
      return (ci) => (attr(ci, name) !== undefined) !== !!not;
    }
    m = /^attribute:([\w.\-:/]+)\s+(not\s+)?in\s*\[([^\]]*)\]$/i.exec(s);
    if (m) {
      const [, name, not, list] = m;
      const values = list.split(',').map((v) => v.trim());
      return (ci) => values.includes(attr(ci, name) ?? '\u0000') !== !!not;
    }
    m = /^attribute:([\w.\-:/]+)\s*(==|!=)\s*(\S+)$/.exec(s);
    if (m) {
      const [, name, op, value] = m;
      return (ci) => (attr(ci, name) === value) === (op === '==');
    }
    m = /^ec2InstanceId\s*(==|!=)\s*(\S+)$/.exec(s);
    if (m) {
      const [, op, value] = m;
      return (ci) => (ci.ec2InstanceId === value) === (op === '==');
    }
    m = /^runningTasksCount\s*(==|!=|>=|<=|>|<)\s*(\d+)$/.exec(s);
    if (m) {
      const [, op, n] = m;
      const v = Number(n);
      return (ci) => {
        const c = taskCounts(rs, ci).running;
        return op === '==' ? c === v : op === '!=' ? c !== v : op === '>=' ? c >= v : op === '<=' ? c <= v : op === '>' ? c > v : c < v;
      };
    }
    return bad();
  };
  const ors = expr.split(/\s+or\s+/i).map((part) => part.split(/\s+and\s+/i).map(term));
  if (ors.some((ands) => ands.length === 0)) bad();
  return (ci) => ors.some((ands) => ands.every((p) => p(ci)));
}

const STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'] as const;

export const listContainerInstances: Operation<ListContainerInstancesCommandInput> = (ctx, input) => {
  const filter = input.filter;
  const status = f.oneOf(input.status, 'status', STATUSES);
  const cluster = activeCluster(ctx, input.cluster);
  const pred = filter ? parseFilter(ctx.state, filter) : () => true;
  const items = Object.values(ctx.state.ecs.containerInstances)
    .filter((ci) => ci.clusterName === cluster.clusterName && (status ? ci.status === status : ci.status !== 'INACTIVE') && pred(ci))
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
