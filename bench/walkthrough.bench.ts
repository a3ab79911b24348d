/**
 * Walkthrough benchmark: wall time of the whole scripted hands-on — all 15 walkthrough steps, from
 * prepare-image to cleanup — in a real extension host, on the extension's own sandbox at its
 * default time scale (10, never changed), with the time per step and per section of the article.
 * Target: the whole hands-on in under 5 minutes (300 s) of wall time.
 *
 *   npm run bench -- walkthrough                    (bench/run.sh builds dist/ first)
 *   npm run build && npx tsx bench/walkthrough.bench.ts [--verbose] [--keep] [--timeout MS]
 *                                   [--step-timeout MS] [--last-step STEP] [--pause MS] [--poll MS]
 *                                   [--fast-health-check]
 *
 *   --pause MS       the scripted user "reads" MS before each step after the first (not counted
 *                    in the times). 0 by default: the next click comes as soon as the check passed.
 *                    ~15000 lets the tasks pass their ALB health checks before release, so that ECS
 *                    keeps the old tasks (min 100% healthy) and release follows the article: the
 *                    user stops the old tasks one by one.
 *   --fast-health-check  in kill-container also click "Use shorter health checks" before the
 *                    crash, as the step's text says (test/e2e/walkthrough.e2e.ts does not, so the
 *                    default does not either); the later rollouts then pass health checks faster.
 *   --poll MS        the driver also runs the step's check every MS while it waits, besides the
 *                    panel's timer (an experiment: what a shorter CHECK_INTERVAL_MS would save).
 *   --last-step STEP stop after STEP (debugging); --step-timeout MS per step (default 900 000);
 *   --timeout MS     for the whole run (default 1 h); --keep keeps the profile; --verbose prints
 *                    everything code-server and the workbench say.
 *
 * How: code-server 4.99.4 + headless Chromium (test/e2e/harness.ts) with a fresh profile and this
 * checkout as the development extension; the extension forks its sandbox into that profile's
 * global storage (fresh state). bench/walkthrough/driver.ts, bundled into out/bench/walkthrough/
 * (never out/test/vscode, which esbuild.tests.mjs wipes), runs as the extension-tests module and
 * plays a user who clicks each step's buttons with the default inputs — through the panel host's
 * message interface, as the webview would (`selectStep`, `runAction`) — and waits for the step's
 * live check to pass as the panel polls it (the webview is really loaded, so the panel's own
 * timer, CHECK_INTERVAL_MS, runs the checks). Per step as test/e2e/walkthrough.e2e.ts does, minus
 * its time-scale changes: kill-container stops then crashes a task; release stops an old task,
 * waits for a new one in its place and stops the next while an old one still runs and the
 * rollout waits for it (two checks in a row: ECS itself replaces old tasks that are not yet
 * healthy, e.g. right after kill-container, and then there is nothing to stop); the two
 * 4-task Blue/Green steps scale the instances, register and update; autoscaling-run starts the
 * load, waits until the service and then the instances scaled out to 4, stops the load and waits
 * for the scale-in.
 *
 * Output: per step and per section wall s, sandbox-clock s (/_sandbox/status), sandbox/wall,
 * share of the total, check polls, time in actions and in checks, and the last poll gap (from the
 * last failing check to the passing one: what CHECK_INTERVAL_MS costs); the total and total / 300 s,
 * with a "TARGET MISSED" line when over. Before the table, each step's timeline: the actions, the
 * changes of the live check's items and of the deployment view / chart / load as the panel posted
 * them, and what the sandbox recorded meanwhile (service events, Auto Scaling activities, alarm
 * state changes from /_sandbox/state), so the time can be traced to what the sandbox waited for.
 * The driver's JSON is kept in bench/results/walkthrough-<time>.json (git-ignored).
 * Exits non-zero only on errors — a step that does not pass within --step-timeout (default
 * 900 s) is one, printed with the check's last detail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import {
  type CodeServer,
  checkPrerequisites,
  launchBrowser,
  log,
  makeTempDir,
  newWorkbenchPage,
  repoRoot,
  screenshot,
  startCodeServer,
} from '../test/e2e/harness';
import { noise } from '../test/vscode/run-code-server';
import { BENCH_MARKER, FAST_HEALTH_CHECK_ENV, LAST_STEP_ENV, PAUSE_ENV, POLL_ENV, RESULT_ENV, SECTIONS, STEP_TIMEOUT_ENV, type BenchResult, type StepResult } from './walkthrough/protocol';

const TARGET_MS = 300_000;
const DRIVER_SRC = path.join(repoRoot, 'bench/walkthrough/driver.ts');
const DRIVER_OUT = path.join(repoRoot, 'out/bench/walkthrough/driver.js');
const RESULTS_DIR = path.join(repoRoot, 'bench/results');

interface Args {
  timeout: number;
  stepTimeout: number;
  lastStep?: string;
  pause: number;
  poll: number;
  fastHealthCheck: boolean;
  keep: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { timeout: 3_600_000, stepTimeout: 900_000, pause: 0, poll: 0, fastHealthCheck: false, keep: false, verbose: !!process.env.BENCH_VERBOSE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--timeout')) args.timeout = Number(value());
    else if (a.startsWith('--step-timeout')) args.stepTimeout = Number(value());
    else if (a.startsWith('--last-step')) args.lastStep = value();
    else if (a.startsWith('--pause')) args.pause = Number(value());
    else if (a.startsWith('--poll')) args.poll = Number(value());
    else if (a === '--fast-health-check') args.fastHealthCheck = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else throw new Error(`unknown argument ${a}\nusage: walkthrough.bench.ts [--verbose] [--keep] [--timeout MS] [--step-timeout MS] [--last-step STEP] [--pause MS] [--poll MS] [--fast-health-check]`);
  }
  return args;
}

/** Bundles the in-host driver into its own directory (vscode external, like the test suites). */
async function buildDriver(): Promise<void> {
  fs.rmSync(path.dirname(DRIVER_OUT), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [DRIVER_SRC],
    outfile: DRIVER_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
  });
}

const s1 = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function table(result: BenchResult): { totalMs: number; lines: string[] } {
  const lines: string[] = [];
  const steps = result.steps;
  const totalMs = steps.reduce((n, s) => n + s.wallMs, 0);
  const head = ['step', 'wall s', 'sandbox s', 'sb/wall', 'share', 'polls', 'actions s', 'checks s', 'last gap s', 'status'];
  const rows: string[][] = [];
  const row = (name: string, list: StepResult[], withStatus: boolean) => {
    const wall = list.reduce((n, s) => n + s.wallMs, 0);
    const sb = list.every((s) => s.sandboxMs !== undefined) ? list.reduce((n, s) => n + (s.sandboxMs ?? 0), 0) : undefined;
    const actions = list.reduce((n, s) => n + s.actions.reduce((m, a) => m + a.ms, 0), 0);
    return [
      name,
      s1(wall),
      s1(sb),
      sb !== undefined && wall > 0 ? (sb / wall).toFixed(2) : '—',
      totalMs > 0 ? pct(wall / totalMs) : '—',
      String(list.reduce((n, s) => n + s.polls, 0)),
      s1(actions),
      s1(list.reduce((n, s) => n + s.checkMs, 0)),
      s1(list.reduce((n, s) => n + (s.lastGapMs ?? 0), 0)),
      withStatus ? list.map((s) => s.status).join(',') : '',
    ];
  };
  for (const sec of SECTIONS) {
    const list = sec.steps.map((id) => steps.find((s) => s.step === id)).filter((s): s is StepResult => !!s);
    if (!list.length) continue;
    for (const s of list) rows.push(row(`  ${s.step}`, [s], true));
    rows.push(row(`${sec.title}`, list, false));
  }
  rows.push(row(`TOTAL (${steps.length} steps)`, steps, false));
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  lines.push(fmt(head));
  lines.push(w.map((n) => '-'.repeat(n)).join('  '));
  // Steps indented under their section's subtotal line.
  for (const r of rows) {
    lines.push(fmt(r));
    if (!r[0].startsWith(' ')) lines.push('');
  }
  return { totalMs, lines };
}

function timeline(result: BenchResult): string[] {
  const lines: string[] = [];
  const scale = result.timeScale ?? 10;
  for (const s of result.steps) {
    const events = [
      ...s.actions.map((a) => ({ at: a.atMs, text: `${a.action} (${(a.ms / 1000).toFixed(1)} s)${a.ok ? '' : ' FAILED'}${a.message ? `: ${a.message}` : ''}` })),
      ...s.milestones.map((m) => ({ at: m.atMs, text: `${m.text}${m.sandboxMs !== undefined ? ` [sandbox +${s1(m.sandboxMs)} s]` : ''}` })),
      // Sandbox events at their sandbox time, placed on the wall axis by the time scale.
      ...(s.sandboxEvents ?? []).map((e) => ({ at: e.sandboxMs / scale, text: `  ${e.text} [sandbox +${s1(e.sandboxMs)} s]` })),
    ].sort((a, b) => a.at - b.at);
    lines.push(`  ${s.step} (${s1(s.wallMs)} s${s.lastGapMs !== undefined ? `, last poll gap ${s1(s.lastGapMs)} s` : ''}):`);
    for (const e of events) lines.push(`    +${s1(e.at).padStart(6)} s  ${e.text}`);
  }
  return lines;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  checkPrerequisites();
  for (const f of ['dist/extension.js', 'dist/sandbox.js', 'dist/webview/walkthrough.js']) {
    if (!fs.existsSync(path.join(repoRoot, f))) throw new Error(`${f} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  await buildDriver();
  const scratch = makeTempDir('ecs-handson-bench-walkthrough-');
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const resultFile = path.join(scratch, 'result.json');
  log(`walkthrough bench: code-server + Chromium, fresh profile, the extension's sandbox at its default time scale; target ${TARGET_MS / 1000} s`);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let exitCode: number | undefined;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const started = Date.now();
  try {
    server = await startCodeServer({
      env: {
        [RESULT_ENV]: resultFile,
        [STEP_TIMEOUT_ENV]: String(args.stepTimeout),
        ...(args.lastStep ? { [LAST_STEP_ENV]: args.lastStep } : {}),
        ...(args.pause ? { [PAUSE_ENV]: String(args.pause) } : {}),
        ...(args.poll ? { [POLL_ENV]: String(args.poll) } : {}),
        ...(args.fastHealthCheck ? { [FAST_HEALTH_CHECK_ENV]: '1' } : {}),
      },
      onOutput: (line) => args.verbose && log(`  [code-server] ${line}`),
      keepDirs: args.keep,
    });
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser, {
      onExit: (code) => {
        exitCode = code;
        resolveExit(code);
      },
      onLog: (level, message) => {
        const at = message.indexOf(BENCH_MARKER);
        if (at >= 0) log(`  ${message.slice(at + BENCH_MARKER.length)}`);
        else if ((level === 'error' && !noise.some((re) => re.test(message))) || args.verbose) log(`  [workbench ${level}] ${message}`);
      },
      onConsole: (type, text) => {
        if (args.verbose || (type === 'pageerror' && !noise.some((re) => re.test(text)))) log(`  [browser ${type}] ${text}`);
      },
    });
    const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot, extensionTestsPath: DRIVER_OUT });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const timedOut = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), args.timeout).unref());
    const outcome = await Promise.race([exited, timedOut]);
    const wallAll = Date.now() - started;

    let result: BenchResult | undefined;
    try {
      result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as BenchResult;
    } catch (e) {
      log(`no result from the driver (${(e as Error).message})`);
    }
    if (result) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const keep = path.join(RESULTS_DIR, `walkthrough-${result.startedAt.replace(/[:.]/g, '-')}.json`);
      fs.writeFileSync(keep, JSON.stringify(result, null, 2));
      log('');
      log('== Timeline (ms after each step started: actions, and when the live check\'s items changed)');
      for (const l of timeline(result)) log(l);
      log('');
      log(`== Walkthrough on the sandbox (time scale ${result.timeScale ?? '?'}${result.timeScaleEnd !== undefined && result.timeScaleEnd !== result.timeScale ? ` → ${result.timeScaleEnd}` : ''}), ${result.steps.filter((s) => s.status === 'pass').length} of 15 steps passed; webview ready: ${result.webviewReady}`);
      const { totalMs, lines } = table(result);
      for (const l of lines) log(`  ${l}`);
      if (result.fastHealthCheck) log('  kill-container applied the fast health-check preset (5 s interval, 2 healthy) before the crash, as its text suggests; later rollouts use it');
      if (result.pollMs) log(`  the driver also ran the checks every ${result.pollMs} ms while waiting (besides the panel's timer): an experiment, not what a user gets`);
      if (result.pauseMs) log(`  the scripted user paused ${s1(result.pauseMs)} s before each step after the first (reading; not in the times above)`);
      log(`  setup before the first step (code-server → activation → panel → sandbox up): ${s1(result.setupMs)} s (not in the total); whole run ${s1(wallAll)} s`);
      log(`  results: ${path.relative(repoRoot, keep)}`);
      const complete = result.done && result.steps.length === 15 && result.steps.every((s) => s.status === 'pass');
      log(`  total ${s1(totalMs)} s of wall time against the ${TARGET_MS / 1000} s target: ${(totalMs / TARGET_MS).toFixed(2)}× the target${complete ? '' : ' (incomplete run)'}`);
      if (complete && totalMs > TARGET_MS) log(`TARGET MISSED: the whole hands-on took ${s1(totalMs)} s of wall time (target < ${TARGET_MS / 1000} s)`);
    }
    if (outcome === 'timeout') {
      const shot = page ? await screenshot(page, 'bench-walkthrough-timeout').catch(() => undefined) : undefined;
      log(`ERROR: no result after ${args.timeout} ms (no codeAutomationExit)${shot ? `; screenshot ${path.relative(repoRoot, shot)}` : ''}`);
      log(`--- code-server output ---\n${server.output().slice(-4000)}`);
      return 1;
    }
    if (!result || !result.done || result.error || exitCode !== 0) {
      if (page) await screenshot(page, 'bench-walkthrough-failed').catch(() => undefined);
      const failed = result?.steps.find((s) => s.status !== 'pass');
      log(`ERROR: the walkthrough did not complete (exit code ${exitCode})${failed ? ` at ${failed.step}` : ''}: ${result?.error ?? 'no result'}`);
      if (failed?.lastItems) for (const i of failed.lastItems) log(`  ${i.ok ? '✓' : '✗'} ${i.label}`);
      if (!result) log(`--- code-server output ---\n${server.output().slice(-4000)}`);
      return 1;
    }
    return 0;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!args.keep) fs.rmSync(scratch, { recursive: true, force: true });
    else log(`kept ${scratch}`);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`walkthrough bench: ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
