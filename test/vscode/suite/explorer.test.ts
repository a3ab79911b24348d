/**
 * The ECS explorer inside real VS Code, against the sandbox the extension starts: the tree a user
 * sees after the hands-on's first steps (cluster, 2 EC2 instances, a task definition with two
 * revisions, a service with 2 tasks), paging, error nodes, refresh, reveal and a dead sandbox.
 */
import type { SandboxAdmin } from '../../../src/aws/sandbox-admin';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CreateClusterCommand, CreateServiceCommand, DeleteClusterCommand, DescribeServicesCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, StopTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { UiContext } from '../../../src/ui/ui-context';
import type { ExplorerApi } from '../../../src/ui/explorer';
import type { TreeNode } from '../../../src/core/tree-types';
import { eventually } from '../../helpers/wait';

const CLUSTER = 'demo-cluster';
/** What the user reads, in the display language (the suite also runs with --locale ja). */
const t = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A translated message as a regular expression source, `args` being regex sources. */
const tx = (message: string, ...args: string[]) =>
  escapeRe(vscode.l10n.t(message, ...args.map((_, i) => `@@${i}@@`))).replace(/@@(\d+)@@/g, (_, i: string) => args[Number(i)]);
// The sandbox runs 50× faster here: minutes of test are hours of sandbox time.
const relativePast = () => `(${['{0} sec', '{0} min', '{0} h'].map((unit) => tx('{0} ago', tx(unit, '\\d+'))).join('|')}|${tx('just now')})`;
const clusterCounts = (services: number, tasks: number, instances: number) =>
  [t(services === 1 ? '{0} service' : '{0} services', services), t(tasks === 1 ? '{0} task' : '{0} tasks', tasks), t(instances === 1 ? '{0} instance' : '{0} instances', instances)].join(', ');
const SERVICE = 'demo-service';
const FAMILY = 'demo-app-task';

describe('explorer', function () {
  this.timeout(180_000);
  let services: UiContext;
  let explorer: ExplorerApi;
  let endpoint: string;
  let ecs: ECSClient;
  let ec2: EC2Client;
  let ssm: SSMClient;
  let clusterArn: string;

  const children = (node?: TreeNode) => explorer.provider.getChildren(node);
  const child = async (parent: TreeNode | undefined, label: string | RegExp): Promise<TreeNode> => {
    const nodes = await children(parent);
    const found = nodes.find((n) => (typeof label === 'string' ? n.label === label : label.test(n.label)));
    assert.ok(found, `"${String(label)}" not among ${JSON.stringify(nodes.map((n) => `${n.label} | ${n.description ?? ''}`))}`);
    return found;
  };
  /** The admin API through the extension's own client (taken once: it outlives reconnections). */
  let adminClient: SandboxAdmin;
  const admin = (path: string, body?: unknown) => adminClient.call<Record<string, unknown>>(body === undefined ? 'GET' : 'POST', path, body);
  const container = (image: string) => [{ name: 'demo', image, cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' as const }] }];
  const runningTasks = async () => {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns ?? [];
    if (!arns.length) return [];
    return ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? []).filter((t) => t.lastStatus === 'RUNNING');
  };

  const steady = () =>
    eventually('the deployment completed', async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0];
      return s?.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === s.desiredCount;
    });

  before(async () => {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    await services.connections.clients();
    const state = services.connections.state;
    assert.equal(state.status, 'ready');
    assert.ok(state.status === 'ready' && state.connection.kind === 'sandbox', 'connected to the sandbox');
    const conn = state.connection;
    endpoint = conn.endpoint;
    adminClient = services.connections.sandboxAdmin()!;
    await admin('/_sandbox/reset', {});
    await admin('/_sandbox/time-scale', { scale: 50 });
    // Reconnect so that the extension samples the faster clock (relative times).
    await services.connections.reset();
    await services.connections.clients();
    const config = { endpoint, region: conn.region, credentials: conn.credentials };
    ecs = new ECSClient(config);
    ec2 = new EC2Client(config);
    ssm = new SSMClient(config);
    explorer = (await vscode.commands.executeCommand<ExplorerApi>('_ecsHandson.explorer'))!;
    assert.ok(explorer?.provider, 'the explorer API');

    clusterArn = (await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }))).cluster!.clusterArn!;
    await ecs.send(new RegisterTaskDefinitionCommand({ family: FAMILY, containerDefinitions: container('uzresk/demo:ver1.0') }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: FAMILY, containerDefinitions: container('uzresk/demo:ver2.0') }));
    const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? [];
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    for (const s of subnets.slice(0, 2)) {
      await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }));
    }
    await eventually('2 container instances', async () => ((await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? []).length === 2);
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: `${FAMILY}:2`, desiredCount: 2 }));
    await eventually('2 running tasks', async () => (await runningTasks()).length === 2);
    await steady();
    await explorer.refresh();
  });

  after(() => {
    ecs?.destroy();
    ec2?.destroy();
    ssm?.destroy();
  });

  it('shows "Start the hands-on" first, then the cluster with its counts, Task definitions and Load balancers', async () => {
    const roots = await children();
    assert.deepEqual(roots.map((n) => n.label), [t('Start the hands-on'), CLUSTER, t('Task definitions'), t('Load balancers')]);
    const handsOn = explorer.provider.getTreeItem(roots[0]);
    assert.equal(handsOn.command?.command, 'ecsHandson.walkthrough.open', 'a click opens the walkthrough panel');
    assert.equal((handsOn.iconPath as vscode.ThemeIcon).id, 'mortar-board');
    const cluster = roots[1];
    assert.equal(cluster.description, clusterCounts(1, 2, 2));
    assert.equal(cluster.contextValue, 'ecsHandson.cluster.active');
    assert.equal(cluster.resource, clusterArn);
    assert.ok(cluster.tooltip?.includes(clusterArn));
    const item = explorer.provider.getTreeItem(cluster);
    assert.equal(item.id, cluster.id);
    assert.equal(item.label, CLUSTER);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    // A row with children gets its tooltip when hovered (so that a tooltip-only change never re-fetches its rows).
    assert.equal(item.tooltip, undefined);
    const resolved = explorer.provider.resolveTreeItem(item, cluster);
    assert.ok(resolved.tooltip instanceof vscode.MarkdownString && resolved.tooltip.supportThemeIcons && resolved.tooltip.value.includes(clusterArn));
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'server-environment');
    assert.equal(item.command, undefined, 'a single click runs nothing');
  });

  it('shows the view description as the connection label', () => {
    assert.equal(explorer.view.description, services.connections.state.status === 'ready' ? services.connections.state.label : '?');
    assert.ok(explorer.view.description);
  });

  it('shows demo-service with deployments, tasks (RUNNING with host ports) and events', async () => {
    const cluster = await child(undefined, CLUSTER);
    assert.deepEqual((await children(cluster)).map((n) => n.label), [t('Services'), t('Container instances')]);
    const servicesGroup = await child(cluster, t('Services'));
    assert.equal(explorer.provider.getTreeItem(servicesGroup).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const service = await child(servicesGroup, SERVICE);
    assert.equal(service.description, t('{0}/{1} running', 2, 2));
    assert.equal(service.contextValue, 'ecsHandson.service.active');
    assert.equal(service.color, 'testing.iconPassed');
    assert.equal(service.context?.serviceName, SERVICE);

    const sections = await children(service);
    assert.deepEqual(sections.map((n) => n.label), [t('Deployments'), t('Tasks'), t('Stopped tasks'), t('Events')]);
    const deployments = await children(sections[0]);
    assert.equal(deployments.length, 1);
    assert.equal(deployments[0].label, `PRIMARY ${FAMILY}:2`);
    assert.match(deployments[0].description ?? '', new RegExp(`^${tx('{0}/{1} running', '2', '2')}`));

    assert.equal(sections[1].description, t('{0} running', 2));
    const tasks = await children(sections[1]);
    assert.equal(tasks.length, 2);
    for (const task of tasks) {
      assert.equal(task.contextValue, 'ecsHandson.task.running');
      assert.match(task.description ?? '', /^rev 2 · :\d+ · demo-app-task · .*i-[0-9a-f]+ · [a-z]+-[a-z]+-\d[a-z]$/);
      assert.match(task.resource ?? '', /^arn:aws:ecs:.*:task\/demo-cluster\/[0-9a-f]+$/);
      assert.equal(task.context?.clusterArn, clusterArn);
      assert.equal(explorer.provider.getParent(task)?.id, sections[1].id, 'getParent for reveal');
    }
    const events = await children(sections[3]);
    assert.ok(events.length > 0 && events[0].kind === 'serviceEvent', JSON.stringify(events.map((e) => e.label)));
    assert.ok(events.some((e) => /has started 2 tasks/.test(e.description ?? '')), JSON.stringify(events.map((e) => e.description)));
    assert.match(events[0].label, new RegExp(`^${relativePast()}$`), `relative to the sandbox clock: ${events[0].label}`);
    assert.match(tasks[0].tooltip ?? '', new RegExp(`${tx('Started')}: ${relativePast()}`));
  });

  it('shows the container instances with AZ and remaining CPU / memory', async () => {
    const cluster = await child(undefined, CLUSTER);
    const instances = await children(await child(cluster, t('Container instances')));
    assert.equal(instances.length, 2);
    const azs = new Set<string>();
    for (const ci of instances) {
      assert.match(ci.label, /^i-[0-9a-f]+$/);
      // t3.small: 2048 CPU units, one 256-unit task each.
      assert.match(ci.description ?? '', new RegExp(`^t3\\.small · ([a-z]+-[a-z]+-\\d[a-z]) · ${tx('CPU {0}/{1} free', '1792', '2048')} · ${tx('memory {0}/{1} free', '.+', '.+')} · `));
      azs.add(/ · ([a-z]+-[a-z]+-\d[a-z]) · /.exec(ci.description ?? '')![1]);
      assert.equal(ci.contextValue, 'ecsHandson.containerInstance.active');
      // Its running task below it.
      const tasks = await children(ci);
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0].kind, 'task');
    }
    assert.equal(azs.size, 2, 'one instance per AZ');
  });

  it('shows task definition families with their ACTIVE revisions, newest first', async () => {
    const group = await child(undefined, t('Task definitions'));
    const family = await child(group, FAMILY);
    const revisions = await children(family);
    assert.deepEqual(revisions.map((r) => r.label), [`${FAMILY}:2`, `${FAMILY}:1`]);
    for (const r of revisions) assert.equal(r.contextValue, 'ecsHandson.taskDefinitionRevision.active');
    assert.match(revisions[0].description ?? '', /uzresk\/demo:ver2\.0/);
  });

  it('pages long lists: 50 revisions and "Load more…", which appends the rest', async () => {
    for (let i = 0; i < 60; i++) {
      await ecs.send(new RegisterTaskDefinitionCommand({ family: 'many-revisions', containerDefinitions: container('uzresk/demo:ver1.0') }));
    }
    await explorer.refresh({ kind: 'taskDefinitions' });
    const group = await child(undefined, t('Task definitions'));
    const family = await child(group, 'many-revisions');
    const page = await children(family);
    assert.equal(page.length, 51);
    assert.equal(page[0].label, 'many-revisions:60');
    assert.equal(page[49].label, 'many-revisions:11');
    const more = page[50];
    assert.equal(more.kind, 'loadMore');
    assert.equal(more.label, t('Load more… ({0} more)', 10));
    const item = explorer.provider.getTreeItem(more);
    assert.equal(item.command?.command, 'ecsHandson.loadMore');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const all = await children(family);
    assert.equal(all.length, 60);
    assert.equal(all[59].label, 'many-revisions:1');
    assert.ok(!all.some((n) => n.kind === 'loadMore'));
    // A refresh keeps what "Load more" added.
    await explorer.refresh({ kind: 'taskDefinitions' });
    await child(undefined, t('Task definitions'));
    assert.equal((await children(await child(await child(undefined, t('Task definitions')), 'many-revisions'))).length, 60);
  });

  it('shows an error child with the AWS message when a node fails to load, and retries on refresh', async () => {
    const ghost: TreeNode = {
      id: 'test/ghost', kind: 'group', label: 'Services', icon: 'layers', contextValue: 'ecsHandson.group.services', collapsible: 'collapsed',
      children: { type: 'services', clusterArn: clusterArn.replace(/cluster\/.*/, 'cluster/no-such-cluster') },
    };
    const nodes = await children(ghost);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].contextValue, 'ecsHandson.message.error');
    assert.match(nodes[0].label, /not found/i);
    assert.match(nodes[0].tooltip ?? '', /ClusterNotFoundException/);
    assert.equal((explorer.provider.getTreeItem(nodes[0]).iconPath as vscode.ThemeIcon).id, 'error');
    // Create it: a refresh loads again.
    await ecs.send(new CreateClusterCommand({ clusterName: 'no-such-cluster' }));
    explorer.provider.invalidate(ghost.id);
    assert.equal((await children(ghost))[0].label, t('No services'));
  });

  it('refreshes a service after a change (refresh hint)', async () => {
    const cluster = await child(undefined, CLUSTER);
    const servicesGroup = await child(cluster, t('Services'));
    assert.equal((await child(servicesGroup, SERVICE)).description, t('{0}/{1} running', 2, 2));
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 3 }));
    await eventually('3 running tasks', async () => (await runningTasks()).length === 3);
    await steady();
    // Without a refresh the tree keeps what it showed.
    assert.equal((await child(servicesGroup, SERVICE)).description, t('{0}/{1} running', 2, 2));
    // What a command does after a change: the explorer reloads (at once, or in the background
    // within the debounce when the view shows it).
    services.refresh({ kind: 'service', clusterArn, serviceName: SERVICE });
    await eventually('demo-service 3/3', async () => (await child(servicesGroup, SERVICE)).description === t('{0}/{1} running', 3, 3), 10_000, 100);
    await eventually('the cluster counts', async () => (await child(undefined, CLUSTER)).description === clusterCounts(1, 3, 2), 10_000, 100);
  });

  it('a refresh keeps every row object and tells VS Code only what changed (never the top level, not the rows that stayed the same)', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.ecsHandson');
    await eventually('the view visible', async () => explorer.view.visible);
    const group = await child(undefined, t('Task definitions'));
    const family = await child(group, FAMILY);
    const revisions = await children(family);
    const tasksGroup = await child(await child(await child(await child(undefined, CLUSTER), t('Services')), SERVICE), t('Tasks'));
    const tasks = await children(tasksGroup);
    const fired: Array<TreeNode | undefined> = [];
    const sub = explorer.provider.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : [e])));
    try {
      // The task definitions did not change: the same objects, and neither they nor the top level
      // shown again (events and counts elsewhere may have moved: those rows are, alone).
      await explorer.refresh();
      assert.ok(!fired.includes(undefined), 'the top level was not shown again');
      assert.ok(!fired.some((n) => n === group || n === family || revisions.includes(n!)), `shown again: ${fired.map((n) => n?.label).join(', ')}`);
      assert.equal(await child(undefined, t('Task definitions')), group, 'the same group object');
      assert.deepEqual(await children(family), revisions, 'the same revision objects');
      assert.ok((await children(family)).every((n, i) => n === revisions[i]));
      assert.ok((await children(tasksGroup)).every((n, i) => n === tasks[i]), 'the same task objects');
      // A new revision: only its family is shown again; the rows that stay keep their objects.
      fired.length = 0;
      await ecs.send(new RegisterTaskDefinitionCommand({ family: FAMILY, containerDefinitions: container('uzresk/demo:ver1.0') }));
      await explorer.refresh({ kind: 'taskDefinitions' });
      assert.deepEqual(fired.map((n) => n?.label), [FAMILY]);
      const after = await children(family);
      assert.equal(after.length, revisions.length + 1);
      assert.ok(revisions.every((r) => after.includes(r)), 'the old revision rows are the same objects');
    } finally {
      sub.dispose();
    }
  });

  it('Refresh while a background reload is still reading (a slow API) shows what the service says after the change', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.ecsHandson');
    await eventually('the view visible', async () => explorer.view.visible);
    await child(undefined, CLUSTER);
    const LATE = 'late-cluster';
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await adminClient.setFaults({ latencyMs: 2000 });
    try {
      // A background reload (as the periodic refresh starts one) lists the clusters before the new one exists…
      const background = explorer.provider.reload([''], { skipBusy: true });
      await sleep(1000);
      // …the cluster is created while it is still reading (answered ~1 s after its list)…
      await ecs.send(new CreateClusterCommand({ clusterName: LATE }));
      // …and the user presses Refresh before that background reload is done.
      await explorer.refresh();
      await background;
      const labels = (await children()).map((n) => n.label);
      assert.ok(labels.includes(LATE), `the new cluster is shown after Refresh: ${labels.join(', ')}`);
    } finally {
      await adminClient.setFaults({ latencyMs: 0 });
      await ecs.send(new DeleteClusterCommand({ cluster: LATE }));
      await explorer.refresh();
    }
  });

  it('reveals a resource by ARN; refreshes expanded nodes automatically, only while the view is visible', async () => {
    const config = () => vscode.workspace.getConfiguration('ecsHandson');
    await config().update('autoRefresh', false, vscode.ConfigurationTarget.Global);
    await config().update('autoRefreshSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('workbench.view.extension.ecsHandson');
      await eventually('the view visible', async () => explorer.view.visible);
      const [first, second] = await runningTasks();
      const node = await explorer.reveal(first.taskArn!, { select: true, expand: true });
      assert.ok(node, 'found the task');
      assert.equal(node.kind, 'task');
      await eventually('the task selected', async () => explorer.view.selection[0]?.id === node.id, 10_000);
      const tasksGroup = explorer.provider.getParent(node)!;
      assert.equal(tasksGroup.label, t('Tasks'), 'found under its service, not under its instance');
      const shows = async (arn: string) => (await children(tasksGroup)).some((n) => n.resource === arn);
      assert.ok(await shows(first.taskArn!));

      // Auto-refresh off: the tree keeps what it showed.
      await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: first.taskArn! }));
      await new Promise((r) => setTimeout(r, 3000));
      assert.ok(await shows(first.taskArn!), 'no reload while auto-refresh is off');

      // On: the expanded Tasks node drops the stopped task without an explicit refresh.
      await config().update('autoRefresh', true, vscode.ConfigurationTarget.Global);
      await eventually('the stopped task gone from the expanded Tasks node', async () => !(await shows(first.taskArn!)), 15_000, 300);

      // Hidden view: nothing reloads; shown again: it catches up.
      await vscode.commands.executeCommand('workbench.view.explorer');
      await eventually('the view hidden', async () => !explorer.view.visible);
      await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: second.taskArn! }));
      await new Promise((r) => setTimeout(r, 4500));
      assert.ok(await shows(second.taskArn!), 'no reload while the view is hidden');
      await vscode.commands.executeCommand('workbench.view.extension.ecsHandson');
      await eventually('the second stopped task gone once the view is shown', async () => !(await shows(second.taskArn!)), 15_000, 300);
    } finally {
      await config().update('autoRefresh', undefined, vscode.ConfigurationTarget.Global);
      await config().update('autoRefreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows the dead sandbox with Restart Sandbox, and the resources again after the restart', async () => {
    const status = await admin('/_sandbox/status');
    process.kill(Number(status.pid), 'SIGTERM');
    await eventually('the connection failed', async () => services.connections.state.status === 'failed', 20_000);
    const roots = await children();
    assert.equal(roots[0].contextValue, 'ecsHandson.message.error');
    assert.equal(roots[0].label, t('The sandbox is not running'));
    const restart = roots.find((n) => n.label === t('Restart Sandbox'));
    assert.ok(restart, JSON.stringify(roots.map((n) => n.label)));
    assert.equal(explorer.provider.getTreeItem(restart).command?.command, 'ecsHandson.sandbox.restart');
    assert.ok(roots.some((n) => explorer.provider.getTreeItem(n).command?.command === 'ecsHandson.connection.switch'));
    await vscode.commands.executeCommand('ecsHandson.sandbox.restart');
    assert.equal(services.connections.state.status, 'ready');
    const back = await eventually('the cluster shown again', async () => (await children()).find((n) => n.label === CLUSTER));
    assert.equal(back.kind, 'cluster');
  });
  /** The one error row the view shows once the connection's first call fails. */
  const errorRow = (what: string) =>
    eventually(`${what} shown`, async () => {
      await explorer.refresh();
      const nodes = await children();
      return nodes.length === 1 && nodes[0].contextValue === 'ecsHandson.message.error' && nodes;
    }, 30_000);
  /** Back on the sandbox (started again, its state kept): the cluster is shown again. */
  const backOnSandbox = async () => {
    const back = await eventually('the sandbox cluster shown again', async () => {
      await explorer.refresh();
      return (await children()).find((n) => n.label === CLUSTER);
    }, 60_000, 1000);
    assert.equal(back.kind, 'cluster');
  };
  it('shows why another connection fails: the welcome view with a message, or an error row', async () => {
    const config = () => vscode.workspace.getConfiguration('ecsHandson');
    try {
      // No URL: connecting fails before any call, the tree is empty (the welcome view offers
      // "Switch Connection") and the view's message says why.
      await config().update('endpoint.url', '', vscode.ConfigurationTarget.Global);
      await config().update('connection', 'endpoint', vscode.ConfigurationTarget.Global);
      await eventually('the endpoint connection failed', async () => {
        await explorer.refresh();
        const roots = await children();
        return roots.length === 0 && services.connections.state.status === 'failed';
      }, 20_000);
      assert.equal(explorer.view.message, t('Cannot connect: {0}', t('Set "ecsHandson.endpoint.url" to the emulator\'s URL, e.g. http://localhost:4566.')));

      // Nothing listens there (the endpoint's own test keys sign, not the machine's AWS identity):
      // an error row that names the endpoint and says what to do.
      await config().update('aws.region', 'us-east-1', vscode.ConfigurationTarget.Global);
      await config().update('endpoint.url', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
      const roots = await errorRow('the endpoint\'s error');
      assert.equal(roots[0].label, t('Cannot reach {0} ({1}).', 'http://127.0.0.1:9', 'ECONNREFUSED'));
      assert.equal(roots[0].description, t('Is the emulator at {0} running? Start it and try again.', 'http://127.0.0.1:9'));
      assert.equal(explorer.view.message, undefined);
    } finally {
      await config().update('connection', undefined, vscode.ConfigurationTarget.Global);
      await config().update('endpoint.url', undefined, vscode.ConfigurationTarget.Global);
      await config().update('aws.region', undefined, vscode.ConfigurationTarget.Global);
    }
    await backOnSandbox();
  });

  it('an expired SSO session of the profile chosen in the settings: the hint names that profile', async () => {
    const config = () => vscode.workspace.getConfiguration('ecsHandson');
    // A profile with an SSO session and no cached token, as after the session expired; AWS_PROFILE
    // is not set: the profile comes from the settings only.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-sso-'));
    const configFile = path.join(dir, 'config');
    fs.writeFileSync(configFile, [
      '[profile handson-sso]', 'sso_session = handson', 'sso_account_id = 111122223333', 'sso_role_name = ECSHandsOn', 'region = ap-northeast-1', '',
      '[sso-session handson]', 'sso_start_url = https://example.awsapps.com/start', 'sso_region = ap-northeast-1', '',
    ].join('\n'));
    const saved = { config: process.env.AWS_CONFIG_FILE, profile: process.env.AWS_PROFILE, home: process.env.HOME };
    process.env.AWS_CONFIG_FILE = configFile;
    process.env.HOME = dir; // no ~/.aws/sso/cache here
    delete process.env.AWS_PROFILE;
    try {
      await config().update('aws.profile', 'handson-sso', vscode.ConfigurationTarget.Global);
      await config().update('connection', 'profile', vscode.ConfigurationTarget.Global);
      const roots = await errorRow('the profile\'s error');
      assert.match(roots[0].label, /SSO/);
      assert.equal(roots[0].description, t('Run `aws sso login{0}` and try again.', ' --profile handson-sso'));
    } finally {
      await config().update('connection', undefined, vscode.ConfigurationTarget.Global);
      await config().update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
      for (const [k, v] of [['AWS_CONFIG_FILE', saved.config], ['AWS_PROFILE', saved.profile], ['HOME', saved.home]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await backOnSandbox();
  });
});
