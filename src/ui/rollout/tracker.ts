/**
 * Follows ECS rollouts (AWS Copilot's deployment progress model): while any tracked rollout is
 * active, one batched DescribeServices per cluster every 1–4 s with jitter (RolloutPollSchedule),
 * exponential backoff when throttled, and no polling at all once every rollout is COMPLETED or
 * FAILED. Each service's snapshots feed a RolloutObserver (pure model, src/core/rollout.ts).
 *
 * No vscode import: the host (connection, clock, log, settings) is injected, so the loop is
 * unit-tested with a fake ECS client and fake timers (test/unit/rollout/tracker.test.ts).
 */
import type { ECSClient, Service, Task } from '@aws-sdk/client-ecs';
import type { AwsModule } from '../aws-loader';
import type { TimeBase } from '../../core/clock';
import { idFromArn } from '../../core/format';
import type { Translate } from '../../core/l10n';
import { RolloutPollSchedule, type Random } from '../../core/poll';
import { RolloutObserver, type RolloutProgress, type RolloutState } from '../../core/rollout';
import type { RolloutView } from './present';

/** The part of the AWS layer the follower uses (loaded lazily by the host). */
export type RolloutAws = Pick<AwsModule, 'describeServices' | 'describeTasks' | 'listTaskArnsPage' | 'listClusterArns' | 'listServiceArnsPage' | 'mapAwsError'>
  & Partial<Pick<AwsModule, 'describeTaskDefinition'>>;

/** Problems whose plain explanation names something of the new revision (its port, CPU, memory, image). */
const NEEDS_REVISION = new Set(['port-conflict', 'insufficient-cpu', 'insufficient-memory', 'image-pull']);

export interface RolloutHost {
  /** True while the connection is ready (polling never starts a connection on its own). */
  ready(): boolean;
  ecs(): Promise<ECSClient>;
  /** "Now" on the service's clock. */
  now(): Promise<() => number>;
  aws(): RolloutAws;
  /** Current `ecsHandson.rollout.stuckAfterSeconds` in ms of service time. */
  stuckAfterMs(): number;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
  t?: Translate;
  /** Timers and randomness, injectable for tests. */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  random?: Random;
  /** Local clock (real time), for how long finished rollouts stay visible. */
  localNow?: () => number;
  /** Which clock the service's times are on (the sandbox's: shown as "sandbox time"). */
  timeBase?: () => TimeBase;
}

export interface FollowedRollout extends RolloutView {
  readonly key: string;
  /** The last DescribeServices snapshot. */
  service?: Service;
  /** Recently stopped tasks of the service (fetched when tasks fail). */
  stoppedTasks?: Task[];
  /** The service clock's reading at the last poll, and the clock itself (for ticking elapsed times). */
  polledAt?: number;
  clock?: () => number;
  /** Local time when the rollout reached COMPLETED/FAILED. */
  finishedAt?: number;
}

interface Entry extends FollowedRollout {
  tracker: RolloutObserver;
  failedSeen: number;
}

/** How long a finished rollout stays in the status bar (real time). */
export const LINGER_MS = 60_000;
/** Consecutive non-retryable failures after which the follower gives up. */
export const MAX_HARD_FAILURES = 5;
/** Limits of the one-time scan for rollouts already in progress. */
export const DISCOVERY_LIMITS = { clusters: 20, servicesPerCluster: 100 } as const;

export const rolloutKey = (cluster: string, serviceName: string): string => `${idFromArn(cluster)}|${idFromArn(serviceName)}`;

const isActive = (e: FollowedRollout): boolean => e.progress === undefined || e.progress.state === 'in-progress' || e.progress.state === 'stuck';

export class RolloutFollower {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private readonly schedule: RolloutPollSchedule;
  private timer: unknown;
  private expiryTimer: unknown;
  private polling = false;
  private again = false;
  private hardFailures = 0;
  private disposed = false;
  private readonly setT: (fn: () => void, ms: number) => unknown;
  private readonly clearT: (h: unknown) => void;
  private readonly localNow: () => number;

  constructor(private readonly host: RolloutHost) {
    this.schedule = new RolloutPollSchedule({}, host.random);
    this.setT = host.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearT = host.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    this.localNow = host.localNow ?? Date.now;
  }

  /** Called after every change (poll result, track, expiry). */
  onDidChange(fn: () => void): { dispose(): void } {
    this.listeners.add(fn);
    return { dispose: () => this.listeners.delete(fn) };
  }

  private fire(): void {
    for (const fn of [...this.listeners]) {
      try {
        fn();
      } catch (e) {
        this.host.log.error(`rollout listener failed: ${String(e)}`);
      }
    }
  }

  /** Every followed rollout (including finished ones still shown). */
  get rollouts(): FollowedRollout[] {
    return [...this.entries.values()];
  }

  get(cluster: string, serviceName: string): FollowedRollout | undefined {
    return this.entries.get(rolloutKey(cluster, serviceName));
  }

  /** True while a poll is scheduled or running. */
  get isPolling(): boolean {
    return this.timer !== undefined || this.polling;
  }

  /** Consecutive throttled polls (for tests and the log). */
  get backoffLevel(): number {
    return this.schedule.consecutiveFailures;
  }

  /** Follow the rollout of a service (again, from scratch, if it was already followed). */
  track(cluster: string, serviceName: string): void {
    if (this.disposed) return;
    const key = rolloutKey(cluster, serviceName);
    const name = idFromArn(serviceName);
    this.entries.set(key, {
      key, cluster, serviceName: name, trackedAt: this.localNow(),
      tracker: new RolloutObserver({ stuckAfterMs: this.host.stuckAfterMs(), t: this.host.t }), failedSeen: 0,
    });
    this.host.log.info(`rollout: started tracking ${name} (cluster ${idFromArn(cluster)})`);
    this.fire();
    this.pollSoon();
  }

  /**
   * Stop following a service that was deleted (by a command of the extension). A finished rollout
   * is no longer polled, so without this it would linger as "deployed" for a deleted service.
   * `cluster` may be a name or an ARN.
   */
  forget(cluster: string, serviceName: string): void {
    const e = this.entries.get(rolloutKey(cluster, serviceName));
    if (!e) return;
    this.entries.delete(e.key);
    this.host.log.info(`rollout: stopped tracking ${e.serviceName}: service deleted`);
    this.fire();
  }

  /** The user looked at a failed rollout: it may leave the status bar after a while. */
  acknowledge(key: string): void {
    const e = this.entries.get(key);
    if (e && e.progress?.state === 'failed' && !e.seen) {
      e.seen = true;
      e.finishedAt = this.localNow();
      this.scheduleExpiry();
      this.fire();
    }
  }

  /** The stuck threshold changed: start the stuck clocks again with the new value. */
  resetStuckThreshold(): void {
    for (const e of this.entries.values()) e.tracker = new RolloutObserver({ stuckAfterMs: this.host.stuckAfterMs(), t: this.host.t });
    this.pollSoon();
  }

  /** Forget everything (the connection changed). */
  clear(): void {
    this.stopTimer();
    this.entries.clear();
    this.fire();
  }

  /** Stop polling (connection lost); `resume` continues. */
  pause(): void {
    this.stopTimer();
  }

  resume(): void {
    if (this.rollouts.some(isActive)) this.pollSoon();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clearT(this.timer);
    this.timer = undefined;
  }

  private pollSoon(): void {
    if (this.disposed) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    // While backing off after throttling, keep the backoff; otherwise poll right away.
    if (this.timer !== undefined && this.schedule.consecutiveFailures > 0) return;
    this.stopTimer();
    this.timer = this.setT(() => void this.poll(), 0);
  }

  private scheduleNext(): void {
    if (this.disposed) return;
    const active = this.rollouts.filter(isActive);
    const delay = this.again ? 0 : this.schedule.nextDelay(active.length > 0);
    this.again = false;
    this.stopTimer();
    if (delay !== undefined) this.timer = this.setT(() => void this.poll(), delay);
  }

  /** One poll of every active rollout; schedules the next one. */
  async poll(): Promise<void> {
    this.timer = undefined;
    if (this.disposed || this.polling) return;
    if (!this.host.ready()) return; // resumed when the connection is ready again
    const active = [...this.entries.values()].filter(isActive);
    if (active.length === 0) return;
    this.polling = true;
    try {
      await this.pollEntries(active);
    } finally {
      this.polling = false;
      this.fire();
      this.scheduleNext();
    }
  }

  private async pollEntries(active: Entry[]): Promise<void> {
    const aws = this.host.aws();
    let ecs: ECSClient;
    let clock: () => number;
    try {
      ecs = await this.host.ecs();
      clock = await this.host.now();
    } catch (e) {
      this.schedule.recordThrottled();
      this.host.log.warn(`rollout: cannot poll: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const byCluster = new Map<string, Entry[]>();
    for (const e of active) byCluster.set(idFromArn(e.cluster), [...(byCluster.get(idFromArn(e.cluster)) ?? []), e]);
    let throttled = false;
    let hardError: string | undefined;
    for (const entries of byCluster.values()) {
      const cluster = entries[0].cluster;
      try {
        const r = await aws.describeServices(ecs, cluster, entries.map((e) => e.serviceName));
        for (const s of r.items) {
          const e = entries.find((x) => x.serviceName === s.serviceName || x.serviceName === idFromArn(s.serviceArn));
          if (!e) continue;
          if (s.status && s.status !== 'ACTIVE') {
            this.drop(e, `service is ${s.status}`);
            continue;
          }
          await this.update(e, s, ecs, clock, aws);
        }
        for (const f of r.failures) {
          const e = entries.find((x) => x.serviceName === idFromArn(f.arn));
          if (e) this.drop(e, `service not found (${f.reason ?? 'MISSING'})`);
        }
      } catch (err) {
        const info = aws.mapAwsError(err);
        if (info.kind === 'notFound') {
          for (const e of entries) this.drop(e, info.message);
        } else if (info.throttled || info.retryable) {
          throttled = true;
          this.host.log.warn(`rollout: DescribeServices ${idFromArn(cluster)}: ${info.code} ${info.message} — backing off`);
        } else {
          hardError = `${info.code}: ${info.message}`;
        }
      }
    }
    if (throttled) this.schedule.recordThrottled();
    else this.schedule.recordSuccess();
    if (hardError) {
      this.hardFailures++;
      this.host.log.error(`rollout: DescribeServices failed: ${hardError}`);
      if (this.hardFailures >= MAX_HARD_FAILURES) {
        this.host.log.error(`rollout: stopped following ${active.length} rollout(s) after ${this.hardFailures} failures`);
        this.hardFailures = 0;
        for (const e of active) this.entries.delete(e.key);
      } else if (!throttled) this.schedule.recordThrottled(); // back off before trying again
    } else if (!throttled) this.hardFailures = 0;
  }

  private drop(e: Entry, why: string): void {
    this.entries.delete(e.key);
    this.host.log.warn(`rollout: stopped tracking ${e.serviceName}: ${why}`);
  }

  private async update(e: Entry, s: Service, ecs: ECSClient, clock: () => number, aws: RolloutAws): Promise<void> {
    const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
    const failed = primary?.failedTasks ?? 0;
    if (failed > e.failedSeen) {
      // Tasks of the new deployment failed: fetch the stopped tasks for their reasons.
      e.stoppedTasks = await fetchStoppedTasks(aws, ecs, e.cluster, e.serviceName).catch(() => e.stoppedTasks);
      e.failedSeen = failed;
    }
    const before = e.progress;
    const now = clock();
    const p = e.tracker.update(s, now, { stoppedTasks: e.stoppedTasks });
    // The explanation says "port 80", "256 CPU units", the image: read the new revision once.
    const tdArn = s.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
    if (p.explanationKind && NEEDS_REVISION.has(p.explanationKind) && tdArn && e.taskDefinition?.taskDefinitionArn !== tdArn && aws.describeTaskDefinition) {
      e.taskDefinition = (await aws.describeTaskDefinition(ecs, tdArn).catch(() => undefined))?.taskDefinition ?? e.taskDefinition;
    }
    e.service = s;
    e.progress = p;
    e.polledAt = now;
    e.clock = clock;
    e.time = this.host.timeBase?.();
    this.logTransition(e, before, p);
    if ((p.state === 'completed' || (p.state === 'failed' && e.seen)) && before?.state !== p.state) {
      e.finishedAt = this.localNow();
      this.scheduleExpiry();
    } else if (p.state !== 'completed' && p.state !== 'failed') e.finishedAt = undefined;
  }

  private logTransition(e: Entry, before: RolloutProgress | undefined, p: RolloutProgress): void {
    const newDeployment = before && before.primary.id !== p.primary.id;
    if (before?.state === p.state && !newDeployment) return;
    const what: Record<RolloutState, string> = {
      'in-progress': 'in progress',
      completed: 'completed',
      failed: 'FAILED',
      stuck: 'stuck',
    };
    const line = `rollout: ${e.serviceName} ${p.primary.id} ${what[p.state]}: ${p.summaryText}${p.explanation && p.state !== 'completed' ? ` — ${p.explanation}` : ''}`;
    if (p.state === 'failed') this.host.log.error(line);
    else if (p.state === 'stuck') this.host.log.warn(line);
    else this.host.log.info(line);
  }

  /** Removes finished rollouts LINGER_MS after they finished (failed ones only once seen). */
  private scheduleExpiry(): void {
    if (this.expiryTimer !== undefined) this.clearT(this.expiryTimer);
    this.expiryTimer = undefined;
    const now = this.localNow();
    let next: number | undefined;
    let removed = false;
    for (const e of [...this.entries.values()]) {
      const expires = e.finishedAt !== undefined && (e.progress?.state === 'completed' || (e.progress?.state === 'failed' && e.seen)) ? e.finishedAt + LINGER_MS : undefined;
      if (expires === undefined) continue;
      if (expires <= now) {
        this.entries.delete(e.key);
        removed = true;
      } else next = next === undefined ? expires : Math.min(next, expires);
    }
    if (next !== undefined) this.expiryTimer = this.setT(() => this.scheduleExpiry(), next - now);
    if (removed) this.fire();
  }

  /**
   * Look once for rollouts already in progress (started elsewhere, or before a reload) and follow
   * them. Bounded: at most DISCOVERY_LIMITS clusters/services. Returns how many were found.
   */
  async discover(): Promise<number> {
    if (this.disposed) return 0;
    const aws = this.host.aws();
    const ecs = await this.host.ecs();
    const clusters = (await aws.listClusterArns(ecs)).slice(0, DISCOVERY_LIMITS.clusters);
    let found = 0;
    for (const cluster of clusters) {
      const arns = (await aws.listServiceArnsPage(ecs, cluster, { pageSize: DISCOVERY_LIMITS.servicesPerCluster })).items;
      if (arns.length === 0) continue;
      const { items } = await aws.describeServices(ecs, cluster, arns);
      for (const s of items) {
        const inProgress = s.status === 'ACTIVE' && (s.deployments ?? []).some((d) => d.rolloutState === 'IN_PROGRESS');
        if (!inProgress || !s.serviceName) continue;
        const existing = this.entries.get(rolloutKey(cluster, s.serviceName));
        if (existing && isActive(existing)) continue;
        this.host.log.info(`rollout: found ${s.serviceName} mid-rollout`);
        this.track(cluster, s.serviceName);
        found++;
      }
    }
    return found;
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
    if (this.expiryTimer !== undefined) this.clearT(this.expiryTimer);
    this.entries.clear();
    this.listeners.clear();
  }
}

/** The service's recently stopped tasks: one page of ListTasks desiredStatus STOPPED + DescribeTasks (≤ 100). */
export async function fetchStoppedTasks(aws: RolloutAws, ecs: ECSClient, cluster: string, serviceName: string): Promise<Task[]> {
  const arns = (await aws.listTaskArnsPage(ecs, { cluster, serviceName, desiredStatus: 'STOPPED' }, { pageSize: 100 })).items;
  if (arns.length === 0) return [];
  return (await aws.describeTasks(ecs, cluster, arns)).items;
}
