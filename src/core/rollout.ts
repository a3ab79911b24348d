/**
 * The rollout progress model, after AWS Copilot's ECS deployment progress: from successive
 * DescribeServices snapshots, the state of the newest (PRIMARY) deployment, the older ACTIVE ones
 * still draining, how long it has been going, whether it is stuck, and the event that explains it.
 * Pure: the UI renders `RolloutProgress` and polls; `RolloutObserver` keeps the memory between polls.
 */
import type { Deployment, Service, ServiceEvent, Task } from '@aws-sdk/client-ecs';
import { count, familyOf, formatDuration, revisionFromArn, revisionNumberOf, shortId, toMillis } from './format';
import { defaultTranslate, type Translate } from './l10n';

export type RolloutState = 'in-progress' | 'completed' | 'failed' | 'stuck';

export interface DeploymentProgress {
  id: string;
  /** PRIMARY | ACTIVE | INACTIVE */
  status: string;
  /** "family:N" */
  revision: string;
  desired: number;
  running: number;
  pending: number;
  failed: number;
  rolloutState?: string;
  rolloutStateReason?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** What kind of problem the explanation describes; lets the UI offer a fitting hint. */
export type ExplanationKind =
  | 'port-conflict' | 'insufficient-cpu' | 'insufficient-memory' | 'no-instances' | 'placement' | 'unhealthy-target'
  | 'deployment-configuration' | 'circuit-breaker' | 'image-pull' | 'task-stopped' | 'other';

export interface RolloutProgress {
  state: RolloutState;
  serviceName: string;
  serviceArn?: string;
  primary: DeploymentProgress;
  /** Older deployments still ACTIVE (their tasks being replaced). */
  others: DeploymentProgress[];
  /** Since the primary deployment was created; for a finished one, until its last update. */
  elapsedMs: number;
  /** While IN_PROGRESS: for how long nothing has changed (set once it counts as stuck). */
  stuckForMs?: number;
  explanation?: string;
  explanationKind?: ExplanationKind;
  /** e.g. "demo-app-task:2 1/2 running, old 2 running — IN_PROGRESS 0:42" */
  summaryText: string;
}

export interface RolloutOptions {
  now: number | Date;
  /** Events to use instead of `service.events` (newest first, as ECS returns them). */
  events?: ServiceEvent[];
  /** Recently stopped tasks of the service, for stopped-task reasons. */
  stoppedTasks?: Task[];
  /** When the counts/events last changed (from a RolloutObserver); defaults to the snapshot's own timestamps. */
  lastChangeAt?: number;
  /** The previous snapshot and when it was taken: if anything changed since, progress was made after `at`. */
  previous?: { service: Service; at: number | Date };
  /** No change for this long while IN_PROGRESS counts as stuck. Default 3 minutes. */
  stuckAfterMs?: number;
  t?: Translate;
}

export const DEFAULT_STUCK_AFTER_MS = 180_000;

export function toDeploymentProgress(d: Deployment): DeploymentProgress {
  return {
    id: d.id ?? '',
    status: d.status ?? '',
    revision: revisionFromArn(d.taskDefinition),
    desired: count(d.desiredCount),
    running: count(d.runningCount),
    pending: count(d.pendingCount),
    failed: count(d.failedTasks),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    createdAt: toMillis(d.createdAt),
    updatedAt: toMillis(d.updatedAt),
  };
}

/** Two task definitions (ARN or family:N) that name different revisions; a family alone matches any. */
function differentRevision(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const ra = revisionFromArn(a);
  const rb = revisionFromArn(b);
  if (familyOf(ra) !== familyOf(rb)) return true;
  const na = revisionNumberOf(ra);
  const nb = revisionNumberOf(rb);
  return na !== undefined && nb !== undefined && na !== nb;
}

function primaryOf(service: Service): DeploymentProgress {
  const deployments = service.deployments ?? [];
  const d = deployments.find((x) => x.status === 'PRIMARY') ?? deployments[0];
  if (d) return toDeploymentProgress(d);
  return {
    id: '', status: 'PRIMARY', revision: revisionFromArn(service.taskDefinition),
    desired: count(service.desiredCount), running: count(service.runningCount), pending: count(service.pendingCount),
    failed: 0, createdAt: toMillis(service.createdAt),
  };
}

const PROBLEM_PATTERNS: Array<[RegExp, ExplanationKind]> = [
  [/already using a port required by your task/i, 'port-conflict'],
  [/insufficient CPU units/i, 'insufficient-cpu'],
  [/insufficient memory/i, 'insufficient-memory'],
  [/no container instances? (?:were found|in your cluster)/i, 'no-instances'],
  [/no container instance met all of its requirements/i, 'placement'],
  [/CannotPullContainerError/i, 'image-pull'],
  [/is unhealthy in \(target-group/i, 'unhealthy-target'],
  [/unable to stop or start tasks during a deployment/i, 'deployment-configuration'],
  [/circuit breaker|deployment failed/i, 'circuit-breaker'],
  [/unable to place a task|failed to launch|task failed/i, 'other'],
];

/** Classify an event message as a problem, or undefined for progress/informational events. */
export function classifyEvent(message: string | undefined): ExplanationKind | undefined {
  if (!message) return undefined;
  for (const [re, kind] of PROBLEM_PATTERNS) if (re.test(message)) return kind;
  return undefined;
}

/** Drop ECS's boilerplate "For more information, see the Troubleshooting section…" sentence. */
export function trimEventMessage(message: string): string {
  return message.replace(/\s*For more information, see the Troubleshooting section[^.]*\.\s*$/i, '').trim();
}

interface Explanation { text: string; kind: ExplanationKind; at: number }

function explain(primary: DeploymentProgress, events: ServiceEvent[], stopped: Task[], t: Translate): Explanation | undefined {
  const since = primary.createdAt ?? 0;
  const candidates: Explanation[] = [];
  for (const e of events) {
    const at = toMillis(e.createdAt) ?? 0;
    const kind = classifyEvent(e.message);
    if (kind && at >= since) candidates.push({ text: trimEventMessage(e.message ?? ''), kind, at });
  }
  for (const task of stopped) {
    const belongs = !primary.id || task.startedBy === primary.id;
    const failedCode = task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited';
    const at = toMillis(task.stoppedAt ?? task.stoppingAt) ?? 0;
    if (belongs && failedCode && at >= since) {
      const reason = task.stoppedReason ?? task.stopCode ?? '';
      const container = task.containers?.find((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== 0));
      const detail = container?.reason ?? (container?.exitCode !== undefined ? t('exit code {0}', container.exitCode) : '');
      candidates.push({
        text: detail ? t('Task {0} stopped: {1} ({2})', shortId(task.taskArn), reason, detail) : t('Task {0} stopped: {1}', shortId(task.taskArn), reason),
        kind: /CannotPullContainerError/i.test(`${reason} ${detail}`) ? 'image-pull' : 'task-stopped',
        at,
      });
    }
  }
  candidates.sort((a, b) => b.at - a.at);
  return candidates[0];
}

/** A fingerprint of what counts as progress: the deployments' counts and states, and progress events. */
export function progressFingerprint(service: Service, events: ServiceEvent[] = service.events ?? []): string {
  const deployments = (service.deployments ?? [])
    .map((d) => `${d.id}:${d.status}:${d.runningCount}:${d.pendingCount}:${d.failedTasks}:${d.desiredCount}:${d.rolloutState}`)
    .join('|');
  const latestProgress = events.find((e) => !classifyEvent(e.message));
  return `${deployments}#${latestProgress?.id ?? ''}`;
}

function lastChangeFromSnapshot(service: Service, events: ServiceEvent[]): number | undefined {
  const times = (service.deployments ?? []).map((d) => toMillis(d.updatedAt) ?? toMillis(d.createdAt) ?? 0);
  const progressEvent = events.find((e) => !classifyEvent(e.message));
  if (progressEvent) times.push(toMillis(progressEvent.createdAt) ?? 0);
  return times.length ? Math.max(...times) : undefined;
}

/** Compute the rollout progress of one DescribeServices snapshot. */
export function computeRollout(service: Service, options: RolloutOptions): RolloutProgress {
  const t = options.t ?? defaultTranslate;
  const now = toMillis(options.now) ?? 0;
  const events = options.events ?? service.events ?? [];
  const stuckAfter = options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
  const primary = primaryOf(service);
  const others = (service.deployments ?? [])
    .filter((d) => d.status !== 'PRIMARY' && d.status !== 'INACTIVE' && d.id !== primary.id)
    .map(toDeploymentProgress);

  let state: RolloutState;
  // The service already names another revision than its PRIMARY deployment runs: that revision is
  // still to be deployed, whatever the deployment's own state says (an emulator may keep it COMPLETED).
  const pendingRevision = differentRevision(service.taskDefinition, primary.revision);
  if (primary.rolloutState === 'FAILED') state = 'failed';
  else if (pendingRevision) state = 'in-progress';
  else if (primary.rolloutState === 'COMPLETED') state = 'completed';
  else if (primary.rolloutState === 'IN_PROGRESS') state = 'in-progress';
  else {
    // No rolloutState (older deployments, other controllers): steady when one deployment at its desired count.
    const steady = others.length === 0 && primary.running === primary.desired && primary.pending === 0;
    state = steady ? 'completed' : 'in-progress';
  }

  let stuckForMs: number | undefined;
  if (state === 'in-progress') {
    let lastChange = options.lastChangeAt ?? lastChangeFromSnapshot(service, events);
    if (options.lastChangeAt === undefined && options.previous) {
      const prevAt = toMillis(options.previous.at) ?? 0;
      if (progressFingerprint(options.previous.service) !== progressFingerprint(service, events)) {
        lastChange = Math.max(lastChange ?? 0, prevAt);
      }
    }
    if (lastChange !== undefined && now - lastChange >= stuckAfter) {
      state = 'stuck';
      stuckForMs = now - lastChange;
    }
  }

  const created = primary.createdAt ?? now;
  const end = state === 'completed' || state === 'failed' ? (primary.updatedAt ?? now) : now;
  const elapsedMs = Math.max(0, end - created);

  let explanation: Explanation | undefined;
  if (state === 'failed' && primary.rolloutStateReason) {
    explanation = { text: primary.rolloutStateReason, kind: /circuit breaker/i.test(primary.rolloutStateReason) ? 'circuit-breaker' : 'other', at: now };
  } else if (state !== 'completed') {
    explanation = explain(primary, events, options.stoppedTasks ?? [], t);
    // Circuit breaker with rollback: the failed deployment is now ACTIVE and the PRIMARY rolls back.
    const failedOther = others.find((d) => d.rolloutState === 'FAILED');
    if (!explanation && failedOther) {
      explanation = {
        text: t('Rolling back to {0}: {1}', primary.revision, failedOther.rolloutStateReason ?? failedOther.revision),
        kind: 'circuit-breaker',
        at: now,
      };
    }
  }

  const stateLabel = state === 'stuck' ? t('STUCK') : state === 'failed' ? t('FAILED') : state === 'completed' ? t('COMPLETED') : t('IN_PROGRESS');
  let summary = t('{0} {1}/{2} running', primary.revision, primary.running, primary.desired);
  if (primary.pending > 0) summary += t(', {0} pending', primary.pending);
  if (primary.failed > 0) summary += t(', {0} failed', primary.failed);
  if (others.length > 0) summary += t(', old {0} running', others.reduce((n, d) => n + d.running, 0));
  summary += ` — ${stateLabel} ${formatDuration(elapsedMs)}`;

  return {
    state,
    serviceName: service.serviceName ?? '',
    serviceArn: service.serviceArn,
    primary,
    others,
    elapsedMs,
    stuckForMs,
    explanation: explanation?.text,
    explanationKind: explanation?.kind,
    summaryText: summary,
  };
}

/** True while the rollout still needs watching. */
export const isRolloutActive = (p: RolloutProgress): boolean => p.state === 'in-progress' || p.state === 'stuck';

/**
 * Follows one service's rollout over successive snapshots: remembers when progress was last made,
 * so that "stuck" means "no change for `stuckAfterMs`" as observed by this tracker.
 */
export class RolloutObserver {
  private fingerprint?: string;
  private lastChangeAt?: number;
  private deploymentId?: string;
  private latest?: RolloutProgress;

  constructor(private readonly options: { stuckAfterMs?: number; t?: Translate } = {}) {}

  /** Feed a new snapshot; returns the progress to render. */
  update(service: Service, now: number | Date, extra: { events?: ServiceEvent[]; stoppedTasks?: Task[] } = {}): RolloutProgress {
    const nowMs = toMillis(now) ?? 0;
    const events = extra.events ?? service.events ?? [];
    const fp = progressFingerprint(service, events);
    const primaryId = primaryOf(service).id;
    if (fp !== this.fingerprint || primaryId !== this.deploymentId) {
      // First snapshot: trust the snapshot's own timestamps; afterwards, the moment we saw the change.
      this.lastChangeAt = this.fingerprint === undefined ? (lastChangeFromSnapshot(service, events) ?? nowMs) : nowMs;
      this.fingerprint = fp;
      this.deploymentId = primaryId;
    }
    this.latest = computeRollout(service, {
      now: nowMs,
      events,
      stoppedTasks: extra.stoppedTasks,
      lastChangeAt: this.lastChangeAt,
      stuckAfterMs: this.options.stuckAfterMs,
      t: this.options.t,
    });
    return this.latest;
  }

  /** The last computed progress, if any. */
  get current(): RolloutProgress | undefined {
    return this.latest;
  }

  /** True until the rollout is COMPLETED or FAILED. */
  get active(): boolean {
    return this.latest === undefined || isRolloutActive(this.latest);
  }
}
