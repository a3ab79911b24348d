/**
 * The AWS CLI behind every click (issue 14), inside real VS Code against the extension's sandbox:
 * a command runs, "Show AWS CLI for Last Action" gives its AWS CLI text (copied to the clipboard),
 * and that text, run by the AWS CLI as a user would paste it, does the same again; "Run in Terminal"
 * runs it in a terminal, and the result is seen through the SDK.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsClients } from '../../../src/aws';
import type { HostMessage } from '../../../src/core/walkthrough/messages';
import type { UiContext } from '../../../src/ui/ui-context';
import { WalkthroughPanel } from '../../../src/ui/walkthrough/panel';
import { eventually } from '../../helpers/wait';
import { extensionAws, requireAwsCli, type AwsModule } from './extension-aws';


const extensionId = 'ecs-handson.ecs-handson';
const FAMILY = 'cli-behind-click';
const L = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);

/**
 * Runs a script with bash, as pasted into a terminal (the AWS CLI on PATH), with the profile
 * ecs-handson-sandbox holding these keys (a file of the test's own: other sandboxes on this machine
 * may have rewritten the one in ~/.aws).
 */
function bash(script: string, keys: { accessKeyId: string; secretAccessKey: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecs-handson-cli-'));
  const credentials = path.join(dir, 'credentials');
  writeFileSync(credentials, `[ecs-handson-sandbox]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
  return new Promise((resolve) => {
    execFile('bash', ['-e', '-c', script], { env: { ...process.env, AWS_PAGER: '', AWS_SHARED_CREDENTIALS_FILE: credentials }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('AWS CLI behind every click (sandbox)', function () {
  this.timeout(120_000);
  let services: UiContext;
  let clients: AwsClients;
  let aws: AwsModule;
  let endpoint: string;

  const run = async <T>(id: string, args?: unknown): Promise<T> => await vscode.commands.executeCommand(id, args);
  const revisions = async () => (await clients.ecs.send(new aws.ListTaskDefinitionsCommand({ familyPrefix: FAMILY }))).taskDefinitionArns ?? [];

  before(async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    services = (await ext.activate()) as UiContext;
    clients = await services.connections.clients();
    endpoint = services.connections.sandboxEndpoint!;
    assert.ok(endpoint, 'the extension should be connected to its sandbox');
    aws = extensionAws(ext);
  });

  after(async () => {
    for (const t of vscode.window.terminals) if (t.name === L('AWS CLI')) t.dispose();
  });

  it('shows, copies and runs the AWS CLI of the last command: the same task definition again', async () => {
    // Without log collection: pasting the text again must register again; with it, the text's
    // `aws logs create-log-group` would (rightly) fail on the group the first run created.
    const registered = await run<{ taskDefinitionArn?: string; error?: string }>('ecsHandson.taskDefinition.register', { family: FAMILY, image: 'uzresk/demo:ver1.0', containerPort: 8080, hostPort: 80, logs: false });
    assert.equal(registered.error, undefined, registered.error);
    assert.equal((await revisions()).length, 1);

    const shown = await run<{ title: string; script: string; count: number; error?: string }>('ecsHandson.cli.showLast', { then: 'copy' });
    assert.equal(shown.error, undefined, shown.error);
    assert.equal(await vscode.env.clipboard.readText(), shown.script);
    const flat = shown.script.replace(/ \\\n\s+/g, ' ');
    assert.match(flat, new RegExp(`aws ecs register-task-definition --family ${FAMILY} .*--container-definitions '\\[\\{.*"image":"uzresk/demo:ver1.0".*"containerPort":8080,"hostPort":80`));
    assert.ok(flat.includes(`--profile ecs-handson-sandbox --region ${services.connections.state.status === 'ready' ? services.connections.state.resolved.region : ''} --endpoint-url ${endpoint}`), flat);

    // What a user would paste: the AWS CLI registers the same definition as revision 2.
    {
      requireAwsCli();
      const st = services.connections.state;
      assert.ok(st.status === 'ready' && st.connection.kind === 'sandbox');
      const pasted = await bash(shown.script, st.connection.credentials);
      assert.equal(pasted.code, 0, `${pasted.stderr}\n${shown.script}`);
      const arns = await revisions();
      assert.equal(arns.length, 2);
      const [first, second] = await Promise.all(arns.map(async (a) => (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: a }))).taskDefinition!));
      assert.deepEqual(second.containerDefinitions?.map((c) => [c.name, c.image, c.portMappings]), first.containerDefinitions?.map((c) => [c.name, c.image, c.portMappings]));
    }

    // Run in Terminal: the terminal "AWS CLI" runs the commands; one more revision appears.
    const before = (await revisions()).length;
    const inTerminal = await run<{ count: number; error?: string }>('ecsHandson.cli.showLast', { then: 'terminal' });
    assert.equal(inTerminal.error, undefined, inTerminal.error);
    assert.ok(vscode.window.terminals.some((t) => t.name === L('AWS CLI')), 'a terminal "AWS CLI" is open');
    await eventually('the terminal registered one more revision', async () => (await revisions()).length === before + 1, 60_000, 500);
  });

  it('the walkthrough shows the AWS CLI its action sent under "AWS CLI", and copies it', async () => {
    await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
    await vscode.commands.executeCommand('ecsHandson.walkthrough.open', 'task-definition');
    const host = (await vscode.commands.executeCommand<WalkthroughPanel>('_ecsHandson.walkthrough.panel'));
    const reply = (id: number) => host.posted.find((m): m is Extract<HostMessage, { kind: 'reply' }> => m.kind === 'reply' && m.id === id);
    try {
      assert.deepEqual(host.viewState().current.cli, [], 'nothing before the action ran');
      const family = `${FAMILY}-wt`;
      await host.handleMessage({ kind: 'request', id: 7001, method: 'runAction', params: { step: 'task-definition', action: 'register', inputs: { family } } });
      assert.equal((reply(7001) as { result: { ok: boolean } }).result.ok, true, JSON.stringify(reply(7001)));
      const cli = host.viewState().current.cli;
      assert.equal(cli.length, 1);
      assert.equal(cli[0].action, 'register');
      assert.match(cli[0].script.replace(/ \\\n\s+/g, ' '), new RegExp(`aws ecs register-task-definition --family ${family} .*--endpoint-url ${endpoint}`));
      await host.handleMessage({ kind: 'request', id: 7002, method: 'cli', params: { step: 'task-definition', action: 'register', then: 'copy' } });
      assert.deepEqual((reply(7002) as { result: unknown }).result, { ok: true, message: L('Copied.') });
      assert.equal(await vscode.env.clipboard.readText(), cli[0].script);
      // Kept with the progress: a new panel host shows it too.
      const fresh = new WalkthroughPanel(services);
      try {
        assert.deepEqual(fresh.viewState().current.cli, cli);
      } finally {
        fresh.dispose();
      }
    } finally {
      await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('the last action is the last command that sent AWS calls, not a command that sent none', async () => {
    await run('ecsHandson.showLog');
    const shown = await run<{ title: string; script: string }>('ecsHandson.cli.showLast', { then: 'show' });
    assert.equal(shown.title, L('Register task definition'));
    assert.match(shown.script, new RegExp(`--family ${FAMILY}-wt `), 'the walkthrough\'s action was the last one');
    assert.ok(vscode.window.activeTextEditor?.document.getText().includes('aws ecs register-task-definition'), 'the editor shows the commands');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
