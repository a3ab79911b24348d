/**
 * awsJson1_0 / awsJson1_1: request bodies are JSON objects, responses JSON with epoch-second
 * timestamps, errors `{"__type": Code, "message": …}` plus the `x-amzn-ErrorType` header (and
 * `x-amzn-query-error: Code;Sender` for query-compatible services).
 */
import { AwsError } from './errors';
import { isDateValue } from './xml';

/** Parses a JSON request body; anything but a JSON object is a `SerializationException`. */
export function decodeJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    // Drop `__proto__` members so a later Object.assign / spread cannot swap an object's prototype.
    parsed = JSON.parse(text, (key, value) => (key === '__proto__' ? undefined : value));
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
