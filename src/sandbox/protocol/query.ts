/**
 * Decodes awsQuery / ec2Query form bodies into nested objects and arrays, the input handlers get.
 *
 * - `Names.member.1=a&Names.member.2=b`            -> `{ Names: ['a', 'b'] }`          (awsQuery lists)
 * - `Tags.member.1.Key=k&Tags.member.1.Value=v`    -> `{ Tags: [{ Key: 'k', Value: 'v' }] }`
 * - `Attributes.entry.1.key=k&…entry.1.value=v`    -> `{ Attributes: { k: 'v' } }`      (awsQuery maps)
 * - `InstanceId.1=i-1&InstanceId.2=i-2`            -> `{ InstanceId: ['i-1', 'i-2'] }` (ec2Query lists)
 * - `Filter.1.Name=vpc-id&Filter.1.Value.1=x`      -> `{ Filter: [{ Name: 'vpc-id', Value: ['x'] }] }`
 *
 * Leaf values stay strings. List positions are 1-based and sorted; gaps are closed. A key that is
 * both a value and a parent (`A=1&A.B=2`), an index that is not a positive integer, or a segment
 * that could reach Object.prototype, or a name of more than MAX_SEGMENTS segments is a
 * `MalformedQueryString` error (400).
 */
import { AwsError } from './errors';

const MAX_PARAMS = 10_000;
const MAX_INDEX = 100_000;
/**
 * Most `.`-separated segments in one parameter name. The deepest real ones (a CloudWatch alarm's
 * `Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name`, an Auto Scaling group's mixed
 * instances overrides) have under 10; without a cap, a name of 5,000 segments overflowed the
 * decoder's stack (a 500).
 */
export const MAX_SEGMENTS = 32;
/** Map keys that could reach Object.prototype. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * Parameter name segments refused: those, and every other Object.prototype member (`toString`,
 * `valueOf`, …) — no AWS parameter is named so, and an object carrying its own `toString` breaks
 * any code that turns a value into text.
 */
const FORBIDDEN_SEGMENTS = new Set([...FORBIDDEN, ...Object.getOwnPropertyNames(Object.prototype)]);

type Node = Map<string, Node | string>;

export class QueryDecodeError extends AwsError {
  constructor(message: string) {
    super('MalformedQueryString', message, 400);
  }
}

/** Parses `application/x-www-form-urlencoded` strictly enough to reject broken percent-encoding. */
export function parseForm(body: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (body === '') return pairs;
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decodeComponent(rawKey), decodeComponent(rawValue)]);
    if (pairs.length > MAX_PARAMS) throw new QueryDecodeError(`Too many parameters (more than ${MAX_PARAMS}).`);
  }
  return pairs;
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new QueryDecodeError(`The query string contains an invalid percent-encoding: ${JSON.stringify(s.slice(0, 64))}.`);
  }
}

/** Splits the form into `Action`, `Version` and the nested parameters. */
export function decodeQuery(body: string): { action?: string; version?: string; params: Record<string, unknown> } {
  const pairs = parseForm(body);
  let action: string | undefined;
  let version: string | undefined;
  const root: Node = new Map();
  for (const [key, value] of pairs) {
    if (key === 'Action') {
      action = value;
      continue;
    }
    if (key === 'Version') {
      version = value;
      continue;
    }
    insert(root, key, value);
  }
  return { action, version, params: convert(root) as Record<string, unknown> };
}

function insert(root: Node, key: string, value: string): void {
  if (key === '') throw new QueryDecodeError('The query string contains an empty parameter name.');
  const segments = key.split('.', MAX_SEGMENTS + 1);
  if (segments.length > MAX_SEGMENTS) {
    throw new QueryDecodeError(`Parameter name ${JSON.stringify(key.slice(0, 64) + '…')} has more than ${MAX_SEGMENTS} '.'-separated parts.`);
  }
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg === '' || FORBIDDEN_SEGMENTS.has(seg)) throw new QueryDecodeError(`Invalid parameter name: ${JSON.stringify(key.slice(0, 128))}.`);
    if (/^\d+$/.test(seg) && (!isIndex(seg) || Number(seg) > MAX_INDEX)) {
      throw new QueryDecodeError(`Invalid list index ${JSON.stringify(seg.slice(0, 20))} in ${JSON.stringify(key.slice(0, 128))} (indexes start at 1).`);
    }
    const last = i === segments.length - 1;
    const existing = node.get(seg);
    if (last) {
      if (existing instanceof Map) throw new QueryDecodeError(`Parameter ${key} is both a value and a structure.`);
      node.set(seg, value); // a repeated key keeps the last value
    } else {
      if (typeof existing === 'string') throw new QueryDecodeError(`Parameter ${segments.slice(0, i + 1).join('.')} is both a value and a structure.`);
      let child = existing;
      if (!child) {
        child = new Map();
        node.set(seg, child);
      }
      node = child;
    }
  }
}

const isIndex = (s: string): boolean => /^[1-9][0-9]*$/.test(s);

function toList(node: Node, path: string): unknown[] {
  const keys = [...node.keys()];
  for (const k of keys) {
    if (!isIndex(k) || Number(k) > MAX_INDEX) throw new QueryDecodeError(`Invalid list index ${JSON.stringify(k)} in ${path}.`);
  }
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => convert(node.get(k)!, `${path}.${k}`));
}

function convert(node: Node | string, path = ''): unknown {
  if (typeof node === 'string') return node;
  const keys = [...node.keys()];
  if (keys.length === 1 && keys[0] === 'member') {
    const m = node.get('member')!;
    if (typeof m === 'string') throw new QueryDecodeError(`Parameter ${path}.member needs an index.`);
    return toList(m, `${path}.member`);
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const e = node.get('entry')!;
    if (typeof e === 'string') throw new QueryDecodeError(`Parameter ${path}.entry needs an index.`);
    const map: Record<string, unknown> = {};
    for (const item of toList(e, `${path}.entry`)) {
      const it = item as Record<string, unknown> | string;
      if (typeof it !== 'object' || typeof it.key !== 'string' || FORBIDDEN.has(it.key)) {
        throw new QueryDecodeError(`Each ${path}.entry.N needs a key and a value.`);
      }
      map[it.key] = it.value ?? '';
    }
    return map;
  }
  if (keys.length > 0 && keys.every(isIndex)) return toList(node, path);
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = convert(node.get(k)!, path ? `${path}.${k}` : k);
  return out;
}
