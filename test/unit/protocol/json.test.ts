import * as assert from 'node:assert/strict';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { decodeJsonBody, encodeJsonError, encodeJsonResult } from '../../../src/sandbox/protocol/json';

describe('protocol/json', () => {
  it('decodes objects, treats an empty body as {}', () => {
    assert.deepEqual(decodeJsonBody(Buffer.from('{"a":[1,{"b":null}]}')), { a: [1, { b: null }] });
    assert.deepEqual(decodeJsonBody(Buffer.from('  ')), {});
  });

  it('rejects non-objects and invalid JSON with SerializationException', () => {
    for (const s of ['[1]', '1', 'null', '"s"', '{', '{"a":1,}', '\u0000']) {
      assert.throws(() => decodeJsonBody(Buffer.from(s)), (e: any) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400, s);
    }
  });

  it('refuses bodies nested deeper than 64 levels with SerializationException (not a stack overflow)', () => {
    for (const s of [`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`, `{"a":${'['.repeat(100_000)}`]) {
      assert.throws(
        () => decodeJsonBody(Buffer.from(s)),
        (e: any) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400 && /more than 64 levels/.test(e.message),
      );
    }
    // Brackets inside strings do not count; 64 levels are fine.
    const tricky = { a: `${'[{'.repeat(100)}\\"[` };
    assert.deepEqual(decodeJsonBody(Buffer.from(JSON.stringify(tricky))), tricky);
    assert.ok(decodeJsonBody(Buffer.from(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`)));
  });

  it('drops __proto__ members', () => {
    const v = decodeJsonBody(Buffer.from('{"__proto__":{"polluted":1},"a":{"__proto__":{"x":1}}}')) as any;
    assert.equal(Object.hasOwn(v, '__proto__'), false);
    assert.equal({ ...v.a }.x, undefined);
    assert.equal(({} as any).polluted, undefined);
  });

  it('encodes timestamps as epoch seconds', () => {
    assert.equal(encodeJsonResult({ t: { $date: 1500 }, d: new Date(2500), n: 3, u: undefined }), '{"t":1.5,"d":2.5,"n":3}');
    assert.equal(encodeJsonResult(undefined), '{}');
  });

  it('encodes errors with __type, the message member and headers', () => {
    const e = encodeJsonError(new AwsError('ClusterNotFoundException', 'Cluster not found.'), { protocol: 'awsJson1_1' });
    assert.equal(e.status, 400);
    assert.deepEqual(JSON.parse(e.body), { __type: 'ClusterNotFoundException', message: 'Cluster not found.' });
    assert.equal(e.headers['x-amzn-errortype'], 'ClusterNotFoundException');
    assert.equal(e.headers['content-type'], 'application/x-amz-json-1.1');
    const c = encodeJsonError(new AwsError('ResourceNotFound', 'gone'), { protocol: 'awsJson1_0', messageKey: 'Message', queryCompatible: true });
    assert.deepEqual(JSON.parse(c.body), { __type: 'ResourceNotFound', Message: 'gone' });
    assert.equal(c.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
    assert.equal(c.headers['content-type'], 'application/x-amz-json-1.0');
    const f = encodeJsonError(new AwsError('InternalFailure', 'x', 500), {});
    assert.equal(f.status, 500);
  });
});
