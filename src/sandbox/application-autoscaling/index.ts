/**
 * Application Auto Scaling in the sandbox (awsJson1_1, `X-Amz-Target: AnyScaleFrontendService.<Op>`),
 * for Amazon ECS services: scalable targets, step scaling and target tracking policies, scaling
 * activities. Policies act when a CloudWatch alarm invokes their ARN (`onAppScalingAlarmAction`,
 * registered with cloudwatch/actions.ts by ../scaling.ts).
 */
import type { Handler, ServiceDefinition } from '../service';
import {
  deleteScalingPolicy,
  deregisterScalableTarget,
  describeScalableTargets,
  describeScalingActivities,
  describeScalingPolicies,
  putScalingPolicy,
  registerScalableTarget,
} from './api';

export const applicationAutoScalingService: ServiceDefinition = {
  signingName: 'application-autoscaling',
  protocol: 'awsJson1_1',
  targetPrefix: 'AnyScaleFrontendService',
  errorMessageKey: 'Message',
  operations: {
    RegisterScalableTarget: registerScalableTarget as Handler,
    DescribeScalableTargets: describeScalableTargets as Handler,
    DeregisterScalableTarget: deregisterScalableTarget as Handler,
    PutScalingPolicy: putScalingPolicy as Handler,
    DescribeScalingPolicies: describeScalingPolicies as Handler,
    DeleteScalingPolicy: deleteScalingPolicy as Handler,
    DescribeScalingActivities: describeScalingActivities as Handler,
  },
};

export { applyAlarmAction, isAppScalingPolicyArn, type ScaleOutcome } from './scale';
export { appScalingState, type AppScalingState } from './model';
export { setAlarmBackend, type AlarmBackend, type AlarmSpec } from './alarms';
