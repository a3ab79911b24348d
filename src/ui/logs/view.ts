/**
 * The task-logs editor: each Show Logs opens a read-only document of its own scheme
 * (`ecs-handson-logs:`), served by a TextDocumentContentProvider from a capped line buffer.
 *
 * Why a content provider and not a LogOutputChannel: an output channel cannot be capped or cleared
 * of its oldest lines (a service that prints thousands of lines per second would grow it without
 * bound), adds its own timestamp and level to every line, cannot carry per-view title actions
 * (Filter…, Jump to Time…, Stop/Resume Following) or a filter that re-reads from the server, and
 * there is one panel for all of them. A virtual document is a normal editor: search (Ctrl+F),
 * copy, several side by side, "log" syntax colouring. Its cost is that every change re-reads the
 * whole text, so changes are batched (at most one every `LOGS_FLUSH_MS`) and the text is capped
 * (`LOGS_MAX_LINES`, src/aws/logs-follow.ts, with an "older lines dropped" marker): thousands of lines per second become two
 * re-reads of at most that many lines per second (bench/logs.bench.ts measures building that text).
 *
 * Following runs while the editor is visible and pauses while it is hidden (no polling for a tab in
 * the background); closing the document stops it for good.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../aws';
import type { FollowOptions, LogBuffer, LogFollower, LogLine, LogSource } from '../../aws/logs-follow';
import { loadAws } from '../aws-loader';
import { t } from '../l10n';
import type { UiContext } from '../ui-context';

export const LOGS_SCHEME = 'ecs-handson-logs';
/** The context key the title actions read: the active logs editor is following. */
const FOLLOWING_KEY = 'ecsHandson.logsFollowing';

export interface LogsSpec {
  /** The tab's name, e.g. "task 1eba2381". */
  name: string;
  /** What the header says is followed, e.g. "task 1eba2381 (cluster hands-on)". */
  what: string;
  clients: AwsClients;
  region?: string;
  sources: LogSource[];
  discover?: () => Promise<LogSource[]>;
  filterPattern?: string;
  startTime?: number;
}

/** What a session reports (commands return it; tests read it). */
export interface LogsState {
  uri: string;
  following: boolean;
  filterPattern?: string;
  startTime?: number;
  groups: string[];
  streams: string[];
  lines: number;
  dropped: number;
  error?: string;
}

class LogSession {
  readonly buffer: LogBuffer;
  follower!: LogFollower;
  /** Stopped by the user (Stop Following): a hidden/visible change does not resume it. */
  userStopped = false;
  error: string | undefined;
  /** The document's line count when it was last revealed (a shorter text: the editor is scrolled past its end). */
  shownLines = 0;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(readonly uri: vscode.Uri, readonly spec: LogsSpec, private readonly view: LogsView) {
    this.buffer = new (loadAws().LogBuffer)(loadAws().LOGS_MAX_LINES);
    this.follower = this.makeFollower(spec.sources);
  }

  private makeFollower(sources: LogSource[]): LogFollower {
    const aws = loadAws();
    const options: FollowOptions = {
      ...(this.spec.filterPattern !== undefined ? { filterPattern: this.spec.filterPattern } : {}),
      ...(this.spec.startTime !== undefined ? { startTime: this.spec.startTime } : {}),
      ...(this.spec.discover ? { discover: this.spec.discover } : {}),
    };
    const api = aws.logsApi(this.spec.clients.logsIn(this.spec.region));
    return new aws.LogFollower(api, sources, (lines) => this.append(lines), (e) => this.failed(e), options);
  }

  private append(lines: LogLine[]): void {
    this.buffer.push(lines.map(loadAws().formatLine));
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.view.changed(this);
    }, loadAws().LOGS_FLUSH_MS);
  }

  private failed(e: unknown): void {
    this.error = this.view.services.connections.mapError(e, t).message;
    this.view.changed(this);
    void this.view.services.showError(e, t('Show Logs'));
  }

  /** Filter or start time changed: read again from the server with the new settings. */
  restart(change: { filterPattern?: string | undefined; startTime?: number | undefined }): void {
    const wasFollowing = this.follower.following || !this.userStopped;
    const sources = this.follower.sources;
    this.follower.stop();
    Object.assign(this.spec, change);
    this.buffer.clear();
    this.error = undefined;
    this.follower = this.makeFollower(sources);
    if (wasFollowing && this.view.isVisible(this)) this.follower.start();
    this.view.changed(this);
  }

  state(): LogsState {
    const sources = this.follower.sources;
    return {
      uri: this.uri.toString(),
      following: this.follower.following,
      ...(this.spec.filterPattern !== undefined ? { filterPattern: this.spec.filterPattern } : {}),
      ...(this.spec.startTime !== undefined ? { startTime: this.spec.startTime } : {}),
      groups: [...new Set(sources.map((s) => s.group))],
      streams: sources.map((s) => s.stream),
      lines: this.buffer.size,
      dropped: this.buffer.dropped,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  header(): string {
    const s = this.state();
    const parts = [
      t('Logs of {0}', this.spec.what),
      s.groups.length ? t('log group {0}', s.groups.join(', ')) : t('no log stream yet'),
      s.error ? t('stopped: {0}', s.error) : s.following ? t('following') : this.userStopped ? t('not following') : t('paused while hidden'),
    ];
    if (s.filterPattern) parts.push(t('filter: {0}', s.filterPattern));
    if (s.startTime !== undefined) parts.push(t('from {0}', new Date(s.startTime).toISOString()));
    return `# ${parts.join(' · ')}`;
  }

  text(): string {
    const body = this.buffer.text(t);
    return `${this.header()}\n${body || t('(no log lines yet)')}\n`;
  }

  dispose(): void {
    this.follower.stop();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }
}

export class LogsView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly sessions = new Map<string, LogSession>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private counter = 0;

  constructor(readonly services: UiContext) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.visibilityChanged()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.closed(doc.uri)),
      this.emitter,
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.sessions.get(uri.toString())?.text() ?? t('Those logs are closed. Run Show Logs again.');
  }

  /** Opens a logs editor and starts following. */
  async open(spec: LogsSpec): Promise<LogsState> {
    const uri = vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/${spec.name.replace(/[\\/:*?"<>|]/g, '-')}.log`, query: `n=${++this.counter}` });
    const session = new LogSession(uri, spec, this);
    this.sessions.set(uri.toString(), session);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'log').then(undefined, () => undefined);
    // Not over a webview panel (the walkthrough's "Show the service's logs", the rollout view): below
    // it in a group of its own, so that the panel keeps its width (beside it, a narrow walkthrough
    // panel lays its step list over its content); in the other group when there is one already.
    const overPanel = vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview;
    if (overPanel && vscode.window.tabGroups.all.length === 1) await vscode.commands.executeCommand('workbench.action.newGroupBelow');
    const column = !overPanel ? undefined : vscode.window.tabGroups.all.length > 1 && vscode.window.tabGroups.activeTabGroup.tabs.length === 0 ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside;
    await vscode.window.showTextDocument(doc, { preview: false, ...(column ? { viewColumn: column } : {}) });
    session.follower.start();
    this.changed(session);
    return session.state();
  }

  isVisible(session: LogSession): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === session.uri.toString());
  }

  /** The session of `uri`, else of the active editor. */
  session(uri?: string): LogSession | undefined {
    const key = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (key) return this.sessions.get(key);
    return undefined;
  }

  /** Every open session (most recent last). */
  all(): LogSession[] {
    return [...this.sessions.values()];
  }

  /** Shows the new text; a visible, following editor scrolls to its last line. */
  changed(session: LogSession): void {
    this.emitter.fire(session.uri);
    this.updateContext();
    if (!session.follower.following) return;
    // After VS Code has read the new text.
    setTimeout(() => {
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document.uri.toString() !== session.uri.toString()) continue;
        const last = editor.document.lineCount - 1;
        // The text got shorter (Filter…, Jump to Time… read it again): the editor may still be
        // scrolled to where the longer text ended, its first lines out of view above the (only
        // visible) last line. Scroll to the top first; the last line is then revealed from there.
        if (last < session.shownLines) editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
        editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
        session.shownLines = last;
      }
    }, 50);
  }

  setFollowing(session: LogSession, on: boolean): void {
    session.userStopped = !on;
    if (on) {
      session.error = undefined;
      session.follower.start();
    } else {
      session.follower.stop();
    }
    this.changed(session);
  }

  private visibilityChanged(): void {
    for (const s of this.sessions.values()) {
      if (s.userStopped || s.error) continue;
      const visible = this.isVisible(s);
      if (visible && !s.follower.following) {
        s.follower.start();
        this.changed(s);
      } else if (!visible && s.follower.following) {
        s.follower.stop();
        this.changed(s);
      }
    }
  }

  private updateContext(): void {
    const s = this.session();
    void vscode.commands.executeCommand('setContext', FOLLOWING_KEY, !!s && !s.userStopped && !s.error);
  }

  private closed(uri: vscode.Uri): void {
    if (uri.scheme !== LOGS_SCHEME) return;
    this.sessions.get(uri.toString())?.dispose();
    this.sessions.delete(uri.toString());
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }
}

export type { LogSession };
