/**
 * The target health checker and the other ELBv2 timers, on the sandbox clock.
 *
 * `HealthChecker.tick(rs, now)` is called from the engine's tick for each region. It
 * - turns provisioning load balancers active when their time has come;
 * - removes draining targets whose deregistration delay has passed (event `drained`);
 * - moves targets between `unused` (no load balancer uses the group) and `initial`;
 * - starts a real HTTP health check for every target whose interval has elapsed (async, through the
 *   injected prober; the timeout is HealthCheckTimeoutSeconds converted to real ms), and applies
 *   the results that came back since the last tick: initial/unhealthy -> healthy after
 *   HealthyThresholdCount consecutive successes, initial/healthy -> unhealthy after
 *   UnhealthyThresholdCount consecutive failures, with AWS's reason codes and texts.
 * Every state change is returned as an event (and passed to `onEvent`), so the ECS integration can
 * write its service events and replace tasks that fail their health checks.
 */
import http from 'node:http';
import type { RegionState } from '../engine/state';
import { advanceLoadBalancers } from './load-balancers';
import {
  bump,
  elbv2Settings,
  elbv2State,
  loadBalancersOfTargetGroup,
  REASON_TEXT,
  type RegisteredTarget,
  type TargetGroup,
  type TargetReason,
  type TargetState,
} from './model';
import { parseMatcher } from './target-groups';
import { healthCheckPort } from './targets';

export interface ProbeResult {
  /** The HTTP status, when a response came. */
  status?: number;
  /** Why no response came. */
  error?: 'timeout' | 'refused' | 'error';
}

/** Makes one health check request: GET `url` within `timeoutMs` real ms. */
export type Prober = (url: string, timeoutMs: number) => Promise<ProbeResult>;

/**
 * Where a target really listens: the base URL (`http://127.0.0.1:41234`) for target `Id` on `port`
 * (the traffic port, or the health check port when it differs), or undefined when nothing runs there.
 */
export type TargetResolver = (region: string, tg: TargetGroup, target: { Id: string; Port: number }) => string | undefined;

export interface TargetHealthEvent {
  type: 'state' | 'drained';
  region: string;
  targetGroupArn: string;
  targetGroupName: string;
  target: { Id: string; Port: number };
  /** For `state`: the states before and after, and the reason (absent for healthy). */
  from?: TargetState;
  to?: TargetState;
  reason?: TargetReason;
  /** E.g. `Health checks failed with these codes: [502]` / `Request timed out`. */
  description?: string;
}

export interface HealthCheckerOptions {
  resolve: TargetResolver;
  prober?: Prober;
  /** Real ms for a span of simulated ms (the clock's scale); default 1:1. */
  realMs?: (simMs: number) => number;
  onEvent?: (e: TargetHealthEvent) => void;
  /**
   * Lowest real timeout for a check (ms, default 2000, never above the unscaled timeout): the time
   * scale shrinks intervals, but a loaded task answers no faster, and a 5 s timeout scaled to 500 ms
   * would fail tasks under the hands-on's load test that AWS keeps healthy.
   */
  minTimeoutMs?: number;
}

interface Pending {
  tgArn: string;
  key: string;
  registeredAt: number;
  result: ProbeResult;
}

/** The default prober: a real GET with no keep-alive (as ELB's checker), body discarded. */
export const httpProber: Prober = (url, timeoutMs) =>
  new Promise((resolve) => {
    let done = false;
    const finish = (r: ProbeResult) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        resolve(r);
      }
    };
    const req = http.get(url, { agent: false, headers: { 'User-Agent': 'ELB-HealthChecker/2.0', Connection: 'close' } }, (res) => {
      finish({ status: res.statusCode });
      res.resume();
      res.on('error', () => undefined);
    });
    const timer = setTimeout(() => {
      finish({ error: 'timeout' });
      req.destroy();
    }, Math.max(1, timeoutMs));
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code === 'ECONNREFUSED' ? 'refused' : 'error' }));
  });

export class HealthChecker {
  private readonly prober: Prober;
  private readonly inFlight = new Set<string>();
  private readonly promises = new Set<Promise<void>>();
  /** Results waiting for the next tick, per region. */
  private readonly results = new Map<string, Pending[]>();

  constructor(private readonly opts: HealthCheckerOptions) {
    this.prober = opts.prober ?? httpProber;
  }

  /** Waits for the health checks in flight (tests; shutdown). */
  async settle(): Promise<void> {
    while (this.promises.size) await Promise.all([...this.promises]);
  }

  tick(rs: RegionState, now: number): TargetHealthEvent[] {
    const s = elbv2State(rs);
    advanceLoadBalancers(s, now);
    const events: TargetHealthEvent[] = [];
    let changed = false;
    const change = (tg: TargetGroup, t: RegisteredTarget, to: TargetState, reason?: TargetReason, description?: string) => {
      const from = t.State;
      t.State = to;
      t.Reason = reason;
      t.Description = reason ? (description ?? REASON_TEXT[reason]) : undefined;
      changed = true;
      if (from !== to) {
        events.push({
          type: 'state',
          region: rs.region,
          targetGroupArn: tg.TargetGroupArn,
          targetGroupName: tg.TargetGroupName,
          target: { Id: t.Id, Port: t.Port },
          from,
          to,
          reason,
          description: t.Description,
        });
      }
    };

    // 1. Results that came back since the last tick.
    const pending = this.results.get(rs.region) ?? [];
    this.results.delete(rs.region);
    for (const p of pending) {
      const tg = s.targetGroups[p.tgArn];
      const t = tg?.targets[p.key];
      if (!tg || !t || t.registeredAt !== p.registeredAt || t.State === 'draining' || t.State === 'unused') continue;
      this.apply(tg, t, p.result, change);
    }

    // 2. Timers and new checks.
    for (const tg of Object.values(s.targetGroups)) {
      const lbs = loadBalancersOfTargetGroup(s, tg.TargetGroupArn);
      const inUse = lbs.length > 0;
      // Health checks start once a load balancer using the group is active.
      const active = lbs.some((arn) => s.loadBalancers[arn]?.State.Code === 'active');
      for (const [key, t] of Object.entries(tg.targets)) {
        if (tg.TargetType === 'instance') {
          // A terminated instance's targets are deregistered; a stopped one's are unused (Target.InvalidState).
          const inst = rs.ec2.instances[t.Id];
          if (!inst || inst.state === 'terminated' || inst.state === 'shutting-down') {
            delete tg.targets[key];
            changed = true;
            events.push({ type: 'drained', region: rs.region, targetGroupArn: tg.TargetGroupArn, targetGroupName: tg.TargetGroupName, target: { Id: t.Id, Port: t.Port } });
            continue;
          }
          if (inst.state !== 'running' && t.State !== 'draining') {
            if (t.Reason !== 'Target.InvalidState') {
              t.okStreak = t.failStreak = 0;
              change(tg, t, 'unused', 'Target.InvalidState');
            }
            continue;
          }
        }
        if (t.State === 'draining') {
          if (t.drainingUntil !== undefined && now >= t.drainingUntil) {
            delete tg.targets[key];
            changed = true;
            events.push({ type: 'drained', region: rs.region, targetGroupArn: tg.TargetGroupArn, targetGroupName: tg.TargetGroupName, target: { Id: t.Id, Port: t.Port } });
          }
          continue;
        }
        if (!inUse) {
          if (t.State !== 'unused') {
            t.okStreak = t.failStreak = 0;
            change(tg, t, 'unused', 'Target.NotInUse');
          }
          continue;
        }
        if (t.State === 'unused') {
          t.okStreak = t.failStreak = 0;
          t.nextCheckAt = now + elbv2Settings.registrationMs;
          change(tg, t, 'initial', 'Elb.RegistrationInProgress');
          continue;
        }
        if (!active || now < t.nextCheckAt) continue;
        const flightKey = `${rs.region}|${tg.TargetGroupArn}|${key}|${t.registeredAt}`;
        if (this.inFlight.has(flightKey)) continue;
        t.nextCheckAt = now + tg.HealthCheckIntervalSeconds * 1000;
        if (t.State === 'initial' && t.Reason === 'Elb.RegistrationInProgress') change(tg, t, 'initial', 'Elb.InitialHealthChecking');
        this.start(rs.region, tg, key, t, flightKey);
      }
    }
    if (changed) bump(s);
    for (const e of events) this.opts.onEvent?.(e);
    return events;
  }

  private start(region: string, tg: TargetGroup, key: string, t: RegisteredTarget, flightKey: string): void {
    const port = Number(healthCheckPort(tg, t));
    const base = this.opts.resolve(region, tg, { Id: t.Id, Port: port });
    const entry = { tgArn: tg.TargetGroupArn, key, registeredAt: t.registeredAt };
    const push = (result: ProbeResult) => {
      const list = this.results.get(region) ?? [];
      list.push({ ...entry, result });
      this.results.set(region, list);
    };
    if (!base) {
      push({ error: 'refused' });
      return;
    }
    const unscaled = tg.HealthCheckTimeoutSeconds * 1000;
    const floor = Math.min(unscaled, this.opts.minTimeoutMs ?? 2000);
    const timeoutMs = Math.max(20, floor, (this.opts.realMs ?? ((ms) => ms))(unscaled));
    const url = base.replace(/\/$/, '') + tg.HealthCheckPath;
    this.inFlight.add(flightKey);
    const p = this.prober(url, timeoutMs)
      .catch((): ProbeResult => ({ error: 'error' }))
      .then((result) => {
        this.inFlight.delete(flightKey);
        push(result);
      })
      .finally(() => this.promises.delete(p));
    this.promises.add(p);
  }

  private apply(
    tg: TargetGroup,
    t: RegisteredTarget,
    r: ProbeResult,
    change: (tg: TargetGroup, t: RegisteredTarget, to: TargetState, reason?: TargetReason, description?: string) => void,
  ): void {
    const matches = parseMatcher(tg.Matcher.HttpCode);
    if (r.status !== undefined && matches(r.status)) {
      t.okStreak++;
      t.failStreak = 0;
      t.lastCodes = undefined;
      if (t.State !== 'healthy' && t.okStreak >= tg.HealthyThresholdCount) change(tg, t, 'healthy');
      return;
    }
    t.failStreak++;
    t.okStreak = 0;
    let reason: TargetReason;
    let description: string;
    if (r.status !== undefined) {
      reason = 'Target.ResponseCodeMismatch';
      description = `Health checks failed with these codes: [${r.status}]`;
      t.lastCodes = [r.status];
    } else if (r.error === 'timeout') {
      reason = 'Target.Timeout';
      description = REASON_TEXT['Target.Timeout'];
    } else {
      reason = 'Target.FailedHealthChecks';
      description = REASON_TEXT['Target.FailedHealthChecks'];
    }
    if (t.State === 'unhealthy') change(tg, t, 'unhealthy', reason, description);
    else if (t.failStreak >= tg.UnhealthyThresholdCount) change(tg, t, 'unhealthy', reason, description);
  }
}
