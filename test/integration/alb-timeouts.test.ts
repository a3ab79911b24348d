/**
 * Slowloris against an ALB listener, with the proxy's default timeouts: 200 sockets that trickle a
 * header byte every second and never finish their request (plus a few that never send anything)
 * are closed within a bounded time while normal requests through the listener are served; an idle
 * keep-alive connection is closed after the load balancer's `idle_timeout.timeout_seconds`.
 * Before, such sockets lived a minute and more (headers timeout 61 s, checked every 30 s).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { bump, elbv2Settings, elbv2State } from '../../src/sandbox/elbv2/model';
import { AlbProxies } from '../../src/sandbox/runtime/alb-proxy';
import { handsOnAlb, makeEnv } from '../unit/elbv2/helpers';

const TRICKLERS = 200;
const SILENT = 20;
/** Headers must arrive within 5 s (+ up to 1 s until the next check); generous for a loaded 2-core machine. */
const BOUND_MS = 12_000;

interface Probe {
  closedAt?: number;
  answer: string;
}

function trickle(port: number, silent: boolean): Probe {
  const p: Probe = { answer: '' };
  const s = net.connect(port, '127.0.0.1');
  const header = 'GET /app/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(10_000);
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
  setTimeout(() => s.destroy(), BOUND_MS + 20_000).unref();
  return p;
}

function get(url: string, agent: http.Agent | false = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(3000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
  });
}

describe('ALB listener: slow and idle sockets', function () {
  this.timeout(60_000);
  const env = makeEnv();
  let proxies: AlbProxies;
  let target: http.Server;
  let base = '';
  let alb: ReturnType<typeof handsOnAlb>;

  before(async () => {
    target = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    alb = handsOnAlb(env);
    env.advance(elbv2Settings.provisioningMs);
    env.rs.ec2.securityGroups[env.defaultSg].ipPermissions.push({ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] });
    env.call('RegisterTargets', { TargetGroupArn: alb.tgArn, Targets: [{ Id: env.instances[0] }] });
    const s = elbv2State(env.rs);
    for (const t of Object.values(s.targetGroups[alb.tgArn].targets)) t.State = 'healthy';
    bump(s);
    // The defaults: no timeout given to the proxy.
    proxies = new AlbProxies({ regions: () => [env.rs], resolve: () => targetUrl, log: () => undefined });
    await proxies.reconcile();
    base = proxies.endpoints()[0].localUrl;
  });
  after(async () => {
    await proxies?.close();
    await new Promise<void>((r) => target.close(() => r()));
  });

  it(`closes ${TRICKLERS} trickling and ${SILENT} silent sockets within ${BOUND_MS / 1000} s while serving normal requests`, async () => {
    const start = Date.now();
    const port = proxies.endpoints()[0].realPort;
    const probes = [...Array.from({ length: TRICKLERS }, () => trickle(port, false)), ...Array.from({ length: SILENT }, () => trickle(port, true))];
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = Date.now();
    assert.equal(await get(`${base}app/`), 200);
    assert.ok(Date.now() - t0 < 2000, `a normal request took ${Date.now() - t0} ms among the slow sockets`);

    while (Date.now() - start < BOUND_MS && probes.some((p) => p.closedAt === undefined)) await new Promise((r) => setTimeout(r, 200));
    const open = probes.filter((p) => p.closedAt === undefined).length;
    assert.equal(open, 0, `${open} of ${probes.length} slow sockets still open after ${BOUND_MS / 1000} s`);
    const slowest = Math.max(...probes.map((p) => p.closedAt! - start));
    const answered408 = probes.filter((p) => p.answer.startsWith('HTTP/1.1 408')).length;
    assert.ok(answered408 >= TRICKLERS, `trickling sockets get ALB's 408 (${answered408})`);
    assert.equal(await get(`${base}app/`), 200, 'still serving');
    console.log(`      all ${probes.length} slow sockets closed after ${(slowest / 1000).toFixed(1)} s`);
  });

  it("closes an idle keep-alive connection after the load balancer's idle timeout", async () => {
    env.call('ModifyLoadBalancerAttributes', { LoadBalancerArn: alb.lbArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '2' }] });
    await proxies.reconcile();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let closedAt = 0;
    agent.on('free', (socket) => socket.once('close', () => (closedAt = Date.now())));
    assert.equal(await get(`${base}app/`, agent), 200);
    const t0 = Date.now();
    while (!closedAt && Date.now() - t0 < 8000) await new Promise((r) => setTimeout(r, 100));
    agent.destroy();
    assert.ok(closedAt, 'the idle connection was closed');
    assert.ok(closedAt - t0 >= 1500 && closedAt - t0 <= 4000, `closed after ${closedAt - t0} ms (idle timeout 2 s)`);
  });
});
