/**
 * Application Auto Scaling in the sandbox (awsJson1_1, `X-Amz-Target: AnyScaleFrontendService.<Op>`),
 * for Amazon ECS services: scalable targets (targets.ts), step scaling and target tracking policies
 * (policies.ts), scheduled actions run on the sandbox clock (scheduled-actions.ts), scaling
 * activities (activities.ts). Policies act when a CloudWatch alarm invokes
 * their ARN (`applyAlarmAction`, routed to by the scaling plug-in, ../scaling.ts).
 */
import type * as AppScalingApi from '@aws-sdk/client-application-auto-scaling';
import { APPLICATION_AUTO_SCALING, defineService } from '../kit';
import { describeScalingActivities } from './activities';
import { deleteScalingPolicy, describeScalingPolicies, putScalingPolicy } from './policies';
import { deleteScheduledAction, describeScheduledActions, putScheduledAction } from './scheduled-actions';
import { deregisterScalableTarget, describeScalableTargets, registerScalableTarget } from './targets';

export const applicationAutoScalingService = defineService<typeof AppScalingApi>(
  {
    signingName: 'application-autoscaling',
    protocol: 'awsJson1_1',
    targetPrefix: 'AnyScaleFrontendService',
    errorMessageKey: 'Message',
    dialect: APPLICATION_AUTO_SCALING,
  },
  {
    RegisterScalableTarget: registerScalableTarget,
    DescribeScalableTargets: describeScalableTargets,
    DeregisterScalableTarget: deregisterScalableTarget,
    PutScalingPolicy: putScalingPolicy,
    DescribeScalingPolicies: describeScalingPolicies,
    DeleteScalingPolicy: deleteScalingPolicy,
    DescribeScalingActivities: describeScalingActivities,
    PutScheduledAction: putScheduledAction,
    DescribeScheduledActions: describeScheduledActions,
    DeleteScheduledAction: deleteScheduledAction,
  },
);

export { applyAlarmAction, isAppScalingPolicyArn, type ScaleOutcome } from './scale';
export { appScalingState, type AppScalingState } from './model';
export { runAppScheduledActions } from './scheduled-actions';
export type { AlarmSpec } from './alarms';
