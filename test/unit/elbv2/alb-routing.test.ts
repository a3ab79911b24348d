/**
 * ALB rule matching (runtime/alb-routing.ts): wildcards as on AWS (`*`, `?`; paths case-sensitive,
 * hosts not), and in bounded time whatever the request — a path of thousands of slashes against a
 * pattern with several `*` used to take minutes (regular-expression backtracking) and froze the
 * sandbox's event loop.
 */
import * as assert from 'node:assert/strict';
import type { Action, Elbv2State, Listener, RuleCondition } from '../../../src/sandbox/elbv2/model';
import { compileListener, routeAction, wildcardMatch } from '../../../src/sandbox/runtime/alb-routing';

const fixed = (body: string): Action => ({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', MessageBody: body } });

function listenerWith(rules: { priority: number; conditions: RuleCondition[]; body: string }[]) {
  const listener: Listener = {
    ListenerArn: 'arn:listener/app/lb/1/2',
    LoadBalancerArn: 'arn:loadbalancer/app/lb/1',
    Port: 80,
    Protocol: 'HTTP',
    DefaultActions: [fixed('default')],
    defaultRuleArn: 'arn:listener-rule/default',
  };
  const s: Elbv2State = { loadBalancers: {}, targetGroups: {}, listeners: { [listener.ListenerArn]: listener }, rules: {}, tags: {}, version: 1 };
  for (const r of rules) {
    const arn = `arn:listener-rule/${r.priority}`;
    s.rules[arn] = { RuleArn: arn, ListenerArn: listener.ListenerArn, Priority: r.priority, Conditions: r.conditions, Actions: [fixed(r.body)] };
  }
  return compileListener(s, listener);
}

const answer = (c: ReturnType<typeof compileListener>, url: string, host = 'example.com', method = 'GET') =>
  routeAction(c, url, host, method).FixedResponseConfig?.MessageBody;

describe('ALB rule matching (alb-routing)', () => {
  it('matches * and ? like ALB path patterns, case-sensitively, without the query string', () => {
    const cases: [string, string, boolean][] = [
      ['/api/*', '/api/', true],
      ['/api/*', '/api/users/1', true],
      ['/api/*', '/API/users', false],
      ['/api/*', '/ap', false],
      ['/img/?.png', '/img/a.png', true],
      ['/img/?.png', '/img/ab.png', false],
      ['/img/?.png', '/img/.png', false],
      ['*', '', true],
      ['*', '/anything', true],
      ['/a*b*c', '/abc', true],
      ['/a*b*c', '/a-b-b-c', true],
      ['/a*b*c', '/a-b-b-cd', false],
      ['/a*b?c', '/axxbyc', true],
      ['/a*b?c', '/axxbc', false],
      ['/x.y+z(1)[2]$', '/x.y+z(1)[2]$', true], // regular-expression characters are literal
      ['/x.y', '/xzy', false],
      ['/**', '/', true],
      ['/api/*/*/*.json', '/api/a/b/c.json', true],
      ['/api/*/*/*.json', '/api/a/b/c.jsonx', false],
      ['/api/*/*/*.json', '/api/a/b.json', false],
    ];
    for (const [pattern, path, want] of cases) assert.equal(wildcardMatch(pattern, path), want, `${pattern} vs ${path}`);

    const c = listenerWith([
      { priority: 1, conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], body: 'api' },
      { priority: 2, conditions: [{ Field: 'host-header', Values: ['*.Example.COM'] }], body: 'host' },
    ]);
    assert.equal(answer(c, '/api/x?a=/b'), 'api');
    assert.equal(answer(c, '/API/x', 'other.net'), 'default');
    // Host patterns ignore case (and the port).
    assert.equal(answer(c, '/', 'WWW.example.com:8080'), 'host');
    assert.equal(answer(c, '/', 'example.com'), 'default');
  });

  it('answers hostile 10,000-character paths against several wildcards in bounded time', () => {
    const c = listenerWith([
      { priority: 1, conditions: [{ Field: 'path-pattern', Values: ['/api/*/*/*.json', '/a*a*a*a*a*b'] }], body: 'api' },
      { priority: 2, conditions: [{ Field: 'path-pattern', Values: ['/*/*/*/*/*/x?y'] }, { Field: 'host-header', Values: ['*.*.*.*.example.com'] }], body: 'deep' },
    ]);
    const hostile = [
      '/api/' + '/'.repeat(10_000),
      '/api/' + '/'.repeat(10_000) + '.jso',
      '/' + 'a'.repeat(10_000),
      '/' + '/x'.repeat(5_000),
      '/' + 'a/'.repeat(5_000) + 'xzz',
    ];
    const hosts = ['a.'.repeat(5_000) + 'example.org', 'example.com'];
    const start = process.hrtime.bigint();
    const got: (string | undefined)[] = [];
    for (const path of hostile) for (const host of hosts) got.push(answer(c, path, host));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.deepEqual(got, Array(hostile.length * hosts.length).fill('default'));
    // Generous bound: a correctness guard against catastrophic backtracking (which took minutes), not a speed target.
    assert.ok(ms < 200, `10 hostile requests took ${ms.toFixed(0)} ms`);
    // The same shapes still match when they should.
    assert.equal(answer(c, '/api/' + '/'.repeat(10_000) + '.json'), 'api');
    assert.equal(answer(c, '/' + 'a/'.repeat(5_000) + 'xzy', 'a.b.c.d.example.com'), 'deep');
  });
});
