/** Bounds, circuit breaker with rollback, configuration that blocks a deployment, scaling, deletion. */
import assert from 'node:assert/strict';
import { circuitBreakerThreshold, lowerBound, upperBound } from '../../../src/sandbox/engine/deployments';
import { Harness } from './harness';

describe('engine: deployment rules', () => {
  it('rounds the bounds as ECS does (lower: ceil, upper: floor)', () => {
    assert.equal(lowerBound(3, 50), 2);
    assert.equal(upperBound(3, 150), 4);
    assert.equal(lowerBound(2, 100), 2);
    assert.equal(upperBound(2, 200), 4);
    assert.equal(lowerBound(1, 50), 1);
    assert.equal(upperBound(3, 133), 3);
    assert.equal(lowerBound(5, 0), 0);
    assert.equal(circuitBreakerThreshold(1), 3);
    assert.equal(circuitBreakerThreshold(10), 5);
    assert.equal(circuitBreakerThreshold(1000), 200);
  });

  it('desired 3, min 50 / max 150: never more than 4 tasks, never fewer than 2 healthy during the rollout', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 3, { max: 150, min: 50 });
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const v2 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver2.0', 0);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v2.taskDefinitionArn });
    let maxLive = 0;
    let minHealthy = Infinity;
    let sawFour = false;
    h.until(() => {
      const live = h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'RUNNING');
      maxLive = Math.max(maxLive, live.length);
      if (live.length === 4) sawFour = true;
      const healthy = live.filter((t) => t.lastStatus === 'RUNNING' && t.healthyAt! <= h.clock.now());
      minHealthy = Math.min(minHealthy, healthy.length);
      return svc.deployments[0].rolloutState === 'COMPLETED';
    });
    assert.equal(maxLive, 4);
    assert.ok(sawFour);
    assert.equal(minHealthy, 2);
    assert.equal(h.running('demo-service').length, 3);
  });

  it('circuit breaker with rollback: an image that cannot be pulled fails the deployment and the last COMPLETED one comes back', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2, { cb: { enable: true, rollback: true } });
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const good = svc.deployments[0];
    const bad = h.taskDefinition('demo-app-task', 'nginx:no-such-tag', 0);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: bad.taskDefinitionArn });
    const failing = svc.deployments[0];
    h.until(() => failing.rolloutState === 'FAILED');
    assert.equal(failing.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
    // Launched two at a time (desired 2): the threshold (3) is crossed by the second pair.
    const failed = h.tasksOf('demo-service', false).filter((t) => t.taskDefinitionArn === bad.taskDefinitionArn);
    assert.equal(failing.failedTasks, failed.length);
    assert.ok(failed.length >= 3 && failed.length <= 4, `failed tasks ${failed.length}`);
    for (const t of failed) {
      assert.equal(t.lastStatus, 'STOPPED');
      assert.equal(t.stopCode, 'TaskFailedToStart');
      assert.match(t.stoppedReason!, /^CannotPullContainerError: /);
      assert.equal(t.containers[0].reason, t.stoppedReason);
    }
    const rollback = svc.deployments[0];
    assert.notEqual(rollback.id, failing.id);
    assert.equal(rollback.isRollback, true);
    assert.equal(rollback.taskDefinition, v1.taskDefinitionArn);
    assert.equal(svc.taskDefinition, v1.taskDefinitionArn);
    assert.ok(h.messages(svc).includes(`(service demo-service) (deployment ${failing.id}) deployment failed: tasks failed to start.`));
    assert.ok(h.messages(svc).includes(`(service demo-service) rolling back to deployment ${good.id}.`));
    h.until(() => rollback.rolloutState === 'COMPLETED');
    assert.deepEqual(svc.deployments.map((d) => d.id), [rollback.id]);
    assert.equal(h.running('demo-service').length, 2);
    assert.ok(h.running('demo-service').every((t) => t.taskDefinitionArn === v1.taskDefinitionArn));
    // The old tasks kept serving throughout (minimumHealthyPercent 100).
    assert.equal(h.messages(svc)[0], '(service demo-service) has reached a steady state.');
  });

  it('a rollback that fails as well is marked FAILED and not rolled back again', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2, { cb: { enable: true, rollback: true } });
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: h.taskDefinition('demo-app-task', 'nope:1', 0).taskDefinitionArn });
    // From now on nothing starts, not even the good image.
    const realStart = h.runtime.start.bind(h.runtime);
    h.runtime.start = (launch) => realStart({ ...launch, image: 'broken:1' });
    h.until(() => svc.deployments[0].isRollback === true);
    const rollback = svc.deployments[0];
    h.until(() => rollback.rolloutState === 'FAILED');
    h.drive(10 * 60_000);
    assert.equal(svc.deployments[0].id, rollback.id, 'no further deployment');
    assert.equal(h.messages(svc).filter((m) => m.includes('rolling back')).length, 1);
    assert.equal(h.running('demo-service').length, 2, 'the original tasks still serve');
  });

  it('without a circuit breaker a failing deployment keeps retrying, with growing pauses, and never completes', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: h.taskDefinition('demo-app-task', 'nope/missing:1', 0).taskDefinitionArn });
    h.drive(10 * 60_000);
    const dep = svc.deployments[0];
    assert.equal(dep.rolloutState, 'IN_PROGRESS');
    assert.ok(dep.failedTasks >= 3 && dep.failedTasks < 40, `failed tasks ${dep.failedTasks}`);
    assert.equal(h.running('demo-service').length, 2, 'old tasks keep running');
  });

  it('maximumPercent 100 / minimumHealthyPercent 100 blocks the deployment and says so once per interval', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2, { max: 100, min: 100 });
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: h.taskDefinition('demo-app-task', 'uzresk/demo:ver2.0', 0).taskDefinitionArn });
    h.drive(60_000);
    const msg =
      '(service demo-service) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.';
    assert.equal(h.messages(svc).filter((m) => m === msg).length, 1);
    assert.equal(svc.deployments[0].runningCount, 0);
    // Relaxing the configuration lets it finish.
    svc.deploymentConfiguration.minimumHealthyPercent = 50;
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    assert.equal(h.running('demo-service').length, 2);
  });

  it('desired count changes scale out and in without a new deployment; deletion drains to INACTIVE', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const depId = svc.deployments[0].id;
    h.engine.serviceUpdated(h.rs, svc, { desiredCount: 4 });
    assert.equal(svc.deployments[0].id, depId);
    h.until(() => svc.runningCount === 4);
    h.until(() => h.messages(svc)[0] === '(service demo-service) has reached a steady state.');
    h.engine.serviceUpdated(h.rs, svc, { desiredCount: 1 });
    h.until(() => h.tasksOf('demo-service').length === 1);
    assert.equal(svc.runningCount, 1);
    assert.match(h.messages(svc).find((m) => m.includes('has stopped'))!, /^\(service demo-service\) has stopped 3 running tasks: (\(task [0-9a-f]{32}\) ?){3}\.$/);

    svc.status = 'DRAINING';
    h.engine.serviceDeleted(h.rs, svc);
    h.until(() => svc.status === 'INACTIVE');
    assert.equal(h.tasksOf('demo-service').length, 0);
    assert.ok(svc.deletedAt! > h.clock.now());
    h.drive(61 * 60_000, 60_000);
    assert.equal(h.rs.ecs.services['demo-cluster']['demo-service'], undefined, 'removed after the retention');
  });
});

describe('engine: overlapping deployments', () => {
  it('an update during an update: both older deployments drain and only the newest remains', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: h.taskDefinition('demo-app-task', 'uzresk/demo:ver2.0', 0).taskDefinitionArn });
    h.drive(5000);
    const v3 = h.taskDefinition('demo-app-task', 'uzresk/demo:latest', 0);
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v3.taskDefinitionArn });
    assert.deepEqual(svc.deployments.map((d) => d.status), ['PRIMARY', 'ACTIVE', 'ACTIVE']);
    let maxLive = 0;
    h.until(() => {
      maxLive = Math.max(maxLive, h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'RUNNING').length);
      return svc.deployments[0].rolloutState === 'COMPLETED';
    });
    assert.ok(maxLive <= 4, `at most maximumPercent: ${maxLive}`);
    assert.equal(svc.deployments.length, 1);
    assert.ok(h.running('demo-service').every((t) => t.taskDefinitionArn === v3.taskDefinitionArn));
    assert.equal(h.running('demo-service').length, 2);
  });

  it('forceNewDeployment starts a new deployment of the same task definition', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const v1 = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('demo-service', v1, 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const before = new Set(h.running('demo-service').map((t) => t.taskArn));
    h.engine.serviceUpdated(h.rs, svc, { forceNewDeployment: true });
    assert.equal(svc.deployments.length, 2);
    assert.equal(svc.deployments[0].taskDefinition, v1.taskDefinitionArn);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    assert.ok(h.running('demo-service').every((t) => !before.has(t.taskArn)));
    // The same task definition again without force changes nothing.
    h.engine.serviceUpdated(h.rs, svc, { taskDefinition: v1.taskDefinitionArn });
    assert.equal(svc.deployments.length, 1);
  });
});

describe('engine: tick robustness', () => {
  it('a broken service does not stop the others from being scheduled; the error still surfaces', () => {
    const h = new Harness();
    h.cluster();
    h.instances(1);
    const broken = h.service('broken', h.taskDefinition('a', 'uzresk/demo:ver1.0', 0), 1);
    (broken as { deployments: unknown }).deployments = null;
    const ok = h.service('ok', h.taskDefinition('b', 'uzresk/demo:ver1.0', 0), 1);
    assert.throws(() => h.drive(1000));
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000);
      h.runtime.flush();
      try {
        h.engine.tick();
      } catch {
        // expected: the broken service
      }
    }
    assert.equal(ok.runningCount, 1);
  });
});
