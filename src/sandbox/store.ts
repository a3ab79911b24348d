/**
 * Persisted sandbox state: crash-safe writes (temp file in the same directory, fsync, rename),
 * debounced saves after changes, a corrupt file moved aside and reported — never silently lost —
 * and the `<state>.lock` file that keeps two sandboxes off one state file.
 */
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { World } from './engine/state';

export const STATE_VERSION = 1;

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[randomInt(chars.length)]).join('');

export function newCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${pick(ALNUM_UPPER, 16)}`, secretAccessKey: pick(SECRET_CHARS, 40) };
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
  return undefined;
}

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1Z');

export interface LoadResult {
  world?: World;
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
  const problem = worldProblem(parsed);
  if (problem) return moveAside(file, problem, log);
  return { world: parsed as World };
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
  try {
    const d = await fsp.open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    // Directory fsync is best effort (not supported everywhere).
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

/**
 * Saves the world when it changed: `schedule()` after a mutating request (debounced), `tick()`
 * periodically (writes only if the serialised state differs from the last write), `flush()` on close.
 */
export class StateStore {
  private last = '';
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private lastError = '';

  constructor(
    readonly file: string,
    private readonly world: () => World,
    private readonly simNow: () => number,
    private readonly log: (msg: string) => void,
    private readonly debounceMs = 250,
  ) {}

  /** Marks the current content as already on disk (after a load). */
  markSaved(): void {
    this.last = this.comparable();
  }

  private comparable(): string {
    return JSON.stringify({ ...this.world(), savedAt: 0 });
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.saveIfChanged();
    }, this.debounceMs);
  }

  /** Writes if the state changed since the last write (or `force`). Writes are serialised. */
  saveIfChanged(force = false): Promise<void> {
    const run = async () => {
      const now = this.comparable();
      if (!force && now === this.last) return;
      const w = this.world();
      w.savedAt = Math.max(w.savedAt, this.simNow());
      try {
        await writeFileAtomic(this.file, JSON.stringify(w));
        this.last = now;
        this.lastError = '';
      } catch (e) {
        const msg = `ECS Hands-on sandbox: could not save state to ${this.file}: ${(e as Error).message}`;
        if (msg !== this.lastError) this.log(msg);
        this.lastError = msg;
      }
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.saveIfChanged(true);
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
