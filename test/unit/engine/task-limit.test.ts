/**
 * The sandbox's cap on live task processes (`--max-tasks`): tasks beyond it fail to start
 * (STOPPED, TaskFailedToStart) with a reason naming the limit, a service says so in an event, and
 * capacity freed by stopped tasks is used again.
 */
import assert from 'node:assert/strict';
import { Harness, taskId } from './harness';

describe('engine: the sandbox task limit (maxTasks)', () => {
  it('fails tasks beyond the limit to start, across services, RunTask and regions, and says how to raise it', () => {
    const h = new Harness({ maxTasks: 3 });
    h.cluster();
    h.instances(2, 'demo-cluster', 'm5.4xlarge');
    const td = h.taskDefinition('web', 'uzresk/demo:ver1.0', 0);
    const svc = h.service('web', td, 2);
    h.until(() => h.running('web').length === 2);

    // A third task fits; a fourth and fifth do not.
    const run = h.engine.runTasks(h.rs, 'demo-cluster', td, 3, {});
    assert.equal(run.tasks.length, 3, 'placement itself is not limited');
    h.drive(2000);
    const [ok, ...over] = run.tasks;
    assert.equal(ok.lastStatus, 'RUNNING');
    for (const t of over) {
      assert.equal(t.lastStatus, 'STOPPED');
      assert.equal(t.stopCode, 'TaskFailedToStart');
      assert.match(t.stoppedReason!, /this sandbox runs at most 3 task processes at a time.*--max-tasks/);
    }
    assert.equal(h.runtime.starts.length, 3, 'no process was started beyond the limit');

    // The service wants more: its new tasks fail to start and it says why, once.
    h.engine.serviceUpdated(h.rs, svc, { desiredCount: 4 });
    h.drive(60_000);
    const limitEvents = h.messages(svc).filter((m) => m.includes("sandbox's limit of 3 running task processes"));
    assert.equal(limitEvents.length, 1, h.messages(svc).join('\n'));
    assert.match(limitEvents[0], /^\(service web\) was unable to start a task because .*ecs-handson-sandbox --max-tasks N/);
    const failed = h.tasksOf('web', false).filter((t) => t.stopCode === 'TaskFailedToStart');
    assert.ok(failed.length >= 1);
    assert.equal(h.running('web').length, 2);
    assert.equal(h.runtime.running.size, 3);

    // The limit is the machine's: a task in another region cannot start either.
    const west = Object.create(h) as Harness;
    Object.defineProperty(west, 'rs', { value: h.engine.region('us-west-2') });
    west.cluster();
    west.instances(1, 'demo-cluster', 'm5.4xlarge');
    const [w] = west.engine.runTasks(west.rs, 'demo-cluster', west.taskDefinition('web', 'uzresk/demo:ver1.0', 0), 1, {}).tasks;
    h.drive(2000);
    assert.equal(w.stopCode, 'TaskFailedToStart');
    assert.equal(h.runtime.running.size, 3);
    // Freeing capacity: the RunTask task stops, and the service reaches 3 of 4.
    h.engine.stopTask(h.rs, ok, 'UserInitiated', 'Task stopped by user');
    h.until(() => h.running('web').length === 3, 30 * 60_000);
    assert.equal(h.runtime.running.size, 3);
    assert.ok(!h.runtime.running.has(taskId(ok)));
  });

  it('has no limit unless one is set (the engine default), and counts a process until it exited', () => {
    const h = new Harness();
    h.cluster();
    h.instances(2, 'demo-cluster', 'm5.4xlarge');
    const td = h.taskDefinition('web', 'uzresk/demo:ver1.0', 0);
    const r = h.engine.runTasks(h.rs, 'demo-cluster', td, 10, {});
    assert.equal(r.tasks.length, 10);
    h.drive(2000);
    assert.equal(r.tasks.filter((t) => t.lastStatus === 'RUNNING').length, 10);

    const capped = new Harness({ maxTasks: 1 });
    capped.cluster();
    capped.instances(1, 'demo-cluster', 'm5.4xlarge');
    const td1 = capped.taskDefinition('web', 'uzresk/demo:ver1.0', 0);
    const [a] = capped.engine.runTasks(capped.rs, 'demo-cluster', td1, 1, {}).tasks;
    capped.drive(2000);
    assert.equal(a.lastStatus, 'RUNNING');
    // While `a` is still stopping (its process has not exited) a new task cannot start.
    capped.runtime.autoStop = false;
    capped.engine.stopTask(capped.rs, a, 'UserInitiated', 'Task stopped by user');
    capped.drive(3000);
    assert.equal(a.lastStatus, 'STOPPING');
    const [b] = capped.engine.runTasks(capped.rs, 'demo-cluster', td1, 1, {}).tasks;
    capped.drive(2000);
    assert.equal(b.stopCode, 'TaskFailedToStart');
    capped.runtime.exit(taskId(a), 143, 'SIGTERM');
    capped.drive(1000);
    const [c] = capped.engine.runTasks(capped.rs, 'demo-cluster', td1, 1, {}).tasks;
    capped.drive(2000);
    assert.equal(c.lastStatus, 'RUNNING');
  });
});
