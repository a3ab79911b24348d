/**
 * Reads the parts of the account a walkthrough step's check needs, through the SDK (batched
 * Describe* calls), scoped to the names in the step's inputs, into the SDK-free `Snapshot` of the
 * pure core (src/core/walkthrough/snapshot.ts). A cluster or service that does not exist is an
 * empty part, not an error.
 */
import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeAutoScalingGroupsCommand, DescribePoliciesCommand as DescribeAsgPoliciesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { toMillis } from '../core/format';
import { emptySnapshot, familyRevision, nameOf, type Snapshot, type SnapshotPart } from '../core/walkthrough/snapshot';
import type { InputValues } from '../core/walkthrough/steps';
import type { AwsClients } from './clients';
import { describeClusters, describeContainerInstances, describeServices, describeTaskDefinitions, describeTasks } from './describe';
import { describeListeners, describeLoadBalancers, describeTargetGroups, describeTargetHealth } from './describe-elb';
import { mapAwsError } from './errors';
import { listContainerInstanceArns, listTaskArns, listTaskDefinitionArns } from './list';

export interface SnapshotOptions {
  clients: AwsClients;
  parts: SnapshotPart[];
  inputs: InputValues;
  now: number;
  /** URL of a load balancer (sandbox admin API / DNS name). */
  lbUrl?: (arn: string) => Promise<{ url: string; localUrl?: string } | undefined>;
}

/** Ports every container instance reserves (ECS_BEHAVIOR.md): not "used" by the hands-on's tasks. */
const RESERVED_PORTS = new Set([22, 2375, 2376, 51678, 51679, 51680]);

/** The resource is not there (yet, or any more): an empty part of the snapshot. */
const absent = (e: unknown): boolean => mapAwsError(e).kind === 'notFound' || (e as { name?: string })?.name === 'ValidationError';

export async function collectSnapshot(o: SnapshotOptions): Promise<Snapshot> {
  const c = o.clients;
  const want = new Set<SnapshotPart>(o.parts);
  const snap = emptySnapshot(o.now, [...want]);
  const clusterName = String(o.inputs.cluster ?? 'demo-cluster');
  const serviceName = String(o.inputs.service ?? 'demo-service');
  const family = String(o.inputs.family ?? 'demo-app-task');
  const lbName = String(o.inputs.loadBalancer ?? 'app-demo-lb');
  const jobs: Promise<void>[] = [];

  if (want.has('clusters') || want.has('containerInstances')) {
    jobs.push(
      (async () => {
        const { items } = await describeClusters(c.ecs, [clusterName], { include: ['SETTINGS'] });
        for (const cl of items) {
          snap.clusters.push({
            name: cl.clusterName ?? '',
            arn: cl.clusterArn ?? '',
            status: cl.status ?? '',
            containerInsights: (cl.settings ?? []).some((s) => s.name === 'containerInsights' && s.value === 'enabled'),
            registeredContainerInstances: cl.registeredContainerInstancesCount ?? 0,
          });
        }
        if (want.has('containerInstances') && items.some((x) => x.status === 'ACTIVE')) {
          const arns = await listContainerInstanceArns(c.ecs, { cluster: clusterName });
          const { items: cis } = await describeContainerInstances(c.ecs, clusterName, arns);
          for (const ci of cis) {
            const reg = (ci.registeredResources ?? []).find((r) => r.name === 'PORTS')?.stringSetValue ?? [];
            const rem = (ci.remainingResources ?? []).find((r) => r.name === 'PORTS')?.stringSetValue ?? [];
            const used = rem.map(Number).filter((p) => !reg.includes(String(p)) && !RESERVED_PORTS.has(p));
            snap.containerInstances.push({
              arn: ci.containerInstanceArn ?? '',
              cluster: clusterName,
              ec2InstanceId: ci.ec2InstanceId,
              status: ci.status ?? '',
              availabilityZone: (ci.attributes ?? []).find((a) => a.name === 'ecs.availability-zone')?.value,
              usedPorts: used,
              runningTasks: ci.runningTasksCount ?? 0,
            });
          }
        }
      })().catch((e) => {
        if (!absent(e)) throw e;
      }),
    );
  }

  if (want.has('taskDefinitions')) {
    jobs.push(
      (async () => {
        const arns = await listTaskDefinitionArns(c.ecs, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' });
        const { items } = await describeTaskDefinitions(c.ecs, arns.slice(0, 20));
        for (const td of items) {
          const ct = td.containerDefinitions?.[0];
          const pm = ct?.portMappings?.[0];
          snap.taskDefinitions.push({
            family: td.family ?? '',
            revision: td.revision ?? 0,
            arn: td.taskDefinitionArn ?? '',
            status: td.status ?? '',
            image: ct?.image,
            containerPort: pm?.containerPort,
            hostPort: pm?.hostPort ? pm.hostPort : null,
          });
        }
      })(),
    );
  }

  if (want.has('loadBalancers')) {
    jobs.push(
      (async () => {
        const lbs = (await describeLoadBalancers(c.elbv2)).filter((lb) => lb.LoadBalancerName === lbName);
        for (const lb of lbs) {
          const arn = lb.LoadBalancerArn ?? '';
          const [listeners, tgs, url] = await Promise.all([
            describeListeners(c.elbv2, arn),
            describeTargetGroups(c.elbv2, { loadBalancerArn: arn }),
            o.lbUrl ? o.lbUrl(arn).catch(() => undefined) : Promise.resolve(undefined),
          ]);
          snap.loadBalancers.push({
            name: lb.LoadBalancerName ?? '',
            arn,
            state: lb.State?.Code,
            dnsName: lb.DNSName,
            listenerPorts: listeners.map((l) => l.Port ?? 0),
            url: url?.url,
            ...(url?.localUrl ? { localUrl: url.localUrl } : {}),
          });
          const health = await describeTargetHealth(c.elbv2, tgs.map((g) => g.TargetGroupArn ?? ''));
          for (const g of tgs) {
            snap.targetGroups.push({
              name: g.TargetGroupName ?? '',
              arn: g.TargetGroupArn ?? '',
              loadBalancerArns: g.LoadBalancerArns ?? [],
              port: g.Port,
              healthCheckIntervalSeconds: g.HealthCheckIntervalSeconds,
              healthyThreshold: g.HealthyThresholdCount,
              unhealthyThreshold: g.UnhealthyThresholdCount,
              targets: (health.get(g.TargetGroupArn ?? '') ?? []).map((h) => ({ id: h.Target?.Id ?? '', port: h.Target?.Port, health: h.TargetHealth?.State ?? '' })),
            });
          }
        }
      })(),
    );
  }

  if (want.has('services') || want.has('tasks')) {
    jobs.push(
      (async () => {
        if (want.has('services')) {
          const { items } = await describeServices(c.ecs, clusterName, [serviceName]);
          for (const s of items) {
            snap.services.push({
              name: s.serviceName ?? '',
              arn: s.serviceArn ?? '',
              cluster: s.clusterArn ?? clusterName,
              status: s.status ?? '',
              desiredCount: s.desiredCount ?? 0,
              runningCount: s.runningCount ?? 0,
              pendingCount: s.pendingCount ?? 0,
              taskDefinition: familyRevision(s.taskDefinition),
              maximumPercent: s.deploymentConfiguration?.maximumPercent,
              minimumHealthyPercent: s.deploymentConfiguration?.minimumHealthyPercent,
              targetGroupArns: (s.loadBalancers ?? []).map((l) => l.targetGroupArn ?? '').filter(Boolean),
              deployments: (s.deployments ?? []).map((d) => ({
                id: d.id ?? '',
                status: d.status ?? '',
                taskDefinition: familyRevision(d.taskDefinition),
                desired: d.desiredCount ?? 0,
                running: d.runningCount ?? 0,
                pending: d.pendingCount ?? 0,
                rolloutState: d.rolloutState,
                createdAt: toMillis(d.createdAt),
              })),
              events: (s.events ?? []).slice(0, 30).map((e) => ({ createdAt: toMillis(e.createdAt) ?? 0, message: e.message ?? '' })),
            });
          }
        }
        if (want.has('tasks')) {
          const arns = [
            ...(await listTaskArns(c.ecs, { cluster: clusterName, serviceName, desiredStatus: 'RUNNING' })),
            ...(await listTaskArns(c.ecs, { cluster: clusterName, serviceName, desiredStatus: 'STOPPED' })).slice(0, 20),
          ];
          const { items } = await describeTasks(c.ecs, clusterName, arns);
          for (const tk of items) {
            const binding = (tk.containers ?? []).flatMap((ct) => ct.networkBindings ?? []).find((b) => b.hostPort);
            snap.tasks.push({
              arn: tk.taskArn ?? '',
              id: nameOf(tk.taskArn),
              cluster: tk.clusterArn ?? clusterName,
              group: tk.group,
              taskDefinition: familyRevision(tk.taskDefinitionArn),
              lastStatus: tk.lastStatus ?? '',
              desiredStatus: tk.desiredStatus ?? '',
              containerInstanceArn: tk.containerInstanceArn,
              hostPort: binding?.hostPort,
              startedAt: toMillis(tk.startedAt),
              stoppedAt: toMillis(tk.stoppedAt),
              stoppedReason: tk.stoppedReason,
            });
          }
        }
      })().catch((e) => {
        if (!absent(e)) throw e;
      }),
    );
  }

  if (want.has('serviceScaling')) {
    jobs.push(
      (async () => {
        const resourceId = `service/${clusterName}/${serviceName}`;
        const [targets, policies] = await Promise.all([
          c.applicationAutoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId] })),
          c.applicationAutoScaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId })),
        ]);
        for (const tg of targets.ScalableTargets ?? []) {
          snap.scalableTargets.push({
            resourceId: tg.ResourceId ?? '',
            min: tg.MinCapacity ?? 0,
            max: tg.MaxCapacity ?? 0,
            policies: (policies.ScalingPolicies ?? []).filter((p) => p.ResourceId === tg.ResourceId).map((p) => p.PolicyName ?? ''),
          });
        }
      })(),
    );
  }

  if (want.has('autoScalingGroups')) {
    jobs.push(
      (async () => {
        const out = await c.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
        const groups = (out.AutoScalingGroups ?? []).filter((g) => (g.AutoScalingGroupName ?? '').includes(clusterName));
        for (const g of groups) {
          const pol = await c.autoScaling.send(new DescribeAsgPoliciesCommand({ AutoScalingGroupName: g.AutoScalingGroupName }));
          snap.autoScalingGroups.push({
            name: g.AutoScalingGroupName ?? '',
            min: g.MinSize ?? 0,
            max: g.MaxSize ?? 0,
            desired: g.DesiredCapacity ?? 0,
            instances: (g.Instances ?? []).filter((i) => i.LifecycleState === 'InService' || i.LifecycleState === 'Pending').length,
            policies: (pol.ScalingPolicies ?? []).map((p) => p.PolicyName ?? ''),
          });
        }
      })(),
    );
  }

  if (want.has('alarms')) {
    jobs.push(
      (async () => {
        const out = await c.cloudWatch.send(new DescribeAlarmsCommand({ MaxRecords: 100 }));
        for (const a of out.MetricAlarms ?? []) {
          const dims = Object.fromEntries((a.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
          if (dims.ClusterName !== clusterName) continue;
          snap.alarms.push({
            name: a.AlarmName ?? '',
            state: a.StateValue ?? '',
            metricName: a.MetricName,
            threshold: a.Threshold,
            comparison: a.ComparisonOperator,
            dimensions: dims,
            stateUpdatedAt: toMillis(a.StateUpdatedTimestamp),
          });
        }
      })(),
    );
  }

  await Promise.all(jobs);
  return snap;
}
