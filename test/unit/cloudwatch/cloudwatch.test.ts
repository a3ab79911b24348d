import assert from 'node:assert/strict';
import type { RegionState, Task } from '../../../src/sandbox/engine/state';
import type { Engine } from '../../../src/sandbox/engine/engine';
import type { TaskRuntime } from '../../../src/sandbox/runtime/runtime';
import { routeAlarmAction, type AlarmActionEvent, type AlarmActionRoute } from '../../../src/sandbox/cloudwatch/actions';
import { cloudwatchService, cloudwatchTick } from '../../../src/sandbox/cloudwatch';
import { cloudwatchState } from '../../../src/sandbox/cloudwatch/model';
import { limits } from '../../../src/sandbox/cloudwatch/alarm-handlers';
import type { RequestContext } from '../../../src/sandbox/service';
import type { AlbMetricsEntry } from '../../../src/sandbox/runtime/alb-metrics';
import { newCounters } from '../../../src/sandbox/runtime/alb-metrics';

const T0 = Date.UTC(2026, 10, 25, 18, 0, 0);
const REGION = 'ap-northeast-1';

function region(): RegionState {
  return {
    region: REGION,
    ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
    ec2: { vpcs: {}, subnets: {}, securityGroups: {}, launchTemplates: {}, instances: {}, internetGateways: {}, routeTables: {}, keyPairs: {} },
    serviceState: {},
  };
}

function addTask(rs: RegionState, id: string, opts: { cpu: number; memory: number; service?: string; startedAt: number; instance?: string }): void {
  rs.ecs.tasks[id] = {
    taskArn: `arn:aws:ecs:${REGION}:123456789012:task/demo/${id}`,
    clusterArn: `arn:aws:ecs:${REGION}:123456789012:cluster/demo`,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    cpu: String(opts.cpu),
    memory: String(opts.memory),
    group: opts.service ? `service:${opts.service}` : 'family:x',
    serviceName: opts.service,
    startedAt: opts.startedAt,
    ec2InstanceId: opts.instance ?? 'i-1',
  } as unknown as Task;
}

function addInstance(rs: RegionState, id: string, cpu: number, mem: number, asg?: string): void {
  rs.ec2.instances[id] = { instanceId: id, instanceType: 't3.small', state: 'running', tags: asg ? [{ key: 'aws:autoscaling:groupName', value: asg }] : [] } as never;
  rs.ecs.containerInstances[id] = { ec2InstanceId: id, clusterName: 'demo', status: 'ACTIVE', registeredCpu: cpu, registeredMemory: mem } as never;
}

/** CPU seconds per task, set by the test. */
class CpuRuntime {
  cpu = new Map<string, number>();
  cpuSeconds(_r: string, id: string) {
    return this.cpu.get(id);
  }
}

/** `actions`: what handles the alarm actions (none by default). */
function harness(scale = 1, actions: readonly AlarmActionRoute[] = []) {
  const rs = region();
  const runtime = new CpuRuntime();
  let now = T0;
  const engine = { clock: { scale, now: () => now }, world: { accountId: '123456789012' } } as unknown as Engine;
  const tick = (albMetrics?: () => AlbMetricsEntry[]) =>
    cloudwatchTick({ engine, rs, now, runtime: runtime as unknown as TaskRuntime }, { albMetrics, warmupRealMs: 1000 }, (ctx, arn, e) =>
      routeAlarmAction(actions, ctx, arn, e),
    );
  const req = (): RequestContext => ({ region: REGION, accountId: '123456789012', world: {} as never, state: rs, engine, now, requestId: 'r' });
  const call = (op: string, input: Record<string, unknown>) => cloudwatchService.operations[op](req(), input) as any;
  /** Advances in 5 s ticks, letting `cpuPerSecond(taskId)` CPU seconds accrue per simulated second. */
  const run = (ms: number, cpuPerSimSecond: Record<string, number> = {}, alb?: () => AlbMetricsEntry[]) => {
    for (let t = 0; t < ms; t += 5000) {
      now += 5000;
      for (const [id, rate] of Object.entries(cpuPerSimSecond)) runtime.cpu.set(id, (runtime.cpu.get(id) ?? 0) + rate * 5);
      tick(alb);
    }
  };
  return { rs, runtime, tick, call, run, now: () => now, cw: () => cloudwatchState(rs) };
}

const stats = (h: ReturnType<typeof harness>, ns: string, name: string, dims: { Name: string; Value: string }[], stat = 'Average') =>
  h.call('GetMetricStatistics', {
    Namespace: ns,
    MetricName: name,
    Dimensions: dims,
    StartTime: (h.now() - 3600_000) / 1000,
    EndTime: h.now() / 1000,
    Period: 60,
    Statistics: [stat],
  }).Datapoints as Record<string, any>[];

const SVC = [
  { Name: 'ClusterName', Value: 'demo' },
  { Name: 'ServiceName', Value: 'web' },
];

describe('CloudWatch metrics sampling', () => {
  it('closes a period at each minute with service CPU = used / reserved, on real time (scale 1)', () => {
    const h = harness(1);
    addInstance(h.rs, 'i-1', 2048, 3891);
    addTask(h.rs, 't1', { cpu: 256, memory: 512, service: 'web', startedAt: T0 - 120_000 });
    addTask(h.rs, 't2', { cpu: 256, memory: 512, service: 'web', startedAt: T0 - 120_000 });
    h.runtime.cpu.set('t1', 10).set('t2', 10);
    h.tick(); // baseline
    // t1 uses 0.125 vCPU (50 % of 256 units), t2 0.025 vCPU (10 %).
    h.run(60_000, { t1: 0.125, t2: 0.025 });
    const dps = stats(h, 'AWS/ECS', 'CPUUtilization', SVC);
    assert.equal(dps.length, 1);
    assert.equal(dps[0].Timestamp.$date, T0);
    assert.ok(Math.abs(dps[0].Average - 30) < 1e-6, `average ${dps[0].Average}`);
    const max = stats(h, 'AWS/ECS', 'CPUUtilization', SVC, 'Maximum');
    assert.ok(Math.abs(max[0].Maximum - 50) < 1e-6);
    const cnt = stats(h, 'AWS/ECS', 'CPUUtilization', SVC, 'SampleCount');
    assert.equal(cnt[0].SampleCount, 2);
    // Cluster: 0.15 vCPU = 153.6 units of 2048.
    const cluster = stats(h, 'AWS/ECS', 'CPUUtilization', [{ Name: 'ClusterName', Value: 'demo' }]);
    assert.ok(Math.abs(cluster[0].Average - (153.6 / 2048) * 100) < 1e-6);
    const res = stats(h, 'AWS/ECS', 'CPUReservation', [{ Name: 'ClusterName', Value: 'demo' }]);
    assert.ok(Math.abs(res[0].Average - 25) < 1e-6);
    const mem = stats(h, 'AWS/ECS', 'MemoryUtilization', SVC);
    assert.ok(Math.abs(mem[0].Average - (60 / 512) * 100) < 1e-6);
  });

  it('relates real CPU seconds to the simulated period through the time scale', () => {
    const h = harness(60); // 60 simulated s = 1 real s
    addInstance(h.rs, 'i-1', 2048, 3891);
    addTask(h.rs, 't1', { cpu: 512, memory: 512, service: 'web', startedAt: T0 - 600_000 });
    h.runtime.cpu.set('t1', 0);
    h.tick();
    // 0.25 real CPU seconds per real second = 0.25/60 per simulated second → 0.25 vCPU = 50 % of 512 units.
    h.run(60_000, { t1: 0.25 / 60 });
    const dps = stats(h, 'AWS/ECS', 'CPUUtilization', SVC);
    assert.ok(Math.abs(dps[0].Average - 50) < 1e-6, `average ${dps[0].Average}`);
  });

  it('does not count CPU before the warm-up after RUNNING, and publishes nothing for a service without running tasks', () => {
    const h = harness(1);
    addInstance(h.rs, 'i-1', 2048, 3891);
    addTask(h.rs, 't1', { cpu: 256, memory: 512, service: 'web', startedAt: T0 + 2000 });
    h.runtime.cpu.set('t1', 5); // start-up CPU, must not count
    h.tick();
    h.run(60_000, { t1: 0.0256 }); // 10 % of 256 units
    const dps = stats(h, 'AWS/ECS', 'CPUUtilization', SVC);
    assert.equal(dps.length, 1);
    assert.ok(dps[0].Average < 11 && dps[0].Average > 9, `average ${dps[0].Average}`);
    h.rs.ecs.tasks.t1.lastStatus = 'STOPPED';
    h.run(120_000);
    assert.equal(stats(h, 'AWS/ECS', 'CPUUtilization', SVC).length, 1);
    // The cluster still reports (0 %).
    const cl = stats(h, 'AWS/ECS', 'CPUUtilization', [{ Name: 'ClusterName', Value: 'demo' }]);
    assert.ok(cl.length >= 3);
    assert.equal(cl[cl.length - 1].Average, 0);
  });

  it('publishes EC2 CPU per instance and per Auto Scaling group', () => {
    const h = harness(1);
    addInstance(h.rs, 'i-1', 2048, 3891, 'asg-1');
    addInstance(h.rs, 'i-2', 2048, 3891, 'asg-1');
    addTask(h.rs, 't1', { cpu: 256, memory: 512, service: 'web', startedAt: T0 - 60_000, instance: 'i-1' });
    h.runtime.cpu.set('t1', 0);
    h.tick();
    h.run(60_000, { t1: 1 }); // 1024 units on a 2048-unit instance
    assert.ok(Math.abs(stats(h, 'AWS/EC2', 'CPUUtilization', [{ Name: 'InstanceId', Value: 'i-1' }])[0].Average - 50) < 1e-6);
    assert.ok(Math.abs(stats(h, 'AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: 'asg-1' }])[0].Average - 25) < 1e-6);
  });

  it('takes Auto Scaling group members from EC2 Auto Scaling state when there is one (not the tags)', () => {
    const h = harness(1);
    addInstance(h.rs, 'i-1', 2048, 3891, 'stale-tag');
    addInstance(h.rs, 'i-2', 2048, 3891);
    h.rs.serviceState.autoscaling = {
      groups: {
        'asg-2': { instances: { 'i-1': { InstanceId: 'i-1', LifecycleState: 'InService' }, 'i-2': { InstanceId: 'i-2', LifecycleState: 'Terminated' } } },
      },
    };
    addTask(h.rs, 't1', { cpu: 256, memory: 512, startedAt: T0 - 60_000, instance: 'i-1' });
    h.runtime.cpu.set('t1', 0);
    h.tick();
    h.run(60_000, { t1: 0.5 });
    const dps = stats(h, 'AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: 'asg-2' }], 'SampleCount');
    assert.equal(dps[0].SampleCount, 1, 'the terminated member is left out');
    assert.ok(Math.abs(stats(h, 'AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: 'asg-2' }])[0].Average - 25) < 1e-6);
    assert.equal(stats(h, 'AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: 'stale-tag' }]).length, 0);
  });

  it('turns cumulative ALB counters into per-minute counts per LoadBalancer', () => {
    const h = harness(1);
    const lb = `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/app/demo-alb/50dc6c495c0c9188`;
    const tg = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/demo-tg/73e2d6bc24d8a067`;
    const c = { region: REGION, loadBalancerArn: lb, targetGroupArn: tg, ...newCounters() };
    const src = () => [{ ...c }];
    h.tick(src);
    c.requestCount = 100;
    c.target2xx = 98;
    c.elb5xx = 2;
    c.elb502 = 2;
    c.targetResponseTimeSum = 4.9;
    c.targetResponseTimeCount = 98;
    h.run(60_000, {}, src);
    c.requestCount = 130;
    c.target2xx = 128;
    h.run(60_000, {}, src);
    const dims = [{ Name: 'LoadBalancer', Value: 'app/demo-alb/50dc6c495c0c9188' }];
    const rc = stats(h, 'AWS/ApplicationELB', 'RequestCount', dims, 'Sum');
    assert.deepEqual(rc.map((d) => d.Sum), [100, 30]);
    assert.deepEqual(stats(h, 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', dims, 'Sum').map((d) => d.Sum), [2]);
    assert.ok(Math.abs(stats(h, 'AWS/ApplicationELB', 'TargetResponseTime', dims)[0].Average - 0.05) < 1e-9);
    const tgDims = [...dims, { Name: 'TargetGroup', Value: 'targetgroup/demo-tg/73e2d6bc24d8a067' }];
    assert.deepEqual(stats(h, 'AWS/ApplicationELB', 'HTTPCode_Target_2XX_Count', tgDims, 'Sum').map((d) => d.Sum), [98, 30]);
    // Without target health known the count is per 1 target; with two healthy targets it is halved.
    assert.deepEqual(stats(h, 'AWS/ApplicationELB', 'RequestCountPerTarget', [{ Name: 'TargetGroup', Value: 'targetgroup/demo-tg/73e2d6bc24d8a067' }], 'Sum').map((d) => d.Sum), [100, 30]);
    h.rs.serviceState.elbv2 = { targetGroups: { [tg]: { targets: { a: { State: 'healthy' }, b: { State: 'healthy' }, c: { State: 'draining' } } } } };
    c.requestCount = 170;
    h.run(60_000, {}, src);
    assert.deepEqual(stats(h, 'AWS/ApplicationELB', 'RequestCountPerTarget', tgDims, 'Sum').map((d) => d.Sum), [100, 30, 20]);
  });
});

describe('CloudWatch alarms', () => {
  const fired: { arn: string; e: AlarmActionEvent }[] = [];
  const recorder: AlarmActionRoute = {
    matches: (arn) => arn.startsWith('arn:aws:autoscaling:ap-northeast-1:123456789012:scalingPolicy:test'),
    invoke: (_ctx, arn, e) => fired.push({ arn, e }),
  };
  /** A CloudWatch whose sandbox runs the test policy's actions (by recording them). */
  const withActions = () => harness(1, [recorder]);
  beforeEach(() => (fired.length = 0));
  const POLICY = 'arn:aws:autoscaling:ap-northeast-1:123456789012:scalingPolicy:test-1:cwtest/out';
  const put = (h: ReturnType<typeof harness>, extra: Record<string, unknown> = {}) =>
    h.call('PutMetricAlarm', {
      AlarmName: 'cpu-high',
      Namespace: 'Custom/App',
      MetricName: 'Load',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 20,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [POLICY],
      ...extra,
    });
  const putValue = (h: ReturnType<typeof harness>, v: number, at = h.now() - 1) =>
    h.call('PutMetricData', { Namespace: 'Custom/App', MetricData: [{ MetricName: 'Load', Value: v, Timestamp: at / 1000 }] });
  const alarm = (h: ReturnType<typeof harness>) => h.call('DescribeAlarms', { AlarmNames: ['cpu-high'] }).MetricAlarms[0];

  it('starts INSUFFICIENT_DATA, goes ALARM on a breaching datapoint, invokes the action, and records history', () => {
    const h = withActions();
    put(h);
    h.tick();
    assert.equal(alarm(h).StateValue, 'INSUFFICIENT_DATA');
    assert.equal(alarm(h).StateReason, 'Unchecked: Initial alarm creation');
    putValue(h, 23.4, h.now());
    h.run(60_000);
    const a = alarm(h);
    assert.equal(a.StateValue, 'ALARM');
    assert.equal(a.StateReason, 'Threshold Crossed: 1 datapoint [23.4 (25/11/26 18:00:00)] was greater than the threshold (20.0).');
    assert.equal(fired.length, 1);
    assert.equal(fired[0].arn, POLICY);
    assert.deepEqual(fired[0].e, { alarmName: 'cpu-high', alarmArn: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:cpu-high', state: 'ALARM', value: 23.4, threshold: 20 });
    const hist = h.call('DescribeAlarmHistory', { AlarmName: 'cpu-high' }).AlarmHistoryItems;
    assert.deepEqual(hist.map((x: any) => x.HistoryItemType), ['Action', 'StateUpdate', 'ConfigurationUpdate']);
    assert.equal(hist[1].HistorySummary, 'Alarm updated from INSUFFICIENT_DATA to ALARM');
    assert.equal(JSON.parse(hist[1].HistoryData).newState.stateValue, 'ALARM');
    assert.match(hist[0].HistorySummary, /^Successfully executed action arn:aws:autoscaling:/);
  });

  it('re-invokes Auto Scaling actions each minute while in ALARM, then goes OK below the threshold', () => {
    const h = withActions();
    put(h);
    for (let i = 0; i < 3; i++) {
      putValue(h, 30, h.now() + 1000);
      h.run(60_000);
    }
    assert.equal(alarm(h).StateValue, 'ALARM');
    assert.ok(fired.length >= 3, `fired ${fired.length}`);
    putValue(h, 5, h.now() + 1000);
    h.run(60_000);
    const a = alarm(h);
    assert.equal(a.StateValue, 'OK');
    assert.match(a.StateReason, /^Threshold Crossed: 1 datapoint \[5\.0 \(.*\)\] was not greater than the threshold \(20\.0\)\.$/);
    const n = fired.length;
    h.run(120_000);
    assert.equal(fired.length, n, 'no action while OK (no OKActions)');
  });

  it('needs DatapointsToAlarm of EvaluationPeriods breaching, and treats missing data as configured', () => {
    const h = withActions();
    put(h, { EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    putValue(h, 30, h.now() + 1000);
    h.run(60_000);
    assert.equal(alarm(h).StateValue, 'OK', 'one breaching of three (two missing) is not enough');
    putValue(h, 10, h.now() + 1000);
    h.run(60_000);
    assert.equal(alarm(h).StateValue, 'OK');
    putValue(h, 25, h.now() + 1000);
    h.run(60_000);
    assert.equal(alarm(h).StateValue, 'ALARM');
    assert.match(alarm(h).StateReason, /^Threshold Crossed: 2 out of the last 3 datapoints \[25\.0 .*, 30\.0 .*\] were greater than the threshold \(20\.0\) \(minimum 2 datapoints for OK -> ALARM transition\)\.$/);
    // No data at all: missing → INSUFFICIENT_DATA.
    h.run(4 * 60_000);
    assert.equal(alarm(h).StateValue, 'INSUFFICIENT_DATA');

    const b = withActions();
    put(b, { TreatMissingData: 'breaching', EvaluationPeriods: 2 });
    b.run(3 * 60_000);
    assert.equal(alarm(b).StateValue, 'ALARM');
    const c = withActions();
    put(c, { TreatMissingData: 'notBreaching' });
    c.run(2 * 60_000);
    assert.equal(alarm(c).StateValue, 'OK');
    const d = withActions();
    put(d, { TreatMissingData: 'ignore' });
    d.run(2 * 60_000);
    assert.equal(alarm(d).StateValue, 'INSUFFICIENT_DATA');
  });

  it('SetAlarmState changes the state and runs its actions at the next tick; disabled actions do not run', () => {
    const h = withActions();
    put(h);
    h.call('SetAlarmState', { AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'testing' });
    assert.equal(alarm(h).StateValue, 'ALARM');
    assert.equal(fired.length, 0);
    h.tick();
    assert.equal(fired.length, 1);
    h.call('DisableAlarmActions', { AlarmNames: ['cpu-high'] });
    h.call('SetAlarmState', { AlarmName: 'cpu-high', StateValue: 'OK', StateReason: 'x' });
    h.call('SetAlarmState', { AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'y' });
    h.tick();
    assert.equal(fired.length, 1);
    assert.throws(() => h.call('SetAlarmState', { AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' }), { code: 'ResourceNotFound' });
  });

  it('records a failed action when nothing handles its ARN', () => {
    const h = withActions();
    put(h, { AlarmActions: ['arn:aws:sns:ap-northeast-1:123456789012:topic'] });
    h.call('SetAlarmState', { AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'x' });
    h.tick();
    const item = h.call('DescribeAlarmHistory', { AlarmName: 'cpu-high', HistoryItemType: 'Action' }).AlarmHistoryItems[0];
    assert.match(item.HistorySummary, /^Failed to execute action arn:aws:sns:/);
  });
});

describe('CloudWatch API validation', () => {
  it('refuses bad alarms and metric queries the way CloudWatch does', () => {
    const h = harness();
    const base = { AlarmName: 'a', Namespace: 'N', MetricName: 'M', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' };
    assert.throws(() => h.call('PutMetricAlarm', { ...base, ComparisonOperator: 'Bigger' }), { code: 'ValidationError', message: /enum value set/ });
    assert.throws(() => h.call('PutMetricAlarm', { ...base, Period: 45 }), { code: 'ValidationError' });
    assert.throws(() => h.call('PutMetricAlarm', { ...base, DatapointsToAlarm: 2 }), { code: 'ValidationError' });
    assert.throws(() => h.call('PutMetricAlarm', { ...base, TreatMissingData: 'maybe' }), { code: 'ValidationError' });
    assert.throws(() => h.call('PutMetricData', { Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'x', Value: 1 }] }), { code: 'InvalidParameterValue' });
    assert.throws(() => h.call('PutMetricData', { Namespace: 'C', MetricData: [{ MetricName: 'x', Value: 1, Values: [1] }] }), { code: 'InvalidParameterCombination' });
    assert.throws(
      () => h.call('GetMetricStatistics', { Namespace: 'N', MetricName: 'M', StartTime: 0, EndTime: 86400 * 2, Period: 60, Statistics: ['Average'] }),
      { code: 'InvalidParameterCombination', message: /exceeds the limit of 1,440/ },
    );
    assert.throws(() => h.call('GetMetricStatistics', { Namespace: 'N', MetricName: 'M', StartTime: 0, EndTime: 60, Period: 60 }), { code: 'MissingParameter' });
    assert.throws(
      () => h.call('GetMetricData', { StartTime: 0, EndTime: 60, MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }] }),
      { code: 'ValidationError', message: /not supported/ },
    );
    assert.throws(() => h.call('DeleteAlarms', { AlarmNames: ['nope'] }), { code: 'ResourceNotFound' });
    assert.throws(() => h.call('ListTagsForResource', { ResourceARN: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:nope' }), { code: 'ResourceNotFoundException' });
  });

  it('pages DescribeAlarms and filters by prefix, state and action prefix; updates keep the state', () => {
    const h = harness();
    for (let i = 0; i < 5; i++) {
      h.call('PutMetricAlarm', { AlarmName: `a${i}`, Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: i === 2 ? ['arn:aws:autoscaling:ap-northeast-1:1:scalingPolicy:x'] : [] });
    }
    h.call('PutMetricAlarm', { AlarmName: 'b', Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', Tags: [{ Key: 'k', Value: 'v' }] });
    const p1 = h.call('DescribeAlarms', { AlarmNamePrefix: 'a', MaxRecords: 3 });
    assert.deepEqual(p1.MetricAlarms.map((a: any) => a.AlarmName), ['a0', 'a1', 'a2']);
    const p2 = h.call('DescribeAlarms', { AlarmNamePrefix: 'a', MaxRecords: 3, NextToken: p1.NextToken });
    assert.deepEqual(p2.MetricAlarms.map((a: any) => a.AlarmName), ['a3', 'a4']);
    assert.equal(p2.NextToken, undefined);
    assert.deepEqual(h.call('DescribeAlarms', { ActionPrefix: 'arn:aws:autoscaling' }).MetricAlarms.map((a: any) => a.AlarmName), ['a2']);
    h.call('SetAlarmState', { AlarmName: 'a1', StateValue: 'ALARM', StateReason: 'x' });
    assert.deepEqual(h.call('DescribeAlarms', { StateValue: 'ALARM' }).MetricAlarms.map((a: any) => a.AlarmName), ['a1']);
    h.call('PutMetricAlarm', { AlarmName: 'a1', Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
    assert.equal(h.call('DescribeAlarms', { AlarmNames: ['a1'] }).MetricAlarms[0].StateValue, 'ALARM');
    const arn = 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:b';
    assert.deepEqual(h.call('ListTagsForResource', { ResourceARN: arn }).Tags, [{ Key: 'k', Value: 'v' }]);
    h.call('DeleteAlarms', { AlarmNames: ['b'] });
    assert.equal(h.call('DescribeAlarms', { AlarmNames: ['b'] }).MetricAlarms.length, 0);
  });

  it('finds alarms for a metric, and refuses alarms beyond the quota with LimitExceeded', () => {
    const h = harness();
    const mk = (name: string, dims: { Name: string; Value: string }[], stat = 'Average') =>
      h.call('PutMetricAlarm', { AlarmName: name, Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: dims, Statistic: stat, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    mk('svc', [...SVC].reverse());
    mk('cluster', [{ Name: 'ClusterName', Value: 'demo' }]);
    mk('svc-max', SVC, 'Maximum');
    const byMetric = (input: Record<string, unknown>) => h.call('DescribeAlarmsForMetric', { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', ...input }).MetricAlarms.map((a: any) => a.AlarmName);
    assert.deepEqual(byMetric({}), ['cluster', 'svc', 'svc-max']);
    assert.deepEqual(byMetric({ Dimensions: SVC }), ['svc', 'svc-max']);
    assert.deepEqual(byMetric({ Dimensions: SVC, Statistic: 'Average' }), ['svc']);
    const saved = limits.maxAlarms;
    limits.maxAlarms = 10;
    try {
      for (let i = 3; i < 10; i++) mk(`bulk-${i}`, []);
      assert.throws(() => mk('one-too-many', []), { code: 'LimitExceeded', message: 'The maximum number of alarms (10) for this account in this Region has been reached.' });
      mk('svc', SVC); // updating an existing alarm is still allowed
    } finally {
      limits.maxAlarms = saved;
    }
  });

  it('GetMetricData returns values per period newest first, with query-style string input too', () => {
    const h = harness();
    h.call('PutMetricData', { Namespace: 'C', MetricData: [{ MetricName: 'm', Value: 1, Timestamp: T0 / 1000 }, { MetricName: 'm', Value: 3, Timestamp: (T0 + 10_000) / 1000 }, { MetricName: 'm', Value: 7, Timestamp: (T0 + 60_000) / 1000 }] });
    const q = { Id: 'q1', MetricStat: { Metric: { Namespace: 'C', MetricName: 'm' }, Period: '60', Stat: 'Average' } };
    const r = h.call('GetMetricData', { StartTime: new Date(T0 - 60_000).toISOString(), EndTime: new Date(T0 + 120_000).toISOString(), MetricDataQueries: [q] });
    assert.deepEqual(r.MetricDataResults[0].Values, [7, 2]);
    assert.deepEqual(r.MetricDataResults[0].Timestamps.map((t: any) => t.$date), [T0 + 60_000, T0]);
    assert.equal(r.MetricDataResults[0].Label, 'm');
    assert.equal(r.MetricDataResults[0].StatusCode, 'Complete');
    const asc = h.call('GetMetricData', { StartTime: (T0 - 60_000) / 1000, EndTime: (T0 + 120_000) / 1000, ScanBy: 'TimestampAscending', MetricDataQueries: [{ ...q, MetricStat: { ...q.MetricStat, Stat: 'Maximum' } }] });
    assert.deepEqual(asc.MetricDataResults[0].Values, [3, 7]);
    // Percentiles over single values and over a Values/Counts datum.
    const p50 = h.call('GetMetricData', { StartTime: T0 / 1000, EndTime: (T0 + 60_000) / 1000, MetricDataQueries: [{ ...q, MetricStat: { ...q.MetricStat, Stat: 'p50' } }] });
    assert.deepEqual(p50.MetricDataResults[0].Values, [1]);
    h.call('PutMetricData', { Namespace: 'C', MetricData: [{ MetricName: 'lat', Values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Counts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], Timestamp: T0 / 1000 }] });
    const lat = (stat: string) =>
      h.call('GetMetricData', { StartTime: T0 / 1000, EndTime: (T0 + 60_000) / 1000, MetricDataQueries: [{ Id: 'l', MetricStat: { Metric: { Namespace: 'C', MetricName: 'lat' }, Period: 60, Stat: stat } }] }).MetricDataResults[0].Values[0];
    assert.equal(lat('p90'), 9);
    assert.equal(lat('SampleCount'), 10);
    assert.equal(lat('Average'), 5.5);
    const lm = h.call('ListMetrics', { Namespace: 'C' });
    assert.deepEqual(lm.Metrics.map((m: any) => m.MetricName).sort(), ['lat', 'm']);
    assert.deepEqual(lm.Metrics.find((m: any) => m.MetricName === 'm'), { Namespace: 'C', MetricName: 'm', Dimensions: [] });
  });
});

describe('CloudWatch: hostile names and values', () => {
  const alarm = (name: string) => ({
    AlarmName: name, Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold',
  });
  const refused = (f: () => unknown, code: string, message: RegExp) =>
    assert.throws(f, (e: any) => e.code === code && e.status < 500 && message.test(e.message));

  it('alarm names that are Object.prototype members are plain names', () => {
    const h = harness();
    for (const name of ['__proto__', 'constructor', 'valueOf', 'toString']) {
      refused(() => h.call('DeleteAlarms', { AlarmNames: [name] }), 'ResourceNotFound', new RegExp(`Alarm ${name} does not exist`));
      refused(() => h.call('SetAlarmState', { AlarmName: name, StateValue: 'ALARM', StateReason: 'x' }), 'ResourceNotFound', /not found/);
    }
    h.call('PutMetricAlarm', alarm('__proto__'));
    assert.equal(Object.getPrototypeOf(h.cw().alarms), Object.prototype, 'the record keeps its prototype');
    assert.deepEqual(h.call('DescribeAlarms', { AlarmNames: ['__proto__'] }).MetricAlarms.map((a: any) => a.AlarmName), ['__proto__']);
    h.call('DeleteAlarms', { AlarmNames: ['__proto__', '__proto__'] });
    assert.deepEqual(h.call('DescribeAlarms', {}).MetricAlarms, []);
  });

  it('values that cannot be turned into text, and timestamps beyond the calendar, are validation errors', () => {
    const h = harness();
    refused(() => h.call('DeleteAlarms', { AlarmNames: [{ toString: 1 }] }), 'ValidationError', /Value '\{"toString":1\}' at 'alarmNames'/);
    refused(() => h.call('ListTagsForResource', { ResourceARN: { valueOf: 1, toString: null } }), 'ValidationError', /resourceARN/);
    refused(() => h.call('PutMetricData', { Namespace: [{ toString: 1 }], MetricData: [] }), 'ValidationError', /namespace/);
    refused(
      () => h.call('GetMetricStatistics', { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', StartTime: 1e15, EndTime: h.now() / 1000, Period: 60, Statistics: ['Average'] }),
      'InvalidParameterValue',
      /StartTime/,
    );
  });
});
