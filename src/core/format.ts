/** Small, pure formatting helpers shared by the tree, the status bar and the commands. */
import { onClock, type TimeBase } from './clock';
import { defaultTranslate, type Translate } from './l10n';

/** A timestamp as the SDK returns it (Date) or as a number of epoch milliseconds. */
export type TimeLike = Date | number | string | undefined | null;

/** Epoch milliseconds of a timestamp, or undefined when absent/invalid. */
export function toMillis(value: TimeLike): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * "just now", "12 sec ago", "2 min ago", "3 h ago", "4 d ago" (or "in 2 min" for the future); on the
 * sandbox's clock (`base`) labelled "(sandbox time)" — the rule in clock.ts.
 */
export function relativeTime(when: TimeLike, now: TimeLike, t: Translate = defaultTranslate, base?: TimeBase): string {
  return onClock(relativeTimeText(when, now, t), base, t);
}

function relativeTimeText(when: TimeLike, now: TimeLike, t: Translate): string {
  const a = toMillis(when);
  const b = toMillis(now);
  if (a === undefined || b === undefined) return '';
  const diff = b - a;
  const abs = Math.abs(diff);
  if (abs < 5_000) return t('just now');
  let text: string;
  if (abs < 60_000) text = t('{0} sec', Math.floor(abs / 1000));
  else if (abs < 3_600_000) text = t('{0} min', Math.floor(abs / 60_000));
  else if (abs < 86_400_000) text = t('{0} h', Math.floor(abs / 3_600_000));
  else text = t('{0} d', Math.floor(abs / 86_400_000));
  return diff >= 0 ? t('{0} ago', text) : t('in {0}', text);
}

/** A duration as m:ss on the service's clock, labelled on the sandbox's (the rule in clock.ts). */
export function durationOnClock(ms: number, base: TimeBase | undefined, t: Translate = defaultTranslate): string {
  return onClock(formatDuration(ms), base, t);
}

/** Duration as m:ss, or h:mm:ss from one hour on. Negative durations count as 0. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * "family:revision" from a task-definition ARN
 * (`arn:aws:ecs:us-east-1:123456789012:task-definition/demo-app-task:2` → `demo-app-task:2`).
 * A value that already is `family:revision` (or a bare family) is returned unchanged.
 */
export function revisionFromArn(arnOrRevision: string | undefined): string {
  if (!arnOrRevision) return '';
  const i = arnOrRevision.indexOf('task-definition/');
  return i >= 0 ? arnOrRevision.slice(i + 'task-definition/'.length) : arnOrRevision;
}

/**
 * A count as a service reports it, fit to show: never negative (an emulator can report a cluster's
 * pending tasks as -1), missing = 0.
 */
export const count = (n: number | undefined): number => (typeof n === 'number' && n > 0 ? n : 0);

/** The family part of "family:N" or of a task-definition ARN. */
export function familyOf(arnOrRevision: string | undefined): string {
  const rev = revisionFromArn(arnOrRevision);
  const colon = rev.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(rev.slice(colon + 1)) ? rev.slice(0, colon) : rev;
}

/** The revision number of "family:N" or of a task-definition ARN, if any. */
export function revisionNumberOf(arnOrRevision: string | undefined): number | undefined {
  const m = /:(\d+)$/.exec(revisionFromArn(arnOrRevision));
  return m ? Number(m[1]) : undefined;
}

/**
 * The last path segment of an ARN: the task id of a task ARN (old or new format), the service
 * name of a service ARN, the id of a container instance, the cluster name of a cluster ARN.
 * Non-ARN input is returned unchanged.
 */
export function idFromArn(arn: string | undefined): string {
  if (!arn) return '';
  if (!arn.startsWith('arn:')) return arn;
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.lastIndexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}

/** The cluster name inside a new-format service/task/container-instance ARN, if present. */
export function clusterNameFromArn(arn: string | undefined): string | undefined {
  if (!arn?.startsWith('arn:')) return undefined;
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  if (parts[0] === 'cluster') return parts[1];
  return parts.length >= 3 ? parts[1] : undefined;
}

/** A short form of an id (first 8 characters), like the ECS console shows for tasks. */
export function shortId(idOrArn: string | undefined, length = 8): string {
  return idFromArn(idOrArn).slice(0, length);
}

/** A load balancer / target group name from its ARN (`…:targetgroup/demo-tg/abc` → `demo-tg`). */
export function elbNameFromArn(arn: string | undefined): string {
  if (!arn) return '';
  const m = /:(?:loadbalancer\/(?:app|net|gwy)\/|targetgroup\/)([^/]+)/.exec(arn);
  return m ? m[1] : idFromArn(arn);
}

/** MiB as "512 MiB" / "1.5 GiB". */
export function formatMiB(mib: number | undefined): string {
  if (mib === undefined || !Number.isFinite(mib)) return '';
  if (Math.abs(mib) >= 1024) return `${trim(mib / 1024)} GiB`;
  return `${trim(mib)} MiB`;
}

/** Bytes as "512 B" / "1.5 KiB" / "2 MiB" / "3.2 GiB". */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${trim(v)} ${units[u]}`;
}

/** CPU units as "256 (0.25 vCPU)". */
export function formatCpuUnits(units: number | undefined): string {
  if (units === undefined || !Number.isFinite(units)) return '';
  return `${units} (${trim(units / 1024)} vCPU)`;
}

function trim(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Escape text for inclusion in a Markdown tooltip. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** The load balancer ARN a listener ARN belongs to (`…:listener/app/<name>/<lb>/<id>` → `…:loadbalancer/app/<name>/<lb>`). */
export function loadBalancerArnOfListener(listenerArn: string): string {
  return listenerArn.replace(':listener/', ':loadbalancer/').split('/').slice(0, 4).join('/');
}
