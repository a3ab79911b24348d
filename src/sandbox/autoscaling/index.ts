/**
 * Amazon EC2 Auto Scaling in the sandbox (awsQuery, Version 2011-01-01): Auto Scaling groups from
 * launch templates whose instances register with ECS through their user data, capacity and
 * instance protection, simple / step scaling policies fired by CloudWatch alarms or ExecutePolicy,
 * scaling activities. reconcile.ts moves the instances on every tick (../scaling.ts).
 */
import type { Handler, ServiceDefinition } from '../service';
import {
  createAutoScalingGroup,
  deleteAutoScalingGroup,
  deletePolicy,
  describeAutoScalingGroups,
  describeAutoScalingInstances,
  describePolicies,
  describeScalingActivities,
  executePolicy,
  putScalingPolicy,
  setDesiredCapacity,
  setInstanceProtection,
  terminateInstanceInAutoScalingGroup,
  updateAutoScalingGroup,
} from './api';
import { obj } from './input';

type Op = (ctx: Parameters<Handler>[0], input: Record<string, unknown>) => unknown;
const op = (fn: Op): Handler => (ctx, input) => fn(ctx, obj(input));

export const autoScalingService: ServiceDefinition = {
  signingName: 'autoscaling',
  protocol: 'awsQuery',
  version: '2011-01-01',
  xmlns: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  operations: {
    CreateAutoScalingGroup: op(createAutoScalingGroup),
    UpdateAutoScalingGroup: op(updateAutoScalingGroup),
    DescribeAutoScalingGroups: op(describeAutoScalingGroups),
    DeleteAutoScalingGroup: op(deleteAutoScalingGroup),
    SetDesiredCapacity: op(setDesiredCapacity),
    SetInstanceProtection: op(setInstanceProtection),
    TerminateInstanceInAutoScalingGroup: op(terminateInstanceInAutoScalingGroup),
    DescribeAutoScalingInstances: op(describeAutoScalingInstances),
    DescribeScalingActivities: op(describeScalingActivities),
    PutScalingPolicy: op(putScalingPolicy),
    DescribePolicies: op(describePolicies),
    DeletePolicy: op(deletePolicy),
    ExecutePolicy: op(executePolicy),
  },
};

export { reconcileAutoScaling } from './reconcile';
export { executeAsgPolicy } from './execute';
export { autoScalingState, isAsgPolicyArn, type AutoScalingState } from './model';
