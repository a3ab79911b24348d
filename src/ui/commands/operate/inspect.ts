/**
 * `ecsHandson.inspect`: the describe output of a task, service, deployment, task-definition
 * revision, cluster, container instance, load balancer or target group as a read-only,
 * pretty-printed JSON document (a virtual document, scheme `ecs-handson`).
 *
 * Arguments (non-interactive): { kind: InspectKind, arn: string (a deployment: its id),
 * cluster?: string (tasks, services, container instances), service?: string (a deployment: the
 * service ARN), show?: boolean (default true: open it in an editor) }.
 * Returns { uri, json } (the document's URI string and its text) or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import { clusterNameFromArn, idFromArn, revisionFromArn } from '../../../core/format';
import { loadAws } from '../../aws-loader';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, boolArg, checkArgs, clientsOr, invalid, isFailure, isTreeNode, refused, stringArg, t } from './common';

export type InspectKind = 'task' | 'service' | 'deployment' | 'taskDefinitionRevision' | 'cluster' | 'containerInstance' | 'loadBalancer' | 'targetGroup';

export interface InspectArgs {
  kind: InspectKind;
  arn: string;
  cluster?: string;
  service?: string;
  show?: boolean;
}

export const INSPECT_SCHEME = 'ecs-handson';
const KINDS: InspectKind[] = ['task', 'service', 'deployment', 'taskDefinitionRevision', 'cluster', 'containerInstance', 'loadBalancer', 'targetGroup'];

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

function documents(s: Services): InspectDocuments {
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

async function inspect(s: Services, kind: InspectKind, arn: string, cluster: string | undefined, show: boolean) {
  const c = await s.clientsOrFail();
  const value = await describe(c, kind, arn, cluster);
  if (value === undefined) return invalid(t('{0} {1} was not found.', kind, idFromArn(arn)));
  const json = JSON.stringify(value, null, 2);
  const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${docName(kind, arn)}`, query: `arn=${encodeURIComponent(arn)}&at=${Date.now()}` });
  documents(s).set(uri, json);
  if (show) {
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return { uri: uri.toString(), json };
}

/** Kind, ARN and cluster from a tree node. */
function fromNode(node: import('../../../core/tree-types').TreeNode): { kind: InspectKind; arn: string; cluster?: string } | undefined {
  if (!KINDS.includes(node.kind as InspectKind) || !node.resource) return undefined;
  const kind = node.kind as InspectKind;
  if (kind === 'deployment') return { kind, arn: node.resource, cluster: SERVICE_ARN_RE.exec(node.id)?.[1] };
  return { kind, arn: node.resource, cluster: node.context?.clusterArn };
}

export const inspectResource: Command = {
  id: 'ecsHandson.inspect',
  run: async (s, arg) => {
    const action = t('Inspect');
    const a = argObject<InspectArgs>(arg);
    let target: { kind: InspectKind; arn: string; cluster?: string; show: boolean } | undefined;
    if (a) {
      const args = checkArgs(() => {
        if (!KINDS.includes(a.kind as InspectKind)) throw new ArgumentError(t('"kind" must be one of {0}, got {1}.', KINDS.join(', '), JSON.stringify(a.kind)));
        const arn = stringArg(a.arn, 'arn');
        if (!arn) throw new ArgumentError(t('"arn" is required.'));
        const kind = a.kind as InspectKind;
        const cluster = kind === 'deployment' ? stringArg(a.service, 'service') : stringArg(a.cluster, 'cluster');
        if (kind === 'deployment' && !(cluster && SERVICE_ARN_RE.test(cluster))) throw new ArgumentError(t('"service" is required for a deployment (the service ARN).'));
        return { kind, arn, cluster, show: boolArg(a.show, 'show') ?? true };
      });
      if (isFailure(args)) return args;
      target = args;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
    } else if (isTreeNode(arg)) {
      const n = fromNode(arg);
      if (n) target = { ...n, show: true };
    }
    if (!target) {
      const kind = await vscode.window.showQuickPick(
        KINDS.filter((k) => k !== 'deployment').map((k) => ({ label: k })),
        { title: t('What to inspect') },
      );
      if (!kind) return undefined;
      const arn = await vscode.window.showInputBox({ title: t('ARN (or id / family:N)'), validateInput: (v) => (v.trim() ? undefined : t('Enter an ARN.')) });
      if (!arn) return undefined;
      target = { kind: kind.label as InspectKind, arn: arn.trim(), show: true };
    }
    try {
      return await inspect(s, target.kind, target.arn, target.cluster, target.show);
    } catch (e) {
      return refused(s, e, action);
    }
  },
};
