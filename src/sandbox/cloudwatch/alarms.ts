/**
 * Metric alarm evaluation on the sandbox clock, state changes, history and actions.
 *
 * Every minute boundary (and at the first tick after an alarm is created or changed), each alarm
 * looks at its last `EvaluationPeriods` complete periods of `Period` seconds and takes its statistic
 * over each. `DatapointsToAlarm` (default = EvaluationPeriods) breaching ones → ALARM. Otherwise OK,
 * except: with TreatMissingData `missing` (default) all periods missing → INSUFFICIENT_DATA; with
 * `ignore` all missing → the state is kept; `breaching` / `notBreaching` count missing periods as
 * such.
 *
 * Actions: on a state change the new state's actions run (when ActionsEnabled) through the
 * sandbox's alarm-action dispatch (actions.ts) and each is recorded in the history (Action item, succeeded or failed).
 * As AWS documents, actions whose ARN is an Auto Scaling policy (`arn:aws:autoscaling:…`) keep being
 * invoked once per minute while the alarm stays in that state (Application / EC2 Auto Scaling apply
 * their cooldowns); other actions run on the change only. Re-invocations are not recorded in the
 * history. State changes made by a request (SetAlarmState) invoke their actions at the next tick.
 */
import { own } from '../records';
import type { TickContext } from '../plugin';
import type { AlarmActionDispatch } from './actions';
import { MAX_HISTORY, type Alarm, type CloudWatchState, type HistoryItem, type StateValue } from './model';
import { aggregate, findSeries, statValue } from './store';

export const COMPARISONS: Record<string, { test: (v: number, t: number) => boolean; text: string }> = {
  GreaterThanThreshold: { test: (v, t) => v > t, text: 'greater than' },
  GreaterThanOrEqualToThreshold: { test: (v, t) => v >= t, text: 'greater than or equal to' },
  LessThanThreshold: { test: (v, t) => v < t, text: 'less than' },
  LessThanOrEqualToThreshold: { test: (v, t) => v <= t, text: 'less than or equal to' },
};

export const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];

/** A number as CloudWatch's texts print it (Java's Double.toString for the usual cases: `20.0`, `23.4`). */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

const pad = (n: number) => String(n).padStart(2, '0');
/** `dd/MM/yy HH:mm:ss` UTC, as in StateReason. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2026-11-25T18:05:00.000+0000`, as in StateReasonData / HistoryData. */
export function isoPlus0000(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function pushHistory(cw: CloudWatchState, item: Omit<HistoryItem, 'AlarmType'>): void {
  cw.history.push({ ...item, AlarmType: 'MetricAlarm' } as HistoryItem);
  if (cw.history.length > MAX_HISTORY) cw.history.splice(0, cw.history.length - MAX_HISTORY);
}

export interface Evaluation {
  state: StateValue | undefined;
  reason: string;
  reasonData: string;
  /** The newest breaching value (ALARM) or newest value. */
  value?: number;
}

/** Evaluates the alarm at `now` (pure: reads the metrics, changes nothing). `state` undefined = keep the current state. */
export function evaluate(cw: CloudWatchState, alarm: Alarm, now: number): Evaluation {
  const periodMs = alarm.Period * 1000;
  const n = alarm.EvaluationPeriods;
  const m = alarm.DatapointsToAlarm ?? n;
  const end = Math.floor(now / periodMs) * periodMs;
  const start = end - n * periodMs;
  const stat = alarm.Statistic ?? alarm.ExtendedStatistic ?? 'Average';
  const series = findSeries(cw, alarm.Namespace, alarm.MetricName, alarm.Dimensions);
  const unitOk = !alarm.Unit || !series?.unit || alarm.Unit === series.unit;
  const aggs = unitOk ? aggregate(series, start, end, periodMs) : [];
  const byT = new Map(aggs.map((a) => [a.t, a]));
  const cmp = COMPARISONS[alarm.ComparisonOperator] ?? COMPARISONS.GreaterThanThreshold;
  const treat = alarm.TreatMissingData ?? 'missing';
  // Newest first.
  const periods: { t: number; v?: number; n?: number }[] = [];
  for (let t = end - periodMs; t >= start; t -= periodMs) {
    const a = byT.get(t);
    const v = a ? statValue(a, stat) : undefined;
    periods.push({ t, v, n: a?.n });
  }
  const present = periods.filter((p) => p.v !== undefined) as { t: number; v: number; n: number }[];
  const breaching = present.filter((p) => cmp.test(p.v, alarm.Threshold));
  const missing = periods.length - present.length;
  const breachCount = breaching.length + (treat === 'breaching' ? missing : 0);
  const fmt = (ps: { t: number; v: number }[]) => `[${ps.map((p) => `${javaDouble(p.v)} (${reasonDate(p.t)})`).join(', ')}]`;
  const thr = javaDouble(alarm.Threshold);
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: isoPlus0000(now),
    startDate: isoPlus0000(start),
    ...(alarm.Statistic ? { statistic: alarm.Statistic } : { extendedStatistic: stat }),
    ...(alarm.Unit ? { unit: alarm.Unit } : {}),
    period: alarm.Period,
    recentDatapoints: present.map((p) => p.v).reverse(),
    threshold: alarm.Threshold,
    evaluatedDatapoints: present.map((p) => ({ timestamp: isoPlus0000(p.t), sampleCount: p.n, value: p.v })),
  });

  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore') return { state: undefined, reason: '', reasonData };
    return {
      state: 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`,
      reasonData,
    };
  }
  if (breachCount >= m) {
    const shown = breaching.length ? breaching : [];
    const what = n === 1 ? `1 datapoint ${fmt(shown)} was` : `${breachCount} out of the last ${n} datapoints ${fmt(shown)} were`;
    const min = n === 1 ? '' : ` (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition)`;
    return { state: 'ALARM', reason: `Threshold Crossed: ${what} ${cmp.text} the threshold (${thr})${min}.`, reasonData, value: breaching[0]?.v };
  }
  const shown = present;
  const count = shown.length;
  const what = count === 1 ? `1 datapoint ${fmt(shown)} was` : `${count} datapoints ${fmt(shown)} were`;
  return { state: 'OK', reason: `Threshold Crossed: ${what} not ${cmp.text} the threshold (${thr}).`, reasonData, value: present[0]?.v };
}

/** Moves the alarm to `state` and records it; returns true when the state changed. */
export function changeState(cw: CloudWatchState, alarm: Alarm, state: StateValue, reason: string, reasonData: string | undefined, now: number): boolean {
  const old = { stateValue: alarm.StateValue, stateReason: alarm.StateReason, ...(alarm.StateReasonData ? { stateReasonData: safeParse(alarm.StateReasonData) } : {}) };
  // The reason stays the one of the last transition (as AWS shows it).
  if (alarm.StateValue === state) return false;
  alarm.StateReason = reason;
  if (reasonData === undefined) delete alarm.StateReasonData;
  else alarm.StateReasonData = reasonData;
  alarm.StateValue = state;
  alarm.StateUpdatedTimestamp = now;
  alarm.StateTransitionedTimestamp = now;
  pushHistory(cw, {
    AlarmName: alarm.AlarmName,
    Timestamp: now,
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${old.stateValue} to ${state}`,
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: old,
      newState: { stateValue: state, stateReason: reason, ...(reasonData ? { stateReasonData: safeParse(reasonData) } : {}) },
    }),
  });
  return true;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const actionsOf = (a: Alarm, state: StateValue): string[] =>
  state === 'ALARM' ? a.AlarmActions : state === 'OK' ? a.OKActions : a.InsufficientDataActions;

const isAutoScaling = (arn: string) => arn.startsWith('arn:aws:autoscaling:') || /^arn:aws[\w-]*:autoscaling:/.test(arn);

/** Invokes the actions of the alarm's current state; `onlyAutoScaling` for the per-minute re-invocation. */
function runActions(ctx: TickContext, invoke: AlarmActionDispatch, cw: CloudWatchState, alarm: Alarm, value: number | undefined, record: boolean, onlyAutoScaling = false): void {
  if (!alarm.ActionsEnabled) return;
  for (const arn of actionsOf(alarm, alarm.StateValue)) {
    if (onlyAutoScaling && !isAutoScaling(arn)) continue;
    let ok = false;
    let error = '';
    try {
      ok = invoke(ctx, arn, { alarmName: alarm.AlarmName, alarmArn: alarm.AlarmArn, state: alarm.StateValue, value, threshold: alarm.Threshold });
      if (!ok) error = `No service in the sandbox handles the action ${arn}.`;
    } catch (e) {
      error = (e as Error)?.message ?? String(e);
    }
    if (!record) continue;
    pushHistory(cw, {
      AlarmName: alarm.AlarmName,
      Timestamp: ctx.now,
      HistoryItemType: 'Action',
      HistorySummary: ok ? `Successfully executed action ${arn}` : `Failed to execute action ${arn}. Received error: "${error}"`,
      HistoryData: JSON.stringify({
        actionState: ok ? 'Succeeded' : 'Failed',
        stateUpdateTimestamp: alarm.StateUpdatedTimestamp,
        ...(ok ? {} : { error }),
        notificationResource: arn,
      }),
    });
  }
}

/**
 * Runs queued actions, then evaluates the region's alarms: all of them at a minute boundary, else
 * only those marked `evaluateNow`. Actions go through `invoke`.
 */
export function evaluateAlarms(ctx: TickContext, invoke: AlarmActionDispatch, cw: CloudWatchState, minuteClosed: boolean): void {
  let firstError: unknown;
  for (const pending of cw.pending.splice(0)) {
    const a = own(cw.alarms, pending.alarmName);
    if (a && a.StateValue === pending.state) runActions(ctx, invoke, cw, a, pending.value, true);
  }
  for (const alarm of Object.values(cw.alarms)) {
    if (!minuteClosed && !alarm.evaluateNow) continue;
    delete alarm.evaluateNow;
    alarm.evaluatedAt = ctx.now;
    try {
      const ev = evaluate(cw, alarm, ctx.now);
      if (ev.state === undefined) continue;
      const changed = changeState(cw, alarm, ev.state, ev.reason, ev.reasonData, ctx.now);
      if (changed) runActions(ctx, invoke, cw, alarm, ev.value, true);
      else if (minuteClosed) runActions(ctx, invoke, cw, alarm, ev.value, false, true);
    } catch (e) {
      // One broken alarm must not stop the others.
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
}
