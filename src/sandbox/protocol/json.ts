/**
 * awsJson1_0 / awsJson1_1: request bodies are JSON objects, responses JSON with epoch-second
 * timestamps, errors `{"__type": Code, "message": …}` plus the `x-amzn-ErrorType` header (and
 * `x-amzn-query-error: Code;Sender` for query-compatible services).
 */
import { AwsError } from './errors';
import { isDateValue } from './xml';

/**
 * Deepest nesting of objects / arrays a request body may have. The deepest real input (a CloudWatch
 * metric-math alarm, an ECS container definition's linuxParameters) is under 10 levels; without a
 * cap, a body of 100,000 `[` overflowed the stack of every function that walks the input.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` nests objects / arrays deeper than `max` (a linear scan that skips strings). */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses a JSON request body; anything but a JSON object is a `SerializationException`. */
export function decodeJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  if (jsonTooDeep(text, MAX_JSON_DEPTH)) {
    throw new AwsError('SerializationException', `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  let parsed: unknown;
  try {
    // Drop `__proto__` members so a later Object.assign / spread cannot swap an object's prototype.
    parsed = JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch (e) {
    throw new AwsError('SerializationException', `The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected: the request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** Serialises handler output; `Date` and `{ $date: ms }` become epoch seconds. */
export function encodeJsonResult(output: unknown): string {
  return JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (isDateValue(raw)) return raw.$date / 1000;
    if (typeof raw === 'bigint') return Number(raw);
    return value;
  });
}

export function jsonContentType(protocol: 'awsJson1_0' | 'awsJson1_1'): string {
  return protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}

export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function encodeJsonError(
  err: AwsError,
  opts: { protocol?: 'awsJson1_0' | 'awsJson1_1'; messageKey?: 'message' | 'Message'; queryCompatible?: boolean },
): EncodedError {
  const headers: Record<string, string> = {
    'content-type': jsonContentType(opts.protocol ?? 'awsJson1_1'),
    'x-amzn-errortype': err.code,
  };
  if (opts.queryCompatible) headers['x-amzn-query-error'] = `${err.code};${err.fault}`;
  return { status: err.status, headers, body: JSON.stringify({ __type: err.code, [opts.messageKey ?? 'message']: err.message }) };
}
