/** CreateService, DescribeServices, ListServices, UpdateService, DeleteService. */
import { AwsError } from '../protocol/errors';
import { arns } from '../engine/ids';
import type { Cluster, DeploymentConfiguration, LoadBalancerRef, Service, TaskDefinition } from '../engine/state';
import type { Handler, RequestContext } from '../service';
import { checkNetworkConfiguration, loadBalancers } from './load-balancers';
import { serviceOut } from './output';
import { paginate } from './paginate';
import { activeCluster, findService, findTaskDefinition, own, put } from './resolve';
import { NAME_RE, body, fail, objectList, optBool, optEnum, optInt, optObject, optString, optStringList, reqString, tags } from './validate';

/** ECS's default quota of tasks per service; also keeps a typo from flooding the sandbox. */
const MAX_DESIRED = 5000;

const serviceNotFound = () => new AwsError('ServiceNotFoundException', 'Service not found.');
const serviceNotActive = () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');

/** An ACTIVE task definition for a service, by family, family:revision or ARN. */
function serviceTaskDefinition(ctx: RequestContext, ref: string): TaskDefinition {
  const td = findTaskDefinition(ctx, ref);
  if (!td) {
    // A family whose revisions are all INACTIVE: ECS says the task definition is inactive.
    const famOnly = !ref.includes(':') && own(ctx.state.ecs.taskDefinitions, ref);
    return fail(famOnly ? 'TaskDefinition is inactive' : 'TaskDefinition not found.');
  }
  if (td.status !== 'ACTIVE') return fail('TaskDefinition is inactive');
  return td;
}

/** Validates `deploymentConfiguration` over `base` (defaults 200 / 100, circuit breaker off). */
function deploymentConfiguration(v: unknown, base: DeploymentConfiguration, daemon: boolean): DeploymentConfiguration {
  const dc = optObject(v, 'deploymentConfiguration');
  const maximumPercent = optInt(dc?.maximumPercent, 'deploymentConfiguration.maximumPercent', { min: 0 }) ?? base.maximumPercent;
  const minimumHealthyPercent = optInt(dc?.minimumHealthyPercent, 'deploymentConfiguration.minimumHealthyPercent', { min: 0 }) ?? base.minimumHealthyPercent;
  if (minimumHealthyPercent > 100) fail('deploymentConfiguration.minimumHealthyPercent must be between 0 and 100.');
  if (daemon && maximumPercent !== 100) fail('deploymentConfiguration.maximumPercent must be 100 for services using the DAEMON scheduling strategy.');
  if (!daemon && maximumPercent < 100) fail('deploymentConfiguration.maximumPercent must be greater than or equal to 100.');
  const strategy = optEnum(dc?.strategy, 'deploymentConfiguration.strategy', ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const);
  if (strategy && strategy !== 'ROLLING') fail(`The sandbox supports the ROLLING deployment strategy only; got ${strategy}.`);
  const cb = optObject(dc?.deploymentCircuitBreaker, 'deploymentConfiguration.deploymentCircuitBreaker');
  let deploymentCircuitBreaker = { ...base.deploymentCircuitBreaker };
  if (cb) {
    const enable = optBool(cb.enable, 'deploymentConfiguration.deploymentCircuitBreaker.enable');
    const rollback = optBool(cb.rollback, 'deploymentConfiguration.deploymentCircuitBreaker.rollback');
    if (enable === undefined || rollback === undefined) {
      fail('deploymentConfiguration.deploymentCircuitBreaker requires both enable and rollback.');
    }
    deploymentCircuitBreaker = { enable: enable!, rollback: rollback! };
  }
  return { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker };
}

const checkLaunchType = (v: unknown) => {
  const lt = optEnum(v, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  if (lt && lt !== 'EC2') fail(`The sandbox runs the EC2 launch type only; launchType ${lt} is not supported.`);
};

export const createService: Handler = (ctx, raw) => {
  const input = body(raw);
  const name = reqString(input.serviceName, 'serviceName');
  if (!NAME_RE.test(name)) fail('Service name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  const tdRef = reqString(input.taskDefinition, 'taskDefinition');
  checkLaunchType(input.launchType);
  const strategy = optEnum(input.schedulingStrategy, 'schedulingStrategy', ['REPLICA', 'DAEMON'] as const) ?? 'REPLICA';
  const daemon = strategy === 'DAEMON';
  let desiredCount = optInt(input.desiredCount, 'desiredCount', { min: 0, max: MAX_DESIRED });
  if (daemon && desiredCount !== undefined) fail('The daemon scheduling strategy does not support a desired count for services.');
  if (!daemon && desiredCount === undefined) fail('desiredCount must be specified for services using the REPLICA scheduling strategy.');
  desiredCount ??= 0;
  const grace = optInt(input.healthCheckGracePeriodSeconds, 'healthCheckGracePeriodSeconds', { min: 0, max: 2147483647 });
  const propagateTags = optEnum(input.propagateTags, 'propagateTags', ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const) ?? 'NONE';
  const managedTags = optBool(input.enableECSManagedTags, 'enableECSManagedTags') ?? false;
  const tagList = tags(input.tags);
  const controller = optObject(input.deploymentController, 'deploymentController');
  const ctype = optEnum(controller?.type, 'deploymentController.type', ['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const);
  if (ctype && ctype !== 'ECS') fail(`The sandbox supports the ECS (rolling update) deployment controller only; got ${ctype}.`);
  objectList(input.capacityProviderStrategy, 'capacityProviderStrategy');
  const dc = deploymentConfiguration(
    input.deploymentConfiguration,
    { maximumPercent: daemon ? 100 : 200, minimumHealthyPercent: daemon ? 0 : 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
    daemon,
  );
  const cluster = activeCluster(ctx, input.cluster);
  const td = serviceTaskDefinition(ctx, tdRef);
  checkNetworkConfiguration(td, input.networkConfiguration);
  const lbs = loadBalancers(ctx.state, input.loadBalancers, td);
  if (grace !== undefined && lbs.length === 0) {
    fail('Health check grace period is only valid for services configured to use load balancers');
  }
  const ecs = ctx.state.ecs;
  const existing = own(own(ecs.services, cluster.clusterName), name);
  if (existing && existing.status !== 'INACTIVE') fail('Creation of service was not idempotent.');

  const service: Service = {
    serviceArn: arns.service(ctx.region, ctx.accountId, cluster.clusterName, name),
    serviceName: name,
    clusterArn: cluster.clusterArn,
    status: 'ACTIVE',
    desiredCount,
    runningCount: 0,
    pendingCount: 0,
    launchType: 'EC2',
    taskDefinition: td.taskDefinitionArn,
    deploymentConfiguration: dc,
    deployments: [],
    loadBalancers: lbs,
    schedulingStrategy: strategy,
    events: [],
    createdAt: ctx.now,
    createdBy: `arn:aws:iam::${ctx.accountId}:root`,
    enableECSManagedTags: managedTags,
    propagateTags,
    eventGate: {},
  };
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  put(own(ecs.services, cluster.clusterName) ?? put(ecs.services, cluster.clusterName, {}), name, service);
  if (tagList.length) ecs.tags[service.serviceArn] = tagList;
  else delete ecs.tags[service.serviceArn];
  ctx.engine.serviceCreated(ctx.state, service);
  return { service: serviceOut(ecs, service, true) };
};

export const describeServices: Handler = (ctx, raw) => {
  const input = body(raw);
  const refs = optStringList(input.services, 'services') ?? [];
  if (refs.length === 0) fail('services must contain at least one service name or ARN.');
  if (refs.length > 10) fail('services can have at most 10 items.');
  const include = optStringList(input.include, 'include') ?? [];
  for (const i of include) if (i !== 'TAGS') fail(`Invalid value for parameter include: '${i}'. Valid values are TAGS.`);
  const cluster = activeCluster(ctx, input.cluster);
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const s = findService(ctx, cluster, ref);
    if (s) services.push(serviceOut(ctx.state.ecs, s, include.includes('TAGS')));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arns.service(ctx.region, ctx.accountId, cluster.clusterName, ref), reason: 'MISSING' });
  }
  return { services, failures };
};

export const listServices: Handler = (ctx, raw) => {
  const input = body(raw);
  const lt = optEnum(input.launchType, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  const strategy = optEnum(input.schedulingStrategy, 'schedulingStrategy', ['REPLICA', 'DAEMON'] as const);
  const cluster = activeCluster(ctx, input.cluster);
  const items = Object.values(own(ctx.state.ecs.services, cluster.clusterName) ?? {})
    .filter((s) => s.status !== 'INACTIVE' && (!lt || s.launchType === lt) && (!strategy || s.schedulingStrategy === strategy))
    .map((s) => s.serviceArn)
    .sort();
  const { page, nextToken } = paginate(items, (a) => a, input, 'ListServices', { defaultSize: 10 });
  return { serviceArns: page, nextToken };
};

function activeService(ctx: RequestContext, cluster: Cluster, ref: string): Service {
  const s = findService(ctx, cluster, ref);
  if (!s) throw serviceNotFound();
  if (s.status !== 'ACTIVE') throw serviceNotActive();
  return s;
}

export const updateService: Handler = (ctx, raw) => {
  const input = body(raw);
  const ref = reqString(input.service, 'service');
  const desiredCount = optInt(input.desiredCount, 'desiredCount', { min: 0, max: MAX_DESIRED });
  const tdRef = optString(input.taskDefinition, 'taskDefinition');
  const force = optBool(input.forceNewDeployment, 'forceNewDeployment') ?? false;
  const grace = optInt(input.healthCheckGracePeriodSeconds, 'healthCheckGracePeriodSeconds', { min: 0, max: 2147483647 });
  const propagateTags = optEnum(input.propagateTags, 'propagateTags', ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const);
  const managedTags = optBool(input.enableECSManagedTags, 'enableECSManagedTags');
  const cluster = activeCluster(ctx, input.cluster);
  const service = activeService(ctx, cluster, ref);
  const daemon = service.schedulingStrategy === 'DAEMON';
  if (daemon && desiredCount !== undefined) fail('The daemon scheduling strategy does not support a desired count for services.');
  const dc = deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration, daemon);
  const td = tdRef ? serviceTaskDefinition(ctx, tdRef) : undefined;
  const effectiveTd = td ?? findTaskDefinition(ctx, service.taskDefinition);
  if (input.networkConfiguration != null && effectiveTd) checkNetworkConfiguration(effectiveTd, input.networkConfiguration);
  let lbs: LoadBalancerRef[] | undefined;
  if (input.loadBalancers !== undefined && input.loadBalancers !== null) {
    lbs = effectiveTd ? loadBalancers(ctx.state, input.loadBalancers, effectiveTd) : fail('TaskDefinition not found.');
  } else if (td && service.loadBalancers.length) {
    // The new revision must still have the container port the load balancer sends to.
    loadBalancers(ctx.state, service.loadBalancers, td);
  }
  if (grace !== undefined && (lbs ?? service.loadBalancers).length === 0) {
    fail('Health check grace period is only valid for services configured to use load balancers');
  }

  // Everything is valid: apply.
  service.deploymentConfiguration = dc;
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  if (lbs) service.loadBalancers = lbs;
  if (propagateTags) service.propagateTags = propagateTags;
  if (managedTags !== undefined) service.enableECSManagedTags = managedTags;
  const change: { taskDefinition?: string; desiredCount?: number; forceNewDeployment?: boolean } = {};
  if (td) change.taskDefinition = td.taskDefinitionArn;
  if (desiredCount !== undefined) change.desiredCount = desiredCount;
  if (force) change.forceNewDeployment = true;
  ctx.engine.serviceUpdated(ctx.state, service, change);
  if (td) service.taskDefinition = td.taskDefinitionArn;
  if (desiredCount !== undefined) service.desiredCount = desiredCount;
  return { service: serviceOut(ctx.state.ecs, service) };
};

export const deleteService: Handler = (ctx, raw) => {
  const input = body(raw);
  const ref = reqString(input.service, 'service');
  const force = optBool(input.force, 'force') ?? false;
  const cluster = activeCluster(ctx, input.cluster);
  const service = activeService(ctx, cluster, ref);
  if (service.desiredCount > 0 && !force && service.schedulingStrategy === 'REPLICA') {
    fail('The service cannot be stopped while it is scaled above 0.');
  }
  service.desiredCount = 0;
  ctx.engine.serviceDeleted(ctx.state, service);
  if (service.status === 'ACTIVE') service.status = 'DRAINING';
  return { service: serviceOut(ctx.state.ecs, service) };
};
