/**
 * A target group deleted while a service task drains in it: the task stops waiting out the
 * deregistration delay (its target is gone with the group), so a cleanup that deletes the service,
 * the listener and the target group can delete the cluster right after, as on AWS.
 */
import assert from 'node:assert/strict';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteListenerCommand, DeleteTargetGroupCommand, DescribeListenersCommand, ModifyTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildStack, type Stack } from './helpers/stack';
import { eventually } from './helpers/cli-sandbox';

describe('a draining task whose target group is deleted', function () {
  this.timeout(180_000);
  let st: Stack;
  before(async () => {
    st = await buildStack({ timeScale: 20 });
  });
  after(async () => st?.close());

  it('stops at once instead of waiting out the deregistration delay', async () => {
    // An hour's delay: 180 s of wall time at 20x if the task waited it out.
    await st.elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: st.targetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3600' }] }));
    await st.ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-service', desiredCount: 1 }));
    const draining = await eventually('a task DEACTIVATING (draining)', async () => {
      // A task being stopped has desiredStatus STOPPED: ListTasks shows it only when asked for those.
      const arns = (await st.ecs.send(new ListTasksCommand({ cluster: 'demo-cluster', serviceName: 'demo-service', desiredStatus: 'STOPPED' }))).taskArns ?? [];
      const tasks = arns.length ? (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: arns }))).tasks ?? [] : [];
      return tasks.find((t) => t.lastStatus === 'DEACTIVATING');
    }, 60_000, 100);
    // Still draining a while later: the delay holds while the group exists.
    await new Promise((r) => setTimeout(r, 1000));
    const still = (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: [draining.taskArn!] }))).tasks![0];
    assert.equal(still.lastStatus, 'DEACTIVATING', 'the delay holds while the target group exists');

    const listeners = (await st.elb.send(new DescribeListenersCommand({ LoadBalancerArn: st.loadBalancerArn }))).Listeners ?? [];
    for (const l of listeners) await st.elb.send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn }));
    const deletedAt = Date.now();
    await st.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: st.targetGroupArn }));
    const stopped = await eventually('the draining task STOPPED', async () => {
      const t = (await st.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: [draining.taskArn!] }))).tasks![0];
      return t.lastStatus === 'STOPPED' && t;
    }, 60_000, 100);
    const tookMs = Date.now() - deletedAt;
    assert.ok(tookMs < 15_000, `stopped ${tookMs} ms after the group was deleted (the delay would be 180 s)`);
    assert.equal(stopped.desiredStatus, 'STOPPED');
    const svc = (await st.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-service'] }))).services![0];
    assert.equal(svc.runningCount, 1, 'the other task runs on');
  });
});
