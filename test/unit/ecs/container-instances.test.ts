import { strict as assert } from 'node:assert';
import { ACCOUNT, Harness, REGION, container, taskDef } from './harness';

const IPE = 'InvalidParameterException';
const res = (list: any[], name: string) => list.find((r) => r.name === name);

describe('ECS container instances', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
    h.call('CreateCluster', { clusterName: 'c' });
  });

  it('DescribeContainerInstances shows registered and remaining resources, used ports and task counts', () => {
    const ci = h.addInstance('c', { cpu: 2048, memory: 3891 });
    h.call('RegisterTaskDefinition', taskDef());
    h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task' });
    h.advance(10_000);
    const out = h.call('DescribeContainerInstances', { cluster: 'c', containerInstances: [ci.containerInstanceArn, 'nope'] });
    assert.deepEqual(out.failures, [{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/c/nope`, reason: 'MISSING' }]);
    const d = out.containerInstances[0];
    assert.equal(d.ec2InstanceId, ci.ec2InstanceId);
    assert.equal(d.status, 'ACTIVE');
    assert.equal(d.agentConnected, true);
    assert.equal(d.runningTasksCount, 1);
    assert.equal(d.pendingTasksCount, 0);
    assert.equal(res(d.registeredResources, 'CPU').integerValue, 2048);
    assert.equal(res(d.registeredResources, 'MEMORY').integerValue, 3891);
    assert.deepEqual(res(d.registeredResources, 'PORTS').stringSetValue, ['22', '2375', '2376', '51678', '51679', '51680']);
    assert.equal(res(d.remainingResources, 'CPU').integerValue, 2048 - 256);
    assert.equal(res(d.remainingResources, 'MEMORY').integerValue, 3891 - 256);
    assert.deepEqual(res(d.remainingResources, 'PORTS').stringSetValue.sort(), ['22', '2375', '2376', '51678', '51679', '51680', '80'].sort());
    assert.deepEqual(res(d.remainingResources, 'PORTS_UDP').stringSetValue, []);
    const attr = (n: string) => d.attributes.find((a: any) => a.name === n)?.value;
    assert.equal(attr('ecs.availability-zone'), `${REGION}a`);
    assert.equal(attr('ecs.instance-type'), 't3.medium');
    assert.ok(d.versionInfo.agentVersion);
    assert.equal(typeof d.registeredAt, 'number');
    h.refused('DescribeContainerInstances', { cluster: 'c', containerInstances: [] }, IPE, /containerInstances/);
    h.refused('DescribeContainerInstances', { cluster: 'zz', containerInstances: ['x'] }, 'ClusterNotFoundException');
  });

  it('ListContainerInstances by status and filter expression', () => {
    const a = h.addInstance('c', { az: `${REGION}a` });
    h.clock.advance(1000);
    const b = h.addInstance('c', { az: `${REGION}c`, type: 't3.small' });
    h.addInstance('other');
    const list = (f: Record<string, unknown>) => h.call('ListContainerInstances', { cluster: 'c', ...f }).containerInstanceArns;
    assert.deepEqual(list({}), [a.containerInstanceArn, b.containerInstanceArn]);
    assert.deepEqual(list({ filter: `attribute:ecs.availability-zone == ${REGION}c` }), [b.containerInstanceArn]);
    assert.deepEqual(list({ filter: 'attribute:ecs.instance-type in [t3.small, t3.large]' }), [b.containerInstanceArn]);
    assert.deepEqual(list({ filter: `attribute:ecs.availability-zone != ${REGION}c and attribute:ecs.instance-type == t3.medium` }), [a.containerInstanceArn]);
    h.refused('ListContainerInstances', { cluster: 'c', filter: 'what is this' }, IPE, /filter/);
    const upd = h.call('UpdateContainerInstancesState', { cluster: 'c', containerInstances: [a.containerInstanceArn, 'ghost'], status: 'DRAINING' });
    assert.equal(upd.containerInstances[0].status, 'DRAINING');
    assert.deepEqual(upd.failures, [{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/c/ghost`, reason: 'MISSING' }]);
    assert.deepEqual(list({ status: 'DRAINING' }), [a.containerInstanceArn]);
    assert.deepEqual(list({ status: 'ACTIVE' }), [b.containerInstanceArn]);
    h.refused('UpdateContainerInstancesState', { cluster: 'c', containerInstances: [a.containerInstanceArn], status: 'GONE' }, IPE, /status/);
    h.refused('ListContainerInstances', { cluster: 'c', status: 'GONE' }, IPE, /status/);
  });

  it('a DRAINING instance takes no new tasks', () => {
    const a = h.addInstance('c');
    h.call('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [] })] }));
    h.call('UpdateContainerInstancesState', { cluster: 'c', containerInstances: [a.containerInstanceArn], status: 'DRAINING' });
    h.refused('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task' }, IPE, 'No Container Instances were found in your cluster.');
  });
});
