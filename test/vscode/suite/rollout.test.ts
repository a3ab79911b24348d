/**
 * The rollout status bar item and view, in a real extension host, against the sandbox the
 * extension starts: a cluster with two EC2 instances, demo-service with 2 tasks on static port 80,
 * then (1) a static-port-80 revision with min 100 / max 200 that cannot be placed (the item turns
 * "stuck" with the port-conflict event in its tooltip, the view shows it), and (2) the hands-on's
 * fix, a dynamic-port revision, followed from in progress to deployed.
 * (Stuck first: after a dynamic-port rollout, port 80 is free again and nothing would conflict.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EC2Client, DescribeSubnetsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { UiContext } from '../../../src/ui/ui-context';
import { eventually } from '../../helpers/wait';

const CLUSTER = 'rollout-cluster';
const SERVICE = 'demo-service';
const t = vscode.l10n.t;

interface StatusSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  accessibilityLabel: string;
  background?: string;
  command?: string;
  viewTitle?: string;
  viewBody?: string;
}

const status = async (): Promise<StatusSnapshot> => await vscode.commands.executeCommand<StatusSnapshot>('_ecsHandson.rollout.status');

const container = (image: string, hostPort: number) => ({
  name: 'demo',
  image,
  cpu: 256,
  memory: 512,
  essential: true,
  portMappings: [{ containerPort: 8080, hostPort, protocol: 'tcp' as const }],
});

describe('rollout status bar and view', function () {
  this.timeout(180_000);
  let services: UiContext;
  let ecs: ECSClient;
  let ec2: EC2Client;
  let ssm: SSMClient;
  let clusterArn: string;

  const describe1 = async (): Promise<Service> => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
  const config = () => vscode.workspace.getConfiguration('ecsHandson');

  before(async () => {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    const clients = await services.connections.clients();
    const endpoint = services.connections.sandboxEndpoint;
    assert.ok(endpoint, 'connected to the sandbox');
    await services.connections.sandboxAdmin()!.reset();
    // Forget rollouts other suites left followed: reconnecting clears the status bar's list.
    await services.connections.reset();
    await services.connections.clients();
    const c = clients.connection;
    assert.equal(c.kind, 'sandbox');
    const cfg = { endpoint: c.endpoint, region: c.region, credentials: c.credentials };
    ecs = new ECSClient(cfg);
    ec2 = new EC2Client(cfg);
    ssm = new SSMClient(cfg);

    clusterArn = (await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }))).cluster!.clusterArn!;
    const ami = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }))).Parameter!.Value!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    for (const s of subnets.slice(0, 2)) {
      await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: s.SubnetId, UserData: userData }));
    }
    await eventually('2 container instances', async () => (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns?.length === 2);

    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver1.0', 80)] }));
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: 'demo-app-task:1', desiredCount: 2 }));
    await eventually('demo-service stable on demo-app-task:1', async () => {
      const d = (await describe1()).deployments ?? [];
      return d.length === 1 && d[0].rolloutState === 'COMPLETED' && d[0].runningCount === 2;
    }, 90_000, 250);
  });

  after(async () => {
    await config().update('rollout.stuckAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    ecs?.destroy();
    ec2?.destroy();
    ssm?.destroy();
  });

  it('shows a static-port-80 rollout that cannot be placed as stuck, with the port-conflict event in the tooltip', async () => {
    await config().update('rollout.stuckAfterSeconds', 30, vscode.ConfigurationTarget.Global);
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver2.0', 80)] }));
    await ecs.send(new UpdateServiceCommand({
      cluster: CLUSTER, service: SERVICE, taskDefinition: 'demo-app-task:2',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    }));
    services.followRollout(clusterArn, SERVICE);

    const first = await eventually('the item to appear', async () => {
      const s = await status();
      return s.visible && s.text !== `$(sync~spin) ${SERVICE}` && s;
    }, 20_000, 50);
    assert.match(first.text, new RegExp(`^\\$\\((sync~spin|warning)\\) ${SERVICE} demo-app-task:2 0/2 · ${escapeRe(t('old {0}', 2))} · `));
    assert.equal(first.command, 'ecsHandson.rollout.show');

    const stuck = await eventually('the stuck state', async () => {
      const s = await status();
      return s.text.startsWith('$(warning)') && /already using a port required by your task/.test(s.tooltip) && s;
    }, 60_000, 100);
    assert.equal(stuck.text, `$(warning) ${SERVICE} demo-app-task:2 0/2 · ${t('old {0}', 2)} · ${t('stuck')}`);
    assert.equal(stuck.background, 'statusBarItem.warningBackground');
    assert.match(stuck.tooltip, /\| PRIMARY \| demo-app-task:2 \| IN\\_PROGRESS \| 0\/2 \| 0 \| 0 \|/);
    assert.match(stuck.tooltip, /\| ACTIVE \| demo-app-task:1 \| COMPLETED \| 2\/2 \| 0 \| 0 \|/);
    // The cause in plain words first (bold), the remedy, then what ECS said (italic).
    assert.ok(stuck.tooltip.includes(`$(error) **${t('Port {0} is already used by the old tasks on every instance, so ECS cannot start the new ones.', 80)}**`), stuck.tooltip);
    const said = escapeRe(t('ECS said: {0}', 'X')).replace('X', '\\(service demo-service\\) was unable to place a task because no container instance met all of its requirements\\. The closest matching \\(container-instance [0-9a-f]+\\) is already using a port required by your task\\.');
    assert.match(stuck.tooltip, new RegExp(`\\n\\*${said}\\*\\n`));
    assert.match(stuck.tooltip, new RegExp(escapeRe(t('No progress for {0}.', 'X')).replace('X', escapeRe(t('{0} (sandbox time)', 'Y')).replace('Y', '\\d+:\\d\\d'))));
    assert.match(stuck.accessibilityLabel, new RegExp(escapeRe(t('ECS rollout of {0} to {1} is stuck: {2}{3}', SERVICE, 'demo-app-task:2', t('{0} of {1} new tasks running', 0, 2), `, ${t('{0} old tasks running', 2)}`))));
  });

  it('ecsHandson.rollout.show opens the rollout view with the deployments and the event', async () => {
    await vscode.commands.executeCommand('ecsHandson.rollout.show', { clusterArn, serviceName: SERVICE });
    const title = t('Rollout: {0}', SERVICE);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = await eventually(`a tab titled ${title}`, async () => tabs().find((x) => x.label === title), 10_000).catch((e: Error) => {
      throw new Error(`${e.message}; tabs: ${tabs().map((x) => x.label).join(', ')}`);
    });
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'a webview panel');
    assert.match(tab.input.viewType, /ecsHandson\.rollout$/);
    assert.equal(tab.isActive, true);
    const s = await eventually('the view loaded', async () => {
      const x = await status();
      return x.viewBody?.includes('<tbody>') && x.viewBody.includes('already using a port') && x;
    }, 20_000);
    assert.equal(s.viewTitle, title);
    assert.match(s.viewBody!, new RegExp(`<th scope="col">${escapeRe(t('Rollout state'))}</th>`));
    assert.match(s.viewBody!, /<th scope="row">PRIMARY<div class="sub nowrap">ecs-svc\/\d+<\/div><\/th><td class="nowrap">demo-app-task:2<\/td>/);
    assert.match(s.viewBody!, new RegExp(escapeRe(t('Stopped tasks'))));
    // From the palette (no argument): the current rollout.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await eventually('the tab closed', async () => !tabs().some((x) => x.label === title), 10_000);
    await vscode.commands.executeCommand('ecsHandson.rollout.show');
    await eventually('the tab reopened from the palette', async () => tabs().some((x) => x.label === title), 10_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('follows a dynamic-port rollout from in progress (spinner, counts, old tasks, elapsed) to deployed', async () => {
    await config().update('rollout.stuckAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:ver2.0', 0)] }));
    // As a user does it: Deploy Revision (the command updates the service and hands the rollout to the status bar).
    const deployed = await vscode.commands.executeCommand<{ error?: string; serviceArn?: string }>('ecsHandson.taskDefinition.deploy', { taskDefinition: 'demo-app-task:3', cluster: CLUSTER, service: SERVICE });
    assert.ok(deployed && !deployed.error, `deploy revision: ${JSON.stringify(deployed)}`);

    const seen: string[] = [];
    const done = await eventually('deployed', async () => {
      const s = await status();
      if (s.visible && seen[seen.length - 1] !== s.text) seen.push(s.text);
      return s.text.startsWith('$(check)') && s;
    }, 90_000, 50);
    // The elapsed time is on the sandbox's clock, and says so.
    const progress = new RegExp(`^\\$\\(sync~spin\\) ${SERVICE} demo-app-task:3 [0-2]/2 · ${escapeRe(t('old {0}', 0)).replace('0', '\\d')} · ${escapeRe(t('{0} (sandbox time)', 'X')).replace('X', '\\d+:\\d\\d')}$`);
    assert.ok(seen.some((x) => progress.test(x)), `an in-progress text among ${JSON.stringify(seen)}`);
    assert.ok(seen.indexOf(seen.find((x) => progress.test(x))!) < seen.indexOf(done.text), 'in progress before deployed');
    assert.equal(done.text, `$(check) ${SERVICE} demo-app-task:3 ${t('deployed')}`);
    assert.equal(done.background, undefined);
    // (Failed may be > 0 when a task process was slow to start on a loaded machine and got replaced.)
    assert.match(done.tooltip, /\| PRIMARY \| demo-app-task:3 \| COMPLETED \| 2\/2 \| 0 \| \d+ \|/, JSON.stringify(done.tooltip));
    assert.ok(!/ACTIVE/.test(done.tooltip), 'the old deployments are gone');
    const svc = await describe1();
    assert.equal(svc.deployments?.length, 1);
    assert.equal(svc.deployments?.[0].rolloutState, 'COMPLETED');
  });

  it('shows a rollout stopped by the circuit breaker as FAILED on the error background, with the reason and the stopped tasks', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [container('uzresk/demo:does-not-exist', 0)] }));
    await ecs.send(new UpdateServiceCommand({
      cluster: CLUSTER, service: SERVICE, taskDefinition: 'demo-app-task:4',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: false } },
    }));
    services.followRollout(clusterArn, SERVICE);
    const failed = await eventually('FAILED', async () => {
      const s = await status();
      return s.text.startsWith('$(error)') && s;
    }, 120_000, 100);
    assert.equal(failed.text, `$(error) ${SERVICE} demo-app-task:4 ${t('FAILED')}`);
    assert.equal(failed.background, 'statusBarItem.errorBackground');
    assert.ok(failed.tooltip.includes(`$(error) **${t('The deployment circuit breaker stopped this rollout because the new tasks kept failing to start or to stay healthy.')}**`), failed.tooltip);
    assert.ok(failed.tooltip.includes(`*${t('ECS said: {0}', 'ECS deployment circuit breaker: tasks failed to start.')}*`), failed.tooltip);
    assert.match(failed.tooltip, /\| PRIMARY \| demo-app-task:4 \| FAILED \| 0\/2 \| 0 \| [3-9] \|/);
    // A failure stays until the user has looked at it: the view shows why the tasks stopped.
    await vscode.commands.executeCommand('ecsHandson.rollout.show');
    const viewed = await eventually('the view with the stopped tasks', async () => {
      const x = await status();
      return x.viewBody?.includes('CannotPullContainerError') && x;
    }, 20_000);
    assert.match(viewed.viewBody!, /<td>TaskFailedToStart<\/td>/);
    assert.match(viewed.viewBody!, /ECS deployment circuit breaker: tasks failed to start\./);
    assert.equal(viewed.text, failed.text, 'still shown after it was looked at');
    assert.equal(viewed.background, undefined, 'no longer alarming once seen');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
