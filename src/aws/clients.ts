/**
 * AWS SDK v3 client factory per connection (sandbox, AWS profile, custom endpoint). Clients are
 * created lazily, share one configuration, retry with the SDK's adaptive mode, and report every
 * call (service, operation, duration, status / error) to a logger — never credentials or bodies.
 */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { defaultTranslate, type Translate } from '../core/l10n';
import { resourceOfInput } from './access-denied';
import { resolveConnection, resolveSandbox, type Connection, type ResolvedConnection, type ResolveOptions, type ServiceKey } from './resolve';

export type { Connection } from './resolve';

/** One AWS call as reported to the logger. */
export interface CallLogEntry {
  /** e.g. "ECS", "ElasticLoadBalancingV2" */
  service: string;
  /** e.g. "DescribeServices" */
  operation: string;
  durationMs: number;
  ok: boolean;
  httpStatus?: number;
  /** Attempts including SDK retries. */
  attempts?: number;
  requestId?: string;
  errorName?: string;
  errorMessage?: string;
}

export type CallLogger = (entry: CallLogEntry) => void;

export interface ClientOptions {
  logger?: CallLogger;
  /** SDK retry mode; default "adaptive" (standard retries plus client-side rate limiting). */
  retryMode?: 'standard' | 'adaptive';
  /** Total attempts per call; default 3. */
  maxAttempts?: number;
  /** Appended to the SDK user agent. */
  userAgent?: string;
  /** A custom HTTP handler (proxies, tests); defaults to the SDK's Node handler. */
  requestHandler?: unknown;
}

export interface AwsClients {
  readonly connection: Connection;
  /** What the connection resolved to: region, endpoints, credentials (re-read by each `connect`). */
  readonly resolved: ResolvedConnection;
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly applicationAutoScaling: ApplicationAutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly autoScaling: AutoScalingClient;
  readonly ssm: SSMClient;
  /** The region the clients use (the setting, AWS_REGION / AWS_DEFAULT_REGION or the profile's). */
  region(): Promise<string>;
  /** Destroy every client created so far (closes sockets). */
  destroy(): void;
}

/**
 * One service's client configuration for a resolved connection (exported for tests): its region,
 * its endpoint when it is not AWS's own, and the connection's credentials. The SDK's own lookup of
 * configured endpoints is turned off: it only knows AWS_PROFILE / default, and `resolveConnection`
 * has already applied the environment and the chosen profile.
 */
export function clientConfig(resolved: ResolvedConnection, options: ClientOptions = {}, service: ServiceKey = 'ecs'): Record<string, unknown> {
  const config: Record<string, unknown> = {
    retryMode: options.retryMode ?? 'adaptive',
    maxAttempts: options.maxAttempts ?? 3,
    region: resolved.region,
    credentials: typeof resolved.credentials === 'function' ? resolved.credentials : { ...resolved.credentials },
    ignoreConfiguredEndpointUrls: true,
  };
  // The profile's other settings the clients read themselves (use_fips_endpoint, …).
  if (resolved.profile) config.profile = resolved.profile;
  const endpoint = resolved.endpoints[service];
  if (endpoint) config.endpoint = endpoint;
  if (options.userAgent) config.customUserAgent = options.userAgent;
  if (options.requestHandler) config.requestHandler = options.requestHandler;
  return config;
}

const ACCESS_KEY_RE = /\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g;

/** Remove anything that looks like an access key id or a signature from a log message. */
export function redact(text: string): string {
  return text
    .replace(ACCESS_KEY_RE, '[redacted-key]')
    .replace(/(Signature=)[0-9a-f]+/gi, '$1[redacted]')
    .replace(/(Credential=)[^,\s]+/gi, '$1[redacted]');
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void;
}

/** Add the call-logging middleware to a client. */
export function addCallLogger(client: { middlewareStack: unknown }, logger: CallLogger, now: () => number = Date.now): void {
  const stack = client.middlewareStack as MiddlewareStackLike;
  const middleware =
    (next: (args: unknown) => Promise<{ output?: { $metadata?: Metadata } }>, context: { clientName?: string; commandName?: string }) =>
    async (args: unknown) => {
      const started = now();
      const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      try {
        const result = await next(args);
        const meta = result.output?.$metadata ?? {};
        safeLog(logger, {
          service, operation, durationMs: now() - started, ok: true,
          httpStatus: meta.httpStatusCode, attempts: meta.attempts, requestId: meta.requestId,
        });
        return result;
      } catch (e) {
        const err = (e ?? {}) as { name?: string; message?: string; code?: string; $metadata?: Metadata };
        const meta = err.$metadata ?? {};
        safeLog(logger, {
          service, operation, durationMs: now() - started, ok: false,
          httpStatus: meta.httpStatusCode, attempts: meta.attempts, requestId: meta.requestId,
          errorName: err.name === 'Error' && err.code ? err.code : err.name,
          errorMessage: redact(String(err.message ?? e)),
        });
        throw e;
      }
    };
  stack.add(middleware, { step: 'initialize', name: 'ecsHandsonCallLogger', override: true });
}

interface Metadata { httpStatusCode?: number; attempts?: number; requestId?: string }

/**
 * Records on every error which call failed (`$operation`: service, operation, the resource its input
 * names; non-enumerable), so a refusal can say which action on which resource was refused.
 */
export function addOperationRecorder(client: { middlewareStack: unknown }): void {
  const stack = client.middlewareStack as MiddlewareStackLike;
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) =>
    async (args: unknown) => {
      try {
        return await next(args);
      } catch (e) {
        if (e && typeof e === 'object' && !('$operation' in e)) {
          try {
            Object.defineProperty(e, '$operation', {
              value: {
                service: (context.clientName ?? 'AWS').replace(/Client$/, ''),
                operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
                resource: resourceOfInput((args as { input?: unknown } | undefined)?.input),
              },
              enumerable: false,
            });
          } catch {
            // a frozen error stays as it is
          }
        }
        throw e;
      }
    };
  stack.add(middleware, { step: 'initialize', name: 'ecsHandsonOperationRecorder', override: true });
}

function safeLog(logger: CallLogger, entry: CallLogEntry): void {
  try {
    logger(entry);
  } catch {
    // a failing logger must never fail the call
  }
}

/**
 * Create the clients of a resolved connection (a sandbox connection needs no resolving); each is
 * constructed on first use.
 */
export function createClients(target: ResolvedConnection | Extract<Connection, { kind: 'sandbox' }>, options: ClientOptions = {}): AwsClients {
  const resolved = 'connection' in target ? target : resolveSandbox(target);
  const cache = new Map<string, { destroy(): void; middlewareStack: unknown }>();
  function lazy<T extends { destroy(): void; middlewareStack: unknown }>(key: ServiceKey, make: (config: Record<string, unknown>) => T): T {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make(clientConfig(resolved, options, key));
      addOperationRecorder(client);
      if (options.logger) addCallLogger(client, options.logger);
      cache.set(key, client);
    }
    return client;
  }
  const clients: AwsClients = {
    connection: resolved.connection,
    resolved,
    get ecs() { return lazy('ecs', (c) => new ECSClient(c)); },
    get ec2() { return lazy('ec2', (c) => new EC2Client(c)); },
    get elbv2() { return lazy('elbv2', (c) => new ElasticLoadBalancingV2Client(c)); },
    get applicationAutoScaling() { return lazy('applicationAutoScaling', (c) => new ApplicationAutoScalingClient(c)); },
    get cloudWatch() { return lazy('cloudWatch', (c) => new CloudWatchClient(c)); },
    get autoScaling() { return lazy('autoScaling', (c) => new AutoScalingClient(c)); },
    get ssm() { return lazy('ssm', (c) => new SSMClient(c)); },
    async region() {
      return resolved.region;
    },
    destroy() {
      for (const c of cache.values()) c.destroy();
      cache.clear();
    },
  };
  return clients;
}

/**
 * Resolve a connection now (the shared files re-read, new credential providers: what Refresh,
 * Switch Connection and an expired key need) and create its clients.
 */
export async function connectClients(connection: Connection, options: ClientOptions & ResolveOptions = {}): Promise<AwsClients> {
  return createClients(await resolveConnection(connection, options), options);
}

/** A short label for a connection, e.g. "Sandbox (127.0.0.1:4566)", "AWS profile dev (eu-west-1)". */
export function connectionLabel(target: Connection | ResolvedConnection, t: Translate = defaultTranslate): string {
  const resolved = 'connection' in target ? target : undefined;
  const connection = resolved ? resolved.connection : (target as Connection);
  const region = resolved?.region ?? connection.region;
  switch (connection.kind) {
    case 'sandbox':
      return t('Sandbox ({0})', hostOf(connection.endpoint));
    case 'profile': {
      const profile = resolved?.profile ?? connection.profile ?? process.env.AWS_PROFILE ?? 'default';
      return region ? t('AWS profile {0} ({1})', profile, region) : t('AWS profile {0}', profile);
    }
    case 'endpoint':
      return region ? `${hostOf(connection.endpoint)} (${region})` : hostOf(connection.endpoint);
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
