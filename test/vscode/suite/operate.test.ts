/**
 * The "operate" commands run with argument objects inside real VS Code, against the sandbox the
 * extension starts: a cluster with 2 instances, a task definition and a service are set up through
 * the SDK (as in test/integration/handson-cli.test.ts); then deploy, scale, stop, inspect, open,
 * health check, load test, auto scaling and cleanup are run as commands and their outcome checked
 * through the SDK. Bad arguments must give a clear error and change nothing.
 */
import type { SandboxAdmin } from '../../../src/aws/sandbox-admin';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { UiContext } from '../../../src/ui/ui-context';
import type { LoadTestSummary } from '../../../src/ui/loadtest/summary';
import { eventually } from '../../helpers/wait';

const extensionId = 'ecs-handson.ecs-handson';
const CLUSTER = 'demo-cluster';
const SERVICE = 'demo-service';
const MANAGED = [{ key: 'ecs-handson:managed', value: 'true' }];

type Failure = { error: string; code: string };

describe('Operate commands (sandbox)', function () {
  this.timeout(180_000);
  let services: UiContext;
  let endpoint: string;
  let previousScale: number | undefined;
  let ecs: ECSClient;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let lbArn: string | undefined;
  let tgArn: string | undefined;

  const run = async <T>(id: string, args?: unknown): Promise<T> => await vscode.commands.executeCommand(id, args);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The shared eventually with this suite's argument order. */
  const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> => eventually(what, probe, timeoutMs, 400);


  /** The admin API through the extension's own client (taken once: it outlives reconnections). */
  let adminClient: SandboxAdmin;
  const admin = (path: string, body?: unknown) => adminClient.call<any>(body === undefined ? 'GET' : 'POST', path, body);
  const rolloutStatus = async () => await vscode.commands.executeCommand<{ visible: boolean; text: string; tooltip: string; followed: string[] }>('_ecsHandson.rollout.status');
  /** Services whose rollout the status bar follows ("cluster|service"). */
  const followed = async () => (await rolloutStatus()).followed;
  const service = async (): Promise<Service> => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
  const runningTaskArns = async () => (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'RUNNING' }))).taskArns ?? [];
  const runningTasks = async () => {
    const arns = await runningTaskArns();
    return arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? []) : [];
  };
  const stable = (desired: number, revision: string) =>
    until(`service stable at ${desired} × ${revision}`, 120_000, async () => {
      const sv = await service();
      const tasks = await runningTasks();
      return (
        sv.deployments?.length === 1 &&
        sv.deployments[0].taskDefinition?.endsWith(revision) &&
        sv.runningCount === desired &&
        tasks.length === desired &&
        tasks.every((t) => t.lastStatus === 'RUNNING' && t.taskDefinitionArn?.endsWith(revision)) &&
        sv
      );
    });
  const isFailure = (v: unknown): v is Failure => !!v && typeof v === 'object' && typeof (v as Failure).error === 'string';

  before(async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    services = (await ext.activate()) as UiContext;
    const clients = await services.connections.clients();
    endpoint = services.connections.sandboxEndpoint!;
    assert.ok(endpoint, 'the extension should be connected to its sandbox');
    adminClient = services.connections.sandboxAdmin()!;
    await admin('/_sandbox/reset', {});
    previousScale = (await admin('/_sandbox/status')).timeScale;
    await admin('/_sandbox/time-scale', { scale: 20 });
    const c = clients.connection as { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
    const config = { endpoint: c.endpoint, region: c.region, credentials: c.credentials };
    ecs = new ECSClient(config);
    ec2 = new EC2Client(config);
    elb = new ElasticLoadBalancingV2Client(config);
    const ssm = new SSMClient(config);

    // Section 1a: the cluster and 2 instances in 2 AZs.
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER, tags: MANAGED }));
    const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? []).slice(0, 2);
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'demo-cluster-lt', LaunchTemplateData: { ImageId: ami, InstanceType: 't3.small', UserData: userData } }));
    for (const sn of subnets) await ec2.send(new RunInstancesCommand({ LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt' }, SubnetId: sn.SubnetId, MinCount: 1, MaxCount: 1 }));
    await until('2 container instances', 60_000, async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 2);

    // 1b + 1d: demo-app-task:1 (dynamic host port, so that a rollout can run 4 tasks on 2 instances) and demo-service × 2.
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 512, memoryReservation: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }],
      }),
    );
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'demo-app-task:1', desiredCount: 2, deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } }));
    await stable(2, 'demo-app-task:1');

    // 1c: a load balancer with a listener and a target group (no traffic needed for these tests).
    try {
      const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: subnets.map((s) => s.SubnetId!), Tags: [{ Key: 'ecs-handson:managed', Value: 'true' }] }))).LoadBalancers![0];
      lbArn = lb.LoadBalancerArn;
      const vpcId = subnets[0].VpcId;
      tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: 'app-demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0].TargetGroupArn;
      await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    } catch (e) {
      console.log(`operate tests: the sandbox could not create the load balancer: ${String(e)}`);
    }
  });

  after(async () => {
    if (previousScale) await admin('/_sandbox/time-scale', { scale: previousScale }).catch(() => undefined);
  });

  it('refuses bad arguments with a clear error and changes nothing', async () => {
    const before = await service();
    const cases: Array<[string, unknown, RegExp]> = [
      ['ecsHandson.service.update', { cluster: CLUSTER, service: SERVICE, desiredCount: -1 }, /"desiredCount" must be a whole number between 0 and 5000, got -1\./],
      ['ecsHandson.service.update', { cluster: CLUSTER, service: SERVICE }, /Nothing to update/],
      ['ecsHandson.service.update', { cluster: CLUSTER, service: SERVICE, desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 100 }, /can neither start nor stop a task/],
      ['ecsHandson.service.update', { cluster: CLUSTER, service: 'no-such-service', desiredCount: 1 }, /Service no-such-service not found in cluster demo-cluster\./],
      ['ecsHandson.service.scale', { cluster: CLUSTER, service: SERVICE, desiredCount: 'many' }, /"desiredCount" must be a whole number/],
      ['ecsHandson.taskDefinition.deploy', { cluster: CLUSTER, service: SERVICE, taskDefinition: 'demo app:2' }, /"taskDefinition" must be "family:revision"/],
      ['ecsHandson.task.stop', { cluster: CLUSTER }, /"task" is required/],
      ['ecsHandson.inspect', { kind: 'bucket', arn: 'x' }, /"kind" must be one of task, service/],
      ['ecsHandson.loadTest.run', { url: 'ftp://example', amount: 10, connections: 1 }, /Enter an http:\/\/ or https:\/\/ URL/],
      ['ecsHandson.loadTest.run', { url: 'http://127.0.0.1:9/', amount: 5, connections: 10 }, /Total requests \(5\) must be at least the number of connections \(10\)/],
      ['ecsHandson.autoScaling.configureService', { cluster: CLUSTER, service: SERVICE, minCapacity: 5, maxCapacity: 4 }, /The minimum \(5\) must not be greater than the maximum \(4\)/],
    ];
    for (const [id, args, message] of cases) {
      const r = await run<Failure>(id, args);
      assert.ok(isFailure(r), `${id} ${JSON.stringify(args)}: expected an error, got ${JSON.stringify(r)}`);
      assert.match(r.error, message, `${id} ${JSON.stringify(args)}`);
    }
    // ECS's own refusal comes through with ECS's message and code.
    const refused = await run<Failure>('ecsHandson.task.stop', { cluster: 'no-such-cluster', task: 'arn:aws:ecs:ap-northeast-1:123456789012:task/no-such-cluster/0123456789abcdef0123456789abcdef' });
    assert.ok(isFailure(refused));
    assert.deepEqual(refused, { error: 'Cluster not found.', code: 'ClusterNotFoundException' });
    const after = await service();
    assert.equal(after.desiredCount, before.desiredCount);
    assert.equal(after.taskDefinition, before.taskDefinition);
    assert.equal(after.deployments?.length, 1);
    assert.deepEqual(after.deploymentConfiguration, before.deploymentConfiguration);
    assert.equal((await runningTaskArns()).length, 2);
  });

  it('taskDefinition.deploy puts a new revision on the service as its PRIMARY deployment', async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver2.0', cpu: 256, memory: 512, memoryReservation: 256, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }],
      }),
    );
    const r = await run<{ serviceArn: string; deploymentId: string; taskDefinition: string } | Failure>('ecsHandson.taskDefinition.deploy', { taskDefinition: 'demo-app-task:2', cluster: CLUSTER, service: SERVICE });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.match(r.serviceArn, /:service\/demo-cluster\/demo-service$/);
    assert.match(r.deploymentId, /^ecs-svc\/\d+$/);
    const sv = await service();
    const primary = sv.deployments?.find((d) => d.status === 'PRIMARY');
    assert.equal(primary?.id, r.deploymentId);
    assert.match(primary?.taskDefinition ?? '', /demo-app-task:2$/);
    assert.deepEqual(sv.deploymentConfiguration?.maximumPercent, 200, 'min/max kept');
    await stable(2, 'demo-app-task:2');
  });

  it('service.scale sets the desired count and the tasks follow', async () => {
    const r = await run<{ desiredCount: number } | Failure>('ecsHandson.service.scale', { cluster: CLUSTER, service: SERVICE, desiredCount: 3 });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.equal(r.desiredCount, 3);
    assert.equal((await service()).desiredCount, 3);
    await stable(3, 'demo-app-task:2');
    const back = await run<{ desiredCount: number }>('ecsHandson.service.update', { cluster: CLUSTER, service: SERVICE, desiredCount: 2 });
    assert.equal(back.desiredCount, 2);
    await stable(2, 'demo-app-task:2');
  });

  it('service.scale from the palette asks for the service and the count (accepting what is offered)', async () => {
    // Accept whatever quick input is showing until the command returns: the service pick (one
    // service), then the desired-count box prefilled with the current count.
    let settled = false;
    const result = Promise.resolve(vscode.commands.executeCommand('ecsHandson.service.scale')).finally(() => (settled = true));
    for (let i = 0; i < 60 && !settled; i++) {
      await sleep(300);
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const r = (await result) as { desiredCount: number; serviceName: string } | Failure;
    assert.ok(r && !isFailure(r), JSON.stringify(r));
    assert.equal(r.serviceName, SERVICE);
    assert.equal(r.desiredCount, 2);
  });

  it('task.stop stops a task and the service starts a replacement', async () => {
    const [victim] = await runningTaskArns();
    const r = await run<{ taskArn: string; desiredStatus: string } | Failure>('ecsHandson.task.stop', { cluster: CLUSTER, task: victim });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.equal(r.taskArn, victim);
    assert.equal(r.desiredStatus, 'STOPPED');
    await until('a replacement task', 60_000, async () => {
      const tasks = await runningTasks();
      return tasks.length === 2 && tasks.every((t) => t.lastStatus === 'RUNNING' && t.taskArn !== victim);
    });
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [victim] }))).tasks![0];
    assert.equal(stopped.stoppedReason, 'Stopped from ECS Hands-on');
    assert.equal(stopped.stopCode, 'UserInitiated');
  });

  it('a command run on a row acts on that row: a row it cannot read or whose resource is gone is refused, never a picker', async () => {
    // What the explorer hands a context-menu command: the row's node (src/core/tree-types.ts).
    const [live] = await runningTaskArns();
    const clusterArn = (await service()).clusterArn!;
    const taskRow = (arn: string) => ({
      id: `cluster:${clusterArn}/task:${arn}`, kind: 'task', label: arn.split('/').pop()!.slice(0, 8), icon: 'symbol-event',
      contextValue: 'ecsHandson.task.running', collapsible: 'none', resource: arn, context: { clusterArn },
    });
    const gone = `${live.slice(0, live.lastIndexOf('/') + 1)}1eba23810123456789abcdef01234567`;
    // Each would open a picker (and wait on it) if the row were lost; a settled promise shows none did.
    const settle = <T>(p: Thenable<T>) => Promise.race([Promise.resolve(p), sleep(20_000).then(() => 'still waiting (a picker or a prompt is open)')]);

    const stopped = await settle(vscode.commands.executeCommand('ecsHandson.task.stop', taskRow(gone)));
    const goneText = vscode.l10n.t('{0} no longer exists.', vscode.l10n.t('Task {0}', '1eba2381'));
    assert.deepEqual(stopped, { error: goneText, code: 'NotFound' });
    const inspected = await settle(vscode.commands.executeCommand('ecsHandson.inspect', taskRow(gone)));
    assert.deepEqual(inspected, { error: goneText, code: 'NotFound' });
    // A row of a kind the command does not read (a service row for Stop Task): refused, no task list.
    const svc = await service();
    const serviceRow = {
      id: `cluster:${clusterArn}/service:${svc.serviceArn}`, kind: 'service', label: SERVICE, icon: 'server-process', contextValue: 'ecsHandson.service.active',
      collapsible: 'collapsed', resource: svc.serviceArn, context: { clusterArn, serviceArn: svc.serviceArn!, serviceName: SERVICE },
    };
    const wrong = await settle(vscode.commands.executeCommand('ecsHandson.task.stop', serviceRow));
    assert.deepEqual(wrong, { error: vscode.l10n.t('{0} cannot act on "{1}".', vscode.l10n.t('Stop task'), SERVICE), code: 'InvalidArguments' });
    // The live row: its own task is the one inspected.
    const ok = await settle(vscode.commands.executeCommand<{ json: string }>('ecsHandson.inspect', taskRow(live)));
    assert.equal(JSON.parse((ok as { json: string }).json).taskArn, live);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal((await runningTaskArns()).length, 2, 'nothing was stopped');
  });

  it('inspect opens a read-only JSON document with the task', async () => {
    const [task] = await runningTaskArns();
    const r = await run<{ uri: string; json: string } | Failure>('ecsHandson.inspect', { kind: 'task', arn: task, cluster: CLUSTER });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.equal(JSON.parse(r.json).taskArn, task);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
    assert.ok(doc, 'the document is open');
    assert.equal(doc.uri.scheme, 'ecs-handson');
    // Sandbox timestamps run ahead of real time: the document says which clock they are on (JSON with comments).
    assert.equal(doc.languageId, 'jsonc');
    assert.match(doc.getText(), /^\/\/ Times are sandbox time: the sandbox's clock runs \d+(\.\d+)?× faster than real time/);
    assert.match(doc.getText(), /\n\/\/ Now on the sandbox's clock: \d{4}-\d\d-\d\dT[^ ]+ \(real time: \d{4}-/);
    assert.ok(doc.getText().includes(`"taskArn": "${task}"`), 'pretty-printed describe output');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), r.uri);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const rev = await run<{ json: string }>('ecsHandson.inspect', { kind: 'taskDefinitionRevision', arn: 'demo-app-task:2', show: false });
    assert.equal(JSON.parse(rev.json).containerDefinitions[0].image, 'uzresk/demo:ver2.0');
    const sv = await service();
    const inspected = async (kind: string, arn: string, cluster?: string) => {
      const x = await run<{ json: string } | Failure>('ecsHandson.inspect', { kind, arn, ...(kind === 'deployment' ? { service: cluster } : { cluster }), show: false });
      assert.ok(!isFailure(x), `${kind}: ${JSON.stringify(x)}`);
      return JSON.parse(x.json);
    };
    assert.equal((await inspected('service', sv.serviceArn!, CLUSTER)).serviceName, SERVICE);
    assert.equal((await inspected('deployment', sv.deployments![0].id!, sv.serviceArn)).id, sv.deployments![0].id);
    assert.equal((await inspected('cluster', sv.clusterArn!)).clusterName, CLUSTER);
    const ci = (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns![0];
    assert.equal((await inspected('containerInstance', ci, CLUSTER)).containerInstanceArn, ci);
    if (lbArn) assert.equal((await inspected('loadBalancer', lbArn)).Listeners[0].Port, 80);
    if (tgArn) assert.equal((await inspected('targetGroup', tgArn)).TargetGroupName, 'app-demo-tg');
    const missing = await run<Failure>('ecsHandson.inspect', { kind: 'task', arn: `${task.slice(0, -4)}ffff`, cluster: CLUSTER, show: false });
    assert.match(missing.error, /^Task [0-9a-f]+ was not found\./);

    const copied = await run<string>('ecsHandson.copyArn', { arn: task });
    assert.equal(copied, task);
    assert.equal(await vscode.env.clipboard.readText(), task);
  });

  it('task.open in VS Code in a browser opens the task page through code-server\'s proxy, path kept', async () => {
    const [task] = await runningTaskArns();
    const r = await run<{ url: string; opened: boolean; openedUrl?: string } | Failure>('ecsHandson.task.open', { cluster: CLUSTER, task });
    assert.ok(!isFailure(r), JSON.stringify(r));
    const port = /^http:\/\/127\.0\.0\.1:(\d+)\/app\/$/.exec(r.url)?.[1];
    assert.ok(port, r.url);
    // code-server's asExternalUri gives <base>/proxy/PORT/ (it drops the path): the command keeps /app/.
    assert.match(r.openedUrl ?? '', new RegExp(`/proxy/${port}/app/$`));
    const page = await (await fetch(r.openedUrl!)).text();
    assert.match(page, /Demo app ver2\.0/, 'the task page, through the proxy');
  });

  it('task.open finds the task\'s real URL, and a load test against it sums up 2xx responses', async () => {
    const [task] = await runningTaskArns();
    const opened = await run<{ url: string; opened: boolean } | Failure>('ecsHandson.task.open', { cluster: CLUSTER, task, open: false });
    assert.ok(!isFailure(opened), JSON.stringify(opened));
    assert.match(opened.url, /^http:\/\/.+\/app\/$/);
    const page = await (await fetch(opened.url)).text();
    assert.match(page, /ver2\.0/);

    const url = opened.url.replace(/\/app\/$/, '/app/loginForm');
    const summary = await run<LoadTestSummary | Failure>('ecsHandson.loadTest.run', { url, amount: 200, connections: 4 });
    assert.ok(!isFailure(summary), JSON.stringify(summary));
    assert.equal(summary.requests, 200);
    assert.equal(summary.classes['2xx'], 200);
    assert.deepEqual(summary.statusCounts, { '200': 200 });
    assert.equal(summary.non2xx, 0);
    assert.equal(summary.stopped, false);
    assert.ok(summary.requestsPerSec > 0);
    assert.deepEqual(await run('ecsHandson.loadTest.stop'), { stopped: false }, 'nothing left running');
  });

  it('loadTest.stop ends a running load test early with a summary', async () => {
    const [task] = await runningTaskArns();
    const { url } = await run<{ url: string }>('ecsHandson.task.open', { cluster: CLUSTER, task, open: false });
    const started = await run<{ started: boolean }>('ecsHandson.loadTest.run', { url, durationSec: 30, connections: 2, wait: false });
    assert.equal(started.started, true);
    const busy = await run<Failure>('ecsHandson.loadTest.run', { url, amount: 10, connections: 1 });
    assert.match(busy.error, /already running/);
    await sleep(1200);
    const t0 = Date.now();
    assert.deepEqual(await run('ecsHandson.loadTest.stop'), { stopped: true });
    await until('the load test to end', 10_000, async () => (await run<{ stopped: boolean }>('ecsHandson.loadTest.stop')).stopped === false);
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('service.delete scales a service to 0 and deletes it; taskDefinition.deregister makes a revision INACTIVE', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'extra-service', taskDefinition: 'demo-app-task:1', desiredCount: 1 }));
    await until('extra-service running', 60_000, async () => ((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'extra-service', desiredStatus: 'RUNNING' }))).taskArns ?? []).length === 1);
    services.followRollout(CLUSTER, 'extra-service');
    assert.ok((await followed()).includes(`${CLUSTER}|extra-service`), 'the status bar follows extra-service');
    const r = await run<{ serviceArn: string; status: string } | Failure>('ecsHandson.service.delete', { cluster: CLUSTER, service: 'extra-service' });
    assert.ok(!(await followed()).includes(`${CLUSTER}|extra-service`), 'a deleted service leaves the status bar at once');
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.match(r.serviceArn, /:service\/demo-cluster\/extra-service$/);
    const sv = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['extra-service'] }))).services?.[0];
    assert.ok(!sv || sv.status !== 'ACTIVE', `status ${sv?.status}`);
    assert.equal(sv?.runningCount ?? 0, 0);
    const again = await run<Failure>('ecsHandson.service.delete', { cluster: CLUSTER, service: 'extra-service' });
    assert.match(again.error, /Service extra-service not found in cluster demo-cluster\./);
    assert.equal((await service()).status, 'ACTIVE', 'demo-service untouched');

    const bad = await run<Failure>('ecsHandson.taskDefinition.deregister', { taskDefinition: 'demo-app-task' });
    assert.match(bad.error, /"taskDefinition" is required: "family:revision"/);
    const d = await run<{ taskDefinitionArn: string; status: string } | Failure>('ecsHandson.taskDefinition.deregister', { taskDefinition: 'demo-app-task:1' });
    assert.ok(!isFailure(d), JSON.stringify(d));
    assert.equal(d.status, 'INACTIVE');
    const active = (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'demo-app-task', status: 'ACTIVE' }))).taskDefinitionArns ?? [];
    assert.deepEqual(active.map((a) => a.split('/').pop()), ['demo-app-task:2']);
  });

  it('targetGroup.configureHealthCheck applies the fast preset and refuses a timeout ≥ interval', async function () {
    assert.ok(tgArn, 'the sandbox serves ELBv2 (target group created in before())');
    const bad = await run<Failure>('ecsHandson.targetGroup.configureHealthCheck', { targetGroup: tgArn, intervalSeconds: 5, timeoutSeconds: 6 });
    assert.match(bad.error, /The timeout \(6 s\) must be shorter than the interval \(5 s\)\./);
    let tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups![0];
    assert.equal(tg.HealthCheckIntervalSeconds, 30, 'unchanged');
    const r = await run<{ intervalSeconds: number } | Failure>('ecsHandson.targetGroup.configureHealthCheck', { targetGroup: tgArn, preset: 'fast', path: '/app/' });
    assert.ok(!isFailure(r), JSON.stringify(r));
    tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups![0];
    assert.deepEqual(
      [tg.HealthCheckIntervalSeconds, tg.HealthCheckTimeoutSeconds, tg.HealthyThresholdCount, tg.UnhealthyThresholdCount, tg.HealthCheckPath],
      [5, 2, 2, 2, '/app/'],
    );
  });

  it('loadBalancer.open gives the endpoint URL + /app/', async () => {
    assert.ok(lbArn, 'the sandbox serves ELBv2 (load balancer created in before())');
    const dns = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0].DNSName!;
    const r = await run<{ url: string } | Failure>('ecsHandson.loadBalancer.open', { loadBalancer: lbArn, open: false });
    assert.ok(!isFailure(r), JSON.stringify(r));
    // The sandbox serves the listener (API port 80) on a real local port, listed by its admin API.
    const m = /^http:\/\/([^/:]+):(\d+)\/app\/$/.exec(r.url);
    assert.ok(m, r.url);
    assert.equal(m[1], dns);
    const listed = (await admin('/_sandbox/load-balancers')).loadBalancers as Array<{ loadBalancerArn: string; url: string }>;
    assert.equal(`${listed.find((x) => x.loadBalancerArn === lbArn)?.url.replace(/\/$/, '')}/app/`, r.url);
  });

  it('autoScaling.configureService registers min 2 / max 4 with CPU > 20% → +2 and its alarm', async () => {
    const clients = await services.connections.clients();
    const r = await run<{ resourceId: string; policies: Array<{ name: string; arn: string }>; alarms: string[] } | Failure>('ecsHandson.autoScaling.configureService', { cluster: CLUSTER, service: SERVICE });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.equal(r.resourceId, 'service/demo-cluster/demo-service');
    const aas = clients.applicationAutoScaling;
    const targets = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [r.resourceId] }))).ScalableTargets ?? [];
    assert.deepEqual(targets.map((x) => [x.MinCapacity, x.MaxCapacity]), [[2, 4]]);
    const policies = (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: r.resourceId }))).ScalingPolicies ?? [];
    const out = policies.find((p) => p.PolicyName === 'demo-service-cpu-scale-out');
    assert.deepEqual(out?.StepScalingPolicyConfiguration?.StepAdjustments?.map((s) => s.ScalingAdjustment), [2]);
    const cw = clients.cloudWatch;
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['demo-cluster-demo-service-cpu-high'] }))).MetricAlarms?.[0];
    assert.equal(alarm?.MetricName, 'CPUUtilization');
    assert.equal(alarm?.Namespace, 'AWS/ECS');
    assert.equal(alarm?.Threshold, 20);
    assert.equal(alarm?.Period, 60);
    assert.equal(alarm?.EvaluationPeriods, 1);
    assert.equal(alarm?.ComparisonOperator, 'GreaterThanThreshold');
    assert.deepEqual(alarm?.AlarmActions, [out?.PolicyARN]);
    assert.deepEqual(
      (alarm?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort(),
      ['ClusterName=demo-cluster', 'ServiceName=demo-service'],
    );
  });

  it('autoScaling.configureCluster sets the group\'s maximum to 4 with cluster CPU > 20% → +2 instances and its alarm', async () => {
    const clients = await services.connections.clients();
    const asg = clients.autoScaling;
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? []).slice(0, 2);
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'demo-cluster-asg',
        LaunchTemplate: { LaunchTemplateName: 'demo-cluster-lt' },
        MinSize: 0,
        MaxSize: 2,
        DesiredCapacity: 0,
        VPCZoneIdentifier: subnets.map((x) => x.SubnetId).join(','),
      }),
    );
    const r = await run<{ autoScalingGroup: string; policies: Array<{ name: string; arn: string }>; alarms: string[] } | Failure>('ecsHandson.autoScaling.configureCluster', { cluster: CLUSTER });
    assert.ok(!isFailure(r), JSON.stringify(r));
    assert.equal(r.autoScalingGroup, 'demo-cluster-asg');
    const group = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['demo-cluster-asg'] }))).AutoScalingGroups![0];
    assert.equal(group.MaxSize, 4);
    const policies = (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'demo-cluster-asg' }))).ScalingPolicies ?? [];
    const out = policies.find((p) => p.PolicyName === 'demo-cluster-instances-scale-out');
    assert.deepEqual(out?.StepAdjustments?.map((x) => x.ScalingAdjustment), [2]);
    const cw = clients.cloudWatch;
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['demo-cluster-cluster-cpu-high'] }))).MetricAlarms?.[0];
    assert.deepEqual([alarm?.Namespace, alarm?.MetricName, alarm?.Threshold, alarm?.ComparisonOperator], ['AWS/ECS', 'CPUUtilization', 20, 'GreaterThanThreshold']);
    assert.deepEqual(alarm?.Dimensions?.map((d) => `${d.Name}=${d.Value}`), ['ClusterName=demo-cluster']);
    assert.deepEqual(alarm?.AlarmActions, [out?.PolicyARN]);

    // The walkthrough's "Back to 2 instances": the minimum and the desired capacity go down together.
    const bad = await run<Failure>('ecsHandson.autoScaling.configureCluster', { cluster: CLUSTER, minSize: 2, desiredCapacity: 1, maxSize: 4 });
    assert.ok(isFailure(bad));
    assert.match(bad.error, /desired capacity \(1\) must not be less than the minimum \(2\)/);
    const back = await run<{ autoScalingGroup: string } | Failure>('ecsHandson.autoScaling.configureCluster', { cluster: CLUSTER, minSize: 1, desiredCapacity: 1, maxSize: 4 });
    assert.ok(!isFailure(back), JSON.stringify(back));
    const after = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['demo-cluster-asg'] }))).AutoScalingGroups![0];
    assert.deepEqual([after.MinSize, after.DesiredCapacity, after.MaxSize], [1, 1, 4]);
  });

  it('cleanup lists what the hands-on created, deletes it in order, and nothing is left', async function () {
    this.timeout(300_000);
    const listed = await run<{ found: Array<{ kind: string; label: string }> }>('ecsHandson.cleanup', { dryRun: true });
    const kinds = new Set(listed.found.map((i) => i.kind));
    for (const k of ['service', 'taskDefinition', 'instance', 'launchTemplate', 'cluster']) assert.ok(kinds.has(k), `found a ${k}: ${JSON.stringify(listed.found)}`);
    assert.equal((await service()).status, 'ACTIVE', 'a dry run deletes nothing');

    services.followRollout(CLUSTER, SERVICE);
    assert.ok((await followed()).includes(`${CLUSTER}|${SERVICE}`), 'the status bar follows demo-service');
    const r = await run<{ deleted: unknown[]; failed: Array<{ item: { label: string }; error: string }>; warnings: string[] }>('ecsHandson.cleanup', {});
    assert.deepEqual((await followed()).filter((k) => k.startsWith(`${CLUSTER}|`)), [], 'no rollout of a deleted service is left in the status bar');
    assert.deepEqual(r.failed.map((f) => `${f.item.label}: ${f.error}`), []);
    if (r.warnings.length) console.log(`cleanup warnings: ${r.warnings.join('; ')}`);
    // Everything the dry run listed is deleted. The cleanup looks again when it runs, so it may also
    // delete what appeared since (e.g. an instance the cluster's scaling alarm just launched).
    const labels = (l: unknown[]) => (l as Array<{ kind: string; label: string }>).map((i) => `${i.kind} ${i.label}`);
    const deleted = new Set(labels(r.deleted));
    assert.deepEqual(labels(listed.found).filter((x) => !deleted.has(x)), [], 'everything listed was deleted');

    const again = await run<{ found: unknown[] }>('ecsHandson.cleanup', { dryRun: true });
    assert.deepEqual(again.found, [], 'nothing left to clean up');
    const clusters = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
    assert.deepEqual(clusters, []);
    assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }))).taskDefinitionArns ?? [], []);
    const instances = ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((x) => x.Instances ?? []);
    assert.ok(instances.every((i) => i.State?.Name === 'terminated'), `instances: ${instances.map((i) => `${i.InstanceId} ${i.State?.Name}`).join(', ')}`);
    if (lbArn) assert.deepEqual((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [], []);
  });
});
