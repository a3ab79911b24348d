/**
 * The envelope every webview of the extension speaks with its host (pure; imported by the host and
 * by the webview bundles). The webview sends `ready` once it listens (again after every reload of
 * its document), then requests with numeric ids; the host answers each with a `reply` of the same
 * id and pushes its own messages. Each webview defines its request map and how to check the
 * params of each method; `parseEnvelope` checks the rest, so nothing unvalidated reaches a host.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A webview's requests: method → params and result. */
export type RequestMapOf = Record<string, { params: unknown; result: unknown }>;

export type RequestOf<R extends RequestMapOf> = { [M in keyof R & string]: { kind: 'request'; id: number; method: M; params: R[M]['params'] } }[keyof R & string];

export type MessageOf<R extends RequestMapOf> = { kind: 'ready' } | RequestOf<R>;

export type Reply = { kind: 'reply'; id: number; ok: true; result: unknown } | { kind: 'reply'; id: number; ok: false; error: string };

/** The largest request id (ids are small counters; anything else is not from our webview). */
export const MAX_REQUEST_ID = 2 ** 31 - 1;

export const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** The first key of `o` that is not in `allowed`, as an error, or undefined. */
export function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : `unexpected field "${extra.slice(0, 40)}"`;
}

/** Checks the params of one method: the typed params, or why they are refused. */
export type ParamParsers<R extends RequestMapOf> = { [M in keyof R & string]: (params: Record<string, unknown>) => Parsed<R[M]['params']> };

/** Checks a message from a webview: `ready`, or a request of a known method with valid params. */
export function parseEnvelope<R extends RequestMapOf>(raw: unknown, parsers: ParamParsers<R>): Parsed<MessageOf<R>> {
  if (!isPlainObject(raw)) return fail('not an object');
  if (raw.kind === 'ready') {
    const e = onlyKeys(raw, ['kind']);
    return e ? fail(e) : { ok: true, value: { kind: 'ready' } };
  }
  if (raw.kind !== 'request') return fail(`unknown kind "${String(raw.kind).slice(0, 40)}"`);
  const e = onlyKeys(raw, ['kind', 'id', 'method', 'params']);
  if (e) return fail(e);
  if (typeof raw.id !== 'number' || !Number.isInteger(raw.id) || raw.id < 0 || raw.id > MAX_REQUEST_ID) return fail('bad id');
  const method = raw.method;
  if (typeof method !== 'string' || !Object.hasOwn(parsers, method)) return fail(`unknown method "${String(method).slice(0, 40)}"`);
  if (!isPlainObject(raw.params)) return fail('params must be an object');
  const params = parsers[method as keyof R & string](raw.params);
  if (!params.ok) return params;
  return { ok: true, value: { kind: 'request', id: raw.id, method, params: params.value } as RequestOf<R> };
}

/** The request id of a refused message, when it has a usable one (so the webview's promise is rejected, not left hanging). */
export function requestIdOf(raw: unknown): number | undefined {
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_REQUEST_ID ? id : undefined;
}
