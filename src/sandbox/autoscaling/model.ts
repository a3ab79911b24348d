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
  /** One of LaunchTemplate / LaunchConfigurationName: what it was launched from. */
  LaunchTemplate?: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  LaunchConfigurationName?: string;
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
  /** One of LaunchTemplate / LaunchConfigurationName. */
  LaunchTemplate?: { LaunchTemplateId: string; LaunchTemplateName: string; Version?: string };
  LaunchConfigurationName?: string;
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
  TargetTrackingConfiguration?: {
    TargetValue: number;
    PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
    CustomizedMetricSpecification?: { MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: string }[]; Statistic: string; Unit?: string };
    DisableScaleIn?: boolean;
  };
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

/** A launch configuration as DescribeLaunchConfigurations returns it (CreatedTime in epoch ms). */
export interface LaunchConfiguration {
  LaunchConfigurationName: string;
  LaunchConfigurationARN: string;
  ImageId: string;
  InstanceType: string;
  KeyName: string;
  SecurityGroups: string[];
  ClassicLinkVPCSecurityGroups: string[];
  UserData: string;
  KernelId: string;
  RamdiskId: string;
  BlockDeviceMappings: Record<string, unknown>[];
  InstanceMonitoring: { Enabled: boolean };
  SpotPrice?: string;
  IamInstanceProfile?: string;
  CreatedTime: number;
  EbsOptimized: boolean;
  AssociatePublicIpAddress?: boolean;
  PlacementTenancy?: string;
  MetadataOptions?: { HttpTokens?: string; HttpPutResponseHopLimit?: number; HttpEndpoint?: string };
}

/** A scheduled action (times in epoch ms; Time = StartTime = its next run). */
export interface ScheduledAction {
  AutoScalingGroupName: string;
  ScheduledActionName: string;
  ScheduledActionARN: string;
  /** The next run. */
  StartTime: number;
  EndTime?: number;
  Recurrence?: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  TimeZone?: string;
}

export interface AutoScalingState {
  groups: Record<string, AutoScalingGroup>;
  launchConfigurations: Record<string, LaunchConfiguration>;
  /** By ARN. */
  scheduledActions: Record<string, ScheduledAction>;
  /** By ARN. */
  policies: Record<string, AsgPolicy>;
  /** Newest first. */
  activities: AsgActivity[];
}

export const autoScalingState = (rs: RegionState): AutoScalingState =>
  serviceState<AutoScalingState>(rs, 'autoscaling', () => ({ groups: {}, launchConfigurations: {}, scheduledActions: {}, policies: {}, activities: [] }));

/** `2026-01-01T00:00:00Z` — how Auto Scaling writes times in activity causes. */
export const causeTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Instances that count toward the capacity. */
export const countsTowardCapacity = (i: GroupInstance): boolean => i.LifecycleState === 'Pending' || i.LifecycleState === 'InService';

export const isAsgPolicyArn = (arn: string): boolean => /^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:scalingPolicy:[^:]+:autoScalingGroupName\//.test(arn);
