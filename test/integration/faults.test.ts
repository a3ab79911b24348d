/**
 * The sandbox's fault injection (admin API) against the hands-on stack: throttled API calls,
 * a task process that dies, and a task that fails its ELB health checks.
 */
import assert from 'node:assert/strict';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SandboxAdmin, SandboxAdminError } from '../../src/aws/sandbox-admin';
import { buildStack, REGION, type Stack } from './helpers/stack';
import { eventually } from './helpers/cli-sandbox';

describe('sandbox fault injection', function () {
  this.timeout(180_000);
  let st: Stack;

  before(async () => {
    st = await buildStack({ timeScale: 20 });
  });
  after(async () => st?.close());
  // A failed test must not leave throttling on for the next one.
  afterEach(async () => {
    if (st) await new SandboxAdmin(st.sb.endpoint, st.sb.adminToken).setFaults({ throttle: 0 });
  });

  /** The admin API through its client: the status (200 or the refusal's) and the body. */
  const admin = async (path: string, body?: unknown): Promise<{ status: number; body: any }> =>
    new SandboxAdmin(st.sb.endpoint, st.sb.adminToken).call<any>(body === undefined ? 'GET' : 'POST', path, body).then(
      (b) => ({ status: 200, body: b }),
      (e: SandboxAdminError) => ({ status: e.status, body: { error: e.message } }),
    );
  const runningTaskArns = async () =>
    (await st.ecs.send(new ListTasksCommand({ cluster: 'demo-cluster', serviceName: 'demo-service' }))).taskArns ?? [];

  it('throttles a fraction of calls with ThrottlingException; SDK retries get through; off again restores service', async () => {
    assert.equal((await admin('/_sandbox/faults', { throttle: 1, operations: ['DescribeServices'] })).status, 200);
    const noRetry = new ECSClient({ endpoint: st.sb.endpoint, region: REGION, credentials: st.sb.credentials, maxAttempts: 1 });
    await assert.rejects(noRetry.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] })), (e: any) => e.name === 'ThrottlingException' && /Rate exceeded/.test(e.message));
    // Other operations are not throttled.
    assert.ok((await noRetry.send(new ListTasksCommand({ cluster: 'demo-cluster' }))).taskArns);

    // 30% throttled, 20 calls of up to 10 attempts: some need retries (all first attempts pass
    // with p = 0.7^20 < 0.1%), none runs out of them (p = 20 × 0.3^10 < 0.02%).
    await admin('/_sandbox/faults', { throttle: 0.3, operations: ['DescribeServices'] });
    const retrying = new ECSClient({ endpoint: st.sb.endpoint, region: REGION, credentials: st.sb.credentials, maxAttempts: 10, retryMode: 'standard' });
    let attempts = 0;
    for (let i = 0; i < 20; i++) {
      const out = await retrying.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }));
      attempts += out.$metadata.attempts ?? 1;
    }
    assert.ok(attempts > 20, `some calls needed retries (${attempts} attempts for 20 calls)`);

    await admin('/_sandbox/faults', { throttle: 0 });
    const out = await noRetry.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }));
    assert.equal(out.services?.[0].serviceName, 'demo-service');
    noRetry.destroy();
    retrying.destroy();

    assert.equal((await admin('/_sandbox/faults', { throttle: 2 })).status, 400, 'a fraction over 1 is refused');
    assert.equal((await admin('/_sandbox/faults', { throttle: 0.1, operations: ['not an op!'] })).status, 400);
    assert.equal((await admin('/_sandbox/faults')).body.throttleFraction, 0, 'refused settings changed nothing');
  });

  it('a killed task process stops with EssentialContainerExited and the service replaces it', async () => {
    const [victim] = await runningTaskArns();
    assert.equal((await admin('/_sandbox/tasks/kill', { taskArn: victim })).status, 200);
    const stopped = await eventually('the killed task STOPPED', async () => {
      const t = (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: [victim] }))).tasks![0];
      return t.lastStatus === 'STOPPED' && t;
    });
    assert.equal(stopped.stopCode, 'EssentialContainerExited');
    assert.equal(stopped.stoppedReason, 'Essential container in task exited');
    await eventually('a replacement task RUNNING', async () => {
      const arns = await runningTaskArns();
      if (arns.length !== 2 || arns.includes(victim)) return false;
      const tasks = (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: arns }))).tasks!;
      return tasks.every((t) => t.lastStatus === 'RUNNING');
    }, 90_000);
    assert.equal((await admin('/_sandbox/tasks/kill', { taskArn: victim })).status, 409, 'a stopped task cannot be killed again');
    assert.equal((await admin('/_sandbox/tasks/kill', { taskArn: 'nope' })).status, 404);
  });

  it('a task that fails its health checks is reported unhealthy and replaced by ECS', async () => {
    await eventually('both targets healthy', async () => {
      const h = await st.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: st.targetGroupArn }));
      return h.TargetHealthDescriptions?.length === 2 && h.TargetHealthDescriptions.every((d) => d.TargetHealth?.State === 'healthy');
    }, 90_000);
    const [victim] = await runningTaskArns();
    assert.equal((await admin('/_sandbox/tasks/unhealthy', { taskArn: victim, unhealthy: true })).status, 200);
    const stopped = await eventually('the unhealthy task stopped by ECS', async () => {
      const t = (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: [victim] }))).tasks![0];
      return t.lastStatus === 'STOPPED' && t;
    }, 120_000);
    assert.match(stopped.stoppedReason ?? '', /^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/);
    const svc = (await st.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
    assert.ok(
      svc.events!.some((e) => /is unhealthy in \(target-group .*\) due to \(reason Health checks failed with these codes: \[500\]\)/.test(e.message ?? '')),
      `an unhealthy event: ${svc.events!.slice(0, 5).map((e) => e.message).join(' | ')}`,
    );
    await eventually('2 RUNNING tasks again', async () => (await runningTaskArns()).filter((a) => a !== victim).length === 2, 90_000);
  });
});
