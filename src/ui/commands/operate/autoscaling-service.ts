/**
 * `ecsHandson.autoScaling.configureService` (hands-on section 6): Application Auto Scaling for a
 * service, as the article sets it up in the console:
 *   - scalable target `service/<cluster>/<service>`, ecs:service:DesiredCount, min 2 / max 4;
 *   - step scaling: scale-out "CPU 1-minute average > 20% → +2 tasks" with its CloudWatch alarm
 *     (AWS/ECS CPUUtilization, ClusterName + ServiceName, Average, Period 60, 1 evaluation period,
 *     AlarmActions = the policy ARN) and scale-in "< 20% → −2 tasks" with its own alarm;
 *   - or target tracking on ECSServiceAverageCPUUtilization (AWS creates the alarms).
 *
 * Arguments (non-interactive):
 *   { cluster: string (name or ARN), service: string, minCapacity?: number (2), maxCapacity?: number (4),
 *     mode?: "step" | "targetTracking" ("step"), cpuThreshold?: number (20),
 *     scaleOutAdjustment?: number (2), scaleInAdjustment?: number (-2), cooldownSeconds?: number (60) }
 * Returns { resourceId, policies: [{ name, arn }], alarms: string[] } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import { idFromArn } from '../../../core/format';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, askInt, checkArgs, clientsOr, confirm, intArg, isFailure, refused, refusedRetry, sdk, stringArg, t } from './common';
import { describeService, serviceTarget } from './update-service';

export interface ServiceAutoScalingArgs {
  cluster: string;
  service: string;
  minCapacity?: number;
  maxCapacity?: number;
  mode?: 'step' | 'targetTracking';
  cpuThreshold?: number;
  scaleOutAdjustment?: number;
  scaleInAdjustment?: number;
  cooldownSeconds?: number;
}

type Settings = Required<ServiceAutoScalingArgs>;

export const MANAGED_TAG = { Key: 'ecs-handson:managed', Value: 'true' } as const;

export function parseServiceScaling(a: Partial<ServiceAutoScalingArgs>): Settings {
  const cluster = stringArg(a.cluster, 'cluster');
  const service = stringArg(a.service, 'service');
  if (!cluster) throw new ArgumentError(t('"cluster" is required (a cluster name or ARN).'));
  if (!service) throw new ArgumentError(t('"service" is required (a service name or ARN).'));
  const mode = a.mode ?? 'step';
  if (mode !== 'step' && mode !== 'targetTracking') throw new ArgumentError(t('"mode" must be "step" or "targetTracking", got {0}.', JSON.stringify(a.mode)));
  const s: Settings = {
    cluster,
    service,
    mode,
    minCapacity: intArg(a.minCapacity, 'minCapacity', 0, 5000) ?? 2,
    maxCapacity: intArg(a.maxCapacity, 'maxCapacity', 1, 5000) ?? 4,
    cpuThreshold: intArg(a.cpuThreshold, 'cpuThreshold', 1, 100) ?? 20,
    scaleOutAdjustment: intArg(a.scaleOutAdjustment, 'scaleOutAdjustment', 1, 1000) ?? 2,
    scaleInAdjustment: intArg(a.scaleInAdjustment, 'scaleInAdjustment', -1000, -1) ?? -2,
    cooldownSeconds: intArg(a.cooldownSeconds, 'cooldownSeconds', 0, 3600) ?? 60,
  };
  if (s.minCapacity > s.maxCapacity) throw new ArgumentError(t('The minimum ({0}) must not be greater than the maximum ({1}).', s.minCapacity, s.maxCapacity));
  return s;
}

export const serviceResourceId = (cluster: string, service: string) => `service/${idFromArn(cluster)}/${idFromArn(service)}`;

async function configure(s: Services, c: AwsClients, o: Settings, report: (m: string) => void) {
  const x = sdk();
  const clusterName = idFromArn(o.cluster);
  const serviceName = idFromArn(o.service);
  const resourceId = serviceResourceId(clusterName, serviceName);
  const common = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount' as const };
  report(t('registering the scalable target (min {0}, max {1})…', o.minCapacity, o.maxCapacity));
  await c.applicationAutoScaling.send(new x.RegisterScalableTargetCommand({ ...common, MinCapacity: o.minCapacity, MaxCapacity: o.maxCapacity }));
  const policies: Array<{ name: string; arn: string }> = [];
  const alarms: string[] = [];
  if (o.mode === 'targetTracking') {
    const name = `${serviceName}-cpu-target-${o.cpuThreshold}`;
    report(t('putting the target tracking policy…'));
    const out = await c.applicationAutoScaling.send(
      new x.PutScalingPolicyCommand({
        ...common,
        PolicyName: name,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: o.cpuThreshold,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          ScaleOutCooldown: o.cooldownSeconds,
          ScaleInCooldown: o.cooldownSeconds,
        },
      }),
    );
    policies.push({ name, arn: out.PolicyARN ?? '' });
    alarms.push(...(out.Alarms ?? []).map((a) => a.AlarmName ?? '').filter(Boolean));
    return { resourceId, policies, alarms };
  }
  const dims = [
    { Name: 'ClusterName', Value: clusterName },
    { Name: 'ServiceName', Value: serviceName },
  ];
  for (const dir of ['out', 'in'] as const) {
    const name = `${serviceName}-cpu-scale-${dir}`;
    report(dir === 'out' ? t('putting the scale-out policy and its alarm…') : t('putting the scale-in policy and its alarm…'));
    const out = await c.applicationAutoScaling.send(
      new x.PutScalingPolicyCommand({
        ...common,
        PolicyName: name,
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'ChangeInCapacity',
          StepAdjustments: [dir === 'out' ? { MetricIntervalLowerBound: 0, ScalingAdjustment: o.scaleOutAdjustment } : { MetricIntervalUpperBound: 0, ScalingAdjustment: o.scaleInAdjustment }],
          Cooldown: o.cooldownSeconds,
          MetricAggregationType: 'Average',
        },
      }),
    );
    const arn = out.PolicyARN ?? '';
    policies.push({ name, arn });
    const alarm = `${clusterName}-${serviceName}-cpu-${dir === 'out' ? 'high' : 'low'}`;
    await c.cloudWatch.send(
      new x.PutMetricAlarmCommand({
        AlarmName: alarm,
        AlarmDescription: dir === 'out'
          ? `ECS Hands-on: ${serviceName} CPU 1-minute average > ${o.cpuThreshold}% -> +${o.scaleOutAdjustment} tasks`
          : `ECS Hands-on: ${serviceName} CPU 1-minute average < ${o.cpuThreshold}% -> ${o.scaleInAdjustment} tasks`,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: dims,
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
  return { resourceId, policies, alarms };
}

async function run(s: Services, o: Settings) {
  const c = await s.clientsOrFail();
  const detail = [
    t('Tasks: minimum {0}, maximum {1}', o.minCapacity, o.maxCapacity),
    o.mode === 'step'
      ? t('Scale out: CPU > {0}% (1-minute average) → +{1} tasks; scale in: CPU < {0}% → {2} tasks', o.cpuThreshold, o.scaleOutAdjustment, o.scaleInAdjustment)
      : t('Target tracking: keep CPU at {0}%', o.cpuThreshold),
    t('CloudWatch alarms are billable on AWS.'),
  ];
  if (!(await confirm(s, t('Configure auto scaling of {0}?', idFromArn(o.service)), detail, t('Configure')))) return undefined;
  const res = await s.withProgress(t('Configuring service auto scaling…'), (p) => configure(s, c, o, (m) => p.report({ message: m })));
  s.refresh({ kind: 'service', clusterArn: o.cluster, serviceName: idFromArn(o.service) });
  return res;
}

export const configureServiceAutoScaling: Command = {
  id: 'ecsHandson.autoScaling.configureService',
  run: async (s, arg) => {
    const action = t('Configure service auto scaling');
    const a = argObject<ServiceAutoScalingArgs>(arg);
    if (a) {
      const o = checkArgs(() => parseServiceScaling(a));
      if (isFailure(o)) return o;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        const sv = await describeService(c, o.cluster, o.service);
        if (!sv || sv.status !== 'ACTIVE') return { error: t('Service {0} not found in cluster {1}.', o.service, o.cluster), code: 'InvalidArguments' };
        return await run(s, { ...o, cluster: sv.clusterArn ?? o.cluster, service: sv.serviceName ?? o.service });
      } catch (e) {
        return refused(s, e, action);
      }
    }
    const c = await s.clientsOrFail();
    const target = await serviceTarget(s, c, arg, t('Service to scale automatically'));
    if (!target) return undefined;
    const draft = parseServiceScaling(target);
    const mode = await vscode.window.showQuickPick(
      [
        { label: t('Step scaling (as in the hands-on)'), description: t('CPU > {0}% → +{1} tasks, CPU < {0}% → {2} tasks', draft.cpuThreshold, draft.scaleOutAdjustment, draft.scaleInAdjustment), value: 'step' as const },
        { label: t('Target tracking'), description: t('keep the average CPU at a target'), value: 'targetTracking' as const },
      ],
      { title: t('Auto scaling of {0}', idFromArn(target.service)) },
    );
    if (!mode) return undefined;
    draft.mode = mode.value;
    for (;;) {
      const min = await askInt(t('Minimum number of tasks'), draft.minCapacity, 0, 5000);
      if (min === undefined) return undefined;
      const max = await askInt(t('Maximum number of tasks'), Math.max(draft.maxCapacity, min), Math.max(1, min), 5000);
      if (max === undefined) return undefined;
      const cpu = await askInt(mode.value === 'step' ? t('CPU threshold (%)') : t('Target CPU (%)'), draft.cpuThreshold, 1, 100);
      if (cpu === undefined) return undefined;
      Object.assign(draft, { minCapacity: min, maxCapacity: max, cpuThreshold: cpu });
      if (mode.value === 'step') {
        const out = await askInt(t('Tasks to add when CPU is above {0}%', cpu), draft.scaleOutAdjustment, 1, 1000);
        if (out === undefined) return undefined;
        const inn = await askInt(t('Tasks to remove when CPU is below {0}%', cpu), -draft.scaleInAdjustment, 1, 1000);
        if (inn === undefined) return undefined;
        Object.assign(draft, { scaleOutAdjustment: out, scaleInAdjustment: -inn });
      }
      try {
        const res = await run(s, draft);
        if (res) void vscode.window.showInformationMessage(t('Auto scaling of {0}: {1} policies, alarms {2}.', idFromArn(target.service), res.policies.length, res.alarms.join(', ') || '—'));
        return res;
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
