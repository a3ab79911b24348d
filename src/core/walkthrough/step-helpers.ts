/** Building blocks the step definitions share: input readers and validators, snapshot lookups, check results, common actions. */
import type { RegisterRevisionArgs, UpdateServiceArgs } from '../commands/contract';
import { failure } from '../commands/failure';
import type { Translate } from '../l10n';
import type { StepId } from './step-ids';
import { familyRevision, nameOf, type Snapshot, type TaskInfo } from './snapshot';
import { commandAction, type ActionSpec, type CheckContext, type CheckItem, type CheckResult, type InputSpec, type InputValue, type InputValues, type StepRecord, type StepSpec, type Visual } from './step-types';

export const str = (v: InputValue | undefined, d = ''): string => (v === undefined ? d : String(v).trim());
export const num = (v: InputValue | undefined, d = 0): number => {
  if (v === '' || v === undefined) return d;
  const n = Number(v);
  return Number.isFinite(n) ? n : d;
};

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
export const validName = (v: InputValue): string | undefined =>
  NAME_RE.test(String(v)) ? undefined : 'Use letters, digits, hyphens and underscores (up to 255).';
export const validLbName = (v: InputValue): string | undefined =>
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(String(v)) ? undefined : 'Up to 32 letters, digits and hyphens; not starting or ending with a hyphen.';
export const validImage = (v: InputValue): string | undefined =>
  /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/.test(String(v)) ? undefined : 'An image such as uzresk/demo:ver2.0.';

/**
 * Human labels of select options whose values are API words (the EC2 capacity: 'autoScalingGroup');
 * English, translated by the host. The same words as the Create Cluster command's picker.
 */
export const OPTION_LABELS: Readonly<Record<string, string>> = {
  instances: 'Instances from a launch template',
  autoScalingGroup: 'An Auto Scaling group',
};

/** The label of a select option: its human label (through `t`) or, for a plain value (t3.small), the value. */
export function optionLabel(value: string, t: Translate): string {
  return Object.prototype.hasOwnProperty.call(OPTION_LABELS, value) ? t(OPTION_LABELS[value]) : value;
}

export const input = {
  cluster: (): InputSpec => ({ key: 'cluster', label: 'Cluster name', kind: 'text', default: 'demo-cluster', validate: validName }),
  service: (): InputSpec => ({ key: 'service', label: 'Service name', kind: 'text', default: 'demo-service', validate: validName }),
  family: (): InputSpec => ({ key: 'family', label: 'Task definition family', kind: 'text', default: 'demo-app-task', validate: validName }),
  image: (d: string): InputSpec => ({ key: 'image', label: 'Image', kind: 'text', default: d, validate: validImage }),
  lb: (): InputSpec => ({ key: 'loadBalancer', label: 'Load balancer name', kind: 'text', default: 'app-demo-lb', validate: validLbName }),
};

export function findCluster(s: Snapshot, name: string) {
  return s.clusters.find((c) => (c.name === name || c.arn === name) && c.status === 'ACTIVE');
}
export function findService(s: Snapshot, cluster: string, name: string) {
  return s.services.find((x) => x.name === name && (nameOf(x.cluster) === cluster || x.cluster === cluster) && x.status === 'ACTIVE');
}
export function serviceTasks(s: Snapshot, cluster: string, service: string, status = 'RUNNING'): TaskInfo[] {
  return s.tasks.filter((tk) => tk.group === `service:${service}` && (nameOf(tk.cluster) === cluster || tk.cluster === cluster) && tk.lastStatus === status);
}
export function latestRevision(s: Snapshot, family: string) {
  return s.taskDefinitions.filter((d) => d.family === family && d.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
}
export function taskDef(s: Snapshot, fr: string) {
  return s.taskDefinitions.find((d) => `${d.family}:${d.revision}` === familyRevision(fr));
}

export function result(items: CheckItem[], t: Translate, okText: string, waiting = false): CheckResult {
  const missing = items.find((i) => !i.ok);
  if (!missing) return { status: 'pass', detail: okText, items };
  return { status: waiting ? 'waiting' : 'fail', detail: t('Missing: {0}', missing.label), items };
}

/** ECS's event text when a static host port is taken on every instance. */
export const PORT_CONFLICT_TEXT = 'already using a port required by your task';

export function acknowledgeStep(id: StepId, requires: StepId[], visual: Visual = 'none', inputs: InputSpec[] = []): StepSpec {
  return {
    id,
    requires,
    inputs,
    actions: [{ id: 'acknowledge', label: 'Mark as done', kind: 'acknowledge' }],
    parts: [],
    visual,
    check: (_s, { record, t }) =>
      record.acknowledged
        ? { status: 'pass', detail: t('Done.'), items: [{ label: t('Read and understood'), ok: true }] }
        : { status: 'fail', detail: t('Missing: {0}', t('read it and mark it as done')), items: [{ label: t('Read and understood'), ok: false }] },
  };
}

/** A rollout check shared by release / blue-green steps: the service runs only `want` revisions' tasks. */
export function rolloutItems(s: Snapshot, ctx: CheckContext, want: (fr: string) => boolean, wantLabel: string): { items: CheckItem[]; waiting: boolean } {
  const { t, inputs, record } = ctx;
  const cluster = str(inputs.cluster, 'demo-cluster');
  const name = str(inputs.service, 'demo-service');
  const svc = findService(s, cluster, name);
  const primary = svc?.deployments.find((d) => d.status === 'PRIMARY');
  const running = svc ? serviceTasks(s, cluster, name) : [];
  // Timestamps of the service and of the walkthrough may come from different clocks (the sandbox's
  // clock can be re-scaled): compare with what was recorded from the service itself.
  void record;
  const updatedAfterRun = !!primary;
  const items: CheckItem[] = [
    { label: t('service {0} exists', name), ok: !!svc },
    { label: t('the service was updated to {0}', wantLabel), ok: !!primary && want(primary.taskDefinition) && updatedAfterRun },
    { label: t('only one deployment left (rollout completed)'), ok: !!svc && svc.deployments.length === 1 },
    {
      label: t('{0} RUNNING tasks, all of {1}', svc?.desiredCount ?? 2, wantLabel),
      ok: !!svc && running.length === svc.desiredCount && running.every((tk) => want(tk.taskDefinition)),
    },
  ];
  return { items, waiting: !!svc && (svc.deployments.length > 1 || svc.pendingCount > 0) };
}

export function updateArgs(inputs: InputValues, s: Snapshot, extra: Partial<UpdateServiceArgs> = {}): UpdateServiceArgs {
  const family = str(inputs.family, 'demo-app-task');
  const latest = latestRevision(s, family);
  return {
    cluster: str(inputs.cluster, 'demo-cluster'),
    service: str(inputs.service, 'demo-service'),
    taskDefinition: latest ? `${latest.family}:${latest.revision}` : family,
    ...extra,
  };
}

export function baseline(inputs: InputValues, s: Snapshot): StepRecord {
  const cluster = str(inputs.cluster, 'demo-cluster');
  const service = str(inputs.service, 'demo-service');
  const svc = findService(s, cluster, service);
  const lastEventAt = svc?.events.reduce((m, e) => Math.max(m, e.createdAt), 0);
  const primaryDeploymentId = svc?.deployments.find((d) => d.status === 'PRIMARY')?.id;
  return {
    ranAt: s.takenAt,
    baselineTaskIds: serviceTasks(s, cluster, service).map((tk) => tk.id),
    maxRunning: serviceTasks(s, cluster, service).length,
    ...(lastEventAt !== undefined ? { lastEventAt } : {}),
    ...(primaryDeploymentId ? { primaryDeploymentId } : {}),
  };
}

export const imageOf = (s: Snapshot, fr: string) => taskDef(s, fr)?.image ?? '';

// ---------------------------------------------------------------------------------------------
// the steps

export const registerRevisionAction = (extra: (inputs: InputValues) => RegisterRevisionArgs, label = 'Register the new revision'): ActionSpec =>
  commandAction('ecsHandson.taskDefinition.registerRevision', {
    id: 'registerRevision',
    label,
    parts: [],
    args: (inputs) => ({ family: str(inputs.family, 'demo-app-task'), ...extra(inputs) }),
    secondary: true,
  });

/** Stops (kind 'command': `ecsHandson.task.stop`) or crashes (kind 'sandboxKill', with the same arguments) the service's oldest task. */
export const stopOneTaskAction = (secondary: boolean, label = 'Stop one task', kind: 'command' | 'sandboxKill' = 'command'): ActionSpec<'ecsHandson.task.stop'> => ({
  id: kind === 'command' ? 'stopTask' : 'crashTask',
  label,
  kind,
  ...(kind === 'command' ? { command: 'ecsHandson.task.stop' as const } : { sandboxOnly: true }),
  parts: ['services', 'tasks'],
  args: (inputs, s, t) => {
    const cluster = str(inputs.cluster, 'demo-cluster');
    const service = str(inputs.service, 'demo-service');
    // The oldest task, preferring one of an older revision than the service's PRIMARY deployment.
    const primary = findService(s, cluster, service)?.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition;
    const running = serviceTasks(s, cluster, service).sort(
      (a, b) => Number(a.taskDefinition === primary) - Number(b.taskDefinition === primary) || (a.startedAt ?? 0) - (b.startedAt ?? 0),
    );
    if (!running.length) return failure('NotFound', t('No RUNNING task of {0} to stop.', service));
    return { cluster, task: running[0].arn, reason: 'Stopped from the ECS Hands-on walkthrough' };
  },
  record: (inputs, s, args) => ({ ...baseline(inputs, s), stoppedTaskId: nameOf(args.task) }),
  secondary,
});

/**
 * "Show the service's logs": Show Logs on the service (all its tasks interleaved, each line with its
 * short task id, tasks started later joining), to watch a task stop and its replacement start
 * (kill-container) and the new tasks of a scale-out start up (autoscaling-run).
 */
export const showServiceLogsAction = (): ActionSpec<'ecsHandson.logs.show'> =>
  commandAction('ecsHandson.logs.show', {
    id: 'showLogs',
    label: 'Show the service\'s logs',
    args: (inputs) => ({ cluster: str(inputs.cluster, 'demo-cluster'), service: str(inputs.service, 'demo-service') }),
    secondary: true,
    readOnly: true,
  });

/** The ACTIVE container instances of a cluster (given by name or ARN). */
export function activeInstances(s: Snapshot, cluster: string) {
  return s.containerInstances.filter((ci) => (ci.cluster === cluster || nameOf(ci.cluster) === nameOf(cluster)) && ci.status === 'ACTIVE');
}

/** The load balancer named `name` and the target groups behind it (the one lookup every step uses). */
export function behind(s: Snapshot, name: string) {
  const lb = s.loadBalancers.find((x) => x.name === name);
  const targetGroups = lb ? s.targetGroups.filter((g) => g.loadBalancerArns.includes(lb.arn)) : [];
  return { lb, targetGroups, targetGroup: targetGroups[0] };
}

/** "N healthy targets behind <lb>": the targets of the load balancer's (and the service's) target groups. */
export function healthyItem(s: Snapshot, svc: { targetGroupArns: string[] } | undefined, lbName: string, want: number, t: Translate): CheckItem {
  const own = behind(s, lbName).targetGroups;
  const tgs = s.targetGroups.filter((g) => own.includes(g) || (svc?.targetGroupArns ?? []).includes(g.arn));
  const healthy = tgs.reduce((n, g) => n + g.targets.filter((x) => x.health === 'healthy').length, 0);
  return { label: t('{0} healthy targets behind {1} ({2} now)', want, lbName, healthy), ok: !!svc && want > 0 && healthy >= want };
}
