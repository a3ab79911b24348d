/**
 * ECS service behind the ALB, end to end in one process: the real engine, the ECS / ELBv2 handlers,
 * the ELBv2 runtime wiring (hooks, real HTTP health checks, the real proxy), and a runtime whose
 * "tasks" are real local HTTP servers. Time is a manual clock moved in steps.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ecsService } from '../../src/sandbox/ecs';
import { elbv2Service } from '../../src/sandbox/elbv2';
import { createElbv2Runtime, type Elbv2Runtime } from '../../src/sandbox/elbv2/wiring';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { Engine } from '../../src/sandbox/engine/engine';
import type { Instance, RegionState, World } from '../../src/sandbox/engine/state';
import type { RuntimeEvents, TaskLaunch, TaskRuntime } from '../../src/sandbox/runtime/runtime';
import type { RequestContext } from '../../src/sandbox/service';

const REGION = 'ap-northeast-1';

/** Tasks are in-process HTTP servers answering `<taskId>`. */
class ServerRuntime implements TaskRuntime {
  private events!: RuntimeEvents;
  readonly servers = new Map<string, { server: http.Server; ports: Record<number, number> }>();
  bind(e: RuntimeEvents) {
    this.events = e;
  }
  start(l: TaskLaunch) {
    const server = http.createServer((req, res) => res.end(l.taskId));
    server.listen(0, '127.0.0.1', () => {
      const real = (server.address() as AddressInfo).port;
      const ports: Record<number, number> = {};
      for (const p of l.ports) ports[p.hostPort] = real;
      this.servers.set(l.taskId, { server, ports });
      this.events.started(l.region, l.taskId, ports);
    });
  }
  /** The task's process dies on its own (no StopTask). */
  crash(region: string, taskId: string) {
    const s = this.servers.get(taskId);
    this.servers.delete(taskId);
    s?.server.closeAllConnections();
    s?.server.close(() => this.events.exited(region, taskId, 137, 'killed'));
  }
  stop(region: string, taskId: string) {
    const s = this.servers.get(taskId);
    this.servers.delete(taskId);
    if (!s) return;
    s.server.closeAllConnections();
    s.server.close(() => this.events.exited(region, taskId, 0, 'stopped'));
  }
  cpuSeconds() {
    return undefined;
  }
  url(_region: string, taskId: string, hostPort: number) {
    const p = this.servers.get(taskId)?.ports[hostPort];
    return p ? `http://127.0.0.1:${p}` : undefined;
  }
  async shutdown() {
    for (const id of [...this.servers.keys()]) this.stop(REGION, id);
  }
}

const get = (url: string) =>
  new Promise<{ status?: number; body?: string }>((resolve) => {
    http
      .get(url, { agent: false }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode, body: b }));
      })
      .on('error', () => resolve({}));
  });

describe('an ECS service behind the ALB (engine + ELBv2 runtime)', function () {
  this.timeout(60_000);
  let clock: ManualClock;
  let runtime: ServerRuntime;
  let engine: Engine;
  let elb: Elbv2Runtime;
  let rs: RegionState;
  let world: World;

  const ctx = (): RequestContext => ({ region: REGION, accountId: '123456789012', world, state: rs, engine, now: clock.now(), requestId: 'r' });
  const ecs = (op: string, input: any) => ecsService.operations[op](ctx(), input) as any;
  const elbv2 = (op: string, input: any) => elbv2Service.operations[op](ctx(), input) as any;
  /** Moves time in 1 s steps, letting real I/O (task servers, health checks, proxies) happen in between. */
  const run = async (ms: number, until?: () => boolean) => {
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(1000);
      engine.tick();
      elb.tick(clock.now());
      await new Promise((r) => setTimeout(r, 5));
      await elb.checker.settle();
      if (until?.()) return true;
    }
    return until ? until() : true;
  };

  before(() => {
    clock = new ManualClock();
    world = { version: 1, accountId: '123456789012', savedAt: clock.now(), credentials: { accessKeyId: 'A', secretAccessKey: 'S' }, regions: {} };
    runtime = new ServerRuntime();
    elb = createElbv2Runtime({ world, clock, runtime, stopTask: (...a) => engine.stopTask(...a) });
    engine = new Engine(world, clock, runtime, { hooks: elb.hooks, imagePullMs: 0 });
    rs = engine.region(REGION);
  });
  after(async () => {
    await elb.close();
    await runtime.shutdown();
  });

  it('registers the service tasks, routes to both through the ALB, drains and replaces a stopped task', async () => {
    ecs('CreateCluster', { clusterName: 'demo-cluster' });
    const subnets = Object.values(rs.ec2.subnets);
    const sg = Object.values(rs.ec2.securityGroups)[0];
    subnets.forEach((sn, i) => {
      const inst: Instance = {
        instanceId: `i-0e2e000000000000${i}`,
        imageId: 'ami-0123456789abcdef0',
        instanceType: 't3.small',
        state: 'pending',
        launchTime: clock.now(),
        subnetId: sn.subnetId,
        vpcId: sn.vpcId,
        availabilityZone: sn.availabilityZone,
        privateIpAddress: `172.31.${i * 16}.20`,
        securityGroupIds: [sg.groupId],
        tags: [],
        ecsCluster: 'demo-cluster',
      };
      rs.ec2.instances[inst.instanceId] = inst;
      engine.instanceLaunched(rs, inst);
    });
    assert.ok(await run(60_000, () => Object.keys(rs.ecs.containerInstances).length === 2), 'instances register');

    sg.ipPermissions.push({ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] });
    const lb = elbv2('CreateLoadBalancer', { Name: 'app-demo-lb', Subnets: subnets.map((s) => s.subnetId) }).LoadBalancers[0];
    const tg = elbv2('CreateTargetGroup', {
      Name: 'demo-tg', Protocol: 'HTTP', Port: '80', VpcId: subnets[0].vpcId,
      HealthCheckIntervalSeconds: '5', HealthCheckTimeoutSeconds: '2', HealthyThresholdCount: '2',
    }).TargetGroups[0];
    elbv2('ModifyTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '20' }] });
    elbv2('CreateListener', { LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: '80', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] });
    ecs('RegisterTaskDefinition', {
      family: 'demo-app-task',
      containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 80, protocol: 'tcp' }] }],
    });
    ecs('CreateService', {
      cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task:1', desiredCount: 2,
      loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: 'demo', containerPort: 8080 }],
    });
    const svc = () => rs.ecs.services['demo-cluster']['demo-service'];
    const health = () => elbv2('DescribeTargetHealth', { TargetGroupArn: tg.TargetGroupArn }).TargetHealthDescriptions as any[];
    assert.ok(
      await run(120_000, () => svc().events.some((e) => e.message === '(service demo-service) has reached a steady state.')),
      `steady state: ${JSON.stringify(svc().events.map((e) => e.message))} ${JSON.stringify(health())}`,
    );
    const h = health();
    assert.equal(h.length, 2);
    assert.ok(h.every((d) => d.TargetHealth.State === 'healthy' && d.Target.Port === 80));
    assert.ok(svc().events.some((e) => e.message === `(service demo-service) registered 1 targets in (target-group ${tg.TargetGroupArn})`));

    assert.ok(await run(60_000, () => elb.endpoints().length === 1), 'the load balancer becomes active and its listener opens');
    await elb.proxies.reconcile();
    const url = elb.endpoints()[0].localUrl;
    const running = Object.values(rs.ecs.tasks).filter((t) => t.lastStatus === 'RUNNING').map((t) => t.taskArn.split('/').pop()!);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await get(url)).body!);
    assert.deepEqual([...seen].sort(), [...running].sort(), 'both tasks answer in turn');

    // The scheduler stops a task (scale in to 1): its target drains (no new requests), then it stops.
    ecs('UpdateService', { cluster: 'demo-cluster', service: 'demo-service', desiredCount: 1 });
    await run(2000);
    assert.ok(health().some((d) => d.TargetHealth.State === 'draining'), JSON.stringify(health()));
    const drainingId = health().find((d) => d.TargetHealth.State === 'draining')!;
    const victim = running.find((id) => rs.ecs.tasks[id].desiredStatus === 'STOPPED')!;
    const other = running.find((id) => id !== victim)!;
    assert.ok(victim && drainingId, 'one task is being stopped by the scheduler');
    for (let i = 0; i < 3; i++) assert.equal((await get(url)).body, other);
    assert.ok(svc().events.some((e) => /has begun draining connections on 1 tasks\.$/.test(e.message)));
    assert.ok(await run(120_000, () => rs.ecs.tasks[victim].lastStatus === 'STOPPED'), 'the drained task stops after the deregistration delay');
    ecs('UpdateService', { cluster: 'demo-cluster', service: 'demo-service', desiredCount: 2 });
    assert.ok(
      await run(120_000, () => {
        const live = Object.values(rs.ecs.tasks).filter((t) => t.lastStatus === 'RUNNING');
        return live.length === 2 && health().filter((d) => d.TargetHealth.State === 'healthy').length === 2;
      }),
      `back to 2: ${JSON.stringify(health())}`,
    );

    // Section 2: a container dies on its own. Requests routed to it fail with 502 until its
    // replacement runs or the health checks take it out; then everything answers again.
    const live = Object.values(rs.ecs.tasks).filter((t) => t.lastStatus === 'RUNNING').map((t) => t.taskArn.split('/').pop()!);
    runtime.crash(REGION, live[0]);
    await new Promise((r) => setTimeout(r, 50));
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await get(url)).status ?? 0);
    assert.ok(codes.includes(502), `502 while the dead task is still a target: ${codes.join(',')}`);
    assert.ok(codes.includes(200), `the other task answers: ${codes.join(',')}`);
    assert.ok(
      await run(120_000, () => {
        const running = Object.values(rs.ecs.tasks).filter((t) => t.lastStatus === 'RUNNING');
        return running.length === 2 && health().filter((d) => d.TargetHealth.State === 'healthy').length === 2;
      }),
      `recovers: ${JSON.stringify(health())}`,
    );
    for (let i = 0; i < 4; i++) assert.equal((await get(url)).status, 200);
  });
});
