/** Pure view models of the walkthrough's visuals, from a snapshot. */
import type { DeploymentView, ProbeSample } from './messages';
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
 * Requests, errors (5xx and connection errors) and the error windows: from the first failing request
 * to the first good one after it (an open window ends at its last failure), in ms.
 */
export function probeSummary(samples: readonly ProbeSample[]): { total: number; errors: number; longestErrorMs: number; windows: { from: number; to: number }[] } {
  let errors = 0;
  let longest = 0;
  const windows: { from: number; to: number }[] = [];
  let start: number | undefined;
  let last = 0;
  for (const sm of samples) {
    const bad = sm.status === 0 || sm.status >= 500;
    if (bad) {
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
