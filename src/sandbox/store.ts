/**
 * Persisted sandbox state: crash-safe writes (temp file in the same directory, fsync, rename,
 * directory fsync), group commits that make a request's change durable before it is answered, a
 * corrupt or malformed file moved aside and reported — never silently lost — and the
 * `<state>.lock` file that keeps two sandboxes off one state file.
 */
import { randomBytes, randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { World } from './engine/state';
import { upgradeSavedWorld, worldShapeProblem } from './engine/state-schema';

export const STATE_VERSION = 1;

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[randomInt(chars.length)]).join('');

/** The admin API's bearer token: 256 random bits, base64url. */
export const newAdminToken = (): string => randomBytes(32).toString('base64url');

export function newCredentials(): Required<World['credentials']> {
  return { accessKeyId: `AKIA${pick(ALNUM_UPPER, 16)}`, secretAccessKey: pick(SECRET_CHARS, 40), adminToken: newAdminToken() };
}

export function newWorld(simNow: number, accountId = '123456789012'): World {
  return { version: STATE_VERSION, accountId, savedAt: simNow, credentials: newCredentials(), regions: {} };
}

/** Why a parsed value is not a World we can use, or undefined if it is. */
export function worldProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const w = v as Partial<World>;
  if (w.version !== STATE_VERSION) return `unsupported state version ${JSON.stringify(w.version)} (this sandbox reads version ${STATE_VERSION})`;
  if (typeof w.accountId !== 'string' || !/^\d{12}$/.test(w.accountId)) return 'accountId missing or invalid';
  if (typeof w.savedAt !== 'number' || !Number.isFinite(w.savedAt)) return 'savedAt missing or invalid';
  const c = w.credentials;
  if (!c || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string' || !c.accessKeyId || !c.secretAccessKey) return 'credentials missing';
  if (typeof w.regions !== 'object' || w.regions === null || Array.isArray(w.regions)) return 'regions missing';
  const shape = worldShapeProblem(v);
  return shape && `its content is malformed at ${shape}`;
}

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1Z');

export interface LoadResult {
  world?: World;
  /** The file was usable but saved by an older sandbox (no admin token, `ext` for `serviceState`): save it in the current shape. */
  upgraded?: boolean;
  /** Set when the file existed but could not be used: where it was moved and why. */
  movedTo?: string;
  problem?: string;
}

/** Reads the state file. Missing -> {}; unreadable / corrupt / wrong version -> moved to `<file>.corrupt-<timestamp>`. */
export function loadWorld(file: string, log: (msg: string) => void = (m) => process.stderr.write(m + '\n')): LoadResult {
  removeStaleTemps(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return moveAside(file, `it could not be read (${(e as Error).message})`, log);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return moveAside(file, `it is not valid JSON (${(e as Error).message})`, log);
  }
  // Files saved by an older sandbox are brought to the current shape (and saved again by the
  // caller): the admin token added, each region's `ext` renamed `serviceState`.
  const creds = (parsed as Partial<World> | null)?.credentials as Partial<World['credentials']> | undefined;
  const tokenAdded = typeof creds === 'object' && creds !== null && creds.adminToken === undefined;
  if (tokenAdded) creds.adminToken = newAdminToken();
  const upgraded = upgradeSavedWorld(parsed) || tokenAdded;
  const problem = worldProblem(parsed);
  if (problem) return moveAside(file, problem, log);
  return { world: parsed as World, ...(upgraded ? { upgraded } : {}) };
}

/** Temp files left by a writer that was killed mid-write (its pid is gone). */
function removeStaleTemps(file: string): void {
  const prefix = `.${path.basename(file)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (pid !== process.pid && !isProcessAlive(pid)) fs.rmSync(path.join(path.dirname(file), n), { force: true });
  }
}

function moveAside(file: string, problem: string, log: (msg: string) => void): LoadResult {
  let target = `${file}.corrupt-${stamp()}`;
  for (let i = 1; fs.existsSync(target); i++) target = `${file}.corrupt-${stamp()}-${i}`;
  try {
    fs.renameSync(file, target);
  } catch (e) {
    log(`ECS Hands-on sandbox: the state file ${file} cannot be used (${problem}) and could not be moved aside (${(e as Error).message}); starting with a fresh sandbox in memory.`);
    return { problem };
  }
  log(`ECS Hands-on sandbox: the state file ${file} cannot be used: ${problem}. It was moved to ${target}; starting with a fresh sandbox.`);
  return { movedTo: target, problem };
}

let tmpCounter = 0;

/** Directory fsync is unsupported on some platforms (Windows: EISDIR / EPERM); elsewhere its failure is a failed write. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Writes `data` to `file` atomically: temp file in the same directory, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(file: string, data: string, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${++tmpCounter}`);
  const fh = await fsp.open(tmp, 'w', mode);
  try {
    await fh.writeFile(data, 'utf8');
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  // The rename is durable only once the directory is: without this a crash can bring the old file back.
  let d: fsp.FileHandle | undefined;
  try {
    d = await fsp.open(dir, 'r');
    await d.sync();
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await d?.close().catch(() => undefined);
  }
}

/** Synchronous variant, for writers that must finish before the process exits. */
export function writeFileAtomicSync(file: string, data: string, mode = 0o600): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${++tmpCounter}`);
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeFileSync(fd, data, 'utf8');
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** The state could not be written; `message` says so and names the file (it is shown to API clients). */
export class StateWriteError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: Error,
  ) {
    super(`The sandbox cannot write its state file ${file}: ${cause.message}`);
    this.name = 'StateWriteError';
  }
}

/** How a snapshot reaches the disk, in two steps so that writes can overlap (tests inject failures). */
export interface StateWriter {
  /** Writes `data` to a new temp file beside `file` and fsyncs it; returns the temp file's path. */
  prepare(file: string, data: string): Promise<string>;
  /** Renames the temp file over `file` and fsyncs the directory. Called in the order of `prepare`. */
  publish(tmp: string, file: string): Promise<void>;
}

export const fsStateWriter: StateWriter = {
  async prepare(file, data) {
    const dir = path.dirname(file);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${++tmpCounter}`);
    const fh = await fsp.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    return tmp;
  },
  async publish(tmp, file) {
    try {
      await fsp.rename(tmp, file);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
    await syncDir(path.dirname(file));
  },
};

async function syncDir(dir: string): Promise<void> {
  let d: fsp.FileHandle | undefined;
  try {
    d = await fsp.open(dir, 'r');
    await d.sync();
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await d?.close().catch(() => undefined);
  }
}

/**
 * Snapshot writes that may be under way at once (their temp-file writes and fsyncs would overlap;
 * renames stay in order). Measured with bench/durability.bench.ts on the 2-core machine: 1 is the
 * fastest (2 and 3 were 20–30 % slower): the snapshot's JSON.stringify on the main thread is the
 * bottleneck, not fsync latency, and more writes in flight means smaller groups, so more snapshots.
 */
const MAX_WRITES_IN_FLIGHT = 1;
/**
 * A snapshot starts no sooner than SNAPSHOT_SPACING × the last snapshot's CPU time after the last
 * one started, so snapshots take at most a third of the time and groups grow with the state
 * (PostgreSQL's commit_delay idea). An idle sandbox writes at once. Measured: +25–40 % throughput
 * at concurrency 50 on a 2 MiB state against starting every write immediately (0), 6 was no better.
 */
const SNAPSHOT_SPACING = 3;

interface Waiter {
  resolve(): void;
  reject(e: StateWriteError): void;
  /** A periodic save: skip the write when nothing changed. */
  ifChanged?: boolean;
}

/**
 * Writes the world to its file.
 *
 * `commit()` is the durability point of the API: a request that may have changed the world is
 * answered only once `commit()` resolved, i.e. once a snapshot taken *after* its change is on disk
 * (temp file fsynced, renamed over the state file, directory fsynced). Commits are grouped: the
 * requests that ask while writes are under way share the next write, so one write + fsync covers
 * many requests. Up to MAX_WRITES_IN_FLIGHT snapshots are written at once (a disk's fsync latency,
 * not the CPU, is what bounds a single writer); their renames happen in the order the snapshots
 * were taken, so the file never goes back to an older state.
 *
 * Why snapshots and not an append-only journal: handlers and the engine mutate the world in place
 * (ids, timestamps and random choices are made inside them), so there is no operation log that
 * could be replayed to the same result; a journal would have to record state diffs, a second
 * format to read, compact and keep in step with this one. A grouped snapshot costs one
 * JSON.stringify of the world per write (the bottleneck on a large state: bench/durability.bench.ts).
 *
 * Engine-driven changes (ticks) are not acknowledged to anyone: `saveIfChanged()` writes them
 * periodically, through the same queue. `flush()` writes on close.
 */
export class StateStore {
  /** The text last written and the `savedAt` in it (to skip periodic writes that would change nothing). */
  private last = '';
  private lastSavedAt = 0;
  private waiting: Waiter[] = [];
  private inFlight = 0;
  private startScheduled = false;
  /** performance.now() when the last snapshot was taken, and how long it took (ms). */
  private lastStartAt = 0;
  private lastSnapshotMs = 0;
  /** Settles when the last started write has published (or failed): the next one publishes after it. */
  private lastPublish: Promise<void> = Promise.resolve();
  private lastError = '';
  private _failure: StateWriteError | undefined;

  constructor(
    readonly file: string,
    private readonly world: () => World,
    private readonly simNow: () => number,
    private readonly log: (msg: string) => void,
    private readonly writer: StateWriter = fsStateWriter,
  ) {}

  /** Marks the current content as already on disk (after a load). */
  markSaved(): void {
    const w = this.world();
    this.last = JSON.stringify(w);
    this.lastSavedAt = w.savedAt;
  }

  /** Set while the last write failed (cleared by the next one that succeeds). */
  get failure(): StateWriteError | undefined {
    return this._failure;
  }

  /**
   * Resolves once everything changed before this call is on disk; rejects with a StateWriteError
   * when that write failed (the change stays in memory and goes out with the next write that works).
   */
  commit(): Promise<void> {
    return this.enqueue(false);
  }

  /** Writes if the state changed since the last write (or `force`). Never rejects: a failure is logged. */
  saveIfChanged(force = false): Promise<void> {
    return this.enqueue(!force).catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.saveIfChanged(true);
  }

  private enqueue(ifChanged: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject, ifChanged });
      this.pump();
    });
  }

  private pump(): void {
    if (this.startScheduled || this.inFlight >= MAX_WRITES_IN_FLIGHT || this.waiting.length === 0) return;
    this.startScheduled = true;
    const go = () => {
      this.startScheduled = false;
      this.start();
    };
    const wait = this.lastStartAt + SNAPSHOT_SPACING * this.lastSnapshotMs - performance.now();
    // At least, let the requests answered in this same turn of the event loop join this write.
    if (wait <= 0) setImmediate(go);
    else setTimeout(go, wait);
  }

  private start(): void {
    if (this.inFlight >= MAX_WRITES_IN_FLIGHT || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    const w = this.world();
    // Only periodic saves waiting: skip the write when nothing but the time changed (the world as
    // it would read with the last written savedAt is the last written text).
    if (batch.every((b) => b.ifChanged) && !this._failure) {
      const savedAt = w.savedAt;
      w.savedAt = this.lastSavedAt;
      const unchanged = JSON.stringify(w) === this.last;
      w.savedAt = savedAt;
      if (unchanged) {
        for (const b of batch) b.resolve();
        return;
      }
    }
    // The snapshot is taken now, synchronously: it holds every change made before these commits.
    const t0 = performance.now();
    w.savedAt = Math.max(w.savedAt, this.simNow());
    const text = JSON.stringify(w);
    this.lastStartAt = t0;
    this.lastSnapshotMs = performance.now() - t0;
    this.inFlight++;
    const previous = this.lastPublish;
    const done = this.write(text, w.savedAt, previous);
    this.lastPublish = done.then(
      () => undefined,
      () => undefined,
    );
    done.then(
      () => batch.forEach((b) => b.resolve()),
      (e: StateWriteError) => batch.forEach((b) => b.reject(e)),
    ).finally(() => {
      this.inFlight--;
      this.pump();
    });
    this.pump();
  }

  private async write(text: string, savedAt: number, previous: Promise<void>): Promise<void> {
    try {
      const tmp = await this.writer.prepare(this.file, text);
      await previous; // renames in snapshot order
      await this.writer.publish(tmp, this.file);
    } catch (e) {
      await previous;
      const err = new StateWriteError(this.file, e as Error);
      this._failure = err;
      if (err.message !== this.lastError) this.log(`ECS Hands-on sandbox: ${err.message}`);
      this.lastError = err.message;
      throw err;
    }
    this.last = text;
    this.lastSavedAt = savedAt;
    if (this._failure) this.log(`ECS Hands-on sandbox: the state file ${this.file} is written again.`);
    this._failure = undefined;
    this.lastError = '';
  }
}

// ------------------------------------------------------------------------------------ lock file

export interface LockInfo {
  pid: number;
  endpoint?: string;
  /** The holder's default region. */
  region?: string;
  startedAt?: string;
}

export const lockFileFor = (stateFile: string) => `${stateFile}.lock`;

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(lockFile: string): LockInfo | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockInfo;
    return typeof v?.pid === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock for this process. Returns `{ ok: true }`, or the live holder's info. A lock from
 * a dead process (or an unreadable one) is taken over. Creation is exclusive (`wx`), so two
 * starting sandboxes cannot both win.
 */
export function acquireLock(lockFile: string, info: LockInfo): { ok: true } | { ok: false; holder: LockInfo } {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return { ok: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readLock(lockFile);
    if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid)) return { ok: false, holder };
    // Stale (dead pid) or unreadable: take it over.
    fs.rmSync(lockFile, { force: true });
  }
  throw new Error(`could not take the lock ${lockFile}`);
}

/** Rewrites our own lock (e.g. to add the endpoint once listening). */
export function updateLock(lockFile: string, info: LockInfo): void {
  writeFileAtomicSync(lockFile, JSON.stringify(info));
}

export function releaseLock(lockFile: string): void {
  const holder = readLock(lockFile);
  if (holder && holder.pid !== process.pid) return;
  fs.rmSync(lockFile, { force: true });
}
