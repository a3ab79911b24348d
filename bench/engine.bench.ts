/**
 * Engine benchmarks (run: `npx tsx bench/engine.bench.ts`).
 *  1. Placement: 1,000 tasks on 100 container instances — RunTask in one call, and a service's
 *     first reconcile of 1,000 tasks. Target: < 1 s each.
 *  2. A 200-task rolling deployment to completion in simulated time (1 s ticks).
 * Prints wall time, peak RSS / heap, simulated time and ticks, with the number of tasks.
 */
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/sandbox/engine/clock';
import { Engine } from '../src/sandbox/engine/engine';
import { arns, ec2Id } from '../src/sandbox/engine/ids';
import type { RegionState, Service, TaskDefinition, World } from '../src/sandbox/engine/state';
import { FakeRuntime } from '../test/unit/helpers/fake-runtime';

const REGION = 'ap-northeast-1';
const ACCOUNT = '123456789012';
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function setup(instances: number, type = 'm5.xlarge') {
  const clock = new ManualClock();
  const runtime = new FakeRuntime();
  const world: World = { version: 1, accountId: ACCOUNT, savedAt: 0, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, regions: {} };
  const engine = new Engine(world, clock, runtime);
  const rs = engine.region(REGION);
  rs.ecs.clusters.bench = { clusterArn: arns.cluster(REGION, ACCOUNT, 'bench'), clusterName: 'bench', status: 'ACTIVE', settings: [], capacityProviders: [], createdAt: clock.now() };
  rs.ecs.services.bench = {};
  const subnets = Object.values(rs.ec2.subnets);
  for (let i = 0; i < instances; i++) {
    const s = subnets[i % subnets.length];
    const inst = { instanceId: ec2Id('i'), imageId: 'ami-1', instanceType: type, state: 'pending' as const, launchTime: clock.now(), subnetId: s.subnetId, vpcId: s.vpcId, availabilityZone: s.availabilityZone, privateIpAddress: '172.31.0.1', securityGroupIds: [], tags: [], ecsCluster: 'bench' };
    rs.ec2.instances[inst.instanceId] = inst;
    engine.instanceLaunched(rs, inst);
  }
  for (let i = 0; i < 2; i++) {
    clock.advance(10_000);
    engine.tick();
  }
  const registered = Object.values(rs.ecs.containerInstances).filter((ci) => ci.status === 'ACTIVE').length;
  if (registered !== instances) throw new Error(`only ${registered} of ${instances} instances registered`);
  const step = (ms: number) => {
    clock.advance(ms);
    runtime.flush();
    engine.tick();
  };
  return { clock, runtime, engine, rs, step };
}

function td(rs: RegionState, family: string, image: string, hostPort: number): TaskDefinition {
  const revs = (rs.ecs.taskDefinitions[family] ??= []);
  const t: TaskDefinition = {
    taskDefinitionArn: arns.taskDefinition(REGION, ACCOUNT, family, revs.length + 1),
    family,
    revision: revs.length + 1,
    status: 'ACTIVE',
    containerDefinitions: [{ name: 'app', image, cpu: 64, memory: 128, essential: true, portMappings: [{ containerPort: 8080, hostPort, protocol: 'tcp' }], environment: [] }],
    networkMode: 'bridge',
    requiresCompatibilities: ['EC2'],
    compatibilities: ['EC2'],
    registeredAt: 0,
  };
  revs.push(t);
  return t;
}

function service(engine: Engine, rs: RegionState, name: string, t: TaskDefinition, desired: number): Service {
  const s: Service = {
    serviceArn: arns.service(REGION, ACCOUNT, 'bench', name), serviceName: name, clusterArn: arns.cluster(REGION, ACCOUNT, 'bench'), status: 'ACTIVE',
    desiredCount: desired, runningCount: 0, pendingCount: 0, launchType: 'EC2', taskDefinition: t.taskDefinitionArn,
    deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
    deployments: [], loadBalancers: [], schedulingStrategy: 'REPLICA', events: [], createdAt: 0, enableECSManagedTags: false, propagateTags: 'NONE', eventGate: {},
  };
  rs.ecs.services.bench[name] = s;
  engine.serviceCreated(rs, s);
  return s;
}

function benchRunTask(runs = 5): void {
  const times: number[] = [];
  let summary = '';
  for (let run = 0; run < runs; run++) {
    const { engine, rs } = setup(100);
    const t = td(rs, 'bench', 'uzresk/demo:ver1.0', 0);
    sample();
    const t0 = performance.now();
    const r = engine.runTasks(rs, 'bench', t, 1000, {});
    times.push(performance.now() - t0);
    sample();
    const perInstance = new Map<string, number>();
    for (const task of r.tasks) perInstance.set(task.containerInstanceArn, (perInstance.get(task.containerInstanceArn) ?? 0) + 1);
    summary = `${r.tasks.length} tasks on 100 instances (${r.failures.length} failures, ${Math.min(...perInstance.values())}–${Math.max(...perInstance.values())} per instance)`;
  }
  times.sort((a, b) => a - b);
  const worst = times[times.length - 1];
  console.log(
    `placement (RunTask): ${summary}: best ${times[0].toFixed(1)} ms, median ${times[Math.floor(runs / 2)].toFixed(1)} ms, worst ${worst.toFixed(1)} ms wall over ${runs} runs ${worst < 1000 ? 'OK' : 'OVER TARGET (1 s)'}`,
  );
}

function benchServicePlacement(): void {
  const { engine, rs } = setup(100);
  const svc = service(engine, rs, 'big', td(rs, 'bench', 'uzresk/demo:ver1.0', 0), 1000);
  const t0 = performance.now();
  engine.tick();
  const ms = performance.now() - t0;
  sample();
  console.log(`placement (service reconcile): ${svc.deployments[0].pendingCount} tasks on 100 instances in one tick: ${ms.toFixed(1)} ms wall ${ms < 1000 ? 'OK' : 'OVER TARGET (1 s)'}`);
}

function benchRollingDeployment(tasks: number): void {
  const { engine, rs, step, clock } = setup(100);
  const svc = service(engine, rs, 'roll', td(rs, 'bench', 'uzresk/demo:ver1.0', 0), tasks);
  let guard = 0;
  while (svc.deployments[0].rolloutState !== 'COMPLETED' && guard++ < 10_000) step(1000);
  const v2 = td(rs, 'bench', 'uzresk/demo:ver2.0', 0);
  engine.serviceUpdated(rs, svc, { taskDefinition: v2.taskDefinitionArn });
  const sim0 = clock.now();
  const t0 = performance.now();
  let ticks = 0;
  let maxTickMs = 0;
  while (svc.deployments[0].rolloutState !== 'COMPLETED' && ticks < 10_000) {
    const s = performance.now();
    step(1000);
    maxTickMs = Math.max(maxTickMs, performance.now() - s);
    ticks++;
    if (ticks % 10 === 0) sample();
  }
  const ms = performance.now() - t0;
  const ok = svc.deployments[0].rolloutState === 'COMPLETED' && svc.runningCount === tasks;
  console.log(
    `rolling deployment: ${tasks} tasks on 100 instances ${ok ? 'completed' : 'DID NOT COMPLETE'} in ${((clock.now() - sim0) / 1000).toFixed(0)} s simulated, ${ticks} ticks, ${ms.toFixed(1)} ms wall (slowest tick ${maxTickMs.toFixed(2)} ms)`,
  );
}

benchRunTask();
benchServicePlacement();
benchRollingDeployment(200);
sample();
console.log(`peak RSS ${mb(peakRss)}, peak heap ${mb(peakHeap)}`);
