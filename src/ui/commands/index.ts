/**
 * The one registration table: every command id of the extension (package.json's commands and the
 * internal `_ecsHandson.` hooks), each defined once with `defineCommand` (command.ts) in its own
 * file. The compiler checks the table against `CommandArgs` (src/core/commands/contract.ts): each
 * id present, under its own key.
 */
import * as vscode from 'vscode';
import { classifyInvocation } from '../../core/commands/args';
import { isLostRow, type CommandId } from '../../core/commands/contract';
import { isFailure } from '../../core/commands/failure';
import { AlreadyShownError, type UiContext } from '../ui-context';
import { HostReport, invoke, type CommandDef } from './command';
import type { UiParts } from './parts';
import { refresh } from './base/refresh';
import { restartSandbox } from './base/restart-sandbox';
import { showLastCli } from './base/show-cli';
import { showInfo } from './base/show-info';
import { showLog } from './base/show-log';
import { switchConnection } from './base/switch-connection';
import { createClusterCommand } from './create/cluster';
import { createLoadBalancerCommand } from './create/load-balancer';
import { changeImageCommand } from './create/change-image';
import { registerRevisionCommand } from './create/revision';
import { createServiceCommand } from './create/service';
import { registerTaskDefinitionCommand } from './create/task-definition';
import { explorerHook, rolloutStatusHook, walkthroughPanelHook, walkthroughResetHook } from './internal';
import { configureClusterAutoScaling } from './operate/autoscaling-cluster';
import { configureServiceAutoScaling } from './operate/autoscaling-service';
import { cleanup } from './operate/cleanup';
import { copyArn } from './operate/copy-arn';
import { deleteService } from './operate/delete-service';
import { deployRevision } from './operate/deploy-revision';
import { deregisterRevision } from './operate/deregister-revision';
import { forceNewDeployment } from './operate/force-new-deployment';
import { configureHealthCheck } from './operate/health-check';
import { inspectResource } from './operate/inspect';
import { runLoadTest } from './operate/load-test';
import { openConsole } from './operate/open-console';
import { openLoadBalancer } from './operate/open-load-balancer';
import { openTask } from './operate/open-task';
import { scaleService } from './operate/scale-service';
import { stopLoadTest } from './operate/stop-load-test';
import { stopTask } from './operate/stop-task';
import { updateService } from './operate/update-service';
import { filterLogs } from './logs/filter';
import { resumeFollowing, stopFollowing } from './logs/following';
import { jumpToTime } from './logs/jump-to-time';
import { openLogsConsole } from './logs/open-console';
import { showLogs } from './logs/show-logs';
import { loadMore } from './views/load-more';
import { openWalkthrough } from './views/open-walkthrough';
import { showRollout } from './views/show-rollout';

export const COMMANDS = {
  // base
  'ecsHandson.refresh': refresh,
  'ecsHandson.showLog': showLog,
  'ecsHandson.sandbox.restart': restartSandbox,
  'ecsHandson.sandbox.showInfo': showInfo,
  'ecsHandson.connection.switch': switchConnection,
  'ecsHandson.cli.showLast': showLastCli,
  // create, in the hands-on's order
  'ecsHandson.cluster.create': createClusterCommand,
  'ecsHandson.taskDefinition.register': registerTaskDefinitionCommand,
  'ecsHandson.taskDefinition.registerRevision': registerRevisionCommand,
  'ecsHandson.taskDefinition.changeImage': changeImageCommand,
  'ecsHandson.loadBalancer.create': createLoadBalancerCommand,
  'ecsHandson.service.create': createServiceCommand,
  // operate
  'ecsHandson.service.update': updateService,
  'ecsHandson.taskDefinition.deploy': deployRevision,
  'ecsHandson.service.scale': scaleService,
  'ecsHandson.service.forceNewDeployment': forceNewDeployment,
  'ecsHandson.service.delete': deleteService,
  'ecsHandson.task.stop': stopTask,
  'ecsHandson.task.open': openTask,
  'ecsHandson.loadBalancer.open': openLoadBalancer,
  'ecsHandson.targetGroup.configureHealthCheck': configureHealthCheck,
  'ecsHandson.taskDefinition.deregister': deregisterRevision,
  'ecsHandson.inspect': inspectResource,
  'ecsHandson.copyArn': copyArn,
  'ecsHandson.openConsole': openConsole,
  'ecsHandson.autoScaling.configureService': configureServiceAutoScaling,
  'ecsHandson.autoScaling.configureCluster': configureClusterAutoScaling,
  'ecsHandson.loadTest.run': runLoadTest,
  'ecsHandson.loadTest.stop': stopLoadTest,
  'ecsHandson.cleanup': cleanup,
  // task logs
  'ecsHandson.logs.show': showLogs,
  'ecsHandson.logs.filter': filterLogs,
  'ecsHandson.logs.jumpToTime': jumpToTime,
  'ecsHandson.logs.stopFollowing': stopFollowing,
  'ecsHandson.logs.resumeFollowing': resumeFollowing,
  'ecsHandson.logs.openConsole': openLogsConsole,
  // views
  'ecsHandson.loadMore': loadMore,
  'ecsHandson.rollout.show': showRollout,
  'ecsHandson.walkthrough.open': openWalkthrough,
  // internal hooks (tests, benchmarks)
  '_ecsHandson.explorer': explorerHook,
  '_ecsHandson.rollout.status': rolloutStatusHook,
  '_ecsHandson.walkthrough.panel': walkthroughPanelHook,
  '_ecsHandson.walkthrough.reset': walkthroughResetHook,
} satisfies { [K in CommandId]: CommandDef<K, unknown, unknown> };

export type CommandTable = typeof COMMANDS;

/** How a command was invoked, for the log: the row (kind and id), an argument object, or the palette. */
function invocationLabel(first: unknown, lost: boolean, host: boolean): string {
  if (lost) return 'from a row VS Code no longer knew';
  const inv = classifyInvocation(first);
  const from = inv.via === 'node' ? `from the row ${inv.node.kind} "${inv.node.label}"` : inv.via === 'args' ? 'with an argument object' : 'from the palette or a key';
  return host ? `${from} (walkthrough)` : from;
}

export function registerCommands(context: vscode.ExtensionContext, services: UiContext, parts: UiParts): void {
  for (const def of Object.values(COMMANDS) as Array<CommandDef<CommandId, unknown, unknown>>) {
    context.subscriptions.push(
      vscode.commands.registerCommand(def.id, async (...args: unknown[]) => {
        try {
          // A host's report comes as the second argument of the host's own calls.
          const report = args[1] instanceof HostReport ? args[1] : undefined;
          const lost = !report && isLostRow(args);
          // The log says what each command was given and how long it took (internal hooks excepted:
          // tests call them in loops), so "I clicked and nothing happened" can be told apart from "it was slow".
          if (def.id.startsWith('_')) return await invoke(def, services, parts, args[0], report, lost);
          const started = Date.now();
          services.log.info(`${def.id}: invoked ${invocationLabel(args[0], lost, !!report)}`);
          const result = await invoke(def, services, parts, args[0], report, lost);
          services.log.info(`${def.id}: ended in ${Date.now() - started} ms${isFailure(result) ? ` (${result.code})` : ''}`);
          return result;
        } catch (e) {
          // Commands show what went wrong themselves (keeping the user's input); this is the last net.
          services.log.error(`${def.id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          if (!(e instanceof AlreadyShownError)) void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
          return undefined;
        }
      }),
    );
  }
}
