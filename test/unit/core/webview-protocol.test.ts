import assert from 'node:assert/strict';
import { parseRolloutViewMessage } from '../../../src/core/rollout-view-messages';
import { parseEnvelope, requestIdOf, type Parsed } from '../../../src/core/webview-protocol';

type Echo = { echo: { params: { text: string }; result: string } };
const parse = (raw: unknown) =>
  parseEnvelope<Echo>(raw, {
    echo: (p): Parsed<{ text: string }> => (typeof p.text === 'string' && Object.keys(p).length === 1 ? { ok: true, value: { text: p.text } } : { ok: false, error: 'bad text' }),
  });

describe('core/webview-protocol', () => {
  it('accepts ready and well-formed requests, with the params as the method checked them', () => {
    assert.deepEqual(parse({ kind: 'ready' }), { ok: true, value: { kind: 'ready' } });
    assert.deepEqual(parse({ kind: 'request', id: 7, method: 'echo', params: { text: 'hi' } }), { ok: true, value: { kind: 'request', id: 7, method: 'echo', params: { text: 'hi' } } });
  });

  it('refuses anything else with a reason, and never consults the prototype for a method', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [[], /not an object/],
      [{ kind: 'ready', extra: 1 }, /unexpected field "extra"/],
      [{ kind: 'evil' }, /unknown kind/],
      [{ kind: 'request', id: -1, method: 'echo', params: {} }, /bad id/],
      [{ kind: 'request', id: 1.5, method: 'echo', params: {} }, /bad id/],
      [{ kind: 'request', id: 1, method: 'toString', params: {} }, /unknown method "toString"/],
      [{ kind: 'request', id: 1, method: '__proto__', params: {} }, /unknown method/],
      [{ kind: 'request', id: 1, method: 'echo', params: [] }, /params must be an object/],
      [{ kind: 'request', id: 1, method: 'echo', params: { text: 3 } }, /bad text/],
      [{ kind: 'request', id: 1, method: 'echo', params: { text: 'x' }, more: true }, /unexpected field "more"/],
    ];
    for (const [raw, why] of bad) {
      const r = parse(raw);
      assert.equal(r.ok, false, JSON.stringify(raw));
      assert.match((r as { error: string }).error, why);
    }
    assert.equal(requestIdOf({ id: 4 }), 4);
    assert.equal(requestIdOf({ id: 'x' }), undefined);
  });

  it('the rollout view takes ready and no requests', () => {
    assert.deepEqual(parseRolloutViewMessage({ kind: 'ready' }), { ok: true, value: { kind: 'ready' } });
    const r = parseRolloutViewMessage({ kind: 'request', id: 1, method: 'render', params: {} });
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /unknown method "render"/);
  });
});
