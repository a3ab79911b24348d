/**
 * When the explorer reloads what: the core's `TreeRefreshPlanner` decides (expanded nodes only,
 * only while the view is visible, explicit requests debounced, backoff after throttling); this
 * class feeds it the view's events and runs one timer. What the view shows is reloaded in the
 * background (`RefreshTarget.reload`: only what changed reaches VS Code, so the rows keep their
 * handles); what it does not show is only marked to be loaded again when it is expanded.
 */
import * as vscode from 'vscode';
import { ROOT_KEY, TreeRefreshPlanner } from '../../core/poll';

export interface RefreshTarget {
  /** Loads these keys' children again in the background and shows what changed (ROOT_KEY: the top level). */
  reload(keys: readonly string[], opts?: { skipBusy?: boolean }): Promise<void>;
  /** Marks `key` to be loaded again when VS Code next asks for its children. */
  invalidate(key: string): void;
  /** Ancestors of `key`, nearest first (empty for top-level nodes). */
  ancestors(key: string): string[];
  /** Is `key` a loaded node? */
  has(key: string): boolean;
}

export interface RefreshSettings {
  /** Periodic refresh interval in ms, or undefined when auto-refresh is off. */
  intervalMs(): number | undefined;
  debounceMs?: number;
  now?: () => number;
}

export function readRefreshSettings(): number | undefined {
  const c = vscode.workspace.getConfiguration('ecsHandson');
  if (!c.get<boolean>('autoRefresh', true)) return undefined;
  const seconds = c.get<number>('autoRefreshSeconds', 5);
  return Math.max(2, Number.isFinite(seconds) ? seconds : 5) * 1000;
}

export class ExplorerRefresher implements vscode.Disposable {
  private readonly planner: TreeRefreshPlanner;
  private readonly expanded = new Set<string>([ROOT_KEY]);
  /** Keys asked for by `request` and not reloaded yet. */
  private readonly requested = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private visible = false;
  private readonly now: () => number;

  constructor(
    private readonly target: RefreshTarget,
    private readonly settings: RefreshSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.planner = new TreeRefreshPlanner({ debounceMs: settings.debounceMs ?? 300, intervalMs: () => settings.intervalMs() });
    this.planner.setVisible(false);
    // The first getChildren loads the top level: no periodic reload right after it.
    this.planner.recordRefreshed(ROOT_KEY, this.now());
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.planner.setVisible(visible);
    if (visible) this.schedule(this.now());
    else this.stop();
  }

  /** VS Code expanded (or asked for the children of) `key`. */
  setExpanded(key: string, expanded: boolean): void {
    if (key === ROOT_KEY) return;
    const was = this.expanded.has(key);
    if (expanded === was) return;
    if (expanded) {
      this.expanded.add(key);
      // Just loaded: next periodic refresh one interval from now.
      this.planner.recordRefreshed(key, this.now());
    } else {
      this.expanded.delete(key);
    }
    this.planner.setExpanded(key, expanded);
    if (expanded) this.schedule(this.now() + (this.settings.intervalMs() ?? 0));
  }

  /** The node is gone. */
  forget(key: string): void {
    if (key === ROOT_KEY) return;
    this.expanded.delete(key);
    this.requested.delete(key);
    this.planner.forget(key);
  }

  isExpanded(key: string): boolean {
    return this.expanded.has(key);
  }

  /**
   * Asks for a reload of `keys` (a command changed something): what the visible view shows is
   * reloaded in the background (debounced); the rest, and everything while the view is hidden, is
   * loaded again when next asked for (and reloaded in the background once the view is shown).
   */
  request(keys: readonly string[]): void {
    let any = false;
    for (const key of keys) {
      const shown = this.shown(key);
      // Not on screen (collapsed, or the view is hidden): loaded again when next asked for.
      if (!shown || !this.visible) this.target.invalidate(key);
      if (shown) {
        this.planner.request(key, this.now());
        this.requested.add(key);
        any = true;
      }
    }
    if (any) this.schedule(this.now() + (this.settings.debounceMs ?? 300));
  }

  /** Reloads `keys` now (what the visible view shows) or marks them to be loaded (the rest); resolves when done. */
  async refreshNow(keys: readonly string[]): Promise<void> {
    const now = this.now();
    const reload: string[] = [];
    for (const key of keys) {
      if (this.visible && this.shown(key)) {
        reload.push(key);
        this.planner.recordRefreshed(key, now);
      } else {
        this.target.invalidate(key);
      }
    }
    if (reload.length) await this.target.reload(reload);
  }

  /** A load was throttled: pause every refresh with backoff. */
  throttled(): void {
    this.planner.recordThrottled(this.now());
    this.stop();
    this.tick();
  }

  /** The settings changed. */
  reschedule(): void {
    this.stop();
    if (this.visible) this.schedule(this.now());
  }

  /** Shown = expanded and every ancestor expanded (a collapsed ancestor hides it). */
  private shown(key: string): boolean {
    if (key === ROOT_KEY) return true;
    return this.target.has(key) && this.expanded.has(key) && this.target.ancestors(key).every((a) => this.expanded.has(a));
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.now();
    const plan = this.planner.plan(now);
    let keys = plan.keys;
    // A periodic refresh reloads everything the view shows at once (one batch, one change event
    // per interval rather than one per node: each event that shows a parent again is a moment its
    // rows' handles are being fetched again).
    if (keys.some((k) => !this.requested.has(k))) keys = [...new Set([...keys, ...[...this.expanded].filter((k) => this.shown(k))])];
    const reload: string[] = [];
    for (const key of keys) {
      this.planner.recordRefreshed(key, now);
      this.requested.delete(key);
      if (this.shown(key)) reload.push(key);
      else this.target.invalidate(key);
    }
    if (reload.length) {
      // Rows still being reloaded by the last tick are left to it (a slow answer never queues up).
      this.target.reload(reload, { skipBusy: true }).catch((e: unknown) => this.onError?.(e));
    }
    const next = this.planner.plan(now).nextAt;
    if (next !== undefined) this.schedule(next);
  }

  /** Called when a background reload fails unexpectedly (the loads themselves show errors as rows). */
  onError?: (e: unknown) => void;

  private schedule(at: number): void {
    if (!this.visible) return;
    if (this.timer && this.timerAt <= at) return;
    this.stop();
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - this.now()));
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
  }
}
