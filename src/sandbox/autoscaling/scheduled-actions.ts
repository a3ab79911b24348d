/**
 * Scheduled actions: PutScheduledUpdateGroupAction, BatchPutScheduledUpdateGroupAction,
 * DescribeScheduledActions, DeleteScheduledAction, BatchDeleteScheduledAction. They run on the
 * sandbox clock (`runScheduledActions`, every tick): at StartTime, or at each occurrence of the
 * Recurrence (Unix cron in TimeZone) from StartTime until EndTime, setting the group's min / max /
 * desired capacity with AWS's activity cause. A one-time action is gone once it ran.
 */
import { randomUUID } from 'node:crypto';
import type {
  BatchDeleteScheduledActionCommandInput,
  BatchPutScheduledUpdateGroupActionCommandInput,
  DeleteScheduledActionCommandInput,
  DescribeScheduledActionsCommandInput,
  PutScheduledUpdateGroupActionCommandInput,
  ScheduledUpdateGroupActionRequest,
} from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING, autoScalingFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { xmlDate, type RequestContext } from '../service';
import { isTimeZone, isUnixCron, nextUnixCron } from '../schedule';
import { changeDesired } from './execute';
import { group, pageSize } from './groups';
import { autoScalingState, type AutoScalingGroup, type AutoScalingState, type ScheduledAction } from './model';

/** AWS's limit of scheduled actions per group. */
export const SCHEDULED_ACTIONS_PER_GROUP = 125;

const findAction = (s: AutoScalingState, groupName: string, name: string): ScheduledAction | undefined =>
  Object.values(s.scheduledActions).find((a) => a.AutoScalingGroupName === groupName && a.ScheduledActionName === name);

const toMs = (d: Date | undefined): number | undefined => (d === undefined ? undefined : new Date(d).getTime());

/** Validates and stores one action (creates or replaces). Throws AWS's error. */
function putAction(ctx: RequestContext, g: AutoScalingGroup, input: ScheduledUpdateGroupActionRequest & { Time?: Date }): void {
  const name = f.str(input.ScheduledActionName, 'ScheduledActionName', { required: true, min: 1, max: 255 });
  const min = f.int(input.MinSize, 'MinSize', { min: 0 });
  const max = f.int(input.MaxSize, 'MaxSize', { min: 0 });
  const desired = f.int(input.DesiredCapacity, 'DesiredCapacity', { min: 0 });
  if (min === undefined && max === undefined && desired === undefined) f.fail('At least one of MinSize, MaxSize or DesiredCapacity must be specified.');
  if (min !== undefined && max !== undefined && max < min) f.fail(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired !== undefined && ((min !== undefined && desired < min) || (max !== undefined && desired > max))) {
    f.fail(`Desired capacity:${desired} must be between the specified min size:${min ?? 0} and max size:${max ?? desired}`);
  }
  const tz = f.str(input.TimeZone, 'TimeZone', { min: 1, max: 255 });
  if (tz !== undefined && !isTimeZone(tz)) f.fail(`Invalid time zone: ${tz}. Use an IANA time zone name such as Etc/GMT+9 or Asia/Tokyo.`);
  const recurrence = f.str(input.Recurrence, 'Recurrence', { min: 1, max: 255 });
  if (recurrence !== undefined && !isUnixCron(recurrence)) f.fail(`Given recurrence string is not a valid Unix cron expression: ${recurrence}`);
  const time = toMs(input.Time);
  let start = toMs(input.StartTime);
  if (time !== undefined && start !== undefined && time !== start) f.fail('Time and StartTime must be the same when both are specified.');
  start ??= time;
  const end = toMs(input.EndTime);
  if (start === undefined && recurrence === undefined) f.fail('Either StartTime (Time) or Recurrence must be specified.');
  if (start !== undefined && start < ctx.now) f.fail('Given start time is in the past');
  if (end !== undefined && end <= (start ?? ctx.now)) f.fail('Given end time is before the start time');
  if (end !== undefined && recurrence === undefined) f.fail('EndTime can only be specified with Recurrence.');
  // With both, AWS runs the action at StartTime and then on the recurrence.
  const first = start ?? nextUnixCron(recurrence!, ctx.now, tz);
  if (first === undefined) f.fail(`Given recurrence string never occurs: ${recurrence}`);
  const s = autoScalingState(ctx.state);
  const existing = findAction(s, g.AutoScalingGroupName, name);
  if (!existing && Object.values(s.scheduledActions).filter((a) => a.AutoScalingGroupName === g.AutoScalingGroupName).length >= SCHEDULED_ACTIONS_PER_GROUP) {
    throw new AwsError('LimitExceeded', `Scheduled action limit of ${SCHEDULED_ACTIONS_PER_GROUP} per Auto Scaling group reached.`);
  }
  const arn =
    existing?.ScheduledActionARN ??
    `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scheduledUpdateGroupAction:${randomUUID()}:autoScalingGroupName/${g.AutoScalingGroupName}:scheduledActionName/${name}`;
  s.scheduledActions[arn] = {
    AutoScalingGroupName: g.AutoScalingGroupName,
    ScheduledActionName: name,
    ScheduledActionARN: arn,
    StartTime: first!,
    ...(end !== undefined ? { EndTime: end } : {}),
    ...(recurrence !== undefined ? { Recurrence: recurrence } : {}),
    ...(min !== undefined ? { MinSize: min } : {}),
    ...(max !== undefined ? { MaxSize: max } : {}),
    ...(desired !== undefined ? { DesiredCapacity: desired } : {}),
    ...(tz !== undefined ? { TimeZone: tz } : {}),
  };
}

const groupName = (v: string | undefined): string => f.str(v, 'AutoScalingGroupName', { required: true, min: 1, max: 255 });

export const putScheduledUpdateGroupAction: Operation<PutScheduledUpdateGroupActionCommandInput> = (ctx, input) => {
  putAction(ctx, group(ctx, groupName(input.AutoScalingGroupName)), input);
  return {};
};

export const batchPutScheduledUpdateGroupAction: Operation<BatchPutScheduledUpdateGroupActionCommandInput> = (ctx, input) => {
  const g = group(ctx, groupName(input.AutoScalingGroupName));
  const actions = input.ScheduledUpdateGroupActions ?? [];
  if (actions.length === 0) f.fail('ScheduledUpdateGroupActions must contain at least one action.');
  if (actions.length > 50) f.fail(`1 validation error detected: Value at 'scheduledUpdateGroupActions' failed to satisfy constraint: Member must have length less than or equal to 50`);
  const failed: { ScheduledActionName: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const a of actions) {
    try {
      putAction(ctx, g, a);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      failed.push({ ScheduledActionName: a.ScheduledActionName ?? '', ErrorCode: e.code, ErrorMessage: e.message });
    }
  }
  return { FailedScheduledUpdateGroupActions: failed };
};

const actionOut = (a: ScheduledAction) => ({
  AutoScalingGroupName: a.AutoScalingGroupName,
  ScheduledActionName: a.ScheduledActionName,
  ScheduledActionARN: a.ScheduledActionARN,
  Time: xmlDate(a.StartTime),
  StartTime: xmlDate(a.StartTime),
  ...(a.EndTime !== undefined ? { EndTime: xmlDate(a.EndTime) } : {}),
  ...(a.Recurrence !== undefined ? { Recurrence: a.Recurrence } : {}),
  ...(a.MinSize !== undefined ? { MinSize: a.MinSize } : {}),
  ...(a.MaxSize !== undefined ? { MaxSize: a.MaxSize } : {}),
  ...(a.DesiredCapacity !== undefined ? { DesiredCapacity: a.DesiredCapacity } : {}),
  ...(a.TimeZone !== undefined ? { TimeZone: a.TimeZone } : {}),
});

export const describeScheduledActions: Operation<DescribeScheduledActionsCommandInput> = (ctx, input) => {
  const gName = input.AutoScalingGroupName;
  if (gName !== undefined) group(ctx, gName);
  const names = input.ScheduledActionNames ?? [];
  const from = toMs(input.StartTime);
  const to = toMs(input.EndTime);
  const all = Object.values(autoScalingState(ctx.state).scheduledActions)
    .filter((a) => (gName === undefined || a.AutoScalingGroupName === gName) && (!names.length || names.includes(a.ScheduledActionName)))
    .filter((a) => (from === undefined || a.StartTime >= from) && (to === undefined || a.StartTime <= to))
    .sort((a, b) => a.StartTime - b.StartTime || (a.ScheduledActionARN < b.ScheduledActionARN ? -1 : 1));
  const { page, next } = paginate(
    all,
    { op: 'DescribeScheduledActions', size: pageSize(input.MaxRecords, 100), token: input.NextToken, key: (a) => a.ScheduledActionARN },
    AUTO_SCALING,
  );
  return { ScheduledUpdateGroupActions: page.map(actionOut), ...(next ? { NextToken: next } : {}) };
};

const notFound = (name: string): string => `Scheduled Update Group Action name not found - Could not find scheduled update group action: ${name}`;

export const deleteScheduledAction: Operation<DeleteScheduledActionCommandInput> = (ctx, input) => {
  const g = group(ctx, groupName(input.AutoScalingGroupName));
  const name = f.str(input.ScheduledActionName, 'ScheduledActionName', { required: true, min: 1, max: 255 });
  const s = autoScalingState(ctx.state);
  const a = findAction(s, g.AutoScalingGroupName, name);
  if (!a) f.fail(notFound(name));
  delete s.scheduledActions[a!.ScheduledActionARN];
  return {};
};

export const batchDeleteScheduledAction: Operation<BatchDeleteScheduledActionCommandInput> = (ctx, input) => {
  const g = group(ctx, groupName(input.AutoScalingGroupName));
  const names = input.ScheduledActionNames ?? [];
  if (names.length === 0) f.fail('ScheduledActionNames must contain at least one name.');
  if (names.length > 50) f.fail(`1 validation error detected: Value at 'scheduledActionNames' failed to satisfy constraint: Member must have length less than or equal to 50`);
  const s = autoScalingState(ctx.state);
  const failed: { ScheduledActionName: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const name of names) {
    const a = findAction(s, g.AutoScalingGroupName, name);
    if (a) delete s.scheduledActions[a.ScheduledActionARN];
    else failed.push({ ScheduledActionName: name, ErrorCode: 'ValidationError', ErrorMessage: notFound(name) });
  }
  return { FailedScheduledActions: failed };
};

/** Runs the region's due actions (once each, however far the clock moved) and schedules their next run. */
export function runScheduledActions(s: AutoScalingState, now: number): void {
  for (const a of Object.values(s.scheduledActions).sort((x, y) => x.StartTime - y.StartTime)) {
    if (a.StartTime > now) continue;
    const g = s.groups[a.AutoScalingGroupName];
    if (g && !g.Status && (a.EndTime === undefined || a.StartTime <= a.EndTime)) apply(g, a, now);
    const next = a.Recurrence !== undefined ? nextUnixCron(a.Recurrence, Math.max(now, a.StartTime), a.TimeZone) : undefined;
    if (next === undefined || (a.EndTime !== undefined && next > a.EndTime) || !g) delete s.scheduledActions[a.ScheduledActionARN];
    else a.StartTime = next;
  }
}

function apply(g: AutoScalingGroup, a: ScheduledAction, now: number): void {
  const min = a.MinSize ?? g.MinSize;
  const max = a.MaxSize ?? g.MaxSize;
  if (max < min) return;
  g.MinSize = min;
  g.MaxSize = max;
  const desired = Math.min(max, Math.max(min, a.DesiredCapacity ?? g.DesiredCapacity));
  if (desired !== g.DesiredCapacity) {
    changeDesired(g, now, desired, `a scheduled action update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired}`);
  }
}
