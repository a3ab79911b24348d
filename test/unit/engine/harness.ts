/**
 * A small world for engine tests: a manual clock, a FakeRuntime, and builders that do the plain
 * CRUD the API handlers would do (clusters, task definitions, services, instances).
 */
import { ManualClock } from '../../../src/sandbox/engine/clock';
import { Engine, type EngineOptions } from '../../../src/sandbox/engine/engine';
import { arns, ec2Id } from '../../../src/sandbox/engine/ids';
import type { ContainerDefinition, Instance, RegionState, Service, Task, TaskDefinition, World } from '../../../src/sandbox/engine/state';
import { FakeRuntime } from '../helpers/fake-runtime';

export const REGION = 'ap-northeast-1';
export const ACCOUNT = '123456789012';

export class Harness {
  readonly clock = new ManualClock();
  readonly runtime = new FakeRuntime();
  readonly world: World = {
    version: 1,
    accountId: ACCOUNT,
    savedAt: 0,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    regions: {},
  };
  readonly engine: Engine;
  readonly rs: RegionState;
  ticks = 0;

  constructor(options: EngineOptions = {}) {
    this.engine = new Engine(this.world, this.clock, this.runtime, { imagePullMs: 0, ...options });
    this.rs = this.engine.region(REGION);
  }

  /** Moves time by `ms` in steps of `stepMs`: each step delivers the runtime's answers, then ticks. */
  drive(ms: number, stepMs = 1000): void {
    for (let t = 0; t < ms; t += stepMs) {
      this.clock.advance(Math.min(stepMs, ms - t));
      this.runtime.flush();
      this.engine.tick();
      this.ticks++;
    }
  }

  /** Drives until `pred` holds; fails after `maxMs` simulated. Returns the simulated ms it took. */
  until(pred: () => boolean, maxMs = 30 * 60_000, stepMs = 1000): number {
    let spent = 0;
    while (!pred()) {
      if (spent >= maxMs) throw new Error(`condition not reached within ${maxMs} ms simulated`);
      this.drive(stepMs, stepMs);
      spent += stepMs;
    }
    return spent;
  }

  cluster(name = 'demo-cluster'): void {
    this.rs.ecs.clusters[name] = {
      clusterArn: arns.cluster(REGION, ACCOUNT, name),
      clusterName: name,
      status: 'ACTIVE',
      settings: [],
      capacityProviders: [],
      createdAt: this.clock.now(),
    };
    this.rs.ecs.services[name] ??= {};
  }

  taskDefinition(family: string, image: string, hostPort: number | undefined, extra: Partial<ContainerDefinition> = {}): TaskDefinition {
    const revs = (this.rs.ecs.taskDefinitions[family] ??= []);
    const revision = revs.length + 1;
    const td: TaskDefinition = {
      taskDefinitionArn: arns.taskDefinition(REGION, ACCOUNT, family, revision),
      family,
      revision,
      status: 'ACTIVE',
      containerDefinitions: [
        {
          name: 'app',
          image,
          cpu: 256,
          memory: 512,
          essential: true,
          portMappings: [{ containerPort: 8080, ...(hostPort !== undefined ? { hostPort } : {}), protocol: 'tcp' }],
          environment: [{ name: 'A', value: '1' }],
          ...extra,
        },
      ],
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      compatibilities: ['EC2'],
      registeredAt: this.clock.now(),
    };
    revs.push(td);
    return td;
  }

  /** Stores a pending instance as RunInstances would, in the given AZ index (0 or 1). */
  launchInstance(az: number, cluster = 'demo-cluster', type = 't3.medium'): Instance {
    const subnet = Object.values(this.rs.ec2.subnets)[az];
    const inst: Instance = {
      instanceId: ec2Id('i'),
      imageId: 'ami-0123456789abcdef0',
      instanceType: type,
      state: 'pending',
      launchTime: this.clock.now(),
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      privateIpAddress: `172.31.${az * 16}.${10 + Object.keys(this.rs.ec2.instances).length}`,
      securityGroupIds: [],
      tags: [],
      ecsCluster: cluster,
    };
    this.rs.ec2.instances[inst.instanceId] = inst;
    this.engine.instanceLaunched(this.rs, inst);
    return inst;
  }

  /** `n` instances alternating between the two AZs, driven until all are registered. */
  instances(n: number, cluster = 'demo-cluster', type = 't3.medium'): Instance[] {
    const out: Instance[] = [];
    for (let i = 0; i < n; i++) out.push(this.launchInstance(i % 2, cluster, type));
    this.until(() => this.containerInstances(cluster).length >= n);
    return out;
  }

  containerInstances(cluster = 'demo-cluster') {
    return Object.values(this.rs.ecs.containerInstances).filter((ci) => ci.clusterName === cluster && ci.status === 'ACTIVE');
  }

  service(
    name: string,
    td: TaskDefinition,
    desiredCount: number,
    cfg: { max?: number; min?: number; cb?: { enable: boolean; rollback: boolean } } = {},
    cluster = 'demo-cluster',
  ): Service {
    const svc: Service = {
      serviceArn: arns.service(REGION, ACCOUNT, cluster, name),
      serviceName: name,
      clusterArn: arns.cluster(REGION, ACCOUNT, cluster),
      status: 'ACTIVE',
      desiredCount,
      runningCount: 0,
      pendingCount: 0,
      launchType: 'EC2',
      taskDefinition: td.taskDefinitionArn,
      deploymentConfiguration: {
        maximumPercent: cfg.max ?? 200,
        minimumHealthyPercent: cfg.min ?? 100,
        deploymentCircuitBreaker: cfg.cb ?? { enable: false, rollback: false },
      },
      deployments: [],
      loadBalancers: [],
      schedulingStrategy: 'REPLICA',
      events: [],
      createdAt: this.clock.now(),
      enableECSManagedTags: false,
      propagateTags: 'NONE',
      eventGate: {},
    };
    (this.rs.ecs.services[cluster] ??= {})[name] = svc;
    this.engine.serviceCreated(this.rs, svc);
    return svc;
  }

  /** Tasks of a service (all statuses), optionally only those not STOPPED. */
  tasksOf(service: string, liveOnly = true): Task[] {
    return Object.values(this.rs.ecs.tasks).filter((t) => t.serviceName === service && (!liveOnly || t.lastStatus !== 'STOPPED'));
  }

  running(service: string): Task[] {
    return this.tasksOf(service).filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
  }

  messages(svc: Service): string[] {
    return svc.events.map((e) => e.message);
  }
}

export const taskId = (t: Task): string => t.taskArn.slice(t.taskArn.lastIndexOf('/') + 1);
