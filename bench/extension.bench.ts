/**
 * Extension benchmarks (run: `npm run build && npx tsx bench/extension.bench.ts`).
 *  1. Activation: dist/extension.js loaded in plain Node with a stub `vscode` module
 *     (bench/activation-child.cjs, one fresh process per run); median time of activate(context),
 *     and whether the AWS SDK or dist/aws.js was loaded. Target: < 20 ms, no SDK.
 *  2. Sizes: dist/extension.js, aws.js, sandbox.js, webview/*, and the .vsix (`vsce package
 *     --no-dependencies`, which runs the production build). Target: .vsix < 2 MB.
 *  3. Batching: an in-process sandbox (FakeRuntime) with one cluster, 1,000 services and 5,000
 *     tasks; "expanding the cluster" the project's way (explorer loader / list.ts + describe.ts)
 *     versus a naive way (one Describe call per service / task): API calls per operation, wall
 *     time, ratio, and the theoretical minimum.
 * Missed targets print "TARGET MISSED" lines; only errors exit non-zero.
 *
 * The .vsix is built in a temporary copy of the project (node_modules symlinked) so that the
 * production build never replaces the shared checkout's dev build in dist/ — other people run
 * tests from this checkout. Set BENCH_SKIP_VSIX=1 to skip it.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  paginateListServices,
  paginateListTasks,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { createClients, type AwsClients, type CallLogEntry } from '../src/aws/clients';
import { listServiceArns, listTaskArns } from '../src/aws/list';
import { describeServices, describeTasks, ECS_BATCH_LIMITS } from '../src/aws/describe';
import { DEFAULT_CONCURRENCY, mapLimit } from '../src/aws/batch';
import { loadChildren } from '../src/aws/explorer';
import { startSandbox, type Sandbox } from '../src/sandbox/server';
import { FakeRuntime } from '../test/unit/helpers/fake-runtime';

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const ACTIVATION_RUNS = 7;
const ACTIVATION_TARGET_MS = 20;
const VSIX_TARGET_BYTES = 2 * 1024 * 1024;
const SERVICES = 1000;
const TASKS_PER_SERVICE = 5;
const TASKS = SERVICES * TASKS_PER_SERVICE;
const CLUSTER = 'bench-cluster';
/** The explorer's page size (ExplorerProvider.pageSize in src/ui/explorer/provider.ts). */
const EXPLORER_PAGE_SIZE = 50;
/** Runs per measured phase (median wall time). */
const REPS = 3;

const summary: { section: string; metric: string; value: string; target?: string; ok?: boolean }[] = [];
const missed: string[] = [];
const note = (section: string, metric: string, value: string, target?: string, ok?: boolean) => {
  summary.push({ section, metric, value, target, ok });
  if (ok === false) missed.push(`${section}: ${metric} = ${value} (target ${target})`);
};
const kib = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ms`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (s = '') => console.log(s);

// ---------------------------------------------------------------------------------------------
// 1. Activation
// ---------------------------------------------------------------------------------------------

interface ChildReport {
  requireMs: number;
  activateMs: number;
  error?: string;
  disposeError?: string;
  subscriptions: number;
  commands: number;
  modulesDuringActivate: string[];
  modulesTotal: number;
  sdkLoaded: string[];
  touched: string[];
}

function runChild(): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    // Plain node (no tsx loader hooks) so that loading dist/extension.js is what VS Code would do.
    const child = spawn(process.execPath, [path.join(__dirname, 'activation-child.cjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildReport);
      } catch {
        reject(new Error(`activation child exited ${code} without a report:\n${out}\n${err}`));
      }
    });
  });
}

async function benchActivation(): Promise<void> {
  log('== 1. Activation (dist/extension.js, stub vscode, fresh process per run)');
  if (!fs.existsSync(path.join(DIST, 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const reports: ChildReport[] = [];
  for (let i = 0; i < ACTIVATION_RUNS; i++) reports.push(await runChild());
  const failed = reports.find((r) => r.error);
  if (failed) throw new Error(`activate() threw: ${failed.error}`);
  const act = reports.map((r) => r.activateMs);
  const req = reports.map((r) => r.requireMs);
  const sdk = [...new Set(reports.flatMap((r) => r.sdkLoaded))];
  const during = [...new Set(reports.flatMap((r) => r.modulesDuringActivate))];
  const r0 = reports[0];
  log(`  runs: ${ACTIVATION_RUNS}; activate(): ${act.map((x) => x.toFixed(2)).join(', ')} ms`);
  log(`  activate() median ${ms(median(act))} (min ${ms(Math.min(...act))}, max ${ms(Math.max(...act))}); require(dist/extension.js) median ${ms(median(req))}`);
  log(`  registered: ${r0.commands} commands, ${r0.subscriptions} subscriptions; modules loaded by activate(): ${during.length ? during.join(', ') : 'none'} (${r0.modulesTotal} in all, incl. require)`);
  log(`  vscode API used at activation: ${r0.touched.join(', ')}`);
  log(`  AWS SDK / dist/aws.js loaded: ${sdk.length ? `YES — ${sdk.slice(0, 5).join(', ')}${sdk.length > 5 ? ` (+${sdk.length - 5})` : ''}` : 'no'}`);
  // Not loaded, but inlined? The dev build keeps esbuild's "// node_modules/<pkg>/…" markers.
  // Also looks for the SDK's own names, which minification keeps in strings.
  const bundle = fs.readFileSync(path.join(DIST, 'extension.js'), 'utf8');
  const inlined = (bundle.match(/\/\/ node_modules\/(?:@aws-sdk|@smithy)\/|@smithy\/|\bECSClient\b/g) ?? []).length;
  log(`  AWS SDK code inlined in dist/extension.js (esbuild "// node_modules/@aws-sdk|@smithy" markers, "@smithy/", "ECSClient"): ${inlined} matches`);
  if (r0.disposeError) log(`  (disposing the subscriptions failed: ${r0.disposeError})`);
  const medianMs = median(act);
  note('activation', 'activate() median', ms(medianMs), `< ${ACTIVATION_TARGET_MS} ms`, medianMs < ACTIVATION_TARGET_MS);
  note('activation', 'require(dist/extension.js) median', ms(median(req)));
  note('activation', 'AWS SDK loaded at activation', sdk.length ? `yes (${sdk.length} modules)` : 'no', 'no', sdk.length === 0);
  note('activation', 'AWS SDK modules inlined in extension.js', String(inlined), '0', inlined === 0);
}

// ---------------------------------------------------------------------------------------------
// 2. Sizes
// ---------------------------------------------------------------------------------------------

const sizeOf = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : undefined);

function distSizes(dir: string): { name: string; bytes: number | undefined }[] {
  const rows: { name: string; bytes: number | undefined }[] = ['extension.js', 'aws.js', 'sandbox.js', 'demo-app.js'].map((n) => ({ name: n, bytes: sizeOf(path.join(dir, n)) }));
  const wv = path.join(dir, 'webview');
  let total = 0;
  for (const f of fs.existsSync(wv) ? fs.readdirSync(wv).sort() : []) {
    const b = fs.statSync(path.join(wv, f)).size;
    if (!f.endsWith('.map')) total += b;
    rows.push({ name: `webview/${f}`, bytes: b });
  }
  rows.push({ name: 'webview/* (without .map)', bytes: total });
  return rows;
}

/** Entry names of a zip file (the .vsix), read from its central directory. */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The bundles the code loads at run time by path (esbuild.mjs builds them all). */
const RUNTIME_BUNDLES = ['extension.js', 'aws.js', 'sandbox.js', 'demo-app.js', 'loadtest.js'];

/** Builds the .vsix in a temporary copy of the project; returns its size and the production dist sizes. */
async function buildVsix(): Promise<{ bytes: number; ms: number; files?: number; entries: string[]; prodDist: { name: string; bytes: number | undefined }[] }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-vsix-'));
  try {
    const copy = (rel: string) => {
      const from = path.join(ROOT, rel);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(tmp, rel), { recursive: true });
    };
    for (const rel of ['package.json', 'package-lock.json', '.vscodeignore', 'esbuild.mjs', 'tsconfig.json', 'README.md', 'LICENSE', 'package.nls.json', 'package.nls.ja.json', 'src', 'webview', 'media', 'l10n']) copy(rel);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    const out = path.join(tmp, 'x.vsix');
    const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
    const t0 = performance.now();
    const { stdout } = await execFileP(fs.existsSync(vsce) ? vsce : 'npx', [...(fs.existsSync(vsce) ? [] : ['vsce']), 'package', '--no-dependencies', '-o', out], {
      cwd: tmp,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
    const took = performance.now() - t0;
    const files = /\((\d+) files?,/.exec(stdout)?.[1];
    return { bytes: fs.statSync(out).size, ms: took, files: files ? Number(files) : undefined, entries: zipEntries(out), prodDist: distSizes(path.join(tmp, 'dist')) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function benchSizes(): Promise<void> {
  log('== 2. Sizes');
  const dev = distSizes(DIST);
  let vsix: Awaited<ReturnType<typeof buildVsix>> | undefined;
  if (process.env.BENCH_SKIP_VSIX) log('  .vsix: skipped (BENCH_SKIP_VSIX)');
  else vsix = await buildVsix();
  const prod = new Map((vsix?.prodDist ?? []).map((r) => [r.name, r.bytes]));
  const w = Math.max(...dev.map((r) => r.name.length), ...(vsix?.prodDist ?? []).map((r) => r.name.length));
  log(`  ${'file'.padEnd(w)}  ${'dev build (dist/)'.padStart(18)}  ${'production build'.padStart(18)}`);
  const names = [...new Set([...dev.map((r) => r.name), ...prod.keys()])].filter((n) => !n.endsWith('.map') || n.startsWith('webview/'));
  const devMap = new Map(dev.map((r) => [r.name, r.bytes]));
  for (const n of names) {
    const d = devMap.get(n);
    const p = prod.get(n);
    log(`  ${n.padEnd(w)}  ${(d === undefined ? '—' : `${d} (${kib(d)})`).padStart(18)}  ${(p === undefined ? (vsix ? '—' : 'n/a') : `${p} (${kib(p)})`).padStart(18)}`);
  }
  for (const n of ['extension.js', 'aws.js', 'sandbox.js', 'webview/* (without .map)']) {
    const d = devMap.get(n);
    const p = prod.get(n);
    note('sizes', `dist/${n}`, `${d === undefined ? '—' : kib(d)} dev${p === undefined ? '' : ` / ${kib(p)} prod`}`);
  }
  if (vsix) {
    log(`  .vsix: ${vsix.bytes} bytes (${kib(vsix.bytes)})${vsix.files ? `, ${vsix.files} files` : ''}; vsce package (incl. production build) took ${(vsix.ms / 1000).toFixed(1)} s`);
    note('sizes', '.vsix', kib(vsix.bytes), '< 2 MiB', vsix.bytes < VSIX_TARGET_BYTES);
    const missing = RUNTIME_BUNDLES.filter((b) => !vsix.entries.includes(`extension/dist/${b}`));
    log(`  .vsix bundles: ${RUNTIME_BUNDLES.map((b) => `dist/${b} ${missing.includes(b) ? 'MISSING' : 'ok'}`).join(', ')}`);
    if (missing.length) log(`  note: ${missing.map((b) => `dist/${b}`).join(', ')} built by esbuild.mjs but excluded by .vscodeignore (the packaged extension cannot load ${missing.length > 1 ? 'them' : 'it'})`);
    note('sizes', '.vsix runtime bundles missing', missing.length ? missing.map((b) => `dist/${b}`).join(', ') : 'none');
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Batching
// ---------------------------------------------------------------------------------------------

/** Calls per "Service.Operation", reset per measured phase. */
let calls = new Map<string, number>();
let failedCalls = 0;
const logger = (e: CallLogEntry) => {
  const k = e.operation;
  calls.set(k, (calls.get(k) ?? 0) + 1);
  if (!e.ok) failedCalls++;
};

async function eventually<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function setupSandbox(clients: AwsClients, sb: Sandbox): Promise<{ clusterArn: string; setupMs: number }> {
  const t0 = performance.now();
  const { ecs, ec2 } = clients;
  const clusterArn = (await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }))).cluster!.clusterArn!;
  // The sandbox allows 20 instances per account: the same number in every AZ so the AZ spread fits.
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
  const perSubnet = Math.floor(20 / subnets.length);
  const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
  for (const s of subnets) {
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.xlarge', MinCount: perSubnet, MaxCount: perSubnet, SubnetId: s.SubnetId, UserData: userData }));
  }
  const instances = perSubnet * subnets.length;
  await eventually(`${instances} container instances`, async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, maxResults: 100 }))).containerInstanceArns?.length ?? 0) >= instances);
  // A tiny task: 5,000 of them fit 18–20 m5.xlarge (≈ 280 per instance: 2,240 CPU units, 8,960 MiB).
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'bench-tiny',
      containerDefinitions: [{ name: 'app', image: 'uzresk/demo:ver1.0', cpu: 8, memory: 32, essential: true }],
    }),
  );
  // 1,000 real CreateService calls (8 in flight).
  const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
  await mapLimit(names, 8, (serviceName) =>
    ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: 'bench-tiny', desiredCount: TASKS_PER_SERVICE, launchType: 'EC2' })),
  );
  // Every service's tasks placed (the engine's tick reconciles; the fake runtime starts them).
  const rs = sb.engine.region(sb.region);
  await eventually(
    `${TASKS} tasks`,
    async () => Object.values(rs.ecs.tasks ?? {}).filter((t) => (t as { desiredStatus?: string }).desiredStatus === 'RUNNING').length >= TASKS,
    120_000,
  );
  return { clusterArn, setupMs: performance.now() - t0 };
}

interface Phase {
  name: string;
  calls: Map<string, number>;
  ms: number;
  items: number;
}

/** Median wall time of REPS runs; calls are counted on the first run (every run makes the same calls). */
async function measure(name: string, run: () => Promise<number>): Promise<Phase> {
  const times: number[] = [];
  let first: { calls: Map<string, number>; items: number } | undefined;
  for (let i = 0; i < REPS; i++) {
    calls = new Map();
    failedCalls = 0;
    const t0 = performance.now();
    const items = await run();
    times.push(performance.now() - t0);
    if (failedCalls) throw new Error(`${name}: ${failedCalls} API calls failed`);
    if (first && (first.items !== items || total({ calls } as Phase) !== total(first as Phase))) throw new Error(`${name}: runs differ (${first.items} vs ${items} items)`);
    first ??= { calls, items };
  }
  return { name, calls: first!.calls, ms: median(times), items: first!.items };
}

const total = (p: Phase) => [...p.calls.values()].reduce((a, b) => a + b, 0);

/** The explorer's "Services" group with every "Load more…" followed (the tree's page size). */
async function explorerServices(clients: AwsClients, clusterArn: string, pageSize: number): Promise<number> {
  let nextToken: string | undefined;
  let n = 0;
  do {
    const { nodes } = await loadChildren(clients, { type: 'services', clusterArn }, { parentId: 'bench', pageSize, nextToken });
    const last = nodes[nodes.length - 1];
    nextToken = last?.kind === 'loadMore' ? last.context?.nextToken : undefined;
    n += nodes.filter((x) => x.kind === 'service').length;
  } while (nextToken);
  return n;
}

/** Naive: the SDK's ListServices / ListTasks pages at their default size, then one Describe per item. */
async function naiveServices(ecs: ECSClient, cluster: string): Promise<number> {
  const arns: string[] = [];
  for await (const p of paginateListServices({ client: ecs }, { cluster })) arns.push(...(p.serviceArns ?? []));
  const out = await mapLimit(arns, DEFAULT_CONCURRENCY, async (a) => (await ecs.send(new DescribeServicesCommand({ cluster, services: [a] }))).services ?? []);
  return out.flat().length;
}

async function naiveTasks(ecs: ECSClient, cluster: string): Promise<number> {
  const arns: string[] = [];
  for await (const p of paginateListTasks({ client: ecs }, { cluster })) arns.push(...(p.taskArns ?? []));
  const out = await mapLimit(arns, DEFAULT_CONCURRENCY, async (a) => (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [a] }))).tasks ?? []);
  return out.flat().length;
}

async function benchBatching(): Promise<void> {
  log(`== 3. Batching: expanding a cluster of ${SERVICES} services / ${TASKS} tasks (in-process sandbox, FakeRuntime)`);
  const runtime = new FakeRuntime();
  const sb = await startSandbox({ port: 0, timeScale: 1000, runtime, log: () => undefined });
  // The fake runtime answers only when flushed: start whatever the engine asked for.
  const flusher = setInterval(() => runtime.flush(), 200);
  const clients = createClients({ kind: 'sandbox', endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials }, { logger, userAgent: 'ecs-handson-bench' });
  try {
    const { clusterArn, setupMs } = await setupSandbox(clients, sb);
    const setupCalls = total({ calls } as Phase);
    log(`  setup: cluster, ${Object.keys(sb.engine.region(sb.region).ecs.containerInstances).length} m5.xlarge container instances, ${SERVICES} CreateService, ${TASKS} tasks in ${(setupMs / 1000).toFixed(1)} s (${setupCalls} API calls)`);
    const ecs = clients.ecs;
    // Warm-up (connections, SDK code paths) so neither side pays for it.
    await describeServices(ecs, clusterArn, await listServiceArns(ecs, clusterArn));
    await describeTasks(ecs, clusterArn, (await listTaskArns(ecs, { cluster: clusterArn })).slice(0, 100));

    const phases: Phase[] = [];
    phases.push(await measure(`services: explorer loadChildren (pageSize ${EXPLORER_PAGE_SIZE}, every "Load more…")`, () => explorerServices(clients, clusterArn, EXPLORER_PAGE_SIZE)));
    phases.push(await measure('services: list.ts + describe.ts (100/page, 10/describe)', async () => (await describeServices(ecs, clusterArn, await listServiceArns(ecs, clusterArn))).items.length));
    phases.push(await measure('services: naive (default pages, 1 describe/service)', () => naiveServices(ecs, clusterArn)));
    phases.push(await measure('tasks: list.ts + describe.ts (100/page, 100/describe)', async () => (await describeTasks(ecs, clusterArn, await listTaskArns(ecs, { cluster: clusterArn }))).items.length));
    phases.push(await measure('tasks: naive (default pages, 1 describe/task)', () => naiveTasks(ecs, clusterArn)));

    const [svcExplorer, svcProject, svcNaive, taskProject, taskNaive] = phases;
    for (const p of phases) {
      const ops = [...p.calls].sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${op} ${n}`).join(', ');
      log(`  ${p.name}`);
      log(`      ${p.items} items; ${total(p)} calls (${ops}); ${ms(p.ms)} (median of ${REPS})`);
    }
    if (svcExplorer.items !== SERVICES || svcProject.items !== SERVICES || svcNaive.items !== SERVICES) throw new Error(`services described: ${phases.slice(0, 3).map((p) => p.items).join('/')} (want ${SERVICES})`);
    if (taskProject.items !== TASKS || taskNaive.items !== TASKS) throw new Error(`tasks described: ${taskProject.items}/${taskNaive.items} (want ${TASKS})`);

    const min = {
      ListServices: Math.ceil(SERVICES / 100),
      DescribeServices: Math.ceil(SERVICES / ECS_BATCH_LIMITS.DescribeServices),
      ListTasks: Math.ceil(TASKS / 100),
      DescribeTasks: Math.ceil(TASKS / ECS_BATCH_LIMITS.DescribeTasks),
    };
    const minSvc = min.ListServices + min.DescribeServices;
    const minTask = min.ListTasks + min.DescribeTasks;
    log(`  theoretical minimum: ListServices ${min.ListServices} + DescribeServices ${min.DescribeServices} = ${minSvc}; ListTasks ${min.ListTasks} + DescribeTasks ${min.DescribeTasks} = ${minTask}; cluster ${minSvc + minTask}`);
    const atMin = (p: Phase, ops: Record<string, number>) => Object.entries(ops).every(([op, n]) => (p.calls.get(op) ?? 0) <= n) && total(p) <= Object.values(ops).reduce((a, b) => a + b, 0);
    const svcOps = { ListServices: min.ListServices, DescribeServices: min.DescribeServices };
    const taskOps = { ListTasks: min.ListTasks, DescribeTasks: min.DescribeTasks };

    const projCalls = total(svcProject) + total(taskProject);
    const naiveCalls = total(svcNaive) + total(taskNaive);
    const projMs = svcProject.ms + taskProject.ms;
    const naiveMs = svcNaive.ms + taskNaive.ms;
    log('');
    log(`  ${'cluster expansion'.padEnd(34)} ${'calls'.padStart(7)} ${'wall'.padStart(10)}   breakdown`);
    const row = (label: string, c: number, t: number, detail: string) => log(`  ${label.padEnd(34)} ${String(c).padStart(7)} ${(Number.isFinite(t) ? ms(t) : '—').padStart(10)}   ${detail}`);
    const detail = (...ps: Phase[]) => ps.flatMap((p) => [...p.calls].map(([op, n]) => `${op} ${n}`)).join(', ');
    row('project (list.ts + describe.ts)', projCalls, projMs, detail(svcProject, taskProject));
    row('naive (1 describe per item)', naiveCalls, naiveMs, detail(svcNaive, taskNaive));
    row('theoretical minimum', minSvc + minTask, NaN, detail({ calls: new Map(Object.entries(min)) } as Phase));
    log(`  ratio naive / project: ${(naiveCalls / projCalls).toFixed(1)}× calls, ${(naiveMs / projMs).toFixed(1)}× wall time`);
    log(`  explorer Services group (pageSize ${EXPLORER_PAGE_SIZE}): ${total(svcExplorer)} calls vs minimum ${minSvc}${atMin(svcExplorer, svcOps) ? ' (at minimum)' : ` (${(svcExplorer.calls.get('ListServices') ?? 0) - min.ListServices} extra ListServices pages: the tree pages by ${EXPLORER_PAGE_SIZE}, ListServices allows 100)`}`);

    note('batching', 'services, project: calls / wall', `${total(svcProject)} / ${ms(svcProject.ms)}`, `${minSvc} calls (minimum)`, atMin(svcProject, svcOps));
    note('batching', `services, explorer pageSize ${EXPLORER_PAGE_SIZE}: calls / wall`, `${total(svcExplorer)} / ${ms(svcExplorer.ms)}`);
    note('batching', 'services, naive: calls / wall', `${total(svcNaive)} / ${ms(svcNaive.ms)}`);
    note('batching', 'tasks, project: calls / wall', `${total(taskProject)} / ${ms(taskProject.ms)}`, `${minTask} calls (minimum)`, atMin(taskProject, taskOps));
    note('batching', 'tasks, naive: calls / wall', `${total(taskNaive)} / ${ms(taskNaive.ms)}`);
    note('batching', 'naive / project', `${(naiveCalls / projCalls).toFixed(1)}× calls, ${(naiveMs / projMs).toFixed(1)}× wall`);
  } finally {
    clearInterval(flusher);
    clients.destroy();
    await sb.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t0 = performance.now();
  log(`ECS Hands-on extension bench — node ${process.version}, ${os.cpus().length} CPUs, ${new Date().toISOString()}`);
  await benchActivation();
  log('');
  await benchSizes();
  log('');
  await benchBatching();
  log('');
  log('== Summary');
  const w1 = Math.max(...summary.map((r) => r.section.length));
  const w2 = Math.max(...summary.map((r) => r.metric.length));
  const w3 = Math.max(...summary.map((r) => r.value.length));
  for (const r of summary) {
    const verdict = r.ok === undefined ? '' : `${r.ok ? 'OK    ' : 'MISSED'} (target ${r.target})`;
    log(`  ${r.section.padEnd(w1)}  ${r.metric.padEnd(w2)}  ${r.value.padEnd(w3)}  ${verdict}`);
  }
  for (const m of missed) log(`TARGET MISSED: ${m}`);
  if (!missed.length) log('All targets met.');
  log(`(bench took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
