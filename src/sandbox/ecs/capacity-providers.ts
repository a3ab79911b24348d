/**
 * Capacity providers backed by Auto Scaling groups: CreateCapacityProvider, UpdateCapacityProvider,
 * DeleteCapacityProvider, DescribeCapacityProviders, PutClusterCapacityProviders, and the
 * capacity provider strategies RunTask, services and clusters take (checked as ECS checks them).
 *
 * Managed scaling: while a provider with managed scaling is associated with a cluster, ECS keeps a
 * target tracking policy `ECSManagedAutoScalingPolicy-<uuid>` on its group, on the metric
 * `AWS/ECS/ManagedScaling` CapacityProviderReservation {CapacityProviderName, ClusterName} at
 * `targetCapacity` (engine/capacity.ts computes the metric, CloudWatch publishes it each minute).
 * Managed termination protection: the group's instances that run tasks are protected from
 * scale-in, the others are not (scaling.ts, each tick). Managed instances providers and Fargate's
 * (FARGATE, FARGATE_SPOT) are not served.
 */
import type {
  AutoScalingGroupProvider,
  AutoScalingGroupProviderUpdate,
  CapacityProviderStrategyItem as StrategyInput,
  CreateCapacityProviderCommandInput,
  DeleteCapacityProviderCommandInput,
  DescribeCapacityProvidersCommandInput,
  ManagedScaling as ManagedScalingInput,
  PutClusterCapacityProvidersCommandInput,
  UpdateCapacityProviderCommandInput,
} from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { autoScalingState, type AutoScalingGroup } from '../autoscaling/model';
import { deleteAsgPolicy, putTargetTracking } from '../autoscaling/target-tracking';
import { groupNameOf } from '../engine/capacity';
import type { CapacityProvider, CapacityProviderStrategyItem, Cluster, ManagedScaling, RegionState } from '../engine/state';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { clusterOut, tagsOf } from './output';
import { activeCluster, own } from './resolve';
import { includes, readTags } from './request';

/** Capacity providers per cluster, and items per strategy (ECS's quotas). */
const MAX_PER_CLUSTER = 20;
const FARGATE = new Set(['FARGATE', 'FARGATE_SPOT']);

const notFound = (): never => {
  throw new AwsError('InvalidParameterException', 'The specified capacity provider does not exist. Specify a valid name or ARN and try again.');
};
const inUse = (): never => {
  throw new AwsError('ResourceInUseException', 'The specified capacity provider is in use and cannot be removed.');
};
const refuseFargate = (name: string): never =>
  f.fail(`The sandbox runs the EC2 launch type only: the Fargate capacity provider ${name} is not served. Use a capacity provider backed by an Auto Scaling group.`);

const providers = (rs: RegionState): Record<string, CapacityProvider> => (rs.ecs.capacityProviders ??= {});

/** A provider by name or ARN (any status), or undefined. */
export function findProvider(ctx: RequestContext, ref: string): CapacityProvider | undefined {
  const name = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
  const p = own(ctx.state.ecs.capacityProviders ?? {}, name);
  if (p && ref.startsWith('arn:') && p.capacityProviderArn !== ref) return undefined;
  return p;
}

function activeProviderRef(ctx: RequestContext, ref: string): CapacityProvider {
  if (FARGATE.has(ref)) refuseFargate(ref);
  const p = findProvider(ctx, ref);
  return p && p.status === 'ACTIVE' ? p : notFound();
}

/**
 * A capacity provider strategy as ECS takes it: 1–20 items, each naming a provider once, `weight`
 * 0–1000 (default 0), `base` 0–100000 (default 0) on at most one item, and a weight above 0 somewhere.
 */
export function readCapacityStrategy(list: StrategyInput[] | undefined, at: string): CapacityProviderStrategyItem[] | undefined {
  const items = f.list(list, at, { max: 20 });
  if (items === undefined) return undefined;
  const seen = new Set<string>();
  const out = items.map((s, i) => {
    f.obj(s, [at, i], { required: true });
    const capacityProvider = f.str(s.capacityProvider, [at, i, 'capacityProvider'], { required: true, min: 1, max: 255 });
    const weight = f.int(s.weight, [at, i, 'weight'], { min: 0, max: 1000 }) ?? 0;
    const base = f.int(s.base, [at, i, 'base'], { min: 0, max: 100000 }) ?? 0;
    if (seen.has(capacityProvider)) f.fail(`The capacity provider strategy cannot contain a capacity provider more than once: ${capacityProvider}.`);
    seen.add(capacityProvider);
    return { capacityProvider, weight, base };
  });
  if (out.filter((s) => s.base > 0).length > 1) f.fail('A capacity provider strategy can have a base value greater than 0 for only one capacity provider.');
  if (out.length > 0 && out.every((s) => s.weight === 0)) f.fail('At least one capacity provider in a capacity provider strategy must have a weight greater than 0.');
  return out;
}

/** Refuses a strategy naming a provider the cluster is not associated with (Fargate's: not served). */
function checkAssociated(cluster: Cluster, strategy: CapacityProviderStrategyItem[]): void {
  for (const s of strategy) {
    if (FARGATE.has(s.capacityProvider)) refuseFargate(s.capacityProvider);
    if (!cluster.capacityProviders.includes(s.capacityProvider)) {
      f.fail('The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.');
    }
  }
}

/**
 * The strategy a RunTask / CreateService call uses: the one it gives, else the cluster's default
 * (unless it names a launch type); undefined: the EC2 launch type. Both given is refused, as by ECS.
 */
export function strategyFor(cluster: Cluster, launchType: string | undefined, input: StrategyInput[] | undefined, at = 'capacityProviderStrategy'): CapacityProviderStrategyItem[] | undefined {
  const given = readCapacityStrategy(input, at);
  if (launchType !== undefined && given?.length) f.fail('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  if (given?.length) {
    checkAssociated(cluster, given);
    return given;
  }
  if (launchType === undefined && cluster.defaultCapacityProviderStrategy?.length) return cluster.defaultCapacityProviderStrategy.map((s) => ({ ...s }));
  return undefined;
}

function managedScalingOf(m: ManagedScalingInput | undefined, base: ManagedScaling | undefined, at: (string | number)[]): ManagedScaling {
  const status = f.oneOf(m?.status, [...at, 'status'], ['ENABLED', 'DISABLED'] as const) ?? base?.status ?? (m ? 'ENABLED' : 'DISABLED');
  const out: ManagedScaling = {
    status,
    targetCapacity: f.int(m?.targetCapacity, [...at, 'targetCapacity'], { min: 1, max: 100 }) ?? base?.targetCapacity ?? 100,
    minimumScalingStepSize: f.int(m?.minimumScalingStepSize, [...at, 'minimumScalingStepSize'], { min: 1, max: 10000 }) ?? base?.minimumScalingStepSize ?? 1,
    maximumScalingStepSize: f.int(m?.maximumScalingStepSize, [...at, 'maximumScalingStepSize'], { min: 1, max: 10000 }) ?? base?.maximumScalingStepSize ?? 10000,
    instanceWarmupPeriod: f.int(m?.instanceWarmupPeriod, [...at, 'instanceWarmupPeriod'], { min: 0, max: 10000 }) ?? base?.instanceWarmupPeriod ?? 300,
  };
  if (out.minimumScalingStepSize > out.maximumScalingStepSize) f.fail('The minimum scaling step size must be less than or equal to the maximum scaling step size.');
  return out;
}

function checkTerminationProtection(g: AutoScalingGroup, mtp: 'ENABLED' | 'DISABLED', scaling: ManagedScaling): void {
  if (mtp !== 'ENABLED') return;
  if (!g.NewInstancesProtectedFromScaleIn) {
    f.fail('The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.', 'ClientException');
  }
  if (scaling.status !== 'ENABLED') {
    f.fail('The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must also be enabled.', 'ClientException');
  }
}

/** The Auto Scaling group a provider names (ARN or name), or ECS's error. */
function groupFor(ctx: RequestContext, ref: string): AutoScalingGroup {
  const g = own(autoScalingState(ctx.state).groups, groupNameOf(ref));
  if (!g || (ref.startsWith('arn:') && g.AutoScalingGroupARN !== ref)) {
    return f.fail(`The specified Auto Scaling group ARN is not valid: ${ref}. Specify the ARN or name of an Auto Scaling group of this account and Region and try again.`, 'ClientException');
  }
  return g;
}

export function capacityProviderOut(rs: RegionState, p: CapacityProvider, includeTags = false) {
  const a = p.autoScalingGroupProvider;
  const out: Record<string, unknown> = {
    capacityProviderArn: p.capacityProviderArn,
    name: p.name,
    status: p.status,
    autoScalingGroupProvider: { autoScalingGroupArn: a.autoScalingGroupArn, managedScaling: { ...a.managedScaling }, managedTerminationProtection: a.managedTerminationProtection, managedDraining: a.managedDraining },
    type: 'EC2_AUTOSCALING',
  };
  if (p.updateStatus) out.updateStatus = p.updateStatus;
  if (includeTags) out.tags = tagsOf(rs.ecs, p.capacityProviderArn).map((t) => ({ ...t }));
  return out;
}

const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;

export const createCapacityProvider: Operation<CreateCapacityProviderCommandInput> = (ctx, input) => {
  const name = f.str(input.name, 'name', { required: true });
  if (!NAME_RE.test(name)) f.fail('The capacity provider name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.', 'ClientException');
  if (/^(aws|ecs|fargate)/i.test(name)) f.fail('The capacity provider name cannot be prefixed with "aws", "ecs", or "fargate".', 'ClientException');
  if (input.managedInstancesProvider !== undefined) f.fail('The sandbox does not serve Amazon ECS Managed Instances: specify an autoScalingGroupProvider.');
  if (input.cluster !== undefined) f.fail('cluster can be specified only for Amazon ECS Managed Instances capacity providers, which the sandbox does not serve.');
  const asgIn: AutoScalingGroupProvider = f.need(input.autoScalingGroupProvider, 'autoScalingGroupProvider');
  const at = ['autoScalingGroupProvider'];
  const ref = f.str(asgIn.autoScalingGroupArn, [...at, 'autoScalingGroupArn'], { required: true, min: 1, max: 1600 });
  const managedScaling = managedScalingOf(asgIn.managedScaling, undefined, [...at, 'managedScaling']);
  const mtp = f.oneOf(asgIn.managedTerminationProtection, [...at, 'managedTerminationProtection'], ['ENABLED', 'DISABLED'] as const) ?? 'DISABLED';
  const draining = f.oneOf(asgIn.managedDraining, [...at, 'managedDraining'], ['ENABLED', 'DISABLED'] as const) ?? 'ENABLED';
  const tags = readTags(input.tags);
  const all = providers(ctx.state);
  const existing = own(all, name);
  if (existing?.status === 'ACTIVE') f.fail('The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.', 'ClientException');
  const g = groupFor(ctx, ref);
  if (Object.values(all).some((p) => p.status === 'ACTIVE' && groupNameOf(p.autoScalingGroupProvider.autoScalingGroupArn) === g.AutoScalingGroupName)) {
    f.fail('The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.', 'ClientException');
  }
  checkTerminationProtection(g, mtp, managedScaling);
  const p: CapacityProvider = {
    capacityProviderArn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:capacity-provider/${name}`,
    name,
    status: 'ACTIVE',
    autoScalingGroupProvider: { autoScalingGroupArn: g.AutoScalingGroupARN, managedScaling, managedTerminationProtection: mtp, managedDraining: draining },
  };
  all[name] = p;
  if (tags.length) ctx.state.ecs.tags[p.capacityProviderArn] = tags;
  else delete ctx.state.ecs.tags[p.capacityProviderArn];
  return { capacityProvider: capacityProviderOut(ctx.state, p, true) };
};

export const updateCapacityProvider: Operation<UpdateCapacityProviderCommandInput> = (ctx, input) => {
  const ref = f.str(input.name, 'name', { required: true });
  if (input.managedInstancesProvider !== undefined) f.fail('The sandbox does not serve Amazon ECS Managed Instances: specify an autoScalingGroupProvider.');
  if (input.cluster !== undefined) f.fail('cluster can be specified only for Amazon ECS Managed Instances capacity providers, which the sandbox does not serve.');
  const u: AutoScalingGroupProviderUpdate = f.need(input.autoScalingGroupProvider, 'autoScalingGroupProvider');
  const p = activeProviderRef(ctx, ref);
  const a = p.autoScalingGroupProvider;
  const at = ['autoScalingGroupProvider'];
  const managedScaling = u.managedScaling !== undefined ? managedScalingOf(u.managedScaling, a.managedScaling, [...at, 'managedScaling']) : a.managedScaling;
  const mtp = f.oneOf(u.managedTerminationProtection, [...at, 'managedTerminationProtection'], ['ENABLED', 'DISABLED'] as const) ?? a.managedTerminationProtection;
  const draining = f.oneOf(u.managedDraining, [...at, 'managedDraining'], ['ENABLED', 'DISABLED'] as const) ?? a.managedDraining;
  const g = own(autoScalingState(ctx.state).groups, groupNameOf(a.autoScalingGroupArn));
  if (g) checkTerminationProtection(g, mtp, managedScaling);
  p.autoScalingGroupProvider = { ...a, managedScaling, managedTerminationProtection: mtp, managedDraining: draining };
  p.updateStatus = 'UPDATE_COMPLETE';
  syncScalingPolicies(ctx, p);
  return { capacityProvider: capacityProviderOut(ctx.state, p) };
};

export const deleteCapacityProvider: Operation<DeleteCapacityProviderCommandInput> = (ctx, input) => {
  const ref = f.str(input.capacityProvider, 'capacityProvider', { required: true });
  if (input.cluster !== undefined) f.fail('cluster can be specified only for Amazon ECS Managed Instances capacity providers, which the sandbox does not serve.');
  const p = activeProviderRef(ctx, ref);
  const ecs = ctx.state.ecs;
  if (Object.values(ecs.clusters).some((c) => c.status === 'ACTIVE' && c.capacityProviders.includes(p.name))) inUse();
  p.status = 'INACTIVE';
  p.updateStatus = 'DELETE_COMPLETE';
  syncScalingPolicies(ctx, p);
  return { capacityProvider: capacityProviderOut(ctx.state, p) };
};

export const describeCapacityProviders: Operation<DescribeCapacityProvidersCommandInput> = (ctx, input) => {
  const refs = f.strings(input.capacityProviders, 'capacityProviders', { max: 100 });
  const include = includes(input.include, ['TAGS'] as const);
  const size = f.int(input.maxResults, 'maxResults', { min: 1, max: 10 }) ?? 10;
  if (refs && (input.maxResults !== undefined || input.nextToken !== undefined)) f.fail('maxResults and nextToken cannot be specified with capacityProviders.');
  const cluster = input.cluster !== undefined ? activeCluster(ctx, input.cluster) : undefined;
  const all = Object.values(ctx.state.ecs.capacityProviders ?? {});
  const out = (p: CapacityProvider) => capacityProviderOut(ctx.state, p, include.has('TAGS'));
  if (refs) {
    const found: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of refs) {
      const p = FARGATE.has(ref) ? undefined : findProvider(ctx, ref);
      if (p && (!cluster || cluster.capacityProviders.includes(p.name))) found.push(out(p));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:capacity-provider/${ref}`, reason: 'MISSING' });
    }
    return { capacityProviders: found, failures };
  }
  const items = all.filter((p) => p.status === 'ACTIVE' && (!cluster || cluster.capacityProviders.includes(p.name))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, next } = paginate(items, { op: 'DescribeCapacityProviders', size, token: input.nextToken, key: (p) => p.name }, ECS);
  return { capacityProviders: page.map(out), failures: [], nextToken: next };
};

/** The providers a cluster is associated with and its default strategy, checked (CreateCluster, PutClusterCapacityProviders). */
export function readAssociation(ctx: RequestContext, names: string[], strategyIn: StrategyInput[] | undefined): { capacityProviders: string[]; strategy: CapacityProviderStrategyItem[] } {
  if (names.length > MAX_PER_CLUSTER) f.fail('The maximum number of capacity providers per cluster has been exceeded.');
  const capacityProviders = [...new Set(names.map((ref) => activeProviderRef(ctx, ref).name))];
  const strategy = readCapacityStrategy(strategyIn, 'defaultCapacityProviderStrategy') ?? [];
  checkAssociated({ capacityProviders } as Cluster, strategy);
  return { capacityProviders, strategy };
}

export const putClusterCapacityProviders: Operation<PutClusterCapacityProvidersCommandInput> = (ctx, input) => {
  f.str(input.cluster, 'cluster', { required: true });
  const names = f.strings(input.capacityProviders, 'capacityProviders', { required: true });
  f.need(input.defaultCapacityProviderStrategy, 'defaultCapacityProviderStrategy');
  const { capacityProviders, strategy } = readAssociation(ctx, names, input.defaultCapacityProviderStrategy);
  const cluster = activeCluster(ctx, input.cluster);
  // A provider still used by a task or a service of the cluster cannot be removed.
  const removed = cluster.capacityProviders.filter((n) => !capacityProviders.includes(n));
  const ecs = ctx.state.ecs;
  for (const name of removed) {
    const tasks = Object.values(ecs.tasks).some((t) => t.clusterArn === cluster.clusterArn && t.lastStatus !== 'STOPPED' && t.capacityProviderName === name);
    const services = Object.values(own(ecs.services, cluster.clusterName) ?? {}).some((s) => s.status !== 'INACTIVE' && s.capacityProviderStrategy?.some((x) => x.capacityProvider === name));
    if (tasks || services) inUse();
  }
  const before = [...cluster.capacityProviders];
  cluster.capacityProviders = capacityProviders;
  if (strategy.length) cluster.defaultCapacityProviderStrategy = strategy;
  else delete cluster.defaultCapacityProviderStrategy;
  for (const name of new Set([...before, ...capacityProviders])) {
    const p = own(ecs.capacityProviders ?? {}, name);
    if (p) syncScalingPolicies(ctx, p);
  }
  return { cluster: clusterOut(ecs, cluster, { settings: true, configuration: true }) };
};

/**
 * Keeps the managed scaling policy on the provider's group for each ACTIVE cluster it is associated
 * with (target: `targetCapacity`), and removes the others.
 */
export function syncScalingPolicies(ctx: RequestContext, p: CapacityProvider): void {
  const as = autoScalingState(ctx.state);
  const g = own(as.groups, groupNameOf(p.autoScalingGroupProvider.autoScalingGroupArn));
  const ms = p.autoScalingGroupProvider.managedScaling;
  const wanted = p.status === 'ACTIVE' && ms.status === 'ENABLED' && g
    ? Object.values(ctx.state.ecs.clusters).filter((c) => c.status === 'ACTIVE' && c.capacityProviders.includes(p.name)).map((c) => c.clusterName)
    : [];
  const policies = (p.scalingPolicies ??= {});
  for (const [clusterName, arn] of Object.entries(policies)) {
    if (wanted.includes(clusterName)) continue;
    const policy = as.policies[arn];
    if (policy) deleteAsgPolicy(ctx, policy);
    delete policies[clusterName];
  }
  for (const clusterName of wanted) {
    const existing = policies[clusterName] ? as.policies[policies[clusterName]] : undefined;
    if (existing?.TargetTrackingConfiguration?.TargetValue === ms.targetCapacity && existing.EstimatedInstanceWarmup === ms.instanceWarmupPeriod) continue;
    const name = existing?.PolicyName ?? `ECSManagedAutoScalingPolicy-${randomUUID()}`;
    const out = putTargetTracking(
      ctx,
      g!,
      name,
      {
        AutoScalingGroupName: g!.AutoScalingGroupName,
        PolicyName: name,
        PolicyType: 'TargetTrackingScaling',
        EstimatedInstanceWarmup: ms.instanceWarmupPeriod,
        TargetTrackingConfiguration: {
          CustomizedMetricSpecification: {
            MetricName: 'CapacityProviderReservation',
            Namespace: 'AWS/ECS/ManagedScaling',
            Dimensions: [
              { Name: 'CapacityProviderName', Value: p.name },
              { Name: 'ClusterName', Value: clusterName },
            ],
            Statistic: 'Average',
          },
          TargetValue: ms.targetCapacity,
        },
      },
      existing,
      { highDatapoints: 1, lowThresholdFactor: 1 },
    );
    policies[clusterName] = out.PolicyARN;
  }
  if (Object.keys(policies).length === 0) delete p.scalingPolicies;
}
