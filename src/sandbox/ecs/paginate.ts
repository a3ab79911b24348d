/**
 * List pagination as ECS does it: `maxResults` range-checked, an opaque `nextToken` that resumes
 * after the last item returned (so items added or removed between calls do not shift pages), and
 * a stable order chosen by the caller.
 */
import { fail, optInt, optString } from './validate';

export interface PageOptions {
  /** Page size when `maxResults` is absent. */
  defaultSize: number;
  /** Largest `maxResults` accepted (ECS: 100). */
  maxSize?: number;
}

interface Cursor {
  /** Key of the last item returned. */
  k: string;
  /** Index after it, if that item is gone. */
  i: number;
  /** Which operation issued the token. */
  o: string;
}

const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64');

function decode(token: string, op: string): Cursor {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return fail('Invalid nextToken.');
  }
  const cur = c as Partial<Cursor> | null;
  if (!cur || typeof cur !== 'object' || typeof cur.k !== 'string' || typeof cur.i !== 'number' || cur.o !== op || cur.i < 0) {
    return fail('Invalid nextToken.');
  }
  return cur as Cursor;
}

/**
 * One page of `items` (already filtered and in their final order). `key` identifies an item
 * (an ARN); `op` names the operation so a token from another list is refused.
 */
export function paginate<T>(
  items: T[],
  key: (t: T) => string,
  input: { maxResults?: unknown; nextToken?: unknown },
  op: string,
  opts: PageOptions,
): { page: T[]; nextToken?: string } {
  const maxSize = opts.maxSize ?? 100;
  const size = optInt(input.maxResults, 'maxResults', { min: 1, max: maxSize }) ?? opts.defaultSize;
  const token = optString(input.nextToken, 'nextToken');
  let start = 0;
  if (token !== undefined && token !== '') {
    const cur = decode(token, op);
    const at = items.findIndex((t) => key(t) === cur.k);
    start = at >= 0 ? at + 1 : Math.min(cur.i, items.length);
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  if (end >= items.length || page.length === 0) return { page };
  return { page, nextToken: encode({ k: key(page[page.length - 1]), i: end, o: op }) };
}
