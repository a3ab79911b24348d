/**
 * Starts the embedded sandbox as a child process of the extension host (with the editor's own
 * Node), or finds the one already serving the same state file. No vscode import: the connection
 * manager wraps it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { defaultTranslate, type Translate } from '../../core/l10n';

export interface SandboxInfo {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The admin API's token (never logged). */
  adminToken: string;
  pid: number;
  /** True when this call started the process (it stops with the extension). */
  owned: boolean;
}

export interface SandboxHandle extends SandboxInfo {
  /** Resolves when the process exits (immediately for one this call did not start). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** dist/sandbox.js */
  script: string;
  stateFile: string;
  timeScale?: number;
  region?: string;
  /** Lines the sandbox prints (for the output channel). */
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /** Translates the error messages (the user sees them); vscode.l10n.t in the extension. */
  t?: Translate;
}

type ReadyMessage =
  | { type: 'ready'; endpoint: string; port: number; region: string; accessKeyId: string; secretAccessKey: string; adminToken: string; pid: number }
  | { type: 'already-running'; endpoint: string; pid: number; region?: string }
  | { type: 'error'; message: string };

const isReadyMessage = (m: unknown): m is ReadyMessage =>
  typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';

/** Reads the credentials and the admin token the sandbox keeps in its state file (for a sandbox started elsewhere). */
async function credentialsFromState(stateFile: string, t: Translate): Promise<{ accessKeyId: string; secretAccessKey: string; adminToken: string }> {
  const world = JSON.parse(await readFile(stateFile, 'utf8')) as { credentials?: { accessKeyId?: unknown; secretAccessKey?: unknown; adminToken?: unknown } };
  const c = world.credentials;
  if (typeof c?.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string' || typeof c.adminToken !== 'string') {
    throw new Error(t('the sandbox state file {0} has no credentials', stateFile));
  }
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, adminToken: c.adminToken };
}

export function launchSandbox(opts: LaunchOptions): Promise<SandboxHandle> {
  const args = ['--port', '0', '--state', opts.stateFile];
  if (opts.timeScale !== undefined) args.push('--time-scale', String(opts.timeScale));
  if (opts.region) args.push('--region', opts.region);
  const child: ChildProcess = fork(opts.script, args, {
    // Inside VS Code the extension host's execPath is Electron: run it as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: false,
  });
  const log = opts.log ?? (() => undefined);
  const t = opts.t ?? defaultTranslate;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        log(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );

  return new Promise<SandboxHandle>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(t('the sandbox did not start within {0} s', (opts.startTimeoutMs ?? 20_000) / 1000)));
    }, opts.startTimeoutMs ?? 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    child.once('error', fail);
    // The answer ('ready', 'already-running' or 'error') decides; an exit only fails the launch
    // when the process said nothing. Its IPC message can be delivered after the 'exit' event
    // (and 'already-running' is followed by exit 0 while the credentials are still being read),
    // so the exit waits for the channel to close before it counts.
    let answered = false;
    const channelClosed = new Promise<void>((res) => (child.connected ? child.once('disconnect', () => res()) : res()));
    void exited.then(async ({ code, signal }) => {
      await Promise.race([channelClosed, new Promise((r) => setTimeout(r, 2000))]);
      await new Promise((r) => setImmediate(r));
      if (!answered) fail(new Error(t('the sandbox exited before it was ready ({0})', signal ?? t('exit code {0}', String(code)))));
    });
    child.on('message', (m: unknown) => {
      if (!isReadyMessage(m) || answered) return;
      answered = true;
      if (m.type === 'error') return fail(new Error(m.message));
      clearTimeout(timer);
      if (m.type === 'ready') {
        resolve({
          endpoint: m.endpoint,
          region: m.region,
          credentials: { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey },
          adminToken: m.adminToken,
          pid: m.pid,
          owned: true,
          exited,
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(killTimer);
          },
        });
      } else {
        // Another sandbox already serves this state: use it, do not own it.
        credentialsFromState(opts.stateFile, t).then(
          (c) =>
            resolve({
              endpoint: m.endpoint,
              region: m.region ?? opts.region ?? 'ap-northeast-1',
              credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
              adminToken: c.adminToken,
              pid: m.pid,
              owned: false,
              exited: new Promise(() => undefined),
              stop: async () => undefined,
            }),
          fail,
        );
      }
    });
  });
}
