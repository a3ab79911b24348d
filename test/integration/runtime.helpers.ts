/** Helpers for runtime.test.ts: an event recorder, plain HTTP, process checks, tiny fixture apps. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuntimeEvents, TaskLaunch } from '../../src/sandbox/runtime/runtime';

export type RuntimeEvent =
  | { kind: 'started'; region: string; taskId: string; ports: Record<number, number> }
  | { kind: 'failed'; region: string; taskId: string; reason: string }
  | { kind: 'exited'; region: string; taskId: string; code: number | null; reason: string };

export class Recorder implements RuntimeEvents {
  readonly events: RuntimeEvent[] = [];
  private waiters: (() => void)[] = [];

  started(region: string, taskId: string, ports: Record<number, number>): void {
    this.push({ kind: 'started', region, taskId, ports });
  }
  failed(region: string, taskId: string, reason: string): void {
    this.push({ kind: 'failed', region, taskId, reason });
  }
  exited(region: string, taskId: string, code: number | null, reason: string): void {
    this.push({ kind: 'exited', region, taskId, code, reason });
  }

  of(taskId: string): RuntimeEvent[] {
    return this.events.filter((e) => e.taskId === taskId);
  }

  /** Resolves with the first event of `kind` for `taskId` (already recorded or future). */
  async next<K extends RuntimeEvent['kind']>(taskId: string, kind: K, timeoutMs = 20000): Promise<Extract<RuntimeEvent, { kind: K }>> {
    const find = () => this.events.find((e) => e.taskId === taskId && e.kind === kind) as Extract<RuntimeEvent, { kind: K }> | undefined;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${kind} event for ${taskId}; got ${JSON.stringify(this.of(taskId))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private push(e: RuntimeEvent): void {
    this.events.push(e);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

let seq = 0;
export function launch(image: string, over: Partial<TaskLaunch> = {}): TaskLaunch {
  return {
    region: 'us-east-1',
    taskId: `task${++seq}${Math.random().toString(16).slice(2, 10)}`,
    image,
    containerName: 'demo',
    ports: [{ containerPort: 8080, hostPort: 80 }],
    environment: [],
    instanceId: 'i-0123456789abcdef0',
    availabilityZone: 'us-east-1a',
    cpuUnits: 256,
    ...over,
  };
}

export interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function get(url: string, headers: Record<string, string> = {}, agent: http.Agent | false = false): Promise<Reply & { reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.setTimeout(10000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/** Resolves with the connect error code (e.g. ECONNREFUSED), or 'connected'. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** A process is gone when /proc has no entry for it or it is a zombie waiting for a reaper. */
export function processGone(pid: number): boolean {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return /^State:\s+Z/m.test(status);
  } catch {
    return true;
  }
}

export async function until(cond: () => boolean, timeoutMs: number, what: string, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes a small CommonJS program to a temp dir and returns its path. */
export function fixture(name: string, source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-runtime-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  return file;
}
