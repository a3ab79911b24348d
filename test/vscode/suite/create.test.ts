/**
 * The "create" commands run with argument objects inside real VS Code, against the sandbox the
 * extension starts: section 1 of the hands-on (cluster → task definition → revision → load
 * balancer → service), checked through the AWS SDK, plus bad input that must create nothing.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AwsClients } from '../../../src/aws';
import type { UiContext } from '../../../src/ui/ui-context';
import { eventually } from '../../helpers/wait';
import { extensionAws, type AwsModule } from './extension-aws';


const extensionId = 'ecs-handson.ecs-handson';
const MANAGED = { key: 'ecs-handson:managed', value: 'true' };
/** What the user reads, in the display language (the messages come from the extension's l10n bundle). */
const L = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);

describe('Create commands (sandbox)', function () {
  this.timeout(120_000);
  let services: UiContext;
  let clients: AwsClients;
  let aws: AwsModule;
  let endpoint: string;
  let lbUrls: { url: string; localUrl?: string } | undefined;

  const run = async <T>(id: string, args: unknown): Promise<T> => await vscode.commands.executeCommand(id, args);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The shared eventually with this suite's argument order. */
  const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> => eventually(what, probe, timeoutMs, 500);


  before(async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    services = (await ext.activate()) as UiContext;
    clients = await services.connections.clients();
    endpoint = services.connections.sandboxEndpoint!;
    assert.ok(endpoint, 'the extension should be connected to its sandbox');
    await services.connections.sandboxAdmin()!.reset();
    // The very module the extension loads (dist/aws.js): clients and command classes match.
    aws = extensionAws(ext);
  });

  after(async () => {
    // service.create made the status bar follow demo-service; later suites start from their own
    // state, so drop what this connection followed (the sandbox keeps running).
    await services?.connections.reset();
  });

  it('cluster.create refuses an invalid name with a clear error and creates nothing', async () => {
    const result = await run<{ error?: string; field?: string }>('ecsHandson.cluster.create', { name: 'demo cluster!', waitSeconds: 0 });
    assert.ok(result && typeof result.error === 'string', `expected an error result, got ${JSON.stringify(result)}`);
    assert.equal(result.error, `${L('Cluster name')}: ${L('Use only letters, digits, hyphens (-) and underscores (_).')}`);
    assert.equal(result.field, 'name');
    if (vscode.env.language.startsWith('ja')) assert.equal(result.error, 'クラスター名: 英字、数字、ハイフン (-)、アンダースコア (_) のみ使えます。');
    const clusters = await clients.ecs.send(new aws.ListClustersCommand({}));
    assert.deepEqual(clusters.clusterArns ?? [], []);
    await assert.rejects(clients.iam.send(new aws.GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })), { name: 'NoSuchEntityException' }, 'no IAM change on bad input');
    const reservations = (await clients.ec2.send(new aws.DescribeInstancesCommand({}))).Reservations ?? [];
    assert.deepEqual(reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId), []);
  });

  it('cluster.create refuses subnets in a single AZ before creating anything', async () => {
    const subnets = (await clients.ec2.send(new aws.DescribeSubnetsCommand({}))).Subnets ?? [];
    const one = subnets[0].SubnetId!;
    const result = await run<{ error?: string }>('ecsHandson.cluster.create', { subnetIds: [one], waitSeconds: 0 });
    assert.equal(result.error, L('Choose subnets in at least two Availability Zones (chosen: {0}).', subnets[0].AvailabilityZone!));
    assert.deepEqual((await clients.ecs.send(new aws.ListClustersCommand({}))).clusterArns ?? [], []);
  });

  it('cluster.create makes demo-cluster with 2 container instances in 2 AZs, creating the IAM roles a fresh account lacks', async () => {
    // The sandbox starts as a fresh AWS account: no instance profile ecsInstanceRole, no ECS service-linked role.
    await assert.rejects(clients.iam.send(new aws.GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })), { name: 'NoSuchEntityException' });
    await assert.rejects(clients.iam.send(new aws.GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' })), { name: 'NoSuchEntityException' });
    const result = await run<{ clusterArn: string; instanceIds: string[]; containerInstanceArns: string[]; error?: string }>('ecsHandson.cluster.create', { waitSeconds: 90 });
    assert.equal(result.error, undefined, result.error);
    // Create Cluster made them (without asking: the sandbox is not a real account), as the ECS docs create them.
    const profile = (await clients.iam.send(new aws.GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }))).InstanceProfile!;
    assert.deepEqual(profile.Roles?.map((r) => r.RoleName), ['ecsInstanceRole']);
    assert.equal(JSON.parse(decodeURIComponent(profile.Roles[0].AssumeRolePolicyDocument!)).Statement[0].Principal.Service, 'ec2.amazonaws.com');
    const policies = (await clients.iam.send(new aws.ListAttachedRolePoliciesCommand({ RoleName: 'ecsInstanceRole' }))).AttachedPolicies ?? [];
    assert.deepEqual(policies.map((p) => p.PolicyName), ['AmazonEC2ContainerServiceforEC2Role']);
    assert.equal((await clients.iam.send(new aws.GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).Role?.Path, '/aws-service-role/ecs.amazonaws.com/');
    const launched = (await clients.ec2.send(new aws.DescribeInstancesCommand({ InstanceIds: result.instanceIds }))).Reservations ?? [];
    assert.deepEqual(launched.flatMap((r) => r.Instances ?? []).map((i) => i.IamInstanceProfile?.Arn), [profile.Arn, profile.Arn], 'the instances run with the profile');
    assert.match(result.clusterArn, /:cluster\/demo-cluster$/);
    assert.equal(result.instanceIds.length, 2);
    assert.equal(result.containerInstanceArns.length, 2);
    const cluster = (await clients.ecs.send(new aws.DescribeClustersCommand({ clusters: ['demo-cluster'], include: ['SETTINGS', 'TAGS'] }))).clusters?.[0];
    assert.equal(cluster?.status, 'ACTIVE');
    assert.equal(cluster?.registeredContainerInstancesCount, 2);
    assert.deepEqual(cluster?.settings?.find((x) => x.name === 'containerInsights')?.value, 'disabled');
    assert.ok(cluster?.tags?.some((x) => x.key === MANAGED.key && x.value === MANAGED.value), 'cluster tagged ecs-handson:managed=true');
    const cis = (await clients.ecs.send(new aws.DescribeContainerInstancesCommand({ cluster: 'demo-cluster', containerInstances: result.containerInstanceArns }))).containerInstances ?? [];
    const azs = new Set(cis.map((c) => c.attributes?.find((x) => x.name === 'ecs.availability-zone')?.value));
    assert.equal(azs.size, 2, `container instances in AZs ${[...azs].join(', ')}`);
    assert.ok(cis.every((c) => c.attributes?.find((x) => x.name === 'ecs.instance-type')?.value === 't3.small'), 'instance type t3.small');
    const tagged = (await clients.ec2.send(new aws.DescribeInstancesCommand({ Filters: [{ Name: `tag:${MANAGED.key}`, Values: [MANAGED.value] }] }))).Reservations ?? [];
    assert.deepEqual(tagged.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId).sort(), [...result.instanceIds].sort(), 'instances tagged for cleanup');
    assert.deepEqual(cis.map((c) => c.ec2InstanceId).sort(), [...result.instanceIds].sort());
  });

  it('taskDefinition.register refuses hard < soft memory and registers nothing', async () => {
    const result = await run<{ error?: string }>('ecsHandson.taskDefinition.register', { memory: 128, memoryReservation: 256 });
    assert.equal(result.error, `${L('Memory')}: ${L('The hard limit ({0} MiB) must be greater than or equal to the soft limit ({1} MiB).', 128, 256)}`);
    const bad = await run<{ error?: string; field?: string }>('ecsHandson.taskDefinition.register', {
      document: { family: 'demo-app-task', containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 'lots', memoryReservation: 256 }] },
    });
    assert.equal(bad.field, '$.containerDefinitions[0].memory');
    assert.equal(bad.error, `$.containerDefinitions[0].memory: ${L('Expected {0}, found {1}.', L('an integer'), 'string')}`);
    const families = await clients.ecs.send(new aws.ListTaskDefinitionFamiliesCommand({}));
    assert.deepEqual(families.families ?? [], []);
  });

  it('taskDefinition.register makes demo-app-task:1 with the hands-on values, logging to CloudWatch Logs as the console does', async () => {
    assert.equal(await aws.logGroupExists(clients.logs, '/ecs/demo-app-task'), false);
    const result = await run<{ taskDefinitionArn: string; revision: number; logGroupsCreated?: string[]; error?: string }>('ecsHandson.taskDefinition.register', { environment: { GREETING: 'hello, world' } });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 1);
    // The console's log collection: awslogs to /ecs/<family>, created now (the instance role could not create it).
    assert.deepEqual(result.logGroupsCreated, ['/ecs/demo-app-task']);
    assert.equal(await aws.logGroupExists(clients.logs, '/ecs/demo-app-task'), true);
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:1' }))).taskDefinition!;
    const c = td.containerDefinitions![0];
    assert.equal(c.image, 'uzresk/demo:ver1.0');
    assert.equal(c.cpu, 256);
    assert.equal(c.memory, 512);
    assert.equal(c.memoryReservation, 256);
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort]), [[8080, 80]]);
    assert.deepEqual(c.environment, [{ name: 'GREETING', value: 'hello, world' }]);
    assert.deepEqual(c.logConfiguration, {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/demo-app-task', 'awslogs-create-group': 'true', 'awslogs-region': await clients.region(), 'awslogs-stream-prefix': 'ecs' },
    });
    assert.equal(td.executionRoleArn, undefined, 'on EC2 the instance role writes the logs: no execution role');
  });

  it('taskDefinition.register with logs: false has no log configuration and creates no group', async () => {
    const result = await run<{ revision?: number; logGroupsCreated?: string[]; error?: string }>('ecsHandson.taskDefinition.register', { family: 'nologs-task', logs: false });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.logGroupsCreated, undefined);
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'nologs-task:1' }))).taskDefinition!;
    assert.equal(td.containerDefinitions![0].logConfiguration, undefined);
    assert.equal(await aws.logGroupExists(clients.logs, '/ecs/nologs-task'), false);
    await run('ecsHandson.taskDefinition.deregister', { taskDefinition: 'nologs-task:1' });
  });

  it('taskDefinition.register with a document naming ecsTaskExecutionRole creates the role the account lacks first', async () => {
    const account = (await clients.ecs.send(new aws.ListClustersCommand({}))).clusterArns![0].split(':')[4];
    const roleArn = `arn:aws:iam::${account}:role/ecsTaskExecutionRole`;
    await assert.rejects(clients.iam.send(new aws.GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' })), { name: 'NoSuchEntityException' });
    const result = await run<{ revision?: number; error?: string }>('ecsHandson.taskDefinition.register', {
      document: { family: 'exec-role-task', executionRoleArn: roleArn, containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256 }] },
    });
    assert.equal(result.error, undefined, result.error);
    const role = (await clients.iam.send(new aws.GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }))).Role!;
    assert.equal(role.Arn, roleArn);
    assert.equal(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal.Service, 'ecs-tasks.amazonaws.com');
    const policies = (await clients.iam.send(new aws.ListAttachedRolePoliciesCommand({ RoleName: 'ecsTaskExecutionRole' }))).AttachedPolicies ?? [];
    assert.deepEqual(policies.map((p) => p.PolicyName), ['AmazonECSTaskExecutionRolePolicy']);
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'exec-role-task:1' }))).taskDefinition!;
    assert.equal(td.executionRoleArn, roleArn);
    await run('ecsHandson.taskDefinition.deregister', { taskDefinition: 'exec-role-task:1' });
  });

  it('taskDefinition.registerRevision makes revision 2 with ver2.0 and keeps the rest', async () => {
    const result = await run<{ taskDefinitionArn: string; revision: number; changes: string[]; error?: string }>('ecsHandson.taskDefinition.registerRevision', {
      family: 'demo-app-task',
      image: 'uzresk/demo:ver2.0',
    });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 2);
    assert.deepEqual(result.changes, [L('Container "{0}": {1} {2} → {3}', 'demo-app', L('image'), 'uzresk/demo:ver1.0', 'uzresk/demo:ver2.0')]);
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:2' }))).taskDefinition!;
    const c = td.containerDefinitions![0];
    assert.equal(c.image, 'uzresk/demo:ver2.0');
    assert.equal(c.memory, 512);
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort]), [[8080, 80]]);
    const same = await run<{ error?: string }>('ecsHandson.taskDefinition.registerRevision', { taskDefinition: 'demo-app-task:2', image: 'uzresk/demo:ver2.0' });
    assert.equal(same.error, L('Nothing changed compared to {0}:{1}.', 'demo-app-task', 2));
  });

  it('loadBalancer.create makes app-demo-lb with its security group, target group and listener', async () => {
    const bad = await run<{ error?: string }>('ecsHandson.loadBalancer.create', { name: '-app-demo-lb' });
    assert.equal(bad.error, `${L('Load balancer name')}: ${L('The name must not begin or end with a hyphen.')}`);

    const result = await run<{ loadBalancerArn: string; targetGroupArn: string; listenerArn: string; securityGroupId: string; url: string; localUrl?: string; registeredInstanceIds: string[]; error?: string }>(
      'ecsHandson.loadBalancer.create',
      { registerInstancesOf: 'demo-cluster' },
    );
    assert.equal(result.error, undefined, result.error);
    const lb = (await clients.elbv2.send(new aws.DescribeLoadBalancersCommand({ Names: ['app-demo-lb'] }))).LoadBalancers![0];
    assert.equal(lb.Type, 'application');
    assert.equal(lb.State?.Code, 'active');
    assert.equal(new Set(lb.AvailabilityZones?.map((z) => z.ZoneName)).size, 2);
    assert.deepEqual(lb.SecurityGroups, [result.securityGroupId]);
    const sg = (await clients.ec2.send(new aws.DescribeSecurityGroupsCommand({ GroupIds: [result.securityGroupId] }))).SecurityGroups![0];
    assert.equal(sg.GroupName, 'app-demo-lb-sg');
    assert.ok(sg.IpPermissions?.some((p) => p.FromPort === 80 && p.ToPort === 80 && p.IpRanges?.some((r) => r.CidrIp === '0.0.0.0/0')), 'SG allows 80 from anywhere');
    const listeners = (await clients.elbv2.send(new aws.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    assert.deepEqual(listeners.map((l) => [l.Protocol, l.Port, l.DefaultActions?.[0]?.Type, l.DefaultActions?.[0]?.TargetGroupArn]), [['HTTP', 80, 'forward', result.targetGroupArn]]);
    const tg = (await clients.elbv2.send(new aws.DescribeTargetGroupsCommand({ TargetGroupArns: [result.targetGroupArn] }))).TargetGroups![0];
    assert.equal(tg.TargetGroupName, 'app-demo-lb-tg');
    assert.equal(tg.TargetType, 'instance');
    assert.equal(tg.HealthCheckPath, '/');
    assert.equal(result.registeredInstanceIds.length, 2);
    const targets = (await clients.elbv2.send(new aws.DescribeTargetHealthCommand({ TargetGroupArn: result.targetGroupArn }))).TargetHealthDescriptions ?? [];
    assert.deepEqual(targets.map((x) => x.Target?.Id).sort(), [...result.registeredInstanceIds].sort());
    // The sandbox tells the listener's real port: the endpoint is <name>-<n>.<region>.elb.localhost:<port>.
    assert.match(result.url, /^http:\/\/app-demo-lb-\d+\.[a-z0-9-]+\.elb\.localhost:\d+\/$/);
    assert.match(result.localUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    lbUrls = result;
  });

  it('service.create runs demo-service with 2 RUNNING tasks behind the target group', async () => {
    const result = await run<{ serviceArn: string; clusterArn: string; taskDefinitionArn: string; error?: string }>('ecsHandson.service.create', {
      taskDefinition: 'demo-app-task:1',
      loadBalancer: { targetGroupName: 'app-demo-lb-tg' },
    });
    assert.equal(result.error, undefined, result.error);
    assert.match(result.serviceArn, /service\/demo-cluster\/demo-service$/);
    const svc = (await clients.ecs.send(new aws.DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
    assert.equal(svc.desiredCount, 2);
    assert.equal(svc.deploymentConfiguration?.maximumPercent, 200);
    assert.equal(svc.deploymentConfiguration?.minimumHealthyPercent, 100);
    assert.equal(svc.loadBalancers?.[0]?.containerName, 'demo-app');
    assert.equal(svc.loadBalancers?.[0]?.containerPort, 8080);
    assert.equal(svc.healthCheckGracePeriodSeconds, 60);
    await until('2 RUNNING tasks', 90_000, async () => {
      const s = (await clients.ecs.send(new aws.DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
      return s.runningCount === 2 ? true : undefined;
    });
    // Section 1d's observation: <ALB endpoint>/app/ answers, from both tasks in turn.
    assert.ok(lbUrls?.localUrl, 'load balancer test ran first');
    const taskIds = await until('both tasks answering through the load balancer', 60_000, async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${lbUrls!.localUrl}app/?format=json`);
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as { version?: string; taskId?: string };
        assert.equal(body.version, 'ver1.0');
        seen.add(String(body.taskId));
      }
      return seen.size === 2 ? seen : undefined;
    });
    assert.equal(taskIds.size, 2);
  });

  it('cluster.create with an Auto Scaling group registers its instances', async () => {
    const result = await run<{ clusterArn?: string; autoScalingGroupName?: string; containerInstanceArns?: string[]; error?: string }>('ecsHandson.cluster.create', {
      name: 'asg-cluster',
      capacity: 'autoScalingGroup',
      count: 1,
      waitSeconds: 60,
    });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.autoScalingGroupName, 'asg-cluster-asg');
    assert.equal(result.containerInstanceArns?.length, 1);
    const group = (await clients.autoScaling.send(new aws.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['asg-cluster-asg'] }))).AutoScalingGroups?.[0];
    assert.deepEqual([group?.MinSize, group?.DesiredCapacity, group?.MaxSize], [1, 1, 4]);
    assert.ok(group?.Tags?.some((x) => x.Key === MANAGED.key && x.Value === MANAGED.value), 'group tagged ecs-handson:managed=true');
    const cluster = (await clients.ecs.send(new aws.DescribeClustersCommand({ clusters: ['asg-cluster'] }))).clusters?.[0];
    assert.equal(cluster?.registeredContainerInstancesCount, 1);
  });

  it('palette: accepting every step of the form registers the hands-on task definition', async () => {
    // The real QuickPick / InputBoxes: "Form", then family, container, image, CPU, memory, soft
    // memory, container port, host port, environment — each pre-filled with the hands-on default.
    let result: { family?: string; revision?: number } | undefined;
    let finished = false;
    const pending = Promise.resolve(vscode.commands.executeCommand('ecsHandson.taskDefinition.register')).then((r) => {
      result = r as typeof result;
      finished = true;
    });
    let accepts = 0;
    for (let i = 0; i < 100 && !finished; i++) {
      await sleep(150);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      accepts++;
    }
    await Promise.race([pending, sleep(5000)]);
    assert.ok(finished, `the input did not finish after ${accepts} accepts`);
    assert.equal(result?.family, 'demo-app-task');
    assert.equal(result?.revision, 3);
    const c = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:3' }))).taskDefinition!.containerDefinitions![0];
    assert.deepEqual([c.name, c.image, c.cpu, c.memory, c.memoryReservation], ['demo-app', 'uzresk/demo:ver1.0', 256, 512, 256]);
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort]), [[8080, 80]]);
    // The last step, "Log collection", offers CloudWatch Logs first (the console's default).
    assert.equal(c.logConfiguration?.options?.['awslogs-group'], '/ecs/demo-app-task');
  });

  it('palette, JSON editor: problems show as diagnostics at their JSON paths while typing', async () => {
    const pending = Promise.resolve(vscode.commands.executeCommand('ecsHandson.taskDefinition.register'));
    let editor: vscode.TextEditor | undefined;
    for (let i = 0; i < 60 && !editor; i++) {
      await sleep(150);
      await vscode.commands.executeCommand('quickInput.last'); // "JSON editor"
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const active = vscode.window.activeTextEditor;
      if (active?.document.isUntitled && active.document.languageId === 'json') editor = active;
    }
    assert.ok(editor, 'an untitled JSON document with the template opened');
    const doc = editor.document;
    const template = JSON.parse(doc.getText()) as { family: string; containerDefinitions: { image: string; memory: number; portMappings: unknown[] }[] };
    assert.equal(template.family, 'demo-app-task');
    assert.equal(template.containerDefinitions[0].image, 'uzresk/demo:ver1.0');
    assert.deepEqual(vscode.languages.getDiagnostics(doc.uri), []);

    // Type a wrong value: the problem appears on "memory" of the first container.
    const text = doc.getText();
    const at = text.indexOf('"memory": 512');
    assert.ok(at > 0, text);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"memory": 512'.length)), '"memory": "lots"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const diags = await until('diagnostics', 5000, async () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(
      diags.map((d) => [d.message, d.severity, doc.getText(d.range)]),
      [[`$.containerDefinitions[0].memory: ${L('Expected {0}, found {1}.', L('an integer'), 'string')}`, vscode.DiagnosticSeverity.Error, '"memory"']],
    );
    // Dismiss the "Register" prompt: the command ends without registering anything.
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await Promise.race([pending, sleep(5000).then(() => 'still open')]), undefined);
    const revisions = (await clients.ecs.send(new aws.ListTaskDefinitionsCommand({ familyPrefix: 'demo-app-task' }))).taskDefinitionArns ?? [];
    assert.equal(revisions.length, 3, 'nothing registered');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('taskDefinition.registerRevision with an empty host port makes a dynamic-port revision (section 5)', async () => {
    const result = await run<{ revision: number; changes: string[]; error?: string }>('ecsHandson.taskDefinition.registerRevision', {
      taskDefinition: 'demo-app-task:1',
      hostPort: null,
      environment: { set: { MODE: 'blue-green' }, remove: ['GREETING'] },
    });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 4);
    const c = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:4' }))).taskDefinition!.containerDefinitions![0];
    assert.equal(c.image, 'uzresk/demo:ver1.0');
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort ?? 0]), [[8080, 0]]);
    assert.deepEqual(c.environment, [{ name: 'MODE', value: 'blue-green' }]);
  });

  it('taskDefinition.changeImage: a new revision that differs only in the image (ports and environment kept)', async () => {
    const bad = await run<{ error?: string; field?: string }>('ecsHandson.taskDefinition.changeImage', { taskDefinition: 'demo-app-task:4', image: 'Not An Image' });
    assert.equal(bad.field, 'image');
    const result = await run<{ revision: number; changes: string[]; error?: string }>('ecsHandson.taskDefinition.changeImage', { taskDefinition: 'demo-app-task:4', image: 'uzresk/demo:ver2.0' });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 5);
    assert.deepEqual(result.changes, [L('Container "{0}": {1} {2} → {3}', 'demo-app', L('image'), 'uzresk/demo:ver1.0', 'uzresk/demo:ver2.0')]);
    const c = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task:5' }))).taskDefinition!.containerDefinitions![0];
    assert.deepEqual(c.portMappings?.map((p) => [p.containerPort, p.hostPort ?? 0]), [[8080, 0]], 'the dynamic host port of :4 is kept');
    assert.deepEqual(c.environment, [{ name: 'MODE', value: 'blue-green' }]);
    const same = await run<{ error?: string }>('ecsHandson.taskDefinition.changeImage', { taskDefinition: 'demo-app-task:5', image: 'uzresk/demo:ver2.0' });
    assert.equal(same.error, L('Nothing changed compared to {0}:{1}.', 'demo-app-task', 5));
  });

  it('taskDefinition.changeImage to an ECR image on a Fargate revision: on the sandbox the account\'s ecsTaskExecutionRole is named at once, without a question (ECS refuses it without one)', async () => {
    await clients.ecs.send(new aws.RegisterTaskDefinitionCommand({
      family: 'fargate-app', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
      containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', portMappings: [{ containerPort: 8080 }] }],
    }));
    const ecr = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/demo:ver2.0';
    const result = await run<{ revision: number; error?: string }>('ecsHandson.taskDefinition.changeImage', { taskDefinition: 'fargate-app:1', image: ecr });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.revision, 2);
    // The role taskDefinition.register created above (the creation path is that test's).
    const role = (await clients.iam.send(new aws.GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }))).Role!;
    const td = (await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: 'fargate-app:2' }))).taskDefinition!;
    assert.equal(td.executionRoleArn, role.Arn);
    assert.equal(td.containerDefinitions?.[0].image, ecr);
  });

  it('service.create on a missing cluster returns the service\'s own refusal and creates nothing', async () => {
    const result = await run<{ error?: string }>('ecsHandson.service.create', { cluster: 'no-such-cluster', taskDefinition: 'demo-app-task:1', serviceName: 'other-service' });
    assert.equal(result.error, 'Cluster not found.');
    const services = (await clients.ecs.send(new aws.DescribeServicesCommand({ cluster: 'demo-cluster', services: ['other-service'] }))).services ?? [];
    assert.deepEqual(services.filter((x) => x.status === 'ACTIVE'), []);
  });
});
