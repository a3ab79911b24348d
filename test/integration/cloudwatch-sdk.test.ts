/**
 * CloudWatch through the real `@aws-sdk/client-cloudwatch` (awsJson1_0, query-compatible errors) and
 * the Debian AWS CLI 2.9 (awsQuery) against a sandbox with the real process runtime: a real task
 * process under HTTP load drives its service's CPUUtilization above 20 %, an alarm goes ALARM and
 * invokes its (fake) scaling-policy action, and goes back to OK once the load stops.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DeleteDashboardsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListDashboardsCommand,
  ListMetricsCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AlarmActionEvent } from '../../src/sandbox/cloudwatch/actions';
import type { PluginFactory } from '../../src/sandbox/plugin';
import { plugins } from '../../src/sandbox/registry';
import { ProcessRuntime } from '../../src/sandbox/runtime/process-runtime';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { cliEnv, runAws } from './helpers/aws-cli';
import { eventually as until } from '../helpers/wait';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

const CLUSTER = 'cw-cluster';
const SERVICE = 'cw-service';
/** Not shaped like an Application / EC2 Auto Scaling policy ARN, so that their handlers (if loaded) do not take it. */
const POLICY = 'arn:aws:autoscaling:ap-northeast-1:123456789012:scalingPolicy:cwtest-0001:cwtest/scale-out';

/** Keeps `concurrency` requests in flight against `url` until stopped (bounded, loopback only). */
function load(url: string, concurrency: number): { stop: () => Promise<number> } {
  let running = true;
  let count = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            count++;
            resolve();
          });
        })
        .on('error', () => resolve());
    });
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
      return count;
    },
  };
}

describe('CloudWatch through @aws-sdk/client-cloudwatch and the AWS CLI (real task processes)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let runtime: ProcessRuntime;
  let cw: CloudWatchClient;
  let home: string;
  const fired: AlarmActionEvent[] = [];

  const cli = (args: string[]) =>
    runAws(
        [...args, '--endpoint-url', sb.endpoint, '--region', sb.region, '--output', 'json'],
        {
          timeoutMs: 60_000,
          env: cliEnv(home, sb.credentials),
        },
      );
  const aws = async (args: string[]) => {
    const r = await cli(args);
    if (r.code !== 0) throw new Error(`aws ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : {};
  };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'cw-cli-'));
    // A plug-in of this sandbox that owns the test's policy ARN and records its invocations.
    const recorder: PluginFactory = () => ({ name: 'recorder', services: [], alarmActions: [{ matches: (arn) => arn === POLICY, invoke: (_ctx, _arn, e) => void fired.push(e) }] });
    runtime = new ProcessRuntime();
    sb = await startSandbox({ port: 0, timeScale: 30, runtime, plugins: [...plugins, recorder], log: () => {} });
    cw = new CloudWatchClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 });
    recordResponses(cw, 'monitoring', recorded);
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    cw?.destroy();
    await sb?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('speaks awsJson1_0 with query-compatible errors to the SDK', async () => {
    await cw.send(new PutMetricDataCommand({ Namespace: 'HandsOn/Test', MetricData: [{ MetricName: 'Hits', Value: 3, Unit: 'Count', Dimensions: [{ Name: 'Page', Value: 'top' }] }] }));
    const lm = await cw.send(new ListMetricsCommand({ Namespace: 'HandsOn/Test' }));
    assert.deepEqual(lm.Metrics, [{ Namespace: 'HandsOn/Test', MetricName: 'Hits', Dimensions: [{ Name: 'Page', Value: 'top' }] }]);
    await assert.rejects(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'x', Value: 1 }] })), (e: any) => {
      assert.equal(e.name, 'InvalidParameterValueException');
      assert.equal(e.Code, 'InvalidParameterValue');
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
    await assert.rejects(cw.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'x' })), (e: any) => {
      assert.equal(e.name, 'ResourceNotFound');
      return true;
    });
    await assert.rejects(
      cw.send(new PutMetricAlarmCommand({ AlarmName: 'bad', Namespace: 'N', MetricName: 'M', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'Bigger' as never })),
      (e: any) => e.Code === 'ValidationError' && /enum value set/.test(e.message),
    );
  });

  it('a real task under load drives its service CPU above 20 %, the alarm fires its action and returns to OK', async () => {
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    const ecs = new ECSClient(cfg);
    const ec2 = new EC2Client(cfg);
    const ssm = new SSMClient(cfg);
    let loader: { stop: () => Promise<number> } | undefined;
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
      const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
      const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
      await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, UserData: userData }));
      await until('the container instance', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 1);
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'cw-demo',
          containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
        }),
      );
      await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'cw-demo', desiredCount: 1 }));
      const task = await until('a RUNNING task', async () => {
        const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns ?? [];
        if (!arns.length) return undefined;
        const t = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks?.[0];
        return t?.lastStatus === 'RUNNING' ? t : undefined;
      });
      const taskId = task.taskArn!.split('/').pop()!;
      const hostPort = task.containers![0].networkBindings![0].hostPort!;
      const url = runtime.url(sb.region, taskId, hostPort);
      assert.ok(url, 'the task has a real URL');

      const dims = [
        { Name: 'ClusterName', Value: CLUSTER },
        { Name: 'ServiceName', Value: SERVICE },
      ];
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'cw-service-cpu-high',
          Namespace: 'AWS/ECS',
          MetricName: 'CPUUtilization',
          Dimensions: dims,
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 20,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [POLICY],
          Unit: 'Percent',
        }),
      );
      const state = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['cw-service-cpu-high'] }))).MetricAlarms![0];
      assert.equal((await state()).StateValue, 'INSUFFICIENT_DATA');

      // Idle first: the alarm settles in OK (the process's start-up CPU is not counted).
      await until('OK while idle', async () => (await state()).StateValue === 'OK', 30_000, 200);
      assert.equal(fired.length, 0);

      loader = load(`${url}/app/loginForm`, 2);
      const alarm = await until('ALARM under load', async () => {
        const a = await state();
        return a.StateValue === 'ALARM' ? a : undefined;
      }, 40_000, 200);
      const requests = await loader.stop();
      loader = undefined;
      assert.ok(requests > 0);
      assert.match(alarm.StateReason!, /^Threshold Crossed: 1 datapoint \[[\d.]+ \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)\] was greater than the threshold \(20\.0\)\.$/);
      assert.ok(alarm.StateUpdatedTimestamp instanceof Date);
      await until('the action', async () => fired.some((e) => e.state === 'ALARM' && e.alarmName === 'cw-service-cpu-high'), 10_000);
      const ev = fired.find((e) => e.state === 'ALARM')!;
      assert.ok(ev.value! > 20 && ev.threshold === 20);

      const end = new Date(sb.clock.now());
      const start = new Date(sb.clock.now() - 30 * 60_000);
      const st = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: dims, StartTime: start, EndTime: end, Period: 60, Statistics: ['Average', 'Maximum', 'SampleCount'] }));
      assert.equal(st.Label, 'CPUUtilization');
      assert.ok(st.Datapoints!.some((d) => d.Average! > 20), JSON.stringify(st.Datapoints));
      assert.ok(st.Datapoints!.every((d) => d.Unit === 'Percent' && d.SampleCount === 1 && d.Timestamp instanceof Date));
      const md = await cw.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [{ Id: 'cpu', MetricStat: { Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: dims }, Period: 60, Stat: 'Maximum' } }],
        }),
      );
      const r = md.MetricDataResults![0];
      assert.equal(r.StatusCode, 'Complete');
      assert.equal(r.Timestamps!.length, r.Values!.length);
      assert.ok(r.Values!.some((v) => v > 20));
      assert.ok(r.Timestamps![0] > r.Timestamps![r.Timestamps!.length - 1], 'newest first');

      // Load stopped: back to OK.
      await until('OK after the load', async () => (await state()).StateValue === 'OK', 40_000, 200);
      const hist = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-service-cpu-high', HistoryItemType: 'StateUpdate' }));
      assert.deepEqual(
        hist.AlarmHistoryItems!.map((h) => h.HistorySummary),
        ['Alarm updated from ALARM to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK'],
      );

      // The AWS CLI (awsQuery) sees the same.
      // (Read between two SDK reads: the alarm keeps being evaluated, and on a loaded machine the
      // task's CPU can cross 20 % again in between.)
      const sdkBefore = (await state()).StateValue;
      const d = await aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'cw-service-cpu-high']);
      const sdkAfter = (await state()).StateValue;
      assert.ok([sdkBefore, sdkAfter].includes(d.MetricAlarms[0].StateValue), `CLI ${d.MetricAlarms[0].StateValue}, SDK ${sdkBefore} then ${sdkAfter}`);
      assert.deepEqual(d.MetricAlarms[0].AlarmActions, [POLICY]);
      assert.deepEqual(d.MetricAlarms[0].Dimensions, dims);
      assert.equal(d.MetricAlarms[0].Threshold, 20);
      const gs = await aws([
        'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/ECS', '--metric-name', 'CPUUtilization',
        '--dimensions', `Name=ClusterName,Value=${CLUSTER}`, `Name=ServiceName,Value=${SERVICE}`,
        '--start-time', start.toISOString(), '--end-time', end.toISOString(), '--period', '60', '--statistics', 'Average',
      ]);
      assert.equal(gs.Label, 'CPUUtilization');
      assert.ok(gs.Datapoints.some((x: { Average: number }) => x.Average > 20), JSON.stringify(gs.Datapoints));
    } finally {
      await loader?.stop();
      ecs.destroy();
      ec2.destroy();
      ssm.destroy();
    }
  });

  it('the AWS CLI creates, describes and refuses alarms over awsQuery', async () => {
    await aws([
      'cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-alarm', '--namespace', 'HandsOn/Test', '--metric-name', 'Hits',
      '--dimensions', 'Name=Page,Value=top', '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '5', '--datapoints-to-alarm', '1',
      '--threshold', '10', '--comparison-operator', 'GreaterThanOrEqualToThreshold', '--treat-missing-data', 'notBreaching',
      '--alarm-actions', POLICY, '--tags', 'Key=team,Value=handson',
    ]);
    const d = await aws(['cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'cli-']);
    assert.equal(d.MetricAlarms.length, 1);
    const a = d.MetricAlarms[0];
    assert.equal(a.AlarmArn, `arn:aws:cloudwatch:${sb.region}:${sb.world.accountId}:alarm:cli-alarm`);
    assert.equal(a.EvaluationPeriods, 5);
    assert.equal(a.DatapointsToAlarm, 1);
    assert.equal(a.TreatMissingData, 'notBreaching');
    assert.equal(a.ActionsEnabled, true);
    assert.match(a.StateUpdatedTimestamp, /^\d{4}-\d\d-\d\dT/);
    const tags = await aws(['cloudwatch', 'list-tags-for-resource', '--resource-arn', a.AlarmArn]);
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'handson' }]);
    await aws(['cloudwatch', 'put-metric-data', '--namespace', 'HandsOn/Test', '--metric-name', 'Hits', '--dimensions', 'Page=top', '--value', '12']);
    await until('cli-alarm in ALARM', async () => (await aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-alarm', '--state-value', 'ALARM'])).MetricAlarms.length === 1, 30_000, 300);
    const now = sb.clock.now();
    const md = await aws([
      'cloudwatch', 'get-metric-data', '--start-time', new Date(now - 3600_000).toISOString(), '--end-time', new Date(now + 60_000).toISOString(),
      '--metric-data-queries', JSON.stringify([{ Id: 'hits', MetricStat: { Metric: { Namespace: 'HandsOn/Test', MetricName: 'Hits', Dimensions: [{ Name: 'Page', Value: 'top' }] }, Period: 60, Stat: 'Sum' } }]),
    ]);
    assert.equal(md.MetricDataResults[0].Id, 'hits');
    assert.deepEqual([...md.MetricDataResults[0].Values].sort((x: number, y: number) => x - y), [3, 12]);
    assert.match(md.MetricDataResults[0].Timestamps[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:00/);
    const lm = await aws(['cloudwatch', 'list-metrics', '--namespace', 'AWS/ECS', '--dimensions', `Name=ServiceName,Value=${SERVICE}`]);
    assert.deepEqual(lm.Metrics.map((m: { MetricName: string }) => m.MetricName).sort(), ['CPUUtilization', 'MemoryUtilization']);
    const hist = await aws(['cloudwatch', 'describe-alarm-history', '--alarm-name', 'cli-alarm', '--history-item-type', 'StateUpdate']);
    // (It may be back to OK by now: the datapoint is older than the five evaluated minutes, and missing data is notBreaching.)
    assert.ok(hist.AlarmHistoryItems.some((x: { HistorySummary: string }) => x.HistorySummary === 'Alarm updated from OK to ALARM'), JSON.stringify(hist));
    const bad = await cli(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'x', '--namespace', 'N', '--metric-name', 'M', '--statistic', 'Average', '--period', '45', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /\(ValidationError\) when calling the PutMetricAlarm operation: Period \(45\)/);
    const gone = await cli(['cloudwatch', 'delete-alarms', '--alarm-names', 'nope']);
    assert.match(gone.stderr, /\(ResourceNotFound\) when calling the DeleteAlarms operation/);
    await aws(['cloudwatch', 'delete-alarms', '--alarm-names', 'cli-alarm']);
    assert.equal((await aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-alarm'])).MetricAlarms.length, 0);
  });

  it('dashboards: PutDashboard / GetDashboard / ListDashboards / DeleteDashboards through the SDK, and the AWS CLI over awsQuery', async () => {
    const body = JSON.stringify({ widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { metrics: [['AWS/ECS', 'CPUUtilization', 'ClusterName', CLUSTER]], period: 60, stat: 'Average', region: sb.region } }] });
    const put = await cw.send(new PutDashboardCommand({ DashboardName: 'ecs-demo', DashboardBody: body }));
    assert.deepEqual(put.DashboardValidationMessages, []);
    await cw.send(new PutDashboardCommand({ DashboardName: 'ecs-other', DashboardBody: JSON.stringify({ widgets: [] }) }));
    const got = await cw.send(new GetDashboardCommand({ DashboardName: 'ecs-demo' }));
    assert.equal(got.DashboardBody, body);
    assert.match(got.DashboardArn!, /^arn:aws:cloudwatch::\d{12}:dashboard\/ecs-demo$/);
    const listed = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'ecs-' }));
    assert.deepEqual(listed.DashboardEntries!.map((d) => [d.DashboardName, d.Size]), [['ecs-demo', Buffer.byteLength(body)], ['ecs-other', 14]]);
    assert.ok(listed.DashboardEntries![0].LastModified instanceof Date);
    await assert.rejects(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: '{"widgets":' })), (e: Error) => e.name === 'DashboardInvalidInputError' && /valid JSON object/.test(e.message));
    await assert.rejects(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: '{}' })), (e: Error) => e.name === 'DashboardInvalidInputError' && /widgets/.test(e.message));
    await assert.rejects(cw.send(new GetDashboardCommand({ DashboardName: 'ghost' })), (e: Error) => e.name === 'ResourceNotFound' && e.message === 'Dashboard ghost does not exist');
    // All or nothing: a missing name deletes none.
    await assert.rejects(cw.send(new DeleteDashboardsCommand({ DashboardNames: ['ecs-other', 'ghost'] })), (e: Error) => e.name === 'ResourceNotFound');
    assert.equal((await cw.send(new ListDashboardsCommand({}))).DashboardEntries!.length, 2);
    const viaCli = await aws(['cloudwatch', 'get-dashboard', '--dashboard-name', 'ecs-demo']);
    assert.equal(viaCli.DashboardBody, body);
    await aws(['cloudwatch', 'delete-dashboards', '--dashboard-names', 'ecs-demo', 'ecs-other']);
    assert.deepEqual((await cw.send(new ListDashboardsCommand({}))).DashboardEntries, []);
  });

  it('GetMetricStatistics rounds StartTime down to the minute, as CloudWatch does, and honours Unit', async () => {
    const t0 = Math.floor(sb.engine.clock.now() / 60_000) * 60_000 - 10 * 60_000;
    const dims = [{ Name: 'Stage', Value: 'align' }];
    await cw.send(new PutMetricDataCommand({ Namespace: 'Test/Align', MetricData: [
      { MetricName: 'Hits', Dimensions: dims, Timestamp: new Date(t0 + 5_000), Value: 10, Unit: 'Count' },
      { MetricName: 'Hits', Dimensions: dims, Timestamp: new Date(t0 + 20_000), Value: 30, Unit: 'Count' },
    ] }));
    const get = (unit?: 'Count' | 'Seconds') =>
      cw.send(new GetMetricStatisticsCommand({ Namespace: 'Test/Align', MetricName: 'Hits', Dimensions: dims, StartTime: new Date(t0 + 14_000), EndTime: new Date(t0 + 60_000), Period: 60, Statistics: ['Sum'], ...(unit ? { Unit: unit } : {}) }));
    const out = await get();
    assert.deepEqual(out.Datapoints!.map((d) => [d.Timestamp!.getTime() - t0, d.Sum, d.Unit]), [[0, 40, 'Count']], 'one bucket at the minute, with the point before StartTime\'s seconds');
    assert.equal((await get('Count')).Datapoints!.length, 1);
    assert.deepEqual((await get('Seconds')).Datapoints, []);
  });
});
