/**
 * Whether a task definition needs a task execution role (issue 12: "the task execution role where
 * the task definition needs one"). Pure: Register Task Definition, Register New Revision and Change
 * Image ask this before sending a task definition that names no `executionRoleArn`; the sandbox's
 * RegisterTaskDefinition refuses what it finds, as ECS does.
 *
 * What needs one, from the ECS Developer Guide ("Amazon ECS task execution IAM role",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html):
 * - on any launch type: secrets from SSM Parameter Store / Secrets Manager (`secrets`, a log
 *   configuration's `secretOptions`), private registry authentication (`repositoryCredentials`),
 *   environment files from S3 (`environmentFiles`);
 * - on Fargate, ECS Managed Instances and external instances: Amazon ECR images and the `awslogs`
 *   log driver. On EC2 instances the container instance role (ecsInstanceRole with
 *   AmazonEC2ContainerServiceforEC2Role, which grants the ECR pulls and CloudWatch Logs writes)
 *   serves them, so an EC2-only task definition does not need an execution role for them.
 *
 * ECS refuses such a document at registration with a ClientException, e.g. "When you are
 * specifying container secrets, you must also specify a value for 'executionRoleArn'.", "Private
 * repository authentication requires that the task definition specify a value for
 * executionRoleArn.", "Fargate requires task definition to have execution role ARN to support ECR
 * images." / "… to support log driver awslogs." (the messages users report, e.g.
 * github.com/fabfuel/ecs-deploy/issues/87, github.com/sil-org/ecs-deploy/issues/188,
 * github.com/jenkinsci/amazon-ecs-plugin/pull/53, github.com/virtual-kubelet/virtual-kubelet/issues/193).
 */

/** Why a task definition needs an execution role. */
export type ExecutionRoleNeedKind = 'secrets' | 'repositoryCredentials' | 'environmentFiles' | 'ecrImage' | 'awslogs';

export interface ExecutionRoleNeed {
  kind: ExecutionRoleNeedKind;
  /** The container that needs it. */
  container: string;
  /**
   * What the role must read beyond AmazonECSTaskExecutionRolePolicy (the parameters / secrets /
   * S3 objects named), empty for ECR images and awslogs, which that managed policy covers.
   */
  resources: string[];
  /** ecrImage / awslogs: the launch type (requiresCompatibilities) that has no container instance role. */
  launchType?: string;
}

/** An Amazon ECR private repository's image (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>`). */
export const ECR_IMAGE = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

/** Launch types whose agent has no container instance role to pull ECR images or write logs with. */
const WITHOUT_INSTANCE_ROLE = new Set(['FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']);

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * What in `doc` (a RegisterTaskDefinition input) needs a task execution role; [] when nothing does
 * or when the document names one already.
 */
export function executionRoleNeeds(doc: Record<string, unknown>): ExecutionRoleNeed[] {
  if (str(doc.executionRoleArn)) return [];
  const launchType = arr(doc.requiresCompatibilities).map(str).find((c) => WITHOUT_INSTANCE_ROLE.has(c));
  const needs: ExecutionRoleNeed[] = [];
  for (const raw of arr(doc.containerDefinitions)) {
    const c = obj(raw);
    const container = str(c.name) || '?';
    const log = obj(c.logConfiguration);
    const secrets = [...arr(c.secrets), ...arr(log.secretOptions)].map((s) => str(obj(s).valueFrom)).filter(Boolean);
    if (secrets.length > 0) needs.push({ kind: 'secrets', container, resources: secrets });
    const credentials = str(obj(c.repositoryCredentials).credentialsParameter);
    if (credentials) needs.push({ kind: 'repositoryCredentials', container, resources: [credentials] });
    const files = arr(c.environmentFiles).map((f) => str(obj(f).value)).filter(Boolean);
    if (files.length > 0) needs.push({ kind: 'environmentFiles', container, resources: files });
    if (launchType && ECR_IMAGE.test(str(c.image))) needs.push({ kind: 'ecrImage', container, resources: [], launchType });
    if (launchType && str(log.logDriver) === 'awslogs') needs.push({ kind: 'awslogs', container, resources: [], launchType });
  }
  return needs;
}

/**
 * The IAM actions the execution role needs on `need.resources` beyond AmazonECSTaskExecutionRolePolicy
 * (which grants ECR pulls and CloudWatch Logs writes only). Secrets Manager ARNs need
 * secretsmanager:GetSecretValue, anything else from SSM ssm:GetParameters; S3 objects s3:GetObject.
 */
export function extraActions(need: ExecutionRoleNeed): string[] {
  if (need.kind === 'environmentFiles') return ['s3:GetObject', 's3:GetBucketLocation'];
  if (need.kind !== 'secrets' && need.kind !== 'repositoryCredentials') return [];
  const actions = new Set<string>();
  for (const r of need.resources) actions.add(/^arn:aws[a-z-]*:secretsmanager:/.test(r) ? 'secretsmanager:GetSecretValue' : need.kind === 'repositoryCredentials' ? 'secretsmanager:GetSecretValue' : 'ssm:GetParameters');
  return [...actions];
}
