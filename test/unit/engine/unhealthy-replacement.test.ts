/**
 * Replacing tasks that fail their load balancer's health checks, as ECS does since 2023
 * ("Amazon ECS will first start a healthy replacement for each unhealthy task … before terminating
 * it"; when maximumPercent does not allow a replacement, "the scheduler stops the unhealthy tasks
 * one-by-one"): the engine with the real ECS↔ELBv2 hooks and health checker, a manual clock and a
 * prober the test answers. The target group must never be left without a serving target while a
 * busy task could have kept serving.
 */
import assert from 'node:assert/strict';
import { ecsLoadBalancing } from '../../../src/sandbox/elbv2/ecs-hooks';
import { HealthChecker, type ProbeResult } from '../../../src/sandbox/elbv2/health';
import { elbv2Service } from '../../../src/sandbox/elbv2';
import { elbv2State, type Elbv2State } from '../../../src/sandbox/elbv2/model';
import type { EngineHooks } from '../../../src/sandbox/engine/context';
import type { Service, Task } from '../../../src/sandbox/engine/state';
import type { RequestContext } from '../../../src/sandbox/service';
import { ACCOUNT, Harness, REGION, taskId } from './harness';

function setup(opts: { instances: number; max: number; min: number }) {
  const hooks: EngineHooks = {};
  const h = new Harness({ hooks });
  const lb = ecsLoadBalancing({ world: h.world, runtime: h.runtime, stopTask: (rs, t, code, reason) => h.engine.stopTask(rs, t, code, reason) });
  Object.assign(hooks, lb.hooks);
  const ctx = { region: REGION, accountId: ACCOUNT, world: h.world, state: h.rs, engine: h.engine, requestId: 'r' } as unknown as RequestContext;
  const call = (op: string, input: Record<string, unknown>) => {
    ctx.now = h.clock.now();
    const str = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(str) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)])) : typeof v === 'number' ? String(v) : v;
    return elbv2Service.operations[op](ctx, str(input)) as any;
  };
  h.cluster();
  h.instances(opts.instances);
  const vpcId = Object.keys(h.rs.ec2.vpcs)[0];
  const subnets = Object.keys(h.rs.ec2.subnets);
  // The walkthrough's target group: /app/ every 30 s, 5 s timeout, healthy after 5, unhealthy after 2.
  const tg = call('CreateTargetGroup', {
    Name: 'app-demo-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance',
    HealthCheckPath: '/app/', HealthCheckIntervalSeconds: 30, HealthCheckTimeoutSeconds: 5, HealthyThresholdCount: 5, UnhealthyThresholdCount: 2,
  }).TargetGroups[0];
  const alb = call('CreateLoadBalancer', { Name: 'app-demo-lb', Subnets: subnets }).LoadBalancers[0];
  call('CreateListener', { LoadBalancerArn: alb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] });
  (h.rs.serviceState.elbv2 as Elbv2State).loadBalancers[alb.LoadBalancerArn].State = { Code: 'active' };
  const td = h.taskDefinition('demo-app-task', 'uzresk/demo:ver1.0', 80);
  const svc: Service = h.service('demo-service', td, 2, { max: opts.max, min: opts.min });
  svc.loadBalancers = [{ targetGroupArn: tg.TargetGroupArn, containerName: 'app', containerPort: 8080 }];
  svc.healthCheckGracePeriodSeconds = 60;

  /** Tasks (by id) whose health check times out: busy, as under the article's load before the fix. */
  const busy = new Set<string>();
  const checker = new HealthChecker({
    resolve: lb.resolve,
    prober: async (url): Promise<ProbeResult> => ([...busy].some((id) => url.startsWith(h.runtime.url(REGION, id, 80) ?? '-')) ? { error: 'timeout' } : { status: 200 }),
  });
  /** One second of simulated time: the engine's tick, then the health checks' (as the server does). */
  const second = async () => {
    h.drive(1000);
    const events = checker.tick(h.rs, h.clock.now());
    await checker.settle();
    events.push(...checker.tick(h.rs, h.clock.now()));
    lb.onHealthEvents(h.rs, events, h.clock.now());
  };
  const targets = () => Object.values(elbv2State(h.rs).targetGroups[tg.TargetGroupArn].targets);
  /** Targets the ALB may route to: registered, not draining (it fails open to unhealthy ones). */
  const routable = () => targets().filter((t) => t.State !== 'draining' && t.State !== 'unused').length;
  const healthyTargets = () => targets().filter((t) => t.State === 'healthy').length;
  const run = async (seconds: number, each?: () => void) => {
    for (let i = 0; i < seconds; i++) {
      await second();
      each?.();
    }
  };
  return { h, svc, tg, busy, run, routable, healthyTargets, elbStopped: (t: Task) => t.stoppedReason === `Task failed ELB health checks in (target-group ${tg.TargetGroupArn})` };
}

describe('engine: replacing tasks that fail their ELB health checks', () => {
  it('2 instances, static port 80 (no room for a replacement): one at a time, the target group never empty', async () => {
    const { h, svc, busy, run, routable, healthyTargets, elbStopped } = setup({ instances: 2, max: 200, min: 100 });
    await run(400);
    assert.equal(healthyTargets(), 2, 'steady: 2 healthy targets');
    const [a, b] = h.running('demo-service');
    busy.add(taskId(a)).add(taskId(b));
    let minRoutable = Infinity;
    let maxStopping = 0;
    await run(1100, () => {
      minRoutable = Math.min(minRoutable, routable());
      maxStopping = Math.max(maxStopping, h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'STOPPED' && elbStopped(t)).length);
    });
    assert.ok(minRoutable >= 1, 'the ALB always had a target to send requests to');
    assert.equal(maxStopping, 1, 'unhealthy tasks are stopped one at a time');
    assert.ok(elbStopped(a) && elbStopped(b), 'both busy tasks were replaced in the end');
    assert.equal(h.running('demo-service').length, 2);
    assert.equal(healthyTargets(), 2, 'two healthy replacements');
    const msgs = h.messages(svc);
    assert.equal(msgs.filter((m) => / is unhealthy in \(target-group app-demo-tg\) due to \(reason Request timed out\)\.$/.test(m)).length, 2, msgs.join('\n'));
    assert.equal(msgs.filter((m) => m.startsWith('(service demo-service) was unable to place a task')).length, 0, 'no placement noise for replacements waiting for a port');
  });

  it('4 instances, maximumPercent 200: replacements start first; an unhealthy task stops only once a replacement is healthy', async () => {
    const { h, busy, run, routable, healthyTargets, elbStopped } = setup({ instances: 4, max: 200, min: 100 });
    await run(400);
    assert.equal(healthyTargets(), 2);
    const [a, b] = h.running('demo-service');
    busy.add(taskId(a)).add(taskId(b));
    let minRoutable = Infinity;
    let stoppedBeforeHealthyReplacement = false;
    let maxLive = 0;
    await run(900, () => {
      minRoutable = Math.min(minRoutable, routable());
      maxLive = Math.max(maxLive, h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'RUNNING').length);
      // a's and b's targets stay unhealthy (busy): every healthy target is a replacement's.
      const asked = [a, b].filter((t) => t.desiredStatus === 'STOPPED').length;
      if (asked > healthyTargets()) stoppedBeforeHealthyReplacement = true;
    });
    assert.equal(maxLive, 4, 'two replacements ran beside the two unhealthy tasks (maximumPercent 200)');
    assert.ok(!stoppedBeforeHealthyReplacement, 'no unhealthy task stopped before a replacement was healthy');
    assert.ok(minRoutable >= 2, `the ALB kept two targets throughout (${minRoutable})`);
    assert.ok(elbStopped(a) && elbStopped(b));
    assert.equal(h.running('demo-service').length, 2);
    assert.equal(healthyTargets(), 2);
  });

  it('maximumPercent 100 on 4 instances: no room above the desired count, so the unhealthy task stops first', async () => {
    const { h, busy, run, healthyTargets, elbStopped } = setup({ instances: 4, max: 100, min: 50 });
    await run(400);
    const [a, b] = h.running('demo-service');
    busy.add(taskId(a));
    let sawThree = false;
    await run(600, () => {
      if (h.tasksOf('demo-service').filter((t) => t.desiredStatus === 'RUNNING').length > 2) sawThree = true;
    });
    assert.ok(!sawThree, 'never more than the desired count');
    assert.ok(elbStopped(a));
    assert.equal(b.desiredStatus, 'RUNNING', 'the healthy task was left alone');
    assert.equal(healthyTargets(), 2);
  });
});
