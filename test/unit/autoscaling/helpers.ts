/**
 * EC2 Auto Scaling tests: the real Engine on a ManualClock (ECS handler harness), a cluster and a
 * launch template whose user data joins it, the Auto Scaling handlers called with query-decoded
 * input (string leaves), and `run(ms)` moving time with the engine's and the extension's ticks.
 */
import { strict as assert } from 'node:assert';
import { autoScalingService } from '../../../src/sandbox/autoscaling';
import { ec2Service } from '../../../src/sandbox/ec2';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { scalingTick } from '../../../src/sandbox/scaling';
import { Harness } from '../ecs/harness';

export const USER_DATA = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n').toString('base64');

export class AsgHarness extends Harness {
  readonly templateId: string;
  readonly subnets: { id: string; az: string }[];

  constructor() {
    super();
    this.call('CreateCluster', { clusterName: 'demo-cluster' });
    const lt = ec2Service.operations.CreateLaunchTemplate(this.ctx(), {
      LaunchTemplateName: 'ecs-node',
      LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.medium', UserData: USER_DATA },
    }) as { launchTemplate: { launchTemplateId: string } };
    this.templateId = lt.launchTemplate.launchTemplateId;
    this.subnets = Object.values(this.state.ec2.subnets)
      .map((s) => ({ id: s.subnetId, az: s.availabilityZone }))
      .sort((a, b) => (a.az < b.az ? -1 : 1));
  }

  asg(op: string, input: Record<string, unknown> = {}): any {
    const handler = autoScalingService.operations[op];
    assert.ok(handler, `no handler for ${op}`);
    return JSON.parse(JSON.stringify(handler(this.ctx(), input) ?? {}));
  }

  asgRefused(op: string, input: Record<string, unknown>, code: string, message?: string | RegExp): AwsError {
    let err: unknown;
    try {
      this.asg(op, input);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof AwsError, `${op} should fail with ${code}, got ${err === undefined ? 'success' : String(err)}`);
    assert.equal(err.code, code, `${op}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return err;
  }

  create(over: Record<string, unknown> = {}): void {
    this.asg('CreateAutoScalingGroup', {
      AutoScalingGroupName: 'ecs-asg',
      LaunchTemplate: { LaunchTemplateId: this.templateId, Version: '$Latest' },
      MinSize: '1',
      MaxSize: '4',
      DesiredCapacity: '2',
      VPCZoneIdentifier: this.subnets.map((s) => s.id).join(','),
      ...over,
    });
  }

  group(name = 'ecs-asg'): any {
    return this.asg('DescribeAutoScalingGroups', { AutoScalingGroupNames: [name] }).AutoScalingGroups[0];
  }

  tickScaling(): void {
    scalingTick({ engine: this.engine, rs: this.state, now: this.clock.now(), runtime: this.runtime });
  }

  /** Moves time in 1 s steps: engine tick, then the scaling tick (as the server will). */
  run(ms: number): void {
    for (let t = 0; t < ms; t += 1000) {
      this.clock.advance(1000);
      this.engine.tick();
      this.runtime.startAll();
      this.tickScaling();
    }
  }

  azCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const i of this.group().Instances) if (i.LifecycleState === 'InService' || i.LifecycleState === 'Pending') out[i.AvailabilityZone] = (out[i.AvailabilityZone] ?? 0) + 1;
    return out;
  }

  activeContainerInstances(): number {
    return Object.values(this.state.ecs.containerInstances).filter((ci) => ci.status === 'ACTIVE').length;
  }
}
