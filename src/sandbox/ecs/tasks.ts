/** RunTask, StopTask, ListTasks, DescribeTasks. */
import type { DescribeTasksCommandInput, ListTasksCommandInput, RunTaskCommandInput, StopTaskCommandInput } from '@aws-sdk/client-ecs';
import { arns } from '../engine/ids';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { strategyFor } from './capacity-providers';
import { checkNetworkConfiguration } from './load-balancers';
import { readConstraints, readStrategy } from './placement';
import { taskOut } from './output';
import { includes, pageSize, readTags } from './request';
import { activeCluster, findContainerInstance, findService, findTask, findTaskDefinition } from './resolve';

const familyOf = (tdArn: string) => {
  const famRev = tdArn.slice(tdArn.lastIndexOf('/') + 1);
  return famRev.slice(0, famRev.lastIndexOf(':'));
};

export const runTask: Operation<RunTaskCommandInput> = (ctx, input) => {
  const tdRef = f.str(input.taskDefinition, 'taskDefinition', { required: true });
  const count = f.int(input.count, 'count', { min: 1, max: 10 }) ?? 1;
  const startedBy = input.startedBy;
  if (startedBy !== undefined && (startedBy.length > 128 || !/^[a-zA-Z0-9_/-]*$/.test(startedBy))) {
    f.fail('startedBy can have up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores, and forward slashes.');
  }
  const group = input.group;
  if (group !== undefined && (group.length > 255 || !/^[a-zA-Z0-9_:-]*$/.test(group))) {
    f.fail('group can have up to 255 letters (uppercase and lowercase), numbers, hyphens, underscores, and colons.');
  }
  const lt = f.oneOf(input.launchType, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  if (lt && lt !== 'EC2') f.fail(`The sandbox runs the EC2 launch type only; launchType ${lt} is not supported.`);
  const tagList = readTags(input.tags);
  const placementConstraints = readConstraints(input.placementConstraints);
  const placementStrategy = readStrategy(input.placementStrategy);
  const cluster = activeCluster(ctx, input.cluster);
  const td = findTaskDefinition(ctx, tdRef);
  if (!td) return f.fail('TaskDefinition not found.', 'ClientException');
  if (td.status !== 'ACTIVE') f.fail('TaskDefinition is inactive');
  checkNetworkConfiguration(td, input.networkConfiguration);
  const capacityProviderStrategy = strategyFor(cluster, input.launchType, input.capacityProviderStrategy);
  const hasInstances = Object.values(ctx.state.ecs.containerInstances).some(
    (ci) => ci.clusterName === cluster.clusterName && ci.status === 'ACTIVE',
  );
  // Through a capacity provider, tasks may wait PROVISIONING for its group to scale out.
  if (!hasInstances && !capacityProviderStrategy) f.fail('No Container Instances were found in your cluster.');
  const res = ctx.engine.runTasks(ctx.state, cluster.clusterName, td, count, {
    startedBy,
    group: group ?? `family:${td.family}`,
    tags: tagList,
    placementConstraints,
    placementStrategy,
    capacityProviderStrategy,
  });
  return {
    tasks: res.tasks.map((t) => taskOut(t, tagList.length > 0)),
    failures: res.failures.map((x) => {
      const o: Record<string, string> = { reason: x.reason };
      if (x.arn) o.arn = x.arn;
      if (x.detail) o.detail = x.detail;
      return o;
    }),
  };
};

export const stopTask: Operation<StopTaskCommandInput> = (ctx, input) => {
  const ref = f.str(input.task, 'task', { required: true });
  const reason = input.reason;
  if (reason !== undefined && reason.length > 255) f.fail('reason can have at most 255 characters.');
  const cluster = activeCluster(ctx, input.cluster);
  const task = findTask(ctx, cluster, ref);
  if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
  if (task.desiredStatus !== 'STOPPED' && task.lastStatus !== 'STOPPED') {
    ctx.engine.stopTask(ctx.state, task, 'UserInitiated', reason || 'Task stopped by user');
  }
  return { task: taskOut(task) };
};

export const listTasks: Operation<ListTasksCommandInput> = (ctx, input) => {
  const ciRef = input.containerInstance;
  const family = input.family;
  const startedBy = input.startedBy;
  const serviceName = input.serviceName;
  const desired = f.oneOf(input.desiredStatus, 'desiredStatus', ['RUNNING', 'PENDING', 'STOPPED'] as const) ?? 'RUNNING';
  const lt = f.oneOf(input.launchType, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  const cluster = activeCluster(ctx, input.cluster);
  let serviceGroup: string | undefined;
  if (serviceName) {
    const s = findService(ctx, cluster, serviceName);
    if (!s) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    serviceGroup = s.serviceName;
  }
  let ciArn: string | undefined;
  if (ciRef) ciArn = findContainerInstance(ctx, cluster, ciRef)?.containerInstanceArn ?? '-';
  const items = Object.values(ctx.state.ecs.tasks)
    .filter(
      (t) =>
        t.clusterArn === cluster.clusterArn &&
        desired !== 'PENDING' &&
        t.desiredStatus === desired &&
        (!lt || t.launchType === lt) &&
        (!family || familyOf(t.taskDefinitionArn) === family) &&
        (!startedBy || t.startedBy === startedBy) &&
        (!ciArn || t.containerInstanceArn === ciArn) &&
        (!serviceGroup || t.serviceName === serviceGroup || t.group === `service:${serviceGroup}`),
    )
    .sort((a, b) => a.createdAt - b.createdAt || (a.taskArn < b.taskArn ? -1 : a.taskArn > b.taskArn ? 1 : 0));
  const { page, next } = paginate(items, { op: 'ListTasks', size: pageSize(input.maxResults), token: input.nextToken, key: (t) => t.taskArn }, ECS);
  return { taskArns: page.map((t) => t.taskArn), nextToken: next };
};

export const describeTasks: Operation<DescribeTasksCommandInput> = (ctx, input) => {
  const refs = f.strings(input.tasks, 'tasks') ?? [];
  if (refs.length === 0) f.fail('tasks must contain at least one task id or ARN.');
  if (refs.length > 100) f.fail('tasks can have at most 100 items.');
  const include = includes(input.include, ['TAGS'] as const);
  const cluster = activeCluster(ctx, input.cluster);
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const t = findTask(ctx, cluster, ref);
    if (t) tasks.push(taskOut(t, include.has('TAGS')));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arns.task(ctx.region, ctx.accountId, cluster.clusterName, ref), reason: 'MISSING' });
  }
  return { tasks, failures };
};
