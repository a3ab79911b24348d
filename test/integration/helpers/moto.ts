/**
 * moto's server (https://github.com/getmoto/moto), an AWS emulator this project does not own, for
 * the tests that prove the real-AWS path: `python3 -m moto.server -H 127.0.0.1 -p 0` on a free
 * port, with IAM authentication on (`INITIAL_NO_AUTH_ACTION_COUNT`): after the first few calls
 * (which create a user with an allow-all policy and its first access key), every request must be
 * signed with a key moto knows — so a test sees which key a call was signed with, and a deleted key
 * is refused as on AWS (`InvalidClientTokenId`).
 *
 * Where no python3 has moto, `startMoto` fails in CI (CI=true) and under `npm test`
 * (ECS_HANDSON_REQUIRE_MOTO=1, set by scripts/test.sh), and skips the suite, loudly, elsewhere.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Moto {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** The first key of the user `handson` (allowed everything). */
  admin: AccessKey;
  /** An IAM query call signed with `key` (default: the admin key); returns the XML. */
  iam(params: Record<string, string>, key?: AccessKey): Promise<string>;
  /** A new access key of the user `handson`. */
  createKey(): Promise<AccessKey>;
  deleteKey(accessKeyId: string): Promise<void>;
  stop(): Promise<void>;
}

/** Calls moto answers without a signature before it starts checking (the setup below). */
const SETUP_CALLS = 3;
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(file, args, { timeout: 20_000 }, (err, stdout) => (err ? reject(new Error(err.message)) : resolve(stdout.trim()))));
}

/** The interpreter that has moto: ECS_HANDSON_MOTO_PYTHON, `python3` on PATH (its real executable, not a shim), /usr/bin/python3. */
async function motoPython(): Promise<string | undefined> {
  const candidates = [process.env.ECS_HANDSON_MOTO_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      return await run(c, ['-c', 'import moto, sys; print(sys.executable)']);
    } catch {
      // next
    }
  }
  return undefined;
}

const xmlValue = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

/**
 * Starts moto for a suite, or skips it (`ctx.skip()`) outside CI when moto is missing; in CI a
 * missing moto fails. Call from `before`. `env`: moto's settings (e.g. MOTO_ECS_SERVICE_RUNNING).
 */
export async function startMoto(ctx: Mocha.Context, env: Record<string, string> = {}): Promise<Moto> {
  const python = await motoPython();
  if (!python) {
    const message = 'moto is not installed for python3 (pip install "moto[server]"): the tests against moto cannot run.';
    if (process.env.CI || process.env.ECS_HANDSON_REQUIRE_MOTO === '1') throw new Error(`${message} CI and npm test must run them.`);
    console.warn(`\n  !!! SKIPPED: ${message}\n`);
    ctx.skip();
    throw new Error(message);
  }
  const child: ChildProcess = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    env: { ...process.env, ...env, INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_CALLS), MOTO_CALL_RESET_API: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto did not start in 30 s: ${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited (${code}): ${output}`));
    });
  });
  // Keep draining its request log (unread).
  child.stdout?.resume();
  child.stderr?.resume();

  const url = new URL(endpoint);
  async function iam(params: Record<string, string>, key?: AccessKey): Promise<string> {
    const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
    const request = new HttpRequest({
      method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
    });
    const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', sha256: Sha256, credentials: key ?? keys.admin ?? { accessKeyId: 'setup', secretAccessKey: 'setup' } });
    const signed = await signer.sign(request);
    const res = await fetch(endpoint, { method: 'POST', headers: signed.headers, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`IAM ${params.Action}: HTTP ${res.status} ${text}`);
    return text;
  }
  const keys: { admin?: AccessKey } = {};
  const createKey = async (): Promise<AccessKey> => {
    const xml = await iam({ Action: 'CreateAccessKey', UserName: 'handson' });
    return { accessKeyId: xmlValue(xml, 'AccessKeyId')!, secretAccessKey: xmlValue(xml, 'SecretAccessKey')! };
  };
  await iam({ Action: 'CreateUser', UserName: 'handson' });
  await iam({ Action: 'PutUserPolicy', UserName: 'handson', PolicyName: 'all', PolicyDocument: ALLOW_ALL });
  const admin = (keys.admin = await createKey());
  return {
    endpoint,
    admin,
    iam,
    createKey,
    deleteKey: async (accessKeyId) => void (await iam({ Action: 'DeleteAccessKey', UserName: 'handson', AccessKeyId: accessKeyId })),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
