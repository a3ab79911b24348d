/**
 * Polling schedules, pure (time and randomness are injected):
 * - `RolloutPollSchedule`: how long to wait before the next DescribeServices while rollouts are
 *   tracked — 1–4 s with jitter, exponential backoff on throttling/network errors, reset on success,
 *   stop when no rollout is active (AWS Copilot's deployment progress model).
 * - `TreeRefreshPlanner`: which explorer nodes to refresh and when — only expanded ones, only while
 *   the view is visible, explicit requests debounced, nothing while throttled (vscode-kubernetes-tools).
 */
import { isRolloutActive, type RolloutProgress } from './rollout';

export interface PollPolicy {
  /** Lower bound of the normal delay. Default 1000 ms. */
  minDelayMs: number;
  /** Upper bound of the normal delay. Default 4000 ms. */
  maxDelayMs: number;
  /** First backoff delay after a throttled call. Default 2000 ms. */
  backoffBaseMs: number;
  /** Backoff cap. Default 30000 ms. */
  backoffCapMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = { minDelayMs: 1000, maxDelayMs: 4000, backoffBaseMs: 2000, backoffCapMs: 30_000 };

/** Random source in [0, 1); `Math.random` by default, injectable for tests. */
export type Random = () => number;

/** The normal polling delay: uniformly in [min, max]. */
export function jitteredDelay(policy: PollPolicy = DEFAULT_POLL_POLICY, random: Random = Math.random): number {
  return Math.round(policy.minDelayMs + random() * (policy.maxDelayMs - policy.minDelayMs));
}

/**
 * The delay after `failures` consecutive throttled/failed calls (≥ 1): exponential from
 * `backoffBaseMs`, capped, with "equal jitter" (between half and all of the exponential value).
 */
export function backoffDelay(failures: number, policy: PollPolicy = DEFAULT_POLL_POLICY, random: Random = Math.random): number {
  const exp = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Stateful wrapper over the pure delay functions for one polling loop. */
export class RolloutPollSchedule {
  private failures = 0;
  private readonly policy: PollPolicy;

  constructor(policy: Partial<PollPolicy> = {}, private readonly random: Random = Math.random) {
    this.policy = { ...DEFAULT_POLL_POLICY, ...policy };
  }

  /** A poll succeeded: back to the normal cadence. */
  recordSuccess(): void {
    this.failures = 0;
  }

  /** A poll was throttled (or failed retryably): back off. */
  recordThrottled(): void {
    this.failures++;
  }

  /** Consecutive throttled/failed polls. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Delay before the next poll, or `undefined` to stop: stop when nothing is active
   * (every tracked rollout COMPLETED or FAILED).
   */
  nextDelay(anyActive: boolean): number | undefined {
    if (!anyActive) return undefined;
    return this.failures > 0 ? backoffDelay(this.failures, this.policy, this.random) : jitteredDelay(this.policy, this.random);
  }

  /** `nextDelay` for the tracked rollouts: stops once every one is COMPLETED or FAILED. */
  nextDelayFor(rollouts: readonly RolloutProgress[]): number | undefined {
    return this.nextDelay(rollouts.some(isRolloutActive));
  }
}

export interface TreeRefreshOptions {
  /** Coalescing window for explicit refresh requests. Default 300 ms. */
  debounceMs?: number;
  /** Periodic refresh interval of an expanded node (undefined = never periodically). Default 30 s. */
  intervalMs?: (key: string) => number | undefined;
  /** Backoff after a throttled refresh: first delay, cap. Defaults 2 s, 60 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export interface RefreshPlan {
  /** Node keys to refresh now. */
  keys: string[];
  /** When to call `plan` again (epoch ms), if anything is scheduled. */
  nextAt?: number;
}

/** The key of the tree root (always considered expanded). */
export const ROOT_KEY = '';

/**
 * Decides which explorer nodes to refresh: a collapsed node is never refreshed (its children load
 * when it is expanded), nothing is refreshed while the view is hidden (requests wait), explicit
 * requests are debounced and coalesced, and throttling pauses everything with backoff.
 */
export class TreeRefreshPlanner {
  private readonly expanded = new Set<string>([ROOT_KEY]);
  private readonly requested = new Map<string, number>();
  private readonly lastRefresh = new Map<string, number>();
  private visible = true;
  private throttledUntil = 0;
  private throttles = 0;
  private readonly debounceMs: number;
  private readonly intervalMs: (key: string) => number | undefined;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;

  constructor(options: TreeRefreshOptions = {}) {
    this.debounceMs = options.debounceMs ?? 300;
    this.intervalMs = options.intervalMs ?? (() => 30_000);
    this.backoffBaseMs = options.backoffBaseMs ?? 2000;
    this.backoffCapMs = options.backoffCapMs ?? 60_000;
  }

  setExpanded(key: string, expanded: boolean): void {
    if (key === ROOT_KEY) return;
    if (expanded) this.expanded.add(key);
    else this.expanded.delete(key);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
  }

  /** Ask for a refresh of `key` (after a command changed something); debounced from the last request. */
  request(key: string, now: number): void {
    this.requested.set(key, now);
  }

  /** `key` was refreshed at `now` (successfully). */
  recordRefreshed(key: string, now: number): void {
    this.lastRefresh.set(key, now);
    this.requested.delete(key);
    this.throttles = 0;
  }

  /** A refresh was throttled at `now`: pause all refreshes with exponential backoff. */
  recordThrottled(now: number): void {
    this.throttles++;
    this.throttledUntil = now + Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (this.throttles - 1));
  }

  /** Forget a node that disappeared (and its state). */
  forget(key: string): void {
    this.expanded.delete(key);
    this.requested.delete(key);
    this.lastRefresh.delete(key);
  }

  /**
   * Keys to refresh at `now`, and when to ask again. A due key stays due until
   * `recordRefreshed(key, …)` is called (or `recordThrottled` pauses everything).
   */
  plan(now: number): RefreshPlan {
    if (!this.visible) return { keys: [] };
    if (now < this.throttledUntil) return { keys: [], nextAt: this.throttledUntil };
    const keys: string[] = [];
    let nextAt: number | undefined;
    const consider = (key: string, dueAt: number) => {
      if (dueAt <= now) {
        if (!keys.includes(key)) keys.push(key);
      } else {
        nextAt = nextAt === undefined ? dueAt : Math.min(nextAt, dueAt);
      }
    };
    for (const [key, at] of this.requested) {
      if (this.expanded.has(key)) consider(key, at + this.debounceMs);
      else this.requested.delete(key); // collapsed: its children load fresh when expanded
    }
    for (const key of this.expanded) {
      const interval = this.intervalMs(key);
      if (interval === undefined) continue;
      const last = this.lastRefresh.get(key);
      consider(key, last === undefined ? now : last + interval);
    }
    return { keys, nextAt };
  }
}

/**
 * Calls `check` until it returns a value (anything but undefined / false), `timeoutMs` passes or
 * `cancelled()` says so; then undefined. `check` runs at once, then every `intervalMs`. The one
 * wait loop of the extension (container instances registering, a load balancer becoming active, a
 * service draining, a deleted resource going away).
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false>,
  opts: { timeoutMs: number; intervalMs: number; cancelled?: () => boolean },
): Promise<T | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (opts.cancelled?.() || Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}

/**
 * How often to look again while something changes: real AWS takes minutes and counts API calls,
 * so the given interval; the sandbox or another local endpoint answers at once, so every 0.5 s at
 * most. Callers keep the same time budget either way.
 */
export type Pace = (realMs: number) => number;
export const paceFor = (isRealAws: boolean): Pace => (isRealAws ? (ms) => ms : (ms) => Math.min(ms, 500));
