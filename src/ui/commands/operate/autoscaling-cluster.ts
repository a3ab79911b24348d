/**
 * `ecsHandson.autoScaling.configureCluster` (hands-on section 6): scale the cluster's instances
 * through their EC2 Auto Scaling group, as the article does: maximum 4; "cluster CPUUtilization
 * > 20% → +2 instances" (step policy + CloudWatch alarm on AWS/ECS CPUUtilization, ClusterName)
 * and a scale-in policy "< 20% → −2 instances" with its alarm.
 *
 * Arguments (non-interactive):
 *   { cluster: string, autoScalingGroup?: string (default: the group holding the cluster's
 *     instances), maxSize?: number (4), minSize?: number (kept), desiredCapacity?: number (kept;
 *     the walkthrough sets it to bring the instances back to 2), cpuThreshold?: number (20),
 *     scaleOutAdjustment?: number (2), scaleInAdjustment?: number (-2), cooldownSeconds?: number (60) }
 * Returns { autoScalingGroup, policies: [{ name, arn }], alarms: string[] } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import { idFromArn } from '../../../core/format';
import { loadAws } from '../../aws-loader';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, askInt, checkArgs, clientsOr, confirm, intArg, invalid, isFailure, isTreeNode, pickCluster, refused, refusedRetry, sdk, stringArg, t } from './common';
import { MANAGED_TAG } from './autoscaling-service';

export interface ClusterAutoScalingArgs {
  cluster: string;
  autoScalingGroup?: string;
  maxSize?: number;
  minSize?: number;
  desiredCapacity?: number;
  cpuThreshold?: number;
  scaleOutAdjustment?: number;
  scaleInAdjustment?: number;
  cooldownSeconds?: number;
}

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

export function parseClusterScaling(a: Partial<ClusterAutoScalingArgs>): Settings {
  const cluster = stringArg(a.cluster, 'cluster');
  if (!cluster) throw new ArgumentError(t('"cluster" is required (a cluster name or ARN).'));
  const s: Settings = {
    cluster,
    autoScalingGroup: stringArg(a.autoScalingGroup, 'autoScalingGroup'),
    maxSize: intArg(a.maxSize, 'maxSize', 1, 1000) ?? 4,
    minSize: intArg(a.minSize, 'minSize', 0, 1000),
    desiredCapacity: intArg(a.desiredCapacity, 'desiredCapacity', 0, 1000),
    cpuThreshold: intArg(a.cpuThreshold, 'cpuThreshold', 1, 100) ?? 20,
    scaleOutAdjustment: intArg(a.scaleOutAdjustment, 'scaleOutAdjustment', 1, 100) ?? 2,
    scaleInAdjustment: intArg(a.scaleInAdjustment, 'scaleInAdjustment', -100, -1) ?? -2,
    cooldownSeconds: intArg(a.cooldownSeconds, 'cooldownSeconds', 0, 3600) ?? 60,
  };
  if (s.minSize !== undefined && s.minSize > s.maxSize) throw new ArgumentError(t('The minimum ({0}) must not be greater than the maximum ({1}).', s.minSize, s.maxSize));
  if (s.desiredCapacity !== undefined && s.desiredCapacity > s.maxSize) throw new ArgumentError(t('The desired capacity ({0}) must not be greater than the maximum ({1}).', s.desiredCapacity, s.maxSize));
  if (s.desiredCapacity !== undefined && s.minSize !== undefined && s.desiredCapacity < s.minSize) throw new ArgumentError(t('The desired capacity ({0}) must not be less than the minimum ({1}).', s.desiredCapacity, s.minSize));
  return s;
}

/** Auto Scaling groups holding the cluster's instances (or named after it), best match first. */
export async function clusterGroups(c: AwsClients, cluster: string) {
  const aws = loadAws();
  const x = sdk();
  const groups = (await c.autoScaling.send(new x.DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const ciArns = await aws.listContainerInstanceArns(c.ecs, { cluster });
  const ids = new Set(ciArns.length ? (await aws.describeContainerInstances(c.ecs, cluster, ciArns)).items.map((ci) => ci.ec2InstanceId ?? '') : []);
  const name = idFromArn(cluster);
  const score = (g: (typeof groups)[number]) => (g.Instances ?? []).filter((i) => ids.has(i.InstanceId ?? '')).length * 10 + ((g.AutoScalingGroupName ?? '').includes(name) ? 1 : 0);
  return groups.filter((g) => score(g) > 0).sort((a, b) => score(b) - score(a));
}

async function configure(c: AwsClients, o: Settings & { autoScalingGroup: string }, report: (m: string) => void) {
  const x = sdk();
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
        Tags: [{ ...MANAGED_TAG }],
      }),
    );
    alarms.push(alarm);
  }
  return { autoScalingGroup: o.autoScalingGroup, policies, alarms };
}

async function run(s: Services, c: AwsClients, o: Settings & { autoScalingGroup: string }) {
  const detail = [
    t('Auto Scaling group {0}: maximum {1} instances', o.autoScalingGroup, o.maxSize),
    t('Scale out: cluster CPU > {0}% → +{1} instances; scale in: CPU < {0}% → {2} instances', o.cpuThreshold, o.scaleOutAdjustment, o.scaleInAdjustment),
    t('More instances cost money on AWS; CloudWatch alarms are billable.'),
  ];
  if (!(await confirm(s, t('Configure auto scaling of cluster {0}?', idFromArn(o.cluster)), detail, t('Configure')))) return undefined;
  const res = await s.withProgress(t('Configuring cluster auto scaling…'), (p) => configure(c, o, (m) => p.report({ message: m })));
  s.refresh({ kind: 'clusters' });
  return res;
}

export const configureClusterAutoScaling: Command = {
  id: 'ecsHandson.autoScaling.configureCluster',
  run: async (s, arg) => {
    const action = t('Configure cluster auto scaling');
    const a = argObject<ClusterAutoScalingArgs>(arg);
    const noGroup = (cluster: string) => t("No Auto Scaling group holds the instances of cluster {0}. Launch the cluster's instances from an Auto Scaling group first.", idFromArn(cluster));
    if (a) {
      const o = checkArgs(() => parseClusterScaling(a));
      if (isFailure(o)) return o;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        const group = o.autoScalingGroup ?? (await clusterGroups(c, o.cluster))[0]?.AutoScalingGroupName;
        if (!group) return invalid(noGroup(o.cluster));
        return await run(s, c, { ...o, autoScalingGroup: group });
      } catch (e) {
        return refused(s, e, action);
      }
    }
    const c = await s.clientsOrFail();
    const cluster = isTreeNode(arg) && arg.kind === 'cluster' && arg.resource ? arg.resource : (await pickCluster(c, t('Cluster to scale automatically')))?.clusterArn;
    if (!cluster) return undefined;
    let groups;
    try {
      groups = await clusterGroups(c, cluster);
    } catch (e) {
      return refused(s, e, action);
    }
    let group = groups[0]?.AutoScalingGroupName;
    if (groups.length > 1) {
      group = (await vscode.window.showQuickPick(groups.map((g) => ({ label: g.AutoScalingGroupName ?? '', description: t('{0} instances, max {1}', g.Instances?.length ?? 0, g.MaxSize ?? 0) })), { title: t('Auto Scaling group of the cluster') }))?.label;
      if (!group) return undefined;
    }
    if (!group) return invalid(noGroup(cluster));
    const draft = { ...parseClusterScaling({ cluster }), autoScalingGroup: group };
    for (;;) {
      const max = await askInt(t('Maximum number of instances'), draft.maxSize, 1, 1000);
      if (max === undefined) return undefined;
      const cpu = await askInt(t('Cluster CPU threshold (%)'), draft.cpuThreshold, 1, 100);
      if (cpu === undefined) return undefined;
      const out = await askInt(t('Instances to add when CPU is above {0}%', cpu), draft.scaleOutAdjustment, 1, 100);
      if (out === undefined) return undefined;
      const inn = await askInt(t('Instances to remove when CPU is below {0}%', cpu), -draft.scaleInAdjustment, 1, 100);
      if (inn === undefined) return undefined;
      Object.assign(draft, { maxSize: max, cpuThreshold: cpu, scaleOutAdjustment: out, scaleInAdjustment: -inn });
      try {
        const res = await run(s, c, draft);
        if (res) void vscode.window.showInformationMessage(t('Auto scaling of cluster {0}: group {1}, alarms {2}.', idFromArn(cluster), res.autoScalingGroup, res.alarms.join(', ')));
        return res;
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
