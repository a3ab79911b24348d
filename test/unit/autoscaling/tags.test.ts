import { strict as assert } from 'node:assert';
import { AsgHarness } from './helpers';

describe('EC2 Auto Scaling tags (CreateOrUpdateTags, DeleteTags, DescribeTags)', () => {
  let h: AsgHarness;
  beforeEach(() => {
    h = new AsgHarness();
    h.create({ Tags: [{ Key: 'team', Value: 'handson', PropagateAtLaunch: 'true' }] });
  });
  const tag = (Key: string, Value?: string, PropagateAtLaunch?: string) => ({ ResourceId: 'ecs-asg', ResourceType: 'auto-scaling-group', Key, ...(Value !== undefined ? { Value } : {}), ...(PropagateAtLaunch ? { PropagateAtLaunch } : {}) });

  it('DescribeTags lists the group\'s tags, filtered by group, key, value and propagate-at-launch', () => {
    h.asg('CreateOrUpdateTags', { Tags: [tag('env', 'dev'), tag('team', 'ops')] });
    const all = h.asg('DescribeTags').Tags;
    assert.deepEqual(all, [
      { ResourceId: 'ecs-asg', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'dev', PropagateAtLaunch: false },
      { ResourceId: 'ecs-asg', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'ops', PropagateAtLaunch: true },
    ]);
    assert.deepEqual(h.asg('DescribeTags', { Filters: [{ Name: 'key', Values: ['env'] }] }).Tags.map((t: any) => t.Key), ['env']);
    assert.deepEqual(h.asg('DescribeTags', { Filters: [{ Name: 'propagate-at-launch', Values: ['true'] }] }).Tags.map((t: any) => t.Key), ['team']);
    assert.deepEqual(h.asg('DescribeTags', { Filters: [{ Name: 'auto-scaling-group', Values: ['other'] }] }).Tags, []);
    // The group's own description shows the same tags.
    assert.deepEqual(h.group().Tags.map((t: any) => `${t.Key}=${t.Value}`), ['team=ops', 'env=dev']);
    h.asgRefused('DescribeTags', { Filters: [{ Name: 'tag-key', Values: ['env'] }] }, 'ValidationError', /Filter type tag-key is not supported/);
  });

  it('CreateOrUpdateTags refuses an unknown group, another resource type and aws: keys, changing nothing', () => {
    h.asgRefused('CreateOrUpdateTags', { Tags: [tag('env', 'dev'), { ...tag('x', 'y'), ResourceId: 'nope' }] }, 'ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found");
    h.asgRefused('CreateOrUpdateTags', { Tags: [{ ...tag('x', 'y'), ResourceType: 'instance' }] }, 'ValidationError', /Invalid resource type: instance/);
    h.asgRefused('CreateOrUpdateTags', { Tags: [tag('aws:cloudformation:stack-name', 'x')] }, 'ValidationError', /reserved for internal use/);
    assert.deepEqual(h.asg('DescribeTags').Tags.map((t: any) => t.Key), ['team'], 'nothing changed');
    const many = Array.from({ length: 50 }, (_, i) => tag(`k${i}`, 'v'));
    h.asgRefused('CreateOrUpdateTags', { Tags: many }, 'LimitExceeded', /exceed the limit of 50/);
  });

  it('DeleteTags removes a tag by key, or only when its value matches; later launches no longer carry a removed propagated tag', () => {
    h.asg('CreateOrUpdateTags', { Tags: [tag('env', 'dev', 'true')] });
    h.asg('DeleteTags', { Tags: [tag('env', 'prod')] });
    assert.deepEqual(h.asg('DescribeTags').Tags.map((t: any) => t.Key), ['env', 'team'], 'a different value keeps the tag');
    h.asg('DeleteTags', { Tags: [tag('team')] });
    assert.deepEqual(h.asg('DescribeTags').Tags.map((t: any) => t.Key), ['env']);
    h.tickScaling();
    const launched = h.group().Instances.map((i: any) => h.state.ec2.instances[i.InstanceId]);
    assert.ok(launched.length > 0);
    for (const i of launched) {
      assert.ok(i.tags.some((t: { key: string; value: string }) => t.key === 'env' && t.value === 'dev'), 'the propagated tag is on the instance');
      assert.ok(!i.tags.some((t: { key: string }) => t.key === 'team'), 'the deleted one is not');
    }
  });
});
