/**
 * Fires a few hundred malformed requests (random bytes, truncated JSON, wrong types, unknown
 * targets, missing / odd headers, oversized bodies, bad query encodings; signed and unsigned) at a
 * sandbox running the real services and engine, and checks that every answer is a 4xx AWS-style
 * error — no 500, no hang, no crash — and that afterwards the server still answers and the state
 * is unchanged.
 */
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime, rawRequest, signedRequest, type RawResponse } from './server-helpers';
import { rng } from './helpers/fuzz-inputs';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const ECS = 'AmazonEC2ContainerServiceV20141113';
const SSM = 'AmazonSSM';
const LOGS = 'Logs_20140328';
const REGION = 'ap-northeast-1';

/** Values of the wrong JSON type for any member that expects a string / number / list. */
const WRONG = [null, true, {}, [], [[]], { a: { b: [1] } }, -1, 1.5, 1e300, 'x'.repeat(3000), '', '\u0000', '../../etc', ['a', 1, null]] as const;

/** Inputs that are invalid for their operation whatever extra members come with them. */
const INVALID_JSON_INPUTS: [string, string, Record<string, unknown>][] = [
  [ECS, 'CreateCluster', { clusterName: 123 }],
  [ECS, 'CreateCluster', { clusterName: 'bad name!' }],
  [ECS, 'CreateCluster', { clusterName: 'x'.repeat(300) }],
  [ECS, 'DeleteCluster', {}],
  [ECS, 'DeleteCluster', { cluster: { a: 1 } }],
  [ECS, 'DescribeClusters', { clusters: 'demo' }],
  [ECS, 'ListClusters', { maxResults: 'ten' }],
  [ECS, 'ListClusters', { maxResults: 0 }],
  [ECS, 'RegisterTaskDefinition', {}],
  [ECS, 'RegisterTaskDefinition', { family: 5, containerDefinitions: [] }],
  [ECS, 'RegisterTaskDefinition', { family: 'f', containerDefinitions: 'nope' }],
  [ECS, 'RegisterTaskDefinition', { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 'lots', portMappings: [{ containerPort: -1 }] }] }],
  [ECS, 'DescribeTaskDefinition', { taskDefinition: ['x'] }],
  [ECS, 'DescribeTaskDefinition', { taskDefinition: 'nope:0' }],
  [ECS, 'DeregisterTaskDefinition', { taskDefinition: 7 }],
  [ECS, 'CreateService', {}],
  [ECS, 'CreateService', { serviceName: 's', taskDefinition: 'nope:1', desiredCount: -5 }],
  [ECS, 'CreateService', { serviceName: { n: 1 }, taskDefinition: 'x' }],
  [ECS, 'UpdateService', { service: null }],
  [ECS, 'UpdateService', { service: 's', desiredCount: 'two' }],
  [ECS, 'DeleteService', { service: 'missing-service' }],
  [ECS, 'DescribeServices', { services: 'x' }],
  [ECS, 'ListServices', { cluster: 12 }],
  [ECS, 'RunTask', { taskDefinition: {} }],
  [ECS, 'RunTask', { taskDefinition: 'nope:1', count: 1000 }],
  [ECS, 'StopTask', { task: [] }],
  [ECS, 'ListTasks', { desiredStatus: 'SLEEPING' }],
  [ECS, 'DescribeTasks', { tasks: 'abc' }],
  [ECS, 'TagResource', { resourceArn: 'arn:nope', tags: 'x' }],
  [ECS, 'UntagResource', { resourceArn: 5, tagKeys: ['a'] }],
  [ECS, 'ListTagsForResource', {}],
  [ECS, 'RegisterContainerInstance', { instanceIdentityDocument: '{"instanceId": {"$ne": 1}}' }],
  [ECS, 'RegisterContainerInstance', { instanceIdentityDocument: '[]', totalResources: [{ name: 'CPU', integerValue: -1 }] }],
  [ECS, 'DeregisterContainerInstance', { containerInstance: ['x'] }],
  [ECS, 'ListContainerInstances', { filter: '((((((attribute:a == b' }],
  [ECS, 'ListContainerInstances', { filter: 'attribute:a =~ (x+)+y' }],
  [ECS, 'PutAttributes', { attributes: [{ name: 'a', targetId: '__proto__' }] }],
  [ECS, 'ListAttributes', { targetType: 'service' }],
  [ECS, 'PutAccountSetting', { name: 'constructor', value: 'enabled' }],
  [ECS, 'ListAccountSettings', { maxResults: 100 }],
  [ECS, 'UpdateCluster', { cluster: 'default', configuration: { executeCommandConfiguration: { logging: 'LOUD' } } }],
  [ECS, 'RunTask', { taskDefinition: 'x', placementStrategy: [{ type: 'binpack', field: 'gpu' }] }],
  [SSM, 'GetParameters', { Names: 5 }],
  [SSM, 'GetParameter', { Name: {} }],
  [SSM, 'GetParameter', {}],
  [LOGS, 'CreateLogGroup', { logGroupName: 'bad name' }],
  [LOGS, 'CreateLogGroup', { logGroupName: 'x'.repeat(513) }],
  [LOGS, 'CreateLogStream', { logGroupName: 'missing-group', logStreamName: 's' }],
  [LOGS, 'PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: 'line' }],
  [LOGS, 'PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 2, message: 'b' }, { timestamp: 1, message: 'a' }] }],
  [LOGS, 'GetLogEvents', { logGroupName: 'g', logStreamName: 's', nextToken: 'f/1' }],
  [LOGS, 'FilterLogEvents', { logGroupName: 'g', filterPattern: '{ $.status = 500 }' }],
  [LOGS, 'PutRetentionPolicy', { logGroupName: 'g', retentionInDays: 2 }],
  [LOGS, 'TagResource', { resourceArn: 'arn:nope', tags: {} }],
];

/** Form bodies that are malformed or invalid for their EC2 action. */
const INVALID_EC2_FORMS = [
  'Action=DescribeVpcs&Version=2016-11-15&VpcId.0=vpc-1',
  'Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=x&Filter.1=y',
  'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=%ZZ',
  'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-doesnotexist',
  'Action=DescribeSubnets&Version=2016-11-15&SubnetId.1=subnet-doesnotexist',
  'Action=RunInstances&Version=2016-11-15',
  'Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=x&MaxCount=1',
  'Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=5&MaxCount=1',
  'Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-0000',
  'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-nope',
  'Action=CreateLaunchTemplate&Version=2016-11-15',
  'Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-nope',
  'Action=__proto__&Version=2016-11-15',
  'Action=DescribeVpcs&Version=1999-01-01',
  'Version=2016-11-15',
  '%%%',
  'Action=DescribeVpcs&Version=2016-11-15&a.constructor.prototype=1',
];

describe('fuzz: malformed requests against the real services', function () {
  this.timeout(180_000);
  let sb: Sandbox;
  const logs: string[] = [];
  const r = rng(SEED);

  before(async () => {
    sb = await startSandbox({ port: 0, runtime: new FakeRuntime(), clock: new ManualClock(Date.UTC(2026, 0, 1)), log: (m) => logs.push(m) });
    // Make the region exist (default VPC …) before taking the snapshot.
    await new ECSClient({ endpoint: sb.endpoint, region: REGION, credentials: sb.credentials }).send(new ListClustersCommand({}));
    // …and let the services that keep their own per-region state (CloudWatch's sampler) create it.
    await new Promise((res) => setTimeout(res, 400));
  });
  after(() => sb?.close());

  const snapshot = async () => {
    const s = JSON.parse(JSON.stringify(await new SandboxAdmin(sb.endpoint, sb.adminToken).state()));
    delete s.savedAt;
    return s;
  };

  const wrongSecret = () => ({ accessKeyId: sb.credentials.accessKeyId, secretAccessKey: 'A'.repeat(40) });
  const json = (target: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  function withGarbage(input: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...input };
    const n = r.int(3);
    for (let i = 0; i < n; i++) out[r.pick(['extra', 'cluster', 'include', 'nextToken', 'tags', 'x'])] = r.pick(WRONG);
    // Keep the invalid member invalid.
    return { ...out, ...input };
  }

  /** One malformed request of a random kind. */
  async function one(i: number): Promise<{ what: string; res: RawResponse }> {
    const kind = i % 12;
    const ep = sb.endpoint;
    switch (kind) {
      case 0: {
        const body = r.bytes(r.int(2000));
        const headers = r.pick([json(`${ECS}.CreateCluster`), form, {}, { 'content-type': 'application/octet-stream' }]);
        return { what: `random bytes unsigned ${JSON.stringify(headers)}`, res: await rawRequest(ep, { headers, body }) };
      }
      case 1: {
        const full = JSON.stringify({ clusterName: `fuzz${i}`, settings: [{ name: 'containerInsights', value: 'enabled' }] });
        const body = full.slice(0, 1 + r.int(full.length - 2));
        return { what: `truncated JSON ${body}`, res: await signedRequest(ep, sb.credentials, { service: 'ecs', headers: json(`${ECS}.CreateCluster`), body }) };
      }
      case 2: {
        const [prefix, op, input] = r.pick(INVALID_JSON_INPUTS);
        const body = JSON.stringify(withGarbage(input));
        const service = prefix === SSM ? 'ssm' : prefix === LOGS ? 'logs' : 'ecs';
        return { what: `${op} ${body.slice(0, 200)}`, res: await signedRequest(ep, sb.credentials, { service, headers: json(`${prefix}.${op}`), body }) };
      }
      case 3: {
        const target = r.pick([`${ECS}.NoSuchOp`, `${ECS}.`, `${ECS}.__proto__`, 'AmazonSSM.hasOwnProperty', '', '.', 'x'.repeat(500), `${ECS}.CreateCluster.Extra`]);
        return { what: `unknown target ${target.slice(0, 60)}`, res: await signedRequest(ep, sb.credentials, { service: 'ecs', headers: json(target), body: '{}' }) };
      }
      case 4: {
        // A valid mutating request with a wrong signature or no signature at all: refused, nothing changes.
        const body = JSON.stringify({ clusterName: `unauth${i}` });
        const res = r.next() < 0.5
          ? await signedRequest(ep, wrongSecret(), { service: 'ecs', headers: json(`${ECS}.CreateCluster`), body })
          : await rawRequest(ep, { headers: json(`${ECS}.CreateCluster`), body });
        return { what: 'unauthenticated CreateCluster', res };
      }
      case 5: {
        const body = r.pick(INVALID_EC2_FORMS);
        const signed = r.next() < 0.8;
        const res = signed ? await signedRequest(ep, sb.credentials, { service: 'ec2', headers: form, body }) : await rawRequest(ep, { headers: form, body });
        return { what: `ec2 form ${signed ? 'signed' : 'unsigned'} ${body}`, res };
      }
      case 6: {
        // Odd or missing headers.
        const variants: Record<string, string>[] = [
          { 'x-amz-target': `${ECS}.ListClusters` },
          { 'content-type': 'application/x-amz-json-1.1' },
          { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${ECS}.ListClusters`, authorization: 'AWS4-HMAC-SHA256' },
          { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${ECS}.ListClusters`, authorization: `AWS4-HMAC-SHA256 Credential=${sb.credentials.accessKeyId}/20260101/${REGION}/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`, 'x-amz-date': 'yesterday' },
          { 'content-type': 'text/html; charset=utf-8', 'x-amz-target': `${ECS}.ListClusters` },
          { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${ECS}.ListClusters`, 'x-amz-date': '20260101T000000Z', authorization: 'x'.repeat(4000) },
        ];
        const headers = r.pick(variants);
        return { what: `odd headers ${JSON.stringify(headers).slice(0, 150)}`, res: await rawRequest(ep, { headers, body: '{}' }) };
      }
      case 7: {
        const size = 1024 * 1024 + 1 + r.int(200_000);
        const headers = r.pick([json(`${ECS}.CreateCluster`), form]);
        return { what: `oversized ${size}`, res: await rawRequest(ep, { headers, body: Buffer.alloc(size, 0x61) }) };
      }
      case 8: {
        // Random key/value soup in a signed EC2 form (always carrying an invalid index).
        const parts = ['Action=' + r.pick(['DescribeVpcs', 'DescribeSubnets', 'DescribeInstances', 'RunInstances']), 'Version=2016-11-15', `Filter.0.Name=x`];
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any junk will do: the value is of the wrong type on purpose
        for (let k = 0; k < r.int(6); k++) parts.push(`${r.pick(['Filter', 'VpcId', 'a.b', 'member', 'entry'])}.${r.int(4)}=${encodeURIComponent(String(r.pick(WRONG)))}`);
        const body = parts.join('&');
        return { what: `ec2 soup ${body.slice(0, 150)}`, res: await signedRequest(ep, sb.credentials, { service: 'ec2', headers: form, body }) };
      }
      case 9: {
        const method = r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
        const path = r.pick(['/', '/x', '/?Action=DescribeVpcs', '//', '/%ZZ']);
        return { what: `${method} ${path}`, res: await rawRequest(ep, { method, path, headers: json(`${ECS}.ListClusters`), body: method === 'GET' ? undefined : '{}' }) };
      }
      case 10: {
        // Wrong top-level JSON types.
        const body = JSON.stringify(r.pick([[], 1, 'x', null, true, [{}]]));
        const [prefix, op] = r.pick(INVALID_JSON_INPUTS);
        return { what: `top-level ${body} to ${op}`, res: await signedRequest(ep, sb.credentials, { service: prefix === SSM ? 'ssm' : 'ecs', headers: json(`${prefix}.${op}`), body }) };
      }
      default: {
        // Signed with a scope for another region / service, or a broken region.
        const region = r.pick(['constructor', 'us-east-1x', 'a', 'US-EAST-1', '..-1']);
        const service = r.pick(['ecs', 'ec2', 'sqs']);
        const body = JSON.stringify({ clusterName: `scope${i}` });
        return { what: `scope ${region}/${service}`, res: await signedRequest(ep, sb.credentials, { service, region, headers: json(`${ECS}.CreateCluster`), body }) };
      }
    }
  }

  it(`answers every malformed request with a 4xx AWS-style error (seed ${SEED})`, async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const codes = new Map<string, number>();
    const N = 360;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const { what, res } = await one(i);
        const ctype = String(res.headers['content-type'] ?? '');
        const code = String(res.headers['x-amzn-errortype'] ?? /<Code>([^<]+)<\/Code>/.exec(res.body)?.[1] ?? `http${res.status}`);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        let awsStyle = false;
        if (ctype.startsWith('application/x-amz-json')) {
          try {
            const b = JSON.parse(res.body);
            awsStyle = typeof b.__type === 'string' && (typeof b.message === 'string' || typeof b.Message === 'string') && !!res.headers['x-amzn-errortype'];
          } catch {
            awsStyle = false;
          }
        } else if (ctype.startsWith('text/xml')) {
          awsStyle = /<ErrorResponse[ >].*<Code>[^<]+<\/Code>.*<RequestId>/s.test(res.body) || /<Response><Errors><Error><Code>[^<]+<\/Code>.*<RequestID>/s.test(res.body);
        } else if (res.status === 400 && res.body === '') {
          awsStyle = true; // Node's own answer to an unparsable HTTP request (clientError)
        }
        if (res.status < 400 || res.status >= 500 || !awsStyle) failures.push(`#${i} ${what}: ${res.status} ${res.body.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.deepEqual(failures, [], `${failures.length} bad answers:\n${failures.join('\n')}`);
    assert.deepEqual(logs.filter((l) => l.includes('InternalFailure')), []);
    // The requests reached every layer: protocol, auth, routing and the handlers' own validation.
    const seen = [...codes.keys()];
    for (const c of ['SerializationException', 'UnknownOperationException', 'MissingAuthenticationTokenException', 'InvalidSignatureException', 'RequestEntityTooLarge', 'MalformedQueryString', 'InvalidAction']) {
      assert.ok(codes.has(c), `no ${c} among ${seen.join(', ')}`);
    }
    assert.ok(
      seen.some((c) => /^(InvalidParameterException|ClientException|ValidationException|InvalidParameterValue|MissingParameter|ClusterNotFoundException|ParameterNotFound)$/.test(c)),
      `no handler-level validation error among ${seen.join(', ')}`,
    );

    // Still serving, and nothing changed.
    const ok = await new ECSClient({ endpoint: sb.endpoint, region: REGION, credentials: sb.credentials }).send(new ListClustersCommand({}));
    assert.deepEqual(ok.clusterArns, []);
    assert.deepEqual(await snapshot(), before);
  });

  it('survives 400 connections of broken HTTP (garbage, smuggling, oversized and half requests) and keeps serving', async () => {
    const send = (data: string | Buffer, endEarly: boolean) =>
      new Promise<string>((resolve) => {
        const s = net.connect(sb.port, '127.0.0.1');
        let out = '';
        s.on('data', (d) => (out += d.toString('latin1')));
        s.on('error', () => resolve(out));
        s.on('close', () => resolve(out));
        s.write(data);
        if (endEarly) s.end();
        setTimeout(() => s.destroy(), 1500);
      });
    const host = `Host: 127.0.0.1:${sb.port}\r\n`;
    const signedLooking = 'Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n';
    const kinds: (() => [string | Buffer, boolean])[] = [
      () => [r.bytes(1 + r.int(65_536)), r.next() < 0.5],
      () => [`POST / HTTP/1.1\r\n${host}${r.bytes(200).toString('latin1')}\r\n\r\n`, true],
      () => ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":', true],
      () => ['GET /_sandbox/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n', false],
      () => ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n', false],
      () => [`POST / HTTP/1.1\r\n${host}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`, true],
      () => [`POST / HTTP/1.1\r\n${host}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /_sandbox/state HTTP/1.1\r\n\r\n`, true],
      () => [`POST / HTTP/1.1\r\n${host}Content-Length: 99999999999999999999\r\n\r\n{}`, true],
      () => [`POST / HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\n${'f'.repeat(40)}\r\nx\r\n`, true],
      () => [`POST / HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\n5;${'e'.repeat(20_000)}\r\nhello\r\n0\r\n\r\n`, true],
      () => [`GET / HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000 + r.int(50_000))}\r\n\r\n`, true],
      () => [`GET / HTTP/1.1\r\n${host}${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`, true],
      () => [`GET /${'a/'.repeat(20_000)} HTTP/1.1\r\n${host}\r\n`, true],
      () => [r.pick(['G ET / HTTP/1.1\r\n\r\n', 'get / HTTP/1.1\r\n\r\n', 'GET /\r\n', 'GET / HTTP/9.9\r\n\r\n', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n', 'OPTIONS * HTTP/1.1\r\n\r\n']), true],
      () => [`POST http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n${signedLooking}Content-Length: 2\r\n\r\n{}`, true],
      () => [`GET /_sandbox/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Null: a\u0000b\r\n\r\n`, true],
      () => [`GET /_sandbox/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fold: a\r\n folded\r\n\r\n`, true],
      () => [`GET /_sandbox/state HTTP/1.1\r\nHost: 127.0.0.1\rX: y\r\n\r\n`, true],
      () => [`GET /_sandbox/tasks?region=%ZZ&region=${'x'.repeat(5000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, true],
      () => {
        const body = r.pick(['{', '[]', 'null', '{"scale":"fast"}', '{"region":{"toString":1}}', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, '{"taskArn":"constructor"}', '\u0000']);
        const path = r.pick(['/_sandbox/time-scale', '/_sandbox/reset', '/_sandbox/faults', '/_sandbox/tasks/kill', '/_sandbox/tasks/unhealthy', '/_sandbox/nope', '/_sandbox/__proto__']);
        return [`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, true];
      },
      () => [`POST / HTTP/1.1\r\n${host}Expect: 100-continue\r\n${signedLooking}Content-Length: 10\r\n\r\n`, false],
      () => [`GET / HTTP/1.1\r\n${host}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`, true],
      () => [`POST / HTTP/1.1\r\n${host}${signedLooking}Content-Length: 2\r\n\r\n{}${r.bytes(300).toString('latin1')}`, true],
      () => [`POST / HTTP/1.1\r\n${host}${signedLooking}Content-Encoding: gzip\r\nContent-Length: 20\r\n\r\n${r.bytes(20).toString('latin1')}`, true],
      () => [`POST / HTTP/1.1\r\n${host}Authorization: AWS4-HMAC-SHA256 Credential=${'/'.repeat(3000)}, SignedHeaders=${';'.repeat(3000)}, Signature=zz\r\n${signedLooking}Content-Length: 2\r\n\r\n{}`, true],
      () => [`POST / HTTP/1.1\r\n${host}Authorization: AWS4-HMAC-SHA256 Credential=${sb.credentials.accessKeyId}/20260101/constructor/__proto__/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}\r\nX-Amz-Date: 20260101T000000Z\r\n${signedLooking}Content-Length: 2\r\n\r\n{}`, true],
    ];
    const jobs = Array.from({ length: 400 }, (_, i) => kinds[i % kinds.length]());
    const answers: string[] = [];
    for (let i = 0; i < jobs.length; i += 200) answers.push(...(await Promise.all(jobs.slice(i, i + 200).map(([data, end]) => send(data, end)))));
    const bad = answers
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => a !== '' && (!/^HTTP\/1\.1 [1-4]\d\d/.test(a) || /HTTP\/1\.1 5\d\d/.test(a)))
      .map(({ a, i }) => `#${i} (kind ${i % kinds.length}): ${a.slice(0, 200)}`);
    assert.deepEqual(bad, []);
    assert.deepEqual(logs.filter((l) => /InternalFailure|failed/.test(l)), []);
    const ok = await new ECSClient({ endpoint: sb.endpoint, region: REGION, credentials: sb.credentials }).send(new ListClustersCommand({}));
    assert.deepEqual(ok.clusterArns, []);
  });
});
