/**
 * Who may sign requests to a sandbox: its user's long-term key pair (`AKIA…`, kept in the state
 * file) and the temporary credentials STS hands out (`ASIA…` + a session token), which the sandbox
 * then accepts as AWS does — only with their token, and only until they expire.
 *
 * Temporary credentials are derived, not stored: the session token carries the session's claims
 * (its access key id, expiry, the role and session name) sealed with an HMAC keyed by the sandbox's
 * secret key, and the session's secret key is an HMAC of its access key id. A token that was
 * altered, or that belongs to another key, fails the seal; nothing grows in the state file, and the
 * sessions survive a restart as AWS's do. Expiry is by the real clock — the SDKs and the CLI compare
 * `Expiration` with the machine's clock to refresh credentials — not by the sandbox's simulated one.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { World } from '../engine/state';
import type { Caller } from '../service';

/** The IAM user the sandbox's long-term key belongs to. */
export const SANDBOX_USER = 'ecs-handson-sandbox';

/** What a session token seals. */
interface Claims {
  /** The session's access key id. */
  k: string;
  /** Expiry, real epoch ms. */
  x: number;
  /** `session` (GetSessionToken) or `role` (AssumeRole). */
  t: 'session' | 'role';
  /** Role sessions: the role's ARN and id, the session's name. */
  a?: string;
  i?: string;
  s?: string;
}

export interface TemporaryCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** Real epoch ms. */
  expiresAt: number;
}

/** Why a key is refused: unknown (or a token that is not its own), or its session has expired. */
export type KeyLookup = { secret: string; caller: Caller } | { refused: 'unknown-key' | 'expired-token' };

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `len` characters of IAM's unique-id alphabet (upper-case letters and digits 2–7). */
function idChars(bytes: Buffer, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) out += B32[bytes[i % bytes.length] % 32];
  return out;
}

/** A stable IAM-style unique id (`AIDA`, `AROA`, `AIPA` + 17 characters) for `seed`. */
export const uniqueId = (prefix: string, seed: string): string => prefix + idChars(createHash('sha256').update(seed).digest(), 17);

/** A new random one. */
export const randomUniqueId = (prefix: string): string => prefix + idChars(randomBytes(17), 17);

const mac = (world: World, purpose: string, text: string): Buffer =>
  createHmac('sha256', `ecs-handson-sts/${world.credentials.secretAccessKey}`).update(`${purpose}\n${text}`).digest();

const secretOf = (world: World, accessKeyId: string): string => mac(world, 'secret', accessKeyId).toString('base64').slice(0, 40);

/** The sandbox's user, as its long-term key signs. */
export function sandboxUser(world: World, accessKeyId = world.credentials.accessKeyId): Caller {
  return {
    kind: 'user',
    accessKeyId,
    arn: `arn:aws:iam::${world.accountId}:user/${SANDBOX_USER}`,
    userId: uniqueId('AIDA', `${world.accountId}/${world.credentials.accessKeyId}`),
  };
}

/** New temporary credentials for a GetSessionToken session, or a session of `role`. */
export function issueCredentials(
  world: World,
  session: { kind: 'session' } | { kind: 'role'; roleArn: string; roleId: string; sessionName: string },
  expiresAt: number,
): TemporaryCredentials {
  const AccessKeyId = `ASIA${idChars(randomBytes(16), 16)}`;
  const claims: Claims =
    session.kind === 'session'
      ? { k: AccessKeyId, x: expiresAt, t: 'session' }
      : { k: AccessKeyId, x: expiresAt, t: 'role', a: session.roleArn, i: session.roleId, s: session.sessionName };
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const seal = mac(world, 'token', body).toString('base64url');
  return { AccessKeyId, SecretAccessKey: secretOf(world, AccessKeyId), SessionToken: `${body}.${seal}`, expiresAt };
}

function claimsOf(world: World, token: string): Claims | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 4096) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(world, 'token', body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    return typeof c.k === 'string' && typeof c.x === 'number' && (c.t === 'session' || c.t === 'role') ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The secret of the key that signed a request and who it is, or why AWS would refuse it: a key the
 * sandbox never issued, a temporary key without its own token, a long-term key with a token
 * (`unknown-key`: "The security token included in the request is invalid."), or an expired session.
 */
export function lookupKey(world: World, accessKeyId: string, sessionToken: string | undefined, realNow: number): KeyLookup {
  if (accessKeyId === world.credentials.accessKeyId) {
    return sessionToken === undefined ? { secret: world.credentials.secretAccessKey, caller: sandboxUser(world) } : { refused: 'unknown-key' };
  }
  if (!accessKeyId.startsWith('ASIA') || sessionToken === undefined) return { refused: 'unknown-key' };
  const c = claimsOf(world, sessionToken);
  if (!c || c.k !== accessKeyId) return { refused: 'unknown-key' };
  if (realNow >= c.x) return { refused: 'expired-token' };
  const user = sandboxUser(world);
  const caller: Caller =
    c.t === 'role' && c.a && c.s
      ? {
          kind: 'role',
          accessKeyId,
          arn: `arn:aws:sts::${world.accountId}:assumed-role/${c.a.slice(c.a.lastIndexOf('/') + 1)}/${c.s}`,
          userId: `${c.i}:${c.s}`,
          roleArn: c.a,
          expiresAt: c.x,
        }
      : { ...user, kind: 'session', accessKeyId, expiresAt: c.x };
  return { secret: secretOf(world, accessKeyId), caller };
}
