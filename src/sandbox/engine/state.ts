/**
 * The sandbox's whole state: plain JSON-serialisable data, persisted by the store and mutated by
 * the API handlers and the engine. Times are simulated epoch milliseconds (see clock.ts).
 *
 * Field names follow the ECS / EC2 API where a field has an API counterpart, so handlers can
 * build responses without renaming. Fields that exist only inside the sandbox say so.
 */

export interface Tag {
  key: string;
  value: string;
}

export interface World {
  /** Bumped when the shape changes; the store refuses newer versions. */
  version: 1;
  accountId: string;
  /** Simulated time when the state was last saved (the clock resumes from here). */
  savedAt: number;
  /**
   * Credentials this sandbox accepts: the key pair (SigV4) and the admin API's bearer token
   * (`Authorization: Bearer <adminToken>` on `/_sandbox/*`; generated on load when missing).
   */
  credentials: { accessKeyId: string; secretAccessKey: string; adminToken?: string };
  regions: Record<string, RegionState>;
  /**
   * IAM, a global service: the account's roles and instance profiles (src/sandbox/iam). Absent
   * until the first change, as a fresh account has none (no `ecsInstanceRole`).
   */
  iam?: IamState;
}

// ----------------------------------------------------------------------------------------- IAM

/** IAM's resources, keyed by lower-cased name (IAM names are unique regardless of case). Members named as the IAM API names them. */
export interface IamState {
  roles: Record<string, IamRole>;
  instanceProfiles: Record<string, IamInstanceProfile>;
}

export interface IamTag {
  Key: string;
  Value: string;
}

export interface IamRole {
  RoleName: string;
  /** `AROA` + 17 characters. */
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  /** The trust policy as sent (IAM returns it URL-encoded). */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags: IamTag[];
  /** ARNs of the managed policies attached, in the order attached. */
  AttachedPolicies: string[];
  /** The service of a service-linked role (`ecs.amazonaws.com`): AWS alone may change or delete it. */
  ServiceLinked?: string;
}

export interface IamInstanceProfile {
  InstanceProfileName: string;
  /** `AIPA` + 17 characters. */
  InstanceProfileId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  Tags: IamTag[];
  /** Names of the roles it holds (at most one, as on AWS). */
  Roles: string[];
}

export interface RegionState {
  region: string;
  ecs: EcsState;
  ec2: Ec2State;
  /**
   * The state of the services beyond ECS and EC2, by service: `elbv2`, `cloudwatch`, `autoscaling`,
   * `applicationAutoscaling` (see each folder's model.ts). Each owns its key and creates it on
   * first use (service-state.ts). Older sandboxes saved it as `ext` (renamed on load).
   */
  serviceState: Record<string, unknown>;
}

// ----------------------------------------------------------------------------------------- ECS

export interface EcsState {
  /** By cluster name. */
  clusters: Record<string, Cluster>;
  /** By family; revisions in order, revision N at index N-1. */
  taskDefinitions: Record<string, TaskDefinition[]>;
  /** By cluster name, then service name. DELETED services stay INACTIVE for a while (as ECS). */
  services: Record<string, Record<string, Service>>;
  /** By task id (the last ARN segment). Stopped tasks are kept ≥ 1 simulated hour. */
  tasks: Record<string, Task>;
  /** By container instance id (the last ARN segment). */
  containerInstances: Record<string, ContainerInstance>;
  /** Tags by resource ARN. */
  tags: Record<string, Tag[]>;
  /**
   * Account settings (PutAccountSetting, PutAccountSettingDefault) by principal ARN, then setting
   * name -> value; the account's defaults are the root user's (`arn:aws:iam::<account>:root`).
   * Absent until the first one is set (every setting at AWS's default).
   */
  accountSettings?: Record<string, Record<string, string>>;
  /** Capacity providers backed by Auto Scaling groups, by name (absent until the first one). */
  capacityProviders?: Record<string, CapacityProvider>;
}

/** One item of a capacity provider strategy (RunTask, services, a cluster's default). */
export interface CapacityProviderStrategyItem {
  capacityProvider: string;
  weight: number;
  base: number;
}

export interface ManagedScaling {
  status: 'ENABLED' | 'DISABLED';
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
  instanceWarmupPeriod: number;
}

/** An Auto Scaling group capacity provider (CreateCapacityProvider). */
export interface CapacityProvider {
  capacityProviderArn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  autoScalingGroupProvider: {
    autoScalingGroupArn: string;
    managedScaling: ManagedScaling;
    managedTerminationProtection: 'ENABLED' | 'DISABLED';
    managedDraining: 'ENABLED' | 'DISABLED';
  };
  updateStatus?: 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED';
  /** Sandbox-only: the target tracking policy ECS manages on the group, per cluster name (policy ARN). */
  scalingPolicies?: Record<string, string>;
}

export interface ClusterSetting {
  name: 'containerInsights';
  value: string;
}

export interface Cluster {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'PROVISIONING' | 'DEPROVISIONING' | 'FAILED' | 'INACTIVE';
  settings: ClusterSetting[];
  capacityProviders: string[];
  /** PutClusterCapacityProviders' default strategy (absent: none). */
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  createdAt: number;
  /** `configuration` as CreateCluster / UpdateCluster set it (executeCommandConfiguration, managedStorageConfiguration). */
  configuration?: ClusterConfiguration;
}

export interface ClusterConfiguration {
  executeCommandConfiguration?: {
    kmsKeyId?: string;
    logging?: 'NONE' | 'DEFAULT' | 'OVERRIDE';
    logConfiguration?: {
      cloudWatchLogGroupName?: string;
      cloudWatchEncryptionEnabled?: boolean;
      s3BucketName?: string;
      s3EncryptionEnabled?: boolean;
      s3KeyPrefix?: string;
    };
  };
  managedStorageConfiguration?: { kmsKeyId?: string; fargateEphemeralStorageKmsKeyId?: string };
}

export interface KeyValuePair {
  name: string;
  value: string;
}

export interface PortMapping {
  containerPort: number;
  /** 0 or absent in bridge mode = dynamic (ephemeral range). */
  hostPort?: number;
  protocol: 'tcp' | 'udp';
}

export interface ContainerDefinition {
  name: string;
  image: string;
  cpu?: number;
  /** Hard limit, MiB. */
  memory?: number;
  /** Soft limit, MiB. */
  memoryReservation?: number;
  essential: boolean;
  portMappings: PortMapping[];
  environment: KeyValuePair[];
  command?: string[];
  entryPoint?: string[];
  /** Anything else the caller sent that the sandbox keeps and echoes back unchanged. */
  extra?: Record<string, unknown>;
}

export type NetworkMode = 'bridge' | 'host' | 'awsvpc' | 'none';

/** A placement constraint as the API takes it (task definitions allow memberOf only). */
export interface PlacementConstraint {
  type: 'memberOf' | 'distinctInstance';
  /** Cluster query language (memberOf). */
  expression?: string;
}

/** A placement strategy: spread (field instanceId, host or attribute:<name>), binpack (cpu, memory), random. */
export interface PlacementStrategy {
  type: 'random' | 'spread' | 'binpack';
  field?: string;
}

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  containerDefinitions: ContainerDefinition[];
  networkMode: NetworkMode;
  requiresCompatibilities: string[];
  compatibilities: string[];
  /** Task-level CPU units / memory MiB as strings, as ECS returns them. */
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  registeredAt: number;
  deregisteredAt?: number;
  registeredBy?: string;
  /** memberOf constraints every task of this definition honours (with the service's or RunTask's). */
  placementConstraints?: PlacementConstraint[];
  /** Members kept as sent and returned by DescribeTaskDefinition (volumes, pidMode, ipcMode, proxyConfiguration, runtimePlatform, …: ecs/task-definition-members.ts). */
  extra?: Record<string, unknown>;
}

export interface DeploymentCircuitBreaker {
  enable: boolean;
  rollback: boolean;
}

export interface DeploymentConfiguration {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: DeploymentCircuitBreaker;
  /** CloudWatch alarms the deployment watches (kept and returned; the sandbox does not roll back on them). */
  alarms?: { alarmNames: string[]; enable: boolean; rollback: boolean };
  /** As given (ROLLING, the only one served). */
  strategy?: 'ROLLING';
}

export interface LoadBalancerRef {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName: string;
  containerPort: number;
}

export interface Deployment {
  /** `ecs-svc/<19 digits>` */
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  launchType: 'EC2';
  /** Sandbox-only: consecutive failed task starts, for the circuit breaker. */
  consecutiveFailures: number;
  /** Sandbox-only: this deployment is a circuit-breaker rollback. */
  isRollback?: boolean;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType: 'EC2';
  taskDefinition: string;
  deploymentConfiguration: DeploymentConfiguration;
  deployments: Deployment[];
  loadBalancers: LoadBalancerRef[];
  healthCheckGracePeriodSeconds?: number;
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  /** Newest first, at most 100. */
  events: ServiceEvent[];
  createdAt: number;
  createdBy?: string;
  enableECSManagedTags: boolean;
  propagateTags: 'TASK_DEFINITION' | 'SERVICE' | 'NONE';
  /** Sandbox-only: when each rate-limited event key may be emitted again. */
  eventGate: Record<string, number>;
  /** Sandbox-only: when a DRAINING/INACTIVE service is removed. */
  deletedAt?: number;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  /** Its capacity provider strategy (given, or the cluster's default when it was created); absent: the EC2 launch type. */
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  /** Members of CreateService / UpdateService the sandbox keeps and returns as sent (networkConfiguration, serviceRegistries, …). */
  extra?: Record<string, unknown>;
}

export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export type StopCode = 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated' | 'ServiceSchedulerInitiated';

export interface NetworkBinding {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface Container {
  containerArn: string;
  name: string;
  image: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  networkBindings: NetworkBinding[];
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

export interface Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  containerInstanceArn: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  launchType: 'EC2';
  availabilityZone: string;
  containers: Container[];
  /** Reserved CPU units and memory MiB (task level if set, else the containers' sum). */
  cpu: string;
  memory: string;
  startedBy?: string;
  group: string;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  version: number;
  tags: Tag[];
  /** Sandbox-only: the EC2 instance the task runs on. */
  ec2InstanceId: string;
  /** Sandbox-only: host ports reserved on the instance (static and dynamic). */
  reservedPorts: number[];
  /** Sandbox-only: service name when started by a service deployment. */
  serviceName?: string;
  /** Sandbox-only: deployment id when started by a service. */
  deploymentId?: string;
  /** Sandbox-only: simulated time of the next lifecycle transition. */
  nextTransitionAt?: number;
  /** Sandbox-only: when the task counts as healthy for its deployment (40 s after RUNNING without an LB). */
  healthyAt?: number;
  /** Sandbox-only: real local port per host port, once the task's process listens. */
  realPorts?: Record<string, number>;
  /**
   * Sandbox-only: its container instance was deregistered with `force` while it ran. ECS no longer
   * tracks it (no service or cluster counts it; a service starts a replacement) but its process
   * keeps running until it exits or its EC2 instance is terminated.
   */
  orphaned?: boolean;
  /** The capacity provider it was launched through. */
  capacityProviderName?: string;
  /**
   * Sandbox-only: PROVISIONING until its capacity provider's group has room for it (no container
   * instance yet: `containerInstanceArn`, `ec2InstanceId` and `availabilityZone` are empty).
   */
  awaitingCapacity?: boolean;
}

export interface Resource {
  name: 'CPU' | 'MEMORY' | 'PORTS' | 'PORTS_UDP';
  type: 'INTEGER' | 'STRINGSET';
  integerValue?: number;
  stringSetValue?: string[];
}

export interface ContainerInstance {
  containerInstanceArn: string;
  ec2InstanceId: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'REGISTERING' | 'DEREGISTERING';
  agentConnected: boolean;
  /** Registered CPU units and memory MiB (the instance type's, less the agent's reservation). */
  registeredCpu: number;
  registeredMemory: number;
  availabilityZone: string;
  instanceType: string;
  registeredAt: number;
  version: number;
  /** The agent's attributes (`ecs.*`, capabilities) and the custom ones (ECS_INSTANCE_ATTRIBUTES, PutAttributes). */
  attributes: { name: string; value?: string }[];
  /** As RegisterContainerInstance sent it (absent: the sandbox agent's, see cluster-query.ts AGENT_VERSION). */
  versionInfo?: { agentVersion?: string; agentHash?: string; dockerVersion?: string };
  /** Host ports the agent keeps (RegisterContainerInstance `totalResources` PORTS / PORTS_UDP); absent: usage.ts RESERVED_PORTS, no UDP. */
  reservedTcpPorts?: number[];
  reservedUdpPorts?: number[];
  /** When it went INACTIVE (deregistered, or its EC2 instance terminated): describable for an hour after, as on ECS. */
  deregisteredAt?: number;
}

// ----------------------------------------------------------------------------------------- EC2

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  state: 'available';
  tags?: Tag[];
  /** As created (absent: `default`). */
  instanceTenancy?: 'default' | 'dedicated';
  /** ModifyVpcAttribute's settings; absent: EC2's defaults (DNS support on, hostnames on only in the default VPC, metrics off). */
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
  enableNetworkAddressUsageMetrics?: boolean;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  cidrBlock: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  availableIpAddressCount: number;
  tags?: Tag[];
}

export interface InternetGateway {
  internetGatewayId: string;
  /** The VPC it is attached to (at most one). */
  attachments: { vpcId: string }[];
  tags: Tag[];
}

/** A route to the VPC itself (`local`) or to an internet gateway; `blackhole` when that gateway is gone or detached. */
export interface Route {
  destinationCidrBlock: string;
  gatewayId: string;
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableAssociation {
  associationId: string;
  /** The VPC's main association has no subnet. */
  main: boolean;
  subnetId?: string;
}

export interface RouteTable {
  routeTableId: string;
  vpcId: string;
  routes: Route[];
  associations: RouteTableAssociation[];
  tags: Tag[];
  /** CreateRouteTable's idempotency token. */
  clientToken?: string;
}

export interface KeyPair {
  keyPairId: string;
  keyName: string;
  keyType: 'rsa' | 'ed25519';
  keyFingerprint: string;
  /** OpenSSH format (`ssh-rsa AAAA… name`). */
  publicKey: string;
  createTime: number;
  tags: Tag[];
}

export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: { cidrIp: string; description?: string }[];
  userIdGroupPairs: { groupId: string }[];
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ipPermissions: IpPermission[];
  ipPermissionsEgress: IpPermission[];
  tags: Tag[];
}

export interface LaunchTemplateVersion {
  versionNumber: number;
  createTime: number;
  versionDescription?: string;
  /** The data as sent (LaunchTemplateData), lower-camel keys: imageId, instanceType, userData (base64), securityGroupIds, iamInstanceProfile, tagSpecifications. */
  data: Record<string, unknown>;
}

export interface LaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  createTime: number;
  defaultVersionNumber: number;
  latestVersionNumber: number;
  versions: LaunchTemplateVersion[];
  tags: Tag[];
}

export interface Instance {
  instanceId: string;
  imageId: string;
  instanceType: string;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
  launchTime: number;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIpAddress: string;
  securityGroupIds: string[];
  /** Base64 as sent. */
  userData?: string;
  launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
  tags: Tag[];
  /** The RunInstances call that launched it (DescribeInstances groups by reservation) and the index within it. */
  reservationId?: string;
  amiLaunchIndex?: number;
  /** As launched: the profile's ARN and id once resolved against IAM (a name alone in states saved before IAM existed). */
  iamInstanceProfile?: { arn?: string; name?: string; id?: string };
  keyName?: string;
  /** RunInstances idempotency token. */
  clientToken?: string;
  /** Sandbox-only: when a pending instance runs / a shutting-down one is terminated. */
  nextTransitionAt?: number;
  /** Sandbox-only: the cluster its user data names (ECS_CLUSTER=...), if any. */
  ecsCluster?: string;
  /** Sandbox-only: when the ECS agent registers it (after it runs). */
  registerAt?: number;
  terminatedAt?: number;
  stateReason?: string;
}

export interface Ec2State {
  vpcs: Record<string, Vpc>;
  subnets: Record<string, Subnet>;
  securityGroups: Record<string, SecurityGroup>;
  launchTemplates: Record<string, LaunchTemplate>;
  instances: Record<string, Instance>;
  internetGateways: Record<string, InternetGateway>;
  /** Each VPC has exactly one main route table (created with the VPC). */
  routeTables: Record<string, RouteTable>;
  /** By key pair id. */
  keyPairs: Record<string, KeyPair>;
}
