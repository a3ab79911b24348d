/**
 * What the walkthrough's checks look at: a plain, SDK-free picture of the parts of an account the
 * hands-on touches. The host fills only the parts the current step needs (`SnapshotPart`); checks
 * are pure functions of it (steps.ts).
 */

export type SnapshotPart =
  | 'clusters'
  | 'containerInstances'
  | 'taskDefinitions'
  | 'loadBalancers'
  | 'services'
  | 'tasks'
  | 'serviceScaling'
  | 'autoScalingGroups'
  | 'alarms';

export interface ClusterInfo {
  name: string;
  arn: string;
  status: string;
  containerInsights: boolean;
  registeredContainerInstances: number;
}

export interface ContainerInstanceInfo {
  arn: string;
  cluster: string;
  ec2InstanceId?: string;
  status: string;
  availabilityZone?: string;
  /** Host ports reserved by running tasks (the registered ports minus remaining ones). */
  usedPorts: number[];
  runningTasks: number;
}

export interface TaskDefinitionInfo {
  family: string;
  revision: number;
  arn: string;
  status: string;
  image?: string;
  containerPort?: number;
  /** null = dynamic (no host port given). */
  hostPort: number | null;
}

export interface TargetInfo {
  id: string;
  port?: number;
  health: string;
}

export interface TargetGroupInfo {
  name: string;
  arn: string;
  loadBalancerArns: string[];
  port?: number;
  healthCheckIntervalSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  targets: TargetInfo[];
}

export interface LoadBalancerInfo {
  name: string;
  arn: string;
  state?: string;
  dnsName?: string;
  listenerPorts: number[];
  /** A URL a browser can open, ending in "/". */
  url?: string;
  /** The same listener as a plain 127.0.0.1 URL (sandbox), for the host's own requests. */
  localUrl?: string;
}

export interface DeploymentInfo {
  id: string;
  status: string; // PRIMARY | ACTIVE | INACTIVE
  taskDefinition: string; // family:revision
  desired: number;
  running: number;
  pending: number;
  rolloutState?: string;
  createdAt?: number;
}

export interface ServiceEventInfo {
  createdAt: number; // epoch ms
  message: string;
}

export interface ServiceInfo {
  name: string;
  arn: string;
  cluster: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition: string; // family:revision
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  targetGroupArns: string[];
  deployments: DeploymentInfo[];
  events: ServiceEventInfo[];
}

export interface TaskInfo {
  arn: string;
  id: string;
  cluster: string;
  /** "service:<name>" for a service's tasks. */
  group?: string;
  taskDefinition: string; // family:revision
  lastStatus: string;
  desiredStatus: string;
  containerInstanceArn?: string;
  ec2InstanceId?: string;
  hostPort?: number;
  startedAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
}

export interface ScalableTargetInfo {
  resourceId: string;
  min: number;
  max: number;
  policies: string[];
}

export interface AutoScalingGroupInfo {
  name: string;
  min: number;
  max: number;
  desired: number;
  instances: number;
  policies: string[];
}

export interface AlarmInfo {
  name: string;
  state: string; // OK | ALARM | INSUFFICIENT_DATA
  metricName?: string;
  threshold?: number;
  comparison?: string;
  dimensions: Record<string, string>;
  stateUpdatedAt?: number;
}

export interface Snapshot {
  /** Epoch ms (the connection's clock) when it was taken. */
  takenAt: number;
  parts: SnapshotPart[];
  clusters: ClusterInfo[];
  containerInstances: ContainerInstanceInfo[];
  taskDefinitions: TaskDefinitionInfo[];
  loadBalancers: LoadBalancerInfo[];
  targetGroups: TargetGroupInfo[];
  services: ServiceInfo[];
  tasks: TaskInfo[];
  scalableTargets: ScalableTargetInfo[];
  autoScalingGroups: AutoScalingGroupInfo[];
  alarms: AlarmInfo[];
}

export function emptySnapshot(takenAt = 0, parts: SnapshotPart[] = []): Snapshot {
  return {
    takenAt,
    parts,
    clusters: [],
    containerInstances: [],
    taskDefinitions: [],
    loadBalancers: [],
    targetGroups: [],
    services: [],
    tasks: [],
    scalableTargets: [],
    autoScalingGroups: [],
    alarms: [],
  };
}

/** "family:revision" of an ARN or family:revision string. */
export function familyRevision(taskDefinition: string | undefined): string {
  if (!taskDefinition) return '';
  const slash = taskDefinition.lastIndexOf('/');
  return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}

/** The resource name at the end of an ARN (or the string itself). */
export function nameOf(arnOrName: string | undefined): string {
  if (!arnOrName) return '';
  const slash = arnOrName.lastIndexOf('/');
  return slash >= 0 ? arnOrName.slice(slash + 1) : arnOrName;
}
