/**
 * The one webview host of the extension (the walkthrough and the rollout view are built on it):
 * one WebviewPanel at a time, created or adopted from the serializer after a reload; locked down
 * (scripts on, command URIs and forms off, only dist/webview and media loadable, a page with a
 * strict CSP and a fresh nonce); the `ready` handshake of src/core/webview-protocol.ts (messages
 * are posted only to a webview that listens, and `onReady` runs again whenever its document was
 * re-created); every message validated before anything runs, each request answered by a reply.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { pageDocument } from '../../core/html';
import { requestIdOf, type MessageOf, type Parsed, type Reply, type RequestMapOf, type RequestOf } from '../../core/webview-protocol';

export interface WebviewPage {
  /** The page's title (also read by screen readers). */
  title: string;
  /** Module scripts under dist/webview, e.g. `rollout.js`. */
  scripts: string[];
  /** Stylesheets under dist/webview. */
  styles: string[];
  /** What shows until the script has rendered (plain HTML, already escaped). */
  placeholder?: string;
  /** ARIA role of the root element `#app` (e.g. `application` for a page of controls; none for a document). */
  role?: string;
}

/** The page of `page`: src/core/html.ts `pageDocument` with the dist/webview assets as webview URIs. */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string, page: WebviewPage): string {
  const asset = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', p)).toString();
  return pageDocument({
    ...page,
    cspSource: webview.cspSource,
    nonce,
    lang: /^ja\b/i.test(vscode.env.language) ? 'ja' : 'en',
    styles: page.styles.map(asset),
    scripts: page.scripts.map(asset),
  });
}

export interface WebviewHostOptions<R extends RequestMapOf> {
  viewType: string;
  extensionUri: vscode.Uri;
  page: () => WebviewPage;
  /** Checks a message from the webview (src/core/webview-protocol.ts `parseEnvelope`). */
  parse: (raw: unknown) => Parsed<MessageOf<R>>;
  log: vscode.LogOutputChannel;
}

/**
 * Subclasses answer requests (`onRequest`), push their state on `onReady`, and post with `post`.
 * `H` is what the host sends; `R` the webview's request map.
 */
export abstract class WebviewHost<H, R extends RequestMapOf> implements vscode.Disposable {
  protected panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly panelDisposables: vscode.Disposable[] = [];
  /** Messages posted to the webview, newest last (kept for tests). */
  readonly posted: (H | Reply)[] = [];

  constructor(protected readonly opts: WebviewHostOptions<R>) {}

  get isOpen(): boolean {
    return !!this.panel;
  }

  /** True once the webview's document listens (until it is re-created or closed). */
  protected get isReady(): boolean {
    return !!this.panel && this.ready;
  }

  /** Opens the panel (or reveals it); true when it was created now. */
  protected openPanel(title: string): boolean {
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal();
      return false;
    }
    this.attach(vscode.window.createWebviewPanel(this.opts.viewType, title, vscode.ViewColumn.Active, this.panelOptions()));
    return true;
  }

  /** Adopts a panel restored by the serializer after a reload. */
  protected adoptPanel(panel: vscode.WebviewPanel): void {
    if (this.panel && this.panel !== panel) this.panel.dispose();
    panel.webview.options = this.panelOptions();
    this.attach(panel);
  }

  private panelOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const ext = this.opts.extensionUri;
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(ext, 'dist', 'webview'), vscode.Uri.joinPath(ext, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.opts.extensionUri, 'media', 'ecs.svg');
    panel.webview.html = pageHtml(panel.webview, this.opts.extensionUri, randomBytes(16).toString('base64'), this.opts.page());
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m) => void this.handleMessage(m)),
      panel.onDidChangeViewState(() => this.onVisibilityChange(panel.visible)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        vscode.Disposable.from(...this.panelDisposables.splice(0)).dispose();
        this.onClosed();
      }),
    );
    this.onAttached(panel);
  }

  /** Handles one message from the webview (public for tests). Refused messages are logged and dropped (a request is answered with the reason). */
  async handleMessage(raw: unknown): Promise<void> {
    const parsed = this.opts.parse(raw);
    if (!parsed.ok) {
      this.opts.log.warn(`${this.opts.viewType}: rejected a message from the webview: ${parsed.error}`);
      const id = requestIdOf(raw);
      if (id !== undefined) this.send({ kind: 'reply', id, ok: false, error: parsed.error });
      return;
    }
    const m = parsed.value;
    if (m.kind === 'ready') {
      this.ready = true;
      this.onReady();
      return;
    }
    try {
      const result = await this.onRequest(m);
      this.send({ kind: 'reply', id: m.id, ok: true, result });
    } catch (e) {
      this.send({ kind: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Disposed when the panel closes. */
  protected disposeWithPanel(...ds: vscode.Disposable[]): void {
    this.panelDisposables.push(...ds);
  }

  /** Posts to the webview once it listens (recorded either way). */
  protected post(m: H): void {
    this.send(m);
  }

  private send(m: H | Reply): void {
    this.posted.push(m);
    if (this.posted.length > 200) this.posted.splice(0, this.posted.length - 200);
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  /** A panel was created or adopted (subscribe to what it shows). */
  protected onAttached(_panel: vscode.WebviewPanel): void {}
  /** The webview listens: push everything it shows. */
  protected abstract onReady(): void;
  protected abstract onRequest(m: RequestOf<R>): Promise<unknown>;
  protected onVisibilityChange(_visible: boolean): void {}
  protected onClosed(): void {}

  dispose(): void {
    this.panel?.dispose();
    vscode.Disposable.from(...this.panelDisposables.splice(0)).dispose();
  }
}
