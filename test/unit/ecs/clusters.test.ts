import { strict as assert } from 'node:assert';
import { ACCOUNT, Harness, REGION, taskDef } from './harness';

describe('ECS clusters', () => {
  let h: Harness;
  beforeEach(() => (h = new Harness()));

  it('CreateCluster stores an ACTIVE cluster with settings and tags', () => {
    const { cluster } = h.call('CreateCluster', {
      clusterName: 'demo-cluster',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      tags: [{ key: 'team', value: 'a' }],
    });
    assert.equal(cluster.clusterArn, `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/demo-cluster`);
    assert.equal(cluster.status, 'ACTIVE');
    assert.deepEqual(cluster.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    assert.deepEqual(cluster.tags, [{ key: 'team', value: 'a' }]);
    assert.equal(cluster.registeredContainerInstancesCount, 0);
    assert.equal(cluster.activeServicesCount, 0);
  });

  it('CreateCluster defaults the name to "default" and is idempotent for an ACTIVE cluster', () => {
    const a = h.call('CreateCluster', {}).cluster;
    assert.equal(a.clusterName, 'default');
    h.clock.advance(1000);
    const b = h.call('CreateCluster', { clusterName: 'default', tags: [{ key: 'x', value: 'y' }] }).cluster;
    assert.equal(b.clusterArn, a.clusterArn);
    assert.deepEqual(b.tags, [], 'the existing cluster is returned unchanged');
    assert.equal(Object.keys(h.state.ecs.clusters).length, 1);
  });

  it('CreateCluster refuses bad names and settings without changing anything', () => {
    h.refused('CreateCluster', { clusterName: 'bad name!' }, 'InvalidParameterException', /Cluster name/);
    h.refused('CreateCluster', { clusterName: 'x'.repeat(256) }, 'InvalidParameterException');
    h.refused('CreateCluster', { clusterName: 42 }, 'InvalidParameterException', /clusterName/);
    h.refused('CreateCluster', { clusterName: 'c', settings: [{ name: 'containerInsights', value: 'maybe' }] }, 'InvalidParameterException', /containerInsights/);
    h.refused('CreateCluster', { clusterName: 'c', settings: [{ name: 'other', value: 'enabled' }] }, 'InvalidParameterException', /settings\[0\]\.name/);
    h.refused('CreateCluster', { clusterName: 'c', tags: [{ key: 'aws:x', value: '1' }] }, 'InvalidParameterException', /aws:/);
  });

  it('DescribeClusters reports unknown names as MISSING and includes settings / tags / statistics on request', () => {
    h.call('CreateCluster', { clusterName: 'c1', tags: [{ key: 'k', value: 'v' }] });
    const plain = h.call('DescribeClusters', { clusters: ['c1', 'nope'] });
    assert.equal(plain.clusters.length, 1);
    assert.equal(plain.clusters[0].settings, undefined);
    assert.equal(plain.clusters[0].tags, undefined);
    assert.deepEqual(plain.failures, [{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/nope`, reason: 'MISSING' }]);
    const full = h.call('DescribeClusters', {
      clusters: [`arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/c1`],
      include: ['SETTINGS', 'TAGS', 'STATISTICS'],
    });
    assert.deepEqual(full.clusters[0].settings, [{ name: 'containerInsights', value: 'disabled' }]);
    assert.deepEqual(full.clusters[0].tags, [{ key: 'k', value: 'v' }]);
    assert.ok(full.clusters[0].statistics.some((s: any) => s.name === 'runningEC2TasksCount' && s.value === '0'));
    h.refused('DescribeClusters', { include: ['NOPE'] }, 'InvalidParameterException', /include/);
  });

  it('DescribeClusters counts container instances, tasks and services', () => {
    h.call('CreateCluster', { clusterName: 'c1' });
    h.addInstance('c1');
    h.addInstance('c1', { az: `${REGION}c` });
    h.call('RegisterTaskDefinition', taskDef({ containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 128, portMappings: [{ containerPort: 8080 }] }] }));
    h.call('CreateService', { cluster: 'c1', serviceName: 's', taskDefinition: 'demo-app-task', desiredCount: 2 });
    h.advance(5000);
    const c = h.call('DescribeClusters', { clusters: ['c1'] }).clusters[0];
    assert.equal(c.registeredContainerInstancesCount, 2);
    assert.equal(c.activeServicesCount, 1);
    assert.equal(c.runningTasksCount + c.pendingTasksCount, 2);
  });

  it('ListClusters lists ACTIVE clusters with pagination', () => {
    for (let i = 0; i < 5; i++) h.call('CreateCluster', { clusterName: `c${i}` });
    h.call('DeleteCluster', { cluster: 'c4' });
    const p1 = h.call('ListClusters', { maxResults: 3 });
    assert.equal(p1.clusterArns.length, 3);
    assert.ok(p1.nextToken);
    const p2 = h.call('ListClusters', { maxResults: 3, nextToken: p1.nextToken });
    assert.equal(p2.clusterArns.length, 1);
    assert.equal(p2.nextToken, undefined);
    assert.deepEqual([...p1.clusterArns, ...p2.clusterArns].map((a: string) => a.split('/')[1]), ['c0', 'c1', 'c2', 'c3']);
  });

  it('DeleteCluster: not found, contains services / tasks / instances, then INACTIVE', () => {
    h.refused('DeleteCluster', { cluster: 'nope' }, 'ClusterNotFoundException', 'Cluster not found.');
    h.refused('DeleteCluster', {}, 'InvalidParameterException', /cluster/);
    h.call('CreateCluster', { clusterName: 'c1' });
    h.call('RegisterTaskDefinition', taskDef());
    h.call('CreateService', { cluster: 'c1', serviceName: 's', taskDefinition: 'demo-app-task', desiredCount: 0 });
    h.refused('DeleteCluster', { cluster: 'c1' }, 'ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
    h.call('DeleteService', { cluster: 'c1', service: 's' });
    h.state.ecs.services.c1.s.status = 'INACTIVE';
    const ci = h.addInstance('c1');
    h.call('RunTask', { cluster: 'c1', taskDefinition: 'demo-app-task' });
    h.refused('DeleteCluster', { cluster: 'c1' }, 'ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
    for (const t of Object.values(h.state.ecs.tasks)) t.lastStatus = 'STOPPED';
    h.refused(
      'DeleteCluster',
      { cluster: 'c1' },
      'ClusterContainsContainerInstancesException',
      'The Cluster cannot be deleted while Container Instances are active or draining.',
    );
    ci.status = 'INACTIVE';
    const { cluster } = h.call('DeleteCluster', { cluster: 'c1' });
    assert.equal(cluster.status, 'INACTIVE');
    assert.equal(h.call('DescribeClusters', { clusters: ['c1'] }).clusters[0].status, 'INACTIVE');
    h.refused('ListServices', { cluster: 'c1' }, 'ClusterNotFoundException', 'Cluster not found.');
    assert.equal(h.call('CreateCluster', { clusterName: 'c1' }).cluster.status, 'ACTIVE', 'a deleted name can be reused');
  });

  it('UpdateClusterSettings changes containerInsights and validates', () => {
    h.call('CreateCluster', { clusterName: 'c1' });
    const { cluster } = h.call('UpdateClusterSettings', { cluster: 'c1', settings: [{ name: 'containerInsights', value: 'enabled' }] });
    assert.deepEqual(cluster.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    h.refused('UpdateClusterSettings', { cluster: 'c1' }, 'InvalidParameterException', /settings/);
    h.refused('UpdateClusterSettings', { cluster: 'c1', settings: [{ name: 'containerInsights', value: 'on' }] }, 'InvalidParameterException');
    h.refused('UpdateClusterSettings', { cluster: 'zz', settings: [{ name: 'containerInsights', value: 'enabled' }] }, 'ClusterNotFoundException');
  });

  it('ignores unknown members and refuses a non-object body', () => {
    assert.equal(h.call('CreateCluster', { clusterName: 'x', somethingNew: { a: 1 } }).cluster.clusterName, 'x');
    h.refused('CreateCluster', [1, 2], 'ClientException');
  });

  it('names like __proto__ and constructor are ordinary names', () => {
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty']) {
      assert.equal(h.call('DescribeClusters', { clusters: [name] }).failures[0].reason, 'MISSING');
      h.refused('ListServices', { cluster: name }, 'ClusterNotFoundException');
      h.refused('DescribeTaskDefinition', { taskDefinition: name }, 'ClientException', 'Unable to describe task definition.');
      h.call('CreateCluster', { clusterName: name });
      h.call('RegisterTaskDefinition', taskDef({ family: name }));
      h.call('CreateService', { cluster: name, serviceName: name, taskDefinition: name, desiredCount: 0 });
      assert.equal(h.call('DescribeServices', { cluster: name, services: [name] }).services[0].serviceName, name);
      assert.equal(h.call('DescribeTaskDefinition', { taskDefinition: name }).taskDefinition.family, name);
    }
    assert.deepEqual(Object.keys(h.state.ecs.clusters).sort(), ['__proto__', 'constructor', 'hasOwnProperty']);
    assert.equal(Object.getPrototypeOf(h.state.ecs.clusters), Object.prototype);
    const round = JSON.parse(JSON.stringify(h.world));
    assert.ok(Object.prototype.hasOwnProperty.call(round.regions[REGION].ecs.taskDefinitions, '__proto__'));
  });
});
