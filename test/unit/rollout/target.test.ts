import assert from 'node:assert/strict';
import { clusterNode, deploymentNode, serviceNode, serviceSectionNodes } from '../../../src/core/tree-ecs';
import { targetFromArg } from '../../../src/ui/rollout/target';
import { CLUSTER_ARN, rollingSnapshot, SERVICE_ARN } from '../core/fixtures/ecs';

describe('ui/rollout/target (what "Show Rollout" is about)', () => {
  const service = { ...rollingSnapshot({ now: 10, primary: { running: 1, pending: 0 }, old: { running: 2, pending: 0 } }), clusterArn: CLUSTER_ARN };
  const cluster = clusterNode({ clusterArn: CLUSTER_ARN, clusterName: 'demo-cluster', status: 'ACTIVE' });
  const svcNode = serviceNode(service, { parentId: cluster.id });

  it('a service node of the explorer', () => {
    assert.deepEqual(targetFromArg(svcNode), { cluster: CLUSTER_ARN, serviceName: 'demo-service' });
  });

  it('a deployment node (under the service\'s Deployments group)', () => {
    const group = serviceSectionNodes(service, { parentId: svcNode.id }).find((n) => n.children?.type === 'deployments');
    assert.ok(group, 'a deployments group');
    const dep = deploymentNode(service.deployments![0], { parentId: group.id });
    assert.equal(dep.kind, 'deployment');
    assert.deepEqual(targetFromArg(dep), { cluster: 'demo-cluster', serviceName: 'demo-service' });
  });

  it('explicit {clusterArn, serviceName} (a service ARN works too); nothing or junk → undefined', () => {
    assert.deepEqual(targetFromArg({ clusterArn: 'demo-cluster', serviceName: SERVICE_ARN }), { cluster: 'demo-cluster', serviceName: 'demo-service' });
    assert.equal(targetFromArg(undefined), undefined);
    assert.equal(targetFromArg({ clusterArn: 'demo-cluster' }), undefined);
    assert.equal(targetFromArg('demo-service'), undefined);
  });
});
