/**
 * Reading EC2 Auto Scaling (awsQuery) input: nested objects / arrays with string leaves. Refusals are
 * `ValidationError` in Auto Scaling's wording.
 */
import { AwsError } from '../protocol/errors';

export const validation = (message: string): never => {
  throw new AwsError('ValidationError', message);
};

const member = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export const constraint = (value: unknown, name: string, text: string): never =>
  validation(`1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${member(name)}' failed to satisfy constraint: ${text}`);

export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function optStr(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return constraint(JSON.stringify(v), name, 'Member must be a string');
  return v;
}

export function reqStr(input: Record<string, unknown>, name: string, maxLen = 1600): string {
  const v = optStr(input, name);
  if (v === undefined) return constraint(undefined, name, 'Member must not be null');
  if (v.length < 1) return constraint(v, name, 'Member must have length greater than or equal to 1');
  if (v.length > maxLen) return constraint(v, name, `Member must have length less than or equal to ${maxLen}`);
  return v;
}

export function optInt(input: Record<string, unknown>, name: string, min?: number): number | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v);
  if (!/^-?\d+$/.test(s)) return constraint(s, name, 'Member must be an integer');
  const n = Number(s);
  if (min !== undefined && n < min) return constraint(s, name, `Member must have value greater than or equal to ${min}`);
  return n;
}

export function optNum(input: Record<string, unknown>, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) return constraint(String(v), name, 'Member must be a number');
  return n;
}

export function optBool(input: Record<string, unknown>, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return constraint(String(v), name, 'Member must be a boolean');
}

export function list(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

export function strList(input: Record<string, unknown>, name: string): string[] {
  return list(input[name]).map((x, i) => {
    if (typeof x !== 'string') return constraint(JSON.stringify(x), `${name}.member.${i + 1}`, 'Member must be a string');
    return x;
  });
}

export function paginate<T>(items: T[], input: Record<string, unknown>, max: number): { page: T[]; next?: string } {
  const size = optInt(input, 'MaxRecords', 1) ?? max;
  if (size > max) constraint(size, 'MaxRecords', `Member must have value less than or equal to ${max}`);
  const token = optStr(input, 'NextToken');
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64').toString('utf8').replace(/^asg:/, ''));
    if (!Number.isInteger(start) || start < 0 || start > items.length) validation('The token provided is invalid.');
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, next: end < items.length ? Buffer.from(`asg:${end}`).toString('base64') : undefined };
}
