/**
 * Show Logs in the extension host, over moto's server (an AWS emulator this project does not own:
 * real ECS and CloudWatch Logs shapes) on an AWS profile whose config has `endpoint_url`: on a task
 * row of the explorer, the logs editor opens with the lines the task's awslogs container wrote, and
 * follows the lines put afterwards; Filter… shows only matching lines; Stop Following stops; a
 * container with another log driver, and a missing log group, are refused with what to do; on real
 * AWS "Open in AWS Console" gives the stream's CloudWatch console page.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, ECSClient, RegisterContainerInstanceCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { UiContext } from '../../../src/ui/ui-context';
import type { ExplorerApi } from '../../../src/ui/explorer';
import { eventually } from '../../helpers/wait';
import { backToSandbox } from './sandbox-again';
import { tempAwsEnv, type AwsEnv } from '../../helpers/aws-env';
import { startMoto, type Moto } from '../../integration/helpers/moto';

const t = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);
const config = () => vscode.workspace.getConfiguration('ecsHandson');
const G = vscode.ConfigurationTarget.Global;
const REGION = 'eu-west-1';
const CLUSTER = 'moto-logs';
const GROUP = '/ecs/moto-logs';
type Failure = { error: string; code: string };
const isFailure = (r: unknown): r is Failure => !!r && typeof r === 'object' && 'error' in r && 'code' in r;
interface State { uri: string; following: boolean; streams: string[]; groups: string[]; filterPattern?: string }

describe('task logs over moto', function () {
  this.timeout(120_000);
  let services: UiContext;
  let moto: Moto;
  let env: AwsEnv;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;
  let taskArn: string;
  let quietTask: string;
  let stream: string;
  const run = async <T>(id: string, args?: unknown): Promise<T> => await vscode.commands.executeCommand(id, args);
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const original = { error: win.showErrorMessage };
  const shown: string[] = [];
  const put = (s: string, ...messages: string[]) => logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: s, logEvents: messages.map((message, i) => ({ timestamp: Date.now() - 1000 + i, message })) }));
  const docText = (uri: string) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText() ?? '';

  before(async function () {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    moto = await startMoto(this);
    env = tempAwsEnv();
    env.writeConfig(['[profile handson-moto]', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '']);
    env.writeCredentials(['[handson-moto]', `aws_access_key_id = ${moto.admin.accessKeyId}`, `aws_secret_access_key = ${moto.admin.secretAccessKey}`, '']);
    ecs = new ECSClient({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    logs = new CloudWatchLogsClient({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const ec2 = new EC2Client({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0].ImageId!;
    const instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.small', MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;
    ec2.destroy();
    await ecs.send(new RegisterContainerInstanceCommand({ cluster: CLUSTER, instanceIdentityDocument: JSON.stringify({ instanceId }) }));
    const awslogs = { logDriver: 'awslogs' as const, options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': 'ecs', 'awslogs-region': REGION } };
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'logs-app', networkMode: 'bridge', containerDefinitions: [{ name: 'app', image: 'uzresk/demo:ver1.0', memory: 128, essential: true, logConfiguration: awslogs }] }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'quiet-app', networkMode: 'bridge', containerDefinitions: [{ name: 'quiet', image: 'uzresk/demo:ver1.0', memory: 128, essential: true, logConfiguration: { logDriver: 'json-file' } }] }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'lost-app', networkMode: 'bridge', containerDefinitions: [{ name: 'lost', image: 'uzresk/demo:ver1.0', memory: 128, essential: true, logConfiguration: { ...awslogs, options: { ...awslogs.options, 'awslogs-group': '/ecs/never-created' } } }] }));
    taskArn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'logs-app:1', count: 1, launchType: 'EC2' }))).tasks![0].taskArn!;
    quietTask = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'quiet-app:1', count: 1, launchType: 'EC2' }))).tasks![0].taskArn!;
    stream = `ecs/app/${taskArn.split('/').pop()}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
    await put(stream, 'demo app ver1.0 listening on :8080', 'GET /app/ 200 3ms', 'GET /health 200 1ms');
    win.showErrorMessage = async (message: unknown) => void shown.push(String(message));
    await config().update('aws.profile', 'handson-moto', G);
    await config().update('aws.region', '', G);
    await config().update('connection', 'profile', G);
    await eventually('connected to moto', async () => {
      await services.connections.clients();
      const st = services.connections.state;
      return st.status === 'ready' && st.resolved.profile === 'handson-moto';
    }, 30_000, 300);
    await new Promise((r) => setTimeout(r, 500));
  });

  after(async () => {
    win.showErrorMessage = original.error;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    ecs?.destroy();
    logs?.destroy();
    env?.restore();
    await moto?.stop();
    await backToSandbox(services, ['connection', 'aws.profile', 'aws.region', 'endpoint.treatAsRealAws']);
  });

  it('Show Logs on a task row opens its lines and follows new ones; Filter… and Stop/Resume Following act on that editor; hidden, it pauses', async () => {
    const explorer = await vscode.commands.executeCommand<ExplorerApi>('_ecsHandson.explorer');
    const row = await eventually('the task row', () => explorer.find(taskArn), 30_000, 500);
    const state = await run<State | Failure>('ecsHandson.logs.show', row);
    assert.ok(!isFailure(state), JSON.stringify(state));
    assert.deepEqual(state.streams, [stream]);
    assert.equal(state.following, true);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), state.uri, 'the logs editor is the active one');
    await eventually('the lines already written', async () => /listening on :8080[\s\S]*GET \/app\/ 200[\s\S]*GET \/health 200/.test(docText(state.uri)), 20_000, 200);
    assert.match(docText(state.uri), new RegExp(`^# ${t('Logs of {0}', t('task {0} (cluster {1})', taskArn.split('/').pop()!.slice(0, 8), CLUSTER)).replace(/[()]/g, '\\$&')}`));
    // Lines put later appear while the editor is visible (polling, 1 s after lines arrived).
    await put(stream, 'GET /app/loginForm 200 2ms', 'SIGTERM received: shutting down');
    await eventually('the new lines', async () => docText(state.uri).includes('SIGTERM received: shutting down'), 20_000, 200);
    assert.equal(vscode.window.activeTextEditor?.document.isDirty, false);

    const filtered = await run<State | Failure>('ecsHandson.logs.filter', { uri: state.uri, pattern: '"GET /app"' });
    assert.ok(!isFailure(filtered), JSON.stringify(filtered));
    assert.equal(filtered.filterPattern, '"GET /app"');
    await eventually('only the matching lines', async () => {
      const text = docText(state.uri);
      return text.includes('GET /app/loginForm 200 2ms') && !text.includes('GET /health') && !text.includes('SIGTERM');
    }, 20_000, 200);

    const stopped = await run<State | Failure>('ecsHandson.logs.stopFollowing', { uri: state.uri });
    assert.ok(!isFailure(stopped) && stopped.following === false, JSON.stringify(stopped));
    await put(stream, 'GET /app/after-stop 200 1ms');
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(!docText(state.uri).includes('after-stop'), 'not following: no new lines');
    const resumed = await run<State | Failure>('ecsHandson.logs.resumeFollowing', { uri: state.uri });
    assert.ok(!isFailure(resumed) && resumed.following === true, JSON.stringify(resumed));
    await eventually('the line put while stopped', async () => docText(state.uri).includes('after-stop'), 20_000, 200);

    // Hidden behind another editor: paused (no polling); shown again: it catches up.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await eventually('paused while hidden', async () => docText(state.uri).split('\n')[0].includes(t('paused while hidden')), 10_000, 200);
    await put(stream, 'GET /app/while-hidden 200 1ms');
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(!docText(state.uri).includes('while-hidden'), 'hidden: not polled');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === state.uri)!;
    await vscode.window.showTextDocument(doc);
    await eventually('caught up once visible', async () => docText(state.uri).includes('while-hidden') && docText(state.uri).split('\n')[0].includes(t('following')), 20_000, 200);
  });

  it('a container with another log driver, and a missing log group, are refused with what to do', async () => {
    const quiet = await run<Failure>('ecsHandson.logs.show', { cluster: CLUSTER, task: quietTask });
    assert.equal(quiet.code, 'NoAwslogs');
    assert.equal(quiet.error, t('Container {0} does not send its logs to CloudWatch Logs: it uses the {1} log driver. Use the awslogs log driver (a new revision) to see its logs here.', 'quiet', 'json-file'));
    const lost = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'lost-app:1', count: 1, launchType: 'EC2' }))).tasks![0].taskArn!;
    const missing = await run<Failure>('ecsHandson.logs.show', { cluster: CLUSTER, task: lost });
    assert.equal(missing.code, 'LogGroupNotFound');
    assert.match(missing.error, /\/ecs\/never-created/);
  });

  it('on real AWS, Open in AWS Console gives the stream\'s CloudWatch page', async () => {
    const state = await run<State>('ecsHandson.logs.show', { cluster: CLUSTER, task: taskArn });
    const sandboxLike = await run<Failure>('ecsHandson.logs.openConsole', { uri: state.uri, open: false });
    assert.equal(sandboxLike.code, 'NotFound', 'an emulator has no console');
    await config().update('endpoint.treatAsRealAws', 'always', G);
    await eventually('real AWS', async () => {
      await services.connections.clients();
      return services.connections.isRealAws;
    }, 30_000, 300);
    const out = await run<{ url: string; opened: boolean } | Failure>('ecsHandson.logs.openConsole', { uri: state.uri, open: false });
    assert.ok(!isFailure(out), JSON.stringify(out));
    assert.equal(out.url, `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#logsV2:log-groups/log-group/$252Fecs$252Fmoto-logs/log-events/ecs$252Fapp$252F${taskArn.split('/').pop()}`);
  });
});
