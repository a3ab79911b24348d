import { strict as assert } from 'node:assert';
import { AasHarness, DIM, RID } from './helpers';

describe('Application Auto Scaling API (ECS services)', () => {
  let h: AasHarness;
  beforeEach(() => {
    h = new AasHarness();
  });

  it('RegisterScalableTarget stores the target; DescribeScalableTargets returns it in AWS shape', () => {
    const r = h.register(2, 4);
    assert.match(r.ScalableTargetARN, /^arn:aws:application-autoscaling:ap-northeast-1:123456789012:scalable-target\/[0-9a-f]{36}$/);
    const d = h.aas('DescribeScalableTargets', { ServiceNamespace: 'ecs' });
    assert.equal(d.ScalableTargets.length, 1);
    const t = d.ScalableTargets[0];
    assert.equal(t.ResourceId, RID);
    assert.equal(t.ScalableDimension, DIM);
    assert.equal(t.MinCapacity, 2);
    assert.equal(t.MaxCapacity, 4);
    assert.equal(t.ScalableTargetARN, r.ScalableTargetARN);
    assert.equal(t.CreationTime, Date.UTC(2026, 0, 1) / 1000);
    assert.deepEqual(t.SuspendedState, { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false });
    assert.match(t.RoleARN, /AWSServiceRoleForApplicationAutoScaling_ECSService$/);
    assert.deepEqual(h.aas('DescribeScalableTargets', { ServiceNamespace: 'ecs', ResourceIds: ['service/demo-cluster/other'] }).ScalableTargets, []);
  });

  it('refuses other namespaces, bad resource ids, unknown services, min > max', () => {
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'dynamodb', ResourceId: 'table/x', ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 1, MaxCapacity: 2 }, 'ValidationException', /ECS services only/);
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'nope', ResourceId: RID, ScalableDimension: DIM }, 'ValidationException', /enum value set/);
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: 'demo-service', ScalableDimension: DIM, MinCapacity: 1, MaxCapacity: 2 }, 'ValidationException', 'Unsupported service namespace, resource type or scalable dimension');
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/missing', ScalableDimension: DIM, MinCapacity: 1, MaxCapacity: 2 }, 'ValidationException', "ECS service doesn't exist: service/demo-cluster/missing");
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, MinCapacity: 5, MaxCapacity: 2 }, 'ValidationException', /Minimum capacity cannot be greater/);
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM }, 'ValidationException', /required/);
    h.aasRefused('RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, MinCapacity: 'x', MaxCapacity: 2 }, 'ValidationException', /minCapacity/);
    assert.deepEqual(h.aas('DescribeScalableTargets', { ServiceNamespace: 'ecs' }).ScalableTargets, []);
  });

  it('re-registering updates the target and brings the desired count into the new range, with an activity', () => {
    h.register(1, 4);
    assert.equal(h.service.desiredCount, 2);
    h.register(3, undefined as unknown as number, { MaxCapacity: undefined });
    const t = h.aas('DescribeScalableTargets', { ServiceNamespace: 'ecs' }).ScalableTargets[0];
    assert.equal(t.MinCapacity, 3);
    assert.equal(t.MaxCapacity, 4);
    assert.equal(h.service.desiredCount, 3);
    assert.equal(h.service.deployments[0].desiredCount, 3);
    const [a] = h.activities();
    assert.equal(a.Description, 'Setting desired count to 3.');
    assert.equal(a.Cause, 'minimum capacity was set to 3');
    assert.equal(a.StatusCode, 'Successful');
    h.register(1, 2);
    assert.equal(h.service.desiredCount, 2);
    assert.equal(h.activities()[0].Cause, 'maximum capacity was set to 2');
    assert.equal(h.activities().length, 2);
    h.register(1, 2, { SuspendedState: { DynamicScalingInSuspended: true } });
    assert.equal(h.aas('DescribeScalableTargets', { ServiceNamespace: 'ecs' }).ScalableTargets[0].SuspendedState.DynamicScalingInSuspended, true);
  });

  it('PutScalingPolicy needs a registered target (AWS message) and returns the policy ARN in AWS format', () => {
    h.aasRefused(
      'PutScalingPolicy',
      { PolicyName: 'p', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] } },
      'ObjectNotFoundException',
      `No scalable target registered for service namespace: ecs, resource ID: ${RID}, scalable dimension: ${DIM}`,
    );
    h.register();
    const arn = h.stepPolicy('scale-out', [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }]);
    assert.match(arn, /^arn:aws:autoscaling:ap-northeast-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/demo-cluster\/demo-service:policyName\/scale-out$/);
    // Same name again: updated in place, same ARN.
    assert.equal(h.stepPolicy('scale-out', [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 3 }], { Cooldown: 60 }), arn);
    const d = h.aas('DescribeScalingPolicies', { ServiceNamespace: 'ecs', ResourceId: RID });
    assert.equal(d.ScalingPolicies.length, 1);
    assert.equal(d.ScalingPolicies[0].StepScalingPolicyConfiguration.StepAdjustments[0].ScalingAdjustment, 3);
    assert.equal(d.ScalingPolicies[0].StepScalingPolicyConfiguration.Cooldown, 60);
    assert.equal(d.ScalingPolicies[0].PolicyType, 'StepScaling');
  });

  it('refuses bad step configurations', () => {
    h.register();
    const put = (cfg: Record<string, unknown>) => ({ PolicyName: 'p', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', ...cfg } });
    h.aasRefused('PutScalingPolicy', put({ StepAdjustments: [] }), 'ValidationException');
    h.aasRefused('PutScalingPolicy', put({ AdjustmentType: undefined, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] }), 'ValidationException', /AdjustmentType is required/);
    h.aasRefused('PutScalingPolicy', put({ StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 }] }), 'ValidationException', /null upper bound/);
    h.aasRefused('PutScalingPolicy', put({ AdjustmentType: 'Sideways', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] }), 'ValidationException', /enum value set/);
    h.aasRefused('PutScalingPolicy', put({ StepAdjustments: [{ MetricIntervalLowerBound: 0 }] }), 'ValidationException', /scalingAdjustment/);
    assert.deepEqual(h.aas('DescribeScalingPolicies', { ServiceNamespace: 'ecs' }).ScalingPolicies, []);
  });

  it('target tracking creates its two alarms with AWS names and settings; delete removes them', () => {
    h.register();
    const r = h.trackingPolicy('cpu50', 50);
    assert.equal(r.Alarms.length, 2);
    const [high, low] = r.Alarms;
    assert.match(high.AlarmName, /^TargetTracking-service\/demo-cluster\/demo-service-AlarmHigh-[0-9a-f-]{36}$/);
    assert.match(low.AlarmName, /^TargetTracking-service\/demo-cluster\/demo-service-AlarmLow-[0-9a-f-]{36}$/);
    assert.equal(high.AlarmARN, `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${high.AlarmName}`);
    const hs = h.alarms[high.AlarmName];
    const ls = h.alarms[low.AlarmName];
    assert.equal(hs.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(hs.Threshold, 50);
    assert.equal(hs.EvaluationPeriods, 3);
    assert.equal(hs.Period, 60);
    assert.equal(ls.ComparisonOperator, 'LessThanThreshold');
    assert.equal(ls.Threshold, 45);
    assert.equal(ls.EvaluationPeriods, 15);
    assert.equal(hs.Namespace, 'AWS/ECS');
    assert.equal(hs.MetricName, 'CPUUtilization');
    assert.deepEqual(hs.Dimensions, [{ Name: 'ClusterName', Value: 'demo-cluster' }, { Name: 'ServiceName', Value: 'demo-service' }]);
    assert.equal(hs.AlarmDescription, `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${r.PolicyARN}.`);
    assert.deepEqual(hs.AlarmActions, [r.PolicyARN]);
    const d = h.aas('DescribeScalingPolicies', { ServiceNamespace: 'ecs', PolicyNames: ['cpu50'] }).ScalingPolicies[0];
    assert.deepEqual(d.Alarms, r.Alarms);
    h.aas('DeleteScalingPolicy', { PolicyName: 'cpu50', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM });
    assert.equal(Object.keys(h.alarms).length, 0);
    h.aasRefused('DeleteScalingPolicy', { PolicyName: 'cpu50', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM }, 'ObjectNotFoundException');
  });

  it('target tracking: DisableScaleIn creates only the high alarm; ALBRequestCountPerTarget needs a ResourceLabel', () => {
    h.register();
    const r = h.trackingPolicy('cpu', 60, { DisableScaleIn: true });
    assert.equal(r.Alarms.length, 1);
    assert.match(r.Alarms[0].AlarmName, /-AlarmHigh-/);
    h.aasRefused('PutScalingPolicy', {
      PolicyName: 'alb', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' } },
    }, 'ValidationException', /ResourceLabel/);
    const alb = h.aas('PutScalingPolicy', {
      PolicyName: 'alb', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: 'app/lb/0123/targetgroup/tg/4567' } },
    });
    const spec = h.alarms[alb.Alarms[0].AlarmName];
    assert.equal(spec.Namespace, 'AWS/ApplicationELB');
    assert.equal(spec.MetricName, 'RequestCountPerTarget');
    assert.deepEqual(spec.Dimensions, [{ Name: 'TargetGroup', Value: 'targetgroup/tg/4567' }]);
  });

  it('updating a target tracking policy keeps its ARN and replaces its alarms; a custom metric needs a name and namespace', () => {
    h.register();
    const first = h.trackingPolicy('cpu', 50);
    const second = h.trackingPolicy('cpu', 70);
    assert.equal(second.PolicyARN, first.PolicyARN);
    assert.deepEqual(Object.keys(h.alarms).sort(), second.Alarms.map((a: { AlarmName: string }) => a.AlarmName).sort());
    assert.equal(h.alarms[second.Alarms[0].AlarmName].Threshold, 70);
    h.aasRefused('PutScalingPolicy', {
      PolicyName: 'custom', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 10, CustomizedMetricSpecification: { MetricName: 'Load', Statistic: 'Average' } },
    }, 'ValidationException', /namespace/);
    assert.equal(Object.keys(h.alarms).length, 2);
  });

  it('DeregisterScalableTarget deletes its policies and their alarms', () => {
    h.register();
    h.trackingPolicy('cpu50', 50);
    h.stepPolicy('out', [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }]);
    h.aas('DeregisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM });
    assert.equal(Object.keys(h.alarms).length, 0);
    assert.deepEqual(h.aas('DescribeScalingPolicies', { ServiceNamespace: 'ecs' }).ScalingPolicies, []);
    assert.deepEqual(h.aas('DescribeScalableTargets', { ServiceNamespace: 'ecs' }).ScalableTargets, []);
    h.aasRefused('DeregisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM }, 'ObjectNotFoundException', /No scalable target registered/);
  });

  it('paginates DescribeScalingActivities with NextToken', () => {
    h.register(1, 10);
    for (let n = 3; n <= 7; n++) h.register(n, 10);
    const p1 = h.aas('DescribeScalingActivities', { ServiceNamespace: 'ecs', MaxResults: 2 });
    assert.equal(p1.ScalingActivities.length, 2);
    assert.equal(p1.ScalingActivities[0].Description, 'Setting desired count to 7.');
    const p2 = h.aas('DescribeScalingActivities', { ServiceNamespace: 'ecs', MaxResults: 2, NextToken: p1.NextToken });
    assert.equal(p2.ScalingActivities[0].Description, 'Setting desired count to 5.');
    h.aasRefused('DescribeScalingActivities', { ServiceNamespace: 'ecs', MaxResults: 51 }, 'ValidationException');
  });
});
