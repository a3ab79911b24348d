/**
 * The AWS CLI for the integration tests: Debian's AWS CLI v2 (what scripts/setup.sh installs and
 * the hands-on's readers type), run through long-lived workers (aws-cli-worker.py) that call the
 * CLI's own entry point for each command. A command costs the request, not a Python start-up and
 * the CLI's imports (~0.85 s of CPU each; the CLI tests run a few hundred). cli.test.ts and
 * server.test.ts still run the `/usr/bin/aws` executable itself.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Debian's AWS CLI v2 when installed (scripts/setup.sh installs it), else whatever `aws` is on PATH. */
export const awsCli = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
/** The interpreter `/usr/bin/aws` runs with (Debian's awscli package lives in its dist-packages). */
const python = '/usr/bin/python3';
const workerScript = join(__dirname, 'aws-cli-worker.py');
const useWorkers = awsCli === '/usr/bin/aws' && existsSync(python) && !process.env.ECS_HANDSON_AWS_CLI_PROCESS;

/**
 * The environment of an AWS CLI run by a test: its own config files in `home`, the sandbox's keys,
 * no pager, and nothing else of the environment (no AWS_PROFILE, no region unless given).
 */
export const cliEnv = (home: string, credentials: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: home,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_PAGER: '',
});

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  /** The sandbox's time scale: `aws … wait` sleeps this many times shorter. */
  sleepScale?: number;
  timeoutMs?: number;
}

interface Worker {
  proc: ChildProcessWithoutNullStreams;
  pending?: { resolve: (r: CliResult) => void; reject: (e: Error) => void };
  exited: boolean;
}

const idle: Worker[] = [];

function startWorker(): Worker {
  const proc = spawn(python, [workerScript], { stdio: ['pipe', 'pipe', 'pipe'] });
  const w: Worker = { proc, exited: false };
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const p = w.pending;
    w.pending = undefined;
    if (!p) return;
    try {
      p.resolve(JSON.parse(line) as CliResult);
    } catch {
      p.reject(new Error(`aws-cli-worker printed something else than a result: ${line.slice(0, 300)}`));
    }
  });
  proc.on('exit', (code) => {
    w.exited = true;
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    w.pending?.reject(new Error(`aws-cli-worker exited (${code}): ${stderr.slice(-2000)}`));
    w.pending = undefined;
  });
  // A test process that is done must not wait for its idle workers (they exit when stdin closes).
  proc.unref();
  for (const s of [proc.stdin, proc.stdout, proc.stderr] as unknown as { unref?: () => void }[]) s.unref?.();
  return w;
}

function viaWorker(args: string[], o: CliOptions): Promise<CliResult> {
  const w = idle.pop() ?? startWorker();
  return new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      w.pending = undefined;
      w.proc.kill('SIGKILL');
      reject(new Error(`aws ${args.join(' ')} did not finish in ${o.timeoutMs ?? 120_000} ms`));
    }, o.timeoutMs ?? 120_000);
    w.pending = {
      resolve: (r) => {
        clearTimeout(timer);
        if (!w.exited) idle.push(w);
        resolve(r);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    };
    const env = Object.fromEntries(Object.entries(o.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
    w.proc.stdin.write(`${JSON.stringify({ args, env, sleepScale: o.sleepScale ?? 1 })}\n`);
  });
}

function viaProcess(args: string[], o: CliOptions): Promise<CliResult> {
  return new Promise<CliResult>((resolve) => {
    execFile(awsCli, args, { env: o.env, timeout: o.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs `aws <args>`; never throws for a failing command (see `code`). */
export function runAws(args: string[], o: CliOptions): Promise<CliResult> {
  return useWorkers ? viaWorker(args, o) : viaProcess(args, o);
}
