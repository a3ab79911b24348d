import assert from 'node:assert/strict';
import { ECSClient } from '@aws-sdk/client-ecs';
import { describeClusters, describeContainerInstances, describeServiceRefs, describeServices, describeTaskDefinitions, describeTasks } from '../../../src/aws/describe';
import { fakeClient } from './fake-client';

const serviceArn = (i: number) => `arn:aws:ecs:us-east-1:123456789012:service/demo/svc-${i}`;
const taskArn = (i: number) => `arn:aws:ecs:us-east-1:123456789012:task/demo/${String(i).padStart(32, '0')}`;

describe('aws/describe batching', () => {
  it('describes 25 services in 3 DescribeServices calls of 10/10/5, in order', async () => {
    const ecs = fakeClient(ECSClient, (name, input) => {
      assert.equal(name, 'DescribeServices');
      return { services: input.services.map((arn: string) => ({ serviceArn: arn, serviceName: arn.split('/').pop() })), failures: [] };
    });
    const arns = Array.from({ length: 25 }, (_, i) => serviceArn(i));
    const result = await describeServices(ecs, 'demo', arns);
    assert.deepEqual(ecs.calls.map((c) => (c.input.services as string[]).length), [10, 10, 5]);
    assert.ok(ecs.calls.every((c) => c.input.cluster === 'demo'));
    assert.deepEqual(result.items.map((s) => s.serviceArn), arns);
  });

  it('describes 250 tasks in 3 DescribeTasks calls of 100/100/50', async () => {
    const ecs = fakeClient(ECSClient, (_name, input) => ({ tasks: input.tasks.map((arn: string) => ({ taskArn: arn })) }));
    const arns = Array.from({ length: 250 }, (_, i) => taskArn(i));
    const result = await describeTasks(ecs, 'demo', arns);
    assert.deepEqual(ecs.calls.map((c) => c.name), ['DescribeTasks', 'DescribeTasks', 'DescribeTasks']);
    assert.deepEqual(ecs.calls.map((c) => (c.input.tasks as string[]).length), [100, 100, 50]);
    assert.equal(result.items.length, 250);
  });

  it('merges failures of all batches and de-duplicates identifiers', async () => {
    const ecs = fakeClient(ECSClient, (_name, input) => ({
      services: input.services.filter((a: string) => !a.endsWith('-3') && !a.endsWith('-17')).map((arn: string) => ({ serviceArn: arn })),
      failures: input.services.filter((a: string) => a.endsWith('-3') || a.endsWith('-17')).map((arn: string) => ({ arn, reason: 'MISSING' })),
    }));
    const arns = Array.from({ length: 20 }, (_, i) => serviceArn(i));
    const result = await describeServices(ecs, 'demo', [...arns, serviceArn(0)]);
    assert.equal(ecs.calls.length, 2);
    assert.equal(result.items.length, 18);
    assert.deepEqual(result.failures.map((f) => f.arn), [serviceArn(3), serviceArn(17)]);
  });

  it('never has more calls in flight than the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const ecs = fakeClient(ECSClient, async (_name, input) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { containerInstances: input.containerInstances.map((arn: string) => ({ containerInstanceArn: arn })) };
    });
    const arns = Array.from({ length: 1000 }, (_, i) => `ci-${i}`);
    const result = await describeContainerInstances(ecs, 'demo', arns, { concurrency: 3 });
    assert.equal(ecs.calls.length, 10);
    assert.equal(peak, 3);
    assert.equal(result.items.length, 1000);
  });

  it('describes clusters ≤ 100 per call with settings and statistics', async () => {
    const ecs = fakeClient(ECSClient, (_n, input) => ({ clusters: input.clusters.map((c: string) => ({ clusterName: c })) }));
    await describeClusters(ecs, Array.from({ length: 101 }, (_, i) => `c${i}`));
    assert.deepEqual(ecs.calls.map((c) => (c.input.clusters as string[]).length), [100, 1]);
    assert.deepEqual(ecs.calls[0].input.include, ['SETTINGS', 'STATISTICS']);
  });

  it('makes no call for an empty list', async () => {
    const ecs = fakeClient(ECSClient, () => assert.fail('no call expected'));
    const result = await describeTasks(ecs, 'demo', []);
    assert.deepEqual(result, { items: [], failures: [] });
    assert.equal(ecs.calls.length, 0);
  });

  it('propagates a throttling error from any batch', async () => {
    const ecs = fakeClient(ECSClient, (_n, _i, index) => {
      if (index === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { services: [] };
    });
    await assert.rejects(describeServices(ecs, 'demo', Array.from({ length: 30 }, (_, i) => serviceArn(i)), { concurrency: 1 }), /Rate exceeded/);
    assert.equal(ecs.calls.length, 2, 'stops issuing batches after a failure');
  });

  it('reports unknown task definitions as failures', async () => {
    const ecs = fakeClient(ECSClient, (_n, input) => {
      if (input.taskDefinition === 'gone:1') throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
      return { taskDefinition: { taskDefinitionArn: input.taskDefinition } };
    });
    const result = await describeTaskDefinitions(ecs, ['app:1', 'gone:1', 'app:2']);
    assert.deepEqual(result.items.map((t) => t.taskDefinitionArn), ['app:1', 'app:2']);
    assert.deepEqual(result.failures, [{ arn: 'gone:1', reason: 'MISSING', detail: 'Unable to describe task definition.' }]);
  });

  it('describes tracked services across clusters with one batch per cluster', async () => {
    const ecs = fakeClient(ECSClient, (_n, input) => ({
      services: input.services.filter((s: string) => s !== 'gone').map((s: string) => ({ serviceName: s, serviceArn: `arn:aws:ecs:us-east-1:1:service/${input.cluster}/${s}` })),
      failures: input.services.filter((s: string) => s === 'gone').map((s: string) => ({ arn: s, reason: 'MISSING' })),
    }));
    const { services, failures } = await describeServiceRefs(ecs, [
      { cluster: 'a', service: 'web' }, { cluster: 'b', service: 'api' }, { cluster: 'a', service: 'worker' }, { cluster: 'b', service: 'gone' },
    ]);
    assert.deepEqual(ecs.calls.map((c) => [c.input.cluster, c.input.services]), [['a', ['web', 'worker']], ['b', ['api', 'gone']]]);
    assert.deepEqual([...services.keys()].sort(), ['api', 'web', 'worker']);
    assert.equal(services.get('api')?.serviceArn, 'arn:aws:ecs:us-east-1:1:service/b/api');
    assert.deepEqual(failures, [{ arn: 'gone', reason: 'MISSING' }]);
  });
});
