/** PutScalingPolicy, DescribePolicies, DeletePolicy, ExecutePolicy: simple and step scaling policies. */
import { randomUUID } from 'node:crypto';
import type {
  DeletePolicyCommandInput,
  DescribePoliciesCommandInput,
  ExecutePolicyCommandInput,
  PutScalingPolicyCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { stepProblem, type AdjustmentType } from '../application-autoscaling/step-math';
import { AUTO_SCALING, autoScalingFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { executeAsgPolicy } from './execute';
import { group, pageSize } from './groups';
import { autoScalingState, type AsgPolicy } from './model';
import { deleteAsgPolicy, putTargetTracking } from './target-tracking';

const ADJUSTMENT_TYPES: readonly AdjustmentType[] = ['ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity'];

export const putScalingPolicy: Operation<PutScalingPolicyCommandInput> = (ctx, input) => {
  const g = group(ctx, f.str(input.AutoScalingGroupName, 'AutoScalingGroupName', { required: true, min: 1, max: 255 }));
  const name = f.str(input.PolicyName, 'PolicyName', { required: true, min: 1, max: 255 });
  const type = input.PolicyType ?? 'SimpleScaling';
  if (type === 'PredictiveScaling') f.fail('The sandbox supports SimpleScaling, StepScaling and TargetTrackingScaling policies for Auto Scaling groups, not PredictiveScaling.');
  if (type !== 'SimpleScaling' && type !== 'StepScaling' && type !== 'TargetTrackingScaling') {
    f.fail(`Invalid policy type ${type}. Valid values: SimpleScaling, StepScaling, TargetTrackingScaling, PredictiveScaling.`);
  }
  const existingPolicy = Object.values(autoScalingState(ctx.state).policies).find((p) => p.AutoScalingGroupName === g.AutoScalingGroupName && p.PolicyName === name);
  if (existingPolicy && existingPolicy.PolicyType !== type) f.fail(`Cannot change the policy type of policy ${name} from ${existingPolicy.PolicyType} to ${type}.`);
  if (type === 'TargetTrackingScaling') return putTargetTracking(ctx, g, name, input, existingPolicy);
  if (input.TargetTrackingConfiguration !== undefined) f.fail(`TargetTrackingConfiguration is not supported for policy type ${type}.`);
  const adjustmentType = input.AdjustmentType as AdjustmentType | undefined;
  if (!adjustmentType) f.fail(`AdjustmentType is required for policy type ${type}.`);
  if (!ADJUSTMENT_TYPES.includes(adjustmentType!)) f.fail(`Invalid adjustment type ${adjustmentType}. Valid values: ${ADJUSTMENT_TYPES.join(', ')}.`);
  const mam = f.int(input.MinAdjustmentMagnitude, 'MinAdjustmentMagnitude', { min: 1 });
  if (mam !== undefined && adjustmentType !== 'PercentChangeInCapacity') f.fail('MinAdjustmentMagnitude is only supported with PercentChangeInCapacity.');
  const s = autoScalingState(ctx.state);
  const existing = Object.values(s.policies).find((p) => p.AutoScalingGroupName === g.AutoScalingGroupName && p.PolicyName === name);
  const arn = existing?.PolicyARN ?? `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${randomUUID()}:autoScalingGroupName/${g.AutoScalingGroupName}:policyName/${name}`;
  const base = { PolicyARN: arn, PolicyName: name, AutoScalingGroupName: g.AutoScalingGroupName, AdjustmentType: adjustmentType!, Alarms: [], Enabled: input.Enabled ?? true };
  let p: AsgPolicy;
  if (type === 'SimpleScaling') {
    const adj = f.int(input.ScalingAdjustment, 'ScalingAdjustment');
    if (adj === undefined) f.fail('ScalingAdjustment is required for policy type SimpleScaling.');
    if (input.StepAdjustments !== undefined) f.fail('StepAdjustments is not supported for policy type SimpleScaling.');
    const cooldown = f.int(input.Cooldown, 'Cooldown', { min: 0 });
    p = { ...base, PolicyType: 'SimpleScaling', ScalingAdjustment: adj!, ...(cooldown !== undefined ? { Cooldown: cooldown } : {}), ...(mam !== undefined ? { MinAdjustmentMagnitude: mam } : {}) };
  } else {
    if (input.ScalingAdjustment !== undefined) f.fail('ScalingAdjustment is not supported for policy type StepScaling.');
    if (input.Cooldown !== undefined) f.fail('Cooldown is not supported for policy type StepScaling.');
    const steps = (input.StepAdjustments ?? []).map((o, i) => {
      const adj = f.int(o.ScalingAdjustment, ['StepAdjustments', i, 'ScalingAdjustment'], { required: true });
      const lower = o.MetricIntervalLowerBound;
      const upper = o.MetricIntervalUpperBound;
      return { ...(lower !== undefined ? { MetricIntervalLowerBound: lower } : {}), ...(upper !== undefined ? { MetricIntervalUpperBound: upper } : {}), ScalingAdjustment: adj };
    });
    if (steps.length === 0) f.fail('StepAdjustments is required for policy type StepScaling.');
    const problem = stepProblem(steps.map((x) => ({ lower: x.MetricIntervalLowerBound, upper: x.MetricIntervalUpperBound, adjustment: x.ScalingAdjustment })));
    if (problem) f.fail(problem);
    const agg = input.MetricAggregationType ?? 'Average';
    if (!['Average', 'Minimum', 'Maximum'].includes(agg)) f.fail(`Invalid metric aggregation type ${agg}. Valid values: Average, Minimum, Maximum.`);
    const warmup = f.int(input.EstimatedInstanceWarmup, 'EstimatedInstanceWarmup', { min: 0 });
    p = {
      ...base,
      PolicyType: 'StepScaling',
      StepAdjustments: steps,
      MetricAggregationType: agg,
      ...(warmup !== undefined ? { EstimatedInstanceWarmup: warmup } : {}),
      ...(mam !== undefined ? { MinAdjustmentMagnitude: mam } : {}),
    };
  }
  s.policies[arn] = p;
  return { PolicyARN: arn, Alarms: [] };
}

const policyOut = (p: AsgPolicy) => ({
  AutoScalingGroupName: p.AutoScalingGroupName,
  PolicyName: p.PolicyName,
  PolicyARN: p.PolicyARN,
  PolicyType: p.PolicyType,
  ...(p.AdjustmentType ? { AdjustmentType: p.AdjustmentType } : {}),
  ...(p.MinAdjustmentMagnitude !== undefined ? { MinAdjustmentMagnitude: p.MinAdjustmentMagnitude } : {}),
  ...(p.ScalingAdjustment !== undefined ? { ScalingAdjustment: p.ScalingAdjustment } : {}),
  ...(p.Cooldown !== undefined ? { Cooldown: p.Cooldown } : {}),
  StepAdjustments: p.StepAdjustments ?? [],
  ...(p.MetricAggregationType ? { MetricAggregationType: p.MetricAggregationType } : {}),
  ...(p.EstimatedInstanceWarmup !== undefined ? { EstimatedInstanceWarmup: p.EstimatedInstanceWarmup } : {}),
  Alarms: p.Alarms,
  ...(p.TargetTrackingConfiguration ? { TargetTrackingConfiguration: p.TargetTrackingConfiguration } : {}),
  Enabled: p.Enabled,
});

export const describePolicies: Operation<DescribePoliciesCommandInput> = (ctx, input) => {
  const groupName = input.AutoScalingGroupName;
  const names = input.PolicyNames ?? [];
  const types = input.PolicyTypes ?? [];
  const all = Object.values(autoScalingState(ctx.state).policies).filter(
    (p) => (!groupName || p.AutoScalingGroupName === groupName) && (!names.length || names.includes(p.PolicyName) || names.includes(p.PolicyARN)) && (!types.length || types.includes(p.PolicyType)),
  );
  const { page, next } = paginate(all, { op: 'DescribePolicies', size: pageSize(input.MaxRecords, 100), token: input.NextToken, key: (x) => x.PolicyARN }, AUTO_SCALING);
  return { ScalingPolicies: page.map(policyOut), ...(next ? { NextToken: next } : {}) };
}

function findPolicy(ctx: RequestContext, groupName: string | undefined, nameOrArn: string): AsgPolicy | undefined {
  return Object.values(autoScalingState(ctx.state).policies).find(
    (p) => p.PolicyARN === nameOrArn || (p.PolicyName === nameOrArn && (!groupName || p.AutoScalingGroupName === groupName)),
  );
}

export const deletePolicy: Operation<DeletePolicyCommandInput> = (ctx, input) => {
  const groupName = input.AutoScalingGroupName;
  const name = f.str(input.PolicyName, 'PolicyName', { required: true, min: 1, max: 1600 });
  if (groupName !== undefined) group(ctx, groupName);
  const p = findPolicy(ctx, groupName, name);
  if (!p) f.fail(`Policy ${name} not found${groupName ? ` for Auto Scaling group ${groupName}` : ''}.`);
  deleteAsgPolicy(ctx, p!);
  return {};
}

export const executePolicy: Operation<ExecutePolicyCommandInput> = (ctx, input) => {
  const groupName = input.AutoScalingGroupName;
  const name = f.str(input.PolicyName, 'PolicyName', { required: true, min: 1, max: 1600 });
  if (groupName !== undefined) group(ctx, groupName);
  const p = findPolicy(ctx, groupName, name);
  if (!p) return f.fail(`Policy ${name} not found${groupName ? ` for Auto Scaling group ${groupName}` : ''}.`);
  const g = group(ctx, p.AutoScalingGroupName);
  const honor = input.HonorCooldown ?? false;
  const value = input.MetricValue;
  const threshold = input.BreachThreshold;
  if (p.PolicyType === 'TargetTrackingScaling') f.fail('ExecutePolicy is not supported for a TargetTrackingScaling policy.');
  if (p.PolicyType === 'StepScaling' && (value === undefined || threshold === undefined)) {
    f.fail('MetricValue and BreachThreshold are required to execute a StepScaling policy.');
  }
  if (p.PolicyType === 'SimpleScaling' && (value !== undefined || threshold !== undefined)) {
    f.fail('MetricValue and BreachThreshold are only supported for StepScaling policies.');
  }
  const r = executeAsgPolicy(g, p, ctx.now, { why: `a user request executed policy ${p.PolicyName}`, value, threshold, honorCooldown: honor });
  if (r === 'cooldown' && p.PolicyType === 'SimpleScaling') {
    throw new AwsError('ScalingActivityInProgress', `The cooldown period of the Auto Scaling group ${g.AutoScalingGroupName} has not expired; the policy ${p.PolicyName} was not executed.`);
  }
  return {};
}
