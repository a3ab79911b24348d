import assert from 'node:assert/strict';
import { HealthChecker, type ProbeResult, type TargetHealthEvent } from '../../../src/sandbox/elbv2/health';
import { elbv2Settings, elbv2State } from '../../../src/sandbox/elbv2/model';
import { awsErr, handsOnAlb, makeEnv, type TestEnv } from './helpers';

/** A prober answering from a table per URL (default 200), recording calls. */
function fakeProber() {
  const answers = new Map<string, ProbeResult>();
  const calls: { url: string; timeoutMs: number }[] = [];
  return {
    answers,
    calls,
    prober: async (url: string, timeoutMs: number): Promise<ProbeResult> => {
      calls.push({ url, timeoutMs });
      return answers.get(url) ?? { status: 200 };
    },
  };
}

const health = (env: TestEnv, tgArn: string) =>
  env.call('DescribeTargetHealth', { TargetGroupArn: tgArn }).TargetHealthDescriptions.map((d: any) => ({
    id: d.Target.Id,
    port: d.Target.Port,
    ...d.TargetHealth,
  }));

describe('ELBv2 targets and the health checker', () => {
  const urlOf = (id: string, port: number) => `http://127.0.0.1:${id.endsWith('0') ? 40000 + port : 50000 + port}`;

  async function step(env: TestEnv, hc: HealthChecker, ms: number): Promise<TargetHealthEvent[]> {
    env.advance(ms);
    const ev = hc.tick(env.rs, env.ctx.now);
    await hc.settle();
    return [...ev, ...hc.tick(env.rs, env.ctx.now)];
  }

  it('RegisterTargets validates instances (exist, running) and defaults the port to the group port', () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    assert.deepEqual(awsErr(() => env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: 'i-0123456789abcdef0' }] })).code, 'InvalidTarget');
    env.rs.ec2.instances[env.instances[1]].state = 'stopped';
    const e = awsErr(() => env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }, { Id: env.instances[1] }] }));
    assert.deepEqual(e, { code: 'InvalidTarget', message: `The following targets are not in a running state and cannot be registered: '${env.instances[1]}'` });
    assert.deepEqual(health(env, tgArn), [], 'nothing registered after a refused call');
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }, { Id: env.instances[0], Port: 32768 }] });
    const h = health(env, tgArn);
    assert.deepEqual(h.map((x: any) => [x.id, x.port, x.State, x.Reason, x.Description]), [
      [env.instances[0], 80, 'initial', 'Elb.RegistrationInProgress', 'Target registration is in progress'],
      [env.instances[0], 32768, 'initial', 'Elb.RegistrationInProgress', 'Target registration is in progress'],
    ]);
    const d = env.call('DescribeTargetHealth', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[1], Port: 80 }] }).TargetHealthDescriptions[0];
    assert.deepEqual(d.TargetHealth, { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });
  });

  it('targets of a group no load balancer uses are unused (Target.NotInUse) and not checked', async () => {
    const env = makeEnv();
    const tg = env.call('CreateTargetGroup', { Name: 'lonely', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }).TargetGroups[0];
    env.call('RegisterTargets', { TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: env.instances[0] }] });
    const fp = fakeProber();
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: fp.prober });
    await step(env, hc, 60_000);
    assert.equal(fp.calls.length, 0);
    assert.deepEqual(health(env, tg.TargetGroupArn)[0].Reason, 'Target.NotInUse');
    assert.equal(health(env, tg.TargetGroupArn)[0].Description, 'Target group is not configured to receive traffic from the load balancer');
  });

  it('initial -> healthy after HealthyThresholdCount successes, every interval, on the sandbox clock', async () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    env.call('ModifyTargetGroup', { TargetGroupArn: tgArn, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3, HealthCheckPath: '/app/' });
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }] });
    const fp = fakeProber();
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: fp.prober, realMs: (ms) => ms / 10, minTimeoutMs: 0 });
    await step(env, hc, elbv2Settings.registrationMs - 1);
    assert.equal(fp.calls.length, 0, 'no check while registration is in progress');
    await step(env, hc, 1);
    assert.deepEqual(fp.calls, [{ url: `${urlOf(env.instances[0], 80)}/app/`, timeoutMs: 500 }], 'GET the path; 5 s sim timeout = 500 real ms at 10x');
    const floored = fakeProber();
    const hc2 = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: floored.prober, realMs: (ms) => ms / 10 });
    elbv2State(env.rs).targetGroups[tgArn].targets[`${env.instances[0]}:80`].nextCheckAt = env.ctx.now;
    hc2.tick(env.rs, env.ctx.now);
    await hc2.settle();
    assert.equal(floored.calls[0].timeoutMs, 2000, 'by default a real timeout is at least 2 s (never above the unscaled one)');
    assert.equal(health(env, tgArn)[0].Reason, 'Elb.InitialHealthChecking');
    await step(env, hc, 9_999);
    assert.equal(fp.calls.length, 1, 'the next check waits for the interval');
    await step(env, hc, 1);
    assert.equal(health(env, tgArn)[0].State, 'initial');
    const ev = await step(env, hc, 10_000);
    assert.equal(fp.calls.length, 3);
    assert.deepEqual(health(env, tgArn)[0], { id: env.instances[0], port: 80, State: 'healthy' });
    assert.deepEqual(ev.map((e) => [e.type, e.from, e.to]), [['state', 'initial', 'healthy']]);
  });

  it('healthy -> unhealthy after UnhealthyThresholdCount failures, with the reason code and text', async () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    env.call('ModifyTargetGroup', { TargetGroupArn: tgArn, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3 });
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }, { Id: env.instances[1] }] });
    const fp = fakeProber();
    const events: TargetHealthEvent[] = [];
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: fp.prober, onEvent: (e) => events.push(e) });
    await step(env, hc, elbv2Settings.registrationMs);
    await step(env, hc, 5_000);
    assert.deepEqual(health(env, tgArn).map((h: any) => h.State), ['healthy', 'healthy']);
    fp.answers.set(`${urlOf(env.instances[0], 80)}/`, { status: 502 });
    fp.answers.set(`${urlOf(env.instances[1], 80)}/`, { error: 'timeout' });
    await step(env, hc, 5_000);
    await step(env, hc, 5_000);
    assert.deepEqual(health(env, tgArn).map((h: any) => h.State), ['healthy', 'healthy'], 'two failures < threshold 3');
    await step(env, hc, 5_000);
    const h = health(env, tgArn);
    assert.deepEqual([h[0].State, h[0].Reason, h[0].Description], ['unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [502]']);
    assert.deepEqual([h[1].State, h[1].Reason, h[1].Description], ['unhealthy', 'Target.Timeout', 'Request timed out']);
    const unhealthy = events.filter((e) => e.to === 'unhealthy');
    assert.equal(unhealthy.length, 2);
    assert.equal(unhealthy[0].targetGroupArn, tgArn);
    assert.equal(unhealthy[0].description, 'Health checks failed with these codes: [502]');
    // Refused connections (nothing resolves) -> Target.FailedHealthChecks; recovery needs HealthyThresholdCount successes.
    fp.answers.delete(`${urlOf(env.instances[0], 80)}/`);
    await step(env, hc, 5_000);
    assert.equal(health(env, tgArn)[0].State, 'unhealthy');
    await step(env, hc, 5_000);
    assert.equal(health(env, tgArn)[0].State, 'healthy');
  });

  it('unreachable targets fail with Target.FailedHealthChecks', async () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }] });
    const hc = new HealthChecker({ resolve: () => undefined, prober: fakeProber().prober });
    await step(env, hc, elbv2Settings.registrationMs);
    await step(env, hc, 30_000);
    const h = health(env, tgArn)[0];
    assert.deepEqual([h.State, h.Reason, h.Description], ['unhealthy', 'Target.FailedHealthChecks', 'Health checks failed']);
  });

  it('DeregisterTargets: draining for the deregistration delay, then gone (event drained)', async () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    env.call('ModifyTargetGroupAttributes', { TargetGroupArn: tgArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] });
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }, { Id: env.instances[1] }] });
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: fakeProber().prober });
    await step(env, hc, 1_000);
    env.call('DeregisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0], Port: 80 }] });
    let h = health(env, tgArn);
    assert.deepEqual([h[0].State, h[0].Reason, h[0].Description], ['draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress']);
    let ev = await step(env, hc, 29_999);
    assert.equal(health(env, tgArn).length, 2);
    ev = await step(env, hc, 1);
    assert.deepEqual(ev.filter((e) => e.type === 'drained').map((e) => e.target), [{ Id: env.instances[0], Port: 80 }]);
    h = health(env, tgArn);
    assert.deepEqual(h.map((x: any) => x.id), [env.instances[1]]);
    const d = env.call('DescribeTargetHealth', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0], Port: 80 }] }).TargetHealthDescriptions[0];
    assert.equal(d.TargetHealth.Reason, 'Target.NotRegistered');
  });

  it('targets of a stopped instance are unused (Target.InvalidState); of a terminated one, removed', async () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: env.instances.map((Id) => ({ Id })) });
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: fakeProber().prober });
    env.rs.ec2.instances[env.instances[0]].state = 'stopped';
    env.rs.ec2.instances[env.instances[1]].state = 'terminated';
    const ev = await step(env, hc, 1000);
    const h = health(env, tgArn);
    assert.deepEqual(h.map((x: any) => [x.id, x.State, x.Reason, x.Description]), [[env.instances[0], 'unused', 'Target.InvalidState', 'Target is in the stopped state']]);
    assert.deepEqual(ev.filter((e) => e.type === 'drained').map((e) => e.target.Id), [env.instances[1]]);
    env.rs.ec2.instances[env.instances[0]].state = 'running';
    await step(env, hc, 1000);
    assert.equal(health(env, tgArn)[0].State, 'initial');
  });

  it('no health checks while the load balancer is provisioning; it becomes active on tick', async () => {
    const env = makeEnv();
    const { lbArn, tgArn } = handsOnAlb(env, { provisioning: true });
    env.call('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: env.instances[0] }] });
    const fp = fakeProber();
    const hc = new HealthChecker({ resolve: (_r, _tg, t) => urlOf(t.Id, t.Port), prober: fp.prober });
    await step(env, hc, elbv2Settings.provisioningMs - 1);
    assert.equal(fp.calls.length, 0);
    assert.equal(health(env, tgArn)[0].Reason, 'Elb.RegistrationInProgress');
    await step(env, hc, 1);
    assert.equal((env.rs.serviceState.elbv2 as any).loadBalancers[lbArn].State.Code, 'active');
    assert.equal(fp.calls.length, 1, 'checks start once it is active');
  });
});
