/**
 * Sandbox state -> ECS API response shapes: timestamps as epoch seconds, sandbox-only fields
 * stripped, derived counts and resources filled in.
 */
import { toEpochSeconds } from '../service';
import { remaining, reservedTcp, reservedUdp, taskCounts } from '../engine/usage';
import { AGENT_VERSION } from '../engine/cluster-query';
import { providerOfInstance } from '../engine/capacity';
import type {
  Cluster,
  ContainerDefinition,
  ContainerInstance,
  EcsState,
  RegionState,
  Resource,
  Service,
  Tag,
  Task,
  TaskDefinition,
} from '../engine/state';


const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

export const tagsOf = (ecs: EcsState, arn: string): Tag[] => ecs.tags[arn] ?? [];

/** A cluster as CreateCluster / DescribeClusters return it. */
export function clusterOut(ecs: EcsState, c: Cluster, include: { settings?: boolean; tags?: boolean; statistics?: boolean; configuration?: boolean } = {}) {
  // Orphaned tasks (their instance deregistered with force) are no longer counted, as on ECS.
  const tasks = Object.values(ecs.tasks).filter((t) => t.clusterArn === c.clusterArn && !t.orphaned);
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  const pending = tasks.filter((t) => PENDING_STATES.has(t.lastStatus)).length;
  const services = Object.values(Object.prototype.hasOwnProperty.call(ecs.services, c.clusterName) ? ecs.services[c.clusterName] : {});
  const active = c.status === 'ACTIVE';
  const out: Record<string, unknown> = {
    clusterArn: c.clusterArn,
    clusterName: c.clusterName,
    status: c.status,
    registeredContainerInstancesCount: active
      ? Object.values(ecs.containerInstances).filter((ci) => ci.clusterName === c.clusterName && (ci.status === 'ACTIVE' || ci.status === 'DRAINING')).length
      : 0,
    runningTasksCount: active ? running : 0,
    pendingTasksCount: active ? pending : 0,
    activeServicesCount: active ? services.filter((s) => s.status === 'ACTIVE').length : 0,
    capacityProviders: [...c.capacityProviders],
    defaultCapacityProviderStrategy: (c.defaultCapacityProviderStrategy ?? []).map((s) => ({ ...s })),
  };
  if (include.statistics) {
    out.statistics = [
      { name: 'runningEC2TasksCount', value: String(running) },
      { name: 'runningFargateTasksCount', value: '0' },
      { name: 'pendingEC2TasksCount', value: String(pending) },
      { name: 'pendingFargateTasksCount', value: '0' },
      { name: 'activeEC2ServiceCount', value: String(services.filter((s) => s.status === 'ACTIVE').length) },
      { name: 'activeFargateServiceCount', value: '0' },
      { name: 'drainingEC2ServiceCount', value: String(services.filter((s) => s.status === 'DRAINING').length) },
      { name: 'drainingFargateServiceCount', value: '0' },
    ];
  }
  if (include.settings) out.settings = c.settings.map((s) => ({ ...s }));
  if (include.configuration && c.configuration) out.configuration = structuredClone(c.configuration);
  if (include.tags) out.tags = tagsOf(ecs, c.clusterArn).map((t) => ({ ...t }));
  return out;
}

function containerDefinitionOut(cd: ContainerDefinition) {
  const { extra, ...rest } = cd;
  return {
    ...(extra ?? {}),
    ...rest,
    portMappings: cd.portMappings.map((p) => ({ ...p })),
    environment: cd.environment.map((e) => ({ ...e })),
    mountPoints: (extra?.mountPoints as unknown[]) ?? [],
    volumesFrom: (extra?.volumesFrom as unknown[]) ?? [],
  };
}

export function taskDefinitionOut(td: TaskDefinition) {
  const out: Record<string, unknown> = {
    taskDefinitionArn: td.taskDefinitionArn,
    containerDefinitions: td.containerDefinitions.map(containerDefinitionOut),
    family: td.family,
    revision: td.revision,
    volumes: [],
    status: td.status,
    networkMode: td.networkMode,
    requiresAttributes: [],
    placementConstraints: (td.placementConstraints ?? []).map((c) => ({ ...c })),
    compatibilities: [...td.compatibilities],
    requiresCompatibilities: [...td.requiresCompatibilities],
    registeredAt: toEpochSeconds(td.registeredAt),
    registeredBy: td.registeredBy,
  };
  for (const [k, v] of Object.entries(td.extra ?? {})) out[k] = structuredClone(v);
  if (td.cpu !== undefined) out.cpu = td.cpu;
  if (td.memory !== undefined) out.memory = td.memory;
  if (td.taskRoleArn !== undefined) out.taskRoleArn = td.taskRoleArn;
  if (td.executionRoleArn !== undefined) out.executionRoleArn = td.executionRoleArn;
  if (td.deregisteredAt !== undefined) out.deregisteredAt = toEpochSeconds(td.deregisteredAt);
  return out;
}

export function serviceOut(ecs: EcsState, s: Service, includeTags = false) {
  const out: Record<string, unknown> = {
    serviceArn: s.serviceArn,
    serviceName: s.serviceName,
    clusterArn: s.clusterArn,
    loadBalancers: s.loadBalancers.map((lb) => ({ ...lb })),
    serviceRegistries: [],
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    launchType: s.launchType,
    taskDefinition: s.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { ...s.deploymentConfiguration.deploymentCircuitBreaker },
      maximumPercent: s.deploymentConfiguration.maximumPercent,
      minimumHealthyPercent: s.deploymentConfiguration.minimumHealthyPercent,
    },
    deployments: s.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount,
      pendingCount: d.pendingCount,
      runningCount: d.runningCount,
      failedTasks: d.failedTasks,
      createdAt: toEpochSeconds(d.createdAt),
      updatedAt: toEpochSeconds(d.updatedAt),
      launchType: d.launchType,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    })),
    events: s.events.map((e) => ({ id: e.id, createdAt: toEpochSeconds(e.createdAt), message: e.message })),
    createdAt: toEpochSeconds(s.createdAt),
    placementConstraints: (s.placementConstraints ?? []).map((c) => ({ ...c })),
    placementStrategy: (s.placementStrategy ?? []).map((x) => ({ ...x })),
    schedulingStrategy: s.schedulingStrategy,
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: s.enableECSManagedTags,
    propagateTags: s.propagateTags,
    enableExecuteCommand: s.extra?.enableExecuteCommand ?? false,
    availabilityZoneRebalancing: s.extra?.availabilityZoneRebalancing ?? 'DISABLED',
  };
  const dc = s.deploymentConfiguration;
  const dcOut = out.deploymentConfiguration as Record<string, unknown>;
  if (dc.alarms) dcOut.alarms = { ...dc.alarms, alarmNames: [...dc.alarms.alarmNames] };
  if (dc.strategy) dcOut.strategy = dc.strategy;
  if (s.extra?.networkConfiguration) {
    out.networkConfiguration = structuredClone(s.extra.networkConfiguration);
    for (const d of out.deployments as Record<string, unknown>[]) d.networkConfiguration = structuredClone(s.extra.networkConfiguration);
  }
  if (s.capacityProviderStrategy?.length) {
    // Through capacity providers: a strategy instead of a launch type (the service's and each deployment's).
    const cps = s.capacityProviderStrategy;
    delete out.launchType;
    out.capacityProviderStrategy = cps.map((x) => ({ ...x }));
    for (const d of out.deployments as Record<string, unknown>[]) {
      delete d.launchType;
      d.capacityProviderStrategy = cps.map((x) => ({ ...x }));
    }
  }
  if (typeof s.extra?.roleArn === 'string') out.roleArn = s.extra.roleArn;
  else if (s.loadBalancers.length) {
    // Without a role given, ECS uses its service-linked role to register targets.
    const account = s.serviceArn.split(':')[4];
    out.roleArn = `arn:aws:iam::${account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
  }
  if (s.healthCheckGracePeriodSeconds !== undefined) out.healthCheckGracePeriodSeconds = s.healthCheckGracePeriodSeconds;
  if (s.createdBy !== undefined) out.createdBy = s.createdBy;
  if (includeTags) out.tags = tagsOf(ecs, s.serviceArn).map((t) => ({ ...t }));
  return out;
}

export function taskOut(t: Task, includeTags = false) {
  const taskArn = t.taskArn;
  const out: Record<string, unknown> = {
    attachments: [],
    attributes: [],
    availabilityZone: t.availabilityZone,
    clusterArn: t.clusterArn,
    connectivity: t.connectivity,
    connectivityAt: toEpochSeconds(t.connectivityAt),
    containerInstanceArn: t.containerInstanceArn,
    containers: t.containers.map((c) => ({
      containerArn: c.containerArn,
      taskArn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      networkBindings: c.networkBindings.map((b) => ({ ...b })),
      networkInterfaces: [],
      healthStatus: c.healthStatus,
      cpu: c.cpu,
      memory: c.memory,
      memoryReservation: c.memoryReservation,
    })),
    cpu: t.cpu,
    memory: t.memory,
    createdAt: toEpochSeconds(t.createdAt),
    desiredStatus: t.desiredStatus,
    enableExecuteCommand: false,
    group: t.group,
    healthStatus: t.healthStatus,
    lastStatus: t.lastStatus,
    launchType: t.launchType,
    overrides: { containerOverrides: t.containers.map((c) => ({ name: c.name })), inferenceAcceleratorOverrides: [] },
    pullStartedAt: toEpochSeconds(t.pullStartedAt),
    pullStoppedAt: toEpochSeconds(t.pullStoppedAt),
    startedAt: toEpochSeconds(t.startedAt),
    startedBy: t.startedBy,
    stopCode: t.stopCode,
    stoppedAt: toEpochSeconds(t.stoppedAt),
    stoppedReason: t.stoppedReason,
    stoppingAt: toEpochSeconds(t.stoppingAt),
    executionStoppedAt: toEpochSeconds(t.executionStoppedAt),
    taskArn,
    taskDefinitionArn: t.taskDefinitionArn,
    version: t.version,
  };
  if (includeTags) out.tags = t.tags.map((x) => ({ ...x }));
  if (t.capacityProviderName) out.capacityProviderName = t.capacityProviderName;
  if (t.awaitingCapacity) {
    // PROVISIONING until its capacity provider has room: no container instance yet.
    delete out.containerInstanceArn;
    delete out.availabilityZone;
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  for (const c of out.containers as Record<string, unknown>[]) for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return out;
}

const resources = (cpu: number, memory: number, ports: string[], portsUdp: string[]): Resource[] => [
  { name: 'CPU', type: 'INTEGER', integerValue: cpu },
  { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
  { name: 'PORTS', type: 'STRINGSET', stringSetValue: ports },
  { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: portsUdp },
];

export { AGENT_VERSION };

/** A container instance with its remaining resources (from the engine's usage index, as placement sees them). */
export function containerInstanceOut(rs: RegionState, ci: ContainerInstance, includeTags = false) {
  const left = remaining(rs, ci);
  const counts = taskCounts(rs, ci);
  const attrs = ci.attributes.map((a) => ({ ...a }));
  const ensure = (name: string, value: string) => {
    if (!attrs.some((a) => a.name === name)) attrs.push({ name, value });
  };
  ensure('ecs.availability-zone', ci.availabilityZone);
  ensure('ecs.instance-type', ci.instanceType);
  ensure('ecs.os-type', 'linux');
  ensure('ecs.cpu-architecture', 'x86_64');
  const out: Record<string, unknown> = {
    containerInstanceArn: ci.containerInstanceArn,
    ec2InstanceId: ci.ec2InstanceId,
    version: ci.version,
    versionInfo: { ...(ci.versionInfo ?? AGENT_VERSION) },
    remainingResources: resources(Math.max(0, left.cpu), Math.max(0, left.memory), left.ports, left.portsUdp),
    registeredResources: resources(ci.registeredCpu, ci.registeredMemory, reservedTcp(ci).map(String), reservedUdp(ci).map(String)),
    status: ci.status,
    agentConnected: ci.agentConnected,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    attributes: attrs,
    registeredAt: toEpochSeconds(ci.registeredAt),
    attachments: [],
  };
  const provider = providerOfInstance(rs, ci);
  if (provider) out.capacityProviderName = provider;
  if (includeTags) out.tags = tagsOf(rs.ecs, ci.containerInstanceArn).map((t) => ({ ...t }));
  return out;
}
