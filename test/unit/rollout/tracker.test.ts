import assert from 'node:assert/strict';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { mapAwsError } from '../../../src/aws/errors';
import { LINGER_MS, RolloutFollower, type RolloutAws } from '../../../src/ui/rollout/tracker';
import { demoTaskDefinition, rollingSnapshot, T0_MS } from '../core/fixtures/ecs';

/** Manual timers: nothing runs until the test says so. */
class Timers {
  pending: Array<{ id: number; fn: () => void; ms: number }> = [];
  private next = 1;
  set = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.pending.push({ id, fn, ms });
    return id;
  };
  clear = (h: unknown) => {
    this.pending = this.pending.filter((p) => p.id !== h);
  };
  /** Runs the earliest timer (awaiting the poll it starts). */
  async runNext(): Promise<number> {
    this.pending.sort((a, b) => a.ms - b.ms);
    const t = this.pending.shift();
    assert.ok(t, 'a timer is scheduled');
    t.fn();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    return t.ms;
  }
}

const named = (s: Service, name: string): Service => ({ ...s, serviceName: name, serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/demo-cluster/${name}` });
const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

function setup(snapshots: (cluster: string, names: string[]) => Service[] | Error) {
  const calls: Array<{ op: string; cluster?: string; names?: string[] }> = [];
  const timers = new Timers();
  const logs: string[] = [];
  let now = T0_MS;
  let local = 0;
  const aws: RolloutAws = {
    describeServices: async (_ecs, cluster, names) => {
      calls.push({ op: 'DescribeServices', cluster, names: [...names] });
      const r = snapshots(cluster, [...names]);
      if (r instanceof Error) throw r;
      return { items: r, failures: names.filter((n) => !r.some((s) => s.serviceName === n)).map((n) => ({ arn: n, reason: 'MISSING' })) };
    },
    describeTasks: async (_ecs, cluster, arns) => {
      calls.push({ op: 'DescribeTasks', cluster });
      return { items: arns.map((a) => ({ taskArn: a, stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', startedBy: 'ecs-svc/2222222222222222222', stoppedAt: new Date(now) })), failures: [] };
    },
    listTaskArnsPage: async (_ecs, filter) => {
      calls.push({ op: 'ListTasks', cluster: filter.cluster });
      return { items: ['arn:aws:ecs:us-east-1:123456789012:task/demo-cluster/aaaabbbbccccdddd'] };
    },
    describeTaskDefinition: async (_ecs, arn) => {
      calls.push({ op: 'DescribeTaskDefinition' });
      return { taskDefinition: { ...demoTaskDefinition(2), taskDefinitionArn: arn }, $metadata: {} };
    },
    listClusterArns: async () => ['arn:aws:ecs:us-east-1:123456789012:cluster/demo-cluster'],
    listServiceArnsPage: async () => ({ items: ['svc-a', 'svc-b'] }),
    mapAwsError,
  };
  const follower = new RolloutFollower({
    ready: () => true,
    ecs: async () => ({}) as ECSClient,
    now: async () => () => now,
    aws: () => aws,
    stuckAfterMs: () => 60_000,
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    setTimeout: timers.set,
    clearTimeout: timers.clear,
    random: () => 0.5,
    localNow: () => local,
  });
  return {
    follower, timers, calls, logs,
    advance: (ms: number) => (now += ms),
    advanceLocal: (ms: number) => (local += ms),
  };
}

describe('ui/rollout/tracker (RolloutFollower)', () => {
  it('polls every tracked service with one DescribeServices per cluster, every 1–4 s, and stops when all are done', async () => {
    let step = 0;
    const s = setup((cluster, names) =>
      names.map((n) => named(step < 2 ? rollingSnapshot({ now: step * 2, primary: { running: step, pending: 0 }, old: { running: 2, pending: 0 } }) : rollingSnapshot({ now: 10, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }), n)),
    );
    s.follower.track('demo-cluster', 'svc-a');
    s.follower.track('arn:aws:ecs:us-east-1:123456789012:cluster/demo-cluster', 'svc-b');
    s.follower.track('other-cluster', 'svc-c');
    assert.equal(s.timers.pending.length, 1, 'one poll scheduled however many track() calls');
    assert.equal(await s.timers.runNext(), 0, 'the first poll right away');
    assert.deepEqual(s.calls.map((c) => `${c.op} ${c.cluster} ${c.names?.join(',')}`), ['DescribeServices demo-cluster svc-a,svc-b', 'DescribeServices other-cluster svc-c']);
    assert.deepEqual(s.follower.rollouts.map((r) => r.progress?.state), ['in-progress', 'in-progress', 'in-progress']);
    assert.ok(s.logs.some((l) => /^info rollout: started tracking svc-a \(cluster demo-cluster\)/.test(l)));
    assert.ok(s.logs.some((l) => /^info rollout: svc-a ecs-svc\/\d+ in progress: demo-app-task:2 0\/2 running, old 2 running/.test(l)));

    step = 1;
    const delay = await s.timers.runNext();
    assert.ok(delay >= 1000 && delay <= 4000, `jittered delay ${delay}`);
    assert.equal(s.calls.length, 4);
    step = 2;
    s.advance(10_000);
    await s.timers.runNext();
    assert.deepEqual(s.follower.rollouts.map((r) => r.progress?.state), ['completed', 'completed', 'completed']);
    assert.ok(s.logs.some((l) => /^info rollout: svc-a .* completed: demo-app-task:2 2\/2 running — COMPLETED/.test(l)));
    assert.equal(s.timers.pending.filter((p) => p.ms <= 4000).length, 0, 'no further poll once every rollout is done');
    assert.equal(s.follower.isPolling, false);

    // Completed rollouts leave after about a minute.
    s.advanceLocal(LINGER_MS);
    const expiry = s.timers.pending.find((p) => p.ms === LINGER_MS);
    assert.ok(expiry, 'an expiry timer');
    expiry.fn();
    assert.equal(s.follower.rollouts.length, 0);
  });

  it('backs off exponentially when throttled, then returns to 1–4 s', async () => {
    let throttled = true;
    const s = setup((_c, names) => (throttled ? throttle() : names.map((n) => named(rollingSnapshot({ now: 1, primary: { running: 0, pending: 2 }, old: { running: 2, pending: 0 } }), n))));
    s.follower.track('demo-cluster', 'svc-a');
    await s.timers.runNext();
    const d1 = await s.timers.runNext();
    const d2 = await s.timers.runNext();
    const d3 = s.timers.pending[0].ms;
    assert.deepEqual([d1, d2, d3], [1500, 3000, 6000], 'equal-jitter backoff 2 s, 4 s, 8 s (random 0.5)');
    assert.equal(s.follower.backoffLevel, 3);
    assert.ok(s.logs.some((l) => /^warn rollout: DescribeServices demo-cluster: ThrottlingException Rate exceeded — backing off/.test(l)));
    s.follower.track('demo-cluster', 'svc-b');
    assert.equal(s.timers.pending[0].ms, 6000, 'a new track() does not cut the backoff short');
    throttled = false;
    await s.timers.runNext();
    assert.equal(s.follower.backoffLevel, 0);
    assert.equal(s.timers.pending[0].ms, 2500);
  });

  it('a stuck rollout keeps being polled and explains itself; failed tasks bring their stopped reasons', async () => {
    const PORT = '(service svc-a) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 3f4d) is already using a port required by your task.';
    let failed = 0;
    const s = setup((_c, names) => names.map((n) => named(rollingSnapshot({ now: 0, updatedAt: 0, primary: { running: 0, pending: 0, failed }, old: { running: 2, pending: 0 }, events: [{ id: 'p', at: 1, message: PORT }] }), n)));
    s.follower.track('demo-cluster', 'svc-a');
    await s.timers.runNext();
    s.advance(61_000);
    await s.timers.runNext();
    const r = s.follower.get('demo-cluster', 'svc-a')!;
    assert.equal(r.progress?.state, 'stuck');
    assert.equal(r.progress?.explanationKind, 'port-conflict');
    assert.ok(s.logs.some((l) => /^warn rollout: svc-a .* stuck: .* — .*already using a port required by your task/.test(l)));
    assert.equal(s.timers.pending.length, 1, 'still polling while stuck');
    assert.ok(!s.calls.some((c) => c.op === 'ListTasks'), 'no stopped-task lookups while nothing failed');
    // The explanation names the port: the new revision was read once, not on every poll.
    assert.equal(r.taskDefinition?.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-app-task:2');
    await s.timers.runNext();
    assert.equal(s.calls.filter((c) => c.op === 'DescribeTaskDefinition').length, 1);
    failed = 1;
    await s.timers.runNext();
    assert.deepEqual(s.calls.slice(-2).map((c) => c.op), ['ListTasks', 'DescribeTasks']);
    assert.equal(s.calls.filter((c) => c.op === 'DescribeTaskDefinition').length, 1);
    assert.equal(s.follower.get('demo-cluster', 'svc-a')?.stoppedTasks?.length, 1);
    await s.timers.runNext();
    assert.equal(s.calls.filter((c) => c.op === 'ListTasks').length, 1, 'looked up once per new failure');
  });

  it('drops services that are gone, and finds rollouts already in progress once connected', async () => {
    const s = setup((_c, names) =>
      names.filter((n) => n !== 'gone').map((n) => named(n === 'svc-b' ? rollingSnapshot({ now: 0, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }) : rollingSnapshot({ now: 0, primary: { running: 0, pending: 2 }, old: { running: 2, pending: 0 } }), n)),
    );
    s.follower.track('demo-cluster', 'gone');
    await s.timers.runNext();
    assert.equal(s.follower.rollouts.length, 0);
    assert.ok(s.logs.some((l) => /^warn rollout: stopped tracking gone: service not found \(MISSING\)/.test(l)));
    assert.equal(await s.follower.discover(), 1);
    assert.deepEqual(s.follower.rollouts.map((r) => r.serviceName), ['svc-a'], 'only the service with an IN_PROGRESS deployment');
    assert.ok(s.logs.some((l) => /found svc-a mid-rollout/.test(l)));
  });

  it('forget: a service deleted by a command leaves at once, even a finished rollout that is no longer polled', async () => {
    const s = setup((_c, names) => names.map((n) => named(rollingSnapshot({ now: 0, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }), n)));
    let changes = 0;
    s.follower.onDidChange(() => changes++);
    s.follower.track('demo-cluster', 'svc-a');
    s.follower.track('demo-cluster', 'svc-b');
    await s.timers.runNext();
    assert.deepEqual(s.follower.rollouts.map((r) => r.progress?.state), ['completed', 'completed']);
    const before = changes;
    s.follower.forget('arn:aws:ecs:us-east-1:123456789012:cluster/demo-cluster', 'arn:aws:ecs:us-east-1:123456789012:service/demo-cluster/svc-a');
    assert.deepEqual(s.follower.rollouts.map((r) => r.serviceName), ['svc-b'], 'cluster and service given as ARNs match');
    assert.equal(changes, before + 1, 'the status bar is told');
    assert.ok(s.logs.some((l) => /^info rollout: stopped tracking svc-a: service deleted/.test(l)));
    s.follower.forget('other-cluster', 'svc-b');
    assert.equal(s.follower.rollouts.length, 1, 'another cluster\'s service of the same name stays');
    assert.equal(changes, before + 1, 'nothing to tell when nothing changed');
  });
});
