/** DAEMON services: one task per container instance, following the instances; instance-by-instance deployments. */
import assert from 'node:assert/strict';
import { Harness } from './harness';

describe('engine: DAEMON services', () => {
  it('runs one task on every instance, follows new and terminated instances, and deploys instance by instance', () => {
    const h = new Harness();
    h.cluster();
    const instances = h.instances(3);
    const v1 = h.taskDefinition('agent', 'uzresk/demo:ver1.0', 80);
    const svc = h.service('agent-daemon', v1, 0, { max: 100, min: 0 });
    svc.schedulingStrategy = 'DAEMON';
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    assert.equal(svc.desiredCount, 3);
    assert.equal(new Set(h.running('agent-daemon').map((t) => t.containerInstanceArn)).size, 3);

    h.launchInstance(1);
    h.until(() => h.running('agent-daemon').length === 4);
    assert.equal(svc.desiredCount, 4);
    h.engine.terminateInstance(h.rs, instances[0].instanceId);
    h.until(() => svc.desiredCount === 3 && h.tasksOf('agent-daemon').length === 3);

    const v2 = h.taskDefinition('agent', 'uzresk/demo:ver2.0', 80);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v2.taskDefinitionArn });
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const running = h.running('agent-daemon');
    assert.equal(running.length, 3);
    assert.ok(running.every((t) => t.taskDefinitionArn === v2.taskDefinitionArn));
    assert.equal(new Set(running.map((t) => t.containerInstanceArn)).size, 3);
    assert.ok(!h.messages(svc).some((m) => m.includes('unable to place')), h.messages(svc).join('\n'));
  });
});
