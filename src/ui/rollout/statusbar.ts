/**
 * The rollout status bar item (`ecsHandson.rollout`): hidden until a rollout is followed; then the
 * most relevant rollout (failed > stuck > in progress > completed, newest first) plus "+N", with a
 * Markdown tooltip of its deployments and the event that explains a problem. Click → the rollout view.
 */
import * as vscode from 'vscode';
import { accessibilityLabel, byRelevance, statusText, tooltipMarkdown } from './present';
import type { FollowedRollout, RolloutFollower } from './tracker';

/** What the item currently shows (read by the extension-host tests). */
export interface RolloutStatusSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  accessibilityLabel: string;
  /** Theme color id of the background, if any. */
  background?: string;
  command?: string;
  /** Every rollout followed ("cluster|service"), the one shown and the "+N" others. */
  followed: string[];
}

/** Elapsed time of an active rollout, ticking between polls on the service's clock. */
function elapsedOf(r: FollowedRollout): number | undefined {
  const p = r.progress;
  if (!p || (p.state !== 'in-progress' && p.state !== 'stuck') || !r.clock || r.polledAt === undefined) return p?.elapsedMs;
  return p.elapsedMs + Math.max(0, r.clock() - r.polledAt);
}

export class RolloutStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private ticker: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly subscription: { dispose(): void };

  constructor(private readonly follower: RolloutFollower) {
    this.item = vscode.window.createStatusBarItem('ecsHandson.rollout', vscode.StatusBarAlignment.Left, 19);
    this.item.name = vscode.l10n.t('ECS Rollout');
    this.item.command = 'ecsHandson.rollout.show';
    this.subscription = follower.onDidChange(() => this.render());
  }

  /** The rollout the item shows, if any. */
  get current(): FollowedRollout | undefined {
    return byRelevance(this.follower.rollouts)[0];
  }

  render(): void {
    const all = byRelevance(this.follower.rollouts);
    const top = all[0];
    if (!top) {
      this.item.hide();
      this.visible = false;
      this.stopTicker();
      return;
    }
    const more = all.length - 1;
    const elapsed = elapsedOf(top);
    this.item.text = statusText(top, more, vscode.l10n.t, elapsed);
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(all, vscode.l10n.t, elapsed), true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: accessibilityLabel(top, more, vscode.l10n.t, elapsed) };
    const state = top.progress?.state;
    this.item.backgroundColor =
      state === 'failed' && !top.seen ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : state === 'stuck' ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.show();
    this.visible = true;
    // Tick the elapsed time once a second while the rollout runs (no AWS call: the service clock).
    if (state === 'in-progress' || state === 'stuck') this.startTicker();
    else this.stopTicker();
  }

  private startTicker(): void {
    this.ticker ??= setInterval(() => this.render(), 1000);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  snapshot(): RolloutStatusSnapshot {
    const tooltip = this.item.tooltip;
    const bg = this.item.backgroundColor;
    return {
      visible: this.visible,
      text: this.visible ? this.item.text : '',
      tooltip: !this.visible ? '' : typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      accessibilityLabel: this.visible ? (this.item.accessibilityInformation?.label ?? '') : '',
      background: bg?.id,
      command: typeof this.item.command === 'string' ? this.item.command : this.item.command?.command,
      followed: this.follower.rollouts.map((r) => r.key),
    };
  }

  dispose(): void {
    this.stopTicker();
    this.subscription.dispose();
    this.item.dispose();
  }
}
