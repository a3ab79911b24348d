/**
 * The sandbox's own controls under `/_sandbox/` (JSON, loopback only, no SigV4, a bearer token —
 * checked by server.ts before a route runs): status, time scale, reset, a state snapshot, the real
 * URLs of running tasks and load balancers, and fault injection. Documented in README.md.
 * The request and response types below are the API's contract: the typed client
 * (src/aws/sandbox-admin.ts) imports them.
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
  /** Saves the state now; rejects (StateWriteError) when it cannot be written. */
  commit(): Promise<void>;
  log(message: string): void;
  /** The load balancers' listeners and the real URLs that answer for them. */
  loadBalancers?: () => AdminLoadBalancerEntry[];
  /** Fault injection settings, read by the dispatcher. */
  faults: Faults;
}

/**
 * Sandbox-only fault injection: throttle a fraction of API calls (optionally only some
 * operations), and answer every API call late (network and service latency, as real AWS has).
 */
export interface Faults {
  throttleFraction: number;
  /** Operation names (e.g. `DescribeServices`); empty = every operation. */
  throttleOperations: string[];
  /** Milliseconds every AWS API call waits before it is handled (0 = none). */
  latencyMs: number;
}

/** The most latency the faults API accepts (a minute: longer would only trip the SDK's timeouts). */
export const MAX_LATENCY_MS = 60_000;

export const noFaults = (): Faults => ({ throttleFraction: 0, throttleOperations: [], latencyMs: 0 });

/** Whether to throttle this call under `faults` (random draw). */
export function shouldThrottle(faults: Faults, operation: string, random: () => number = Math.random): boolean {
  if (faults.throttleFraction <= 0) return false;
  if (faults.throttleOperations.length && !faults.throttleOperations.includes(operation)) return false;
  return random() < faults.throttleFraction;
}

// ------------------------------------------------------------------------------- the API's types

/** `GET /_sandbox/status` */
export interface AdminStatus {
  endpoint: string;
  pid: number;
  /** The default region. */
  region: string;
  /** Regions with state. */
  regions: string[];
  accountId: string;
  accessKeyId: string;
  timeScale: number;
  /** Simulated epoch ms. */
  now: number;
  nowIso: string;
  /** The AWS CLI profile written, if any. */
  profile: string | null;
  stateFile: string | null;
}

/** `POST /_sandbox/time-scale` */
export interface AdminTimeScaleRequest {
  /** Simulated ms per real ms, 0 < scale <= 1000. */
  scale: number;
}
export interface AdminTimeScale {
  timeScale: number;
  now: number;
}

/** `POST /_sandbox/reset` */
export interface AdminResetRequest {
  /** One region; every region when left out. */
  region?: string;
}
export interface AdminReset {
  /** The regions cleared. */
  reset: string[];
}

/** `GET /_sandbox/state`: the world without the secret key and the admin token. */
export type AdminState = Omit<World, 'credentials'> & { credentials: { accessKeyId: string } };

/** `GET /_sandbox/tasks?region=`: one entry per container port of each RUNNING task. */
export interface AdminTaskEntry {
  taskArn: string;
  taskId: string;
  cluster: string;
  service: string | null;
  containerName: string;
  hostPort: number | null;
  containerPort: number | null;
  /** The task's real local URL for that port. */
  url: string | null;
}
export interface AdminTasks {
  region: string;
  tasks: AdminTaskEntry[];
}

/** `GET /_sandbox/load-balancers`: one entry per listener the sandbox serves. */
export interface AdminLoadBalancerEntry {
  region: string;
  loadBalancerArn: string;
  loadBalancerName: string;
  dnsName: string;
  listenerArn: string;
  /** The listener's port as the API shows it (e.g. 80). */
  port: number;
  /** The real 127.0.0.1 port. */
  realPort: number;
  /** `http://<DNSName>:<realPort>/` (*.localhost resolves to loopback). */
  url: string;
  /** `http://127.0.0.1:<realPort>/` */
  localUrl: string;
  /** Whether the security groups let clients in. */
  open: boolean;
}
export interface AdminLoadBalancers {
  loadBalancers: AdminLoadBalancerEntry[];
}

/**
 * `POST /_sandbox/faults` (`GET` answers the current Faults). The body is the whole fault
 * configuration: what it leaves out is off (`{}` turns every fault off).
 */
export interface AdminFaultsRequest {
  /** Fraction of calls refused as throttled, 0–1. */
  throttle?: number;
  /** Only these operations (e.g. `DescribeServices`); all when empty. */
  operations?: string[];
  /** Every AWS API call waits this long (ms, 0–60000) before it is handled. */
  latencyMs?: number;
}

/** `POST /_sandbox/tasks/kill`: the task's process is killed (SIGKILL, as a crash). */
export interface AdminTaskRef {
  /** A task ARN, or `taskId` with `region`. */
  taskArn?: string;
  taskId?: string;
  region?: string;
}
export interface AdminKill {
  killed: string;
}

/** `POST /_sandbox/tasks/unhealthy`: the task's app answers every request with 500 (or normally again). */
export interface AdminUnhealthyRequest extends AdminTaskRef {
  unhealthy: boolean;
}
export interface AdminUnhealthy {
  taskId: string;
  unhealthy: boolean;
}

/** Every error: 4xx/5xx with this body. */
export interface AdminErrorBody {
  error: string;
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

/** Routes whose change is part of the saved state: answered only once it is on disk. */
const WRITES = new Set(['POST /_sandbox/time-scale', 'POST /_sandbox/reset']);

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
    v = JSON.parse(text, (k, val: unknown) => (k === '__proto__' ? undefined : val));
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

/**
 * Stops the tasks' processes and removes the region's state, or every region's and the account's
 * IAM (a fresh account: no roles). Credentials stay.
 */
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
  // IAM is global: a region's reset keeps it, a whole reset starts the account afresh.
  if (!region) delete host.world.iam;
  return names;
}

/** Each route and what it answers (a 200 body). */
export interface AdminRoutes {
  'GET /_sandbox/status': AdminStatus;
  'POST /_sandbox/time-scale': AdminTimeScale;
  'POST /_sandbox/reset': AdminReset;
  'GET /_sandbox/state': AdminState;
  'GET /_sandbox/load-balancers': AdminLoadBalancers;
  'GET /_sandbox/faults': Faults;
  'POST /_sandbox/faults': Faults;
  'POST /_sandbox/tasks/kill': AdminKill;
  'POST /_sandbox/tasks/unhealthy': AdminUnhealthy;
  'GET /_sandbox/tasks': AdminTasks;
}

const routes: { [K in keyof AdminRoutes]: (host: AdminHost, req: AdminRequest) => AdminRoutes[K] } & Record<string, Route> = {
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

  'GET /_sandbox/faults': (h) => ({ ...h.faults }),
  'POST /_sandbox/faults': (h, req) => {
    const body = readJson(req);
    const fraction = body.throttle ?? 0;
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      throw new AdminError(400, `"throttle" must be a fraction from 0 to 1, got ${JSON.stringify(fraction)?.slice(0, 60)}.`);
    }
    const ops = body.operations ?? [];
    if (!Array.isArray(ops) || ops.some((o) => typeof o !== 'string' || !/^[A-Za-z]{1,64}$/.test(o))) {
      throw new AdminError(400, '"operations" must be a list of operation names such as "DescribeServices".');
    }
    const latency = body.latencyMs ?? 0;
    if (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 0 || latency > MAX_LATENCY_MS) {
      throw new AdminError(400, `"latencyMs" must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}, got ${JSON.stringify(latency)?.slice(0, 60)}.`);
    }
    h.faults.throttleFraction = fraction;
    h.faults.throttleOperations = ops as string[];
    h.faults.latencyMs = latency;
    return { ...h.faults };
  },
  'POST /_sandbox/tasks/kill': (h, req) => {
    const { region, taskId } = taskParam(h, readJson(req));
    const rt = h.runtime as TaskRuntime & { kill?: (r: string, t: string) => void };
    if (typeof rt.kill !== 'function') throw new AdminError(409, 'This sandbox\'s runtime cannot kill task processes.');
    rt.kill(region, taskId);
    return { killed: taskId };
  },
  'POST /_sandbox/tasks/unhealthy': (h, req) => {
    const body = readJson(req);
    const { region, taskId } = taskParam(h, body);
    if (typeof body.unhealthy !== 'boolean') throw new AdminError(400, '"unhealthy" must be true or false.');
    const rt = h.runtime as TaskRuntime & { setUnhealthy?: (r: string, t: string, on: boolean) => void };
    if (typeof rt.setUnhealthy !== 'function') throw new AdminError(409, 'This sandbox\'s runtime cannot change task health.');
    rt.setUnhealthy(region, taskId, body.unhealthy);
    return { taskId, unhealthy: body.unhealthy };
  },
  'GET /_sandbox/tasks': (h, req) => {
    const region = regionParam(req.query.get('region'), h.region)!;
    const rs = h.world.regions[region];
    const tasks: AdminTaskEntry[] = [];
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

/** `{ taskArn | taskId, region? }` → a RUNNING task of the sandbox, or a 400/404 naming the problem. */
function taskParam(h: AdminHost, body: Record<string, unknown>): { region: string; taskId: string } {
  const ref = body.taskArn ?? body.taskId;
  if (typeof ref !== 'string' || !/^[A-Za-z0-9:/_-]{1,400}$/.test(ref)) throw new AdminError(400, '"taskArn" (or "taskId") must name a task.');
  const fromArn = /^arn:aws:ecs:([a-z0-9-]+):/.exec(ref)?.[1];
  const region = regionParam(body.region ?? fromArn, h.region)!;
  const taskId = ref.slice(ref.lastIndexOf('/') + 1);
  const task = h.world.regions[region]?.ecs?.tasks?.[taskId];
  if (!task || !Object.hasOwn(h.world.regions[region].ecs.tasks, taskId)) throw new AdminError(404, `No task ${taskId} in ${region}.`);
  if (task.lastStatus !== 'RUNNING') throw new AdminError(409, `Task ${taskId} is ${task.lastStatus}, not RUNNING.`);
  return { region, taskId };
}

export async function handleAdmin(host: AdminHost, req: AdminRequest): Promise<HttpAnswer> {
  const key = `${req.method} ${req.path}`;
  const route = routes[key];
  if (!route) {
    const known = Object.keys(routes).filter((k) => k.endsWith(` ${req.path}`));
    if (known.length) return json(405, { error: `${req.method} is not allowed on ${req.path}; use ${known.map((k) => k.split(' ')[0]).join(' or ')}.` });
    return json(404, { error: `No admin endpoint ${req.path.slice(0, 100)}. Known: ${Object.keys(routes).join(', ')}.` });
  }
  try {
    const result = route(host, req);
    // The clock's position (time scale) and a reset are acknowledged writes: on disk before the answer.
    if (WRITES.has(key)) {
      try {
        await host.commit();
      } catch (e) {
        return json(500, { error: `${(e as Error).message}. The change was made in memory but is not saved: it may or may not be there after a restart.` });
      }
    }
    return json(200, result);
  } catch (e) {
    if (e instanceof AdminError) return json(e.status, { error: e.message });
    host.log(`admin ${req.method} ${req.path} failed: ${(e as Error)?.stack ?? String(e)}`);
    return json(500, { error: `Internal error: ${(e as Error)?.message ?? String(e)}` });
  }
}
