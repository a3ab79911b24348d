/**
 * `ecsHandson.cluster.create` — section 1a of the hands-on: an ECS cluster with EC2 capacity.
 *
 * First the IAM roles ECS needs, checked and created when missing (asked first on real AWS; see
 * roles.ts): ECS's service-linked role, and — with EC2 capacity — the instance profile
 * `ecsInstanceRole`, without which container instances never register. Then the cluster (Container
 * Insights only settable now), and — unless capacity is "none" — a launch template (ECS-optimized
 * Amazon Linux 2023 AMI from SSM, user data `echo ECS_CLUSTER=<name> >> /etc/ecs/ecs.config`,
 * instance profile ecsInstanceRole) and either instances (RunInstances, spread over
 * the subnets) or an Auto Scaling group, and waits until the instances registered as container
 * instances. The Auto Scaling group is `<name>-asg` with min = desired = count and max = max(count, 4)
 * (the hands-on's cluster auto scaling goes up to 4). Everything is tagged `ecs-handson:managed=true`.
 *
 * Argument (all optional; defaults are the hands-on's):
 * ```ts
 * {
 *   name?: string;                 // 'demo-cluster'
 *   containerInsights?: boolean;   // false
 *   capacity?: 'none' | 'instances' | 'autoScalingGroup';  // 'instances'
 *   instanceType?: string;         // 't3.small'
 *   count?: number;                // 2
 *   subnetIds?: string[];          // one subnet in each of two AZs (default VPC)
 *   waitSeconds?: number;          // 180: how long to wait for the container instances to register
 * }
 * ```
 * Returns `CreateClusterResult` (below), or `{ error, code, field? }` when the input is invalid or
 * AWS refused (the error is shown too).
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { Subnet } from '@aws-sdk/client-ec2';
import type { ArgReader } from '../../../core/commands/args';
import type { Capacity, CreateClusterArgs } from '../../../core/commands/contract';
import { Cancelled, CommandError } from '../../../core/commands/failure';
import { managedEcsTag, managedTag } from '../../../core/managed';
import { waitUntil } from '../../../core/poll';
import { validateInstanceCount, validateResourceName } from '../../../core/validate';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { creation, defineCommand, field, type CommandContext } from '../command';
import { ensureRoleFor } from './roles';
import { runSteps, type Step } from '../steps';
import { checkSubnets, defaultSubnetIds, describeSubnets, subnetItems } from './subnets';

export interface CreateClusterResult {
  clusterArn: string;
  clusterName: string;
  launchTemplateId?: string;
  /** With capacity "instances". */
  instanceIds?: string[];
  /** With capacity "autoScalingGroup". */
  autoScalingGroupName?: string;
  /** Container instances registered when the command finished waiting. */
  containerInstanceArns: string[];
}

export const INSTANCE_TYPES = ['t3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'c5.large'] as const;
export const ECS_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

interface State {
  name: string;
  containerInsights: boolean;
  capacity: Capacity;
  instanceType: string;
  count: string;
  subnetIds: string[];
  waitSeconds: number;
}

export const userDataFor = (cluster: string): string => `#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`;

function check(st: State): ReturnType<typeof field> {
  return (
    field('name', t('Cluster name'), validateResourceName(st.name, t)) ??
    (st.capacity !== 'none' && !['none', 'instances', 'autoScalingGroup'].includes(st.capacity)
      ? field('capacity', t('Capacity'), t('Use none, instances or autoScalingGroup.'))
      : undefined) ??
    (st.capacity !== 'none' ? field('instanceType', t('Instance type'), /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+$/.test(st.instanceType) ? undefined : t('"{0}" is not an instance type such as t3.small.', st.instanceType)) : undefined) ??
    (st.capacity !== 'none' ? field('count', t('Number of instances'), validateInstanceCount(st.count, { min: 1, max: 20 }, t)) : undefined)
  );
}

function steps(clients: AwsClients): Step<State>[] {
  let subnets: Subnet[] | undefined;
  const loadSubnets = async () => (subnets ??= await describeSubnets(clients));
  const ec2 = (st: State) => st.capacity !== 'none';
  return [
    { type: 'input', key: 'name', title: t('Cluster name'), prompt: t('Letters, digits, hyphens and underscores.'), validate: (v) => validateResourceName(v, t) },
    {
      type: 'pick', key: 'containerInsights', title: t('Container Insights'),
      placeholder: t('Container Insights can only be turned on when the cluster is created.'),
      items: () => [
        { label: t('Off'), description: t('no extra CloudWatch metrics'), value: false },
        { label: t('On'), description: t('CloudWatch Container Insights (billed separately on AWS)'), value: true },
      ],
    },
    {
      type: 'pick', key: 'capacity', title: t('EC2 capacity'),
      items: () => [
        { label: t('Instances from a launch template'), description: t('as in the hands-on'), value: 'instances' },
        { label: t('An Auto Scaling group'), description: t('for cluster auto scaling later'), value: 'autoScalingGroup' },
        { label: t('None'), description: t('an empty cluster; add capacity later'), value: 'none' },
      ],
    },
    {
      type: 'pick', key: 'instanceType', title: t('Instance type'), when: ec2,
      items: () => INSTANCE_TYPES.map((it) => ({ label: it, value: it })),
    },
    { type: 'input', key: 'count', title: t('Number of instances'), when: ec2, validate: (v) => validateInstanceCount(v, { min: 1, max: 20 }, t) },
    {
      type: 'pickMany', key: 'subnetIds', title: t('Subnets'), when: ec2,
      placeholder: t('One subnet in each of two Availability Zones'),
      items: async (st) => {
        const all = await loadSubnets();
        if (st.subnetIds.length === 0) st.subnetIds = defaultSubnetIds(all);
        return subnetItems(all);
      },
      validate: (values) => checkSubnets(values as string[], subnets ?? []),
    },
  ];
}

/** The IAM roles the cluster needs, made sure of once the input is known to be good; true when the instance profile was just created. */
export type PrepareRoles = (progress: vscode.Progress<{ message?: string }>) => Promise<{ profileCreated: boolean }>;

/** ECS's service-linked role, then (with EC2 capacity) the instance profile ecsInstanceRole. */
const prepareRoles =
  (ctx: CommandContext, clients: AwsClients, st: State): PrepareRoles =>
  async (progress) => {
    const aws = loadAws();
    progress.report({ message: t('Checking IAM roles…') });
    const slr = aws.ECS_SERVICE_LINKED_ROLE;
    await ensureRoleFor(ctx, clients, slr, t('ECS needs its service-linked role {0} to manage clusters and services, and this account does not have it yet.', slr.roleName), progress);
    if (st.capacity === 'none') return { profileCreated: false };
    const role = aws.ECS_INSTANCE_ROLE;
    const made = await ensureRoleFor(
      ctx,
      clients,
      role,
      t('ECS container instances need the IAM instance profile {0} (a role with {1}) to register with a cluster, and this account does not have it ready.', role.roleName, 'AmazonEC2ContainerServiceforEC2Role'),
      progress,
    );
    return { profileCreated: made.created.length > 0 };
  };

export async function createCluster(
  st: State,
  clients: AwsClients,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
  prepare: PrepareRoles,
  warn: (message: string) => void = (m) => void vscode.window.showWarningMessage(m),
): Promise<CreateClusterResult> {
  const aws = loadAws();
  const name = st.name.trim();
  const count = Number(st.count);
  let subnetIds = st.subnetIds;
  if (st.capacity !== 'none') {
    // Check the subnets before anything is created.
    const all = await describeSubnets(clients);
    if (subnetIds.length === 0) subnetIds = defaultSubnetIds(all);
    const bad = checkSubnets(subnetIds, all);
    if (bad) throw new CommandError(bad, 'InvalidArguments', 'subnetIds');
  }
  if (st.capacity === 'autoScalingGroup') {
    // Ask EC2 Auto Scaling first (read-only), so that an endpoint without it refuses before anything is created.
    await clients.autoScaling.send(new aws.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${name}-asg`] }));
  }
  const { profileCreated } = await prepare(progress);
  // A profile IAM has just created may take some seconds to be usable by EC2 (IAM is eventually consistent).
  const launch = <T>(f: () => Promise<T>): Promise<T> =>
    profileCreated ? aws.retryWhileProfilePropagates(f, { cancelled: () => token.isCancellationRequested }) : f();

  progress.report({ message: t('Creating cluster…') });
  const created = await clients.ecs.send(
    new aws.CreateClusterCommand({
      clusterName: name,
      settings: [{ name: 'containerInsights', value: st.containerInsights ? 'enabled' : 'disabled' }],
      tags: [managedEcsTag()],
    }),
  );
  const clusterArn = created.cluster?.clusterArn ?? name;
  const result: CreateClusterResult = { clusterArn, clusterName: name, containerInstanceArns: [] };
  if (st.capacity === 'none') return result;

  progress.report({ message: t('Looking up the ECS-optimized AMI…') });
  const param = await clients.ssm.send(new aws.GetParameterCommand({ Name: ECS_AMI_PARAMETER }));
  const imageId = param.Parameter?.Value;
  if (!imageId) throw new Error(t('SSM parameter {0} has no value.', ECS_AMI_PARAMETER));

  progress.report({ message: t('Creating launch template…') });
  const tags = [managedTag()];
  const templateName = `ecs-handson-${name}`;
  const data = {
    ImageId: imageId,
    InstanceType: st.instanceType as never,
    UserData: Buffer.from(userDataFor(name), 'utf8').toString('base64'),
    // The ECS agent needs the instance role (the sandbox checks it exists, as EC2 does).
    IamInstanceProfile: { Name: aws.ECS_INSTANCE_ROLE.instanceProfile },
    TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [...tags, { Key: 'Name', Value: `${name}-instance` }] }],
  };
  let launchTemplateId: string | undefined;
  let version: string | undefined;
  const existing = await clients.ec2
    .send(new aws.DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [templateName] }))
    .then((r) => r.LaunchTemplates?.[0])
    .catch(() => undefined);
  if (existing?.LaunchTemplateId) {
    const v = await clients.ec2.send(new aws.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: existing.LaunchTemplateId, LaunchTemplateData: data }));
    launchTemplateId = existing.LaunchTemplateId;
    version = String(v.LaunchTemplateVersion?.VersionNumber ?? '$Latest');
  } else {
    const lt = await clients.ec2.send(
      new aws.CreateLaunchTemplateCommand({
        LaunchTemplateName: templateName,
        LaunchTemplateData: data,
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: tags }],
      }),
    );
    launchTemplateId = lt.LaunchTemplate?.LaunchTemplateId;
    version = String(lt.LaunchTemplate?.LatestVersionNumber ?? '$Latest');
  }
  result.launchTemplateId = launchTemplateId;

  if (st.capacity === 'instances') {
    progress.report({ message: t('Launching {0} instances…', count) });
    const perSubnet = new Map<string, number>();
    for (let i = 0; i < count; i++) perSubnet.set(subnetIds[i % subnetIds.length], (perSubnet.get(subnetIds[i % subnetIds.length]) ?? 0) + 1);
    result.instanceIds = [];
    for (const [subnetId, n] of perSubnet) {
      const run = await launch(() =>
        clients.ec2.send(
          new aws.RunInstancesCommand({
            LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: version },
            SubnetId: subnetId,
            MinCount: n,
            MaxCount: n,
            TagSpecifications: [{ ResourceType: 'instance', Tags: [...tags, { Key: 'Name', Value: `${name}-instance` }] }],
          }),
        ),
      );
      result.instanceIds.push(...(run.Instances ?? []).map((x) => x.InstanceId ?? '').filter(Boolean));
    }
  } else {
    progress.report({ message: t('Creating Auto Scaling group with {0} instances…', count) });
    const asgName = `${name}-asg`;
    await launch(() =>
      clients.autoScaling.send(
        new aws.CreateAutoScalingGroupCommand({
          AutoScalingGroupName: asgName,
          LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: '$Latest' },
          MinSize: count,
          MaxSize: Math.max(count, 4),
          DesiredCapacity: count,
          VPCZoneIdentifier: subnetIds.join(','),
          Tags: [{ ...managedTag(), PropagateAtLaunch: true }],
        }),
      ),
    );
    result.autoScalingGroupName = asgName;
  }

  let registered: string[] = [];
  const ok = await waitUntil(
    async () => {
      const out = await clients.ecs.send(new aws.ListContainerInstancesCommand({ cluster: clusterArn, status: 'ACTIVE' }));
      registered = out.containerInstanceArns ?? [];
      progress.report({ message: t('Waiting for container instances to register ({0}/{1})…', registered.length, count) });
      return registered.length >= count;
    },
    { timeoutMs: st.waitSeconds * 1000, intervalMs: 1000, cancelled: () => token.isCancellationRequested },
  );
  if (token.isCancellationRequested) throw new Cancelled();
  result.containerInstanceArns = registered;
  if (!ok) {
    warn(
      t(
        'Cluster {0} was created, but only {1} of {2} container instances registered within {3} s. The instances may still be starting; if they never register, check that their user data sets ECS_CLUSTER={0} and (on AWS) that they have the ecsInstanceRole instance profile and internet access.',
        name, registered.length, count, st.waitSeconds,
      ),
    );
  }
  return result;
}

/** The draft from an argument object (as the input boxes would hold it; `check` validates it). */
function fromArgs(r: ArgReader<CreateClusterArgs>): State {
  const subnetIds = r.value('subnetIds');
  const waitSeconds = r.value('waitSeconds');
  return {
    name: r.text('name', 'demo-cluster'),
    containerInsights: r.value('containerInsights') === true,
    capacity: (r.value('capacity') as Capacity | undefined) ?? 'instances',
    instanceType: r.text('instanceType', 't3.small'),
    count: r.text('count', '2'),
    subnetIds: Array.isArray(subnetIds) ? subnetIds.map(String) : [],
    waitSeconds: typeof waitSeconds === 'number' && waitSeconds >= 0 ? waitSeconds : 180,
  };
}

const defaults = (): State => ({ name: 'demo-cluster', containerInsights: false, capacity: 'instances', instanceType: 't3.small', count: '2', subnetIds: [], waitSeconds: 180 });

export const createClusterCommand = defineCommand({
  id: 'ecsHandson.cluster.create',
  title: () => t('Create cluster'),
  args: fromArgs,
  palette: defaults,
  ask: async (ctx, st) => runSteps(ctx.title, steps(await ctx.clients()), st),
  check,
  confirm: (ctx, st) =>
    creation(
      ctx.title,
      st.capacity === 'none'
        ? undefined
        : [
            t('ECS cluster {0}{1}', st.name, st.containerInsights ? t(' with Container Insights') : ''),
            st.capacity === 'instances'
              ? t('{0} × EC2 {1} instances (ECS-optimized Amazon Linux 2023) in {2}', st.count, st.instanceType, st.subnetIds.join(', '))
              : t('Auto Scaling group {0}-asg with {1} × EC2 {2} instances in {3}', st.name, st.count, st.instanceType, st.subnetIds.join(', ')),
            t('Launch template ecs-handson-{0}', st.name),
          ],
    ),
  run: async (ctx, st) => {
    const clients = await ctx.clients();
    const result = await ctx.progress(ctx.title, (progress, token) =>
      createCluster(st, clients, progress, token, prepareRoles(ctx, clients, st), (m) => void ctx.notify('warning', m)),
    );
    ctx.services.refresh({ kind: 'clusters' });
    return result;
  },
});
