/**
 * Batched ECS Describe* calls at the API maxima (DescribeServices ≤ 10, DescribeTasks /
 * DescribeContainerInstances / DescribeClusters ≤ 100 per call), issued with limited concurrency,
 * results in request order and `failures` merged. DescribeTaskDefinition has no batch form; it is
 * issued per definition with the same limited concurrency.
 */
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type Cluster,
  type ClusterField,
  type ContainerInstance,
  type ContainerInstanceField,
  type DescribeTaskDefinitionCommandOutput,
  type ECSClient,
  type Failure,
  type Service,
  type ServiceField,
  type Task,
  type TaskField,
} from '@aws-sdk/client-ecs';
import { chunk, DEFAULT_CONCURRENCY, mapLimit } from './batch';

/** API maxima of identifiers per call. */
export const ECS_BATCH_LIMITS = {
  DescribeServices: 10,
  DescribeTasks: 100,
  DescribeContainerInstances: 100,
  DescribeClusters: 100,
} as const;

export interface Described<T> {
  items: T[];
  /** ECS `failures[]` of every batch (e.g. `{ arn, reason: 'MISSING' }`). */
  failures: Failure[];
}

export interface BatchOptions {
  /** Calls in flight at once (default 4). */
  concurrency?: number;
}

async function batched<T>(
  ids: readonly string[],
  size: number,
  opts: BatchOptions,
  call: (batch: string[]) => Promise<{ items?: T[]; failures?: Failure[] }>,
): Promise<Described<T>> {
  const unique = [...new Set(ids)];
  const results = await mapLimit(chunk(unique, size), opts.concurrency ?? DEFAULT_CONCURRENCY, call);
  return { items: results.flatMap((r) => r.items ?? []), failures: results.flatMap((r) => r.failures ?? []) };
}

export function describeClusters(
  ecs: ECSClient,
  clusters: readonly string[],
  opts: BatchOptions & { include?: ClusterField[] } = {},
): Promise<Described<Cluster>> {
  const include = opts.include ?? ['SETTINGS', 'STATISTICS'];
  return batched(clusters, ECS_BATCH_LIMITS.DescribeClusters, opts, async (batch) => {
    const out = await ecs.send(new DescribeClustersCommand({ clusters: batch, include }));
    return { items: out.clusters, failures: out.failures };
  });
}

export function describeServices(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  opts: BatchOptions & { include?: ServiceField[] } = {},
): Promise<Described<Service>> {
  return batched(services, ECS_BATCH_LIMITS.DescribeServices, opts, async (batch) => {
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster, services: batch, ...(opts.include ? { include: opts.include } : {}) }),
    );
    return { items: out.services, failures: out.failures };
  });
}

export function describeTasks(
  ecs: ECSClient,
  cluster: string,
  tasks: readonly string[],
  opts: BatchOptions & { include?: TaskField[] } = {},
): Promise<Described<Task>> {
  return batched(tasks, ECS_BATCH_LIMITS.DescribeTasks, opts, async (batch) => {
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch, ...(opts.include ? { include: opts.include } : {}) }));
    return { items: out.tasks, failures: out.failures };
  });
}

export function describeContainerInstances(
  ecs: ECSClient,
  cluster: string,
  containerInstances: readonly string[],
  opts: BatchOptions & { include?: ContainerInstanceField[] } = {},
): Promise<Described<ContainerInstance>> {
  return batched(containerInstances, ECS_BATCH_LIMITS.DescribeContainerInstances, opts, async (batch) => {
    const out = await ecs.send(
      new DescribeContainerInstancesCommand({ cluster, containerInstances: batch, ...(opts.include ? { include: opts.include } : {}) }),
    );
    return { items: out.containerInstances, failures: out.failures };
  });
}

/** One task definition (ARN, `family:N` or `family` for the latest ACTIVE), with its tags. */
export async function describeTaskDefinition(ecs: ECSClient, taskDefinition: string): Promise<DescribeTaskDefinitionCommandOutput> {
  return ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }));
}

/** Several task definitions (no batch API exists): limited concurrency, failures reported per ARN. */
export async function describeTaskDefinitions(
  ecs: ECSClient,
  taskDefinitions: readonly string[],
  opts: BatchOptions = {},
): Promise<Described<NonNullable<DescribeTaskDefinitionCommandOutput['taskDefinition']>>> {
  const unique = [...new Set(taskDefinitions)];
  const results = await mapLimit(unique, opts.concurrency ?? DEFAULT_CONCURRENCY, async (arn) => {
    try {
      const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      return { item: out.taskDefinition };
    } catch (e) {
      const err = e as { name?: string; message?: string };
      if (err.name === 'ClientException' || err.name === 'InvalidParameterException') {
        return { failure: { arn, reason: 'MISSING', detail: err.message } satisfies Failure };
      }
      throw e;
    }
  });
  return {
    items: results.flatMap((r) => (r.item ? [r.item] : [])),
    failures: results.flatMap((r) => (r.failure ? [r.failure] : [])),
  };
}

/** A service to watch, by cluster and service name or ARN. */
export interface ServiceRef {
  cluster: string;
  service: string;
}

/**
 * Describe services spread over several clusters (e.g. every rollout being tracked): one batched
 * DescribeServices per cluster (≤ 10 per call). Keys of the result are the refs' `service` values
 * as given; missing services are in `failures`.
 */
export async function describeServiceRefs(
  ecs: ECSClient,
  refs: readonly ServiceRef[],
  opts: BatchOptions = {},
): Promise<{ services: Map<string, Service>; failures: Failure[] }> {
  const byCluster = new Map<string, string[]>();
  for (const r of refs) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r.service]);
  const services = new Map<string, Service>();
  const failures: Failure[] = [];
  const results = await mapLimit([...byCluster], opts.concurrency ?? DEFAULT_CONCURRENCY, ([cluster, names]) =>
    describeServices(ecs, cluster, names, opts).then((r) => ({ names, r })),
  );
  for (const { names, r } of results) {
    failures.push(...r.failures);
    for (const s of r.items) {
      const key = names.find((n) => n === s.serviceArn || n === s.serviceName) ?? s.serviceArn ?? '';
      services.set(key, s);
    }
  }
  return { services, failures };
}
