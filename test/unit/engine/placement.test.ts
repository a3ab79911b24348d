/** Placement: spread, resources, ports, RunTask failures and the unplaceable-task events. */
import assert from 'node:assert/strict';
import { Harness, taskId } from './harness';

const GUIDE = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

describe('engine: placement', () => {
  it('spreads across AZs first, then instances', () => {
    const h = new Harness();
    h.cluster();
    // 3 instances in AZ a, 1 in AZ c.
    for (const az of [0, 0, 0, 1]) h.launchInstance(az);
    h.until(() => h.containerInstances().length === 4);
    const td = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 0, { cpu: 10, memory: 64 });
    const svc = h.service('demo-service', td, 6);
    h.until(() => svc.runningCount === 6);
    const byAz = new Map<string, number>();
    const byInstance = new Map<string, number>();
    for (const t of h.running('demo-service')) {
      byAz.set(t.availabilityZone, (byAz.get(t.availabilityZone) ?? 0) + 1);
      byInstance.set(t.containerInstanceArn, (byInstance.get(t.containerInstanceArn) ?? 0) + 1);
    }
    assert.deepEqual([...byAz.values()], [3, 3], 'even across the two AZs');
    const cInstance = h.containerInstances().find((ci) => ci.availabilityZone === 'ap-northeast-1c')!;
    assert.equal(byInstance.get(cInstance.containerInstanceArn), 3, 'the lone instance in AZ c takes its AZ share');
    const aCounts = h.containerInstances().filter((ci) => ci !== cInstance).map((ci) => byInstance.get(ci.containerInstanceArn));
    assert.deepEqual(aCounts, [1, 1, 1], 'even across instances in AZ a');

    // Scaling in stops from the fullest AZ / instance.
    h.engine.serviceUpdated(h.rs, svc, { desiredCount: 4 });
    h.until(() => h.tasksOf('demo-service').length === 4);
    const left = h.running('demo-service');
    assert.equal(left.filter((t) => t.containerInstanceArn === cInstance.containerInstanceArn).length, 2);
  });

  it('RunTask reports RESOURCE:PORTS / RESOURCE:CPU / RESOURCE:MEMORY with the closest container instance, and AGENT without instances', () => {
    const h = new Harness();
    h.cluster();
    const td80 = h.taskDefinition('web', 'uzresk/demo:ver1.0', 80);
    const none = h.engine.runTasks(h.rs, 'demo-cluster', td80, 1, {});
    assert.deepEqual(none, { tasks: [], failures: [{ reason: 'AGENT', detail: 'No Container Instances were found in your cluster.' }] });

    h.instances(1); // t3.medium: 2048 CPU, 3891 MiB
    const ci = h.containerInstances()[0];
    const r = h.engine.runTasks(h.rs, 'demo-cluster', td80, 2, { startedBy: 'me' });
    assert.equal(r.tasks.length, 1);
    assert.equal(r.tasks[0].startedBy, 'me');
    assert.equal(r.tasks[0].group, 'family:web');
    assert.deepEqual(r.failures, [{ arn: ci.containerInstanceArn, reason: 'RESOURCE:PORTS' }]);

    const cpuHog = h.taskDefinition('cpu', 'uzresk/demo:ver1.0', 0, { cpu: 4096, memory: 64 });
    assert.deepEqual(h.engine.runTasks(h.rs, 'demo-cluster', cpuHog, 1, {}).failures, [{ arn: ci.containerInstanceArn, reason: 'RESOURCE:CPU' }]);
    const memHog = h.taskDefinition('mem', 'uzresk/demo:ver1.0', 0, { cpu: 0, memory: 4000 });
    assert.deepEqual(h.engine.runTasks(h.rs, 'demo-cluster', memHog, 1, {}).failures, [{ arn: ci.containerInstanceArn, reason: 'RESOURCE:MEMORY' }]);
    // Reserved agent ports are never available.
    const ssh = h.taskDefinition('ssh', 'uzresk/demo:ver1.0', 22);
    assert.equal(h.engine.runTasks(h.rs, 'demo-cluster', ssh, 1, {}).failures[0].reason, 'RESOURCE:PORTS');
  });

  it('reserves CPU, memory (soft limit first) and ports, and releases them when the task is STOPPED', () => {
    const h = new Harness();
    h.cluster();
    h.instances(1);
    const ci = h.containerInstances()[0];
    const td = h.taskDefinition('web', 'uzresk/demo:ver1.0', 80, { cpu: 256, memory: 1024, memoryReservation: 300 });
    const [task] = h.engine.runTasks(h.rs, 'demo-cluster', td, 1, {}).tasks;
    assert.equal(task.cpu, '256');
    assert.equal(task.memory, '300');
    let rem = h.engine.remainingResources(h.rs, ci);
    assert.equal(rem.cpu, 2048 - 256);
    assert.equal(rem.memory, 3891 - 300);
    assert.deepEqual(rem.ports, ['22', '2375', '2376', '51678', '51679', '51680', '80']);
    assert.equal(h.engine.pendingTasksCount(h.rs, ci), 1);
    h.drive(3000);
    assert.equal(h.engine.runningTasksCount(h.rs, ci), 1);
    h.engine.stopTask(h.rs, task, 'UserInitiated', 'Task stopped by user');
    // Still held while stopping.
    assert.ok(h.engine.remainingResources(h.rs, ci).ports.includes('80'));
    h.until(() => task.lastStatus === 'STOPPED');
    rem = h.engine.remainingResources(h.rs, ci);
    assert.equal(rem.cpu, 2048);
    assert.equal(rem.memory, 3891);
    assert.ok(!rem.ports.includes('80'));
    assert.equal(h.engine.runningTasksCount(h.rs, ci), 0);
    // Task-level CPU / memory override the containers'.
    const tdTask = { ...h.taskDefinition('lvl', 'uzresk/demo:ver1.0', 0), cpu: '512', memory: '1024' };
    const [t2] = h.engine.runTasks(h.rs, 'demo-cluster', tdTask, 1, {}).tasks;
    assert.deepEqual([t2.cpu, t2.memory], ['512', '1024']);
  });

  it('an unplaceable service task gets the exact ECS event, promptly and then rate-limited', () => {
    const h = new Harness({ placementEventIntervalMs: 5 * 60_000 });
    h.cluster();
    const td = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 80);
    const svc = h.service('demo-service', td, 1);
    h.drive(1000);
    assert.equal(
      h.messages(svc)[0],
      `(service demo-service) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. ${GUIDE}`,
    );
    h.drive(4 * 60_000);
    assert.equal(h.messages(svc).length, 1, 'not repeated within the interval');
    h.drive(2 * 60_000);
    assert.equal(h.messages(svc).length, 2, 'repeated after the interval');

    // Too little memory on the only instance.
    h.instances(1, 'demo-cluster', 't3.micro'); // 944 MiB
    const big = h.taskDefinition('big', 'uzresk/demo:ver1.0', 0, { memory: 2000 });
    const svc2 = h.service('big-service', big, 1);
    h.drive(1000);
    const ciId = h.containerInstances()[0].containerInstanceArn.split('/').pop();
    assert.equal(
      h.messages(svc2)[0],
      `(service big-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${ciId}) has insufficient memory available. ${GUIDE}`,
    );
    const cpu = h.taskDefinition('cpu', 'uzresk/demo:ver1.0', 0, { cpu: 9999, memory: 10 });
    const svc3 = h.service('cpu-service', cpu, 1);
    h.drive(1000);
    assert.match(h.messages(svc3)[0], /has insufficient CPU units available\. For more information/);
    // The first service finally runs (it fits on the t3.micro).
    h.until(() => svc.runningCount === 1);
    assert.ok(taskId(h.running('demo-service')[0]).length === 32);
  });
});
