/**
 * Rollout tracking: the status bar item, the polling follower and the rollout view, wired to the
 * connection. At activation only the (hidden) item is created; polling starts
 * with the first tracked rollout, and once per ready connection the follower looks for services
 * already mid-rollout.
 */
import * as vscode from 'vscode';
import { loadAws } from '../aws-loader';
import type { UiContext } from '../ui-context';
import type { RolloutControl } from '../commands/parts';
import { RolloutStatusBar } from './statusbar';
import { RolloutFollower } from './tracker';
import { RolloutViewPanel } from './view';

const STUCK_SETTING = 'rollout.stuckAfterSeconds';
const DEFAULT_STUCK_SECONDS = 180;

function stuckAfterMs(): number {
  const v = vscode.workspace.getConfiguration('ecsHandson').get<number>(STUCK_SETTING, DEFAULT_STUCK_SECONDS);
  return (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_STUCK_SECONDS) * 1000;
}

/** Wires the rollout tracking; returns what the commands `ecsHandson.rollout.show` and `_ecsHandson.rollout.status` drive. */
export function registerRollout(context: vscode.ExtensionContext, services: UiContext): RolloutControl {
  const follower = new RolloutFollower({
    ready: () => services.connections.state.status === 'ready',
    ecs: async () => (await services.connections.clients()).ecs,
    now: () => services.connections.now(),
    timeBase: () => services.connections.timeBase(),
    aws: () => loadAws(),
    stuckAfterMs,
    log: services.log,
    t: vscode.l10n.t,
  });
  const statusBar = new RolloutStatusBar(follower);
  const view = new RolloutViewPanel(services, follower, stuckAfterMs);
  services.setRolloutFollowing({
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
  );
  return {
    current: () => {
      const top = statusBar.current;
      return top ? { cluster: top.cluster, serviceName: top.serviceName, active: !!top.progress && top.progress.state !== 'completed' } : undefined;
    },
    discover,
    show: (cluster, serviceName) => view.show(cluster, serviceName),
    status: () => ({ ...statusBar.snapshot(), viewTitle: view.title, viewBody: view.body }),
  };
}
