/**
 * Container instances and cluster settings through the real `@aws-sdk/client-ecs` (and EC2 for the
 * instances): RegisterContainerInstance / DeregisterContainerInstance with the instance identity
 * document the agent sends, the cluster query language in ListContainerInstances, custom
 * attributes, account settings, UpdateCluster, and draining an instance — the right way to scale
 * in — with the service's deployment configuration honoured. Time is a ManualClock the test moves.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteAccountSettingCommand,
  DeleteAttributesCommand,
  DeregisterContainerInstanceCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListAccountSettingsCommand,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RunTaskCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
  UpdateContainerInstancesStateCommand,
  type ContainerInstance,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { rejectsWith } from '../helpers/wait';
import { REGION, SIGNATURE, startFleet, type Fleet } from './helpers/ecs-fleet';

describe('ECS container instances, attributes, account and cluster settings through @aws-sdk/client-ecs', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  let sb: Sandbox;
  let ecs: ECSClient;
  let ec2: EC2Client;
  let runtime: FakeRuntime;
  let subnets: Fleet['subnets'];
  let run: Fleet['run'];
  let launch: Fleet['launch'];
  let identity: Fleet['identity'];
  let register: Fleet['register'];
  let describeCi: Fleet['describeCi'];
  let serviceTasks: Fleet['serviceTasks'];
  let taskDefinition: Fleet['taskDefinition'];

  before(async () => {
    fleet = await startFleet();
    ({ sb, ecs, ec2, runtime, subnets, run, launch, identity, register, describeCi, serviceTasks, taskDefinition } = fleet);
  });
  after(async () => {
    await fleet?.close();
  });

  it('registers an EC2 instance from the identity document the agent sends, as a new container instance each time', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'reg' }));
    const i = await launch(0);
    const ci = await register('reg', i, {
      versionInfo: { agentVersion: '1.86.3', agentHash: 'f1e2d3c4', dockerVersion: 'DockerVersion: 25.0.6' },
      attributes: [{ name: 'stack', value: 'prod' }, { name: 'ecs.capability.secrets.ssm.environment-variables' }],
      tags: [{ key: 'team', value: 'web' }],
    });
    assert.match(ci.containerInstanceArn!, new RegExp(`^arn:aws:ecs:${REGION}:${sb.world.accountId}:container-instance/reg/[0-9a-f]{32}$`));
    assert.equal(ci.ec2InstanceId, i.InstanceId);
    assert.equal(ci.status, 'ACTIVE');
    assert.equal(ci.agentConnected, true);
    assert.deepEqual(ci.versionInfo, { agentVersion: '1.86.3', agentHash: 'f1e2d3c4', dockerVersion: 'DockerVersion: 25.0.6' });
    const res = (name: string) => ci.registeredResources!.find((r) => r.name === name);
    assert.equal(res('CPU')?.integerValue, 2048, 't3.small: 2 vCPUs');
    assert.equal(res('MEMORY')?.integerValue, 1955);
    const attr = (name: string) => ci.attributes!.find((a) => a.name === name);
    assert.equal(attr('stack')?.value, 'prod');
    assert.ok(attr('ecs.capability.secrets.ssm.environment-variables'));
    assert.equal(attr('ecs.instance-type')?.value, 't3.small');
    assert.equal(attr('ecs.availability-zone')?.value, subnets[0].az);
    assert.deepEqual(ci.tags, [{ key: 'team', value: 'web' }]);

    // totalResources as the agent reports them (less memory reserved, its own reserved ports).
    const j = await launch(1);
    const ci2 = await register('reg', j, {
      totalResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: 1700 },
        { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679', '51680', '9100'] },
        { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: ['8125'] },
      ],
    });
    const reg2 = (name: string) => ci2.registeredResources!.find((r) => r.name === name);
    assert.equal(reg2('MEMORY')?.integerValue, 1700);
    assert.deepEqual(reg2('PORTS')?.stringSetValue, ['22', '2375', '2376', '51678', '51679', '51680', '9100']);
    assert.deepEqual(reg2('PORTS_UDP')?.stringSetValue, ['8125']);

    // Not idempotent (as ECS): the same document without containerInstanceArn is a second container instance.
    const again = await register('reg', i);
    assert.notEqual(again.containerInstanceArn, ci.containerInstanceArn);
    // With containerInstanceArn the agent re-registers the one it had: same ARN, a newer version.
    const re = await register('reg', i, { containerInstanceArn: ci.containerInstanceArn, versionInfo: { agentVersion: '1.89.3' } });
    assert.equal(re.containerInstanceArn, ci.containerInstanceArn);
    assert.ok(re.version! > ci.version!);
    assert.equal(re.versionInfo?.agentVersion, '1.89.3');
    assert.equal(re.attributes!.find((a) => a.name === 'stack')?.value, 'prod', 'custom attributes survive re-registration');
    await rejectsWith(
      register('reg', i, { containerInstanceArn: ci.containerInstanceArn, totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 4096 }] }),
      'ClientException',
      'Container instance type changes are not supported.',
    );
    const listed = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'reg' }))).containerInstanceArns!;
    assert.deepEqual(listed.sort(), [ci.containerInstanceArn, ci2.containerInstanceArn, again.containerInstanceArn].sort());
  });

  it('refuses identity documents that name no running instance of this account and region', async () => {
    const i = await launch(0);
    const doc = (over: Record<string, unknown>) => ({ cluster: 'reg', instanceIdentityDocument: identity(i, over), instanceIdentityDocumentSignature: SIGNATURE });
    const invalid = /^The identity document and identity document signature were not valid/;
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand(doc({ instanceId: 'i-0123456789abcdef0' }))), 'ClientException', invalid);
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand(doc({ region: 'us-east-1' }))), 'ClientException', invalid);
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand(doc({ accountId: '000000000000' }))), 'ClientException', invalid);
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand(doc({ instanceType: 'm5.24xlarge' }))), 'ClientException', invalid);
    await rejectsWith(
      ecs.send(new RegisterContainerInstanceCommand({ cluster: 'reg', instanceIdentityDocument: '{not json', instanceIdentityDocumentSignature: SIGNATURE })),
      'ClientException',
      invalid,
    );
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand({ cluster: 'reg' })), 'ClientException', /instanceIdentityDocument must be specified/);
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand({ ...doc({}), cluster: 'no-such-cluster' })), 'ClusterNotFoundException', 'Cluster not found.');
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    run(10_000);
    await rejectsWith(ecs.send(new RegisterContainerInstanceCommand(doc({}))), 'ClientException', /no running instance/);
  });

  it('ListContainerInstances filters with the cluster query language and by status', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'query' }));
    const small = await register('query', await launch(0, 't3.small'), { attributes: [{ name: 'stack', value: 'prod' }] });
    const medium = await register('query', await launch(1, 't3.medium'), { attributes: [{ name: 'stack', value: 'test' }] });
    const large = await register('query', await launch(1, 't3.large'));
    const list = async (filter: string, status?: 'ACTIVE' | 'DRAINING') =>
      ((await ecs.send(new ListContainerInstancesCommand({ cluster: 'query', filter, status }))).containerInstanceArns ?? []).sort();
    const arns = (...c: ContainerInstance[]) => c.map((x) => x.containerInstanceArn!).sort();
    const [azA, azC] = [subnets[0].az, subnets[1].az];
    assert.deepEqual(await list('attribute:ecs.instance-type == t3.small'), arns(small));
    assert.deepEqual(await list(`attribute:ecs.availability-zone in [${azA}, ${azC}]`), arns(small, medium, large));
    assert.deepEqual(await list(`attribute:ecs.availability-zone == ${azC} and attribute:ecs.instance-type != t3.large`), arns(medium));
    assert.deepEqual(await list('attribute:ecs.instance-type =~ t3\\.(small|large)'), arns(small, large));
    assert.deepEqual(await list('attribute:stack exists'), arns(small, medium));
    assert.deepEqual(await list('attribute:stack !exists'), arns(large));
    assert.deepEqual(await list('not(attribute:stack == prod)'), arns(medium, large));
    assert.deepEqual(await list('attribute:stack == prod || (attribute:ecs.instance-type == t3.large && runningTasksCount == 0)'), arns(small, large));
    assert.deepEqual(await list(`ec2InstanceId in ['${medium.ec2InstanceId}', '${large.ec2InstanceId}']`), arns(medium, large));
    assert.deepEqual(await list('registeredAt >= 2026-01-05 and agentConnected == true'), arns(small, medium, large));
    assert.deepEqual(await list('registeredAt < 2026-01-05T00:00:00Z'), []);
    assert.deepEqual(await list('agentVersion >= 1.14.0'), arns(small, medium, large));
    for (const bad of ['attribute:stack', 'attribute:stack === prod', 'runningTasksCount =~ 1', 'color == red', 'attribute:ecs.instance-type in t3.small', '(attribute:stack == prod', 'attribute:stack =~ (a+)+']) {
      await rejectsWith(ecs.send(new ListContainerInstancesCommand({ cluster: 'query', filter: bad })), 'InvalidParameterException', /^Invalid filter expression/);
    }
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'query', containerInstances: [medium.containerInstanceArn!], status: 'DRAINING' }));
    assert.deepEqual(await list('attribute:stack exists', 'DRAINING'), arns(medium));
    assert.deepEqual(await list('attribute:stack exists', 'ACTIVE'), arns(small));
  });

  it('PutAttributes / ListAttributes / DeleteAttributes with ECS limits and errors', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'attrs' }));
    const a = await register('attrs', await launch(0));
    const b = await register('attrs', await launch(1));
    const idOf = (ci: ContainerInstance) => ci.containerInstanceArn!.split('/').pop()!;
    const put = await ecs.send(
      new PutAttributesCommand({
        cluster: 'attrs',
        attributes: [
          { name: 'stack', value: 'production', targetId: a.containerInstanceArn },
          { name: 'stack', value: 'staging', targetType: 'container-instance', targetId: idOf(b) },
          { name: 'gpu-ready', targetId: idOf(b) },
        ],
      }),
    );
    assert.deepEqual(put.attributes, [
      { name: 'stack', value: 'production', targetId: a.containerInstanceArn },
      { name: 'stack', value: 'staging', targetType: 'container-instance', targetId: idOf(b) },
      { name: 'gpu-ready', targetId: idOf(b) },
    ]);
    const byName = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', attributeName: 'stack' }));
    assert.deepEqual(
      byName.attributes!.map((x) => [x.name, x.value, x.targetId]).sort(),
      [
        ['stack', 'production', a.containerInstanceArn],
        ['stack', 'staging', b.containerInstanceArn],
      ].sort(),
    );
    const byValue = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', attributeName: 'stack', attributeValue: 'staging' }));
    assert.deepEqual(byValue.attributes!.map((x) => x.targetId), [b.containerInstanceArn]);
    // The agent's attributes are listed too (ecs.os-type=linux, as the API reference's example).
    const linux = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', attributeName: 'ecs.os-type', attributeValue: 'linux' }));
    assert.equal(linux.attributes!.length, 2);
    // Pages of maxResults.
    let token: string | undefined;
    let total = 0;
    do {
      const page = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', maxResults: 5, nextToken: token }));
      assert.ok(page.attributes!.length <= 5);
      total += page.attributes!.length;
      token = page.nextToken;
    } while (token);
    assert.equal(total, (await describeCi('attrs', a)).attributes!.length + (await describeCi('attrs', b)).attributes!.length);
    // The attribute is visible to the query language.
    const staged = await ecs.send(new ListContainerInstancesCommand({ cluster: 'attrs', filter: 'attribute:stack == staging' }));
    assert.deepEqual(staged.containerInstanceArns, [b.containerInstanceArn]);

    // 10 custom attributes per resource: b has 2; 8 more fit, a 9th does not (and nothing of that call is applied).
    const more = (n: number, from: number) => Array.from({ length: n }, (_, k) => ({ name: `custom-${from + k}`, value: 'x', targetId: idOf(b) }));
    await ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: more(8, 0) }));
    await rejectsWith(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: more(1, 8) })), 'AttributeLimitExceededException', /up to 10 custom attributes/);
    await rejectsWith(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: Array.from({ length: 11 }, (_, k) => ({ name: `n${k}`, targetId: idOf(a) })) })), 'AttributeLimitExceededException');
    assert.ok(!(await describeCi('attrs', a)).attributes!.some((x) => x.name === 'n0'), 'a refused call applies nothing');
    await rejectsWith(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', value: 'x', targetId: 'f'.repeat(32) }] })), 'TargetNotFoundException');
    await rejectsWith(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'bad name!', value: 'x', targetId: idOf(a) }] })), 'InvalidParameterException', /Attribute name/);
    await rejectsWith(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', value: ' padded', targetId: idOf(a) }] })), 'InvalidParameterException', /Attribute value/);
    await rejectsWith(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', value: 'x' }] })), 'InvalidParameterException', /targetId/);
    await rejectsWith(ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', attributeValue: 'x' })), 'InvalidParameterException', /attributeName/);
    await rejectsWith(ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'task' as never })), 'InvalidParameterException', /targetType/);
    await rejectsWith(ecs.send(new ListAttributesCommand({ cluster: 'nope', targetType: 'container-instance' })), 'ClusterNotFoundException');

    const del = await ecs.send(new DeleteAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', targetId: a.containerInstanceArn }] }));
    assert.deepEqual(del.attributes, [{ name: 'stack', targetId: a.containerInstanceArn }]);
    assert.ok(!(await describeCi('attrs', a)).attributes!.some((x) => x.name === 'stack'));
    await rejectsWith(ecs.send(new DeleteAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', targetId: 'f'.repeat(32) }] })), 'TargetNotFoundException');
  });

  it('account settings: defaults, per principal, the account default, effective settings, and ECS validation', async () => {
    const me = `arn:aws:iam::${sb.world.accountId}:user/ecs-handson-sandbox`;
    const root = `arn:aws:iam::${sb.world.accountId}:root`;
    // A fresh account has no explicit settings; its effective ones are AWS's defaults, in pages of 10.
    assert.deepEqual((await ecs.send(new ListAccountSettingsCommand({}))).settings, []);
    const first = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true }));
    assert.equal(first.settings!.length, 10);
    assert.ok(first.nextToken);
    const second = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, nextToken: first.nextToken }));
    const all = [...first.settings!, ...second.settings!];
    assert.equal(all.length, 11);
    const eff = (n: string) => all.find((s) => s.name === n);
    assert.equal(eff('serviceLongArnFormat')?.value, 'enabled');
    assert.equal(eff('containerInsights')?.value, 'disabled');
    assert.equal(eff('containerInsights')?.principalArn, root);
    assert.equal(eff('guardDutyActivate')?.type, 'aws_managed');
    assert.equal(eff('awsvpcTrunking')?.type, 'user');

    // The account default turns Container Insights on for clusters created without the setting.
    const def = await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'enabled' }));
    assert.deepEqual(def.setting, { name: 'containerInsights', value: 'enabled', principalArn: root, type: 'user' });
    const c1 = (await ecs.send(new CreateClusterCommand({ clusterName: 'insights-default' }))).cluster!;
    assert.deepEqual(c1.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    const c2 = (await ecs.send(new CreateClusterCommand({ clusterName: 'insights-off', settings: [{ name: 'containerInsights', value: 'disabled' }] }))).cluster!;
    assert.deepEqual(c2.settings, [{ name: 'containerInsights', value: 'disabled' }]);

    // The caller's own setting overrides the account default (for the caller only).
    const mine = await ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enhanced' }));
    assert.deepEqual(mine.setting, { name: 'containerInsights', value: 'enhanced', principalArn: me, type: 'user' });
    assert.deepEqual((await ecs.send(new ListAccountSettingsCommand({}))).settings, [{ name: 'containerInsights', value: 'enhanced', principalArn: me, type: 'user' }]);
    const effMine = await ecs.send(new ListAccountSettingsCommand({ name: 'containerInsights', effectiveSettings: true }));
    assert.deepEqual(effMine.settings, [{ name: 'containerInsights', value: 'enhanced', principalArn: me, type: 'user' }]);
    const c3 = (await ecs.send(new CreateClusterCommand({ clusterName: 'insights-enhanced' }))).cluster!;
    assert.deepEqual(c3.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
    const role = `arn:aws:iam::${sb.world.accountId}:role/deployer`;
    await ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn: role }));
    const forRole = await ecs.send(new ListAccountSettingsCommand({ principalArn: role, effectiveSettings: true, name: 'awsvpcTrunking' }));
    assert.deepEqual(forRole.settings, [{ name: 'awsvpcTrunking', value: 'enabled', principalArn: role, type: 'user' }]);
    const byValue = await ecs.send(new ListAccountSettingsCommand({ principalArn: role, effectiveSettings: true, name: 'containerInsights', value: 'enabled' }));
    assert.deepEqual(byValue.settings, [{ name: 'containerInsights', value: 'enabled', principalArn: root, type: 'user' }]);

    const deleted = await ecs.send(new DeleteAccountSettingCommand({ name: 'containerInsights' }));
    assert.deepEqual(deleted.setting, { name: 'containerInsights', value: 'enhanced', principalArn: me, type: 'user' });
    assert.equal((await ecs.send(new ListAccountSettingsCommand({ name: 'containerInsights', effectiveSettings: true }))).settings![0].value, 'enabled');
    await ecs.send(new DeleteAccountSettingCommand({ name: 'containerInsights', principalArn: root }));
    assert.equal((await ecs.send(new ListAccountSettingsCommand({ name: 'containerInsights', effectiveSettings: true }))).settings![0].value, 'disabled');

    const IPE = 'InvalidParameterException';
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'on' })), IPE, /Valid values are enhanced, enabled, disabled/);
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'colour' as never, value: 'enabled' })), IPE, /name/);
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'guardDutyActivate', value: 'on' })), IPE, /read only/);
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '14' })), IPE, /root user/);
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'taskLongArnFormat', value: 'disabled' })), IPE, /long ARN format/);
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn: 'arn:aws:iam::000000000000:root' })), IPE, /another account/);
    await rejectsWith(ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn: 'bob' })), IPE, /principalArn/);
    await rejectsWith(ecs.send(new ListAccountSettingsCommand({ value: 'enabled' })), IPE, /value can be specified only together with name/);
    await rejectsWith(ecs.send(new ListAccountSettingsCommand({ maxResults: 11 })), IPE, /maxResults/);
    assert.equal((await ecs.send(new PutAccountSettingDefaultCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '14' }))).setting?.value, '14');
  });

  it('UpdateCluster / UpdateClusterSettings set containerInsights and the execute command configuration, returned as DescribeClusters returns them', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'upd' }));
    const configuration = {
      executeCommandConfiguration: {
        kmsKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/abcd',
        logging: 'OVERRIDE' as const,
        logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true },
      },
    };
    const out = (await ecs.send(new UpdateClusterCommand({ cluster: 'upd', settings: [{ name: 'containerInsights', value: 'enhanced' }], configuration }))).cluster!;
    assert.deepEqual(out.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
    assert.deepEqual(out.configuration, configuration);
    const described = (await ecs.send(new DescribeClustersCommand({ clusters: ['upd'], include: ['CONFIGURATIONS', 'SETTINGS'] }))).clusters![0];
    assert.deepEqual(described.configuration, configuration);
    assert.deepEqual(described.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
    assert.equal((await ecs.send(new DescribeClustersCommand({ clusters: ['upd'] }))).clusters![0].configuration, undefined, 'only with include CONFIGURATIONS');
    const s2 = (await ecs.send(new UpdateClusterSettingsCommand({ cluster: 'upd', settings: [{ name: 'containerInsights', value: 'disabled' }] }))).cluster!;
    assert.deepEqual(s2.settings, [{ name: 'containerInsights', value: 'disabled' }]);
    assert.deepEqual(s2.configuration, configuration);
    // CreateCluster keeps a configuration too (it was dropped before).
    const created = (await ecs.send(new CreateClusterCommand({ clusterName: 'upd-created', configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } } }))).cluster!;
    assert.deepEqual(created.configuration, { executeCommandConfiguration: { logging: 'DEFAULT' } });

    const IPE = 'InvalidParameterException';
    await rejectsWith(ecs.send(new UpdateClusterCommand({ cluster: 'upd', configuration: { executeCommandConfiguration: { logging: 'OVERRIDE' } } })), IPE, /logConfiguration must be specified/);
    await rejectsWith(
      ecs.send(new UpdateClusterCommand({ cluster: 'upd', configuration: { executeCommandConfiguration: { logging: 'DEFAULT', logConfiguration: { s3BucketName: 'b' } } } })),
      IPE,
      /only when logging is OVERRIDE/,
    );
    await rejectsWith(ecs.send(new UpdateClusterCommand({ cluster: 'upd', settings: [{ name: 'containerInsights', value: 'maybe' }] })), IPE, /containerInsights/);
    await rejectsWith(ecs.send(new UpdateClusterCommand({ cluster: 'upd', serviceConnectDefaults: { namespace: 'ns' } })), IPE, /Cloud Map/);
    await rejectsWith(ecs.send(new UpdateClusterCommand({ cluster: 'ghost', settings: [] })), 'ClusterNotFoundException', 'Cluster not found.');
    assert.deepEqual((await ecs.send(new DescribeClustersCommand({ clusters: ['upd'], include: ['CONFIGURATIONS'] }))).clusters![0].configuration, configuration, 'refusals change nothing');
  });

  it('draining an instance: service tasks are replaced elsewhere first (maximumPercent 200), standalone tasks stay, runningTasksCount goes to 0', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'drain' }));
    const td = await taskDefinition();
    const a = await register('drain', await launch(0));
    const b = await register('drain', await launch(1));
    await ecs.send(new CreateServiceCommand({ cluster: 'drain', serviceName: 'web', taskDefinition: td.taskDefinitionArn, desiredCount: 2 }));
    run(70_000);
    let tasks = (await serviceTasks('drain', 'web')).filter((t) => t.lastStatus === 'RUNNING');
    assert.equal(tasks.length, 2);
    const onB = tasks.find((t) => t.containerInstanceArn === b.containerInstanceArn)!;
    assert.ok(onB, 'one service task per AZ');
    const c = await register('drain', await launch(0));
    const standalone = (await ecs.send(new RunTaskCommand({ cluster: 'drain', taskDefinition: td.taskDefinitionArn }))).tasks![0];
    assert.equal(standalone.containerInstanceArn, c.containerInstanceArn, 'the standalone task goes to the empty instance');
    run(20_000);

    const upd = await ecs.send(
      new UpdateContainerInstancesStateCommand({ cluster: 'drain', containerInstances: [b.containerInstanceArn!, 'f'.repeat(32)], status: 'DRAINING' }),
    );
    assert.deepEqual(upd.containerInstances!.map((x) => [x.containerInstanceArn, x.status]), [[b.containerInstanceArn, 'DRAINING']]);
    assert.deepEqual(upd.failures, [{ arn: `arn:aws:ecs:${REGION}:${sb.world.accountId}:container-instance/drain/${'f'.repeat(32)}`, reason: 'MISSING' }]);
    // Step by step: when the old task is told to stop, its replacement already runs on another instance.
    let replacementRunningAtStop: boolean | undefined;
    for (let s = 0; s < 120 && replacementRunningAtStop === undefined; s++) {
      run(1000);
      tasks = await serviceTasks('drain', 'web');
      const old = tasks.find((t) => t.taskArn === onB.taskArn)!;
      if (old.desiredStatus === 'STOPPED') {
        replacementRunningAtStop = tasks.some((t) => t.taskArn !== onB.taskArn && t.lastStatus === 'RUNNING' && t.containerInstanceArn === c.containerInstanceArn);
      }
    }
    assert.equal(replacementRunningAtStop, true, 'the replacement runs (on the other instance in the drained one\'s place) before the old task stops');
    run(60_000);
    const drained = await describeCi('drain', b);
    assert.equal(drained.status, 'DRAINING');
    assert.equal(drained.runningTasksCount, 0);
    assert.equal(drained.pendingTasksCount, 0);
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: 'drain', services: ['web'] }))).services![0];
    assert.equal(svc.runningCount, 2);
    const messages = svc.events!.map((e) => e.message!).reverse();
    const started = messages.findIndex((m, k) => k > 0 && /has started 1 tasks/.test(m));
    const stopped = messages.findIndex((m) => /has stopped 1 running tasks/.test(m));
    assert.ok(started >= 0 && stopped > started, `started before stopped: ${messages.join(' | ')}`);
    // No new task goes to a DRAINING instance.
    const runs = (await ecs.send(new RunTaskCommand({ cluster: 'drain', taskDefinition: td.taskDefinitionArn, count: 3 }))).tasks!;
    assert.ok(runs.every((t) => t.containerInstanceArn !== b.containerInstanceArn));

    // Draining the instance with the standalone task moves the service task and leaves the standalone one running.
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'drain', containerInstances: [c.containerInstanceArn!], status: 'DRAINING' }));
    run(120_000);
    const still = (await ecs.send(new DescribeTasksCommand({ cluster: 'drain', tasks: [standalone.taskArn!] }))).tasks![0];
    assert.equal(still.lastStatus, 'RUNNING');
    assert.equal(still.desiredStatus, 'RUNNING');
    const live = (await serviceTasks('drain', 'web')).filter((t) => t.desiredStatus === 'RUNNING');
    assert.equal(live.length, 2);
    assert.ok(live.every((t) => t.containerInstanceArn === a.containerInstanceArn), 'both service tasks on the one ACTIVE instance');
    assert.equal((await describeCi('drain', c)).runningTasksCount, 1 + runs.filter((t) => t.containerInstanceArn === c.containerInstanceArn).length);

    // Back to ACTIVE: it takes tasks again.
    const back = await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'drain', containerInstances: [b.containerInstanceArn!], status: 'ACTIVE' }));
    assert.equal(back.containerInstances![0].status, 'ACTIVE');
    const placed = (await ecs.send(new RunTaskCommand({ cluster: 'drain', taskDefinition: td.taskDefinitionArn }))).tasks![0];
    assert.equal(placed.containerInstanceArn, b.containerInstanceArn);
  });

  it('draining with minimumHealthyPercent 50 / maximumPercent 100 stops first and never runs more than the desired count', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'drain2' }));
    const td = await taskDefinition();
    const a = await register('drain2', await launch(0));
    await register('drain2', await launch(1));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'drain2', serviceName: 'tight', taskDefinition: td.taskDefinitionArn, desiredCount: 2,
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
      }),
    );
    run(70_000);
    await register('drain2', await launch(1));
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'drain2', containerInstances: [a.containerInstanceArn!], status: 'DRAINING' }));
    let most = 0;
    for (let s = 0; s < 90; s++) {
      run(1000);
      const wanted = (await serviceTasks('drain2', 'tight')).filter((t) => t.desiredStatus === 'RUNNING');
      most = Math.max(most, wanted.length);
    }
    assert.equal(most, 2, 'maximumPercent 100: never more than 2 tasks wanted at once');
    const final = (await serviceTasks('drain2', 'tight')).filter((t) => t.lastStatus === 'RUNNING');
    assert.equal(final.length, 2);
    assert.ok(final.every((t) => t.containerInstanceArn !== a.containerInstanceArn));
    assert.equal((await describeCi('drain2', a)).runningTasksCount, 0);
  });

  it('DeregisterContainerInstance: refused while tasks run; with force the tasks keep running orphaned and the service replaces them', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'orphans' }));
    const td = await taskDefinition();
    const d = await register('orphans', await launch(0));
    const e = await register('orphans', await launch(1));
    await ecs.send(new CreateServiceCommand({ cluster: 'orphans', serviceName: 'one', taskDefinition: td.taskDefinitionArn, desiredCount: 1 }));
    run(70_000);
    const [task] = (await serviceTasks('orphans', 'one')).filter((t) => t.lastStatus === 'RUNNING');
    const host = task.containerInstanceArn === d.containerInstanceArn ? d : e;
    const other = host === d ? e : d;
    await rejectsWith(
      ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'orphans', containerInstance: host.containerInstanceArn })),
      'InvalidParameterException',
      'Found running tasks on the instance.',
    );
    const out = (await ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'orphans', containerInstance: host.containerInstanceArn, force: true }))).containerInstance!;
    assert.equal(out.status, 'INACTIVE');
    assert.equal(out.agentConnected, false);
    run(70_000);
    const tasks = await serviceTasks('orphans', 'one');
    const orphan = tasks.find((t) => t.taskArn === task.taskArn)!;
    assert.equal(orphan.lastStatus, 'RUNNING', 'the orphaned task keeps running');
    const taskId = task.taskArn!.split('/').pop()!;
    assert.ok(runtime.running.has(taskId), 'its process was not stopped');
    const replacement = tasks.find((t) => t.taskArn !== task.taskArn && t.lastStatus === 'RUNNING');
    assert.equal(replacement?.containerInstanceArn, other.containerInstanceArn, 'the service started a replacement on the other instance');
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: 'orphans', services: ['one'] }))).services![0];
    assert.equal(svc.runningCount, 1);
    assert.equal((await ecs.send(new DescribeClustersCommand({ clusters: ['orphans'] }))).clusters![0].runningTasksCount, 1, 'ECS no longer counts the orphan');
    assert.deepEqual((await ecs.send(new ListContainerInstancesCommand({ cluster: 'orphans' }))).containerInstanceArns, [other.containerInstanceArn]);
    assert.equal((await describeCi('orphans', host)).status, 'INACTIVE');
    const inactive = await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'orphans', containerInstances: [host.containerInstanceArn!], status: 'DRAINING' }));
    assert.deepEqual(inactive.failures, [{ arn: host.containerInstanceArn, reason: 'INACTIVE' }]);
    assert.deepEqual(inactive.containerInstances, []);

    // Terminating its EC2 instance ends the orphan; an hour later the container instance is gone.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [host.ec2InstanceId!] }));
    run(60_000);
    const ended = (await ecs.send(new DescribeTasksCommand({ cluster: 'orphans', tasks: [task.taskArn!] }))).tasks![0];
    assert.equal(ended.lastStatus, 'STOPPED');
    assert.equal(ended.stoppedReason, `Host EC2 (instance ${host.ec2InstanceId}) terminated.`);
    run(61 * 60_000, 60_000);
    const gone = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'orphans', containerInstances: [host.containerInstanceArn!] }));
    assert.deepEqual(gone.failures, [{ arn: host.containerInstanceArn, reason: 'MISSING' }]);
    await rejectsWith(
      ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'orphans', containerInstance: 'f'.repeat(32) })),
      'InvalidParameterException',
      'The referenced container instance was not found.',
    );
  });

  it('what these operations store survives a restart of the sandbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-instances-'));
    const stateFile = join(dir, 'state.json');
    const rt = new FakeRuntime();
    const clk = new ManualClock(Date.UTC(2026, 0, 5));
    let one: Sandbox | undefined = await startSandbox({ port: 0, region: REGION, runtime: rt, clock: clk, stateFile, tickMs: 3_600_000, log: () => {} });
    let two: Sandbox | undefined;
    try {
      const cfg = { endpoint: one.endpoint, region: REGION, credentials: one.credentials, maxAttempts: 1 };
      const c1 = new ECSClient(cfg);
      const e1 = new EC2Client(cfg);
      await c1.send(new CreateClusterCommand({ clusterName: 'keep', configuration: { executeCommandConfiguration: { logging: 'NONE' } } }));
      const subnet = (await e1.send(new DescribeSubnetsCommand({}))).Subnets![0];
      const inst = (await e1.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId }))).Instances![0];
      clk.advance(11_000);
      one.engine.tick();
      const doc = JSON.stringify({ instanceId: inst.InstanceId, region: REGION, availabilityZone: subnet.AvailabilityZone, instanceType: 't3.small' });
      const ci = (await c1.send(new RegisterContainerInstanceCommand({ cluster: 'keep', instanceIdentityDocument: doc, versionInfo: { agentVersion: '1.80.0' } }))).containerInstance!;
      await c1.send(new PutAttributesCommand({ cluster: 'keep', attributes: [{ name: 'stack', value: 'prod', targetId: ci.containerInstanceArn }] }));
      await c1.send(new PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
      c1.destroy();
      e1.destroy();
      await one.close();
      one = undefined;

      two = await startSandbox({ port: 0, region: REGION, runtime: new FakeRuntime(), clock: clk, stateFile, tickMs: 3_600_000, log: () => {} });
      const c2 = new ECSClient({ endpoint: two.endpoint, region: REGION, credentials: two.credentials, maxAttempts: 1 });
      const back = (await c2.send(new DescribeContainerInstancesCommand({ cluster: 'keep', containerInstances: [ci.containerInstanceArn!] }))).containerInstances![0];
      assert.equal(back.versionInfo?.agentVersion, '1.80.0');
      assert.equal(back.attributes!.find((a) => a.name === 'stack')?.value, 'prod');
      const listed = await c2.send(new ListAttributesCommand({ cluster: 'keep', targetType: 'container-instance', attributeName: 'stack' }));
      assert.deepEqual(listed.attributes!.map((a) => a.targetId), [ci.containerInstanceArn]);
      const setting = await c2.send(new ListAccountSettingsCommand({ name: 'awsvpcTrunking', effectiveSettings: true }));
      assert.equal(setting.settings![0].value, 'enabled');
      const cluster = (await c2.send(new DescribeClustersCommand({ clusters: ['keep'], include: ['CONFIGURATIONS'] }))).clusters![0];
      assert.deepEqual(cluster.configuration, { executeCommandConfiguration: { logging: 'NONE' } });
      c2.destroy();
    } finally {
      await one?.close();
      await two?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
