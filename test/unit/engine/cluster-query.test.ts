/** The cluster query language: the subjects, operators and compound forms the ECS Developer Guide describes. */
import assert from 'node:assert/strict';
import { parseQuery, QueryError, type QueryEnv } from '../../../src/sandbox/engine/cluster-query';
import type { ContainerInstance } from '../../../src/sandbox/engine/state';

const ci = (over: Partial<ContainerInstance> = {}): ContainerInstance => ({
  containerInstanceArn: 'arn:aws:ecs:ap-northeast-1:123456789012:container-instance/c/0123',
  ec2InstanceId: 'i-0abc',
  clusterName: 'c',
  status: 'ACTIVE',
  agentConnected: true,
  registeredCpu: 2048,
  registeredMemory: 3891,
  availabilityZone: 'ap-northeast-1a',
  instanceType: 't3.medium',
  registeredAt: Date.UTC(2026, 0, 5, 12),
  version: 1,
  attributes: [
    { name: 'ecs.instance-type', value: 't3.medium' },
    { name: 'ecs.availability-zone', value: 'ap-northeast-1a' },
    { name: 'stack', value: 'prod' },
    { name: 'cores', value: '8' },
    { name: 'label', value: 'blue green' },
  ],
  ...over,
});

const env = (groups: Record<string, number> = {}, running = 0): QueryEnv => ({
  groups: () => new Map(Object.entries(groups)),
  runningTasks: () => running,
  agentVersion: () => '1.89.3',
});

const holds = (expr: string, instance = ci(), e = env()) => parseQuery(expr)(instance, e);

describe('engine: the cluster query language', () => {
  it('compares attributes with symbol and word operators, numbers as numbers', () => {
    assert.equal(holds('attribute:ecs.instance-type == t3.medium'), true);
    assert.equal(holds('attribute:ecs.instance-type equals t3.small'), false);
    assert.equal(holds('attribute:stack not_equals test'), true);
    assert.equal(holds('attribute:cores > 10'), false, '8 > 10 compares as numbers, not as text');
    assert.equal(holds('attribute:cores greater_than_equal 8'), true);
    assert.equal(holds('attribute:label == "blue green"'), true, 'quoted values keep their spaces');
    assert.equal(holds("attribute:stack in ['prod', 'test']"), true);
    assert.equal(holds('attribute:stack not_in [prod]'), false);
    assert.equal(holds('attribute:ecs.instance-type matches t3\\..*'), true);
    assert.equal(holds('attribute:ecs.instance-type =~ t3'), false, 'the pattern matches the whole value');
    assert.equal(holds('attribute:missing != x'), true, 'an instance without the attribute matches only the negative operators');
    assert.equal(holds('attribute:missing == x'), false);
    assert.equal(holds('attribute:ecs.os-type == linux'), true, 'the agent attributes every instance has');
  });

  it('combines with and/or/not and parentheses: not binds tightest, then and, then or', () => {
    assert.equal(holds('attribute:stack == test or attribute:stack == prod and attribute:cores == 8'), true);
    assert.equal(holds('(attribute:stack == test or attribute:stack == prod) && attribute:cores == 4'), false);
    assert.equal(holds('not attribute:stack == test and attribute:cores == 8'), true);
    assert.equal(holds('!(attribute:stack == prod || attribute:cores == 4)'), false);
    assert.equal(holds('not(task:group == database)', ci(), env({ 'service:web': 1 })), true);
  });

  it('reads task groups, running tasks, the agent, the registration time and the instance id', () => {
    const e = env({ 'service:web': 2, 'family:batch': 1 }, 3);
    assert.equal(holds('task:group == service:web', ci(), e), true);
    assert.equal(holds('task:group =~ family:.*', ci(), e), true);
    assert.equal(holds('task:group != service:web', ci(), e), false);
    assert.equal(holds('task:group in [service:api, service:db]', ci(), e), false);
    assert.equal(holds('task:group exists', ci(), env()), false);
    assert.equal(holds('runningTasksCount >= 3', ci(), e), true);
    assert.equal(holds('agentVersion < 1.100.0'), true, 'versions compare part by part');
    assert.equal(holds('agentConnected == false', ci({ agentConnected: false })), true);
    assert.equal(holds('registeredAt > 2026-01-05'), true);
    assert.equal(holds('registeredAt == 2026-01-05T12:00:00Z'), true);
    assert.equal(holds('registeredAt < 2026-01-05T13:00:00+02:00'), false);
    assert.equal(holds('ec2InstanceId =~ i-0a.*'), true);
  });

  it('refuses malformed expressions, saying what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /subject/],
      ['attribute:stack', /operator/],
      ['colour == red', /unknown subject 'colour'/],
      ['runningTasksCount exists', /cannot be used with 'runningTasksCount'/],
      ['ec2InstanceId > i-1', /cannot be used/],
      ['attribute:stack in prod', /expects a list/],
      ['attribute:stack in [a b]', /list/],
      ['(attribute:stack == prod', /missing '\)'/],
      ['attribute:stack == prod)', /unexpected/],
      ['attribute:stack == "prod', /unterminated/],
      ['registeredAt > yesterday', /invalid date/],
      ['runningTasksCount > many', /whole number/],
      ['attribute:stack =~ (a+)+b', /repeats a group/],
      ['attribute:stack =~ (a|aa)*', /repeats a group/],
      ['attribute:stack =~ [', /invalid regular expression/],
      [`attribute:stack == ${'x'.repeat(2001)}`, /longer than 2000/],
    ];
    for (const [expr, why] of cases) assert.throws(() => parseQuery(expr), (e: Error) => e instanceof QueryError && why.test(e.message), expr);
  });
});
