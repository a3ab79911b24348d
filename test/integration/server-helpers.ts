/**
 * Helpers for the server tests: a fake engine and runtime (so the server can be tested without the
 * real ones), small test ServiceDefinitions answering real SDK operations in each protocol, and a
 * raw signed-request helper.
 */
import * as http from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../src/sandbox/engine/clock';
import { Engine } from '../../src/sandbox/engine/engine';
import type { RegionState, World } from '../../src/sandbox/engine/state';
import { AwsError } from '../../src/sandbox/protocol/errors';
import type { TaskRuntime } from '../../src/sandbox/runtime/runtime';
import { xmlDate, type Handler, type RequestContext, type ServiceDefinition } from '../../src/sandbox/service';

/** These fake services test the protocol layer, so their handlers read the input as the wire delivered it. */
type WireInput = Record<string, any>;
const wireOps = (ops: Record<string, (ctx: RequestContext, input: WireInput) => unknown>): Record<string, Handler> =>
  Object.fromEntries(Object.entries(ops).map(([k, fn]) => [k, (ctx: RequestContext, input: unknown) => fn(ctx, input ?? {})]));

/** The one fake task runtime (test/unit/helpers): without flush() nothing it is asked to start ever starts. */
export { FakeRuntime } from '../unit/helpers/fake-runtime';

export const emptyRegion = (name: string): RegionState => ({
  region: name,
  ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
  ec2: { vpcs: {}, subnets: {}, securityGroups: {}, launchTemplates: {}, instances: {}, internetGateways: {}, routeTables: {}, keyPairs: {} },
  serviceState: {},
});

/** Only what the server needs: per-region state and a tick counter. */
export class FakeEngine extends Engine {
  ticks = 0;
  override region(name: string): RegionState {
    return (this.world.regions[name] ??= emptyRegion(name));
  }
  override tick(): void {
    this.ticks++;
  }
}

/** Builds a FakeEngine; counts `restore()` calls in `restored` (set on the instance, whatever the base class has). */
export const fakeEngine = (world: World, clock: Clock, runtime: TaskRuntime) => {
  const e = new FakeEngine(world, clock, runtime) as FakeEngine & { restore: () => void; restored: number };
  e.restored = 0;
  e.restore = () => void e.restored++;
  return e;
};

export const ecsLike: ServiceDefinition = {
  signingName: 'ecs',
  protocol: 'awsJson1_1',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  errorMessageKey: 'message',
  operations: wireOps({
    CreateCluster: (ctx, input) => {
      const name = typeof input.clusterName === 'string' ? input.clusterName : 'default';
      const arn = `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}`;
      ctx.state.ecs.clusters[name] = { clusterArn: arn, clusterName: name, status: 'ACTIVE', settings: [], capacityProviders: [], createdAt: ctx.now };
      return { cluster: { clusterArn: arn, clusterName: name, status: 'ACTIVE' } };
    },
    ListClusters: (ctx) => ({ clusterArns: Object.values(ctx.state.ecs.clusters).map((c) => c.clusterArn) }),
    DescribeClusters: (ctx, input) => {
      if (input.clusters !== undefined && !Array.isArray(input.clusters)) throw new AwsError('InvalidParameterException', 'clusters must be a list.');
      const names: string[] = input.clusters ?? ['default'];
      const found = names.map((n) => ctx.state.ecs.clusters[n]).filter(Boolean);
      if (!found.length) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
      return { clusters: found.map((c) => ({ clusterArn: c.clusterArn, clusterName: c.clusterName, status: c.status })), failures: [] };
    },
    // Not a real ECS operation: a handler bug, for the InternalFailure path.
    Boom: () => {
      throw new TypeError('handler bug');
    },
  }),
};

export const elbLike: ServiceDefinition = {
  signingName: 'elasticloadbalancing',
  protocol: 'awsQuery',
  version: '2015-12-01',
  xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  operations: wireOps({
    DescribeLoadBalancers: (ctx, input) => {
      const names: string[] = input.Names ?? ['lb-a', 'lb-b'];
      if (names.includes('missing')) throw new AwsError('LoadBalancerNotFound', "One or more load balancers not found");
      return {
        LoadBalancers: names.map((n, i) => ({
          LoadBalancerArn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/app/${n}/${i}`,
          LoadBalancerName: n,
          DNSName: `${n}.local <&> "x"`,
          CreatedTime: xmlDate(Date.UTC(2026, 0, 2, 3, 4, 5)),
          Scheme: 'internet-facing',
          State: { Code: 'active' },
          Type: 'application',
          AvailabilityZones: [{ ZoneName: 'ap-northeast-1a', SubnetId: 'subnet-1' }, { ZoneName: 'ap-northeast-1c', SubnetId: 'subnet-2' }],
          SecurityGroups: [],
        })),
      };
    },
    AddTags: (ctx, input) => {
      ctx.state.serviceState.tags = { arns: input.ResourceArns, tags: input.Tags };
      return {};
    },
    DescribeTags: (ctx) => {
      const t = ctx.state.serviceState.tags as { arns: string[]; tags: { Key: string; Value: string }[] } | undefined;
      return { TagDescriptions: (t?.arns ?? []).map((a) => ({ ResourceArn: a, Tags: t!.tags })) };
    },
    ModifyTargetGroupAttributes: (_ctx, input) => ({
      Attributes: (input.Attributes as { Key: string; Value: string }[]).map((a) => ({ Key: a.Key, Value: a.Value })),
    }),
  }),
};

export const ec2Like: ServiceDefinition = {
  signingName: 'ec2',
  protocol: 'ec2Query',
  version: '2016-11-15',
  xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  operations: wireOps({
    DescribeVpcs: (_ctx, input) => {
      const all = [
        { vpcId: 'vpc-1', cidrBlock: '172.31.0.0/16', isDefault: true, state: 'available', tagSet: [{ key: 'Name', value: 'default' }] },
        { vpcId: 'vpc-2', cidrBlock: '10.0.0.0/16', isDefault: false, state: 'available', tagSet: [] },
      ];
      let vpcs = all;
      if (input.VpcId) vpcs = vpcs.filter((v) => (input.VpcId as string[]).includes(v.vpcId));
      for (const f of (input.Filter ?? []) as { Name: string; Value: string[] }[]) {
        if (f.Name === 'is-default') vpcs = vpcs.filter((v) => f.Value.includes(String(v.isDefault)));
      }
      return { vpcSet: vpcs };
    },
    DescribeSubnets: () => {
      throw new AwsError('InvalidSubnetID.NotFound', "The subnet ID 'subnet-x' does not exist");
    },
    DescribeInstances: () => ({
      reservationSet: [
        {
          reservationId: 'r-1',
          ownerId: '123456789012',
          instancesSet: [{ instanceId: 'i-1', launchTime: xmlDate(Date.UTC(2026, 0, 1)), instanceState: { code: 16, name: 'running' } }],
        },
      ],
    }),
  }),
};

export const cloudwatchLike: ServiceDefinition = {
  signingName: 'monitoring',
  protocol: 'awsJson1_0',
  targetPrefix: 'GraniteServiceVersion20100801',
  errorMessageKey: 'Message',
  queryCompatible: true,
  // Also reachable over awsQuery, as older clients (AWS CLI 2.9) send it.
  version: '2010-08-01',
  xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  operations: wireOps({
    ListMetrics: (_ctx, input) => ({
      Metrics: [{ Namespace: input.Namespace ?? 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: 'c' }] }],
    }),
    DeleteAlarms: () => {
      throw new AwsError('ResourceNotFound', 'alarm missing');
    },
  }),
};

export const testServices = [ecsLike, elbLike, ec2Like, cloudwatchLike];

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends a raw HTTP request (no client library) and collects the answer. */
export function rawRequest(
  endpoint: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const base = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const target = { hostname: base.hostname, port: Number(base.port), path: opts.path ?? '/' };
    const req = http.request({ ...target, method: opts.method ?? 'POST', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Signs a request the way the SDK does, then sends it raw. */
export async function signedRequest(
  endpoint: string,
  creds: { accessKeyId: string; secretAccessKey: string },
  opts: {
    service: string;
    region?: string;
    headers?: Record<string, string>;
    body: string | Buffer;
    path?: string;
    method?: string;
    signingDate?: Date;
    /** Send this body instead of the signed one (tampering). */
    sendBody?: string | Buffer;
  },
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: creds, region: opts.region ?? 'ap-northeast-1', service: opts.service, sha256: Sha256 });
  const req = new HttpRequest({
    method: opts.method ?? 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: opts.path ?? '/',
    headers: { host: url.host, ...opts.headers },
    body: opts.body,
  });
  const signed = await signer.sign(req, { signingDate: opts.signingDate });
  const headers = { ...(signed.headers as Record<string, string>) };
  if (opts.sendBody !== undefined) delete headers['content-length'];
  return rawRequest(endpoint, { method: req.method, path: opts.path, headers, body: opts.sendBody ?? opts.body });
}
