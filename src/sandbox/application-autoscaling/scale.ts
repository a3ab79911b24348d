/**
 * What Application Auto Scaling does when a CloudWatch alarm invokes one of its policies: compute
 * the new desired count (step adjustments against the breach, or target tracking's proportional
 * rule), clamp it into [MinCapacity, MaxCapacity], respect cooldowns, suspension and ECS
 * deployments, set it on the service through the engine and record the activity with AWS's texts.
 */
import { randomUUID } from 'node:crypto';
import type { AlarmActionEvent } from '../cloudwatch/actions';
import type { Service } from '../engine/state';
import { addActivity } from '../service-state';
import { alarmState, type AlarmScope } from './alarms';
import {
  appScalingState,
  parseServiceResourceId,
  policiesOf,
  targetKey,
  type AppScalingState,
  type ScalableTarget,
  type ScalingPolicy,
} from './model';
import { adjustedCapacity, clamp, findStep } from './step-math';

/** AWS's default cooldown for ECS services, seconds. */
export const DEFAULT_COOLDOWN_S = 300;

export const isAppScalingPolicyArn = (arn: string): boolean => /^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:scalingPolicy:[^:]+:resource\//.test(arn);

export function findService(scope: AlarmScope, resourceId: string): Service | undefined {
  const r = parseServiceResourceId(resourceId);
  if (!r) return undefined;
  const svc = scope.rs.ecs.services[r.cluster]?.[r.service];
  return svc && svc.status === 'ACTIVE' && scope.rs.ecs.clusters[r.cluster]?.status === 'ACTIVE' ? svc : undefined;
}

export const deploymentInProgress = (svc: Service): boolean => svc.deployments.some((d) => d.rolloutState === 'IN_PROGRESS');

/** Sets the service's desired count and records the activity (Successful, or Failed when the service is gone). */
export function setDesiredCount(scope: AlarmScope, s: AppScalingState, t: ScalableTarget, desired: number, cause: string): void {
  const svc = findService(scope, t.ResourceId);
  const sec = scope.now / 1000;
  const base = {
    ActivityId: randomUUID(),
    ServiceNamespace: t.ServiceNamespace,
    ResourceId: t.ResourceId,
    ScalableDimension: t.ScalableDimension,
    Description: `Setting desired count to ${desired}.`,
    Cause: cause,
    StartTime: sec,
    EndTime: sec,
  };
  if (!svc) {
    addActivity(s.activities, { ...base, StatusCode: 'Failed', StatusMessage: `Failed to set desired count to ${desired}. ECS service doesn't exist: ${t.ResourceId}` });
    return;
  }
  scope.engine.serviceUpdated(scope.rs, svc, { desiredCount: desired });
  addActivity(s.activities, { ...base, StatusCode: 'Successful', StatusMessage: `Successfully set desired count to ${desired}. Change successfully fulfilled by ecs.` });
}

/** Whether `alarmName` is the policy's low (scale-in) target tracking alarm. */
const isLowAlarm = (p: ScalingPolicy, alarmName: string): boolean => p.Alarms.some((a) => a.AlarmName === alarmName && /-AlarmLow-/.test(a.AlarmName));

/** What the policy asks for, from the current capacity. */
export function wantedCapacity(p: ScalingPolicy, current: number, event: Pick<AlarmActionEvent, 'alarmName' | 'value' | 'threshold'>): number | undefined {
  if (p.PolicyType === 'StepScaling') {
    const c = p.StepScalingPolicyConfiguration;
    if (!c) return undefined;
    const delta = event.value === undefined ? undefined : event.value - event.threshold;
    const step = findStep(
      c.StepAdjustments.map((x) => ({ lower: x.MetricIntervalLowerBound, upper: x.MetricIntervalUpperBound, adjustment: x.ScalingAdjustment })),
      delta,
    );
    if (!step) return undefined;
    return adjustedCapacity(current, c.AdjustmentType ?? 'ChangeInCapacity', step.adjustment, c.MinAdjustmentMagnitude);
  }
  const c = p.TargetTrackingScalingPolicyConfiguration;
  if (!c) return undefined;
  const low = isLowAlarm(p, event.alarmName) || (event.value !== undefined && event.value < c.TargetValue && !p.Alarms.some((a) => a.AlarmName === event.alarmName && /-AlarmHigh-/.test(a.AlarmName)));
  if (low && c.DisableScaleIn) return undefined;
  if (event.value === undefined || c.TargetValue <= 0 || current === 0) return low ? current - 1 : current + 1;
  const proportional = Math.ceil((current * event.value) / c.TargetValue - 1e-9);
  if (low) return Math.min(proportional, current - 1);
  return Math.max(proportional, current + 1);
}

/** Scale-in only if every other target tracking policy of the target agrees (its low alarm is in ALARM, its high alarm is not). */
function othersAgreeToScaleIn(scope: AlarmScope, s: AppScalingState, t: ScalableTarget, p: ScalingPolicy): boolean {
  for (const other of policiesOf(s, t)) {
    if (other === p || other.PolicyType !== 'TargetTrackingScaling') continue;
    const states = other.Alarms.map((a) => ({ low: /-AlarmLow-/.test(a.AlarmName), state: alarmState(scope, a.AlarmName) }));
    if (states.some((x) => !x.low && x.state === 'ALARM')) return false;
    if (other.TargetTrackingScalingPolicyConfiguration?.DisableScaleIn) return false;
    const low = states.find((x) => x.low);
    if (low && low.state !== undefined && low.state !== 'ALARM') return false;
  }
  return true;
}

const cooldowns = (p: ScalingPolicy): { out: number; in: number } => {
  if (p.PolicyType === 'StepScaling') {
    const c = p.StepScalingPolicyConfiguration?.Cooldown ?? DEFAULT_COOLDOWN_S;
    return { out: c, in: c };
  }
  const c = p.TargetTrackingScalingPolicyConfiguration;
  return { out: c?.ScaleOutCooldown ?? DEFAULT_COOLDOWN_S, in: c?.ScaleInCooldown ?? DEFAULT_COOLDOWN_S };
};

export type ScaleOutcome = 'scaled-out' | 'scaled-in' | 'no-change' | 'cooldown' | 'suspended' | 'deployment' | 'disagree' | 'ignored';

/** An alarm invoked the policy `policyArn`. */
export function applyAlarmAction(scope: AlarmScope, policyArn: string, event: AlarmActionEvent): ScaleOutcome {
  if (event.state !== 'ALARM') return 'ignored';
  const s = appScalingState(scope.rs);
  const p = s.policies[policyArn];
  if (!p) return 'ignored';
  const t = s.targets[targetKey(p.ServiceNamespace, p.ResourceId, p.ScalableDimension)];
  if (!t) return 'ignored';
  const svc = findService(scope, t.ResourceId);
  if (!svc) return 'ignored';
  const current = svc.desiredCount;
  const now = scope.now;
  const cd = (t.cooldown ??= {});
  const wanted = wantedCapacity(p, current, event);
  if (wanted === undefined) return 'no-change';
  const cause = `monitor alarm ${event.alarmName} in state ALARM triggered policy ${p.PolicyName}`;
  const { out: outCooldown, in: inCooldown } = cooldowns(p);

  if (wanted > current || (wanted >= current && clamp(wanted, t.MinCapacity, t.MaxCapacity) > current)) {
    if (t.SuspendedState.DynamicScalingOutSuspended) return 'suspended';
    const inCd = cd.outUntil !== undefined && now < cd.outUntil;
    // During a scale-out cooldown the capacity the previous scale-out added counts: the new
    // adjustment applies to the capacity that cooldown started from, and only a larger result scales.
    const base = inCd ? (cd.outBase ?? current) : current;
    const next = clamp(inCd ? (wantedCapacity(p, base, event) ?? base) : wanted, t.MinCapacity, t.MaxCapacity);
    if (next <= current) return inCd ? 'cooldown' : 'no-change';
    setDesiredCount(scope, s, t, next, cause);
    if (!inCd) cd.outBase = current;
    cd.outUntil = now + outCooldown * 1000;
    return 'scaled-out';
  }
  const next = clamp(wanted, t.MinCapacity, t.MaxCapacity);
  if (next >= current) return 'no-change';
  if (t.SuspendedState.DynamicScalingInSuspended) return 'suspended';
  if (deploymentInProgress(svc)) return 'deployment';
  if (cd.inUntil !== undefined && now < cd.inUntil) return 'cooldown';
  if (p.PolicyType === 'TargetTrackingScaling' && !othersAgreeToScaleIn(scope, s, t, p)) return 'disagree';
  setDesiredCount(scope, s, t, next, cause);
  cd.inUntil = now + inCooldown * 1000;
  return 'scaled-in';
}
