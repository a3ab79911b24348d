/**
 * The little HTTP/1.1 the ALB proxy needs, on raw bytes: request heads from clients (strict —
 * anything malformed is ALB's 400, an unsupported Transfer-Encoding its 501), response heads from
 * targets, and chunked framing, tracked without copying so that bodies pass through as they came.
 * Pure functions and small state machines; no sockets.
 *
 * Limits as ALB has them: the request line and headers together at most 64 KiB.
 */

export const MAX_HEAD = 64 * 1024;
export const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Headers a proxy does not pass on (RFC 9110 §7.6.1), plus the proxy-only ones. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value: no control characters but HTAB (obs-text allowed). */
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
/** A request target: visible ASCII only. */
const BAD_TARGET = /[^\x21-\x7e]/;

const TOKEN_CHARS = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_CHARS[c.charCodeAt(0)] = 1;

/**
 * Whether the start of a request head (from `start`, possibly incomplete) is already no HTTP
 * request: a method that is no token (TLS, binary), or a complete request line of the wrong shape.
 * Lets a listener answer 400 at once instead of waiting for a blank line that never comes.
 */
export function hopelessHead(buf: Buffer, start: number): boolean {
  let i = start;
  const stop = Math.min(buf.length, start + 32);
  while (i < stop && buf[i] !== 32) {
    if (!TOKEN_CHARS[buf[i]]) return true;
    i++;
  }
  if (i === start + 32) return true; // no method is that long
  const eol = buf.indexOf(13, start);
  if (eol < 0 || eol - start > MAX_HEAD) return false;
  return !/^[^ ]+ [^ ]+ HTTP\/1\.[01]$/.test(buf.toString('latin1', start, eol));
}

export interface RequestHead {
  method: string;
  /** Origin form (`/path?query`); an absolute-form target is reduced to it. */
  target: string;
  /** 1.0 or 1.1. */
  minor: 0 | 1;
  /** Header names and values as sent, less hop-by-hop ones (and Host when the target carried one). */
  headers: string[];
  /** The Host header, or the absolute-form target's authority. */
  host: string | undefined;
  /** Content-Length, when given. */
  length: number | undefined;
  chunked: boolean;
  /** Whether the client wants the connection kept open after the response. */
  keepAlive: boolean;
  /** The client's X-Forwarded-For, X-Amzn-Trace-Id. */
  forwardedFor: string | undefined;
  traceId: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: 400 | 405 | 501 };

const bad = { ok: false, status: 400 } as const;

/** Parses a request head (`text` is up to and without the blank line, latin1). */
export function parseRequestHead(text: string): Parsed<RequestHead> {
  const lines = text.split('\r\n');
  const line = lines[0];
  const sp1 = line.indexOf(' ');
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) return bad;
  const method = line.slice(0, sp1);
  let target = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (!TOKEN.test(method) || target.length === 0 || BAD_TARGET.test(target)) return bad;
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return bad;
  const minor = version === 'HTTP/1.1' ? 1 : 0;
  if (method === 'TRACE' || method === 'CONNECT') return { ok: false, status: 405 };
  let host: string | undefined;
  if (target.charCodeAt(0) !== 47 /* / */) {
    // Absolute form (a proxy's request): its authority is the host; anything else is not for us.
    const m = /^http:\/\/([^/?#]+)(.*)$/i.exec(target);
    if (!m) return bad;
    host = m[1];
    target = m[2].startsWith('/') ? m[2] : `/${m[2]}`;
  }
  const headers: string[] = [];
  let hostHeaders = 0;
  let length: number | undefined;
  let te: string | undefined;
  let connection = '';
  let forwardedFor: string | undefined;
  let traceId = false;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    const colon = l.indexOf(':');
    if (colon <= 0) return bad; // no name, or obs-fold (a line starting with a space)
    const name = l.slice(0, colon);
    if (!TOKEN.test(name)) return bad;
    const value = l.slice(colon + 1).trim();
    if (BAD_VALUE.test(value)) return bad;
    const lower = name.toLowerCase();
    switch (lower) {
      case 'host':
        if (++hostHeaders > 1) return bad;
        if (host === undefined) host = value;
        continue;
      case 'content-length':
        if (length !== undefined || !/^\d{1,15}$/.test(value)) return bad;
        length = Number(value);
        break;
      case 'transfer-encoding':
        if (te !== undefined) return bad;
        te = value.toLowerCase();
        continue;
      case 'connection':
        connection += `${value.toLowerCase()},`;
        continue;
      case 'x-forwarded-for':
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
        continue;
      case 'x-forwarded-proto':
      case 'x-forwarded-port':
        continue;
      case 'x-amzn-trace-id':
        traceId = true;
        break;
      default:
        if (HOP_BY_HOP.has(lower)) continue;
    }
    headers.push(name, value);
  }
  if (minor === 1 && hostHeaders === 0) return bad;
  if (te !== undefined) {
    if (te !== 'chunked') return { ok: false, status: 501 };
    if (length !== undefined) return bad; // both framings: a smuggling attempt
  }
  // Headers the Connection header names are hop-by-hop too.
  if (connection !== '') {
    const named = new Set(connection.split(',').map((s) => s.trim()).filter((s) => s && s !== 'close' && s !== 'keep-alive'));
    if (named.size) {
      for (let i = headers.length - 2; i >= 0; i -= 2) if (named.has(headers[i].toLowerCase())) headers.splice(i, 2);
    }
  }
  const keepAlive = minor === 1 ? !/(^|[\s,])close([\s,]|$)/.test(connection) : /(^|[\s,])keep-alive([\s,]|$)/.test(connection);
  return { ok: true, value: { method, target, minor, headers, host, length, chunked: te === 'chunked', keepAlive, forwardedFor, traceId } };
}

export interface ResponseHead {
  status: number;
  reason: string;
  /** `Name: value\r\n` lines to pass on (hop-by-hop ones dropped). */
  lines: string;
  hasDate: boolean;
  length: number | undefined;
  chunked: boolean;
  /** The target will close the connection after this response. */
  close: boolean;
}

/** Parses a target's response head (`text` without the blank line, latin1); undefined when malformed. */
export function parseResponseHead(text: string): ResponseHead | undefined {
  const eol = text.indexOf('\r\n');
  const line = eol < 0 ? text : text.slice(0, eol);
  if (!(line.startsWith('HTTP/1.1 ') || line.startsWith('HTTP/1.0 ')) || line.length < 12 || (line.length > 12 && line[12] !== ' ')) return undefined;
  const status = Number(line.slice(9, 12));
  if (!(status >= 100 && status <= 999)) return undefined;
  let close = line[7] === '0';
  let lines = '';
  let hasDate = false;
  let length: number | undefined;
  let chunked = false;
  let at = eol < 0 ? text.length : eol + 2;
  while (at < text.length) {
    let end = text.indexOf('\r\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > end) return undefined;
    const name = text.slice(at, colon);
    const value = text.slice(colon + 1, end).trim();
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) return undefined;
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) return undefined;
      length = Number(value);
    } else if (lower === 'transfer-encoding') {
      chunked = /(^|,)\s*chunked\s*$/i.test(value);
      if (!chunked) close = true; // some other coding: delimited by the close
    } else if (lower === 'connection') {
      if (/(^|[\s,])close([\s,]|$)/i.test(value)) close = true;
      else if (line[7] === '0' && /(^|[\s,])keep-alive([\s,]|$)/i.test(value)) close = false;
    } else if (!HOP_BY_HOP.has(lower)) {
      if (lower === 'date') hasDate = true;
      lines += `${name}: ${value}\r\n`;
    }
    at = end + 2;
  }
  if (chunked) length = undefined; // chunked wins over a Content-Length, which is then not passed on
  else if (length !== undefined) lines += `Content-Length: ${length}\r\n`;
  return { status, reason: line.slice(13), lines, hasDate, length, chunked, close };
}

/** Whether a response to `method` with `status` has a body at all. */
export const hasBody = (method: string, status: number): boolean => method !== 'HEAD' && status !== 204 && status !== 304 && !(status >= 100 && status < 200);

const enum Chunk {
  Size,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
  TrailerLf,
  Done,
}

/**
 * Follows chunked framing over the bytes as they come, to know where a chunked body ends (and,
 * optionally, to hand out the data without the framing). `feed` returns how many bytes of `buf`
 * belong to the body (all of them until the last chunk and trailers are complete), or -1 when
 * the framing is broken.
 */
export class ChunkedTracker {
  private state = Chunk.Size;
  private size = 0;
  private digits = 0;
  private lineLength = 0;

  constructor(private readonly onData?: (data: Buffer) => void) {}

  get done(): boolean {
    return this.state === Chunk.Done;
  }

  feed(buf: Buffer, from = 0): number {
    let i = from;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case Chunk.Size: {
          const c = buf[i];
          const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (v >= 0) {
            if (++this.digits > 12) return -1;
            this.size = this.size * 16 + v;
            i++;
          } else if (this.digits === 0) return -1;
          else if (c === 13) {
            this.state = Chunk.SizeLf;
            i++;
          } else if (c === 59 /* ; */ || c === 32 || c === 9) {
            this.state = Chunk.Ext;
            this.lineLength = 0;
            i++;
          } else return -1;
          break;
        }
        case Chunk.Ext: {
          const cr = buf.indexOf(13, i);
          const stop = cr < 0 ? n : cr;
          this.lineLength += stop - i;
          if (this.lineLength > 4096) return -1;
          i = stop;
          if (cr >= 0) {
            this.state = Chunk.SizeLf;
            i++;
          }
          break;
        }
        case Chunk.SizeLf:
          if (buf[i++] !== 10) return -1;
          this.digits = 0;
          if (this.size === 0) {
            this.state = Chunk.Trailer;
            this.lineLength = 0;
          } else this.state = Chunk.Data;
          break;
        case Chunk.Data: {
          const take = Math.min(this.size, n - i);
          if (this.onData) this.onData(buf.subarray(i, i + take));
          this.size -= take;
          i += take;
          if (this.size === 0) this.state = Chunk.DataCr;
          break;
        }
        case Chunk.DataCr:
          if (buf[i++] !== 13) return -1;
          this.state = Chunk.DataLf;
          break;
        case Chunk.DataLf:
          if (buf[i++] !== 10) return -1;
          this.state = Chunk.Size;
          break;
        case Chunk.Trailer: {
          // Trailer lines until an empty one.
          const c = buf[i++];
          if (c === 13) this.state = Chunk.TrailerLf;
          else if (++this.lineLength > 8192) return -1;
          break;
        }
        case Chunk.TrailerLf:
          if (buf[i++] !== 10) return -1;
          if (this.lineLength === 0) {
            this.state = Chunk.Done;
            return i - from;
          }
          this.state = Chunk.Trailer;
          this.lineLength = 0;
          break;
        case Chunk.Done:
          return i - from;
      }
    }
    return i - from;
  }
}

let dateAt = 0;
let dateLine = '';
/** `Date: …\r\n` for now, computed at most once a second. */
export function dateHeader(): string {
  const now = Date.now();
  if (now - dateAt >= 1000 || now < dateAt) {
    dateAt = now - (now % 1000);
    dateLine = `Date: ${new Date(dateAt).toUTCString()}\r\n`;
  }
  return dateLine;
}
