/**
 * Application Auto Scaling tests: the ECS handler harness (real Engine on a ManualClock) with a
 * cluster and a service, the Application Auto Scaling handlers called the way the server calls
 * them, and the region's CloudWatch alarms (target tracking creates real ones).
 */
import { strict as assert } from 'node:assert';
import { applicationAutoScalingService } from '../../../src/sandbox/application-autoscaling';
import { cloudwatchState } from '../../../src/sandbox/cloudwatch';
import type { Alarm } from '../../../src/sandbox/cloudwatch/model';
import type { Service } from '../../../src/sandbox/engine/state';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { Harness, taskDef } from '../ecs/harness';

export const RID = 'service/demo-cluster/demo-service';
export const DIM = 'ecs:service:DesiredCount';

export class AasHarness extends Harness {
  constructor(desired = 2) {
    super();
    this.call('CreateCluster', { clusterName: 'demo-cluster' });
    this.call('RegisterTaskDefinition', taskDef());
    this.call('CreateService', { cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: desired });
  }

  /** The region's CloudWatch alarms, by name. */
  get alarms(): Record<string, Alarm> {
    return cloudwatchState(this.state).alarms;
  }

  get service(): Service {
    return this.state.ecs.services['demo-cluster']['demo-service'];
  }

  /** Marks the service's deployments finished (scale-in is suspended while one is IN_PROGRESS). */
  settle(): void {
    for (const d of this.service.deployments) d.rolloutState = 'COMPLETED';
  }

  aas(op: string, input: unknown = {}): any {
    const handler = applicationAutoScalingService.operations[op];
    assert.ok(handler, `no handler for ${op}`);
    return JSON.parse(JSON.stringify(handler(this.ctx(), input) ?? {}));
  }

  aasRefused(op: string, input: unknown, code: string, message?: string | RegExp): AwsError {
    let err: unknown;
    try {
      this.aas(op, input);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof AwsError, `${op} should fail with ${code}, got ${err === undefined ? 'success' : String(err)}`);
    assert.equal(err.code, code, `${op}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return err;
  }

  register(min = 2, max = 4, extra: Record<string, unknown> = {}): any {
    return this.aas('RegisterScalableTarget', { ServiceNamespace: 'ecs', ResourceId: RID, ScalableDimension: DIM, MinCapacity: min, MaxCapacity: max, ...extra });
  }

  stepPolicy(name: string, steps: unknown[], extra: Record<string, unknown> = {}): string {
    return this.aas('PutScalingPolicy', {
      PolicyName: name,
      ServiceNamespace: 'ecs',
      ResourceId: RID,
      ScalableDimension: DIM,
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: steps, MetricAggregationType: 'Average', ...extra },
    }).PolicyARN;
  }

  trackingPolicy(name: string, target: number, extra: Record<string, unknown> = {}): any {
    return this.aas('PutScalingPolicy', {
      PolicyName: name,
      ServiceNamespace: 'ecs',
      ResourceId: RID,
      ScalableDimension: DIM,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: target,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ...extra,
      },
    });
  }

  activities(): any[] {
    return this.aas('DescribeScalingActivities', { ServiceNamespace: 'ecs', ResourceId: RID }).ScalingActivities;
  }

  scope() {
    return { engine: this.engine, rs: this.state, now: this.clock.now() };
  }
}
