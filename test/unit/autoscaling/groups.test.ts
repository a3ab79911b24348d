import { strict as assert } from 'node:assert';
import { container, taskDef } from '../ecs/harness';
import { AsgHarness } from './helpers';

describe('EC2 Auto Scaling groups', () => {
  let h: AsgHarness;
  beforeEach(() => {
    h = new AsgHarness();
  });

  it('CreateAutoScalingGroup launches the desired capacity across the AZs; the instances register with ECS', () => {
    h.create();
    const g0 = h.group();
    assert.equal(g0.DesiredCapacity, 2);
    assert.equal(g0.DefaultCooldown, 300);
    assert.deepEqual(g0.Instances, []);
    assert.match(g0.AutoScalingGroupARN, /^arn:aws:autoscaling:ap-northeast-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/ecs-asg$/);
    h.tickScaling();
    let g = h.group();
    assert.equal(g.Instances.length, 2);
    assert.ok(g.Instances.every((i: any) => i.LifecycleState === 'Pending'));
    assert.equal(new Set(g.Instances.map((i: any) => i.AvailabilityZone)).size, 2);
    h.run(20_000);
    g = h.group();
    assert.ok(g.Instances.every((i: any) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy'));
    assert.equal(g.Instances[0].LaunchTemplate.LaunchTemplateId, h.templateId);
    assert.equal(h.activeContainerInstances(), 2);
    const ec2 = h.state.ec2.instances[g.Instances[0].InstanceId];
    assert.ok(ec2.tags.some((t) => t.key === 'aws:autoscaling:groupName' && t.value === 'ecs-asg'));
    const acts = h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities;
    assert.equal(acts.length, 2);
    assert.match(acts[0].Description, /^Launching a new EC2 instance: i-[0-9a-f]{17}$/);
    assert.match(
      acts[0].Cause,
      /^At 2026-01-01T00:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2\. {2}At 2026-01-01T00:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2\.$/,
    );
    assert.equal(acts[0].StatusCode, 'Successful');
    assert.equal(acts[0].Progress, 100);
    assert.ok(JSON.parse(acts[0].Details)['Availability Zone']);
  });

  it('refusals: duplicate name, sizes, unknown subnet / template, MixedInstancesPolicy', () => {
    h.create();
    h.asgRefused('CreateAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg', LaunchTemplate: { LaunchTemplateId: h.templateId }, MinSize: '1', MaxSize: '2', VPCZoneIdentifier: h.subnets[0].id }, 'AlreadyExists', 'AutoScalingGroup by this name already exists - A group with the name ecs-asg already exists');
    const base = { AutoScalingGroupName: 'g2', LaunchTemplate: { LaunchTemplateId: h.templateId }, MinSize: '1', MaxSize: '2', VPCZoneIdentifier: h.subnets[0].id };
    h.asgRefused('CreateAutoScalingGroup', { ...base, MinSize: '3' }, 'ValidationError', 'Max bound, 2, must be greater than or equal to min bound, 3');
    h.asgRefused('CreateAutoScalingGroup', { ...base, DesiredCapacity: '5' }, 'ValidationError', 'Desired capacity:5 must be between the specified min size:1 and max size:2');
    h.asgRefused('CreateAutoScalingGroup', { ...base, VPCZoneIdentifier: 'subnet-0000000000000000f' }, 'ValidationError', "The subnet ID 'subnet-0000000000000000f' does not exist");
    h.asgRefused('CreateAutoScalingGroup', { ...base, VPCZoneIdentifier: undefined }, 'ValidationError', /At least one Availability Zone or VPC Subnet/);
    h.asgRefused('CreateAutoScalingGroup', { ...base, LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0' } }, 'ValidationError', /launch template, with template ID lt-0123456789abcdef0, does not exist/);
    h.asgRefused('CreateAutoScalingGroup', { ...base, LaunchTemplate: undefined, MixedInstancesPolicy: { LaunchTemplate: {} } }, 'ValidationError', /MixedInstancesPolicy/);
    h.asgRefused('CreateAutoScalingGroup', { ...base, MinSize: 'x' }, 'ValidationError', /minSize/);
    assert.equal(h.asg('DescribeAutoScalingGroups').AutoScalingGroups.length, 1);
  });

  it('members the sandbox does not act on are still checked against the Auto Scaling API model', () => {
    const base = { AutoScalingGroupName: 'g2', LaunchTemplate: { LaunchTemplateId: h.templateId }, MinSize: '1', MaxSize: '2', VPCZoneIdentifier: h.subnets[0].id };
    h.asgRefused(
      'CreateAutoScalingGroup',
      { ...base, MaxInstanceLifetime: 'a week' },
      'ValidationError',
      "1 validation error detected: Value 'a week' at 'maxInstanceLifetime' failed to satisfy constraint: Member must be a number",
    );
    h.asgRefused('CreateAutoScalingGroup', { ...base, CapacityRebalance: 'sometimes' }, 'ValidationError', /at 'capacityRebalance' failed to satisfy constraint: Member must be a boolean/);
    assert.equal(h.asg('DescribeAutoScalingGroups').AutoScalingGroups.length, 0);
  });

  it('group names that are Object.prototype members are plain names (not found, then created and found)', () => {
    for (const name of ['__proto__', 'constructor', 'valueOf']) {
      h.asgRefused('DeleteAutoScalingGroup', { AutoScalingGroupName: name }, 'ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
      h.asgRefused('SetDesiredCapacity', { AutoScalingGroupName: name, DesiredCapacity: '1' }, 'ValidationError', /not found/);
    }
    h.create({ AutoScalingGroupName: '__proto__', MinSize: '0', MaxSize: '1', DesiredCapacity: '0' });
    assert.equal(h.group('__proto__').AutoScalingGroupName, '__proto__');
    assert.equal(Object.getPrototypeOf(h.asg('DescribeAutoScalingGroups').AutoScalingGroups), Array.prototype);
    h.asg('DeleteAutoScalingGroup', { AutoScalingGroupName: '__proto__' });
    assert.equal(h.asg('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['__proto__'] }).AutoScalingGroups.length, 0);
  });

  it('SetDesiredCapacity 4 → four container instances balanced over two AZs; the activity says why', () => {
    h.create();
    h.run(20_000);
    h.asg('SetDesiredCapacity', { AutoScalingGroupName: 'ecs-asg', DesiredCapacity: '4' });
    h.run(20_000);
    assert.deepEqual(Object.values(h.azCounts()), [2, 2]);
    assert.equal(h.activeContainerInstances(), 4);
    const [a] = h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities;
    assert.match(a.Cause, /a user request explicitly set group desired capacity changing the desired capacity from 2 to 4\. {2}At .* an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4\.$/);
    h.asgRefused('SetDesiredCapacity', { AutoScalingGroupName: 'ecs-asg', DesiredCapacity: '5' }, 'ValidationError', 'New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.');
    h.asgRefused('SetDesiredCapacity', { AutoScalingGroupName: 'ecs-asg', DesiredCapacity: '0' }, 'ValidationError', 'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.');
    h.asgRefused('SetDesiredCapacity', { AutoScalingGroupName: 'ecs-asg', DesiredCapacity: '3', HonorCooldown: 'true' }, 'ScalingActivityInProgress');
    h.asgRefused('SetDesiredCapacity', { AutoScalingGroupName: 'nope', DesiredCapacity: '3' }, 'ValidationError', /not found/);
  });

  it('scale-in terminates from the AZ with the most instances, oldest first, and skips protected ones', () => {
    h.create({ DesiredCapacity: '3' });
    h.run(20_000);
    const counts = h.azCounts();
    const crowded = Object.keys(counts).find((az) => counts[az] === 2)!;
    const inCrowded = h.group().Instances.filter((i: any) => i.AvailabilityZone === crowded).map((i: any) => i.InstanceId);
    // Protect one of the two in the crowded AZ: the other one must go.
    h.asg('SetInstanceProtection', { AutoScalingGroupName: 'ecs-asg', InstanceIds: [inCrowded[0]], ProtectedFromScaleIn: 'true' });
    h.asg('SetDesiredCapacity', { AutoScalingGroupName: 'ecs-asg', DesiredCapacity: '2' });
    h.tickScaling();
    const g = h.group();
    const terminating = g.Instances.filter((i: any) => i.LifecycleState === 'Terminating');
    assert.deepEqual(terminating.map((i: any) => i.InstanceId), [inCrowded[1]]);
    const [a] = h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities;
    assert.equal(a.Description, `Terminating EC2 instance: ${inCrowded[1]}`);
    assert.match(a.Cause, new RegExp(`shrinking the capacity from 3 to 2\\. {2}At .* instance ${inCrowded[1]} was selected for termination\\.$`));
    h.run(20_000);
    assert.equal(h.group().Instances.length, 2);
    assert.equal(h.activeContainerInstances(), 2);
    assert.equal(h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities[0].StatusCode, 'Successful');
    // All protected: nothing is terminated.
    h.asg('SetInstanceProtection', { AutoScalingGroupName: 'ecs-asg', InstanceIds: h.group().Instances.map((i: any) => i.InstanceId), ProtectedFromScaleIn: 'true' });
    h.asg('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg', DesiredCapacity: '1' });
    h.run(5_000);
    assert.equal(h.group().Instances.length, 2);
    h.asgRefused('SetInstanceProtection', { AutoScalingGroupName: 'ecs-asg', InstanceIds: ['i-0123456789abcdef0'], ProtectedFromScaleIn: 'true' }, 'ValidationError', 'The instance i-0123456789abcdef0 is not part of Auto Scaling group ecs-asg.');
  });

  it('NewInstancesProtectedFromScaleIn marks launched instances protected', () => {
    h.create({ NewInstancesProtectedFromScaleIn: 'true' });
    h.tickScaling();
    assert.ok(h.group().Instances.every((i: any) => i.ProtectedFromScaleIn === true));
  });

  it('an instance terminated outside Auto Scaling is replaced; terminating an instance stops its tasks', () => {
    h.create();
    h.run(20_000);
    h.call('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [{ containerPort: 8080, hostPort: 0 }] })] }));
    h.call('CreateService', { cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 2 });
    h.run(10_000);
    const victim = h.group().Instances[0].InstanceId;
    const onVictim = Object.values(h.state.ecs.tasks).filter((t) => t.ec2InstanceId === victim);
    assert.ok(onVictim.length > 0);
    h.engine.terminateInstance(h.state, victim);
    h.run(20_000);
    assert.ok(onVictim.every((t) => t.desiredStatus === 'STOPPED'));
    assert.equal(h.state.ecs.services['demo-cluster']['demo-service'].runningCount, 2);
    const g = h.group();
    assert.equal(g.Instances.length, 2);
    assert.ok(!g.Instances.some((i: any) => i.InstanceId === victim));
    const acts = h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities;
    assert.ok(acts.some((a: any) => a.Description === `Terminating EC2 instance: ${victim}` && /EC2 health check indicating it has been terminated or stopped/.test(a.Cause)));
  });

  it('TerminateInstanceInAutoScalingGroup with and without decrement', () => {
    h.create({ DesiredCapacity: '3' });
    h.run(20_000);
    const [i1, i2] = h.group().Instances.map((i: any) => i.InstanceId);
    const r = h.asg('TerminateInstanceInAutoScalingGroup', { InstanceId: i1, ShouldDecrementDesiredCapacity: 'true' });
    assert.equal(r.Activity.Description, `Terminating EC2 instance: ${i1}`);
    assert.match(r.Activity.Cause, new RegExp(`instance ${i1} was taken out of service in response to a user request, shrinking the capacity from 3 to 2\\.$`));
    assert.equal(h.group().DesiredCapacity, 2);
    h.asg('TerminateInstanceInAutoScalingGroup', { InstanceId: i2, ShouldDecrementDesiredCapacity: 'false' });
    h.run(20_000);
    assert.equal(h.group().DesiredCapacity, 2);
    assert.equal(h.group().Instances.filter((i: any) => i.LifecycleState === 'InService').length, 2);
    h.asgRefused('TerminateInstanceInAutoScalingGroup', { InstanceId: 'i-0123456789abcdef0', ShouldDecrementDesiredCapacity: 'false' }, 'ValidationError', 'Instance Id not found - No managed instance found for instance ID: i-0123456789abcdef0');
    h.asg('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg', MinSize: '2' });
    const last = h.group().Instances[0].InstanceId;
    h.asgRefused('TerminateInstanceInAutoScalingGroup', { InstanceId: last, ShouldDecrementDesiredCapacity: 'true' }, 'ValidationError', /Currently, desiredSize equals minSize \(2\)/);
  });

  it('DescribeAutoScalingInstances lists the group instances (health in capitals)', () => {
    h.create();
    h.run(20_000);
    const r = h.asg('DescribeAutoScalingInstances', {});
    assert.equal(r.AutoScalingInstances.length, 2);
    assert.equal(r.AutoScalingInstances[0].AutoScalingGroupName, 'ecs-asg');
    assert.equal(r.AutoScalingInstances[0].HealthStatus, 'HEALTHY');
    assert.equal(r.AutoScalingInstances[0].LifecycleState, 'InService');
  });

  it('DeleteAutoScalingGroup: ResourceInUse / ScalingActivityInProgress without ForceDelete; ForceDelete terminates everything', () => {
    h.create();
    h.tickScaling();
    h.asgRefused('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg' }, 'ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
    h.run(20_000);
    h.asgRefused('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg' }, 'ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    h.asg('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg', ForceDelete: 'true' });
    assert.equal(h.group().Status, 'Delete in progress');
    h.run(20_000);
    assert.equal(h.asg('DescribeAutoScalingGroups').AutoScalingGroups.length, 0);
    assert.equal(h.activeContainerInstances(), 0);
    assert.ok(Object.values(h.state.ec2.instances).every((i) => i.state === 'terminated'));
    h.asgRefused('DeleteAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg' }, 'ValidationError', /not found/);
  });

  it('UpdateAutoScalingGroup raising MinSize above the desired capacity raises it', () => {
    h.create();
    h.asg('UpdateAutoScalingGroup', { AutoScalingGroupName: 'ecs-asg', MinSize: '3' });
    const g = h.group();
    assert.equal(g.DesiredCapacity, 3);
    h.tickScaling();
    assert.equal(h.group().Instances.length, 3);
    assert.deepEqual(Object.values(h.azCounts()).sort(), [1, 2]);
    assert.match(h.asg('DescribeScalingActivities', {}).Activities[0].Cause, /a user request update of AutoScalingGroup constraints to min: 3, max: 4, desired: 3 changing the desired capacity from 2 to 3\./);
  });

  it('a launch EC2 refuses is a Failed activity with EC2\'s message, retried later', () => {
    // The sandbox account's instance limit is 20: the 21st launch is refused.
    h.create({ MaxSize: '30', DesiredCapacity: '21' });
    h.tickScaling();
    const g = h.group();
    assert.equal(g.Instances.length, 20);
    const failed = h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities.filter((a: any) => a.StatusCode === 'Failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0].StatusMessage, /instance limit of 20/);
    assert.match(failed[0].Description, /^Launching a new EC2 instance\. {2}Status Reason: .*Launching EC2 instance failed\.$/);
    // Not retried at once …
    h.tickScaling();
    assert.equal(h.asg('DescribeScalingActivities', { AutoScalingGroupName: 'ecs-asg' }).Activities.filter((a: any) => a.StatusCode === 'Failed').length, 1);
    // … but once the retry delay passed (and room was made), it launches.
    h.asg('TerminateInstanceInAutoScalingGroup', { InstanceId: g.Instances[0].InstanceId, ShouldDecrementDesiredCapacity: 'true' });
    h.asg('TerminateInstanceInAutoScalingGroup', { InstanceId: g.Instances[1].InstanceId, ShouldDecrementDesiredCapacity: 'false' });
    h.run(40_000);
    assert.equal(h.group().Instances.filter((i: any) => i.LifecycleState === 'InService').length, 20);
  });
});
