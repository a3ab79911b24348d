/** RunTask, StopTask, ListTasks, DescribeTasks. */
import type { Handler } from '../service';
import { checkNetworkConfiguration } from './load-balancers';
import { taskOut } from './output';
import { arns } from '../engine/ids';
import { paginate } from './paginate';
import { activeCluster, findContainerInstance, findService, findTask, findTaskDefinition } from './resolve';
import { AwsError } from '../protocol/errors';
import { body, fail, objectList, optBool, optEnum, optInt, optObject, optString, optStringList, reqString, tags } from './validate';

const familyOf = (tdArn: string) => {
  const famRev = tdArn.slice(tdArn.lastIndexOf('/') + 1);
  return famRev.slice(0, famRev.lastIndexOf(':'));
};

export const runTask: Handler = (ctx, raw) => {
  const input = body(raw);
  const tdRef = reqString(input.taskDefinition, 'taskDefinition');
  const count = optInt(input.count, 'count', { min: 1, max: 10 }) ?? 1;
  const startedBy = optString(input.startedBy, 'startedBy');
  if (startedBy !== undefined && (startedBy.length > 128 || !/^[a-zA-Z0-9_/-]*$/.test(startedBy))) {
    fail('startedBy can have up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores, and forward slashes.');
  }
  const group = optString(input.group, 'group');
  if (group !== undefined && (group.length > 255 || !/^[a-zA-Z0-9_:-]*$/.test(group))) {
    fail('group can have up to 255 letters (uppercase and lowercase), numbers, hyphens, underscores, and colons.');
  }
  const lt = optEnum(input.launchType, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  if (lt && lt !== 'EC2') fail(`The sandbox runs the EC2 launch type only; launchType ${lt} is not supported.`);
  const tagList = tags(input.tags);
  optObject(input.overrides, 'overrides');
  objectList(input.placementConstraints, 'placementConstraints');
  objectList(input.placementStrategy, 'placementStrategy');
  optBool(input.enableECSManagedTags, 'enableECSManagedTags');
  const cluster = activeCluster(ctx, input.cluster);
  const td = findTaskDefinition(ctx, tdRef);
  if (!td) return fail('TaskDefinition not found.', 'ClientException');
  if (td.status !== 'ACTIVE') fail('TaskDefinition is inactive');
  checkNetworkConfiguration(td, input.networkConfiguration);
  const hasInstances = Object.values(ctx.state.ecs.containerInstances).some(
    (ci) => ci.clusterName === cluster.clusterName && ci.status === 'ACTIVE',
  );
  if (!hasInstances) fail('No Container Instances were found in your cluster.');
  const res = ctx.engine.runTasks(ctx.state, cluster.clusterName, td, count, {
    startedBy,
    group: group ?? `family:${td.family}`,
    tags: tagList,
  });
  return {
    tasks: res.tasks.map((t) => taskOut(t, tagList.length > 0)),
    failures: res.failures.map((f) => {
      const o: Record<string, string> = { reason: f.reason };
      if (f.arn) o.arn = f.arn;
      if (f.detail) o.detail = f.detail;
      return o;
    }),
  };
};

export const stopTask: Handler = (ctx, raw) => {
  const input = body(raw);
  const ref = reqString(input.task, 'task');
  const reason = optString(input.reason, 'reason');
  if (reason !== undefined && reason.length > 255) fail('reason can have at most 255 characters.');
  const cluster = activeCluster(ctx, input.cluster);
  const task = findTask(ctx, cluster, ref);
  if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
  if (task.desiredStatus !== 'STOPPED' && task.lastStatus !== 'STOPPED') {
    ctx.engine.stopTask(ctx.state, task, 'UserInitiated', reason || 'Task stopped by user');
  }
  return { task: taskOut(task) };
};

export const listTasks: Handler = (ctx, raw) => {
  const input = body(raw);
  const ciRef = optString(input.containerInstance, 'containerInstance');
  const family = optString(input.family, 'family');
  const startedBy = optString(input.startedBy, 'startedBy');
  const serviceName = optString(input.serviceName, 'serviceName');
  const desired = optEnum(input.desiredStatus, 'desiredStatus', ['RUNNING', 'PENDING', 'STOPPED'] as const) ?? 'RUNNING';
  const lt = optEnum(input.launchType, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
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
  const { page, nextToken } = paginate(items, (t) => t.taskArn, input, 'ListTasks', { defaultSize: 100 });
  return { taskArns: page.map((t) => t.taskArn), nextToken };
};

export const describeTasks: Handler = (ctx, raw) => {
  const input = body(raw);
  const refs = optStringList(input.tasks, 'tasks') ?? [];
  if (refs.length === 0) fail('tasks must contain at least one task id or ARN.');
  if (refs.length > 100) fail('tasks can have at most 100 items.');
  const include = optStringList(input.include, 'include') ?? [];
  for (const i of include) if (i !== 'TAGS') fail(`Invalid value for parameter include: '${i}'. Valid values are TAGS.`);
  const cluster = activeCluster(ctx, input.cluster);
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const t = findTask(ctx, cluster, ref);
    if (t) tasks.push(taskOut(t, include.includes('TAGS')));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arns.task(ctx.region, ctx.accountId, cluster.clusterName, ref), reason: 'MISSING' });
  }
  return { tasks, failures };
};
