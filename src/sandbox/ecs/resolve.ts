/**
 * Finding ECS resources from what a request names: a name / id or a full ARN, the way ECS
 * accepts either. An ARN from another region or account names nothing here.
 */
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import type { Cluster, ContainerInstance, Service, Task, TaskDefinition } from '../engine/state';
import { ecsFields as f } from '../kit';

export interface ParsedArn {
  region: string;
  account: string;
  /** `cluster`, `service`, `task`, `container-instance`, `task-definition`. */
  type: string;
  /** The path after `<type>/`, split on `/`. */
  parts: string[];
}

const ARN_RE = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/;

export const isArn = (s: string): boolean => s.startsWith('arn:');

export function parseArn(s: string): ParsedArn | undefined {
  const m = ARN_RE.exec(s);
  if (!m) return undefined;
  return { region: m[1], account: m[2], type: m[3], parts: m[4].split('/') };
}

const ours = (ctx: RequestContext, a: ParsedArn) => a.region === ctx.region && a.account === ctx.accountId;

export const clusterNotFound = (): never => {
  throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
};

/**
 * The cluster name a `cluster` member refers to (absent = `default`), without checking it exists.
 * Returns undefined for an ARN of another region / account or of another resource type.
 */
export function clusterNameOf(ctx: RequestContext, ref: unknown, member = 'cluster'): string | undefined {
  const s = f.str(ref, member);
  if (s === undefined || s === '') return 'default';
  if (!isArn(s)) return s;
  const a = parseArn(s);
  if (!a || a.type !== 'cluster' || a.parts.length !== 1) return f.fail(`Invalid cluster ARN: ${s}.`);
  return ours(ctx, a) ? a.parts[0] : undefined;
}

/** A cluster by name or ARN, in any status (for DescribeClusters). */
export function findCluster(ctx: RequestContext, ref: unknown, member = 'cluster'): Cluster | undefined {
  const name = clusterNameOf(ctx, ref, member);
  return name === undefined ? undefined : own(ctx.state.ecs.clusters, name);
}

/** The ACTIVE cluster the request names, else `ClusterNotFoundException`. */
export function activeCluster(ctx: RequestContext, ref: unknown, member = 'cluster'): Cluster {
  const c = findCluster(ctx, ref, member);
  if (!c || c.status !== 'ACTIVE') return clusterNotFound();
  return c;
}

// Names such as `__proto__` or `constructor` are valid ECS names: records use own keys only.
export { own, put } from '../records';
import { own } from '../records';

/** A service of `cluster` by name or ARN (`service/<cluster>/<name>` or the old `service/<name>`). */
export function findService(ctx: RequestContext, cluster: Cluster, ref: string): Service | undefined {
  let name = ref;
  if (isArn(ref)) {
    const a = parseArn(ref);
    if (!a || a.type !== 'service' || !ours(ctx, a)) return undefined;
    if (a.parts.length === 2 && a.parts[0] !== cluster.clusterName) return undefined;
    if (a.parts.length > 2) return undefined;
    name = a.parts[a.parts.length - 1];
  }
  return own(ctx.state.ecs.services[cluster.clusterName], name);
}

/** A task of `cluster` by id or ARN. */
export function findTask(ctx: RequestContext, cluster: Cluster, ref: string): Task | undefined {
  let id = ref;
  if (isArn(ref)) {
    const a = parseArn(ref);
    if (!a || a.type !== 'task' || !ours(ctx, a) || a.parts.length > 2) return undefined;
    if (a.parts.length === 2 && a.parts[0] !== cluster.clusterName) return undefined;
    id = a.parts[a.parts.length - 1];
  }
  const t = own(ctx.state.ecs.tasks, id);
  return t && t.clusterArn === cluster.clusterArn ? t : undefined;
}

/** A container instance of `cluster` by id or ARN. */
export function findContainerInstance(ctx: RequestContext, cluster: Cluster, ref: string): ContainerInstance | undefined {
  let id = ref;
  if (isArn(ref)) {
    const a = parseArn(ref);
    if (!a || a.type !== 'container-instance' || !ours(ctx, a) || a.parts.length > 2) return undefined;
    if (a.parts.length === 2 && a.parts[0] !== cluster.clusterName) return undefined;
    id = a.parts[a.parts.length - 1];
  }
  const ci = own(ctx.state.ecs.containerInstances, id);
  return ci && ci.clusterName === cluster.clusterName ? ci : undefined;
}

/**
 * A task definition by `family` (its latest ACTIVE revision), `family:revision` or ARN.
 * Undefined when there is none.
 */
export function findTaskDefinition(ctx: RequestContext, ref: string): TaskDefinition | undefined {
  let spec = ref;
  if (isArn(ref)) {
    const a = parseArn(ref);
    if (!a || a.type !== 'task-definition' || !ours(ctx, a) || a.parts.length !== 1) return undefined;
    spec = a.parts[0];
    if (!spec.includes(':')) return undefined;
  }
  const colon = spec.lastIndexOf(':');
  const family = colon >= 0 ? spec.slice(0, colon) : spec;
  const revs = own(ctx.state.ecs.taskDefinitions, family);
  if (!revs) return undefined;
  if (colon < 0) {
    for (let i = revs.length - 1; i >= 0; i--) if (revs[i].status === 'ACTIVE') return revs[i];
    return undefined;
  }
  const revText = spec.slice(colon + 1);
  if (!/^[1-9]\d{0,8}$/.test(revText)) return undefined;
  return revs[Number(revText) - 1];
}
