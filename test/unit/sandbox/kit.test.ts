/**
 * The sandbox's one input layer (src/sandbox/kit): the pagination every list operation uses, the
 * field checks worded per service, and the model-driven decoding every request goes through.
 */
import { strict as assert } from 'node:assert';
import { ecsFields, ECS, paginate } from '../../../src/sandbox/kit';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { readTags } from '../../../src/sandbox/ecs/request';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AwsError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'ok';
};

describe('sandbox kit: pagination and field checks', () => {
  const items = Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const key = (s: string) => s;
  const size = (v: unknown) => ecsFields.int(v, 'maxResults', { min: 1, max: 100 }) ?? 10;

  it('walks all pages in order', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = paginate(items, { op: 'Op', size: 10, token, key }, ECS);
      seen.push(...p.page);
      token = p.next;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, items);
  });

  it('resumes after the last item returned even if earlier items vanish', () => {
    const p1 = paginate(items, { op: 'Op', size: 10, key }, ECS);
    const p2 = paginate(items.slice(3), { op: 'Op', size: 10, token: p1.next, key }, ECS);
    assert.equal(p2.page[0], 'item-10');
  });

  it('range-checks the page size and refuses foreign or broken tokens', () => {
    assert.match(code(() => size(0)), /^InvalidParameterException: maxResults/);
    assert.match(code(() => size(101)), /^InvalidParameterException: maxResults/);
    assert.match(code(() => size('x')), /^InvalidParameterException: .*maxResults/);
    const p = paginate(items, { op: 'Op', size: 5, key }, ECS);
    assert.match(code(() => paginate(items, { op: 'Other', size: 10, token: p.next, key }, ECS)), /Invalid nextToken/);
    assert.match(code(() => paginate(items, { op: 'Op', size: 10, token: '%%%', key }, ECS)), /Invalid nextToken/);
    assert.equal(paginate(items, { op: 'Op', size: size(undefined) }, ECS).page.length, 10);
  });

  it('field checks name the member, in the service’s words', () => {
    assert.equal(code(() => ecsFields.int(1.5, 'desiredCount')), 'InvalidParameterException: Invalid type for parameter desiredCount: expected an integer, got number.');
    assert.equal(code(() => ecsFields.int(5, 'count', { min: 1, max: 3 })), 'InvalidParameterException: count must be between 1 and 3.');
    assert.match(code(() => readTags([{ key: 'a', value: 1 }])), /tags\[0\]\.value/);
    assert.match(code(() => readTags([{ key: 'a' }, { key: 'a' }])), /Duplicate tag key/);
    assert.match(code(() => readTags('x')), /tags/);
  });
});
