/**
 * Section 4 of the hands-on: Blue/Green with maximumPercent 200 and static host port 80 on four
 * instances behind the ALB — four tasks run at once, then the old ones drain for the deregistration
 * delay and stop, leaving only the new revision; traffic keeps flowing with no 5xx.
 */
import assert from 'node:assert/strict';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ModifyTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildStack, type Stack } from './helpers/stack';
import { eventually } from './helpers/cli-sandbox';

describe('Blue/Green with maximumPercent 200 on 4 instances behind the ALB', function () {
  this.timeout(300_000);
  let st: Stack;
  before(async () => {
    st = await buildStack({ timeScale: 20, instancesPerAz: 2, interval: 10 });
  });
  after(async () => st?.close());

  it('runs 4 tasks, drains the old ones for the deregistration delay, ends with only ver2.0', async () => {
    // The hands-on saw the old tasks go after about 3 minutes: a 180 s deregistration delay.
    await st.elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: st.targetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '180' }] }));
    await st.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-app-task',
        containerDefinitions: [{ name: 'demo', image: 'uzresk/demo:ver2.0', cpu: 256, memory: 512, essential: true, portMappings: [{ containerPort: 8080, hostPort: 80 }] }],
      }),
    );
    const running = async (statuses = ['RUNNING']) => {
      const arns = (await st.ecs.send(new ListTasksCommand({ cluster: 'demo-cluster', serviceName: 'demo-service' }))).taskArns!;
      return (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: arns }))).tasks!.filter((t) => statuses.includes(t.lastStatus!));
    };
    const oldArns = (await running()).map((t) => t.taskArn!);
    assert.equal(oldArns.length, 2);
    await st.ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-service', taskDefinition: 'demo-app-task:2', deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } }));

    const statuses: number[] = [];
    let stopProbe = false;
    const probing = (async () => {
      while (!stopProbe) {
        try {
          const r = await fetch(`${st.albUrl.replace(/\/$/, '')}/app/`, { signal: AbortSignal.timeout(3000) });
          await r.arrayBuffer();
          statuses.push(r.status);
        } catch {
          statuses.push(0);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await eventually('old targets draining', async () => {
      const h = await st.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: st.targetGroupArn }));
      return h.TargetHealthDescriptions!.filter((d) => d.TargetHealth?.State === 'draining').length === 2;
    }, 120_000, 100);
    const svc = (await st.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
    const drainEvents = svc.events!.filter((e) => /has begun draining connections on 1 tasks\.$/.test(e.message!));
    assert.ok(drainEvents.length > 0, 'the service says it began draining');

    await eventually('only the new revision', async () => {
      const s = (await st.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
      return s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED' && s.runningCount === 2;
    }, 120_000);
    const newTasks = await running();
    for (const t of newTasks) assert.match(t.taskDefinitionArn!, /demo-app-task:2$/);
    // Four tasks ran at once, read from the tasks' own times as the console shows them (a poll for
    // the moment all four run can miss it on a loaded machine): both new tasks had started before
    // either old one began to stop, after its deregistration delay.
    const oldTasks = (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: oldArns }))).tasks!;
    assert.deepEqual(oldTasks.map((t) => t.lastStatus), ['STOPPED', 'STOPPED']);
    const lastStart = Math.max(...newTasks.map((t) => t.startedAt!.getTime()));
    const firstStop = Math.min(...oldTasks.map((t) => t.stoppingAt!.getTime()));
    assert.ok(lastStart < firstStop, `4 tasks ran at once: the new ones started (${new Date(lastStart).toISOString()}) before the old ones stopped (${new Date(firstStop).toISOString()})`);
    // They drained for the deregistration delay, on the sandbox's clock (the events' and tasks' times).
    const drainBegan = Math.min(...drainEvents.map((e) => e.createdAt!.getTime()));
    assert.ok(firstStop - drainBegan >= 180_000, `the old tasks stayed draining for the 180 s deregistration delay (${(firstStop - drainBegan) / 1000} s of sandbox time)`);
    assert.equal(new Set([...oldTasks, ...newTasks].map((t) => t.containerInstanceArn)).size, 4, 'one task per instance (all on port 80)');

    stopProbe = true;
    await probing;
    const bad = statuses.filter((s) => s !== 200);
    assert.ok(statuses.length > 50, 'the probe ran');
    assert.equal(bad.length, 0, `no failed requests during the Blue/Green switch (${bad.length} of ${statuses.length})`);
  });
});
