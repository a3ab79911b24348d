import * as assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { isRegionName, parseAmzDate, parseAuthorization, verifySigV4 } from '../../../src/sandbox/protocol/sigv4';

const creds = { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'secretsecretsecretsecretsecretsecret1234' };
const lookup = (k: string) => (k === creds.accessKeyId ? creds.secretAccessKey : undefined);

async function signed(body: string, opts: { date?: Date; service?: string; region?: string; extraHeaders?: Record<string, string>; path?: string; query?: Record<string, string> } = {}) {
  const req = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4577,
    path: opts.path ?? '/',
    query: opts.query,
    headers: { host: '127.0.0.1:4577', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'X.Y', ...opts.extraHeaders },
    body,
  });
  const s = await new SignatureV4({ credentials: creds, region: opts.region ?? 'ap-northeast-1', service: opts.service ?? 'ecs', sha256: Sha256, applyChecksum: false }).sign(req, {
    signingDate: opts.date,
  });
  const qs = opts.query ? '?' + new URLSearchParams(opts.query).toString() : '';
  return { method: 'POST', url: (opts.path ?? '/') + qs, headers: Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.from(body) };
}

describe('protocol/sigv4', () => {
  it('parses the Authorization header', () => {
    const a = parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + 'a'.repeat(64));
    assert.deepEqual(a, { accessKeyId: 'AKID', scopeDate: '20260101', region: 'us-east-1', service: 'ecs', signedHeaders: ['host', 'x-amz-date'], signature: 'a'.repeat(64) });
    assert.equal(typeof parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=' + 'a'.repeat(64)), 'string');
    assert.equal(typeof parseAuthorization('Basic abc'), 'string');
  });

  it('parses X-Amz-Date and recognises region names', () => {
    assert.equal(parseAmzDate('20260102T030405Z')?.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(parseAmzDate('2026-01-02'), undefined);
    assert.ok(isRegionName('ap-northeast-1') && isRegionName('us-gov-west-1') && isRegionName('eu-central-2'));
    assert.ok(!isRegionName('constructor') && !isRegionName('__proto__') && !isRegionName('../x-1') && !isRegionName(''));
  });

  it('accepts a request signed by the SDK signer, with path and query', async () => {
    const r = await verifySigV4(await signed('{"a":1}', { query: { b: '1 2', a: 'x' } }), lookup);
    assert.deepEqual(r, { ok: true, accessKeyId: creds.accessKeyId, region: 'ap-northeast-1', service: 'ecs' });
    const other = await verifySigV4(await signed('', { region: 'us-west-2', service: 'elasticloadbalancing' }), lookup);
    assert.ok(other.ok && other.region === 'us-west-2' && other.service === 'elasticloadbalancing');
  });

  it('rejects a changed body, a changed signed header, an unknown key, missing auth', async () => {
    const good = await signed('{"a":1}');
    assert.equal((await verifySigV4({ ...good, body: Buffer.from('{"a":2}') }, lookup) as any).kind, 'mismatch');
    assert.equal((await verifySigV4({ ...good, headers: { ...good.headers, 'x-amz-target': 'X.Z' } }, lookup) as any).kind, 'mismatch');
    assert.equal((await verifySigV4({ ...good, url: '/other' }, lookup) as any).kind, 'mismatch');
    assert.equal((await verifySigV4(good, () => undefined) as any).kind, 'unknown-key');
    assert.equal((await verifySigV4(good, () => 'another-secret') as any).kind, 'mismatch');
    const { authorization: _a, ...noAuth } = good.headers;
    assert.equal((await verifySigV4({ ...good, headers: noAuth }, lookup) as any).kind, 'missing');
    const { 'x-amz-date': _d, ...noDate } = good.headers;
    assert.equal((await verifySigV4({ ...good, headers: noDate }, lookup) as any).kind, 'incomplete');
  });

  it('checks X-Amz-Content-Sha256 against the body', async () => {
    const good = await signed('{"a":1}', { extraHeaders: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } });
    assert.equal((await verifySigV4(good, lookup) as any).kind, 'mismatch');
  });

  it('refuses signatures more than 15 minutes off real time', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const req = await signed('{}', { date: new Date(now - 16 * 60_000) });
    const r = (await verifySigV4(req, lookup, now)) as any;
    assert.equal(r.kind, 'expired');
    assert.equal(r.message, 'Signature expired: 20260101T114400Z is now earlier than 20260101T114500Z (20260101T120000Z - 15 min.)');
    assert.equal((await verifySigV4(await signed('{}', { date: new Date(now + 16 * 60_000) }), lookup, now) as any).kind, 'not-yet');
    assert.ok((await verifySigV4(await signed('{}', { date: new Date(now - 14 * 60_000) }), lookup, now)).ok);
  });

  it('refuses a signature that does not cover Host, with AWS\'s message', async () => {
    // Signed without a host header; the request then carries one (as every HTTP/1.1 request does).
    const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4577, path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'X.Y' }, body: '{}' });
    const s = await new SignatureV4({ credentials: creds, region: 'ap-northeast-1', service: 'ecs', sha256: Sha256, applyChecksum: false }).sign(req);
    const headers: Record<string, string> = Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.ok(!/SignedHeaders=[^,]*host/.test(headers.authorization), headers.authorization);
    const r = (await verifySigV4({ method: 'POST', url: '/', headers: { ...headers, host: '127.0.0.1:4577' }, body: Buffer.from('{}') }, lookup)) as any;
    assert.equal(r.ok, false);
    assert.equal(r.kind, 'incomplete');
    assert.equal(r.message, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('refuses a credential scope whose date is not the X-Amz-Date\'s, with AWS\'s message', async () => {
    const now = Date.UTC(2026, 0, 2, 0, 5, 0);
    const req = await signed('{}', { date: new Date(now) });
    const yesterday = { ...req, headers: { ...req.headers, authorization: String(req.headers.authorization).replace('/20260102/', '/20260101/') } };
    const r = (await verifySigV4(yesterday, lookup, now)) as any;
    assert.equal(r.kind, 'mismatch');
    assert.equal(r.message, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T000500Z'.");
    assert.ok((await verifySigV4(req, lookup, now)).ok);
  });
});
