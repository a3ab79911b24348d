/**
 * What the operate commands share: telling a tree node from an argument object, failing clearly on
 * bad arguments, showing AWS refusals (with Retry in interactive use), asking before deletes and
 * billable changes on real AWS, and QuickPicks of existing resources.
 *
 * Non-interactive calls (tests, the walkthrough) pass an argument object; a command then never
 * waits on a notification: validation failures and AWS refusals are shown (not awaited) and
 * returned as `{ error }` so the caller can display them too.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { TreeNode } from '../../../core/tree-types';
import { familyOf, idFromArn, revisionFromArn } from '../../../core/format';
import { loadAws } from '../../aws-loader';
import { AlreadyShownError, type Services } from '../../services';

export const t = vscode.l10n.t;

/** The result of a command that could not do its work: what the user was shown. */
export interface CommandFailure {
  error: string;
  /** `InvalidArguments`, or the AWS error code. */
  code: string;
}

export const isFailure = (v: unknown): v is CommandFailure => !!v && typeof v === 'object' && typeof (v as CommandFailure).error === 'string';

export function isTreeNode(v: unknown): v is TreeNode {
  return !!v && typeof v === 'object' && typeof (v as TreeNode).kind === 'string' && typeof (v as TreeNode).contextValue === 'string';
}

/** The argument object of a non-interactive call, or undefined (palette / tree node). */
export function argObject<T extends object>(v: unknown): Partial<T> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v) || isTreeNode(v)) return undefined;
  return v as Partial<T>;
}

/** Shows a validation failure without waiting for the user and returns it. */
export function invalid(message: string): CommandFailure {
  void vscode.window.showErrorMessage(message);
  return { error: message, code: 'InvalidArguments' };
}

/** Shows an AWS refusal without waiting for the user and returns it. */
export function refused(s: Services, e: unknown, action: string): CommandFailure {
  if (e instanceof AlreadyShownError) return { error: e.message, code: 'NotConnected' };
  const info = loadAws().mapAwsError(e, { endpoint: s.connections.sandboxEndpoint, t });
  void s.showError(e, action);
  return { error: `${action}: ${info.message}`, code: info.code };
}

/** Shows an AWS refusal with a Retry button; true when the user chose Retry. */
export async function refusedRetry(s: Services, e: unknown, action: string): Promise<boolean> {
  if (e instanceof AlreadyShownError) throw e;
  const retry = t('Retry');
  return (await s.showError(e, action, retry)) === retry;
}

export const sdk = () => loadAws().operateSdk;

/** Asks before a delete or a billable change, listing what it does. Always asks when `always`; otherwise only on real AWS. */
export async function confirm(s: Services, message: string, detail: string[], button: string, always = false): Promise<boolean> {
  if (!always && !s.connections.isRealAws) return true;
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: detail.join('\n') }, button);
  return choice === button;
}

/** A whole number from an argument (number or numeric string) in [min, max]; undefined if absent. */
export function intArg(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ArgumentError(t('"{0}" must be a whole number between {1} and {2}, got {3}.', name, min, max, JSON.stringify(v) ?? String(v)));
  return n;
}

export function stringArg(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ArgumentError(t('"{0}" must be a string, got {1}.', name, JSON.stringify(v) ?? String(v)));
  return v.trim();
}

export function boolArg(v: unknown, name: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ArgumentError(t('"{0}" must be true or false, got {1}.', name, JSON.stringify(v) ?? String(v)));
  return v;
}

/** Bad arguments of a non-interactive call. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

/** Runs the argument checks of a non-interactive call; an ArgumentError becomes a shown failure. */
export function checkArgs<T>(fn: () => T): T | CommandFailure {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ArgumentError) return invalid(e.message);
    throw e;
  }
}

/** The clients of the connection, or a failure (already shown). */
export async function clientsOr(s: Services): Promise<AwsClients | CommandFailure> {
  try {
    return await s.clientsOrFail();
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), code: 'NotConnected' };
  }
}

// ----------------------------------------------------------------------------------- pickers

export interface ServiceRefPick {
  clusterArn: string;
  clusterName: string;
  serviceName: string;
  serviceArn: string;
  taskDefinition: string;
  desiredCount: number;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
}

/** Every ACTIVE service of every cluster. */
export async function listAllServices(c: AwsClients): Promise<ServiceRefPick[]> {
  const aws = loadAws();
  const clusters = await aws.listClusterArns(c.ecs);
  const out: ServiceRefPick[] = [];
  for (const clusterArn of clusters) {
    const arns = await aws.listServiceArns(c.ecs, clusterArn);
    if (arns.length === 0) continue;
    const { items } = await aws.describeServices(c.ecs, clusterArn, arns);
    for (const sv of items) {
      if (sv.status !== 'ACTIVE') continue;
      out.push({
        clusterArn,
        clusterName: idFromArn(clusterArn),
        serviceName: sv.serviceName ?? '',
        serviceArn: sv.serviceArn ?? '',
        taskDefinition: sv.taskDefinition ?? '',
        desiredCount: sv.desiredCount ?? 0,
        minimumHealthyPercent: sv.deploymentConfiguration?.minimumHealthyPercent,
        maximumPercent: sv.deploymentConfiguration?.maximumPercent,
      });
    }
  }
  return out;
}

/** QuickPick of services; those whose task definition is of `preferFamily` first. */
export async function pickService(c: AwsClients, title: string, preferFamily?: string): Promise<ServiceRefPick | undefined> {
  const all = await withBusy(t('Loading services…'), () => listAllServices(c));
  if (all.length === 0) {
    void vscode.window.showInformationMessage(t('There are no services yet. Create one first.'));
    return undefined;
  }
  const rank = (sv: ServiceRefPick) => (preferFamily && familyOf(sv.taskDefinition) === preferFamily ? 0 : 1);
  all.sort((a, b) => rank(a) - rank(b) || a.clusterName.localeCompare(b.clusterName) || a.serviceName.localeCompare(b.serviceName));
  const picked = await vscode.window.showQuickPick(
    all.map((sv) => ({
      label: `$(server-process) ${sv.serviceName}`,
      description: `${sv.clusterName} · ${revisionFromArn(sv.taskDefinition)} · ${t('desired {0}', sv.desiredCount)}`,
      sv,
    })),
    { title, matchOnDescription: true },
  );
  return picked?.sv;
}

/** QuickPick of clusters. */
export async function pickCluster(c: AwsClients, title: string): Promise<{ clusterArn: string; clusterName: string } | undefined> {
  const aws = loadAws();
  const arns = await withBusy(t('Loading clusters…'), () => aws.listClusterArns(c.ecs));
  if (arns.length === 0) {
    void vscode.window.showInformationMessage(t('There are no clusters yet. Create one first.'));
    return undefined;
  }
  if (arns.length === 1) return { clusterArn: arns[0], clusterName: idFromArn(arns[0]) };
  const picked = await vscode.window.showQuickPick(arns.map((a) => ({ label: `$(server-environment) ${idFromArn(a)}`, clusterArn: a })), { title });
  return picked ? { clusterArn: picked.clusterArn, clusterName: idFromArn(picked.clusterArn) } : undefined;
}

/** QuickPick of ACTIVE revisions (`family:N`), newest first; `family` narrows it. */
export async function pickRevision(c: AwsClients, title: string, opts: { family?: string; current?: string } = {}): Promise<string | undefined> {
  const aws = loadAws();
  const arns = await withBusy(t('Loading task definitions…'), () =>
    aws.listTaskDefinitionArns(c.ecs, { status: 'ACTIVE', sort: 'DESC', ...(opts.family ? { familyPrefix: opts.family } : {}) }),
  );
  const mine = opts.family ? arns.filter((a) => familyOf(a) === opts.family) : arns;
  if (mine.length === 0) {
    void vscode.window.showInformationMessage(t('There are no active task definitions yet.'));
    return undefined;
  }
  const current = opts.current ? revisionFromArn(opts.current) : undefined;
  const picked = await vscode.window.showQuickPick(
    mine.map((a) => ({ label: `$(versions) ${revisionFromArn(a)}`, description: revisionFromArn(a) === current ? t('current') : undefined, rev: revisionFromArn(a) })),
    { title },
  );
  return picked?.rev;
}

export interface TaskPick {
  taskArn: string;
  clusterArn: string;
  label: string;
}

/** QuickPick of the running tasks of every cluster. */
export async function pickTask(c: AwsClients, title: string): Promise<TaskPick | undefined> {
  const aws = loadAws();
  const items = await withBusy(t('Loading tasks…'), async () => {
    const out: Array<{ label: string; description: string; task: TaskPick }> = [];
    for (const clusterArn of await aws.listClusterArns(c.ecs)) {
      const arns = await aws.listTaskArns(c.ecs, { cluster: clusterArn, desiredStatus: 'RUNNING' });
      if (arns.length === 0) continue;
      const { items: tasks } = await aws.describeTasks(c.ecs, clusterArn, arns);
      for (const task of tasks) {
        const id = idFromArn(task.taskArn);
        out.push({
          label: `$(symbol-event) ${id.slice(0, 8)}`,
          description: `${idFromArn(clusterArn)} · ${task.group ?? ''} · ${revisionFromArn(task.taskDefinitionArn)} · ${task.lastStatus ?? ''}`,
          task: { taskArn: task.taskArn ?? '', clusterArn, label: id },
        });
      }
    }
    return out;
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage(t('There are no running tasks.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.task;
}

/** QuickPick of load balancers. */
export async function pickLoadBalancer(c: AwsClients, title: string): Promise<{ arn: string; name: string } | undefined> {
  const lbs = await withBusy(t('Loading load balancers…'), () => loadAws().describeLoadBalancers(c.elbv2));
  if (lbs.length === 0) {
    void vscode.window.showInformationMessage(t('There are no load balancers yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    lbs.map((lb) => ({ label: `$(globe) ${lb.LoadBalancerName ?? ''}`, description: lb.DNSName, arn: lb.LoadBalancerArn ?? '', name: lb.LoadBalancerName ?? '' })),
    { title },
  );
  return picked ? { arn: picked.arn, name: picked.name } : undefined;
}

/** QuickPick of target groups. */
export async function pickTargetGroup(c: AwsClients, title: string): Promise<string | undefined> {
  const groups = await withBusy(t('Loading target groups…'), () => loadAws().describeTargetGroups(c.elbv2, 'all'));
  if (groups.length === 0) {
    void vscode.window.showInformationMessage(t('There are no target groups yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    groups.map((g) => ({
      label: `$(target) ${g.TargetGroupName ?? ''}`,
      description: `${g.Protocol ?? ''}:${g.Port ?? ''} · ${t('health check {0} every {1} s', g.HealthCheckPath ?? '/', g.HealthCheckIntervalSeconds ?? '')}`,
      arn: g.TargetGroupArn ?? '',
    })),
    { title },
  );
  return picked?.arn;
}

/** Shows a window progress (status bar) while loading pick items. */
export function withBusy<T>(title: string, work: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, work));
}

/** Input box for a whole number with a range; undefined when cancelled. */
export async function askInt(title: string, value: number | undefined, min: number, max: number, prompt?: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: value === undefined ? '' : String(value),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max ? undefined : t('Enter a whole number between {0} and {1}.', min, max)),
  });
  return text === undefined ? undefined : Number(text.trim());
}

/** Cluster ARN + service name from a service tree node. */
export function serviceFromNode(node: TreeNode): { cluster: string; service: string } | undefined {
  const cluster = node.context?.clusterArn;
  const service = node.context?.serviceName || idFromArn(node.resource);
  return node.kind === 'service' && cluster && service ? { cluster, service } : undefined;
}

/**
 * How often to look again while something changes: real AWS takes minutes and counts API calls,
 * so the given interval; the sandbox or another local endpoint answers at once, so every 0.5 s at
 * most. Callers keep the same time budget either way.
 */
export type Pace = (realMs: number) => number;
export const paceFor = (s: Services): Pace => (s.connections.isRealAws ? (ms) => ms : (ms) => Math.min(ms, 500));

/** Poll `check` until it returns a value, with a deadline (real ms). */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, token?: vscode.CancellationToken, intervalMs = 1000): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until || token?.isCancellationRequested) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
