import assert from 'node:assert/strict';
import { ChunkedTracker, hopelessHead, parseRequestHead, parseResponseHead } from '../../../src/sandbox/runtime/alb-http';

const req = (text: string) => parseRequestHead(text);
const ok = (text: string) => {
  const r = req(text);
  assert.ok(r.ok, `${JSON.stringify(text)} should parse`);
  return r.value;
};
const status = (text: string) => {
  const r = req(text);
  return r.ok ? 'ok' : r.status;
};

describe('ALB HTTP/1.1 parsing', () => {
  it('a request head: method, target, version, headers less hop-by-hop ones, keep-alive', () => {
    const h = ok('GET /app/?x=1 HTTP/1.1\r\nHost: lb:80\r\nAccept: */*\r\nConnection: keep-alive, X-Drop\r\nX-Drop: 1\r\nKeep-Alive: 5\r\nUpgrade: websocket\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https');
    assert.deepEqual([h.method, h.target, h.minor, h.host, h.keepAlive, h.forwardedFor], ['GET', '/app/?x=1', 1, 'lb:80', true, '10.0.0.1']);
    assert.deepEqual(h.headers, ['Accept', '*/*'], 'hop-by-hop, Connection-named, Host and X-Forwarded-* are not passed as they came');
    assert.equal(ok('GET / HTTP/1.1\r\nHost: a\r\nConnection: close').keepAlive, false);
    assert.equal(ok('GET / HTTP/1.0').keepAlive, false, 'HTTP/1.0 closes unless asked');
    assert.equal(ok('GET / HTTP/1.0\r\nConnection: Keep-Alive').keepAlive, true, "ab -k's requests");
    assert.equal(ok('GET / HTTP/1.0').host, undefined, 'HTTP/1.0 needs no Host');
  });

  it('absolute-form targets are reduced to the path, their authority is the host', () => {
    const h = ok('GET http://other.example:8080/a?b HTTP/1.1\r\nHost: lb');
    assert.deepEqual([h.target, h.host], ['/a?b', 'other.example:8080']);
    assert.equal(ok('GET http://x HTTP/1.1\r\nHost: lb').target, '/');
  });

  it('bodies: Content-Length or chunked; both, duplicates or other codings refused', () => {
    assert.equal(ok('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12').length, 12);
    assert.equal(ok('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked').chunked, true);
    assert.equal(status('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1e3'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked'), 501);
    assert.equal(status('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked'), 400);
  });

  it('malformed heads: 400; TRACE and CONNECT: 405', () => {
    for (const bad of [
      'GET / HTTP/1.1',
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b',
      'GET  / HTTP/1.1\r\nHost: a',
      'GET / HTTP/2.0\r\nHost: a',
      'GET /\r\nHost: a',
      'G@T / HTTP/1.1\r\nHost: a',
      'GET * HTTP/1.1\r\nHost: a',
      'GET evil:80 HTTP/1.1\r\nHost: a',
      'GET /\u00e9 HTTP/1.1\r\nHost: a',
      'GET / HTTP/1.1\r\nHost: a\r\n Folded: x',
      'GET / HTTP/1.1\r\nHost: a\r\nBad Name: x',
      'GET / HTTP/1.1\r\nHost: a\r\n: x',
      'GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b',
      'GET / HTTP/1.1\r\nHost: a\r\nNoColon',
    ]) {
      assert.equal(status(bad), 400, JSON.stringify(bad));
    }
    assert.equal(status('TRACE / HTTP/1.1\r\nHost: a'), 405);
    assert.equal(status('CONNECT a:443 HTTP/1.1\r\nHost: a'), 405);
  });

  it('hopelessHead: gives up at once on what can never become a request', () => {
    const b = (s: string | number[]) => Buffer.from(s as string);
    assert.equal(hopelessHead(b([0x16, 0x03, 0x01, 0x00]), 0), true, 'TLS');
    assert.equal(hopelessHead(b('GE'), 0), false);
    assert.equal(hopelessHead(b('GET /app/ HT'), 0), false);
    assert.equal(hopelessHead(b('GET /app/ HTTP/1.1\r\nHost: x'), 0), false);
    assert.equal(hopelessHead(b('GET /app/\r\n'), 0), true);
    assert.equal(hopelessHead(b('NOT HTTP AT ALL\r\n'), 0), true);
    assert.equal(hopelessHead(b('A'.repeat(40)), 0), true, 'no method is that long');
  });

  it('a response head: status, reason, pass-on lines, framing, whether the target closes', () => {
    const r = parseResponseHead('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nDate: x')!;
    assert.deepEqual([r.status, r.reason, r.length, r.chunked, r.close, r.hasDate], [200, 'OK', 5, false, false, true]);
    assert.equal(r.lines, 'Content-Type: text/html\r\nDate: x\r\nContent-Length: 5\r\n');
    const both = parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked')!;
    assert.deepEqual([both.chunked, both.length, both.lines], [true, undefined, ''], 'chunked wins; the length is not passed on');
    assert.deepEqual([parseResponseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked')!.chunked, parseResponseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked')!.length], [true, undefined]);
    assert.equal(parseResponseHead('HTTP/1.1 200 OK\r\nConnection: close')!.close, true);
    assert.equal(parseResponseHead('HTTP/1.0 200 OK')!.close, true);
    assert.equal(parseResponseHead('HTTP/1.0 200 OK\r\nConnection: keep-alive')!.close, false);
    assert.equal(parseResponseHead('HTTP/1.1 204')!.reason, '');
    for (const bad of ['HTTP/1.1 2000 OK', 'HTTP/1.1 abc OK', 'HTTP/2 200', 'HTTP/1.1 200 OK\r\nno colon', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2', 'HTTP/1.1 200 OK\r\nX\nInjected: y', 'HTTP/1.1 200 OK\r\n Folded: y']) {
      assert.equal(parseResponseHead(bad), undefined, bad);
    }
  });

  it('chunked framing: found across any split, with extensions and trailers; broken framing is -1', () => {
    const body = Buffer.from('5;ext=1\r\nhello\r\n1A\r\n' + 'x'.repeat(26) + '\r\n0\r\nTrailer: t\r\n\r\nNEXT');
    const framed = body.length - 4;
    for (let split = 0; split <= body.length; split++) {
      const data: Buffer[] = [];
      const t = new ChunkedTracker((d) => data.push(Buffer.from(d)));
      const a = t.feed(body.subarray(0, split));
      assert.ok(a >= 0);
      const b = t.done ? 0 : t.feed(body.subarray(split));
      assert.equal(t.done, true, `split at ${split}`);
      assert.equal(a + b, framed, `split at ${split}: the body ends before NEXT`);
      assert.equal(Buffer.concat(data).toString(), 'hello' + 'x'.repeat(26));
    }
    for (const bad of ['zz\r\n', '5\r\nhelloXX', '5\nhello', '\r\n', '1234567890123\r\n']) assert.equal(new ChunkedTracker().feed(Buffer.from(bad)), -1, JSON.stringify(bad));
  });
});
