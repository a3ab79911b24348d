/**
 * `startSandbox`: one sandbox — its state (persistence.ts), its plug-ins (plugin.ts, the
 * registry's by default), the engine, the API server (api-server.ts) and the ticker (ticker.ts) —
 * assembled, and closed in the reverse order. Nothing is shared between sandboxes: any number can
 * run in one process.
 */
import { noFaults, shouldThrottle, type AdminHost } from './admin';
import { listenApi, type ApiServer } from './api-server';
import { PROFILE_NAME, writeProfile, type ProfilePaths } from './credentials';
import type { Clock } from './engine/clock';
import type { EngineHooks } from './engine/context';
import { Engine } from './engine/engine';
import type { World } from './engine/state';
import { loadState, persist } from './persistence';
import { assemblePlugins, servicesPlugin, type PluginFactory } from './plugin';
import type { TaskRuntime } from './runtime/runtime';
import type { Caller, RequestContext, ServiceDefinition } from './service';
import { lookupKey } from './sts/credentials';
import { startTicker } from './ticker';

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
  /**
   * The plug-ins of this sandbox, in tick order (default: the registry's — every AWS service the
   * sandbox serves — unless `services` is given, then none).
   */
  plugins?: readonly PluginFactory[];
  /** Services served besides the plug-ins' (tests' own). */
  services?: readonly ServiceDefinition[];
  /** Builds the engine (default `new Engine(world, clock, runtime)`). Tests may pass a fake. */
  createEngine?: (world: World, clock: Clock, runtime: TaskRuntime, hooks?: EngineHooks) => Engine;
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
export { SOCKET_TIMEOUTS } from './api-server';

const stderrLog = (m: string) => process.stderr.write(`${m}\n`);

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? stderrLog;
  const region = options.region ?? DEFAULT_REGION;

  const state = loadState({ stateFile: options.stateFile, clock: options.clock, timeScale: options.timeScale ?? DEFAULT_TIME_SCALE, log });
  const { world, clock, adminToken } = state;
  // Loaded lazily so that tests passing their own plug-ins / runtime do not load the real ones.
  /* eslint-disable @typescript-eslint/no-require-imports -- synchronous lazy loads, see above */
  const runtime: TaskRuntime =
    options.runtime ?? new (require('./runtime/process-runtime') as typeof import('./runtime/process-runtime')).ProcessRuntime();
  const factories = options.plugins ?? (options.services ? [] : (require('./registry') as typeof import('./registry')).plugins);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const plugins = assemblePlugins(options.services ? [...factories, servicesPlugin('given', options.services)] : factories, { world, clock, runtime, log });
  const engine = options.createEngine
    ? options.createEngine(world, clock, runtime, plugins.hooks)
    : new Engine(world, clock, runtime, { hooks: plugins.hooks, maxTasks: options.maxTasks ?? DEFAULT_MAX_TASKS });
  plugins.attach(engine);
  (engine as Engine & { restore?: () => void }).restore?.();
  const store = persist(state, { stateFile: options.stateFile, log, acknowledgeBeforeSave: options.acknowledgeBeforeSave });

  let api: ApiServer | undefined;
  const requestContext = (reqRegion: string, requestId: string, caller?: Caller): RequestContext => {
    store.requestStarted(reqRegion, requestId);
    return { region: reqRegion, accountId: world.accountId, world, state: engine.region(reqRegion), engine, now: clock.now(), requestId, caller };
  };
  const admin: AdminHost = {
    get endpoint() {
      return api?.endpoint ?? '';
    },
    region,
    world,
    engine,
    clock,
    runtime,
    stateFile: options.stateFile,
    get profileName() {
      return options.writeProfile ? PROFILE_NAME : undefined;
    },
    commit: () => store.commit(),
    log,
    loadBalancers: () => plugins.endpoints(),
    faults: noFaults(),
  };
  try {
    api = await listenApi({
      port: options.port,
      maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
      adminToken,
      admin,
      log,
      aws: {
        services: plugins.services,
        lookupKey: (akid, token, realNow) => lookupKey(world, akid, token, realNow),
        context: requestContext,
        durability: store.durability,
        log,
        throttle: (_service, operation) => shouldThrottle(admin.faults, operation),
      },
    });
  } catch (e) {
    // restore() may have restarted task processes: do not leave them behind.
    await plugins.shutdown();
    await runtime.shutdown().catch(() => undefined);
    throw e;
  }
  const { endpoint, port } = api;

  let profile: ProfilePaths | undefined;
  if (options.writeProfile) {
    try {
      profile = writeProfile({ ...world.credentials, region, endpoint, env: options.profileEnv });
    } catch (e) {
      log(`ECS Hands-on sandbox: could not write the AWS CLI profile ${PROFILE_NAME}: ${(e as Error).message}`);
    }
  }

  const stopTicking = startTicker(
    [
      { name: 'engine', run: () => engine.tick() },
      ...plugins.list.flatMap((p) => (p.tick ? [{ name: p.name, run: () => p.tick!(clock.now()) }] : [])),
    ],
    options.tickMs ?? 100,
    log,
  );
  await store.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopTicking();
      await api.close();
      await store.close();
      await plugins.shutdown();
      await runtime.shutdown();
    })());

  return {
    endpoint,
    port,
    region,
    credentials: { accessKeyId: world.credentials.accessKeyId, secretAccessKey: world.credentials.secretAccessKey },
    adminToken,
    engine,
    world,
    clock,
    stateFile: options.stateFile,
    profile,
    save: () => store.save(),
    close,
  };
}
