/**
 * Application Auto Scaling state, kept under `RegionState.serviceState.applicationAutoscaling`: scalable
 * targets (ECS services), their scaling policies and the scaling activities. Plain JSON.
 */
import type { RegionState } from '../engine/state';
import { serviceState } from '../service-state';
import type { AdjustmentType } from './step-math';

export const NAMESPACE = 'ecs';
export const DIMENSION = 'ecs:service:DesiredCount';

export interface SuspendedState {
  DynamicScalingInSuspended: boolean;
  DynamicScalingOutSuspended: boolean;
  ScheduledScalingSuspended: boolean;
}

export interface ScalableTarget {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: number;
  SuspendedState: SuspendedState;
  ScalableTargetARN: string;
  /** Sandbox-only: cooldown bookkeeping. Scale-out cooldown keeps the capacity it started from. */
  cooldown?: { outUntil?: number; outBase?: number; inUntil?: number };
}

export interface StepAdjustmentOut {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

export interface StepConfig {
  AdjustmentType?: AdjustmentType;
  StepAdjustments: StepAdjustmentOut[];
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: 'Average' | 'Minimum' | 'Maximum';
}

export interface TargetTrackingConfig {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: Record<string, unknown>;
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

export interface ScalingPolicy {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: 'StepScaling' | 'TargetTrackingScaling';
  StepScalingPolicyConfiguration?: StepConfig;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfig;
  Alarms: { AlarmName: string; AlarmARN: string }[];
  CreationTime: number;
}

export interface ScalingActivity {
  ActivityId: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: 'Pending' | 'InProgress' | 'Successful' | 'Overridden' | 'Unfulfilled' | 'Failed';
  StatusMessage?: string;
}

export interface AppScheduledAction {
  ScheduledActionName: string;
  ScheduledActionARN: string;
  ServiceNamespace: string;
  Schedule: string;
  Timezone?: string;
  ResourceId: string;
  ScalableDimension: string;
  StartTime?: number;
  EndTime?: number;
  ScalableTargetAction: { MinCapacity?: number; MaxCapacity?: number };
  CreationTime: number;
  /** Sandbox-only: the next run (epoch ms); absent once it will not run again. */
  nextRun?: number;
}

export interface AppScalingState {
  /** By ARN. */
  scheduledActions: Record<string, AppScheduledAction>;
  /** By `<namespace>|<resourceId>|<dimension>`. */
  targets: Record<string, ScalableTarget>;
  /** By policy ARN. */
  policies: Record<string, ScalingPolicy>;
  /** Newest first. */
  activities: ScalingActivity[];
}

export const targetKey = (ns: string, resourceId: string, dim: string): string => `${ns}|${resourceId}|${dim}`;

export const appScalingState = (rs: RegionState): AppScalingState =>
  serviceState<AppScalingState>(rs, 'applicationAutoscaling', () => ({ targets: {}, policies: {}, scheduledActions: {}, activities: [] }));

/** `service/<cluster>/<service>` → its parts, or undefined. */
export function parseServiceResourceId(id: string): { cluster: string; service: string } | undefined {
  const m = /^service\/([^/]+)\/([^/]+)$/.exec(id);
  return m ? { cluster: m[1], service: m[2] } : undefined;
}

export const policiesOf = (s: AppScalingState, t: ScalableTarget): ScalingPolicy[] =>
  Object.values(s.policies).filter((p) => p.ServiceNamespace === t.ServiceNamespace && p.ResourceId === t.ResourceId && p.ScalableDimension === t.ScalableDimension);
