import assert from 'node:assert/strict';
import * as net from 'node:net';
import { DescribeClustersCommand, ListClustersCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { HttpResponse } from '@smithy/protocol-http';
import { clientConfig, connectionLabel, createClients, redact, type CallLogEntry } from '../../../src/aws/clients';
import { resolveSandbox, type ResolvedConnection } from '../../../src/aws/resolve';
import { mapAwsError } from '../../../src/aws/errors';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const sandbox = {
  kind: 'sandbox' as const,
  endpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
};

/** An HTTP handler answering every request with one canned JSON response. */
function cannedHandler(status: number, body: object, headers: Record<string, string> = {}) {
  const requests: Array<{ headers: Record<string, string> }> = [];
  return {
    requests,
    handler: {
      async handle(request: { headers: Record<string, string> }) {
        requests.push({ headers: request.headers });
        return {
          response: new HttpResponse({
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1', ...headers },
            body: new TextEncoder().encode(JSON.stringify(body)),
          }),
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

describe('aws/clients', () => {
  it('builds each service\'s config from the resolved connection', () => {
    const s = clientConfig(resolveSandbox(sandbox));
    assert.equal(s.endpoint, 'http://127.0.0.1:1');
    assert.equal(s.retryMode, 'adaptive');
    assert.equal(s.region, 'us-east-1');
    assert.deepEqual(s.credentials, sandbox.credentials);
    assert.equal(s.ignoreConfiguredEndpointUrls, true, 'the SDK\'s own endpoint lookup (AWS_PROFILE only) is off');
    const provider = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' });
    const profile: ResolvedConnection = {
      connection: { kind: 'profile', profile: 'dev' }, profile: 'dev', region: 'eu-west-1', regionSource: 'profile',
      endpoints: { elbv2: 'http://127.0.0.1:5000' }, credentials: provider, credentialsLabel: 'profile dev', realAws: true,
    };
    const ecs = clientConfig(profile, { retryMode: 'standard', maxAttempts: 5 });
    assert.deepEqual(ecs, { retryMode: 'standard', maxAttempts: 5, region: 'eu-west-1', credentials: provider, ignoreConfiguredEndpointUrls: true, profile: 'dev' });
    assert.equal(clientConfig(profile, {}, 'elbv2').endpoint, 'http://127.0.0.1:5000', 'a per-service endpoint goes to that service only');
  });

  it('creates each client lazily and once', () => {
    const clients = createClients(sandbox);
    assert.equal(clients.ecs, clients.ecs);
    assert.notEqual(clients.ecs, clients.elbv2);
    clients.destroy();
  });

  it('logs each call with service, operation, duration and status, without secrets', async () => {
    const entries: CallLogEntry[] = [];
    const canned = cannedHandler(200, { clusterArns: ['arn:aws:ecs:us-east-1:1:cluster/demo'] });
    const clients = createClients(sandbox, { logger: (e) => entries.push(e), requestHandler: canned.handler });
    const out = await clients.ecs.send(new ListClustersCommand({}));
    assert.deepEqual(out.clusterArns, ['arn:aws:ecs:us-east-1:1:cluster/demo']);
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry.service, 'ECS');
    assert.equal(entry.operation, 'ListClusters');
    assert.equal(entry.ok, true);
    assert.equal(entry.httpStatus, 200);
    assert.equal(typeof entry.durationMs, 'number');
    assert.ok(!JSON.stringify(entries).includes(SECRET));
    assert.ok(!JSON.stringify(entries).includes('AKIAIOSFODNN7EXAMPLE'));
    assert.match(canned.requests[0].headers.authorization ?? canned.requests[0].headers.Authorization, /AWS4-HMAC-SHA256/, 'requests are signed');
  });

  it('logs failed calls with the error name and message and maps them', async () => {
    const entries: CallLogEntry[] = [];
    const canned = cannedHandler(400, { __type: 'ClusterNotFoundException', message: 'Cluster not found.' }, { 'x-amzn-errortype': 'ClusterNotFoundException' });
    const clients = createClients(sandbox, { logger: (e) => entries.push(e), requestHandler: canned.handler });
    const err = await clients.ecs.send(new DescribeClustersCommand({ clusters: ['nope'] })).then(() => assert.fail('should throw'), (e) => e);
    assert.equal(entries[0].ok, false);
    assert.equal(entries[0].errorName, 'ClusterNotFoundException');
    assert.equal(entries[0].errorMessage, 'Cluster not found.');
    assert.equal(entries[0].httpStatus, 400);
    const info = mapAwsError(err);
    assert.equal(info.kind, 'notFound');
    assert.equal(info.message, 'Cluster not found.');
  });

  it('an emulator\'s XML error on a JSON service (moto\'s ECS, labelled text/html) is read as the service\'s error, naming the refused call', async () => {
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ecs:UpdateService</Message><Type>Sender</Type></Error></Errors></ErrorResponse>';
    const handler = {
      async handle() {
        return { response: new HttpResponse({ statusCode: 403, headers: { 'content-type': 'text/html; charset=utf-8', 'x-amzn-requestid': 'req-9' }, body: new TextEncoder().encode(xml) }) };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    const clients = createClients(sandbox, { requestHandler: handler, maxAttempts: 1 });
    const err = await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-service', desiredCount: 3 })).then(() => assert.fail('should throw'), (e) => e);
    const info = mapAwsError(err);
    assert.deepEqual({ code: info.code, kind: info.kind, httpStatus: info.httpStatus, requestId: info.requestId }, { code: 'AccessDenied', kind: 'auth', httpStatus: 403, requestId: 'req-9' });
    assert.equal(info.message, 'Not allowed: ecs:UpdateService on demo-service (refused for arn:aws:iam::123456789012:user/ro, AccessDenied).');
    assert.match(info.hint ?? '', /AmazonECS_FullAccess/);
  });

  it('a throwing logger never fails the call', async () => {
    const canned = cannedHandler(200, { clusterArns: [] });
    const clients = createClients(sandbox, { logger: () => { throw new Error('boom'); }, requestHandler: canned.handler });
    assert.deepEqual((await clients.ecs.send(new ListClustersCommand({}))).clusterArns, []);
  });

  it('maps a refused connection to a network error naming the endpoint', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const endpoint = `http://127.0.0.1:${port}`;
    const entries: CallLogEntry[] = [];
    const clients = createClients({ ...sandbox, endpoint }, { maxAttempts: 1, logger: (e) => entries.push(e) });
    const err = await clients.ecs.send(new ListClustersCommand({})).then(() => assert.fail('should throw'), (e) => e);
    const info = mapAwsError(err, { endpoint });
    assert.equal(info.kind, 'network');
    assert.equal(info.code, 'ECONNREFUSED');
    assert.ok(info.retryable);
    assert.match(info.message, new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port}`));
    assert.equal(entries[0].ok, false);
    clients.destroy();
  });

  it('redacts access keys and signatures', () => {
    assert.equal(redact('key AKIAIOSFODNN7EXAMPLE here'), 'key [redacted-key] here');
    assert.match(redact('Credential=AKIA/2024, Signature=abc123'), /Credential=\[redacted\], Signature=\[redacted\]/);
  });

  it('labels connections', () => {
    assert.equal(connectionLabel(sandbox), 'Sandbox (127.0.0.1:1)');
    assert.equal(connectionLabel({ kind: 'profile', profile: 'dev', region: 'eu-west-1' }), 'AWS profile dev (eu-west-1)');
  });
});
