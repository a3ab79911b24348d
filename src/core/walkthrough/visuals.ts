/** Pure view models of the walkthrough's visuals, from a snapshot. */
import type { ChartPoint, DeploymentView, ProbeSample } from './messages';
import { nameOf, type Snapshot } from './snapshot';

/** Tasks per container instance with their host ports; tasks of the PRIMARY deployment are "new". */
export function deploymentView(s: Snapshot, family: string, service: string): DeploymentView {
  const svc = s.services.find((x) => x.name === service);
  const primary = svc?.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? svc?.taskDefinition;
  const tasks = s.tasks
    .filter((tk) => tk.group === `service:${service}` && tk.lastStatus !== 'STOPPED')
    .map((tk) => ({
      id: tk.id,
      taskDefinition: tk.taskDefinition,
      lastStatus: tk.lastStatus,
      ...(tk.hostPort ? { hostPort: tk.hostPort } : {}),
      isNew: !!primary && tk.taskDefinition === primary,
      ci: tk.containerInstanceArn,
    }));
  const instances = s.containerInstances
    .filter((ci) => ci.status === 'ACTIVE' || ci.status === 'DRAINING')
    .map((ci) => ({
      id: ci.ec2InstanceId ?? nameOf(ci.arn),
      ...(ci.availabilityZone ? { az: ci.availabilityZone } : {}),
      usedPorts: ci.usedPorts,
      tasks: tasks.filter((tk) => tk.ci === ci.arn).map(({ ci: _ci, ...rest }) => rest),
    }));
  const placed = new Set(s.containerInstances.map((ci) => ci.arn));
  void family;
  return {
    instances,
    unplaced: tasks.filter((tk) => !tk.ci || !placed.has(tk.ci)).map(({ ci: _ci, ...rest }) => rest),
    deployments: (svc?.deployments ?? []).map((d) => ({ status: d.status, taskDefinition: d.taskDefinition, desired: d.desired, running: d.running, pending: d.pending, ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}) })),
    events: (svc?.events ?? []).slice(0, 6).map((e) => e.message),
  };
}

/**
 * The load balancer's URL as the walkthrough names it (`{endpoint}`, no trailing "/"): the URL the
 * user opens — on the sandbox the listener's `http://<name>.elb.localhost:<port>`, on AWS its DNS
 * name — never the plain 127.0.0.1 address the extension itself requests.
 */
export function shownEndpoint(s: Snapshot, lbName: string | undefined): string | undefined {
  const lb = s.loadBalancers.find((x) => x.name === lbName) ?? s.loadBalancers[0];
  const url = lb?.url ?? (lb?.dnsName ? `http://${lb.dnsName}/` : undefined);
  return url?.replace(/\/+$/, '');
}

/**
 * The request probe's target `path` on the load balancer `lbName`: `request` is where the extension
 * sends its requests (the sandbox's 127.0.0.1 listener: Node does not resolve *.localhost names),
 * `shown` the same listener as the user knows it (the URL `shownEndpoint` names).
 */
export function probeUrls(s: Snapshot, lbName: string | undefined, path = 'app/'): { request?: string; shown?: string } {
  const lb = s.loadBalancers.find((x) => x.name === lbName);
  const shown = lb?.url ?? (lb?.dnsName ? `http://${lb.dnsName}/` : undefined);
  const request = lb?.localUrl ?? shown;
  return { ...(request ? { request: `${request}${path}` } : {}), ...(shown ? { shown: `${shown}${path}` } : {}) };
}

/** A probe sample that counts as an error: a 5xx, or no answer (connection error or timeout). */
export const isProbeError = (sm: ProbeSample): boolean => sm.status === 0 || sm.status >= 500;

/**
 * Requests, errors (5xx, connection errors and timeouts) and the error windows: from the first failing
 * request to the first good one after it (an open window ends at its last failure), in ms, by the
 * time the requests were sent (answers of concurrent requests may arrive out of order).
 */
export function probeSummary(samples: readonly ProbeSample[]): { total: number; errors: number; longestErrorMs: number; windows: { from: number; to: number }[] } {
  let errors = 0;
  let longest = 0;
  const windows: { from: number; to: number }[] = [];
  let start: number | undefined;
  let last = 0;
  const sorted = samples.every((sm, i) => i === 0 || samples[i - 1].t <= sm.t) ? samples : [...samples].sort((a, b) => a.t - b.t);
  for (const sm of sorted) {
    if (isProbeError(sm)) {
      errors++;
      if (start === undefined) start = sm.t;
      last = sm.t + sm.ms;
    } else if (start !== undefined) {
      // The window lasts until the first good answer after it.
      windows.push({ from: start, to: sm.t });
      longest = Math.max(longest, sm.t - start);
      start = undefined;
    }
  }
  if (start !== undefined) {
    windows.push({ from: start, to: last });
    longest = Math.max(longest, last - start);
  }
  return { total: samples.length, errors, longestErrorMs: longest, windows };
}

/**
 * Error windows merged into periods when the good requests between them last less than `gapMs`
 * (while half the targets are dead every other request fails: one period, not many tiny windows).
 */
export function errorPeriods(windows: readonly { from: number; to: number }[], gapMs = 1000): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const w of windows) {
    const last = out[out.length - 1];
    if (last && w.from - last.to < gapMs) last.to = Math.max(last.to, w.to);
    else out.push({ ...w });
  }
  return out;
}

type Series = (number | null)[];

/** uPlot's aligned data from the chart points: x in minutes since the origin; CPU only at its minutes. */
export function chartData(points: readonly ChartPoint[], threshold: number, origin?: number): [number[], Series, Series, Series, Series, Series] {
  const cpu = new Map<number, number>();
  for (const p of points) {
    for (const [t, v] of p.cpuPoints ?? []) cpu.set(t, v);
  }
  const zero = origin ?? (points.length ? Math.min(...points.map((p) => p.t)) : Math.min(...cpu.keys()));
  const byT = new Map<number, ChartPoint>();
  for (const p of points) byT.set(p.t, p);
  const xs = [...new Set([...byT.keys(), ...cpu.keys()])].filter((t) => t >= zero - 60).sort((a, b) => a - b);
  const at = (t: number, f: (p: ChartPoint) => number): number | null => {
    const p = byT.get(t);
    return p ? f(p) : null;
  };
  return [
    xs.map((t) => Math.round(((t - zero) / 60) * 1000) / 1000),
    xs.map((t) => cpu.get(t) ?? null),
    xs.map(() => threshold),
    xs.map((t) => at(t, (p) => p.desired)),
    xs.map((t) => at(t, (p) => p.running)),
    xs.map((t) => at(t, (p) => p.instances)),
  ];
}

/**
 * What the probe saw since the last stop or crash it marked (undefined before one): failed requests,
 * the longest error period (real ms) and whether the newest request failed. For the walkthrough's
 * "what is happening now" (insights.ts).
 */
export function probeSince(samples: readonly ProbeSample[], marks: readonly { t: number }[]): { errors: number; longestMs: number; open: boolean } | undefined {
  const mark = marks[marks.length - 1];
  if (!mark) return undefined;
  const since = samples.filter((sm) => sm.t >= mark.t).sort((a, b) => a.t - b.t);
  const sm = probeSummary(since);
  const longestMs = Math.max(0, ...errorPeriods(sm.windows).map((w) => w.to - w.from));
  const last = since[since.length - 1];
  return { errors: sm.errors, longestMs, open: !!last && isProbeError(last) };
}
