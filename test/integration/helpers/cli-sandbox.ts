/**
 * Starts the sandbox the way a user does — the `ecs-handson-sandbox` CLI in its own process, with
 * HOME and the AWS CLI's files in a temporary folder — and runs the AWS CLI against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SandboxAdmin, adminTokenFromStateFile } from '../../../src/aws/sandbox-admin';
import { runAws } from './aws-cli';

const root = resolve(__dirname, '..', '..', '..');

export { awsCli } from './aws-cli';

export interface CliSandbox {
  endpoint: string;
  home: string;
  env: NodeJS.ProcessEnv;
  proc: ChildProcess;
  output: () => string;
  /** Runs `aws <args> --output json` against the sandbox; resolves the parsed JSON (or {} for no output). */
  aws(args: string[]): Promise<any>;
  /** Same, but resolves the CLI's error output instead of throwing when it fails. */
  awsFails(args: string[]): Promise<string>;
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<any>;
  stop(): Promise<number | null>;
}

export async function startCliSandbox(opts: { timeScale?: number; region?: string; home?: string } = {}): Promise<CliSandbox> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'ecs-handson-cli-'));
  const region = opts.region ?? 'ap-northeast-1';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_PAGER: '',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
  delete env.AWS_PROFILE;
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_SESSION_TOKEN;
  const bundled = join(root, 'dist', 'sandbox.js');
  const args = existsSync(bundled) && !process.env.SANDBOX_FROM_SOURCE
    ? [bundled]
    : ['--import', 'tsx', join(root, 'src', 'sandbox', 'main.ts')];
  const proc = spawn(process.execPath, [...args, '--port', '0', '--state', join(home, 'state.json'), '--time-scale', String(opts.timeScale ?? 50), '--region', region], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const endpoint = await new Promise<string>((resolveEp, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveEp(m[1]);
      }
    };
    proc.stdout.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${out}`));
    });
  });

  let timeScale = opts.timeScale ?? 50;
  const run = (cliArgs: string[]) =>
    runAws([...cliArgs, '--profile', 'ecs-handson-sandbox', '--endpoint-url', endpoint, '--output', 'json'], { env, sleepScale: timeScale });

  return {
    endpoint,
    home,
    env,
    proc,
    output: () => out,
    async aws(cliArgs) {
      const r = await run(cliArgs);
      if (r.code !== 0) throw new Error(`aws ${cliArgs.join(' ')} failed (${r.code}): ${r.stderr || r.stdout}`);
      return r.stdout.trim() ? JSON.parse(r.stdout) : {};
    },
    async awsFails(cliArgs) {
      const r = await run(cliArgs);
      if (r.code === 0) throw new Error(`aws ${cliArgs.join(' ')} was expected to fail but printed: ${r.stdout}`);
      return r.stderr;
    },
    async admin(path, init = {}) {
      // As a CLI user does: the token from the state file (what --print-admin-token prints).
      const client = new SandboxAdmin(endpoint, await adminTokenFromStateFile(join(home, 'state.json')));
      const scale = (init.body as { scale?: unknown } | undefined)?.scale;
      if (path === '/_sandbox/time-scale' && typeof scale === 'number') timeScale = scale;
      return client.call((init.method as 'GET' | 'POST' | undefined) ?? (init.body === undefined ? 'GET' : 'POST'), path, init.body);
    },
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
      proc.kill('SIGTERM');
      const code = await exited;
      if (!opts.home) rmSync(home, { recursive: true, force: true });
      return code;
    },
  };
}

export { eventually } from '../../helpers/wait';
