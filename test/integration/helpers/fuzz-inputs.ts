/**
 * Hostile inputs for every operation the sandbox serves, shaped by the services' own API models:
 * the AWS SDK clients' static schemas (read through @smithy/core's NormalizedSchema) give each
 * operation's members and their types. A request starts as a plausible input (names of resources
 * that exist, so handlers get past their first lookup) and is then made hostile: wrong types, huge
 * and out-of-range numbers, deep nesting, long strings, missing and unknown members, prototype
 * keys, odd unicode; for the query protocols also structure confusion (a list where a value is
 * expected and the reverse), bad indexes and broken keys. Deterministic for a seed.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { NormalizedSchema } from '@smithy/core/schema';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SDK_PACKAGES } from '../../../scripts/sandbox-models';
import type { ServiceDefinition } from '../../../src/sandbox/service';

export type Rng = {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  bytes(n: number): Buffer;
};

/** Small seeded PRNG (mulberry32) so a failure can be replayed with the same seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes };
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (d: SourceData): Buffer =>
  typeof d === 'string' ? Buffer.from(d, 'utf8') : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

/** SHA-256 / HMAC-SHA-256 for the SigV4 signer through node:crypto (the pure-JS one took most of the test's time on large bodies). */
class NodeSha256 {
  private h: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.h = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: SourceData): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.fresh();
  }
}

/** Signs a POST / the way the SDK does; returns the headers to send. */
export async function signPost(
  endpoint: string,
  creds: { accessKeyId: string; secretAccessKey: string },
  service: string,
  region: string,
  headers: Record<string, string>,
  body: string,
): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: creds, region, service, sha256: NodeSha256 });
  const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, ...headers }, body });
  return (await signer.sign(req)).headers as Record<string, string>;
}

export type Wire = 'json' | 'query' | 'ec2';

export interface FuzzTarget {
  def: ServiceDefinition;
  operation: string;
  wire: Wire;
  input: NormalizedSchema;
}

/** Every operation of every service, once per wire protocol it is served over (CloudWatch: JSON and awsQuery). */
export function fuzzTargets(services: readonly ServiceDefinition[]): FuzzTarget[] {
  const out: FuzzTarget[] = [];
  for (const def of services) {
    const pkg = SDK_PACKAGES[def.signingName];
    if (!pkg) throw new Error(`no SDK model for ${def.signingName}`);
    const sdk = require(pkg) as Record<string, unknown>;
    for (const operation of Object.keys(def.operations)) {
      const op = sdk[`${operation}$`] as unknown[] | undefined;
      if (!op) throw new Error(`no SDK model for ${def.signingName} ${operation}`);
      const input = NormalizedSchema.of((op[4] as () => never)());
      const wires: Wire[] =
        def.protocol === 'ec2Query' ? ['ec2'] : def.protocol === 'awsQuery' ? ['query'] : def.queryCompatible && def.version ? ['json', 'query'] : ['json'];
      for (const wire of wires) out.push({ def, operation, wire, input });
    }
  }
  return out;
}

/** A JSON literal written as is (numbers JSON.stringify cannot produce, nesting built as text). */
export class Raw {
  constructor(readonly text: string) {}
}

/** A map value for the query encoder (`.entry.N.key/value`), as opposed to a structure. */
class QMap {
  constructor(readonly entries: [string, unknown][]) {}
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

const UNICODE = [
  '日本語のクラスター',
  '🚀'.repeat(40),
  'e\u0301\u0301\u0301',
  'a\u202eb\u202dc',
  '\ud800',
  'x\udfffy',
  '\u0000',
  'tab\there\nnewline\r',
  '\u2028\u2029',
  '\ufeffbom',
  '\uffff\ufffe',
  'Ω≈ç√∫',
];

const ODD_STRINGS = [
  '',
  ' ',
  '../../etc/passwd',
  '%00%2e%2e',
  '<x>&amp;]]></x>',
  '"quoted\' `back`',
  '*',
  '?',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e999',
  '0x10',
  'arn:',
  'arn:aws:ecs:ap-northeast-1:123456789012:cluster/',
  'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup//',
  'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/app:0',
  'service//',
  '/',
  '${jndi:ldap://x}',
  ...PROTO_KEYS,
];

const HUGE_NUMBERS: unknown[] = [
  new Raw('1e999'),
  new Raw('-1e999'),
  new Raw('123456789012345678901234567890'),
  new Raw('1E+400'),
  2 ** 53 + 2,
  -(2 ** 31) - 1,
  2 ** 31,
  1e308,
  -1e308,
  0.000001,
  -0,
  -1,
  0,
  1.5,
];

const nested = (depth: number, open = '[', close = ']') => new Raw(open.repeat(depth) + close.repeat(depth));

function wrongValue(r: Rng): unknown {
  return r.pick<unknown>([
    null,
    true,
    false,
    {},
    [],
    [[]],
    { a: { b: [1] } },
    -1,
    1.5,
    1e300,
    'x',
    '',
    'x'.repeat(3000),
    ['a', 1, null, {}],
    [null],
    new Raw('{"__proto__":{"polluted":1}}'),
    { constructor: { prototype: { polluted: 1 } } },
    { toString: 'x' },
    { valueOf: 1, toString: null },
    [{ toString: 1 }],
    nested(30),
    nested(70),
    nested(40, '{"a":', '}'),
    r.pick(UNICODE),
    r.pick(HUGE_NUMBERS),
  ]);
}

/** An odd string; long ones (up to 60,000 characters) only when asked, so that most bodies stay small. */
function hostileString(r: Rng, long = false): string {
  const k = r.int(long ? 4 : 3);
  if (k === 0) return r.pick(UNICODE);
  if (k === 1) return r.pick(ODD_STRINGS);
  if (k === 3) return r.pick(['A', 'a-', '日', '🚀']).repeat(r.pick([256, 1025, 4097]));
  return r.pick(PROTO_KEYS);
}

/** Names of resources that exist, by lowercase member name (singular), so requests get past the first lookup. */
export type Known = Map<string, string[]>;

const hintOf = (member: string) => member.toLowerCase().replace(/(ies)$/, 'y').replace(/s$/, '');

function plausibleString(r: Rng, known: Known, hint: string): string {
  const candidates = known.get(hint);
  if (candidates && r.next() < 0.8) return r.pick(candidates);
  if (r.next() < 0.3) return hostileString(r);
  return r.pick(['demo-cluster', 'web', 'app', 'app:1', 'ecs', 'CPUUtilization', 'AWS/ECS', 'tcp', 'HTTP', '80', 'ENABLED', 'ACTIVE', 'x']);
}

/** A plausible value for a schema (mostly valid shapes, names of existing resources). */
export function plausible(r: Rng, ns: NormalizedSchema, known: Known, wire: Wire, hint = '', depth = 0): unknown {
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    let i = 0;
    const required = requiredCount(ns);
    for (const [name, m] of ns.structIterator()) {
      const p = i++ < required ? 0.9 : 0.35;
      if (r.next() < p) out[name] = plausible(r, m, known, wire, hintOf(name), depth + 1);
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (depth > 5) return [];
    const n = r.pick([0, 1, 1, 2, 3]);
    return Array.from({ length: n }, () => plausible(r, ns.getValueSchema(), known, wire, hint, depth + 1));
  }
  if (ns.isMapSchema()) {
    const n = r.pick([0, 1, 2]);
    const entries: [string, unknown][] = Array.from({ length: n }, () => [
      r.next() < 0.2 ? r.pick(PROTO_KEYS) : r.pick(['key', 'Name', 'env', 'a.b', 'x']),
      plausible(r, ns.getValueSchema(), known, wire, hint, depth + 1),
    ]);
    return wire === 'json' ? Object.fromEntries(entries) : new QMap(entries);
  }
  if (ns.isBooleanSchema()) return wire === 'json' ? r.next() < 0.5 : r.pick(['true', 'false']);
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    const n = r.pick([0, 1, 1, 2, 3, 10, 60, 100, 300, 50.5, -1, 65535]);
    return wire === 'json' ? n : String(n);
  }
  if (ns.isTimestampSchema()) {
    const t = Date.UTC(2026, 0, 1) + r.int(7 * 86_400_000) - 3 * 86_400_000;
    return wire === 'json' ? t / 1000 : new Date(t).toISOString();
  }
  if (ns.isBlobSchema()) return Buffer.from(r.pick(['#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config', 'x'])).toString('base64');
  if (ns.isDocumentSchema()) return { a: [1, 'b'] };
  return plausibleString(r, known, hint);
}

function requiredCount(ns: NormalizedSchema): number {
  const s = ns.getSchema() as unknown;
  if (Array.isArray(s) && typeof s[6] === 'number') return s[6];
  return 0;
}

/** Struct members of a value with their schemas (walks into lists and structs), for picking a place to mutate. */
function slots(ns: NormalizedSchema, value: unknown, out: { holder: Record<string, unknown>; key: string; schema: NormalizedSchema }[], depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object' || value instanceof Raw) return;
  if (ns.isStructSchema() && !Array.isArray(value) && !(value instanceof QMap)) {
    const holder = value as Record<string, unknown>;
    for (const [name, m] of ns.structIterator()) {
      out.push({ holder, key: name, schema: m });
      if (holder[name] !== undefined) slots(m, holder[name], out, depth + 1);
    }
  } else if (ns.isListSchema() && Array.isArray(value)) {
    for (const v of value) slots(ns.getValueSchema(), v, out, depth + 1);
  }
}

export interface Hostile {
  body: string;
  what: string;
}

/** One hostile request body for the target. */
export function hostileRequest(r: Rng, t: FuzzTarget, known: Known): Hostile {
  const value = plausible(r, t.input, known, t.wire) as Record<string, unknown>;
  const what: string[] = [];
  const mutations = 1 + r.int(3);
  for (let i = 0; i < mutations; i++) what.push(mutate(r, t, value, known));
  if (t.wire === 'json') return { body: toJson(value), what: what.join('; ') };
  const pairs = encodeQuery(t, value);
  const raw: string[] = [];
  if (r.next() < 0.5) what.push(mutateWire(r, pairs, raw));
  const action = `Action=${t.operation}&Version=${t.def.version}`;
  const body = [action, ...pairs.map(([k, v]) => `${encodeValue(k)}=${encodeValue(v)}`), ...raw].join('&');
  return { body, what: what.join('; ') };
}

/**
 * Every top-level string (or list-of-strings) member of the target set to names that are
 * Object.prototype members (`__proto__`, and one of `constructor`, `toString`, … in turn): names
 * AWS accepts, which a lookup in a plain object record would find on its prototype.
 */
export function prototypeNameRequests(r: Rng, t: FuzzTarget, known: Known): Hostile[] {
  const out: Hostile[] = [];
  let turn = 0;
  for (const [name, m] of t.input.structIterator()) {
    const list = m.isListSchema() && m.getValueSchema().isStringSchema();
    if (!m.isStringSchema() && !list) continue;
    for (const proto of ['__proto__', PROTO_KEYS[1 + (turn++ % (PROTO_KEYS.length - 1))]]) {
      const value = plausible(r, t.input, known, t.wire) as Record<string, unknown>;
      Object.defineProperty(value, name, { value: list ? [proto] : proto, enumerable: true, writable: true, configurable: true });
      const what = `${name} = ${proto}`;
      if (t.wire === 'json') out.push({ body: toJson(value), what });
      else out.push({ body: [`Action=${t.operation}&Version=${t.def.version}`, ...encodeQuery(t, value).map(([k, v]) => `${encodeValue(k)}=${encodeValue(v)}`)].join('&'), what });
    }
  }
  return out;
}

function mutate(r: Rng, t: FuzzTarget, value: Record<string, unknown>, known: Known): string {
  const places: { holder: Record<string, unknown>; key: string; schema: NormalizedSchema }[] = [];
  slots(t.input, value, places);
  const kind = r.int(11);
  const json = t.wire === 'json';
  const place = places.length ? r.pick(places) : undefined;
  switch (kind) {
    case 0: {
      if (!place) break;
      const v = json ? wrongValue(r) : r.pick<unknown>([['a', 'b'], { Sub: 'x' }, 'x', [{ A: '1' }], new QMap([['k', 'v']]), ''].concat([hostileString(r, true)]));
      place.holder[place.key] = v;
      return `wrong type at ${place.key}`;
    }
    case 1: {
      const nums = places.filter((p) => p.schema.isNumericSchema());
      const p = nums.length ? r.pick(nums) : place;
      if (!p) break;
      const n = r.pick(HUGE_NUMBERS);
      p.holder[p.key] = json ? n : n instanceof Raw ? n.text : r.pick([String(n), 'abc', '99999999999999999999', '0x1F', ' 1', '1.0', '-0', 'Infinity']);
      return `number ${p.key}`;
    }
    case 2: {
      if (!place) break;
      const d = r.pick([20, 63, 65, 200, 5000]);
      if (json) place.holder[place.key] = r.next() < 0.5 ? nested(d) : nested(d, '{"a":', '}');
      else place.holder[place.key] = deepObject(Math.min(d, 40));
      return `nesting ${d} at ${place.key}`;
    }
    case 3: {
      const strs = places.filter((p) => p.schema.isStringSchema());
      const p = strs.length ? r.pick(strs) : place;
      if (!p) break;
      p.holder[p.key] = r.next() < 0.1 ? 'A'.repeat(100_000) : r.pick(['A', '日', '🚀']).repeat(r.pick([300, 1025, 10_000]));
      return `long string at ${p.key}`;
    }
    case 4: {
      const present = places.filter((p) => p.holder[p.key] !== undefined);
      if (!present.length) {
        for (const k of Object.keys(value)) delete value[k];
        return 'empty input';
      }
      const p = r.pick(present);
      delete p.holder[p.key];
      return `missing ${p.key}`;
    }
    case 5: {
      const holder = place?.holder ?? value;
      holder[r.pick(['Unknown', 'extra', 'x', 'A.B', 'member', 'entry', '1'])] = json ? wrongValue(r) : 'x';
      return 'unknown member';
    }
    case 6: {
      const holder = place?.holder ?? value;
      const key = r.pick(PROTO_KEYS);
      // An own member named like a prototype key (plain assignment of `__proto__` would swap the prototype).
      Object.defineProperty(holder, key, { value: json ? r.pick<unknown>([{ polluted: 1 }, 'x', 1, [], null]) : 'x', enumerable: true, writable: true, configurable: true });
      if (place && r.next() < 0.5) place.holder[place.key] = r.pick(PROTO_KEYS);
      return `prototype key ${key}`;
    }
    case 7: {
      const strs = places.filter((p) => p.schema.isStringSchema() || p.schema.isListSchema());
      const p = strs.length ? r.pick(strs) : place;
      if (!p) break;
      p.holder[p.key] = p.schema.isListSchema() ? [r.pick(UNICODE), r.pick(UNICODE)] : r.pick(UNICODE);
      return `unicode at ${p.key}`;
    }
    case 8: {
      const lists = places.filter((p) => p.schema.isListSchema());
      const p = lists.length ? r.pick(lists) : place;
      if (!p) break;
      const n = r.pick([101, 101, 1001]);
      p.holder[p.key] = Array.from({ length: n }, (_, i) => (json && i % 7 === 3 ? null : plausible(r, p.schema.isListSchema() ? p.schema.getValueSchema() : p.schema, known, t.wire, hintOf(p.key), 4)));
      return `${n} items at ${p.key}`;
    }
    case 9: {
      // A name-like member set to another resource kind's value, or a prototype name.
      const strs = places.filter((p) => p.schema.isStringSchema());
      const p = strs.length ? r.pick(strs) : place;
      if (!p) break;
      const all = [...known.values()].flat();
      p.holder[p.key] = all.length && r.next() < 0.6 ? r.pick(all) : r.pick(ODD_STRINGS);
      return `odd value at ${p.key}`;
    }
    default: {
      if (!place) break;
      const m = place.schema;
      if (m.isTimestampSchema()) place.holder[place.key] = json ? r.pick<unknown>([-1, 1e15, 'yesterday', new Raw('1e999')]) : r.pick(['yesterday', '99999999999999', '2026-13-45T25:61:61Z', '-1']);
      else if (m.isBooleanSchema()) place.holder[place.key] = json ? r.pick<unknown>(['true', 1, 0, null]) : r.pick(['yes', 'TRUE', '', '1']);
      else place.holder[place.key] = json ? r.pick<unknown>([0, -1, '', []]) : r.pick(['', '0', '-1']);
      return `edge value at ${place.key}`;
    }
  }
  value[r.pick(['Foo', 'bar'])] = json ? wrongValue(r) : 'x';
  return 'unknown member';
}

function deepObject(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { A: v };
  return v;
}

function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `@@RAW${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@RAW(\d+)@@"/g, (_m, i) => raws[Number(i)]);
}

const memberCache = new Map<string, Map<string, NormalizedSchema>>();
function membersOf(ns: NormalizedSchema): Map<string, NormalizedSchema> {
  const key = ns.getName(true) ?? '';
  let m = key ? memberCache.get(key) : undefined;
  if (!m) {
    m = new Map(ns.structIterator());
    if (key) memberCache.set(key, m);
  }
  return m;
}

/** Query key of a struct member: ec2QueryName, else (capitalised for EC2) xmlName or the member name. */
function memberKey(t: FuzzTarget, name: string, m: NormalizedSchema): string {
  const traits = m.getMergedTraits() as { xmlName?: string; ec2QueryName?: string };
  if (t.wire === 'ec2') {
    if (traits.ec2QueryName) return traits.ec2QueryName;
    const k = traits.xmlName ?? name;
    return k[0].toUpperCase() + k.slice(1);
  }
  return traits.xmlName ?? name;
}

/** Form pairs for a value, following the schema where the value has its shape, and plainly where it does not. */
export function encodeQuery(t: FuzzTarget, value: unknown): [string, string][] {
  const out: [string, string][] = [];
  const write = (ns: NormalizedSchema | undefined, v: unknown, prefix: string, depth: number): void => {
    if (v === undefined || v === null || depth > 45) return;
    if (v instanceof Raw) return void out.push([prefix, v.text]);
    if (v instanceof QMap) {
      v.entries.forEach(([k, x], i) => {
        out.push([`${prefix}.entry.${i + 1}.key`, k]);
        write(ns?.isMapSchema() ? ns.getValueSchema() : undefined, x, `${prefix}.entry.${i + 1}.value`, depth + 1);
      });
      return;
    }
    if (Array.isArray(v)) {
      const flat = t.wire === 'ec2' || !!(ns?.getMergedTraits() as { xmlFlattened?: unknown } | undefined)?.xmlFlattened;
      const item = ns?.isListSchema() ? ns.getValueSchema() : undefined;
      if (v.length === 0) return void (t.wire === 'query' && out.push([prefix, '']));
      v.forEach((x, i) => write(item, x, flat ? `${prefix}.${i + 1}` : `${prefix}.member.${i + 1}`, depth + 1));
      return;
    }
    if (typeof v === 'object') {
      const struct = ns?.isStructSchema() ? ns : undefined;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const m = struct ? membersOf(struct).get(k) : undefined;
        const key = m ? memberKey(t, k, m) : k;
        write(m, x, prefix ? `${prefix}.${key}` : key, depth + 1);
      }
      return;
    }
    out.push([prefix, String(v)]);
  };
  write(t.input, value, '', 0);
  return out.filter(([k]) => k !== '');
}

/** Form-level damage: bad indexes, conflicting keys, prototype segments, overlong names, broken encodings. */
function mutateWire(r: Rng, pairs: [string, string][], raw: string[]): string {
  const base = pairs.length ? r.pick(pairs)[0] : 'Names';
  const head = base.split('.')[0];
  const kind = r.int(9);
  switch (kind) {
    case 0:
      pairs.push([`${head}.member.0`, 'x'], [`${head}.0`, 'y']);
      return 'index 0';
    case 1:
      pairs.push([`${head}.member.99999999999`, 'x']);
      return 'huge index';
    case 2:
      pairs.push([head, 'x'], [`${head}.Sub`, 'y']);
      return 'value and structure';
    case 3:
      pairs.push([`${head}.${r.pick(PROTO_KEYS)}.x`, '1']);
      return 'prototype segment';
    case 4:
      pairs.push([`${head}${'.a'.repeat(r.pick([31, 40, 5000]))}`, '1']);
      return 'overlong name';
    case 5:
      pairs.push([`${head}.entry.1.key`, '__proto__'], [`${head}.entry.1.value`, '1']);
      return 'prototype map key';
    case 6:
      pairs.push([`${head}..x`, '1']);
      return 'empty segment';
    case 7:
      raw.push(r.pick([`${head}=%ZZ`, `${head}=%E0%A4%A`, `${head}%=1`, `=${head}`, `${head}=a=b=c`, `${head}=%00`]));
      return 'broken encoding';
    default:
      for (let i = 0; i < 200; i++) pairs.push([`${head}.member.${r.int(100_000) + 1}`, 'x']);
      return 'sparse list';
  }
}

/** Percent-encodes as a form does (lone surrogates become U+FFFD first, as a UTF-8 encoder does). */
const encodeValue = (s: string): string => encodeURIComponent((s as string & { toWellFormed(): string }).toWellFormed());
