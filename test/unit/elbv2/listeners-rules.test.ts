import assert from 'node:assert/strict';
import { awsErr, handsOnAlb, makeEnv } from './helpers';

describe('ELBv2 listeners and rules', () => {
  it('creates an HTTP listener forwarding to a target group; DuplicateListener on the same port', () => {
    const env = makeEnv();
    const { lbArn, tgArn, listener } = handsOnAlb(env);
    assert.match(listener.ListenerArn, /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener\/app\/app-demo-lb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    assert.equal(listener.Port, 80);
    assert.equal(listener.DefaultActions[0].Type, 'forward');
    assert.equal(listener.DefaultActions[0].TargetGroupArn, tgArn);
    const tg2 = env.call('CreateTargetGroup', { Name: 'tg2', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }).TargetGroups[0];
    const e = awsErr(() =>
      env.call('CreateListener', { LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg2.TargetGroupArn }] }),
    );
    assert.deepEqual(e, { code: 'DuplicateListener', message: `A listener already exists on this port for this load balancer '${lbArn}'` });
    assert.equal(env.call('DescribeListeners', { LoadBalancerArn: lbArn }).Listeners.length, 1);
  });

  it('validates port, protocol, actions and target groups', () => {
    const env = makeEnv();
    const { lbArn, tgArn } = handsOnAlb(env);
    const fwd = [{ Type: 'forward', TargetGroupArn: tgArn }];
    const bogusTg = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/nope/0123456789abcdef';
    const cases: [Record<string, unknown>, string][] = [
      [{ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 0, DefaultActions: fwd }, 'ValidationError'],
      [{ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 65536, DefaultActions: fwd }, 'ValidationError'],
      [{ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 81, DefaultActions: fwd }, 'UnsupportedProtocol'],
      [{ LoadBalancerArn: lbArn, Protocol: 'HTTPS', Port: 443, DefaultActions: fwd }, 'ValidationError'],
      [{ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 81 }, 'ValidationError'],
      [{ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 81, DefaultActions: [{ Type: 'forward' }] }, 'InvalidLoadBalancerAction'],
      [{ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 81, DefaultActions: [{ Type: 'forward', TargetGroupArn: bogusTg }] }, 'TargetGroupNotFound'],
      [{ LoadBalancerArn: lbArn.replace(/[0-9a-f]{16}$/, '0123456789abcdef'), Protocol: 'HTTP', Port: 81, DefaultActions: fwd }, 'LoadBalancerNotFound'],
    ];
    for (const [input, code] of cases) assert.equal(awsErr(() => env.call('CreateListener', input)).code, code, JSON.stringify(input));
    assert.equal(env.call('DescribeListeners', { LoadBalancerArn: lbArn }).Listeners.length, 1);
  });

  it('a target group serves one load balancer only (TargetGroupAssociationLimit)', () => {
    const env = makeEnv();
    const { tgArn } = handsOnAlb(env);
    const lb2 = env.call('CreateLoadBalancer', { Name: 'lb2', Subnets: env.subnets }).LoadBalancers[0];
    const e = awsErr(() =>
      env.call('CreateListener', { LoadBalancerArn: lb2.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }),
    );
    assert.equal(e.code, 'TargetGroupAssociationLimit');
    assert.equal(e.message, `The following target groups cannot be associated with more than one load balancer: ${tgArn}`);
  });

  it('ModifyListener switches the default action; DeleteListener; ListenerNotFound', () => {
    const env = makeEnv();
    const { listenerArn } = handsOnAlb(env);
    const tg2 = env.call('CreateTargetGroup', { Name: 'tg2', Protocol: 'HTTP', Port: 8080, VpcId: env.vpcId, TargetType: 'ip' }).TargetGroups[0];
    const l = env.call('ModifyListener', { ListenerArn: listenerArn, Port: 8080, DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg2.TargetGroupArn }] } }] }).Listeners[0];
    assert.equal(l.Port, 8080);
    assert.equal(l.DefaultActions[0].ForwardConfig.TargetGroups[0].TargetGroupArn, tg2.TargetGroupArn);
    env.call('DeleteListener', { ListenerArn: listenerArn });
    assert.deepEqual(awsErr(() => env.call('DeleteListener', { ListenerArn: listenerArn })), { code: 'ListenerNotFound', message: 'One or more listeners not found' });
  });

  it('rules: path-pattern conditions by priority, the default rule, PriorityInUse, no deleting the default', () => {
    const env = makeEnv();
    const { listenerArn, tgArn } = handsOnAlb(env);
    const fwd = [{ Type: 'forward', TargetGroupArn: tgArn }];
    const r = env.call('CreateRule', { ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/app/*'] }], Actions: fwd }).Rules[0];
    assert.equal(r.Priority, '10');
    assert.equal(r.IsDefault, false);
    assert.deepEqual(r.Conditions[0].PathPatternConfig, { Values: ['/app/*'] });
    env.call('CreateRule', {
      ListenerArn: listenerArn,
      Priority: 5,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health'] } }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } }],
    });
    assert.deepEqual(
      awsErr(() => env.call('CreateRule', { ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: fwd })),
      { code: 'PriorityInUse', message: "Priority '10' is currently in use" },
    );
    assert.equal(awsErr(() => env.call('CreateRule', { ListenerArn: listenerArn, Priority: 0, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: fwd })).code, 'ValidationError');
    const rules = env.call('DescribeRules', { ListenerArn: listenerArn }).Rules;
    assert.deepEqual(rules.map((x: any) => x.Priority), ['5', '10', 'default']);
    const def = rules[2];
    assert.equal(def.IsDefault, true);
    assert.equal(awsErr(() => env.call('DeleteRule', { RuleArn: def.RuleArn })).code, 'OperationNotPermitted');
    env.call('SetRulePriorities', { RulePriorities: [{ RuleArn: r.RuleArn, Priority: 1 }] });
    assert.deepEqual(env.call('DescribeRules', { ListenerArn: listenerArn }).Rules.map((x: any) => x.Priority), ['1', '5', 'default']);
    env.call('DeleteRule', { RuleArn: r.RuleArn });
    assert.equal(awsErr(() => env.call('DeleteRule', { RuleArn: r.RuleArn })).code, 'RuleNotFound');
    assert.equal(env.call('DescribeRules', { RuleArns: [def.RuleArn] }).Rules[0].IsDefault, true);
  });

  it('tags on every kind of resource; unknown resources are refused', () => {
    const env = makeEnv();
    const { lbArn, tgArn, listenerArn } = handsOnAlb(env);
    env.call('AddTags', { ResourceArns: [lbArn, tgArn, listenerArn], Tags: [{ Key: 'k', Value: 'v' }, { Key: 'x', Value: '1' }] });
    env.call('RemoveTags', { ResourceArns: [tgArn], TagKeys: ['x'] });
    const d = env.call('DescribeTags', { ResourceArns: [lbArn, tgArn] }).TagDescriptions;
    assert.deepEqual(d[0].Tags, [{ Key: 'k', Value: 'v' }, { Key: 'x', Value: '1' }]);
    assert.deepEqual(d[1].Tags, [{ Key: 'k', Value: 'v' }]);
    assert.equal(awsErr(() => env.call('AddTags', { ResourceArns: [lbArn], Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })).code, 'DuplicateTagKeys');
    assert.equal(awsErr(() => env.call('DescribeTags', { ResourceArns: [tgArn.replace(/[0-9a-f]{16}$/, '0123456789abcdef')] })).code, 'TargetGroupNotFound');
  });
});
