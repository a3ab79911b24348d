/**
 * What a command asks when it is run from the palette: QuickPicks of what exists, with human labels
 * (names, revisions, short task ids and what they belong to; never internal ids), newest or most
 * likely first, and an input box for whole numbers. Pickers load with a window progress.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../aws';
import { count, familyOf, idFromArn, revisionFromArn } from '../../core/format';
import { loadAws } from '../aws-loader';
import { t } from '../l10n';

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

/** QuickPick of the container instances of every cluster. */
export async function pickContainerInstance(c: AwsClients, title: string): Promise<{ arn: string; clusterArn: string } | undefined> {
  const aws = loadAws();
  const items = await withBusy(t('Loading container instances…'), async () => {
    const out: Array<{ label: string; description: string; arn: string; clusterArn: string }> = [];
    for (const clusterArn of await aws.listClusterArns(c.ecs)) {
      const arns = await aws.listContainerInstanceArns(c.ecs, { cluster: clusterArn });
      if (arns.length === 0) continue;
      const { items: cis } = await aws.describeContainerInstances(c.ecs, clusterArn, arns);
      for (const ci of cis) {
        out.push({
          label: `$(vm) ${ci.ec2InstanceId ?? idFromArn(ci.containerInstanceArn).slice(0, 8)}`,
          description: `${idFromArn(clusterArn)} · ${ci.status ?? ''} · ${t('{0} running tasks', count(ci.runningTasksCount))}`,
          arn: ci.containerInstanceArn ?? '',
          clusterArn,
        });
      }
    }
    return out;
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage(t('There are no container instances.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return picked ? { arn: picked.arn, clusterArn: picked.clusterArn } : undefined;
}
