/**
 * SSH key material as EC2 hands it out and takes it in (node:crypto does the cryptography):
 *
 * - CreateKeyPair: an RSA 2048 private key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), or an
 *   ED25519 one in OpenSSH's own format (`-----BEGIN OPENSSH PRIVATE KEY-----`), what `ssh -i` reads;
 * - ImportKeyPair: an OpenSSH public key line (`ssh-rsa AAAA… comment`, `ssh-ed25519 …`), an
 *   RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`) block or a PEM / DER public key;
 * - fingerprints as EC2 computes them: for RSA keys it created, the SHA-1 of the private key's
 *   PKCS#8 DER; for imported RSA keys, the MD5 of the public key's DER; for ED25519 keys, the
 *   base64 SHA-256 of the OpenSSH public key blob (what `ssh-keygen -l` shows).
 */
import { createHash, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface SshKey {
  keyType: 'rsa' | 'ed25519';
  /** OpenSSH public key line, without a comment. */
  publicKey: string;
  keyFingerprint: string;
}

const sshString = (b: Buffer): Buffer => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
};

/** An SSH mpint from JWK base64url (a leading zero byte when the high bit is set). */
const mpint = (b64url: string): Buffer => {
  const raw = Buffer.from(b64url, 'base64url');
  return sshString(raw[0] & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
};

/** The OpenSSH public key blob (`string type, …`) of a public key. */
function sshBlob(pub: KeyObject): { type: 'ssh-rsa' | 'ssh-ed25519'; blob: Buffer } {
  const jwk = pub.export({ format: 'jwk' });
  if (pub.asymmetricKeyType === 'rsa') return { type: 'ssh-rsa', blob: Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]) };
  return { type: 'ssh-ed25519', blob: Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.from(jwk.x!, 'base64url'))]) };
}

const colonHex = (b: Buffer): string => b.toString('hex').replace(/(..)(?!$)/g, '$1:');
const sha256Fingerprint = (blob: Buffer): string => createHash('sha256').update(blob).digest('base64');

/** OpenSSH's private key format (openssh-key-v1, unencrypted) for an ED25519 key. */
function opensshPrivateKey(priv: KeyObject, pubBlob: Buffer, comment: string): string {
  const jwk = priv.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const pub = Buffer.from(jwk.x!, 'base64url');
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString(Buffer.from('ssh-ed25519')), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(Buffer.from(comment))]);
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const none = sshString(Buffer.from('none'));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), none, none, sshString(Buffer.alloc(0)), count, sshString(pubBlob), sshString(section)]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

/** A new key pair: the private key material EC2 returns once, and what it keeps. */
export async function createSshKey(keyType: 'rsa' | 'ed25519', keyName: string): Promise<SshKey & { keyMaterial: string }> {
  if (keyType === 'rsa') {
    const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
    const { type, blob } = sshBlob(publicKey);
    return {
      keyType,
      publicKey: `${type} ${blob.toString('base64')}`,
      keyFingerprint: colonHex(createHash('sha1').update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest()),
      keyMaterial: String(privateKey.export({ type: 'pkcs1', format: 'pem' })).trimEnd(),
    };
  }
  const { privateKey, publicKey } = await generate('ed25519');
  const { type, blob } = sshBlob(publicKey);
  return { keyType, publicKey: `${type} ${blob.toString('base64')}`, keyFingerprint: sha256Fingerprint(blob), keyMaterial: opensshPrivateKey(privateKey, blob, keyName) };
}

/** Reads an SSH string at `at`; undefined past the end. */
function readString(b: Buffer, at: number): { value: Buffer; next: number } | undefined {
  if (at + 4 > b.length) return undefined;
  const len = b.readUInt32BE(at);
  if (at + 4 + len > b.length) return undefined;
  return { value: b.subarray(at + 4, at + 4 + len), next: at + 4 + len };
}

/** The public key of an OpenSSH blob (RSA or ED25519 only), or undefined. */
function keyFromBlob(blob: Buffer): KeyObject | undefined {
  const type = readString(blob, 0);
  if (!type) return undefined;
  const jwk = (fields: Buffer[]) => fields.map((f) => (f[0] === 0 ? f.subarray(1) : f).toString('base64url'));
  try {
    if (type.value.toString() === 'ssh-rsa') {
      const e = readString(blob, type.next);
      const n = e && readString(blob, e.next);
      if (!e || !n || n.next !== blob.length) return undefined;
      const [ee, nn] = jwk([e.value, n.value]);
      return createPublicKey({ key: { kty: 'RSA', e: ee, n: nn }, format: 'jwk' });
    }
    if (type.value.toString() === 'ssh-ed25519') {
      const x = readString(blob, type.next);
      if (!x || x.value.length !== 32 || x.next !== blob.length) return undefined;
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.value.toString('base64url') }, format: 'jwk' });
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The public key in `text` (and an OpenSSH line's comment), in any of the formats EC2 imports; undefined when it is none of them (or not RSA / ED25519). */
function parsePublicKey(text: string): { key: KeyObject | undefined; comment?: string } {
  const trimmed = text.trim();
  const line = /^(ssh-rsa|ssh-ed25519)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/s.exec(trimmed);
  if (line) return { key: keyFromBlob(Buffer.from(line[2], 'base64')), comment: line[3]?.trim() || undefined };
  return { key: otherFormats(trimmed) };
}

function otherFormats(trimmed: string): KeyObject | undefined {
  if (trimmed.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) {
    // RFC 4716: header lines (`Comment: …`, continued by a trailing backslash), then the base64 blob.
    const lines = trimmed.split(/\r?\n/).slice(1, -1);
    let body = '';
    let continued = false;
    for (const l of lines) {
      const header: boolean = continued || l.includes(':');
      continued = header && l.endsWith('\\');
      if (!header) body += l.trim();
    }
    return keyFromBlob(Buffer.from(body, 'base64'));
  }
  // A PEM public key (never a private one: EC2 imports public keys), or base64 DER.
  if (trimmed.startsWith('-----BEGIN') && !/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(trimmed)) return undefined;
  try {
    const key = trimmed.startsWith('-----BEGIN') ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** An imported public key (the bytes ImportKeyPair was sent; an OpenSSH line keeps its comment), or undefined when EC2 would refuse its format. */
export function importSshKey(material: Buffer): SshKey | undefined {
  const { key, comment } = parsePublicKey(material.toString('utf8'));
  if (!key) return undefined;
  const { type, blob } = sshBlob(key);
  const publicKey = `${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
  if (type === 'ssh-ed25519') return { keyType: 'ed25519', publicKey, keyFingerprint: sha256Fingerprint(blob) };
  return { keyType: 'rsa', publicKey, keyFingerprint: colonHex(createHash('md5').update(key.export({ type: 'spki', format: 'der' })).digest()) };
}

