/**
 * Real VS Code (code-server 4.99.4 = VS Code 1.99.3) in headless Chromium, driven by playwright-core.
 * Shared by the extension-host test launcher (test/vscode/run-code-server.ts), the browser
 * end-to-end tests (test/e2e/*.e2e.ts) and `npm start` (scripts/start.sh).
 *
 * Install the prerequisites with `bash scripts/install-code-server.sh` (into .cache/code-server).
 * Nothing here skips: a missing code-server or Chromium is an error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../..');
export * from './context-menu';
export const codeServerDir = process.env.ECS_HANDSON_CODE_SERVER_DIR ?? path.join(repoRoot, '.cache/code-server');
export const codeServerBin = path.join(codeServerDir, 'node_modules/.bin/code-server');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'test/e2e/screenshots');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Throws (never skips) when code-server or Chromium is missing. */
export function checkPrerequisites(): void {
  const missing: string[] = [];
  if (!fs.existsSync(codeServerBin)) missing.push(`code-server (${codeServerBin})`);
  if (!fs.existsSync(chromiumPath)) missing.push(`Chromium (${chromiumPath})`);
  if (missing.length) {
    throw new Error(`missing ${missing.join(' and ')}: run \`bash scripts/install-code-server.sh\` (or \`npm run setup\`)`);
  }
}

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix = 'ecs-handson-vscode-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Process groups we started, killed on any exit so no code-server outlives its test.
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export interface CodeServerOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Defaults to a fresh temp dir (removed by stop() unless keepDirs). */
  userDataDir?: string;
  extensionsDir?: string;
  /** VS Code display language, e.g. 'ja' (code-server's --locale). */
  locale?: string;
  /** Written to <userDataDir>/User/settings.json (merged over the test defaults). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so for its extension host). */
  env?: NodeJS.ProcessEnv;
  /** Every line code-server prints. */
  onOutput?: (line: string) => void;
  keepDirs?: boolean;
  /**
   * For a non-English locale, drop a stub language pack into the extensions dir (default true).
   * code-server only switches the display language (vscode.env.language, package.nls.<lang>.json,
   * l10n bundles) when a language pack for it is installed; the real packs come from the
   * Marketplace/Open VSX, which these machines cannot reach. The stub has no core translations,
   * so VS Code's own UI stays English while extensions see the locale.
   */
  languagePackStub?: boolean;
  /** ms to wait for "HTTP server listening on". */
  startTimeout?: number;
}

export const defaultSettings: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  // Tests start as a returning user; the first-screen test (rightclick.e2e.ts) turns it on.
  'ecsHandson.openHandsOnOnFirstStart': false,
};

export interface CodeServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly configFile: string;
  readonly process: ChildProcess;
  /** Everything code-server printed so far. */
  output(): string;
  /** The workbench URL for a folder, with an optional development-extension / test payload. */
  workbenchUrl(opts?: WorkbenchUrlOptions): string;
  /** `code-server --install-extension VSIX` into this server's extensions dir. */
  installExtension(vsix: string): Promise<void>;
  /** Stops the whole process group (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface WorkbenchUrlOptions {
  folder?: string;
  /** Absolute path of an extension to load as a development extension. */
  extensionDevelopmentPath?: string;
  /** Absolute path of an extension-host test module exporting run(). */
  extensionTestsPath?: string;
}

function writeSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    /* none yet */
  }
  fs.writeFileSync(file, JSON.stringify({ ...existing, ...settings }, null, 2));
}

function codeServerArgs(s: { port: number; userDataDir: string; extensionsDir: string; configFile: string; locale?: string }): string[] {
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${s.port}`,
    '--user-data-dir', s.userDataDir,
    '--extensions-dir', s.extensionsDir,
    '--config', s.configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  if (s.locale) args.push('--locale', s.locale);
  return args;
}

/** A minimal language-pack extension for `locale` (see CodeServerOptions.languagePackStub). */
export function writeLanguagePackStub(extensionsDir: string, userDataDir: string, locale: string): string {
  const id = locale.toLowerCase();
  const dir = path.join(extensionsDir, `ecs-handson-test.language-pack-stub-${id}-1.0.0`);
  fs.mkdirSync(path.join(dir, 'translations'), { recursive: true });
  const manifest = {
    name: `language-pack-stub-${id}`,
    displayName: `Language pack stub (${locale}) for tests`,
    publisher: 'ecs-handson-test',
    version: '1.0.0',
    engines: { vscode: '^1.99.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        { languageId: id, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] },
      ],
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const translations = path.join(dir, 'translations/main.i18n.json');
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  // What VS Code's language-pack service writes when a pack is installed through the gallery;
  // the server reads it to resolve --locale.
  const packs = {
    [id]: {
      hash: `stub${id.replace(/\W/g, '')}`,
      extensions: [{ extensionIdentifier: { id: `ecs-handson-test.${manifest.name}` }, version: '1.0.0' }],
      translations: { vscode: translations },
      label: locale,
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs, null, 2));
  return dir;
}

/** Runs code-server once with extra arguments (e.g. --install-extension) and resolves on exit 0. */
function runCodeServerCli(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(codeServerBin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  checkPrerequisites();
  const scratch = makeTempDir('ecs-handson-code-server-');
  const userDataDir = opts.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(scratch, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir, { ...defaultSettings, ...opts.settings });
  if (opts.locale && !opts.locale.toLowerCase().startsWith('en') && opts.languagePackStub !== false) {
    writeLanguagePackStub(extensionsDir, userDataDir, opts.locale);
  }
  const port = opts.port ?? (await freePort());
  // Our own config file, so code-server never writes ~/.config/code-server/config.yaml.
  const configFile = path.join(scratch, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const dirs = { port, userDataDir, extensionsDir, configFile, locale: opts.locale };

  const child = spawn(codeServerBin, codeServerArgs(dirs), {
    detached: true, // own process group: stop() kills code-server and everything it forked
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  liveGroups.add(child.pid!);
  let output = '';
  let pending = '';
  const onData = (d: Buffer): void => {
    const text = d.toString();
    output += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) opts.onOutput?.(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          /* gone */
        }
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
        if ((await Promise.race([exited, timer])) === 'timeout') {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
          await exited;
        }
      }
      // Forked children (extension host, pty host) may outlive the leader for a moment.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* group empty */
      }
      liveGroups.delete(child.pid!);
      if (!opts.keepDirs) fs.rmSync(scratch, { recursive: true, force: true });
    })());

  const timeout = opts.startTimeout ?? 30_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${timeout} ms:\n${output}`)), timeout);
    const check = (): void => {
      if (output.includes('HTTP server listening on')) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    check();
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${output}`));
    });
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  return {
    port,
    baseUrl,
    userDataDir,
    extensionsDir,
    configFile,
    process: child,
    output: () => output,
    workbenchUrl(u: WorkbenchUrlOptions = {}): string {
      const payload: [string, string][] = [['skipWelcome', 'true']];
      if (u.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(u.extensionDevelopmentPath)]);
      if (u.extensionTestsPath) payload.push(['extensionTestsPath', remote(u.extensionTestsPath)]);
      const q = [];
      if (u.folder) q.push(`folder=${encodeURIComponent(path.resolve(u.folder))}`);
      q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return `${baseUrl}/?${q.join('&')}`;
    },
    async installExtension(vsix: string): Promise<void> {
      await installExtension(vsix, { userDataDir, extensionsDir, configFile });
    },
    stop,
  };
}

/** `code-server --install-extension` (works with or without a running server). */
export async function installExtension(
  vsix: string,
  dirs: { userDataDir: string; extensionsDir: string; configFile?: string },
): Promise<string> {
  checkPrerequisites();
  const args = ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
  if (dirs.configFile) args.push('--config', dirs.configFile);
  else args.push('--config', path.join(dirs.userDataDir, 'code-server.yaml'));
  return runCodeServerCli([...args, '--install-extension', vsix, '--force']);
}

/**
 * `vsce package --no-dependencies` into outDir, as a release would (needs `npm run build` first).
 * Flags instead of manifest edits: the manifest has no repository field yet. Without one, vsce
 * refuses a README with a relative link or image (docs/images/…) unless it leaves them as they are
 * (--no-rewrite-relative-links).
 */
export async function packageExtension(outDir: string): Promise<string> {
  // npm test packages once before the suites (scripts/test.sh): `vsce package` runs
  // vscode:prepublish (type check + production build), and rewriting dist/ while other suites
  // read it would be a race.
  const prebuilt = process.env.ECS_HANDSON_E2E_VSIX;
  if (prebuilt) {
    if (!fs.existsSync(prebuilt)) throw new Error(`ECS_HANDSON_E2E_VSIX=${prebuilt} does not exist`);
    return prebuilt;
  }
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'ecs-handson.vsix');
  const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vsce package exited ${code}:\n${text}`))));
  });
  return out;
}

export async function launchBrowser(): Promise<Browser> {
  checkPrerequisites();
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface WorkbenchPageOptions {
  /** Workbench log lines (codeAutomationLog). */
  onLog?: (level: string, message: string) => void;
  /** Browser console messages, and uncaught page errors as type 'pageerror'. */
  onConsole?: (type: string, text: string) => void;
  /** Called when an extension-host test run ends (codeAutomationExit). */
  onExit?: (code: number) => void;
  locale?: string;
}

/** A new page with the automation hooks registered (they must exist before the workbench loads). */
export async function newWorkbenchPage(browser: Browser, opts: WorkbenchPageOptions = {}): Promise<Page> {
  // Reduced motion (the OS setting the workbench follows by default): the same screens without
  // animations, which kept headless Chromium busy (an idle workbench with the ECS view and the
  // walkthrough open: 4 CPU-s per 20 s, 2 with reduced motion); npm test runs several at once.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: opts.locale ?? 'en-US', reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.exposeFunction('codeAutomationExit', (code: number) => opts.onExit?.(Number(code)));
  await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
    const message = Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : String(args);
    opts.onLog?.(String(level), message);
  });
  if (opts.onConsole) {
    page.on('console', (m) => opts.onConsole!(m.type(), m.text()));
    page.on('pageerror', (e) => opts.onConsole!('pageerror', e.stack ?? e.message));
  }
  return page;
}

export interface WorkbenchSession {
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** The folder the workbench has open (a fresh temp dir unless given). */
  workspace: string;
  /** Closes the page (and the browser when the session launched it), stops code-server, removes temp dirs. */
  close(): Promise<void>;
}

/**
 * code-server + Chromium + a workbench page with the extension loaded, in one call:
 * from `vsix` (installed into a fresh profile, as a user would) or, without it, from this
 * checkout as a development extension (needs `npm run build`). Pass `browser` to share one
 * Chromium between tests (faster); otherwise the session launches and closes its own.
 */
export async function openSession(
  opts: { vsix?: string; locale?: string; settings?: Record<string, unknown>; folder?: string; browser?: Browser } & WorkbenchPageOptions = {},
): Promise<WorkbenchSession> {
  const scratch = makeTempDir('ecs-handson-session-');
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  const workspace = opts.folder ?? path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const close = async (): Promise<void> => {
    await page?.context().close().catch(() => undefined);
    if (browser && browser !== opts.browser) await browser.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    if (opts.vsix) await installExtension(opts.vsix, { userDataDir, extensionsDir });
    server = await startCodeServer({ userDataDir, extensionsDir, locale: opts.locale, settings: opts.settings });
    browser = opts.browser ?? (await launchBrowser());
    page = await newWorkbenchPage(browser, { ...opts, locale: opts.locale === 'ja' ? 'ja-JP' : undefined });
    await openWorkbench(page, server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: opts.vsix ? undefined : repoRoot }));
    return { server, browser, page, workspace, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---- page helpers (selectors verified on VS Code 1.99) ----

export async function waitForWorkbench(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  // The activity bar and status bar exist once the workbench has restored its parts.
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout });
}

export async function openWorkbench(page: Page, url: string, timeout = 30_000): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
  await waitForWorkbench(page, timeout);
}

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/**
 * Opens the command palette and waits until `title` is listed; resolves to its row. The palette
 * lists the commands known when it opens, and extensions register theirs a few seconds after the
 * workbench appears, so it reopens the palette until the command shows up.
 */
export async function findCommand(page: Page, title: string, timeout = 30_000): Promise<Locator> {
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeout;
  for (let attempt = 0; ; attempt++) {
    if (!(await input.isVisible())) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    }
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(2000 + attempt * 1000, Math.max(1, deadline - Date.now())) });
      return row;
    } catch (e) {
      if (Date.now() >= deadline) throw new Error(`command "${title}" not in the command palette after ${timeout} ms: ${(e as Error).message}`, { cause: e });
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    }
  }
}

/**
 * Starts a command that asks for input (a quick pick) by its palette title: the palette's widget is
 * reused for the question at once, so there is no moment where it is hidden to wait for.
 */
export async function startCommand(page: Page, title: string, timeout = 30_000): Promise<void> {
  await (await findCommand(page, title, timeout)).click();
}

/** Runs a command by its palette title (category prefix optional), like a user: F1, type, Enter. */
export async function runCommand(page: Page, title: string, timeout = 30_000): Promise<void> {
  const row = await findCommand(page, title, timeout);
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

/**
 * Picks a colour theme through "Preferences: Color Theme", as a user does (`label` as the picker
 * lists it, e.g. "Light Modern", "Dark High Contrast"), and waits for the workbench to repaint in
 * its kind (`vs`, `vs-dark`, `hc-black`, `hc-light`).
 */
export async function pickColorTheme(page: Page, label: string, kind: 'vs' | 'vs-dark' | 'hc-black' | 'hc-light'): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  // Right after start-up the built-in themes may not be registered yet: the picker then lists only
  // "Browse Additional Color Themes…" and does not update, so it is opened again.
  for (let attempt = 0; ; attempt++) {
    await (await findCommand(page, 'Preferences: Color Theme')).click();
    const listed = await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (listed) break;
    if (attempt >= 6) throw new Error('"Preferences: Color Theme" lists no built-in theme');
    await page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 20_000 });
}

export async function closeQuickInput(page: Page): Promise<void> {
  if (await page.locator('.quick-input-widget input.input').isVisible()) await page.keyboard.press('Escape');
}

export function notification(page: Page, text?: string | RegExp): Locator {
  return page.locator('.notification-toast', text === undefined ? {} : { hasText: text });
}

/** The workbench's theme kind (vs / vs-dark); toggles light/dark when the setting did not apply. */
export async function ensureTheme(page: Page, kind: 'vs' | 'vs-dark'): Promise<void> {
  const is = async () => page.locator(`.monaco-workbench.${kind}`).count();
  for (let i = 0; i < 20 && !(await is()); i++) await new Promise((r) => setTimeout(r, 250));
  if (!(await is())) await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 10_000 });
}

export async function waitForNotification(page: Page, text: string | RegExp, timeout = 20_000): Promise<Locator> {
  const toast = notification(page, text).first();
  await toast.waitFor({ state: 'visible', timeout });
  // Toasts fade in; screenshots taken before this class is set show them half transparent.
  await page.locator('.notification-toast.notification-fade-in-done', { hasText: text }).first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
  return toast;
}

export async function clearNotifications(page: Page): Promise<void> {
  // A toast shows its clear button on hover; a short timeout so a toast that fades out meanwhile
  // does not hold the caller for playwright's default 30 s.
  for (const toast of await page.locator('.notification-toast').all()) {
    await toast.hover({ timeout: 1000 }).catch(() => undefined);
    await toast.locator('.codicon-notifications-clear').click({ timeout: 1000 }).catch(() => undefined);
  }
}

export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.statusbar-item', { hasText: text });
}

/** The activity-bar entry of a view container, by the start of its title. */
export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.part.activitybar [aria-label^="${title.replace(/"/g, '\\"')}"]`).first();
}

export function sideBar(page: Page): Locator {
  return page.locator('[id="workbench.parts.sidebar"]');
}

export function treeRows(page: Page): Locator {
  return sideBar(page).locator('.monaco-list-row');
}

export function treeRow(page: Page, label: string | RegExp): Locator {
  return treeRows(page).filter({ hasText: label }).first();
}

/** The content frame of the active webview panel. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Saves test/e2e/screenshots/<name>.png (git-ignored; CI keeps them as artifacts). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

// ---- a tiny test runner for the e2e files: sequential, prints a summary, sets the exit code ----

export interface E2eTest {
  name: string;
  fn: () => Promise<void>;
}

export async function runE2e(title: string, tests: E2eTest[], opts: { timeout?: number } = {}): Promise<void> {
  const started = Date.now();
  const grep = process.env.ECS_HANDSON_E2E_GREP;
  const selected = grep ? tests.filter((t) => t.name.includes(grep)) : tests;
  let passed = 0;
  const failures: { name: string; error: unknown }[] = [];
  log(`\n  ${title}`);
  for (const t of selected) {
    const t0 = Date.now();
    const timeout = opts.timeout ?? 90_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        t.fn(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout))),
      ]);
      passed++;
      log(`    ✔ ${t.name} (${Date.now() - t0} ms)`);
    } catch (error) {
      failures.push({ name: t.name, error });
      log(`    ✘ ${t.name} (${Date.now() - t0} ms)`);
    } finally {
      clearTimeout(timer);
    }
  }
  failures.forEach((f, i) => {
    const e = f.error;
    log(`\n  ${i + 1}) ${f.name}:\n     ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  log(`\n  ${title}: ${passed} passing, ${failures.length} failing (${secs} s)`);
  if (selected.length === 0) {
    log(`  no e2e test matched ${JSON.stringify(grep)}`);
    process.exitCode = 1;
  }
  if (failures.length) process.exitCode = 1;
}

/** Runs an e2e script's main(): exit code 0 when every test passed, 1 on a failure or an error. */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e: unknown) => {
      log(`e2e: ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    },
  );
}
