import assert from 'node:assert/strict';
import { defaultTranslate } from '../../../src/core/l10n';
import { WALL_TIME, onClock, clockNote, scaledClock, timestampNote, toRealMs, toServiceMs } from '../../../src/core/clock';
import { durationOnClock, relativeTime } from '../../../src/core/format';
import { taskNode } from '../../../src/core/tree-tasks';
import { serviceSectionNodes, deploymentNode, serviceEventNode } from '../../../src/core/tree-ecs';
import { timeBaseOf } from '../../../src/aws/explorer';
import { statusText, tooltipMarkdown, renderViewBody, accessibilityLabel } from '../../../src/ui/rollout/present';
import { computeRollout } from '../../../src/core/rollout';
import * as fx from './fixtures/ecs';

describe('core/clock', () => {
  it('extrapolates the sandbox clock from a status sample', () => {
    let real = 1_000_000;
    const now = scaledClock({ now: 5_000_000, timeScale: 10, sampledAt: 1_000_000 }, () => real);
    assert.equal(now(), 5_000_000);
    real += 1500;
    assert.equal(now(), 5_015_000);
  });

  it('makes relative times right for events stamped in sandbox time', () => {
    let real = 0;
    const now = scaledClock({ now: 600_000, timeScale: 100, sampledAt: 0 }, () => real);
    real = 1200; // 1.2 s real = 2 min simulated
    assert.equal(relativeTime(600_000, now()), '2 min ago');
  });

  it('treats a bad scale as real time, and converts durations', () => {
    let real = 10;
    const now = scaledClock({ now: 100, timeScale: 0, sampledAt: 10 }, () => real);
    real = 20;
    assert.equal(now(), 110);
    assert.equal(toRealMs(180_000, 10), 18_000);
  });
});

/**
 * The one rule for the times shown (core/clock.ts): every age, duration and timestamp is on the
 * service's own clock; on the sandbox (10× real time by default) each says "sandbox time", or a
 * view says it once. The cases: "Started: 9 min ago" one real minute after a start,
 * "elapsed 3:10" after 19 real seconds, inspect timestamps ahead of real time.
 */
describe('core/clock: the one rule for the times shown', () => {
  const SANDBOX = { simulated: true, timeScale: 10 };

  it('a task started one real minute ago on the 10× sandbox: "10 min ago (sandbox time)"; on AWS no label', () => {
    let real = 0;
    const started = fx.T0_MS;
    const now = scaledClock({ now: started, timeScale: 10, sampledAt: 0 }, () => real);
    real = 60_000;
    const tk = fx.task({ id: '6a12b3c4d5e6f7a8b9c0', lastStatus: 'RUNNING' });
    tk.startedAt = new Date(started);
    assert.match(taskNode(tk, { now: now(), time: SANDBOX }).tooltip!, /- Started: 10 min ago \(sandbox time\)/);
    assert.match(taskNode(tk, { now: started + 60_000, time: WALL_TIME }).tooltip!, /- Started: 1 min ago$/m);
    assert.equal(relativeTime(started, started + 600_000, undefined, SANDBOX), '10 min ago (sandbox time)');
    assert.equal(relativeTime(started, started + 600_000, undefined, WALL_TIME), '10 min ago');
  });

  it('a rollout 19 real seconds old on the 10× sandbox: "3:10 (sandbox time)" in the status bar, tooltip and view', () => {
    const p = computeRollout(fx.rollingSnapshot({ now: 190, primary: { running: 1, pending: 0 }, old: { running: 2, pending: 0 } }), { now: fx.T0_MS + toServiceMs(19_000, SANDBOX) });
    const r = { cluster: fx.CLUSTER_ARN, serviceName: 'demo-service', trackedAt: 1, progress: p, time: SANDBOX };
    assert.equal(statusText(r), '$(sync~spin) demo-service demo-app-task:2 1/2 · old 2 · 3:10 (sandbox time)');
    assert.equal(statusText({ ...r, time: WALL_TIME }), '$(sync~spin) demo-service demo-app-task:2 1/2 · old 2 · 3:10');
    assert.match(accessibilityLabel(r), /3:10 \(sandbox time\) elapsed$/);
    const md = tooltipMarkdown([r]);
    assert.match(md, /— in progress · 3:10 \(sandbox time\)/);
    assert.match(md, /\$\(clock\) Times are sandbox time: the sandbox's clock runs 10× faster than real time, so a minute there passes in 6 s\./);
    assert.doesNotMatch(tooltipMarkdown([{ ...r, time: WALL_TIME }]), /sandbox/);
    const body = renderViewBody({ cluster: fx.CLUSTER_ARN, serviceName: 'demo-service', progress: p, now: fx.T0_MS + 190_000, live: true, time: SANDBOX });
    assert.match(body, /elapsed 3:10 \(sandbox time\)/);
    assert.match(body, /<p class="clock-note muted">Times are sandbox time: the sandbox&#39;s clock runs 10× faster/);
  });

  it('the explorer: deployment times and the Events row say which clock on the sandbox', () => {
    const service = fx.rollingSnapshot({ now: 120, primary: { running: 1, pending: 0 }, old: { running: 2, pending: 0 } });
    const [primary] = service.deployments!.map((d) => deploymentNode(d, { now: fx.T0_MS + 120_000, time: SANDBOX }));
    assert.match(primary.tooltip!, /- Created: 2 min ago \(sandbox time\)\n- Duration: 2:00 \(sandbox time\)/);
    const events = serviceSectionNodes(service, { time: SANDBOX }).find((n) => n.label === 'Events')!;
    assert.equal(events.description, 'sandbox time');
    assert.equal(serviceSectionNodes(service, { time: WALL_TIME }).find((n) => n.label === 'Events')!.description, undefined);
    const ev = serviceEventNode({ id: 'e', createdAt: new Date(fx.T0_MS), message: '(service demo-service) has reached a steady state.' }, { now: fx.T0_MS + 120_000, time: SANDBOX });
    assert.equal(ev.label, '2 min ago', 'the row stays short; its group says the clock');
    assert.match(ev.tooltip!, /^\*2 min ago \(sandbox time\) · 2026-11-25T12:00:00\.000Z\*/);
    // The connection decides: the sandbox's clients are on its clock, any other endpoint on the wall clock.
    assert.deepEqual(timeBaseOf({ connection: { kind: 'sandbox', endpoint: 'http://127.0.0.1:1', region: 'r', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } } } as never), { simulated: true });
    assert.deepEqual(timeBaseOf({ connection: { kind: 'profile' } } as never), WALL_TIME);
  });

  it('inspect: timestamps ahead of real time are explained in a comment (sandbox only)', () => {
    const lines = timestampNote(SANDBOX, Date.parse('2026-11-25T21:00:00Z'), Date.parse('2026-11-25T12:00:00Z'), defaultTranslate);
    assert.deepEqual(lines, [
      'Times are sandbox time: the sandbox\'s clock runs 10× faster than real time, so a minute there passes in 6 s.',
      'Now on the sandbox\'s clock: 2026-11-25T21:00:00.000Z (real time: 2026-11-25T12:00:00.000Z).',
    ]);
    assert.deepEqual(timestampNote(WALL_TIME, 1, 1, defaultTranslate), []);
  });

  it('real-time measurements (the probe\'s 502 window) are converted to the service clock; labels only on the sandbox', () => {
    assert.equal(toServiceMs(3_200, SANDBOX), 32_000);
    assert.equal(toServiceMs(3_200, WALL_TIME), 3_200);
    assert.equal(toServiceMs(3_200, { simulated: true }), 3_200, 'speed unknown: as measured');
    assert.equal(durationOnClock(190_000, SANDBOX), '3:10 (sandbox time)');
    assert.equal(onClock('', SANDBOX, defaultTranslate), '', 'no label on nothing');
    assert.equal(clockNote({ simulated: true }, defaultTranslate), 'Times are sandbox time: the sandbox\'s own clock (ecsHandson.sandbox.timeScale sets how fast it runs).');
    assert.equal(clockNote(WALL_TIME, defaultTranslate), undefined);
  });
});
