/**
 * The walkthrough's request probe (host side) and the pure parts of its drawing and of the
 * autoscaling chart: a fixed sampling rate however slow the answers are, timeouts as error samples,
 * a bounded number of requests in flight; error periods; the chart's per-minute CPU data.
 */
import assert from 'node:assert/strict';
import type { ChartPoint, HostMessage } from '../../../src/core/walkthrough/messages';
import { chartData, errorPeriods, probeSummary } from '../../../src/core/walkthrough/visuals';
import { RequestProbe } from '../../../src/ui/walkthrough/probe';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type ProbeMessage = Extract<HostMessage, { kind: 'probe' }>;

/** A request that answers `status` after `ms`, or never (until aborted) when ms is Infinity. */
const answer = (status: number, ms: number) => (_url: string, signal: AbortSignal) =>
  new Promise<number>((resolve, reject) => {
    const timer = Number.isFinite(ms) ? setTimeout(() => resolve(status), ms) : undefined;
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });

function probeWith(get: (url: string, signal: AbortSignal) => Promise<number>, o: { intervalMs?: number; timeoutMs?: number; maxInFlight?: number } = {}) {
  const posted: ProbeMessage[] = [];
  let calls = 0;
  const probe = new RequestProbe({
    post: (m) => posted.push(m),
    intervalMs: o.intervalMs ?? 20,
    timeoutMs: o.timeoutMs ?? 1000,
    maxInFlight: o.maxInFlight ?? 4,
    get: (url, signal) => {
      calls++;
      return get(url, signal);
    },
  });
  probe.setUrl('http://lb.test/app/');
  return { probe, posted, calls: () => calls };
}

describe('walkthrough request probe', () => {
  it('samples at its rate even when each answer takes longer than the interval', async () => {
    const { probe, calls } = probeWith(answer(200, 100), { intervalMs: 20, maxInFlight: 8 });
    probe.start();
    await sleep(400);
    probe.stop();
    // One request at a time would give at most 4 samples in 400 ms; the fixed rate gives ~20 (fewer on a busy machine).
    assert.ok(calls() >= 8, `requests sent: ${calls()}`);
    await sleep(150);
    const sm = probe.samples;
    assert.ok(sm.every((s) => s.status === 200 && s.ms >= 90));
    const sorted = [...sm].sort((a, b) => a.t - b.t);
    const gaps = sorted.slice(1).map((s, i) => s.t - sorted[i].t);
    assert.ok(Math.max(...gaps) < 100, `sent every ~20 ms (not once per 100 ms answer), largest gap ${Math.max(...gaps)} ms`);
  });

  it('a request without an answer within the timeout is an error sample (status 0, timeout)', async () => {
    const { probe } = probeWith(answer(200, Infinity), { intervalMs: 20, timeoutMs: 40, maxInFlight: 4 });
    probe.start();
    await sleep(200);
    probe.stop();
    await sleep(60);
    assert.ok(probe.samples.length >= 3, `samples: ${probe.samples.length}`);
    for (const s of probe.samples) {
      assert.equal(s.status, 0);
      assert.equal(s.error, 'timeout');
      assert.ok(s.ms <= 40);
    }
    assert.ok(probeSummary(probe.samples).errors === probe.samples.length, 'timeouts count as errors');
  });

  it('keeps at most maxInFlight requests outstanding', async () => {
    const { probe, calls } = probeWith(answer(200, Infinity), { intervalMs: 10, timeoutMs: 10_000, maxInFlight: 2 });
    probe.start();
    await sleep(150);
    assert.equal(calls(), 2);
    probe.dispose();
  });

  it('connection errors are error samples too; 502s keep their status', async () => {
    let n = 0;
    const { probe, posted } = probeWith(async () => {
      n++;
      if (n === 2) throw new Error('ECONNREFUSED');
      return n === 3 ? 502 : 200;
    });
    probe.start();
    await sleep(150);
    probe.stop();
    const sm = probe.samples;
    assert.equal(sm[1].status, 0);
    assert.equal(sm[1].error, 'connection');
    assert.equal(sm[2].status, 502);
    assert.equal(sm[2].error, undefined);
    const sent = posted.flatMap((m) => m.samples);
    assert.deepEqual(sent, [...sm], 'every sample reached the webview');
  });

  it('marks what the user did on the timeline; reset starts over', async () => {
    const { probe, posted } = probeWith(answer(200, 1));
    probe.start();
    await sleep(60);
    probe.mark('Stop one task');
    assert.equal(probe.marks.length, 1);
    assert.ok(probe.marks[0].t >= 40 && probe.marks[0].t < 200, `mark at ${probe.marks[0].t}`);
    assert.ok(posted.some((m) => m.marks?.[0]?.label === 'Stop one task'));
    probe.reset();
    assert.equal(probe.samples.length, 0);
    assert.equal(probe.marks.length, 0);
    assert.equal(posted[posted.length - 1].reset, true);
    await sleep(60);
    probe.stop();
    assert.ok(probe.samples.length > 0 && probe.samples[0].t < 40, 'a fresh timeline');
    assert.deepEqual(probe.snapshotMessage().samples, [...probe.samples]);
  });

  it('the summary orders samples by the time they were sent', () => {
    const sm = probeSummary([
      { t: 0, status: 200, ms: 5 },
      { t: 400, status: 502, ms: 5 },
      { t: 200, status: 502, ms: 900 },
      { t: 600, status: 200, ms: 5 },
    ]);
    assert.deepEqual(sm.windows, [{ from: 200, to: 600 }]);
    assert.equal(sm.longestErrorMs, 400);
  });

  it('error windows close together are one period (every other request failing)', () => {
    assert.deepEqual(errorPeriods([{ from: 0, to: 200 }, { from: 400, to: 600 }, { from: 800, to: 1000 }, { from: 3000, to: 3200 }]), [
      { from: 0, to: 1000 },
      { from: 3000, to: 3200 },
    ]);
  });
});

describe('walkthrough autoscaling chart data', () => {
  const point = (t: number, cpuPoints: [number, number][], desired = 2): ChartPoint => ({ t, cpu: cpuPoints.length ? cpuPoints[cpuPoints.length - 1][1] : null, cpuPoints, desired, running: desired, instances: 2, alarm: 'OK' });

  it('CPU only at its 1-minute datapoints; x in minutes since the load started', () => {
    const t0 = 1_800_000_000;
    const points = [point(t0 + 10, [[t0 - 60, 1]]), point(t0 + 50, [[t0 - 60, 1], [t0, 35]]), point(t0 + 100, [[t0, 40], [t0 + 60, 55]], 4)];
    const [x, cpu, thr, desired] = chartData(points, 20, t0);
    assert.deepEqual(x, [-1, 0, 10 / 60, 50 / 60, 1, 100 / 60].map((v) => Math.round(v * 1000) / 1000));
    assert.deepEqual(cpu, [1, 40, null, null, 55, null], 'the newest value of a minute wins; no value between minutes');
    assert.ok(thr.every((v) => v === 20));
    assert.deepEqual(desired, [null, null, 2, 2, null, 4]);
  });

  it('without a load start the axis counts from the first point', () => {
    const [x] = chartData([point(1000, []), point(1120, [])], 20);
    assert.deepEqual(x, [0, 2]);
  });
});
