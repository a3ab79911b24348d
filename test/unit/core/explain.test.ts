/**
 * The plain-words explanation of a rollout that does not move: from ECS's own event / stopped
 * reason (as the sandbox and ECS write them), through computeRollout's classification, to the
 * sentence and remedy the status bar tooltip, the rollout view and the walkthrough show — with
 * ECS's raw text kept below.
 */
import assert from 'node:assert/strict';
import type { Task } from '@aws-sdk/client-ecs';
import { explainProblem, explainRollout, revisionFacts } from '../../../src/core/explain';
import { computeRollout } from '../../../src/core/rollout';
import { renderViewBody, tooltipMarkdown } from '../../../src/ui/rollout/present';
import { CLUSTER_ARN, demoTaskDefinition, rollingSnapshot, task, T0_MS } from './fixtures/ecs';

const ms = (s: number) => T0_MS + s * 1000;
const GUIDE = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const head = '(service demo-service) was unable to place a task because no container instance met all of its requirements.';
const EVENTS = {
  port: `${head} The closest matching (container-instance 3f4de1c5ffdd4954af7e75b4be0c8841) is already using a port required by your task. ${GUIDE}`,
  cpu: `${head} The closest matching (container-instance 3f4de1c5ffdd4954af7e75b4be0c8841) has insufficient CPU units available. ${GUIDE}`,
  memory: `${head} The closest matching (container-instance 3f4de1c5ffdd4954af7e75b4be0c8841) has insufficient memory available. ${GUIDE}`,
  noInstances: `${head} Reason: No Container Instances were found in your cluster. ${GUIDE}`,
  unhealthy: '(service demo-service) (task 0123456789abcdef) (instance i-0abc) (port 80) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-tg/73e2d6bc24d8a067) due to (reason Health checks failed with these codes: [502]).',
  config: '(service demo-service) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
};

/** A stuck rollout of demo-app-task:2 whose newest event is `message`. */
const stuckWith = (message: string, stoppedTasks: Task[] = []) =>
  computeRollout(
    rollingSnapshot({ now: 400, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 }, events: [{ id: 'e', at: 390, message }] }),
    { now: ms(400), stuckAfterMs: 60_000, lastChangeAt: ms(0), stoppedTasks },
  );

describe('core/explain: why a rollout does not move, in plain words', () => {
  const td = demoTaskDefinition(2); // host port 80, cpu 256, memory 256 / reservation 128

  it('port conflict: names the port from the new revision, says what to do, keeps ECS\'s text', () => {
    const p = stuckWith(EVENTS.port);
    const e = explainRollout(p, td)!;
    assert.equal(e.kind, 'port-conflict');
    assert.equal(e.text, 'Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones.');
    assert.match(e.remedy, /dynamic host port \(hostPort 0\)/);
    assert.match(e.remedy, /add instances/);
    assert.match(e.remedy, /lower minimumHealthyPercent/);
    assert.equal(e.raw, EVENTS.port.replace(` ${GUIDE}`, ''), 'the raw event, without the boilerplate');
    // Without the task definition (not read yet) it still says what happens, without a port number.
    assert.equal(explainRollout(p)!.text, 'A host port the new tasks need is already used on every instance, so ECS cannot start them.');
  });

  it('CPU, memory, no instances, placement: each its own sentence and remedy, with the revision\'s numbers', () => {
    assert.equal(explainRollout(stuckWith(EVENTS.cpu), td)!.text, 'No instance has 256 CPU units free for a new task: the tasks already running there have reserved the rest.');
    assert.match(explainRollout(stuckWith(EVENTS.cpu), td)!.remedy, /fewer CPU units.*add instances.*larger instance type/);
    assert.equal(explainRollout(stuckWith(EVENTS.memory), td)!.text, 'No instance has 128 MiB of memory free for a new task: the tasks already running there have reserved the rest.');
    assert.match(explainRollout(stuckWith(EVENTS.memory), td)!.remedy, /memoryReservation/);
    const none = explainRollout(stuckWith(EVENTS.noInstances), td)!;
    assert.equal(none.kind, 'no-instances');
    assert.equal(none.text, 'The cluster has no running container instance, so there is nowhere to start a task.');
    assert.match(none.remedy, /Auto Scaling group's desired capacity.*ECS_CLUSTER/);
    const attr = explainRollout(stuckWith(`${head} The closest matching (container-instance 3f4d) is missing an attribute required by your task. ${GUIDE}`), td)!;
    assert.equal(attr.kind, 'placement');
    assert.match(attr.text, /No container instance meets all the requirements/);
  });

  it('failing health checks, deployment configuration', () => {
    const h = explainRollout(stuckWith(EVENTS.unhealthy), td)!;
    assert.equal(h.kind, 'unhealthy-target');
    assert.equal(h.text, 'The new tasks start, but they fail the load balancer\'s health check, so ECS stops and replaces them.');
    assert.match(h.remedy, /answers with 200 on the target group's health-check path/);
    const c = explainRollout(stuckWith(EVENTS.config), td)!;
    assert.equal(c.kind, 'deployment-configuration');
    assert.equal(c.remedy, 'Raise maximumPercent above 100, or lower minimumHealthyPercent below 100.');
  });

  it('image pull: a stopped task with CannotPullContainerError names the image', () => {
    const stopped = task({ id: 'aaaabbbbccccdddd', lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/uzresk/demo:ver3.0: not found', stoppedAt: 200 });
    const p = computeRollout(rollingSnapshot({ now: 300, primary: { running: 0, pending: 0, failed: 1 }, old: { running: 2, pending: 0 } }), { now: ms(300), stoppedTasks: [stopped] });
    const e = explainRollout(p, { ...td, containerDefinitions: [{ ...td.containerDefinitions![0], image: 'uzresk/demo:ver3.0' }] })!;
    assert.equal(e.kind, 'image-pull');
    assert.equal(e.text, 'ECS cannot pull the image uzresk/demo:ver3.0: it does not exist or cannot be reached, so the new tasks stop before they start.');
    assert.match(e.remedy, /Check the image name and tag/);
    assert.match(e.raw ?? '', /^Task aaaabbbb stopped: CannotPullContainerError/);
    // A task whose container exits for another reason is not an image problem.
    const exited = task({ id: 'eeeeffff00001111', lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1, stoppedAt: 200 });
    const q = computeRollout(rollingSnapshot({ now: 300, primary: { running: 0, pending: 0, failed: 1 }, old: { running: 2, pending: 0 } }), { now: ms(300), stoppedTasks: [exited] });
    assert.equal(explainRollout(q, td)!.text, 'A new task stopped soon after it started: its essential container exited.');
  });

  it('circuit breaker: failed, and rolling back', () => {
    const failed = computeRollout(
      rollingSnapshot({ now: 80, primary: { running: 0, pending: 0, failed: 3 }, old: { running: 2, pending: 0 }, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      { now: ms(80) },
    );
    const e = explainRollout(failed, td)!;
    assert.equal(e.kind, 'circuit-breaker');
    assert.equal(e.text, 'The deployment circuit breaker stopped this rollout because the new tasks kept failing to start or to stay healthy.');
    assert.equal(e.raw, 'ECS deployment circuit breaker: tasks failed to start.');
    assert.match(
      explainProblem('circuit-breaker', 'x', { rollingBackTo: 'demo-app-task:1' }).text,
      /ECS is rolling back to demo-app-task:1\.$/,
    );
  });

  it('a rollout without a problem, or completed, has no explanation', () => {
    const ok = computeRollout(rollingSnapshot({ now: 80, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }), { now: ms(80) });
    assert.equal(explainRollout(ok, td), undefined);
    const moving = computeRollout(rollingSnapshot({ now: 10, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } }), { now: ms(10) });
    assert.equal(explainRollout(moving, td), undefined);
  });

  it('revision facts: static host ports only (dynamic ones left out), task-level CPU and memory first', () => {
    const dynamic = { ...td, containerDefinitions: [{ ...td.containerDefinitions![0], portMappings: [{ containerPort: 8080, hostPort: 0 }] }] };
    assert.deepEqual(revisionFacts(dynamic).hostPorts, []);
    assert.deepEqual(revisionFacts({ ...td, cpu: '512', memory: '1024' }), { hostPorts: [80], cpu: 512, memory: 1024, image: 'ecs-handson/demo-app:1' });
  });

  it('translates every sentence (the host passes its translation function)', () => {
    const seen: string[] = [];
    const t = (m: string, ...args: Array<string | number | boolean>) => {
      seen.push(m);
      return `[${m.replace(/\{(\d+)\}/g, (_w, i: string) => String(args[Number(i)]))}]`;
    };
    const e = explainProblem('port-conflict', 'raw', { hostPorts: [80], oldTasksRunning: true }, t);
    assert.equal(e.text, '[Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones.]');
    assert.ok(e.remedy.startsWith('[') && seen.length === 2);
  });

  it('the status bar tooltip and the rollout view show the plain words first, the remedy, then ECS\'s text', () => {
    const p = stuckWith(EVENTS.port);
    const md = tooltipMarkdown([{ cluster: CLUSTER_ARN, serviceName: 'demo-service', trackedAt: 1, progress: p, taskDefinition: td }]);
    const plainAt = md.indexOf('**Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones.**');
    const remedyAt = md.indexOf('What to do: Use a dynamic host port (hostPort 0)');
    const rawAt = md.indexOf('ECS said: (service demo-service) was unable to place a task');
    assert.ok(plainAt > 0 && remedyAt > plainAt && rawAt > remedyAt, md);
    const body = renderViewBody({ cluster: CLUSTER_ARN, serviceName: 'demo-service', progress: p, now: ms(400), live: true, taskDefinition: td });
    assert.match(body, /<div class="explanation bad" role="status" data-kind="port-conflict"><p class="plain">Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones\.<\/p><p class="remedy"><span class="label">What to do:<\/span> Use a dynamic host port/);
    assert.match(body, /<p class="raw"><span class="label">ECS said:<\/span> \(service demo-service\) was unable to place a task .*is already using a port required by your task\.<\/p><\/div>/);
  });
});
