/**
 * The chain with the real CloudWatch: target tracking alarms are ordinary CloudWatch alarms
 * (DescribeAlarms lists them, DeleteScalingPolicy removes them), and a CloudWatch alarm on a metric
 * above its threshold invokes the step policy, which scales the service.
 */
import { strict as assert } from 'node:assert';
import { cloudwatchService, cloudwatchTick } from '../../../src/sandbox/cloudwatch';
import { routeAlarmAction } from '../../../src/sandbox/cloudwatch/actions';
import { scalingAlarmActions } from '../../../src/sandbox/scaling';
import { AasHarness, DIM, RID } from './helpers';

describe('Application Auto Scaling with the real CloudWatch', () => {
  let h: AasHarness;
  beforeEach(() => {
    h = new AasHarness(2);
    h.settle();
  });

  const cw = (op: string, input: unknown): any => JSON.parse(JSON.stringify(cloudwatchService.operations[op](h.ctx(), input) ?? {}));

  it('target tracking alarms are CloudWatch alarms; deleting the policy deletes them', () => {
    h.register(2, 4);
    const r = h.trackingPolicy('cpu50', 50);
    const names = r.Alarms.map((a: { AlarmName: string }) => a.AlarmName);
    const described = cw('DescribeAlarms', { AlarmNames: names }).MetricAlarms;
    assert.equal(described.length, 2);
    const high = described.find((a: any) => /AlarmHigh/.test(a.AlarmName));
    assert.equal(high.Threshold, 50);
    assert.equal(high.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(high.EvaluationPeriods, 3);
    assert.deepEqual(high.AlarmActions, [r.PolicyARN]);
    assert.equal(high.AlarmDescription, `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${r.PolicyARN}.`);
    assert.equal(high.AlarmArn ?? high.AlarmARN, r.Alarms[0].AlarmARN);
    h.aas('DeleteScalingPolicy', { PolicyName: 'cpu50', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM });
    assert.equal(cw('DescribeAlarms', { AlarmNames: names }).MetricAlarms.length, 0);
  });

  it('a CloudWatch alarm in ALARM invokes the step policy: desired 2 → 4 and the activity names the alarm', () => {
    h.register(2, 4);
    const arn = h.stepPolicy('cpu-out', [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }]);
    cw('PutMetricAlarm', {
      AlarmName: 'demo-cpu-high',
      Namespace: 'Custom/Demo',
      MetricName: 'Load',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 20,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [arn],
    });
    for (let m = 0; m < 3 && h.service.desiredCount === 2; m++) {
      cw('PutMetricData', { Namespace: 'Custom/Demo', MetricData: [{ MetricName: 'Load', Value: 35 }] });
      h.clock.advance(60_000);
      cloudwatchTick({ engine: h.engine, rs: h.state, now: h.clock.now(), runtime: h.runtime }, {}, (ctx, arn, e) => routeAlarmAction(scalingAlarmActions, ctx, arn, e));
    }
    assert.equal(cw('DescribeAlarms', { AlarmNames: ['demo-cpu-high'] }).MetricAlarms[0].StateValue, 'ALARM');
    assert.equal(h.service.desiredCount, 4);
    const [a] = h.activities();
    assert.equal(a.Description, 'Setting desired count to 4.');
    assert.equal(a.Cause, 'monitor alarm demo-cpu-high in state ALARM triggered policy cpu-out');
  });
});
