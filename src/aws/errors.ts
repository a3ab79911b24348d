/**
 * Map SDK / network errors to user-facing information. Imports nothing from the SDK, so the UI
 * may import it without loading the SDK.
 */

import { accessDenied, type RefusedCall } from './access-denied';
import { isLoopbackEndpoint } from './loopback';

export type ErrorKind = 'auth' | 'notFound' | 'validation' | 'throttling' | 'network' | 'other';

export interface AwsErrorInfo {
  /** AWS error code (`ClusterNotFoundException`) or Node error code (`ECONNREFUSED`). */
  code: string;
  /** The message to show: the service's own message, or an explanation for network/auth problems. */
  message: string;
  /** Worth retrying later (throttling, network, server faults). */
  retryable: boolean;
  throttled: boolean;
  kind: ErrorKind;
  /** What the user can do, e.g. "Run `aws sso login --profile dev`". */
  hint?: string;
  httpStatus?: number;
  requestId?: string;
}

export interface ErrorContext {
  /** The endpoint called when it is not AWS's own (for "cannot reach …"). */
  endpoint?: string;
  /** The endpoint is the embedded sandbox (the hint offers to start it). */
  sandbox?: boolean;
  /** The profile in use (for SSO hints). */
  profile?: string;
  t?: (message: string, ...args: Array<string | number | boolean>) => string;
}

const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'SlowDown',
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'PriorRequestNotComplete', 'TransactionInProgressException',
]);

const AUTH = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException',
  'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken',
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthFailure', 'NotAuthorized',
  'RequestExpired', 'CredentialsProviderError', 'TokenProviderError', 'InvalidAccessKeyId', 'OptInRequired',
  'UnauthorizedException',
]);

const VALIDATION = new Set([
  'InvalidParameterException', 'ValidationException', 'ValidationError', 'InvalidParameterValue',
  'InvalidParameterCombination', 'MissingParameter', 'InvalidParameter', 'ClientException',
  'UnsupportedFeatureException', 'InvalidConfigurationRequest', 'InvalidInput', 'InvalidParameterValueException',
  'SerializationException', 'InvalidAction',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'EPIPE', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET',
]);

const SERVER = new Set(['ServerException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServiceError']);

interface ErrLike {
  name?: string;
  code?: string;
  message?: string;
  errno?: number;
  address?: string;
  port?: number;
  /** The name that did not resolve (ENOTFOUND, EAI_AGAIN). */
  hostname?: string;
  errors?: unknown[];
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  $fault?: 'client' | 'server';
  /** The body of an answer the SDK could not parse (non-enumerable, set by the SDK). */
  $responseBodyText?: string;
  /** The refused call (non-enumerable, set by the clients' middleware). */
  $operation?: RefusedCall;
}

/**
 * An AWS error inside an answer the SDK could not read for this service: an emulator answering a
 * JSON service with the query protocol's XML (`<Code>AccessDenied</Code><Message>…`), or JSON.
 */
function errorInBody(body: string | undefined): { code: string; message: string } | undefined {
  if (!body) return undefined;
  const xml = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const code = xml('Code');
  if (code) return { code: unescape(code).trim(), message: unescape(xml('Message') ?? '').trim() };
  try {
    const j = JSON.parse(body) as { __type?: string; code?: string; message?: string; Message?: string };
    const c = (j.__type ?? j.code ?? '').split('#').pop();
    if (c) return { code: c, message: j.message ?? j.Message ?? '' };
  } catch {
    // not JSON either
  }
  return undefined;
}

const fmt = (message: string, ...args: Array<string | number | boolean>) =>
  message.replace(/\{(\d+)\}/g, (w, i: string) => (args[Number(i)] === undefined ? w : String(args[Number(i)])));

/** Find a Node network error code on the error, an AggregateError's members or its cause. */
function networkCode(e: ErrLike, depth = 0): { code: string; address?: string; port?: number; hostname?: string } | undefined {
  if (depth > 3) return undefined;
  if (e.code && NETWORK_CODES.has(e.code)) return { code: e.code, address: e.address, port: e.port, hostname: e.hostname };
  for (const inner of e.errors ?? []) {
    const found = inner && typeof inner === 'object' ? networkCode(inner, depth + 1) : undefined;
    if (found) return found;
  }
  if (e.cause && typeof e.cause === 'object') return networkCode(e.cause, depth + 1);
  if (e.name === 'TimeoutError' || /socket hang up/i.test(e.message ?? '')) return { code: e.name === 'TimeoutError' ? 'ETIMEDOUT' : 'ECONNRESET' };
  return undefined;
}

const hostFromMessage = (message: string) => /\b(?:ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(message)?.[1];

function hostOf(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  try {
    return new URL(endpoint).hostname;
  } catch {
    return endpoint;
  }
}

/** Which action on which resource was refused, and which policy usually grants it. */
function refusal(code: string, message: string, call: RefusedCall | undefined, t: NonNullable<ErrorContext['t']>): { message: string; hint: string } {
  const a = accessDenied(message, call);
  if (!a.action) return { message, hint: t('Your IAM identity lacks permission for this action.') };
  const who = a.principal ?? t('your IAM identity');
  const text = a.resource
    ? t('Not allowed: {0} on {1} (refused for {2}, {3}).', a.action, a.resource, who, code)
    : t('Not allowed: {0} (refused for {1}, {2}).', a.action, who, code);
  const hints = [
    a.action === 'iam:PassRole'
      ? t('Allow iam:PassRole on the role the call passes (a policy with "iam:PassRole" on that role\'s ARN).')
      : a.policy
        ? t('The AWS managed policy {0} usually grants {1}: ask your administrator to attach it (or a policy allowing {1}) to {2}.', a.policy, a.action, who)
        : t('Ask your administrator for a policy allowing {0}.', a.action),
  ];
  if (a.encoded) hints.push(t('EC2 explains the refusal in its encoded message: decode it with `aws sts decode-authorization-message --encoded-message …`.'));
  return { message: text, hint: hints.join(' ') };
}

/** Map anything thrown by an SDK call to user-facing information. */
export function mapAwsError(error: unknown, ctx: ErrorContext = {}): AwsErrorInfo {
  const t = ctx.t ?? fmt;
  const e: ErrLike = error && typeof error === 'object' ? error : { message: String(error) };
  const httpStatus = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const unread = httpStatus !== undefined && /Deserialization error/.test(e.message ?? '') ? errorInBody(e.$responseBodyText) : undefined;
  const rawName = unread?.code ?? (e.name && e.name !== 'Error' ? e.name : e.code ?? 'Error');
  const message = unread ? unread.message || unread.code : e.message ?? String(error);
  const base = { httpStatus, requestId };

  const net = networkCode(e);
  if (net) {
    const base0 = { ...base, code: net.code, kind: 'network' as const, retryable: true, throttled: false };
    // A name that does not resolve: name it (the endpoint's host, or AWS's own, e.g. ecs.xx.amazonaws.com).
    const unresolved = net.code === 'ENOTFOUND' || net.code === 'EAI_AGAIN' ? net.hostname ?? hostFromMessage(message) ?? hostOf(ctx.endpoint) : undefined;
    if (unresolved) {
      return {
        ...base0, message: t('Cannot reach {0} ({1}).', unresolved, net.code),
        hint: t('The host name {0} does not resolve: check the endpoint URL and your network (DNS).', unresolved),
      };
    }
    const where = ctx.endpoint ?? (net.address ? `${net.address}${net.port ? `:${net.port}` : ''}` : undefined);
    return {
      ...base0,
      message: where ? t('Cannot reach {0} ({1}).', where, net.code) : t('Cannot reach the AWS endpoint ({0}).', net.code),
      hint: ctx.sandbox ? t('Is the sandbox running? Start it and try again.')
        : ctx.endpoint && isLoopbackEndpoint(ctx.endpoint) ? t('Is the emulator at {0} running? Start it and try again.', ctx.endpoint)
        : t('Check your network connection and try again.'),
    };
  }

  // An answer the SDK could not read as this service's protocol (an emulator's XML error on a JSON
  // service, an HTML error page): say what came back, and treat 401/403 as the credentials' problem.
  if (httpStatus !== undefined && /Deserialization error/.test(message)) {
    const code = `HTTP ${httpStatus}`;
    const unreadable = t('The endpoint answered HTTP {0} in a form the AWS SDK cannot read for this service (not an AWS error response).', httpStatus);
    if (httpStatus === 401 || httpStatus === 403) {
      return { ...base, code, kind: 'auth', retryable: false, throttled: false, message: unreadable, hint: t('Check the credentials of the selected profile.') };
    }
    return {
      ...base, code, kind: 'other', retryable: httpStatus >= 500, throttled: false, message: unreadable,
      hint: httpStatus >= 500 ? t('An emulator answers this way for an operation it does not implement.') : undefined,
    };
  }

  if (THROTTLING.has(rawName) || httpStatus === 429 || e.$retryable?.throttling) {
    return { ...base, code: rawName, kind: 'throttling', retryable: true, throttled: true, message: message || t('Request rate exceeded.') };
  }

  const ssoExpired = /\bsso\b/i.test(message) && /expired|invalid|refresh|login/i.test(message);
  const tokenExpired = /token[^.]*(?:expired|is invalid)/i.test(message);
  if (AUTH.has(rawName) || ssoExpired || tokenExpired || /Could not load credentials|Unable to load credentials|credentials? (?:is|are) missing/i.test(message)) {
    const profile = ctx.profile ?? process.env.AWS_PROFILE;
    let hint: string;
    if (ssoExpired) {
      hint = t('Run `aws sso login{0}` and try again.', profile ? ` --profile ${profile}` : '');
    } else if (tokenExpired || rawName === 'ExpiredToken' || rawName === 'ExpiredTokenException' || rawName === 'RequestExpired') {
      hint = t('Your session credentials expired. Refresh them (e.g. `aws sso login{0}`) and try again.', profile ? ` --profile ${profile}` : '');
    } else if (/AccessDenied|Unauthorized|NotAuthorized/.test(rawName)) {
      return { ...base, code: rawName, kind: 'auth', retryable: false, throttled: false, ...refusal(rawName, message, e.$operation, t) };
    } else if (/Could not load credentials|Unable to load credentials|CredentialsProviderError/.test(message + rawName)) {
      hint = t('Configure credentials with `aws configure` or choose another profile.');
    } else {
      hint = t('Check the credentials of the selected profile.');
    }
    return { ...base, code: rawName, kind: 'auth', retryable: false, throttled: false, message, hint };
  }

  if (/NotFound/.test(rawName) || (rawName === 'ClientException' && /unable to describe task definition|not found/i.test(message))) {
    return { ...base, code: rawName, kind: 'notFound', retryable: false, throttled: false, message };
  }

  if (VALIDATION.has(rawName)) {
    return { ...base, code: rawName, kind: 'validation', retryable: false, throttled: false, message };
  }

  const server = SERVER.has(rawName) || e.$fault === 'server' || (httpStatus !== undefined && httpStatus >= 500);
  return { ...base, code: rawName, kind: 'other', retryable: server, throttled: false, message };
}
