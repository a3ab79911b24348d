/**
 * A sandbox on a ManualClock with EC2 instances whose ECS agent registers through the API
 * (RegisterContainerInstance with the instance identity document), for the container-instance and
 * placement suites. `run` moves simulated time and ticks the engine; the task runtime is a fake.
 */
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  type ContainerInstance,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand, type _InstanceType, type Instance } from '@aws-sdk/client-ec2';
import { ManualClock } from '../../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { FakeRuntime } from '../../unit/helpers/fake-runtime';

export const REGION = 'ap-northeast-1';
export const SIGNATURE = Buffer.from('signed by the instance metadata service').toString('base64');

type RegisterInput = ConstructorParameters<typeof RegisterContainerInstanceCommand>[0];

export interface Fleet {
  sb: Sandbox;
  ecs: ECSClient;
  ec2: EC2Client;
  runtime: FakeRuntime;
  clock: ManualClock;
  /** The default subnets, AZ a first. */
  subnets: { id: string; az: string }[];
  /** Moves simulated time in `step` ms steps, letting the task runtime answer and the engine tick. */
  run: (ms: number, step?: number) => void;
  /** A running EC2 instance with no ECS_CLUSTER in its user data (its agent registers through the API). */
  launch: (az: 0 | 1, type?: _InstanceType) => Promise<Instance>;
  /** The identity document the agent reads from http://169.254.169.254/latest/dynamic/instance-identity/document. */
  identity: (i: Instance, over?: Record<string, unknown>) => string;
  register: (cluster: string, i: Instance, extra?: Partial<RegisterInput>) => Promise<ContainerInstance>;
  describeCi: (cluster: string, ci: ContainerInstance) => Promise<ContainerInstance>;
  /** The service's tasks, running and stopped. */
  serviceTasks: (cluster: string, serviceName: string) => Promise<Task[]>;
  /** `web`: one uzresk/demo container, 256 CPU units / 256 MiB, a dynamic host port. */
  taskDefinition: (extra?: Partial<ConstructorParameters<typeof RegisterTaskDefinitionCommand>[0]>) => Promise<TaskDefinition>;
  close: () => Promise<void>;
}

export async function startFleet(): Promise<Fleet> {
  const runtime = new FakeRuntime();
  const clock = new ManualClock(Date.UTC(2026, 0, 5));
  // The server's own ticker is off (an hour apart): the suite ticks with `run`.
  const sb = await startSandbox({ port: 0, region: REGION, runtime, clock, tickMs: 3_600_000, log: () => {} });
  const cfg = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 };
  const ecs = new ECSClient(cfg);
  const ec2 = new EC2Client(cfg);
  const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [])
    .map((s) => ({ id: s.SubnetId!, az: s.AvailabilityZone! }))
    .sort((a, b) => a.az.localeCompare(b.az));

  const run = (ms: number, step = 1000) => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      runtime.flush();
      sb.engine.tick();
      runtime.flush();
    }
  };
  const identity = (i: Instance, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      accountId: sb.world.accountId,
      architecture: 'x86_64',
      availabilityZone: i.Placement!.AvailabilityZone,
      imageId: i.ImageId,
      instanceId: i.InstanceId,
      instanceType: i.InstanceType,
      pendingTime: new Date(clock.now()).toISOString(),
      privateIp: i.PrivateIpAddress,
      region: REGION,
      version: '2017-09-30',
      ...over,
    });
  return {
    sb,
    ecs,
    ec2,
    runtime,
    clock,
    subnets,
    run,
    identity,
    async launch(az, type = 't3.small') {
      const out = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: type, MinCount: 1, MaxCount: 1, SubnetId: subnets[az].id }));
      run(11_000);
      return out.Instances![0];
    },
    async register(cluster, i, extra = {}) {
      return (await ecs.send(new RegisterContainerInstanceCommand({ cluster, instanceIdentityDocument: identity(i), instanceIdentityDocumentSignature: SIGNATURE, ...extra }))).containerInstance!;
    },
    async describeCi(cluster, ci) {
      return (await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [ci.containerInstanceArn!] }))).containerInstances![0];
    },
    async serviceTasks(cluster, serviceName) {
      const arns = [
        ...((await ecs.send(new ListTasksCommand({ cluster, serviceName }))).taskArns ?? []),
        ...((await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED' }))).taskArns ?? []),
      ];
      if (arns.length === 0) return [];
      return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
    },
    async taskDefinition(extra = {}) {
      return (await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'web',
          containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
          ...extra,
        }),
      )).taskDefinition!;
    },
    async close() {
      ecs.destroy();
      ec2.destroy();
      await sb.close();
    },
  };
}
