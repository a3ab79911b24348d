/**
 * The shape of a saved World (state.ts), checked when the state file is loaded: a file that parses
 * but is broken inside (a region that is a number, `tasks` a string, a null task…) is refused with
 * the path of the first bad member instead of failing later with a TypeError.
 *
 * valibot: a small, tree-shaken schema library whose issues carry the member's path. Objects are
 * "loose" (unknown members are kept, as the sandbox echoes fields it does not model), and the
 * compile-time check at the bottom keeps this schema in step with the interfaces in state.ts.
 * `serviceState` members belong to the other services (ELBv2, CloudWatch, auto scaling): each must
 * be an object; CloudWatch Logs' is checked inside (logs/schema.ts), the others' are theirs to check. `upgradeSavedWorld` brings a file saved by an
 * older sandbox to this shape before it is checked.
 */
import * as v from 'valibot';
import { completeEc2Network } from '../ec2/defaults';
import { logsStateSchema } from '../logs/schema';
import type { World } from './state';

const str = v.string();
const num = v.pipe(v.number(), v.finite());
const opt = <T extends v.GenericSchema>(s: T) => v.optional(s);
const obj = <T extends v.ObjectEntries>(entries: T) => v.looseObject(entries);
const rec = <T extends v.GenericSchema>(s: T) => v.record(v.string(), s);
const list = <T extends v.GenericSchema>(s: T) => v.array(s);

const tag = obj({ key: str, value: str });
const keyValue = obj({ name: str, value: str });

const cluster = obj({
  clusterArn: str,
  clusterName: str,
  status: v.picklist(['ACTIVE', 'PROVISIONING', 'DEPROVISIONING', 'FAILED', 'INACTIVE']),
  settings: list(obj({ name: v.literal('containerInsights'), value: str })),
  capacityProviders: list(str),
  defaultCapacityProviderStrategy: opt(list(obj({ capacityProvider: str, weight: num, base: num }))),
  createdAt: num,
  configuration: opt(
    obj({
      executeCommandConfiguration: opt(
        obj({
          kmsKeyId: opt(str),
          logging: opt(v.picklist(['NONE', 'DEFAULT', 'OVERRIDE'])),
          logConfiguration: opt(
            obj({
              cloudWatchLogGroupName: opt(str),
              cloudWatchEncryptionEnabled: opt(v.boolean()),
              s3BucketName: opt(str),
              s3EncryptionEnabled: opt(v.boolean()),
              s3KeyPrefix: opt(str),
            }),
          ),
        }),
      ),
      managedStorageConfiguration: opt(obj({ kmsKeyId: opt(str), fargateEphemeralStorageKmsKeyId: opt(str) })),
    }),
  ),
});

const containerDefinition = obj({
  name: str,
  image: str,
  cpu: opt(num),
  memory: opt(num),
  memoryReservation: opt(num),
  essential: v.boolean(),
  portMappings: list(obj({ containerPort: num, hostPort: opt(num), protocol: v.picklist(['tcp', 'udp']) })),
  environment: list(keyValue),
  command: opt(list(str)),
  entryPoint: opt(list(str)),
  extra: opt(rec(v.unknown())),
});

const placementConstraint = obj({ type: v.picklist(['memberOf', 'distinctInstance']), expression: opt(str) });
const placementStrategy = obj({ type: v.picklist(['random', 'spread', 'binpack']), field: opt(str) });

const taskDefinition = obj({
  taskDefinitionArn: str,
  family: str,
  revision: num,
  status: v.picklist(['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS']),
  containerDefinitions: list(containerDefinition),
  networkMode: v.picklist(['bridge', 'host', 'awsvpc', 'none']),
  requiresCompatibilities: list(str),
  compatibilities: list(str),
  cpu: opt(str),
  memory: opt(str),
  taskRoleArn: opt(str),
  executionRoleArn: opt(str),
  registeredAt: num,
  deregisteredAt: opt(num),
  registeredBy: opt(str),
  placementConstraints: opt(list(placementConstraint)),
  extra: opt(rec(v.unknown())),
});

const deployment = obj({
  id: str,
  status: v.picklist(['PRIMARY', 'ACTIVE', 'INACTIVE']),
  taskDefinition: str,
  desiredCount: num,
  pendingCount: num,
  runningCount: num,
  failedTasks: num,
  rolloutState: v.picklist(['IN_PROGRESS', 'COMPLETED', 'FAILED']),
  rolloutStateReason: str,
  createdAt: num,
  updatedAt: num,
  launchType: v.literal('EC2'),
  consecutiveFailures: num,
  isRollback: opt(v.boolean()),
});

const service = obj({
  serviceArn: str,
  serviceName: str,
  clusterArn: str,
  status: v.picklist(['ACTIVE', 'DRAINING', 'INACTIVE']),
  desiredCount: num,
  runningCount: num,
  pendingCount: num,
  launchType: v.literal('EC2'),
  taskDefinition: str,
  deploymentConfiguration: obj({
    maximumPercent: num,
    minimumHealthyPercent: num,
    deploymentCircuitBreaker: obj({ enable: v.boolean(), rollback: v.boolean() }),
    alarms: opt(obj({ alarmNames: list(str), enable: v.boolean(), rollback: v.boolean() })),
    strategy: opt(v.literal('ROLLING')),
  }),
  deployments: list(deployment),
  loadBalancers: list(obj({ targetGroupArn: opt(str), loadBalancerName: opt(str), containerName: str, containerPort: num })),
  healthCheckGracePeriodSeconds: opt(num),
  schedulingStrategy: v.picklist(['REPLICA', 'DAEMON']),
  events: list(obj({ id: str, createdAt: num, message: str })),
  createdAt: num,
  createdBy: opt(str),
  enableECSManagedTags: v.boolean(),
  propagateTags: v.picklist(['TASK_DEFINITION', 'SERVICE', 'NONE']),
  eventGate: rec(num),
  deletedAt: opt(num),
  placementConstraints: opt(list(placementConstraint)),
  placementStrategy: opt(list(placementStrategy)),
  capacityProviderStrategy: opt(list(obj({ capacityProvider: str, weight: num, base: num }))),
  extra: opt(rec(v.unknown())),
});

const health = v.picklist(['HEALTHY', 'UNHEALTHY', 'UNKNOWN']);

const container = obj({
  containerArn: str,
  name: str,
  image: str,
  lastStatus: str,
  exitCode: opt(num),
  reason: opt(str),
  networkBindings: list(obj({ bindIP: str, containerPort: num, hostPort: num, protocol: v.picklist(['tcp', 'udp']) })),
  cpu: opt(str),
  memory: opt(str),
  memoryReservation: opt(str),
  healthStatus: health,
});

const task = obj({
  taskArn: str,
  clusterArn: str,
  taskDefinitionArn: str,
  containerInstanceArn: str,
  lastStatus: v.picklist(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']),
  desiredStatus: v.picklist(['RUNNING', 'STOPPED']),
  launchType: v.literal('EC2'),
  availabilityZone: str,
  containers: list(container),
  cpu: str,
  memory: str,
  startedBy: opt(str),
  group: str,
  createdAt: num,
  pullStartedAt: opt(num),
  pullStoppedAt: opt(num),
  startedAt: opt(num),
  stoppingAt: opt(num),
  stoppedAt: opt(num),
  executionStoppedAt: opt(num),
  stopCode: opt(v.picklist(['TaskFailedToStart', 'EssentialContainerExited', 'UserInitiated', 'ServiceSchedulerInitiated'])),
  stoppedReason: opt(str),
  healthStatus: health,
  connectivity: opt(v.picklist(['CONNECTED', 'DISCONNECTED'])),
  connectivityAt: opt(num),
  version: num,
  tags: list(tag),
  ec2InstanceId: str,
  reservedPorts: list(num),
  serviceName: opt(str),
  deploymentId: opt(str),
  nextTransitionAt: opt(num),
  healthyAt: opt(num),
  realPorts: opt(rec(num)),
  orphaned: opt(v.boolean()),
  capacityProviderName: opt(str),
  awaitingCapacity: opt(v.boolean()),
});

const containerInstance = obj({
  containerInstanceArn: str,
  ec2InstanceId: str,
  clusterName: str,
  status: v.picklist(['ACTIVE', 'DRAINING', 'INACTIVE', 'REGISTERING', 'DEREGISTERING']),
  agentConnected: v.boolean(),
  registeredCpu: num,
  registeredMemory: num,
  availabilityZone: str,
  instanceType: str,
  registeredAt: num,
  version: num,
  attributes: list(obj({ name: str, value: opt(str) })),
  versionInfo: opt(obj({ agentVersion: opt(str), agentHash: opt(str), dockerVersion: opt(str) })),
  reservedTcpPorts: opt(list(num)),
  reservedUdpPorts: opt(list(num)),
  deregisteredAt: opt(num),
});

const ecs = obj({
  clusters: rec(cluster),
  taskDefinitions: rec(list(taskDefinition)),
  services: rec(rec(service)),
  tasks: rec(task),
  containerInstances: rec(containerInstance),
  tags: rec(list(tag)),
  accountSettings: opt(rec(rec(str))),
  capacityProviders: opt(
    rec(
      obj({
        capacityProviderArn: str,
        name: str,
        status: v.picklist(['ACTIVE', 'INACTIVE']),
        autoScalingGroupProvider: obj({
          autoScalingGroupArn: str,
          managedScaling: obj({
            status: v.picklist(['ENABLED', 'DISABLED']),
            targetCapacity: num,
            minimumScalingStepSize: num,
            maximumScalingStepSize: num,
            instanceWarmupPeriod: num,
          }),
          managedTerminationProtection: v.picklist(['ENABLED', 'DISABLED']),
          managedDraining: v.picklist(['ENABLED', 'DISABLED']),
        }),
        updateStatus: opt(v.picklist(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'DELETE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_FAILED'])),
        scalingPolicies: opt(rec(str)),
      }),
    ),
  ),
});

const ipPermission = obj({
  ipProtocol: str,
  fromPort: opt(num),
  toPort: opt(num),
  ipRanges: list(obj({ cidrIp: str, description: opt(str) })),
  userIdGroupPairs: list(obj({ groupId: str })),
});

const ec2 = obj({
  vpcs: rec(
    obj({
      vpcId: str,
      cidrBlock: str,
      isDefault: v.boolean(),
      state: v.literal('available'),
      tags: opt(list(tag)),
      instanceTenancy: opt(v.picklist(['default', 'dedicated'])),
      enableDnsSupport: opt(v.boolean()),
      enableDnsHostnames: opt(v.boolean()),
      enableNetworkAddressUsageMetrics: opt(v.boolean()),
    }),
  ),
  subnets: rec(
    obj({
      subnetId: str,
      vpcId: str,
      availabilityZone: str,
      availabilityZoneId: str,
      cidrBlock: str,
      defaultForAz: v.boolean(),
      mapPublicIpOnLaunch: v.boolean(),
      availableIpAddressCount: num,
      tags: opt(list(tag)),
    }),
  ),
  securityGroups: rec(
    obj({ groupId: str, groupName: str, description: str, vpcId: str, ipPermissions: list(ipPermission), ipPermissionsEgress: list(ipPermission), tags: list(tag) }),
  ),
  launchTemplates: rec(
    obj({
      launchTemplateId: str,
      launchTemplateName: str,
      createTime: num,
      defaultVersionNumber: num,
      latestVersionNumber: num,
      versions: list(obj({ versionNumber: num, createTime: num, versionDescription: opt(str), data: rec(v.unknown()) })),
      tags: list(tag),
    }),
  ),
  instances: rec(
    obj({
      instanceId: str,
      imageId: str,
      instanceType: str,
      state: v.picklist(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']),
      launchTime: num,
      subnetId: str,
      vpcId: str,
      availabilityZone: str,
      privateIpAddress: str,
      securityGroupIds: list(str),
      userData: opt(str),
      launchTemplate: opt(obj({ launchTemplateId: str, launchTemplateName: str, version: str })),
      tags: list(tag),
      reservationId: opt(str),
      amiLaunchIndex: opt(num),
      iamInstanceProfile: opt(obj({ arn: opt(str), name: opt(str), id: opt(str) })),
      keyName: opt(str),
      clientToken: opt(str),
      nextTransitionAt: opt(num),
      ecsCluster: opt(str),
      registerAt: opt(num),
      terminatedAt: opt(num),
      stateReason: opt(str),
    }),
  ),
  internetGateways: rec(obj({ internetGatewayId: str, attachments: list(obj({ vpcId: str })), tags: list(tag) })),
  routeTables: rec(
    obj({
      routeTableId: str,
      vpcId: str,
      routes: list(obj({ destinationCidrBlock: str, gatewayId: str, origin: v.picklist(['CreateRouteTable', 'CreateRoute']) })),
      associations: list(obj({ associationId: str, main: v.boolean(), subnetId: opt(str) })),
      tags: list(tag),
      clientToken: opt(str),
    }),
  ),
  keyPairs: rec(
    obj({
      keyPairId: str,
      keyName: str,
      keyType: v.picklist(['rsa', 'ed25519']),
      keyFingerprint: str,
      publicKey: str,
      createTime: num,
      tags: list(tag),
    }),
  ),
});

const region = obj({
  region: str,
  ecs,
  ec2,
  // Each service's part must be an object; CloudWatch Logs' (which the log driver writes to) is checked inside too.
  serviceState: v.objectWithRest(
    { logs: opt(logsStateSchema) },
    v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'an object'),
  ),
});

const iamTag = obj({ Key: str, Value: str });

const iam = obj({
  roles: rec(
    obj({
      RoleName: str,
      RoleId: str,
      Arn: str,
      Path: str,
      CreateDate: num,
      AssumeRolePolicyDocument: str,
      Description: opt(str),
      MaxSessionDuration: num,
      Tags: list(iamTag),
      AttachedPolicies: list(str),
      ServiceLinked: opt(str),
    }),
  ),
  instanceProfiles: rec(obj({ InstanceProfileName: str, InstanceProfileId: str, Arn: str, Path: str, CreateDate: num, Tags: list(iamTag), Roles: list(str) })),
});

export const worldSchema = obj({
  version: v.literal(1),
  accountId: v.pipe(str, v.regex(/^\d{12}$/, 'a 12-digit account id')),
  savedAt: num,
  credentials: obj({ accessKeyId: v.pipe(str, v.minLength(1)), secretAccessKey: v.pipe(str, v.minLength(1)), adminToken: opt(v.pipe(str, v.minLength(32))) }),
  regions: rec(region),
  iam: opt(iam),
});

// Compile-time: what the schema accepts is a World (fails to build when state.ts and this drift apart).
type Accepted = v.InferOutput<typeof worldSchema>;
const _inSync: (w: Accepted) => World = (w) => w;
void _inSync;

/**
 * Brings a parsed state file saved by an older sandbox to the current shape, in place; true when it
 * changed something (the caller then saves the file again). Older sandboxes kept the state of
 * ELBv2, CloudWatch and the scaling services under each region's `ext`, now `serviceState`, and
 * kept no internet gateways, route tables or key pairs (the default network's are added).
 */
export function upgradeSavedWorld(value: unknown): boolean {
  const regions = isObject(value) ? value.regions : undefined;
  if (!isObject(regions)) return false;
  let changed = false;
  for (const [name, rs] of Object.entries(regions)) {
    if (!isObject(rs)) continue;
    if (isObject(rs.ec2) && completeEc2Network(name, rs.ec2)) changed = true;
    if (!Object.hasOwn(rs, 'ext') || Object.hasOwn(rs, 'serviceState')) continue;
    rs.serviceState = rs.ext;
    delete rs.ext;
    changed = true;
  }
  return changed;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Why `value` is not a usable World — the path of the first bad member and what was expected — or undefined. */
export function worldShapeProblem(value: unknown): string | undefined {
  const r = v.safeParse(worldSchema, value, { abortEarly: true });
  if (r.success) return undefined;
  const issue = r.issues[0];
  const where = v.getDotPath(issue) ?? '(the top level)';
  const got = issue.received;
  if (got === 'undefined') return `${where}: missing`;
  return `${where}: expected ${issue.expected ?? 'a valid value'}${got ? `, got ${got}` : ''}`;
}
