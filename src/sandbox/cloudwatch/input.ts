/**
 * Reading CloudWatch input from either protocol: JSON (typed values, epoch-second timestamps) or
 * awsQuery (all strings, ISO 8601 timestamps). Errors are CloudWatch's.
 */
import { AwsError, textOf } from '../protocol/errors';
import type { Dimension } from './model';

/** `1 validation error detected: Value … at '<member>' failed to satisfy constraint: …` */
export const validation = (member: string, value: unknown, constraint: string): AwsError =>
  new AwsError(
    'ValidationError',
    `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${textOf(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export const invalidValue = (param: string, value: unknown, why = ''): AwsError =>
  new AwsError('InvalidParameterValue', `The value ${textOf(value)} for parameter ${param} is invalid.${why ? ` ${why}` : ''}`);

export const missing = (param: string): AwsError => new AwsError('MissingParameter', `The parameter ${param} is required.`);

const lc = (m: string) => m.charAt(0).toLowerCase() + m.slice(1);

export function optStr(input: Record<string, unknown>, key: string, opts: { min?: number; max?: number; enum?: readonly string[]; member?: string } = {}): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  const member = opts.member ?? lc(key);
  if (typeof v !== 'string') throw validation(member, v, 'Member must be a string');
  if (opts.min !== undefined && v.length < opts.min) throw validation(member, v, `Member must have length greater than or equal to ${opts.min}`);
  if (opts.max !== undefined && v.length > opts.max) throw validation(member, v, `Member must have length less than or equal to ${opts.max}`);
  if (opts.enum && !opts.enum.includes(v)) throw validation(member, v, `Member must satisfy enum value set: [${opts.enum.join(', ')}]`);
  return v;
}

export function reqStr(input: Record<string, unknown>, key: string, opts: { min?: number; max?: number; enum?: readonly string[]; member?: string } = {}): string {
  const v = optStr(input, key, opts);
  if (v === undefined) throw validation(opts.member ?? lc(key), undefined, 'Member must not be null');
  return v;
}

export function optNum(input: Record<string, unknown>, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalidValue(key, v);
  return n;
}

export function optInt(input: Record<string, unknown>, key: string, min?: number, max?: number): number | undefined {
  const n = optNum(input, key);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) throw invalidValue(key, input[key]);
  if (min !== undefined && n < min) throw validation(lc(key), n, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && n > max) throw validation(lc(key), n, `Member must have value less than or equal to ${max}`);
  return n;
}

export function optBool(input: Record<string, unknown>, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidValue(key, v);
}

export function optList(input: Record<string, unknown>, key: string): unknown[] | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return v === '' ? [] : undefined;
  if (!Array.isArray(v)) throw validation(lc(key), v, 'Member must be a list');
  return v;
}

export function strList(input: Record<string, unknown>, key: string, max?: number): string[] | undefined {
  const l = optList(input, key);
  if (!l) return undefined;
  if (max !== undefined && l.length > max) throw validation(lc(key), `[${l.map((x) => textOf(x, 40)).join(', ')}]`, `Member must have length less than or equal to ${max}`);
  for (const x of l) if (typeof x !== 'string') throw validation(lc(key), x, 'Member must be a string');
  return l as string[];
}

/** A timestamp: epoch seconds (JSON number or numeric string) or ISO 8601. */
export function optTime(input: Record<string, unknown>, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  let ms: number;
  if (typeof v === 'number') ms = v * 1000;
  else if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) ms = Number(v) * 1000;
  else if (typeof v === 'string') ms = Date.parse(v);
  else ms = NaN;
  // Beyond ±8.64e15 ms a Date is invalid (and cannot be written back as ISO 8601).
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw invalidValue(key, v, 'Timestamps must be in ISO 8601 format or epoch seconds.');
  return Math.round(ms);
}

export function dimensions(v: unknown, member = 'dimensions', max = 30): Dimension[] {
  if (v === undefined || v === null || v === '') return [];
  if (!Array.isArray(v)) throw validation(member, v, 'Member must be a list');
  if (v.length > max) throw validation(member, `[…${v.length} items]`, `Member must have length less than or equal to ${max}`);
  const out: Dimension[] = [];
  const names = new Set<string>();
  for (const d of v as Record<string, unknown>[]) {
    const Name = d?.Name;
    const Value = d?.Value;
    if (typeof Name !== 'string' || Name.length < 1 || Name.length > 255) throw validation(`${member}.member.name`, Name, 'Member must have length between 1 and 255');
    if (typeof Value !== 'string' || Value.length < 1 || Value.length > 1024) throw validation(`${member}.member.value`, Value, 'Member must have length between 1 and 1024');
    if (names.has(Name)) throw new AwsError('InvalidParameterValue', `No Metric may specify the same dimension name twice: ${Name}`);
    names.add(Name);
    out.push({ Name, Value });
  }
  return out;
}

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second',
  'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;

/** Opaque pagination tokens. */
export const encodeToken = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const s = Buffer.from(token, 'base64').toString('utf8');
  if (!s || encodeToken(s) !== token) throw new AwsError('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken: The NextToken is invalid.');
  return s;
}
