/**
 * The ECS API through the real `@aws-sdk/client-ecs` against a sandbox on a free port: a realistic
 * flow (cluster → task definitions → service → update → tasks → delete), pagination with the SDK's
 * paginator, and errors as the SDK surfaces them.
 */
import * as assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  paginateListServices,
  paginateListTaskDefinitions,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { arns, hexId } from '../../src/sandbox/engine/ids';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { eventually as until, rejectsWith } from '../helpers/wait';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

const CLUSTER = 'demo-cluster';
const web = (image: string, hostPort?: number): ContainerDefinition => ({
  name: 'web',
  image,
  cpu: 256,
  memory: 512,
  memoryReservation: 256,
  portMappings: [{ containerPort: 8080, ...(hostPort === undefined ? {} : { hostPort }) }],
  environment: [{ name: 'APP_MODE', value: 'demo' }],
});

describe('ECS API through @aws-sdk/client-ecs', () => {
  let sb: Sandbox;
  let ecs: ECSClient;
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;

  before(async () => {
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    sb = await startSandbox({ port: 0, timeScale: 100, runtime, log: () => {} });
    ecs = new ECSClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 });
    recordResponses(ecs, 'ecs', recorded);
  });
  const recorded: Recorded[] = [];
  // Every successful answer of the test parses against the SDK's model of its operation's output.
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    clearInterval(flusher);
    ecs?.destroy();
    await sb?.close();
  });

  /** Registers a container instance the way the agent does once an instance with ECS_CLUSTER boots. */
  const addInstance = (az: string) => {
    const id = hexId();
    const rs = sb.engine.region(sb.region);
    rs.ecs.containerInstances[id] = {
      containerInstanceArn: arns.containerInstance(sb.region, sb.world.accountId, CLUSTER, id),
      ec2InstanceId: `i-${hexId(17)}`,
      clusterName: CLUSTER,
      status: 'ACTIVE',
      agentConnected: true,
      registeredCpu: 2048,
      registeredMemory: 3891,
      availabilityZone: az,
      instanceType: 't3.medium',
      registeredAt: sb.clock.now(),
      version: 1,
      attributes: [],
    };
    return rs.ecs.containerInstances[id];
  };

  it('creates and describes a cluster; unknown names come back as failures', async () => {
    const out = await ecs.send(
      new CreateClusterCommand({
        clusterName: CLUSTER,
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        tags: [{ key: 'handson', value: 'true' }],
      }),
    );
    assert.equal(out.cluster?.clusterArn, `arn:aws:ecs:${sb.region}:${sb.world.accountId}:cluster/${CLUSTER}`);
    const d = await ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER, 'ghost'], include: ['SETTINGS', 'TAGS'] }));
    assert.equal(d.clusters?.[0].status, 'ACTIVE');
    assert.deepEqual(d.clusters?.[0].settings, [{ name: 'containerInsights', value: 'enabled' }]);
    assert.deepEqual(d.clusters?.[0].tags, [{ key: 'handson', value: 'true' }]);
    assert.equal(d.failures?.[0].reason, 'MISSING');
    assert.match(d.failures?.[0].arn ?? '', /cluster\/ghost$/);
  });

  it('registers revisions, describes them (timestamps as Dates) and pages with the SDK paginator', async () => {
    const r1 = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [web('uzresk/demo:ver1.0', 80)] }));
    assert.equal(r1.taskDefinition?.revision, 1);
    const r2 = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'demo-app-task', containerDefinitions: [web('uzresk/demo:ver2.0')] }));
    assert.equal(r2.taskDefinition?.revision, 2);
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-app-task' }));
    assert.equal(latest.taskDefinition?.revision, 2);
    assert.ok(latest.taskDefinition?.registeredAt instanceof Date);
    assert.ok(Math.abs(latest.taskDefinition.registeredAt.getTime() - sb.clock.now()) < 60_000);
    assert.equal(latest.taskDefinition?.containerDefinitions?.[0].portMappings?.[0].hostPort, 0);

    for (let i = 0; i < 25; i++) {
      await ecs.send(new RegisterTaskDefinitionCommand({ family: 'bulk', containerDefinitions: [{ name: 'a', image: 'uzresk/demo:ver1.0', memory: 64 }] }));
    }
    const first = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'bulk', maxResults: 10 }));
    assert.equal(first.taskDefinitionArns?.length, 10);
    assert.ok(first.nextToken);
    const pages: string[][] = [];
    for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 10 }, { familyPrefix: 'bulk' })) {
      pages.push(page.taskDefinitionArns ?? []);
    }
    assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
    assert.deepEqual(
      pages.flat().map((a) => Number(a.split(':').pop())),
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const desc: string[] = [];
    for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 7 }, { familyPrefix: 'bulk', sort: 'DESC' })) {
      desc.push(...(page.taskDefinitionArns ?? []));
    }
    assert.equal(desc.length, 25);
    assert.match(desc[0], /bulk:25$/);
    await rejectsWith(ecs.send(new ListTaskDefinitionsCommand({ maxResults: 500 })), 'InvalidParameterException', /maxResults/);
    await rejectsWith(ecs.send(new ListTaskDefinitionsCommand({ nextToken: 'not-a-token' })), 'InvalidParameterException', /nextToken/);
    await rejectsWith(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'ghost:1' })), 'ClientException', 'Unable to describe task definition.');
    await rejectsWith(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'bad', containerDefinitions: [{ ...web('x'), memory: 128, memoryReservation: 256 }] })),
      'ClientException',
      /^Invalid setting for container 'web'\..*'memory'.*greater than or equal to.*'memoryReservation'/,
    );
  });

  it('creates a service whose tasks run on the container instances', async () => {
    addInstance(`${sb.region}a`);
    addInstance(`${sb.region}c`);
    const out = await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'demo-service',
        taskDefinition: 'demo-app-task:1',
        desiredCount: 2,
        tags: [{ key: 'app', value: 'demo' }],
      }),
    );
    assert.equal(out.service?.status, 'ACTIVE');
    assert.equal(out.service?.deploymentConfiguration?.maximumPercent, 200);
    assert.equal(out.service?.deploymentConfiguration?.minimumHealthyPercent, 100);
    assert.ok(out.service?.createdAt instanceof Date);
    const svc = await until('2 running tasks', async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['demo-service'] }))).services?.[0];
      return s?.runningCount === 2 && s;
    });
    assert.equal(svc.deployments?.length, 1);
    assert.equal(svc.deployments?.[0].status, 'PRIMARY');
    assert.ok(svc.events?.some((e) => /^\(service demo-service\) has started 2 tasks/.test(e.message ?? '')), JSON.stringify(svc.events));

    const taskArns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'demo-service' }))).taskArns ?? [];
    assert.equal(taskArns.length, 2);
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }))).tasks ?? [];
    for (const t of tasks) {
      assert.equal(t.lastStatus, 'RUNNING');
      assert.equal(t.group, 'service:demo-service');
      assert.match(t.startedBy ?? '', /^ecs-svc\/\d{19}$/);
      assert.deepEqual(t.containers?.[0].networkBindings?.map((b) => [b.containerPort, b.hostPort]), [[8080, 80]]);
      assert.ok(t.startedAt instanceof Date);
    }
    assert.deepEqual(new Set(tasks.map((t) => t.availabilityZone)), new Set([`${sb.region}a`, `${sb.region}c`]), 'spread over the AZs');

    const ciArns = (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }))).containerInstanceArns ?? [];
    const cis = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: ciArns }))).containerInstances ?? [];
    for (const ci of cis) {
      const left = Object.fromEntries((ci.remainingResources ?? []).map((r) => [r.name, r]));
      assert.equal(left.CPU.integerValue, 2048 - 256);
      assert.equal(left.MEMORY.integerValue, 3891 - 256);
      assert.ok(left.PORTS.stringSetValue?.includes('80'));
      assert.ok(left.PORTS.stringSetValue?.includes('51678'));
      assert.equal(ci.runningTasksCount, 1);
    }
  });

  it('refuses what ECS refuses, as the SDK surfaces it', async () => {
    await rejectsWith(ecs.send(new DescribeServicesCommand({ cluster: 'ghost', services: ['x'] })), 'ClusterNotFoundException', 'Cluster not found.');
    await rejectsWith(
      ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 1 })),
      'InvalidParameterException',
      'Creation of service was not idempotent.',
    );
    await rejectsWith(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'ghost', desiredCount: 1 })), 'ServiceNotFoundException', 'Service not found.');
    await rejectsWith(ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: 'ffffffffffffffffffffffffffffffff' })), 'InvalidParameterException', 'The referenced task was not found.');
    await rejectsWith(ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'ghost' })), 'ServiceNotFoundException', 'Service not found.');
    await rejectsWith(
      ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: Array.from({ length: 11 }, (_, i) => `s${i}`) })),
      'InvalidParameterException',
    );
    await rejectsWith(ecs.send(new DeleteClusterCommand({ cluster: CLUSTER })), 'ClusterContainsServicesException');
    // Wrong types straight from a misbehaving client: a 400 naming the member, never a 500.
    await rejectsWith(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'demo-service', desiredCount: 'two' as unknown as number })), 'InvalidParameterException', /desiredCount/);
  });

  it('refuses a task definition that needs a task execution role and names none, with ECS\'s messages; with one, registers it', async () => {
    const role = `arn:aws:iam::${sb.world.accountId}:role/ecsTaskExecutionRole`;
    const ecr = `${sb.world.accountId}.dkr.ecr.${sb.region}.amazonaws.com/demo:ver2.0`;
    const awslogs = { logDriver: 'awslogs' as const, options: { 'awslogs-group': '/ecs/needs-role', 'awslogs-region': sb.region, 'awslogs-stream-prefix': 'ecs' } };
    const fargate = { requiresCompatibilities: ['FARGATE' as const], networkMode: 'awsvpc' as const, cpu: '256', memory: '512' };
    const cases: Array<{ family: string; extra?: object; container: Partial<ContainerDefinition>; message: string }> = [
      {
        family: 'needs-role-secrets',
        container: { secrets: [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:ssm:${sb.region}:${sb.world.accountId}:parameter/db-password` }] },
        message: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
      },
      {
        family: 'needs-role-log-secrets',
        container: { logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk.example.com:8088' }, secretOptions: [{ name: 'splunk-token', valueFrom: 'splunk-token' }] } },
        message: "When you are specifying secretOptions in a log configuration, you must also specify a value for 'executionRoleArn'.",
      },
      {
        family: 'needs-role-registry',
        container: { repositoryCredentials: { credentialsParameter: `arn:aws:secretsmanager:${sb.region}:${sb.world.accountId}:secret:registry-AbCdEf` } },
        message: 'Private repository authentication requires that the task definition specify a value for executionRoleArn.',
      },
      {
        family: 'needs-role-env-files',
        container: { environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::demo-config/app.env' }] },
        message: "When you are specifying environment files, you must also specify a value for 'executionRoleArn'.",
      },
      { family: 'needs-role-fargate-ecr', extra: fargate, container: { image: ecr }, message: 'Fargate requires task definition to have execution role ARN to support ECR images.' },
      { family: 'needs-role-fargate-awslogs', extra: fargate, container: { logConfiguration: awslogs }, message: 'Fargate requires task definition to have execution role ARN to support log driver awslogs.' },
    ];
    for (const c of cases) {
      const input = { family: c.family, ...c.extra, containerDefinitions: [{ ...web('uzresk/demo:ver1.0'), ...c.container }] };
      await rejectsWith(ecs.send(new RegisterTaskDefinitionCommand(input)), 'ClientException', c.message);
      assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: c.family }))).taskDefinitionArns, [], `${c.family}: nothing registered`);
      const td = (await ecs.send(new RegisterTaskDefinitionCommand({ ...input, executionRoleArn: role }))).taskDefinition!;
      assert.equal(td.revision, 1, c.family);
      assert.equal(td.executionRoleArn, role, c.family);
    }
    // On EC2 the container instance role pulls from ECR and writes the logs: no execution role needed.
    const ec2 = (await ecs.send(new RegisterTaskDefinitionCommand({ family: 'ec2-ecr-awslogs', containerDefinitions: [{ ...web(ecr), logConfiguration: awslogs }] }))).taskDefinition!;
    assert.equal(ec2.executionRoleArn, undefined);
    assert.equal(ec2.containerDefinitions?.[0].logConfiguration?.logDriver, 'awslogs');
  });

  it('tags the service', async () => {
    const arn = `arn:aws:ecs:${sb.region}:${sb.world.accountId}:service/${CLUSTER}/demo-service`;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'owner', value: 'me' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['app'] }));
    const t = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(t.tags, [{ key: 'owner', value: 'me' }]);
    const d = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [arn], include: ['TAGS'] }));
    assert.deepEqual(d.services?.[0].tags, [{ key: 'owner', value: 'me' }]);
  });

  it('rolls the service to revision 2 and completes', async () => {
    const up = await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: 'demo-service',
        taskDefinition: 'demo-app-task:2',
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 },
      }),
    );
    assert.match(up.service?.taskDefinition ?? '', /demo-app-task:2$/);
    assert.equal(up.service?.deployments?.[0].status, 'PRIMARY');
    assert.equal(up.service?.deployments?.length, 2);
    assert.equal(up.service?.deployments?.[1].status, 'ACTIVE');
    const done = await until('rollout completed', async () => {
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['demo-service'] }))).services?.[0];
      return s?.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 2 && s;
    }, 60_000);
    assert.match(done.deployments?.[0].taskDefinition ?? '', /demo-app-task:2$/);
  });

  it('stops a task by hand: UserInitiated with the default reason', async () => {
    const [arn] = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'demo-service' }))).taskArns ?? [];
    const out = await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    assert.equal(out.task?.desiredStatus, 'STOPPED');
    assert.equal(out.task?.stopCode, 'UserInitiated');
    assert.equal(out.task?.stoppedReason, 'Task stopped by user');
    const stopped = await until('STOPPED', async () => {
      const t = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks?.[0];
      return t?.lastStatus === 'STOPPED' && t;
    });
    assert.ok(stopped.stoppedAt instanceof Date);
    const listed = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }));
    assert.ok(listed.taskArns?.includes(arn));
  });

  it('runs a one-off task and reports placement failures', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'huge', containerDefinitions: [{ name: 'a', image: 'uzresk/demo:ver1.0', memory: 3000 }] }));
    const out = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'huge', count: 3 }));
    assert.equal(out.tasks?.length, 2);
    assert.equal(out.failures?.length, 1);
    assert.equal(out.failures?.[0].reason, 'RESOURCE:MEMORY');
    for (const t of out.tasks ?? []) await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: t.taskArn }));
  });

  it('lists services with the paginator, deletes the service and deregisters revisions', async () => {
    const arns: string[] = [];
    for await (const page of paginateListServices({ client: ecs, pageSize: 1 }, { cluster: CLUSTER })) arns.push(...(page.serviceArns ?? []));
    assert.equal(arns.length, 1);
    await rejectsWith(
      ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'demo-service' })),
      'InvalidParameterException',
      'The service cannot be stopped while it is scaled above 0.',
    );
    const del = await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'demo-service', force: true }));
    assert.equal(del.service?.status, 'DRAINING');
    await rejectsWith(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'demo-service', desiredCount: 1 })), 'ServiceNotActiveException', 'Service was not ACTIVE.');
    const dereg = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'demo-app-task:1' }));
    assert.equal(dereg.taskDefinition?.status, 'INACTIVE');
    assert.ok(dereg.taskDefinition?.deregisteredAt instanceof Date);
    await rejectsWith(
      ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'again', taskDefinition: 'demo-app-task:1', desiredCount: 1 })),
      'InvalidParameterException',
      'TaskDefinition is inactive',
    );
    await until('tasks drained', async () => {
      const l = await ecs.send(new ListTasksCommand({ cluster: CLUSTER }));
      return l.taskArns?.length === 0;
    });
  });
});
