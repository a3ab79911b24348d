/**
 * The sandbox's one input layer (src/sandbox/kit): the pagination every list operation uses, the
 * field checks worded per service, and the model-driven decoding every request goes through.
 */
import { strict as assert } from 'node:assert';
import type * as AppScaling from '@aws-sdk/client-application-auto-scaling';
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type * as EC2 from '@aws-sdk/client-ec2';
import type * as ECSApi from '@aws-sdk/client-ecs';
import type * as ElbV2 from '@aws-sdk/client-elastic-load-balancing-v2';
import { APPLICATION_AUTO_SCALING, CLOUDWATCH, defineService, ec2Dialect, ECS, ecsFields, ELBV2, paginate } from '../../../src/sandbox/kit';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { readTags } from '../../../src/sandbox/ecs/request';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AwsError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'ok';
};

describe('sandbox kit: pagination and field checks', () => {
  const items = Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const key = (s: string) => s;
  const size = (v: unknown) => ecsFields.int(v, 'maxResults', { min: 1, max: 100 }) ?? 10;

  it('walks all pages in order', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = paginate(items, { op: 'Op', size: 10, token, key }, ECS);
      seen.push(...p.page);
      token = p.next;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, items);
  });

  it('resumes after the last item returned even if earlier items vanish, or that item itself', () => {
    const p1 = paginate(items, { op: 'Op', size: 10, key }, ECS);
    const p2 = paginate(items.slice(3), { op: 'Op', size: 10, token: p1.next, key }, ECS);
    assert.equal(p2.page[0], 'item-10');
    const p3 = paginate(items.filter((i) => i !== 'item-09'), { op: 'Op', size: 10, token: p1.next, key }, ECS);
    assert.equal(p3.page[0], 'item-10');
  });

  it('range-checks the page size and refuses foreign or broken tokens', () => {
    assert.match(code(() => size(0)), /^InvalidParameterException: maxResults/);
    assert.match(code(() => size(101)), /^InvalidParameterException: maxResults/);
    assert.match(code(() => size('x')), /^InvalidParameterException: .*maxResults/);
    const p = paginate(items, { op: 'Op', size: 5, key }, ECS);
    assert.match(code(() => paginate(items, { op: 'Other', size: 10, token: p.next, key }, ECS)), /Invalid nextToken/);
    assert.match(code(() => paginate(items, { op: 'Op', size: 10, token: '%%%', key }, ECS)), /Invalid nextToken/);
    assert.equal(paginate(items, { op: 'Op', size: size(undefined) }, ECS).page.length, 10);
  });

  it('field checks name the member, in the service’s words', () => {
    assert.equal(code(() => ecsFields.int(1.5, 'desiredCount')), 'InvalidParameterException: Invalid type for parameter desiredCount: expected an integer, got number.');
    assert.equal(code(() => ecsFields.int(5, 'count', { min: 1, max: 3 })), 'InvalidParameterException: count must be between 1 and 3.');
    assert.match(code(() => readTags([{ key: 'a', value: 1 }])), /tags\[0\]\.value/);
    assert.match(code(() => readTags([{ key: 'a' }, { key: 'a' }])), /Duplicate tag key/);
    assert.match(code(() => readTags('x')), /tags/);
  });
});

describe('sandbox kit: decoding against the services’ API models', () => {
  const ctx = {} as never;
  const seen: unknown[] = [];
  const echo = (_c: unknown, input: unknown) => {
    seen.push(input);
    return {};
  };
  const run = (def: { operations: Record<string, (c: never, i: unknown) => unknown> }, op: string, input: unknown): Record<string, unknown> => {
    seen.length = 0;
    def.operations[op](ctx, input);
    return seen[0] as Record<string, unknown>;
  };

  it('query string leaves become the numbers, booleans and lists the model says; unknown members are left out', () => {
    const elb = defineService<typeof ElbV2>({ signingName: 'elasticloadbalancing', protocol: 'awsQuery', version: '2015-12-01', dialect: ELBV2 }, { CreateTargetGroup: echo, DescribeLoadBalancers: echo });
    assert.deepEqual(run(elb, 'CreateTargetGroup', { Name: 'tg', Port: '8080', HealthCheckEnabled: 'true', Matcher: { HttpCode: '200' }, Bogus: 'x' }), {
      Name: 'tg',
      Port: 8080,
      HealthCheckEnabled: true,
      Matcher: { HttpCode: '200' },
    });
    assert.deepEqual(run(elb, 'DescribeLoadBalancers', { Names: 'one', PageSize: '' }), { Names: ['one'] }, 'a lone value is a one-item list; empty is absent');
    assert.deepEqual(run(elb, 'DescribeLoadBalancers', { Names: '' }), { Names: [] }, '`Names=` is an empty list');
    assert.throws(() => run(elb, 'CreateTargetGroup', { Name: 'tg', Port: '80x' }), {
      code: 'ValidationError',
      message: "1 validation error detected: Value '80x' at 'port' failed to satisfy constraint: Member must be a number",
    });
  });

  it('ec2Query wire names (SecurityGroupId.N, TagSpecification.N.Tag.M, Filter.N.Value.M) become member names; a bad number is EC2’s InvalidParameterValue', () => {
    const ec2 = defineService<typeof EC2>({ signingName: 'ec2', protocol: 'ec2Query', version: '2016-11-15', dialect: ec2Dialect }, { RunInstances: echo, DescribeVpcs: echo });
    const got = run(ec2, 'RunInstances', {
      MinCount: '1',
      MaxCount: '2',
      SecurityGroupId: ['sg-1'],
      TagSpecification: [{ ResourceType: 'instance', Tag: [{ Key: 'k', Value: 'v' }] }],
      NetworkInterface: [{ DeviceIndex: '0', AssociatePublicIpAddress: 'false' }],
    });
    assert.deepEqual(got, {
      MinCount: 1,
      MaxCount: 2,
      SecurityGroupIds: ['sg-1'],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'k', Value: 'v' }] }],
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }],
    });
    assert.deepEqual(run(ec2, 'DescribeVpcs', { Filter: [{ Name: 'is-default', Value: ['true'] }] }), { Filters: [{ Name: 'is-default', Values: ['true'] }] });
    assert.throws(() => run(ec2, 'RunInstances', { MinCount: 'one' }), { code: 'InvalidParameterValue', message: "Invalid value 'one' for MinCount." });
  });

  it('JSON keeps its types strictly, null is absent, timestamps become Dates, nested required members are refused, map keys stay own keys', () => {
    const ecs = defineService<typeof ECSApi>({ signingName: 'ecs', protocol: 'awsJson1_1', targetPrefix: 'x', dialect: ECS }, { RunTask: echo, CreateService: echo });
    assert.deepEqual(run(ecs, 'RunTask', { taskDefinition: 'td', count: null, startedBy: undefined }), { taskDefinition: 'td' });
    assert.throws(() => run(ecs, 'RunTask', { taskDefinition: 'td', count: '2' }), { code: 'InvalidParameterException', message: 'Invalid type for parameter count: expected a number, got string.' });
    assert.throws(() => run(ecs, 'CreateService', { serviceName: 's', loadBalancers: [null] }), { message: 'Invalid type for parameter loadBalancers[0]: expected a structure, got null.' });
    assert.throws(() => run(ecs, 'RunTask', [1]), { code: 'ClientException', message: 'The request body must be a JSON object.' });
    const cw = defineService<typeof CloudWatch>(
      { signingName: 'monitoring', protocol: 'awsJson1_0', version: '2010-08-01', queryCompatible: true, dialect: CLOUDWATCH },
      { GetMetricStatistics: echo, PutMetricData: echo },
    );
    const stats = run(cw, 'GetMetricStatistics', { StartTime: 1767225600, EndTime: '2026-01-01T01:00:00Z' });
    assert.deepEqual(stats, { StartTime: new Date('2026-01-01T00:00:00Z'), EndTime: new Date('2026-01-01T01:00:00Z') });
    assert.throws(() => run(cw, 'PutMetricData', { Namespace: 'n', MetricData: [{ Value: 1 }] }), {
      code: 'ValidationError',
      message: "1 validation error detected: Value null at 'metricData.1.member.metricName' failed to satisfy constraint: Member must not be null",
    });
    const aas = defineService<typeof AppScaling>(
      { signingName: 'application-autoscaling', protocol: 'awsJson1_1', targetPrefix: 'x', dialect: APPLICATION_AUTO_SCALING },
      { RegisterScalableTarget: echo },
    );
    const tags = run(aas, 'RegisterScalableTarget', { Tags: JSON.parse('{"__proto__": "a", "constructor": "b", "k": "v"}') }).Tags as Record<string, string>;
    assert.deepEqual(Object.keys(tags).sort(), ['__proto__', 'constructor', 'k']);
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  });
});
