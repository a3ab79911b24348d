/**
 * One AWS API request, start to finish: pick the protocol, check the method and content type,
 * verify SigV4, route to the service's handler by `X-Amz-Target` or the scope's service + `Action`,
 * decode the input, run the handler and encode its result or error the way that protocol does.
 */
import { operationNotServed, serviceNotServed } from '../scope';
import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Caller, Handler, RequestContext, ServiceDefinition } from '../service';
import { AwsError, isAwsError } from './errors';
import { decodeJsonBody, encodeJsonError, encodeJsonResult, jsonContentType } from './json';
import { decodeQuery } from './query';
import { parseAuthorization, verifySigV4, type AuthFailureKind } from './sigv4';
import { ec2Error, ec2Response, queryError, queryResponse } from './xml';

export interface AwsRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DispatchDeps {
  services: readonly ServiceDefinition[];
  /**
   * The secret of an access key and who signs with it (`sessionToken`: the request's
   * `X-Amz-Security-Token`), or why the key is refused (sts/credentials.ts `lookupKey`).
   */
  lookupKey(accessKeyId: string, sessionToken: string | undefined, realNow: number): { secret: string; caller: Caller } | { refused: 'unknown-key' | 'expired-token' };
  /** Builds the handler context for a verified request (may throw: a 500). */
  context(region: string, requestId: string, caller?: Caller): RequestContext;
  /**
   * Durability (see StateStore.commit). `admit` runs before a handler that may change state and
   * rejects when the state is known to be unsaveable (the request is refused, nothing changes);
   * `settle` runs after any handler (`mutating`: the operation may change state, whatever it
   * answered) and resolves once what it changed is on disk, or rejects when it cannot be saved.
   */
  durability?: {
    admit(): Promise<void>;
    settle(requestId: string, mutating: boolean): Promise<void>;
  };
  log(message: string): void;
  /** Real wall-clock now for the SigV4 skew check (tests). */
  realNow?(): number;
  /** Fault injection: true when this call should be refused as throttled. */
  throttle?(service: string, operation: string): boolean;
}

type Style = { kind: 'json'; def?: ServiceDefinition } | { kind: 'query'; def?: ServiceDefinition } | { kind: 'ec2'; def?: ServiceDefinition };

const EC2_VERSION = '2016-11-15';
const READ_ONLY = /^(Describe|List|Get|BatchGet|Filter)/;
/** Largest body after gunzip (CloudWatch clients gzip large PutMetricData requests). */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const isJsonProtocol = (d: ServiceDefinition) => d.protocol === 'awsJson1_0' || d.protocol === 'awsJson1_1';

/** Encodes an error in the request's style. */
export function encodeError(style: Style, err: AwsError, requestId: string): HttpAnswer {
  const base = { 'x-amzn-requestid': requestId };
  if (style.kind === 'json') {
    const d = style.def;
    const e = encodeJsonError(err, {
      protocol: d && isJsonProtocol(d) ? (d.protocol as 'awsJson1_0' | 'awsJson1_1') : 'awsJson1_1',
      messageKey: d?.errorMessageKey ?? 'message',
      queryCompatible: d?.queryCompatible,
    });
    return { status: e.status, headers: { ...base, ...e.headers }, body: e.body };
  }
  if (style.kind === 'ec2') return { status: err.status, headers: { ...base, 'content-type': 'text/xml;charset=UTF-8' }, body: ec2Error(err.code, err.message, requestId) };
  return {
    status: err.status,
    headers: { ...base, 'content-type': 'text/xml' },
    body: queryError(style.def?.xmlns, err.code, err.message, err.fault, requestId),
  };
}

/** The AWS error for a SigV4 failure, per protocol. */
export function authError(style: Style['kind'], kind: AuthFailureKind, message: string): AwsError {
  if (style === 'json') {
    switch (kind) {
      case 'missing':
        return new AwsError('MissingAuthenticationTokenException', message, 400);
      case 'incomplete':
        return new AwsError('IncompleteSignatureException', message, 400);
      case 'unknown-key':
        return new AwsError('UnrecognizedClientException', message, 400);
      case 'expired-token':
        return new AwsError('ExpiredTokenException', message, 400);
      default:
        return new AwsError('InvalidSignatureException', message, 400);
    }
  }
  if (style === 'ec2') {
    switch (kind) {
      case 'missing':
        return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 401);
      case 'incomplete':
        return new AwsError('IncompleteSignature', message, 400);
      case 'unknown-key':
        return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
      case 'expired':
      case 'not-yet':
        return new AwsError('RequestExpired', `Request has expired. ${message}`, 400);
      case 'expired-token':
        return new AwsError('RequestExpired', 'Request has expired.', 400);
      default:
        return new AwsError('SignatureDoesNotMatch', message, 403);
    }
  }
  switch (kind) {
    case 'missing':
      return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'incomplete':
      return new AwsError('IncompleteSignature', message, 400);
    case 'unknown-key':
      return new AwsError('InvalidClientTokenId', message, 403);
    case 'expired-token':
      return new AwsError('ExpiredToken', message, 403);
    default:
      return new AwsError('SignatureDoesNotMatch', message, 403);
  }
}

/** Decides JSON vs awsQuery vs ec2Query from the headers, the signing scope and the form's Version. */
function detectStyle(req: AwsRequest, services: readonly ServiceDefinition[]): Style {
  const target = header(req.headers, 'x-amz-target');
  if (target !== undefined) {
    const prefix = target.slice(0, Math.max(0, target.lastIndexOf('.')));
    return { kind: 'json', def: services.find((s) => isJsonProtocol(s) && s.targetPrefix === prefix) };
  }
  const auth = header(req.headers, 'authorization');
  const parsed = auth ? parseAuthorization(auth) : undefined;
  const scopeService = parsed && typeof parsed !== 'string' ? parsed.service : undefined;
  const servesQuery = (s: ServiceDefinition) => !isJsonProtocol(s) || (!!s.queryCompatible && !!s.version);
  let def = scopeService ? services.find((s) => servesQuery(s) && s.signingName === scopeService) : undefined;
  if (!def) {
    const version = /(?:^|&)Version=([^&]*)/.exec(req.body.toString('latin1'))?.[1];
    if (version) def = services.find((s) => servesQuery(s) && s.version === version);
    if (!def && (scopeService === 'ec2' || version === EC2_VERSION)) return { kind: 'ec2' };
  }
  return def?.protocol === 'ec2Query' ? { kind: 'ec2', def } : { kind: 'query', def };
}

export async function dispatchAws(req: AwsRequest, deps: DispatchDeps, requestId: string): Promise<HttpAnswer> {
  const style = detectStyle(req, deps.services);
  const fail = (e: AwsError) => encodeError(style, e, requestId);
  try {
    const path = req.url.split('?')[0];
    if (req.method !== 'POST' || path !== '/') {
      const msg = `The sandbox's AWS APIs answer POST / only (got ${req.method} ${path.slice(0, 100)}); the admin API is under /_sandbox/.`;
      return fail(new AwsError(style.kind === 'json' ? 'UnknownOperationException' : 'InvalidAction', msg, 400));
    }
    const ctype = (header(req.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (style.kind === 'json') {
      if (!/^application\/x-amz-json-1\.[01]$/.test(ctype)) {
        return fail(new AwsError('SerializationException', `Content-Type must be application/x-amz-json-1.1 or -1.0 for X-Amz-Target requests (got '${ctype.slice(0, 80)}').`));
      }
    } else if (ctype !== 'application/x-www-form-urlencoded') {
      return fail(
        new AwsError(
          'MalformedQueryString',
          `Content-Type must be application/x-www-form-urlencoded, or send X-Amz-Target with application/x-amz-json-1.1 (got '${ctype.slice(0, 80)}').`,
        ),
      );
    }

    const realNow = deps.realNow?.() ?? Date.now();
    const sessionToken = header(req.headers, 'x-amz-security-token');
    let caller: Caller | undefined;
    const auth = await verifySigV4(
      req,
      (accessKeyId) => {
        const key = deps.lookupKey(accessKeyId, sessionToken, realNow);
        if ('refused' in key) return key.refused === 'expired-token' ? { expired: true } : undefined;
        caller = key.caller;
        return key.secret;
      },
      realNow,
    );
    if (!auth.ok) return fail(authError(style.kind, auth.kind, auth.message));

    // The signature covers the body as sent; a gzip-encoded body is decoded only now.
    let payload = req.body;
    const encoding = (header(req.headers, 'content-encoding') ?? '').trim().toLowerCase();
    if (encoding === 'gzip') {
      try {
        payload = gunzipSync(req.body, { maxOutputLength: MAX_INFLATED_BYTES });
      } catch (e) {
        const msg = `The gzip-encoded request body could not be decoded: ${(e as Error).message}`;
        return fail(new AwsError(style.kind === 'json' ? 'SerializationException' : 'MalformedQueryString', msg));
      }
    } else if (encoding !== '' && encoding !== 'identity') {
      return fail(new AwsError(style.kind === 'json' ? 'SerializationException' : 'MalformedQueryString', `Unsupported Content-Encoding '${encoding.slice(0, 40)}'.`));
    }

    let def = style.def;
    let operation: string;
    let input: unknown;
    if (style.kind === 'json') {
      const target = header(req.headers, 'x-amz-target')!;
      operation = target.slice(target.lastIndexOf('.') + 1);
      if (!def) {
        const served = deps.services.some((x) => x.signingName === auth.service);
        const msg = served ? operationNotServed(`the target '${target.slice(0, 120)}'`, auth.service) : `${serviceNotServed(auth.service.slice(0, 60))} (target '${target.slice(0, 120)}')`;
        return fail(new AwsError('UnknownOperationException', msg));
      }
      if (auth.service !== def.signingName) {
        return fail(authError('json', 'mismatch', `Credential should be scoped to correct service: '${def.signingName}'. `));
      }
      if (!Object.hasOwn(def.operations, operation)) {
        return fail(new AwsError('UnknownOperationException', operationNotServed(operation.slice(0, 80), def.signingName)));
      }
      input = decodeJsonBody(payload);
    } else {
      // Older clients (e.g. AWS CLI 2.9) still speak awsQuery to services that moved to query-compatible
      // JSON (CloudWatch); such a service opts in by naming its query `version` (and `xmlns`).
      def =
        deps.services.find((s) => !isJsonProtocol(s) && s.signingName === auth.service) ??
        deps.services.find((s) => isJsonProtocol(s) && s.queryCompatible && s.version && s.signingName === auth.service);
      const q = decodeQuery(payload.toString('utf8'));
      if (!q.action) return fail(new AwsError('MissingAction', 'The request must contain the parameter Action.'));
      operation = q.action;
      if (!def) return fail(new AwsError('InvalidAction', serviceNotServed(auth.service.slice(0, 60))));
      if (!Object.hasOwn(def.operations, operation)) {
        return fail(new AwsError('InvalidAction', `The action ${operation.slice(0, 80)} is not valid for this web service. ${operationNotServed(operation.slice(0, 80), def.signingName)}`));
      }
      if (q.version !== undefined && def.version && q.version !== def.version) {
        return fail(new AwsError('NoSuchVersion', `The requested version (${q.version.slice(0, 40)}) of service ${def.signingName} does not exist.`));
      }
      input = q.params;
    }

    if (deps.throttle?.(def.signingName, operation)) {
      // What each protocol's AWS services answer when they throttle.
      const code = style.kind === 'ec2' ? 'RequestLimitExceeded' : style.kind === 'query' ? 'Throttling' : 'ThrottlingException';
      return fail(new AwsError(code, 'Rate exceeded'));
    }
    const handler: Handler = def.operations[operation];
    const mutating = !READ_ONLY.test(operation);
    if (mutating && deps.durability) {
      try {
        await deps.durability.admit();
      } catch (e) {
        return fail(unsaveable(style.kind, e, false));
      }
    }
    let output: unknown;
    let failure: unknown;
    let failed = false;
    try {
      output = await handler(deps.context(auth.region, requestId, caller), input);
    } catch (e) {
      failed = true;
      failure = e;
    }
    // Failed or not, what the handler changed is saved before anyone hears of it.
    if (deps.durability) {
      try {
        await deps.durability.settle(requestId, mutating);
      } catch (e) {
        return fail(unsaveable(style.kind, e, true));
      }
    }
    if (failed) throw failure;
    const base = { 'x-amzn-requestid': requestId };
    if (style.kind === 'json' && (def.protocol === 'awsJson1_0' || def.protocol === 'awsJson1_1')) {
      return { status: 200, headers: { ...base, 'content-type': jsonContentType(def.protocol) }, body: encodeJsonResult(output) };
    }
    if (def.protocol === 'ec2Query') {
      return { status: 200, headers: { ...base, 'content-type': 'text/xml;charset=UTF-8' }, body: ec2Response(operation, def.xmlns, output, requestId) };
    }
    return { status: 200, headers: { ...base, 'content-type': 'text/xml' }, body: queryResponse(operation, def.xmlns, output, requestId) };
  } catch (e) {
    if (isAwsError(e) || looksLikeAwsError(e)) return fail(e as AwsError);
    deps.log(`InternalFailure for request ${requestId}: ${(e as Error)?.stack ?? String(e)}`);
    return fail(new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500));
  }
}

/**
 * The state could not be saved. `applied`: the handler ran, its change is in memory but not on disk,
 * so as AWS's 500s say, it may or may not have happened (it is saved with the next write that
 * works). Otherwise the request was refused before it changed anything (503).
 */
function unsaveable(kind: Style['kind'], e: unknown, applied: boolean): AwsError {
  const why = (e as Error)?.message ?? String(e);
  if (applied) {
    const msg = `${why}. The change was made in memory but is not saved: it may or may not be there after a restart, and is saved as soon as the file can be written again.`;
    return new AwsError(kind === 'ec2' ? 'InternalError' : 'InternalFailure', msg, 500);
  }
  const msg = `${why}. The request was refused and changed nothing; free space or fix the file's directory, then retry.`;
  return new AwsError(kind === 'json' ? 'ServiceUnavailableException' : 'ServiceUnavailable', msg, 503);
}

function looksLikeAwsError(e: unknown): boolean {
  const x = e as { code?: unknown; status?: unknown; fault?: unknown; message?: unknown } | null;
  return !!x && typeof x.code === 'string' && typeof x.status === 'number' && x.status >= 400 && x.status < 600 && (x.fault === 'Sender' || x.fault === 'Receiver');
}
