/**
 * What several CloudWatch Logs operations read the same way: names and their patterns, the log
 * group named by `logGroupName` or `logGroupIdentifier`, tags — refused in CloudWatch Logs' words
 * (`InvalidParameterException` with the AWS validation message, `ResourceNotFoundException`).
 */
import { logsFields as f, validationMessage, type Path } from '../kit';
import { AwsError } from '../protocol/errors';
import { own } from '../records';
import type { RequestContext } from '../service';
import { existingLogsState, GROUP_NOT_FOUND, STREAM_NOT_FOUND, type LogGroupState, type LogStreamState } from './model';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9]*$/;
const STREAM_NAME = /^[^:*]*$/;
const IDENTIFIER = /^[\w#+=/:,.@-]*$/;
const RESOURCE_ARN = /^[\w+=/:,.@-]*$/;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const pattern = (v: string, path: Path, re: RegExp, shown: string): string => {
  if (!re.test(v)) f.fail(validationMessage(path, v, `Member must satisfy regular expression pattern: ${shown}`));
  return v;
};

/** A log group name (or prefix): 1–512 characters of `[\.\-_/#A-Za-z0-9]`. */
export function groupName(v: string | undefined, path: Path, required: true): string;
export function groupName(v: string | undefined, path: Path, required?: false): string | undefined;
export function groupName(v: string | undefined, path: Path, required = false): string | undefined {
  const s = f.str(v, path, { required, min: 1, max: 512 });
  return s === undefined ? undefined : pattern(s, path, GROUP_NAME, '[\\.\\-_/#A-Za-z0-9]+');
}

/** `logGroupNamePattern`: 0–512 characters of `[\.\-_/#A-Za-z0-9]`. */
export const groupNamePattern = (v: string | undefined, path: Path): string | undefined => {
  const s = f.str(v, path, { max: 512 });
  return s === undefined ? undefined : pattern(s, path, GROUP_NAME_PATTERN, '[\\.\\-_/#A-Za-z0-9]*');
};

/** A log stream name (or prefix): 1–512 characters, no `:` or `*`. */
export function streamName(v: string | undefined, path: Path, required: true): string;
export function streamName(v: string | undefined, path: Path, required?: false): string | undefined;
export function streamName(v: string | undefined, path: Path, required = false): string | undefined {
  const s = f.str(v, path, { required, min: 1, max: 512 });
  return s === undefined ? undefined : pattern(s, path, STREAM_NAME, '[^:*]*');
}

/** A region's log group, or ResourceNotFoundException (a lookup leaves a region without logs as it is). */
export function findGroup(ctx: RequestContext, name: string): LogGroupState {
  const g = own(existingLogsState(ctx.state)?.groups, name);
  if (!g) throw new AwsError('ResourceNotFoundException', GROUP_NOT_FOUND);
  return g;
}

export function findStream(group: LogGroupState, name: string): LogStreamState {
  const s = own(group.streams, name);
  if (!s) throw new AwsError('ResourceNotFoundException', STREAM_NOT_FOUND);
  return s;
}

/**
 * The log group named by `logGroupName` or by `logGroupIdentifier` (its name or its ARN, which the
 * identifier's pattern allows only without the trailing `:*`): exactly one of the two.
 */
export function groupOf(ctx: RequestContext, input: { logGroupName?: string; logGroupIdentifier?: string }): LogGroupState {
  const name = groupName(input.logGroupName, 'logGroupName');
  const id = f.str(input.logGroupIdentifier, 'logGroupIdentifier', { min: 1, max: 2048 });
  if (name !== undefined && id !== undefined) throw new AwsError('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (id !== undefined) {
    pattern(id, 'logGroupIdentifier', IDENTIFIER, '[\\w#+=/:,.@-]*');
    return findGroup(ctx, groupNameOfIdentifier(ctx, id));
  }
  if (name === undefined) throw new AwsError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified.');
  return findGroup(ctx, name);
}

/** The group name a `logGroupIdentifier` names (an ARN of another account or region names none here). */
function groupNameOfIdentifier(ctx: RequestContext, id: string): string {
  const arn = /^arn:aws[a-z-]*:logs:([a-z0-9-]*):(\d*):log-group:(.+)$/.exec(id);
  if (!arn) return id;
  if (arn[1] !== ctx.region || arn[2] !== ctx.accountId) throw new AwsError('ResourceNotFoundException', GROUP_NOT_FOUND);
  return arn[3];
}

/** The group a tagging API's `resourceArn` names (a log group's ARN, without `:*`). */
export function groupOfArn(ctx: RequestContext, v: string | undefined): LogGroupState {
  const s = f.str(v, 'resourceArn', { required: true, min: 1, max: 1011 });
  pattern(s, 'resourceArn', RESOURCE_ARN, '[\\w+=/:,.@-]*');
  const arn = /^arn:aws[a-z-]*:logs:([a-z0-9-]*):(\d*):log-group:([^:]+)$/.exec(s);
  if (!arn) {
    if (/^arn:aws[a-z-]*:logs:/.test(s)) throw new AwsError('ResourceNotFoundException', 'The specified resource does not exist.');
    return f.fail(`Invalid ARN: ${s}. The sandbox serves the tags of log groups: arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:<name>`);
  }
  if (arn[1] !== ctx.region || arn[2] !== ctx.accountId) throw new AwsError('ResourceNotFoundException', 'The specified resource does not exist.');
  return findGroup(ctx, arn[3]);
}

/** Tags to add: at most 50, keys 1–128 characters (not `aws:`), values 0–256. */
export function tagsIn(v: Record<string, string> | undefined, path: string, required: boolean): Record<string, string> | undefined {
  if (v === undefined) {
    if (required) throw f.dialect.missing(path);
    return undefined;
  }
  const entries = Object.entries(v);
  if (entries.length < 1 || entries.length > 50)
    f.fail(validationMessage(path, `{${entries.map(([k, x]) => `${k}=${x}`).join(', ')}}`, `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 50'}`));
  for (const [k, x] of entries) {
    if (k.length < 1 || k.length > 128) f.fail(validationMessage(`${path}.key`, k, `Member must have length ${k.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`));
    pattern(k, `${path}.key`, TAG_KEY, '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$');
    if (x.length > 256) f.fail(validationMessage(`${path}.${k}.member`, x, 'Member must have length less than or equal to 256'));
    pattern(x, `${path}.${k}.member`, TAG_VALUE, '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$');
  }
  return v;
}

/** Tag keys to remove: 0–50 of them (`min` 1 for UntagLogGroup). */
export function tagKeysIn(v: string[] | undefined, path: string, min: number): string[] {
  const keys = f.strings(v, path, { required: true, min, max: 50 });
  keys.forEach((k, i) => {
    if (k.length < 1 || k.length > 128) f.fail(validationMessage([path, i], k, `Member must have length ${k.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`));
  });
  return keys;
}

/** Merges tags into a group's, keeping at most 50 (TooManyTagsException beyond). */
export function addTags(g: LogGroupState, tags: Record<string, string>): void {
  const merged = { ...g.tags };
  for (const [k, v] of Object.entries(tags)) Object.defineProperty(merged, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (Object.keys(merged).length > 50) throw new AwsError('TooManyTagsException', 'A resource can have no more than 50 tags.');
  g.tags = merged;
}
