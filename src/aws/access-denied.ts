/**
 * What an `AccessDenied` / `UnauthorizedOperation` refusal means for the user: which action on which
 * resource was refused, for whom, and which AWS managed policy usually grants it. The action and
 * resource come from the service's message where it names them (AWS: "User: arn:… is not authorized
 * to perform: ecs:CreateCluster on resource: arn:… because …"), else from the call that was refused
 * (`$operation`, set on every error by the clients' middleware, src/aws/clients.ts).
 * Imports nothing from the SDK.
 */

/** The refused call as the clients' middleware records it on the error (non-enumerable). */
export interface RefusedCall {
  /** The SDK client's service name without "Client": "ECS", "EC2", "ElasticLoadBalancingV2", … */
  service: string;
  /** "CreateCluster" */
  operation: string;
  /** The resource the call named (a cluster, service, instance id …), when its input names one. */
  resource?: string;
}

/** The IAM action prefix of each SDK client's service. */
const IAM_PREFIX: Record<string, string> = {
  ECS: 'ecs',
  EC2: 'ec2',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  ApplicationAutoScaling: 'application-autoscaling',
  AutoScaling: 'autoscaling',
  CloudWatch: 'cloudwatch',
  SSM: 'ssm',
  IAM: 'iam',
  STS: 'sts',
  CloudWatchLogs: 'logs',
};

/** The AWS managed policy that usually grants a service's actions to a person running the hands-on. */
const POLICY: Record<string, string> = {
  ecs: 'AmazonECS_FullAccess',
  'application-autoscaling': 'AmazonECS_FullAccess',
  ec2: 'AmazonEC2FullAccess',
  elasticloadbalancing: 'ElasticLoadBalancingFullAccess',
  autoscaling: 'AutoScalingFullAccess',
  cloudwatch: 'CloudWatchFullAccess',
  ssm: 'AmazonSSMReadOnlyAccess',
  iam: 'IAMFullAccess',
  // Show Logs only reads (DescribeLogStreams, GetLogEvents, FilterLogEvents).
  logs: 'CloudWatchLogsReadOnlyAccess',
};

/** Input fields naming the resource a call acts on, most specific first. */
const RESOURCE_FIELDS = [
  'task', 'tasks', 'service', 'services', 'taskDefinition', 'family', 'containerInstance', 'cluster', 'clusterName',
  'ListenerArn', 'TargetGroupArn', 'LoadBalancerArn', 'Names', 'Name', 'AutoScalingGroupName', 'PolicyName', 'ResourceId',
  'AlarmName', 'AlarmNames', 'InstanceIds', 'GroupId', 'GroupName', 'LaunchTemplateId', 'LaunchTemplateName',
  'RoleName', 'InstanceProfileName', 'serviceName', 'logGroupName', 'logGroupIdentifier',
];

/** The resource named in a call's input ("demo-service", "i-0abc, i-0def"), if any. */
export function resourceOfInput(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const o = input as Record<string, unknown>;
  for (const f of RESOURCE_FIELDS) {
    const v = o[f];
    if (typeof v === 'string' && v) return v;
    if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return (v).slice(0, 3).join(', ') + (v.length > 3 ? ', …' : '');
  }
  return undefined;
}

export interface AccessDeniedInfo {
  /** "ecs:CreateCluster" */
  action?: string;
  resource?: string;
  /** "arn:aws:iam::123456789012:user/ro" */
  principal?: string;
  /** "AmazonECS_FullAccess" */
  policy?: string;
  /** EC2's encoded authorization failure message (`aws sts decode-authorization-message`). */
  encoded?: boolean;
}

/** Reads a refusal: the service's message first, the refused call second. */
export function accessDenied(message: string, call?: RefusedCall): AccessDeniedInfo {
  const m = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)(?:\s+on resource:?\s+(\S+?))?(?=[\s.,;]|$)/i.exec(message);
  const principal = /User:?\s+(arn:[^\s]+)/.exec(message)?.[1];
  const prefix = call ? IAM_PREFIX[call.service] ?? call.service.toLowerCase() : undefined;
  const action = m?.[1] ?? (call && prefix ? `${prefix}:${call.operation}` : undefined);
  const namedResource = m?.[2] && m[2] !== '*' ? m[2] : undefined;
  const resource = namedResource ?? call?.resource;
  const service = action?.split(':')[0];
  let policy = service ? POLICY[service] : undefined;
  if (action === 'iam:PassRole') policy = undefined;
  return { action, resource, principal, policy, encoded: /Encoded authorization failure message/i.test(message) };
}
