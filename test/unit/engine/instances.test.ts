/** EC2 instances and the ECS agent: boot, registration, termination. */
import assert from 'node:assert/strict';
import { Harness } from './harness';

describe('engine: instances', () => {
  it('boots (pending → running), then the agent registers a container instance with the type\'s resources', () => {
    const h = new Harness();
    h.cluster();
    const inst = h.launchInstance(1, 'demo-cluster', 't3.small');
    h.drive(9000);
    assert.equal(inst.state, 'pending');
    h.drive(1000);
    assert.equal(inst.state, 'running');
    h.drive(4000);
    assert.equal(h.containerInstances().length, 0);
    h.drive(1000);
    const [ci] = h.containerInstances();
    assert.ok(ci, 'registered 5 s after running');
    assert.equal(ci.ec2InstanceId, inst.instanceId);
    assert.equal(ci.registeredCpu, 2048);
    assert.equal(ci.registeredMemory, 1955);
    assert.equal(ci.availabilityZone, 'ap-northeast-1c');
    assert.equal(ci.agentConnected, true);
    assert.match(ci.containerInstanceArn, /^arn:aws:ecs:ap-northeast-1:123456789012:container-instance\/demo-cluster\/[0-9a-f]{32}$/);
    const attr = (n: string) => ci.attributes.find((a) => a.name === n)?.value;
    assert.equal(attr('ecs.instance-type'), 't3.small');
    assert.equal(attr('ecs.availability-zone'), 'ap-northeast-1c');
    assert.equal(attr('ecs.os-type'), 'linux');
    const rem = h.engine.registeredResources(ci);
    assert.deepEqual(rem.find((r) => r.name === 'PORTS')?.stringSetValue, ['22', '2375', '2376', '51678', '51679', '51680']);
  });

  it('keeps trying to register until the cluster exists; instances without ECS_CLUSTER never register', () => {
    const h = new Harness();
    h.launchInstance(0, 'later-cluster');
    const plain = h.launchInstance(1, 'x');
    delete plain.ecsCluster;
    h.drive(60_000);
    assert.equal(Object.keys(h.rs.ecs.containerInstances).length, 0);
    h.cluster('later-cluster');
    h.drive(1000);
    assert.equal(h.containerInstances('later-cluster').length, 1);
    h.drive(60_000);
    assert.equal(Object.keys(h.rs.ecs.containerInstances).length, 1, 'registered once');
  });

  it('boot → registration → tasks placed; terminate → its tasks stop and are replaced on the other instances', () => {
    const h = new Harness();
    h.cluster();
    const svc = h.service('demo-service', h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0), 4);
    h.drive(1000);
    assert.equal(svc.runningCount, 0);
    const instances = [h.launchInstance(0), h.launchInstance(1), h.launchInstance(0)];
    h.until(() => svc.runningCount === 4);
    assert.equal(new Set(h.running('demo-service').map((t) => t.ec2InstanceId)).size, 3);

    const doomed = instances.find((i) => h.running('demo-service').filter((t) => t.ec2InstanceId === i.instanceId).length > 0)!;
    const onDoomed = h.running('demo-service').filter((t) => t.ec2InstanceId === doomed.instanceId);
    h.engine.terminateInstance(h.rs, doomed.instanceId);
    assert.equal(doomed.state, 'shutting-down');
    const ci = Object.values(h.rs.ecs.containerInstances).find((c) => c.ec2InstanceId === doomed.instanceId)!;
    assert.equal(ci.status, 'INACTIVE');
    assert.equal(ci.agentConnected, false);
    h.until(() => svc.runningCount === 4 && h.running('demo-service').length === 4);
    for (const t of onDoomed) {
      assert.equal(t.lastStatus, 'STOPPED');
      assert.equal(t.stoppedReason, `Host EC2 (instance ${doomed.instanceId}) terminated.`);
    }
    assert.ok(h.running('demo-service').every((t) => t.ec2InstanceId !== doomed.instanceId));
    h.drive(10_000);
    assert.equal(doomed.state, 'terminated');
    h.drive(61 * 60_000, 60_000);
    assert.equal(h.rs.ec2.instances[doomed.instanceId], undefined, 'terminated instances disappear after an hour');
  });
});

describe('engine: draining container instances', () => {
  it('service tasks on a DRAINING instance are replaced elsewhere first, then stopped', () => {
    const h = new Harness();
    h.cluster();
    h.instances(3);
    const svc = h.service('demo-service', h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 80), 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const [victim] = h.running('demo-service');
    const ci = Object.values(h.rs.ecs.containerInstances).find((c) => c.containerInstanceArn === victim.containerInstanceArn)!;
    ci.status = 'DRAINING'; // as UpdateContainerInstancesState stores it
    let minRunning = Infinity;
    h.until(() => {
      minRunning = Math.min(minRunning, h.running('demo-service').length);
      return victim.lastStatus === 'STOPPED' && svc.runningCount === 2;
    });
    assert.equal(minRunning, 2, 'minimumHealthyPercent 100 holds while draining');
    assert.ok(h.running('demo-service').every((t) => t.containerInstanceArn !== ci.containerInstanceArn));
    assert.equal(victim.stopCode, 'ServiceSchedulerInitiated');
  });
});

describe('engine: the agent\'s configuration', () => {
  it('the agent registers the custom attributes of ECS_INSTANCE_ATTRIBUTES in the user data', () => {
    const h = new Harness();
    h.cluster();
    const shell = h.launchInstance(0);
    shell.userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\necho ECS_INSTANCE_ATTRIBUTES={\\"purchase-option\\":\\"spot\\",\\"stack\\":\\"prod\\"} >> /etc/ecs/ecs.config\n').toString('base64');
    const heredoc = h.launchInstance(1);
    heredoc.userData = Buffer.from('#!/bin/bash\ncat <<EOF >> /etc/ecs/ecs.config\nECS_CLUSTER=demo-cluster\nECS_INSTANCE_ATTRIBUTES={"af-membership": "m-test"}\nEOF\n').toString('base64');
    const broken = h.launchInstance(1);
    broken.userData = Buffer.from('echo ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\necho ECS_INSTANCE_ATTRIBUTES={stack: prod} >> /etc/ecs/ecs.config\n').toString('base64');
    h.until(() => h.containerInstances().length === 3);
    const attrs = (id: string) => Object.fromEntries(h.containerInstances().find((ci) => ci.ec2InstanceId === id)!.attributes.filter((a) => !a.name.startsWith('ecs.') && !a.name.startsWith('com.')).map((a) => [a.name, a.value]));
    assert.deepEqual(attrs(shell.instanceId), { 'purchase-option': 'spot', stack: 'prod' });
    assert.deepEqual(attrs(heredoc.instanceId), { 'af-membership': 'm-test' });
    assert.deepEqual(attrs(broken.instanceId), {}, 'not a JSON object: registered without them');
  });
});
