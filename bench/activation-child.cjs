/**
 * Helper of bench/extension.bench.ts (plain Node, no tsx): loads dist/extension.js with a minimal
 * stub of the `vscode` module, times activate(context) and reports on stdout, as one JSON line,
 * which modules were loaded (the AWS SDK / dist/aws.js must not be). One fresh process per run.
 */
'use strict';
const Module = require('node:module');
const path = require('node:path');
const os = require('node:os');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');
const extFile = path.join(root, 'dist', 'extension.js');
const touched = new Set(); // what activate() used of the stub, e.g. "window.createTreeView"
const loaded = []; // every module file resolved after the stub was installed

// ---- the stub: explicit where activate() needs real behaviour, a Proxy for everything else ----
const disposable = () => ({ dispose() {} });
const noopEvent = () => disposable();
/** A callable, constructible object that answers every property with another of its kind. */
function anything(name) {
  const fn = function () {};
  return new Proxy(fn, {
    get(_t, p) {
      if (p === 'then') return undefined; // not a thenable
      if (p === Symbol.toPrimitive) return () => name;
      if (p === 'dispose') return () => {};
      if (typeof p === 'symbol') return undefined;
      return anything(`${name}.${p}`);
    },
    set() {
      return true;
    },
    apply() {
      touched.add(name);
      return anything(`${name}()`);
    },
    construct() {
      touched.add(`new ${name}`);
      return anything(`new ${name}`);
    },
  });
}
/** Explicit members first; anything else touched on the namespace is recorded and stubbed. */
function ns(name, members) {
  return new Proxy(members, {
    get(t, p) {
      if (typeof p === 'symbol') return t[p];
      if (p in t) {
        const v = t[p];
        if (typeof v === 'function' && !/^[A-Z]/.test(String(p))) {
          return (...a) => {
            touched.add(`${name}.${String(p)}`);
            return v(...a);
          };
        }
        return v;
      }
      if (p === 'then' || p === '__esModule') return undefined;
      touched.add(`${name}.${String(p)} (proxy)`);
      return anything(`${name}.${String(p)}`);
    },
  });
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (l) => {
      this.listeners.add(l);
      return { dispose: () => this.listeners.delete(l) };
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}
class Disposable {
  constructor(f) {
    this.f = f;
  }
  static from(...ds) {
    return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this.f) this.f();
  }
}
class ThemeIcon {
  constructor(id, color) {
    this.id = id;
    this.color = color;
  }
}
class ThemeColor {
  constructor(id) {
    this.id = id;
  }
}
class TreeItem {
  constructor(label, collapsibleState) {
    this.label = label;
    this.collapsibleState = collapsibleState;
  }
}
class MarkdownString {
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(s) {
    this.value += s;
    return this;
  }
  appendText(s) {
    this.value += s;
    return this;
  }
  appendCodeblock(s) {
    this.value += s;
    return this;
  }
}
const fileUri = (p) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}`, with: () => fileUri(p) });
const Uri = {
  file: fileUri,
  joinPath: (base, ...parts) => fileUri(path.join(base.fsPath, ...parts)),
  parse: (s) => ({ scheme: s.split(':')[0], fsPath: s, path: s, toString: () => s }),
  from: (c) => fileUri(c.path || ''),
};
const format = (message, ...args) => {
  const values = args.length === 1 && args[0] && typeof args[0] === 'object' ? args[0] : args;
  return String(message).replace(/\{(\w+)\}/g, (m, k) => (values[k] !== undefined ? String(values[k]) : m));
};
const outputChannel = () => ({ name: 'ECS Hands-on', info() {}, warn() {}, error() {}, debug() {}, trace() {}, append() {}, appendLine() {}, show() {}, hide() {}, clear() {}, replace() {}, dispose() {}, onDidChangeLogLevel: noopEvent, logLevel: 2 });
const statusBarItem = () => ({ text: '', tooltip: undefined, command: undefined, name: undefined, backgroundColor: undefined, show() {}, hide() {}, dispose() {} });
const treeView = () => ({ visible: false, description: undefined, message: undefined, title: undefined, selection: [], onDidExpandElement: noopEvent, onDidCollapseElement: noopEvent, onDidChangeVisibility: noopEvent, onDidChangeSelection: noopEvent, reveal: async () => {}, dispose() {} });
const commandTable = new Map();
const configuration = () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => {} });

const vscode = {
  window: ns('window', {
    createOutputChannel: outputChannel,
    createStatusBarItem: statusBarItem,
    createTreeView: treeView,
    registerTreeDataProvider: disposable,
    registerWebviewPanelSerializer: disposable,
    onDidChangeActiveColorTheme: noopEvent,
    onDidChangeWindowState: noopEvent,
    state: { focused: true },
  }),
  commands: ns('commands', {
    registerCommand: (id, f) => {
      commandTable.set(id, f);
      return { dispose: () => commandTable.delete(id) };
    },
    executeCommand: async (id, ...a) => (commandTable.has(id) ? commandTable.get(id)(...a) : undefined),
  }),
  workspace: ns('workspace', {
    getConfiguration: configuration,
    onDidChangeConfiguration: noopEvent,
    onDidChangeTextDocument: noopEvent,
    onDidCloseTextDocument: noopEvent,
    registerTextDocumentContentProvider: disposable,
  }),
  l10n: ns('l10n', { t: (m, ...a) => format(typeof m === 'object' ? m.message : m, ...a), bundle: undefined, uri: undefined }),
  env: ns('env', { language: 'en', appName: 'bench', machineId: 'bench', uiKind: 1, clipboard: { writeText: async () => {} }, openExternal: async () => true }),
  extensions: ns('extensions', { getExtension: () => undefined, all: [] }),
  languages: ns('languages', { createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {} }) }),
  EventEmitter,
  Disposable,
  ThemeIcon,
  ThemeColor,
  TreeItem,
  MarkdownString,
  Uri,
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
};
const vscodeStub = ns('vscode', vscode);

// ---- module hooks: `vscode` resolves to the stub; every other load is recorded ----
const origResolve = Module._resolveFilename;
const origLoad = Module._load;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return 'vscode';
  return origResolve.call(this, request, ...rest);
};
Module._load = function (request, parent, ...rest) {
  if (request === 'vscode') return vscodeStub;
  try {
    loaded.push(Module._resolveFilename(request, parent));
  } catch {
    loaded.push(request);
  }
  return origLoad.call(this, request, parent, ...rest);
};

// ---- the extension context ----
const storage = path.join(os.tmpdir(), 'ecs-handson-bench-storage');
const memento = () => {
  const m = new Map();
  return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync() {} };
};
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: fileUri(root),
  globalStorageUri: fileUri(storage),
  globalStoragePath: storage,
  storageUri: fileUri(path.join(storage, 'ws')),
  logUri: fileUri(path.join(storage, 'log')),
  globalState: memento(),
  workspaceState: memento(),
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: noopEvent },
  extensionMode: 3,
  environmentVariableCollection: anything('environmentVariableCollection'),
  asAbsolutePath: (p) => path.join(root, p),
  extension: { id: 'ecs-handson.ecs-handson', extensionPath: root, packageJSON: {} },
};

const isSdk = (f) => typeof f === 'string' && (f.includes(`${path.sep}@aws-sdk${path.sep}`) || f.includes('@aws-sdk/') || f.includes('@smithy') || f === path.join(root, 'dist', 'aws.js'));

const t0 = performance.now();
const ext = require(extFile);
const t1 = performance.now();
const before = loaded.length;
const t2 = performance.now();
let error;
try {
  ext.activate(context);
} catch (e) {
  error = e && e.stack ? e.stack : String(e);
}
const t3 = performance.now();
const duringActivate = loaded.slice(before);
const cached = Object.keys(require.cache);
const commandsRegistered = commandTable.size;
const sdkLoaded = [...new Set([...loaded.filter(isSdk), ...cached.filter(isSdk)])];
let disposeError;
try {
  for (const d of context.subscriptions) d && d.dispose && d.dispose();
  if (ext.deactivate) ext.deactivate();
} catch (e) {
  disposeError = String(e);
}
process.stdout.write(
  `${JSON.stringify({
    requireMs: t1 - t0,
    activateMs: t3 - t2,
    error,
    disposeError,
    subscriptions: context.subscriptions.length,
    commands: commandsRegistered,
    modulesDuringActivate: duringActivate,
    modulesTotal: loaded.length,
    sdkLoaded,
    touched: [...touched].sort(),
  })}\n`,
  () => process.exit(0),
);
