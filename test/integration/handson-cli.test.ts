/**
 * The hands-on's ECS steps (sections 1a–5 of ../shared/handson/SCENARIO.md, without the load
 * balancer), driven by the real AWS CLI against the sandbox CLI, as a user would type them. The
 * sandbox starts as a fresh AWS account does: without the instance role the article's 2017 console
 * created for its users, so the user creates it first, as the ECS docs' CLI steps do.
 */
import assert from 'node:assert/strict';
import { startCliSandbox, eventually, type CliSandbox } from './helpers/cli-sandbox';
import { createEcsInstanceRoleWithCli } from './helpers/iam';

const CLUSTER = 'demo-cluster';
const TIME_SCALE = 50;
const SERVICE = 'demo-service';

const container = (image: string, hostPort: number | undefined) =>
  JSON.stringify([
    {
      name: 'demo',
      image,
      cpu: 256,
      memory: 512,
      memoryReservation: 256,
      essential: true,
      environment: [{ name: 'APP_ENV', value: 'handson' }],
      portMappings: [hostPort === undefined ? { containerPort: 8080, protocol: 'tcp' } : { containerPort: 8080, hostPort, protocol: 'tcp' }],
    },
  ]);

describe('the hands-on with the AWS CLI', function () {
  this.timeout(240_000);
  let sb: CliSandbox;

  before(async () => {
    sb = await startCliSandbox({ timeScale: TIME_SCALE });
  });
  after(async () => {
    if (sb) assert.equal(await sb.stop(), 0, 'the sandbox exits cleanly on SIGTERM');
  });

  const service = async () => (await sb.aws(['ecs', 'describe-services', '--cluster', CLUSTER, '--services', SERVICE])).services[0];
  const runningTasks = async () => {
    const arns = (await sb.aws(['ecs', 'list-tasks', '--cluster', CLUSTER, '--service-name', SERVICE])).taskArns as string[];
    if (arns.length === 0) return [];
    return (await sb.aws(['ecs', 'describe-tasks', '--cluster', CLUSTER, '--tasks', ...arns])).tasks as any[];
  };

  it('checks who the CLI is and creates the ECS instance role a fresh account lacks', async () => {
    const me = await sb.aws(['sts', 'get-caller-identity']);
    assert.match(me.Account, /^\d{12}$/);
    assert.equal(me.Arn, `arn:aws:iam::${me.Account}:user/ecs-handson-sandbox`);
    const missing = await sb.awsFails(['iam', 'get-instance-profile', '--instance-profile-name', 'ecsInstanceRole']);
    assert.match(missing, /\(NoSuchEntity\) when calling the GetInstanceProfile operation: Instance Profile ecsInstanceRole cannot be found\./);
    await createEcsInstanceRoleWithCli((args) => sb.aws(args));
    const profile = (await sb.aws(['iam', 'get-instance-profile', '--instance-profile-name', 'ecsInstanceRole'])).InstanceProfile;
    assert.deepEqual(profile.Roles.map((r: any) => r.RoleName), ['ecsInstanceRole']);
    // The CLI decodes the URL-encoded trust policy IAM returns.
    assert.equal(profile.Roles[0].AssumeRolePolicyDocument.Statement[0].Principal.Service, 'ec2.amazonaws.com');
    const policies = (await sb.aws(['iam', 'list-attached-role-policies', '--role-name', 'ecsInstanceRole'])).AttachedPolicies;
    assert.deepEqual(policies.map((p: any) => p.PolicyName), ['AmazonEC2ContainerServiceforEC2Role']);
  });

  it('creates the cluster and two instances in two AZs that register with it', async () => {
    const cluster = (await sb.aws(['ecs', 'create-cluster', '--cluster-name', CLUSTER, '--settings', 'name=containerInsights,value=enabled'])).cluster;
    assert.equal(cluster.status, 'ACTIVE');
    assert.deepEqual(cluster.settings, [{ name: 'containerInsights', value: 'enabled' }]);

    const ami = (await sb.aws(['ssm', 'get-parameter', '--name', '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id'])).Parameter.Value;
    assert.match(ami, /^ami-[0-9a-f]+$/);
    const subnets = (await sb.aws(['ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true'])).Subnets as any[];
    const azs = new Set(subnets.map((s) => s.AvailabilityZone));
    assert.equal(azs.size, 2, 'default subnets in two AZs');

    const userData = Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${CLUSTER} >> /etc/ecs/ecs.config\n`).toString('base64');
    await sb.aws([
      'ec2', 'create-launch-template', '--launch-template-name', 'demo-cluster-lt',
      '--launch-template-data', JSON.stringify({ ImageId: ami, InstanceType: 't3.small', UserData: userData, IamInstanceProfile: { Name: 'ecsInstanceRole' } }),
    ]);
    for (const s of subnets.slice(0, 2)) {
      const r = await sb.aws(['ec2', 'run-instances', '--launch-template', 'LaunchTemplateName=demo-cluster-lt', '--subnet-id', s.SubnetId, '--count', '1']);
      assert.equal(r.Instances[0].InstanceType, 't3.small');
    }

    const instances = await eventually('2 container instances', async () => {
      const arns = (await sb.aws(['ecs', 'list-container-instances', '--cluster', CLUSTER])).containerInstanceArns as string[];
      return arns.length === 2 && (await sb.aws(['ecs', 'describe-container-instances', '--cluster', CLUSTER, '--container-instances', ...arns])).containerInstances;
    });
    const ciAzs = new Set(instances.map((ci: any) => ci.attributes.find((a: any) => a.name === 'ecs.availability-zone')?.value));
    assert.equal(ciAzs.size, 2, 'one container instance per AZ');
    const described = (await sb.aws(['ec2', 'describe-instances', '--filters', 'Name=instance-state-name,Values=running'])).Reservations.flatMap((r: any) => r.Instances);
    assert.deepEqual(described.map((i: any) => i.IamInstanceProfile.Arn), [0, 1].map(() => `arn:aws:iam::${cluster.clusterArn.split(':')[4]}:instance-profile/ecsInstanceRole`));
    for (const ci of instances) {
      const cpu = ci.registeredResources.find((r: any) => r.name === 'CPU');
      assert.equal(cpu.integerValue, 2048, 't3.small registers 2 vCPUs');
      const ports = ci.remainingResources.find((r: any) => r.name === 'PORTS');
      assert.ok(ports.stringSetValue.includes('22'), 'reserved ports are listed as in use');
    }
  });

  it('registers demo-app-task and runs demo-service with 2 tasks until stable', async () => {
    const td = (await sb.aws(['ecs', 'register-task-definition', '--family', 'demo-app-task', '--container-definitions', container('uzresk/demo:ver1.0', 80)])).taskDefinition;
    assert.equal(td.revision, 1);
    const created = (await sb.aws(['ecs', 'create-service', '--cluster', CLUSTER, '--service-name', SERVICE, '--task-definition', 'demo-app-task:1', '--desired-count', '2'])).service;
    assert.equal(created.desiredCount, 2);
    await sb.aws(['ecs', 'wait', 'services-stable', '--cluster', CLUSTER, '--services', SERVICE]);
    const tasks = await runningTasks();
    assert.equal(tasks.length, 2);
    assert.equal(new Set(tasks.map((t) => t.containerInstanceArn)).size, 2, 'one task per instance');
    for (const t of tasks) {
      assert.equal(t.lastStatus, 'RUNNING');
      assert.equal(t.containers[0].networkBindings[0].hostPort, 80);
    }
    // ECS writes the steady-state event shortly after the service is stable (the waiter may see it first).
    await eventually('the steady-state event', async () => (await service()).events.some((e: any) => e.message === `(service ${SERVICE}) has reached a steady state.`), 30_000);
  });

  it('replaces a stopped task with a new one', async () => {
    const [victim] = await runningTasks();
    const stopped = (await sb.aws(['ecs', 'stop-task', '--cluster', CLUSTER, '--task', victim.taskArn])).task;
    assert.equal(stopped.desiredStatus, 'STOPPED');
    await eventually('a replacement task', async () => {
      const tasks = await runningTasks();
      return tasks.length === 2 && tasks.every((t) => t.lastStatus === 'RUNNING' && t.taskArn !== victim.taskArn);
    });
    // The replacement has run a while before the next step (as in the article, where the release
    // comes minutes later): a task without health checks counts as healthy 40 s after RUNNING, and a
    // deployment may stop a not-yet-healthy old task at once.
    await new Promise((r) => setTimeout(r, 45_000 / TIME_SCALE));
    const after = (await sb.aws(['ecs', 'describe-tasks', '--cluster', CLUSTER, '--tasks', victim.taskArn])).tasks[0];
    assert.equal(after.lastStatus, 'STOPPED');
    assert.equal(after.stopCode, 'UserInitiated');
  });

  it('cannot place ver2.0 next to ver1.0 on static port 80: the port event appears', async () => {
    await sb.aws(['ecs', 'register-task-definition', '--family', 'demo-app-task', '--container-definitions', container('uzresk/demo:ver2.0', 80)]);
    await sb.aws(['ecs', 'update-service', '--cluster', CLUSTER, '--service', SERVICE, '--task-definition', 'demo-app-task:2']);
    const svc = await eventually('the port-conflict event', async () => {
      const s = await service();
      return s.events.some((e: any) => /was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) is already using a port required by your task\./.test(e.message)) && s;
    });
    assert.equal(svc.deployments.length, 2, 'PRIMARY and ACTIVE deployments');
    const primary = svc.deployments.find((d: any) => d.status === 'PRIMARY');
    assert.match(primary.taskDefinition, /demo-app-task:2$/);
    assert.equal(primary.runningCount, 0);
    assert.equal(primary.rolloutState, 'IN_PROGRESS');
  });

  it('rolls out a dynamic-port revision with maximumPercent 200: 4 tasks on 2 instances, then only the new one', async () => {
    await sb.aws(['ecs', 'register-task-definition', '--family', 'demo-app-task', '--container-definitions', container('uzresk/demo:ver2.0', 0)]);
    // Slow the clock for this step, so that the CLI's polls see the moment when old and new run side by side.
    await sb.admin('/_sandbox/time-scale', { body: { scale: 2 } });
    await sb.aws([
      'ecs', 'update-service', '--cluster', CLUSTER, '--service', SERVICE, '--task-definition', 'demo-app-task:3',
      '--deployment-configuration', 'maximumPercent=200,minimumHealthyPercent=100',
    ]);
    let sawFour = false;
    await eventually('4 tasks at once', async () => {
      const tasks = await runningTasks();
      sawFour = tasks.filter((t) => t.lastStatus === 'RUNNING').length === 4;
      return sawFour;
    }, 60_000, 100);
    assert.ok(sawFour);
    await sb.admin('/_sandbox/time-scale', { body: { scale: TIME_SCALE } });
    await sb.aws(['ecs', 'wait', 'services-stable', '--cluster', CLUSTER, '--services', SERVICE]);
    const svc = await service();
    assert.equal(svc.deployments.length, 1);
    assert.match(svc.deployments[0].taskDefinition, /demo-app-task:3$/);
    assert.equal(svc.deployments[0].rolloutState, 'COMPLETED');
    const tasks = await runningTasks();
    assert.equal(tasks.length, 2);
    for (const t of tasks) {
      assert.match(t.taskDefinitionArn, /demo-app-task:3$/);
      const port = t.containers[0].networkBindings[0].hostPort;
      assert.ok(port >= 32768 && port <= 61000, `dynamic host port ${port}`);
    }

    // curl a task's page: it is ver2.0.
    const listed = await sb.admin('/_sandbox/tasks?region=ap-northeast-1');
    const entry = listed.tasks.find((t: any) => t.taskArn === tasks[0].taskArn);
    assert.ok(entry?.url, 'the admin API lists the task URL');
    const { execFileSync } = await import('node:child_process');
    const page = execFileSync('curl', ['-sf', `${entry.url.replace(/\/$/, '')}/app/`], { encoding: 'utf8' });
    assert.match(page, /ver2\.0/);
    assert.ok(page.includes(tasks[0].taskArn.split('/').pop()), 'the page shows the task id');
  });
});
