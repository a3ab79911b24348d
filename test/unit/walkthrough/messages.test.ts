import assert from 'node:assert/strict';
import { LIMITS, parseWebviewMessage } from '../../../src/core/walkthrough/messages';

const req = (method: string, params: unknown, id: unknown = 1) => ({ kind: 'request', id, method, params });
const rejects = (m: unknown, re: RegExp) => {
  const r = parseWebviewMessage(m);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(m)?.slice(0, 80)}`);
  if (!r.ok) assert.match(r.error, re);
};

describe('walkthrough messages: validation of what the webview sends', () => {
  it('accepts every well-formed message and keeps only known fields', () => {
    assert.deepEqual(parseWebviewMessage({ kind: 'ready' }), { ok: true, value: { kind: 'ready' } });
    const ok = [
      req('selectStep', { step: 'create-cluster' }),
      req('check', { step: 'cleanup' }),
      req('reset', {}),
      req('setInputs', { step: 'create-cluster', inputs: { cluster: 'demo-cluster', count: 2, containerInsights: false } }),
      req('runAction', { step: 'kill-container', action: 'stopTask', inputs: {} }),
      req('openExternal', { url: 'https://docs.aws.amazon.com/ecs/' }),
      req('cli', { step: 'load-balancer', action: 'create', then: 'copy' }),
      req('cli', { step: 'load-balancer', action: 'create', then: 'terminal' }),
    ];
    for (const m of ok) {
      const r = parseWebviewMessage(m);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.value, m);
    }
  });

  it('rejects wrong types', () => {
    rejects(null, /not an object/);
    rejects('ready', /not an object/);
    rejects([{ kind: 'ready' }], /not an object/);
    rejects({ kind: 42 }, /unknown kind/);
    rejects(req('selectStep', { step: 'create-cluster' }, '1'), /bad id/);
    rejects(req('selectStep', { step: 'create-cluster' }, 1.5), /bad id/);
    rejects(req('selectStep', { step: 'create-cluster' }, -1), /bad id/);
    rejects(req('selectStep', 'create-cluster'), /params must be an object/);
    rejects(req('setInputs', { step: 'create-cluster', inputs: [] }), /inputs must be an object/);
    rejects(req('setInputs', { step: 'create-cluster', inputs: { count: { $gt: 1 } } }), /bad type/);
    rejects(req('setInputs', { step: 'create-cluster', inputs: { count: Infinity } }), /finite/);
    rejects(req('runAction', { step: 'create-cluster', action: 7, inputs: {} }), /bad action/);
  });

  it('rejects missing fields', () => {
    rejects({ kind: 'request', id: 1, method: 'selectStep' }, /params must be an object/);
    rejects({ kind: 'request', method: 'reset', params: {} }, /bad id/);
    rejects(req('selectStep', {}), /unknown step/);
    rejects(req('runAction', { step: 'create-cluster', inputs: {} }), /bad action/);
    rejects(req('runAction', { step: 'create-cluster', action: 'create' }), /inputs must be an object/);
    rejects(req('openExternal', {}), /bad url/);
    rejects(req('cli', { step: 'load-balancer', action: 'create' }), /bad then/);
    rejects(req('cli', { step: 'load-balancer', action: 'create', then: 'bash -c' }), /bad then/);
    rejects(req('cli', { step: 'load-balancer', action: 'x;rm', then: 'copy' }), /bad action/);
    rejects(req('cli', { step: 'load-balancer', action: 'create', then: 'copy', script: 'rm -rf /' }), /unexpected field/);
  });

  it('rejects extra fields, unknown methods and unknown step ids', () => {
    rejects({ kind: 'ready', x: 1 }, /unexpected field "x"/);
    rejects({ ...req('reset', {}), extra: true }, /unexpected field/);
    rejects(req('reset', { all: true }), /unexpected field "all"/);
    rejects(req('selectStep', { step: 'create-cluster', force: true }), /unexpected field/);
    rejects(req('executeCommand', { command: 'workbench.action.quit' }), /unknown method/);
    rejects(req('selectStep', { step: 'delete-everything' }), /unknown step/);
    rejects(req('check', { step: '__proto__' }), /unknown step/);
    rejects(req('setInputs', { step: 'constructor', inputs: {} }), /unknown step/);
  });

  it('rejects huge strings and too many inputs, and never echoes them back whole', () => {
    const huge = 'x'.repeat(LIMITS.string + 1);
    rejects(req('setInputs', { step: 'create-cluster', inputs: { cluster: huge } }), /too long/);
    rejects(req('openExternal', { url: `https://example.com/${'a'.repeat(LIMITS.url)}` }), /bad url/);
    const many = Object.fromEntries(Array.from({ length: LIMITS.inputs + 1 }, (_, i) => [`k${i}`, 'v']));
    rejects(req('setInputs', { step: 'create-cluster', inputs: many }), /too many inputs/);
    const r = parseWebviewMessage(req('selectStep', { step: 'y'.repeat(100_000) }));
    assert.ok(!r.ok && r.error.length < 100, 'the error quotes at most a short prefix');
    rejects(req('setInputs', { step: 'create-cluster', inputs: { ['k'.repeat(100)]: 'v' } }), /bad input name/);
  });

  it('only opens http(s) URLs', () => {
    rejects(req('openExternal', { url: 'file:///etc/passwd' }), /bad url/);
    rejects(req('openExternal', { url: 'command:workbench.action.quit' }), /bad url/);
    rejects(req('openExternal', { url: 'javascript:alert(1)' }), /bad url/);
    rejects(req('openExternal', { url: 'https://exa mple.com' }), /bad url/);
  });
});
