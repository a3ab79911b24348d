/**
 * launchSandbox against stand-in sandbox scripts: the answers a real dist/sandbox.js gives on its
 * IPC channel, and the exits that follow them.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchSandbox } from '../../../src/ui/connection/launcher';

describe('launchSandbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-'));
  });
  let writer: ChildProcess | undefined;
  afterEach(() => {
    writer?.kill('SIGKILL');
    writer = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const script = (body: string) => {
    const file = path.join(dir, 'sandbox.js');
    fs.writeFileSync(file, body);
    return file;
  };

  it('uses a sandbox that is already running even when the helper process exits at once', async () => {
    // The helper answers "already running" and exits 0 straight away (as dist/sandbox.js does);
    // the launcher reads the credentials from the state file after that. The state file here is
    // a named pipe written 0.5 s later, so the exit surely comes first: it used to fail the
    // launch with "the sandbox exited before it was ready (exit code 0)".
    const stateFile = path.join(dir, 'state.json');
    execFileSync('mkfifo', [stateFile]);
    const s = script(`process.send({ type: 'already-running', endpoint: 'http://127.0.0.1:4599', pid: 4242, region: 'us-west-2' }, undefined, {}, () => process.exit(0));`);
    // The writer is a shell whose open() of the pipe waits for the launcher to open it for
    // reading, so the content is never written into a pipe nobody reads (however late the
    // launcher gets there on a loaded machine); it is killed when the test ends.
    const creds = JSON.stringify({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', adminToken: 'admin-token' } });
    writer = spawn('sh', ['-c', 'sleep 0.5; printf %s "$1" > "$2"', 'writer', creds, stateFile], { stdio: 'ignore' });
    const sb = await launchSandbox({ script: s, stateFile, startTimeoutMs: 10_000 });
    assert.equal(sb.owned, false);
    assert.equal(sb.endpoint, 'http://127.0.0.1:4599');
    assert.equal(sb.pid, 4242);
    assert.equal(sb.region, 'us-west-2');
    assert.deepEqual(sb.credentials, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    assert.equal(sb.adminToken, 'admin-token', 'the admin token of a sandbox started elsewhere comes from its state file');
  });

  it('fails with the exit code when the process exits without answering', async () => {
    const s = script('process.exit(3);');
    await assert.rejects(launchSandbox({ script: s, stateFile: path.join(dir, 'state.json'), startTimeoutMs: 10_000 }), /the sandbox exited before it was ready \(exit code 3\)/);
  });

  it('fails with the message the sandbox sends', async () => {
    const s = script(`process.send({ type: 'error', message: 'port 1 is already in use' }, undefined, {}, () => process.exit(1));`);
    await assert.rejects(launchSandbox({ script: s, stateFile: path.join(dir, 'state.json'), startTimeoutMs: 10_000 }), /port 1 is already in use/);
  });

  it('says so when an already-running sandbox left no credentials in its state file', async () => {
    const stateFile = path.join(dir, 'state.json');
    fs.writeFileSync(stateFile, '{}');
    const s = script(`process.send({ type: 'already-running', endpoint: 'http://127.0.0.1:4599', pid: 4242 }, undefined, {}, () => process.exit(0));`);
    await assert.rejects(launchSandbox({ script: s, stateFile, startTimeoutMs: 10_000 }), /has no credentials/);
  });
});
