/**
 * The admin API under /_sandbox/, persistence across restarts, and close().
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import type { Task } from '../../src/sandbox/engine/state';
import { SandboxAdmin, SandboxAdminError } from '../../src/aws/sandbox-admin';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { TaskLaunch } from '../../src/sandbox/runtime/runtime';
import { FakeRuntime, fakeEngine, rawRequest, testServices } from './server-helpers';

const postJson = (endpoint: string, p: string, body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(endpoint, { path: p, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('sandbox server: admin API', () => {
  let sb: Sandbox;
  let runtime: FakeRuntime;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-admin-'));
    runtime = new FakeRuntime();
    sb = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime, stateFile: path.join(dir, 'state.json'), log: () => {} });
  });
  after(async () => {
    await sb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const auth = () => ({ authorization: `Bearer ${sb.adminToken}` });

  it('every admin route needs the admin token and refuses web pages (any Origin), with a clear JSON error', async () => {
    const routes: [string, string][] = [
      ['GET', '/_sandbox/status'], ['GET', '/_sandbox/state'], ['GET', '/_sandbox/tasks'], ['GET', '/_sandbox/load-balancers'], ['GET', '/_sandbox/faults'],
      ['POST', '/_sandbox/time-scale'], ['POST', '/_sandbox/reset'], ['POST', '/_sandbox/faults'], ['POST', '/_sandbox/tasks/kill'], ['POST', '/_sandbox/tasks/unhealthy'],
      ['GET', '/_sandbox/nope'],
    ];
    const regionsBefore = Object.keys(sb.world.regions);
    const scaleBefore = sb.clock.scale;
    for (const [method, p] of routes) {
      const json = { 'content-type': 'application/json' };
      const body = method === 'POST' ? JSON.stringify({ scale: 3, throttle: 1, taskArn: 'x', unhealthy: true }) : undefined;
      const none = await rawRequest(sb.endpoint, { method, path: p, headers: json, body });
      assert.equal(none.status, 401, `${method} ${p} without a token`);
      assert.match(JSON.parse(none.body).error, /needs the sandbox's admin token: send the header 'Authorization: Bearer <token>'; `ecs-handson-sandbox --print-admin-token` prints the token/);
      const wrong = await rawRequest(sb.endpoint, { method, path: p, headers: { ...json, authorization: `Bearer ${'A'.repeat(sb.adminToken.length)}` }, body });
      assert.equal(wrong.status, 401, `${method} ${p} with a wrong token`);
      assert.match(JSON.parse(wrong.body).error, /not this sandbox's/);
      for (const origin of ['http://evil.example', 'null', sb.endpoint]) {
        const page = await rawRequest(sb.endpoint, { method, path: p, headers: { ...json, ...auth(), origin }, body });
        assert.equal(page.status, 403, `${method} ${p} from ${origin}`);
        assert.match(JSON.parse(page.body).error, /does not answer web pages/);
      }
    }
    assert.deepEqual(Object.keys(sb.world.regions), regionsBefore, 'nothing was reset');
    assert.equal(sb.clock.scale, scaleBefore, 'the clock did not change');
    const ok = await new SandboxAdmin(sb.endpoint, sb.adminToken).status();
    assert.equal(ok.endpoint, sb.endpoint);
    await assert.rejects(new SandboxAdmin(sb.endpoint, 'wrong').status(), (e: SandboxAdminError) => e.status === 401 && /admin token/.test(e.message));
  });

  it('GET /_sandbox/status describes the sandbox', async () => {
    const r = await rawRequest(sb.endpoint, { method: 'GET', path: '/_sandbox/status', headers: auth() });
    assert.equal(r.status, 200);
    const s = JSON.parse(r.body);
    assert.equal(s.endpoint, sb.endpoint);
    assert.equal(s.pid, process.pid);
    assert.equal(s.region, 'ap-northeast-1');
    assert.equal(s.timeScale, 10);
    assert.equal(s.stateFile, path.join(dir, 'state.json'));
    assert.ok(Math.abs(s.now - sb.clock.now()) < 5000);
    assert.deepEqual(s.regions, []);
    assert.ok(!r.body.includes(sb.credentials.secretAccessKey));
    assert.ok(!r.body.includes(sb.adminToken));
  });

  it('POST /_sandbox/time-scale changes the clock speed and validates the input', async () => {
    const ok = await postJson(sb.endpoint, '/_sandbox/time-scale', { scale: 100 }, auth());
    assert.equal(ok.status, 200, ok.body);
    assert.equal(sb.clock.scale, 100);
    for (const bad of [{ scale: 0 }, { scale: -1 }, { scale: 1001 }, { scale: '5' }, {}, '[1]', '{']) {
      const r = await postJson(sb.endpoint, '/_sandbox/time-scale', bad, auth());
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(typeof JSON.parse(r.body).error, 'string');
    }
    const wrongType = await rawRequest(sb.endpoint, { path: '/_sandbox/time-scale', headers: { 'content-type': 'text/plain', ...auth() }, body: '{"scale":5}' });
    assert.equal(wrongType.status, 400);
    assert.equal(sb.clock.scale, 100);
    await postJson(sb.endpoint, '/_sandbox/time-scale', { scale: 10 }, auth());
  });

  it('GET /_sandbox/state is the world without the secret', async () => {
    await new ECSClient({ endpoint: sb.endpoint, region: 'us-east-1', credentials: sb.credentials }).send(new CreateClusterCommand({ clusterName: 'c1' }));
    const r = await rawRequest(sb.endpoint, { method: 'GET', path: '/_sandbox/state', headers: auth() });
    const st = JSON.parse(r.body);
    assert.ok(st.regions['us-east-1'].ecs.clusters.c1);
    assert.equal(st.credentials.accessKeyId, sb.credentials.accessKeyId);
    assert.equal(st.credentials.secretAccessKey, undefined);
    assert.ok(!r.body.includes(sb.credentials.secretAccessKey));
    assert.ok(!r.body.includes(sb.adminToken), 'nor the admin token');
  });

  it('GET /_sandbox/tasks lists running tasks with their real URLs', async () => {
    const rs = sb.engine.region('ap-northeast-1');
    const task = {
      taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/demo/abc',
      clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/demo',
      lastStatus: 'RUNNING',
      serviceName: 'web',
      containers: [{ name: 'app', networkBindings: [{ bindIP: '0.0.0.0', containerPort: 80, hostPort: 32768, protocol: 'tcp' }] }],
    } as unknown as Task;
    rs.ecs.tasks.abc = task;
    rs.ecs.tasks.old = { ...task, taskArn: 'arn:…/old', lastStatus: 'STOPPED' };
    // Its process listens on a real port the runtime chose for host port 32768.
    runtime.running.set('abc', { launch: { region: 'ap-northeast-1', taskId: 'abc' } as TaskLaunch, realPorts: { 32768: 40768 } });
    const r = await rawRequest(sb.endpoint, { method: 'GET', path: '/_sandbox/tasks?region=ap-northeast-1', headers: auth() });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), {
      region: 'ap-northeast-1',
      tasks: [{ taskArn: task.taskArn, taskId: 'abc', cluster: 'demo', service: 'web', containerName: 'app', hostPort: 32768, containerPort: 80, url: 'http://127.0.0.1:40768' }],
    });
    const bad = await rawRequest(sb.endpoint, { method: 'GET', path: '/_sandbox/tasks?region=../../x', headers: auth() });
    assert.equal(bad.status, 400);
  });

  it('POST /_sandbox/reset stops the region\'s tasks and clears it, keeping credentials', async () => {
    const before = { ...sb.credentials };
    const r = await postJson(sb.endpoint, '/_sandbox/reset', { region: 'ap-northeast-1' }, auth());
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(runtime.stops.map((x) => `${x.region}/${x.taskId}`), ['ap-northeast-1/abc']);
    assert.equal(sb.world.regions['ap-northeast-1'], undefined);
    assert.ok(sb.world.regions['us-east-1'], 'other regions stay');
    const all = await postJson(sb.endpoint, '/_sandbox/reset', {}, auth());
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(sb.world.regions), []);
    assert.deepEqual(sb.credentials, before);
    const bad = await postJson(sb.endpoint, '/_sandbox/reset', { region: 42 }, auth());
    assert.equal(bad.status, 400);
    // Still usable with the same credentials.
    const out = await new ECSClient({ endpoint: sb.endpoint, region: 'us-east-1', credentials: before }).send(new ListClustersCommand({}));
    assert.deepEqual(out.clusterArns, []);
  });

  it('POST /_sandbox/faults {"latencyMs": 300} makes every AWS API call wait that long; {} turns it off; bad values are refused', async () => {
    const admin = new SandboxAdmin(sb.endpoint, sb.adminToken);
    const ecs = new ECSClient({ endpoint: sb.endpoint, region: 'us-east-1', credentials: sb.credentials, maxAttempts: 1 });
    const timed = async () => {
      const t0 = performance.now();
      await ecs.send(new ListClustersCommand({}));
      return performance.now() - t0;
    };
    try {
      assert.deepEqual(await admin.setFaults({ latencyMs: 300 }), { throttleFraction: 0, throttleOperations: [], latencyMs: 300 });
      assert.equal((await admin.faults()).latencyMs, 300);
      // Each call waits at least the latency (a timer's lower bound: no upper bound is asserted).
      const delayed = await Promise.all([timed(), timed(), timed()]);
      for (const ms of delayed) assert.ok(ms >= 295, `a call took ${ms.toFixed(0)} ms with 300 ms of latency`);
      // Throttling and latency together: the throttled answer comes late too.
      await admin.setFaults({ throttle: 1, latencyMs: 300 });
      const t0 = performance.now();
      await assert.rejects(ecs.send(new ListClustersCommand({})), (e: Error) => e.name === 'ThrottlingException');
      assert.ok(performance.now() - t0 >= 295);
      // The body is the whole configuration: {} turns both off.
      assert.deepEqual(await admin.setFaults({}), { throttleFraction: 0, throttleOperations: [], latencyMs: 0 });
      await ecs.send(new ListClustersCommand({}));
      for (const bad of [-1, 1.5, 60_001, '250', true]) {
        await assert.rejects(admin.setFaults({ latencyMs: bad as number }), (e: SandboxAdminError) => e.status === 400 && /"latencyMs" must be a whole number of milliseconds from 0 to 60000/.test(e.message), String(bad));
      }
      assert.equal((await admin.faults()).latencyMs, 0, 'refused settings changed nothing');
    } finally {
      await admin.setFaults({});
      ecs.destroy();
    }
  });

  it('unknown admin paths / methods and foreign Host headers are refused', async () => {
    assert.equal((await rawRequest(sb.endpoint, { method: 'GET', path: '/_sandbox/nope', headers: auth() })).status, 404);
    assert.equal((await rawRequest(sb.endpoint, { method: 'POST', path: '/_sandbox/status', headers: auth() })).status, 405);
    const rebinding = await rawRequest(sb.endpoint, { method: 'GET', path: '/_sandbox/status', headers: { host: 'evil.example:80', ...auth() } });
    assert.equal(rebinding.status, 403);
  });
});

describe('sandbox server: persistence and close()', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-persist-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps state, credentials and simulated time across a restart, and calls engine.restore()', async () => {
    const stateFile = path.join(dir, 'nested', 'state.json');
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const runtime = new FakeRuntime();
    const a = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime, stateFile, clock, log: () => {} });
    assert.ok(fs.existsSync(stateFile), 'written at start');
    await new ECSClient({ endpoint: a.endpoint, region: 'ap-northeast-1', credentials: a.credentials }).send(new CreateClusterCommand({ clusterName: 'kept' }));
    clock.advance(60_000);
    await a.close();
    assert.equal(runtime.shutdownCalled, true);
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    assert.equal(saved.savedAt, Date.UTC(2026, 5, 1) + 60_000);
    assert.equal((fs.statSync(stateFile).mode & 0o777).toString(8), '600');

    const b = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime: new FakeRuntime(), stateFile, log: () => {} });
    try {
      // (The SDK marks the credentials object it was given with a $source: compare the keys.)
      assert.deepEqual(b.credentials, { accessKeyId: a.credentials.accessKeyId, secretAccessKey: a.credentials.secretAccessKey });
      assert.equal(b.adminToken, a.adminToken, 'the admin token is kept too');
      assert.equal((b.engine as unknown as { restored: number }).restored, 1);
      assert.ok(b.clock.now() >= saved.savedAt && b.clock.now() < saved.savedAt + 60_000, 'clock resumes at the saved time');
      const out = await new ECSClient({ endpoint: b.endpoint, region: 'ap-northeast-1', credentials: b.credentials }).send(new ListClustersCommand({}));
      assert.deepEqual(out.clusterArns, ['arn:aws:ecs:ap-northeast-1:123456789012:cluster/kept']);
    } finally {
      await b.close();
    }
  });

  it('saves soon after a mutating request (before close)', async () => {
    const stateFile = path.join(dir, 'state.json');
    const sb = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime: new FakeRuntime(), stateFile, log: () => {} });
    try {
      await new ECSClient({ endpoint: sb.endpoint, region: 'ap-northeast-1', credentials: sb.credentials }).send(new CreateClusterCommand({ clusterName: 'soon' }));
      const deadline = Date.now() + 3000;
      let found = false;
      while (!found && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        found = !!JSON.parse(fs.readFileSync(stateFile, 'utf8')).regions['ap-northeast-1']?.ecs.clusters.soon;
      }
      assert.ok(found, 'cluster saved within 3 s');
    } finally {
      await sb.close();
    }
  });

  it('a corrupt state file is moved aside and a fresh sandbox starts', async () => {
    const stateFile = path.join(dir, 'state.json');
    fs.writeFileSync(stateFile, '{"version":1,"accountId":');
    const logs: string[] = [];
    const sb = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime: new FakeRuntime(), stateFile, log: (m) => logs.push(m) });
    try {
      const aside = fs.readdirSync(dir).filter((f) => f.startsWith('state.json.corrupt-'));
      assert.equal(aside.length, 1);
      assert.equal(fs.readFileSync(path.join(dir, aside[0]), 'utf8'), '{"version":1,"accountId":');
      assert.ok(logs.some((l) => l.includes(stateFile) && l.includes(aside[0])), logs.join('\n'));
      assert.deepEqual(sb.world.regions, {});
    } finally {
      await sb.close();
    }
  });
});

describe('sandbox server: startup failure', () => {
  it('a port in use rejects startSandbox and shuts the runtime down', async () => {
    const first = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime: new FakeRuntime(), log: () => {} });
    try {
      const runtime = new FakeRuntime();
      await assert.rejects(
        startSandbox({ port: first.port, services: testServices, createEngine: fakeEngine, runtime, log: () => {} }),
        (e: any) => e.code === 'EADDRINUSE',
      );
      assert.equal(runtime.shutdownCalled, true);
    } finally {
      await first.close();
    }
  });
});
