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
// IAM (issue 12: the roles Create Cluster and task definitions need, src/aws/iam-roles.ts).
import { IAMClient } from '@aws-sdk/client-iam';
import { defaultTranslate, type Translate } from '../core/l10n';

export type Connection =
  | { kind: 'sandbox'; endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }
  /** Profile and region default to AWS_PROFILE / AWS_REGION / the profile's config (resolved by the SDK). */
  | { kind: 'profile'; profile?: string; region?: string }
  | { kind: 'endpoint'; endpoint: string; region: string; profile?: string };

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
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly applicationAutoScaling: ApplicationAutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly autoScaling: AutoScalingClient;
  readonly ssm: SSMClient;
  /** IAM (global; the connection's endpoint and credentials, like the others). */
  readonly iam: IAMClient;
  /** The region the clients use, as resolved by the SDK (connection, env or profile config). */
  region(): Promise<string>;
  /** Destroy every client created so far (closes sockets). */
  destroy(): void;
}

/** Shared client configuration for a connection (exported for tests). */
export function clientConfig(connection: Connection, options: ClientOptions = {}): Record<string, unknown> {
  const common: Record<string, unknown> = {
    retryMode: options.retryMode ?? 'adaptive',
    maxAttempts: options.maxAttempts ?? 3,
  };
  if (options.userAgent) common.customUserAgent = options.userAgent;
  if (options.requestHandler) common.requestHandler = options.requestHandler;
  switch (connection.kind) {
    case 'sandbox':
      return { ...common, endpoint: connection.endpoint, region: connection.region, credentials: { ...connection.credentials } };
    case 'profile':
      return {
        ...common,
        ...(connection.profile ? { profile: connection.profile } : {}),
        ...(connection.region ? { region: connection.region } : {}),
      };
    case 'endpoint':
      return { ...common, endpoint: connection.endpoint, region: connection.region, ...(connection.profile ? { profile: connection.profile } : {}) };
  }
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

function safeLog(logger: CallLogger, entry: CallLogEntry): void {
  try {
    logger(entry);
  } catch {
    // a failing logger must never fail the call
  }
}

/** Create the clients of a connection; each is constructed on first use. */
export function createClients(connection: Connection, options: ClientOptions = {}): AwsClients {
  const config = clientConfig(connection, options);
  const cache = new Map<string, { destroy(): void; middlewareStack: unknown }>();
  function lazy<T extends { destroy(): void; middlewareStack: unknown }>(key: string, make: () => T): T {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      if (options.logger) addCallLogger(client, options.logger);
      cache.set(key, client);
    }
    return client;
  }
  const clients: AwsClients = {
    connection,
    get ecs() { return lazy('ecs', () => new ECSClient(config)); },
    get ec2() { return lazy('ec2', () => new EC2Client(config)); },
    get elbv2() { return lazy('elbv2', () => new ElasticLoadBalancingV2Client(config)); },
    get applicationAutoScaling() { return lazy('aas', () => new ApplicationAutoScalingClient(config)); },
    get cloudWatch() { return lazy('cw', () => new CloudWatchClient(config)); },
    get autoScaling() { return lazy('asg', () => new AutoScalingClient(config)); },
    get ssm() { return lazy('ssm', () => new SSMClient(config)); },
    get iam() { return lazy('iam', () => new IAMClient(config)); },
    async region() {
      return clients.ecs.config.region();
    },
    destroy() {
      for (const c of cache.values()) c.destroy();
      cache.clear();
    },
  };
  return clients;
}

/** A short label for a connection, e.g. "Sandbox (127.0.0.1:4566)", "AWS profile dev (eu-west-1)". */
export function connectionLabel(connection: Connection, t: Translate = defaultTranslate): string {
  switch (connection.kind) {
    case 'sandbox':
      return t('Sandbox ({0})', hostOf(connection.endpoint));
    case 'profile': {
      const profile = connection.profile ?? process.env.AWS_PROFILE ?? 'default';
      return connection.region ? t('AWS profile {0} ({1})', profile, connection.region) : t('AWS profile {0}', profile);
    }
    case 'endpoint':
      return `${hostOf(connection.endpoint)} (${connection.region})`;
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
