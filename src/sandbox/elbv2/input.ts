/**
 * Input checking for the ELBv2 (awsQuery) handlers. Query input arrives as nested objects/arrays
 * with string leaves; these helpers convert and range-check them and throw `ValidationError` the
 * way ELBv2 words it (`1 validation error detected: Value … at '…' failed to satisfy constraint: …`).
 */
import { AwsError } from '../protocol/errors';
import type { ElbTag } from './model';

export function fail(message: string, code = 'ValidationError'): never {
  throw new AwsError(code, message);
}

/** `LoadBalancerArn` -> `loadBalancerArn`, as ELBv2 names members in validation messages. */
const member = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

const constraint = (value: unknown, name: string, text: string): never =>
  fail(`1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${member(name)}' failed to satisfy constraint: ${text}`);

export function optStr(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return constraint(JSON.stringify(v), name, 'Member must be a string');
  return v;
}

export function reqStr(v: unknown, name: string): string {
  const s = optStr(v, name);
  if (s === undefined) return constraint(undefined, name, 'Member must not be null');
  return s;
}

export function optInt(v: unknown, name: string, min?: number, max?: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v);
  if (!/^-?\d+$/.test(s)) return constraint(s, name, 'Member must be an integer');
  const n = Number(s);
  if (min !== undefined && n < min) return constraint(s, name, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && n > max) return constraint(s, name, `Member must have value less than or equal to ${max}`);
  return n;
}

export function reqInt(v: unknown, name: string, min?: number, max?: number): number {
  const n = optInt(v, name, min, max);
  if (n === undefined) return constraint(undefined, name, 'Member must not be null');
  return n;
}

export function optBool(v: unknown, name: string): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return constraint(v, name, 'Member must be a boolean');
}

export function optEnum<T extends string>(v: unknown, name: string, values: readonly T[]): T | undefined {
  const s = optStr(v, name);
  if (s === undefined) return undefined;
  if (!values.includes(s as T)) return constraint(s, name, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return s as T;
}

/** A list member (`X.member.N`); a single string is accepted as a one-element list. */
export function optList(v: unknown, name: string): unknown[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return constraint(JSON.stringify(v), name, 'Member must be a list');
  return [v];
}

export function optStrList(v: unknown, name: string): string[] | undefined {
  const l = optList(v, name);
  if (l === undefined) return undefined;
  return l.map((x, i) => reqStr(x, `${name}.${i + 1}`));
}

export function optObj(v: unknown, name: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return constraint(String(v), name, 'Member must be a structure');
  return v as Record<string, unknown>;
}

/** Tags (`Tags.member.N.Key/Value`): keys 1–128 chars, values ≤ 256, no duplicate keys. */
export function optTags(v: unknown, name = 'Tags'): ElbTag[] | undefined {
  const l = optList(v, name);
  if (l === undefined) return undefined;
  const tags: ElbTag[] = [];
  const seen = new Set<string>();
  l.forEach((t, i) => {
    const o = optObj(t, `${name}.${i + 1}`) ?? {};
    const key = reqStr(o.Key, `${name}.${i + 1}.key`);
    const value = optStr(o.Value, `${name}.${i + 1}.value`) ?? '';
    if (key.length < 1 || key.length > 128) constraint(key, `${name}.${i + 1}.key`, 'Member must have length between 1 and 128');
    if (value.length > 256) constraint(value, `${name}.${i + 1}.value`, 'Member must have length less than or equal to 256');
    if (key.startsWith('aws:')) fail(`Tag key '${key}' cannot start with 'aws:'`);
    if (seen.has(key)) fail(`Tag key was specified more than once: ${key}`, 'DuplicateTagKeys');
    seen.add(key);
    tags.push({ Key: key, Value: value });
  });
  return tags;
}

/**
 * Load balancer / target group names: 1–32 alphanumerics and hyphens, not beginning or ending with
 * a hyphen; load balancer names also must not begin with `internal-`.
 */
export function checkName(name: string, kind: 'Load balancer' | 'Target group'): void {
  if (name.length === 0) fail(`${kind} name cannot be empty`);
  if (name.length > 32) fail(`${kind} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) fail(`${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) fail(`${kind} name '${name}' cannot begin or end with '-' character`);
  if (kind === 'Load balancer' && name.toLowerCase().startsWith('internal-')) fail(`Load balancer name '${name}' cannot begin with 'internal-'`);
}

/** Pagination over a stable list: `Marker` is the opaque index of the next item. */
export function page<T>(items: T[], input: { Marker?: unknown; PageSize?: unknown }): { items: T[]; NextMarker?: string } {
  const size = optInt(input.PageSize, 'PageSize', 1, 400) ?? 400;
  const marker = optStr(input.Marker, 'Marker');
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const decoded = Buffer.from(marker, 'base64').toString('utf8');
    const m = /^elbv2:(\d+)$/.exec(decoded);
    if (!m) fail('Invalid marker');
    start = Math.min(Number(m![1]), items.length);
  }
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, NextMarker: Buffer.from(`elbv2:${end}`).toString('base64') } : { items: slice };
}
