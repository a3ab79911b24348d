/**
 * Alarm actions: when an alarm changes state, CloudWatch invokes each ARN in its AlarmActions /
 * OKActions / InsufficientDataActions. The plug-ins that own such ARNs (Application Auto Scaling
 * and EC2 Auto Scaling scaling policies: ../scaling.ts) list an `AlarmActionRoute` for them;
 * CloudWatch's tick runs each action through its sandbox's `PluginHost.invokeAlarmAction`.
 */
import type { TickContext } from '../plugin';

export interface AlarmActionEvent {
  alarmName: string;
  alarmArn: string;
  /** The state the alarm moved to: OK | ALARM | INSUFFICIENT_DATA. */
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** The breaching datapoint value, when known (step scaling uses it against its step bounds). */
  value?: number;
  threshold: number;
}

/** Who runs actions whose ARN `matches` (e.g. `arn:aws:autoscaling:…:scalingPolicy:…`). */
export interface AlarmActionRoute {
  matches(actionArn: string): boolean;
  invoke(ctx: TickContext, actionArn: string, event: AlarmActionEvent): void;
}

/** Runs an action; returns false when nothing handles that ARN (it is then recorded as failed in the alarm history). */
export type AlarmActionDispatch = (ctx: TickContext, actionArn: string, event: AlarmActionEvent) => boolean;

/** Runs the action with the first of `routes` that matches its ARN; false when none does. */
export function routeAlarmAction(routes: readonly AlarmActionRoute[], ctx: TickContext, actionArn: string, event: AlarmActionEvent): boolean {
  const route = routes.find((r) => r.matches(actionArn));
  route?.invoke(ctx, actionArn, event);
  return route !== undefined;
}

/** Nothing handles any action (CloudWatch on its own). */
export const noAlarmActions: AlarmActionDispatch = () => false;
