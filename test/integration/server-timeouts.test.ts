/**
 * Slowloris against the sandbox's API port: 200 sockets that trickle a header byte every second
 * and never finish their request (plus a few that never send anything) are closed within a
 * bounded time, while a normal SDK request is served meanwhile. Before the API server had
 * explicit timeouts such sockets stayed open for 50 s and more.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime, fakeEngine, testServices } from './server-helpers';

const TRICKLERS = 200;
const SILENT = 20;
/** Headers must arrive within 5 s (+ up to 1 s until the server's next check); generous for a loaded 2-core machine. */
const BOUND_MS = 12_000;

interface Probe {
  closedAt?: number;
  answer: string;
}

function trickle(port: number, silent: boolean): Probe {
  const p: Probe = { answer: '' };
  const s = net.connect(port, '127.0.0.1');
  const header = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(10_000);
  let i = 0;
  const timer = silent
    ? undefined
    : setInterval(() => {
        if (s.writable) s.write(header[i++ % header.length]);
      }, 1000);
  s.on('connect', () => {
    if (!silent) s.write(header[i++]);
  });
  s.on('data', (d) => (p.answer += d.toString('latin1')));
  s.on('error', () => undefined);
  s.on('close', () => {
    p.closedAt = Date.now();
    if (timer) clearInterval(timer);
  });
  // Never left behind, whatever the outcome.
  setTimeout(() => s.destroy(), BOUND_MS + 20_000).unref();
  return p;
}

describe('sandbox server: slow and idle sockets', function () {
  this.timeout(60_000);
  let sb: Sandbox;

  before(async () => {
    sb = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime: new FakeRuntime(), clock: new ManualClock(Date.UTC(2026, 0, 1)), log: () => undefined });
  });
  after(() => sb?.close());

  it(`closes ${TRICKLERS} trickling and ${SILENT} silent sockets within ${BOUND_MS / 1000} s while serving a normal request`, async () => {
    const start = Date.now();
    const probes = [
      ...Array.from({ length: TRICKLERS }, () => trickle(sb.port, false)),
      ...Array.from({ length: SILENT }, () => trickle(sb.port, true)),
    ];
    // A normal client is served while the sockets hang on.
    await new Promise((r) => setTimeout(r, 1500));
    const ecs = new ECSClient({ endpoint: sb.endpoint, region: 'ap-northeast-1', credentials: sb.credentials, maxAttempts: 1 });
    const t0 = Date.now();
    const out = await ecs.send(new ListClustersCommand({}));
    assert.deepEqual(out.clusterArns, []);
    assert.ok(Date.now() - t0 < 2000, `a normal request took ${Date.now() - t0} ms among the slow sockets`);

    while (Date.now() - start < BOUND_MS && probes.some((p) => p.closedAt === undefined)) await new Promise((r) => setTimeout(r, 200));
    const open = probes.filter((p) => p.closedAt === undefined).length;
    assert.equal(open, 0, `${open} of ${probes.length} slow sockets still open after ${BOUND_MS / 1000} s`);
    const slowest = Math.max(...probes.map((p) => p.closedAt! - start));
    // Node answers an unfinished request 408 before closing it.
    assert.ok(probes.filter((p) => p.answer.startsWith('HTTP/1.1 408')).length >= TRICKLERS, 'trickling sockets get a 408');
    // Still serving afterwards.
    assert.deepEqual((await ecs.send(new ListClustersCommand({}))).clusterArns, []);
    console.log(`      all ${probes.length} slow sockets closed after ${(slowest / 1000).toFixed(1)} s`);
  });
});
