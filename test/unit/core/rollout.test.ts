import assert from 'node:assert/strict';
import { classifyEvent, computeRollout, RolloutObserver } from '../../../src/core/rollout';
import { NEW_DEPLOYMENT, rollingSnapshot, T0_MS, task } from './fixtures/ecs';

const ms = (s: number) => T0_MS + s * 1000;
const PORT_EVENT =
  '(service demo-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 3f4de1c5-ffdd-4954-af7e-75b4be0c8841) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

describe('core/rollout', () => {
  it('follows a rolling update from PRIMARY 0/2 + ACTIVE 2 to COMPLETED', () => {
    const tracker = new RolloutObserver();
    const events: Array<{ id: string; at: number; message: string }> = [];
    const steps: Array<[number, Parameters<typeof rollingSnapshot>[0]]> = [];
    const push = (s: number, snap: Omit<Parameters<typeof rollingSnapshot>[0], 'now' | 'events'>) =>
      steps.push([s, { ...snap, now: s, events: [...events] }]);

    push(0, { primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 } });
    events.push({ id: 'e1', at: 5, message: '(service demo-service) has started 2 tasks: (task 6a12) (task ef67).' });
    push(5, { primary: { running: 0, pending: 2 }, old: { running: 2, pending: 0 } });
    push(20, { primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } });
    push(42, { primary: { running: 1, pending: 0 }, old: { running: 2, pending: 0 } });
    events.push({ id: 'e2', at: 50, message: '(service demo-service) has stopped 1 running tasks: (task 218d).' });
    push(50, { primary: { running: 2, pending: 0 }, old: { running: 1, pending: 0 } });
    events.push({ id: 'e3', at: 75, message: `(service demo-service) (deployment ${NEW_DEPLOYMENT}) deployment completed.` });
    events.push({ id: 'e4', at: 76, message: '(service demo-service) has reached a steady state.' });
    push(80, { primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED', updatedAt: 75 });

    const seen = steps.map(([s, snap]) => tracker.update(rollingSnapshot(snap), ms(s)));
    assert.deepEqual(seen.map((p) => p.state), ['in-progress', 'in-progress', 'in-progress', 'in-progress', 'in-progress', 'completed']);
    assert.deepEqual(seen.map((p) => [p.primary.running, p.primary.pending, p.others.reduce((n, d) => n + d.running, 0)]), [
      [0, 0, 2], [0, 2, 2], [1, 1, 2], [1, 0, 2], [2, 0, 1], [2, 0, 0],
    ]);
    assert.equal(seen[0].summaryText, 'demo-app-task:2 0/2 running, old 2 running — IN_PROGRESS 0:00');
    assert.equal(seen[3].summaryText, 'demo-app-task:2 1/2 running, old 2 running — IN_PROGRESS 0:42');
    assert.equal(seen[2].summaryText, 'demo-app-task:2 1/2 running, 1 pending, old 2 running — IN_PROGRESS 0:20');
    assert.equal(seen[5].summaryText, 'demo-app-task:2 2/2 running — COMPLETED 1:15', 'a finished rollout shows its total duration');
    assert.equal(seen[5].explanation, undefined);
    assert.equal(seen[3].primary.revision, 'demo-app-task:2');
    assert.equal(seen[3].others[0].revision, 'demo-app-task:1');
    assert.equal(seen[3].others[0].status, 'ACTIVE');
    assert.equal(tracker.active, false);
  });

  it('detects the port-conflict case as stuck, with the port event as explanation', () => {
    const tracker = new RolloutObserver({ stuckAfterMs: 120_000 });
    const snap = (now: number, eventTimes: number[]) =>
      rollingSnapshot({
        now,
        updatedAt: 0,
        primary: { running: 0, pending: 0 },
        old: { running: 2, pending: 0 },
        events: eventTimes.map((t, i) => ({ id: `p${i}`, at: t, message: PORT_EVENT })),
      });
    const a = tracker.update(snap(0, []), ms(0));
    const b = tracker.update(snap(10, [8]), ms(10));
    const c = tracker.update(snap(119, [8, 60]), ms(119));
    const d = tracker.update(snap(130, [8, 60, 125]), ms(130));
    assert.deepEqual([a.state, b.state, c.state, d.state], ['in-progress', 'in-progress', 'in-progress', 'stuck']);
    assert.equal(d.stuckForMs, 130_000);
    assert.equal(d.explanationKind, 'port-conflict');
    assert.match(d.explanation ?? '', /already using a port required by your task\.$/);
    assert.ok(!/Troubleshooting/.test(d.explanation ?? ''), 'boilerplate trimmed');
    assert.equal(b.explanationKind, 'port-conflict', 'the explanation is shown before it counts as stuck');
    assert.match(d.summaryText, /— STUCK 2:10$/);
    assert.equal(tracker.active, true, 'a stuck rollout is still watched');
  });

  it('leaves stuck when progress resumes', () => {
    const tracker = new RolloutObserver({ stuckAfterMs: 60_000 });
    const base = { updatedAt: 0, old: { running: 2, pending: 0 } };
    assert.equal(tracker.update(rollingSnapshot({ ...base, now: 0, primary: { running: 0, pending: 0 } }), ms(0)).state, 'in-progress');
    assert.equal(tracker.update(rollingSnapshot({ ...base, now: 70, primary: { running: 0, pending: 0 } }), ms(70)).state, 'stuck');
    const resumed = tracker.update(rollingSnapshot({ ...base, now: 80, primary: { running: 0, pending: 1 } }), ms(80));
    assert.equal(resumed.state, 'in-progress');
    assert.equal(resumed.stuckForMs, undefined);
    assert.equal(tracker.update(rollingSnapshot({ ...base, now: 130, primary: { running: 0, pending: 1 } }), ms(130)).state, 'in-progress');
    assert.equal(tracker.update(rollingSnapshot({ ...base, now: 141, primary: { running: 0, pending: 1 } }), ms(141)).state, 'stuck');
  });

  it('without a tracker, uses the snapshot timestamps for stuck detection', () => {
    const service = rollingSnapshot({ now: 400, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 } });
    assert.equal(computeRollout(service, { now: ms(400) }).state, 'stuck');
    assert.equal(computeRollout(service, { now: ms(100) }).state, 'in-progress');
  });

  it('with a previous snapshot, a change since then is progress', () => {
    const before = rollingSnapshot({ now: 300, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 } });
    const same = rollingSnapshot({ now: 400, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 } });
    const moved = rollingSnapshot({ now: 400, updatedAt: 0, primary: { running: 0, pending: 1 }, old: { running: 2, pending: 0 } });
    assert.equal(computeRollout(same, { now: ms(400), previous: { service: before, at: ms(300) } }).state, 'stuck');
    assert.equal(computeRollout(moved, { now: ms(400), previous: { service: before, at: ms(300) } }).state, 'in-progress');
  });

  it('reports a circuit-breaker failure', () => {
    const service = rollingSnapshot({
      now: 300,
      primary: { running: 0, pending: 0, failed: 3 },
      old: { running: 2, pending: 0 },
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      updatedAt: 290,
    });
    const p = computeRollout(service, { now: ms(300) });
    assert.equal(p.state, 'failed');
    assert.equal(p.primary.failed, 3);
    assert.equal(p.explanation, 'ECS deployment circuit breaker: tasks failed to start.');
    assert.equal(p.explanationKind, 'circuit-breaker');
    assert.equal(p.summaryText, 'demo-app-task:2 0/2 running, 3 failed, old 2 running — FAILED 4:50');
    const tracker = new RolloutObserver();
    tracker.update(service, ms(300));
    assert.equal(tracker.active, false);
  });

  it('explains a circuit-breaker rollback (failed deployment ACTIVE, PRIMARY rolling back)', () => {
    const service = rollingSnapshot({ now: 400, primary: { running: 1, pending: 0 }, old: { running: 0, pending: 0 } });
    // The rollback: PRIMARY is the old revision again, the failed revision 2 is ACTIVE with FAILED.
    service.deployments![0].taskDefinition = service.deployments![1].taskDefinition;
    service.deployments![1].taskDefinition = service.taskDefinition;
    service.deployments![1].rolloutState = 'FAILED';
    service.deployments![1].rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    const p = computeRollout(service, { now: ms(400) });
    assert.equal(p.state, 'in-progress');
    assert.equal(p.explanationKind, 'circuit-breaker');
    assert.equal(p.explanation, 'Rolling back to demo-app-task:1: ECS deployment circuit breaker: tasks failed to start.');
  });

  it('explains with the latest stopped task of the new deployment', () => {
    const service = rollingSnapshot({ now: 60, primary: { running: 0, pending: 1, failed: 1 }, old: { running: 2, pending: 0 } });
    const stopped = [
      task({ id: 'aaaaaaaa1111', lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1, stoppedAt: 40 }),
      task({ id: 'bbbbbbbb2222', lastStatus: 'STOPPED', startedBy: 'ecs-svc/other', stopCode: 'EssentialContainerExited', stoppedReason: 'old', stoppedAt: 50 }),
      task({ id: 'cccccccc3333', lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity', stoppedAt: 55 }),
    ];
    const p = computeRollout(service, { now: ms(60), stoppedTasks: stopped });
    assert.equal(p.explanation, 'Task aaaaaaaa stopped: Essential container in task exited (exit code 1)');
    assert.equal(p.explanationKind, 'task-stopped');
  });

  it('ignores problem events older than the deployment', () => {
    const service = rollingSnapshot({ now: 30, primary: { running: 1, pending: 0 }, old: { running: 2, pending: 0 }, events: [{ id: 'x', at: -50, message: PORT_EVENT }] });
    assert.equal(computeRollout(service, { now: ms(30) }).explanation, undefined);
  });

  it('treats a service without rolloutState as completed only when steady', () => {
    const service = rollingSnapshot({ now: 10, primary: { running: 2, pending: 0 } });
    delete service.deployments![0].rolloutState;
    assert.equal(computeRollout(service, { now: ms(10) }).state, 'completed');
    service.deployments![0].runningCount = 1;
    assert.equal(computeRollout(service, { now: ms(10) }).state, 'in-progress');
  });

  it('classifies event messages', () => {
    assert.equal(classifyEvent(PORT_EVENT), 'port-conflict');
    assert.equal(classifyEvent('(service s) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance x) has insufficient CPU units available.'), 'insufficient-cpu');
    assert.equal(classifyEvent('(service s) (task t) (instance i) (port 32768) is unhealthy in (target-group arn) due to (reason Health checks failed with these codes: [502]).'), 'unhealthy-target');
    assert.equal(classifyEvent('(service s) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.'), 'deployment-configuration');
    assert.equal(classifyEvent('(service demo-service) has reached a steady state.'), undefined);
    assert.equal(classifyEvent('(service demo-service) has started 2 tasks: (task a) (task b).'), undefined);
  });

  it('a PRIMARY deployment of another revision than the service\'s is still deploying, even when it says COMPLETED', () => {
    const snap = rollingSnapshot({ now: 80, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED', updatedAt: 75 });
    assert.equal(computeRollout(snap, { now: ms(80) }).state, 'completed');
    const primaryTd = snap.deployments![0].taskDefinition!;
    const next = primaryTd.replace(/:(\d+)$/, (_, n: string) => `:${Number(n) + 1}`);
    assert.equal(computeRollout({ ...snap, taskDefinition: next }, { now: ms(80) }).state, 'in-progress');
    assert.equal(computeRollout({ ...snap, taskDefinition: 'demo-app-task:3' }, { now: ms(80) }).state, 'in-progress', 'family:N against an ARN');
    assert.equal(computeRollout({ ...snap, taskDefinition: primaryTd.slice(primaryTd.indexOf('task-definition/') + 16) }, { now: ms(80) }).state, 'completed');
    assert.equal(computeRollout({ ...snap, taskDefinition: 'demo-app-task' }, { now: ms(80) }).state, 'completed', 'a family alone names no revision');
  });
});
