import { strict as assert } from 'node:assert';
import { routeAlarmAction } from '../../../src/sandbox/cloudwatch/actions';
import { scalingAlarmActions } from '../../../src/sandbox/scaling';
import { AsgHarness } from './helpers';

describe('EC2 Auto Scaling policies', () => {
  let h: AsgHarness;
  beforeEach(() => {
    h = new AsgHarness();
    h.create();
    h.run(20_000);
  });

  const fire = (arn: string, value: number, threshold = 20, alarmName = 'cluster-cpu-high') =>
    routeAlarmAction(scalingAlarmActions, { engine: h.engine, rs: h.state, now: h.clock.now(), runtime: h.runtime }, arn, {
      alarmName,
      alarmArn: `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${alarmName}`,
      state: 'ALARM',
      value,
      threshold,
    });

  const simple = (name: string, adj: number, cooldown?: number): string =>
    h.asg('PutScalingPolicy', {
      AutoScalingGroupName: 'ecs-asg',
      PolicyName: name,
      AdjustmentType: 'ChangeInCapacity',
      ScalingAdjustment: String(adj),
      ...(cooldown !== undefined ? { Cooldown: String(cooldown) } : {}),
    }).PolicyARN;

  it('PutScalingPolicy returns an ARN in AWS format; DescribePolicies / DeletePolicy', () => {
    const arn = simple('scale-out', 2, 120);
    assert.match(arn, /^arn:aws:autoscaling:ap-northeast-1:123456789012:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/ecs-asg:policyName\/scale-out$/);
    const [p] = h.asg('DescribePolicies', { AutoScalingGroupName: 'ecs-asg' }).ScalingPolicies;
    assert.equal(p.PolicyType, 'SimpleScaling');
    assert.equal(p.ScalingAdjustment, 2);
    assert.equal(p.Cooldown, 120);
    assert.equal(simple('scale-out', 3), arn);
    h.asg('DeletePolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'scale-out' });
    assert.deepEqual(h.asg('DescribePolicies', { AutoScalingGroupName: 'ecs-asg' }).ScalingPolicies, []);
    h.asgRefused('PutScalingPolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'x', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: '0', ScalingAdjustment: '1' }, { MetricIntervalLowerBound: '5', ScalingAdjustment: '1' }] }, 'ValidationError', /null upper bound/);
    h.asgRefused('PutScalingPolicy', { AutoScalingGroupName: 'nope', PolicyName: 'x', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: '1' }, 'ValidationError', /not found/);
  });

  it('an alarm on a simple policy adds instances (clamped to MaxSize); the activity cause names the alarm and policy', () => {
    const arn = simple('cluster-scale-out', 3);
    assert.equal(fire(arn, 35), true);
    assert.equal(h.group().DesiredCapacity, 4);
    h.run(20_000);
    assert.equal(h.activeContainerInstances(), 4);
    const [a] = h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities;
    assert.match(a.Description, /^Launching a new EC2 instance: i-/);
    assert.match(
      a.Cause,
      /^At 2026-01-01T00:00:20Z a monitor alarm cluster-cpu-high in state ALARM triggered policy cluster-scale-out changing the desired capacity from 2 to 4\. {2}At 2026-01-01T00:00:2\dZ an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4\.$/,
    );
    assert.equal(a.StatusCode, 'Successful');
    assert.equal(a.Progress, 100);
  });

  it('simple scaling honours the cooldown (policy Cooldown, else DefaultCooldown)', () => {
    const out = simple('out', 1, 60);
    const inn = simple('in', -1);
    fire(out, 30);
    assert.equal(h.group().DesiredCapacity, 3);
    h.run(30_000);
    fire(out, 30);
    assert.equal(h.group().DesiredCapacity, 3);
    fire(inn, 5, 20, 'low');
    assert.equal(h.group().DesiredCapacity, 3);
    h.run(31_000);
    fire(inn, 5, 20, 'low');
    assert.equal(h.group().DesiredCapacity, 2);
    // now the default cooldown (300 s) of the 'in' policy applies
    h.run(200_000);
    fire(out, 30);
    assert.equal(h.group().DesiredCapacity, 2);
    h.run(101_000);
    fire(out, 30);
    assert.equal(h.group().DesiredCapacity, 3);
  });

  it('a step policy picks its step from the breach; ExecutePolicy needs MetricValue / BreachThreshold for it', () => {
    const arn = h.asg('PutScalingPolicy', {
      AutoScalingGroupName: 'ecs-asg',
      PolicyName: 'steps',
      PolicyType: 'StepScaling',
      AdjustmentType: 'ChangeInCapacity',
      MetricAggregationType: 'Average',
      StepAdjustments: [
        { MetricIntervalLowerBound: '0', MetricIntervalUpperBound: '20', ScalingAdjustment: '1' },
        { MetricIntervalLowerBound: '20', ScalingAdjustment: '2' },
      ],
    }).PolicyARN;
    fire(arn, 25); // 5 above → +1
    assert.equal(h.group().DesiredCapacity, 3);
    // The new instance is warming up: the same step again adds nothing, a larger one adds beyond it.
    fire(arn, 25);
    assert.equal(h.group().DesiredCapacity, 3);
    fire(arn, 60); // from 2: +2 = 4 > 3
    assert.equal(h.group().DesiredCapacity, 4);
    // After the warm-up (DefaultCooldown 300 s) the same step applies again.
    h.asg('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg', MaxSize: '6' });
    fire(arn, 25);
    assert.equal(h.group().DesiredCapacity, 4); // still warming up
    h.run(301_000);
    fire(arn, 25);
    assert.equal(h.group().DesiredCapacity, 5);
    h.asgRefused('ExecutePolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'steps' }, 'ValidationError', /MetricValue and BreachThreshold/);
  });

  it('ExecutePolicy runs a simple policy; with HonorCooldown during the cooldown it is refused', () => {
    simple('out', 1);
    h.asg('ExecutePolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'out' });
    assert.equal(h.group().DesiredCapacity, 3);
    h.asgRefused('ExecutePolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'out', HonorCooldown: 'true' }, 'ScalingActivityInProgress');
    h.asg('ExecutePolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'out' });
    assert.equal(h.group().DesiredCapacity, 4);
    h.tickScaling();
    assert.match(h.asg('DescribeScalingActivities', {}).Activities[0].Cause, /a user request executed policy out changing the desired capacity from 3 to 4\./);
  });

  it('alarms on disabled policies or OK transitions change nothing', () => {
    const arn = h.asg('PutScalingPolicy', { AutoScalingGroupName: 'ecs-asg', PolicyName: 'off', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: '1', Enabled: 'false' }).PolicyARN;
    fire(arn, 30);
    const on = simple('on', 1);
    routeAlarmAction(scalingAlarmActions, { engine: h.engine, rs: h.state, now: h.clock.now(), runtime: h.runtime }, on, { alarmName: 'a', alarmArn: 'x', state: 'OK', threshold: 20 });
    assert.equal(h.group().DesiredCapacity, 2);
  });
});
