/** CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateClusterSettings. */
import { AwsError } from '../protocol/errors';
import { arns } from '../engine/ids';
import type { ClusterSetting } from '../engine/state';
import type { Handler, RequestContext } from '../service';
import { clusterOut } from './output';
import { paginate } from './paginate';
import { activeCluster, findCluster, own, put } from './resolve';
import { NAME_RE, body, fail, objectList, optString, optStringList, reqString, tags } from './validate';

function settingsOf(v: unknown, member = 'settings'): ClusterSetting[] {
  return objectList(v, member).map((s, i) => {
    const name = reqString(s.name, `${member}[${i}].name`);
    if (name !== 'containerInsights') fail(`Invalid value for parameter ${member}[${i}].name: '${name}'. Valid values are containerInsights.`);
    const value = reqString(s.value, `${member}[${i}].value`);
    if (value !== 'enabled' && value !== 'disabled' && value !== 'enhanced') {
      fail(`Invalid value for containerInsights: '${value}'. Valid values are enabled, disabled, enhanced.`);
    }
    return { name: 'containerInsights', value };
  });
}

const includeOf = (v: unknown) => {
  const inc = optStringList(v, 'include') ?? [];
  for (const i of inc) {
    if (!['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'].includes(i)) {
      fail(`Invalid value for parameter include: '${i}'. Valid values are ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS.`);
    }
  }
  return { settings: inc.includes('SETTINGS'), tags: inc.includes('TAGS'), statistics: inc.includes('STATISTICS') };
};

export const createCluster: Handler = (ctx, raw) => {
  const input = body(raw);
  const name = optString(input.clusterName, 'clusterName') ?? 'default';
  if (!NAME_RE.test(name)) {
    fail('Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  }
  const settings = settingsOf(input.settings);
  const tagList = tags(input.tags);
  const capacityProviders = optStringList(input.capacityProviders, 'capacityProviders') ?? [];
  objectList(input.defaultCapacityProviderStrategy, 'defaultCapacityProviderStrategy');
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
  if (tagList.length) ecs.tags[cluster.clusterArn] = tagList;
  else delete ecs.tags[cluster.clusterArn];
  return { cluster: clusterOut(ecs, cluster, { settings: true, tags: true }) };
};

export const describeClusters: Handler = (ctx, raw) => {
  const input = body(raw);
  const refs = optStringList(input.clusters, 'clusters', { max: 100 }) ?? ['default'];
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

export const listClusters: Handler = (ctx, raw) => {
  const input = body(raw);
  const items = Object.values(ctx.state.ecs.clusters)
    .filter((c) => c.status === 'ACTIVE')
    .map((c) => c.clusterArn)
    .sort();
  const { page, nextToken } = paginate(items, (a) => a, input, 'ListClusters', { defaultSize: 100 });
  return { clusterArns: page, nextToken };
};

export const deleteCluster: Handler = (ctx, raw) => {
  const input = body(raw);
  reqString(input.cluster, 'cluster');
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

export const updateClusterSettings: Handler = (ctx: RequestContext, raw) => {
  const input = body(raw);
  reqString(input.cluster, 'cluster');
  if (input.settings === undefined || input.settings === null) fail('settings must be specified.');
  const settings = settingsOf(input.settings);
  const cluster = activeCluster(ctx, input.cluster);
  for (const s of settings) {
    const at = cluster.settings.findIndex((x) => x.name === s.name);
    if (at >= 0) cluster.settings[at] = s;
    else cluster.settings.push(s);
  }
  return { cluster: clusterOut(ctx.state.ecs, cluster, { settings: true }) };
};

export { includeOf as clusterInclude };
