/**
 * `ecsHandson.autoScaling.configureService` (hands-on section 6): Application Auto Scaling for a
 * service, as the article sets it up in the console:
 *   - scalable target `service/<cluster>/<service>`, ecs:service:DesiredCount, min 2 / max 4;
 *   - step scaling: scale-out "CPU 1-minute average > 20% → +2 tasks" with its CloudWatch alarm
 *     (AWS/ECS CPUUtilization, ClusterName + ServiceName, Average, Period 60, 1 evaluation period,
 *     AlarmActions = the policy ARN) and scale-in "< 20% → −2 tasks" with its own alarm;
 *   - or target tracking on ECSServiceAverageCPUUtilization (AWS creates the alarms).
 *
 * Arguments (`ServiceAutoScalingArgs`):
 *   { cluster: string (name or ARN), service: string, minCapacity?: number (2), maxCapacity?: number (4),
 *     mode?: "step" | "targetTracking" ("step"), cpuThreshold?: number (20),
 *     scaleOutAdjustment?: number (2), scaleInAdjustment?: number (-2), cooldownSeconds?: number (60) }
 * Returns { resourceId, policies: [{ name, arn }], alarms: string[] } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { ArgReader } from '../../../core/commands/args';
import type { ServiceAutoScalingArgs, ServiceRef } from '../../../core/commands/contract';
import { idFromArn } from '../../../core/format';
import { managedTag } from '../../../core/managed';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand, type CommandContext } from '../command';
import { askInt } from '../pickers';
import { activeService, pickServiceRef, readServiceRef, serviceRow } from './service-update';

type Settings = Required<ServiceAutoScalingArgs>;

/** The hands-on's settings (min 2, max 4, CPU > 20% → +2, < 20% → −2, cooldown 60 s) for a service. */
const defaults = (ref: ServiceRef): Settings => ({ ...ref, mode: 'step', minCapacity: 2, maxCapacity: 4, cpuThreshold: 20, scaleOutAdjustment: 2, scaleInAdjustment: -2, cooldownSeconds: 60 });

export function readServiceScaling(r: ArgReader<ServiceAutoScalingArgs>): Settings {
  const d = defaults(readServiceRef(r));
  const s: Settings = {
    ...d,
    mode: r.oneOf('mode', ['step', 'targetTracking'] as const) ?? d.mode,
    minCapacity: r.int('minCapacity', 0, 5000) ?? d.minCapacity,
    maxCapacity: r.int('maxCapacity', 1, 5000) ?? d.maxCapacity,
    cpuThreshold: r.int('cpuThreshold', 1, 100) ?? d.cpuThreshold,
    scaleOutAdjustment: r.int('scaleOutAdjustment', 1, 1000) ?? d.scaleOutAdjustment,
    scaleInAdjustment: r.int('scaleInAdjustment', -1000, -1) ?? d.scaleInAdjustment,
    cooldownSeconds: r.int('cooldownSeconds', 0, 3600) ?? d.cooldownSeconds,
  };
  if (s.minCapacity > s.maxCapacity) r.fail(t('The minimum ({0}) must not be greater than the maximum ({1}).', s.minCapacity, s.maxCapacity), 'minCapacity');
  return s;
}

export const serviceResourceId = (cluster: string, service: string) => `service/${idFromArn(cluster)}/${idFromArn(service)}`;

async function configure(c: AwsClients, o: Settings, report: (m: string) => void) {
  const x = loadAws().operateSdk;
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
        Tags: [managedTag()],
      }),
    );
    alarms.push(alarm);
  }
  return { resourceId, policies, alarms };
}

async function run(ctx: CommandContext, o: Settings) {
  const c = await ctx.clients();
  const sv = await activeService(c, o);
  o = { ...o, cluster: sv.clusterArn ?? o.cluster, service: sv.serviceName ?? o.service };
  await ctx.confirm({
    kind: 'aws',
    message: t('Configure auto scaling of {0}?', idFromArn(o.service)),
    detail: [
      t('Tasks: minimum {0}, maximum {1}', o.minCapacity, o.maxCapacity),
      o.mode === 'step'
        ? t('Scale out: CPU > {0}% (1-minute average) → +{1} tasks; scale in: CPU < {0}% → {2} tasks', o.cpuThreshold, o.scaleOutAdjustment, o.scaleInAdjustment)
        : t('Target tracking: keep CPU at {0}%', o.cpuThreshold),
      t('CloudWatch alarms are billable on AWS.'),
    ],
    button: t('Configure'),
  });
  const res = await ctx.progress(t('Configuring service auto scaling…'), (p) => configure(c, o, (m) => p.report({ message: m })));
  ctx.services.refresh({ kind: 'service', clusterArn: o.cluster, serviceName: idFromArn(o.service) });
  ctx.tell(t('Auto scaling of {0}: {1} policies, alarms {2}.', idFromArn(o.service), res.policies.length, res.alarms.join(', ') || '—'));
  return res;
}

/** The mode, then the numbers (prefilled with what was entered before, or the hands-on's). */
async function ask(ctx: CommandContext, draft: Settings): Promise<Settings | undefined> {
  const mode = await vscode.window.showQuickPick(
    [
      { label: t('Step scaling (as in the hands-on)'), description: t('CPU > {0}% → +{1} tasks, CPU < {0}% → {2} tasks', draft.cpuThreshold, draft.scaleOutAdjustment, draft.scaleInAdjustment), value: 'step' as const },
      { label: t('Target tracking'), description: t('keep the average CPU at a target'), value: 'targetTracking' as const },
    ],
    { title: t('Auto scaling of {0}', idFromArn(draft.service)) },
  );
  if (!mode) return undefined;
  const min = await askInt(t('Minimum number of tasks'), draft.minCapacity, 0, 5000);
  if (min === undefined) return undefined;
  const max = await askInt(t('Maximum number of tasks'), Math.max(draft.maxCapacity, min), Math.max(1, min), 5000);
  if (max === undefined) return undefined;
  const cpu = await askInt(mode.value === 'step' ? t('CPU threshold (%)') : t('Target CPU (%)'), draft.cpuThreshold, 1, 100);
  if (cpu === undefined) return undefined;
  const next: Settings = { ...draft, mode: mode.value, minCapacity: min, maxCapacity: max, cpuThreshold: cpu };
  if (mode.value === 'step') {
    const out = await askInt(t('Tasks to add when CPU is above {0}%', cpu), draft.scaleOutAdjustment, 1, 1000);
    if (out === undefined) return undefined;
    const inn = await askInt(t('Tasks to remove when CPU is below {0}%', cpu), -draft.scaleInAdjustment, 1, 1000);
    if (inn === undefined) return undefined;
    Object.assign(next, { scaleOutAdjustment: out, scaleInAdjustment: -inn });
  }
  return next;
}

export const configureServiceAutoScaling = defineCommand({
  id: 'ecsHandson.autoScaling.configureService',
  title: () => t('Configure service auto scaling'),
  args: readServiceScaling,
  row: (node): Settings | undefined => {
    const ref = serviceRow(node);
    return ref && defaults(ref);
  },
  palette: async (ctx): Promise<Settings | undefined> => {
    const ref = await pickServiceRef(ctx, t('Service to scale automatically'));
    return ref && defaults(ref);
  },
  ask,
  run,
});
