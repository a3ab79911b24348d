import assert from 'node:assert/strict';
import { parseMatcher } from '../../../src/sandbox/elbv2/target-groups';
import { awsErr, handsOnAlb, makeEnv } from './helpers';

describe('ELBv2 target groups', () => {
  it('creates with AWS defaults for health checks and attributes', () => {
    const env = makeEnv();
    const tg = env.call('CreateTargetGroup', { Name: 'demo-tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }).TargetGroups[0];
    assert.match(tg.TargetGroupArn, /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup\/demo-tg\/[0-9a-f]{16}$/);
    assert.equal(tg.TargetType, 'instance');
    assert.equal(tg.HealthCheckProtocol, 'HTTP');
    assert.equal(tg.HealthCheckPort, 'traffic-port');
    assert.equal(tg.HealthCheckEnabled, true);
    assert.equal(tg.HealthCheckIntervalSeconds, 30);
    assert.equal(tg.HealthCheckTimeoutSeconds, 5);
    assert.equal(tg.HealthyThresholdCount, 5);
    assert.equal(tg.UnhealthyThresholdCount, 2);
    assert.equal(tg.HealthCheckPath, '/');
    assert.deepEqual(tg.Matcher, { HttpCode: '200' });
    assert.deepEqual(tg.LoadBalancerArns, []);
    const attrs = env.call('DescribeTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn }).Attributes;
    assert.deepEqual(attrs.find((a: any) => a.Key === 'deregistration_delay.timeout_seconds'), { Key: 'deregistration_delay.timeout_seconds', Value: '300' });
    assert.deepEqual(attrs.find((a: any) => a.Key === 'stickiness.enabled'), { Key: 'stickiness.enabled', Value: 'false' });
  });

  it('validates health check ranges, matcher, VPC, port and name before creating anything', () => {
    const env = makeEnv();
    const base = { Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, HealthCheckIntervalSeconds: 4 }, 'ValidationError', /greater than or equal to 5/],
      [{ ...base, HealthCheckIntervalSeconds: 301 }, 'ValidationError', /less than or equal to 300/],
      [{ ...base, HealthCheckTimeoutSeconds: 1 }, 'ValidationError', /greater than or equal to 2/],
      [{ ...base, HealthCheckTimeoutSeconds: 30 }, 'ValidationError', /^Health check interval must be greater than the timeout\.$/],
      [{ ...base, HealthyThresholdCount: 11 }, 'ValidationError', /less than or equal to 10/],
      [{ ...base, UnhealthyThresholdCount: 1 }, 'ValidationError', /greater than or equal to 2/],
      [{ ...base, Matcher: { HttpCode: '600' } }, 'ValidationError', /HTTP code '600'/],
      [{ ...base, Matcher: { HttpCode: '299-200' } }, 'ValidationError', /HTTP code/],
      [{ ...base, HealthCheckPath: 'app' }, 'ValidationError', /must begin with a '\/'/],
      [{ ...base, HealthCheckPort: '70000' }, 'ValidationError', /traffic-port/],
      [{ ...base, VpcId: undefined }, 'ValidationError', /VPC ID must be specified/],
      [{ ...base, VpcId: 'vpc-0123456789abcdef0' }, 'ValidationError', /not found/],
      [{ ...base, Port: 0 }, 'ValidationError', /greater than or equal to 1/],
      [{ ...base, Port: undefined }, 'ValidationError', /port must be specified/],
      [{ ...base, Name: 'bad_name' }, 'ValidationError', /Target group name 'bad_name'/],
      [{ ...base, TargetType: 'container' }, 'ValidationError', /enum value set/],
    ];
    for (const [input, code, msg] of cases) {
      const e = awsErr(() => env.call('CreateTargetGroup', input));
      assert.equal(e.code, code, JSON.stringify(input));
      assert.match(e.message, msg, JSON.stringify(input));
    }
    assert.equal(env.call('DescribeTargetGroups').TargetGroups.length, 0);
    const ok = env.call('CreateTargetGroup', { ...base, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, Matcher: { HttpCode: '200-299' } });
    assert.equal(ok.TargetGroups[0].HealthCheckIntervalSeconds, 5);
  });

  it('matchers: single, list and range', () => {
    const m = parseMatcher('200,302,400-404');
    assert.deepEqual([200, 201, 302, 399, 400, 404, 405].map(m), [true, false, true, false, true, true, false]);
  });

  it('DuplicateTargetGroupName for different settings, the same group for the same ones', () => {
    const env = makeEnv();
    const base = { Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId };
    const a = env.call('CreateTargetGroup', base).TargetGroups[0];
    assert.equal(env.call('CreateTargetGroup', base).TargetGroups[0].TargetGroupArn, a.TargetGroupArn);
    const e = awsErr(() => env.call('CreateTargetGroup', { ...base, Port: 8080 }));
    assert.deepEqual(e, { code: 'DuplicateTargetGroupName', message: "A target group with the same name 'tg' exists, but with different settings" });
  });

  it('ModifyTargetGroup changes health checks; DeleteTargetGroup is refused while a listener uses it', () => {
    const env = makeEnv();
    const { tgArn, listenerArn } = handsOnAlb(env);
    const tg = env.call('ModifyTargetGroup', { TargetGroupArn: tgArn, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, HealthCheckPath: '/app/' }).TargetGroups[0];
    assert.equal(tg.HealthCheckIntervalSeconds, 10);
    assert.equal(tg.HealthyThresholdCount, 2);
    assert.equal(tg.HealthCheckPath, '/app/');
    assert.equal(tg.UnhealthyThresholdCount, 2);
    assert.equal(awsErr(() => env.call('ModifyTargetGroup', { TargetGroupArn: tgArn, HealthCheckTimeoutSeconds: 10 })).message, 'Health check interval must be greater than the timeout.');
    const e = awsErr(() => env.call('DeleteTargetGroup', { TargetGroupArn: tgArn }));
    assert.equal(e.code, 'ResourceInUse');
    assert.equal(e.message, `Target group '${tgArn}' is currently in use by a listener or a rule`);
    env.call('DeleteListener', { ListenerArn: listenerArn });
    env.call('DeleteTargetGroup', { TargetGroupArn: tgArn });
    assert.equal(awsErr(() => env.call('DescribeTargetGroups', { TargetGroupArns: [tgArn] })).code, 'TargetGroupNotFound');
  });

  it('DescribeTargetGroups by load balancer; attributes are range-checked', () => {
    const env = makeEnv();
    const { lbArn, tgArn } = handsOnAlb(env);
    env.call('CreateTargetGroup', { Name: 'other', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId });
    assert.deepEqual(env.call('DescribeTargetGroups', { LoadBalancerArn: lbArn }).TargetGroups.map((t: any) => t.TargetGroupArn), [tgArn]);
    const set = (Key: string, Value: string) => env.call('ModifyTargetGroupAttributes', { TargetGroupArn: tgArn, Attributes: [{ Key, Value }] });
    assert.equal(awsErr(() => set('deregistration_delay.timeout_seconds', '3601')).code, 'InvalidConfigurationRequest');
    assert.equal(awsErr(() => set('no.such.key', '1')).code, 'InvalidConfigurationRequest');
    const attrs = set('deregistration_delay.timeout_seconds', '30').Attributes;
    assert.equal(attrs.find((a: any) => a.Key === 'deregistration_delay.timeout_seconds').Value, '30');
    set('stickiness.enabled', 'true');
  });
});
