/**
 * Test helpers for the ELBv2 handlers: a RequestContext over a region with the default VPC and one
 * running instance per AZ, `call()` that feeds query-shaped input (string leaves) to a handler, and
 * an SDK client whose transport runs the handlers in-process through the real query decoder and
 * XML encoder — so the real SDK's serializer and parser are exercised.
 */
import { Readable } from 'node:stream';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { HttpResponse } from '@smithy/protocol-http';
import { defaultEc2State } from '../../../src/sandbox/ec2/defaults';
import { elbv2Service } from '../../../src/sandbox/elbv2';
import type { Elbv2State } from '../../../src/sandbox/elbv2/model';
import type { Instance, RegionState } from '../../../src/sandbox/engine/state';
import { isAwsError } from '../../../src/sandbox/protocol/errors';
import { decodeQuery } from '../../../src/sandbox/protocol/query';
import { queryError, queryResponse } from '../../../src/sandbox/protocol/xml';
import type { RequestContext } from '../../../src/sandbox/service';

export const REGION = 'ap-northeast-1';
export const ACCOUNT = '123456789012';

export interface TestEnv {
  rs: RegionState;
  ctx: RequestContext;
  subnets: string[];
  vpcId: string;
  defaultSg: string;
  instances: string[];
  call(op: string, input?: Record<string, unknown>): any;
  advance(ms: number): void;
}

/** Query input has string leaves: numbers and booleans become strings. */
export function q(v: unknown): any {
  if (Array.isArray(v)) return v.map(q);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, q(x)]));
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}

export function makeEnv(now = Date.UTC(2026, 0, 1)): TestEnv {
  const ec2 = defaultEc2State(REGION);
  const rs: RegionState = {
    region: REGION,
    ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
    ec2,
    serviceState: {},
  };
  const subnets = Object.values(ec2.subnets).map((s) => s.subnetId);
  const vpcId = Object.keys(ec2.vpcs)[0];
  const defaultSg = Object.keys(ec2.securityGroups)[0];
  const instances = Object.values(ec2.subnets).map((sn, i) => {
    const id = `i-0000000000000000${i}`;
    const inst: Instance = {
      instanceId: id,
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.small',
      state: 'running',
      launchTime: now,
      subnetId: sn.subnetId,
      vpcId,
      availabilityZone: sn.availabilityZone,
      privateIpAddress: `172.31.${i * 16}.10`,
      securityGroupIds: [defaultSg],
      tags: [],
    };
    ec2.instances[id] = inst;
    return id;
  });
  const ctx: RequestContext = {
    region: REGION,
    accountId: ACCOUNT,
    world: { version: 1, accountId: ACCOUNT, savedAt: now, credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' }, regions: { [REGION]: rs } },
    state: rs,
    engine: undefined as never,
    now,
    requestId: 'req-1',
  };
  return {
    rs,
    ctx,
    subnets,
    vpcId,
    defaultSg,
    instances,
    call(op, input = {}) {
      const h = elbv2Service.operations[op];
      if (!h) throw new Error(`no handler ${op}`);
      return h(ctx, q(input));
    },
    advance(ms) {
      ctx.now += ms;
    },
  };
}

/** Calls `fn` and returns the AwsError it throws (fails when it does not throw one). */
export function awsErr(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isAwsError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an AwsError');
}

/** A real SDK client whose requests are answered in-process by the handlers of `env`. */
export function sdkClient(env: TestEnv): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    region: REGION,
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: any) => {
        const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body ?? '').toString('utf8');
        const { action, version, params } = decodeQuery(body);
        let status = 200;
        let xml: string;
        try {
          if (version !== elbv2Service.version) throw new Error(`bad version ${version}`);
          const h = elbv2Service.operations[action!];
          const result = await h(env.ctx, params);
          xml = queryResponse(action!, elbv2Service.xmlns, result, env.ctx.requestId);
        } catch (e) {
          if (!isAwsError(e)) throw e;
          status = e.status;
          xml = queryError(elbv2Service.xmlns, e.code, e.message, e.fault, env.ctx.requestId);
        }
        return {
          response: new HttpResponse({ statusCode: status, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) }),
        };
      },
    } as any,
  });
}

/** Creates the hands-on's ALB + target group + listener (the ALB already active unless `provisioning`); returns their ARNs. */
export function handsOnAlb(env: TestEnv, opts: { tgName?: string; lbName?: string; provisioning?: boolean } = {}) {
  const lb = env.call('CreateLoadBalancer', { Name: opts.lbName ?? 'app-demo-lb', Subnets: env.subnets }).LoadBalancers[0];
  const tg = env.call('CreateTargetGroup', { Name: opts.tgName ?? 'demo-tg', Protocol: 'HTTP', Port: 80, VpcId: env.vpcId }).TargetGroups[0];
  const listener = env.call('CreateListener', {
    LoadBalancerArn: lb.LoadBalancerArn,
    Protocol: 'HTTP',
    Port: 80,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
  }).Listeners[0];
  if (!opts.provisioning) (env.rs.serviceState.elbv2 as Elbv2State).loadBalancers[lb.LoadBalancerArn].State = { Code: 'active' };
  return { lbArn: lb.LoadBalancerArn as string, tgArn: tg.TargetGroupArn as string, listenerArn: listener.ListenerArn as string, lb, tg, listener };
}
