import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
  formatProgress,
  formatSummary,
  parseAmountOrDuration,
  shortSummary,
  summarize,
  validateLoadTestOptions,
} from '../../../src/ui/loadtest/summary';
import { LoadTestBusyError, LoadTestRunner } from '../../../src/ui/loadtest/runner';

describe('load test options', () => {
  it('accepts the article\'s ab -n 100000 -c 100', () => {
    assert.equal(validateLoadTestOptions({ url: 'http://app-demo-lb-1.ap-northeast-1.elb.localhost:40000/app/loginForm', amount: 100000, connections: 100 }), undefined);
    assert.equal(validateLoadTestOptions({ url: 'http://127.0.0.1:8080/', durationSec: 30, connections: 10 }), undefined);
  });

  it('rejects bad input with a message naming what is wrong', () => {
    assert.match(validateLoadTestOptions({ url: 'ftp://x', amount: 10, connections: 1 })!, /http:\/\/ or https:\/\/ URL/);
    assert.match(validateLoadTestOptions({ url: 'http://x/', amount: 10, connections: 0 })!, /Connections must be a whole number between 1 and 1000/);
    assert.match(validateLoadTestOptions({ url: 'http://x/', amount: 5, connections: 10 })!, /Total requests \(5\) must be at least the number of connections \(10\)/);
    assert.match(validateLoadTestOptions({ url: 'http://x/', amount: 1.5, connections: 1 })!, /Total requests must be a whole number/);
    assert.match(validateLoadTestOptions({ url: 'http://x/', durationSec: -1, connections: 1 })!, /Duration must be/);
    assert.match(validateLoadTestOptions({ url: 'http://x/', connections: 1 })!, /either a total number of requests or a duration/);
    assert.match(validateLoadTestOptions(undefined)!, /URL/);
  });

  it('parses a request count or a duration', () => {
    assert.deepEqual(parseAmountOrDuration('100000'), { amount: 100000 });
    assert.deepEqual(parseAmountOrDuration(' 30s '), { durationSec: 30 });
    assert.deepEqual(parseAmountOrDuration('2 min'), { durationSec: 120 });
    assert.equal(parseAmountOrDuration('lots'), undefined);
    assert.equal(parseAmountOrDuration('-5'), undefined);
  });
});

describe('load test summary', () => {
  const result = {
    url: 'http://lb/app/loginForm',
    connections: 100,
    duration: 10.02,
    errors: 3,
    timeouts: 1,
    non2xx: 20,
    '1xx': 0,
    '2xx': 980,
    '3xx': 0,
    '4xx': 0,
    '5xx': 20,
    statusCodeStats: { '200': { count: 980 }, '502': { count: 20 } },
    latency: { p50: 12, p90: 30, p99: 95, max: 240, average: 15.456 },
    requests: { average: 100, total: 1000, sent: 1003 },
  };

  it('counts requests, rate, latency percentiles and status codes', () => {
    const s = summarize(result, { url: 'x', connections: 100 }, false);
    assert.equal(s.requests, 1000);
    assert.equal(s.sent, 1003);
    assert.equal(s.requestsPerSec, 99.8);
    assert.deepEqual(s.latency, { p50: 12, p90: 30, p99: 95, max: 240, average: 15.46 });
    assert.deepEqual(s.statusCounts, { '200': 980, '502': 20 });
    assert.equal(s.non2xx, 20);
    assert.equal(s.errors, 3);
  });

  it('writes lines a user can read, including non-2xx and errors', () => {
    const s = summarize(result, { url: 'x', connections: 100 }, true);
    const text = formatSummary(s).join('\n');
    assert.match(text, /Load test stopped of http:\/\/lb\/app\/loginForm \(100 connections\)/);
    assert.match(text, /1000 completed in 10\.02 s, 99\.8 requests\/s/);
    assert.match(text, /p50 12, p90 30, p99 95, max 240/);
    assert.match(text, /Status codes: 200: 980, 502: 20/);
    assert.match(text, /2xx: 980, non-2xx: 20, errors: 3 \(timeouts: 1\)/);
    assert.match(shortSummary(s), /1000 requests, 99\.8 req\/s, p50 12 ms, p99 95 ms, non-2xx 20, errors 3/);
  });

  it('copes with an empty result (nothing answered)', () => {
    const s = summarize({}, { url: 'http://x/', connections: 1 }, false);
    assert.equal(s.requests, 0);
    assert.equal(s.requestsPerSec, 0);
    assert.match(formatSummary(s).join('\n'), /Status codes: none/);
  });

  it('formats progress by count and by time', () => {
    assert.equal(formatProgress({ done: 1234, total: 100000, elapsedMs: 1000, currentRps: 850.4, statusCounts: {}, errors: 0 }), '1,234 / 100,000 requests · 850 req/s');
    assert.equal(formatProgress({ done: 50, durationSec: 30, elapsedMs: 2500, currentRps: 20, statusCounts: {}, errors: 2 }), '50 requests · 2 / 30 s · 20 req/s · 2 errors');
  });
});

describe('load test runner (child process, loopback)', function () {
  this.timeout(30_000);
  let server: http.Server;
  let base: string;
  const script = path.resolve(__dirname, '../../../src/ui/loadtest/child.ts');
  const runner = () => new LoadTestRunner({ script, execArgv: ['--import', 'tsx'] });

  before(async () => {
    server = http.createServer((req, res) => {
      res.statusCode = req.url?.includes('/fail') ? 502 : 200;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('runs a bounded number of requests and sums up 2xx and non-2xx', async () => {
    const r = runner();
    const progress: number[] = [];
    r.onProgress((p) => progress.push(p.done));
    const ok = await r.start({ url: `${base}/app/loginForm`, amount: 300, connections: 5 }).result;
    assert.equal(ok.requests, 300);
    assert.deepEqual(ok.statusCounts, { '200': 300 });
    assert.equal(ok.stopped, false);
    assert.ok(progress.length >= 1, 'at least one progress report');
    const bad = await r.start({ url: `${base}/fail`, amount: 50, connections: 5 }).result;
    assert.equal(bad.non2xx, 50);
    assert.deepEqual(bad.statusCounts, { '502': 50 });
  });

  it('runs one at a time and stops on request with a summary', async () => {
    const r = runner();
    const run = r.start({ url: `${base}/app/`, durationSec: 20, connections: 2 });
    assert.throws(() => r.start({ url: `${base}/app/`, amount: 10, connections: 1 }), LoadTestBusyError);
    await new Promise<void>((resolve) => {
      const d = r.onProgress(() => {
        d.dispose();
        resolve();
      });
    });
    const started = Date.now();
    assert.equal(r.stop(), true);
    const s = await run.result;
    assert.ok(Date.now() - started < 5000, 'stopped promptly');
    assert.equal(s.stopped, true);
    assert.ok(s.requests > 0);
    assert.equal(r.running, undefined);
    assert.equal(r.stop(), false, 'nothing left to stop');
  });

  it('reports a connection failure as errors, not as a crash', async () => {
    const closed = http.createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((res) => closed.close(() => res()));
    const s = await runner().start({ url: `http://127.0.0.1:${port}/`, durationSec: 1, connections: 1, timeoutSec: 1 }).result;
    assert.equal(s.statusCounts['200'], undefined);
    assert.ok(s.errors > 0, `errors counted (${s.errors})`);
    assert.match(shortSummary(s), new RegExp(`Nothing accepts connections at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });

  it('requests to a name that does not resolve yet (a new load balancer): the summary says so and what to wait for', async () => {
    const host = 'app-demo-lb-1234567890.eu-west-1.elb.invalid';
    const s = await runner().start({ url: `http://${host}/app/loginForm`, amount: 20, connections: 2, timeoutSec: 2 }).result;
    assert.ok(s.errors > 0, `errors counted (${s.errors})`);
    assert.equal(s.errorKinds?.[0]?.kind, 'ENOTFOUND');
    const text = shortSummary(s);
    assert.match(text, /app-demo-lb-1234567890\.eu-west-1\.elb\.invalid does not resolve \(ENOTFOUND\)/);
    assert.match(text, /wait until the load balancer is active/);
    assert.ok(formatSummary(s).some((l) => /Errors by kind: ENOTFOUND × \d+/.test(l)), formatSummary(s).join('\n'));
  });
});
