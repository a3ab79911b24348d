/**
 * Elastic Load Balancing v2 state, kept under `RegionState.serviceState.elbv2`. Plain JSON-serialisable data
 * (persisted with the rest of the world). Fields with an API counterpart use the API's PascalCase
 * name so responses are built without renaming; camelCase fields are sandbox-only.
 */
import { randomBytes } from 'node:crypto';
import type { RegionState } from '../engine/state';
import { serviceState } from '../service-state';

export interface ElbTag {
  Key: string;
  Value: string;
}

export type LoadBalancerStateCode = 'provisioning' | 'active' | 'active_impaired' | 'failed';

export interface LoadBalancer {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  /** Simulated epoch ms. */
  CreatedTime: number;
  Scheme: 'internet-facing' | 'internal';
  VpcId: string;
  State: { Code: LoadBalancerStateCode; Reason?: string };
  Type: 'application';
  AvailabilityZones: { ZoneName: string; SubnetId: string }[];
  SecurityGroups: string[];
  IpAddressType: 'ipv4' | 'dualstack';
  /** LB attributes, e.g. `idle_timeout.timeout_seconds` = '60'. */
  attributes: Record<string, string>;
  /** Sandbox-only: when a provisioning load balancer becomes active. */
  activeAt: number;
}

export interface HealthCheckSettings {
  HealthCheckProtocol: 'HTTP' | 'HTTPS';
  /** `traffic-port` or a port number as a string. */
  HealthCheckPort: string;
  HealthCheckEnabled: boolean;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  HealthCheckPath: string;
  /** `200`, `200,302`, `200-299`. */
  Matcher: { HttpCode: string };
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export type TargetReason =
  | 'Elb.RegistrationInProgress'
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Target.NotRegistered'
  | 'Target.NotInUse'
  | 'Target.DeregistrationInProgress'
  | 'Target.HealthCheckDisabled'
  | 'Target.InvalidState';

export interface RegisteredTarget {
  Id: string;
  Port: number;
  AvailabilityZone?: string;
  State: TargetState;
  Reason?: TargetReason;
  Description?: string;
  /** Sandbox-only, simulated epoch ms. */
  registeredAt: number;
  /** Consecutive successful / failed health checks in the current streak. */
  okStreak: number;
  failStreak: number;
  /** When the next health check is due (simulated ms). */
  nextCheckAt: number;
  /** The state before draining started (for routing decisions none; for display only). */
  drainingUntil?: number;
  /** Last failing status code(s) seen, for `Health checks failed with these codes: [502]`. */
  lastCodes?: number[];
  /**
   * Sandbox-only: the task behind this target died on its own; ECS deregisters the target once the
   * load balancer sees it unhealthy (until then requests to it fail with 502, as in the hands-on).
   */
  deregisterWhenUnhealthy?: boolean;
}

export interface TargetGroup extends HealthCheckSettings {
  TargetGroupArn: string;
  TargetGroupName: string;
  Protocol: 'HTTP' | 'HTTPS';
  ProtocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC';
  Port: number;
  VpcId: string;
  TargetType: 'instance' | 'ip';
  IpAddressType: 'ipv4' | 'ipv6';
  attributes: Record<string, string>;
  /** Keyed by `targetKey(Id, Port)`, in registration order. */
  targets: Record<string, RegisteredTarget>;
  CreatedTime: number;
}

export interface TargetGroupTuple {
  TargetGroupArn: string;
  Weight?: number;
}

export interface Action {
  Type: 'forward' | 'fixed-response' | 'redirect';
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups: TargetGroupTuple[]; TargetGroupStickinessConfig?: { Enabled: boolean; DurationSeconds?: number } };
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
  RedirectConfig?: { Protocol?: string; Port?: string; Host?: string; Path?: string; Query?: string; StatusCode: 'HTTP_301' | 'HTTP_302' };
}

export interface Listener {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: 'HTTP' | 'HTTPS';
  DefaultActions: Action[];
  /** The ARN DescribeRules shows for the listener's default rule. */
  defaultRuleArn: string;
  /** Sandbox-only: the real 127.0.0.1 port the proxy listens on (kept so URLs stay stable). */
  realPort?: number;
}

export interface RuleCondition {
  Field: 'path-pattern' | 'host-header' | 'http-request-method';
  Values: string[];
}

export interface Rule {
  RuleArn: string;
  ListenerArn: string;
  /** 1–50000; the default rule is not stored (it is the listener's default actions). */
  Priority: number;
  Conditions: RuleCondition[];
  Actions: Action[];
}

export interface Elbv2State {
  loadBalancers: Record<string, LoadBalancer>;
  targetGroups: Record<string, TargetGroup>;
  listeners: Record<string, Listener>;
  rules: Record<string, Rule>;
  /** Tags by resource ARN. */
  tags: Record<string, ElbTag[]>;
  /** Bumped on every change that affects routing (proxies cache routing tables by it). Sandbox-only. */
  version: number;
}

/** Sandbox-wide ELBv2 timings (simulated ms). */
export const elbv2Settings = {
  /** CreateLoadBalancer: provisioning → active after this long. */
  provisioningMs: 30_000,
  /** RegisterTargets: the first health check happens this long after registration. */
  registrationMs: 5_000,
};

/** The region's ELBv2 state, created on first use. */
export const elbv2State = (rs: RegionState): Elbv2State =>
  serviceState<Elbv2State>(rs, 'elbv2', () => ({ loadBalancers: {}, targetGroups: {}, listeners: {}, rules: {}, tags: {}, version: 0 }));

/** Marks a routing-relevant change. */
export const bump = (s: Elbv2State): void => {
  s.version++;
};

export const targetKey = (id: string, port: number): string => `${id}:${port}`;

const hex16 = (): string => randomBytes(8).toString('hex');

export const elbArns = {
  loadBalancer: (region: string, account: string, name: string) =>
    `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${name}/${hex16()}`,
  targetGroup: (region: string, account: string, name: string) =>
    `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/${hex16()}`,
  /** `…:listener/app/<lb-name>/<lb-id>/<id>` from the LB's ARN. */
  listener: (lbArn: string) => `${lbArn.replace(':loadbalancer/', ':listener/')}/${hex16()}`,
  rule: (listenerArn: string) => `${listenerArn.replace(':listener/', ':listener-rule/')}/${hex16()}`,
};

export type ArnKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'listener-rule';

/** The resource kind of an ELBv2 ARN, or undefined when it is not one. */
export function arnKind(arn: string): ArnKind | undefined {
  const m = /^arn:aws[\w-]*:elasticloadbalancing:[\w-]+:\d{12}:(loadbalancer|targetgroup|listener|listener-rule)\/.+/.exec(arn);
  return m ? (m[1] as ArnKind) : undefined;
}

/** Route 53 hosted zone ids of ALBs per region (the real ones for the common regions). */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
  'ap-northeast-2': 'ZWKZPGTI48KDX',
  'ap-northeast-3': 'Z5LXEXXYW11ES',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'ap-south-1': 'ZP97RAFLXTNZK',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-central-1': 'Z215JYRZR1TBD5',
};
export const canonicalHostedZoneId = (region: string): string => HOSTED_ZONES[region] ?? 'Z35SXDOTRQ7X7K';

/** Load balancers that have a listener forwarding to the target group (directly or through a rule). */
export function loadBalancersOfTargetGroup(s: Elbv2State, tgArn: string): string[] {
  const out = new Set<string>();
  const uses = (actions: Action[]) => actions.some((a) => actionTargetGroups(a).includes(tgArn));
  for (const l of Object.values(s.listeners)) if (uses(l.DefaultActions)) out.add(l.LoadBalancerArn);
  for (const r of Object.values(s.rules)) {
    if (uses(r.Actions)) {
      const l = s.listeners[r.ListenerArn];
      if (l) out.add(l.LoadBalancerArn);
    }
  }
  return [...out];
}

/** The target groups an action forwards to. */
export function actionTargetGroups(a: Action): string[] {
  if (a.Type !== 'forward') return [];
  if (a.ForwardConfig?.TargetGroups?.length) return a.ForwardConfig.TargetGroups.map((t) => t.TargetGroupArn);
  return a.TargetGroupArn ? [a.TargetGroupArn] : [];
}

/** Description texts DescribeTargetHealth shows, as AWS words them. */
export const REASON_TEXT: Record<TargetReason, string> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.ResponseCodeMismatch': 'Health checks failed',
  'Target.Timeout': 'Request timed out',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.HealthCheckDisabled': 'Health checks disabled',
  'Target.InvalidState': 'Target is in the stopped state',
};
