/**
 * Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups (prefix or pattern, class,
 * identifiers, paging), PutRetentionPolicy / DeleteRetentionPolicy (the retention is applied on the
 * sandbox clock by the plug-in's tick: store.ts `expireGroup`).
 */
import type {
  CreateLogGroupCommandInput,
  DeleteLogGroupCommandInput,
  DeleteRetentionPolicyCommandInput,
  DescribeLogGroupsCommandInput,
  PutRetentionPolicyCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsFields as f, LOGS, paginate, validationMessage, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own, put } from '../records';
import type { RequestContext } from '../service';
import { existingLogsState, LOG_GROUP_CLASSES, logGroupArn, logsState, RETENTION_DAYS, type LogGroupClass, type LogGroupState } from './model';
import { addTags, findGroup, groupName, groupNamePattern, tagsIn } from './request';
import { expireGroup } from './store';

/** AWS keeps `aws/…` log group names for its services. */
export const RESERVED_PREFIX = 'Log groups starting with AWS/ are reserved for AWS.';

/** Creates a log group (also the awslogs driver's `awslogs-create-group`). */
export function createGroup(rs: Parameters<typeof logsState>[0], name: string, now: number, o: { logGroupClass?: LogGroupClass; kmsKeyId?: string; tags?: Record<string, string> } = {}): LogGroupState {
  const g: LogGroupState = { logGroupName: name, creationTime: now, logGroupClass: o.logGroupClass ?? 'STANDARD', tags: {}, streams: {}, seq: 0, count: 0, bytes: 0 };
  if (o.kmsKeyId !== undefined) g.kmsKeyId = o.kmsKeyId;
  if (o.tags) addTags(g, o.tags);
  return put(logsState(rs).groups, name, g);
}

export const createLogGroup: Operation<CreateLogGroupCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  const kmsKeyId = f.str(input.kmsKeyId, 'kmsKeyId', { max: 256 });
  const tags = tagsIn(input.tags, 'tags', false);
  const logGroupClass = f.oneOf(input.logGroupClass, 'logGroupClass', LOG_GROUP_CLASSES);
  if (/^aws\//i.test(name)) throw new AwsError('InvalidParameterException', RESERVED_PREFIX);
  if (input.deletionProtectionEnabled === true)
    throw new AwsError('InvalidParameterException', 'The sandbox does not serve deletion protection (deletionProtectionEnabled): create the log group without it.');
  if (own(existingLogsState(ctx.state)?.groups, name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
  createGroup(ctx.state, name, ctx.now, { logGroupClass, kmsKeyId, tags });
  return {};
};

export const deleteLogGroup: Operation<DeleteLogGroupCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  findGroup(ctx, name);
  delete logsState(ctx.state).groups[name];
  return {};
};

/** A group as DescribeLogGroups shows it (only its name, ARN and creation time when listed by pattern). */
function groupOut(ctx: RequestContext, g: LogGroupState, brief: boolean): Record<string, unknown> {
  const arn = logGroupArn(ctx.region, ctx.accountId, g.logGroupName);
  if (brief) return { logGroupName: g.logGroupName, creationTime: g.creationTime, arn: `${arn}:*` };
  return {
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: g.bytes,
    ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass,
    logGroupArn: arn,
  };
}

const byName = (a: LogGroupState, b: LogGroupState): number => (a.logGroupName < b.logGroupName ? -1 : a.logGroupName > b.logGroupName ? 1 : 0);

export const describeLogGroups: Operation<DescribeLogGroupsCommandInput> = (ctx, input) => {
  const prefix = groupName(input.logGroupNamePrefix, 'logGroupNamePrefix');
  const pattern = groupNamePattern(input.logGroupNamePattern, 'logGroupNamePattern');
  const size = f.int(input.limit, 'limit', { min: 1, max: 50 }) ?? 50;
  const cls = f.oneOf(input.logGroupClass, 'logGroupClass', LOG_GROUP_CLASSES);
  const ids = f.strings(input.logGroupIdentifiers, 'logGroupIdentifiers', { min: 1, max: 50 });
  f.strings(input.accountIdentifiers, 'accountIdentifiers', { max: 20 });
  if (prefix !== undefined && pattern !== undefined)
    throw new AwsError('InvalidParameterException', 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  if (ids && (prefix !== undefined || pattern !== undefined))
    throw new AwsError('InvalidParameterException', 'logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.');
  const names = ids?.map((id) => {
    const arn = /^arn:aws[a-z-]*:logs:([a-z0-9-]*):(\d*):log-group:(.+?)(:\*)?$/.exec(id);
    return arn ? (arn[1] === ctx.region && arn[2] === ctx.accountId ? arn[3] : undefined) : id;
  });
  const classes = cls === 'INFREQUENT_ACCESS' || cls === 'ESSENTIALS' ? ['INFREQUENT_ACCESS', 'ESSENTIALS'] : cls ? [cls] : undefined;
  const all = Object.values(existingLogsState(ctx.state)?.groups ?? {})
    .filter(
      (g) =>
        (prefix === undefined || g.logGroupName.startsWith(prefix)) &&
        (pattern === undefined || g.logGroupName.includes(pattern)) &&
        (!classes || classes.includes(g.logGroupClass)) &&
        (!names || names.includes(g.logGroupName)),
    )
    .sort(byName);
  const op = `DescribeLogGroups:${prefix ?? ''}:${pattern ?? ''}:${cls ?? ''}:${(names ?? []).join(',')}`;
  const { page, next } = paginate(all, { op, size, token: input.nextToken, key: (g) => g.logGroupName }, LOGS);
  return { logGroups: page.map((g) => groupOut(ctx, g, pattern !== undefined)), ...(next ? { nextToken: next } : {}) };
};

export const putRetentionPolicy: Operation<PutRetentionPolicyCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  const days = f.int(input.retentionInDays, 'retentionInDays', { required: true });
  if (!(RETENTION_DAYS as readonly number[]).includes(days))
    f.fail(validationMessage('retentionInDays', days, `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`));
  const g = findGroup(ctx, name);
  g.retentionInDays = days;
  expireGroup(g, ctx.now);
  return {};
};

export const deleteRetentionPolicy: Operation<DeleteRetentionPolicyCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  delete findGroup(ctx, name).retentionInDays;
  return {};
};
