/**
 * The operate commands over moto's server (an AWS emulator this project does not own), on an AWS
 * profile whose config has `endpoint_url`, chosen through the settings — run as argument calls, the
 * way the explorer's rows and the walkthrough run them: scale, inspect, register and deploy a
 * revision, stop task (with its
 * confirmation when the connection is treated as real AWS: `endpoint.treatAsRealAws`), Clean Up
 * (on real AWS only what the extension tagged), an operation the endpoint refuses (moto's IAM: a
 * read-only user), the walkthrough's connection and real-AWS notice, and the sandbox-only features
 * (crash a task, task URLs, time scale) saying what they are on this connection.
 *
 * Confirmations are modal warnings: the suite answers them by replacing `showWarningMessage` on the
 * extension's API object (the suite runs inside the extension, so it shares it) and records what
 * was asked; notifications are recorded the same way.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateClusterCommand, CreateServiceCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTaskDefinitionsCommand, ListTasksCommand, RegisterContainerInstanceCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { UiContext } from '../../../src/ui/ui-context';
import type { WalkthroughPanel } from '../../../src/ui/walkthrough/panel';
import type { HostMessage } from '../../../src/core/walkthrough/messages';
import { eventually } from '../../helpers/wait';
import { backToSandbox } from './sandbox-again';
import { tempAwsEnv, type AwsEnv } from '../../helpers/aws-env';
import { startMoto, type AccessKey, type Moto } from '../../integration/helpers/moto';

const t = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);
const config = () => vscode.workspace.getConfiguration('ecsHandson');
const G = vscode.ConfigurationTarget.Global;
const REGION = 'eu-west-1';
const CLUSTER = 'moto-ops';
const SERVICE = 'moto-svc';
const MANAGED = [{ key: 'ecs-handson:managed', value: 'true' }];
type Failure = { error: string; code: string };
const isFailure = (r: unknown): r is Failure => !!r && typeof r === 'object' && 'error' in r && 'code' in r;
const READ_ONLY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*', 'ec2:Describe*', 'elasticloadbalancing:Describe*'], Resource: '*' }] });

describe('operate over moto', function () {
  this.timeout(120_000);
  let services: UiContext;
  let moto: Moto;
  let env: AwsEnv;
  let ecs: ECSClient;
  let readOnly: AccessKey;
  let taskArn: string;
  const run = async <T>(id: string, args?: unknown): Promise<T> => await vscode.commands.executeCommand(id, args);

  // Modal confirmations and notifications, answered and recorded.
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const original = { warn: win.showWarningMessage, info: win.showInformationMessage, error: win.showErrorMessage };
  const asked: string[] = [];
  const shown: string[] = [];
  let answer: 'accept' | 'cancel' = 'cancel';

  const useProfile = async (profile: string) => {
    await config().update('aws.profile', profile, G);
    await config().update('aws.region', '', G);
    await config().update('connection', 'profile', G);
    const connected = () => eventually(`connected with profile ${profile}`, async () => {
      await services.connections.clients();
      const st = services.connections.state;
      return st.status === 'ready' && st.resolved.profile === profile && !services.connections.isRealAws;
    }, 30_000, 300);
    await connected();
    // The settings' change events may still drop that connection (and stop the sandbox): connected once they are done.
    await new Promise((r) => setTimeout(r, 500));
    await connected();
  };
  const realAws = async (on: boolean) => {
    await config().update('endpoint.treatAsRealAws', on ? 'always' : undefined, G);
    await eventually(`real AWS ${on}`, async () => {
      await services.connections.clients();
      return services.connections.isRealAws === on;
    }, 30_000, 300);
  };
  const describeService = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];

  before(async function () {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    moto = await startMoto(this);
    await moto.iam({ Action: 'CreateUser', UserName: 'readonly' });
    await moto.iam({ Action: 'PutUserPolicy', UserName: 'readonly', PolicyName: 'read', PolicyDocument: READ_ONLY });
    const xml = await moto.iam({ Action: 'CreateAccessKey', UserName: 'readonly' });
    readOnly = { accessKeyId: /<AccessKeyId>([^<]*)/.exec(xml)![1], secretAccessKey: /<SecretAccessKey>([^<]*)/.exec(xml)![1] };
    env = tempAwsEnv();
    env.writeConfig([
      '[profile handson-moto]', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '',
      '[profile handson-readonly]', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '',
    ]);
    env.writeCredentials([
      '[handson-moto]', `aws_access_key_id = ${moto.admin.accessKeyId}`, `aws_secret_access_key = ${moto.admin.secretAccessKey}`, '',
      '[handson-readonly]', `aws_access_key_id = ${readOnly.accessKeyId}`, `aws_secret_access_key = ${readOnly.secretAccessKey}`, '',
    ]);
    // A cluster with one container instance, a service and a task (moto gives its tasks no network bindings: no host port).
    ecs = new ECSClient({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const ec2 = new EC2Client({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0].ImageId!;
    const instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.small', MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;
    ec2.destroy();
    await ecs.send(new RegisterContainerInstanceCommand({ cluster: CLUSTER, instanceIdentityDocument: JSON.stringify({ instanceId }) }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'moto-app', networkMode: 'bridge', requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'app', image: 'uzresk/demo:ver1.0', memory: 128, essential: true, portMappings: [{ containerPort: 8080, hostPort: 80 }] }],
    }));
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'moto-app:1', desiredCount: 1 }));
    const ran = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'moto-app:1', count: 1, launchType: 'EC2' }));
    taskArn = ran.tasks![0].taskArn!;

    win.showWarningMessage = async (message: unknown, ...rest: unknown[]) => {
      const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
      if (options && typeof options === 'object' && options.modal) {
        asked.push(String(message));
        const buttons = rest.slice(1) as string[];
        return answer === 'accept' ? buttons[0] : undefined;
      }
      shown.push(String(message));
      return undefined;
    };
    win.showInformationMessage = async (message: unknown) => void shown.push(String(message));
    win.showErrorMessage = async (message: unknown) => void shown.push(String(message));
    await useProfile('handson-moto');
  });

  after(async () => {
    win.showWarningMessage = original.warn;
    win.showInformationMessage = original.info;
    win.showErrorMessage = original.error;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    ecs?.destroy();
    env?.restore();
    await moto?.stop();
    await backToSandbox(services, ['connection', 'aws.profile', 'aws.region', 'endpoint.treatAsRealAws', 'sandbox.timeScale', 'endpoint.url', 'endpoint.accessKeyId', 'endpoint.secretAccessKey']);
  });

  it('scale and inspect act on the profile\'s endpoint', async () => {
    const r = await run<{ desiredCount: number } | Failure>('ecsHandson.service.scale', { cluster: CLUSTER, service: SERVICE, desiredCount: 2 });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.equal(r.desiredCount, 2);
    assert.equal((await describeService()).desiredCount, 2);
    const inspected = await run<{ json: string } | Failure>('ecsHandson.inspect', { kind: 'task', arn: taskArn, cluster: CLUSTER, show: false });
    assert.ok(!isFailure(inspected), JSON.stringify(inspected));
    assert.equal(JSON.parse(inspected.json).taskArn, taskArn);
    assert.match(taskArn, new RegExp(`^arn:aws:ecs:${REGION}:`));
  });

  it('register revision and deploy revision act on the profile\'s endpoint: revision 2 with ver2.0, the service on it', async () => {
    const reg = await run<{ taskDefinitionArn: string; revision: number } | Failure>('ecsHandson.taskDefinition.registerRevision', { family: 'moto-app', image: 'uzresk/demo:ver2.0' });
    assert.ok(!isFailure(reg), JSON.stringify(reg));
    assert.equal(reg.revision, 2);
    assert.match(reg.taskDefinitionArn, new RegExp(`^arn:aws:ecs:${REGION}:\\d{12}:task-definition/moto-app:2$`));
    const dep = await run<{ deploymentId: string } | Failure>('ecsHandson.taskDefinition.deploy', { taskDefinition: 'moto-app:2', cluster: CLUSTER, service: SERVICE });
    assert.ok(!isFailure(dep), JSON.stringify(dep));
    // moto keeps a single deployment record; the service's task definition is what it updates.
    assert.match((await describeService()).taskDefinition ?? '', /moto-app:2$/);
  });

  it('stop task on real AWS asks first: declined, the task runs on; confirmed, it stops', async () => {
    await realAws(true);
    const id = taskArn.split('/').pop()!.slice(0, 8);
    asked.length = 0;
    answer = 'cancel';
    const declined = await run<Failure>('ecsHandson.task.stop', { cluster: CLUSTER, task: taskArn });
    assert.deepEqual(declined, { error: t('Cancelled.'), code: 'Cancelled' });
    assert.deepEqual(asked, [t('Stop task {0}?', id)]);
    const task = async () => (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }))).tasks![0];
    assert.equal((await task()).desiredStatus, 'RUNNING', 'nothing stopped');
    answer = 'accept';
    const stopped = await run<{ desiredStatus: string } | Failure>('ecsHandson.task.stop', { cluster: CLUSTER, task: taskArn });
    assert.ok(!isFailure(stopped), JSON.stringify(stopped));
    assert.equal((await task()).desiredStatus, 'STOPPED');
    assert.equal(asked.length, 2);
  });

  it('Clean Up on real AWS lists only what the extension tagged (not the account\'s own demo-cluster) and deletes it after the confirmation', async () => {
    await realAws(true);
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster' }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'handson-tagged', tags: MANAGED }));
    const listed = await run<{ found: Array<{ kind: string; label: string }> } | Failure>('ecsHandson.cleanup', { dryRun: true });
    assert.ok(!isFailure(listed), JSON.stringify(listed));
    assert.deepEqual(listed.found.map((i) => `${i.kind} ${i.label}`), ['cluster handson-tagged']);
    asked.length = 0;
    answer = 'accept';
    const done = await run<{ deleted: Array<{ label: string }> } | Failure>('ecsHandson.cleanup', {});
    assert.ok(!isFailure(done), JSON.stringify(done));
    assert.deepEqual(asked, [t('Delete {0} resources?', 1)]);
    assert.deepEqual(done.deleted.map((d) => d.label), ['handson-tagged']);
    const clusters = (await ecs.send(new DescribeClustersCommand({ clusters: ['demo-cluster', 'handson-tagged'] }))).clusters ?? [];
    assert.equal(clusters.find((c) => c.clusterName === 'demo-cluster')?.status, 'ACTIVE', 'the account\'s own cluster is kept');
    assert.notEqual(clusters.find((c) => c.clusterName === 'handson-tagged')?.status, 'ACTIVE');
  });

  it('the walkthrough names the profile and region, keeps progress under them, and on real AWS says what it creates, costs and how Clean Up removes it', async () => {
    await vscode.commands.executeCommand('ecsHandson.walkthrough.open', 'prepare-image');
    const host = (await vscode.commands.executeCommand<WalkthroughPanel>('_ecsHandson.walkthrough.panel'));
    await host.handleMessage({ kind: 'ready' });
    const state = host.viewState();
    assert.equal(state.connection, t('AWS profile {0} ({1})', 'handson-moto', REGION));
    const notice = state.current.notice ?? '';
    assert.ok(notice.startsWith(t('On real AWS (region {0}) this hands-on creates billable resources: an ECS cluster with {1} × EC2 {2}, an Application Load Balancer with its target group and security group, scaling policies and CloudWatch alarms.', REGION, 2, 't3.small')), notice);
    // 2 × t3.small in Ireland ($0.0228/h, a 30 GiB volume, a public IPv4 each) and the ALB ($0.0252/h, +1 LCU, two IPv4): about $0.11 per hour; 4 instances: $0.17.
    assert.ok(notice.includes(t('Roughly {0} per hour with {1} instances ({2} each), up to {3} per hour while the Blue/Green and auto scaling steps run {4} instances; the load balancer is about {5} of it. Approximate On-Demand prices of {6} with volumes and public IPv4 addresses: check the EC2 and Elastic Load Balancing pricing pages.', '$0.11', 2, '$0.023', '$0.17', 4, '$0.043', t('Europe (Ireland)'))), notice);
    assert.ok(notice.includes('ecs-handson:managed=true'), notice);
    await host.handleMessage({ kind: 'request', id: 7001, method: 'runAction', params: { step: 'prepare-image', action: 'acknowledge', inputs: {} } });
    const key = `profile:handson-moto@${REGION}`;
    await eventually('progress stored under the profile and region', async () => {
      const stored = services.context.globalState.get<Record<string, { steps: Record<string, { done: boolean } | undefined> }>>('ecsHandson.walkthrough.progress');
      return stored?.[key]?.steps['prepare-image']?.done;
    }, 5_000, 100);
    await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
    await realAws(false);
    assert.equal(host.viewState().current.notice, undefined, 'a local emulator costs nothing');
  });

  it('the sandbox-only features say what they are here: crash a task, task URLs, time scale', async () => {
    const host = (await vscode.commands.executeCommand<WalkthroughPanel>('_ecsHandson.walkthrough.panel'));
    await host.handleMessage({ kind: 'request', id: 7002, method: 'selectStep', params: { step: 'kill-container' } });
    assert.ok(!host.viewState().current.actions.some((a) => a.id === 'crashTask'), 'no crash button off the sandbox');
    await host.handleMessage({ kind: 'request', id: 7003, method: 'runAction', params: { step: 'kill-container', action: 'crashTask', inputs: { cluster: CLUSTER, service: SERVICE } } });
    const reply = host.posted.find((m): m is Extract<HostMessage, { kind: 'reply' }> => m.kind === 'reply' && m.id === 7003);
    assert.deepEqual(reply && reply.ok && reply.result, {
      ok: false,
      message: t('Crashing a task is the sandbox\'s fault injection: {0} cannot do it. Use "Stop one task" instead: ECS replaces a stopped task of a service the same way.', t('AWS profile {0} ({1})', 'handson-moto', REGION)),
    });

    const ran = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'moto-app:1', count: 1, launchType: 'EC2' }));
    const task = ran.tasks![0].taskArn!;
    const opened = await run<Failure>('ecsHandson.task.open', { cluster: CLUSTER, task, open: false });
    assert.deepEqual(opened, {
      code: 'NotFound',
      error: t('Task {0} has no address to open on {1}: task URLs are the sandbox\'s; on AWS a task answers at its instance\'s public DNS name and host port, and its instance has none (or the task has no host port). Open the load balancer\'s URL instead.', task.split('/').pop()!.slice(0, 8), t('AWS profile {0} ({1})', 'handson-moto', REGION)),
    });

    shown.length = 0;
    await config().update('sandbox.timeScale', 30, G);
    await eventually('the time scale notice', async () => shown.find((m) => m === t('The time scale applies to the sandbox only: {0} runs in real time, as AWS does.', t('AWS profile {0} ({1})', 'handson-moto', REGION))), 5_000, 100);
  });

  it('an operation the endpoint refuses: the action, the resource, who was refused and the policy that grants it; nothing changed', async () => {
    const before = (await describeService()).desiredCount;
    await useProfile('handson-readonly');
    shown.length = 0;
    const r = await run<Failure>('ecsHandson.service.scale', { cluster: CLUSTER, service: SERVICE, desiredCount: 4 });
    assert.ok(isFailure(r), JSON.stringify(r));
    assert.equal(r.code, 'AccessDenied');
    assert.equal(r.error, t('Not allowed: {0} on {1} (refused for {2}, {3}).', 'ecs:UpdateService', SERVICE, 'arn:aws:iam::123456789012:user/readonly', 'AccessDenied'));
    await eventually('the error notification', async () => shown.find((m) => m.includes(r.error)), 5_000, 100);
    const toast = shown.find((m) => m.includes(r.error))!;
    assert.ok(toast.includes(t('The AWS managed policy {0} usually grants {1}: ask your administrator to attach it (or a policy allowing {1}) to {2}.', 'AmazonECS_FullAccess', 'ecs:UpdateService', 'arn:aws:iam::123456789012:user/readonly')), toast);
    assert.equal((await describeService()).desiredCount, before, 'nothing changed');
  });

  it('over the custom endpoint (its own keys in the settings, treated as real AWS): scale asked first, inspect, register and deploy a revision, stop task asked first, Clean Up; the read-only keys are refused and nothing changes', async () => {
    const useKeys = async (k: AccessKey) => {
      await config().update('endpoint.accessKeyId', k.accessKeyId, G);
      await config().update('endpoint.secretAccessKey', k.secretAccessKey, G);
      const connected = () => eventually(`connected to the endpoint as ${k.accessKeyId}`, async () => {
        await services.connections.clients();
        const st = services.connections.state;
        return st.status === 'ready' && st.connection.kind === 'endpoint' && st.connection.endpoint === moto.endpoint &&
          st.connection.credentials.source === 'keys' && st.connection.credentials.accessKeyId === k.accessKeyId && services.connections.isRealAws;
      }, 30_000, 300);
      await connected();
      await new Promise((r) => setTimeout(r, 500));
      await connected();
    };
    await config().update('endpoint.url', moto.endpoint, G);
    await config().update('aws.profile', '', G);
    await config().update('aws.region', REGION, G);
    await config().update('endpoint.treatAsRealAws', 'always', G);
    await config().update('connection', 'endpoint', G);
    await useKeys(moto.admin);
    answer = 'accept';

    asked.length = 0;
    const scaled = await run<{ desiredCount: number } | Failure>('ecsHandson.service.scale', { cluster: CLUSTER, service: SERVICE, desiredCount: 3 });
    assert.ok(!isFailure(scaled), JSON.stringify(scaled));
    assert.deepEqual(asked, [t('Run {0} tasks of {1}?', 3, SERVICE)]);
    assert.equal((await describeService()).desiredCount, 3);

    // A running task (the one the test above started holds the instance's host port 80).
    const running = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'RUNNING' }))).taskArns ?? [];
    const task = running[0] ?? (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'moto-app:1', count: 1, launchType: 'EC2' }))).tasks![0].taskArn!;
    const inspected = await run<{ json: string } | Failure>('ecsHandson.inspect', { kind: 'task', arn: task, cluster: CLUSTER, show: false });
    assert.ok(!isFailure(inspected), JSON.stringify(inspected));
    assert.equal(JSON.parse(inspected.json).taskArn, task);

    const revisions = async () => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'moto-app' }))).taskDefinitionArns ?? [];
    const next = (await revisions()).length + 1;
    const reg = await run<{ taskDefinitionArn: string; revision: number } | Failure>('ecsHandson.taskDefinition.registerRevision', { family: 'moto-app', image: 'uzresk/demo:ver3.0' });
    assert.ok(!isFailure(reg), JSON.stringify(reg));
    assert.equal(reg.revision, next);
    assert.match(reg.taskDefinitionArn, new RegExp(`^arn:aws:ecs:${REGION}:\\d{12}:task-definition/moto-app:${next}$`));
    const dep = await run<{ deploymentId: string } | Failure>('ecsHandson.taskDefinition.deploy', { taskDefinition: `moto-app:${next}`, cluster: CLUSTER, service: SERVICE });
    assert.ok(!isFailure(dep), JSON.stringify(dep));
    assert.match((await describeService()).taskDefinition ?? '', new RegExp(`moto-app:${next}$`));

    asked.length = 0;
    answer = 'cancel';
    const declined = await run<Failure>('ecsHandson.task.stop', { cluster: CLUSTER, task });
    assert.deepEqual(declined, { error: t('Cancelled.'), code: 'Cancelled' });
    assert.deepEqual(asked, [t('Stop task {0}?', task.split('/').pop()!.slice(0, 8))]);
    const desired = async () => (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [task] }))).tasks![0].desiredStatus;
    assert.equal(await desired(), 'RUNNING', 'nothing stopped');
    answer = 'accept';
    const stopped = await run<{ desiredStatus: string } | Failure>('ecsHandson.task.stop', { cluster: CLUSTER, task });
    assert.ok(!isFailure(stopped), JSON.stringify(stopped));
    assert.equal(await desired(), 'STOPPED');

    await ecs.send(new CreateClusterCommand({ clusterName: 'endpoint-tagged', tags: MANAGED }));
    asked.length = 0;
    const cleaned = await run<{ deleted: Array<{ label: string }> } | Failure>('ecsHandson.cleanup', {});
    assert.ok(!isFailure(cleaned), JSON.stringify(cleaned));
    assert.deepEqual(asked, [t('Delete {0} resources?', 1)]);
    assert.deepEqual(cleaned.deleted.map((d) => d.label), ['endpoint-tagged']);
    assert.equal((await ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters?.[0]?.status, 'ACTIVE', 'the account\'s own cluster is kept');

    await useKeys(readOnly);
    const r = await run<Failure>('ecsHandson.service.scale', { cluster: CLUSTER, service: SERVICE, desiredCount: 5 });
    assert.ok(isFailure(r), JSON.stringify(r));
    assert.equal(r.code, 'AccessDenied');
    assert.equal(r.error, t('Not allowed: {0} on {1} (refused for {2}, {3}).', 'ecs:UpdateService', SERVICE, 'arn:aws:iam::123456789012:user/readonly', 'AccessDenied'));
    assert.equal((await describeService()).desiredCount, 3, 'nothing changed');
  });
});
