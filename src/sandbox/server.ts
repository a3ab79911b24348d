/**
 * The sandbox's HTTP server: AWS APIs on one port (routed by X-Amz-Target / Action and the SigV4
 * credential scope), the admin API under `/_sandbox/`. Binds 127.0.0.1 only.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, noFaults, shouldThrottle, type AdminHost } from './admin';
import { ScaledClock, type Clock } from './engine/clock';
import { Engine } from './engine/engine';
import type { World } from './engine/state';
import { PROFILE_NAME, writeProfile, type ProfilePaths } from './credentials';
import { dispatchAws, encodeError, type DispatchDeps, type HttpAnswer } from './protocol/dispatch';
import { AwsError } from './protocol/errors';
import type { TaskRuntime } from './runtime/runtime';
import type { RequestContext, ServiceDefinition } from './service';
import { StateStore, loadWorld, newAdminToken, newWorld } from './store';
import type { EngineHooks } from './engine/context';
import { createElbv2Runtime, type Elbv2Runtime } from './elbv2/wiring';
import type { SandboxExtension } from './extensions';

export interface SandboxOptions {
  /** 0 = any free port. */
  port: number;
  /** Where state is persisted; undefined = in memory only. */
  stateFile?: string;
  /** Simulated ms per real ms (default 10). */
  timeScale?: number;
  /** Default region (written into the CLI profile). */
  region?: string;
  /** Defaults to the real process runtime; tests may pass a fake. */
  runtime?: TaskRuntime;
  /** Tests may drive time by hand. */
  clock?: Clock;
  /** Write the `ecs-handson-sandbox` AWS CLI profile (default false; the CLI turns it on). */
  writeProfile?: boolean;
  /** Environment used to find the CLI's credentials/config files (default process.env). */
  profileEnv?: NodeJS.ProcessEnv;
  /** The services served (default: the registry). Tests may pass their own. */
  services?: readonly ServiceDefinition[];
  /** Builds the engine (default `new Engine(world, clock, runtime)`). Tests may pass a fake. */
  createEngine?: (world: World, clock: Clock, runtime: TaskRuntime, hooks?: EngineHooks) => Engine;
  /** Extensions ticked after the engine (default: the registry's when `services` is not given). */
  extensions?: readonly SandboxExtension[];
  /** Largest request body accepted, bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Where diagnostics go (default stderr). */
  log?: (message: string) => void;
  /** Real ms between engine ticks (default 100). */
  tickMs?: number;
  /** Most task processes alive at once (default DEFAULT_MAX_TASKS; 0 = no limit). */
  maxTasks?: number;
  /**
   * Benchmarks only (bench/durability.bench.ts): the behaviour before durable commits — answer
   * first, save 250 ms later — so both can be measured side by side. Loses acknowledged writes.
   */
  acknowledgeBeforeSave?: boolean;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The admin API's bearer token (`Authorization: Bearer …` on `/_sandbox/*`). */
  adminToken: string;
  engine: Engine;
  world: World;
  clock: Clock;
  /** The persisted state file, if any. */
  stateFile?: string;
  /** Where the CLI profile was written (when `writeProfile`). */
  profile?: ProfilePaths;
  /** Writes the state now (if persisted). */
  save(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_REGION = 'ap-northeast-1';
export const DEFAULT_TIME_SCALE = 10;
export const MAX_BODY_BYTES = 1024 * 1024;
/** Default cap on live task processes: a demo task costs ~10 MB of unshared memory (~45 MB RSS), so ~2 GB at the cap. */
export const DEFAULT_MAX_TASKS = 200;

/**
 * Per-socket limits of the API port, against slow or stalled clients (slowloris): a request's
 * headers must arrive within 5 s and the whole request within 30 s (bodies are at most 1 MiB from
 * a local client), an idle keep-alive connection is closed after 5 s; the server checks every
 * second (Node's default is every 30 s, which let a trickling socket live 50 s).
 */
export const SOCKET_TIMEOUTS = { headersTimeout: 5_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 } as const;

const stderrLog = (m: string) => process.stderr.write(`${m}\n`);

function send(res: http.ServerResponse, a: HttpAnswer, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(a.body, 'utf8');
  res.writeHead(a.status, { ...a.headers, ...extra, 'content-length': String(body.length) });
  res.end(body);
}

/** Reads the body, stopping as soon as it exceeds `limit` bytes. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return resolve('too-large');
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        resolve('too-large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

const isLoopbackHost = (host: string | undefined, port: number) =>
  !!host && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '127.0.0.1', 'localhost'].includes(host.toLowerCase());

const TOKEN_HINT = "send the header 'Authorization: Bearer <token>'; `ecs-handson-sandbox --print-admin-token` prints the token (the extension passes it itself)";

/**
 * Who may drive the sandbox: the admin API answers only requests addressed to loopback (against DNS
 * rebinding), made by no web page (any Origin header is refused: browsers send one on cross-origin
 * and on non-GET requests), carrying the admin token. Undefined = allowed.
 */
function adminRefusal(req: http.IncomingMessage, port: number, token: string): { status: number; error: string } | undefined {
  if (!isLoopbackHost(req.headers.host, port)) return { status: 403, error: 'The admin API answers requests to 127.0.0.1 / localhost only.' };
  if (req.headers.origin !== undefined) {
    return { status: 403, error: `The admin API does not answer web pages (the request came from the origin '${String(req.headers.origin).slice(0, 100)}').` };
  }
  const auth = req.headers.authorization;
  const given = typeof auth === 'string' && /^Bearer [A-Za-z0-9_-]+$/.test(auth) ? auth.slice(7) : undefined;
  if (given === undefined) return { status: 401, error: `The admin API needs the sandbox's admin token: ${TOKEN_HINT}.` };
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { status: 401, error: `The admin token is not this sandbox's: ${TOKEN_HINT}.` };
  return undefined;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? stderrLog;
  const region = options.region ?? DEFAULT_REGION;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;

  // State: load or start fresh.
  let world: World | undefined;
  let upgraded = false;
  if (options.stateFile) ({ world, upgraded = false } = loadWorld(options.stateFile, log));
  const loaded = !!world;
  world ??= newWorld(options.clock?.now() ?? Date.now());
  const clock = options.clock ?? new ScaledClock(options.timeScale ?? DEFAULT_TIME_SCALE, loaded ? world.savedAt : Date.now());

  // Loaded lazily so that tests passing their own services / runtime do not load the real ones.
  const registry = options.services ? undefined : (require('./registry') as typeof import('./registry'));
  const services: readonly ServiceDefinition[] = options.services ?? registry!.services;
  const extensions: readonly SandboxExtension[] = options.extensions ?? registry?.extensions ?? [];
  const runtime: TaskRuntime =
    options.runtime ?? new (require('./runtime/process-runtime') as typeof import('./runtime/process-runtime')).ProcessRuntime();
  // Load balancing: the ALB proxies, health checks and the ECS hooks (register, health gate, drain).
  let engineRef: Engine | undefined;
  const w0 = world;
  const elb: Elbv2Runtime = createElbv2Runtime({
    world: w0,
    clock,
    runtime,
    stopTask: (rs, task, code, reason) => engineRef?.stopTask(rs, task, code, reason),
  });
  const engine = options.createEngine ? options.createEngine(world, clock, runtime, elb.hooks) : new Engine(world, clock, runtime, { hooks: elb.hooks, maxTasks: options.maxTasks ?? DEFAULT_MAX_TASKS });
  engineRef = engine;
  // CloudWatch's AWS/ApplicationELB metrics come from the proxies' counters.
  if (registry) (require('./cloudwatch') as typeof import('./cloudwatch')).setAlbMetricsSource(() => elb.metrics());
  const restorable = engine as Engine & { restore?: () => void };
  if (typeof restorable.restore === 'function') restorable.restore();

  const w = world;
  // Worlds built by tests may come without one; a loaded file always has one (store.loadWorld).
  const adminToken = (w.credentials.adminToken ??= newAdminToken());
  const store = options.stateFile ? new StateStore(options.stateFile, () => w, () => clock.now(), log) : undefined;
  if (store && loaded && !upgraded) store.markSaved();

  let endpoint = '';
  let port = 0;
  let profile: ProfilePaths | undefined;

  // Requests whose context created a region (its default VPC gets random ids the client may see):
  // such a read is saved before it is answered, like a write.
  const createdRegion = new Set<string>();
  const context = (reqRegion: string, requestId: string): RequestContext => {
    if (store && !Object.hasOwn(w.regions, reqRegion)) createdRegion.add(requestId);
    return requestContext(reqRegion, requestId);
  };
  const requestContext = (reqRegion: string, requestId: string): RequestContext => ({
    region: reqRegion,
    accountId: w.accountId,
    world: w,
    state: engine.region(reqRegion),
    engine,
    now: clock.now(),
    requestId,
  });

  const adminHost: AdminHost = {
    get endpoint() {
      return endpoint;
    },
    region,
    world: w,
    engine,
    clock,
    runtime,
    stateFile: options.stateFile,
    get profileName() {
      return options.writeProfile ? PROFILE_NAME : undefined;
    },
    commit: () => store?.commit() ?? Promise.resolve(),
    log,
    loadBalancers: () => elb.endpoints(),
    faults: noFaults(),
  };

  // Durability (see StateStore.commit): a request that may change state is answered once on disk.
  const durability: DispatchDeps['durability'] = !store
    ? undefined
    : options.acknowledgeBeforeSave
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
        };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    const isAdmin = path === '/_sandbox' || path.startsWith('/_sandbox/');
    let body: Buffer | 'too-large';
    try {
      body = await readBody(req, maxBody);
    } catch {
      req.destroy();
      return;
    }
    if (body === 'too-large') {
      const msg = `Request body is larger than the sandbox's limit of ${maxBody} bytes.`;
      const answer = isAdmin
        ? { status: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: msg }) }
        : tooLarge(req, msg, requestId);
      // Do not read the rest: answer and close the connection.
      res.once('finish', () => req.socket.destroySoon?.());
      send(res, answer, { connection: 'close' });
      return;
    }
    if (isAdmin) {
      const refused = adminRefusal(req, port, adminToken);
      if (refused) {
        send(res, { status: refused.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify({ error: refused.error }) });
        return;
      }
      const q = url.indexOf('?');
      send(
        res,
        await handleAdmin(adminHost, {
          method: req.method ?? 'GET',
          path: path.replace(/\/+$/, ''),
          query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
          body,
          contentType: (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
        }),
      );
      return;
    }
    // Fault injection: the call is answered late, as over a slow network.
    const latency = adminHost.faults.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const answer = await dispatchAws(
      { method: req.method ?? 'GET', url, headers: req.headers, body },
      {
        services,
        lookupSecret: (akid) => (akid === w.credentials.accessKeyId ? w.credentials.secretAccessKey : undefined),
        context,
        durability,
        log,
        throttle: (_service, operation) => shouldThrottle(adminHost.faults, operation),
      },
      requestId,
    );
    send(res, answer);
  };

  const server = http.createServer(SOCKET_TIMEOUTS, (req, res) => {
    handle(req, res).catch((e) => {
      // An unexpected error costs this request one 500, never the process.
      try {
        log(`sandbox: request ${req.method} ${String(req.url).slice(0, 200)} failed: ${(e as Error)?.stack ?? String(e)}`);
        send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error' }) });
      } catch {
        res.destroy();
      }
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // What Node itself would answer: 408 when the headers or the request took too long, 431 for oversized headers.
    const status =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // restore() may have restarted task processes: do not leave them behind.
    await runtime.shutdown().catch(() => undefined);
    throw e;
  }
  // After listening, an error the server emits is logged, not thrown (an unhandled 'error' event would stop the process).
  server.on('error', (e) => log(`sandbox: API server error: ${(e as Error).message}`));
  port = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}`;

  if (options.writeProfile) {
    try {
      profile = writeProfile({ ...w.credentials, region, endpoint, env: options.profileEnv });
    } catch (e) {
      log(`ECS Hands-on sandbox: could not write the AWS CLI profile ${PROFILE_NAME}: ${(e as Error).message}`);
    }
  }

  // The engine's heartbeat, and the periodic save of whatever it changed.
  let tickError = '';
  let tickErrorAt = 0;
  const ticker = setInterval(() => {
    // Each part in its own try: a bug in one must not stop the others' clocks.
    const parts: [string, () => void][] = [
      ['engine', () => engine.tick()],
      ['elbv2', () => elb.tick(clock.now())],
      ...extensions.map((ext): [string, () => void] => [ext.name, () => {
        const now = clock.now();
        for (const rs of Object.values(w.regions)) ext.tick?.({ engine, rs, now, runtime });
      }]),
    ];
    for (const [name, run] of parts) {
      try {
        run();
      } catch (e) {
        const msg = `${name}: ${(e as Error)?.stack ?? String(e)}`;
        if (msg !== tickError || Date.now() - tickErrorAt > 10_000) log(`sandbox: tick failed: ${msg}`);
        tickError = msg;
        tickErrorAt = Date.now();
      }
    }
  }, options.tickMs ?? 100);
  const saver = store ? setInterval(() => void store.saveIfChanged(), 2000) : undefined;
  if (store && (!loaded || upgraded)) await store.saveIfChanged(true);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(ticker);
      if (saver) clearInterval(saver);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store?.flush();
      await elb.close();
      for (const ext of extensions) await ext.shutdown?.();
      await runtime.shutdown();
    })());

  return {
    endpoint,
    port,
    region,
    credentials: { accessKeyId: w.credentials.accessKeyId, secretAccessKey: w.credentials.secretAccessKey },
    adminToken,
    engine,
    world: w,
    clock,
    stateFile: options.stateFile,
    profile,
    save: () => store?.saveIfChanged(true) ?? Promise.resolve(),
    close,
  };
}

/** The old way, for benchmarks: writes are answered at once and saved by a debounced write. */
function debounced(store: StateStore) {
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

/** A 413 in the style of the request (JSON if it names an X-Amz-Target, EC2 XML if signed for ec2, else query XML). */
function tooLarge(req: http.IncomingMessage, message: string, requestId: string): HttpAnswer {
  const ec2 = /Credential=[^/,]*\/[^/,]*\/[^/,]*\/ec2\//.test(String(req.headers.authorization ?? ''));
  const kind = req.headers['x-amz-target'] !== undefined ? 'json' : ec2 ? 'ec2' : 'query';
  return encodeError({ kind }, new AwsError('RequestEntityTooLarge', message, 413), requestId);
}
