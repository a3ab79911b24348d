/**
 * The log configuration a new task definition gets by default, as the ECS console gives it ("Log
 * collection: Amazon CloudWatch", on by default): the `awslogs` driver, group `/ecs/<family>`,
 * stream prefix `ecs` (streams `ecs/<container>/<task id>`), `awslogs-create-group` true, the
 * connection's region. Pure: Register Task Definition (form, JSON template) and its tests use it.
 *
 * Why the group is also created at registration (`awslogsGroups` says which): with
 * `awslogs-create-group` the group is created when the first task starts — by the container
 * instance role on EC2 (ecsInstanceRole: AmazonEC2ContainerServiceforEC2Role) or the task execution
 * role (AmazonECSTaskExecutionRolePolicy). Neither managed policy grants `logs:CreateLogGroup`
 * (only CreateLogStream and PutLogEvents), so on real AWS the task would stop with
 * "ResourceInitializationError: failed to validate logger args: … failed to create Cloudwatch log
 * group: AccessDeniedException … logs:CreateLogGroup". Docker's awslogs driver creates the stream
 * first and the group only when the stream's group is missing, so an existing group needs no such
 * permission. The console's former "Auto-configure CloudWatch Logs" created the group when it
 * registered the task definition; so does the extension, with the user's own credentials.
 */

/** The console's default log group of a family. */
export const defaultLogGroup = (family: string): string => `/ecs/${family}`;

/** The console's default `logConfiguration` of a container of `family` in `region`. */
export function defaultLogConfiguration(family: string, region: string): { logDriver: 'awslogs'; options: Record<string, string> } {
  return {
    logDriver: 'awslogs',
    options: {
      'awslogs-group': defaultLogGroup(family),
      'awslogs-create-group': 'true',
      'awslogs-region': region,
      'awslogs-stream-prefix': 'ecs',
    },
  };
}

/** A log group the awslogs driver of a task definition writes to. */
export interface AwslogsGroup {
  group: string;
  /** `awslogs-region`, or undefined: the region the task runs in (the connection's). */
  region?: string;
  /** The containers that write to it. */
  containers: string[];
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The log groups of a RegisterTaskDefinition input's awslogs containers, each once (by region and name). */
export function awslogsGroups(doc: Record<string, unknown>): AwslogsGroup[] {
  const out = new Map<string, AwslogsGroup>();
  for (const raw of Array.isArray(doc.containerDefinitions) ? doc.containerDefinitions : []) {
    const c = obj(raw);
    const lc = obj(c.logConfiguration);
    if (lc.logDriver !== 'awslogs') continue;
    const o = obj(lc.options);
    const group = typeof o['awslogs-group'] === 'string' ? o['awslogs-group'] : '';
    if (!group) continue;
    const region = typeof o['awslogs-region'] === 'string' && o['awslogs-region'] ? o['awslogs-region'] : undefined;
    const key = `${region ?? ''}\n${group}`;
    const entry = out.get(key) ?? { group, ...(region ? { region } : {}), containers: [] };
    entry.containers.push(typeof c.name === 'string' ? c.name : '?');
    out.set(key, entry);
  }
  return [...out.values()];
}
