/**
 * The ECS explorer's TreeDataProvider. Elements are the core's `TreeNode` descriptors (so context
 * menu commands receive `node.resource` / `node.context`); children load lazily through the AWS
 * layer's `loadRoots` / `loadChildren`, are cached per parent until refreshed, and paged with
 * "Load more…" nodes. A failed load becomes an error child with the service's message.
 *
 * Refreshing never makes VS Code wait on a row it shows: `reload` loads the data again in the
 * background, keeps every node object (updated in place) and fires only the rows whose look changed
 * and the parents whose list of children changed (src/core/tree-diff.ts). Firing a node makes VS
 * Code drop the handles below it until it has fetched them again, and a context-menu command on one
 * of those rows would arrive without its row.
 */
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { ChildrenQuery, TreeNode } from '../../core/tree-types';
import { ROOT_KEY } from '../../core/poll';
import { loadMoreNode, messageNode } from '../../core/tree-model';
import { diffChildren, looksDifferentExpanded, nodesToFire, shownRow, snapshotRow, type ChildrenDiff } from '../../core/tree-diff';
import type { LoadResult } from '../../aws/explorer';
import { loadAws } from '../aws-loader';
import type { RefreshHint, UiContext } from '../ui-context';
import { connectionErrorNodes } from './nodes/connection';
import { handsOnNode } from './nodes/hands-on';
import { toTreeItem, tooltipOf } from './nodes/item';

/** Prefix of the ids of everything under the connection. */
export const ROOT_ID = 'ecs';
const LOCAL_TOKEN = 'local:';

interface Entry {
  node: TreeNode;
  /** ROOT_KEY for top-level nodes. */
  parentKey: string;
}

interface Children {
  nodes: TreeNode[];
  /** Pages fetched from the service (a refresh fetches as many again). */
  pages: number;
  /** Items shown when the loader returned one long list (paged here, not by the service). */
  shown?: number;
  /** The whole list when it is paged here. */
  full?: TreeNode[];
  stale: boolean;
  /** Bumped on every load, so a load that finished after an invalidation is not cached as fresh. */
  generation: number;
}

/** What a background reload of one parent found. */
interface Reloaded {
  key: string;
  slot: Children;
  generation: number;
  nodes: TreeNode[];
  cacheable: boolean;
  scratch: Children;
}

export interface ExplorerEvents {
  /** A load was throttled: the refresher backs off. */
  onThrottled?(): void;
  /** getChildren was called for `key` (VS Code only asks for expanded nodes). */
  onLoaded?(key: string): void;
  /** The node `key` is gone (its parent reloaded without it). */
  onForget?(key: string): void;
}

export class ExplorerProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly entries = new Map<string, Entry>();
  private readonly cache = new Map<string, Children>();
  private readonly loading = new Map<string, Promise<TreeNode[]>>();
  /** Keys being reloaded in the background: the reload (its apply included) each belongs to. */
  private readonly reloading = new Map<string, Promise<void>>();
  /** Rows the view shows expanded (its expand / collapse events). */
  private readonly open = new Set<string>();
  /** Items per page (ListServices, ListTasks, families; long lists are cut locally). */
  pageSize = 50;
  /** Set by an explicit refresh: retry a failed connection (auto-refresh does not). */
  private retryConnection = false;
  events: ExplorerEvents = {};

  constructor(private readonly services: UiContext) {}

  dispose(): void {
    this.changed.dispose();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(shownRow(node, this.open.has(node.id)));
  }

  /** The view expanded or collapsed `id`: a row that looks different expanded is drawn again. */
  setOpen(id: string, open: boolean): void {
    if (open === this.open.has(id)) return;
    if (open) this.open.add(id);
    else this.open.delete(id);
    const node = this.entries.get(id)?.node;
    if (!node || !looksDifferentExpanded(node)) return;
    if (this.holdingOpen) this.heldOpen.add(node);
    else this.changed.fire(node);
  }

  private holdingOpen = 0;
  private readonly heldOpen = new Set<TreeNode>();

  /**
   * Runs `work` (a reveal, which expands the rows above its target one by one) and draws the rows
   * it expanded or collapsed only afterwards: drawing a row again while VS Code is still expanding
   * below it makes VS Code lose the row being revealed and selected.
   */
  async whileExpanding<T>(work: () => Thenable<T> | Promise<T>): Promise<T> {
    this.holdingOpen++;
    try {
      return await work();
    } finally {
      if (--this.holdingOpen === 0 && this.heldOpen.size) {
        const nodes = [...this.heldOpen].filter((n) => this.entries.get(n.id)?.node === n);
        this.heldOpen.clear();
        if (nodes.length) this.changed.fire(nodes);
      }
    }
  }

  /** A row with children gets its tooltip when hovered: as the node is now. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (item.tooltip === undefined) item.tooltip = tooltipOf(this.entries.get(node.id)?.node ?? node);
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    const parentKey = this.entries.get(node.id)?.parentKey;
    return parentKey ? this.entries.get(parentKey)?.node : undefined;
  }

  /** The node with this id, as last loaded. */
  node(id: string): TreeNode | undefined {
    return this.entries.get(id)?.node;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Every node loaded so far (the tree as far as it was expanded). */
  loadedNodes(): TreeNode[] {
    return [...this.entries.values()].map((e) => e.node);
  }

  /** The ids of `key` and its ancestors, nearest first. */
  ancestors(key: string): string[] {
    const out: string[] = [];
    let k: string | undefined = this.entries.get(key)?.parentKey;
    while (k) {
      out.push(k);
      k = this.entries.get(k)?.parentKey;
    }
    return out;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    const key = element ? element.id : ROOT_KEY;
    if (element && !element.children) return [];
    this.events.onLoaded?.(key);
    const cached = this.cache.get(key);
    if (cached && !cached.stale) return cached.nodes;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const load = this.load(key, element, cached).finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    return load;
  }

  private async load(key: string, element: TreeNode | undefined, previous: Children | undefined): Promise<TreeNode[]> {
    const generation = (previous?.generation ?? 0) + 1;
    const slot: Children = { nodes: previous?.nodes ?? [], pages: previous?.pages ?? 1, shown: previous?.shown, stale: true, generation };
    this.cache.set(key, slot);
    const fetched = await this.fetch(key, element, slot);
    let nodes = fetched.nodes;
    if (this.cache.get(key) === slot) {
      nodes = this.setChildren(key, nodes);
      slot.nodes = nodes;
      // Invalidated while loading: stays stale, so the next getChildren loads again.
      slot.stale = !fetched.cacheable || slot.generation !== generation;
    }
    return nodes;
  }

  /** `key`'s children from the service (paging state read from and written to `slot`); a failure is an error child. */
  private async fetch(key: string, element: TreeNode | undefined, slot: Children): Promise<{ nodes: TreeNode[]; cacheable: boolean }> {
    try {
      if (!element) return await this.loadRoot();
      return { nodes: await this.loadPages(element.id, element.children!, slot), cacheable: true };
    } catch (e) {
      return { nodes: [this.errorNode(key || ROOT_ID, e)], cacheable: true };
    }
  }

  /**
   * Loads the children of `keys` again in the background and tells VS Code only what changed: the
   * rows it shows meanwhile keep their handles (see the file comment). Keys never loaded, gone, or
   * being loaded already are skipped; keys being reloaded are read again once that reload is done
   * (`skipBusy`, the periodic refresh: skipped, so slow answers never queue up). Resolves once the
   * changes are applied.
   */
  async reload(keys: readonly string[], opts: { skipBusy?: boolean } = {}): Promise<void> {
    const wanted = [...new Set(keys)].filter((k) => !(opts.skipBusy && this.reloading.has(k)));
    // A reload of these rows already under way read the service before this call (an auto-refresh
    // when the user presses Refresh): its answer may be older than what the caller wants to see, so
    // wait for it, then read again. (Before, the keys were skipped: Refresh could show stale counts.)
    const earlier = new Set(wanted.map((k) => this.reloading.get(k)).filter((p): p is Promise<void> => p !== undefined));
    if (earlier.size) await Promise.all(earlier);
    const todo = wanted.filter((k) => this.cache.has(k) && !this.loading.has(k) && !this.reloading.has(k));
    // Keys a reload started since then is reading: fresh enough, wait for it to be applied.
    const later = new Set(wanted.map((k) => this.reloading.get(k)).filter((p): p is Promise<void> => p !== undefined));
    let applied!: () => void;
    const mine = new Promise<void>((resolve) => (applied = resolve));
    for (const k of todo) this.reloading.set(k, mine);
    try {
      await this.reloadNow(todo);
    } finally {
      for (const k of todo) if (this.reloading.get(k) === mine) this.reloading.delete(k);
      applied();
    }
    if (later.size) await Promise.all(later);
  }

  private async reloadNow(todo: readonly string[]): Promise<void> {
    const depth = (k: string) => (k === ROOT_KEY ? -1 : this.ancestors(k).length);
    const results = (await Promise.all(todo.map((k) => this.reloadOne(k)))).filter((r) => r !== undefined);
    // Parents first: a child its parent no longer has is not applied.
    results.sort((a, b) => depth(a.key) - depth(b.key));
    const diffs = new Map<string, ChildrenDiff>();
    for (const r of results) {
      const d = this.apply(r);
      if (d) diffs.set(r.key, d);
    }
    const plan = nodesToFire(diffs, (id) => this.ancestors(id), ROOT_KEY);
    if (plan.root || plan.ids.length) this.services.log.trace(`explorer: shown again: ${plan.root ? 'everything' : plan.ids.join(', ')}`);
    if (plan.root) this.changed.fire(undefined);
    else {
      const nodes = plan.ids.map((id) => this.entries.get(id)?.node).filter((n): n is TreeNode => n !== undefined);
      if (nodes.length) this.changed.fire(nodes);
    }
  }

  private async reloadOne(key: string): Promise<Reloaded | undefined> {
    const slot = this.cache.get(key);
    const element = key === ROOT_KEY ? undefined : this.entries.get(key)?.node;
    if (!slot || (key !== ROOT_KEY && !element?.children)) return undefined;
    const generation = slot.generation;
    // Paging state on a copy: applied with the nodes.
    const scratch: Children = { nodes: slot.nodes, pages: slot.pages, shown: slot.shown, full: slot.full, stale: false, generation };
    const { nodes, cacheable } = await this.fetch(key, element, scratch);
    return { key, slot, generation, nodes, cacheable, scratch };
  }

  /** A background reload's result, unless the node went away or was loaded or invalidated meanwhile. */
  private apply(r: Reloaded): ChildrenDiff | undefined {
    if (this.cache.get(r.key) !== r.slot || r.slot.generation !== r.generation || this.loading.has(r.key)) return undefined;
    if (r.key !== ROOT_KEY && !this.entries.has(r.key)) return undefined;
    const before = r.slot.nodes.map(snapshotRow);
    const nodes = this.setChildren(r.key, r.nodes);
    r.slot.nodes = nodes;
    r.slot.full = r.scratch.full;
    r.slot.shown = r.scratch.shown;
    r.slot.stale = !r.cacheable;
    return diffChildren(before, nodes, (id) => this.open.has(id));
  }

  /** The top level: the connection's clusters and groups, or why there is no connection. */
  private async loadRoot(): Promise<{ nodes: TreeNode[]; cacheable: boolean }> {
    const connections = this.services.connections;
    const retry = this.retryConnection;
    this.retryConnection = false;
    const failed = () => {
      const s = connections.state;
      if (s.status !== 'failed') return undefined;
      // A dead sandbox or a failed sandbox start: say so, with Restart / Switch actions. Another
      // connection that fails: no nodes, so the welcome view offers "Switch Connection" below
      // the view message.
      return connections.settings.kind === 'sandbox' || s.sandboxDied ? connectionErrorNodes(s, connections.settings.kind === 'sandbox') : [];
    };
    if (connections.state.status === 'failed' && !retry) return { nodes: failed() ?? [], cacheable: false };
    let clients;
    try {
      clients = await connections.clients();
    } catch {
      return { nodes: failed() ?? [], cacheable: false };
    }
    try {
      const now = (await connections.now())();
      const { loadRoots } = loadAws();
      // The way into the hands-on first, then the resources.
      return { nodes: [handsOnNode(), ...(await loadRoots(clients, { parentId: ROOT_ID, now, t })).nodes], cacheable: true };
    } catch (e) {
      return { nodes: [this.errorNode(ROOT_ID, e)], cacheable: true };
    }
  }

  /** As many service pages as were shown before (a refresh keeps what "Load more" added), then local paging. */
  private async loadPages(parentId: string, query: ChildrenQuery, slot: Children): Promise<TreeNode[]> {
    const clients = await this.services.connections.clients();
    const now = (await this.services.connections.now())();
    const { loadChildren } = loadAws();
    let result: LoadResult = await loadChildren(clients, query, { parentId, now, t, pageSize: this.pageSize });
    let nodes = result.nodes;
    for (let page = 1; page < slot.pages; page++) {
      const more = nodes[nodes.length - 1];
      if (more?.kind !== 'loadMore') break;
      result = await loadChildren(clients, query, { parentId, now, t, pageSize: this.pageSize, nextToken: more.context?.nextToken });
      nodes = [...nodes.slice(0, -1), ...result.nodes];
    }
    return this.pageLocally(parentId, nodes, slot);
  }

  /** The loader returned a long list in one piece (e.g. every revision of a family): show a page of it. */
  private pageLocally(parentId: string, nodes: TreeNode[], slot: Children): TreeNode[] {
    const remoteMore = nodes[nodes.length - 1]?.kind === 'loadMore';
    const shown = slot.shown ?? this.pageSize;
    if (remoteMore || nodes.length <= shown) {
      slot.full = undefined;
      return nodes;
    }
    slot.full = nodes;
    slot.shown = shown;
    return [...nodes.slice(0, shown), loadMoreNode(parentId, `${LOCAL_TOKEN}${shown}`, t('Load more… ({0} more)', nodes.length - shown))];
  }

  /** "Load more…": append the next page under the node's parent. */
  async loadMore(more: TreeNode): Promise<void> {
    const entry = this.entries.get(more.id);
    const token = more.context?.nextToken;
    if (!entry || !token) return;
    const parentKey = entry.parentKey;
    const parent = parentKey ? this.entries.get(parentKey)?.node : undefined;
    const slot = this.cache.get(parentKey);
    if (!slot || !parent?.children) return;
    const before = slot.nodes.filter((n) => n.id !== more.id);
    let nodes: TreeNode[];
    if (token.startsWith(LOCAL_TOKEN) && slot.full) {
      slot.shown = (slot.shown ?? this.pageSize) + this.pageSize;
      nodes = this.pageLocally(parent.id, slot.full, slot);
    } else {
      try {
        const clients = await this.services.connections.clients();
        const now = (await this.services.connections.now())();
        const { loadChildren } = loadAws();
        const result = await loadChildren(clients, parent.children, { parentId: parent.id, now, t, pageSize: this.pageSize, nextToken: token });
        nodes = [...before, ...result.nodes];
        slot.pages++;
      } catch (e) {
        nodes = [...before, this.errorNode(parent.id, e)];
      }
    }
    slot.nodes = this.setChildren(parentKey, nodes);
    this.changed.fire(parent);
  }

  /**
   * Records `nodes` as the children of `key`; forgets what was there before and is gone now. A
   * node that was loaded before keeps its object (updated in place), so VS Code — which maps
   * elements by object — and callers holding a node always see one object per id.
   */
  private setChildren(key: string, nodes: TreeNode[]): TreeNode[] {
    const keep = new Set(nodes.map((n) => n.id));
    for (const [id, e] of this.entries) {
      if (e.parentKey === key && !keep.has(id)) this.forget(id);
    }
    return nodes.map((node, i) => {
      const existing = this.entries.get(node.id);
      let current = node;
      if (existing && existing.node !== node) {
        current = existing.node;
        for (const k of Object.keys(current) as Array<keyof TreeNode>) if (!(k in node)) delete current[k];
        Object.assign(current, node);
      }
      this.entries.set(node.id, { node: current, parentKey: key });
      nodes[i] = current;
      return current;
    });
  }

  private forget(id: string): void {
    for (const [child, e] of this.entries) if (e.parentKey === id) this.forget(child);
    this.entries.delete(id);
    this.open.delete(id);
    this.cache.delete(id);
    this.events.onForget?.(id);
  }

  private errorNode(parentId: string, error: unknown): TreeNode {
    const info = this.services.connections.mapError(error, t);
    if (info.throttled) this.events.onThrottled?.();
    this.services.log.warn(`explorer: ${info.code}: ${info.message}`);
    const node = messageNode(info.message, { parentId, error: true, key: 'error' });
    node.description = info.hint;
    node.tooltip = [`$(error) **${info.code}**`, '', info.message, info.hint ? `\n${info.hint}` : '', '', t('Refresh to try again.')].join('\n');
    return node;
  }

  // ---- refresh ----

  /** Marks `key`'s children (and with `deep`, every loaded level below) to be loaded again. */
  invalidate(key: string, deep = false): void {
    const slot = this.cache.get(key);
    if (slot) {
      slot.stale = true;
      slot.generation++;
    }
    if (deep) for (const [id, e] of this.entries) if (e.parentKey === key) this.invalidate(id, true);
  }

  /** Reloads `key` now (ROOT_KEY: the whole top level). */
  fire(key: string): void {
    if (key === ROOT_KEY) return this.changed.fire(undefined);
    const node = this.entries.get(key)?.node;
    if (node) this.changed.fire(node);
  }

  /** Forget everything (the connection changed). */
  clear(): void {
    for (const id of this.entries.keys()) this.events.onForget?.(id);
    this.entries.clear();
    this.cache.clear();
    this.retryConnection = true;
  }

  /** `key` and every key loaded below it. */
  private subtree(key: string): string[] {
    return [...this.cache.keys()].filter((k) => k === key || (key === ROOT_KEY ? k !== ROOT_KEY : this.ancestors(k).includes(key)));
  }

  /**
   * The loaded keys a refresh hint concerns (whose children to load again; nothing is invalidated
   * here: the refresher reloads what the view shows and invalidates the rest). Everything (and a
   * failed connection is retried); the clusters (a task stopped: every count and list under them);
   * the task definitions or load balancers group; a service: its parent list (its row), the
   * service's sections and everything loaded under it, and the top level (the cluster's counts).
   */
  keysFor(hint: RefreshHint): string[] {
    if (!hint) this.retryConnection = true;
    if (!hint || hint.kind === 'clusters') return this.subtree(ROOT_KEY);
    const nodes = this.loadedNodes();
    const groupKeys = (group: string) => nodes.filter((n) => n.kind === 'group' && n.contextValue === `ecsHandson.group.${group}`).map((n) => n.id);
    switch (hint.kind) {
      case 'taskDefinitions':
      case 'loadBalancers':
        return groupKeys(hint.kind === 'taskDefinitions' ? 'taskDefinitionFamilies' : 'loadBalancers').flatMap((k) => this.subtree(k));
      case 'service': {
        const matches = nodes.filter(
          (n) => n.kind === 'service' && n.context?.clusterArn === hint.clusterArn && (n.context?.serviceName === hint.serviceName || n.resource === hint.serviceName),
        );
        const keys = new Set<string>([ROOT_KEY]);
        for (const s of matches) {
          const parent = this.entries.get(s.id)?.parentKey;
          if (parent !== undefined) keys.add(parent);
          for (const k of this.subtree(s.id)) keys.add(k);
        }
        if (matches.length === 0) {
          // A new service: the cluster's services group.
          for (const n of nodes) {
            if (n.kind === 'group' && n.children?.type === 'services' && n.children.clusterArn === hint.clusterArn) keys.add(n.id);
          }
        }
        return [...keys].filter((k) => this.cache.has(k));
      }
    }
  }
}
