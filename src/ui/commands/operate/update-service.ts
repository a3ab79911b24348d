/**
 * `ecsHandson.service.update`: desired count, revision (family:N), minimum / maximum percent and
 * "force new deployment" in one UpdateService call; then the status bar follows the rollout.
 *
 * Arguments (non-interactive):
 *   { cluster: string (name or ARN), service: string (name or ARN), desiredCount?: number,
 *     taskDefinition?: string ("family:N", "family" or ARN), minimumHealthyPercent?: number,
 *     maximumPercent?: number, forceNewDeployment?: boolean }
 * Returns `UpdateServiceResult` ({ serviceArn, clusterArn, serviceName, deploymentId,
 * taskDefinition, desiredCount }) or `{ error, code }` (shown to the user as well).
 * From a service node or the palette it asks for each value, prefilled with the current one.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { Service } from '@aws-sdk/client-ecs';
import { revisionFromArn } from '../../../core/format';
import { validateDeploymentPercents } from '../../../core/validate';
import type { Services } from '../../services';
import type { Command } from '../types';
import {
  argObject,
  ArgumentError,
  askInt,
  boolArg,
  checkArgs,
  clientsOr,
  confirm,
  intArg,
  invalid,
  isFailure,
  isTreeNode,
  pickRevision,
  pickService,
  refused,
  refusedRetry,
  sdk,
  serviceFromNode,
  stringArg,
  t,
  type CommandFailure,
} from './common';

export interface UpdateServiceArgs {
  cluster: string;
  service: string;
  desiredCount?: number;
  taskDefinition?: string;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  forceNewDeployment?: boolean;
}

export interface UpdateServiceResult {
  serviceArn: string;
  clusterArn: string;
  serviceName: string;
  /** The PRIMARY deployment after the update (`ecs-svc/…`). */
  deploymentId: string;
  taskDefinition: string;
  desiredCount: number;
}

const TASK_DEF_RE = /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[a-zA-Z0-9_-]{1,255}(?::\d{1,9})?$/;

/** Checks an argument object; throws ArgumentError with a message naming the member. */
export function parseUpdateArgs(a: Partial<UpdateServiceArgs>): UpdateServiceArgs {
  const cluster = stringArg(a.cluster, 'cluster');
  const service = stringArg(a.service, 'service');
  if (!cluster) throw new ArgumentError(t('"cluster" is required (a cluster name or ARN).'));
  if (!service) throw new ArgumentError(t('"service" is required (a service name or ARN).'));
  const taskDefinition = stringArg(a.taskDefinition, 'taskDefinition');
  if (taskDefinition !== undefined && !TASK_DEF_RE.test(taskDefinition)) {
    throw new ArgumentError(t('"taskDefinition" must be "family:revision", a family or a task definition ARN, got {0}.', JSON.stringify(taskDefinition)));
  }
  const out: UpdateServiceArgs = {
    cluster,
    service,
    desiredCount: intArg(a.desiredCount, 'desiredCount', 0, 5000),
    taskDefinition,
    minimumHealthyPercent: intArg(a.minimumHealthyPercent, 'minimumHealthyPercent', 0, 100),
    maximumPercent: intArg(a.maximumPercent, 'maximumPercent', 100, 200),
    forceNewDeployment: boolArg(a.forceNewDeployment, 'forceNewDeployment'),
  };
  if (out.desiredCount === undefined && !out.taskDefinition && out.minimumHealthyPercent === undefined && out.maximumPercent === undefined && !out.forceNewDeployment) {
    throw new ArgumentError(t('Nothing to update: give desiredCount, taskDefinition, minimumHealthyPercent, maximumPercent or forceNewDeployment.'));
  }
  return out;
}

export async function describeService(c: AwsClients, cluster: string, service: string): Promise<Service | undefined> {
  const out = await c.ecs.send(new (sdk().DescribeServicesCommand)({ cluster, services: [service] }));
  return out.services?.[0];
}

/**
 * Validates the combination against the current service, asks on real AWS when the change adds
 * tasks, calls UpdateService, refreshes and tracks the rollout. Throws AWS errors.
 */
export async function applyUpdate(s: Services, c: AwsClients, args: UpdateServiceArgs, current: Service | undefined): Promise<UpdateServiceResult | CommandFailure | undefined> {
  const desired = args.desiredCount ?? current?.desiredCount;
  const dc = current?.deploymentConfiguration;
  if (args.minimumHealthyPercent !== undefined || args.maximumPercent !== undefined || args.desiredCount !== undefined) {
    const bad = validateDeploymentPercents(
      String(args.minimumHealthyPercent ?? dc?.minimumHealthyPercent ?? ''),
      String(args.maximumPercent ?? dc?.maximumPercent ?? ''),
      desired,
      t,
    );
    if (bad) return invalid(bad);
  }
  if (current && args.desiredCount !== undefined && args.desiredCount > (current.desiredCount ?? 0)) {
    const ok = await confirm(s, t('Run {0} tasks of {1}?', args.desiredCount, current.serviceName ?? args.service), [t('More tasks use more of your instances (billable on AWS).')], t('Update'));
    if (!ok) return undefined;
  }
  const deploymentConfiguration =
    args.minimumHealthyPercent !== undefined || args.maximumPercent !== undefined
      ? {
          ...(dc ?? {}),
          ...(args.minimumHealthyPercent !== undefined ? { minimumHealthyPercent: args.minimumHealthyPercent } : {}),
          ...(args.maximumPercent !== undefined ? { maximumPercent: args.maximumPercent } : {}),
        }
      : undefined;
  const out = await s.withProgress(t('Updating service {0}…', args.service), () =>
    c.ecs.send(
      new (sdk().UpdateServiceCommand)({
        cluster: args.cluster,
        service: args.service,
        ...(args.desiredCount !== undefined ? { desiredCount: args.desiredCount } : {}),
        ...(args.taskDefinition ? { taskDefinition: args.taskDefinition } : {}),
        ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
        ...(args.forceNewDeployment ? { forceNewDeployment: true } : {}),
      }),
    ),
  );
  const sv = out.service;
  const clusterArn = sv?.clusterArn ?? current?.clusterArn ?? args.cluster;
  const serviceName = sv?.serviceName ?? args.service;
  s.refresh({ kind: 'service', clusterArn, serviceName });
  s.trackRollout(clusterArn, serviceName);
  const primary = sv?.deployments?.find((d) => d.status === 'PRIMARY');
  return {
    serviceArn: sv?.serviceArn ?? '',
    clusterArn,
    serviceName,
    deploymentId: primary?.id ?? '',
    taskDefinition: sv?.taskDefinition ?? primary?.taskDefinition ?? '',
    desiredCount: sv?.desiredCount ?? 0,
  };
}

/** Non-interactive: check, describe, update; failures shown and returned. */
export async function updateFromArgs(s: Services, raw: Partial<UpdateServiceArgs>, action: string): Promise<UpdateServiceResult | CommandFailure | undefined> {
  const args = checkArgs(() => parseUpdateArgs(raw));
  if (isFailure(args)) return args;
  const c = await clientsOr(s);
  if (isFailure(c)) return c;
  try {
    const current = await describeService(c, args.cluster, args.service);
    if (!current || current.status !== 'ACTIVE') {
      return invalid(t('Service {0} not found in cluster {1}.', args.service, args.cluster));
    }
    return await applyUpdate(s, c, args, current);
  } catch (e) {
    return refused(s, e, action);
  }
}

/** The service a command acts on: from a tree node, or picked. */
export async function serviceTarget(s: Services, c: AwsClients, node: unknown, title: string, preferFamily?: string): Promise<{ cluster: string; service: string } | undefined> {
  if (isTreeNode(node)) {
    const ref = serviceFromNode(node);
    if (ref) return ref;
  }
  const picked = await pickService(c, title, preferFamily);
  return picked ? { cluster: picked.clusterArn, service: picked.serviceName } : undefined;
}

export const updateService: Command = {
  id: 'ecsHandson.service.update',
  run: async (s, arg) => {
    const action = t('Update service');
    const a = argObject<UpdateServiceArgs>(arg);
    if (a) return updateFromArgs(s, a, action);
    const c = await s.clientsOrFail();
    const target = await serviceTarget(s, c, arg, t('Service to update'));
    if (!target) return undefined;
    let current: Service | undefined;
    try {
      current = await describeService(c, target.cluster, target.service);
    } catch (e) {
      return refused(s, e, action);
    }
    if (!current) return invalid(t('Service {0} not found.', target.service));
    const name = current.serviceName ?? target.service;
    // What the user entered so far (kept across Retry).
    const draft = {
      taskDefinition: revisionFromArn(current.taskDefinition),
      desiredCount: current.desiredCount ?? 0,
      minimumHealthyPercent: current.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      maximumPercent: current.deploymentConfiguration?.maximumPercent ?? 200,
      forceNewDeployment: false,
    };
    for (;;) {
      const rev = await pickRevision(c, t('{0}: task definition revision', name), { current: draft.taskDefinition });
      if (!rev) return undefined;
      draft.taskDefinition = rev;
      const desired = await askInt(t('{0}: desired count', name), draft.desiredCount, 0, 5000);
      if (desired === undefined) return undefined;
      draft.desiredCount = desired;
      const min = await vscode.window.showInputBox({
        title: t('{0}: minimum healthy percent', name),
        value: String(draft.minimumHealthyPercent),
        validateInput: (v) => validateDeploymentPercents(v, String(draft.maximumPercent), undefined, t),
      });
      if (min === undefined) return undefined;
      draft.minimumHealthyPercent = Number(min);
      const max = await vscode.window.showInputBox({
        title: t('{0}: maximum percent', name),
        prompt: t('200 lets a rollout start the new tasks before stopping the old ones (Blue/Green).'),
        value: String(draft.maximumPercent),
        validateInput: (v) => validateDeploymentPercents(String(draft.minimumHealthyPercent), v, draft.desiredCount, t),
      });
      if (max === undefined) return undefined;
      draft.maximumPercent = Number(max);
      const force = await vscode.window.showQuickPick(
        [
          { label: t('No'), description: t('deploy only if something changed'), value: false },
          { label: t('Force new deployment'), description: t('replace every task even with the same revision'), value: true },
        ],
        { title: t('{0}: force a new deployment?', name) },
      );
      if (!force) return undefined;
      draft.forceNewDeployment = force.value;
      try {
        const res = await applyUpdate(s, c, { cluster: target.cluster, service: name, ...draft }, current);
        if (res && !isFailure(res)) void vscode.window.showInformationMessage(t('Service {0} updated: {1}, desired {2}.', name, revisionFromArn(res.taskDefinition), res.desiredCount));
        return res;
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
