/**
 * The contract of the extension's commands, without VS Code: every command id, the argument object
 * each one takes (so that a caller such as the walkthrough's step model is checked at compile
 * time: `CommandArgs['ecsHandson.task.stop']`), and the tree rows each one is offered on.
 *
 * Naming rule: a command of the manifest (package.json) is `ecsHandson.<area>.<verb>`; an internal
 * hook (tests, benchmarks; never in package.json) is `_ecsHandson.<area>.<what>` and listed in
 * `INTERNAL_COMMAND_IDS`. The UI registers every id from one table (src/ui/commands/index.ts) that
 * the compiler checks against `CommandArgs`; test/unit/commands/contract.test.ts checks this file
 * against package.json.
 */
import type { NodeKind } from '../tree-types';
import type { StepId } from '../walkthrough/step-ids';

// ---------------------------------------------------------------------------------- base

export type ConnectionKind = 'sandbox' | 'profile' | 'endpoint';

export interface SwitchConnectionArgs {
  kind: ConnectionKind;
  profile?: string;
  region?: string;
  endpoint?: string;
  /** The custom endpoint's credentials: its own keys (ecsHandson.endpoint.accessKeyId…) or the profile's. */
  endpointCredentials?: 'endpointKeys' | 'profile';
}

/** `ecsHandson.cli.showLast`: what to do with the last action's AWS CLI commands (default: show them). */
export interface ShowCliArgs {
  then?: 'show' | 'copy' | 'terminal';
}

// -------------------------------------------------------------------------------- create

export type Capacity = 'none' | 'instances' | 'autoScalingGroup';

/** All optional; the defaults are the hands-on's (see src/ui/commands/create/cluster.ts). */
export interface CreateClusterArgs {
  name?: string;
  containerInsights?: boolean;
  capacity?: Capacity;
  instanceType?: string;
  count?: number;
  subnetIds?: string[];
  /** How long to wait for the container instances to register (default 180). */
  waitSeconds?: number;
}

export interface RegisterTaskDefinitionArgs {
  family?: string;
  containerName?: string;
  image?: string;
  cpu?: number;
  memory?: number | null;
  memoryReservation?: number | null;
  containerPort?: number;
  hostPort?: number | null;
  environment?: Record<string, string> | string[];
  /** Log collection (default true): the awslogs driver, group /ecs/<family>, as the ECS console does. */
  logs?: boolean;
  /** Instead of the fields: a whole RegisterTaskDefinition input (JSON text or object). */
  document?: string | object;
}

export interface RegisterRevisionArgs {
  /** ARN or `family:revision` to start from. */
  taskDefinition?: string;
  /** Start from the family's latest ACTIVE revision. */
  family?: string;
  containerName?: string;
  image?: string;
  containerPort?: number;
  hostPort?: number | null;
  cpu?: number | null;
  memory?: number | null;
  memoryReservation?: number | null;
  environment?: { set?: Record<string, string>; remove?: string[] };
}

export interface CreateLoadBalancerArgs {
  name?: string;
  subnetIds?: string[];
  port?: number;
  targetPort?: number;
  healthCheckPath?: string;
  fastHealthCheck?: boolean;
  /** Cluster whose EC2 instances become targets ('' = none). */
  registerInstancesOf?: string;
}

export interface CreateServiceArgs {
  cluster?: string;
  taskDefinition?: string;
  serviceName?: string;
  desiredCount?: number;
  loadBalancer?: { targetGroupArn?: string; targetGroupName?: string; containerName?: string; containerPort?: number } | null;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  circuitBreaker?: boolean;
  healthCheckGracePeriodSeconds?: number;
}

// ------------------------------------------------------------------------------- operate

/** A service: cluster and service, each a name or an ARN. */
export interface ServiceRef {
  cluster: string;
  service: string;
}

export interface UpdateServiceArgs extends ServiceRef {
  desiredCount?: number;
  /** `family:N`, `family` or an ARN. */
  taskDefinition?: string;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  forceNewDeployment?: boolean;
}

export type DeployRevisionArgs = ServiceRef & Pick<UpdateServiceArgs, 'minimumHealthyPercent' | 'maximumPercent'> & { taskDefinition: string };
export type ScaleServiceArgs = ServiceRef & { desiredCount: number };
export type ForceNewDeploymentArgs = ServiceRef;
export type DeleteServiceArgs = ServiceRef & { wait?: boolean };

export interface StopTaskArgs {
  cluster: string;
  /** Task ARN or id. */
  task: string;
  reason?: string;
}

export interface OpenTaskArgs {
  cluster: string;
  task: string;
  /** Default `/app/`. */
  path?: string;
  /** false: only return the URL. */
  open?: boolean;
}

export interface OpenLoadBalancerArgs {
  /** Load balancer ARN. */
  loadBalancer: string;
  path?: string;
  open?: boolean;
}

export interface HealthCheckArgs {
  /** Target group ARN. */
  targetGroup: string;
  /** Timings only; the path is kept unless given. */
  preset?: 'fast' | 'default';
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  path?: string;
}

/** `ecsHandson.taskDefinition.changeImage`: a new revision that differs only in one container's image. */
export interface ChangeImageArgs {
  /** ARN or `family:revision` to start from (or a family: its latest ACTIVE revision). */
  taskDefinition: string;
  /** The new image, e.g. `uzresk/demo:ver2.0`. */
  image: string;
  /** Which container (needed when there are several). */
  containerName?: string;
}

export interface DeregisterRevisionArgs {
  /** `family:N` or an ARN. */
  taskDefinition: string;
}

export const INSPECT_KINDS = ['task', 'service', 'deployment', 'taskDefinitionRevision', 'cluster', 'containerInstance', 'loadBalancer', 'targetGroup'] as const;
export type InspectKind = (typeof INSPECT_KINDS)[number];

export interface InspectArgs {
  kind: InspectKind;
  /** The resource's ARN (a deployment: its id; a revision: also `family:N`). */
  arn: string;
  /** Tasks, services, container instances. */
  cluster?: string;
  /** A deployment: the service ARN. */
  service?: string;
  /** Default true: open it in an editor. */
  show?: boolean;
}

export interface CopyArnArgs {
  arn: string;
}

export interface OpenConsoleArgs {
  arn: string;
  open?: boolean;
}

export interface ServiceAutoScalingArgs extends ServiceRef {
  minCapacity?: number;
  maxCapacity?: number;
  mode?: 'step' | 'targetTracking';
  cpuThreshold?: number;
  scaleOutAdjustment?: number;
  scaleInAdjustment?: number;
  cooldownSeconds?: number;
}

export interface ClusterAutoScalingArgs {
  cluster: string;
  /** Default: the group holding the cluster's instances. */
  autoScalingGroup?: string;
  maxSize?: number;
  minSize?: number;
  desiredCapacity?: number;
  cpuThreshold?: number;
  scaleOutAdjustment?: number;
  scaleInAdjustment?: number;
  cooldownSeconds?: number;
}

export interface LoadTestArgs {
  /** Default: the load balancer's URL + /app/loginForm. */
  url?: string;
  amount?: number;
  durationSec?: number;
  connections?: number;
  timeoutSec?: number;
  /** Default true: resolve with the summary; false: return `{ started: true }` at once. */
  wait?: boolean;
}

export interface CleanupArgs {
  /** Only list what would be deleted. */
  dryRun?: boolean;
}

// ----------------------------------------------------------------------------------- logs

/** Show Logs: one task (optionally one container of it) or a service (all its tasks, interleaved). */
export interface ShowLogsArgs {
  cluster: string;
  task?: string;
  service?: string;
  container?: string;
  /** A CloudWatch Logs filter pattern. */
  filterPattern?: string;
  /** Only lines from then on: an ISO date-time, epoch milliseconds, or relative ("-15m", "-2h", "-1d"). */
  startTime?: string | number;
}

/** The logs editor a logs command acts on: `uri` (from Show Logs' result), else the active editor. */
export interface LogsEditorArgs {
  uri?: string;
}

export interface LogsFilterArgs extends LogsEditorArgs {
  /** The filter pattern; empty: no filter. */
  pattern?: string;
}

export interface LogsJumpArgs extends LogsEditorArgs {
  /** As `ShowLogsArgs.startTime`; empty: from the start of the streams. */
  time?: string | number;
}

export interface LogsConsoleArgs extends LogsEditorArgs {
  open?: boolean;
}

// ---------------------------------------------------------------------------------- views

export type WalkthroughOpenArgs = StepId | { step: StepId };

export interface RolloutShowArgs {
  clusterArn: string;
  serviceName: string;
}

// ------------------------------------------------------------------------------ the table

/** Every command id → its argument object (`void`: it takes none). */
export interface CommandArgs {
  'ecsHandson.refresh': void;
  'ecsHandson.showLog': void;
  'ecsHandson.sandbox.restart': void;
  'ecsHandson.sandbox.showInfo': void;
  'ecsHandson.connection.switch': SwitchConnectionArgs;
  'ecsHandson.cli.showLast': ShowCliArgs;
  'ecsHandson.loadMore': void;
  'ecsHandson.cluster.create': CreateClusterArgs;
  'ecsHandson.taskDefinition.register': RegisterTaskDefinitionArgs;
  'ecsHandson.taskDefinition.registerRevision': RegisterRevisionArgs;
  'ecsHandson.taskDefinition.changeImage': ChangeImageArgs;
  'ecsHandson.taskDefinition.deploy': DeployRevisionArgs;
  'ecsHandson.taskDefinition.deregister': DeregisterRevisionArgs;
  'ecsHandson.loadBalancer.create': CreateLoadBalancerArgs;
  'ecsHandson.loadBalancer.open': OpenLoadBalancerArgs;
  'ecsHandson.targetGroup.configureHealthCheck': HealthCheckArgs;
  'ecsHandson.service.create': CreateServiceArgs;
  'ecsHandson.service.update': UpdateServiceArgs;
  'ecsHandson.service.scale': ScaleServiceArgs;
  'ecsHandson.service.forceNewDeployment': ForceNewDeploymentArgs;
  'ecsHandson.service.delete': DeleteServiceArgs;
  'ecsHandson.task.stop': StopTaskArgs;
  'ecsHandson.task.open': OpenTaskArgs;
  'ecsHandson.inspect': InspectArgs;
  'ecsHandson.copyArn': CopyArnArgs;
  'ecsHandson.openConsole': OpenConsoleArgs;
  'ecsHandson.autoScaling.configureService': ServiceAutoScalingArgs;
  'ecsHandson.autoScaling.configureCluster': ClusterAutoScalingArgs;
  'ecsHandson.loadTest.run': LoadTestArgs;
  'ecsHandson.loadTest.stop': void;
  'ecsHandson.cleanup': CleanupArgs;
  'ecsHandson.logs.show': ShowLogsArgs;
  'ecsHandson.logs.filter': LogsFilterArgs;
  'ecsHandson.logs.jumpToTime': LogsJumpArgs;
  'ecsHandson.logs.stopFollowing': LogsEditorArgs;
  'ecsHandson.logs.resumeFollowing': LogsEditorArgs;
  'ecsHandson.logs.openConsole': LogsConsoleArgs;
  'ecsHandson.walkthrough.open': WalkthroughOpenArgs;
  'ecsHandson.rollout.show': RolloutShowArgs;
  '_ecsHandson.explorer': void;
  '_ecsHandson.rollout.status': void;
  '_ecsHandson.walkthrough.panel': void;
  '_ecsHandson.walkthrough.reset': void;
}

export type CommandId = keyof CommandArgs;

/**
 * The tree rows each command is offered on (package.json `view/item/context` menus); a command
 * invoked on a row acts on that row and never asks for another target. Every id is listed.
 */
export const COMMAND_ROWS: { readonly [K in CommandId]: readonly NodeKind[] } = {
  'ecsHandson.refresh': [],
  'ecsHandson.showLog': [],
  'ecsHandson.sandbox.restart': [],
  'ecsHandson.sandbox.showInfo': [],
  'ecsHandson.connection.switch': [],
  'ecsHandson.cli.showLast': [],
  'ecsHandson.loadMore': ['loadMore'],
  'ecsHandson.cluster.create': [],
  'ecsHandson.taskDefinition.register': [],
  'ecsHandson.taskDefinition.registerRevision': ['taskDefinitionRevision', 'taskDefinitionFamily'],
  'ecsHandson.taskDefinition.changeImage': ['taskDefinitionRevision', 'taskDefinitionFamily'],
  'ecsHandson.taskDefinition.deploy': ['taskDefinitionRevision'],
  'ecsHandson.taskDefinition.deregister': ['taskDefinitionRevision'],
  'ecsHandson.loadBalancer.create': [],
  'ecsHandson.loadBalancer.open': ['loadBalancer', 'listener'],
  'ecsHandson.targetGroup.configureHealthCheck': ['targetGroup'],
  'ecsHandson.service.create': ['cluster', 'group'],
  'ecsHandson.service.update': ['service'],
  'ecsHandson.service.scale': ['service'],
  'ecsHandson.service.forceNewDeployment': ['service'],
  'ecsHandson.service.delete': ['service'],
  'ecsHandson.task.stop': ['task'],
  'ecsHandson.task.open': ['task'],
  'ecsHandson.inspect': ['cluster', 'service', 'task', 'taskDefinitionRevision', 'containerInstance', 'loadBalancer', 'targetGroup', 'deployment'],
  'ecsHandson.copyArn': ['cluster', 'service', 'task', 'taskDefinitionRevision', 'containerInstance', 'loadBalancer', 'targetGroup', 'listener'],
  'ecsHandson.openConsole': ['cluster', 'service', 'task', 'taskDefinitionRevision', 'loadBalancer', 'targetGroup'],
  'ecsHandson.autoScaling.configureService': ['service'],
  'ecsHandson.autoScaling.configureCluster': ['cluster'],
  'ecsHandson.loadTest.run': ['loadBalancer', 'listener'],
  'ecsHandson.loadTest.stop': [],
  'ecsHandson.cleanup': [],
  'ecsHandson.logs.show': ['task', 'service'],
  'ecsHandson.logs.filter': [],
  'ecsHandson.logs.jumpToTime': [],
  'ecsHandson.logs.stopFollowing': [],
  'ecsHandson.logs.resumeFollowing': [],
  'ecsHandson.logs.openConsole': [],
  'ecsHandson.walkthrough.open': [],
  'ecsHandson.rollout.show': ['service', 'deployment', 'serviceEvent'],
  '_ecsHandson.explorer': [],
  '_ecsHandson.rollout.status': [],
  '_ecsHandson.walkthrough.panel': [],
  '_ecsHandson.walkthrough.reset': [],
};

/**
 * The commands of the explorer's title bar (package.json `view/title`). VS Code hands a title-bar
 * command the row that has the focus (the last one clicked or right-clicked); one that does not act
 * on that kind of row runs as from the palette instead of refusing it.
 */
export const VIEW_TITLE_COMMANDS: readonly CommandId[] = [
  'ecsHandson.refresh', 'ecsHandson.cluster.create', 'ecsHandson.connection.switch', 'ecsHandson.taskDefinition.register',
  'ecsHandson.loadBalancer.create', 'ecsHandson.service.create', 'ecsHandson.loadTest.run', 'ecsHandson.cleanup',
  'ecsHandson.sandbox.restart', 'ecsHandson.showLog',
];

/**
 * How VS Code invokes a context-menu or inline command whose row it no longer knows (the row was
 * being shown again after a refresh as it was clicked): the row argument is `undefined` and the
 * selection argument follows, while the palette and keybindings pass no argument at all. Such a call
 * must not fall back to a picker.
 */
export function isLostRow(args: readonly unknown[]): boolean {
  return args.length >= 2 && args[0] === undefined;
}

export const COMMAND_IDS = Object.keys(COMMAND_ROWS) as CommandId[];

/** Internal hooks for tests and benchmarks (not in package.json). */
export const INTERNAL_COMMAND_IDS = COMMAND_IDS.filter((id) => id.startsWith('_ecsHandson.'));
