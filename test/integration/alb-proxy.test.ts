/**
 * The ALB reverse proxy with real local target servers: routing, round robin, fail-open, draining,
 * ALB's 502 / 503 / 504, security groups, rules, the real health checker, and a bounded `ab` run.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HealthChecker } from '../../src/sandbox/elbv2/health';
import { bump, elbv2Settings, elbv2State, type TargetState } from '../../src/sandbox/elbv2/model';
import { AlbProxies } from '../../src/sandbox/runtime/alb-proxy';
import { handsOnAlb, makeEnv, type TestEnv } from '../unit/elbv2/helpers';

interface Target {
  name: string;
  server: http.Server;
  port: number;
  hits: number;
  seen: http.IncomingHttpHeaders[];
  sockets: Set<Socket>;
  mode: 'ok' | 'slow' | 'die' | '404' | 'partial' | 'big' | 'echo';
}

async function startTarget(name: string): Promise<Target> {
  const t = { name, hits: 0, seen: [], sockets: new Set<Socket>(), mode: 'ok' } as unknown as Target;
  t.server = http.createServer((req, res) => {
    t.hits++;
    t.seen.push(req.headers);
    if (t.mode === 'slow') return; // never answers
    if (t.mode === 'die') {
      req.socket.destroy();
      return;
    }
    if (t.mode === 'partial') {
      res.writeHead(200, { 'Content-Length': 100 });
      res.write('0123456789');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (t.mode === 'big') {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let i = 0; i < 4; i++) res.write(chunk);
      res.end();
      return;
    }
    if (t.mode === 'echo') {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => res.end(`${req.method} ${Buffer.concat(parts).toString()}`));
      return;
    }
    if (t.mode === '404') {
      res.writeHead(404).end('nope');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', Server: 'demo' });
    res.end(`${name} ${req.url}`);
  });
  t.server.on('connection', (s) => {
    t.sockets.add(s);
    s.on('close', () => t.sockets.delete(s));
  });
  await new Promise<void>((r) => t.server.listen(0, '127.0.0.1', r));
  t.port = (t.server.address() as AddressInfo).port;
  return t;
}

const stopTarget = (t: Target) =>
  new Promise<void>((r) => {
    t.server.close(() => r());
    for (const s of t.sockets) s.destroy();
  });

interface Res {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body?: string;
  error?: string;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

describe('ALB proxy (real HTTP)', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let proxies: AlbProxies;
  let a: Target;
  let b: Target;
  let alb: ReturnType<typeof handsOnAlb>;
  let urls: Map<string, string>;

  const setState = (id: string, state: TargetState) => {
    const s = elbv2State(env.rs);
    for (const t of Object.values(s.targetGroups[alb.tgArn].targets)) if (t.Id === id) t.State = state;
    bump(s);
  };
  const allowPort80 = () => {
    env.rs.ec2.securityGroups[env.defaultSg].ipPermissions.push({ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] });
  };
  const endpoint = () => proxies.endpoints()[0].localUrl;

  beforeEach(async () => {
    env = makeEnv();
    a = await startTarget('A');
    b = await startTarget('B');
    urls = new Map([
      [`${env.instances[0]}:80`, `http://127.0.0.1:${a.port}`],
      [`${env.instances[1]}:80`, `http://127.0.0.1:${b.port}`],
    ]);
    alb = handsOnAlb(env);
    env.advance(elbv2Settings.provisioningMs);
    env.call('DescribeLoadBalancers'); // provisioning -> active
    allowPort80();
    proxies = new AlbProxies({ regions: () => [env.rs], resolve: (_r, _tg, t) => urls.get(`${t.Id}:${t.Port}`), idleTimeoutMs: 400 });
    await proxies.reconcile();
  });
  afterEach(async () => {
    await proxies.close();
    await stopTarget(a);
    await stopTarget(b);
  });

  const registerBoth = (state: TargetState = 'healthy') => {
    env.call('RegisterTargets', { TargetGroupArn: alb.tgArn, Targets: env.instances.map((Id) => ({ Id })) });
    for (const id of env.instances) setState(id, state);
  };

  it('lists its endpoints: the DNS name and 127.0.0.1 at a real port; the API keeps port 80', async () => {
    const [ep] = proxies.endpoints();
    assert.equal(ep.port, 80);
    assert.ok(ep.realPort > 0);
    assert.equal(ep.url, `http://${alb.lb.DNSName}:${ep.realPort}/`);
    assert.equal(ep.localUrl, `http://127.0.0.1:${ep.realPort}/`);
    assert.equal(ep.open, true);
    assert.equal(env.call('DescribeListeners', { LoadBalancerArn: alb.lbArn }).Listeners[0].Port, 80);
  });

  it('503 with ALB\'s page when no target is registered', async () => {
    const r = await get(endpoint());
    assert.equal(r.status, 503);
    assert.equal(r.headers!.server, 'awselb/2.0');
    assert.match(r.body!, /<title>503 Service Temporarily Unavailable<\/title>/);
  });

  it('round-robins across two healthy targets with X-Forwarded-* headers', async () => {
    registerBoth();
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push((await get(`${endpoint()}app/`)).body!);
    assert.deepEqual(bodies.map((x) => x.split(' ')[0]).sort(), ['A', 'A', 'A', 'B', 'B', 'B']);
    assert.notEqual(bodies[0].split(' ')[0], bodies[1].split(' ')[0], 'alternates');
    assert.equal(bodies[0].split(' ')[1], '/app/');
    const h = a.seen[0];
    assert.equal(h['x-forwarded-for'], '127.0.0.1');
    assert.equal(h['x-forwarded-proto'], 'http');
    assert.equal(h['x-forwarded-port'], '80');
    assert.match(String(h['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const m = proxies.metricsSnapshot().find((x) => x.targetGroupArn === alb.tgArn)!;
    assert.equal(m.requestCount, 6);
    assert.equal(m.target2xx, 6);
    assert.equal(m.targetResponseTimeCount, 6);
    assert.ok(m.targetResponseTimeSum > 0);
  });

  it('only healthy targets get traffic; when none is healthy it fails open to all', async () => {
    registerBoth();
    setState(env.instances[1], 'unhealthy');
    for (let i = 0; i < 4; i++) assert.equal((await get(endpoint())).body!.split(' ')[0], 'A');
    setState(env.instances[0], 'unhealthy');
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await get(endpoint())).body!.split(' ')[0]);
    assert.deepEqual([...seen].sort(), ['A', 'B']);
  });

  it('draining targets get no new requests', async () => {
    registerBoth();
    env.call('DeregisterTargets', { TargetGroupArn: alb.tgArn, Targets: [{ Id: env.instances[0] }] });
    for (let i = 0; i < 4; i++) assert.equal((await get(endpoint())).body!.split(' ')[0], 'B');
    env.call('DeregisterTargets', { TargetGroupArn: alb.tgArn, Targets: [{ Id: env.instances[1] }] });
    assert.equal((await get(endpoint())).status, 503, 'only draining targets -> 503');
  });

  it('502 when the target refuses the connection or dies mid-request', async () => {
    registerBoth();
    setState(env.instances[1], 'unhealthy');
    a.mode = 'die';
    const r = await get(endpoint());
    assert.equal(r.status, 502);
    assert.equal(r.headers!.server, 'awselb/2.0');
    assert.match(r.body!, /<title>502 Bad Gateway<\/title>/);
    await stopTarget(a);
    const r2 = await get(endpoint());
    assert.equal(r2.status, 502, 'refused');
    const m = proxies.metricsSnapshot().find((x) => x.targetGroupArn === alb.tgArn)!;
    assert.equal(m.elb502, 2);
    assert.equal(m.elb5xx, 2);
  });

  it('a target dying mid-response drops the client connection; big and chunked bodies stream; POST bodies are forwarded', async () => {
    registerBoth();
    setState(env.instances[1], 'unhealthy');
    a.mode = 'partial';
    const r = await get(endpoint());
    assert.ok(r.error || (r.body ?? '').length < 100, `truncated, not hanging (${JSON.stringify(r).slice(0, 100)})`);
    a.mode = 'big';
    const big = await get(endpoint());
    assert.equal(big.status, 200);
    assert.equal(big.body!.length, 4 * 64 * 1024);
    a.mode = 'echo';
    const posted = await new Promise<string>((resolve, reject) => {
      const req = http.request(endpoint(), { method: 'POST', agent: false, headers: { 'Content-Type': 'text/plain' } }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.write('user=demo&');
      req.end('password=x');
    });
    assert.equal(posted, 'POST user=demo&password=x');
  });

  it('504 when the target does not answer within the idle timeout', async () => {
    registerBoth();
    setState(env.instances[1], 'unhealthy');
    a.mode = 'slow';
    const t0 = Date.now();
    const r = await get(endpoint());
    assert.equal(r.status, 504);
    assert.match(r.body!, /504 Gateway Time-out/);
    assert.ok(Date.now() - t0 >= 350, 'waited for the idle timeout');
  });

  it('rules route by path pattern before the default action', async () => {
    registerBoth();
    const tg2 = env.call('CreateTargetGroup', { Name: 'tg2', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }).TargetGroups[0];
    env.call('CreateRule', { ListenerArn: alb.listenerArn, Priority: 5, Conditions: [{ Field: 'path-pattern', Values: ['/api/v?/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg2.TargetGroupArn }] });
    env.call('CreateRule', {
      ListenerArn: alb.listenerArn,
      Priority: 6,
      Conditions: [{ Field: 'path-pattern', Values: ['/ping'] }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'pong' } }],
    });
    assert.equal((await get(`${endpoint()}api/v1/x`)).status, 503, 'tg2 has no targets');
    assert.equal((await get(`${endpoint()}api/vv1/x`)).status, 200, '? is one character: falls to default');
    const p = await get(`${endpoint()}ping?x=1`);
    assert.deepEqual([p.status, p.body], [200, 'pong']);
    assert.equal((await get(`${endpoint()}app/`)).status, 200);
    env.call('CreateRule', {
      ListenerArn: alb.listenerArn,
      Priority: 7,
      Conditions: [{ Field: 'path-pattern', Values: ['/old/*'] }],
      Actions: [{ Type: 'redirect', RedirectConfig: { Path: '/app/', StatusCode: 'HTTP_301' } }],
    });
    const r = await get(`${endpoint()}old/x?q=1`);
    assert.equal(r.status, 301);
    assert.equal(r.headers!.location, `http://127.0.0.1:${proxies.endpoints()[0].realPort}/app/?q=1`);
  });

  it('a listener answers only when a security group allows its port; reconcile re-checks', async () => {
    registerBoth();
    env.rs.ec2.securityGroups[env.defaultSg].ipPermissions = env.rs.ec2.securityGroups[env.defaultSg].ipPermissions.filter((p) => p.fromPort !== 80);
    await proxies.reconcile();
    assert.equal(proxies.endpoints()[0].open, false);
    const r = await get(endpoint());
    assert.ok(r.error, `no answer (${JSON.stringify(r)})`);
    env.rs.ec2.securityGroups[env.defaultSg].ipPermissions.push({ ipProtocol: '-1', ipRanges: [{ cidrIp: '203.0.113.0/24' }], userIdGroupPairs: [] });
    await proxies.reconcile();
    assert.equal((await get(endpoint())).status, 200, 'all traffic from an IPv4 CIDR opens it');
  });

  it('closes the listener when it or its load balancer is deleted; keeps the real port across restarts', async () => {
    const port = proxies.endpoints()[0].realPort;
    env.call('DeleteListener', { ListenerArn: alb.listenerArn });
    await proxies.reconcile();
    assert.equal(proxies.endpoints().length, 0);
    assert.ok((await get(`http://127.0.0.1:${port}/`)).error);
    const l = env.call('CreateListener', { LoadBalancerArn: alb.lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: alb.tgArn }] }).Listeners[0];
    await proxies.reconcile();
    assert.equal(proxies.endpoints()[0].listenerArn, l.ListenerArn);
    const again = new AlbProxies({ regions: () => [env.rs], resolve: () => undefined });
    const p1 = proxies.endpoints()[0].realPort;
    await proxies.close();
    await again.reconcile();
    assert.equal(again.endpoints()[0].realPort, p1, 'a restarted proxy binds the stored real port again');
    proxies = again;
    env.call('DeleteLoadBalancer', { LoadBalancerArn: alb.lbArn });
    await proxies.reconcile();
    assert.equal(proxies.endpoints().length, 0);
  });

  it('curl reaches it by the DNS name (*.localhost)', async () => {
    registerBoth();
    const ep = proxies.endpoints()[0];
    const out = await new Promise<string>((resolve) =>
      execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', `${ep.url}app/`], (_e, stdout) => resolve(stdout)),
    );
    assert.equal(out, '200');
  });

  it('the real health checker: healthy, then 404 -> ResponseCodeMismatch, slow -> Timeout, gone -> FailedHealthChecks', async () => {
    env.call('ModifyTargetGroup', { TargetGroupArn: alb.tgArn, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 });
    env.call('RegisterTargets', { TargetGroupArn: alb.tgArn, Targets: env.instances.map((Id) => ({ Id })) });
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urls.get(`${t.Id}:${t.Port}`), realMs: (ms) => ms / 10, minTimeoutMs: 0 });
    const step = async (ms: number) => {
      env.advance(ms);
      hc.tick(env.rs, env.ctx.now);
      await hc.settle();
      hc.tick(env.rs, env.ctx.now);
    };
    const states = () => env.call('DescribeTargetHealth', { TargetGroupArn: alb.tgArn }).TargetHealthDescriptions.map((d: any) => d.TargetHealth);
    await step(elbv2Settings.registrationMs);
    await step(5000);
    assert.deepEqual(states().map((s: any) => s.State), ['healthy', 'healthy']);
    assert.equal(a.seen.at(-1)!['user-agent'], 'ELB-HealthChecker/2.0');
    a.mode = '404';
    b.mode = 'slow';
    await step(5000);
    await step(5000);
    const [sa, sb] = states();
    assert.deepEqual(sa, { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [404]' });
    assert.deepEqual(sb, { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' });
    await stopTarget(a);
    await step(5000);
    assert.deepEqual(states()[0], { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' });
  });

  it('ab -n 5000 -c 50 through the proxy: zero failed requests', async function () {
    this.timeout(60_000);
    registerBoth();
    const out = await new Promise<string>((resolve, reject) =>
      execFile('ab', ['-q', '-n', '5000', '-c', '50', '-k', `${endpoint()}app/loginForm`], { timeout: 50_000 }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
    assert.match(out, /Complete requests:\s+5000/);
    assert.match(out, /Failed requests:\s+0/);
    assert.doesNotMatch(out, /Non-2xx responses/);
    assert.ok(a.hits > 1000 && b.hits > 1000, `both targets served (${a.hits}/${b.hits})`);
  });
});
