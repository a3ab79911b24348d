/**
 * Memory and start time of the process runtime with many running demo tasks.
 *
 *   npx tsx bench/runtime-memory.bench.ts [--count 100] [--concurrency N] [--source] [--ab]
 *
 * Starts `count` tasks through ProcessRuntime (the esbuild bundle of demo-app, as the shipped
 * sandbox runs it; `--source` runs demo-app.ts under tsx instead), waits until all listen, then
 * prints the parent's RSS, the children's total RSS (VmRSS from /proc/<pid>/status) and PSS
 * (/proc/<pid>/smaps_rollup, which shares the node binary's pages fairly), and the time to start
 * them all. `--ab` also runs `ab -k -n 2000 -c 20` against one task's /app/loginForm.
 * Exits 1 if the parent's RSS is 200 MB or more, or a task failed, or a process survived shutdown.
 * The last line is JSON for bench/run.sh.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ProcessRuntime } from '../src/sandbox/runtime/process-runtime';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const opt = (name: string) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || undefined : undefined);
const count = opt('--count') ?? 100;
const maxConcurrentStarts = opt('--concurrency');
const PARENT_RSS_LIMIT_MB = 200;

function procKb(pid: number | 'self', file: 'status' | 'smaps_rollup', field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

async function main(): Promise<void> {
  let appPath: string | undefined;
  if (!flag('--source')) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-bench-'));
    appPath = path.join(out, 'demo-app.js');
    await build({
      entryPoints: [path.join(__dirname, '../src/sandbox/runtime/demo-app.ts')],
      outfile: appPath,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
  }
  const rt = new ProcessRuntime({ ...(appPath ? { appPath } : {}), maxConcurrentStarts });
  let started = 0;
  const failures: string[] = [];
  let allStarted!: () => void;
  const done = new Promise<void>((r) => (allStarted = r));
  rt.bind({
    started: () => {
      if (++started + failures.length === count) allStarted();
    },
    failed: (_r, id, reason) => {
      failures.push(`${id}: ${reason}`);
      if (started + failures.length === count) allStarted();
    },
    exited: (_r, id, code) => failures.push(`${id} exited early (${code})`),
  });

  const parentBefore = procKb('self', 'status', 'VmRSS')!;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    rt.start({
      region: 'us-east-1',
      taskId: `bench${String(i).padStart(4, '0')}`,
      image: i % 2 ? 'uzresk/demo:ver2.0' : 'uzresk/demo:ver1.0',
      containerName: 'demo',
      ports: [{ containerPort: 8080, hostPort: 32768 + i }],
      environment: [{ name: 'ENV', value: 'bench' }],
      instanceId: `i-${String(i % 4).padStart(17, '0')}`,
      availabilityZone: i % 2 ? 'us-east-1b' : 'us-east-1a',
      cpuUnits: 128,
    });
  }
  await done;
  const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await new Promise((r) => setTimeout(r, 1000)); // let the children settle after start-up

  const tasks = rt.list();
  const pids = tasks.map((t) => t.pid!).filter(Boolean);
  const childRss = pids.reduce((s, pid) => s + (procKb(pid, 'status', 'VmRSS') ?? 0), 0);
  const childPss = pids.reduce((s, pid) => s + (procKb(pid, 'smaps_rollup', 'Pss') ?? 0), 0);
  const parentRss = procKb('self', 'status', 'VmRSS')!;

  console.log(`app:                 ${appPath ? 'bundled demo-app.js' : 'demo-app.ts under tsx'}`);
  console.log(`tasks running:       ${tasks.length} of ${count}${failures.length ? ` (${failures.length} failed)` : ''}`);
  console.log(
    `start time (all):    ${Math.round(startMs)} ms (${(startMs / count).toFixed(1)} ms per task, ${os.cpus().length} CPUs, ${maxConcurrentStarts ?? 'default'} starting at once)`,
  );
  console.log(`parent RSS:          ${mb(parentRss)} MB (before starting: ${mb(parentBefore)} MB; limit ${PARENT_RSS_LIMIT_MB} MB)`);
  console.log(`children RSS total:  ${mb(childRss)} MB (${mb(childRss / Math.max(1, pids.length))} MB each)`);
  console.log(`children PSS total:  ${mb(childPss)} MB (${mb(childPss / Math.max(1, pids.length))} MB each)`);
  for (const f of failures.slice(0, 5)) console.log(`  failure: ${f}`);

  let ab: { rps: number; failed: number } | undefined;
  if (flag('--ab') && tasks.length) {
    const url = `${rt.url('us-east-1', tasks[0].taskId, Number(Object.keys(tasks[0].ports)[0]))}/app/loginForm`;
    const out = execFileSync('ab', ['-q', '-k', '-n', '2000', '-c', '20', url], { encoding: 'utf8' });
    ab = { rps: Number(/Requests per second:\s+([\d.]+)/.exec(out)?.[1]), failed: Number(/Failed requests:\s+(\d+)/.exec(out)?.[1]) };
    console.log(`ab -k -n 2000 -c 20: ${ab.rps} req/s, ${ab.failed} failed`);
  }

  const t1 = process.hrtime.bigint();
  await rt.shutdown();
  const shutdownMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const survivors = pids.filter((pid) => {
    try {
      return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  });
  console.log(`shutdown:            ${Math.round(shutdownMs)} ms, ${survivors.length} processes left`);
  console.log(
    JSON.stringify({
      bench: 'runtime-memory',
      count,
      running: tasks.length,
      startMs: Math.round(startMs),
      parentRssMB: mb(parentRss),
      childrenRssMB: mb(childRss),
      childrenPssMB: mb(childPss),
      shutdownMs: Math.round(shutdownMs),
      ab,
    }),
  );
  if (mb(parentRss) >= PARENT_RSS_LIMIT_MB || failures.length || survivors.length || (ab && ab.failed)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
