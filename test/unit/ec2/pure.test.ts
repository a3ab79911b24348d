import { strict as assert } from 'node:assert';
import { applyFilters } from '../../../src/sandbox/ec2/filters';
import { checkUserData, ecsClusterFromUserData } from '../../../src/sandbox/ec2/user-data';
import { AwsError } from '../../../src/sandbox/protocol/errors';

describe('EC2 filters and user data (pure)', () => {
  const items = [
    { id: 'a', name: 'web-1', tags: [{ key: 'env', value: 'prod' }] },
    { id: 'b', name: 'web-2', tags: [{ key: 'env', value: 'dev' }] },
    { id: 'c', name: 'db?1', tags: [] },
  ];
  const fields = { name: (x: (typeof items)[number]) => x.name };
  const ids = (f: { name: string; values: string[] }[]) => applyFilters(items, f, fields, (x) => x.tags).map((x) => x.id);

  it('ANDs filters, ORs values, supports * ? and escapes', () => {
    assert.deepEqual(ids([{ name: 'name', values: ['web-*'] }]), ['a', 'b']);
    assert.deepEqual(ids([{ name: 'name', values: ['web-?', 'db*'] }, { name: 'tag:env', values: ['prod'] }]), ['a']);
    assert.deepEqual(ids([{ name: 'name', values: ['db\\?1'] }]), ['c']);
    assert.deepEqual(ids([{ name: 'name', values: ['db\\?2'] }]), []);
    assert.deepEqual(ids([{ name: 'tag-key', values: ['env'] }]), ['a', 'b']);
    assert.deepEqual(ids([{ name: 'tag-value', values: ['d*'] }]), ['b']);
    assert.throws(() => ids([{ name: 'colour', values: ['x'] }]), (e: AwsError) => e.code === 'InvalidParameterValue');
  });

  it('finds the last ECS_CLUSTER assignment, ignoring look-alike names', () => {
    assert.equal(ecsClusterFromUserData('echo ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config'), 'demo-cluster');
    assert.equal(ecsClusterFromUserData("ECS_CLUSTER='one'\nECS_CLUSTER=two"), 'two');
    assert.equal(ecsClusterFromUserData('MY_ECS_CLUSTER=nope'), undefined);
    assert.equal(ecsClusterFromUserData('#cloud-config\nwrite_files:\n  - content: |\n      ECS_CLUSTER=yaml_cluster\n'), 'yaml_cluster');
    assert.equal(ecsClusterFromUserData(''), undefined);
  });

  it('accepts base64 user data and refuses the rest', () => {
    assert.equal(checkUserData('ZWNobyBoaQ=='), 'ZWNobyBoaQ==');
    assert.throws(() => checkUserData('echo hi'), (e: AwsError) => e.code === 'InvalidUserData.Malformed');
    assert.throws(() => checkUserData(Buffer.alloc(17000).toString('base64')), (e: AwsError) => e.code === 'InvalidParameterValue');
  });
});
