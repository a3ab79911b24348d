/**
 * A sandbox's state and its file, as `startSandbox` uses them: the world loaded (or started fresh)
 * with the clock resuming at its saved time, then — once the engine has restored what the world
 * describes — kept on disk: a request that may change state is answered once its change is saved
 * (store.ts `StateStore.commit`), the engine's own changes are saved every 2 s, everything on close.
 */
import { ScaledClock, type Clock } from './engine/clock';
import type { World } from './engine/state';
import type { DispatchDeps } from './protocol/dispatch';
import { StateStore, loadWorld, newAdminToken, newWorld } from './store';

/** Real ms between saves of what the engine changed on its own. */
const SAVE_EVERY_MS = 2000;

export interface LoadedState {
  world: World;
  clock: Clock;
  /** The admin API's bearer token (kept in the world). */
  adminToken: string;
  /** The world came from the file. */
  loaded: boolean;
  /** …and was saved by an older sandbox: it is saved again in the current shape. */
  upgraded: boolean;
}

/** Loads the state file (a file that cannot be used is moved aside: store.ts), or starts a fresh world. */
export function loadState(o: { stateFile?: string; clock?: Clock; timeScale: number; log: (m: string) => void }): LoadedState {
  let world: World | undefined;
  let upgraded = false;
  if (o.stateFile) ({ world, upgraded = false } = loadWorld(o.stateFile, o.log));
  const loaded = !!world;
  world ??= newWorld(o.clock?.now() ?? Date.now());
  const clock = o.clock ?? new ScaledClock(o.timeScale, loaded ? world.savedAt : Date.now());
  // Worlds built by tests may come without one; a loaded file always has one (store.loadWorld).
  const adminToken = (world.credentials.adminToken ??= newAdminToken());
  return { world, clock, adminToken, loaded, upgraded };
}

export interface Persistence {
  /** Dispatch's durability (undefined: the state is in memory only). */
  durability: DispatchDeps['durability'];
  /** Called as a request's context is built: a read that creates a region is saved before it is answered, like a write. */
  requestStarted(region: string, requestId: string): void;
  /** Saves what a new or upgraded world lacks on disk, then saves the engine's changes periodically. */
  start(): Promise<void>;
  /** Saves now and waits for it (the admin routes that change state). */
  commit(): Promise<void>;
  /** Writes the state now (`Sandbox.save`). */
  save(): Promise<void>;
  /** Stops the periodic save and writes everything. */
  close(): Promise<void>;
}

/**
 * Keeps `state` on disk at `stateFile` (nothing when undefined). Call it once the engine has
 * restored the world, so that what the restore changed counts as unsaved.
 * `acknowledgeBeforeSave`: benchmarks only, see SandboxOptions.
 */
export function persist(state: LoadedState, o: { stateFile?: string; log: (m: string) => void; acknowledgeBeforeSave?: boolean }): Persistence {
  if (!o.stateFile) {
    const none = () => Promise.resolve();
    return { durability: undefined, requestStarted: () => undefined, start: none, commit: none, save: none, close: none };
  }
  const { world, clock } = state;
  const store = new StateStore(o.stateFile, () => world, () => clock.now(), o.log);
  if (state.loaded && !state.upgraded) store.markSaved();
  // Requests whose context created a region (its default VPC gets random ids the client may see).
  const createdRegion = new Set<string>();
  let saver: NodeJS.Timeout | undefined;
  return {
    durability: o.acknowledgeBeforeSave
      ? debounced(store)
      : {
          // While the file cannot be written, a write is tried first (it may work again); if it
          // still fails the request is refused before it changes anything.
          admit: async () => {
            if (store.failure) await store.commit();
          },
          settle: async (requestId, mutating) => {
            const created = createdRegion.delete(requestId);
            if (mutating || created) await store.commit();
          },
        },
    requestStarted(region, requestId) {
      if (!Object.hasOwn(world.regions, region)) createdRegion.add(requestId);
    },
    async start() {
      saver = setInterval(() => void store.saveIfChanged(), SAVE_EVERY_MS);
      if (!state.loaded || state.upgraded) await store.saveIfChanged(true);
    },
    commit: () => store.commit(),
    save: () => store.saveIfChanged(true),
    async close() {
      if (saver) clearInterval(saver);
      await store.flush();
    },
  };
}

/** The old way, for benchmarks: writes are answered at once and saved by a debounced write. */
function debounced(store: StateStore): NonNullable<DispatchDeps['durability']> {
  let timer: NodeJS.Timeout | undefined;
  return {
    admit: async () => undefined,
    settle: async (_requestId: string, mutating: boolean) => {
      if (!mutating || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void store.saveIfChanged();
      }, 250);
      timer.unref();
    },
  };
}
