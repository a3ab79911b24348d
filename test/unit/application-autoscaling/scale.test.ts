import { strict as assert } from 'node:assert';
import { routeAlarmAction } from '../../../src/sandbox/cloudwatch/actions';
import { scalingAlarmActions } from '../../../src/sandbox/scaling';
import { applyAlarmAction } from '../../../src/sandbox/application-autoscaling/scale';
import { AasHarness } from './helpers';

const OUT_STEPS = [
  { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 30, ScalingAdjustment: 2 },
  { MetricIntervalLowerBound: 30, ScalingAdjustment: 4 },
];
const IN_STEPS = [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }];

describe('Application Auto Scaling: policies acting on alarms', () => {
  let h: AasHarness;
  beforeEach(() => {
    h = new AasHarness(2);
    h.settle();
  });

  const alarm = (name: string, value: number, threshold = 20) => ({ alarmName: name, alarmArn: `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${name}`, state: 'ALARM' as const, value, threshold });

  it('a step policy invoked through the alarm-action registry sets the desired count and records the activity in AWS words', () => {
    h.register(2, 4);
    const arn = h.stepPolicy('cpu-out', OUT_STEPS);
    assert.equal(routeAlarmAction(scalingAlarmActions, { engine: h.engine, rs: h.state, now: h.clock.now(), runtime: h.runtime }, arn, alarm('cpu-high', 35)), true);
    assert.equal(h.service.desiredCount, 4);
    assert.equal(h.service.deployments[0].desiredCount, 4);
    const [a] = h.activities();
    assert.equal(a.Description, 'Setting desired count to 4.');
    assert.equal(a.Cause, 'monitor alarm cpu-high in state ALARM triggered policy cpu-out');
    assert.equal(a.StatusCode, 'Successful');
    assert.equal(a.StatusMessage, 'Successfully set desired count to 4. Change successfully fulfilled by ecs.');
    assert.equal(a.StartTime, h.clock.now() / 1000);
    assert.equal(a.EndTime, h.clock.now() / 1000);
    assert.match(a.ActivityId, /^[0-9a-f-]{36}$/);
  });

  it('the breach picks the step and the result is clamped to MaxCapacity', () => {
    h.register(2, 5);
    const arn = h.stepPolicy('cpu-out', OUT_STEPS);
    applyAlarmAction(h.scope(), arn, alarm('cpu-high', 80)); // 60 above → +4 → 6 → clamped to 5
    assert.equal(h.service.desiredCount, 5);
    assert.equal(h.activities()[0].Description, 'Setting desired count to 5.');
  });

  it('OK / INSUFFICIENT_DATA transitions and unknown ARNs do nothing', () => {
    h.register(2, 4);
    const arn = h.stepPolicy('cpu-out', OUT_STEPS);
    assert.equal(applyAlarmAction(h.scope(), arn, { ...alarm('cpu-high', 35), state: 'OK' }), 'ignored');
    assert.equal(applyAlarmAction(h.scope(), `${arn}x`, alarm('cpu-high', 35)), 'ignored');
    assert.equal(h.service.desiredCount, 2);
    assert.equal(h.activities().length, 0);
  });

  it('scale-out cooldown: the same step again does nothing, a larger one still scales out', () => {
    h.register(1, 10);
    const arn = h.stepPolicy('cpu-out', OUT_STEPS, { Cooldown: 300 });
    assert.equal(applyAlarmAction(h.scope(), arn, alarm('cpu-high', 25)), 'scaled-out'); // +2 → 4
    assert.equal(h.service.desiredCount, 4);
    h.clock.advance(60_000);
    assert.equal(applyAlarmAction(h.scope(), arn, alarm('cpu-high', 25)), 'cooldown'); // 2 + 2 = 4, not more
    assert.equal(h.service.desiredCount, 4);
    assert.equal(applyAlarmAction(h.scope(), arn, alarm('cpu-high', 90)), 'scaled-out'); // 2 + 4 = 6 > 4
    assert.equal(h.service.desiredCount, 6);
    h.clock.advance(301_000);
    assert.equal(applyAlarmAction(h.scope(), arn, alarm('cpu-high', 25)), 'scaled-out'); // cooldown over: 6 + 2
    assert.equal(h.service.desiredCount, 8);
  });

  it('scale-in cooldown blocks further scale-in until it expires; a scale-out is not blocked by it', () => {
    h.register(1, 10);
    h.engine.serviceUpdated(h.state, h.service, { desiredCount: 5 });
    const inArn = h.stepPolicy('cpu-in', IN_STEPS, { Cooldown: 120 });
    const outArn = h.stepPolicy('cpu-out', OUT_STEPS, { Cooldown: 120 });
    assert.equal(applyAlarmAction(h.scope(), inArn, alarm('cpu-low', 5)), 'scaled-in');
    assert.equal(h.service.desiredCount, 4);
    h.clock.advance(60_000);
    assert.equal(applyAlarmAction(h.scope(), inArn, alarm('cpu-low', 5)), 'cooldown');
    assert.equal(h.service.desiredCount, 4);
    assert.equal(applyAlarmAction(h.scope(), outArn, alarm('cpu-high', 25)), 'scaled-out');
    assert.equal(h.service.desiredCount, 6);
    h.clock.advance(61_000);
    assert.equal(applyAlarmAction(h.scope(), inArn, alarm('cpu-low', 5)), 'scaled-in');
    assert.equal(h.service.desiredCount, 5);
  });

  it('scale-in stops at MinCapacity', () => {
    h.register(2, 4);
    const arn = h.stepPolicy('cpu-in', [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -5 }]);
    assert.equal(applyAlarmAction(h.scope(), arn, alarm('cpu-low', 1)), 'no-change');
    assert.equal(h.service.desiredCount, 2);
  });

  it('scale-in is suspended while the service has a deployment IN_PROGRESS; scale-out is not', () => {
    h.register(1, 10);
    h.engine.serviceUpdated(h.state, h.service, { desiredCount: 4 });
    h.call('RegisterTaskDefinition', { family: 'demo-app-task', containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver2.0', memory: 256, portMappings: [{ containerPort: 8080 }] }] });
    h.call('UpdateService', { cluster: 'demo-cluster', service: 'demo-service', taskDefinition: 'demo-app-task:2' });
    assert.equal(h.service.deployments[0].rolloutState, 'IN_PROGRESS');
    const inArn = h.stepPolicy('cpu-in', IN_STEPS);
    const outArn = h.stepPolicy('cpu-out', OUT_STEPS);
    assert.equal(applyAlarmAction(h.scope(), inArn, alarm('cpu-low', 5)), 'deployment');
    assert.equal(h.service.desiredCount, 4);
    assert.equal(applyAlarmAction(h.scope(), outArn, alarm('cpu-high', 25)), 'scaled-out');
    assert.equal(h.service.desiredCount, 6);
    h.settle();
    assert.equal(applyAlarmAction(h.scope(), inArn, alarm('cpu-low', 5)), 'scaled-in');
    assert.equal(h.service.desiredCount, 5);
  });

  it('SuspendedState stops dynamic scaling in the suspended direction', () => {
    h.register(1, 10, { SuspendedState: { DynamicScalingOutSuspended: true } });
    const outArn = h.stepPolicy('cpu-out', OUT_STEPS);
    assert.equal(applyAlarmAction(h.scope(), outArn, alarm('cpu-high', 25)), 'suspended');
    assert.equal(h.service.desiredCount, 2);
  });

  it('target tracking: scale out proportionally on the high alarm, in on the low one', () => {
    h.register(1, 10);
    const r = h.trackingPolicy('cpu50', 50, { ScaleInCooldown: 60 });
    const [high, low] = r.Alarms.map((a: { AlarmName: string }) => a.AlarmName);
    // 2 tasks at 100 % against a 50 % target → 4
    assert.equal(applyAlarmAction(h.scope(), r.PolicyARN, alarm(high, 100, 50)), 'scaled-out');
    assert.equal(h.service.desiredCount, 4);
    assert.equal(h.activities()[0].Cause, `monitor alarm ${high} in state ALARM triggered policy cpu50`);
    h.clock.advance(400_000);
    // 4 tasks at 20 % → ceil(1.6) = 2
    assert.equal(applyAlarmAction(h.scope(), r.PolicyARN, alarm(low, 20, 45)), 'scaled-in');
    assert.equal(h.service.desiredCount, 2);
  });

  it('with several target tracking policies: out if any says so, in only if all do', () => {
    h.register(1, 10);
    h.engine.serviceUpdated(h.state, h.service, { desiredCount: 6 });
    const cpu = h.trackingPolicy('cpu50', 50);
    const mem = h.aas('PutScalingPolicy', {
      PolicyName: 'mem70', ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/demo-service', ScalableDimension: 'ecs:service:DesiredCount', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' } },
    });
    const [cpuHigh, cpuLow] = cpu.Alarms.map((a: { AlarmName: string }) => a.AlarmName);
    const [, memLow] = mem.Alarms.map((a: { AlarmName: string }) => a.AlarmName);
    // Memory's low alarm is OK: CPU alone may not scale in.
    h.alarms[memLow].StateValue = 'OK';
    assert.equal(applyAlarmAction(h.scope(), cpu.PolicyARN, alarm(cpuLow, 10, 45)), 'disagree');
    assert.equal(h.service.desiredCount, 6);
    // Both low: scale in.
    h.alarms[memLow].StateValue = 'ALARM';
    assert.equal(applyAlarmAction(h.scope(), cpu.PolicyARN, alarm(cpuLow, 10, 45)), 'scaled-in');
    assert.ok(h.service.desiredCount < 6);
    // Out needs only one.
    const before = h.service.desiredCount;
    assert.equal(applyAlarmAction(h.scope(), cpu.PolicyARN, alarm(cpuHigh, 90, 50)), 'scaled-out');
    assert.ok(h.service.desiredCount > before);
  });

  it('a scalable target whose service was deleted does not scale', () => {
    h.register(1, 10);
    const arn = h.stepPolicy('cpu-out', OUT_STEPS);
    h.call('UpdateService', { cluster: 'demo-cluster', service: 'demo-service', desiredCount: 0 });
    h.call('DeleteService', { cluster: 'demo-cluster', service: 'demo-service' });
    assert.equal(applyAlarmAction(h.scope(), arn, alarm('cpu-high', 25)), 'ignored');
  });
});
