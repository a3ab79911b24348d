/**
 * Nothing the caller sends is silently dropped: every member of RegisterTaskDefinitionRequest (and
 * of ContainerDefinition), CreateServiceRequest, UpdateServiceRequest (and of their
 * DeploymentConfiguration), read from the installed @aws-sdk/client-ecs's own schema, is sent with
 * a valid value through the real SDK and must come back in DescribeTaskDefinition /
 * DescribeServices — or be refused with an InvalidParameterException / ClientException that says
 * the sandbox does not serve it. A member the SDK gains and the table below does not know fails
 * the test, so a new member cannot be dropped unseen.
 */
import * as assert from 'node:assert/strict';
import * as ecsSdk from '@aws-sdk/client-ecs';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type CreateServiceCommandInput,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { NormalizedSchema } from '@smithy/core/schema';
import { startFleet, type Fleet } from './helpers/ecs-fleet';
import { recordResponses, takeOutputProblems, type Recorded } from './helpers/output-shapes';

/** The member names of a structure in the SDK's schema, by operation input (`op`) and a path of members into it. */
function sdkMembers(op: string, path: string[] = []): string[] {
  const schema = (ecsSdk as unknown as Record<string, unknown[]>)[`${op}$`];
  let ns = NormalizedSchema.of((schema[4] as () => never)());
  for (const p of path) {
    ns = ns.getMemberSchema(p);
    while (ns.isListSchema()) ns = ns.getValueSchema();
  }
  return [...ns.structIterator()].map(([name]) => name);
}

/** How a member is expected back: the value sent (default), another value or member, or a refusal naming the sandbox. */
interface Expect<T> {
  value: unknown;
  /** Members the value needs beside it (a load balancer for a grace period, …). */
  with?: Partial<T>;
  /** What the Describe output holds; default: the member's value, under the same name. */
  read?: (out: Record<string, unknown>) => unknown;
  expected?: unknown;
  /** Refused: the error code, the message must name the sandbox. */
  refused?: string;
  /** A member that addresses the request rather than being stored (cluster, service): the call must just work. */
  addressing?: true;
}

const refused = (value: unknown, code = 'InvalidParameterException'): Expect<never> => ({ value, refused: code });

describe('ECS round-trip: every member of RegisterTaskDefinition / CreateService / UpdateService comes back or is refused', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  let ecs: ecsSdk.ECSClient;
  let tgArn = '';
  let subnetId = '';
  let sgId = '';
  const CLUSTER = 'roundtrip';
  const recorded: Recorded[] = [];
  let n = 0;

  before(async () => {
    fleet = await startFleet();
    ecs = fleet.ecs;
    recordResponses(ecs, 'ecs', recorded);
    const cfg = { endpoint: fleet.sb.endpoint, region: fleet.sb.region, credentials: fleet.sb.credentials, maxAttempts: 1 };
    const elb = new ElasticLoadBalancingV2Client(cfg);
    const asg = new AutoScalingClient(cfg);
    const vpcId = (await fleet.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.find((v) => v.IsDefault)!.VpcId!;
    sgId = (await fleet.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups![0].GroupId!;
    subnetId = fleet.subnets[0].id;
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'rt-alb', Subnets: fleet.subnets.map((s) => s.id), SecurityGroups: [sgId] }))).LoadBalancers![0];
    tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: 'rt-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    await asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'rt-lc', ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.small' }));
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'rt-asg', LaunchConfigurationName: 'rt-lc', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: subnetId }));
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(new CreateCapacityProviderCommand({ name: 'rt-cp', autoScalingGroupProvider: { autoScalingGroupArn: 'rt-asg' } }));
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['rt-cp'], defaultCapacityProviderStrategy: [] }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'rt-web', containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256, portMappings: [{ containerPort: 8080 }] }] }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'rt-vpc',
        networkMode: 'awsvpc',
        containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256, portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    elb.destroy();
    asg.destroy();
  });
  afterEach(() => assert.deepEqual(takeOutputProblems(recorded), []));
  after(async () => {
    await fleet?.close();
  });

  /** Checks one member: sent with its value (and what it needs), read back from `describe`, or refused naming the sandbox. */
  async function check<T>(label: string, member: string, e: Expect<T>, send: (patch: Partial<T>) => Promise<Record<string, unknown>>): Promise<string | undefined> {
    const patch = { ...(e.with ?? {}), [member]: e.value } as Partial<T>;
    try {
      const out = await send(patch);
      if (e.refused) return `${label}.${member}: accepted, expected ${e.refused} naming the sandbox`;
      if (e.addressing) return undefined;
      const got = e.read ? e.read(out) : out[member];
      const want = 'expected' in e ? e.expected : e.value;
      try {
        assert.deepEqual(got, want);
      } catch {
        return `${label}.${member}: sent ${JSON.stringify(e.value)}, Describe returned ${JSON.stringify(got)}`;
      }
    } catch (err) {
      const x = err as { name?: string; message?: string };
      if (e.refused && x.name === e.refused && /sandbox/i.test(x.message ?? '')) return undefined;
      return `${label}.${member}: ${x.name}: ${x.message}`;
    }
    return undefined;
  }

  /** Fails listing the SDK's members the table does not cover, then every member that did not round-trip. */
  async function walk<T>(label: string, members: string[], table: Record<string, Expect<T>>, send: (patch: Partial<T>) => Promise<Record<string, unknown>>) {
    assert.deepEqual(members.filter((m) => !(m in table)), [], `${label}: members of the installed SDK's schema the round-trip table does not cover`);
    const problems: string[] = [];
    for (const m of members) {
      const p = await check(label, m, table[m], send);
      if (p) problems.push(p);
    }
    assert.deepEqual(problems, []);
  }

  const base: ContainerDefinition = { name: 'app', image: 'uzresk/demo:ver1.0', memory: 512, portMappings: [{ containerPort: 8080 }] };
  const side: ContainerDefinition = { name: 'side', image: 'uzresk/demo:ver1.0', memory: 64, essential: false };
  const volumes = [{ name: 'data', host: { sourcePath: '/var/data' } }];
  const registerAndDescribe = async (input: Partial<RegisterTaskDefinitionCommandInput>): Promise<TaskDefinition & { tags?: unknown }> => {
    const family = input.family ?? `rt-${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ containerDefinitions: [base, side], ...input, family }));
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
    return { ...out.taskDefinition!, tags: out.tags };
  };

  /** Every ContainerDefinition member (the SDK's), each in its own task definition. */
  async function walkContainerDefinition() {
    const table: Record<string, Expect<ContainerDefinition>> = {
      name: { value: 'app' },
      image: { value: 'uzresk/demo:ver2.0' },
      repositoryCredentials: { value: { credentialsParameter: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:registry-AbCdEf' } },
      cpu: { value: 256 },
      memory: { value: 384 },
      memoryReservation: { value: 128 },
      links: { value: ['side:side'] },
      portMappings: { value: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp', name: 'web', appProtocol: 'http' }] },
      essential: { value: true },
      restartPolicy: { value: { enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60 } },
      entryPoint: { value: ['node'] },
      command: { value: ['server.js', '--port', '8080'] },
      environment: { value: [{ name: 'MODE', value: 'prod' }] },
      environmentFiles: { value: [{ value: 'arn:aws:s3:::my-bucket/app.env', type: 's3' }] },
      mountPoints: { value: [{ sourceVolume: 'data', containerPath: '/data', readOnly: false }] },
      volumesFrom: { value: [{ sourceContainer: 'side', readOnly: true }] },
      linuxParameters: { value: { initProcessEnabled: true, capabilities: { add: ['SYS_PTRACE'], drop: ['NET_RAW'] }, sharedMemorySize: 64 } },
      secrets: { value: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/db-password' }] },
      dependsOn: { value: [{ containerName: 'side', condition: 'START' }] },
      startTimeout: { value: 30 },
      stopTimeout: { value: 20 },
      versionConsistency: { value: 'disabled' },
      hostname: { value: 'app-host' },
      user: { value: 'node' },
      workingDirectory: { value: '/app' },
      disableNetworking: { value: false },
      privileged: { value: false },
      readonlyRootFilesystem: { value: true },
      dnsServers: { value: ['10.0.0.2'] },
      dnsSearchDomains: { value: ['example.internal'] },
      extraHosts: { value: [{ hostname: 'db.local', ipAddress: '10.0.0.5' }] },
      dockerSecurityOptions: { value: ['no-new-privileges'] },
      interactive: { value: true },
      pseudoTerminal: { value: true },
      dockerLabels: { value: { team: 'web', tier: 'front' } },
      ulimits: { value: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }] },
      logConfiguration: { value: { logDriver: 'json-file', options: { 'max-size': '10m' } } },
      healthCheck: { value: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 } },
      systemControls: { value: [{ namespace: 'net.core.somaxconn', value: '1024' }] },
      resourceRequirements: { value: [{ type: 'GPU', value: '1' }] },
      firelensConfiguration: { value: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } } },
      credentialSpecs: { value: ['credentialspec:arn:aws:s3:::my-bucket/spec.json'] },
    };
    await walk('containerDefinitions[0]', sdkMembers('RegisterTaskDefinition', ['containerDefinitions']), table, async (patch) => {
      // With an execution role: secrets, environment files and registry credentials need one (ECS refuses them without).
      const td = await registerAndDescribe({ volumes, executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole', containerDefinitions: [{ ...base, ...patch }, side] });
      return td.containerDefinitions![0] as Record<string, unknown>;
    });
  }

  it('every RegisterTaskDefinitionRequest member, and every ContainerDefinition member, comes back in DescribeTaskDefinition', async () => {
    await walkContainerDefinition();
    const table: Record<string, Expect<RegisterTaskDefinitionCommandInput>> = {
      family: { value: 'rt-family' },
      containerDefinitions: { value: [base, side], read: (o) => (o.containerDefinitions as ContainerDefinition[]).map((c) => c.name), expected: ['app', 'side'] },
      taskRoleArn: { value: 'arn:aws:iam::123456789012:role/app-task-role' },
      executionRoleArn: { value: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
      networkMode: { value: 'host', with: { containerDefinitions: [{ ...base, portMappings: [{ containerPort: 8080, hostPort: 8080 }] }, side] } },
      volumes: { value: [{ name: 'data', host: { sourcePath: '/var/data' } }, { name: 'scratch', dockerVolumeConfiguration: { scope: 'task', driver: 'local', labels: { a: 'b' } } }] },
      placementConstraints: { value: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }] },
      requiresCompatibilities: { value: ['EC2'] },
      cpu: { value: '512' },
      memory: { value: '1024' },
      tags: { value: [{ key: 'team', value: 'web' }] },
      pidMode: { value: 'task' },
      ipcMode: { value: 'task' },
      proxyConfiguration: { value: { type: 'APPMESH', containerName: 'side', properties: [{ name: 'IgnoredUID', value: '1337' }, { name: 'AppPorts', value: '8080' }] } },
      inferenceAccelerators: { value: [{ deviceName: 'device1', deviceType: 'eia2.medium' }] },
      ephemeralStorage: { value: { sizeInGiB: 30 } },
      runtimePlatform: { value: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' } },
      enableFaultInjection: { value: true },
    };
    await walk('RegisterTaskDefinition', sdkMembers('RegisterTaskDefinition'), table, async (patch) => (await registerAndDescribe(patch)) as Record<string, unknown>);
  });

  const lb = () => [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 8080 }];
  const describeService = async (name: string) => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name], include: ['TAGS'] }))).services![0];
  const serviceTable = (): Record<string, Expect<CreateServiceCommandInput & UpdateServiceCommandInput>> => ({
    cluster: { value: CLUSTER, addressing: true },
    taskDefinition: { value: 'rt-web:1', read: (o) => String(o.taskDefinition).replace(/^.*\//, ''), expected: 'rt-web:1' },
    availabilityZoneRebalancing: { value: 'ENABLED' },
    loadBalancers: { value: lb() },
    serviceRegistries: refused([{ registryArn: 'arn:aws:servicediscovery:ap-northeast-1:123456789012:service/srv-abcdefghijklmnop' }]),
    desiredCount: { value: 0 },
    capacityProviderStrategy: { value: [{ capacityProvider: 'rt-cp', weight: 1, base: 0 }] },
    platformVersion: refused('LATEST'),
    deploymentConfiguration: {
      value: { maximumPercent: 150, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true }, alarms: { alarmNames: ['high-5xx'], enable: true, rollback: true }, strategy: 'ROLLING' },
    },
    placementConstraints: { value: [{ type: 'distinctInstance' }] },
    placementStrategy: { value: [{ type: 'binpack', field: 'memory' }] },
    networkConfiguration: {
      value: { awsvpcConfiguration: { subnets: [subnetId], securityGroups: [sgId], assignPublicIp: 'DISABLED' } },
      with: { taskDefinition: 'rt-vpc:1' },
    },
    healthCheckGracePeriodSeconds: { value: 45, with: { loadBalancers: lb() } },
    deploymentController: { value: { type: 'ECS' } },
    enableECSManagedTags: { value: true },
    propagateTags: { value: 'SERVICE' },
    enableExecuteCommand: { value: true },
    serviceConnectConfiguration: refused({ enabled: true, namespace: 'demo' }),
    volumeConfigurations: refused([{ name: 'data', managedEBSVolume: { roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB: 10 } }]),
    vpcLatticeConfigurations: refused([{ roleArn: 'arn:aws:iam::123456789012:role/lattice', targetGroupArn: 'arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/tg-0123456789abcdef0', portName: 'web' }]),
    gatewayConnectors: refused([{ portName: 'web' }]),
    monitoring: refused({ metricConfigurations: [] }),
  });

  it('every CreateServiceRequest member comes back in DescribeServices', async () => {
    const table: Record<string, Expect<CreateServiceCommandInput>> = {
      ...serviceTable(),
      serviceName: { value: 'rt-named' },
      clientToken: { value: 'token-1', addressing: true },
      launchType: { value: 'EC2' },
      role: {
        value: 'ecsServiceRole',
        with: { loadBalancers: lb() },
        read: (o) => o.roleArn,
        expected: `arn:aws:iam::${fleet.sb.world.accountId}:role/ecsServiceRole`,
      },
      schedulingStrategy: { value: 'REPLICA' },
      tags: { value: [{ key: 'team', value: 'web' }] },
    };
    await walk('CreateService', sdkMembers('CreateService'), table, async (patch) => {
      const serviceName = patch.serviceName ?? `rt-svc-${++n}`;
      await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, taskDefinition: 'rt-web:1', desiredCount: 0, ...patch, serviceName }));
      return (await describeService(serviceName)) as Record<string, unknown>;
    });
  });

  it('every DeploymentConfiguration member comes back in DescribeServices, or is refused as a deployment type the sandbox does not serve', async () => {
    type DC = NonNullable<CreateServiceCommandInput['deploymentConfiguration']>;
    const table: Record<string, Expect<DC>> = {
      deploymentCircuitBreaker: { value: { enable: true, rollback: false } },
      maximumPercent: { value: 150 },
      minimumHealthyPercent: { value: 50 },
      alarms: { value: { alarmNames: ['high-5xx', 'high-latency'], enable: true, rollback: false } },
      strategy: { value: 'ROLLING' },
      bakeTimeInMinutes: refused(10),
      lifecycleHooks: refused([{ hookTargetArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:hook', roleArn: 'arn:aws:iam::123456789012:role/hook', lifecycleStages: ['POST_SCALE_UP'] }]),
      linearConfiguration: refused({ stepPercent: 10, stepBakeTimeInMinutes: 5 }),
      canaryConfiguration: refused({ canaryPercent: 10, canaryBakeTimeInMinutes: 5 }),
      earlySuccessCriteria: refused({ enable: true, healthyPercent: 100 }),
    };
    await walk('CreateService.deploymentConfiguration', sdkMembers('CreateService', ['deploymentConfiguration']), table, async (patch) => {
      const serviceName = `rt-dc-${++n}`;
      await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: 'rt-web:1', desiredCount: 0, deploymentConfiguration: patch }));
      return (await describeService(serviceName)).deploymentConfiguration as Record<string, unknown>;
    });
  });

  it('every UpdateServiceRequest member comes back in DescribeServices', async () => {
    const table: Record<string, Expect<UpdateServiceCommandInput>> = {
      ...serviceTable(),
      service: { value: 'placeholder', addressing: true },
      forceNewDeployment: { value: true, read: (o) => (o.deployments as unknown[]).length, expected: 2 },
    };
    await walk('UpdateService', sdkMembers('UpdateService'), table, async (patch) => {
      const serviceName = `rt-up-${++n}`;
      const vpc = (patch as { networkConfiguration?: unknown }).networkConfiguration !== undefined;
      await ecs.send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName,
          taskDefinition: vpc ? 'rt-vpc:1' : 'rt-web:1',
          desiredCount: 0,
          ...(vpc ? { networkConfiguration: { awsvpcConfiguration: { subnets: [subnetId] } } } : {}),
        }),
      );
      await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, ...patch, service: serviceName }));
      return (await describeService(serviceName)) as Record<string, unknown>;
    });
  });
});
