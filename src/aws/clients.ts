/**
 * AWS SDK v3 client factory per connection (sandbox, AWS profile, custom endpoint). Clients are
 * created lazily, share one configuration, retry with the SDK's adaptive mode, and report every
 * call (service, operation, duration, status / error) to a logger — never credentials or bodies.
 */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
// CloudWatch Logs (issue 14: task logs, src/aws/logs.ts).
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
// IAM (issue 12: the roles Create Cluster and task definitions need, src/aws/iam-roles.ts).
import { IAMClient } from '@aws-sdk/client-iam';
import { defaultTranslate, type Translate } from '../core/l10n';
import { resourceOfInput } from './access-denied';
import { addCallRecorder } from './cli-record';
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
  /** IAM (global; the connection's endpoint and credentials, like the others). */
  readonly iam: IAMClient;
  /** CloudWatch Logs in the connection's region. */
  readonly logs: CloudWatchLogsClient;
  /** CloudWatch Logs in another region (a task definition's `awslogs-region`); the connection's own client for its region. */
  logsIn(region: string | undefined): CloudWatchLogsClient;
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

interface RawResponse { statusCode?: number; headers?: Record<string, string>; body?: unknown }

/**
 * An emulator (moto) may answer a JSON-protocol service (ECS, Application Auto Scaling, SSM: the
 * requests carry `X-Amz-Target`) with the query protocol's XML error (moto labels it text/html): the SDK can only say
 * "Deserialization error". Read that XML error here, between the transport and the deserializer,
 * and throw it as the service's error (its code, message and status) — what AWS itself would send.
 */
export function addForeignErrorReader(client: { middlewareStack: unknown }): void {
  const stack = client.middlewareStack as { add(m: unknown, o: { step: 'deserialize'; name: string; priority: 'low'; override?: boolean }): void };
  const middleware =
    (next: (args: unknown) => Promise<{ response: RawResponse }>) =>
    async (args: unknown) => {
      const result = await next(args);
      const res = result.response;
      const headers = (args as { request?: { headers?: Record<string, string> } }).request?.headers ?? {};
      const jsonRequest = Object.keys(headers).some((h) => h.toLowerCase() === 'x-amz-target');
      const type = Object.entries(res?.headers ?? {}).find(([h]) => h.toLowerCase() === 'content-type')?.[1] ?? '';
      if (!jsonRequest || !res || (res.statusCode ?? 0) < 400 || /json/i.test(type) || !res.body) return result;
      let text: string;
      if (res.body instanceof Uint8Array) {
        text = Buffer.from(res.body).toString('utf8');
      } else if (typeof (res.body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        const chunks: Buffer[] = [];
        for await (const chunk of res.body as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
        text = Buffer.concat(chunks).toString('utf8');
      } else {
        return result;
      }
      const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]?.trim();
      const code = tag('Code');
      res.body = Buffer.from(text);
      if (!code) return result;
      const unescape = (v: string) => v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
      const requestId = Object.entries(res.headers ?? {}).find(([h]) => /^x-amzn?-request-?id$/i.test(h))?.[1] ?? tag('RequestId');
      throw Object.assign(new Error(unescape(tag('Message') ?? code)), {
        name: unescape(code),
        $fault: (res.statusCode ?? 0) >= 500 ? 'server' : 'client',
        $metadata: { httpStatusCode: res.statusCode, ...(requestId ? { requestId } : {}) },
      });
    };
  stack.add(middleware, { step: 'deserialize', name: 'ecsHandsonForeignErrorReader', priority: 'low', override: true });
}

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
  function lazy<T extends { destroy(): void; middlewareStack: unknown }>(key: string, service: ServiceKey | ((config: Record<string, unknown>) => T), make?: (config: Record<string, unknown>) => T): T {
    const svc = (typeof service === 'string' ? service : key) as ServiceKey;
    const build = typeof service === 'function' ? service : make!;
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = build(clientConfig(resolved, options, svc));
      addOperationRecorder(client);
      addForeignErrorReader(client);
      // The AWS CLI behind every click: an action's calls, recorded when it runs in a recording (cli-record.ts).
      addCallRecorder(client);
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
    get iam() { return lazy('iam', (c) => new IAMClient(c)); },
    get logs() { return lazy('logs', (c) => new CloudWatchLogsClient(c)); },
    logsIn(region) {
      if (!region || region === resolved.region) return clients.logs;
      return lazy(`logs:${region}`, 'logs', (c) => new CloudWatchLogsClient({ ...c, region }));
    },
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
