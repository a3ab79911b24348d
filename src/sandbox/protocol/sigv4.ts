/**
 * SigV4 verification with the SDK's own signer: the request is rebuilt with exactly the headers the
 * client signed and its body, signed again with the sandbox's secret at the client's `X-Amz-Date`
 * and credential scope, and the two signatures are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AuthorizationHeader {
  accessKeyId: string;
  /** YYYYMMDD */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export type AuthFailureKind =
  | 'missing' // no Authorization header
  | 'incomplete' // malformed Authorization header / no date
  | 'unknown-key' // access key id not known (or a session token that is not its own)
  | 'expired-token' // temporary credentials whose session has expired
  | 'mismatch' // signature differs
  | 'expired' // signed more than 15 min ago
  | 'not-yet' // signed more than 15 min in the future
  | 'bad-region'; // the scope's region is not a region name

export type AuthResult =
  | { ok: true; accessKeyId: string; region: string; service: string }
  | { ok: false; kind: AuthFailureKind; message: string; region?: string; service?: string };

const MAX_SKEW_MS = 15 * 60 * 1000;
const REGION_RE = /^[a-z]{2,}(-[a-z0-9]+)*-\d{1,2}$/;

export const isRegionName = (s: string): boolean => s.length <= 40 && REGION_RE.test(s);

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string): AuthorizationHeader | string {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) return `Authorization header requires the AWS4-HMAC-SHA256 algorithm; got '${header.slice(0, 40)}'.`;
  const parts: Record<string, string> = {};
  for (const p of m[1].split(',')) {
    const eq = p.indexOf('=');
    if (eq > 0) parts[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !parts[k]);
  if (missing.length) return missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ');
  const cred = parts.Credential.split('/');
  if (cred.length !== 5 || cred[4] !== 'aws4_request' || !/^\d{8}$/.test(cred[1]) || !cred[0] || !cred[2] || !cred[3]) {
    return `Credential should be scoped to a valid region, service and date: '${parts.Credential.slice(0, 120)}'.`;
  }
  if (!/^[0-9a-f]{64}$/.test(parts.Signature)) return 'Signature must be 64 lowercase hex characters.';
  const signedHeaders = parts.SignedHeaders.split(';');
  if (signedHeaders.some((h) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h))) return 'SignedHeaders contains an invalid header name.';
  return { accessKeyId: cred[0], scopeDate: cred[1], region: cred[2], service: cred[3], signedHeaders, signature: parts.Signature };
}

/** `20260101T000000Z` -> Date (or undefined). */
export function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const amz = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export interface VerifiableRequest {
  method: string;
  /** The raw request target, e.g. `/` or `/?a=b`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const signers = new Map<string, SignatureV4>();

function signerFor(accessKeyId: string, secretAccessKey: string, region: string, service: string): SignatureV4 {
  const key = `${accessKeyId}\0${secretAccessKey}\0${region}\0${service}`;
  let s = signers.get(key);
  if (!s) {
    if (signers.size > 256) signers.clear();
    s = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: Sha256, applyChecksum: false });
    signers.set(key, s);
  }
  return s;
}

const headerValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/**
 * Verifies the request's SigV4 signature against the secret `lookupSecret` returns for its access
 * key: undefined for a key it does not know, `{ expired: true }` for expired temporary credentials.
 */
export async function verifySigV4(
  req: VerifiableRequest,
  lookupSecret: (accessKeyId: string) => string | undefined | { expired: true },
  realNow: number = Date.now(),
): Promise<AuthResult> {
  const authHeader = headerValue(req.headers.authorization);
  if (!authHeader) return { ok: false, kind: 'missing', message: 'Missing Authentication Token' };
  const auth = parseAuthorization(authHeader);
  if (typeof auth === 'string') return { ok: false, kind: 'incomplete', message: auth };
  const { region, service } = auth;
  // AWS refuses a signature that does not cover the Host header (it could be replayed elsewhere).
  if (!auth.signedHeaders.includes('host')) {
    return { ok: false, kind: 'incomplete', region, service, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
  }
  const rawDate = headerValue(req.headers['x-amz-date']);
  let date: Date | undefined;
  if (rawDate !== undefined) date = parseAmzDate(rawDate);
  else if (req.headers.date && auth.signedHeaders.includes('date')) {
    const d = new Date(req.headers.date);
    date = Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (!date) {
    return { ok: false, kind: 'incomplete', region, service, message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  }
  if (!isRegionName(region)) return { ok: false, kind: 'bad-region', region, service, message: `Credential should be scoped to a valid region, not '${region.slice(0, 40)}'.` };
  // The credential scope's date must be the request's (UTC) date, as AWS checks it.
  const day = amz(date).slice(0, 8);
  if (auth.scopeDate !== day) {
    return {
      ok: false,
      kind: 'mismatch',
      region,
      service,
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${day}', from '${amz(date)}'.`,
    };
  }
  const secret = lookupSecret(auth.accessKeyId);
  if (secret === undefined) return { ok: false, kind: 'unknown-key', region, service, message: 'The security token included in the request is invalid.' };
  if (typeof secret !== 'string') return { ok: false, kind: 'expired-token', region, service, message: 'The security token included in the request is expired' };
  const skew = date.getTime() - realNow;
  if (skew < -MAX_SKEW_MS) {
    return {
      ok: false,
      kind: 'expired',
      region,
      service,
      message: `Signature expired: ${amz(date)} is now earlier than ${amz(new Date(realNow - MAX_SKEW_MS))} (${amz(new Date(realNow))} - 15 min.)`,
    };
  }
  if (skew > MAX_SKEW_MS) {
    return {
      ok: false,
      kind: 'not-yet',
      region,
      service,
      message: `Signature not yet current: ${amz(date)} is still later than ${amz(new Date(realNow + MAX_SKEW_MS))} (${amz(new Date(realNow))} + 15 min.)`,
    };
  }
  const mismatch: AuthResult = {
    ok: false,
    kind: 'mismatch',
    region,
    service,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  };
  // The request as the client signed it: exactly the signed headers, the path, the query and the body.
  const headers: Record<string, string> = {};
  for (const h of auth.signedHeaders) {
    const v = headerValue(req.headers[h]);
    if (v === undefined) return mismatch;
    headers[h] = v;
  }
  // The signer trusts X-Amz-Content-Sha256 as the payload hash: make sure it is the body's.
  const claimed = headerValue(req.headers['x-amz-content-sha256']);
  if (claimed !== undefined && claimed !== createHash('sha256').update(req.body).digest('hex')) return mismatch;
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  let path: string;
  try {
    path = rawPath.split('/').map(decodeURIComponent).join('/');
  } catch {
    return mismatch;
  }
  const query: Record<string, string | string[]> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(req.url.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  const request = new HttpRequest({ method: req.method, protocol: 'http:', hostname: headers.host ?? 'localhost', path, query, headers, body: req.body });
  const signedSet = new Set(auth.signedHeaders);
  const unsignable = new Set<string>();
  if (!signedSet.has('x-amz-date')) unsignable.add('x-amz-date');
  let expected: string;
  try {
    const signed = await signerFor(auth.accessKeyId, secret, region, service).sign(request, {
      signingDate: date,
      signingRegion: region,
      signingService: service,
      signableHeaders: signedSet,
      unsignableHeaders: unsignable,
    });
    const out = String(signed.headers.authorization ?? signed.headers.Authorization ?? '');
    const m = /Signature=([0-9a-f]{64})/.exec(out);
    const s = /SignedHeaders=([^,]*)/.exec(out);
    if (!m || !s || s[1] !== auth.signedHeaders.join(';')) return mismatch;
    expected = m[1];
  } catch {
    return mismatch;
  }
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return mismatch;
  return { ok: true, accessKeyId: auth.accessKeyId, region, service };
}
