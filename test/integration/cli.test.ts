/**
 * The `ecs-handson-sandbox` CLI (the bundle dist/sandbox.js that the extension forks and `npx
 * ecs-handson-sandbox` runs; src/sandbox/main.ts through tsx when there is no bundle or
 * SANDBOX_FROM_SOURCE is set): startup output, the CLI
 * profile, one sandbox per state file, the IPC handshake when forked, and a clean SIGTERM.
 */
import * as assert from 'node:assert/strict';
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { rawRequest } from './server-helpers';

const execFileP = promisify(execFile);
const BUNDLE = path.resolve('dist/sandbox.js');
const fromSource = !fs.existsSync(BUNDLE) || !!process.env.SANDBOX_FROM_SOURCE;
/** The script to run and the Node options it needs. */
const MAIN = fromSource ? path.resolve('src/sandbox/main.ts') : BUNDLE;
const EXEC_ARGV = fromSource ? ['--import', 'tsx'] : [];

describe('ecs-handson-sandbox CLI', function () {
  this.timeout(90_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-cli-'));
    env = { ...process.env, HOME: home };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  });
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });

  const start = (args: string[]) => {
    const child = spawn(process.execPath, [...EXEC_ARGV, MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const output = (re: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const t = setInterval(() => {
          const m = re.exec(out);
          if (m) {
            clearInterval(t);
            resolve(m);
          } else if (child.exitCode !== null) {
            clearInterval(t);
            reject(new Error(`exited ${child.exitCode}: ${out}\n${err}`));
          }
        }, 50);
      });
    return { child, exited, output, get out() { return out; }, get err() { return err; } };
  };

  it('--help, --version and bad flags', async () => {
    const help = await execFileP(process.execPath, [...EXEC_ARGV, MAIN, '--help'], { env });
    assert.match(help.stdout, /--port N .*default 4577/);
    const version = await execFileP(process.execPath, [...EXEC_ARGV, MAIN, '--version'], { env });
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    for (const bad of [['--bogus'], ['--port', 'x'], ['--time-scale', '0'], ['--region'], ['--port=70000']]) {
      await assert.rejects(execFileP(process.execPath, [...EXEC_ARGV, MAIN, ...bad], { env }), (e: any) => {
        assert.equal(e.code, 2, bad.join(' '));
        assert.match(e.stderr, /Usage: ecs-handson-sandbox/);
        return true;
      });
    }
  });

  it('starts, writes the profile, refuses a second instance on the same state, and stops on SIGTERM', async () => {
    const state = path.join(home, 'state', 'state.json');
    const a = start(['--port', '0', '--state', state]);
    const [, endpoint] = await a.output(/ECS Hands-on sandbox listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    await a.output(/aws --profile ecs-handson-sandbox --endpoint-url http:\/\/127\.0\.0\.1:\d+ ecs list-clusters/);
    assert.match(a.out, /region: +ap-northeast-1/);
    assert.ok(a.out.includes(`profile ecs-handson-sandbox in ${path.join(home, '.aws', 'credentials')}`), a.out);
    const creds = fs.readFileSync(path.join(home, '.aws', 'credentials'), 'utf8');
    const akid = /aws_access_key_id = (AKIA[A-Z0-9]{16})/.exec(creds)?.[1];
    assert.ok(akid, creds);
    const config = fs.readFileSync(path.join(home, '.aws', 'config'), 'utf8');
    assert.ok(config.includes(`[profile ecs-handson-sandbox]\nregion = ap-northeast-1\noutput = json\nendpoint_url = ${endpoint}\n`), config);

    // The admin API with the token --print-admin-token prints (a CLI user's way).
    assert.equal((await rawRequest(endpoint, { method: 'GET', path: '/_sandbox/status' })).status, 401, 'no token, no admin API');
    const printed = await execFileP(process.execPath, [...EXEC_ARGV, MAIN, '--print-admin-token', '--state', state], { env });
    const token = printed.stdout.trim();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!a.out.includes(token), 'the banner does not print the token');
    assert.match(a.out, /--print-admin-token --state /);
    const status = JSON.parse((await rawRequest(endpoint, { method: 'GET', path: '/_sandbox/status', headers: { authorization: `Bearer ${token}` } })).body);
    assert.equal(status.pid, a.child.pid);
    assert.ok(!a.out.includes(JSON.parse(fs.readFileSync(state, 'utf8')).credentials.secretAccessKey), 'the secret is not printed when the profile was written');
    assert.equal(status.accessKeyId, akid);

    // The AWS CLI with the written profile.
    const { stdout } = await execFileP('/usr/bin/aws', ['--profile', 'ecs-handson-sandbox', '--endpoint-url', endpoint, 'ecs', 'create-cluster', '--cluster-name', 'cli'], { env });
    assert.equal(JSON.parse(stdout).cluster.clusterName, 'cli');

    // A second instance on the same state file says where the first one is and exits 0.
    const b = start(['--port', '0', '--state', state]);
    assert.equal(await b.exited, 0);
    assert.ok(b.out.includes(`already running for ${state} (pid ${a.child.pid}) at ${endpoint}`), b.out);

    // Forked with IPC: the same answer as a message.
    const forked = fork(MAIN, ['--port', '0', '--state', state], { execArgv: EXEC_ARGV, env, stdio: 'ignore' });
    children.push(forked);
    const msg = await new Promise<any>((r) => forked.once('message', r));
    assert.deepEqual(msg, { type: 'already-running', endpoint, pid: a.child.pid, region: 'ap-northeast-1' });

    a.child.kill('SIGTERM');
    assert.equal(await a.exited, 0);
    const saved = JSON.parse(fs.readFileSync(state, 'utf8'));
    assert.equal(saved.credentials.accessKeyId, akid);
    assert.ok(saved.regions['ap-northeast-1'].ecs.clusters.cli, 'state saved on SIGTERM');
    assert.ok(!fs.existsSync(`${state}.lock`), 'lock released');
  });

  it('forked with IPC: sends ready with the credentials, takes over a stale lock, stops on {type:"shutdown"}', async () => {
    const state = path.join(home, 'ipc', 'state.json');
    fs.mkdirSync(path.dirname(state), { recursive: true });
    fs.writeFileSync(`${state}.lock`, JSON.stringify({ pid: 2 ** 22 + 4321, endpoint: 'http://127.0.0.1:1' }));
    const child = fork(MAIN, ['--port', '0', '--state', state, '--no-profile', '--region', 'us-east-2', '--time-scale', '50'], {
      execArgv: EXEC_ARGV,
      env: { ...env, HOME: path.join(home, 'other-home') },
      stdio: 'ignore',
    });
    children.push(child);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const ready = await new Promise<any>((r) => child.once('message', r));
    assert.equal(ready.type, 'ready');
    assert.match(ready.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.endpoint, `http://127.0.0.1:${ready.port}`);
    assert.equal(ready.region, 'us-east-2');
    assert.equal(ready.pid, child.pid);
    assert.match(ready.accessKeyId, /^AKIA/);
    assert.equal(ready.secretAccessKey.length, 40);
    assert.ok(!fs.existsSync(path.join(home, 'other-home', '.aws')), '--no-profile writes nothing');
    assert.match(ready.adminToken, /^[A-Za-z0-9_-]{43}$/, 'the admin token comes over IPC');
    const status = await new SandboxAdmin(ready.endpoint, ready.adminToken).status();
    assert.equal(status.timeScale, 50);
    assert.equal(JSON.parse(fs.readFileSync(`${state}.lock`, 'utf8')).pid, child.pid);
    child.send({ type: 'shutdown' });
    assert.equal(await exited, 0);
    assert.ok(fs.existsSync(state));
  });

  it('reports a port in use as an error message and exit code 1', async () => {
    const first = start(['--port', '0', '--state', path.join(home, 'p1', 'state.json'), '--no-profile']);
    const [, port] = await first.output(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const child = fork(MAIN, ['--port', port, '--state', path.join(home, 'p2', 'state.json'), '--no-profile'], { execArgv: EXEC_ARGV, env, stdio: 'pipe' });
    children.push(child);
    const msg = await new Promise<any>((r) => child.once('message', r));
    assert.equal(msg.type, 'error');
    assert.match(msg.message, new RegExp(`port ${port} is already in use`));
    assert.equal(await new Promise((r) => child.once('exit', r)), 1);
    assert.ok(!fs.existsSync(path.join(home, 'p2', 'state.json.lock')));
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);
  });

  it('prints the secret key only when asked (--no-profile on a terminal), never when the profile could not be written, never to the extension', async () => {
    // A profile that cannot be written: its credentials file's directory is a plain file.
    const blocked = path.join(home, 'blocked');
    fs.writeFileSync(blocked, 'not a directory');
    const badEnv = { ...env, AWS_SHARED_CREDENTIALS_FILE: path.join(blocked, 'credentials'), AWS_CONFIG_FILE: path.join(blocked, 'config') };
    const secretOf = (state: string) => JSON.parse(fs.readFileSync(state, 'utf8')).credentials.secretAccessKey as string;
    const run = async (name: string, args: string[], runEnv: NodeJS.ProcessEnv, ipc: boolean) => {
      const state = path.join(home, name, 'state.json');
      const child = ipc
        ? fork(MAIN, ['--port', '0', '--state', state, ...args], { execArgv: EXEC_ARGV, env: runEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
        : spawn(process.execPath, [...EXEC_ARGV, MAIN, '--port', '0', '--state', state, ...args], { env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const exited = new Promise((r) => child.once('exit', r));
      for (let i = 0; i < 400 && !/\nTry:|admin API: .*\n/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      await exited;
      return { out, secret: secretOf(state) };
    };
    const asked = await run('asked', ['--no-profile'], env, false);
    assert.ok(asked.out.includes(`AWS_SECRET_ACCESS_KEY=${asked.secret}`), `--no-profile prints the keys:\n${asked.out}`);

    const failed = await run('failed', [], badEnv, false);
    assert.match(failed.out, /could not write the AWS CLI profile/);
    assert.ok(!failed.out.includes(failed.secret), `a profile that could not be written does not print the secret:\n${failed.out}`);
    assert.match(failed.out, /start with --no-profile to have the keys printed/);

    for (const [name, args, runEnv] of [['ext-failed', [], badEnv], ['ext-asked', ['--no-profile'], env]] as const) {
      const forked = await run(name, [...args], runEnv, true);
      assert.match(forked.out, /listening on/);
      assert.ok(!forked.out.includes(forked.secret), `forked by the extension (${name}), stdout is its log: no secret:\n${forked.out}`);
    }
  });
});
