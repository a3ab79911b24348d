/**
 * Rollout tracking: the status bar item, the polling follower and the rollout view, wired to the
 * connection. At activation only the (hidden) item and the commands are created; polling starts
 * with the first tracked rollout, and once per ready connection the follower looks for services
 * already mid-rollout.
 */
import * as vscode from 'vscode';
import { loadAws } from '../aws-loader';
import { AlreadyShownError, type Services } from '../services';
import { RolloutStatusBar, type RolloutStatusSnapshot } from './statusbar';
import { RolloutFollower } from './tracker';
import { RolloutViewPanel } from './view';
import { targetFromArg } from './target';

const STUCK_SETTING = 'rollout.stuckAfterSeconds';
const DEFAULT_STUCK_SECONDS = 180;

/** Internal command (not in package.json) that returns what the status bar item shows; for tests. */
export const STATUS_COMMAND = 'ecsHandson.rollout._status';

function stuckAfterMs(): number {
  const v = vscode.workspace.getConfiguration('ecsHandson').get<number>(STUCK_SETTING, DEFAULT_STUCK_SECONDS);
  return (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_STUCK_SECONDS) * 1000;
}

export function registerRollout(context: vscode.ExtensionContext, services: Services): void {
  const follower = new RolloutFollower({
    ready: () => services.connections.state.status === 'ready',
    ecs: async () => (await services.connections.clients()).ecs,
    now: () => services.connections.now(),
    aws: () => loadAws(),
    stuckAfterMs,
    log: services.log,
    t: vscode.l10n.t,
  });
  const statusBar = new RolloutStatusBar(follower);
  const view = new RolloutViewPanel(services, follower, stuckAfterMs);
  services.setRolloutTracking({
    track: (clusterArn, serviceName) => follower.track(clusterArn, serviceName),
    forget: (clusterArn, serviceName) => follower.forget(clusterArn, serviceName),
  });

  let discovered = false;
  const discover = async (): Promise<number> => {
    try {
      return await follower.discover();
    } catch (e) {
      services.log.warn(`rollout: could not look for rollouts in progress: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    }
  };

  context.subscriptions.push(
    follower,
    statusBar,
    view,
    services.connections.onDidChange((s) => {
      if (s.status === 'ready') {
        follower.resume();
        if (!discovered) {
          discovered = true;
          void discover();
        }
      } else if (s.status === 'idle') {
        // Another connection (or a reset): what was followed belongs to the old one.
        discovered = false;
        follower.clear();
      } else if (s.status === 'failed') {
        follower.pause();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`ecsHandson.${STUCK_SETTING}`)) follower.resetStuckThreshold();
    }),
    vscode.commands.registerCommand('ecsHandson.rollout.show', async (arg?: unknown) => {
      try {
        let target = targetFromArg(arg);
        if (!target) {
          target = statusBar.current;
          const p = statusBar.current?.progress;
          // Nothing running in the status bar: look for rollouts in progress first.
          if (!p || p.state === 'completed') {
            await services.clientsOrFail();
            await discover();
            target = statusBar.current ?? target;
          }
        }
        if (!target) {
          void vscode.window.showInformationMessage(vscode.l10n.t('No ECS rollout is in progress. Update a service or deploy a revision to start one.'));
          return;
        }
        await view.show(target.cluster, target.serviceName);
      } catch (e) {
        if (e instanceof AlreadyShownError) return;
        services.log.error(`ecsHandson.rollout.show: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Cannot show the rollout: {0}', e instanceof Error ? e.message : String(e)));
      }
    }),
    vscode.commands.registerCommand(STATUS_COMMAND, (): RolloutStatusSnapshot & { viewTitle?: string; viewBody?: string } => ({
      ...statusBar.snapshot(),
      viewTitle: view.title,
      viewBody: view.body,
    })),
  );
}
