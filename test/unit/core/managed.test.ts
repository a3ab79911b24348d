import assert from 'node:assert/strict';
import { hasManagedTag, managedEcsTag, managedTag, MANAGED_TAG_KEY } from '../../../src/core/managed';

describe('core/managed: the tag Clean Up looks for', () => {
  it('is one key in both spellings (ECS `key/value`, the other services `Key/Value`)', () => {
    assert.equal(MANAGED_TAG_KEY, 'ecs-handson:managed');
    assert.deepEqual(managedEcsTag(), { key: 'ecs-handson:managed', value: 'true' });
    assert.deepEqual(managedTag(), { Key: 'ecs-handson:managed', Value: 'true' });
  });

  it('is found in either spelling, and only with the value "true"', () => {
    assert.ok(hasManagedTag([{ key: 'Name', value: 'x' }, managedEcsTag()]));
    assert.ok(hasManagedTag([managedTag()]));
    assert.ok(!hasManagedTag([{ Key: 'ecs-handson:managed', Value: 'false' }]));
    assert.ok(!hasManagedTag(undefined));
  });
});
