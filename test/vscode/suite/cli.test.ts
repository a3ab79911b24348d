/**
 * The AWS CLI behind every click (issue 14), inside real VS Code against the extension's sandbox:
 * a command runs, "Show AWS CLI for Last Action" gives its AWS CLI text (copied to the clipboard),
 * and that text, run by the AWS CLI as a user would paste it, does the same again; "Run in Terminal"
 * runs it in a terminal, and the result is seen through the SDK.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsClients } from '../../../src/aws';
import type { UiContext } from '../../../src/ui/ui-context';
import { eventually } from '../../helpers/wait';

type AwsModule = typeof import('../../../src/aws');

const extensionId = 'ecs-handson.ecs-handson';
const FAMILY = 'cli-behind-click';
const L = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);

/** Runs a script with bash, as pasted into a terminal (the AWS CLI on PATH). */
function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-e', '-c', script], { env: { ...process.env, AWS_PAGER: '' }, timeout: 60_000 }, (err, stdout, stderr) =>
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file the extension loads, found at run time
    aws = require(path.join(ext.extensionPath, 'dist', 'aws.js')) as AwsModule;
  });

  after(async () => {
    for (const t of vscode.window.terminals) if (t.name === L('AWS CLI')) t.dispose();
  });

  it('shows, copies and runs the AWS CLI of the last command: the same task definition again', async () => {
    const registered = await run<{ taskDefinitionArn?: string; error?: string }>('ecsHandson.taskDefinition.register', { family: FAMILY, image: 'uzresk/demo:ver1.0', containerPort: 8080, hostPort: 80 });
    assert.equal(registered.error, undefined, registered.error);
    assert.equal((await revisions()).length, 1);

    const shown = await run<{ title: string; script: string; count: number; error?: string }>('ecsHandson.cli.showLast', { then: 'copy' });
    assert.equal(shown.error, undefined, shown.error);
    assert.equal(await vscode.env.clipboard.readText(), shown.script);
    const flat = shown.script.replace(/ \\\n\s+/g, ' ');
    assert.match(flat, new RegExp(`aws ecs register-task-definition --family ${FAMILY} .*--container-definitions '\\[\\{.*"image":"uzresk/demo:ver1.0".*"containerPort":8080,"hostPort":80`));
    assert.ok(flat.includes(`--profile ecs-handson-sandbox --region ${services.connections.state.status === 'ready' ? services.connections.state.resolved.region : ''} --endpoint-url ${endpoint}`), flat);

    // What a user would paste: the AWS CLI registers the same definition as revision 2.
    if (existsSync('/usr/bin/aws') || process.env.PATH?.split(path.delimiter).some((d) => existsSync(path.join(d, 'aws')))) {
      const pasted = await bash(shown.script);
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

  it('the last action is the last command that sent AWS calls, not a command that sent none', async () => {
    await run('ecsHandson.showLog');
    const shown = await run<{ title: string; script: string }>('ecsHandson.cli.showLast', { then: 'show' });
    assert.equal(shown.title, L('Register task definition'));
    assert.ok(vscode.window.activeTextEditor?.document.getText().includes('aws ecs register-task-definition'), 'the editor shows the commands');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
