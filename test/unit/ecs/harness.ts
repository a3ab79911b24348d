/**
 * A harness for the ECS handler tests: a World with one region, the real Engine on a ManualClock
 * with a fake runtime, and `call` / `refused` helpers that invoke handlers the way the server does
 * (a fresh RequestContext per call).
 */
import { strict as assert } from 'node:assert';
import { ManualClock } from '../../../src/sandbox/engine/clock';
import { Engine } from '../../../src/sandbox/engine/engine';
import { arns, hexId } from '../../../src/sandbox/engine/ids';
import type { ContainerInstance, World } from '../../../src/sandbox/engine/state';
import { ecsService } from '../../../src/sandbox/ecs';
import { elbv2State, type Listener, type TargetGroup } from '../../../src/sandbox/elbv2/model';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import type { RuntimeEvents, TaskLaunch, TaskRuntime } from '../../../src/sandbox/runtime/runtime';
import type { RequestContext } from '../../../src/sandbox/service';

export const REGION = 'ap-northeast-1';
export const ACCOUNT = '123456789012';

/** Starts nothing; reports `started` for every launch when asked (`startAll`). */
export class QuietRuntime implements TaskRuntime {
  events?: RuntimeEvents;
  launched: TaskLaunch[] = [];
  stopped: string[] = [];
  bind(events: RuntimeEvents): void {
    this.events = events;
  }
  start(launch: TaskLaunch): void {
    this.launched.push(launch);
  }
  stop(region: string, taskId: string): void {
    this.stopped.push(taskId);
    this.events?.exited(region, taskId, 0, 'stopped');
  }
  cpuSeconds(): number | undefined {
    return undefined;
  }
  url(): string | undefined {
    return undefined;
  }
  async shutdown(): Promise<void> {}
  startAll(): void {
    for (const l of this.launched.splice(0)) {
      const real: Record<number, number> = {};
      for (const p of l.ports) real[p.hostPort] = 40000 + (p.hostPort % 20000);
      this.events?.started(l.region, l.taskId, real);
    }
  }
}

export class Harness {
  readonly clock = new ManualClock(Date.UTC(2026, 0, 1));
  readonly world: World = {
    version: 1,
    accountId: ACCOUNT,
    savedAt: 0,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    regions: {},
  };
  readonly runtime = new QuietRuntime();
  readonly engine = new Engine(this.world, this.clock, this.runtime, { imagePullMs: 0 });
  readonly state = this.engine.region(REGION);

  ctx(): RequestContext {
    return { region: REGION, accountId: ACCOUNT, world: this.world, state: this.state, engine: this.engine, now: this.clock.now(), requestId: 'req-1' };
  }

  /** Invokes an operation; returns its output as the wire would carry it (JSON round trip). */
  call(op: string, input: unknown = {}): any {
    const handler = ecsService.operations[op];
    assert.ok(handler, `no handler for ${op}`);
    return JSON.parse(JSON.stringify(handler(this.ctx(), input) ?? {}));
  }

  /** Asserts the operation is refused with `code` (and `message` if given) and that the state did not change. */
  refused(op: string, input: unknown, code: string, message?: string | RegExp): AwsError {
    const before = JSON.stringify(this.world);
    let err: unknown;
    try {
      this.call(op, input);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof AwsError, `${op} should fail with ${code}, got ${err === undefined ? 'success' : err instanceof Error ? String(err) : JSON.stringify(err)}`);
    assert.equal(err.code, code, `${op}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    assert.equal(JSON.stringify(this.world), before, `${op} refusal changed the state`);
    return err;
  }

  /** Registers a container instance of `cluster` directly (as the agent would after an instance boots). */
  addInstance(cluster: string, opts: { az?: string; cpu?: number; memory?: number; type?: string } = {}): ContainerInstance {
    const id = hexId();
    const ci: ContainerInstance = {
      containerInstanceArn: arns.containerInstance(REGION, ACCOUNT, cluster, id),
      ec2InstanceId: `i-${hexId(17)}`,
      clusterName: cluster,
      status: 'ACTIVE',
      agentConnected: true,
      registeredCpu: opts.cpu ?? 2048,
      registeredMemory: opts.memory ?? 3891,
      availabilityZone: opts.az ?? `${REGION}a`,
      instanceType: opts.type ?? 't3.medium',
      registeredAt: this.clock.now(),
      version: 1,
      attributes: [],
    };
    this.state.ecs.containerInstances[id] = ci;
    return ci;
  }

  /**
   * Puts a target group into the region's ELBv2 state (as CreateTargetGroup would), attached to a
   * listener unless `attached` is false. Returns its ARN.
   */
  addTargetGroup(name = 'demo-tg', opts: { attached?: boolean; targetType?: 'instance' | 'ip' } = {}): string {
    const elb = elbv2State(this.state);
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${hexId(16)}`;
    elb.targetGroups[arn] = { TargetGroupArn: arn, TargetGroupName: name, TargetType: opts.targetType ?? 'instance', targets: {} } as unknown as TargetGroup;
    if (opts.attached !== false) {
      const listenerArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/lb/${hexId(16)}/${hexId(16)}`;
      elb.listeners[listenerArn] = { ListenerArn: listenerArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: arn }] } as unknown as Listener;
    }
    return arn;
  }

  /** Moves simulated time and lets the engine catch up, starting launched tasks. */
  advance(ms: number, step = 1000): void {
    for (let t = 0; t < ms; t += step) {
      this.clock.advance(Math.min(step, ms - t));
      this.engine.tick();
      this.runtime.startAll();
      this.engine.tick();
    }
  }
}

export const container = (over: Record<string, unknown> = {}) => ({
  name: 'web',
  image: 'uzresk/demo:ver1.0',
  cpu: 256,
  memory: 512,
  memoryReservation: 256,
  portMappings: [{ containerPort: 8080, hostPort: 80 }],
  ...over,
});

export const taskDef = (over: Record<string, unknown> = {}) => ({ family: 'demo-app-task', containerDefinitions: [container()], ...over });
