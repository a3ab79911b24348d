/** Task lifecycle: statuses, timestamps, stop codes, replacement, retention, hooks, restore. */
import assert from 'node:assert/strict';
import { ScaledClock } from '../../../src/sandbox/engine/clock';
import { Engine } from '../../../src/sandbox/engine/engine';
import type { Service, Task } from '../../../src/sandbox/engine/state';
import { FakeRuntime } from '../helpers/fake-runtime';
import { Harness, REGION, taskId } from './harness';

describe('engine: task lifecycle', () => {
  it('PROVISIONING → PENDING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED with timestamps and versions', () => {
    const h = new Harness();
    h.cluster();
    h.instances(1);
    const td = h.taskDefinition('web', 'uzresk/demo:ver1.0', 0);
    h.runtime.autoStart = false;
    h.runtime.autoStop = false;
    const [t] = h.engine.runTasks(h.rs, 'demo-cluster', td, 1, {}).tasks;
    const seen: string[] = [t.lastStatus];
    const versions: number[] = [t.version];
    const note = () => {
      if (seen[seen.length - 1] !== t.lastStatus) {
        seen.push(t.lastStatus);
        versions.push(t.version);
      }
    };
    h.drive(1000);
    note();
    assert.equal(t.lastStatus, 'PENDING');
    assert.equal(h.runtime.starts.length, 1);
    const launch = h.runtime.starts[0];
    assert.equal(launch.taskId, taskId(t));
    assert.equal(launch.image, 'uzresk/demo:ver1.0');
    assert.equal(launch.instanceId, t.ec2InstanceId);
    assert.equal(launch.ports.length, 1);
    assert.equal(launch.ports[0].containerPort, 8080);
    assert.ok(launch.ports[0].hostPort >= 32768);
    h.drive(5000);
    assert.equal(t.lastStatus, 'PENDING', 'waits for the runtime');
    h.runtime.markStarted(taskId(t));
    note();
    assert.equal(t.lastStatus, 'RUNNING');
    assert.deepEqual(t.realPorts, { [String(launch.ports[0].hostPort)]: 40000 });
    assert.deepEqual(t.containers[0].networkBindings, [{ bindIP: '0.0.0.0', containerPort: 8080, hostPort: launch.ports[0].hostPort, protocol: 'tcp' }]);
    assert.ok(t.createdAt < t.pullStartedAt! && t.pullStartedAt! < t.pullStoppedAt! && t.startedAt === t.pullStoppedAt);

    h.engine.stopTask(h.rs, t, 'UserInitiated', 'Task stopped by user');
    assert.equal(t.desiredStatus, 'STOPPED');
    for (let i = 0; i < 5; i++) {
      h.drive(1000);
      note();
    }
    assert.equal(t.lastStatus, 'STOPPING');
    assert.deepEqual(h.runtime.stops, [{ region: REGION, taskId: taskId(t), graceMs: 30_000 }]);
    h.runtime.exit(taskId(t), 143, 'SIGTERM');
    note();
    h.drive(1000);
    note();
    assert.deepEqual(seen, ['PROVISIONING', 'PENDING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i] > versions[i - 1], `version grows: ${versions.join(',')}`);
    assert.equal(t.stopCode, 'UserInitiated');
    assert.equal(t.stoppedReason, 'Task stopped by user');
    assert.equal(t.containers[0].exitCode, 143);
    assert.ok(t.stoppingAt! <= t.executionStoppedAt! && t.executionStoppedAt! <= t.stoppedAt!);

    // Kept for an hour, then forgotten.
    h.drive(59 * 60_000, 60_000);
    assert.ok(h.rs.ecs.tasks[taskId(t)]);
    h.drive(2 * 60_000, 60_000);
    assert.equal(h.rs.ecs.tasks[taskId(t)], undefined);
  });

  it('the stop grace period is the stop timeout in real ms (clock scale)', () => {
    const h = new Harness();
    const world = h.world;
    const runtime = new FakeRuntime();
    const engine = new Engine(world, new ScaledClock(10), runtime, { stopTimeoutMs: 30_000, imagePullMs: 0 });
    const rs = engine.region(REGION);
    h.cluster();
    h.instances(1);
    const td = h.taskDefinition('web', 'uzresk/demo:ver1.0', 0);
    const [t] = engine.runTasks(rs, 'demo-cluster', td, 1, {}).tasks;
    engine.tick();
    runtime.flush();
    engine.stopTask(rs, t, 'UserInitiated', 'Task stopped by user');
    engine.tick();
    engine.tick();
    assert.deepEqual(runtime.stops.map((s) => s.graceMs), [3000]);

    // A container's stopTimeout (seconds) wins.
    const quick = h.taskDefinition('quick', 'uzresk/demo:ver1.0', 0, { extra: { stopTimeout: 5 } });
    const [q] = engine.runTasks(rs, 'demo-cluster', quick, 1, {}).tasks;
    engine.tick();
    runtime.flush();
    engine.stopTask(rs, q, 'UserInitiated', 'Task stopped by user');
    engine.tick();
    engine.tick();
    assert.deepEqual(runtime.stops.map((s) => s.graceMs), [3000, 500]);
  });

  it('a task whose image cannot be pulled stops with TaskFailedToStart', () => {
    const h = new Harness();
    h.cluster();
    h.instances(1);
    const [t] = h.engine.runTasks(h.rs, 'demo-cluster', h.taskDefinition('x', 'nginx:9.9', 0), 1, {}).tasks;
    h.drive(3000);
    assert.equal(t.lastStatus, 'STOPPED');
    assert.equal(t.stopCode, 'TaskFailedToStart');
    assert.equal(
      t.stoppedReason,
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:9.9: docker.io/library/nginx:9.9: not found',
    );
    assert.equal(h.engine.remainingResources(h.rs, h.containerInstances()[0]).cpu, 2048);
  });

  it('a killed service task stops with EssentialContainerExited and is replaced by a task with a different id', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const svc = h.service('demo-service', h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 80), 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const [victim] = h.running('demo-service');
    const before = new Set(h.running('demo-service').map(taskId));
    h.runtime.exit(taskId(victim), 137);
    assert.equal(victim.desiredStatus, 'STOPPED');
    assert.equal(victim.stopCode, 'EssentialContainerExited');
    assert.equal(victim.stoppedReason, 'Essential container in task exited');
    assert.equal(victim.containers[0].exitCode, 137);
    const took = h.until(() => h.running('demo-service').length === 2);
    assert.ok(took <= 10_000, `replaced within ${took} ms`);
    const replacement = h.running('demo-service').find((t) => !before.has(taskId(t)))!;
    assert.ok(replacement);
    assert.notEqual(taskId(replacement), taskId(victim));
    assert.equal(replacement.containerInstanceArn, victim.containerInstanceArn, 'its port 80 was free again only there');
    assert.equal(victim.lastStatus, 'STOPPED');
    assert.match(h.messages(svc).find((m) => m.startsWith('(service demo-service) has started 1 tasks'))!, new RegExp(taskId(replacement)));
  });

  it('hooks: RUNNING notifies, health comes from the hook, and a drain delays the stop', () => {
    const calls: string[] = [];
    let healthy = false;
    const h = new Harness({
      hooks: {
        serviceTaskRunning: (_rs, s: Service, t: Task) => calls.push(`running ${s.serviceName} ${taskId(t)}`),
        serviceTaskHealthy: () => healthy,
        beforeServiceTaskStop: (_rs, _s, t: Task, now: number) => (calls.push(`drain ${taskId(t)}`), now + 300_000),
        serviceTaskStopped: (_rs, _s, t: Task) => calls.push(`stopped ${taskId(t)}`),
      },
    });
    h.cluster();
    h.instances(1);
    const svc = h.service('demo-service', h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0), 1);
    h.drive(5 * 60_000);
    const [t] = h.running('demo-service');
    assert.deepEqual(calls, [`running demo-service ${taskId(t)}`]);
    assert.equal(svc.deployments[0].rolloutState, 'IN_PROGRESS', 'not healthy by the hook, whatever the 40 s rule says');
    healthy = true;
    h.drive(1000);
    assert.equal(svc.deployments[0].rolloutState, 'COMPLETED');
    h.engine.stopTask(h.rs, t, 'UserInitiated', 'Task stopped by user');
    h.drive(2000);
    assert.equal(t.lastStatus, 'DEACTIVATING');
    h.drive(290_000);
    assert.equal(t.lastStatus, 'DEACTIVATING', 'still draining');
    assert.equal(h.runtime.stops.length, 0);
    h.drive(15_000);
    assert.equal(t.lastStatus, 'STOPPED');
    const drained = calls.indexOf(`drain ${taskId(t)}`);
    assert.ok(drained > 0 && calls.indexOf(`stopped ${taskId(t)}`) > drained, calls.join('\n'));
    // Its replacement was started (and announced) as soon as the stop was asked for.
    assert.equal(calls.filter((c) => c.startsWith('running ')).length, 2);
  });

  it('restore(): running tasks are launched again with the same ids and host ports, stopping ones finish', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2);
    const svc = h.service('demo-service', h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0), 2);
    h.until(() => svc.deployments[0].rolloutState === 'COMPLETED');
    const [a, b] = h.running('demo-service');
    h.engine.stopTask(h.rs, b, 'UserInitiated', 'Task stopped by user');
    h.drive(2000);
    assert.equal(b.lastStatus, 'STOPPING');

    // Save and load: a new engine over a copy of the state, the processes gone.
    const world = JSON.parse(JSON.stringify(h.world));
    const runtime = new FakeRuntime();
    const engine = new Engine(world, h.clock, runtime, { imagePullMs: 0 });
    engine.restore();
    const rs = engine.region(REGION);
    const a2 = rs.ecs.tasks[taskId(a)];
    // a, and b's replacement that was already PENDING; not b.
    assert.equal(runtime.starts.length, 2);
    assert.ok(!runtime.starts.some((l) => l.taskId === taskId(b)));
    const relaunch = runtime.starts.find((l) => l.taskId === taskId(a))!;
    assert.deepEqual(relaunch.ports, [{ containerPort: 8080, hostPort: a.containers[0].networkBindings[0].hostPort }]);
    assert.equal(a2.realPorts, undefined);
    runtime.flush();
    assert.equal(a2.lastStatus, 'RUNNING');
    assert.ok(a2.realPorts);
    for (let i = 0; i < 120; i++) {
      h.clock.advance(1000);
      runtime.flush();
      engine.tick();
    }
    const svc2 = rs.ecs.services['demo-cluster']['demo-service'];
    assert.equal(rs.ecs.tasks[taskId(b)].lastStatus, 'STOPPED');
    assert.equal(svc2.runningCount, 2, 'the stopped task was replaced');
    // Resources were re-indexed from the loaded state: both instances hold exactly their tasks.
    const used = Object.values(rs.ecs.containerInstances).reduce((n, ci) => n + (2048 - engine.remainingResources(rs, ci).cpu), 0);
    assert.equal(used, 2 * 256);
  });

  it('a task whose runtime never reports the exit is declared stopped after the stop timeout', () => {
    const h = new Harness();
    h.cluster();
    h.instances(1);
    const [t] = h.engine.runTasks(h.rs, 'demo-cluster', h.taskDefinition('web', 'uzresk/demo:ver1.0', 0), 1, {}).tasks;
    h.drive(2000);
    assert.equal(t.lastStatus, 'RUNNING');
    h.runtime.autoStop = false;
    h.engine.stopTask(h.rs, t, 'UserInitiated', 'Task stopped by user');
    h.drive(30_000);
    assert.equal(t.lastStatus, 'STOPPING');
    h.drive(15_000);
    assert.equal(t.lastStatus, 'STOPPED');
    assert.equal(h.engine.remainingResources(h.rs, h.containerInstances()[0]).cpu, 2048);
  });

  it('a runtime that throws on start fails the task instead of the tick', () => {
    const h = new Harness();
    h.cluster();
    h.instances(1);
    h.runtime.start = () => {
      throw new Error('spawn ENOENT');
    };
    const [t] = h.engine.runTasks(h.rs, 'demo-cluster', h.taskDefinition('web', 'uzresk/demo:ver1.0', 0), 1, {}).tasks;
    h.drive(1000);
    assert.equal(t.lastStatus, 'STOPPED');
    assert.equal(t.stopCode, 'TaskFailedToStart');
    assert.equal(t.stoppedReason, 'CannotStartContainerError: spawn ENOENT');
  });
});
