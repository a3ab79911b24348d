/**
 * Turns a request's input into the operation's input as the service's API model describes it,
 * before any handler sees it: every modelled member is type-checked (at any depth, whether or not
 * the handler reads it), the query protocols' string leaves become the numbers, booleans, lists and
 * timestamps the model says they are, ec2Query wire names (`SecurityGroupId.1`) become member names
 * (`SecurityGroupIds`), `null` is absent, and members the model does not know are left out (as AWS
 * ignores them). A handler therefore gets exactly the shape of the SDK's `XxxCommandInput`.
 *
 * Required members are enforced inside nested structures; the top-level ones are the handler's to
 * refuse, in the words that service uses for each ("Family should not be null or empty.").
 */
import { put } from '../records';
import type { Dialect, Kind } from './dialect';
import { BLOB, BOOLEAN, DOCUMENT, NUMBER, STRING, TIMESTAMP, type ServiceModel, type ShapeRef } from './model';

export interface DecodeOptions {
  dialect: Dialect;
  /**
   * The query protocols (and CloudWatch, served over both): leaves arrive as strings and are
   * converted per the model; a lone value stands for a one-item list and `''` for an empty one.
   * Members are looked up by their wire name, then their member name.
   */
  query: boolean;
}

type Seg = string | number;

/** A number as the query protocols write one. */
const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
/** Beyond this a Date is invalid (and cannot be written back as ISO 8601). */
const MAX_DATE_MS = 8.64e15;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

function kindOf(shape: ShapeRef): Kind {
  if (typeof shape === 'string') return 'structure';
  if (Array.isArray(shape)) return shape[0] === 'L' ? 'list' : 'map';
  switch (shape) {
    case NUMBER:
      return 'number';
    case BOOLEAN:
      return 'boolean';
    case TIMESTAMP:
      return 'timestamp';
    case BLOB:
      return 'blob';
    default:
      return 'string';
  }
}

/** Decodes `input` as the operation's input shape; throws the dialect's AwsError for the first problem. */
export function decodeInput(model: ServiceModel, shape: ShapeRef, input: unknown, opts: DecodeOptions): Record<string, unknown> {
  const { dialect, query } = opts;

  const wrong = (path: Seg[], value: unknown, s: ShapeRef): never => {
    throw dialect.wrongType(path, value, kindOf(s));
  };

  function timestamp(v: unknown, path: Seg[]): Date {
    let ms = NaN;
    if (typeof v === 'number') ms = v * 1000;
    else if (typeof v === 'string') ms = NUMERIC.test(v) ? Number(v) * 1000 : Date.parse(v);
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return wrong(path, v, TIMESTAMP);
    return new Date(Math.round(ms));
  }

  function value(v: unknown, s: ShapeRef, path: Seg[]): unknown {
    if (v === undefined || v === null) return undefined;
    if (typeof s === 'string') {
      if (query && v === '') return undefined;
      if (!isPlainObject(v)) return wrong(path, v, s);
      return structure(v, s, path);
    }
    if (Array.isArray(s)) {
      if (s[0] === 'L') {
        let list: unknown[];
        if (Array.isArray(v)) list = v;
        else if (query && v === '') list = [];
        else if (query && typeof v !== 'object') list = [v];
        else return wrong(path, v, s);
        return list.map((item, i) => {
          const d = value(item, s[1], [...path, i]);
          return d === undefined ? wrong([...path, i], item, s[1]) : d;
        });
      }
      if (query && v === '') return {};
      if (!isPlainObject(v)) return wrong(path, v, s);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const d = value(x, s[1], [...path, k]);
        if (d !== undefined) put(out, k, d);
      }
      return out;
    }
    switch (s) {
      case STRING:
      case BLOB:
        return typeof v === 'string' ? v : wrong(path, v, s);
      case NUMBER:
        if (typeof v === 'number') return Number.isFinite(v) ? v : wrong(path, v, s);
        if (query && typeof v === 'string') {
          if (v === '') return undefined;
          const n = NUMERIC.test(v) ? Number(v) : NaN;
          return Number.isFinite(n) ? n : wrong(path, v, s);
        }
        return wrong(path, v, s);
      case BOOLEAN:
        if (typeof v === 'boolean') return v;
        if (query && (v === 'true' || v === 'false')) return v === 'true';
        if (query && v === '') return undefined;
        return wrong(path, v, s);
      case TIMESTAMP:
        if (query && v === '') return undefined;
        return timestamp(v, path);
      case DOCUMENT:
        return v;
      default:
        return v;
    }
  }

  function structure(v: Record<string, unknown>, name: string, path: Seg[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const m of model.structure(name).members) {
      let raw = query ? own(v, m.wire) : own(v, m.name);
      let seg = query ? m.wire : m.name;
      if (raw === undefined && query && m.wire !== m.name) {
        raw = own(v, m.name);
        seg = m.name;
      }
      const d = value(raw, m.shape, [...path, seg]);
      if (d !== undefined) out[m.name] = d;
      else if (m.required && path.length > 0) throw dialect.missing([...path, seg]);
    }
    return out;
  }

  if (input === undefined || input === null) input = {};
  if (!isPlainObject(input)) return wrong([], input, shape);
  if (typeof shape !== 'string') throw new Error(`${model.signingName}: an operation's input must be a structure`);
  return structure(input, shape, []);
}
