/**
 * `ecsHandson.inspect`: the describe output of a task, service, deployment, task-definition
 * revision, cluster, container instance, load balancer or target group as a read-only,
 * pretty-printed JSON document (a virtual document, scheme `ecs-handson`).
 *
 * Arguments (`InspectArgs`): { kind: InspectKind, arn: string (a deployment: its id),
 * cluster?: string (tasks, services, container instances), service?: string (a deployment: the
 * service ARN), show?: boolean (default true: open it in an editor) }.
 * Returns { uri, json } (the document's URI string and its text) or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import { INSPECT_KINDS, type InspectKind } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { timestampNote } from '../../../core/clock';
import { clusterNameFromArn, idFromArn, revisionFromArn } from '../../../core/format';
import type { TreeNode } from '../../../core/tree-types';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { UiContext } from '../../ui-context';
import { defineCommand, type CommandContext } from '../command';
import { pickCluster, pickContainerInstance, pickLoadBalancer, pickRevision, pickService, pickTargetGroup, pickTask } from '../pickers';

export const INSPECT_SCHEME = 'ecs-handson';

/** The documents' contents, by URI string; the provider serves them read-only. */
class InspectDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(uri: vscode.Uri, text: string): void {
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '{}';
  }
}

let provider: InspectDocuments | undefined;

function documents(s: UiContext): InspectDocuments {
  if (!provider) {
    const p = new InspectDocuments();
    s.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, p));
    provider = p;
  }
  return provider;
}

const SERVICE_ARN_RE = /(arn:aws[a-z-]*:ecs:[^:]+:\d{12}:service\/[^/]+\/[^/:]+)/;

/** The cluster of a resource: given, from the ARN, or undefined (the default cluster). */
const clusterOf = (arn: string, given?: string) => given || (clusterNameFromArn(arn) ?? undefined);

async function describe(c: AwsClients, kind: InspectKind, arn: string, cluster?: string): Promise<unknown> {
  const aws = loadAws();
  switch (kind) {
    case 'task': {
      const { items } = await aws.describeTasks(c.ecs, clusterOf(arn, cluster) ?? 'default', [arn], { include: ['TAGS'] });
      return items[0];
    }
    case 'service': {
      const { items } = await aws.describeServices(c.ecs, clusterOf(arn, cluster) ?? 'default', [arn], { include: ['TAGS'] });
      return items[0];
    }
    case 'deployment': {
      const serviceArn = cluster && SERVICE_ARN_RE.test(cluster) ? cluster : undefined;
      if (!serviceArn) return undefined;
      const { items } = await aws.describeServices(c.ecs, clusterOf(serviceArn) ?? 'default', [serviceArn]);
      return items[0]?.deployments?.find((d) => d.id === arn);
    }
    case 'taskDefinitionRevision': {
      const out = await aws.describeTaskDefinition(c.ecs, arn);
      return out.taskDefinition ? { ...out.taskDefinition, tags: out.tags } : undefined;
    }
    case 'cluster': {
      const { items } = await aws.describeClusters(c.ecs, [arn], { include: ['SETTINGS', 'STATISTICS', 'TAGS', 'CONFIGURATIONS'] });
      return items.find((x) => x.status !== 'INACTIVE' || items.length === 1);
    }
    case 'containerInstance': {
      const { items } = await aws.describeContainerInstances(c.ecs, clusterOf(arn, cluster) ?? 'default', [arn], { include: ['CONTAINER_INSTANCE_HEALTH'] });
      return items[0];
    }
    case 'loadBalancer': {
      const [lb] = await aws.describeLoadBalancers(c.elbv2, [arn]);
      if (!lb) return undefined;
      const listeners = await aws.describeListeners(c.elbv2, arn);
      return { ...lb, Listeners: listeners };
    }
    case 'targetGroup': {
      const [g] = await aws.describeTargetGroups(c.elbv2, { arns: [arn] });
      if (!g) return undefined;
      const health = (await aws.describeTargetHealth(c.elbv2, [arn])).get(arn) ?? [];
      return { ...g, TargetHealthDescriptions: health };
    }
  }
}

function docName(kind: InspectKind, arn: string): string {
  const name = kind === 'taskDefinitionRevision' ? revisionFromArn(arn).replace(':', '-') : idFromArn(arn).replace(/[^\w.-]/g, '_');
  return `${kind}-${name || 'resource'}.json`;
}

async function inspect(s: UiContext, kind: InspectKind, arn: string, cluster: string | undefined, show: boolean) {
  const c = await s.clientsOrFail();
  const value = await describe(c, kind, arn, cluster);
  if (value === undefined) throw new CommandError(t('{0} {1} was not found.', kindLabel(kind), idFromArn(arn)), 'NotFound');
  const json = JSON.stringify(value, null, 2);
  const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${docName(kind, arn)}`, query: `arn=${encodeURIComponent(arn)}&at=${Date.now()}` });
  // On the sandbox the timestamps are on its faster clock (ahead of real time): the document says so
  // in comments above the JSON (JSON with comments); the returned `json` stays the describe output.
  const serviceNow = (await s.connections.now())(); // (reads the sandbox's speed too)
  const note = timestampNote(s.connections.timeBase(), serviceNow, Date.now(), t);
  documents(s).set(uri, note.length ? `${note.map((l) => `// ${l}`).join('\n')}\n${json}` : json);
  if (show) {
    const language = note.length ? 'jsonc' : 'json';
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return { uri: uri.toString(), json };
}

interface Target {
  kind: InspectKind;
  arn: string;
  /** The cluster (a deployment: its service ARN). */
  cluster?: string;
  show: boolean;
}

/** Kind, ARN and cluster from a tree row. */
function fromRow(node: TreeNode): Target | undefined {
  if (!(INSPECT_KINDS as readonly string[]).includes(node.kind) || !node.resource) return undefined;
  const kind = node.kind as InspectKind;
  if (kind === 'deployment') return { kind, arn: node.resource, cluster: SERVICE_ARN_RE.exec(node.id)?.[1], show: true };
  return { kind, arn: node.resource, cluster: node.context?.clusterArn, show: true };
}

/** The kind in words, as a person reads it (never the internal id). */
function kindLabel(kind: InspectKind): string {
  const labels: Record<InspectKind, string> = {
    task: t('Task'),
    service: t('Service'),
    deployment: t('Deployment'),
    taskDefinitionRevision: t('Task definition revision'),
    cluster: t('Cluster'),
    containerInstance: t('Container instance'),
    loadBalancer: t('Load balancer'),
    targetGroup: t('Target group'),
  };
  return labels[kind];
}

/** Palette: what kind of resource (in words), then which one (a picker of those that exist). */
async function fromPalette(ctx: CommandContext): Promise<Target | undefined> {
  const values: Array<Exclude<InspectKind, 'deployment'>> = ['task', 'service', 'taskDefinitionRevision', 'cluster', 'containerInstance', 'loadBalancer', 'targetGroup'];
  const kinds = values.map((value) => ({ label: kindLabel(value), value }));
  const picked = await vscode.window.showQuickPick(kinds, { title: t('What to inspect') });
  if (!picked) return undefined;
  const c = await ctx.clients();
  const title = t('{0} to inspect', picked.label);
  switch (picked.value) {
    case 'task': {
      const task = await pickTask(c, title);
      return task && { kind: 'task', arn: task.taskArn, cluster: task.clusterArn, show: true };
    }
    case 'service': {
      const sv = await pickService(c, title);
      return sv && { kind: 'service', arn: sv.serviceArn, cluster: sv.clusterArn, show: true };
    }
    case 'taskDefinitionRevision': {
      const rev = await pickRevision(c, title);
      return rev ? { kind: 'taskDefinitionRevision', arn: rev, show: true } : undefined;
    }
    case 'cluster': {
      const cl = await pickCluster(c, title);
      return cl && { kind: 'cluster', arn: cl.clusterArn, show: true };
    }
    case 'containerInstance': {
      const ci = await pickContainerInstance(c, title);
      return ci && { kind: 'containerInstance', arn: ci.arn, cluster: ci.clusterArn, show: true };
    }
    case 'loadBalancer': {
      const lb = await pickLoadBalancer(c, title);
      return lb && { kind: 'loadBalancer', arn: lb.arn, show: true };
    }
    case 'targetGroup': {
      const arn = await pickTargetGroup(c, title);
      return arn ? { kind: 'targetGroup', arn, show: true } : undefined;
    }
  }
}

export const inspectResource = defineCommand({
  id: 'ecsHandson.inspect',
  title: () => t('Inspect'),
  args: (r): Target => {
    const kind = r.oneOf('kind', INSPECT_KINDS);
    if (!kind) return r.fail(t('"kind" is required: one of {0}.', INSPECT_KINDS.join(', ')), 'kind');
    const arn = r.required('arn', t('"arn" is required.'));
    const cluster = kind === 'deployment' ? r.string('service') : r.string('cluster');
    if (kind === 'deployment' && !(cluster && SERVICE_ARN_RE.test(cluster))) r.fail(t('"service" is required for a deployment (the service ARN).'), 'service');
    return { kind, arn, cluster, show: r.bool('show') ?? true };
  },
  row: fromRow,
  palette: fromPalette,
  run: (ctx, d) => inspect(ctx.services, d.kind, d.arn, d.cluster, d.show),
});
