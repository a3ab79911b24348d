/** Helpers for batched calls: split into chunks, run with limited concurrency, collect pages. */

/** Split `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be ≥ 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Default number of calls in flight for one batched operation. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Map `fn` over `items` with at most `limit` promises in flight; results in input order.
 * Rejects with the first error (calls already started are let finish, none new are started).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

/** Every item of every page of a paginator. */
export async function collectPages<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/** One page, for "load more": the items and the token of the next page (undefined at the end). */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** The first page of a paginator started at some token. */
export async function firstPage<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
  token: (page: P) => string | undefined,
): Promise<Page<T>> {
  for await (const page of pages) return { items: pick(page) ?? [], nextToken: token(page) || undefined };
  return { items: [] };
}
