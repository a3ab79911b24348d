/**
 * Scheduled actions of ECS services' scalable targets: PutScheduledAction,
 * DescribeScheduledActions, DeleteScheduledAction. They run on the sandbox clock
 * (`runAppScheduledActions`, every tick) at each time of their Schedule (`at(…)`, `rate(…)`,
 * `cron(…)` in Timezone) between StartTime and EndTime: the target's MinCapacity / MaxCapacity
 * are set, and the service's desired count brought into them, as AWS does.
 */
import { randomUUID } from 'node:crypto';
import type { DeleteScheduledActionCommandInput, DescribeScheduledActionsCommandInput, PutScheduledActionCommandInput } from '@aws-sdk/client-application-auto-scaling';
import { APPLICATION_AUTO_SCALING, appScalingFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { addActivity } from '../service-state';
import { isTimeZone, nextAppRun, parseAppSchedule, type AppSchedule } from '../schedule';
import type { AlarmScope } from './alarms';
import { appScalingState, targetKey, type AppScalingState, type AppScheduledAction, type ScalableTarget } from './model';
import { namespace, notRegistered, pageSize, resource } from './request';
import { findService, setDesiredCount } from './scale';

/** AWS's limit of scheduled actions per scalable target. */
export const SCHEDULED_ACTIONS_PER_TARGET = 200;

const scheduledActionsOf = (s: AppScalingState): Record<string, AppScheduledAction> => s.scheduledActions;

const toMs = (d: Date | undefined): number | undefined => (d === undefined ? undefined : new Date(d).getTime());

/** The first run at or after the action's start (and after `now`), within its end. */
function firstRun(a: AppScheduledAction, parsed: AppSchedule, now: number): number | undefined {
  const from = Math.max(now, (a.StartTime ?? now) - 1);
  const next = nextAppRun(parsed, from, a.StartTime ?? a.CreationTime, a.Timezone);
  return next !== undefined && (a.EndTime === undefined || next <= a.EndTime) ? next : undefined;
}

const findAction = (s: AppScalingState, ns: string, resourceId: string, dim: string, name: string): AppScheduledAction | undefined =>
  Object.values(scheduledActionsOf(s)).find((a) => a.ScheduledActionName === name && a.ServiceNamespace === ns && a.ResourceId === resourceId && a.ScalableDimension === dim);

export const putScheduledAction: Operation<PutScheduledActionCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const name = f.str(input.ScheduledActionName, 'ScheduledActionName', { required: true, min: 1, max: 256 });
  if (!/^\P{Cc}+$/u.test(name)) f.fail(`Invalid ScheduledActionName: ${name}`);
  const s = appScalingState(ctx.state);
  if (!s.targets[targetKey(ns, resourceId, dimension)]) return notRegistered(ns, resourceId, dimension);
  const existing = findAction(s, ns, resourceId, dimension, name);
  const schedule = f.str(input.Schedule, 'Schedule', { min: 1, max: 1600 }) ?? existing?.Schedule;
  if (schedule === undefined) return f.fail('Schedule is required when creating a scheduled action');
  const parsed = parseAppSchedule(schedule);
  if (typeof parsed === 'string') return f.fail(parsed);
  const tz = f.str(input.Timezone, 'Timezone', { min: 1, max: 1600 }) ?? existing?.Timezone;
  if (tz !== undefined && !isTimeZone(tz)) f.fail(`Invalid Timezone: ${tz}`);
  const sta = input.ScalableTargetAction;
  const min = f.int(sta?.MinCapacity, ['ScalableTargetAction', 'MinCapacity'], { min: 0 });
  const max = f.int(sta?.MaxCapacity, ['ScalableTargetAction', 'MaxCapacity'], { min: 0 });
  const action = sta !== undefined ? { ...(min !== undefined ? { MinCapacity: min } : {}), ...(max !== undefined ? { MaxCapacity: max } : {}) } : existing?.ScalableTargetAction;
  if (!action || (action.MinCapacity === undefined && action.MaxCapacity === undefined)) f.fail('ScalableTargetAction must specify MinCapacity or MaxCapacity');
  if (action!.MinCapacity !== undefined && action!.MaxCapacity !== undefined && action!.MinCapacity > action!.MaxCapacity) {
    f.fail(`Minimum capacity ${action!.MinCapacity} cannot be greater than maximum capacity ${action!.MaxCapacity}`);
  }
  const start = toMs(input.StartTime) ?? existing?.StartTime;
  const end = toMs(input.EndTime) ?? existing?.EndTime;
  if (start !== undefined && end !== undefined && end <= start) f.fail('EndTime must be after StartTime');
  if (!existing && Object.values(scheduledActionsOf(s)).filter((a) => a.ResourceId === resourceId && a.ScalableDimension === dimension).length >= SCHEDULED_ACTIONS_PER_TARGET) {
    throw new AwsError('LimitExceededException', `You have reached the limit of ${SCHEDULED_ACTIONS_PER_TARGET} scheduled actions for resource ${resourceId}`);
  }
  const a: AppScheduledAction = {
    ScheduledActionName: name,
    ScheduledActionARN:
      existing?.ScheduledActionARN ??
      `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scheduledAction:${randomUUID()}:resource/${ns}/${resourceId}:scheduledActionName/${name}`,
    ServiceNamespace: ns,
    Schedule: schedule,
    ...(tz !== undefined ? { Timezone: tz } : {}),
    ResourceId: resourceId,
    ScalableDimension: dimension,
    ...(start !== undefined ? { StartTime: start } : {}),
    ...(end !== undefined ? { EndTime: end } : {}),
    ScalableTargetAction: action!,
    CreationTime: existing?.CreationTime ?? ctx.now,
  };
  const next = firstRun(a, parsed, ctx.now);
  if (next !== undefined) a.nextRun = next;
  scheduledActionsOf(s)[a.ScheduledActionARN] = a;
  return {};
};

const actionOut = (a: AppScheduledAction) => ({
  ScheduledActionName: a.ScheduledActionName,
  ScheduledActionARN: a.ScheduledActionARN,
  ServiceNamespace: a.ServiceNamespace,
  Schedule: a.Schedule,
  ...(a.Timezone !== undefined ? { Timezone: a.Timezone } : {}),
  ResourceId: a.ResourceId,
  ScalableDimension: a.ScalableDimension,
  ...(a.StartTime !== undefined ? { StartTime: a.StartTime / 1000 } : {}),
  ...(a.EndTime !== undefined ? { EndTime: a.EndTime / 1000 } : {}),
  ScalableTargetAction: a.ScalableTargetAction,
  CreationTime: a.CreationTime / 1000,
});

export const describeScheduledActions: Operation<DescribeScheduledActionsCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const names = input.ScheduledActionNames;
  const resourceId = input.ResourceId;
  const dim = input.ScalableDimension;
  const all = Object.values(scheduledActionsOf(appScalingState(ctx.state)))
    .filter((a) => a.ServiceNamespace === ns && (!names || names.includes(a.ScheduledActionName)) && (!resourceId || a.ResourceId === resourceId) && (!dim || a.ScalableDimension === dim))
    .sort((a, b) => a.CreationTime - b.CreationTime);
  const { page, next } = paginate(
    all,
    { op: 'DescribeScheduledActions', size: pageSize(input.MaxResults), token: input.NextToken, key: (a) => a.ScheduledActionARN },
    APPLICATION_AUTO_SCALING,
  );
  return { ScheduledActions: page.map(actionOut), ...(next ? { NextToken: next } : {}) };
};

export const deleteScheduledAction: Operation<DeleteScheduledActionCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const name = f.str(input.ScheduledActionName, 'ScheduledActionName', { required: true, min: 1, max: 256 });
  const s = appScalingState(ctx.state);
  const a = findAction(s, ns, resourceId, dimension, name);
  if (!a) {
    throw new AwsError('ObjectNotFoundException', `No scheduled action found for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}, scheduled action name: ${name}`);
  }
  delete scheduledActionsOf(s)[a.ScheduledActionARN];
  return {};
};

/** Deletes the target's scheduled actions (DeregisterScalableTarget). */
export function forgetTargetActions(s: AppScalingState, t: ScalableTarget): void {
  const all = scheduledActionsOf(s);
  for (const a of Object.values(all)) if (a.ResourceId === t.ResourceId && a.ScalableDimension === t.ScalableDimension && a.ServiceNamespace === t.ServiceNamespace) delete all[a.ScheduledActionARN];
}

/** Runs the region's due scheduled actions once each and schedules their next run. */
export function runAppScheduledActions(sc: AlarmScope): void {
  const raw = sc.rs.serviceState.applicationAutoscaling as AppScalingState | undefined;
  if (!raw) return;
  const s = appScalingState(sc.rs);
  for (const a of Object.values(scheduledActionsOf(s))) {
    if (a.nextRun === undefined || a.nextRun > sc.now) continue;
    const t = s.targets[targetKey(a.ServiceNamespace, a.ResourceId, a.ScalableDimension)];
    if (t && !t.SuspendedState.ScheduledScalingSuspended) apply(sc, s, t, a);
    const parsed = parseAppSchedule(a.Schedule);
    const next = typeof parsed === 'string' ? undefined : nextAppRun(parsed, sc.now, a.StartTime ?? a.CreationTime, a.Timezone);
    if (next !== undefined && (a.EndTime === undefined || next <= a.EndTime)) a.nextRun = next;
    else delete a.nextRun;
  }
}

function apply(sc: AlarmScope, s: AppScalingState, t: ScalableTarget, a: AppScheduledAction): void {
  const min = a.ScalableTargetAction.MinCapacity ?? t.MinCapacity;
  const max = a.ScalableTargetAction.MaxCapacity ?? t.MaxCapacity;
  const at = sc.now / 1000;
  const what = [a.ScalableTargetAction.MinCapacity !== undefined ? `min capacity to ${min}` : '', a.ScalableTargetAction.MaxCapacity !== undefined ? `max capacity to ${max}` : ''].filter(Boolean).join(' and ');
  const base = { ActivityId: randomUUID(), ServiceNamespace: t.ServiceNamespace, ResourceId: t.ResourceId, ScalableDimension: t.ScalableDimension, Description: `Setting ${what}`, Cause: `scheduled action name ${a.ScheduledActionName} was triggered`, StartTime: at, EndTime: at };
  if (min > max) {
    addActivity(s.activities, { ...base, StatusCode: 'Failed', StatusMessage: `Failed to set ${what}: the minimum capacity ${min} would exceed the maximum capacity ${max}.` });
    return;
  }
  t.MinCapacity = min;
  t.MaxCapacity = max;
  addActivity(s.activities, { ...base, StatusCode: 'Successful', StatusMessage: `Successfully set ${what}` });
  const svc = findService(sc, t.ResourceId);
  if (!svc) return;
  if (svc.desiredCount < min) setDesiredCount(sc, s, t, min, `minimum capacity was set to ${min}`);
  else if (svc.desiredCount > max) setDesiredCount(sc, s, t, max, `maximum capacity was set to ${max}`);
}
