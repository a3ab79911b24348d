/**
 * SigV4 checking and request-level errors: real SDK clients with a wrong key / wrong secret, raw
 * HTTP without or with broken signatures, expired signatures, routing and encoding errors.
 */
import * as assert from 'node:assert/strict';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime, fakeEngine, rawRequest, signedRequest, testServices } from './server-helpers';

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113';
const jsonHeaders = (op: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${ECS_TARGET}.${op}` });
const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const INVALID_SIG =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

describe('sandbox server: SigV4 and request errors', () => {
  let sb: Sandbox;
  const logs: string[] = [];
  const wrongKey = () => ({ accessKeyId: 'AKIAWRONGWRONGWRONG0', secretAccessKey: sb.credentials.secretAccessKey });
  const wrongSecret = () => ({ accessKeyId: sb.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) });
  const cfg = (credentials: { accessKeyId: string; secretAccessKey: string }) => ({ endpoint: sb.endpoint, region: 'ap-northeast-1', credentials, maxAttempts: 1 });

  before(async () => {
    sb = await startSandbox({ port: 0, services: testServices, createEngine: fakeEngine, runtime: new FakeRuntime(), log: (m) => logs.push(m), maxBodyBytes: 64 * 1024 });
  });
  after(() => sb.close());

  describe('real SDK clients', () => {
    it('ECS: unknown access key -> UnrecognizedClientException, wrong secret -> InvalidSignatureException', async () => {
      await assert.rejects(new ECSClient(cfg(wrongKey())).send(new ListClustersCommand({})), (e: any) => {
        assert.equal(e.name, 'UnrecognizedClientException');
        assert.equal(e.message, 'The security token included in the request is invalid.');
        assert.equal(e.$metadata.httpStatusCode, 400);
        return true;
      });
      await assert.rejects(new ECSClient(cfg(wrongSecret())).send(new ListClustersCommand({})), (e: any) => {
        assert.equal(e.name, 'InvalidSignatureException');
        assert.equal(e.message, INVALID_SIG);
        return true;
      });
      const ok = await new ECSClient(cfg(sb.credentials)).send(new ListClustersCommand({}));
      assert.deepEqual(ok.clusterArns, []);
    });

    it('ELBv2 (query): InvalidClientTokenId / SignatureDoesNotMatch', async () => {
      await assert.rejects(new ElasticLoadBalancingV2Client(cfg(wrongKey())).send(new DescribeLoadBalancersCommand({})), (e: any) => {
        assert.equal(e.Code ?? e.name, 'InvalidClientTokenId');
        assert.equal(e.$metadata.httpStatusCode, 403);
        return true;
      });
      await assert.rejects(new ElasticLoadBalancingV2Client(cfg(wrongSecret())).send(new DescribeLoadBalancersCommand({})), (e: any) => {
        assert.equal(e.Code ?? e.name, 'SignatureDoesNotMatch');
        assert.equal(e.message, INVALID_SIG);
        return true;
      });
    });

    it('EC2: AuthFailure / SignatureDoesNotMatch', async () => {
      await assert.rejects(new EC2Client(cfg(wrongKey())).send(new DescribeVpcsCommand({})), (e: any) => {
        assert.equal(e.name, 'AuthFailure');
        assert.equal(e.$metadata.httpStatusCode, 401);
        return true;
      });
      await assert.rejects(new EC2Client(cfg(wrongSecret())).send(new DescribeVpcsCommand({})), (e: any) => {
        assert.equal(e.name, 'SignatureDoesNotMatch');
        return true;
      });
    });

    it('a credential scoped to another service is refused', async () => {
      const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ec2', headers: jsonHeaders('ListClusters'), body: '{}' });
      assert.equal(r.status, 400);
      assert.equal(JSON.parse(r.body).__type, 'InvalidSignatureException');
      assert.match(JSON.parse(r.body).message, /scoped to correct service: 'ecs'/);
    });
  });

  describe('raw HTTP', () => {
    it('a correctly signed raw request works, and its region comes from the scope', async () => {
      const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', region: 'eu-west-1', headers: jsonHeaders('CreateCluster'), body: '{"clusterName":"raw"}' });
      assert.equal(r.status, 200, r.body);
      assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1');
      assert.ok(r.headers['x-amzn-requestid']);
      assert.equal(JSON.parse(r.body).cluster.clusterArn, 'arn:aws:ecs:eu-west-1:123456789012:cluster/raw');
      assert.ok(sb.world.regions['eu-west-1'].ecs.clusters.raw);
    });

    it('no Authorization -> MissingAuthenticationTokenException (JSON) / MissingAuthenticationToken (query)', async () => {
      const j = await rawRequest(sb.endpoint, { headers: jsonHeaders('ListClusters'), body: '{}' });
      assert.equal(j.status, 400);
      assert.equal(j.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
      assert.equal(JSON.parse(j.body).__type, 'MissingAuthenticationTokenException');
      assert.ok(j.headers['x-amzn-requestid']);
      const q = await rawRequest(sb.endpoint, { headers: form, body: 'Action=DescribeLoadBalancers&Version=2015-12-01' });
      assert.equal(q.status, 403);
      assert.match(q.body, /<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
      assert.match(q.body, /<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/);
      const e = await rawRequest(sb.endpoint, { headers: form, body: 'Action=DescribeVpcs&Version=2016-11-15' });
      assert.equal(e.status, 401);
      assert.match(e.body, /<Response><Errors><Error><Code>MissingAuthenticationToken<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/);
    });

    it('a body changed after signing -> InvalidSignatureException', async () => {
      const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('CreateCluster'), body: '{"clusterName":"a"}' });
      assert.equal(r.status, 200);
      // The same signed headers (including X-Amz-Content-Sha256) with another body.
      const tampered = await signedRequest(sb.endpoint, sb.credentials, {
        service: 'ecs',
        headers: jsonHeaders('CreateCluster'),
        body: '{"clusterName":"a"}',
        sendBody: '{"clusterName":"b"}',
      });
      assert.equal(tampered.status, 400);
      assert.equal(JSON.parse(tampered.body).__type, 'InvalidSignatureException');
      assert.equal(JSON.parse(tampered.body).message, INVALID_SIG);
      assert.equal(sb.world.regions['ap-northeast-1'].ecs.clusters.b, undefined);
    });

    it('a signature that does not cover Host, or whose scope date is not the request\'s, is refused as AWS does', async () => {
      const url = new URL(sb.endpoint);
      const sign = async (service: string, headers: Record<string, string>, body: string) => {
        const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body });
        const s = await new SignatureV4({ credentials: sb.credentials, region: 'ap-northeast-1', service, sha256: Sha256 }).sign(req);
        return s.headers as Record<string, string>;
      };
      // No host in SignedHeaders (the HTTP request still carries a Host header).
      const noHostJson = await rawRequest(sb.endpoint, { headers: await sign('ecs', jsonHeaders('CreateCluster'), '{"clusterName":"nohost"}'), body: '{"clusterName":"nohost"}' });
      assert.equal(noHostJson.status, 400);
      assert.deepEqual(JSON.parse(noHostJson.body), { __type: 'IncompleteSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." });
      assert.equal(sb.world.regions['ap-northeast-1']?.ecs.clusters.nohost, undefined, 'nothing created');
      const body = 'Action=DescribeLoadBalancers&Version=2015-12-01';
      const noHostQuery = await rawRequest(sb.endpoint, { headers: await sign('elasticloadbalancing', form, body), body });
      assert.equal(noHostQuery.status, 400);
      assert.match(noHostQuery.body, /<Code>IncompleteSignature<\/Code><Message>&apos;Host&apos; or &apos;:authority&apos; must be a &apos;SignedHeader&apos; in the AWS Authorization.<\/Message>/);

      // A credential scope dated the day before the request's X-Amz-Date.
      const good = await sign('ecs', { ...jsonHeaders('ListClusters'), host: url.host }, '{}');
      const day = good['x-amz-date'].slice(0, 8);
      const before = new Date(Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8)) - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      const wrongDay = { ...good, authorization: good.authorization.replace(`/${day}/`, `/${before}/`) };
      const r = await rawRequest(sb.endpoint, { headers: wrongDay, body: '{}' });
      assert.equal(r.status, 400);
      assert.deepEqual(JSON.parse(r.body), {
        __type: 'InvalidSignatureException',
        message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${before}' != '${day}', from '${good['x-amz-date']}'.`,
      });
    });

    it('a signature older than 15 minutes -> Signature expired', async () => {
      const old = new Date(Date.now() - 20 * 60 * 1000);
      const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('ListClusters'), body: '{}', signingDate: old });
      assert.equal(r.status, 400);
      const b = JSON.parse(r.body);
      assert.equal(b.__type, 'InvalidSignatureException');
      assert.match(b.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
      const q = await signedRequest(sb.endpoint, sb.credentials, { service: 'elasticloadbalancing', headers: form, body: 'Action=DescribeLoadBalancers&Version=2015-12-01', signingDate: old });
      assert.equal(q.status, 403);
      assert.match(q.body, /<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired/);
      const future = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('ListClusters'), body: '{}', signingDate: new Date(Date.now() + 20 * 60 * 1000) });
      assert.match(JSON.parse(future.body).message, /^Signature not yet current/);
    });

    it('malformed Authorization headers -> IncompleteSignatureException', async () => {
      for (const auth of ['AWS4-HMAC-SHA256 Credential=x', 'Bearer abc', 'AWS4-HMAC-SHA256 Credential=A/2026/r/s/aws4_request, SignedHeaders=host, Signature=zz']) {
        const r = await rawRequest(sb.endpoint, { headers: { ...jsonHeaders('ListClusters'), authorization: auth, 'x-amz-date': '20260101T000000Z' }, body: '{}' });
        assert.equal(r.status, 400, auth);
        assert.equal(JSON.parse(r.body).__type, 'IncompleteSignatureException', auth);
      }
    });

    it('unknown target / action -> UnknownOperationException / InvalidAction', async () => {
      const j = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('DoesNotExist'), body: '{}' });
      assert.equal(j.status, 400);
      assert.equal(JSON.parse(j.body).__type, 'UnknownOperationException');
      const p = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('toString'), body: '{}' });
      assert.equal(JSON.parse(p.body).__type, 'UnknownOperationException');
      const t = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: { ...jsonHeaders('x'), 'x-amz-target': 'Nope_2020.ListClusters' }, body: '{}' });
      assert.equal(JSON.parse(t.body).__type, 'UnknownOperationException');
      assert.match(JSON.parse(t.body).message, /does not serve the target 'Nope_2020\.ListClusters' of Amazon ECS/);
      const q = await signedRequest(sb.endpoint, sb.credentials, { service: 'elasticloadbalancing', headers: form, body: 'Action=Nope&Version=2015-12-01' });
      assert.equal(q.status, 400);
      assert.match(q.body, /<Code>InvalidAction<\/Code><Message>The action Nope is not valid for this web service\. The ECS Hands-on sandbox does not serve Nope of Elastic Load Balancing \(v2\) \(what it serves: the scope table in src\/sandbox\/README\.md\)\.<\/Message>/);
      const e = await signedRequest(sb.endpoint, sb.credentials, { service: 'ec2', headers: form, body: 'Action=constructor&Version=2016-11-15' });
      assert.equal(e.status, 400);
      assert.match(e.body, /<Response><Errors><Error><Code>InvalidAction<\/Code>/);
    });

    it('wrong method, path or content type -> 400 in the protocol style', async () => {
      const g = await rawRequest(sb.endpoint, { method: 'GET', path: '/' });
      assert.equal(g.status, 400);
      assert.match(g.body, /<Code>InvalidAction<\/Code>.*POST \//s);
      const gj = await rawRequest(sb.endpoint, { method: 'GET', path: '/', headers: { 'x-amz-target': `${ECS_TARGET}.ListClusters` } });
      assert.equal(JSON.parse(gj.body).__type, 'UnknownOperationException');
      const ct = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: { ...jsonHeaders('ListClusters'), 'content-type': 'text/plain' }, body: '{}' });
      assert.equal(ct.status, 400);
      assert.equal(JSON.parse(ct.body).__type, 'SerializationException');
      const qct = await rawRequest(sb.endpoint, { headers: { 'content-type': 'application/xml' }, body: '<x/>' });
      assert.equal(qct.status, 400);
      assert.match(qct.body, /<ErrorResponse/);
    });

    it('malformed JSON -> SerializationException; bad form encoding -> MalformedQueryString', async () => {
      for (const body of ['{', '[]', 'null', '"x"', '{"a":}']) {
        const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('ListClusters'), body });
        assert.equal(r.status, 400, body);
        assert.equal(JSON.parse(r.body).__type, 'SerializationException', body);
      }
      const q = await signedRequest(sb.endpoint, sb.credentials, { service: 'elasticloadbalancing', headers: form, body: 'Action=DescribeLoadBalancers&Names.member.1=%E0%A4%A' });
      assert.equal(q.status, 400);
      assert.match(q.body, /<Code>MalformedQueryString<\/Code>/);
    });

    it('a gzip-encoded body (as CloudWatch clients send large requests) is decoded after the signature check', async () => {
      const { gzipSync } = await import('node:zlib');
      const body = gzipSync(Buffer.from(JSON.stringify({ clusterName: 'zipped' })));
      const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: { ...jsonHeaders('CreateCluster'), 'content-encoding': 'gzip' }, body });
      assert.equal(r.status, 200, r.body);
      assert.ok(sb.world.regions['ap-northeast-1'].ecs.clusters.zipped);
      const bad = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: { ...jsonHeaders('CreateCluster'), 'content-encoding': 'gzip' }, body: '{"not":"gzip"}' });
      assert.equal(bad.status, 400);
      assert.equal(JSON.parse(bad.body).__type, 'SerializationException');
      const br = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: { ...jsonHeaders('CreateCluster'), 'content-encoding': 'br' }, body: '{}' });
      assert.equal(br.status, 400);
    });

    it('a body over the limit -> 413, also when streamed without Content-Length', async () => {
      const big = 'x'.repeat(100 * 1024);
      const r = await rawRequest(sb.endpoint, { headers: jsonHeaders('ListClusters'), body: big });
      assert.equal(r.status, 413);
      assert.equal(JSON.parse(r.body).__type, 'RequestEntityTooLarge');
      const chunked = await rawRequest(sb.endpoint, { headers: { ...form, 'transfer-encoding': 'chunked' }, body: big });
      assert.equal(chunked.status, 413);
      assert.match(chunked.body, /<Code>RequestEntityTooLarge<\/Code>/);
    });

    it('a handler bug -> 500 InternalFailure, logged, and the server keeps serving', async () => {
      const r = await signedRequest(sb.endpoint, sb.credentials, { service: 'ecs', headers: jsonHeaders('Boom'), body: '{}' });
      assert.equal(r.status, 500);
      assert.equal(JSON.parse(r.body).__type, 'InternalFailure');
      assert.ok(logs.some((l) => l.includes('handler bug')), 'logged');
      const ok = await new ECSClient(cfg(sb.credentials)).send(new ListClustersCommand({}));
      assert.ok(Array.isArray(ok.clusterArns));
    });
  });
});
