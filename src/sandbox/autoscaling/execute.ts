/**
 * Running an EC2 Auto Scaling policy — from a CloudWatch alarm action or ExecutePolicy: the new
 * desired capacity (simple or step adjustments, clamped to [MinSize, MaxSize]) and the cooldowns.
 * The group's reconcile launches / terminates; the activities' Cause starts with why.
 */
import { adjustedCapacity, clamp, findStep } from '../application-autoscaling/step-math';
import { causeTime, type AsgPolicy, type AutoScalingGroup } from './model';
import { trackingCapacity } from './target-tracking';

export type ExecuteOutcome = 'changed' | 'no-change' | 'cooldown';

export interface Trigger {
  /** The alarm that invoked the policy (target tracking tells AlarmHigh from AlarmLow by it). */
  alarmName?: string;
  /** e.g. `a monitor alarm X in state ALARM triggered policy P` / `a user request executed policy P`. */
  why: string;
  value?: number;
  threshold?: number;
  honorCooldown: boolean;
}

/** Sets the desired capacity and remembers why (the first sentence of the next activities' Cause). */
export function changeDesired(g: AutoScalingGroup, now: number, next: number, why: string): void {
  g.pendingCause = `At ${causeTime(now)} ${why} changing the desired capacity from ${g.DesiredCapacity} to ${next}.`;
  g.DesiredCapacity = next;
}

export function executeAsgPolicy(g: AutoScalingGroup, p: AsgPolicy, now: number, t: Trigger): ExecuteOutcome {
  const current = g.DesiredCapacity;
  let wanted: number | undefined;
  if (p.PolicyType === 'SimpleScaling') {
    if (t.honorCooldown && g.cooldownUntil !== undefined && now < g.cooldownUntil) return 'cooldown';
    wanted = adjustedCapacity(current, p.AdjustmentType ?? 'ChangeInCapacity', p.ScalingAdjustment ?? 0, p.MinAdjustmentMagnitude);
  } else if (p.PolicyType === 'StepScaling') {
    const delta = t.value !== undefined && t.threshold !== undefined ? t.value - t.threshold : undefined;
    const steps = (p.StepAdjustments ?? []).map((x) => ({ lower: x.MetricIntervalLowerBound, upper: x.MetricIntervalUpperBound, adjustment: x.ScalingAdjustment }));
    const step = findStep(steps, delta);
    if (!step) return 'no-change';
    const type = p.AdjustmentType ?? 'ChangeInCapacity';
    wanted = adjustedCapacity(current, type, step.adjustment, p.MinAdjustmentMagnitude);
    // Step scaling has no cooldown but an instance warm-up: instances a scale-out launched count as
    // capacity already added while they warm up, so a re-fired alarm adds only what a larger step
    // asks beyond the capacity that scale-out started from, and a scale-in waits for the warm-up.
    const w = g.stepWarmup;
    if (w && now < w.until) {
      if (wanted < current) return 'cooldown';
      const fromBase = adjustedCapacity(w.base, type, step.adjustment, p.MinAdjustmentMagnitude);
      if (clamp(fromBase, g.MinSize, g.MaxSize) <= current) return 'cooldown';
      wanted = fromBase;
    }
  } else if (p.PolicyType === 'TargetTrackingScaling') {
    wanted = trackingCapacity(p, current, t.alarmName ?? '', t.value);
    if (wanted === undefined) return 'no-change';
    // Instances launched by a scale-out do not count toward the metric while they warm up: no
    // scale-in meanwhile, and a further scale-out only beyond what the warm-up started from.
    const w = g.stepWarmup;
    if (w && now < w.until && wanted <= current) return 'cooldown';
  } else {
    return 'no-change';
  }
  const next = clamp(wanted, g.MinSize, g.MaxSize);
  if (next === current) return 'no-change';
  if ((p.PolicyType === 'StepScaling' || p.PolicyType === 'TargetTrackingScaling') && next > current) {
    const w = g.stepWarmup;
    g.stepWarmup = { base: w && now < w.until ? w.base : current, until: now + (p.EstimatedInstanceWarmup ?? g.DefaultCooldown) * 1000 };
  }
  changeDesired(g, now, next, t.why);
  if (p.PolicyType === 'SimpleScaling') g.cooldownUntil = now + (p.Cooldown ?? g.DefaultCooldown) * 1000;
  return 'changed';
}
