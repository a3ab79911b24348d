/**
 * When the explorer reloads what: the core's `TreeRefreshPlanner` decides (expanded nodes only,
 * only while the view is visible, explicit requests debounced, backoff after throttling); this
 * class feeds it the view's events and runs one timer.
 */
import * as vscode from 'vscode';
import { ROOT_KEY, TreeRefreshPlanner } from '../../core/poll';

export interface RefreshTarget {
  /** Reload `key`'s children (ROOT_KEY: the top level). */
  fire(key: string): void;
  /** Mark `key` to be loaded again without showing it yet. */
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
    this.planner.forget(key);
  }

  isExpanded(key: string): boolean {
    return this.expanded.has(key);
  }

  /** Asks for a reload of `key` (debounced; waits while the view is hidden). */
  request(key: string): void {
    this.planner.request(key, this.now());
    this.schedule(this.now() + (this.settings.debounceMs ?? 300));
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
    const fired: string[] = [];
    const depth = (k: string) => (k === ROOT_KEY ? -1 : this.target.ancestors(k).length);
    for (const key of [...plan.keys].sort((a, b) => depth(a) - depth(b))) {
      this.planner.recordRefreshed(key, now);
      if (!this.shown(key)) continue;
      // A parent that reloads asks VS Code for its expanded children again: they come from the cache.
      if (fired.some((f) => f === ROOT_KEY || this.target.ancestors(key).includes(f))) {
        this.target.invalidate(key);
        continue;
      }
      this.target.invalidate(key);
      fired.push(key);
    }
    for (const key of fired) this.target.fire(key);
    const next = this.planner.plan(now).nextAt;
    if (next !== undefined) this.schedule(next);
  }

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
