import assert from 'node:assert/strict';
import { elbv2State, elbv2Settings } from '../../../src/sandbox/elbv2/model';
import { awsErr, makeEnv, REGION } from './helpers';

describe('ELBv2 load balancers', () => {
  it('creates an ALB: DNS name, hosted zone, AZs, default security group, provisioning then active', () => {
    const env = makeEnv();
    const lb = env.call('CreateLoadBalancer', { Name: 'app-demo-lb', Subnets: env.subnets, Tags: [{ Key: 'app', Value: 'demo' }] }).LoadBalancers[0];
    assert.match(lb.LoadBalancerArn, new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/app/app-demo-lb/[0-9a-f]{16}$`));
    assert.match(lb.DNSName, new RegExp(`^app-demo-lb-\\d+\\.${REGION}\\.elb\\.localhost$`));
    assert.equal(lb.CanonicalHostedZoneId, 'Z14GRHDCWA56QT');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(lb.Type, 'application');
    assert.equal(lb.VpcId, env.vpcId);
    assert.deepEqual(lb.State, { Code: 'provisioning' });
    assert.deepEqual(lb.SecurityGroups, [env.defaultSg]);
    assert.deepEqual(lb.AvailabilityZones.map((z: any) => z.ZoneName).sort(), ['ap-northeast-1a', 'ap-northeast-1c']);
    assert.equal(lb.CreatedTime.$date, env.ctx.now);

    env.advance(elbv2Settings.provisioningMs - 1);
    assert.equal(env.call('DescribeLoadBalancers', { Names: ['app-demo-lb'] }).LoadBalancers[0].State.Code, 'provisioning');
    env.advance(1);
    assert.equal(env.call('DescribeLoadBalancers', { LoadBalancerArns: [lb.LoadBalancerArn] }).LoadBalancers[0].State.Code, 'active');
    assert.deepEqual(env.call('DescribeTags', { ResourceArns: [lb.LoadBalancerArn] }).TagDescriptions[0].Tags, [{ Key: 'app', Value: 'demo' }]);
  });

  it('refuses bad names, one AZ, unknown subnets and security groups — and changes nothing', () => {
    const env = makeEnv();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ Name: '-bad', Subnets: env.subnets }, 'ValidationError', /cannot begin or end with '-'/],
      [{ Name: 'bad-', Subnets: env.subnets }, 'ValidationError', /cannot begin or end with '-'/],
      [{ Name: 'a'.repeat(33), Subnets: env.subnets }, 'ValidationError', /cannot be longer than '32' characters/],
      [{ Name: 'has_underscore', Subnets: env.subnets }, 'ValidationError', /alphanumeric/],
      [{ Name: 'internal-lb', Subnets: env.subnets }, 'ValidationError', /cannot begin with 'internal-'/],
      [{ Name: 'one-az', Subnets: [env.subnets[0]] }, 'ValidationError', /^At least two subnets in two different Availability Zones must be specified$/],
      [{ Name: 'no-subnet' }, 'ValidationError', /At least two subnets/],
      [{ Name: 'same-az', Subnets: [env.subnets[0], env.subnets[0]] }, 'InvalidConfigurationRequest', /multiple subnets in the same Availability Zone/],
      [{ Name: 'x', Subnets: [env.subnets[0], 'subnet-0123456789abcdef0'] }, 'SubnetNotFound', /subnet-0123456789abcdef0/],
      [{ Name: 'x', Subnets: env.subnets, SecurityGroups: ['sg-0123456789abcdef0'] }, 'InvalidSecurityGroup', /sg-0123456789abcdef0/],
      [{ Name: 'x', Subnets: env.subnets, Scheme: 'public' }, 'ValidationError', /enum value set/],
    ];
    for (const [input, code, msg] of cases) {
      const e = awsErr(() => env.call('CreateLoadBalancer', input));
      assert.equal(e.code, code, JSON.stringify(input));
      assert.match(e.message, msg);
    }
    assert.deepEqual(elbv2State(env.rs).loadBalancers, {});
  });

  it('is idempotent for the same settings; DuplicateLoadBalancerName for different ones', () => {
    const env = makeEnv();
    const a = env.call('CreateLoadBalancer', { Name: 'app-demo-lb', Subnets: env.subnets }).LoadBalancers[0];
    const b = env.call('CreateLoadBalancer', { Name: 'app-demo-lb', Subnets: [...env.subnets].reverse() }).LoadBalancers[0];
    assert.equal(a.LoadBalancerArn, b.LoadBalancerArn);
    const e = awsErr(() => env.call('CreateLoadBalancer', { Name: 'app-demo-lb', Subnets: env.subnets, Scheme: 'internal' }));
    assert.equal(e.code, 'DuplicateLoadBalancerName');
    assert.equal(e.message, "A load balancer with the same name 'app-demo-lb' exists, but with different settings");
  });

  it('a Marker resumes after the last load balancer returned (one deleted meanwhile skips nothing); a Marker of another list is refused', () => {
    const env = makeEnv();
    for (const n of ['lb-1', 'lb-2', 'lb-3']) env.call('CreateLoadBalancer', { Name: n, Subnets: env.subnets });
    const p1 = env.call('DescribeLoadBalancers', { PageSize: 1 });
    assert.deepEqual(p1.LoadBalancers.map((l: any) => l.LoadBalancerName), ['lb-1']);
    env.call('DeleteLoadBalancer', { LoadBalancerArn: p1.LoadBalancers[0].LoadBalancerArn });
    const p2 = env.call('DescribeLoadBalancers', { PageSize: 1, Marker: p1.NextMarker });
    assert.deepEqual(p2.LoadBalancers.map((l: any) => l.LoadBalancerName), ['lb-2']);
    env.call('CreateLoadBalancer', { Name: 'lb-0', Subnets: env.subnets });
    const p3 = env.call('DescribeLoadBalancers', { PageSize: 5, Marker: p2.NextMarker });
    assert.deepEqual(p3.LoadBalancers.map((l: any) => l.LoadBalancerName), ['lb-3', 'lb-0']);
    assert.deepEqual(awsErr(() => env.call('DescribeTargetGroups', { Marker: p2.NextMarker })), { code: 'ValidationError', message: 'Invalid marker' });
  });

  it('Modify…Attributes refuses attribute keys that are Object.prototype members', () => {
    const env = makeEnv();
    const lb = env.call('CreateLoadBalancer', { Name: 'lb', Subnets: env.subnets }).LoadBalancers[0];
    for (const Key of ['constructor', 'toString', '__proto__']) {
      assert.deepEqual(awsErr(() => env.call('ModifyLoadBalancerAttributes', { LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key, Value: 'x' }] })), {
        code: 'InvalidConfigurationRequest',
        message: `Load balancer attribute key '${Key}' is not recognized`,
      });
    }
    const keys = env.call('DescribeLoadBalancerAttributes', { LoadBalancerArn: lb.LoadBalancerArn }).Attributes.map((a: any) => a.Key);
    assert.ok(!keys.includes('constructor') && !keys.includes('toString'), keys.join());
  });

  it('describes with LoadBalancerNotFound, pages with PageSize/Marker, deletes idempotently with its listeners', () => {
    const env = makeEnv();
    for (const n of ['lb-1', 'lb-2', 'lb-3']) env.call('CreateLoadBalancer', { Name: n, Subnets: env.subnets });
    assert.equal(awsErr(() => env.call('DescribeLoadBalancers', { Names: ['nope'] })).code, 'LoadBalancerNotFound');
    const bogus = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/nope/0123456789abcdef';
    assert.deepEqual(awsErr(() => env.call('DescribeLoadBalancers', { LoadBalancerArns: [bogus] })), {
      code: 'LoadBalancerNotFound',
      message: 'One or more load balancers not found',
    });
    const p1 = env.call('DescribeLoadBalancers', { PageSize: 2 });
    assert.deepEqual(p1.LoadBalancers.map((l: any) => l.LoadBalancerName), ['lb-1', 'lb-2']);
    assert.ok(p1.NextMarker);
    const p2 = env.call('DescribeLoadBalancers', { PageSize: 2, Marker: p1.NextMarker });
    assert.deepEqual(p2.LoadBalancers.map((l: any) => l.LoadBalancerName), ['lb-3']);
    assert.equal(p2.NextMarker, undefined);
    assert.equal(awsErr(() => env.call('DescribeLoadBalancers', { PageSize: 401 })).code, 'ValidationError');

    const lbArn = p1.LoadBalancers[0].LoadBalancerArn;
    const tg = env.call('CreateTargetGroup', { Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }).TargetGroups[0];
    env.call('CreateListener', { LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] });
    assert.deepEqual(env.call('DescribeTargetGroups', { Names: ['tg'] }).TargetGroups[0].LoadBalancerArns, [lbArn]);
    env.call('DeleteLoadBalancer', { LoadBalancerArn: lbArn });
    env.call('DeleteLoadBalancer', { LoadBalancerArn: lbArn });
    assert.deepEqual(elbv2State(env.rs).listeners, {});
    assert.deepEqual(env.call('DescribeTargetGroups', { Names: ['tg'] }).TargetGroups[0].LoadBalancerArns, []);
    assert.equal(env.call('DescribeLoadBalancers').LoadBalancers.length, 2);
  });

  it('SetSecurityGroups and load balancer attributes (idle timeout range)', () => {
    const env = makeEnv();
    const lb = env.call('CreateLoadBalancer', { Name: 'lb', Subnets: env.subnets }).LoadBalancers[0];
    assert.equal(awsErr(() => env.call('SetSecurityGroups', { LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: ['sg-nope'] })).code, 'InvalidSecurityGroup');
    assert.deepEqual(env.call('SetSecurityGroups', { LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: [env.defaultSg] }).SecurityGroupIds, [env.defaultSg]);
    const attrs = env.call('DescribeLoadBalancerAttributes', { LoadBalancerArn: lb.LoadBalancerArn }).Attributes;
    assert.deepEqual(attrs.find((a: any) => a.Key === 'idle_timeout.timeout_seconds'), { Key: 'idle_timeout.timeout_seconds', Value: '60' });
    assert.equal(
      awsErr(() => env.call('ModifyLoadBalancerAttributes', { LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '0' }] })).code,
      'InvalidConfigurationRequest',
    );
    const after = env.call('ModifyLoadBalancerAttributes', { LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '5' }] }).Attributes;
    assert.equal(after.find((a: any) => a.Key === 'idle_timeout.timeout_seconds').Value, '5');
  });
});
