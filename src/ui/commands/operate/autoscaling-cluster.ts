/**
 * `ecsHandson.autoScaling.configureCluster` (hands-on section 6): scale the cluster's instances
 * through their EC2 Auto Scaling group, as the article does: maximum 4; "cluster CPUUtilization
 * > 20% → +2 instances" (step policy + CloudWatch alarm on AWS/ECS CPUUtilization, ClusterName)
 * and a scale-in policy "< 20% → −2 instances" with its alarm.
 *
 * Arguments (`ClusterAutoScalingArgs`):
 *   { cluster: string, autoScalingGroup?: string (default: the group holding the cluster's
 *     instances), maxSize?: number (4), minSize?: number (kept), desiredCapacity?: number (kept;
 *     the walkthrough sets it to bring the instances back to 2), cpuThreshold?: number (20),
 *     scaleOutAdjustment?: number (2), scaleInAdjustment?: number (-2), cooldownSeconds?: number (60) }
 * Returns { autoScalingGroup, policies: [{ name, arn }], alarms: string[] } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { ArgReader } from '../../../core/commands/args';
import type { ClusterAutoScalingArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { idFromArn } from '../../../core/format';
import { managedTag } from '../../../core/managed';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand, type CommandContext } from '../command';
import { askInt, pickCluster } from '../pickers';

interface Settings {
  cluster: string;
  autoScalingGroup?: string;
  maxSize: number;
  minSize?: number;
  desiredCapacity?: number;
  cpuThreshold: number;
  scaleOutAdjustment: number;
  scaleInAdjustment: number;
  cooldownSeconds: number;
}

const defaults = (cluster: string): Settings => ({ cluster, maxSize: 4, cpuThreshold: 20, scaleOutAdjustment: 2, scaleInAdjustment: -2, cooldownSeconds: 60 });

export function readClusterScaling(r: ArgReader<ClusterAutoScalingArgs>): Settings {
  const d = defaults(r.required('cluster', t('"cluster" is required (a cluster name or ARN).')));
  const s: Settings = {
    ...d,
    autoScalingGroup: r.string('autoScalingGroup'),
    maxSize: r.int('maxSize', 1, 1000) ?? d.maxSize,
    minSize: r.int('minSize', 0, 1000),
    desiredCapacity: r.int('desiredCapacity', 0, 1000),
    cpuThreshold: r.int('cpuThreshold', 1, 100) ?? d.cpuThreshold,
    scaleOutAdjustment: r.int('scaleOutAdjustment', 1, 100) ?? d.scaleOutAdjustment,
    scaleInAdjustment: r.int('scaleInAdjustment', -100, -1) ?? d.scaleInAdjustment,
    cooldownSeconds: r.int('cooldownSeconds', 0, 3600) ?? d.cooldownSeconds,
  };
  if (s.minSize !== undefined && s.minSize > s.maxSize) r.fail(t('The minimum ({0}) must not be greater than the maximum ({1}).', s.minSize, s.maxSize), 'minSize');
  if (s.desiredCapacity !== undefined && s.desiredCapacity > s.maxSize) r.fail(t('The desired capacity ({0}) must not be greater than the maximum ({1}).', s.desiredCapacity, s.maxSize), 'desiredCapacity');
  if (s.desiredCapacity !== undefined && s.minSize !== undefined && s.desiredCapacity < s.minSize) r.fail(t('The desired capacity ({0}) must not be less than the minimum ({1}).', s.desiredCapacity, s.minSize), 'desiredCapacity');
  return s;
}

/** Auto Scaling groups holding the cluster's instances (or named after it), best match first. */
export async function clusterGroups(c: AwsClients, cluster: string) {
  const aws = loadAws();
  const x = aws.operateSdk;
  const groups = (await c.autoScaling.send(new x.DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const ciArns = await aws.listContainerInstanceArns(c.ecs, { cluster });
  const ids = new Set(ciArns.length ? (await aws.describeContainerInstances(c.ecs, cluster, ciArns)).items.map((ci) => ci.ec2InstanceId ?? '') : []);
  const name = idFromArn(cluster);
  const score = (g: (typeof groups)[number]) => (g.Instances ?? []).filter((i) => ids.has(i.InstanceId ?? '')).length * 10 + ((g.AutoScalingGroupName ?? '').includes(name) ? 1 : 0);
  return groups.filter((g) => score(g) > 0).sort((a, b) => score(b) - score(a));
}

async function configure(c: AwsClients, o: Settings & { autoScalingGroup: string }, report: (m: string) => void) {
  const x = loadAws().operateSdk;
  const clusterName = idFromArn(o.cluster);
  report(t('setting the maximum of {0} to {1}…', o.autoScalingGroup, o.maxSize));
  if (o.desiredCapacity !== undefined) report(t('setting the desired capacity of {0} to {1}…', o.autoScalingGroup, o.desiredCapacity));
  await c.autoScaling.send(
    new x.UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: o.autoScalingGroup,
      MaxSize: o.maxSize,
      ...(o.minSize !== undefined ? { MinSize: o.minSize } : {}),
      ...(o.desiredCapacity !== undefined ? { DesiredCapacity: o.desiredCapacity } : {}),
    }),
  );
  const policies: Array<{ name: string; arn: string }> = [];
  const alarms: string[] = [];
  for (const dir of ['out', 'in'] as const) {
    const name = `${clusterName}-instances-scale-${dir}`;
    report(dir === 'out' ? t('putting the scale-out policy and its alarm…') : t('putting the scale-in policy and its alarm…'));
    const out = await c.autoScaling.send(
      new x.PutAsgScalingPolicyCommand({
        AutoScalingGroupName: o.autoScalingGroup,
        PolicyName: name,
        PolicyType: 'StepScaling',
        AdjustmentType: 'ChangeInCapacity',
        MetricAggregationType: 'Average',
        EstimatedInstanceWarmup: o.cooldownSeconds,
        StepAdjustments: [dir === 'out' ? { MetricIntervalLowerBound: 0, ScalingAdjustment: o.scaleOutAdjustment } : { MetricIntervalUpperBound: 0, ScalingAdjustment: o.scaleInAdjustment }],
      }),
    );
    const arn = out.PolicyARN ?? '';
    policies.push({ name, arn });
    const alarm = `${clusterName}-cluster-cpu-${dir === 'out' ? 'high' : 'low'}`;
    await c.cloudWatch.send(
      new x.PutMetricAlarmCommand({
        AlarmName: alarm,
        AlarmDescription: dir === 'out'
          ? `ECS Hands-on: cluster ${clusterName} CPU > ${o.cpuThreshold}% -> +${o.scaleOutAdjustment} instances`
          : `ECS Hands-on: cluster ${clusterName} CPU < ${o.cpuThreshold}% -> ${o.scaleInAdjustment} instances`,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'ClusterName', Value: clusterName }],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: o.cpuThreshold,
        ComparisonOperator: dir === 'out' ? 'GreaterThanThreshold' : 'LessThanThreshold',
        AlarmActions: [arn],
        Tags: [managedTag()],
      }),
    );
    alarms.push(alarm);
  }
  return { autoScalingGroup: o.autoScalingGroup, policies, alarms };
}

const noGroup = (cluster: string) => t("No Auto Scaling group holds the instances of cluster {0}. Launch the cluster's instances from an Auto Scaling group first.", idFromArn(cluster));

async function run(ctx: CommandContext, o: Settings) {
  const c = await ctx.clients();
  const group = o.autoScalingGroup ?? (await clusterGroups(c, o.cluster))[0]?.AutoScalingGroupName;
  if (!group) throw new CommandError(noGroup(o.cluster), 'NotFound', 'autoScalingGroup');
  await ctx.confirm({
    kind: 'aws',
    message: t('Configure auto scaling of cluster {0}?', idFromArn(o.cluster)),
    detail: [
      t('Auto Scaling group {0}: maximum {1} instances', group, o.maxSize),
      t('Scale out: cluster CPU > {0}% → +{1} instances; scale in: CPU < {0}% → {2} instances', o.cpuThreshold, o.scaleOutAdjustment, o.scaleInAdjustment),
      t('More instances cost money on AWS; CloudWatch alarms are billable.'),
    ],
    button: t('Configure'),
  });
  const res = await ctx.progress(t('Configuring cluster auto scaling…'), (p) => configure(c, { ...o, autoScalingGroup: group }, (m) => p.report({ message: m })));
  ctx.services.refresh({ kind: 'clusters' });
  ctx.tell(t('Auto scaling of cluster {0}: group {1}, alarms {2}.', idFromArn(o.cluster), res.autoScalingGroup, res.alarms.join(', ')));
  return res;
}

/** The group (when the cluster's instances are in several), then the numbers (prefilled). */
async function ask(ctx: CommandContext, draft: Settings): Promise<Settings | undefined> {
  let group = draft.autoScalingGroup;
  if (!group) {
    const groups = await clusterGroups(await ctx.clients(), draft.cluster);
    group = groups[0]?.AutoScalingGroupName;
    if (groups.length > 1) {
      group = (await vscode.window.showQuickPick(groups.map((g) => ({ label: g.AutoScalingGroupName ?? '', description: t('{0} instances, max {1}', g.Instances?.length ?? 0, g.MaxSize ?? 0) })), { title: t('Auto Scaling group of the cluster') }))?.label;
      if (!group) return undefined;
    }
    if (!group) throw new CommandError(noGroup(draft.cluster), 'NotFound', 'autoScalingGroup');
  }
  const max = await askInt(t('Maximum number of instances'), draft.maxSize, 1, 1000);
  if (max === undefined) return undefined;
  const cpu = await askInt(t('Cluster CPU threshold (%)'), draft.cpuThreshold, 1, 100);
  if (cpu === undefined) return undefined;
  const out = await askInt(t('Instances to add when CPU is above {0}%', cpu), draft.scaleOutAdjustment, 1, 100);
  if (out === undefined) return undefined;
  const inn = await askInt(t('Instances to remove when CPU is below {0}%', cpu), -draft.scaleInAdjustment, 1, 100);
  if (inn === undefined) return undefined;
  return { ...draft, autoScalingGroup: group, maxSize: max, cpuThreshold: cpu, scaleOutAdjustment: out, scaleInAdjustment: -inn };
}

export const configureClusterAutoScaling = defineCommand({
  id: 'ecsHandson.autoScaling.configureCluster',
  title: () => t('Configure cluster auto scaling'),
  args: readClusterScaling,
  row: (node): Settings | undefined => (node.resource ? defaults(node.resource) : undefined),
  palette: async (ctx): Promise<Settings | undefined> => {
    const picked = await pickCluster(await ctx.clients(), t('Cluster to scale automatically'));
    return picked && defaults(picked.clusterArn);
  },
  ask,
  run,
});
