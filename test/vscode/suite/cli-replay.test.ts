/**
 * The AWS CLI behind every click, the proof (issue 14): the walkthrough's sections are run from
 * its panel against the extension's sandbox; the AWS CLI text the panel then shows under "AWS CLI"
 * for each section is run — by bash and Debian's AWS CLI, as pasted into a terminal — against a
 * second, fresh sandbox (its own state, keys in its own `ecs-handson-sandbox` profile, the endpoint
 * swapped as for a restarted sandbox); and the walkthrough's own live check of each section must
 * pass on that sandbox, section by section.
 */
import * as assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsClients } from '../../../src/aws';
import type { HostMessage } from '../../../src/core/walkthrough/messages';
import type { StepId } from '../../../src/core/walkthrough/step-ids';
import { STEPS, defaultInputs, observe, type CheckResult, type StepRecord } from '../../../src/core/walkthrough/steps';
import { isFailure } from '../../../src/core/commands/failure';
import type { UiContext } from '../../../src/ui/ui-context';
import type { WalkthroughPanel } from '../../../src/ui/walkthrough/panel';
import { eventually } from '../../helpers/wait';
import { extensionAws, requireAwsCli, type AwsModule } from './extension-aws';
import { SandboxAdmin, adminTokenFromStateFile } from '../../../src/aws/sandbox-admin';


/** The sections replayed, in the hands-on's order, each with the actions the walkthrough runs (in order). */
const SECTIONS: Array<{ step: StepId; actions: string[] }> = [
  { step: 'create-cluster', actions: ['create'] },
  { step: 'task-definition', actions: ['register'] },
  { step: 'load-balancer', actions: ['create'] },
  { step: 'create-service', actions: ['create'] },
  { step: 'kill-container', actions: ['stopTask'] },
  // Not yet: release (its own check did not pass on the extension's sandbox within 240 s at time
  // scale 60 after registerRevision → update → stopTask, before any CLI ran), the blue/green steps and
  // the autoscaling run (a load test: HTTP, no AWS call).
  { step: 'autoscaling-service', actions: ['configure'] },
  { step: 'autoscaling-cluster', actions: ['configure'] },
  { step: 'cleanup', actions: ['cleanup'] },
];
/**
 * ECS_HANDSON_CLI_REPLAY_STEPS (comma-separated step ids) replays only those sections (their
 * prerequisites are the caller's concern); unset: all of the above.
 */
const ONLY = (process.env.ECS_HANDSON_CLI_REPLAY_STEPS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
const REPLAYED = ONLY.length ? SECTIONS.filter((x) => ONLY.includes(x.step)) : SECTIONS;
/** Both sandboxes' time scale: health checks and draining take seconds, not minutes. */
const TIME_SCALE = 60;

interface Fresh {
  endpoint: string;
  admin: SandboxAdmin;
  env: NodeJS.ProcessEnv;
  credentials: { accessKeyId: string; secretAccessKey: string };
  proc: ChildProcess;
  home: string;
}

/** A second sandbox as a user starts one (`ecs-handson-sandbox` CLI), its profile in its own HOME. */
async function startFresh(extensionPath: string, region: string, timeScale: number): Promise<Fresh> {
  const home = mkdtempSync(path.join(tmpdir(), 'ecs-handson-replay-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_PAGER: '',
  };
  const proc = spawn(process.execPath, [path.join(extensionPath, 'dist', 'sandbox.js'), '--port', '0', '--state', path.join(home, 'state.json'), '--time-scale', String(timeScale), '--region', region], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const endpoint = await eventually(`the fresh sandbox listens: ${out}`, async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 30_000, 100);
  const ini = readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
  const section = ini.slice(ini.indexOf('[ecs-handson-sandbox]'));
  const key = (name: string) => new RegExp(`${name}\\s*=\\s*(\\S+)`).exec(section)![1];
  const admin = new SandboxAdmin(endpoint, await adminTokenFromStateFile(path.join(home, 'state.json')));
  return { endpoint, admin, env, credentials: { accessKeyId: key('aws_access_key_id'), secretAccessKey: key('aws_secret_access_key') }, proc, home };
}

function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-e', '-o', 'pipefail', '-c', script], { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('walkthrough AWS CLI replay (sandbox → fresh sandbox)', function () {
  this.timeout(600_000);
  let services: UiContext;
  let aws: AwsModule;
  let host: WalkthroughPanel;
  let fresh: Fresh | undefined;
  let freshClients: AwsClients;
  let endpoint: string;
  let nextId = 8000;
  let previousScale: number | undefined;

  /** "Now" on the fresh sandbox's clock (it runs TIME_SCALE times faster than the wall). */
  const freshNow = async () => (await fresh!.admin.status()).now;
  const request = async (method: string, params: unknown): Promise<any> => {
    const id = nextId++;
    await host.handleMessage({ kind: 'request', id, method, params });
    const reply = host.posted.find((m): m is Extract<HostMessage, { kind: 'reply' }> => m.kind === 'reply' && m.id === id);
    assert.ok(reply?.ok, `${method}: ${JSON.stringify(reply)}`);
    return (reply as { result: unknown }).result;
  };

  before(async () => {
    requireAwsCli();
    const ext = vscode.extensions.getExtension('ecs-handson.ecs-handson')!;
    services = (await ext.activate()) as UiContext;
    await services.connections.clients();
    endpoint = services.connections.sandboxEndpoint!;
    assert.ok(endpoint, 'the extension should be connected to its sandbox');
    await services.connections.sandboxAdmin()!.reset();
    await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
    aws = extensionAws(ext);
    const st = services.connections.state;
    assert.ok(st.status === 'ready');
    previousScale = (await services.connections.sandboxAdmin()!.status()).timeScale;
    await services.connections.sandboxAdmin()!.setTimeScale(TIME_SCALE);
    fresh = await startFresh(ext.extensionPath, st.resolved.region, TIME_SCALE);
    freshClients = aws.createClients({ kind: 'sandbox', endpoint: fresh.endpoint, region: st.resolved.region, credentials: fresh.credentials });
    await vscode.commands.executeCommand('ecsHandson.walkthrough.open', REPLAYED[0].step);
    host = (await vscode.commands.executeCommand<WalkthroughPanel>('_ecsHandson.walkthrough.panel'))!;
  });

  after(async () => {
    freshClients?.destroy();
    if (fresh) {
      const exited = new Promise((r) => fresh!.proc.once('exit', r));
      fresh.proc.kill('SIGTERM');
      await exited;
      rmSync(fresh.home, { recursive: true, force: true });
    }
    await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
    await services?.connections.sandboxAdmin()?.reset();
    if (previousScale) await services?.connections.sandboxAdmin()?.setTimeScale(previousScale);
    await services?.connections.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const { step, actions } of REPLAYED) {
    it(`${step}: the commands the walkthrough shows do the section again on a fresh sandbox, and its live check passes there`, async () => {
      const spec = STEPS[step];
      const inputs = defaultInputs(step);
      await request('selectStep', { step });
      const scripts: Array<{ action: string; script: string }> = [];
      for (const action of actions) {
        const ran = await request('runAction', { step, action, inputs: {} });
        assert.equal(ran.ok, true, `the walkthrough's action ${action}: ${JSON.stringify(ran)}`);
        const shown = host.viewState().current.cli.find((c) => c.action === action);
        assert.ok(shown, `the panel shows the AWS CLI of ${step}/${action}`);
        assert.ok(shown.script.includes(`--endpoint-url ${endpoint}`), shown.script);
        scripts.push({ action, script: shown.script.split(`--endpoint-url ${endpoint}`).join(`--endpoint-url ${fresh!.endpoint}`) });
      }
      // The walkthrough's own check passes on the extension's sandbox first (the next section needs it).
      await eventually(`${step} passes on the extension's sandbox`, async () => ((await request('check', { step })) as CheckResult | null)?.status === 'pass', 240_000, 500);

      // On the fresh sandbox: what the walkthrough records when an action runs (its baseline), the
      // AWS CLI text instead of the action, then the walkthrough's check (with its observations).
      let record: StepRecord = {};
      for (const { action, script } of scripts) {
        const act = spec.actions.find((a) => a.id === action)!;
        if (act.record) {
          const snap = await aws.collectSnapshot({ clients: freshClients, parts: [...(act.parts ?? []), 'services', 'tasks'], inputs, now: await freshNow() });
          const args = act.args!(inputs, snap, vscode.l10n.t);
          assert.ok(!isFailure(args), JSON.stringify(args));
          record = { ...act.record(inputs, snap, args), action };
        }
        const r = await bash(script, fresh!.env);
        assert.equal(r.code, 0, `the AWS CLI failed:\n${r.stderr}\n--- script:\n${script}`);
      }
      let last: CheckResult | undefined;
      await eventually(
        `${step} passes on the fresh sandbox`,
        async () => {
          const snap = await aws.collectSnapshot({ clients: freshClients, parts: spec.parts, inputs, now: await freshNow() });
          record = observe(step, record, snap, inputs);
          last = spec.check(snap, { inputs, record, t: vscode.l10n.t });
          return last.status === 'pass';
        },
        240_000,
        500,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\nlast check: ${JSON.stringify(last)}\n--- scripts:\n${scripts.map((x) => x.script).join('\n')}`);
      });
    });
  }
});
