/**
 * Clean Up (hands-on section 7): the deletion of what the hands-on created, in dependency order.
 * What to delete comes from `findCleanupItems` (./cleanup-discover.ts). The order:
 *   alarms + scaling policies → scalable targets → services (the target groups' deregistration
 *   delay set to 0 first, then scale 0, delete, wait) → task definitions (deregister) → listeners →
 *   load balancers (wait until gone) → target groups → Auto Scaling groups (wait until gone) →
 *   instances (terminate, wait) → launch templates → security groups → clusters.
 * Items of one kind run together (services drain in parallel, instances terminate together). A
 * failure does not stop the rest: it is reported with its item. Deletions that wait on a
 * dependency still going away (a target group still in use, a security group with dependents, a
 * cluster with instances) are retried for a bounded time.
 *
 * No vscode: the command (src/ui/commands/operate/cleanup.ts) passes a `CleanupHost` (progress,
 * cancellation, log, pacing, translation); the tests pass their own.
 */
import { DeleteScalingPolicyCommand, DeregisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { DeleteAutoScalingGroupCommand, DeletePolicyCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteLaunchTemplateCommand, DeleteSecurityGroupCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DeleteClusterCommand, DeregisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DeleteListenerCommand, DeleteLoadBalancerCommand, DeleteTargetGroupCommand, ModifyTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultTranslate, type Translate } from '../core/l10n';
import { waitUntil, type Pace } from '../core/poll';
import type { AwsClients } from './clients';
import { deleteServiceNow } from './delete-service';
import { describeInstances, describeLoadBalancers } from './describe-elb';
import { mapAwsError } from './errors';

export type CleanupKind =
  | 'alarm' | 'scalingPolicy' | 'asgPolicy' | 'scalableTarget' | 'service' | 'taskDefinition' | 'listener' | 'loadBalancer'
  | 'targetGroup' | 'autoScalingGroup' | 'instance' | 'launchTemplate' | 'securityGroup' | 'cluster';

/** Deletion order. */
export const CLEANUP_ORDER: readonly CleanupKind[] = [
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

export interface CleanupFailure {
  item: CleanupItem;
  /** `Code: message` of the refusal, or "Cancelled". */
  error: string;
}

export interface CleanupResult {
  found: CleanupItem[];
  deleted: CleanupItem[];
  failed: CleanupFailure[];
  warnings: string[];
}

/** The clients Clean Up uses (a subset of AwsClients). */
export type CleanupClients = Pick<AwsClients, 'ecs' | 'ec2' | 'elbv2' | 'autoScaling' | 'applicationAutoScaling' | 'cloudWatch'>;

/** What Clean Up needs from whoever runs it. */
export interface CleanupHost {
  clients: CleanupClients;
  /** Progress: what it does now, and the share of the whole deletion just done (of 100). */
  progress?(p: { message?: string; increment?: number }): void;
  /** Polled between phases and while waiting: true stops what has not started ("Cancelled"). */
  cancelled?(): boolean;
  /** One line per finished phase ("cleanup: 2 × service in 1.4 s"). */
  log?(line: string): void;
  /** Polling intervals: real AWS's as given, a local endpoint's shorter (`paceFor`). Default: as given. */
  pace?: Pace;
  t?: Translate;
  /** List only what carries the managed tag (real AWS): the hands-on's names alone do not count. */
  onlyTagged?: boolean;
}

/** The heading of a kind, for lists and progress. */
export function cleanupKindLabel(kind: CleanupKind, t: Translate = defaultTranslate): string {
  const labels: Record<CleanupKind, string> = {
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
  };
  return labels[kind];
}

/** One phase of the deletion: the items of one kind, run together. */
export interface CleanupPhase {
  kind: CleanupKind;
  items: CleanupItem[];
}

/** The deletion plan: the items' kinds in CLEANUP_ORDER, each with its items in the given order; no empty phase. */
export function cleanupPhases(items: readonly CleanupItem[]): CleanupPhase[] {
  return CLEANUP_ORDER.map((kind) => ({ kind, items: items.filter((i) => i.kind === kind) })).filter((p) => p.items.length > 0);
}

/** The items in deletion order (stable within a kind). */
export const sortForCleanup = (items: readonly CleanupItem[]): CleanupItem[] => cleanupPhases(items).flatMap((p) => p.items);

/** One line per phase, "Services: demo-cluster/demo-service" (what a confirmation lists). */
export function cleanupSummary(items: readonly CleanupItem[], t: Translate = defaultTranslate): string[] {
  return cleanupPhases(items).map((p) => `${cleanupKindLabel(p.kind, t)}: ${p.items.map((i) => i.label).join(', ')}`);
}

const errText = (e: unknown, t: Translate): string => {
  const info = mapAwsError(e, { t });
  return `${info.code}: ${info.message}`;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn`, again while it fails with one of `codes` (a dependency still going away), every
 * `pace(3000)` ms for up to `budgetMs`; throws the last error otherwise.
 */
export async function retryWhileDependent(fn: () => Promise<unknown>, codes: RegExp, host: Pick<CleanupHost, 'cancelled' | 'pace'>, budgetMs = 60_000): Promise<void> {
  const delayMs = (host.pace ?? ((ms) => ms))(3000);
  const attempts = Math.ceil(budgetMs / delayMs);
  for (let i = 0; ; i++) {
    try {
      await fn();
      return;
    } catch (e) {
      if (i >= attempts - 1 || !codes.test(mapAwsError(e).code) || host.cancelled?.()) throw e;
      await sleep(delayMs);
    }
  }
}

async function deleteOne(host: CleanupHost, item: CleanupItem): Promise<void> {
  const c = host.clients;
  const pace = host.pace ?? ((ms) => ms);
  const cancelled = () => !!host.cancelled?.();
  const dimension = (item.ref?.dimension ?? 'ecs:service:DesiredCount') as 'ecs:service:DesiredCount';
  switch (item.kind) {
    case 'alarm':
      await c.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [item.id] }));
      return;
    case 'scalingPolicy':
      await c.applicationAutoScaling.send(new DeleteScalingPolicyCommand({ ServiceNamespace: 'ecs', PolicyName: item.id, ResourceId: item.ref?.resourceId, ScalableDimension: dimension }));
      return;
    case 'asgPolicy':
      await c.autoScaling.send(new DeletePolicyCommand({ AutoScalingGroupName: item.ref?.group, PolicyName: item.id }));
      return;
    case 'scalableTarget':
      await c.applicationAutoScaling.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: item.id, ScalableDimension: dimension }));
      return;
    case 'service':
      await deleteServiceNow(c.ecs, item.ref?.cluster ?? '', item.ref?.service ?? item.id, { wait: true, cancelled, pollMs: pace(1500) });
      return;
    case 'taskDefinition':
      await c.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: item.id }));
      return;
    case 'listener':
      await c.elbv2.send(new DeleteListenerCommand({ ListenerArn: item.id }));
      return;
    case 'loadBalancer':
      await c.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: item.id }));
      await waitUntil(
        async () => {
          try {
            return (await describeLoadBalancers(c.elbv2, [item.id])).length === 0;
          } catch {
            return true; // LoadBalancerNotFound
          }
        },
        { timeoutMs: 120_000, intervalMs: pace(2000), cancelled },
      );
      return;
    case 'targetGroup':
      await retryWhileDependent(() => c.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: item.id })), /ResourceInUse/, host);
      return;
    case 'autoScalingGroup':
      await retryWhileDependent(
        () => c.autoScaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: item.id, ForceDelete: true })),
        /ScalingActivityInProgress|ResourceInUse/,
        host,
      );
      await waitUntil(async () => ((await c.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [item.id] }))).AutoScalingGroups ?? []).length === 0, {
        timeoutMs: 10 * 60_000,
        intervalMs: pace(3000),
        cancelled,
      });
      return;
    case 'instance':
      await c.ec2.send(new TerminateInstancesCommand({ InstanceIds: [item.id] }));
      await waitUntil(
        async () => {
          const [i] = await describeInstances(c.ec2, [item.id]);
          return !i || i.State?.Name === 'terminated';
        },
        { timeoutMs: 10 * 60_000, intervalMs: pace(2000), cancelled },
      );
      return;
    case 'launchTemplate':
      await c.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: item.id }));
      return;
    case 'securityGroup':
      await retryWhileDependent(() => c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: item.id })), /DependencyViolation/, host);
      return;
    case 'cluster':
      await retryWhileDependent(() => c.ecs.send(new DeleteClusterCommand({ cluster: item.id })), /ClusterContains(ContainerInstances|Tasks|Services)Exception|UpdateInProgress/, host, 120_000);
      return;
  }
}

/**
 * The target groups about to be deleted serve nothing any more: their deregistration delay (300 s by
 * default) would only hold up deleting the services while the tasks drain. Best effort: a group
 * that cannot be changed just drains as usual.
 */
async function skipDrain(c: CleanupClients, groups: readonly CleanupItem[]): Promise<void> {
  await Promise.all(
    groups.map((g) =>
      c.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: g.id, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }] })).catch(() => undefined),
    ),
  );
}

/** Deletes `items` in dependency order; failures are collected with their item, the rest goes on. */
export async function deleteCleanupItems(host: CleanupHost, items: readonly CleanupItem[]): Promise<Pick<CleanupResult, 'deleted' | 'failed'>> {
  const t = host.t ?? defaultTranslate;
  const phases = cleanupPhases(items);
  const deleted: CleanupItem[] = [];
  const failed: CleanupFailure[] = [];
  const step = 100 / Math.max(1, items.length);
  for (const { kind, items: batch } of phases) {
    if (host.cancelled?.()) {
      for (const item of batch) failed.push({ item, error: t('Cancelled') });
      continue;
    }
    host.progress?.({ message: t('{0}: {1}', cleanupKindLabel(kind, t), batch.map((i) => i.label).join(', ')) });
    const started = Date.now();
    if (kind === 'service') await skipDrain(host.clients, items.filter((i) => i.kind === 'targetGroup'));
    await Promise.all(
      batch.map(async (item) => {
        try {
          await deleteOne(host, item);
          deleted.push(item);
        } catch (e) {
          failed.push({ item, error: errText(e, t) });
        }
        host.progress?.({ increment: step });
      }),
    );
    host.log?.(`cleanup: ${batch.length} × ${kind} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { deleted, failed };
}
