/**
 * The sandbox's own controls under `/_sandbox/` (JSON, loopback only, no SigV4): status, time
 * scale, reset, a state snapshot and the real URLs of running tasks. Documented in README.md.
 * Routes live in one table so fault injection can be added beside them.
 */
import type { Clock } from './engine/clock';
import type { Engine } from './engine/engine';
import type { World } from './engine/state';
import type { HttpAnswer } from './protocol/dispatch';
import { isRegionName } from './protocol/sigv4';
import type { TaskRuntime } from './runtime/runtime';

export interface AdminHost {
  endpoint: string;
  region: string;
  world: World;
  engine: Engine;
  clock: Clock;
  runtime: TaskRuntime;
  stateFile?: string;
  profileName?: string;
  /** The state changed: save soon. */
  changed(): void;
  log(message: string): void;
  /** The load balancers' listeners and the real URLs that answer for them. */
  loadBalancers?: () => unknown[];
}

export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Route = (host: AdminHost, req: AdminRequest) => unknown;

const json = (status: number, value: unknown): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(value, null, 2),
});

function readJson(req: AdminRequest): Record<string, unknown> {
  if (req.contentType !== 'application/json') throw new AdminError(400, 'Content-Type must be application/json.');
  const text = req.body.toString('utf8');
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text, (k, val) => (k === '__proto__' ? undefined : val));
  } catch (e) {
    throw new AdminError(400, `The body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AdminError(400, 'The body must be a JSON object.');
  return v as Record<string, unknown>;
}

function regionParam(v: unknown, fallback: string | undefined): string | undefined {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v !== 'string' || !isRegionName(v)) throw new AdminError(400, `"region" must be a region name such as ap-northeast-1, got ${JSON.stringify(v)?.slice(0, 60)}.`);
  return v;
}

const clusterOf = (arn: string) => /:(?:task|cluster)\/([^/]+)/.exec(arn)?.[1] ?? arn;

/** Stops the tasks' processes and removes the region's state (or every region's). Credentials stay. */
export function resetRegions(host: AdminHost, region: string | undefined): string[] {
  const names = region ? [region] : Object.keys(host.world.regions);
  const engine = host.engine as Engine & { reset?: (region?: string) => void };
  for (const name of names) {
    const rs = host.world.regions[name];
    if (!rs) continue;
    for (const [taskId, task] of Object.entries(rs.ecs?.tasks ?? {})) {
      if (task.lastStatus !== 'STOPPED') {
        try {
          host.runtime.stop(name, taskId, 0);
        } catch (e) {
          host.log(`reset: could not stop task ${taskId}: ${(e as Error).message}`);
        }
      }
    }
  }
  if (typeof engine.reset === 'function') engine.reset(region);
  for (const name of names) delete host.world.regions[name];
  host.changed();
  return names;
}

const routes: Record<string, Route> = {
  'GET /_sandbox/status': (h) => ({
    endpoint: h.endpoint,
    pid: process.pid,
    region: h.region,
    regions: Object.keys(h.world.regions),
    accountId: h.world.accountId,
    accessKeyId: h.world.credentials.accessKeyId,
    timeScale: h.clock.scale,
    now: h.clock.now(),
    nowIso: new Date(h.clock.now()).toISOString(),
    profile: h.profileName ?? null,
    stateFile: h.stateFile ?? null,
  }),

  'POST /_sandbox/time-scale': (h, req) => {
    const body = readJson(req);
    const scale = body.scale;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > 1000) {
      throw new AdminError(400, `"scale" must be a number greater than 0 and at most 1000, got ${JSON.stringify(scale)?.slice(0, 60)}.`);
    }
    const clock = h.clock as Clock & { setScale?: (s: number) => void };
    if (typeof clock.setScale !== 'function') throw new AdminError(409, 'This sandbox runs on a clock whose speed cannot be changed.');
    clock.setScale(scale);
    return { timeScale: h.clock.scale, now: h.clock.now() };
  },

  'POST /_sandbox/reset': (h, req) => {
    const body = readJson(req);
    const region = regionParam(body.region, undefined);
    return { reset: resetRegions(h, region) };
  },

  'GET /_sandbox/state': (h) => ({ ...h.world, credentials: { accessKeyId: h.world.credentials.accessKeyId } }),

  'GET /_sandbox/load-balancers': (h) => ({ loadBalancers: h.loadBalancers?.() ?? [] }),
  'GET /_sandbox/tasks': (h, req) => {
    const region = regionParam(req.query.get('region'), h.region)!;
    const rs = h.world.regions[region];
    const tasks: unknown[] = [];
    for (const [taskId, task] of Object.entries(rs?.ecs?.tasks ?? {})) {
      if (task.lastStatus !== 'RUNNING') continue;
      const base = { taskArn: task.taskArn, taskId, cluster: clusterOf(task.clusterArn ?? task.taskArn), service: task.serviceName ?? null };
      for (const c of task.containers ?? []) {
        if (!c.networkBindings?.length) tasks.push({ ...base, containerName: c.name, hostPort: null, containerPort: null, url: null });
        for (const b of c.networkBindings ?? []) {
          tasks.push({ ...base, containerName: c.name, hostPort: b.hostPort, containerPort: b.containerPort, url: h.runtime.url(region, taskId, b.hostPort) ?? null });
        }
      }
    }
    return { region, tasks };
  },
};

export function handleAdmin(host: AdminHost, req: AdminRequest): HttpAnswer {
  const route = routes[`${req.method} ${req.path}`];
  if (!route) {
    const known = Object.keys(routes).filter((k) => k.endsWith(` ${req.path}`));
    if (known.length) return json(405, { error: `${req.method} is not allowed on ${req.path}; use ${known.map((k) => k.split(' ')[0]).join(' or ')}.` });
    return json(404, { error: `No admin endpoint ${req.path.slice(0, 100)}. Known: ${Object.keys(routes).join(', ')}.` });
  }
  try {
    return json(200, route(host, req));
  } catch (e) {
    if (e instanceof AdminError) return json(e.status, { error: e.message });
    host.log(`admin ${req.method} ${req.path} failed: ${(e as Error)?.stack ?? String(e)}`);
    return json(500, { error: `Internal error: ${(e as Error)?.message ?? String(e)}` });
  }
}
