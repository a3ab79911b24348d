/**
 * An acknowledged write is a saved write: the sandbox CLI (dist/sandbox.js, as a user runs it) on a
 * temporary state file, a storm of concurrent RegisterTaskDefinition calls (raw SigV4-signed
 * requests over keep-alive sockets), `kill -9` at a random moment, restart — 20 times. Every
 * revision the sandbox answered 200 for must be there after the restart with the content it was
 * registered with, and no revision number may be handed out twice for different content.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

const SANDBOX = path.resolve('dist/sandbox.js');
const CYCLES = 20;
const CONCURRENCY = 24;
const FAMILIES = ['durable-a', 'durable-b', 'durable-c'];
const TARGET = 'AmazonEC2ContainerServiceV20141113';

interface Running {
  child: ChildProcess;
  endpoint: string;
  exited: Promise<void>;
  output: () => string;
}

/** Every sandbox process started, so that none outlives the suite (a test that times out mid-start left one running). */
const started = new Set<ChildProcess>();

function startSandbox(stateFile: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [SANDBOX, '--port', '0', '--state', stateFile, '--no-profile'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({ child, endpoint: m[1], exited, output: () => out });
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited before it listened:\n${out}`));
    });
  });
}

/** ECS JSON calls, signed as the SDK signs them, over a keep-alive agent. */
function ecsCaller(endpoint: string, creds: { accessKeyId: string; secretAccessKey: string }) {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const signer = new SignatureV4({ credentials: creds, region: 'ap-northeast-1', service: 'ecs', sha256: Sha256 });
  const call = async (operation: string, input: unknown): Promise<{ status: number; body: any }> => {
    const body = JSON.stringify(input);
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.${operation}` },
        body,
      }),
    );
    return new Promise((resolve, reject) => {
      const req = http.request({ hostname: url.hostname, port: Number(url.port), path: '/', method: 'POST', headers: signed.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return { call, close: () => agent.destroy() };
}

const tokenOf = (td: any): string | undefined => td?.containerDefinitions?.[0]?.environment?.find((e: { name: string }) => e.name === 'TOKEN')?.value;

describe('durability: kill -9 during a RegisterTaskDefinition storm', function () {
  this.timeout(120_000);
  let dir: string;
  let running: Running | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-durable-'));
  });
  after(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    for (const child of started) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged revision over ${CYCLES} kill -9 cycles, and never reuses a number`, async () => {
    const stateFile = path.join(dir, 'state.json');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    /** `family:revision` → the token it was acknowledged with. */
    const acknowledged = new Map<string, string>();
    const reused: string[] = [];
    let lost: string[] = [];
    let seq = 0;
    let totalAcked = 0;

    const verify = async (endpoint: string, keys: Iterable<string>, creds: { accessKeyId: string; secretAccessKey: string }) => {
      const api = ecsCaller(endpoint, creds);
      const missing: string[] = [];
      const queue = [...keys];
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
            const r = await api.call('DescribeTaskDefinition', { taskDefinition: key });
            const got = r.status === 200 ? tokenOf(r.body.taskDefinition) : undefined;
            if (got !== acknowledged.get(key)) missing.push(`${key} (acknowledged ${acknowledged.get(key)}, now ${r.status === 200 ? got : `${r.status} ${JSON.stringify(r.body).slice(0, 120)}`})`);
          }
        }),
      );
      api.close();
      return missing;
    };

    let previous: string[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      running = await startSandbox(stateFile, env);
      const creds = JSON.parse(fs.readFileSync(stateFile, 'utf8')).credentials;
      // What the last cycle acknowledged must have survived its kill -9.
      lost = lost.concat(await verify(running.endpoint, previous, creds));
      previous = [];

      const api = ecsCaller(running.endpoint, creds);
      let killed = false;
      // The kill comes at a random moment of the storm: once the first write was acknowledged (a
      // sandbox on a loaded machine may take a while to answer at all), 0–450 ms later.
      let firstAck!: () => void;
      const acked = new Promise<void>((r) => (firstAck = r));
      const killer = acked.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              killed = true;
              running!.child.kill('SIGKILL');
              resolve();
            }, Math.floor(Math.random() * 450)),
          ),
      );
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (!killed) {
            const family = FAMILIES[seq % FAMILIES.length];
            const token = `t${++seq}-${Math.random().toString(36).slice(2)}`;
            let r: { status: number; body: any };
            try {
              r = await api.call('RegisterTaskDefinition', {
                family,
                containerDefinitions: [{ name: 'app', image: 'nginx:latest', memory: 128, essential: true, environment: [{ name: 'TOKEN', value: token }] }],
              });
            } catch {
              return; // the connection died with the process: not acknowledged
            }
            if (r.status !== 200) continue;
            const td = r.body.taskDefinition;
            assert.equal(tokenOf(td), token, 'the answer echoes what was registered');
            const key = `${td.family}:${td.revision}`;
            const before = acknowledged.get(key);
            if (before !== undefined && before !== token) reused.push(`${key} (first ${before}, then ${token})`);
            acknowledged.set(key, token);
            previous.push(key);
            totalAcked++;
            firstAck();
          }
        }),
      );
      await killer;
      api.close();
      await running.exited;
    }
    // One more start: everything acknowledged over all the cycles is there, with its content.
    running = await startSandbox(stateFile, env);
    const creds = JSON.parse(fs.readFileSync(stateFile, 'utf8')).credentials;
    lost = lost.concat(await verify(running.endpoint, previous, creds));
    const stillThere = await verify(running.endpoint, acknowledged.keys(), creds);
    running.child.kill('SIGTERM');
    await running.exited;

    console.log(`      ${totalAcked} revisions acknowledged over ${CYCLES} kill -9 cycles; lost ${lost.length}, reused ${reused.length}`);
    assert.ok(totalAcked >= CYCLES * 20, `the storms were too small to mean anything: ${totalAcked} acknowledged`);
    assert.deepEqual(
      { lost: lost.length, reused: reused.length, missingAtEnd: stillThere.length },
      { lost: 0, reused: 0, missingAtEnd: 0 },
      `${totalAcked} revisions acknowledged over ${CYCLES} kill -9 cycles; lost after a restart: ${lost.slice(0, 5).join(', ')}; numbers reused: ${reused.slice(0, 5).join(', ')}; missing at the end: ${stillThere.slice(0, 5).join(', ')}`,
    );
  });

  it('with a state file that cannot be written, no write is acknowledged; once it can, writes are saved again', async () => {
    // Simulated: the state file's directory is replaced by a plain file while the sandbox runs, so
    // every write fails (ENOTDIR), as a full disk (ENOSPC) or a read-only mount (EROFS) would —
    // as root we cannot take the permission away, and a real full disk would need a mount.
    const stateDir = path.join(dir, 'broken');
    const stateFile = path.join(stateDir, 'state.json');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    running = await startSandbox(stateFile, env);
    const creds = JSON.parse(fs.readFileSync(stateFile, 'utf8')).credentials;
    const api = ecsCaller(running.endpoint, creds);
    const register = (token: string) =>
      api.call('RegisterTaskDefinition', {
        family: 'full-disk',
        containerDefinitions: [{ name: 'app', image: 'nginx:latest', memory: 128, essential: true, environment: [{ name: 'TOKEN', value: token }] }],
      });
    const first = await register('before');
    assert.equal(first.status, 200);

    const saved = fs.readFileSync(stateFile);
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.writeFileSync(stateDir, 'a file where the state directory was');
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => register(`broken-${i}`)));
    const byStatus: Record<number, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    assert.equal(byStatus[200], undefined, `no write is acknowledged while the state cannot be saved: ${JSON.stringify(byStatus)}`);
    for (const a of answers) {
      assert.ok(a.status === 500 || a.status === 503, `status ${a.status}`);
      assert.ok(['InternalFailure', 'ServiceUnavailableException'].includes(a.body.__type), JSON.stringify(a.body));
      assert.ok(a.body.message.includes(`cannot write its state file ${stateFile}`), a.body.message);
    }
    assert.ok((byStatus[503] ?? 0) > 0, `once known broken, writes are refused before they change anything: ${JSON.stringify(byStatus)}`);
    // Reads are still served.
    assert.equal((await api.call('DescribeTaskDefinition', { taskDefinition: 'full-disk:1' })).status, 200);

    // The directory is back: the next write is saved (and acknowledged) again.
    fs.rmSync(stateDir);
    fs.mkdirSync(stateDir);
    fs.writeFileSync(stateFile, saved);
    const after = await register('after');
    assert.equal(after.status, 200, JSON.stringify(after.body));
    const revision = after.body.taskDefinition.revision;
    api.close();
    running.child.kill('SIGKILL');
    await running.exited;

    running = await startSandbox(stateFile, env);
    const again = ecsCaller(running.endpoint, creds);
    for (const [rev, token] of [[1, 'before'], [revision, 'after']] as const) {
      const r = await again.call('DescribeTaskDefinition', { taskDefinition: `full-disk:${rev}` });
      assert.equal(tokenOf(r.body.taskDefinition), token, `full-disk:${rev} after kill -9: ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    again.close();
    running.child.kill('SIGTERM');
    await running.exited;
  });
});
