import { strict as assert } from 'node:assert';
import { paginate } from '../../../src/sandbox/ecs/paginate';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { tags, optInt } from '../../../src/sandbox/ecs/validate';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AwsError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'ok';
};

describe('ECS pagination and validation helpers', () => {
  const items = Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const id = (s: string) => s;

  it('walks all pages in order with maxResults', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = paginate(items, id, { maxResults: 10, nextToken: token }, 'Op', { defaultSize: 100 });
      seen.push(...p.page);
      token = p.nextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, items);
  });

  it('resumes after the last item returned even if earlier items vanish', () => {
    const p1 = paginate(items, id, { maxResults: 10 }, 'Op', { defaultSize: 100 });
    const fewer = items.slice(3);
    const p2 = paginate(fewer, id, { maxResults: 10, nextToken: p1.nextToken }, 'Op', { defaultSize: 100 });
    assert.equal(p2.page[0], 'item-10');
  });

  it('range-checks maxResults and refuses foreign or broken tokens', () => {
    assert.match(code(() => paginate(items, id, { maxResults: 0 }, 'Op', { defaultSize: 10 })), /^InvalidParameterException: maxResults/);
    assert.match(code(() => paginate(items, id, { maxResults: 101 }, 'Op', { defaultSize: 10 })), /^InvalidParameterException: maxResults/);
    assert.match(code(() => paginate(items, id, { maxResults: 'x' }, 'Op', { defaultSize: 10 })), /^InvalidParameterException: .*maxResults/);
    const p = paginate(items, id, { maxResults: 5 }, 'Op', { defaultSize: 10 });
    assert.match(code(() => paginate(items, id, { nextToken: p.nextToken }, 'Other', { defaultSize: 10 })), /Invalid nextToken/);
    assert.match(code(() => paginate(items, id, { nextToken: '%%%' }, 'Op', { defaultSize: 10 })), /Invalid nextToken/);
    assert.equal(paginate(items, id, {}, 'Op', { defaultSize: 10 }).page.length, 10);
  });

  it('validators name the member', () => {
    assert.equal(code(() => optInt(1.5, 'desiredCount')), 'InvalidParameterException: Invalid type for parameter desiredCount: expected an integer, got number.');
    assert.equal(code(() => optInt(5, 'count', { min: 1, max: 3 })), 'InvalidParameterException: count must be between 1 and 3.');
    assert.match(code(() => tags([{ key: 'a', value: 1 }])), /tags\[0\]\.value/);
    assert.match(code(() => tags([{ key: 'a' }, { key: 'a' }])), /Duplicate tag key/);
    assert.match(code(() => tags('x')), /tags/);
  });
});
