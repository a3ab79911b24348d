/**
 * The hands-on's release sections (3–5) on the engine: a rolling update with a static host port
 * gets stuck on ports until old tasks stop; with dynamic ports it runs 4 tasks on 2 instances and
 * completes.
 */
import assert from 'node:assert/strict';
import { Harness, taskId } from './harness';

const PORT_EVENT_RE =
  /^\(service demo-service\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) is already using a port required by your task\. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide\.$/;

describe('engine: rolling deployments (article sections 3–5)', () => {
  it('static host port 80 on 2 instances: the 2 extra tasks cannot be placed until an old task stops', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 80);
    const svc = h.service('demo-service', v1, 2, { max: 200, min: 100 });
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    assert.equal(h.running('demo-service').length, 2);
    assert.deepEqual(new Set(h.running('demo-service').map((t) => t.availabilityZone)).size, 2, 'one task per AZ');
    for (const t of h.running('demo-service')) {
      assert.deepEqual(t.containers[0].networkBindings, [{ bindIP: '0.0.0.0', containerPort: 8080, hostPort: 80, protocol: 'tcp' }]);
    }

    const v2 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver2.0', 80);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v2.taskDefinitionArn });
    assert.equal(svc.deployments.length, 2);
    assert.equal(svc.deployments[0].status, 'PRIMARY');
    assert.equal(svc.deployments[0].taskDefinition, v2.taskDefinitionArn);
    assert.equal(svc.deployments[1].status, 'ACTIVE');

    h.drive(1000);
    assert.match(h.messages(svc)[0], PORT_EVENT_RE, 'reported on the first tick');
    h.drive(2 * 60_000);
    assert.equal(h.messages(svc).filter((m) => PORT_EVENT_RE.test(m)).length, 1, 'once, not every tick');
    h.drive(8 * 60_000);
    // 10 minutes of 1 s ticks: rate-limited to once per 3 minutes, not 600 times.
    const portEvents = h.messages(svc).filter((m) => PORT_EVENT_RE.test(m));
    assert.equal(portEvents.length, 4, `port events: ${portEvents.length}`);
    const ciIds = h.containerInstances().map((ci) => ci.containerInstanceArn.split('/').pop()!);
    assert.ok(ciIds.some((id) => portEvents[0].includes(`(container-instance ${id})`)));
    assert.equal(svc.deployments[0].rolloutState, 'IN_PROGRESS');
    assert.equal(svc.deployments[0].rolloutStateReason, `ECS deployment ${svc.deployments[0].id} in progress.`);
    assert.equal(svc.deployments[0].runningCount, 0);
    assert.equal(svc.deployments[1].runningCount, 2);
    assert.equal(h.tasksOf('demo-service').length, 2, 'nothing new was placed');

    // The user stops one old task: a new-revision task takes its port.
    const [old1, old2] = h.running('demo-service');
    h.engine.stopTask(h.rs, old1, 'UserInitiated', 'Task stopped by user');
    h.until(() => svc.deployments[0].runningCount === 1);
    const fresh = h.running('demo-service').find((t) => t.taskDefinitionArn === v2.taskDefinitionArn)!;
    assert.equal(fresh.containerInstanceArn, old1.containerInstanceArn);
    assert.equal(fresh.containers[0].networkBindings[0].hostPort, 80);
    assert.equal(h.rs.ecs.tasks[taskId(old1)].lastStatus, 'STOPPED');
    assert.equal(h.rs.ecs.tasks[taskId(old1)].stopCode, 'UserInitiated');
    assert.equal(svc.deployments[0].rolloutState, 'IN_PROGRESS');

    // And the second one.
    h.engine.stopTask(h.rs, old2, 'UserInitiated', 'Task stopped by user');
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED', 5 * 60_000);
    assert.equal(svc.deployments.length, 1);
    assert.ok(h.running('demo-service').every((t) => t.taskDefinitionArn === v2.taskDefinitionArn));
    assert.equal(h.running('demo-service').length, 2);
    const dep = svc.deployments[0];
    assert.equal(h.messages(svc)[0], '(service demo-service) has reached a steady state.');
    assert.equal(h.messages(svc)[1], `(service demo-service) (deployment ${dep.id}) deployment completed.`);
  });

  it('dynamic host ports: 4 tasks on 2 instances, then only the new revision remains', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const v2 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver2.0', 0);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v2.taskDefinitionArn });

    let maxRunning = 0;
    let sawFourOnTwo = false;
    h.until(() => {
      const running = h.running('demo-service');
      maxRunning = Math.max(maxRunning, h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'RUNNING').length);
      if (running.length === 4) {
        const perInstance = new Map<string, number[]>();
        for (const t of running) {
          const ports = perInstance.get(t.containerInstanceArn) ?? [];
          ports.push(t.containers[0].networkBindings[0].hostPort);
          perInstance.set(t.containerInstanceArn, ports);
        }
        assert.equal(perInstance.size, 2);
        for (const ports of perInstance.values()) {
          assert.equal(ports.length, 2);
          assert.notEqual(ports[0], ports[1]);
          for (const p of ports) assert.ok(p >= 32768 && p <= 61000, `dynamic port ${p}`);
        }
        sawFourOnTwo = true;
      }
      return svc.deployments[0].rolloutState === 'COMPLETED';
    });
    assert.ok(sawFourOnTwo, '4 tasks ran at once');
    assert.equal(maxRunning, 4, 'never more than maximumPercent allows');
    assert.equal(svc.deployments.length, 1);
    assert.equal(svc.deployments[0].taskDefinition, v2.taskDefinitionArn);
    assert.equal(svc.deployments[0].rolloutStateReason, `ECS deployment ${svc.deployments[0].id} completed.`);
    assert.equal(h.running('demo-service').length, 2);
    assert.ok(h.running('demo-service').every((t) => t.taskDefinitionArn === v2.taskDefinitionArn));
    assert.equal(svc.runningCount, 2);
    assert.equal(svc.pendingCount, 0);
    assert.equal(h.messages(svc)[0], '(service demo-service) has reached a steady state.');
    assert.ok(!h.messages(svc).some((m) => m.includes('unable to place')));
    const stopped = h.messages(svc).find((m) => m.startsWith('(service demo-service) has stopped 2 running tasks: '));
    const started = h.messages(svc).find((m) => m.startsWith('(service demo-service) has started 2 tasks: '));
    assert.ok(stopped && started, h.messages(svc).join('\n'));
    assert.match(started, /^\(service demo-service\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);
    const oldTasks = h.tasksOf('demo-service', false).filter((t) => t.taskDefinitionArn === v1.taskDefinitionArn);
    for (const t of oldTasks) {
      assert.equal(t.lastStatus, 'STOPPED');
      assert.equal(t.stopCode, 'ServiceSchedulerInitiated');
      assert.match(t.stoppedReason!, /^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);
    }
  });

  it('static host port 80 on 4 instances: 4 tasks run at once, then the old ones stop automatically', () => {
    const h = new Harness();
    h.cluster();
    h.instances(4);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 80);
    const svc = h.service('demo-service', v1, 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const v2 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver2.0', 80);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v2.taskDefinitionArn });
    h.drive(1000);
    const [primary, active] = svc.deployments;
    assert.deepEqual([primary.pendingCount, primary.runningCount, primary.desiredCount], [2, 0, 2]);
    assert.deepEqual([active.pendingCount, active.runningCount, active.desiredCount], [0, 2, 2]);
    assert.equal(svc.pendingCount, 2);
    h.drive(2000);
    assert.equal(h.running('demo-service').length, 4);
    assert.equal(new Set(h.running('demo-service').map((t) => t.containerInstanceArn)).size, 4);
    // Healthy after 40 s: then the old ones are stopped.
    h.drive(30_000);
    assert.equal(h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'STOPPED').length, 0);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    assert.deepEqual(svc.deployments.map((d) => d.id), [primary.id]);
    assert.ok(!h.messages(svc).some((m) => m.includes('unable to place')));
  });

  it('keeps at most 100 events, newest first', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const svc = h.service('demo-service', h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0), 1);
    for (let i = 0; i < 60; i++) {
      h.until(() => h.messages(svc)[0] === '(service demo-service) has reached a steady state.' && h.running('demo-service').length === 1);
      h.runtime.exit(taskId(h.running('demo-service')[0]));
      h.drive(1000);
    }
    h.until(() => h.running('demo-service').length === 1);
    assert.equal(svc.events.length, 100);
    for (let i = 1; i < svc.events.length; i++) assert.ok(svc.events[i - 1].createdAt >= svc.events[i].createdAt);
    assert.match(svc.events[0].message, /^\(service demo-service\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/);
    assert.match(svc.events[0].id, /^[0-9a-f-]{36}$/);
  });
});
