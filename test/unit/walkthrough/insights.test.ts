/**
 * The walkthrough's "what is happening now": the article's insights said in plain words at the
 * moment they happen in the user's account — from realistic snapshots (ECS's own event texts), in
 * English and Japanese (the strings as l10n/bundle.l10n.ja.json translates them). The port conflict
 * uses the very words of the rollout status bar (core/explain.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainProblem } from '../../../src/core/explain';
import { defaultTranslate, type Translate } from '../../../src/core/l10n';
import { insightParts, liveInsight, type InsightContext, type ProbeSeen } from '../../../src/core/walkthrough/insights';
import type { Snapshot } from '../../../src/core/walkthrough/snapshot';
import type { StepId } from '../../../src/core/walkthrough/step-ids';
import { defaultInputs, type StepRecord } from '../../../src/core/walkthrough/steps';
import { probeSince, probeUrls, shownEndpoint } from '../../../src/core/walkthrough/visuals';
import { namesEndpoint } from '../../../src/core/walkthrough/content';
import { contentEn } from '../../../src/core/walkthrough/content-en';
import { contentJa } from '../../../src/core/walkthrough/content-ja';
import { emptySnapshot } from '../../../src/core/walkthrough/snapshot';
import { RequestProbe } from '../../../src/ui/walkthrough/probe';
import { ci, PORT_EVENT, running, T0, task } from './fixtures';

const JA: Record<string, string> = JSON.parse(readFileSync(join(__dirname, '../../../l10n/bundle.l10n.ja.json'), 'utf8'));
const ja: Translate = (message, ...args) => defaultTranslate(JA[message] ?? `<untranslated: ${message}>`, ...args);

const at = (step: StepId, snapshot: Snapshot, record: StepRecord, o: Partial<InsightContext> = {}) =>
  liveInsight({ step, snapshot, inputs: defaultInputs(step), record, t: defaultTranslate, ...o });

/** The release of demo-app-task:2 (host port 80) stuck: PRIMARY 0 of 2, the old deployment running 2. */
function stuckRelease(events: { createdAt: number; message: string }[]): Snapshot {
  const s = running(T0 + 300_000);
  s.taskDefinitions.push({ family: 'demo-app-task', revision: 2, arn: 'x:2', status: 'ACTIVE', image: 'uzresk/demo:ver2.0', containerPort: 8080, hostPort: 80 });
  s.services[0].taskDefinition = 'demo-app-task:2';
  s.services[0].deployments = [
    { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: 'demo-app-task:2', desired: 2, running: 0, pending: 0, rolloutState: 'IN_PROGRESS', createdAt: T0 + 200_000 },
    { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: 'demo-app-task:1', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED', createdAt: T0 },
  ];
  s.services[0].events.unshift(...events);
  return s;
}

describe('walkthrough insights at the article\'s moments', () => {
  const updated: StepRecord = { ranAt: T0 + 200_000, lastEventAt: T0 + 100_000 };

  it('release stuck on port 80: the status bar\'s words, what to do, the step\'s next move and ECS\'s text', () => {
    const s = stuckRelease([{ createdAt: T0 + 260_000, message: PORT_EVENT }]);
    const i = at('release', s, updated)!;
    assert.equal(i.kind, 'port-conflict');
    assert.equal(i.text, 'Port 80 is already used by the old tasks on every instance, so ECS cannot start the new ones.');
    const bar = explainProblem('port-conflict', PORT_EVENT, { hostPorts: [80], oldTasksRunning: true });
    assert.equal(i.text, bar.text, 'the same sentence as the rollout status bar');
    assert.equal(i.remedy, bar.remedy);
    assert.match(i.note ?? '', /press "Stop an old task"/);
    assert.match(i.raw ?? '', /is already using a port required by your task/, 'ECS\'s own words kept');
  });

  it('release: nothing before the update, nothing for an older event, nothing once the rollout moves or completed', () => {
    const s = stuckRelease([{ createdAt: T0 + 260_000, message: PORT_EVENT }]);
    assert.equal(at('release', s, {}), undefined, 'the service was not updated from the walkthrough');
    assert.equal(at('release', s, { ranAt: T0 + 270_000, lastEventAt: T0 + 260_000 }), undefined, 'the event is older than the update');
    // The user stopped an old task: ECS placed a new one; the conflict is not what happens now.
    const moving = stuckRelease([
      { createdAt: T0 + 280_000, message: '(service demo-service) has started 1 tasks: (task 99aa88bb77cc66dd55ee44ff33001122).' },
      { createdAt: T0 + 260_000, message: PORT_EVENT },
    ]);
    assert.equal(at('release', moving, updated), undefined);
    const done = stuckRelease([{ createdAt: T0 + 260_000, message: PORT_EVENT }]);
    done.services[0].deployments = [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: 'demo-app-task:2', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED' }];
    assert.equal(at('release', done, updated), undefined);
  });

  it('bluegreen-port-conflict: the lesson of maximumPercent 200 on 2 instances', () => {
    const s = stuckRelease([{ createdAt: T0 + 260_000, message: PORT_EVENT }]);
    const i = at('bluegreen-port-conflict', s, updated)!;
    assert.equal(i.kind, 'port-conflict');
    assert.match(i.note ?? '', /maximumPercent 200 allows 4 tasks, but 2 instances with a static host port hold only 2/);
  });

  it('Japanese: the same moment in the user\'s language (the status bar\'s Japanese sentence)', () => {
    const s = stuckRelease([{ createdAt: T0 + 260_000, message: PORT_EVENT }]);
    const i = at('release', s, updated, { t: ja })!;
    assert.equal(i.text, 'ポート 80 はすべてのインスタンスで古いタスクが使用中のため、ECS は新しいタスクを起動できません。');
    assert.equal(i.text, explainProblem('port-conflict', PORT_EVENT, { hostPorts: [80], oldTasksRunning: true }, ja).text);
    assert.doesNotMatch(`${i.remedy} ${i.note}`, /untranslated/);
    assert.match(i.raw ?? '', /already using a port/, 'ECS\'s text stays as ECS wrote it');
  });

  describe('the 502 window (kill-container)', () => {
    const stopped: StepRecord = { ranAt: T0 + 200_000, stoppedTaskId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', baselineTaskIds: [] };
    // Requests every 200 ms from 10 s on; the task is stopped at 10.4 s; 502s until 14.4 s.
    const samples = Array.from({ length: 40 }, (_, k) => 10_000 + k * 200).map((t) => ({ t, status: t >= 10_600 && t < 14_400 ? 502 : 200, ms: 4 }));
    const marks = [{ t: 10_400, label: 'stopped a1b2c3d4' }];

    it('probeSince: errors, the longest window and whether it is still open, since the last stop', () => {
      assert.equal(probeSince(samples, []), undefined, 'no stop marked');
      assert.deepEqual(probeSince(samples, marks), { errors: 19, longestMs: 3800, open: false });
      const open = probeSince(samples.filter((x) => x.t < 13_000), marks)!;
      assert.equal(open.open, true);
      assert.equal(open.errors, 12);
      // Errors before the stop do not count.
      const earlier = [{ t: 9_000, status: 502, ms: 3 }, ...samples];
      assert.equal(probeSince(earlier, marks)!.errors, 19);
    });

    it('while the 502s last, and after: how long on the service\'s clock, why, and the health-check remedy with the target group\'s numbers', () => {
      const s = running(T0 + 300_000);
      const openNow: ProbeSeen = { errors: 12, longestMs: 2400, open: true };
      const during = at('kill-container', s, stopped, { probe: openNow })!;
      assert.equal(during.kind, '502-window');
      assert.match(during.text, /^502 Bad Gateway right now: the load balancer still sends part of the requests to the stopped task's target/);
      assert.match(during.remedy, /after 2 failed health checks 30 s apart \(about 60 s\)/);
      assert.match(during.remedy, /"Use shorter health checks"/);
      const after = at('kill-container', s, stopped, { probe: probeSince(samples, marks), time: { simulated: true, timeScale: 10 } })!;
      assert.equal(after.text, 'The 502 window lasted 0:38 (sandbox time): the load balancer kept sending part of the requests to the stopped task\'s target until it was out of rotation.');
      const aws = at('kill-container', s, stopped, { probe: probeSince(samples, marks), time: { simulated: false } })!;
      assert.match(aws.text, /^The 502 window lasted 0:0[34]:/, 'real time on AWS, no label');
      // Nothing was stopped, or no error seen: nothing to say.
      assert.equal(at('kill-container', s, {}, { probe: openNow }), undefined);
      assert.equal(at('kill-container', s, stopped, { probe: { errors: 0, longestMs: 0, open: false } }), undefined);
      const ja502 = at('kill-container', s, stopped, { probe: openNow, t: ja })!;
      assert.doesNotMatch(`${ja502.text} ${ja502.remedy}`, /untranslated|[A-Za-z]{12}/);
    });
  });

  it('bluegreen-four-instances: old tasks draining, and the ~3 minutes the article waited', () => {
    const s = running(T0 + 300_000);
    for (let n = 3; n <= 4; n++) s.containerInstances.push({ arn: ci(n), cluster: 'demo-cluster', status: 'ACTIVE', usedPorts: [80], runningTasks: 1 });
    s.tasks = [
      task('old1', 1, { lastStatus: 'DEACTIVATING' }),
      task('old2', 1, { lastStatus: 'DEACTIVATING', containerInstanceArn: ci(2) }),
      task('new1', 2, { containerInstanceArn: ci(3) }),
      task('new2', 2, { containerInstanceArn: ci(4) }),
    ];
    const i = at('bluegreen-four-instances', s, updated)!;
    assert.equal(i.kind, 'draining');
    assert.match(i.text, /^2 old tasks are draining: ECS has taken their targets out of the load balancer.*2 new tasks serve meanwhile\.$/);
    assert.match(i.remedy, /deregistration delay.*300 s.*about 3 minutes/);
    s.tasks = s.tasks.filter((tk) => tk.lastStatus === 'RUNNING');
    assert.equal(at('bluegreen-four-instances', s, updated), undefined, 'drained: nothing happening');
    const jaI = at('bluegreen-four-instances', { ...s, tasks: [task('old1', 1, { lastStatus: 'DEACTIVATING' }), task('new1', 2)] }, updated, { t: ja })!;
    assert.match(jaI.text, /1/);
    assert.doesNotMatch(`${jaI.text} ${jaI.remedy}`, /untranslated/);
  });

  describe('the order of scale-out and scale-in (autoscaling-run)', () => {
    /** demo-service at desired/running with `instances` instances, on a revision with `hostPort`. */
    function scaling(desired: number, runningCount: number, instances: number, hostPort: number | null): Snapshot {
      const s = running(T0 + 600_000);
      s.taskDefinitions[0].hostPort = hostPort;
      for (let n = 3; n <= instances; n++) s.containerInstances.push({ arn: ci(n), cluster: 'demo-cluster', status: 'ACTIVE', usedPorts: [], runningTasks: 0 });
      Object.assign(s.services[0], { desiredCount: desired, runningCount });
      return s;
    }
    const loading: StepRecord = { ranAt: T0 + 300_000, maxDesired: 4, sawAlarm: true };

    it('needs the taskDefinitions part for the port of the service\'s revision', () => {
      assert.deepEqual(insightParts('autoscaling-run'), ['taskDefinitions']);
      assert.deepEqual(insightParts('release'), []);
    });

    it('static host port: the tasks wait for the instances, then run after them', () => {
      const waiting = at('autoscaling-run', scaling(4, 2, 2, 80), loading)!;
      assert.equal(waiting.kind, 'scale-out-order');
      assert.equal(waiting.text, 'The service wants 4 tasks and runs 2: the new tasks wait for room. With a static host port (80) each task needs an instance of its own, so they start once the Auto Scaling group\'s new instances have registered (2 now).');
      assert.match(waiting.remedy, /instances come before tasks/);
      const ran = at('autoscaling-run', scaling(4, 4, 4, 80), loading)!;
      assert.match(ran.text, /^4 tasks run on 4 instances: with a static host port \(80\) each new task needed a new instance, so the instances came first/);
    });

    it('dynamic host ports (as the hands-on leaves the service): no claim that each task needs an instance', () => {
      const waiting = at('autoscaling-run', scaling(4, 2, 2, null), loading)!;
      assert.doesNotMatch(waiting.text, /static host port/);
      assert.match(waiting.text, /^The service wants 4 tasks and runs 2\. With dynamic host ports the new tasks need only CPU and memory to spare/);
      const ran = at('autoscaling-run', scaling(4, 4, 2, null), loading)!;
      assert.equal(ran.text, '4 tasks run on 2 instances: with dynamic host ports and CPU to spare, the new tasks did not have to wait for new instances.');
    });

    it('on the way down: tasks first, then instances — until the instances have followed', () => {
      const down: StepRecord = { ...loading, scaledInAfterPeak: true };
      const i = at('autoscaling-run', scaling(2, 2, 4, null), down)!;
      assert.equal(i.kind, 'scale-in-order');
      assert.equal(i.text, 'On the way down the tasks went first (2 now); the instances follow on their own alarm and cooldown (4 now).');
      assert.match(i.remedy, /tasks first, then instances/);
      assert.equal(at('autoscaling-run', scaling(2, 2, 2, null), down), undefined, 'both back to 2');
      assert.equal(at('autoscaling-run', scaling(2, 2, 2, null), {}), undefined, 'before the load');
      const jaI = at('autoscaling-run', scaling(2, 2, 4, null), down, { t: ja })!;
      assert.doesNotMatch(`${jaI.text} ${jaI.remedy}`, /untranslated/);
    });
  });

  it('other steps have no live insight', () => {
    assert.equal(at('create-service', running(), updated), undefined);
  });
});

describe('the walkthrough names the load balancer by the URL the user opens', () => {
  const ELB = 'http://app-demo-lb-1234567890.ap-northeast-1.elb.localhost:41234/';
  const LOCAL = 'http://127.0.0.1:41234/';
  const sandboxLb = () => {
    const s = running();
    Object.assign(s.loadBalancers[0], { dnsName: 'app-demo-lb-1234567890.ap-northeast-1.elb.localhost', url: ELB, localUrl: LOCAL });
    return s;
  };

  it('{endpoint} and the probe show the sandbox listener\'s *.elb.localhost name; the probe requests 127.0.0.1', () => {
    assert.equal(shownEndpoint(sandboxLb(), 'app-demo-lb'), 'http://app-demo-lb-1234567890.ap-northeast-1.elb.localhost:41234');
    assert.deepEqual(probeUrls(sandboxLb(), 'app-demo-lb'), { request: `${LOCAL}app/`, shown: `${ELB}app/` });
    // AWS: the DNS name, requested and shown alike.
    const aws = running();
    Object.assign(aws.loadBalancers[0], { url: undefined, localUrl: undefined });
    assert.equal(shownEndpoint(aws, 'app-demo-lb'), 'http://app-demo-lb-1234567890.ap-northeast-1.elb.amazonaws.com');
    assert.deepEqual(probeUrls(aws, 'app-demo-lb'), { request: 'http://app-demo-lb-1234567890.ap-northeast-1.elb.amazonaws.com/app/', shown: 'http://app-demo-lb-1234567890.ap-northeast-1.elb.amazonaws.com/app/' });
    assert.equal(shownEndpoint(emptySnapshot(), 'app-demo-lb'), undefined);
  });

  it('the probe shows the URL the user knows while it requests the local one', async () => {
    const posted: string[] = [];
    const asked: string[] = [];
    const probe = new RequestProbe({ post: (m) => m.kind === 'probe' && m.url && posted.push(m.url), intervalMs: 10, get: async (url) => (asked.push(url), 200) });
    const urls = probeUrls(sandboxLb(), 'app-demo-lb');
    probe.setUrl(urls.request, urls.shown);
    probe.start();
    await new Promise((r) => setTimeout(r, 60));
    probe.stop();
    assert.ok(asked.length > 0 && asked.every((u) => u === `${LOCAL}app/`), asked.join());
    assert.ok(posted.length > 0 && posted.every((u) => u === `${ELB}app/`), posted.join());
  });

  it('every step whose text names {endpoint} reads the load balancers; no text says 127.0.0.1', () => {
    for (const step of ['create-service', 'kill-container', 'release', 'autoscaling-run', 'load-balancer'] as const) assert.ok(namesEndpoint(step), step);
    assert.equal(namesEndpoint('create-cluster'), false);
    for (const c of [contentEn, contentJa]) assert.doesNotMatch(JSON.stringify(c), /127\.0\.0\.1/);
  });
});
