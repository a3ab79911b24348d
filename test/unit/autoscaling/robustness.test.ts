/**
 * Malformed input never crashes a handler: every operation of both scaling services answers junk
 * with an AwsError (or succeeds), never another exception (which the server would turn into a 500).
 */
import { strict as assert } from 'node:assert';
import { applicationAutoScalingService } from '../../../src/sandbox/application-autoscaling';
import { autoScalingService } from '../../../src/sandbox/autoscaling';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { scalingTick } from '../../../src/sandbox/scaling';
import { AasHarness } from '../application-autoscaling/helpers';

const JUNK: unknown[] = [undefined, null, '', 'x', '-1', '1e400', 0, -1, 1.5, true, [], ['a'], [{}], {}, { a: 'b' }, { member: ['x'] }, [[['deep']]]];

const MEMBERS: Record<string, string[]> = {
  aas: [
    'ServiceNamespace', 'ResourceId', 'ScalableDimension', 'MinCapacity', 'MaxCapacity', 'SuspendedState', 'RoleARN', 'PolicyName', 'PolicyType',
    'StepScalingPolicyConfiguration', 'TargetTrackingScalingPolicyConfiguration', 'ResourceIds', 'PolicyNames', 'MaxResults', 'NextToken',
  ],
  asg: [
    'AutoScalingGroupName', 'LaunchTemplate', 'MinSize', 'MaxSize', 'DesiredCapacity', 'VPCZoneIdentifier', 'AvailabilityZones', 'Tags', 'DefaultCooldown',
    'HealthCheckGracePeriod', 'NewInstancesProtectedFromScaleIn', 'TargetGroupARNs', 'ForceDelete', 'HonorCooldown', 'PolicyName', 'PolicyType', 'AdjustmentType',
    'ScalingAdjustment', 'StepAdjustments', 'Cooldown', 'InstanceIds', 'InstanceId', 'ProtectedFromScaleIn', 'ShouldDecrementDesiredCapacity', 'AutoScalingGroupNames',
    'MaxRecords', 'NextToken', 'MetricValue', 'BreachThreshold', 'Filters', 'ActivityIds', 'PolicyNames',
  ],
};

describe('scaling handlers: malformed input', () => {

  it('only AwsErrors, whatever the input; the tick survives what was stored', function () {
    this.timeout(30_000);
    const h = new AasHarness();
    h.register(1, 4);
    const valid = {
      aas: { ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/demo-service', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 3, PolicyName: 'p' },
      asg: { AutoScalingGroupName: 'g', MinSize: '1', MaxSize: '2', PolicyName: 'p', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: '1', InstanceId: 'i-0123456789abcdef0' },
    };
    let calls = 0;
    for (const [kind, def] of [['aas', applicationAutoScalingService], ['asg', autoScalingService]] as const) {
      for (const [op, handler] of Object.entries(def.operations)) {
        const inputs: unknown[] = [...JUNK];
        for (const m of MEMBERS[kind]) for (const j of JUNK) inputs.push({ ...valid[kind], [m]: j });
        for (const input of inputs) {
          calls++;
          try {
            handler(h.ctx(), input);
          } catch (e) {
            assert.ok(e instanceof AwsError, `${kind} ${op}(${JSON.stringify(input)}) threw ${(e as Error)?.stack ?? String(e)}`);
          }
        }
      }
    }
    assert.ok(calls > 1000);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000);
      h.engine.tick();
      scalingTick({ engine: h.engine, rs: h.state, now: h.clock.now(), runtime: h.runtime });
    }
    JSON.parse(JSON.stringify(h.world));
  });
});
