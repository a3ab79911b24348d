/**
 * The sandbox's HTTP server: AWS APIs on one port (routed by X-Amz-Target / Action and the SigV4
 * credential scope), the admin API under `/_sandbox/`. Binds 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, noFaults, shouldThrottle, type AdminHost } from './admin';
import { ScaledClock, type Clock } from './engine/clock';
import { Engine } from './engine/engine';
import type { World } from './engine/state';
import { PROFILE_NAME, writeProfile, type ProfilePaths } from './credentials';
import { dispatchAws, encodeError, type HttpAnswer } from './protocol/dispatch';
import { AwsError } from './protocol/errors';
import type { TaskRuntime } from './runtime/runtime';
import type { RequestContext, ServiceDefinition } from './service';
import { StateStore, loadWorld, newWorld } from './store';
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
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
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

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? stderrLog;
  const region = options.region ?? DEFAULT_REGION;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;

  // State: load or start fresh.
  let world: World | undefined;
  if (options.stateFile) world = loadWorld(options.stateFile, log).world;
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
    log,
  });
  const engine = options.createEngine ? options.createEngine(world, clock, runtime, elb.hooks) : new Engine(world, clock, runtime, { hooks: elb.hooks });
  engineRef = engine;
  // CloudWatch's AWS/ApplicationELB metrics come from the proxies' counters.
  if (registry) (require('./cloudwatch') as typeof import('./cloudwatch')).setAlbMetricsSource(() => elb.metrics());
  const restorable = engine as Engine & { restore?: () => void };
  if (typeof restorable.restore === 'function') restorable.restore();

  const w = world;
  const store = options.stateFile ? new StateStore(options.stateFile, () => w, () => clock.now(), log) : undefined;
  if (store && loaded) store.markSaved();

  let endpoint = '';
  let port = 0;
  let profile: ProfilePaths | undefined;

  const context = (reqRegion: string, requestId: string): RequestContext => ({
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
    changed: () => store?.schedule(),
    log,
    loadBalancers: () => elb.endpoints(),
    faults: noFaults(),
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
      if (!isLoopbackHost(req.headers.host, port)) {
        send(res, { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'The admin API answers requests to 127.0.0.1 / localhost only.' }) });
        return;
      }
      const q = url.indexOf('?');
      send(
        res,
        handleAdmin(adminHost, {
          method: req.method ?? 'GET',
          path: path.replace(/\/+$/, ''),
          query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
          body,
          contentType: (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
        }),
      );
      return;
    }
    const answer = await dispatchAws(
      { method: req.method ?? 'GET', url, headers: req.headers, body },
      {
        services,
        lookupSecret: (akid) => (akid === w.credentials.accessKeyId ? w.credentials.secretAccessKey : undefined),
        context,
        onMutation: () => store?.schedule(),
        log,
        throttle: (_service, operation) => shouldThrottle(adminHost.faults, operation),
      },
      requestId,
    );
    if (answer.mutated) store?.schedule();
    send(res, answer);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      log(`sandbox: request failed: ${(e as Error)?.stack ?? String(e)}`);
      send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error' }) });
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
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
  if (store && !loaded) await store.saveIfChanged(true);

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
    credentials: w.credentials,
    engine,
    world: w,
    clock,
    stateFile: options.stateFile,
    profile,
    save: () => store?.saveIfChanged(true) ?? Promise.resolve(),
    close,
  };
}

/** A 413 in the style of the request (JSON if it names an X-Amz-Target, else query XML). */
function tooLarge(req: http.IncomingMessage, message: string, requestId: string): HttpAnswer {
  const kind = req.headers['x-amz-target'] !== undefined ? 'json' : 'query';
  return encodeError({ kind }, new AwsError('RequestEntityTooLarge', message, 413), requestId);
}
