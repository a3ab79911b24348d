/**
 * Clean Up's discovery: what the hands-on created, and nothing else. A resource is the hands-on's
 * when it carries the managed tag (`ecs-handson:managed=true`, src/core/managed.ts) where the API
 * takes tags, has one of the hands-on's names (demo-cluster, demo-service, demo-app-task,
 * app-demo-lb), or is referenced by one that is (a managed cluster's services and container
 * instances, a found service's task definitions and target groups, a found load balancer's
 * listeners, target groups and security groups, a found Auto Scaling group's instances, launch
 * template and policies, the alarms acting on found policies or on a found cluster). A listing
 * that fails (e.g. a service the endpoint lacks) becomes a warning; the rest is still listed.
 * With `onlyTagged` (real AWS, where an account may hold its own demo-cluster) only the managed tag
 * counts: no names, no references — except what belongs to a tagged resource and goes with it (a
 * tagged load balancer's listeners, a tagged service's scaling target and policies, a tagged Auto
 * Scaling group's policies, instances and launch template, the alarms acting on those policies).
 * Returns the items in deletion order (./cleanup.ts).
 */
import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeAutoScalingGroupsCommand, DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { familyOf, idFromArn, revisionFromArn } from '../core/format';
import { defaultTranslate } from '../core/l10n';
import { hasManagedTag, MANAGED_TAG_KEY, MANAGED_TAG_VALUE } from '../core/managed';
import { sortForCleanup, type CleanupHost, type CleanupItem } from './cleanup';
import { describeClusters, describeContainerInstances, describeServices, describeTaskDefinition } from './describe';
import { describeInstances, describeListeners, describeLoadBalancers, describeTargetGroups } from './describe-elb';
import { mapAwsError } from './errors';
import { listClusterArns, listContainerInstanceArns, listServiceArns, listTaskDefinitionArns, listTaskDefinitionFamilies } from './list';

/** The hands-on's own names (section 1). */
export const HANDSON_NAMES = { cluster: 'demo-cluster', service: 'demo-service', family: 'demo-app-task', loadBalancer: 'app-demo-lb' } as const;

/** Finds what the hands-on created. Listing failures become warnings. */
export async function findCleanupItems(host: Pick<CleanupHost, 'clients' | 'progress' | 't' | 'onlyTagged'>): Promise<{ items: CleanupItem[]; warnings: string[] }> {
  const c = host.clients;
  // On real AWS a name is not enough (an account may hold its own demo-cluster): only the managed tag counts.
  const byName = !host.onlyTagged;
  const t = host.t ?? defaultTranslate;
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
    host.progress?.({ message: t('looking for {0}…', what) });
    try {
      await fn();
    } catch (e) {
      const info = mapAwsError(e, { t });
      warnings.push(t('Could not list {0}: {1}', what, `${info.code}: ${info.message}`));
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
    const arns = await listClusterArns(c.ecs);
    const { items: clusters } = await describeClusters(c.ecs, arns, { include: ['TAGS'] });
    for (const cl of clusters) {
      const arn = cl.clusterArn ?? '';
      const managed = (byName && cl.clusterName === HANDSON_NAMES.cluster) || hasManagedTag(cl.tags);
      if (managed && cl.status !== 'INACTIVE') {
        clusterArns.push(arn);
        clusterNames.add(cl.clusterName ?? '');
      }
      const svcArns = await listServiceArns(c.ecs, arn);
      if (svcArns.length === 0) continue;
      const { items: svcs } = await describeServices(c.ecs, arn, svcArns, { include: ['TAGS'] });
      for (const sv of svcs) {
        if (sv.status !== 'ACTIVE') continue;
        if (!(hasManagedTag(sv.tags) || (byName && (managed || sv.serviceName === HANDSON_NAMES.service)))) continue;
        services.push({ cluster: arn, name: sv.serviceName ?? '', arn: sv.serviceArn ?? '' });
        add({ kind: 'service', id: sv.serviceArn ?? '', label: `${cl.clusterName}/${sv.serviceName}`, ref: { cluster: arn, service: sv.serviceName ?? '' } });
        for (const td of [sv.taskDefinition, ...(sv.deployments ?? []).map((d) => d.taskDefinition)]) if (td) taskDefs.add(td);
        for (const lb of sv.loadBalancers ?? []) if (lb.targetGroupArn) targetGroupArns.add(lb.targetGroupArn);
      }
      if (managed && byName) {
        const ciArns = await listContainerInstanceArns(c.ecs, { cluster: arn });
        if (ciArns.length) for (const ci of (await describeContainerInstances(c.ecs, arn, ciArns)).items) if (ci.ec2InstanceId) instanceIds.add(ci.ec2InstanceId);
      }
    }
  });
  await step(t('task definitions'), async () => {
    const families = new Set(byName ? [HANDSON_NAMES.family, ...[...taskDefs].map(familyOf)] : []);
    const all = await listTaskDefinitionFamilies(c.ecs, { status: 'ACTIVE' });
    // Tagged families (the latest revision carries the tags), bounded.
    for (const f of all.filter((f) => !families.has(f)).slice(0, 50)) {
      try {
        const out = await describeTaskDefinition(c.ecs, f);
        if (hasManagedTag(out.tags)) families.add(f);
      } catch {
        // a family without ACTIVE revisions: nothing to deregister
      }
    }
    for (const f of families) {
      if (!all.includes(f)) continue;
      const arns = (await listTaskDefinitionArns(c.ecs, { familyPrefix: f, status: 'ACTIVE' })).filter((a) => familyOf(a) === f);
      for (const a of arns) add({ kind: 'taskDefinition', id: a, label: revisionFromArn(a) });
    }
  });

  // Application Auto Scaling: scalable targets and policies of those services.
  const policyArns = new Set<string>();
  const alarmNames = new Set<string>();
  await step(t('service auto scaling'), async () => {
    const resourceIds = new Set(services.map((sv) => `service/${idFromArn(sv.cluster)}/${sv.name}`));
    if (resourceIds.size === 0) return;
    const targets = (await c.applicationAutoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [...resourceIds] }))).ScalableTargets ?? [];
    for (const st of targets) add({ kind: 'scalableTarget', id: st.ResourceId ?? '', label: st.ResourceId ?? '', ref: { dimension: st.ScalableDimension ?? 'ecs:service:DesiredCount' } });
    const policies = (await c.applicationAutoScaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }))).ScalingPolicies ?? [];
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
    const lbs = await describeLoadBalancers(c.elbv2);
    const groups = await describeTargetGroups(c.elbv2, 'all');
    const arns = [...lbs.map((l) => l.LoadBalancerArn ?? ''), ...groups.map((g) => g.TargetGroupArn ?? '')].filter(Boolean);
    const tagged = new Set<string>();
    for (let i = 0; i < arns.length; i += 20) {
      const out = await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
      for (const d of out.TagDescriptions ?? []) if (hasManagedTag(d.Tags)) tagged.add(d.ResourceArn ?? '');
    }
    if (byName) for (const g of groups) if (targetGroupArns.has(g.TargetGroupArn ?? '')) for (const l of g.LoadBalancerArns ?? []) lbArns.add(l);
    for (const lb of lbs) if ((byName && lb.LoadBalancerName === HANDSON_NAMES.loadBalancer) || tagged.has(lb.LoadBalancerArn ?? '')) lbArns.add(lb.LoadBalancerArn ?? '');
    for (const lb of lbs) {
      if (!lbArns.has(lb.LoadBalancerArn ?? '')) continue;
      for (const l of await describeListeners(c.elbv2, lb.LoadBalancerArn ?? '')) add({ kind: 'listener', id: l.ListenerArn ?? '', label: `${lb.LoadBalancerName} ${l.Protocol}:${l.Port}` });
      add({ kind: 'loadBalancer', id: lb.LoadBalancerArn ?? '', label: lb.LoadBalancerName ?? '', ref: { securityGroups: (lb.SecurityGroups ?? []).join(',') } });
    }
    for (const g of groups) {
      const arn = g.TargetGroupArn ?? '';
      if (tagged.has(arn) || (byName && (targetGroupArns.has(arn) || (g.LoadBalancerArns ?? []).some((l) => lbArns.has(l))))) add({ kind: 'targetGroup', id: arn, label: g.TargetGroupName ?? '' });
    }
  });

  // EC2 Auto Scaling groups and their policies.
  const launchTemplateIds = new Set<string>();
  await step(t('Auto Scaling groups'), async () => {
    const groups = (await c.autoScaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
    for (const g of groups) {
      const name = g.AutoScalingGroupName ?? '';
      const mine = hasManagedTag(g.Tags) || (byName && ((g.Instances ?? []).some((i) => instanceIds.has(i.InstanceId ?? '')) || [...clusterNames].some((cn) => cn && name.includes(cn))));
      if (!mine) continue;
      for (const i of g.Instances ?? []) if (i.InstanceId) instanceIds.add(i.InstanceId);
      const lt = g.LaunchTemplate?.LaunchTemplateId ?? g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId;
      if (lt) launchTemplateIds.add(lt);
      const policies = (await c.autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: name }))).ScalingPolicies ?? [];
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
      const out = await c.cloudWatch.send(new DescribeAlarmsCommand({ NextToken: token, AlarmTypes: ['MetricAlarm'] }));
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
    const out = await c.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${MANAGED_TAG_KEY}`, Values: [MANAGED_TAG_VALUE] }] }));
    for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId) instanceIds.add(i.InstanceId);
    if (instanceIds.size === 0) return;
    const all = await describeInstances(c.ec2, [...instanceIds]);
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
    const out = await c.ec2.send(new DescribeLaunchTemplatesCommand({}));
    for (const lt of out.LaunchTemplates ?? []) {
      const name = lt.LaunchTemplateName ?? '';
      if (hasManagedTag(lt.Tags) || launchTemplateIds.has(lt.LaunchTemplateId ?? '') || (byName && [...clusterNames].some((cn) => cn && name.startsWith(cn)))) {
        add({ kind: 'launchTemplate', id: lt.LaunchTemplateId ?? '', label: name });
      }
    }
  });
  await step(t('security groups'), async () => {
    const fromLbs = new Set(items.filter((i) => i.kind === 'loadBalancer').flatMap((i) => (i.ref?.securityGroups ?? '').split(',').filter(Boolean)));
    const out = await c.ec2.send(new DescribeSecurityGroupsCommand({}));
    for (const g of out.SecurityGroups ?? []) {
      if (g.GroupName === 'default') continue;
      if (hasManagedTag(g.Tags) || (byName && fromLbs.has(g.GroupId ?? ''))) add({ kind: 'securityGroup', id: g.GroupId ?? '', label: `${g.GroupName} (${g.GroupId})` });
    }
  });
  for (const arn of clusterArns) add({ kind: 'cluster', id: arn, label: idFromArn(arn) });
  return { items: sortForCleanup(items), warnings };
}
