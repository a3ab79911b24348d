import assert from 'node:assert/strict';
import type { RolloutProgress } from '../../../src/core/rollout';
import { backoffDelay, jitteredDelay, paceFor, RolloutPollSchedule, TreeRefreshPlanner, waitUntil } from '../../../src/core/poll';

/** A deterministic random source cycling through the given values. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('core/poll RolloutPollSchedule', () => {
  it('polls every 1–4 s with jitter while a rollout is active', () => {
    assert.equal(jitteredDelay(undefined, () => 0), 1000);
    assert.equal(jitteredDelay(undefined, () => 0.5), 2500);
    assert.equal(jitteredDelay(undefined, () => 0.999999), 4000);
    const schedule = new RolloutPollSchedule({}, seq(0.1, 0.9));
    assert.deepEqual([schedule.nextDelay(true), schedule.nextDelay(true)], [1300, 3700]);
  });

  it('stops when no rollout is active', () => {
    assert.equal(new RolloutPollSchedule().nextDelay(false), undefined);
  });

  it('keeps polling while any tracked rollout is in progress or stuck, stops when all are completed or failed', () => {
    const schedule = new RolloutPollSchedule({}, () => 0);
    const at = (state: RolloutProgress['state']) => ({ state }) as RolloutProgress;
    assert.equal(schedule.nextDelayFor([at('completed'), at('in-progress')]), 1000);
    assert.equal(schedule.nextDelayFor([at('failed'), at('stuck')]), 1000);
    assert.equal(schedule.nextDelayFor([at('completed'), at('failed')]), undefined);
    assert.equal(schedule.nextDelayFor([]), undefined);
  });

  it('backs off exponentially on throttling, capped at 30 s, and resets on success', () => {
    const schedule = new RolloutPollSchedule({}, () => 1 - Number.EPSILON);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      schedule.recordThrottled();
      delays.push(schedule.nextDelay(true)!);
    }
    assert.deepEqual(delays, [2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    schedule.recordSuccess();
    assert.equal(schedule.consecutiveFailures, 0);
    assert.ok(schedule.nextDelay(true)! <= 4000);
  });

  it('jitters backoff between half and all of the exponential delay', () => {
    assert.equal(backoffDelay(3, undefined, () => 0), 4000);
    assert.equal(backoffDelay(3, undefined, () => 0.5), 6000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(10, undefined, Math.random);
      assert.ok(d >= 15000 && d <= 30000, String(d));
    }
  });
});

describe('core/poll TreeRefreshPlanner', () => {
  it('refreshes only expanded nodes, periodically', () => {
    const p = new TreeRefreshPlanner({ intervalMs: () => 10_000 });
    p.setExpanded('cluster:a', true);
    let plan = p.plan(0);
    assert.deepEqual(plan.keys, ['', 'cluster:a']);
    for (const k of plan.keys) p.recordRefreshed(k, 0);
    plan = p.plan(5_000);
    assert.deepEqual(plan.keys, []);
    assert.equal(plan.nextAt, 10_000);
    p.setExpanded('cluster:a', false);
    assert.deepEqual(p.plan(10_000).keys, ['']);
  });

  it('debounces and coalesces explicit requests', () => {
    const p = new TreeRefreshPlanner({ debounceMs: 300, intervalMs: () => undefined });
    p.setExpanded('service:x', true);
    p.request('service:x', 1000);
    p.request('service:x', 1200);
    let plan = p.plan(1400);
    assert.deepEqual(plan.keys, []);
    assert.equal(plan.nextAt, 1500);
    plan = p.plan(1500);
    assert.deepEqual(plan.keys, ['service:x']);
    p.recordRefreshed('service:x', 1500);
    assert.deepEqual(p.plan(2000).keys, []);
  });

  it('drops requests for collapsed nodes (they load fresh on expand)', () => {
    const p = new TreeRefreshPlanner({ intervalMs: () => undefined });
    p.request('service:y', 0);
    assert.deepEqual(p.plan(1000).keys, []);
    p.setExpanded('service:y', true);
    assert.deepEqual(p.plan(2000).keys, [], 'the dropped request does not come back');
  });

  it('refreshes nothing while hidden; pending requests wait for visibility', () => {
    const p = new TreeRefreshPlanner({ debounceMs: 0, intervalMs: () => undefined });
    p.setExpanded('k', true);
    p.setVisible(false);
    p.request('k', 0);
    assert.deepEqual(p.plan(100), { keys: [] });
    p.setVisible(true);
    assert.deepEqual(p.plan(200).keys, ['k']);
  });

  it('pauses with exponential backoff after throttling', () => {
    const p = new TreeRefreshPlanner({ intervalMs: () => 1000, backoffBaseMs: 2000, backoffCapMs: 5000 });
    p.recordThrottled(0);
    assert.deepEqual(p.plan(1000), { keys: [], nextAt: 2000 });
    assert.deepEqual(p.plan(2000).keys, ['']);
    p.recordThrottled(2000);
    assert.equal(p.plan(2000).nextAt, 6000);
    p.recordThrottled(6000);
    assert.equal(p.plan(6000).nextAt, 11000, 'capped at 5 s');
    p.recordRefreshed('', 11000);
    p.recordThrottled(12000);
    assert.equal(p.plan(12000).nextAt, 14000, 'success resets the backoff');
  });

  it('uses per-key intervals (e.g. faster for a deploying service)', () => {
    const p = new TreeRefreshPlanner({ intervalMs: (k) => (k === 'service:deploying' ? 2000 : 30_000) });
    p.setExpanded('service:deploying', true);
    p.setExpanded('service:steady', true);
    for (const k of p.plan(0).keys) p.recordRefreshed(k, 0);
    assert.deepEqual(p.plan(2000).keys, ['service:deploying']);
    p.forget('service:deploying');
    assert.equal(p.plan(2000).nextAt, 30_000);
  });
});

describe('core/poll waitUntil', () => {
  it('returns the first value the check gives (checking at once, then every interval)', async () => {
    let calls = 0;
    const v = await waitUntil(async () => (++calls === 3 ? 'ready' : undefined), { timeoutMs: 10_000, intervalMs: 1 });
    assert.equal(v, 'ready');
    assert.equal(calls, 3);
  });

  it('false and undefined mean "not yet"; other falsy values are answers', async () => {
    let calls = 0;
    assert.equal(await waitUntil(async () => (++calls < 2 ? false : 0), { timeoutMs: 10_000, intervalMs: 1 }), 0);
  });

  it('gives up with undefined once the time is up (after at least one check)', async () => {
    let calls = 0;
    assert.equal(await waitUntil(async () => (calls++, undefined), { timeoutMs: 0, intervalMs: 1 }), undefined);
    assert.equal(calls, 1);
  });

  it('stops when cancelled', async () => {
    let calls = 0;
    let cancel = false;
    const v = await waitUntil(
      async () => {
        if (++calls === 2) cancel = true;
        return undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1, cancelled: () => cancel },
    );
    assert.equal(v, undefined);
    assert.equal(calls, 2);
  });

  it('paceFor: real AWS keeps its interval, a local endpoint looks every 0.5 s at most', () => {
    assert.equal(paceFor(true)(3000), 3000);
    assert.equal(paceFor(false)(3000), 500);
    assert.equal(paceFor(false)(200), 200);
  });
});
