/**
 * Amazon EC2 Auto Scaling in the sandbox (awsQuery, Version 2011-01-01): Auto Scaling groups from
 * launch templates or launch configurations (launch-configurations.ts) whose instances register
 * with ECS through their user data, capacity and instance protection, simple / step / target
 * tracking (target-tracking.ts) scaling policies fired by CloudWatch alarms or ExecutePolicy,
 * scheduled actions (scheduled-actions.ts), scaling activities — groups.ts, instances.ts,
 * activities.ts, policies.ts. reconcile.ts moves the
 * instances on every tick (../scaling.ts).
 */
import type * as AutoScalingApi from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING, defineService } from '../kit';
import { describeScalingActivities } from './activities';
import {
  createAutoScalingGroup,
  deleteAutoScalingGroup,
  describeAutoScalingGroups,
  setDesiredCapacity,
  updateAutoScalingGroup,
} from './groups';
import { describeAutoScalingInstances, setInstanceProtection, terminateInstanceInAutoScalingGroup } from './instances';
import { deletePolicy, describePolicies, executePolicy, putScalingPolicy } from './policies';
import { createOrUpdateTags, deleteTags, describeTags } from './tags';
import { createLaunchConfiguration, deleteLaunchConfiguration, describeLaunchConfigurations } from './launch-configurations';
import {
  batchDeleteScheduledAction,
  batchPutScheduledUpdateGroupAction,
  deleteScheduledAction,
  describeScheduledActions,
  putScheduledUpdateGroupAction,
} from './scheduled-actions';

export const autoScalingService = defineService<typeof AutoScalingApi>(
  {
    signingName: 'autoscaling',
    protocol: 'awsQuery',
    version: '2011-01-01',
    xmlns: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
    dialect: AUTO_SCALING,
  },
  {
    CreateAutoScalingGroup: createAutoScalingGroup,
    UpdateAutoScalingGroup: updateAutoScalingGroup,
    DescribeAutoScalingGroups: describeAutoScalingGroups,
    DeleteAutoScalingGroup: deleteAutoScalingGroup,
    SetDesiredCapacity: setDesiredCapacity,
    SetInstanceProtection: setInstanceProtection,
    TerminateInstanceInAutoScalingGroup: terminateInstanceInAutoScalingGroup,
    DescribeAutoScalingInstances: describeAutoScalingInstances,
    DescribeScalingActivities: describeScalingActivities,
    PutScalingPolicy: putScalingPolicy,
    DescribePolicies: describePolicies,
    DeletePolicy: deletePolicy,
    ExecutePolicy: executePolicy,
    CreateOrUpdateTags: createOrUpdateTags,
    DeleteTags: deleteTags,
    DescribeTags: describeTags,
    CreateLaunchConfiguration: createLaunchConfiguration,
    DescribeLaunchConfigurations: describeLaunchConfigurations,
    DeleteLaunchConfiguration: deleteLaunchConfiguration,
    PutScheduledUpdateGroupAction: putScheduledUpdateGroupAction,
    BatchPutScheduledUpdateGroupAction: batchPutScheduledUpdateGroupAction,
    DescribeScheduledActions: describeScheduledActions,
    DeleteScheduledAction: deleteScheduledAction,
    BatchDeleteScheduledAction: batchDeleteScheduledAction,
  },
);

export { reconcileAutoScaling } from './reconcile';
export { executeAsgPolicy } from './execute';
export { autoScalingState, isAsgPolicyArn, type AutoScalingState } from './model';
