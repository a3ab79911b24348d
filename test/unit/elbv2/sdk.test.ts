/**
 * The real @aws-sdk/client-elastic-load-balancing-v2 serialises the requests, the handlers answer
 * through the sandbox's query decoder and XML encoder, and the SDK parses the answers.
 */
import assert from 'node:assert/strict';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  LoadBalancerNotFoundException,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
  paginateDescribeLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeEnv, sdkClient } from './helpers';

describe('ELBv2 through the real SDK client', () => {
  it('runs the hands-on ALB steps and parses every answer', async () => {
    const env = makeEnv();
    const elb = sdkClient(env);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Subnets: env.subnets, Type: 'application', Tags: [{ Key: 'a', Value: 'b' }] }))).LoadBalancers![0];
    assert.ok(lb.CreatedTime instanceof Date);
    assert.equal(lb.CreatedTime.getTime(), env.ctx.now);
    assert.equal(lb.State!.Code, 'provisioning');
    assert.equal(lb.AvailabilityZones!.length, 2);
    assert.deepEqual(lb.SecurityGroups, [env.defaultSg]);

    const tg = (
      await elb.send(new CreateTargetGroupCommand({ Name: 'demo-tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId, HealthCheckIntervalSeconds: 10, Matcher: { HttpCode: '200-299' } }))
    ).TargetGroups![0];
    assert.equal(tg.Port, 80);
    assert.equal(tg.HealthCheckIntervalSeconds, 10);
    assert.equal(tg.HealthCheckEnabled, true);
    assert.deepEqual(tg.Matcher, { HttpCode: '200-299' });
    assert.deepEqual(tg.LoadBalancerArns, []);

    const listener = (
      await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }))
    ).Listeners![0];
    assert.equal(listener.Port, 80);
    assert.equal(listener.DefaultActions![0].TargetGroupArn, tg.TargetGroupArn);
    assert.equal(listener.DefaultActions![0].ForwardConfig!.TargetGroups![0].Weight, 1);

    await elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/app/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
    assert.deepEqual(rules.map((r) => [r.Priority, r.IsDefault]), [['10', false], ['default', true]]);
    assert.deepEqual(rules[1].Conditions, []);

    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: env.instances.map((Id) => ({ Id })) }));
    const th = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions!;
    assert.deepEqual(th.map((d) => [d.Target!.Id, d.Target!.Port, d.HealthCheckPort, d.TargetHealth!.State, d.TargetHealth!.Reason]), env.instances.map((id) => [id, 80, '80', 'initial', 'Elb.RegistrationInProgress']));

    const tgs = (await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups!;
    assert.deepEqual(tgs[0].LoadBalancerArns, [lb.LoadBalancerArn]);
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }] }));
    const attrs = (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes!;
    assert.equal(attrs.find((a) => a.Key === 'deregistration_delay.timeout_seconds')!.Value, '10');
    assert.deepEqual((await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!] }))).TagDescriptions![0].Tags, [{ Key: 'a', Value: 'b' }]);
    assert.equal((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!.length, 1);
  });

  it('errors arrive as the SDK exception classes with AWS codes and messages', async () => {
    const env = makeEnv();
    const elb = sdkClient(env);
    await assert.rejects(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })), (e: any) => e instanceof LoadBalancerNotFoundException && e.name === 'LoadBalancerNotFoundException');
    await assert.rejects(
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: ['arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/x/0123456789abcdef'] })),
      (e: any) => e instanceof TargetGroupNotFoundException && e.message === 'One or more target groups not found' && e.$metadata.httpStatusCode === 400,
    );
    await assert.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'x', Subnets: [env.subnets[0]] })), (e: any) => {
      assert.equal(e.name, 'ValidationError');
      assert.equal(e.message, 'At least two subnets in two different Availability Zones must be specified');
      return true;
    });
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'lb', Subnets: env.subnets }))).LoadBalancers![0];
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }))).TargetGroups![0];
    const fwd = [{ Type: 'forward' as const, TargetGroupArn: tg.TargetGroupArn }];
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: fwd }));
    const tg2 = (await elb.send(new CreateTargetGroupCommand({ Name: 'tg2', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }))).TargetGroups![0];
    await assert.rejects(
      elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg2.TargetGroupArn }] })),
      (e: any) => e instanceof DuplicateListenerException,
    );
  });

  it('paginates DescribeLoadBalancers with the SDK paginator', async () => {
    const env = makeEnv();
    const elb = sdkClient(env);
    for (let i = 0; i < 5; i++) await elb.send(new CreateLoadBalancerCommand({ Name: `lb-${i}`, Subnets: env.subnets }));
    const names: string[] = [];
    let pages = 0;
    for await (const p of paginateDescribeLoadBalancers({ client: elb }, { PageSize: 2 })) {
      pages++;
      names.push(...p.LoadBalancers!.map((l) => l.LoadBalancerName!));
    }
    assert.equal(pages, 3);
    assert.deepEqual(names, ['lb-0', 'lb-1', 'lb-2', 'lb-3', 'lb-4']);
  });
});
