/**
 * What the sandbox does not serve, it says so: an operation of a served service that it does not
 * implement (through the real SDK clients) answers the protocol's unknown-operation error naming the
 * operation, the service and the sandbox; a request signed for a service it does not serve at all
 * (DynamoDB over JSON, SNS over query) names that service.
 */
import * as assert from 'node:assert/strict';
import { AutoScalingClient, DescribeLifecycleHooksCommand } from '@aws-sdk/client-auto-scaling';
import { AllocateAddressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateTaskSetCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { signPost } from './helpers/fuzz-inputs';
import { rawRequest } from './server-helpers';

describe('the sandbox says clearly what it does not serve', function () {
  this.timeout(30_000);
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ port: 0, runtime: new FakeRuntime(), clock: new ManualClock(), log: () => {} });
  });
  after(async () => {
    await sb?.close();
  });
  const cfg = () => ({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 });

  it('an operation of a served service that it does not implement: the unknown-operation error naming the operation, the service and the sandbox', async () => {
    const ecs = new ECSClient(cfg());
    const ec2 = new EC2Client(cfg());
    const asg = new AutoScalingClient(cfg());
    try {
      const cases: [Promise<unknown>, string, RegExp][] = [
        [ecs.send(new CreateTaskSetCommand({ cluster: 'c', service: 's', taskDefinition: 't' })), 'UnknownOperationException', /CreateTaskSet.*Amazon ECS.*sandbox|sandbox.*CreateTaskSet.*Amazon ECS/],
        [ec2.send(new AllocateAddressCommand({})), 'InvalidAction', /AllocateAddress.*Amazon EC2.*sandbox|sandbox.*AllocateAddress.*Amazon EC2/],
        [asg.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'g' })), 'InvalidAction', /DescribeLifecycleHooks.*EC2 Auto Scaling.*sandbox|sandbox.*DescribeLifecycleHooks.*EC2 Auto Scaling/],
      ];
      for (const [p, code, message] of cases) {
        await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(e.name, code);
          assert.match(e.message, message);
          assert.match(e.message, /src\/sandbox\/README\.md/, 'points at the scope table');
          assert.equal(e.$metadata?.httpStatusCode, 400);
          return true;
        });
      }
    } finally {
      for (const c of [ecs, ec2, asg]) c.destroy();
    }
  });

  it('a service it does not serve at all: the error names that service', async () => {
    const creds = sb.credentials;
    const jsonBody = '{}';
    const jsonHeaders = await signPost(sb.endpoint, creds, 'dynamodb', sb.region, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, jsonBody);
    const json = await rawRequest(sb.endpoint, { headers: jsonHeaders, body: jsonBody });
    assert.equal(json.status, 400);
    const err = JSON.parse(json.body) as { __type: string; message: string };
    assert.equal(err.__type, 'UnknownOperationException');
    assert.match(err.message, /dynamodb/);
    assert.match(err.message, /sandbox does not serve/);

    const queryBody = 'Action=ListTopics&Version=2010-03-31';
    const queryHeaders = await signPost(sb.endpoint, creds, 'sns', sb.region, { 'content-type': 'application/x-www-form-urlencoded' }, queryBody);
    const query = await rawRequest(sb.endpoint, { headers: queryHeaders, body: queryBody });
    assert.equal(query.status, 400);
    assert.match(query.body, /<Code>InvalidAction<\/Code>/);
    assert.match(query.body, /<Message>[^<]*sandbox does not serve[^<]*sns[^<]*<\/Message>/);
  });
});
