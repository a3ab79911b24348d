/**
 * ProcessRuntime with real task processes: real ports, real HTTP, real signals, measured CPU.
 * Most tests run demo-app.ts from source (tsx in each child, as under the test runner); the load
 * test runs the esbuild bundle, as the shipped sandbox does.
 */
import * as assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ProcessRuntime } from '../../src/sandbox/runtime/process-runtime';
import { Recorder, fixture, get, launch, processGone, sleep, tryConnect, until } from './runtime.helpers';

const ROOT = path.resolve(__dirname, '../..');
const REGION = 'us-east-1';

describe('ProcessRuntime (real task processes)', function () {
  let rt: ProcessRuntime;
  let rec: Recorder;

  beforeEach(() => {
    rt = new ProcessRuntime();
    rec = new Recorder();
    rt.bind(rec);
  });
  afterEach(async () => {
    const pids = rt.list().map((t) => t.pid!);
    await rt.shutdown();
    for (const pid of pids) assert.ok(processGone(pid), `task process ${pid} survived shutdown`);
  });

  it('runs ver1.0 and ver2.0 on real ports; /app/ shows the version and the task', async () => {
    const env = [{ name: 'GREETING', value: '<hello & bye>' }];
    const v1 = launch('uzresk/demo:ver1.0', { environment: env });
    const v2 = launch('docker.io/uzresk/demo:ver2.0', { instanceId: 'i-0fedcba9876543210', availabilityZone: 'us-east-1b' });
    rt.start(v1);
    rt.start(v2);
    const s1 = await rec.next(v1.taskId, 'started');
    const s2 = await rec.next(v2.taskId, 'started');
    assert.deepEqual(Object.keys(s1.ports), ['80']);
    assert.ok(s1.ports[80] > 0 && s1.ports[80] !== s2.ports[80]);
    assert.equal(rt.url(REGION, v1.taskId, 80), `http://127.0.0.1:${s1.ports[80]}`);
    assert.equal(rt.url(REGION, v1.taskId, 81), undefined);

    const p1 = await get(`${rt.url(REGION, v1.taskId, 80)}/app/`);
    assert.equal(p1.status, 200);
    assert.match(p1.headers['content-type'] ?? '', /text\/html/);
    assert.match(p1.body, /<h1>Demo app ver1\.0<\/h1>/);
    assert.ok(p1.body.includes(v1.taskId));
    assert.ok(p1.body.includes('i-0123456789abcdef0') && p1.body.includes('us-east-1a'));
    assert.ok(p1.body.includes('GREETING') && p1.body.includes('&lt;hello &amp; bye&gt;'), 'environment shown, escaped');

    const p2 = await get(`${rt.url(REGION, v2.taskId, 80)}/app/`);
    assert.match(p2.body, /<h1>Demo app ver2\.0<\/h1>/);
    assert.ok(p2.body.includes(v2.taskId) && p2.body.includes('us-east-1b'));
    const colour = (html: string) => /h1\{color:(#[0-9a-f]{6})/.exec(html)?.[1];
    assert.notEqual(colour(p1.body), colour(p2.body), 'the versions look different');

    const j = await get(`${rt.url(REGION, v1.taskId, 80)}/app/`, { Accept: 'application/json' });
    assert.equal(j.headers['content-type'], 'application/json');
    const info = JSON.parse(j.body);
    assert.equal(info.version, 'ver1.0');
    assert.equal(info.taskId, v1.taskId);
    assert.deepEqual(info.environment, { GREETING: '<hello & bye>' });
    assert.equal(JSON.parse((await get(`${rt.url(REGION, v2.taskId, 80)}/app/?format=json`)).body).version, 'ver2.0');

    const base = rt.url(REGION, v1.taskId, 80)!;
    const landing = await get(`${base}/`);
    assert.equal(landing.status, 200);
    // Relative links: they also work under a path prefix (code-server serves the task at /proxy/PORT/).
    const href = /<a href="([^"]+)">/.exec(landing.body)?.[1];
    assert.equal(new URL(href ?? '', 'http://editor.example/proxy/4321/').pathname, '/proxy/4321/app/', `landing link ${href}`);
    const health = await get(`${base}/app/health`);
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'UP');
    const form = await get(`${base}/app/loginForm`);
    assert.equal(form.status, 200);
    assert.match(form.body, /<form[^>]*>[\s\S]*type="password"/);
    const action = /<form[^>]*action="([^"]+)"/.exec(form.body)?.[1];
    assert.equal(new URL(action ?? '', 'http://editor.example/proxy/4321/app/loginForm').pathname, '/proxy/4321/app/login', `form action ${action}`);
    assert.equal((await get(`${base}/nope`)).status, 404);

    const listed = rt.list().find((t) => t.taskId === v1.taskId)!;
    assert.equal(listed.state, 'running');
    assert.deepEqual(listed.ports, { 80: s1.ports[80] });
    assert.ok(listed.pid && !processGone(listed.pid));
    // One access-log line per request, as a real app prints.
    await until(() => rt.logs(REGION, v1.taskId).some((l) => l.includes('"GET /nope HTTP/1.1" 404')), 5000, 'access log');
    assert.ok(rt.logs(REGION, v1.taskId).some((l) => l.includes('"GET /app/ HTTP/1.1" 200')));
  });

  it('keeps connections alive', async () => {
    const t = launch('uzresk/demo:ver1.0');
    rt.start(t);
    await rec.next(t.taskId, 'started');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = await get(`${rt.url(REGION, t.taskId, 80)}/app/health`, {}, agent);
      const b = await get(`${rt.url(REGION, t.taskId, 80)}/app/health`, {}, agent);
      assert.equal(a.reused, false);
      assert.equal(b.reused, true, 'second request reused the socket');
      assert.match(b.headers.connection ?? '', /keep-alive/i);
    } finally {
      agent.destroy();
    }
  });

  it('resolves the built-in image names; latest is ver2.0; a mapping to another container port gets no listener', async () => {
    const t = launch('uzresk/demo', {
      ports: [
        { containerPort: 8080, hostPort: 32768 },
        { containerPort: 9090, hostPort: 32769 },
      ],
    });
    rt.start(t);
    const s = await rec.next(t.taskId, 'started');
    assert.deepEqual(Object.keys(s.ports), ['32768']);
    assert.equal(rt.url(REGION, t.taskId, 32769), undefined);
    assert.equal(JSON.parse((await get(`${rt.url(REGION, t.taskId, 32768)}/app/?format=json`)).body).version, 'ver2.0');
  });

  it('fails an unknown image with CannotPullContainerError, asynchronously', async () => {
    const t = launch('nginx:9.9');
    rt.start(t);
    assert.equal(rec.of(t.taskId).length, 0, 'no event inside start()');
    const f = await rec.next(t.taskId, 'failed');
    assert.equal(
      f.reason,
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:9.9: docker.io/library/nginx:9.9: not found',
    );
    assert.deepEqual(rt.list(), []);
    await sleep(200);
    assert.equal(rec.of(t.taskId).length, 1);
  });

  it('measures CPU per task: a loginForm burst raises it, an idle task stays near its baseline', async () => {
    const busy = launch('uzresk/demo:ver1.0');
    const idle = launch('uzresk/demo:ver1.0');
    rt.start(busy);
    rt.start(idle);
    await rec.next(busy.taskId, 'started');
    await rec.next(idle.taskId, 'started');
    await until(() => rt.cpuSeconds(REGION, busy.taskId) !== undefined && rt.cpuSeconds(REGION, idle.taskId) !== undefined, 5000, 'first CPU reports');
    await sleep(1200); // let start-up settle, then take the baselines
    const busy0 = rt.cpuSeconds(REGION, busy.taskId)!;
    const idle0 = rt.cpuSeconds(REGION, idle.taskId)!;
    const url = `${rt.url(REGION, busy.taskId, 80)}/app/loginForm`;
    for (let round = 0; round < 20; round++) {
      const replies = await Promise.all(Array.from({ length: 10 }, () => get(url)));
      assert.ok(replies.every((r) => r.status === 200));
    }
    // 200 requests × a fixed PBKDF2 (~3 ms here) ≈ 0.6 s of CPU; allow a slower machine's noise either way.
    await until(() => rt.cpuSeconds(REGION, busy.taskId)! - busy0 > 0.25, 5000, 'busy task CPU to rise');
    await sleep(700);
    const idleRise = rt.cpuSeconds(REGION, idle.taskId)! - idle0;
    const busyRise = rt.cpuSeconds(REGION, busy.taskId)! - busy0;
    assert.ok(idleRise < 0.1, `idle task rose ${idleRise} s`);
    assert.ok(busyRise > 5 * idleRise, `busy ${busyRise} s vs idle ${idleRise} s`);
    assert.equal(rt.list().find((t) => t.taskId === busy.taskId)!.cpuSeconds, rt.cpuSeconds(REGION, busy.taskId));
  });

  it('stop(): SIGTERM, exits 0, exited exactly once, the port closes; logs and CPU stay readable', async () => {
    const t = launch('uzresk/demo:ver1.0');
    rt.start(t);
    const s = await rec.next(t.taskId, 'started');
    const pid = rt.list()[0].pid!;
    assert.equal((await get(`http://127.0.0.1:${s.ports[80]}/app/`)).status, 200);
    rt.stop(REGION, t.taskId, 10000);
    rt.stop(REGION, t.taskId, 10000); // a second stop changes nothing
    const e = await rec.next(t.taskId, 'exited', 5000);
    assert.equal(e.code, 0);
    assert.ok(processGone(pid));
    assert.equal(await tryConnect(s.ports[80]), 'ECONNREFUSED');
    assert.equal(rt.url(REGION, t.taskId, 80), undefined);
    assert.deepEqual(rt.list(), []);
    assert.ok(rt.logs(REGION, t.taskId).some((l) => l.includes('"GET /app/ HTTP/1.1" 200')));
    assert.ok(rt.cpuSeconds(REGION, t.taskId)! > 0);
    rt.stop(REGION, t.taskId, 100);
    await sleep(300);
    assert.deepEqual(rec.of(t.taskId).map((x) => x.kind), ['started', 'exited']);
  });

  it('stop() of a process that ignores SIGTERM: SIGKILL after the grace period (exit 137)', async () => {
    const stubborn = fixture(
      'stubborn.js',
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
       process.send({ type: 'listening', ports: {} });
       setInterval(() => {}, 1000);`,
    );
    const r = new ProcessRuntime({ appPath: stubborn, execArgv: [] });
    const rec2 = new Recorder();
    r.bind(rec2);
    try {
      const t = launch('uzresk/demo:ver1.0');
      r.start(t);
      await rec2.next(t.taskId, 'started');
      const t0 = Date.now();
      r.stop(REGION, t.taskId, 600);
      const e = await rec2.next(t.taskId, 'exited', 5000);
      assert.equal(e.code, 137);
      assert.ok(Date.now() - t0 >= 550, 'waited for the grace period');
      await until(() => r.logs(REGION, t.taskId).includes('ignoring SIGTERM'), 2000, 'log line');
    } finally {
      await r.shutdown();
    }
  });

  it('kill() and an unexpected exit: exited once with "Essential container in task exited"', async () => {
    const a = launch('uzresk/demo:ver1.0');
    const b = launch('uzresk/demo:ver1.0');
    rt.start(a);
    rt.start(b);
    await rec.next(a.taskId, 'started');
    await rec.next(b.taskId, 'started');
    const pidB = rt.list().find((t) => t.taskId === b.taskId)!.pid!;
    assert.equal(rt.kill(REGION, a.taskId), true);
    assert.equal(rt.kill(REGION, 'no-such-task'), false);
    const ea = await rec.next(a.taskId, 'exited');
    assert.equal(ea.code, 137);
    assert.equal(ea.reason, 'Essential container in task exited');
    process.kill(pidB, 'SIGINT'); // the app shuts down on its own, not asked by the runtime
    const eb = await rec.next(b.taskId, 'exited');
    assert.equal(eb.code, 0);
    assert.equal(eb.reason, 'Essential container in task exited');
    await sleep(200);
    assert.deepEqual(rec.events.map((e) => e.kind), ['started', 'started', 'exited', 'exited']);
  });

  it('setUnhealthy(): every path answers 500 while on, then recovers', async () => {
    const t = launch('uzresk/demo:ver2.0');
    rt.start(t);
    await rec.next(t.taskId, 'started');
    const base = rt.url(REGION, t.taskId, 80)!;
    assert.equal(await rt.setUnhealthy(REGION, t.taskId, true), true);
    for (const p of ['/', '/app/', '/app/health', '/app/loginForm', '/nope']) assert.equal((await get(base + p)).status, 500, p);
    assert.equal(await rt.setUnhealthy(REGION, t.taskId, false), true);
    const landing = await get(`${base}/`);
    assert.equal(landing.status, 200);
    // Relative links: they also work under a path prefix (code-server serves the task at /proxy/PORT/).
    const href = /<a href="([^"]+)">/.exec(landing.body)?.[1];
    assert.equal(new URL(href ?? '', 'http://editor.example/proxy/4321/').pathname, '/proxy/4321/app/', `landing link ${href}`);
    assert.equal(await rt.setUnhealthy(REGION, 'no-such-task', true), false);
  });

  it('a process that dies before listening, or never listens, fails with a clear reason', async () => {
    const crash = fixture('crash.js', `console.error('Error: no such file /app/demo.jar'); process.exit(3);`);
    const silent = fixture('silent.js', `setInterval(() => {}, 1000);`);
    const r1 = new ProcessRuntime({ appPath: crash, execArgv: [] });
    const r2 = new ProcessRuntime({ appPath: silent, execArgv: [], startTimeoutMs: 800 });
    const rec1 = new Recorder();
    const rec2 = new Recorder();
    r1.bind(rec1);
    r2.bind(rec2);
    try {
      const a = launch('uzresk/demo:ver1.0');
      const b = launch('uzresk/demo:ver1.0');
      r1.start(a);
      r2.start(b);
      // Read at once: on a busy machine b's 0.8 s may be over by the time a's failure is in.
      let pidB: number | undefined;
      for (let i = 0; i < 500 && !(pidB = r2.list()[0]?.pid); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(pidB, 'the silent task has a process');
      const fa = await rec1.next(a.taskId, 'failed');
      assert.equal(fa.reason, 'CannotStartContainerError: the container exited with code 3 before it started listening: Error: no such file /app/demo.jar');
      const fb = await rec2.next(b.taskId, 'failed', 5000);
      assert.equal(fb.reason, 'CannotStartContainerError: the container did not start listening within 0.8 s');
      assert.ok(processGone(pidB));
      assert.deepEqual(rec1.events.map((e) => e.kind).concat(rec2.events.map((e) => e.kind)), ['failed', 'failed']);
    } finally {
      await r1.shutdown();
      await r2.shutdown();
    }
  });

  it('shutdown() ends every task process without events; later starts are ignored', async () => {
    const tasks = [launch('uzresk/demo:ver1.0'), launch('uzresk/demo:ver2.0'), launch('uzresk/demo:ver1.0')];
    for (const t of tasks) rt.start(t);
    for (const t of tasks) await rec.next(t.taskId, 'started');
    const pids = rt.list().map((t) => t.pid!);
    assert.equal(pids.length, 3);
    await rt.shutdown();
    for (const pid of pids) assert.ok(processGone(pid), `pid ${pid}`);
    assert.deepEqual(rt.list(), []);
    rt.start(launch('uzresk/demo:ver1.0'));
    await sleep(200);
    assert.deepEqual(rt.list(), []);
    assert.deepEqual(rec.events.map((e) => e.kind), ['started', 'started', 'started']);
  });

  it('queues starts beyond maxConcurrentStarts; stop()/kill() of a queued task never forks it', async () => {
    const r = new ProcessRuntime({ maxConcurrentStarts: 1 });
    const rec2 = new Recorder();
    r.bind(rec2);
    try {
      const [a, b, c, d] = [1, 2, 3, 4].map(() => launch('uzresk/demo:ver1.0'));
      for (const t of [a, b, c, d]) r.start(t);
      await until(() => r.list().some((t) => t.pid !== undefined), 5000, 'the first fork');
      assert.equal(r.list().filter((t) => t.pid !== undefined).length, 1, 'one process starting at a time');
      assert.equal(r.list().length, 4);
      r.stop(REGION, c.taskId, 1000);
      assert.equal(r.kill(REGION, d.taskId), true);
      const ec = await rec2.next(c.taskId, 'exited');
      assert.deepEqual([ec.code, ec.reason], [null, 'Task stopped']);
      assert.equal((await rec2.next(d.taskId, 'failed')).reason, 'CannotStartContainerError: the container was killed before it started');
      await rec2.next(a.taskId, 'started');
      await rec2.next(b.taskId, 'started');
      assert.deepEqual(r.list().map((t) => t.taskId).sort(), [a.taskId, b.taskId].sort());
      assert.deepEqual(rec2.of(c.taskId).map((e) => e.kind), ['exited']);
      assert.deepEqual(rec2.of(d.taskId).map((e) => e.kind), ['failed']);
    } finally {
      await r.shutdown();
    }
  });

  it('a task process dies with its parent', async function () {
    const script = fixture(
      'parent.ts',
      `import { ProcessRuntime } from ${JSON.stringify(path.join(ROOT, 'src/sandbox/runtime/process-runtime.ts'))};
       const rt = new ProcessRuntime();
       rt.bind({ started: () => console.log(JSON.stringify(rt.list().map((t) => t.pid))), failed: (r, id, why) => console.log(why), exited: () => {} });
       rt.start({ region: 'us-east-1', taskId: 'orphan', image: 'uzresk/demo:ver1.0', containerName: 'demo',
         ports: [{ containerPort: 8080, hostPort: 80 }], environment: [], instanceId: 'i-1', availabilityZone: 'us-east-1a', cpuUnits: 256 });`,
    );
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const parent = spawn(process.execPath, ['--import', tsx, script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        parent.stdout.on('data', (c) => {
          out += c;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        parent.on('exit', () => reject(new Error(`parent exited early: ${out}`)));
      });
      const [childPid] = JSON.parse(line) as number[];
      assert.ok(childPid > 0 && !processGone(childPid));
      parent.kill('SIGKILL');
      await until(() => processGone(childPid), 5000, 'the orphaned task process to exit');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  describe('bundled demo app (dist/demo-app.js) under load', function () {
    let appPath: string;
    before(async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-demo-app-'));
      appPath = path.join(out, 'demo-app.js');
      await build({ entryPoints: [path.join(ROOT, 'src/sandbox/runtime/demo-app.ts')], outfile: appPath, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
    });

    it('serves `ab -n 2000 -c 20` on /app/loginForm without errors, and the CPU shows it', async function () {
      const r = new ProcessRuntime({ appPath });
      const rec2 = new Recorder();
      r.bind(rec2);
      try {
        const t = launch('uzresk/demo:ver1.0');
        r.start(t);
        await rec2.next(t.taskId, 'started');
        await until(() => r.cpuSeconds(REGION, t.taskId) !== undefined, 5000, 'first CPU report');
        const cpu0 = r.cpuSeconds(REGION, t.taskId)!;
        const out = await new Promise<string>((resolve, reject) =>
          execFile('ab', ['-q', '-n', '2000', '-c', '20', `${r.url(REGION, t.taskId, 80)}/app/loginForm`], { timeout: 90000 }, (err, stdout, stderr) =>
            err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
          ),
        );
        assert.match(out, /Complete requests:\s+2000\b/);
        assert.match(out, /Failed requests:\s+0\b/);
        assert.doesNotMatch(out, /Non-2xx responses/);
        // 2000 × ~3 ms of PBKDF2: comfortably more than a second of measured CPU.
        await until(() => r.cpuSeconds(REGION, t.taskId)! - cpu0 > 1, 5000, 'CPU to reflect the load');
        assert.equal(rec2.of(t.taskId).length, 1, 'still running, no exit');
      } finally {
        await r.shutdown();
      }
    });
  });
});
