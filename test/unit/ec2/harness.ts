/**
 * Calls EC2 handlers the way the server will: the request is serialized by the real
 * @aws-sdk/client-ec2 (so the wire names are the SDK's), decoded by the sandbox's query decoder,
 * and handed to the handler with a RequestContext over a fresh region and a stub engine.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ec2Service } from '../../../src/sandbox/ec2';
import { defaultEc2State } from '../../../src/sandbox/ec2/defaults';
import type { Engine } from '../../../src/sandbox/engine/engine';
import type { Instance, RegionState, World } from '../../../src/sandbox/engine/state';
import { decodeQuery } from '../../../src/sandbox/protocol/query';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import type { RequestContext } from '../../../src/sandbox/service';

export interface StubEngine {
  launched: string[];
  terminated: string[];
}

export interface Harness {
  ctx: RequestContext;
  engine: StubEngine;
  /** Runs an SDK command through the handler; resolves the handler's output. */
  send(command: unknown): Promise<any>;
  /** Same, but resolves the AwsError the handler threw (fails if it did not throw one). */
  fails(command: unknown): Promise<AwsError>;
  /** The decoded form of a command (what the handler receives). */
  form(command: unknown): Promise<{ action: string; params: Record<string, unknown> }>;
  advance(ms: number): void;
}

class Captured extends Error {
  constructor(readonly body: string) {
    super('captured');
  }
}

const client = new EC2Client({
  region: 'ap-northeast-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
  requestHandler: {
    handle: async (req: { body?: unknown }) => {
      throw new Captured(String(req.body ?? ''));
    },
  } as any,
});

export async function formOf(command: unknown): Promise<{ action: string; params: Record<string, unknown> }> {
  try {
    await client.send(command as any);
  } catch (e) {
    if (e instanceof Captured) {
      const d = decodeQuery(e.body);
      return { action: d.action!, params: d.params };
    }
    throw e;
  }
  throw new Error('the SDK sent nothing');
}

export function harness(region = 'ap-northeast-1'): Harness {
  const state: RegionState = {
    region,
    ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
    ec2: defaultEc2State(region),
    serviceState: {},
  };
  const world: World = {
    version: 1,
    accountId: '123456789012',
    savedAt: 0,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    regions: { [region]: state },
  };
  const stub: StubEngine = { launched: [], terminated: [] };
  const engine = {
    instanceLaunched: (_rs: RegionState, i: Instance) => {
      stub.launched.push(i.instanceId);
    },
    terminateInstance: (rs: RegionState, id: string) => {
      stub.terminated.push(id);
      rs.ec2.instances[id].state = 'shutting-down';
      rs.ec2.instances[id].terminatedAt = ctx.now;
    },
  } as unknown as Engine;
  const ctx: RequestContext = {
    region,
    accountId: world.accountId,
    world,
    state,
    engine,
    now: Date.UTC(2026, 0, 1),
    requestId: 'req-1',
  };
  const send = async (command: unknown) => {
    const { action, params } = await formOf(command);
    const handler = ec2Service.operations[action];
    if (!handler) throw new Error(`no handler for ${action}`);
    return handler(ctx, params);
  };
  return {
    ctx,
    engine: stub,
    send,
    form: formOf,
    async fails(command) {
      try {
        await send(command);
      } catch (e) {
        if (e instanceof AwsError) return e;
        throw e;
      }
      throw new Error('expected an AwsError');
    },
    advance(ms) {
      ctx.now += ms;
    },
  };
}
