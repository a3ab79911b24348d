/**
 * Scaling in the sandbox: Application Auto Scaling (ECS service desired counts) and EC2 Auto Scaling
 * (instance groups), as one SandboxExtension. Both act on CloudWatch alarm actions (their policy
 * ARNs are registered with cloudwatch/actions.ts when this module loads); the tick keeps every Auto
 * Scaling group at its desired capacity.
 */
import { applicationAutoScalingService, applyAlarmAction, isAppScalingPolicyArn } from './application-autoscaling';
import { autoScalingService, autoScalingState, executeAsgPolicy, isAsgPolicyArn, reconcileAutoScaling } from './autoscaling';
import { registerAlarmActionHandler, type AlarmActionEvent } from './cloudwatch/actions';
import type { SandboxExtension, TickContext } from './extensions';

/** An alarm invoked an EC2 Auto Scaling policy: adjust the group's desired capacity (cooldowns honoured). */
export function onAsgAlarmAction(ctx: TickContext, arn: string, event: AlarmActionEvent): void {
  if (event.state !== 'ALARM') return;
  const s = ctx.rs.ext.autoscaling ? autoScalingState(ctx.rs) : undefined;
  const p = s?.policies[arn];
  if (!s || !p || !p.Enabled) return;
  const g = s.groups[p.AutoScalingGroupName];
  if (!g || g.Status) return;
  executeAsgPolicy(g, p, ctx.now, {
    why: `a monitor alarm ${event.alarmName} in state ALARM triggered policy ${p.PolicyName}`,
    value: event.value,
    threshold: event.threshold,
    honorCooldown: true,
  });
}

/** An alarm invoked an Application Auto Scaling policy. */
export function onAppScalingAlarmAction(ctx: TickContext, arn: string, event: AlarmActionEvent): void {
  applyAlarmAction({ engine: ctx.engine, rs: ctx.rs, now: ctx.now }, arn, event);
}

let registered = false;
/** Registers both policy kinds with CloudWatch's alarm actions (idempotent; done when this module loads). */
export function registerScalingAlarmActions(): void {
  if (registered) return;
  registered = true;
  registerAlarmActionHandler(isAppScalingPolicyArn, onAppScalingAlarmAction);
  registerAlarmActionHandler(isAsgPolicyArn, onAsgAlarmAction);
}
registerScalingAlarmActions();

export const scalingExtension: SandboxExtension = {
  name: 'scaling',
  services: [applicationAutoScalingService, autoScalingService],
  tick(ctx) {
    reconcileAutoScaling({ engine: ctx.engine, rs: ctx.rs, now: ctx.now });
  },
};
