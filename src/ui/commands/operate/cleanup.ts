/**
 * `ecsHandson.cleanup` (hands-on section 7): find what the hands-on created — resources tagged
 * `ecs-handson:managed=true` where taggable, the known names (demo-cluster, demo-service,
 * demo-app-task, app-demo-lb) and what they reference — show the list (a QuickPick with every item
 * checked), then delete in dependency order with progress:
 *   alarms + scaling policies → scalable targets → services (the target groups' deregistration
 *   delay set to 0 first, then scale 0, delete, wait) → task
 *   definitions (deregister) → listeners → load balancers → target groups → Auto Scaling groups →
 *   instances (terminate, wait) → launch templates → security groups → clusters.
 * Individual failures do not stop it; they are reported at the end.
 *
 * Arguments (`CleanupArgs`): { dryRun?: boolean (only list) }.
 * A person unchecks what to keep in the list; an argument call deletes everything found. On real AWS
 * every call asks first (modal, with the list).
 * Returns { found: CleanupItem[], deleted: CleanupItem[], failed: [{ item, error }], warnings: string[] }.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import { familyOf, idFromArn, revisionFromArn } from '../../../core/format';
import { hasManagedTag, MANAGED_TAG_KEY, MANAGED_TAG_VALUE } from '../../../core/managed';
import { paceFor, waitUntil, type Pace } from '../../../core/poll';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand, type CommandContext } from '../command';
import { deleteServiceNow } from './delete-service';

const sdk = () => loadAws().operateSdk;

export type CleanupKind =
  | 'alarm' | 'scalingPolicy' | 'asgPolicy' | 'scalableTarget' | 'service' | 'taskDefinition' | 'listener' | 'loadBalancer'
  | 'targetGroup' | 'autoScalingGroup' | 'instance' | 'launchTemplate' | 'securityGroup' | 'cluster';

/** Deletion order. */
export const CLEANUP_ORDER: CleanupKind[] = [
  'alarm', 'scalingPolicy', 'asgPolicy', 'scalableTarget', 'service', 'taskDefinition', 'listener', 'loadBalancer',
  'targetGroup', 'autoScalingGroup', 'instance', 'launchTemplate', 'securityGroup', 'cluster',
];

export interface CleanupItem {
  kind: CleanupKind;
  /** What the delete call takes: ARN, name or id. */
  id: string;
  label: string;
  /** Extra identifiers (cluster of a service, resource id of a policy, ASG of a policy). */
  ref?: Record<string, string>;
}

export interface CleanupResult {
  found: CleanupItem[];
  deleted: CleanupItem[];
  failed: Array<{ item: CleanupItem; error: string }>;
  warnings: string[];
}

const KNOWN = { cluster: 'demo-cluster', service: 'demo-service', family: 'demo-app-task', loadBalancer: 'app-demo-lb' } as const;

const kindLabel = (k: CleanupKind): string =>
  ({
    alarm: t('CloudWatch alarms'),
    scalingPolicy: t('Service scaling policies'),
    asgPolicy: t('Auto Scaling group policies'),
    scalableTarget: t('Scalable targets'),
    service: t('Services'),
    taskDefinition: t('Task definitions'),
    listener: t('Listeners'),
    loadBalancer: t('Load balancers'),
    targetGroup: t('Target groups'),
    autoScalingGroup: t('Auto Scaling groups'),
    instance: t('EC2 instances'),
    launchTemplate: t('Launch templates'),
    securityGroup: t('Security groups'),
    cluster: t('Clusters'),
  })[k];

const errText = (e: unknown) => {
  const info = loadAws().mapAwsError(e, { t });
  return `${info.code}: ${info.message}`;
};

/** Finds what the hands-on created. Listing failures (e.g. a service the endpoint lacks) become warnings. */
export async function discover(c: AwsClients, report: (m: string) => void = () => undefined): Promise<{ items: CleanupItem[]; warnings: string[] }> {
  const aws = loadAws();
  const x = sdk();
  const items: CleanupItem[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const add = (item: CleanupItem) => {
    const key = `${item.kind} ${item.id}`;
    if (!seen.has(key)) {
      seen.add(key);
      items.push(item);
    }
  };
  const step = async (what: string, fn: () => Promise<void>) => {
    report(t('looking for {0}…', what));
    try {
      await fn();
    } catch (e) {
      warnings.push(t('Could not list {0}: {1}', what, errText(e)));
    }
  };

  // ECS: clusters, services, task definitions.
  const clusterNames = new Set<string>();
  const clusterArns: string[] = [];
  const services: Array<{ cluster: string; name: string; arn: string }> = [];
  const taskDefs = new Set<string>();
  const targetGroupArns = new Set<string>();
  const instanceIds = new Set<string>();
  await step(t('clusters and services'), async () => {
    const arns = await aws.listClusterArns(c.ecs);
    const { items: clusters } = await aws.describeClusters(c.ecs, arns, { include: ['TAGS'] });
    for (const cl of clusters) {
      const arn = cl.clusterArn ?? '';
      const managed = cl.clusterName === KNOWN.cluster || hasManagedTag(cl.tags);
      if (managed && cl.status !== 'INACTIVE') {
        clusterArns.push(arn);
        clusterNames.add(cl.clusterName ?? '');
      }
      const svcArns = await aws.listServiceArns(c.ecs, arn);
      if (svcArns.length === 0) continue;
      const { items: svcs } = await aws.describeServices(c.ecs, arn, svcArns, { include: ['TAGS'] });
      for (const sv of svcs) {
        if (sv.status !== 'ACTIVE') continue;
        if (!(managed || sv.serviceName === KNOWN.service || hasManagedTag(sv.tags))) continue;
        services.push({ cluster: arn, name: sv.serviceName ?? '', arn: sv.serviceArn ?? '' });
        add({ kind: 'service', id: sv.serviceArn ?? '', label: `${cl.clusterName}/${sv.serviceName}`, ref: { cluster: arn, service: sv.serviceName ?? '' } });
        for (const td of [sv.taskDefinition, ...(sv.deployments ?? []).map((d) => d.taskDefinition)]) if (td) taskDefs.add(td);
        for (const lb of sv.loadBalancers ?? []) if (lb.targetGroupArn) targetGroupArns.add(lb.targetGroupArn);
      }
      if (managed) {
        const ciArns = await aws.listContainerInstanceArns(c.ecs, { cluster: arn });
        if (ciArns.length) for (const ci of (await aws.describeContainerInstances(c.ecs, arn, ciArns)).items) if (ci.ec2InstanceId) instanceIds.add(ci.ec2InstanceId);
      }
    }
  });
  await step(t('task definitions'), async () => {
    const families = new Set([KNOWN.family as string, ...[...taskDefs].map(familyOf)]);
    const all = await aws.listTaskDefinitionFamilies(c.ecs, { status: 'ACTIVE' });
    // Tagged families (the latest revision carries the tags), bounded.
    for (const f of all.filter((f) => !families.has(f)).slice(0, 50)) {
      try {
        const out = await aws.describeTaskDefinition(c.ecs, f);
        if (hasManagedTag(out.tags)) families.add(f);
      } catch {
        // a family without ACTIVE revisions: nothing to deregister
      }
    }
    for (const f of families) {
      if (!all.includes(f)) continue;
      const arns = (await aws.listTaskDefinitionArns(c.ecs, { familyPrefix: f, status: 'ACTIVE' })).filter((a) => familyOf(a) === f);
      for (const a of arns) add({ kind: 'taskDefinition', id: a, label: revisionFromArn(a) });
    }
  });

  // Application Auto Scaling: scalable targets and policies of those services.
  const policyArns = new Set<string>();
  const alarmNames = new Set<string>();
  await step(t('service auto scaling'), async () => {
    const resourceIds = new Set(services.map((sv) => `service/${idFromArn(sv.cluster)}/${sv.name}`));
    if (resourceIds.size === 0) return;
    const targets = (await c.applicationAutoScaling.send(new x.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [...resourceIds] }))).ScalableTargets ?? [];
    for (const st of targets) add({ kind: 'scalableTarget', id: st.ResourceId ?? '', label: st.ResourceId ?? '', ref: { dimension: st.ScalableDimension ?? 'ecs:service:DesiredCount' } });
    const policies = (await c.applicationAutoScaling.send(new x.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }))).ScalingPolicies ?? [];
    for (const p of policies) {
      if (!resourceIds.has(p.ResourceId ?? '')) continue;
      policyArns.add(p.PolicyARN ?? '');
      for (const a of p.Alarms ?? []) if (a.AlarmName && !a.AlarmName.startsWith('TargetTracking-')) alarmNames.add(a.AlarmName);
      add({ kind: 'scalingPolicy', id: p.PolicyName ?? '', label: `${p.PolicyName} (${p.ResourceId})`, ref: { resourceId: p.ResourceId ?? '', dimension: p.ScalableDimension ?? 'ecs:service:DesiredCount' } });
    }
  });

  // ELBv2: load balancers, listeners, target groups.
  const lbArns = new Set<string>();
  await step(t('load balancers'), async () => {
    const lbs = await aws.describeLoadBalancers(c.elbv2);
    const groups = await aws.describeTargetGroups(c.elbv2, 'all');
    const arns = [...lbs.map((l) => l.LoadBalancerArn ?? ''), ...groups.map((g) => g.TargetGroupArn ?? '')].filter(Boolean);
    const tagged = new Set<string>();
    for (let i = 0; i < arns.length; i += 20) {
      const out = await c.elbv2.send(new x.DescribeElbTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
      for (const d of out.TagDescriptions ?? []) if (hasManagedTag(d.Tags)) tagged.add(d.ResourceArn ?? '');
    }
    for (const g of groups) if (targetGroupArns.has(g.TargetGroupArn ?? '')) for (const l of g.LoadBalancerArns ?? []) lbArns.add(l);
    for (const lb of lbs) if (lb.LoadBalancerName === KNOWN.loadBalancer || tagged.has(lb.LoadBalancerArn ?? '')) lbArns.add(lb.LoadBalancerArn ?? '');
    for (const lb of lbs) {
      if (!lbArns.has(lb.LoadBalancerArn ?? '')) continue;
      for (const l of await aws.describeListeners(c.elbv2, lb.LoadBalancerArn ?? '')) add({ kind: 'listener', id: l.ListenerArn ?? '', label: `${lb.LoadBalancerName} ${l.Protocol}:${l.Port}` });
      add({ kind: 'loadBalancer', id: lb.LoadBalancerArn ?? '', label: lb.LoadBalancerName ?? '', ref: { securityGroups: (lb.SecurityGroups ?? []).join(',') } });
    }
    for (const g of groups) {
      const arn = g.TargetGroupArn ?? '';
      if (targetGroupArns.has(arn) || tagged.has(arn) || (g.LoadBalancerArns ?? []).some((l) => lbArns.has(l))) add({ kind: 'targetGroup', id: arn, label: g.TargetGroupName ?? '' });
    }
  });

  // EC2 Auto Scaling groups and their policies.
  const launchTemplateIds = new Set<string>();
  await step(t('Auto Scaling groups'), async () => {
    const groups = (await c.autoScaling.send(new x.DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
    for (const g of groups) {
      const name = g.AutoScalingGroupName ?? '';
      const mine = hasManagedTag(g.Tags) || (g.Instances ?? []).some((i) => instanceIds.has(i.InstanceId ?? '')) || [...clusterNames].some((cn) => cn && name.includes(cn));
      if (!mine) continue;
      for (const i of g.Instances ?? []) if (i.InstanceId) instanceIds.add(i.InstanceId);
      const lt = g.LaunchTemplate?.LaunchTemplateId ?? g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId;
      if (lt) launchTemplateIds.add(lt);
      const policies = (await c.autoScaling.send(new x.DescribeAsgPoliciesCommand({ AutoScalingGroupName: name }))).ScalingPolicies ?? [];
      for (const p of policies) {
        policyArns.add(p.PolicyARN ?? '');
        for (const a of p.Alarms ?? []) if (a.AlarmName) alarmNames.add(a.AlarmName);
        add({ kind: 'asgPolicy', id: p.PolicyName ?? '', label: `${p.PolicyName} (${name})`, ref: { group: name } });
      }
      add({ kind: 'autoScalingGroup', id: name, label: name });
    }
  });

  // CloudWatch alarms acting on those policies (or named by them).
  await step(t('CloudWatch alarms'), async () => {
    if (policyArns.size === 0 && alarmNames.size === 0 && clusterNames.size === 0) return;
    let token: string | undefined;
    do {
      const out = await c.cloudWatch.send(new x.DescribeAlarmsCommand({ NextToken: token, AlarmTypes: ['MetricAlarm'] }));
      for (const a of out.MetricAlarms ?? []) {
        const name = a.AlarmName ?? '';
        // Target tracking alarms belong to their policy: AWS deletes them with it.
        if (name.startsWith('TargetTracking-')) continue;
        const onPolicy = (a.AlarmActions ?? []).some((arn) => policyArns.has(arn));
        const onCluster = a.Namespace === 'AWS/ECS' && (a.Dimensions ?? []).some((d) => d.Name === 'ClusterName' && clusterNames.has(d.Value ?? ''));
        if (onPolicy || alarmNames.has(name) || onCluster) add({ kind: 'alarm', id: name, label: name });
      }
      token = out.NextToken;
    } while (token);
  });

  // EC2: instances, launch templates, security groups.
  await step(t('EC2 instances'), async () => {
    const out = await c.ec2.send(new x.DescribeInstancesCommand({ Filters: [{ Name: `tag:${MANAGED_TAG_KEY}`, Values: [MANAGED_TAG_VALUE] }] }));
    for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId) instanceIds.add(i.InstanceId);
    if (instanceIds.size === 0) return;
    const all = await aws.describeInstances(c.ec2, [...instanceIds]);
    for (const i of all) {
      const state = i.State?.Name ?? '';
      if (state === 'terminated' || state === 'shutting-down') continue;
      const lt = (i.Tags ?? []).find((tg) => tg.Key === 'aws:ec2launchtemplate:id')?.Value;
      if (lt) launchTemplateIds.add(lt);
      const name = (i.Tags ?? []).find((tg) => tg.Key === 'Name')?.Value;
      add({ kind: 'instance', id: i.InstanceId ?? '', label: `${i.InstanceId}${name ? ` (${name})` : ''} ${i.InstanceType ?? ''} ${i.Placement?.AvailabilityZone ?? ''}`.trim() });
    }
  });
  await step(t('launch templates'), async () => {
    const out = await c.ec2.send(new x.DescribeLaunchTemplatesCommand({}));
    for (const lt of out.LaunchTemplates ?? []) {
      const name = lt.LaunchTemplateName ?? '';
      if (launchTemplateIds.has(lt.LaunchTemplateId ?? '') || hasManagedTag(lt.Tags) || [...clusterNames].some((cn) => cn && name.startsWith(cn))) {
        add({ kind: 'launchTemplate', id: lt.LaunchTemplateId ?? '', label: name });
      }
    }
  });
  await step(t('security groups'), async () => {
    const fromLbs = new Set(items.filter((i) => i.kind === 'loadBalancer').flatMap((i) => (i.ref?.securityGroups ?? '').split(',').filter(Boolean)));
    const out = await c.ec2.send(new x.DescribeSecurityGroupsCommand({}));
    for (const g of out.SecurityGroups ?? []) {
      if (g.GroupName === 'default') continue;
      if (hasManagedTag(g.Tags) || fromLbs.has(g.GroupId ?? '')) add({ kind: 'securityGroup', id: g.GroupId ?? '', label: `${g.GroupName} (${g.GroupId})` });
    }
  });
  for (const arn of clusterArns) add({ kind: 'cluster', id: arn, label: idFromArn(arn) });
  items.sort((a, b) => CLEANUP_ORDER.indexOf(a.kind) - CLEANUP_ORDER.indexOf(b.kind));
  return { items, warnings };
}

/** Retries `fn` while it fails with one of `codes` (dependencies still going away), for up to `budgetMs`. */
async function retrying(fn: () => Promise<unknown>, codes: RegExp, token: vscode.CancellationToken | undefined, pace: Pace, budgetMs = 60_000): Promise<void> {
  const delayMs = pace(3000);
  const attempts = Math.ceil(budgetMs / delayMs);
  for (let i = 0; ; i++) {
    try {
      await fn();
      return;
    } catch (e) {
      const code = loadAws().mapAwsError(e).code;
      if (i >= attempts - 1 || !codes.test(code) || token?.isCancellationRequested) throw e;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

async function deleteOne(c: AwsClients, item: CleanupItem, token: vscode.CancellationToken | undefined, pace: Pace): Promise<void> {
  const x = sdk();
  switch (item.kind) {
    case 'alarm':
      await c.cloudWatch.send(new x.DeleteAlarmsCommand({ AlarmNames: [item.id] }));
      return;
    case 'scalingPolicy':
      await c.applicationAutoScaling.send(new x.DeleteScalingPolicyCommand({ ServiceNamespace: 'ecs', PolicyName: item.id, ResourceId: item.ref?.resourceId, ScalableDimension: (item.ref?.dimension ?? 'ecs:service:DesiredCount') as 'ecs:service:DesiredCount' }));
      return;
    case 'asgPolicy':
      await c.autoScaling.send(new x.DeleteAsgPolicyCommand({ AutoScalingGroupName: item.ref?.group, PolicyName: item.id }));
      return;
    case 'scalableTarget':
      await c.applicationAutoScaling.send(new x.DeregisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: item.id, ScalableDimension: (item.ref?.dimension ?? 'ecs:service:DesiredCount') as 'ecs:service:DesiredCount' }));
      return;
    case 'service':
      await deleteServiceNow(c, item.ref?.cluster ?? '', item.ref?.service ?? item.id, { wait: true, cancelled: () => !!token?.isCancellationRequested, pollMs: pace(1500) });
      return;
    case 'taskDefinition':
      await c.ecs.send(new x.DeregisterTaskDefinitionCommand({ taskDefinition: item.id }));
      return;
    case 'listener':
      await c.elbv2.send(new x.DeleteListenerCommand({ ListenerArn: item.id }));
      return;
    case 'loadBalancer': {
      await c.elbv2.send(new x.DeleteLoadBalancerCommand({ LoadBalancerArn: item.id }));
      const aws = loadAws();
      await waitUntil(
        async () => {
          try {
            return (await aws.describeLoadBalancers(c.elbv2, [item.id])).length === 0;
          } catch {
            return true; // LoadBalancerNotFound
          }
        },
        { timeoutMs: 120_000, intervalMs: pace(2000), cancelled: () => !!token?.isCancellationRequested },
      );
      return;
    }
    case 'targetGroup':
      await retrying(() => c.elbv2.send(new x.DeleteTargetGroupCommand({ TargetGroupArn: item.id })), /ResourceInUse/, token, pace);
      return;
    case 'autoScalingGroup':
      await retrying(() => c.autoScaling.send(new x.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: item.id, ForceDelete: true })), /ScalingActivityInProgress|ResourceInUse/, token, pace);
      await waitUntil(async () => ((await c.autoScaling.send(new x.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [item.id] }))).AutoScalingGroups ?? []).length === 0, {
        timeoutMs: 10 * 60_000,
        intervalMs: pace(3000),
        cancelled: () => !!token?.isCancellationRequested,
      });
      return;
    case 'instance':
      await c.ec2.send(new x.TerminateInstancesCommand({ InstanceIds: [item.id] }));
      await waitUntil(
        async () => {
          const [i] = await loadAws().describeInstances(c.ec2, [item.id]);
          return !i || i.State?.Name === 'terminated';
        },
        { timeoutMs: 10 * 60_000, intervalMs: pace(2000), cancelled: () => !!token?.isCancellationRequested },
      );
      return;
    case 'launchTemplate':
      await c.ec2.send(new x.DeleteLaunchTemplateCommand({ LaunchTemplateId: item.id }));
      return;
    case 'securityGroup':
      await retrying(() => c.ec2.send(new x.DeleteSecurityGroupCommand({ GroupId: item.id })), /DependencyViolation/, token, pace);
      return;
    case 'cluster':
      await retrying(() => c.ecs.send(new x.DeleteClusterCommand({ cluster: item.id })), /ClusterContains(ContainerInstances|Tasks|Services)Exception|UpdateInProgress/, token, pace, 120_000);
      return;
  }
}

/**
 * The target groups about to be deleted serve nothing any more: their deregistration delay (300 s by
 * default) would only hold up deleting the services while the tasks drain. Best effort: a group
 * that cannot be changed just drains as usual.
 */
async function skipDrain(c: AwsClients, groups: CleanupItem[]): Promise<void> {
  const x = sdk();
  await Promise.all(
    groups.map((g) =>
      c.elbv2.send(new x.ModifyTargetGroupAttributesCommand({ TargetGroupArn: g.id, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }] })).catch(() => undefined),
    ),
  );
}

/** Deletes `items` in dependency order; failures are collected, the rest goes on. */
export async function deleteAll(
  c: AwsClients,
  items: CleanupItem[],
  progress?: vscode.Progress<{ message?: string; increment?: number }>,
  token?: vscode.CancellationToken,
  onPhase?: (kind: CleanupKind, count: number, ms: number) => void,
  pace: Pace = (ms) => ms,
): Promise<Pick<CleanupResult, 'deleted' | 'failed'>> {
  const ordered = [...items].sort((a, b) => CLEANUP_ORDER.indexOf(a.kind) - CLEANUP_ORDER.indexOf(b.kind));
  const deleted: CleanupItem[] = [];
  const failed: CleanupResult['failed'] = [];
  const step = 100 / Math.max(1, ordered.length);
  // Items of the same kind run together (services drain in parallel, instances terminate together).
  for (const kind of CLEANUP_ORDER) {
    const batch = ordered.filter((i) => i.kind === kind);
    if (batch.length === 0) continue;
    if (token?.isCancellationRequested) {
      for (const item of batch) failed.push({ item, error: t('Cancelled') });
      continue;
    }
    progress?.report({ message: t('{0}: {1}', kindLabel(kind), batch.map((i) => i.label).join(', ')) });
    const started = Date.now();
    if (kind === 'service') await skipDrain(c, ordered.filter((i) => i.kind === 'targetGroup'));
    await Promise.all(
      batch.map(async (item) => {
        try {
          await deleteOne(c, item, token, pace);
          deleted.push(item);
        } catch (e) {
          failed.push({ item, error: errText(e) });
        }
        progress?.report({ increment: step });
      }),
    );
    onPhase?.(kind, batch.length, Date.now() - started);
  }
  return { deleted, failed };
}

async function pick(items: CleanupItem[]): Promise<CleanupItem[] | undefined> {
  const entries: Array<vscode.QuickPickItem & { item?: CleanupItem }> = [];
  for (const kind of CLEANUP_ORDER) {
    const of = items.filter((i) => i.kind === kind);
    if (of.length === 0) continue;
    entries.push({ label: kindLabel(kind), kind: vscode.QuickPickItemKind.Separator });
    for (const item of of) entries.push({ label: item.label, description: item.id !== item.label ? item.id : undefined, picked: true, item });
  }
  const picked = await vscode.window.showQuickPick(entries, {
    title: t('Clean up: these will be deleted (uncheck what to keep)'),
    canPickMany: true,
    matchOnDescription: true,
  });
  return picked?.flatMap((p) => (p.item ? [p.item] : []));
}

function reportResult(ctx: CommandContext, r: CleanupResult): void {
  const s = ctx.services;
  for (const w of r.warnings) s.log.warn(`cleanup: ${w}`);
  for (const d of r.deleted) s.log.info(`cleanup: deleted ${d.kind} ${d.label}`);
  for (const f of r.failed) s.log.error(`cleanup: could not delete ${f.item.kind} ${f.item.label}: ${f.error}`);
  if (r.failed.length) {
    const show = t('Show Log');
    void ctx
      .notify('warning', t('Clean up: {0} deleted, {1} failed: {2}', r.deleted.length, r.failed.length, r.failed.map((f) => `${f.item.label} (${f.error})`).join('; ')), show)
      .then((c) => c === show && s.log.show(true));
  } else {
    void ctx.notify('info', t('Clean up: {0} resources deleted.', r.deleted.length));
  }
}

async function run(ctx: CommandContext, opts: { dryRun: boolean }): Promise<CleanupResult | undefined> {
  const s = ctx.services;
  const c = await ctx.clients();
  const found = await ctx.progress(t('Looking for what the hands-on created…'), (p) => discover(c, (m) => p.report({ message: m })));
  const result: CleanupResult = { found: found.items, deleted: [], failed: [], warnings: found.warnings };
  if (opts.dryRun) return result;
  if (found.items.length === 0) {
    for (const w of found.warnings) s.log.warn(`cleanup: ${w}`);
    void ctx.notify('info', t('Nothing to clean up: no resources of the hands-on were found.'));
    return result;
  }
  let chosen = found.items;
  if (ctx.interactive) {
    const picked = await pick(found.items);
    if (!picked || picked.length === 0) return undefined;
    chosen = picked;
  }
  await ctx.confirm({
    kind: 'aws',
    message: t('Delete {0} resources?', chosen.length),
    detail: CLEANUP_ORDER.flatMap((k) => {
      const of = chosen.filter((i) => i.kind === k);
      return of.length ? [`${kindLabel(k)}: ${of.map((i) => i.label).join(', ')}`] : [];
    }),
    button: t('Delete'),
  });
  const done = await ctx.progress(t('Cleaning up the hands-on…'), (p, token) =>
    deleteAll(c, chosen, p, token, (kind, n, ms) => s.log.info(`cleanup: ${n} × ${kind} in ${(ms / 1000).toFixed(1)} s`), paceFor(ctx.isRealAws)),
  );
  result.deleted = done.deleted;
  result.failed = done.failed;
  for (const d of done.deleted) if (d.kind === 'service' && d.ref?.cluster) s.serviceDeleted(d.ref.cluster, d.ref.service ?? d.id);
  s.refresh();
  reportResult(ctx, result);
  return result;
}

export const cleanup = defineCommand({
  id: 'ecsHandson.cleanup',
  title: () => t('Clean up'),
  args: (r) => ({ dryRun: r.bool('dryRun') ?? false }),
  palette: () => ({ dryRun: false }),
  run,
});
