/**
 * The waiting and error helpers every suite shares (unit, integration, extension host, browser).
 */
import assert from 'node:assert/strict';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function describeValue(v: unknown): string {
  return v instanceof Error ? v.message : JSON.stringify(v);
}

/**
 * Calls `fn` until it returns a truthy value and returns that; a throw counts as "not yet". Fails
 * after `timeoutMs` with `what` and the last value or error.
 */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${describeValue(last)}`);
    await sleep(everyMs);
  }
}

/** Reads `read()` until it matches `pattern`; on timeout the error quotes the last text read. */
export async function eventuallyMatches(what: string, read: () => Promise<string>, pattern: RegExp, timeoutMs = 60_000, everyMs = 100): Promise<string> {
  return eventually(what, async () => {
    const text = await read();
    if (pattern.test(text)) return text;
    throw new Error(`reads ${JSON.stringify(text)}, not ${String(pattern)}`);
  }, timeoutMs, everyMs);
}

/**
 * Asserts that an AWS SDK call fails as the service answers it: the error's name (the AWS error
 * code), its HTTP status (400 unless given) and, when given, its message (exact or matching).
 */
export function rejectsWith(p: Promise<unknown>, name: string, message?: string | RegExp, httpStatus = 400): Promise<void> {
  return assert.rejects(p, (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, httpStatus, `${e.name}: HTTP ${e.$metadata?.httpStatusCode}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message ?? '', message);
    return true;
  });
}
