/** CreateService, DescribeServices, ListServices, UpdateService, DeleteService. */
import type {
  CreateServiceCommandInput,
  DeleteServiceCommandInput,
  DeploymentConfiguration as DeploymentConfigurationInput,
  DescribeServicesCommandInput,
  ListServicesCommandInput,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { AwsError } from '../protocol/errors';
import { arns } from '../engine/ids';
import type { Cluster, DeploymentConfiguration, LoadBalancerRef, Service, TaskDefinition } from '../engine/state';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import type { RequestContext } from '../service';
import { strategyFor } from './capacity-providers';
import { checkNetworkConfiguration, loadBalancers } from './load-balancers';
import { deploymentExtras, refuseNotServed, serviceExtras } from './service-members';
import { readConstraints, readStrategy } from './placement';
import { serviceOut } from './output';
import { activeCluster, findService, findTaskDefinition, own, put } from './resolve';
import { includes, NAME_RE, pageSize, readTags } from './request';

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
    return f.fail(famOnly ? 'TaskDefinition is inactive' : 'TaskDefinition not found.');
  }
  if (td.status !== 'ACTIVE') return f.fail('TaskDefinition is inactive');
  return td;
}

/** Validates `deploymentConfiguration` over `base` (defaults 200 / 100, circuit breaker off). */
function deploymentConfiguration(dc: DeploymentConfigurationInput | undefined, base: DeploymentConfiguration, daemon: boolean): DeploymentConfiguration {
  const at = 'deploymentConfiguration';
  const maximumPercent = f.int(dc?.maximumPercent, [at, 'maximumPercent'], { min: 0 }) ?? base.maximumPercent;
  const minimumHealthyPercent = f.int(dc?.minimumHealthyPercent, [at, 'minimumHealthyPercent'], { min: 0 }) ?? base.minimumHealthyPercent;
  if (minimumHealthyPercent > 100) f.fail('deploymentConfiguration.minimumHealthyPercent must be between 0 and 100.');
  if (daemon && maximumPercent !== 100) f.fail('deploymentConfiguration.maximumPercent must be 100 for services using the DAEMON scheduling strategy.');
  if (!daemon && maximumPercent < 100) f.fail('deploymentConfiguration.maximumPercent must be greater than or equal to 100.');
  const strategy = f.oneOf(dc?.strategy, [at, 'strategy'], ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const);
  if (strategy && strategy !== 'ROLLING') f.fail(`The sandbox supports the ROLLING deployment strategy only; got ${strategy}.`);
  const cb = dc?.deploymentCircuitBreaker;
  let deploymentCircuitBreaker = { ...base.deploymentCircuitBreaker };
  if (cb) {
    const { enable, rollback } = cb;
    if (enable === undefined || rollback === undefined) {
      return f.fail('deploymentConfiguration.deploymentCircuitBreaker requires both enable and rollback.');
    }
    deploymentCircuitBreaker = { enable, rollback };
  }
  return { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker, ...deploymentExtras(dc, base) };
}

const checkLaunchType = (v: string | undefined) => {
  const lt = f.oneOf(v, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  if (lt && lt !== 'EC2') f.fail(`The sandbox runs the EC2 launch type only; launchType ${lt} is not supported.`);
};

export const createService: Operation<CreateServiceCommandInput> = (ctx, input) => {
  const name = f.str(input.serviceName, 'serviceName', { required: true });
  if (!NAME_RE.test(name)) f.fail('Service name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  const tdRef = f.str(input.taskDefinition, 'taskDefinition', { required: true });
  checkLaunchType(input.launchType);
  const strategy = f.oneOf(input.schedulingStrategy, 'schedulingStrategy', ['REPLICA', 'DAEMON'] as const) ?? 'REPLICA';
  const daemon = strategy === 'DAEMON';
  let desiredCount = f.int(input.desiredCount, 'desiredCount', { min: 0, max: MAX_DESIRED });
  if (daemon && desiredCount !== undefined) f.fail('The daemon scheduling strategy does not support a desired count for services.');
  if (!daemon && desiredCount === undefined) f.fail('desiredCount must be specified for services using the REPLICA scheduling strategy.');
  desiredCount ??= 0;
  const grace = f.int(input.healthCheckGracePeriodSeconds, 'healthCheckGracePeriodSeconds', { min: 0, max: 2147483647 });
  const propagateTags = f.oneOf(input.propagateTags, 'propagateTags', ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const) ?? 'NONE';
  const managedTags = input.enableECSManagedTags ?? false;
  const tagList = readTags(input.tags);
  const ctype = f.oneOf(input.deploymentController?.type, ['deploymentController', 'type'], ['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const);
  if (ctype && ctype !== 'ECS') f.fail(`The sandbox supports the ECS (rolling update) deployment controller only; got ${ctype}.`);
  const dc = deploymentConfiguration(
    input.deploymentConfiguration,
    { maximumPercent: daemon ? 100 : 200, minimumHealthyPercent: daemon ? 0 : 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
    daemon,
  );
  const placementConstraints = readConstraints(input.placementConstraints);
  const placementStrategy = readStrategy(input.placementStrategy);
  if (daemon && placementStrategy?.length) f.fail('The daemon scheduling strategy does not support placement strategies.');
  refuseNotServed(input);
  const extra = serviceExtras(input, ctx.accountId, true);
  const cluster = activeCluster(ctx, input.cluster);
  if (daemon && input.capacityProviderStrategy?.length) f.fail('Capacity provider strategies are not supported for services using the DAEMON scheduling strategy.');
  const capacityProviderStrategy = daemon ? undefined : strategyFor(cluster, input.launchType, input.capacityProviderStrategy);
  const td = serviceTaskDefinition(ctx, tdRef);
  checkNetworkConfiguration(td, input.networkConfiguration);
  const lbs = loadBalancers(ctx.state, input.loadBalancers, td);
  if (grace !== undefined && lbs.length === 0) {
    f.fail('Health check grace period is only valid for services configured to use load balancers');
  }
  const ecs = ctx.state.ecs;
  const existing = own(own(ecs.services, cluster.clusterName), name);
  if (existing && existing.status !== 'INACTIVE') f.fail('Creation of service was not idempotent.');

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
  if (placementConstraints?.length) service.placementConstraints = placementConstraints;
  if (placementStrategy?.length) service.placementStrategy = placementStrategy;
  if (capacityProviderStrategy) service.capacityProviderStrategy = capacityProviderStrategy;
  if (Object.keys(extra).length) service.extra = extra;
  put(own(ecs.services, cluster.clusterName) ?? put(ecs.services, cluster.clusterName, {}), name, service);
  if (tagList.length) ecs.tags[service.serviceArn] = tagList;
  else delete ecs.tags[service.serviceArn];
  ctx.engine.serviceCreated(ctx.state, service);
  return { service: serviceOut(ecs, service, true) };
};

export const describeServices: Operation<DescribeServicesCommandInput> = (ctx, input) => {
  const refs = f.strings(input.services, 'services') ?? [];
  if (refs.length === 0) f.fail('services must contain at least one service name or ARN.');
  if (refs.length > 10) f.fail('services can have at most 10 items.');
  const include = includes(input.include, ['TAGS'] as const);
  const cluster = activeCluster(ctx, input.cluster);
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const s = findService(ctx, cluster, ref);
    if (s) services.push(serviceOut(ctx.state.ecs, s, include.has('TAGS')));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arns.service(ctx.region, ctx.accountId, cluster.clusterName, ref), reason: 'MISSING' });
  }
  return { services, failures };
};

export const listServices: Operation<ListServicesCommandInput> = (ctx, input) => {
  const lt = f.oneOf(input.launchType, 'launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  const strategy = f.oneOf(input.schedulingStrategy, 'schedulingStrategy', ['REPLICA', 'DAEMON'] as const);
  const cluster = activeCluster(ctx, input.cluster);
  const items = Object.values(own(ctx.state.ecs.services, cluster.clusterName) ?? {})
    .filter((s) => s.status !== 'INACTIVE' && (!lt || (s.launchType === lt && !s.capacityProviderStrategy?.length)) && (!strategy || s.schedulingStrategy === strategy))
    .map((s) => s.serviceArn)
    .sort();
  const { page, next } = paginate(items, { op: 'ListServices', size: pageSize(input.maxResults, 10), token: input.nextToken, key: (a) => a }, ECS);
  return { serviceArns: page, nextToken: next };
};

function activeService(ctx: RequestContext, cluster: Cluster, ref: string): Service {
  const s = findService(ctx, cluster, ref);
  if (!s) throw serviceNotFound();
  if (s.status !== 'ACTIVE') throw serviceNotActive();
  return s;
}

export const updateService: Operation<UpdateServiceCommandInput> = (ctx, input) => {
  const ref = f.str(input.service, 'service', { required: true });
  const desiredCount = f.int(input.desiredCount, 'desiredCount', { min: 0, max: MAX_DESIRED });
  const tdRef = input.taskDefinition;
  const force = input.forceNewDeployment ?? false;
  const grace = f.int(input.healthCheckGracePeriodSeconds, 'healthCheckGracePeriodSeconds', { min: 0, max: 2147483647 });
  const propagateTags = f.oneOf(input.propagateTags, 'propagateTags', ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const);
  const managedTags = input.enableECSManagedTags;
  refuseNotServed(input);
  const extra = serviceExtras(input, ctx.accountId, false);
  const cluster = activeCluster(ctx, input.cluster);
  const service = activeService(ctx, cluster, ref);
  const daemon = service.schedulingStrategy === 'DAEMON';
  if (daemon && desiredCount !== undefined) f.fail('The daemon scheduling strategy does not support a desired count for services.');
  const dc = deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration, daemon);
  const placementConstraints = readConstraints(input.placementConstraints);
  const placementStrategy = readStrategy(input.placementStrategy);
  if (daemon && placementStrategy?.length) f.fail('The daemon scheduling strategy does not support placement strategies.');
  let capacityProviderStrategy: Service['capacityProviderStrategy'] | null | undefined;
  if (input.capacityProviderStrategy !== undefined) {
    if (daemon && input.capacityProviderStrategy.length) f.fail('Capacity provider strategies are not supported for services using the DAEMON scheduling strategy.');
    // An empty list goes back to the cluster's default strategy (none: the EC2 launch type).
    capacityProviderStrategy = input.capacityProviderStrategy.length ? strategyFor(cluster, undefined, input.capacityProviderStrategy) : (strategyFor(cluster, undefined, undefined) ?? null);
  }
  const td = tdRef ? serviceTaskDefinition(ctx, tdRef) : undefined;
  const effectiveTd = td ?? findTaskDefinition(ctx, service.taskDefinition);
  if (input.networkConfiguration !== undefined && effectiveTd) checkNetworkConfiguration(effectiveTd, input.networkConfiguration);
  let lbs: LoadBalancerRef[] | undefined;
  if (input.loadBalancers !== undefined) {
    lbs = effectiveTd ? loadBalancers(ctx.state, input.loadBalancers, effectiveTd) : f.fail('TaskDefinition not found.');
  } else if (td && service.loadBalancers.length) {
    // The new revision must still have the container port the load balancer sends to.
    loadBalancers(ctx.state, service.loadBalancers, td);
  }
  if (grace !== undefined && (lbs ?? service.loadBalancers).length === 0) {
    f.fail('Health check grace period is only valid for services configured to use load balancers');
  }

  // Everything is valid: apply.
  service.deploymentConfiguration = dc;
  let networkChanged = false;
  if (Object.keys(extra).length) {
    networkChanged = extra.networkConfiguration !== undefined && JSON.stringify(extra.networkConfiguration) !== JSON.stringify(service.extra?.networkConfiguration);
    service.extra = { ...service.extra, ...extra };
  }
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  if (lbs) service.loadBalancers = lbs;
  if (propagateTags) service.propagateTags = propagateTags;
  if (managedTags !== undefined) service.enableECSManagedTags = managedTags;
  // New placement rules apply through a new deployment (ECS starts new tasks with the new configuration).
  let placementChanged = false;
  if (placementConstraints !== undefined && JSON.stringify(placementConstraints) !== JSON.stringify(service.placementConstraints ?? [])) {
    service.placementConstraints = placementConstraints;
    placementChanged = true;
  }
  if (placementStrategy !== undefined && JSON.stringify(placementStrategy) !== JSON.stringify(service.placementStrategy ?? [])) {
    service.placementStrategy = placementStrategy;
    placementChanged = true;
  }
  if (capacityProviderStrategy !== undefined && JSON.stringify(capacityProviderStrategy ?? []) !== JSON.stringify(service.capacityProviderStrategy ?? [])) {
    if (capacityProviderStrategy) service.capacityProviderStrategy = capacityProviderStrategy;
    else delete service.capacityProviderStrategy;
    placementChanged = true;
  }
  const change: { taskDefinition?: string; desiredCount?: number; forceNewDeployment?: boolean } = {};
  if (td) change.taskDefinition = td.taskDefinitionArn;
  if (desiredCount !== undefined) change.desiredCount = desiredCount;
  if (force || placementChanged || networkChanged) change.forceNewDeployment = true;
  ctx.engine.serviceUpdated(ctx.state, service, change);
  if (td) service.taskDefinition = td.taskDefinitionArn;
  if (desiredCount !== undefined) service.desiredCount = desiredCount;
  return { service: serviceOut(ctx.state.ecs, service) };
};

export const deleteService: Operation<DeleteServiceCommandInput> = (ctx, input) => {
  const ref = f.str(input.service, 'service', { required: true });
  const force = input.force ?? false;
  const cluster = activeCluster(ctx, input.cluster);
  const service = activeService(ctx, cluster, ref);
  if (service.desiredCount > 0 && !force && service.schedulingStrategy === 'REPLICA') {
    f.fail('The service cannot be stopped while it is scaled above 0.');
  }
  service.desiredCount = 0;
  ctx.engine.serviceDeleted(ctx.state, service);
  if (service.status === 'ACTIVE') service.status = 'DRAINING';
  return { service: serviceOut(ctx.state.ecs, service) };
};
