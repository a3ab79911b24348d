import assert from 'node:assert/strict';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EC2Client } from '@aws-sdk/client-ec2';
import { listServiceArns, listServiceArnsPage, listTaskArns, listTaskDefinitionArns } from '../../../src/aws/list';
import { describeInstances, describeListeners, describeLoadBalancers, describeTargetGroups, describeTargetHealth } from '../../../src/aws/describe-elb';
import { fakeClient } from './fake-client';

/** Serve `all` in pages of the requested size with numeric string tokens. */
function pager(all: string[], key: string, tokenIn = 'nextToken', tokenOut = 'nextToken', sizeKey = 'maxResults') {
  return (_name: string, input: Record<string, any>) => {
    const start = input[tokenIn] ? Number(input[tokenIn]) : 0;
    const size = input[sizeKey] ?? 10;
    const end = Math.min(all.length, start + size);
    return { [key]: all.slice(start, end), ...(end < all.length ? { [tokenOut]: String(end) } : {}) };
  };
}

describe('aws/list paginated listing', () => {
  const services = Array.from({ length: 230 }, (_, i) => `arn:aws:ecs:us-east-1:1:service/demo/s${i}`);

  it('follows nextToken through every page with the maximum page size', async () => {
    const ecs = fakeClient(ECSClient, pager(services, 'serviceArns'));
    const arns = await listServiceArns(ecs, 'demo');
    assert.deepEqual(arns, services);
    assert.deepEqual(ecs.calls.map((c) => c.input.nextToken), [undefined, '100', '200']);
    assert.ok(ecs.calls.every((c) => c.input.maxResults === 100 && c.input.cluster === 'demo'));
  });

  it('returns one page and the token of the next for "load more"', async () => {
    const ecs = fakeClient(ECSClient, pager(services, 'serviceArns'));
    const first = await listServiceArnsPage(ecs, 'demo', { pageSize: 50 });
    assert.equal(first.items.length, 50);
    assert.equal(first.nextToken, '50');
    const last = await listServiceArnsPage(ecs, 'demo', { pageSize: 200, nextToken: '200' });
    assert.deepEqual(last.items, services.slice(200));
    assert.equal(last.nextToken, undefined);
    assert.equal(ecs.calls.length, 2, 'one call per page');
  });

  it('passes filters through (ListTasks by service and desired status)', async () => {
    const ecs = fakeClient(ECSClient, () => ({ taskArns: ['t1'] }));
    assert.deepEqual(await listTaskArns(ecs, { cluster: 'demo', serviceName: 'web', desiredStatus: 'STOPPED' }), ['t1']);
    assert.equal(ecs.calls[0].name, 'ListTasks');
    assert.equal(ecs.calls[0].input.serviceName, 'web');
    assert.equal(ecs.calls[0].input.desiredStatus, 'STOPPED');
  });

  it('lists task definitions newest first when asked', async () => {
    const ecs = fakeClient(ECSClient, () => ({ taskDefinitionArns: ['app:3', 'app:2'] }));
    await listTaskDefinitionArns(ecs, { familyPrefix: 'app', sort: 'DESC' });
    assert.equal(ecs.calls[0].input.sort, 'DESC');
    assert.equal(ecs.calls[0].input.familyPrefix, 'app');
  });
});

describe('aws/describe-elb', () => {
  it('describes load balancers by ARN in batches of 20', async () => {
    const elb = fakeClient(ElasticLoadBalancingV2Client, (_n, input) => ({
      LoadBalancers: input.LoadBalancerArns.map((a: string) => ({ LoadBalancerArn: a })),
    }));
    const arns = Array.from({ length: 45 }, (_, i) => `lb-${i}`);
    const lbs = await describeLoadBalancers(elb, arns);
    assert.deepEqual(elb.calls.map((c) => (c.input.LoadBalancerArns as string[]).length), [20, 20, 5]);
    assert.deepEqual(lbs.map((l) => l.LoadBalancerArn), arns);
  });

  it('pages through all load balancers with Marker', async () => {
    const all = Array.from({ length: 450 }, (_, i) => ({ LoadBalancerArn: `lb-${i}` }));
    const elb = fakeClient(ElasticLoadBalancingV2Client, (_n, input) => {
      const start = input.Marker ? Number(input.Marker) : 0;
      const end = Math.min(all.length, start + input.PageSize);
      return { LoadBalancers: all.slice(start, end), ...(end < all.length ? { NextMarker: String(end) } : {}) };
    });
    assert.equal((await describeLoadBalancers(elb)).length, 450);
    assert.equal(elb.calls.length, 2);
  });

  it('describes target groups by ARN in batches of 20 and by load balancer with pagination', async () => {
    const elb = fakeClient(ElasticLoadBalancingV2Client, (_n, input) =>
      input.TargetGroupArns
        ? { TargetGroups: input.TargetGroupArns.map((a: string) => ({ TargetGroupArn: a })) }
        : { TargetGroups: [{ TargetGroupArn: 'tg-of-lb' }] },
    );
    const tgs = await describeTargetGroups(elb, { arns: Array.from({ length: 21 }, (_, i) => `tg-${i}`) });
    assert.equal(tgs.length, 21);
    assert.deepEqual(elb.calls.map((c) => (c.input.TargetGroupArns as string[]).length), [20, 1]);
    const byLb = await describeTargetGroups(elb, { loadBalancerArn: 'lb-1' });
    assert.deepEqual(byLb, [{ TargetGroupArn: 'tg-of-lb' }]);
    assert.equal(elb.calls[2].input.LoadBalancerArn, 'lb-1');
  });

  it('describes listeners of a load balancer', async () => {
    const elb = fakeClient(ElasticLoadBalancingV2Client, () => ({ Listeners: [{ Port: 80 }] }));
    assert.deepEqual(await describeListeners(elb, 'lb-1'), [{ Port: 80 }]);
    assert.equal(elb.calls[0].name, 'DescribeListeners');
  });

  it('describes target health once per target group, keyed by ARN', async () => {
    const elb = fakeClient(ElasticLoadBalancingV2Client, (_n, input) => ({
      TargetHealthDescriptions: [{ Target: { Id: `i-${input.TargetGroupArn}` }, TargetHealth: { State: 'healthy' } }],
    }));
    const health = await describeTargetHealth(elb, ['a', 'b', 'a']);
    assert.equal(elb.calls.length, 2);
    assert.equal(health.get('b')?.[0].Target?.Id, 'i-b');
  });

  it('flattens EC2 reservations', async () => {
    const ec2 = fakeClient(EC2Client, (_n, input) => ({
      Reservations: [{ Instances: input.InstanceIds.slice(0, 1).map((id: string) => ({ InstanceId: id })) }, { Instances: input.InstanceIds.slice(1).map((id: string) => ({ InstanceId: id })) }],
    }));
    const instances = await describeInstances(ec2, ['i-1', 'i-2', 'i-3']);
    assert.deepEqual(instances.map((i) => i.InstanceId), ['i-1', 'i-2', 'i-3']);
  });
});
