/**
 * RegisterTargets, DeregisterTargets and DescribeTargetHealth, plus the same operations as plain
 * functions for the ECS integration (ECS registers `Id = EC2 instance id, Port = host port`).
 */
import type {
  DeregisterTargetsCommandInput,
  DescribeTargetHealthCommandInput,
  RegisterTargetsCommandInput,
  TargetDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RegionState } from '../engine/state';
import { elbv2Fields as f, type Operation } from '../kit';
import { notNull } from './request';
import {
  bump,
  elbv2Settings,
  elbv2State,
  loadBalancersOfTargetGroup,
  REASON_TEXT,
  targetKey,
  type Elbv2State,
  type RegisteredTarget,
  type TargetGroup,
  type TargetReason,
  type TargetState,
} from './model';
import { deregistrationDelayMs, findTargetGroup } from './target-groups';

export interface TargetInput {
  Id: string;
  Port?: number;
  AvailabilityZone?: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function readTargets(list: TargetDescription[] | undefined): TargetInput[] {
  if (!list?.length) return notNull('Targets');
  return list.map((t, i) => ({
    Id: f.str(t.Id, ['Targets', i, 'Id'], { required: true }),
    Port: f.int(t.Port, ['Targets', i, 'Port'], { min: 1, max: 65535 }),
    AvailabilityZone: t.AvailabilityZone,
  }));
}

/** Checks that the targets can be registered in `tg` (instances exist, run and sit in the TG's VPC). */
export function validateTargets(rs: RegionState, tg: TargetGroup, targets: TargetInput[]): void {
  if (tg.TargetType === 'instance') {
    const invalid = targets.filter((t) => !rs.ec2.instances[t.Id] || rs.ec2.instances[t.Id].state === 'terminated');
    if (invalid.length) f.fail(`The following targets are not valid instances: ${invalid.map((t) => `'${t.Id}'`).join(', ')}`, 'InvalidTarget');
    const notRunning = targets.filter((t) => rs.ec2.instances[t.Id].state !== 'running');
    if (notRunning.length) {
      f.fail(`The following targets are not in a running state and cannot be registered: ${notRunning.map((t) => `'${t.Id}'`).join(', ')}`, 'InvalidTarget');
    }
    const otherVpc = targets.filter((t) => rs.ec2.instances[t.Id].vpcId !== tg.VpcId);
    if (otherVpc.length) {
      f.fail(`The following targets are not in the target group VPC '${tg.VpcId}': ${otherVpc.map((t) => `'${t.Id}'`).join(', ')}`, 'InvalidTarget');
    }
  } else {
    const bad = targets.filter((t) => !IPV4.test(t.Id));
    if (bad.length) f.fail(`The IP address '${bad[0].Id}' is not a valid IPv4 address`, 'InvalidTarget');
  }
}

const setState = (t: RegisteredTarget, state: TargetState, reason?: TargetReason, description?: string): void => {
  t.State = state;
  t.Reason = reason;
  t.Description = reason ? (description ?? REASON_TEXT[reason]) : undefined;
};

/**
 * Registers targets (validated first). New targets start `initial` / Elb.RegistrationInProgress,
 * or `unused` / Target.NotInUse when no load balancer uses the group; a draining target that is
 * registered again starts over. Returns the targets that were newly registered.
 */
export function registerTargets(rs: RegionState, tgArn: string, targets: TargetInput[], now: number): RegisteredTarget[] {
  const s = elbv2State(rs);
  const tg = findTargetGroup(s, tgArn);
  validateTargets(rs, tg, targets);
  const inUse = loadBalancersOfTargetGroup(s, tgArn).length > 0;
  const added: RegisteredTarget[] = [];
  for (const t of targets) {
    const port = t.Port ?? tg.Port;
    const key = targetKey(t.Id, port);
    const existing = tg.targets[key];
    if (existing && existing.State !== 'draining') continue;
    const rt: RegisteredTarget = {
      Id: t.Id,
      Port: port,
      AvailabilityZone: t.AvailabilityZone,
      State: 'initial',
      registeredAt: now,
      okStreak: 0,
      failStreak: 0,
      nextCheckAt: now + elbv2Settings.registrationMs,
    };
    if (inUse) setState(rt, 'initial', 'Elb.RegistrationInProgress');
    else setState(rt, 'unused', 'Target.NotInUse');
    delete tg.targets[key];
    tg.targets[key] = rt;
    added.push(rt);
  }
  if (added.length) bump(s);
  return added;
}

/**
 * Deregisters targets: they drain for the group's deregistration delay (no new requests), then
 * disappear; with no load balancer in use or a delay of 0 they go at once. Unknown targets are
 * ignored. Returns the targets that started draining (or were removed).
 */
export function deregisterTargets(rs: RegionState, tgArn: string, targets: TargetInput[], now: number): RegisteredTarget[] {
  const s = elbv2State(rs);
  const tg = findTargetGroup(s, tgArn);
  const inUse = loadBalancersOfTargetGroup(s, tgArn).length > 0;
  const delay = deregistrationDelayMs(tg);
  const out: RegisteredTarget[] = [];
  for (const t of targets) {
    const matches = Object.entries(tg.targets).filter(([, rt]) => rt.Id === t.Id && (t.Port === undefined || rt.Port === t.Port));
    for (const [key, rt] of matches) {
      if (rt.State === 'draining') continue;
      if (!inUse || delay === 0 || rt.State === 'unused') {
        delete tg.targets[key];
      } else {
        setState(rt, 'draining', 'Target.DeregistrationInProgress');
        rt.drainingUntil = now + delay;
      }
      out.push(rt);
    }
  }
  if (out.length) bump(s);
  return out;
}

export function healthCheckPort(tg: TargetGroup, t: { Port: number }): string {
  return tg.HealthCheckPort === 'traffic-port' ? String(t.Port) : tg.HealthCheckPort;
}

function healthDescription(tg: TargetGroup, t: RegisteredTarget) {
  return {
    Target: { Id: t.Id, Port: t.Port, AvailabilityZone: t.AvailabilityZone },
    HealthCheckPort: healthCheckPort(tg, t),
    TargetHealth: t.Reason ? { State: t.State, Reason: t.Reason, Description: t.Description } : { State: t.State },
  };
}

/** DescribeTargetHealth's view of a group (all targets, or the given ones). */
export function describeTargetHealthOf(rs: RegionState, s: Elbv2State, tg: TargetGroup, wanted?: TargetInput[]) {
  const all = Object.values(tg.targets);
  if (!wanted || wanted.length === 0) return all.map((t) => healthDescription(tg, t));
  if (tg.TargetType === 'instance') {
    const invalid = wanted.filter((t) => !rs.ec2.instances[t.Id]);
    if (invalid.length) f.fail(`The following targets are not valid instances: ${invalid.map((t) => `'${t.Id}'`).join(', ')}`, 'InvalidTarget');
  }
  const out: ReturnType<typeof healthDescription>[] = [];
  for (const w of wanted) {
    const found = all.filter((t) => t.Id === w.Id && (w.Port === undefined || t.Port === w.Port));
    if (found.length) out.push(...found.map((t) => healthDescription(tg, t)));
    else {
      const port = w.Port ?? tg.Port;
      out.push({
        Target: { Id: w.Id, Port: port, AvailabilityZone: w.AvailabilityZone },
        HealthCheckPort: healthCheckPort(tg, { Port: port }),
        TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: REASON_TEXT['Target.NotRegistered'] },
      });
    }
  }
  return out;
}

export const registerTargetsOp: Operation<RegisterTargetsCommandInput> = (ctx, input) => {
  const tgArn = f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true });
  registerTargets(ctx.state, tgArn, readTargets(input.Targets), ctx.now);
  return {};
};

export const deregisterTargetsOp: Operation<DeregisterTargetsCommandInput> = (ctx, input) => {
  const tgArn = f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true });
  const targets = readTargets(input.Targets);
  findTargetGroup(elbv2State(ctx.state), tgArn);
  deregisterTargets(ctx.state, tgArn, targets, ctx.now);
  return {};
};

export const describeTargetHealth: Operation<DescribeTargetHealthCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const tg = findTargetGroup(s, f.str(input.TargetGroupArn, 'TargetGroupArn', { required: true }));
  const wanted = input.Targets === undefined ? undefined : readTargets(input.Targets);
  return { TargetHealthDescriptions: describeTargetHealthOf(ctx.state, s, tg, wanted) };
};
