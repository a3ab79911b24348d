/**
 * Runs the extension-host suite (out/test/vscode/index.js) inside real VS Code: code-server
 * 4.99.4 (VS Code 1.99.3) opened in headless Chromium, the extension loaded as a development
 * extension — what @vscode/test-electron does on a desktop (see run-electron.ts).
 *
 *   npm run build && node esbuild.tests.mjs       (this launcher builds nothing)
 *   npx tsx test/vscode/run-code-server.ts [--locale ja] [--grep TEXT [--invert]] [--timeout MS] [--keep]
 *
 * The result comes back twice: codeAutomationExit(code) from the workbench and the result file
 * the test index writes; both must say "passed". Exits 1 on failure or timeout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
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
} from '../e2e/harness';
import { outputMarker } from './index';

interface Args {
  locale?: string;
  grep?: string;
  /** Run the tests --grep does not match (mocha's --invert). */
  invert: boolean;
  timeout: number;
  keep: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { invert: false, timeout: Number(process.env.ECS_HANDSON_VSCODE_TIMEOUT) || 900_000, keep: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--locale')) args.locale = value();
    else if (a.startsWith('--grep') || a === '-g') args.grep = value();
    else if (a.startsWith('--timeout')) args.timeout = Number(value());
    else if (a === '--invert') args.invert = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else throw new Error(`unknown argument ${a}\nusage: run-code-server.ts [--locale ja] [--grep TEXT [--invert]] [--timeout MS] [--keep] [--verbose]`);
  }
  return args;
}

// Workbench noise that says nothing about the extension under test (also used by bench/walkthrough.bench.ts).
export const noise = [/open-vsx\.org/, /ENOTFOUND/, /Failed to load resource/, /\[Extension Host\] debugger listening/i, /webpack:\/\//];

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  checkPrerequisites();
  const testsPath = path.join(repoRoot, 'out/test/vscode/index.js');
  for (const f of [path.join(repoRoot, 'dist/extension.js'), testsPath]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(repoRoot, f)} is missing: run \`npm run build && node esbuild.tests.mjs\` first`);
  }
  const scratch = makeTempDir('ecs-handson-vscode-test-');
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const resultFile = path.join(scratch, 'result.json');
  const label = `vscode tests (code-server 4.99.4, locale ${args.locale ?? 'en'}${args.grep ? `, ${args.invert ? 'not ' : ''}grep ${JSON.stringify(args.grep)}` : ''})`;
  log(`${label}: starting`);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let exitCode: number | undefined;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  let running = false; // between the index's START and SUMMARY lines
  const print = (text: string): void => {
    if (!args.verbose && noise.some((re) => re.test(text))) return;
    for (const line of text.split('\n')) log(`  ${line}`);
  };
  try {
    server = await startCodeServer({
      locale: args.locale,
      env: {
        ECS_HANDSON_TEST_RESULT: resultFile,
        ECS_HANDSON_TEST_GREP: args.grep ?? '',
        ECS_HANDSON_TEST_INVERT: args.invert ? '1' : '',
      },
      onOutput: (line) => args.verbose && log(`  [code-server] ${line}`),
    });
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser, {
      onExit: (code) => {
        exitCode = code;
        resolveExit(code);
      },
      // The suite's console output (mocha's reporter included) reaches the workbench log
      // (codeAutomationLog) marked by the test index; other workbench errors are shown too.
      onLog: (level, message) => {
        if (message.startsWith(`${outputMarker}START`)) running = true;
        else if (message.startsWith(`${outputMarker}ECS_HANDSON_TEST_SUMMARY`)) {
          running = false;
          log(`  ${message.slice(outputMarker.length)}`);
        } else if (running) {
          // Plain text: mocha colours its output when CI=true (supports-color), whatever the option says.
          // eslint-disable-next-line no-control-regex -- an ANSI colour code starts with ESC
          const plain = message.replace(/\x1b\[[0-9;]*m/g, '');
          print(level === 'info' ? plain : `[${level}] ${plain}`);
        } else if (level === 'error' || args.verbose) print(`[workbench ${level}] ${message}`);
      },
      // The page console repeats the workbench log (above); shown with --verbose, except
      // uncaught page errors.
      onConsole: (type, text) => {
        if (args.verbose || type === 'pageerror') print(`[browser ${type}] ${text}`);
      },
    });
    const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot, extensionTestsPath: testsPath });
    await page.goto(url, { waitUntil: 'domcontentloaded' });

    const timedOut = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), args.timeout).unref());
    const outcome = await Promise.race([exited, timedOut]);
    if (outcome === 'timeout') {
      const shot = await screenshot(page, `vscode-timeout${args.locale ? `-${args.locale}` : ''}`).catch(() => undefined);
      log(`${label}: TIMEOUT after ${args.timeout} ms (no codeAutomationExit)${shot ? `; screenshot ${path.relative(repoRoot, shot)}` : ''}`);
      log(`--- code-server output ---\n${server.output().slice(-4000)}`);
      return 1;
    }

    let result: { passed: number; failed: number; pending: number; failures: { title: string; error: string }[] } | undefined;
    try {
      result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    } catch (e) {
      log(`${label}: no result file from the test index (${(e as Error).message})`);
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const ok = exitCode === 0 && !!result && result.failed === 0 && result.passed > 0;
    if (result) {
      log(`${label}: ${result.passed} passing, ${result.failed} failing, ${result.pending} pending (exit code ${exitCode}, ${secs} s)`);
      for (const f of result.failures) log(`  FAILED ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
    } else {
      log(`${label}: exit code ${exitCode}, no result (${secs} s)`);
    }
    if (!ok) {
      await screenshot(page, `vscode-failed${args.locale ? `-${args.locale}` : ''}`).catch(() => undefined);
      if (!result || result.passed === 0) log(`--- code-server output ---\n${server.output().slice(-4000)}`);
    }
    log(ok ? `${label}: PASSED` : `${label}: FAILED`);
    return ok ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!args.keep) fs.rmSync(scratch, { recursive: true, force: true });
    else log(`kept ${scratch}`);
  }
}

// Run as a script (`npx tsx test/vscode/run-code-server.ts`), not when imported for `noise`.
if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      log(`vscode tests: ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    },
  );
}
