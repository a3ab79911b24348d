import { strict as assert } from 'node:assert';
import { ACCOUNT, Harness, REGION, taskDef } from './harness';

const IPE = 'InvalidParameterException';

describe('ECS tags', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
    h.call('CreateCluster', { clusterName: 'c' });
  });
  const tagsOf = (arn: string) => h.call('ListTagsForResource', { resourceArn: arn }).tags;

  it('tags and untags clusters, services, task definitions, tasks and container instances', () => {
    const ci = h.addInstance('c');
    const tdArn = h.call('RegisterTaskDefinition', taskDef()).taskDefinition.taskDefinitionArn;
    const svcArn = h.call('CreateService', { cluster: 'c', serviceName: 's', taskDefinition: 'demo-app-task', desiredCount: 0 }).service.serviceArn;
    const taskArn = h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task' }).tasks[0].taskArn;
    const clusterArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/c`;
    for (const arn of [clusterArn, svcArn, tdArn, taskArn, ci.containerInstanceArn]) {
      assert.deepEqual(tagsOf(arn), [], arn);
      h.call('TagResource', { resourceArn: arn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
      h.call('TagResource', { resourceArn: arn, tags: [{ key: 'a', value: '3' }] });
      assert.deepEqual(tagsOf(arn).sort((x: any, y: any) => x.key.localeCompare(y.key)), [{ key: 'a', value: '3' }, { key: 'b', value: '2' }], arn);
      h.call('UntagResource', { resourceArn: arn, tagKeys: ['a', 'zzz'] });
      assert.deepEqual(tagsOf(arn), [{ key: 'b', value: '2' }], arn);
    }
    assert.deepEqual(h.call('DescribeTasks', { cluster: 'c', tasks: [taskArn], include: ['TAGS'] }).tasks[0].tags, [{ key: 'b', value: '2' }]);
  });

  it('refuses unknown resources and bad tags', () => {
    const base = `arn:aws:ecs:${REGION}:${ACCOUNT}`;
    h.refused('ListTagsForResource', { resourceArn: `${base}:cluster/nope` }, 'ClusterNotFoundException', 'Cluster not found.');
    h.refused('ListTagsForResource', { resourceArn: `${base}:service/c/nope` }, 'ResourceNotFoundException');
    h.refused('ListTagsForResource', { resourceArn: `${base}:task-definition/nope:1` }, 'ResourceNotFoundException');
    h.refused('ListTagsForResource', { resourceArn: 'not-an-arn' }, IPE, /ARN/);
    h.refused('ListTagsForResource', {}, IPE, /resourceArn/);
    const arn = `${base}:cluster/c`;
    h.refused('TagResource', { resourceArn: arn }, IPE, /tags/);
    h.refused('TagResource', { resourceArn: arn, tags: [{ key: '', value: 'x' }] }, IPE, /key/);
    h.refused('TagResource', { resourceArn: arn, tags: [{ key: 'k'.repeat(129), value: 'x' }] }, IPE, /128/);
    h.refused('TagResource', { resourceArn: arn, tags: [{ key: 'k', value: 'v'.repeat(257) }] }, IPE, /256/);
    h.refused('TagResource', { resourceArn: arn, tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' })) }, IPE, /50/);
    h.call('TagResource', { resourceArn: arn, tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' })) });
    h.refused('TagResource', { resourceArn: arn, tags: [{ key: 'one-more', value: '' }] }, IPE, /50/);
    h.refused('UntagResource', { resourceArn: arn }, IPE, /tagKeys/);
  });
});
