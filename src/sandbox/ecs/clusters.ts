/** CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateCluster, UpdateClusterSettings. */
import type {
  ClusterConfiguration as ClusterConfigurationInput,
  ClusterField,
  ClusterServiceConnectDefaultsRequest,
  ClusterSetting as ClusterSettingInput,
  CreateClusterCommandInput,
  DeleteClusterCommandInput,
  DescribeClustersCommandInput,
  ListClustersCommandInput,
  UpdateClusterCommandInput,
  UpdateClusterSettingsCommandInput,
} from '@aws-sdk/client-ecs';
import { ensureServiceLinkedRole } from '../iam';
import { AwsError } from '../protocol/errors';
import { arns } from '../engine/ids';
import type { Cluster, ClusterConfiguration, ClusterSetting } from '../engine/state';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import { clusterOut } from './output';
import { activeCluster, findCluster, own, put } from './resolve';
import { includes, NAME_RE, pageSize, readTags } from './request';
import { effectiveSetting } from './account-settings';
import { readAssociation, syncScalingPolicies } from './capacity-providers';

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
  return { settings: inc.has('SETTINGS'), tags: inc.has('TAGS'), statistics: inc.has('STATISTICS'), configuration: inc.has('CONFIGURATIONS') };
};

const optStr = (v: unknown, path: (string | number)[], max = 1024): string | undefined => f.str(v, path, { min: 1, max });

/** `configuration` as ECS accepts it: execute command logging NONE / DEFAULT / OVERRIDE (OVERRIDE with a log configuration), managed storage KMS keys. */
function configurationOf(c: ClusterConfigurationInput | undefined): ClusterConfiguration | undefined {
  if (c === undefined) return undefined;
  const out: ClusterConfiguration = {};
  const e = c.executeCommandConfiguration;
  if (e !== undefined) {
    const at = ['configuration', 'executeCommandConfiguration'];
    const logging = f.oneOf(e.logging, [...at, 'logging'], ['NONE', 'DEFAULT', 'OVERRIDE'] as const);
    const l = e.logConfiguration;
    if (logging === 'OVERRIDE' && l === undefined) f.fail('When logging is OVERRIDE, executeCommandConfiguration.logConfiguration must be specified.');
    if (l !== undefined && logging !== 'OVERRIDE') f.fail('executeCommandConfiguration.logConfiguration can be specified only when logging is OVERRIDE.');
    const ex: NonNullable<ClusterConfiguration['executeCommandConfiguration']> = {};
    const kms = optStr(e.kmsKeyId, [...at, 'kmsKeyId'], 2048);
    if (kms !== undefined) ex.kmsKeyId = kms;
    if (logging !== undefined) ex.logging = logging;
    if (l !== undefined) {
      const lat = [...at, 'logConfiguration'];
      const lc: NonNullable<typeof ex.logConfiguration> = {};
      const group = optStr(l.cloudWatchLogGroupName, [...lat, 'cloudWatchLogGroupName'], 512);
      const bucket = optStr(l.s3BucketName, [...lat, 's3BucketName'], 63);
      const prefix = optStr(l.s3KeyPrefix, [...lat, 's3KeyPrefix']);
      if (group === undefined && bucket === undefined) f.fail('logConfiguration must name a cloudWatchLogGroupName or an s3BucketName.');
      if (group !== undefined) lc.cloudWatchLogGroupName = group;
      if (l.cloudWatchEncryptionEnabled !== undefined) lc.cloudWatchEncryptionEnabled = l.cloudWatchEncryptionEnabled;
      if (bucket !== undefined) lc.s3BucketName = bucket;
      if (l.s3EncryptionEnabled !== undefined) lc.s3EncryptionEnabled = l.s3EncryptionEnabled;
      if (prefix !== undefined) lc.s3KeyPrefix = prefix;
      ex.logConfiguration = lc;
    }
    out.executeCommandConfiguration = ex;
  }
  const m = c.managedStorageConfiguration;
  if (m !== undefined) {
    const at = ['configuration', 'managedStorageConfiguration'];
    const ms: NonNullable<ClusterConfiguration['managedStorageConfiguration']> = {};
    const kms = optStr(m.kmsKeyId, [...at, 'kmsKeyId'], 2048);
    const eph = optStr(m.fargateEphemeralStorageKmsKeyId, [...at, 'fargateEphemeralStorageKmsKeyId'], 2048);
    if (kms !== undefined) ms.kmsKeyId = kms;
    if (eph !== undefined) ms.fargateEphemeralStorageKmsKeyId = eph;
    out.managedStorageConfiguration = ms;
  }
  return out;
}

/** Service Connect needs AWS Cloud Map, which the sandbox does not serve. */
function refuseServiceConnect(v: ClusterServiceConnectDefaultsRequest | undefined): void {
  if (v !== undefined) f.fail('The sandbox does not serve AWS Cloud Map: serviceConnectDefaults (Service Connect) is not supported.');
}

/** Applies settings by name (a later one replaces an earlier one of the same name). */
function applySettings(cluster: Cluster, settings: ClusterSetting[]): void {
  for (const s of settings) {
    const at = cluster.settings.findIndex((x) => x.name === s.name);
    if (at >= 0) cluster.settings[at] = s;
    else cluster.settings.push(s);
  }
}

export const createCluster: Operation<CreateClusterCommandInput> = (ctx, input) => {
  const name = input.clusterName ?? 'default';
  if (!NAME_RE.test(name)) {
    f.fail('Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
  }
  const settings = settingsOf(input.settings);
  const configuration = configurationOf(input.configuration);
  refuseServiceConnect(input.serviceConnectDefaults);
  const tagList = readTags(input.tags);
  const names = f.strings(input.capacityProviders, 'capacityProviders') ?? [];
  const ecs = ctx.state.ecs;
  const existing = own(ecs.clusters, name);
  if (existing && existing.status === 'ACTIVE') {
    // Idempotent: ECS returns the existing cluster unchanged.
    return { cluster: clusterOut(ecs, existing, { settings: true, tags: true, configuration: true }) };
  }
  const { capacityProviders, strategy } = readAssociation(ctx, names, input.defaultCapacityProviderStrategy);
  // Without a containerInsights setting, the account setting of that name decides (PutAccountSetting).
  const insights = settings.some((s) => s.name === 'containerInsights') ? [] : [{ name: 'containerInsights' as const, value: effectiveSetting(ctx, 'containerInsights').value }];
  const cluster: Cluster = {
    clusterArn: arns.cluster(ctx.region, ctx.accountId, name),
    clusterName: name,
    status: 'ACTIVE' as const,
    settings: [...insights, ...settings],
    capacityProviders,
    ...(strategy.length ? { defaultCapacityProviderStrategy: strategy } : {}),
    createdAt: ctx.now,
    ...(configuration ? { configuration } : {}),
  };
  put(ecs.clusters, name, cluster);
  // As on AWS, creating a cluster creates ECS's service-linked role when the account lacks it.
  ensureServiceLinkedRole(ctx.world, ctx.now, 'ecs.amazonaws.com');
  if (tagList.length) ecs.tags[cluster.clusterArn] = tagList;
  else delete ecs.tags[cluster.clusterArn];
  for (const name of capacityProviders) syncScalingPolicies(ctx, ecs.capacityProviders![name]);
  return { cluster: clusterOut(ecs, cluster, { settings: true, tags: true, configuration: true }) };
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
  if (Object.values(ecs.tasks).some((t) => t.clusterArn === cluster.clusterArn && t.lastStatus !== 'STOPPED' && !t.orphaned)) {
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
  // Its capacity providers' managed scaling policies for it go with it.
  for (const name of cluster.capacityProviders) {
    const p = own(ecs.capacityProviders ?? {}, name);
    if (p) syncScalingPolicies(ctx, p);
  }
  return { cluster: clusterOut(ecs, cluster, { settings: true, tags: true }) };
};

export const updateClusterSettings: Operation<UpdateClusterSettingsCommandInput> = (ctx, input) => {
  f.str(input.cluster, 'cluster', { required: true });
  f.need(input.settings, 'settings');
  const settings = settingsOf(input.settings);
  const cluster = activeCluster(ctx, input.cluster);
  applySettings(cluster, settings);
  return { cluster: clusterOut(ctx.state.ecs, cluster, { settings: true, configuration: true }) };
};

/** UpdateCluster: settings (by name) and configuration (each part given replaces the stored one). */
export const updateCluster: Operation<UpdateClusterCommandInput> = (ctx, input) => {
  f.str(input.cluster, 'cluster', { required: true });
  const settings = settingsOf(input.settings);
  const configuration = configurationOf(input.configuration);
  refuseServiceConnect(input.serviceConnectDefaults);
  const cluster = activeCluster(ctx, input.cluster);
  applySettings(cluster, settings);
  if (configuration) cluster.configuration = { ...cluster.configuration, ...configuration };
  return { cluster: clusterOut(ctx.state.ecs, cluster, { settings: true, configuration: true }) };
};

