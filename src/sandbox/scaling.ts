/**
 * Scaling in the sandbox, as one plug-in: Application Auto Scaling (ECS service desired counts) and
 * EC2 Auto Scaling (instance groups). Both act on CloudWatch alarm actions naming their policy
 * ARNs (`scalingAlarmActions`); the tick keeps every Auto Scaling group at its desired capacity.
 */
import { applicationAutoScalingService, applyAlarmAction, isAppScalingPolicyArn, runAppScheduledActions } from './application-autoscaling';
import { autoScalingService, autoScalingState, executeAsgPolicy, isAsgPolicyArn, reconcileAutoScaling } from './autoscaling';
import type { AlarmActionEvent, AlarmActionRoute } from './cloudwatch/actions';
import { manageTerminationProtection } from './engine/capacity';
import { forEachRegion, type PluginFactory, type TickContext } from './plugin';

/** An alarm invoked an EC2 Auto Scaling policy: adjust the group's desired capacity (cooldowns honoured). */
export function onAsgAlarmAction(ctx: TickContext, arn: string, event: AlarmActionEvent): void {
  if (event.state !== 'ALARM') return;
  const s = ctx.rs.serviceState.autoscaling ? autoScalingState(ctx.rs) : undefined;
  const p = s?.policies[arn];
  if (!s || !p || !p.Enabled) return;
  const g = s.groups[p.AutoScalingGroupName];
  if (!g || g.Status) return;
  executeAsgPolicy(g, p, ctx.now, {
    why: `a monitor alarm ${event.alarmName} in state ALARM triggered policy ${p.PolicyName}`,
    alarmName: event.alarmName,
    value: event.value,
    threshold: event.threshold,
    honorCooldown: true,
  });
}

/** An alarm invoked an Application Auto Scaling policy. */
export function onAppScalingAlarmAction(ctx: TickContext, arn: string, event: AlarmActionEvent): void {
  applyAlarmAction({ engine: ctx.engine, rs: ctx.rs, now: ctx.now }, arn, event);
}

/** The alarm actions both services run: their scaling policies' ARNs. */
export const scalingAlarmActions: readonly AlarmActionRoute[] = [
  { matches: isAppScalingPolicyArn, invoke: onAppScalingAlarmAction },
  { matches: isAsgPolicyArn, invoke: onAsgAlarmAction },
];

/** One region's scaling work for a tick: scheduled actions due run, groups brought to their desired capacity. */
export const scalingTick = (ctx: TickContext): void => {
  const scope = { engine: ctx.engine, rs: ctx.rs, now: ctx.now };
  runAppScheduledActions(scope);
  manageTerminationProtection(ctx.rs);
  reconcileAutoScaling(scope);
};

export const scalingPlugin: PluginFactory = (host) => ({
  name: 'scaling',
  services: [applicationAutoScalingService, autoScalingService],
  alarmActions: scalingAlarmActions,
  tick: (now) => forEachRegion(host, now, scalingTick),
});
