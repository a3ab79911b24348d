/**
 * CLI entry `ecs-handson-sandbox` (bundled to dist/sandbox.js), also forked by the extension with an
 * IPC channel. Starts the sandbox, writes the AWS CLI profile, and stops cleanly on SIGINT / SIGTERM
 * (state saved, task processes stopped). One sandbox per state file: a live lock holder is reported
 * instead of starting a second one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROFILE_NAME } from './credentials';
import { DEFAULT_MAX_TASKS, DEFAULT_REGION, DEFAULT_TIME_SCALE, startSandbox, type Sandbox } from './server';
import { isRegionName } from './protocol/sigv4';
import { acquireLock, lockFileFor, readLock, releaseLock, updateLock, type LockInfo } from './store';
import { version } from '../../package.json';

export const DEFAULT_PORT = 4577;
export const defaultStateFile = (home = os.homedir()) => path.join(home, '.ecs-handson', 'sandbox', 'state.json');

export interface CliOptions {
  port: number;
  state: string;
  timeScale: number;
  region: string;
  profile: boolean;
  maxTasks: number;
  /** Print the admin token of the state file's sandbox and exit. */
  printAdminToken?: boolean;
}

export const USAGE = `Usage: ecs-handson-sandbox [options]

Runs the ECS Hands-on sandbox: a local service that speaks the AWS APIs (ECS, EC2, SSM) on
127.0.0.1 and runs real task processes, so the hands-on works without an AWS account.

Options:
  --port N          port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --state FILE      state file (default ~/.ecs-handson/sandbox/state.json)
  --time-scale N    simulated seconds per real second, 0 < N <= 1000 (default ${DEFAULT_TIME_SCALE})
  --region R        default region, written into the CLI profile (default ${DEFAULT_REGION})
  --max-tasks N     most task processes running at once, 1 to 100000 (default ${DEFAULT_MAX_TASKS});
                    tasks beyond it fail to start
  --no-profile      do not write the '${PROFILE_NAME}' profile into ~/.aws/credentials and ~/.aws/config
                    (the access keys are printed instead)
  --print-admin-token
                    print the admin API's token (of the sandbox using --state) and exit; send it as
                    'Authorization: Bearer <token>' to http://127.0.0.1:PORT/_sandbox/...
  --help            show this help
  --version         show the version
`;

export class UsageError extends Error {}

/** Parses argv (without node and the script); `--flag value` and `--flag=value` both work. */
export function parseArgs(argv: string[], home = os.homedir()): CliOptions | 'help' | 'version' {
  const o: CliOptions = { port: DEFAULT_PORT, state: defaultStateFile(home), timeScale: DEFAULT_TIME_SCALE, region: DEFAULT_REGION, profile: true, maxTasks: DEFAULT_MAX_TASKS };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--version':
      case '-v':
        return 'version';
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got '${v}'`);
        o.port = n;
        break;
      }
      case '--state':
        o.state = path.resolve(value());
        break;
      case '--time-scale': {
        const v = value();
        const n = Number(v);
        if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new UsageError(`--time-scale must be a number greater than 0 and at most 1000, got '${v}'`);
        o.timeScale = n;
        break;
      }
      case '--region': {
        const v = value();
        if (!isRegionName(v)) throw new UsageError(`--region must be a region name such as ap-northeast-1, got '${v}'`);
        o.region = v;
        break;
      }
      case '--max-tasks': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1 || n > 100_000) throw new UsageError(`--max-tasks must be an integer from 1 to 100000, got '${v}'`);
        o.maxTasks = n;
        break;
      }
      case '--no-profile':
        if (inline !== undefined) throw new UsageError('--no-profile takes no value');
        o.profile = false;
        break;
      case '--print-admin-token':
        if (inline !== undefined) throw new UsageError('--print-admin-token takes no value');
        o.printAdminToken = true;
        break;
      default:
        throw new UsageError(`unknown option '${argv[i]}'`);
    }
  }
  return o;
}

type IpcMessage =
  | { type: 'ready'; endpoint: string; port: number; region: string; accessKeyId: string; secretAccessKey: string; adminToken: string; pid: number }
  | { type: 'already-running'; endpoint?: string; pid: number; region?: string }
  | { type: 'error'; message: string };

const sendIpc = (m: IpcMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });

/** A live holder may not have written its endpoint yet: wait a little for it. */
async function waitForEndpoint(lockFile: string, holder: LockInfo): Promise<LockInfo> {
  for (let i = 0; i < 50 && !holder.endpoint; i++) {
    await new Promise((r) => setTimeout(r, 100));
    holder = readLock(lockFile) ?? holder;
  }
  return holder;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`ecs-handson-sandbox: ${e.message}\n\n${USAGE}`);
    await sendIpc({ type: 'error', message: e.message });
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts === 'version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }

  if (opts.printAdminToken) {
    // Read only: the file belongs to the sandbox that may be running on it.
    let token: unknown;
    try {
      token = (JSON.parse(fs.readFileSync(opts.state, 'utf8')) as { credentials?: { adminToken?: unknown } }).credentials?.adminToken;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) {
      process.stderr.write(`ecs-handson-sandbox: no admin token in ${opts.state} yet: start the sandbox first (with the same --state).\n`);
      return 1;
    }
    process.stdout.write(`${token}\n`);
    return 0;
  }

  const lockFile = lockFileFor(opts.state);
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(lockFile, { pid: process.pid, startedAt: new Date().toISOString() });
  } catch (e) {
    const message = `cannot use the state file ${opts.state}: ${(e as Error).message}`;
    process.stderr.write(`ecs-handson-sandbox: ${message}\n`);
    await sendIpc({ type: 'error', message });
    return 1;
  }
  if (!lock.ok) {
    const holder = await waitForEndpoint(lockFile, lock.holder);
    process.stdout.write(
      `ECS Hands-on sandbox is already running for ${opts.state} (pid ${holder.pid})${holder.endpoint ? ` at ${holder.endpoint}` : ''}\n`,
    );
    await sendIpc({ type: 'already-running', endpoint: holder.endpoint, pid: holder.pid, region: holder.region });
    return 0;
  }

  let sb: Sandbox;
  try {
    sb = await startSandbox({ port: opts.port, stateFile: opts.state, timeScale: opts.timeScale, region: opts.region, writeProfile: opts.profile, maxTasks: opts.maxTasks });
  } catch (e) {
    releaseLock(lockFile);
    const err = e as NodeJS.ErrnoException;
    const message =
      err.code === 'EADDRINUSE' ? `port ${opts.port} is already in use (try --port 0 for any free port)` : `could not start: ${err.message ?? String(e)}`;
    process.stderr.write(`ecs-handson-sandbox: ${message}\n`);
    await sendIpc({ type: 'error', message });
    return 1;
  }
  updateLock(lockFile, { pid: process.pid, endpoint: sb.endpoint, region: sb.region, startedAt: new Date().toISOString() });

  process.stdout.write(banner(sb, opts, !!process.send).join('\n') + '\n');
  await sendIpc({ type: 'ready', endpoint: sb.endpoint, port: sb.port, region: sb.region, ...sb.credentials, adminToken: sb.adminToken, pid: process.pid });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number, why: string) => {
      if (stopping) {
        process.stderr.write('ecs-handson-sandbox: forced exit\n');
        process.exit(code || 1);
      }
      stopping = true;
      process.stdout.write(`ECS Hands-on sandbox stopping (${why})\n`);
      sb.close()
        .catch((e) => process.stderr.write(`ecs-handson-sandbox: error while stopping: ${(e as Error).message}\n`))
        .finally(() => {
          releaseLock(lockFile);
          resolve(code);
        });
    };
    process.on('SIGINT', () => stop(0, 'SIGINT'));
    process.on('SIGTERM', () => stop(0, 'SIGTERM'));
    process.on('SIGHUP', () => stop(0, 'SIGHUP'));
    // A parent that went away closes our pipes: writing to them must not bring the sandbox down.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    process.on('message', (m: unknown) => {
      if ((m as { type?: string })?.type === 'shutdown') stop(0, 'shutdown requested');
    });
    // Forked by the extension: stop with it, also when its host dies without saying goodbye.
    if (process.send) process.on('disconnect', () => stop(0, 'the editor that started the sandbox went away'));
    // Last resort: every listener and handler is guarded, so an error that still gets here is a bug
    // in one request or timer; log it and keep serving. Only a burst of them (a broken state) stops.
    const recent: number[] = [];
    process.on('uncaughtException', (e) => {
      process.stderr.write(`ecs-handson-sandbox: unexpected error: ${e?.stack ?? String(e)}\n`);
      const now = Date.now();
      recent.push(now);
      while (recent.length && recent[0] < now - 60_000) recent.shift();
      if (recent.length > 20) stop(1, 'more than 20 unexpected errors within a minute');
    });
  });
}

/**
 * What the CLI prints once listening. The secret key appears only when the user asked for it with
 * --no-profile, and never when forked by the extension (`ipc`: stdout goes to its log; it gets the
 * keys over IPC). The admin token is never printed here: --print-admin-token does that.
 */
export function banner(sb: Pick<Sandbox, 'endpoint' | 'region' | 'profile' | 'credentials' | 'clock'>, opts: Pick<CliOptions, 'state' | 'profile'>, ipc: boolean): string[] {
  const showKeys = !opts.profile && !ipc;
  const stateArg = opts.state === defaultStateFile() ? '' : ` --state ${JSON.stringify(opts.state)}`;
  const lines = [`ECS Hands-on sandbox listening on ${sb.endpoint}`, `  region:      ${sb.region}`];
  if (sb.profile) {
    lines.push(`  credentials: profile ${PROFILE_NAME} in ${sb.profile.credentialsFile} (config: ${sb.profile.configFile})`);
  } else if (showKeys) {
    lines.push(`  credentials: AWS_ACCESS_KEY_ID=${sb.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${sb.credentials.secretAccessKey} (no profile written)`);
  } else if (opts.profile) {
    lines.push(`  credentials: the profile ${PROFILE_NAME} could not be written (see above); start with --no-profile to have the keys printed instead`);
  } else {
    lines.push(`  credentials: no profile written; access key ${sb.credentials.accessKeyId} (the secret is kept in the state file)`);
  }
  lines.push(
    `  state:       ${opts.state}`,
    `  time scale:  ${sb.clock.scale}x`,
    `  admin API:   ${sb.endpoint}/_sandbox/status with 'Authorization: Bearer <token>' (token: ecs-handson-sandbox --print-admin-token${stateArg})`,
  );
  if (sb.profile) lines.push('', 'Try:', `  aws --profile ${PROFILE_NAME} --endpoint-url ${sb.endpoint} ecs list-clusters`);
  else if (showKeys) {
    lines.push('', 'Try:', `  AWS_ACCESS_KEY_ID=${sb.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${sb.credentials.secretAccessKey} aws --region ${sb.region} --endpoint-url ${sb.endpoint} ecs list-clusters`);
  }
  return lines;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
      // Close the IPC channel so that a forked sandbox can exit.
      if (process.connected) process.disconnect();
      process.exit(code);
    },
    async (e) => {
      process.stderr.write(`ecs-handson-sandbox: ${(e as Error)?.stack ?? String(e)}\n`);
      await sendIpc({ type: 'error', message: (e as Error)?.message ?? String(e) });
      process.exit(1);
    },
  );
}
