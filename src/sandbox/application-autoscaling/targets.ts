/** RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget. */
import type {
  DeregisterScalableTargetCommandInput,
  DescribeScalableTargetsCommandInput,
  RegisterScalableTargetCommandInput,
} from '@aws-sdk/client-application-auto-scaling';
import { forgetTargetActions } from './scheduled-actions';
import { hexId } from '../engine/ids';
import { ensureServiceLinkedRole } from '../iam';
import { APPLICATION_AUTO_SCALING, appScalingFields as f, paginate, type Operation } from '../kit';
import { appScalingState, policiesOf, targetKey, type ScalableTarget } from './model';
import { deletePolicyRecord } from './policies';
import { namespace, notRegistered, pageSize, resource, scope } from './request';
import { findService, setDesiredCount } from './scale';

const targetOut = (t: ScalableTarget) => ({
  ServiceNamespace: t.ServiceNamespace,
  ResourceId: t.ResourceId,
  ScalableDimension: t.ScalableDimension,
  MinCapacity: t.MinCapacity,
  MaxCapacity: t.MaxCapacity,
  RoleARN: t.RoleARN,
  CreationTime: t.CreationTime / 1000,
  SuspendedState: { ...t.SuspendedState },
  ScalableTargetARN: t.ScalableTargetARN,
});

export const registerScalableTarget: Operation<RegisterScalableTargetCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const min = f.int(input.MinCapacity, 'MinCapacity', { min: 0 });
  const max = f.int(input.MaxCapacity, 'MaxCapacity', { min: 0 });
  const roleArn = input.RoleARN;
  const suspended = input.SuspendedState;
  const s = appScalingState(ctx.state);
  const key = targetKey(ns, resourceId, dimension);
  const existing = s.targets[key];
  if (!findService(scope(ctx), resourceId)) f.fail(`ECS service doesn't exist: ${resourceId}`);
  if (!existing && (min === undefined || max === undefined)) {
    f.fail('MinCapacity and MaxCapacity are required when registering a new scalable target');
  }
  const newMin = min ?? existing.MinCapacity;
  const newMax = max ?? existing.MaxCapacity;
  if (newMin > newMax) f.fail('Minimum capacity cannot be greater than maximum capacity');
  const susp = {
    DynamicScalingInSuspended: suspended?.DynamicScalingInSuspended ?? existing?.SuspendedState.DynamicScalingInSuspended ?? false,
    DynamicScalingOutSuspended: suspended?.DynamicScalingOutSuspended ?? existing?.SuspendedState.DynamicScalingOutSuspended ?? false,
    ScheduledScalingSuspended: suspended?.ScheduledScalingSuspended ?? existing?.SuspendedState.ScheduledScalingSuspended ?? false,
  };
  const t: ScalableTarget = existing ?? {
    ServiceNamespace: ns,
    ResourceId: resourceId,
    ScalableDimension: dimension,
    MinCapacity: newMin,
    MaxCapacity: newMax,
    RoleARN:
      roleArn ??
      `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    CreationTime: ctx.now,
    SuspendedState: susp,
    ScalableTargetARN: `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${hexId(4)}${hexId(32)}`,
  };
  t.MinCapacity = newMin;
  t.MaxCapacity = newMax;
  t.SuspendedState = susp;
  if (roleArn) t.RoleARN = roleArn;
  s.targets[key] = t;
  if (!existing && !roleArn && ns === 'ecs') ensureServiceLinkedRole(ctx.world, ctx.now, 'ecs.application-autoscaling.amazonaws.com');
  // As AWS does: a desired count outside the new range is brought into it.
  const svc = findService(scope(ctx), resourceId)!;
  if (svc.desiredCount < newMin) setDesiredCount(scope(ctx), s, t, newMin, `minimum capacity was set to ${newMin}`);
  else if (svc.desiredCount > newMax) setDesiredCount(scope(ctx), s, t, newMax, `maximum capacity was set to ${newMax}`);
  return { ScalableTargetARN: t.ScalableTargetARN };
};

export const describeScalableTargets: Operation<DescribeScalableTargetsCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const ids = input.ResourceIds;
  const dim = input.ScalableDimension;
  const s = appScalingState(ctx.state);
  const all = Object.values(s.targets)
    .filter((t) => t.ServiceNamespace === ns && (!ids || ids.includes(t.ResourceId)) && (!dim || t.ScalableDimension === dim))
    .sort((a, b) => a.CreationTime - b.CreationTime);
  const { page, next } = paginate(
    all,
    { op: 'DescribeScalableTargets', size: pageSize(input.MaxResults), token: input.NextToken, key: (t) => t.ScalableTargetARN },
    APPLICATION_AUTO_SCALING,
  );
  return { ScalableTargets: page.map(targetOut), ...(next ? { NextToken: next } : {}) };
};

export const deregisterScalableTarget: Operation<DeregisterScalableTargetCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const { resourceId, dimension } = resource(input);
  const s = appScalingState(ctx.state);
  const key = targetKey(ns, resourceId, dimension);
  const t = s.targets[key];
  if (!t) return notRegistered(ns, resourceId, dimension);
  for (const p of policiesOf(s, t)) deletePolicyRecord(ctx, p);
  forgetTargetActions(s, t);
  delete s.targets[key];
  return {};
};
