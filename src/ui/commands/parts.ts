/**
 * The parts of the UI that some commands drive (the explorer, the rollout view, the walkthrough
 * panel). Each part is created by its own `register…` at activation and handed to the command table,
 * so every command id is registered in one place (src/ui/commands/index.ts).
 */
import type { StepId } from '../../core/walkthrough/step-ids';
import type { ExplorerApi } from '../explorer';
import type { LogsView } from '../logs/view';
import type { RolloutStatusSnapshot } from '../rollout/statusbar';
import type { WalkthroughPanel } from '../walkthrough/panel';

export interface RolloutControl {
  /** The rollout the status bar shows, if any; `active` while it is not completed. */
  current(): { cluster: string; serviceName: string; active: boolean } | undefined;
  /** Looks for services already mid-rollout (follows them); how many were found. */
  discover(): Promise<number>;
  /** Opens the rollout view of a service. */
  show(cluster: string, serviceName: string): Promise<void>;
  /** What the status bar item and the view show (for tests). */
  status(): RolloutStatusSnapshot & { viewTitle?: string; viewBody?: string };
}

export interface WalkthroughControl {
  open(step?: StepId): void;
  reset(): Promise<unknown>;
  /** The panel host (for tests and benchmarks). */
  panel(): WalkthroughPanel;
}

export interface UiParts {
  explorer: ExplorerApi;
  rollout: RolloutControl;
  walkthrough: WalkthroughControl;
  /** The task-logs editors (Show Logs). */
  logs: LogsView;
}
