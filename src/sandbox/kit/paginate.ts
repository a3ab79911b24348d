/**
 * List pagination for every service: an opaque token that resumes after the last item returned
 * (by its key when the items have one, so that items added or removed between calls do not shift
 * pages), bound to the operation that issued it (a token from another list is refused), in the
 * order the caller chose. The page size is read by the handler with its service's bounds
 * (`maxResults` 1–100 for ECS, `PageSize` 1–400 for ELBv2, …).
 */
import type { Dialect } from './dialect';

export interface PageRequest<T> {
  /** The operation (and anything else that fixes the list's order, e.g. `ListTaskDefinitions/DESC`). */
  op: string;
  /** Items per page (`Infinity`: all of them, as EC2 answers without MaxResults). */
  size: number;
  /** The token from the previous page (`''` is none). */
  token?: string;
  /** An item's identity (an ARN, a name); without it the token resumes by position. */
  key?: (item: T) => string;
}

interface Cursor {
  /** The operation that issued the token. */
  o: string;
  /** The index after the last item returned (where to resume when the items have no key). */
  i: number;
  /** The key of the last item returned. */
  k?: string;
}

const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64');

function decode(token: string, op: string, dialect: Dialect): Cursor {
  let c: Partial<Cursor> | null = null;
  try {
    c = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<Cursor> | null;
  } catch {
    throw dialect.badToken(token);
  }
  const ok = !!c && typeof c === 'object' && c.o === op && Number.isInteger(c.i) && c.i! >= 0 && (c.k === undefined || typeof c.k === 'string');
  if (!ok || encode(c as Cursor) !== token) throw dialect.badToken(token);
  return c as Cursor;
}

/** One page of `items` (already filtered and in their final order), and the token for the next one. */
export function paginate<T>(items: readonly T[], req: PageRequest<T>, dialect: Dialect): { page: T[]; next?: string } {
  let start = 0;
  if (req.token !== undefined && req.token !== '') {
    const cur = decode(req.token, req.op, dialect);
    const at = req.key && cur.k !== undefined ? items.findIndex((t) => req.key!(t) === cur.k) : -1;
    // The last item returned is gone (deleted since): the next one has moved up into its place.
    const gone = req.key && cur.k !== undefined && at < 0 ? 1 : 0;
    start = at >= 0 ? at + 1 : Math.min(Math.max(0, cur.i - gone), items.length);
  }
  const page = items.slice(start, start + req.size);
  const end = start + page.length;
  if (end >= items.length || page.length === 0) return { page };
  const last = page[page.length - 1];
  return { page, next: encode({ o: req.op, i: end, ...(req.key ? { k: req.key(last) } : {}) }) };
}
