/**
 * The extension-host test entry (`extensionTestsPath`): VS Code loads out/test/vscode/index.js
 * inside a real extension host and awaits run(). Launched by test/vscode/run-code-server.ts
 * (code-server + Chromium, CI) or test/vscode/run-electron.ts (desktop VS Code).
 *
 * Runs every out/test/vscode/suite/**\/*.test.js with mocha (bdd: describe/it) and writes
 * {passed, failed, pending, failures} to ECS_HANDSON_TEST_RESULT (or out/test/vscode/result.json),
 * a second channel next to the exit code VS Code reports.
 * Environment: ECS_HANDSON_TEST_GREP (mocha --grep), ECS_HANDSON_TEST_INVERT=1 (mocha --invert),
 * ECS_HANDSON_TEST_TIMEOUT (ms per test).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

/**
 * Marks the start and summary lines of a run. The extension host forwards console output to the
 * workbench log (VS Code's console forwarder cannot be wrapped: its setter ignores assignments), so
 * the launcher prints what arrives between the two markers: mocha's reporter and the tests' logs.
 */
export const outputMarker = '[ecs-handson-test] ';

interface MochaRunner {
  on(event: string, fn: (...args: any[]) => void): void;
}
interface MochaModule {
  reporters: { Base: { consoleLog: (...args: unknown[]) => void } };
}
interface MochaInstance {
  addFile(file: string): void;
  run(fn: (failures: number) => void): MochaRunner;
}
type MochaCtor = new (opts: Record<string, unknown>) => MochaInstance;

export interface TestResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  durationMs: number;
}

export const resultFile = (): string => process.env.ECS_HANDSON_TEST_RESULT || path.join(__dirname, 'result.json');

function suiteFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

export async function run(): Promise<void> {
  const started = Date.now();
  const result: TestResult = { passed: 0, failed: 0, pending: 0, failures: [], durationMs: 0 };
  const write = (): void => {
    result.durationMs = Date.now() - started;
    fs.mkdirSync(path.dirname(resultFile()), { recursive: true });
    fs.writeFileSync(resultFile(), JSON.stringify(result, null, 2));
  };
  try {
    // mocha stays external to the bundle: resolved from the repo's node_modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load of mocha, which stays outside the bundle
    const mochaModule = require('mocha') as { default?: MochaCtor & MochaModule } & MochaCtor & MochaModule;
    const Mocha = mochaModule.default ?? mochaModule;
    // The workbench forwards console output unformatted ("✔ %s" + args): format it here.
    Mocha.reporters.Base.consoleLog = (...a: unknown[]) => console.log(format(...a));
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      timeout: Number(process.env.ECS_HANDSON_TEST_TIMEOUT) || 60_000,
      grep: process.env.ECS_HANDSON_TEST_GREP || undefined,
      invert: !!process.env.ECS_HANDSON_TEST_GREP && process.env.ECS_HANDSON_TEST_INVERT === '1',
    });
    const files = suiteFiles(path.join(__dirname, 'suite'));
    if (files.length === 0) throw new Error(`no *.test.js under ${path.join(__dirname, 'suite')}`);
    for (const f of files) mocha.addFile(f);
    console.log(`${outputMarker}START ${files.length} suite file(s)`);

    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', () => result.passed++);
      runner.on('pending', () => result.pending++);
      runner.on('fail', (test: { fullTitle(): string }, err: Error) => {
        result.failed++;
        result.failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
      });
    });
    result.failed = Math.max(result.failed, failures);
  } catch (e) {
    result.failed++;
    result.failures.push({ title: 'test runner', error: String((e as Error)?.stack ?? e) });
    write();
    throw e;
  }
  write();
  // One summary line the launcher can echo (mocha's own reporter prints the details).
  console.log(`${outputMarker}ECS_HANDSON_TEST_SUMMARY ${JSON.stringify({ passed: result.passed, failed: result.failed, pending: result.pending })}`);
  if (result.failed > 0) throw new Error(`${result.failed} test(s) failed`);
  if (result.passed === 0) throw new Error('no test ran (check --grep)');
}
