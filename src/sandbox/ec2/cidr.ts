/**
 * IPv4 CIDR blocks as EC2 reads them (`10.0.0.0/16`): parsed, normalised to their network address,
 * compared for containment and overlap. Addresses are plain numbers (0 … 2^32-1).
 */

export interface Cidr {
  /** The network address. */
  base: number;
  prefix: number;
  /** Normalised text (`10.0.0.0/16` for `10.0.3.7/16`). */
  text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** The block, or undefined when `text` is not an IPv4 CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m[1].split('.');
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o))) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32) return undefined;
  const ip = octets.reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  return { base, prefix, text: `${intToIp(base)}/${prefix}` };
}

export const cidrSize = (c: Cidr): number => 2 ** (32 - c.prefix);

/** Whether `inner` lies wholly inside `outer`. */
export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + cidrSize(inner) <= outer.base + cidrSize(outer);

/** Whether the two blocks share an address. */
export const cidrOverlaps = (a: Cidr, b: Cidr): boolean => a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
