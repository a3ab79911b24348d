/**
 * Reading EC2 query input. The protocol layer hands over the form decoded into nested objects and
 * arrays with string leaves (`InstanceId.1=i-1` -> `{ InstanceId: ['i-1'] }`); these helpers turn it
 * into typed values and refuse what EC2 refuses, with EC2's error codes and message shapes.
 */
import { AwsError } from '../protocol/errors';
import type { Tag } from '../engine/state';
import type { RequestContext } from '../service';

/** What EC2 code needs of a request; callers inside the sandbox (EC2 Auto Scaling) can build one without a request. */
export type Ec2Context = Pick<RequestContext, 'region' | 'accountId' | 'state' | 'now' | 'engine'>;

/** A list parameter: an array as decoded, a lone string as one item, absent / empty as []. */
export function list(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null);
  return [v];
}

/** A list of strings (`VpcId.N`, `Value.N` …). */
export function strings(v: unknown, param: string): string[] {
  return list(v).map((x) => {
    if (typeof x !== 'string') throw invalidValue(param, JSON.stringify(x));
    return x;
  });
}

/** The first list parameter present among several wire names (the SDK and older tools differ). */
export function firstList(input: Record<string, unknown>, ...names: string[]): unknown[] {
  for (const n of names) if (input[n] !== undefined) return list(input[n]);
  return [];
}

export function optString(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidValue(name, JSON.stringify(v));
  return v;
}

export function reqString(input: Record<string, unknown>, name: string): string {
  const v = optString(input, name);
  if (v === undefined || v === '') throw missing(name);
  return v;
}

export function optInt(input: Record<string, unknown>, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !/^-?\d{1,10}$/.test(v.trim())) throw invalidValue(name, String(v));
  return Number(v.trim());
}

export function optBool(input: Record<string, unknown>, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidValue(name, String(v));
}

export function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `InvalidParameterValue` "Invalid value 'x' for name." — EC2's generic shape. */
export function invalidValue(name: string, value: string, why?: string): AwsError {
  return new AwsError('InvalidParameterValue', `Invalid value '${value}' for ${name}.${why ? ` ${why}` : ''}`);
}

export function missing(name: string): AwsError {
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
}

/** DryRun=true: EC2 answers `DryRunOperation` instead of doing the work. */
export function checkDryRun(input: Record<string, unknown>): void {
  if (optBool(input, 'DryRun')) {
    throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  }
}

/** Tags from `Tag.N.{Key,Value}`. */
export function tagList(v: unknown, param = 'Tag'): Tag[] {
  return list(v).map((t, i) => {
    const o = obj(t);
    const key = o.Key;
    const value = o.Value ?? '';
    if (typeof key !== 'string' || key === '') throw missing(`${param}.${i + 1}.Key`);
    if (typeof value !== 'string') throw invalidValue(`${param}.${i + 1}.Value`, JSON.stringify(value));
    validateTag(key, value);
    return { key, value };
  });
}

export function validateTag(key: string, value: string): void {
  if (key.length > 127) throw invalidValue('Tag.Key', key, 'Tag keys must be at most 127 characters long.');
  if (value.length > 255) throw invalidValue('Tag.Value', value, 'Tag values must be at most 255 characters long.');
  if (/^aws:/i.test(key)) throw invalidValue('Tag.Key', key, "Tag keys starting with 'aws:' are reserved for internal use");
}

/** The tags a `TagSpecification.N` list gives one resource type; an unsupported type is refused. */
export function tagsFor(specs: unknown, resourceType: string, allowed: string[]): Tag[] {
  const tags: Tag[] = [];
  for (const s of list(specs)) {
    const o = obj(s);
    const type = o.ResourceType;
    if (typeof type !== 'string' || type === '') throw missing('TagSpecification.ResourceType');
    if (!allowed.includes(type)) {
      throw new AwsError('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation.`);
    }
    if (type === resourceType) tags.push(...tagList(o.Tag ?? o.Tags));
  }
  return mergeTags([], tags);
}

/** Applies `add` over `base` (same key replaces), keeping order. */
export function mergeTags(base: Tag[], add: Tag[]): Tag[] {
  const out = base.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((x) => x.key === t.key);
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  if (out.length > 50) throw new AwsError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  return out;
}

/** EC2's `tagSet`, omitted when empty (as EC2 does). */
export const tagSet = (tags: Tag[] | undefined): { key: string; value: string }[] | undefined =>
  tags && tags.length > 0 ? tags.map((t) => ({ key: t.key, value: t.value })) : undefined;

/** MaxResults / NextToken paging over an already ordered list. */
export function paginate<T>(
  items: T[],
  input: Record<string, unknown>,
  op: string,
  range: { min: number; max: number },
): { page: T[]; nextToken?: string } {
  const max = optInt(input, 'MaxResults');
  const token = optString(input, 'NextToken');
  let start = 0;
  if (token !== undefined && token !== '') {
    const m = /^([A-Za-z]+):(\d{1,9})$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m || m[1] !== op) throw new AwsError('InvalidParameterValue', `Invalid value '${token}' for nextToken.`);
    start = Number(m[2]);
  }
  if (max === undefined) return { page: items.slice(start) };
  if (max < range.min || max > range.max) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${max} ) for parameter maxResults is invalid. Parameter must be between ${range.min} and ${range.max}.`,
    );
  }
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`${op}:${start + max}`, 'utf8').toString('base64') : undefined;
  return { page, nextToken: next };
}
