/**
 * Two sandboxes in ONE process (startSandbox twice, as a test runner or a host embedding the
 * sandbox does), each with the hands-on stack (ALB in front of demo-service), a CloudWatch alarm on
 * its load balancer's RequestCount and a step scaling policy as the alarm's action. Traffic goes to
 * both ALBs, more to A's: each sandbox's CloudWatch shows its own ALB's requests and no other's, A's
 * alarm fires A's policy (A's service grows), B's stays OK (B's service does not).
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import {
  ApplicationAutoScalingClient,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { eventually } from './helpers/cli-sandbox';
import { buildStack, REGION, type Stack } from './helpers/stack';

const RID = 'service/demo-cluster/demo-service';
const DIM = 'ecs:service:DesiredCount';
const ALARM = 'alb-requests-high';

/** `app/<name>/<id>`: the LoadBalancer dimension of an ALB's ARN. */
const lbDimension = (arn: string) => arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);

/** `n` GETs, one at a time over one keep-alive connection; returns how many were answered 200. */
async function send(url: string, n: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let ok = 0;
  try {
    for (let i = 0; i < n; i++) {
      ok += await new Promise<number>((resolve, reject) => {
        http.get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200 ? 1 : 0));
        }).on('error', reject);
      });
    }
  } finally {
    agent.destroy();
  }
  return ok;
}

interface Side {
  stack: Stack;
  cw: CloudWatchClient;
  aas: ApplicationAutoScalingClient;
  lb: string;
  policyArn: string;
}

async function prepare(stack: Stack): Promise<Side> {
  const config = { endpoint: stack.sb.endpoint, region: REGION, credentials: stack.sb.credentials, maxAttempts: 1 };
  const cw = new CloudWatchClient(config);
  const aas = new ApplicationAutoScalingClient(config);
  await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, MinCapacity: 2, MaxCapacity: 4 }));
  const { PolicyARN } = await aas.send(
    new PutScalingPolicyCommand({
      PolicyName: 'requests-scale-out', ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], Cooldown: 600, MetricAggregationType: 'Average' },
    }),
  );
  const lb = lbDimension(stack.loadBalancerArn);
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: ALARM, Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: lb }],
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 20, ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching', AlarmActions: [PolicyARN!],
    }),
  );
  return { stack, cw, aas, lb, policyArn: PolicyARN! };
}

/** The RequestCount the sandbox's CloudWatch reports for load balancer `lb`, summed over the last hour. */
async function requestCount(side: Side, lb: string): Promise<number> {
  const now = side.stack.sb.clock.now();
  const out = await side.cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: lb }],
      StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000), Period: 60, Statistics: ['Sum'],
    }),
  );
  return (out.Datapoints ?? []).reduce((s, d) => s + (d.Sum ?? 0), 0);
}

const loadBalancersInMetrics = async (side: Side) =>
  new Set(((await side.cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }))).Metrics ?? []).flatMap((m) => (m.Dimensions ?? []).filter((d) => d.Name === 'LoadBalancer').map((d) => d.Value)));

const desired = async (side: Side) =>
  (await side.stack.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0].desiredCount;

describe('Two sandboxes in one process: each has its own ALB metrics and alarm actions', function () {
  this.timeout(180_000);
  let a: Side | undefined;
  let b: Side | undefined;

  before(async () => {
    // One after the other: the second start is the one that used to win the process-wide registries.
    a = await prepare(await buildStack({ timeScale: 60 }));
    b = await prepare(await buildStack({ timeScale: 60 }));
  });
  after(async () => {
    for (const s of [a, b]) {
      s?.cw.destroy();
      s?.aas.destroy();
      await s?.stack.close();
    }
  });

  it("each sandbox's CloudWatch counts its own ALB's requests only; A's alarm scales A's service, B's stays OK", async () => {
    const [sentA, sentB] = await Promise.all([send(a!.stack.albUrl, 60), send(b!.stack.albUrl, 7)]);
    assert.deepEqual([sentA, sentB], [60, 7]);

    await eventually("A's RequestCount 60", async () => (await requestCount(a!, a!.lb)) === 60, 60_000);
    await eventually("B's RequestCount 7", async () => (await requestCount(b!, b!.lb)) === 7, 60_000);
    assert.deepEqual([...(await loadBalancersInMetrics(a!))], [a!.lb], "A's CloudWatch lists A's load balancer only");
    assert.deepEqual([...(await loadBalancersInMetrics(b!))], [b!.lb], "B's CloudWatch lists B's load balancer only");
    assert.equal(await requestCount(a!, b!.lb), 0);
    assert.equal(await requestCount(b!, a!.lb), 0);

    await eventually('A scaled to 3 by its own alarm', async () => (await desired(a!)) === 3, 60_000);
    const history = (await a!.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: 'Action' }))).AlarmHistoryItems ?? [];
    assert.ok(history.some((h) => h.HistorySummary === `Successfully executed action ${a!.policyArn}`), JSON.stringify(history));

    const alarmB = (await b!.cw.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms![0];
    assert.equal(alarmB.StateValue, 'OK', alarmB.StateReason);
    assert.equal(await desired(b!), 2);
    assert.deepEqual((await b!.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: 'Action' }))).AlarmHistoryItems, []);
  });
});
