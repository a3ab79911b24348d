/**
 * RegisterTaskDefinition throughput with durable commits (answered once the change is on disk,
 * grouped writes) against the old way (answered at once, saved by a 250 ms debounce: loses
 * acknowledged writes on a crash), side by side in one run.
 *
 *   npx tsx bench/durability.bench.ts [requests=4000] [--c 50] [--rounds 2]
 *
 * Each mode runs the sandbox in its own child process (startSandbox on a fresh state file in the
 * temp directory, the machine's real disk, fsync included); the load comes from this process over
 * `--c` keep-alive connections, each request a distinct pre-signed RegisterTaskDefinition (signed
 * before the clock starts). Rounds alternate (old, durable, old, durable…) and the best round of each
 * mode counts. Target: durable ≥ 500 requests/s at concurrency 50 on the 2-core machine.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { startSandbox } from '../src/sandbox/server';
import { FakeRuntime } from '../test/unit/helpers/fake-runtime';


const TARGET_RPS = 500;

type Mode = 'durable' | 'debounce';

async function serve(mode: Mode, stateFile: string): Promise<void> {
  const sb = await startSandbox({ port: 0, stateFile, runtime: new FakeRuntime(), acknowledgeBeforeSave: mode === 'debounce', log: () => undefined });
  process.send!({ endpoint: sb.endpoint, credentials: sb.credentials });
  process.on('message', (m) => {
    if (m !== 'stop') return;
    sb.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}

interface RoundResult {
  mode: Mode;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  stateBytes: number;
}

async function round(mode: Mode, requests: number, connections: number): Promise<RoundResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-durable-'));
  const stateFile = join(dir, 'state.json');
  const child = fork(__filename, ['--serve', mode, stateFile], { execArgv: ['--import', 'tsx', ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
  const url = new URL(ready.endpoint);
  const signer = new SignatureV4({ credentials: ready.credentials, region: 'ap-northeast-1', service: 'ecs', sha256: Sha256 });
  const signed: { method: 'POST'; path: string; headers: Record<string, string>; body: string }[] = [];
  for (let i = 0; i < requests; i++) {
    const body = JSON.stringify({
      family: `bench-${i % 5}`,
      containerDefinitions: [{ name: 'app', image: 'nginx:latest', memory: 128, essential: true, portMappings: [{ containerPort: 80 }], environment: [{ name: 'N', value: String(i) }] }],
    });
    const r = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition' },
        body,
      }),
    );
    signed.push({ method: 'POST', path: '/', headers: r.headers, body });
  }
  // The load: `connections` keep-alive sockets, each sending its next request as soon as the last is answered.
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let next = 0;
  const send = (r: (typeof signed)[number]) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ hostname: url.hostname, port: Number(url.port), path: '/', method: 'POST', headers: r.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < signed.length; i = next++) {
        const s0 = performance.now();
        try {
          const status = await send(signed[i]);
          if (status !== 200) non2xx++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s0);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  const stateBytes = statSync(stateFile).size;
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]);
  return { mode, rps: signed.length / elapsed, p50: pct(50), p99: pct(99), errors, non2xx, stateBytes };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const requests = Number(args.find((a) => /^\d+$/.test(a)) ?? 4000);
  const connections = Number(opt('c', '50'));
  const rounds = Number(opt('rounds', '2'));
  console.log(`RegisterTaskDefinition × ${requests}, ${connections} connections, ${rounds} rounds per mode (alternating)`);
  const results: RoundResult[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['debounce', 'durable'] as const) {
      const r = await round(mode, requests, connections);
      results.push(r);
      console.log(
        `  ${mode.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors}  non-2xx ${r.non2xx}  state ${(r.stateBytes / 1024 / 1024).toFixed(1)} MiB`,
      );
    }
  }
  const best = (m: Mode) => results.filter((r) => r.mode === m).sort((a, b) => b.rps - a.rps)[0];
  const durable = best('durable');
  const old = best('debounce');
  console.log('');
  console.log(`durable (answered once on disk): ${durable.rps.toFixed(0)} req/s, p99 ${durable.p99} ms`);
  console.log(`debounce (old, loses acknowledged writes): ${old.rps.toFixed(0)} req/s, p99 ${old.p99} ms`);
  console.log(`ratio durable/old: ${(durable.rps / old.rps).toFixed(2)}x`);
  console.log(`target: durable >= ${TARGET_RPS} req/s at concurrency ${connections}: ${durable.rps >= TARGET_RPS ? 'met' : 'TARGET MISSED'}`);
  if (results.some((r) => r.errors || r.non2xx)) {
    console.error('some requests failed');
    process.exitCode = 1;
  }
}

if (process.argv[2] === '--serve') {
  void serve(process.argv[3] as Mode, process.argv[4]);
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
