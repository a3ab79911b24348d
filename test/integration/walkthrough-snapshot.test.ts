/**
 * src/aws/walkthrough-snapshot.ts, the walkthrough checks' view of the account, read through the
 * extension's own clients (src/aws/clients.ts) from a sandbox holding the hands-on's stack
 * (cluster, 2 instances, demo-app-task, app-demo-lb, demo-service with 2 tasks behind it).
 */
import assert from 'node:assert/strict';
import { createClients, type AwsClients } from '../../src/aws/clients';
import { collectSnapshot } from '../../src/aws/walkthrough-snapshot';
import type { SnapshotPart } from '../../src/core/walkthrough/snapshot';
import { buildStack, REGION, type Stack } from './helpers/stack';

const ALL_PARTS: SnapshotPart[] = ['clusters', 'containerInstances', 'taskDefinitions', 'loadBalancers', 'services', 'tasks', 'serviceScaling', 'autoScalingGroups', 'alarms'];

describe('walkthrough snapshot (src/aws) against the hands-on stack', function () {
  this.timeout(120_000);
  let st: Stack;
  let clients: AwsClients;
  before(async () => {
    st = await buildStack({ timeScale: 20 });
    clients = createClients({ kind: 'sandbox', endpoint: st.sb.endpoint, region: REGION, credentials: st.sb.credentials });
  });
  after(async () => {
    clients?.destroy();
    await st?.close();
  });

  it('reads every part of the stack as the checks see it', async () => {
    const inputs = { cluster: 'demo-cluster', service: 'demo-service', family: 'demo-app-task', loadBalancer: 'app-demo-lb' };
    const snap = await collectSnapshot({ clients, parts: ALL_PARTS, inputs, now: 123, lbUrl: async () => ({ url: 'http://lb.example/' }) });
    assert.equal(snap.takenAt, 123);
    assert.deepEqual(snap.clusters.map((c) => [c.name, c.status, c.registeredContainerInstances]), [['demo-cluster', 'ACTIVE', 2]]);
    assert.equal(snap.containerInstances.length, 2);
    assert.deepEqual(new Set(snap.containerInstances.map((ci) => ci.availabilityZone)).size, 2, 'two AZs');
    for (const ci of snap.containerInstances) assert.deepEqual(ci.usedPorts, [80], 'port 80 held by the task; reserved ports not counted');
    assert.deepEqual(snap.taskDefinitions.map((td) => [td.family, td.revision, td.image, td.containerPort, td.hostPort]), [['demo-app-task', 1, 'uzresk/demo:ver1.0', 8080, 80]]);
    assert.deepEqual(snap.loadBalancers.map((lb) => [lb.name, lb.listenerPorts, lb.url]), [['app-demo-lb', [80], 'http://lb.example/']]);
    assert.equal(snap.targetGroups.length, 1);
    assert.deepEqual(snap.targetGroups[0].targets.map((t) => t.health), ['healthy', 'healthy']);
    const [svc] = snap.services;
    assert.equal(svc.name, 'demo-service');
    assert.equal(svc.runningCount, 2);
    assert.equal(svc.taskDefinition, 'demo-app-task:1');
    assert.deepEqual(svc.deployments.map((d) => [d.status, d.rolloutState, d.running]), [['PRIMARY', 'COMPLETED', 2]]);
    assert.equal(typeof svc.deployments[0].createdAt, 'number');
    assert.ok(svc.events.some((e) => /has reached a steady state/.test(e.message) && e.createdAt > 0));
    const running = snap.tasks.filter((t) => t.lastStatus === 'RUNNING');
    assert.equal(running.length, 2);
    for (const t of running) {
      assert.equal(t.hostPort, 80);
      assert.equal(typeof t.startedAt, 'number');
    }
  });

  it('a cluster or service that does not exist is an empty part, not an error', async () => {
    const snap = await collectSnapshot({ clients, parts: ['clusters', 'containerInstances', 'services', 'tasks'], inputs: { cluster: 'no-such-cluster', service: 'nothing' }, now: 0 });
    assert.deepEqual([snap.clusters, snap.containerInstances, snap.services, snap.tasks], [[], [], [], []]);
    const other = await collectSnapshot({ clients, parts: ['services', 'tasks'], inputs: { cluster: 'demo-cluster', service: 'no-such-service' }, now: 0 });
    assert.deepEqual([other.services, other.tasks], [[], []]);
  });
});
