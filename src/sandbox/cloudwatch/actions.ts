/**
 * Alarm actions: when an alarm changes state, CloudWatch invokes each ARN in its AlarmActions /
 * OKActions / InsufficientDataActions. Services that own such ARNs (Application Auto Scaling and EC2
 * Auto Scaling scaling policies) register a handler here; CloudWatch calls `invokeAlarmAction`.
 */
import type { TickContext } from '../extensions';

export interface AlarmActionEvent {
  alarmName: string;
  alarmArn: string;
  /** The state the alarm moved to: OK | ALARM | INSUFFICIENT_DATA. */
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** The breaching datapoint value, when known (step scaling uses it against its step bounds). */
  value?: number;
  threshold: number;
}

export type AlarmActionHandler = (ctx: TickContext, actionArn: string, event: AlarmActionEvent) => void;

const handlers: { matches: (arn: string) => boolean; handler: AlarmActionHandler }[] = [];

/** Registers who handles actions whose ARN `matches` (e.g. `arn:aws:autoscaling:…:scalingPolicy:…`). */
export function registerAlarmActionHandler(matches: (arn: string) => boolean, handler: AlarmActionHandler): void {
  handlers.push({ matches, handler });
}

/** Invokes the action; returns false when no service handles that ARN (it is then recorded as failed in the alarm history). */
export function invokeAlarmAction(ctx: TickContext, actionArn: string, event: AlarmActionEvent): boolean {
  const h = handlers.find((x) => x.matches(actionArn));
  if (!h) return false;
  h.handler(ctx, actionArn, event);
  return true;
}
