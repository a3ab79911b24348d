import assert from 'node:assert/strict';
import { ecsLoadBalancing } from '../../../src/sandbox/elbv2/ecs-hooks';
import { HealthChecker, type ProbeResult } from '../../../src/sandbox/elbv2/health';
import { elbv2Settings, elbv2State } from '../../../src/sandbox/elbv2/model';
import type { Service, Task } from '../../../src/sandbox/engine/state';
import { handsOnAlb, makeEnv } from './helpers';

function fixture() {
  const env = makeEnv();
  const alb = handsOnAlb(env);
  env.call('ModifyTargetGroup', { TargetGroupArn: alb.tgArn, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 });
  env.call('ModifyTargetGroupAttributes', { TargetGroupArn: alb.tgArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '20' }] });
  const service = {
    serviceName: 'demo-service',
    loadBalancers: [{ targetGroupArn: alb.tgArn, containerName: 'demo', containerPort: 8080 }],
    healthCheckGracePeriodSeconds: 0,
    events: [],
    eventGate: {},
  } as unknown as Service;
  env.rs.ecs.services['demo-cluster'] = { 'demo-service': service };
  const task = (id: string, instance: string, hostPort: number) =>
    ({
      taskArn: `arn:aws:ecs:ap-northeast-1:123456789012:task/demo-cluster/${id}`,
      clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/demo-cluster',
      ec2InstanceId: instance,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      serviceName: 'demo-service',
      deploymentId: 'ecs-svc/1234567890123456789',
      startedAt: env.ctx.now,
      containers: [{ name: 'demo', networkBindings: [{ bindIP: '0.0.0.0', containerPort: 8080, hostPort, protocol: 'tcp' }] }],
    }) as unknown as Task;
  const t1 = task('a'.repeat(32), env.instances[0], 32768);
  const t2 = task('b'.repeat(32), env.instances[1], 32769);
  env.rs.ecs.tasks[t1.taskArn.split('/').pop()!] = t1;
  env.rs.ecs.tasks[t2.taskArn.split('/').pop()!] = t2;
  const stopped: [Task, string][] = [];
  const lb = ecsLoadBalancing({
    world: env.ctx.world,
    runtime: { url: (_r, taskId, port) => `http://127.0.0.1:${port}/${taskId.slice(0, 1)}` },
    stopTask: (_rs, t, _code, reason) => stopped.push([t, reason]),
  });
  return { env, alb, service, t1, t2, lb, stopped };
}

describe('ECS integration hooks for ELBv2', () => {
  it('registers a RUNNING task as instance + host port and resolves it to the task URL', () => {
    const { env, alb, service, t1, lb } = fixture();
    lb.hooks.serviceTaskRunning!(env.rs, service, t1, env.ctx.now);
    const th = env.call('DescribeTargetHealth', { TargetGroupArn: alb.tgArn }).TargetHealthDescriptions;
    assert.deepEqual(th.map((d: any) => [d.Target.Id, d.Target.Port]), [[env.instances[0], 32768]]);
    assert.equal(service.events[0].message, `(service demo-service) registered 1 targets in (target-group ${alb.tgArn})`);
    const tg = elbv2State(env.rs).targetGroups[alb.tgArn];
    assert.equal(lb.resolve('ap-northeast-1', tg, { Id: env.instances[0], Port: 32768 }), 'http://127.0.0.1:32768/a');
    assert.equal(lb.resolve('ap-northeast-1', tg, { Id: env.instances[0], Port: 32769 }), undefined);
    assert.equal(lb.hooks.serviceTaskHealthy!(env.rs, service, t1, env.ctx.now), false, 'initial is not healthy');
  });

  it('healthy once the target is; drains before stopping; a task that turns unhealthy is reported and marked for replacement', async () => {
    const { env, alb, service, t1, t2, lb, stopped } = fixture();
    lb.hooks.serviceTaskRunning!(env.rs, service, t1, env.ctx.now);
    lb.hooks.serviceTaskRunning!(env.rs, service, t2, env.ctx.now);
    const answers = new Map<string, ProbeResult>();
    const hc = new HealthChecker({ resolve: lb.resolve, prober: async (url) => answers.get(url) ?? { status: 200 } });
    const step = async (ms: number) => {
      env.advance(ms);
      const ev = hc.tick(env.rs, env.ctx.now);
      await hc.settle();
      ev.push(...hc.tick(env.rs, env.ctx.now));
      lb.onHealthEvents(env.rs, ev, env.ctx.now);
    };
    await step(elbv2Settings.registrationMs);
    await step(5_000);
    assert.equal(lb.hooks.serviceTaskHealthy!(env.rs, service, t1, env.ctx.now), true);

    const until = lb.hooks.beforeServiceTaskStop!(env.rs, service, t1, env.ctx.now);
    assert.equal(until, env.ctx.now + 20_000, 'runs on while its target drains');
    assert.deepEqual(service.events.slice(0, 2).map((e) => e.message), [
      '(service demo-service, taskSet ecs-svc/1234567890123456789) has begun draining connections on 1 tasks.',
      `(service demo-service) deregistered 1 targets in (target-group ${alb.tgArn})`,
    ]);

    assert.equal(lb.hooks.serviceTaskFailing!(env.rs, service, t2, env.ctx.now), undefined, 'healthy: nothing to replace');
    answers.set('http://127.0.0.1:32769/b/', { status: 502 });
    await step(5_000);
    await step(5_000);
    // The REPLICA scheduler replaces it (replacements first): the hooks do not stop it themselves.
    assert.equal(stopped.length, 0);
    assert.equal(lb.hooks.serviceTaskFailing!(env.rs, service, t2, env.ctx.now), `Task failed ELB health checks in (target-group ${alb.tgArn})`);
    const unhealthyEvent = `(service demo-service) (task ${'b'.repeat(32)}) (instance ${env.instances[1]}) (port 32769) is unhealthy in (target-group demo-tg) due to (reason Health checks failed with these codes: [502]).`;
    assert.equal(service.events[0].message, unhealthyEvent);
    assert.equal(service.events.filter((e) => e.message === unhealthyEvent).length, 1, 'reported once');

  });

  it("a DAEMON service's task that turns unhealthy is stopped at once", async () => {
    const { env, alb, service, t1, lb, stopped } = fixture();
    (service as any).schedulingStrategy = 'DAEMON';
    lb.hooks.serviceTaskRunning!(env.rs, service, t1, env.ctx.now);
    const hc = new HealthChecker({ resolve: lb.resolve, prober: async () => ({ status: 503 }) });
    for (const ms of [elbv2Settings.registrationMs, 5_000, 5_000]) {
      env.advance(ms);
      const ev = hc.tick(env.rs, env.ctx.now);
      await hc.settle();
      ev.push(...hc.tick(env.rs, env.ctx.now));
      lb.onHealthEvents(env.rs, ev, env.ctx.now);
    }
    assert.deepEqual(stopped, [[t1, `Task failed ELB health checks in (target-group ${alb.tgArn})`]]);
  });

  it('a task that dies on its own: its healthy target gets requests until health checks fail, then is deregistered', async () => {
    const { env, alb, service, t1, lb } = fixture();
    (service as any).status = 'ACTIVE';
    lb.hooks.serviceTaskRunning!(env.rs, service, t1, env.ctx.now);
    const hc = new HealthChecker({ resolve: lb.resolve, prober: async (url) => (url.includes('/a') ? { status: 200 } : { error: 'refused' }) });
    const step = async (ms: number) => {
      env.advance(ms);
      const ev = hc.tick(env.rs, env.ctx.now);
      await hc.settle();
      ev.push(...hc.tick(env.rs, env.ctx.now));
      lb.onHealthEvents(env.rs, ev, env.ctx.now);
    };
    await step(elbv2Settings.registrationMs);
    await step(5_000);
    const state = () => env.call('DescribeTargetHealth', { TargetGroupArn: alb.tgArn }).TargetHealthDescriptions[0].TargetHealth;
    assert.equal(state().State, 'healthy');
    t1.lastStatus = 'STOPPED';
    lb.hooks.serviceTaskStopped!(env.rs, service, t1, env.ctx.now);
    assert.equal(state().State, 'healthy', 'still in rotation: requests to it fail with 502');
    await step(5_000);
    assert.equal(state().State, 'healthy', 'one failure < threshold 2');
    await step(5_000);
    assert.deepEqual(state(), { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' });
    assert.equal(service.events[0].message, `(service demo-service) deregistered 1 targets in (target-group ${alb.tgArn})`);
  });

  it('a replacement on the same instance and port takes over the dead task\'s target as a new registration', async () => {
    const { env, alb, service, t1, lb } = fixture();
    lb.hooks.serviceTaskRunning!(env.rs, service, t1, env.ctx.now);
    const tg = elbv2State(env.rs).targetGroups[alb.tgArn];
    Object.values(tg.targets)[0].State = 'healthy';
    t1.lastStatus = 'STOPPED';
    lb.hooks.serviceTaskStopped!(env.rs, service, t1, env.ctx.now);
    const t3 = { ...t1, taskArn: t1.taskArn.replace(/a+$/, 'c'.repeat(32)), lastStatus: 'RUNNING' } as Task;
    env.rs.ecs.tasks['c'.repeat(32)] = t3;
    env.advance(1000);
    lb.hooks.serviceTaskRunning!(env.rs, service, t3, env.ctx.now);
    const t = Object.values(tg.targets)[0];
    assert.deepEqual([t.State, t.Reason, t.deregisterWhenUnhealthy], ['initial', 'Elb.RegistrationInProgress', undefined]);
    assert.equal(lb.resolve('ap-northeast-1', tg, { Id: env.instances[0], Port: 32768 }), 'http://127.0.0.1:32768/c');
  });
});
