/**
 * Input checking for the ECS handlers. Every helper throws an `AwsError` whose message names the
 * member, so a malformed request is a 400 with a clear reason (never a 500). Handlers validate the
 * whole request before they change anything.
 */
import { AwsError } from '../protocol/errors';
import type { Tag } from '../engine/state';

export type ErrorCode = 'InvalidParameterException' | 'ClientException';
const IPE: ErrorCode = 'InvalidParameterException';

export const fail = (message: string, code: ErrorCode = IPE): never => {
  throw new AwsError(code, message);
};

/** The request body as an object (an empty or absent body is `{}`). */
export function body(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) return fail('The request body must be a JSON object.', 'ClientException');
  return input as Record<string, unknown>;
}

const describe = (v: unknown): string => (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v);

export function optString(v: unknown, member: string, code: ErrorCode = IPE): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return fail(`Invalid type for parameter ${member}: expected a string, got ${describe(v)}.`, code);
  return v;
}

export function reqString(v: unknown, member: string, code: ErrorCode = IPE): string {
  const s = optString(v, member, code);
  if (s === undefined || s === '') return fail(`${member} must be specified.`, code);
  return s;
}

export function optInt(v: unknown, member: string, range: { min?: number; max?: number } = {}, code: ErrorCode = IPE): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`Invalid type for parameter ${member}: expected an integer, got ${describe(v)}.`, code);
  if (range.min !== undefined && v < range.min) {
    return fail(
      range.max !== undefined
        ? `${member} must be between ${range.min} and ${range.max}.`
        : `${member} must be greater than or equal to ${range.min}.`,
      code,
    );
  }
  if (range.max !== undefined && v > range.max) {
    return fail(
      range.min !== undefined ? `${member} must be between ${range.min} and ${range.max}.` : `${member} must be less than or equal to ${range.max}.`,
      code,
    );
  }
  return v;
}

export function optBool(v: unknown, member: string, code: ErrorCode = IPE): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return fail(`Invalid type for parameter ${member}: expected a boolean, got ${describe(v)}.`, code);
  return v;
}

export function optEnum<T extends string>(v: unknown, member: string, values: readonly T[], code: ErrorCode = IPE): T | undefined {
  const s = optString(v, member, code);
  if (s === undefined) return undefined;
  if (!(values as readonly string[]).includes(s)) return fail(`Invalid value for parameter ${member}: '${s}'. Valid values are ${values.join(', ')}.`, code);
  return s as T;
}

export function optObject(v: unknown, member: string, code: ErrorCode = IPE): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return fail(`Invalid type for parameter ${member}: expected a structure, got ${describe(v)}.`, code);
  return v as Record<string, unknown>;
}

export function optList(v: unknown, member: string, code: ErrorCode = IPE): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return fail(`Invalid type for parameter ${member}: expected a list, got ${describe(v)}.`, code);
  return v;
}

export function optStringList(v: unknown, member: string, opts: { max?: number } = {}, code: ErrorCode = IPE): string[] | undefined {
  const list = optList(v, member, code);
  if (list === undefined) return undefined;
  list.forEach((s, i) => reqString(s, `${member}[${i}]`, code));
  if (opts.max !== undefined && list.length > opts.max) fail(`${member} can have at most ${opts.max} items.`, code);
  return list as string[];
}

export function objectList(v: unknown, member: string, code: ErrorCode = IPE): Record<string, unknown>[] {
  const list = optList(v, member, code) ?? [];
  return list.map((o, i) => optObject(o, `${member}[${i}]`, code) ?? fail(`${member}[${i}] must not be null.`, code));
}

/** Cluster, service, family and container names: up to 255 letters, digits, hyphens and underscores. */
export const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;

/** Tags as ECS accepts them: ≤ 50, key 1–128 characters, value ≤ 256, no `aws:` prefix. */
export function tags(v: unknown, member = 'tags'): Tag[] {
  const list = objectList(v, member);
  if (list.length > 50) fail(`Too many tags: ${list.length}. A resource can have at most 50 tags.`);
  const seen = new Set<string>();
  return list.map((t, i) => {
    const key = reqString(t.key, `${member}[${i}].key`);
    const value = optString(t.value, `${member}[${i}].value`) ?? '';
    if (key.length > 128) fail(`Tag key '${key.slice(0, 20)}…' is longer than 128 characters.`);
    if (value.length > 256) fail(`The value of tag '${key}' is longer than 256 characters.`);
    if (/^aws:/i.test(key)) fail(`Tag keys beginning with 'aws:' are reserved for AWS use: '${key}'.`);
    if (seen.has(key)) fail(`Duplicate tag key '${key}'.`);
    seen.add(key);
    return { key, value };
  });
}

/** Merges `add` into `existing` by key (later wins), keeping the 50-tag limit. */
export function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const out = existing.filter((t) => !add.some((a) => a.key === t.key)).concat(add);
  if (out.length > 50) fail(`Too many tags: the resource would have ${out.length}. A resource can have at most 50 tags.`);
  return out;
}
