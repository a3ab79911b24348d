/**
 * Runs the same extension-host suite in desktop VS Code (Electron) through @vscode/test-electron —
 * for developer machines that can download VS Code (CI here uses run-code-server.ts instead:
 * desktop VS Code cannot be downloaded on these machines).
 *
 *   npm run build && node esbuild.tests.mjs
 *   npx tsx test/vscode/run-electron.ts [--locale ja] [--grep TEXT] [--vscode-version 1.99.3]
 *
 * Downloads VS Code into .cache/vscode-test/ on first use (VSCODE_EXECUTABLE_PATH=/path/to/code skips
 * the download), starts it with a throw-away profile and the extension as a development
 * extension, and exits non-zero when a test fails. On Linux without a display, run it under
 * `xvfb-run -a`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const repoRoot = path.resolve(__dirname, '../..');
  const testsPath = path.join(repoRoot, 'out/test/vscode/index.js');
  if (!fs.existsSync(testsPath)) throw new Error('out/test/vscode/index.js is missing: run `npm run build && node esbuild.tests.mjs` first');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-electron-'));
  const workspace = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(workspace);
  fs.writeFileSync(
    path.join(userDataDir, 'User/settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' }),
  );
  const resultFile = path.join(scratch, 'result.json');
  const locale = opt('--locale');
  const launchArgs = [workspace, '--user-data-dir', userDataDir, '--extensions-dir', path.join(scratch, 'extensions'), '--disable-workspace-trust'];
  // Desktop VS Code needs the language pack installed for a non-English --locale, as code-server does.
  if (locale) launchArgs.push('--locale', locale);
  try {
    const exitCode = await runTests({
      version: opt('--vscode-version') ?? process.env.VSCODE_VERSION ?? 'stable',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      cachePath: path.join(repoRoot, '.cache/vscode-test'), // git-ignored, never packaged
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      launchArgs,
      extensionTestsEnv: { ECS_HANDSON_TEST_RESULT: resultFile, ECS_HANDSON_TEST_GREP: opt('--grep') ?? '' },
    });
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { passed: number; failed: number; pending: number };
    console.log(`vscode tests (electron${locale ? `, locale ${locale}` : ''}): ${result.passed} passing, ${result.failed} failing, ${result.pending} pending (exit code ${exitCode})`);
    return exitCode === 0 && result.failed === 0 && result.passed > 0 ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // runTests rejects with TestRunFailedError when the suite fails.
    console.error(`vscode tests (electron): FAILED ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
