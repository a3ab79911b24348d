/**
 * The ALB proxy's HTTP/1.1 on the wire, as clients and targets really speak it: HTTP/1.0 clients
 * (ab without and with -k), chunked responses (passed through, or unframed for an HTTP/1.0 client),
 * chunked request bodies, pipelining, HEAD, Expect: 100-continue, targets that close their
 * connections (after a response, idle, or to end a body), and keep-alive reuse of target connections.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { bump, elbv2Settings, elbv2State } from '../../src/sandbox/elbv2/model';
import { AlbProxies } from '../../src/sandbox/runtime/alb-proxy';
import { handsOnAlb, makeEnv } from '../unit/elbv2/helpers';

/** Writes `text` on a new connection; collects the answer until `done(text)` holds, the connection closes, or 2 s pass. */
function exchange(port: number, chunks: string[], done: (got: string) => boolean): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => finish(false), 2000);
    s.setEncoding('latin1');
    s.on('connect', async () => {
      for (const c of chunks) {
        s.write(c);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    s.on('data', (d: string) => {
      text += d;
      if (done(text)) setTimeout(() => finish(false), 50); // a moment to see a close that follows
    });
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
  });
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

describe('ALB proxy: HTTP on the wire', function () {
  this.timeout(30_000);
  const env = makeEnv();
  let proxies: AlbProxies;
  let target: http.Server;
  let rawTarget: net.Server;
  let targetConnections = 0;
  let useRaw = false;
  let rawMode: 'close-delimited' | 'close-after' = 'close-delimited';
  let port = 0;
  let seenBodies: string[] = [];
  let listenerArn = '';

  before(async () => {
    target = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        seenBodies.push(Buffer.concat(parts).toString());
        if (req.url === '/chunked') {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.write('hello ');
          setTimeout(() => res.end('world'), 10);
        } else if (req.url === '/204') res.writeHead(204).end();
        else if (req.url === '/close') res.writeHead(200, { Connection: 'close', 'Content-Length': 2 }).end('ok');
        else res.writeHead(200, { 'Content-Length': Buffer.byteLength(`${req.method} ${req.url}`) }).end(req.method === 'HEAD' ? undefined : `${req.method} ${req.url}`);
      });
    });
    target.keepAliveTimeout = 60_000;
    target.on('connection', () => targetConnections++);
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    rawTarget = net.createServer((s) => {
      s.once('data', () => {
        if (rawMode === 'close-delimited') s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close');
        else s.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast');
      });
    });
    await new Promise<void>((r) => rawTarget.listen(0, '127.0.0.1', r));
    const url = (srv: net.Server) => `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const alb = handsOnAlb(env);
    listenerArn = alb.listenerArn;
    env.advance(elbv2Settings.provisioningMs);
    env.rs.ec2.securityGroups[env.defaultSg].ipPermissions.push({ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] });
    env.call('RegisterTargets', { TargetGroupArn: alb.tgArn, Targets: [{ Id: env.instances[0] }] });
    const s = elbv2State(env.rs);
    for (const t of Object.values(s.targetGroups[alb.tgArn].targets)) t.State = 'healthy';
    bump(s);
    proxies = new AlbProxies({ regions: () => [env.rs], resolve: () => (useRaw ? url(rawTarget) : url(target)), log: () => undefined });
    await proxies.reconcile();
    port = proxies.endpoints()[0].realPort;
  });
  after(async () => {
    await proxies?.close();
    target?.closeAllConnections();
    await new Promise<void>((r) => target.close(() => r()));
    await new Promise<void>((r) => rawTarget.close(() => r()));
  });
  beforeEach(() => {
    useRaw = false;
    seenBodies = [];
  });

  it('HTTP/1.0: closed after the answer unless keep-alive is asked for (ab -k)', async () => {
    const plain = await exchange(port, ['GET /a HTTP/1.0\r\n\r\n'], (t) => t.endsWith('GET /a'));
    assert.match(plain.text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(plain.text, /\r\nConnection: close\r\n/i);
    assert.ok(plain.closed, 'closed');
    const ka = await exchange(port, ['GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n', 'GET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n'], (t) => t.endsWith('GET /b'));
    assert.equal(count(ka.text, /HTTP\/1\.1 200/g), 2);
    assert.match(ka.text, /\r\nConnection: keep-alive\r\n/i);
    assert.ok(!ka.closed, 'kept open');
  });

  it('a chunked response passes through to an HTTP/1.1 client, unframed to an HTTP/1.0 one', async () => {
    const r11 = await exchange(port, ['GET /chunked HTTP/1.1\r\nHost: lb\r\n\r\n', 'GET /x HTTP/1.1\r\nHost: lb\r\n\r\n'], (t) => t.endsWith('GET /x'));
    assert.match(r11.text, /\r\nTransfer-Encoding: chunked\r\n/i);
    assert.match(r11.text, /hello /);
    assert.match(r11.text, /world\r\n0\r\n\r\n/);
    assert.ok(!r11.closed, 'the connection serves the next request');
    const r10 = await exchange(port, ['GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'], () => false);
    assert.ok(r10.closed, 'ended by the close');
    assert.ok(r10.text.endsWith('\r\n\r\nhello world'), JSON.stringify(r10.text));
    assert.doesNotMatch(r10.text, /Transfer-Encoding/i);
  });

  it('a chunked request body reaches the target whole; pipelined requests are answered in order', async () => {
    const r = await exchange(
      port,
      ['POST /up HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nuser', '\r\n5\r\n=demo\r\n0\r\n\r\nGET /after HTTP/1.1\r\nHost: lb\r\n\r\n'],
      (t) => t.endsWith('GET /after'),
    );
    assert.equal(seenBodies[0], 'user=demo');
    assert.deepEqual([...r.text.matchAll(/POST \/up|GET \/after/g)].map((m) => m[0]), ['POST /up', 'GET /after']);
    const piped = await exchange(port, ['GET /1 HTTP/1.1\r\nHost: lb\r\n\r\nGET /2 HTTP/1.1\r\nHost: lb\r\n\r\nHEAD /3 HTTP/1.1\r\nHost: lb\r\n\r\nGET /4 HTTP/1.1\r\nHost: lb\r\n\r\n'], (t) => t.endsWith('GET /4'));
    assert.deepEqual([...piped.text.matchAll(/GET \/\d/g)].map((m) => m[0]), ['GET /1', 'GET /2', 'GET /4'], 'HEAD got no body');
    assert.equal(count(piped.text, /HTTP\/1\.1 200/g), 4);
  });

  it('Expect: 100-continue gets the target\'s 100 Continue; a 204 has no body and keeps the connection', async () => {
    const r = await exchange(port, ['POST /e HTTP/1.1\r\nHost: lb\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n', 'abc'], (t) => t.endsWith('POST /e'));
    assert.match(r.text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    assert.equal(seenBodies.at(-1), 'abc');
    const n = await exchange(port, ['GET /204 HTTP/1.1\r\nHost: lb\r\n\r\n', 'GET /y HTTP/1.1\r\nHost: lb\r\n\r\n'], (t) => t.endsWith('GET /y'));
    assert.match(n.text, /^HTTP\/1\.1 204 No Content\r\n/);
    assert.match(n.text, /GET \/y$/);
  });

  it('target connections are reused; a target that closes after its answer or ends a body with the close is handled', async () => {
    const before = targetConnections;
    for (let i = 0; i < 20; i++) {
      const r = await exchange(port, [`GET /seq${i} HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n`], (t) => t.endsWith(`GET /seq${i}`));
      assert.match(r.text, /200 OK/);
    }
    assert.ok(targetConnections - before <= 2, `20 requests, ${targetConnections - before} new target connections`);
    const c = await exchange(port, ['GET /close HTTP/1.1\r\nHost: lb\r\n\r\n', 'GET /z HTTP/1.1\r\nHost: lb\r\n\r\n'], (t) => t.endsWith('GET /z'));
    assert.match(c.text, /\r\n\r\nok/);
    assert.match(c.text, /GET \/z$/, 'the client connection stays; a new target connection serves the next');
    useRaw = true;
    rawMode = 'close-delimited';
    const d = await exchange(port, ['GET /d HTTP/1.1\r\nHost: lb\r\n\r\n'], () => false);
    assert.ok(d.text.endsWith('\r\n\r\nuntil the close'), JSON.stringify(d.text));
    assert.match(d.text, /\r\nConnection: close\r\n/i);
    assert.ok(d.closed, 'a body that ends with the close ends the client connection too');
  });

  it("the load balancer's own answers: a fixed response's UTF-8 body whole, with its byte length", async () => {
    env.call('CreateRule', {
      ListenerArn: listenerArn,
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', Values: ['/hello'] }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'こんにちは' } }],
    });
    const body = await new Promise<{ status?: number; length?: string; text: string }>((resolve, reject) =>
      http
        .get(`http://127.0.0.1:${port}/hello`, { agent: false }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode, length: res.headers['content-length'], text: Buffer.concat(parts).toString('utf8') }));
        })
        .on('error', reject),
    );
    assert.deepEqual(body, { status: 200, length: '15', text: 'こんにちは' });
  });

  it('a target connection closed while idle is retried on a fresh one, not answered 502', async () => {
    useRaw = true;
    rawMode = 'close-after'; // answers with a length, then closes: the pooled connection is dead when reused
    for (let i = 0; i < 5; i++) {
      const r = await exchange(port, ['GET /r HTTP/1.1\r\nHost: lb\r\n\r\n'], (t) => t.endsWith('last'));
      assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/, `request ${i}: ${r.text.slice(0, 40)}`);
    }
  });
});
