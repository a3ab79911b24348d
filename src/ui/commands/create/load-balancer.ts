/**
 * `ecsHandson.loadBalancer.create` — section 1c: an internet-facing Application Load Balancer in
 * two subnets of two AZs, a security group `<name>-sg` allowing the listener port from anywhere
 * (reused when it exists), a target group `<name>-tg` (instance targets, HTTP, health check path,
 * optionally the shorter thresholds of section 2), an HTTP listener forwarding to it, and
 * optionally the cluster's instances registered as targets (the static-port step of the article;
 * leave them out for dynamic ports, where ECS registers the tasks). Ends with the endpoint and
 * "Open".
 *
 * Argument (all optional; defaults are the hands-on's):
 * ```ts
 * {
 *   name?: string;               // 'app-demo-lb'
 *   subnetIds?: string[];        // one subnet in each of two AZs (default VPC)
 *   port?: number;               // 80 (listener port, allowed by the security group)
 *   targetPort?: number;         // 80 (target group port = the tasks' host port)
 *   healthCheckPath?: string;    // '/'
 *   fastHealthCheck?: boolean;   // false: 30 s interval, 5 healthy / 2 unhealthy; true: 10 s, 2 / 2
 *   registerInstancesOf?: string; // cluster name or ARN whose EC2 instances become targets ('' = none)
 * }
 * ```
 * Returns `CreateLoadBalancerResult` (below), or `{ error, code, field? }` (shown too).
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { SandboxAdmin } from '../../../aws/sandbox-admin';
import type { Subnet } from '@aws-sdk/client-ec2';
import type { ArgReader } from '../../../core/commands/args';
import type { CreateLoadBalancerArgs } from '../../../core/commands/contract';
import { Cancelled, CommandError } from '../../../core/commands/failure';
import { managedTag } from '../../../core/managed';
import { waitUntil } from '../../../core/poll';
import { validateElbName, validatePort } from '../../../core/validate';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { creation, defineCommand, field, type CommandContext, type Invalid } from '../command';
import { runSteps, type Step } from '../steps';
import { checkSubnets, defaultSubnetIds, describeSubnets, subnetItems } from './subnets';

export interface CreateLoadBalancerResult {
  loadBalancerArn: string;
  dnsName: string;
  /** Where to open it: the sandbox's URL (DNS name + the listener's real local port) when it tells one, else http://<DNSName>[:port]/. */
  url: string;
  /** The load balancer's state when the command finished ('active' unless waiting timed out). */
  state: string;
  /** Sandbox only: the listener at http://127.0.0.1:<real port>/ (for clients that do not resolve *.localhost). */
  localUrl?: string;
  securityGroupId: string;
  targetGroupArn: string;
  listenerArn: string;
  registeredInstanceIds: string[];
}

interface State {
  name: string;
  subnetIds: string[];
  port: string;
  targetPort: string;
  healthCheckPath: string;
  fastHealthCheck: boolean;
  registerInstancesOf: string;
}

/** `<name>-sg` / `<name>-tg`, kept within the 32 characters ELB allows. */
export const derivedName = (name: string, suffix: string): string => `${name.slice(0, 32 - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;

function check(st: State): Invalid | undefined {
  return (
    field('name', t('Load balancer name'), validateElbName(st.name, t)) ??
    field('port', t('Listener port'), validatePort(st.port, t)) ??
    field('targetPort', t('Target port'), validatePort(st.targetPort, t)) ??
    field('healthCheckPath', t('Health check path'), /^\/\S{0,1023}$/.test(st.healthCheckPath) ? undefined : t('Start the path with / (e.g. / or /app/).'))
  );
}

function steps(clients: AwsClients): Step<State>[] {
  const aws = loadAws();
  let subnets: Subnet[] | undefined;
  return [
    { type: 'input', key: 'name', title: t('Load balancer name'), prompt: t('Up to 32 letters, digits and hyphens.'), validate: (v) => validateElbName(v, t) },
    {
      type: 'pickMany', key: 'subnetIds', title: t('Subnets'), placeholder: t('One subnet in each of two Availability Zones'),
      items: async (st) => {
        subnets ??= await describeSubnets(clients);
        if (st.subnetIds.length === 0) st.subnetIds = defaultSubnetIds(subnets);
        return subnetItems(subnets);
      },
      validate: (values) => checkSubnets(values as string[], subnets ?? []),
    },
    { type: 'input', key: 'port', title: t('Listener port (HTTP)'), prompt: t('The security group allows it from 0.0.0.0/0.'), validate: (v) => validatePort(v, t) },
    {
      type: 'pick', key: 'fastHealthCheck', title: t('Target group health check'),
      items: () => [
        { label: t('Default thresholds'), description: t('every 30 s; healthy after 5, unhealthy after 2'), value: false },
        { label: t('Shorter thresholds'), description: t('every 10 s; healthy after 2, unhealthy after 2 — shorter 502 window (section 2)'), value: true },
      ],
    },
    {
      type: 'pick', key: 'registerInstancesOf', title: t('Register instances as targets'),
      items: async () => {
        const out = await clients.ecs.send(new aws.ListClustersCommand({}));
        const names = (out.clusterArns ?? []).map((a) => a.split('/').pop() ?? a);
        return [
          ...names.map((n) => ({ label: t('The instances of {0}', n), description: t('static host port (as in the article)'), value: n, picked: n === 'demo-cluster' })),
          { label: t('None'), description: t('ECS registers the tasks itself (needed for dynamic host ports)'), value: '' },
        ];
      },
    },
  ];
}

/** The security group `<lb>-sg` in the VPC, created with the ingress rule unless it exists. */
async function ensureSecurityGroup(clients: AwsClients, name: string, vpcId: string, port: number): Promise<string> {
  const aws = loadAws();
  const found = await clients.ec2.send(
    new aws.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [vpcId] }] }),
  );
  let groupId = found.SecurityGroups?.[0]?.GroupId;
  if (!groupId) {
    const created = await clients.ec2.send(
      new aws.CreateSecurityGroupCommand({
        GroupName: name,
        Description: `ECS Hands-on: HTTP ${port} to the load balancer`,
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [managedTag()] }],
      }),
    );
    groupId = created.GroupId!;
  }
  const rules = found.SecurityGroups?.[0]?.IpPermissions ?? [];
  const allowed = rules.some((r) => r.IpProtocol === 'tcp' && (r.FromPort ?? 0) <= port && (r.ToPort ?? 0) >= port && r.IpRanges?.some((x) => x.CidrIp === '0.0.0.0/0'));
  if (!allowed) {
    try {
      await clients.ec2.send(
        new aws.AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTP from anywhere' }] }],
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name !== 'InvalidPermission.Duplicate') throw e;
    }
  }
  return groupId;
}

async function createLoadBalancer(
  st: State,
  clients: AwsClients,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
  sandboxAdmin: SandboxAdmin | undefined,
): Promise<CreateLoadBalancerResult> {
  const aws = loadAws();
  const name = st.name.trim();
  const port = Number(st.port);
  const targetPort = Number(st.targetPort);
  const tags = [managedTag()];
  const all = await describeSubnets(clients);
  const subnetIds = st.subnetIds.length > 0 ? st.subnetIds : defaultSubnetIds(all);
  const bad = checkSubnets(subnetIds, all);
  if (bad) throw new CommandError(bad, 'InvalidArguments', 'subnetIds');
  const vpcId = all.find((x) => x.SubnetId === subnetIds[0])?.VpcId ?? '';

  // Instances to register: resolved first, so a wrong cluster name creates nothing.
  let instanceIds: string[] = [];
  if (st.registerInstancesOf.trim() !== '') {
    const cluster = st.registerInstancesOf.trim();
    const list = await clients.ecs.send(new aws.ListContainerInstancesCommand({ cluster }));
    const arns = list.containerInstanceArns ?? [];
    if (arns.length > 0) {
      const described = await clients.ecs.send(new aws.DescribeContainerInstancesCommand({ cluster, containerInstances: arns }));
      instanceIds = (described.containerInstances ?? []).map((c) => c.ec2InstanceId ?? '').filter(Boolean);
    }
    if (instanceIds.length === 0) throw new CommandError(t('Cluster {0} has no container instances to register.', cluster), 'InvalidArguments', 'registerInstancesOf');
  }

  progress.report({ message: t('Creating security group {0}…', derivedName(name, 'sg')) });
  const securityGroupId = await ensureSecurityGroup(clients, derivedName(name, 'sg'), vpcId, port);

  progress.report({ message: t('Creating target group {0}…', derivedName(name, 'tg')) });
  const fast = st.fastHealthCheck;
  const tg = await clients.elbv2.send(
    new aws.CreateTargetGroupCommand({
      Name: derivedName(name, 'tg'),
      TargetType: 'instance',
      Protocol: 'HTTP',
      Port: targetPort,
      VpcId: vpcId,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: st.healthCheckPath,
      HealthCheckIntervalSeconds: fast ? 10 : 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: fast ? 2 : 5,
      UnhealthyThresholdCount: 2,
      Tags: tags,
    }),
  );
  const targetGroupArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';

  progress.report({ message: t('Creating load balancer {0}…', name) });
  const lbOut = await clients.elbv2.send(
    new aws.CreateLoadBalancerCommand({ Name: name, Type: 'application', Scheme: 'internet-facing', Subnets: subnetIds, SecurityGroups: [securityGroupId], Tags: tags }),
  );
  const lb = lbOut.LoadBalancers?.[0];
  const loadBalancerArn = lb?.LoadBalancerArn ?? '';

  progress.report({ message: t('Creating listener HTTP:{0}…', port) });
  const existing = await clients.elbv2.send(new aws.DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
  let listenerArn = existing.Listeners?.find((l) => l.Port === port)?.ListenerArn;
  if (!listenerArn) {
    const l = await clients.elbv2.send(
      new aws.CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }], Tags: tags }),
    );
    listenerArn = l.Listeners?.[0]?.ListenerArn ?? '';
  }

  if (instanceIds.length > 0) {
    progress.report({ message: t('Registering {0} instances as targets…', instanceIds.length) });
    await clients.elbv2.send(new aws.RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instanceIds.map((Id) => ({ Id, Port: targetPort })) }));
  }

  // Like `aws elbv2 wait load-balancer-available`: the endpoint only answers once it is active.
  let state = lb?.State?.Code;
  if (state !== 'active') {
    progress.report({ message: t('Waiting for load balancer {0} to become active…', name) });
    await waitUntil(
      async () => {
        const d = await clients.elbv2.send(new aws.DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }));
        state = d.LoadBalancers?.[0]?.State?.Code;
        return state === 'active' || state === 'failed';
      },
      { timeoutMs: sandboxAdmin ? 60_000 : 300_000, intervalMs: sandboxAdmin ? 500 : 5000, cancelled: () => token.isCancellationRequested },
    );
    if (token.isCancellationRequested) throw new Cancelled();
  }
  const dnsName = lb?.DNSName ?? '';
  const found = await aws.findLoadBalancerUrl(clients.elbv2, loadBalancerArn, { admin: sandboxAdmin, port });
  const url = found?.url ?? `http://${dnsName}${port === 80 ? '' : `:${port}`}/`;
  return { loadBalancerArn, dnsName, state: state ?? 'unknown', url, localUrl: found?.localUrl, securityGroupId, targetGroupArn, listenerArn, registeredInstanceIds: instanceIds };
}

function fromArgs(r: ArgReader<CreateLoadBalancerArgs>): State {
  const subnetIds = r.value('subnetIds');
  return {
    name: r.text('name', 'app-demo-lb'),
    subnetIds: Array.isArray(subnetIds) ? subnetIds.map(String) : [],
    port: r.text('port', '80'),
    targetPort: r.text('targetPort', '80'),
    healthCheckPath: r.text('healthCheckPath', '/'),
    fastHealthCheck: r.value('fastHealthCheck') === true,
    registerInstancesOf: r.text('registerInstancesOf'),
  };
}

const defaults = (): State => ({ name: 'app-demo-lb', subnetIds: [], port: '80', targetPort: '80', healthCheckPath: '/', fastHealthCheck: false, registerInstancesOf: 'demo-cluster' });

async function create(ctx: CommandContext, st: State): Promise<CreateLoadBalancerResult> {
  const clients = await ctx.clients();
  const r = await ctx.progress(ctx.title, (progress, token) => createLoadBalancer(st, clients, progress, token, ctx.services.connections.sandboxAdmin()));
  ctx.services.refresh({ kind: 'loadBalancers' });
  const open = t('Open');
  const text =
    r.state === 'active'
      ? t('Load balancer {0} is ready at {1}. Once the service runs, the app answers at {1}app/.', st.name, r.url)
      : t('Load balancer {0} is still {1}; its endpoint will be {2}.', st.name, r.state, r.url);
  void vscode.window.showInformationMessage(text, open).then((c) => c === open && vscode.env.openExternal(vscode.Uri.parse(`${r.url}app/`)));
  return r;
}

export const createLoadBalancerCommand = defineCommand({
  id: 'ecsHandson.loadBalancer.create',
  title: () => t('Create load balancer'),
  args: fromArgs,
  palette: defaults,
  ask: async (ctx, st) => runSteps(ctx.title, steps(await ctx.clients()), st),
  check,
  confirm: (ctx, st) =>
    creation(ctx.title, [
      t('Application Load Balancer {0} (internet-facing) in {1}', st.name, st.subnetIds.join(', ')),
      t('Security group {0} allowing TCP {1} from 0.0.0.0/0', derivedName(st.name, 'sg'), st.port),
      t('Target group {0} and listener HTTP:{1}', derivedName(st.name, 'tg'), st.port),
    ]),
  run: create,
});
