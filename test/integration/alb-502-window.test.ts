/**
 * Section 2 of the hands-on, with real traffic: stopping a task behind the ALB gives a short
 * window of 502 Bad Gateway until the health checks take the dead target out; shorter health-check
 * settings shorten that window.
 */
import assert from 'node:assert/strict';
import { ListTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildStack, type Stack } from './helpers/stack';
import { eventually } from './helpers/cli-sandbox';

/** Probes `url` every 20 ms for `ms`; returns the status codes seen over time. */
async function probe(url: string, ms: number): Promise<{ at: number; status: number }[]> {
  const out: { at: number; status: number }[] = [];
  const start = Date.now();
  while (Date.now() - start < ms) {
    const at = Date.now() - start;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      out.push({ at, status: res.status });
    } catch {
      out.push({ at, status: 0 });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

/** Real ms between the first and the last 502 seen. */
const window502 = (samples: { at: number; status: number }[]) => {
  const bad = samples.filter((s) => s.status === 502);
  return bad.length ? bad[bad.length - 1].at - bad[0].at + 20 : 0;
};

describe('ALB: the 502 window when a task is stopped', function () {
  this.timeout(240_000);
  let st: Stack;
  let longWindow = 0;
  before(async () => {
    st = await buildStack({ timeScale: 10, interval: 30, healthyThreshold: 2 });
  });
  after(async () => st?.close());

  const allHealthy = () =>
    eventually('2 healthy targets', async () => {
      const h = await st.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: st.targetGroupArn }));
      return h.TargetHealthDescriptions?.filter((d) => d.TargetHealth?.State === 'healthy').length === 2;
    }, 120_000);

  const stopOneAndProbe = async () => {
    await allHealthy();
    const [victim] = (await st.ecs.send(new ListTasksCommand({ cluster: 'demo-cluster', serviceName: 'demo-service' }))).taskArns!;
    const probing = probe(`${st.albUrl.replace(/\/$/, '')}/app/`, 9000);
    await new Promise((r) => setTimeout(r, 300));
    await st.ecs.send(new StopTaskCommand({ cluster: 'demo-cluster', task: victim }));
    return probing;
  };

  it('default-ish checks (30 s interval, 2 failures): 502s for a while, then only 200s', async () => {
    const samples = await stopOneAndProbe();
    const w = window502(samples);
    const ok = samples.filter((s) => s.status === 200).length;
    assert.ok(w > 0, `some requests failed with 502 (${JSON.stringify(samples.filter((s) => s.status !== 200).slice(0, 5))})`);
    assert.ok(ok > samples.length / 3, 'most requests still succeed through the other task');
    assert.equal(samples.slice(-10).filter((s) => s.status !== 200).length, 0, 'the window closes: the last requests all succeed');
    longWindow = w;
  });

  it('shorter health-check settings (5 s interval) shorten the window', async () => {
    await st.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: st.targetGroupArn, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, UnhealthyThresholdCount: 2, HealthyThresholdCount: 2 }));
    const samples = await stopOneAndProbe();
    const w = window502(samples);
    assert.ok(w < longWindow, `window with short checks (${w} ms) < window with long checks (${longWindow} ms)`);
  });
});
