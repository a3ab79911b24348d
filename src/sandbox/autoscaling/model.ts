/**
 * EC2 Auto Scaling state, kept under `RegionState.serviceState.autoscaling`: groups with their instances,
 * scaling policies and activities. Plain JSON; times are simulated epoch ms.
 */
import type { RegionState } from '../engine/state';
import { serviceState } from '../service-state';
import type { AdjustmentType } from '../application-autoscaling/step-math';

export type LifecycleState = 'Pending' | 'InService' | 'Terminating' | 'Terminated' | 'Detached';

export interface GroupInstance {
  InstanceId: string;
  InstanceType: string;
  AvailabilityZone: string;
  LifecycleState: LifecycleState;
  HealthStatus: 'Healthy' | 'Unhealthy';
  ProtectedFromScaleIn: boolean;
  LaunchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  /** Sandbox-only. */
  launchedAt: number;
  /** Sandbox-only: the activity that launches / terminates it. */
  activityId?: string;
}

export interface GroupTag {
  Key: string;
  Value: string;
  PropagateAtLaunch: boolean;
}

export interface AutoScalingGroup {
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  LaunchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version?: string };
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  DefaultCooldown: number;
  AvailabilityZones: string[];
  /** Subnet ids in the order given. */
  subnets: string[];
  HealthCheckType: 'EC2' | 'ELB';
  HealthCheckGracePeriod: number;
  CreatedTime: number;
  NewInstancesProtectedFromScaleIn: boolean;
  TargetGroupARNs: string[];
  Tags: GroupTag[];
  TerminationPolicies: string[];
  ServiceLinkedRoleARN: string;
  instances: Record<string, GroupInstance>;
  /** 'Delete in progress' while a forced delete runs. */
  Status?: string;
  /** Sandbox-only: the cooldown after the last scaling activity ends here. */
  cooldownUntil?: number;
  /** Sandbox-only: why the desired capacity last changed (the first sentence of the activities' Cause). */
  pendingCause?: string;
  /** Sandbox-only: the last step scale-out's starting capacity and the end of its instance warm-up. */
  stepWarmup?: { base: number; until: number };
  /** Sandbox-only: don't retry a failed launch before this. */
  launchRetryAt?: number;
}

export interface StepAdjustmentOut {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

export interface AsgPolicy {
  PolicyARN: string;
  PolicyName: string;
  AutoScalingGroupName: string;
  PolicyType: 'SimpleScaling' | 'StepScaling' | 'TargetTrackingScaling';
  AdjustmentType?: AdjustmentType;
  ScalingAdjustment?: number;
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  StepAdjustments?: StepAdjustmentOut[];
  MetricAggregationType?: string;
  EstimatedInstanceWarmup?: number;
  TargetTrackingConfiguration?: { TargetValue: number; PredefinedMetricType?: string; ResourceLabel?: string; DisableScaleIn?: boolean };
  Alarms: { AlarmName: string; AlarmARN: string }[];
  Enabled: boolean;
}

export interface AsgActivity {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: 'PendingSpotBidPlacement' | 'WaitingForSpotInstanceRequestId' | 'WaitingForSpotInstanceId' | 'WaitingForInstanceId' | 'PreInService' | 'InProgress' | 'WaitingForELBConnectionDraining' | 'MidLifecycleAction' | 'WaitingForInstanceWarmup' | 'Successful' | 'Failed' | 'Cancelled' | 'WaitingForConnectionDraining';
  StatusMessage?: string;
  Progress: number;
  Details: string;
}

export interface AutoScalingState {
  groups: Record<string, AutoScalingGroup>;
  /** By ARN. */
  policies: Record<string, AsgPolicy>;
  /** Newest first. */
  activities: AsgActivity[];
}

export const autoScalingState = (rs: RegionState): AutoScalingState =>
  serviceState<AutoScalingState>(rs, 'autoscaling', () => ({ groups: {}, policies: {}, activities: [] }));

/** `2026-01-01T00:00:00Z` — how Auto Scaling writes times in activity causes. */
export const causeTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Instances that count toward the capacity. */
export const countsTowardCapacity = (i: GroupInstance): boolean => i.LifecycleState === 'Pending' || i.LifecycleState === 'InService';

export const isAsgPolicyArn = (arn: string): boolean => /^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:scalingPolicy:[^:]+:autoScalingGroupName\//.test(arn);
