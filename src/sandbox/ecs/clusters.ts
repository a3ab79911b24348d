/** CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateClusterSettings. */
import type {
  ClusterField,
  ClusterSetting as ClusterSettingInput,
  CreateClusterCommandInput,
  DeleteClusterCommandInput,
  DescribeClustersCommandInput,
  ListClustersCommandInput,
  UpdateClusterSettingsCommandInput,
} from '@aws-sdk/client-ecs';
import { ensureServiceLinkedRole } from '../iam';
import { AwsError } from '../protocol/errors';
import { arns } from '../engine/ids';
import type { ClusterSetting } from '../engine/state';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import { clusterOut } from './output';
import { activeCluster, findCluster, own, put } from './resolve';
import { includes, NAME_RE, pageSize, readTags } from './request';

function settingsOf(list: ClusterSettingInput[] | undefined): ClusterSetting[] {
  return (list ?? []).map((s, i) => {
    f.oneOf(s.name, ['settings', i, 'name'], ['containerInsights'] as const, { required: true });
    const value = f.str(s.value, ['settings', i, 'value'], { required: true });
    if (value !== 'enabled' && value !== 'disabled' && value !== 'enhanced') {
      f.fail(`Invalid value for containerInsights: '${value}'. Valid values are enabled, disabled, enhanced.`);
    }
    return { name: 'containerInsights', value };
  });
}

const includeOf = (v: ClusterField[] | undefined) => {
  const inc = includes(v, ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'] as const);
  return { settings: inc.has('SETTINGS'), tags: inc.has('TAGS'), statistics: inc.has('STATISTICS') };
};

export const createCluster: Operation<CreateClusterCommandInput> = (ctx, input) => {
  const name = input.clusterName ?? 'default';
  if (!NAME_RE.test(name)) {
    f.fail('Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  }
  const settings = settingsOf(input.settings);
  const tagList = readTags(input.tags);
  const capacityProviders = input.capacityProviders ?? [];
  const ecs = ctx.state.ecs;
  const existing = own(ecs.clusters, name);
  if (existing && existing.status === 'ACTIVE') {
    // Idempotent: ECS returns the existing cluster unchanged.
    return { cluster: clusterOut(ecs, existing, { settings: true, tags: true }) };
  }
  const cluster = {
    clusterArn: arns.cluster(ctx.region, ctx.accountId, name),
    clusterName: name,
    status: 'ACTIVE' as const,
    settings: settings.length ? settings : [{ name: 'containerInsights' as const, value: 'disabled' }],
    capacityProviders,
    createdAt: ctx.now,
  };
  put(ecs.clusters, name, cluster);
  // As on AWS, creating a cluster creates ECS's service-linked role when the account lacks it.
  ensureServiceLinkedRole(ctx.world, ctx.now, 'ecs.amazonaws.com');
  if (tagList.length) ecs.tags[cluster.clusterArn] = tagList;
  else delete ecs.tags[cluster.clusterArn];
  return { cluster: clusterOut(ecs, cluster, { settings: true, tags: true }) };
};

export const describeClusters: Operation<DescribeClustersCommandInput> = (ctx, input) => {
  const refs = f.strings(input.clusters, 'clusters', { max: 100 }) ?? ['default'];
  const include = includeOf(input.include);
  const clusters: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const c = findCluster(ctx, ref, 'clusters');
    if (c) clusters.push(clusterOut(ctx.state.ecs, c, include));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arns.cluster(ctx.region, ctx.accountId, ref), reason: 'MISSING' });
  }
  return { clusters, failures };
};

export const listClusters: Operation<ListClustersCommandInput> = (ctx, input) => {
  const items = Object.values(ctx.state.ecs.clusters)
    .filter((c) => c.status === 'ACTIVE')
    .map((c) => c.clusterArn)
    .sort();
  const { page, next } = paginate(items, { op: 'ListClusters', size: pageSize(input.maxResults), token: input.nextToken, key: (a) => a }, ECS);
  return { clusterArns: page, nextToken: next };
};

export const deleteCluster: Operation<DeleteClusterCommandInput> = (ctx, input) => {
  f.str(input.cluster, 'cluster', { required: true });
  const cluster = activeCluster(ctx, input.cluster);
  const ecs = ctx.state.ecs;
  const services = Object.values(own(ecs.services, cluster.clusterName) ?? {});
  if (services.some((s) => s.status === 'ACTIVE' || s.status === 'DRAINING')) {
    throw new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
  }
  if (Object.values(ecs.tasks).some((t) => t.clusterArn === cluster.clusterArn && t.lastStatus !== 'STOPPED')) {
    throw new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
  }
  if (
    Object.values(ecs.containerInstances).some(
      (ci) => ci.clusterName === cluster.clusterName && (ci.status === 'ACTIVE' || ci.status === 'DRAINING' || ci.status === 'REGISTERING'),
    )
  ) {
    throw new AwsError('ClusterContainsContainerInstancesException', 'The Cluster cannot be deleted while Container Instances are active or draining.');
  }
  cluster.status = 'INACTIVE';
  return { cluster: clusterOut(ecs, cluster, { settings: true, tags: true }) };
};

export const updateClusterSettings: Operation<UpdateClusterSettingsCommandInput> = (ctx, input) => {
  f.str(input.cluster, 'cluster', { required: true });
  f.need(input.settings, 'settings');
  const settings = settingsOf(input.settings);
  const cluster = activeCluster(ctx, input.cluster);
  for (const s of settings) {
    const at = cluster.settings.findIndex((x) => x.name === s.name);
    if (at >= 0) cluster.settings[at] = s;
    else cluster.settings.push(s);
  }
  return { cluster: clusterOut(ctx.state.ecs, cluster, { settings: true }) };
};

