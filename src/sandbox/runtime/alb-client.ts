/**
 * One client connection to an ALB listener, on a raw socket: request heads parsed as they arrive
 * (strict: ALB's 400 / 405 / 501 for what it refuses), one request at a time (pipelined ones wait
 * in the buffer), each answered by the load balancer itself or forwarded to a target (`Forward`,
 * the `Exchange` of alb-upstream) with its body streamed, the target's response written back with
 * the connection kept alive when both sides allow it.
 *
 * Timeouts are checked by the proxy's sweep (`sweep(now)`), not by a timer per socket: a request
 * head must arrive within HEADERS_TIMEOUT_MS and a whole request within REQUEST_TIMEOUT_MS (ALB's
 * 408), nothing may go either way for the load balancer's idle timeout (closed), and a target must
 * start answering within the idle timeout (ALB's 504). Every callback is guarded: an unexpected
 * error costs this connection's request a 500, never the process.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { AlbAnswer } from './alb-answers';
import { CRLFCRLF, ChunkedTracker, MAX_HEAD, dateHeader, hasBody, hopelessHead, parseRequestHead, type RequestHead, type ResponseHead } from './alb-http';
import { countElbError, countTargetStatus, errorPage, STATUS_TEXT, type AlbCounters } from './alb-metrics';
import type { Exchange, TargetConnections, Upstream } from './alb-upstream';

export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 60_000;

/** What a connection needs from the proxy. */
export interface ClientHost {
  /** A request head arrived: answer it (`answer` / `error`) or `forward` it. */
  request(conn: ClientConn, head: RequestHead): void;
  /** Watches / forgets a forward waiting for its target's response head (ALB's 504). */
  waiting: Set<Forward>;
  log(message: string): void;
}

const enum Phase {
  /** Reading a request head (or idle between requests). */
  Head,
  /** Streaming a request body to the target. */
  Body,
  /** Waiting for the response to complete. */
  Wait,
  Done,
}

export class ClientConn {
  private buf: Buffer | null = null;
  private searched = 0;
  private phase = Phase.Head;
  /** When the current request head started (undefined while idle between requests). */
  private headSince: number | undefined;
  private requestSince = 0;
  lastIo: number;
  /** HTTP minor version and keep-alive of the current request. */
  minor: 0 | 1 = 1;
  keepAlive = true;
  private fwd: Forward | undefined;
  private bodyLeft = 0;
  private bodyChunks: ChunkedTracker | undefined;
  private clientEnded = false;
  private parsing = false;
  /** The client's address for X-Forwarded-For. */
  readonly clientIp: string;

  constructor(
    private readonly host: ClientHost,
    readonly socket: Socket,
    readonly idleMs: () => number,
    /** The listener this connection came to (the proxy's own record). */
    readonly served: unknown,
  ) {
    this.lastIo = this.headSince = performance.now();
    const remote = socket.remoteAddress ?? '127.0.0.1';
    this.clientIp = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
    socket.on('data', (d: Buffer) => this.guard(() => this.onData(d)));
    socket.on('end', () => this.guard(() => this.onEnd()));
    socket.on('drain', () => this.fwd?.upstream?.resume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.host.log(`ALB: request failed: ${(e as Error)?.stack ?? String(e)}`);
      if (this.phase === Phase.Done) return;
      if (this.fwd?.headWritten) this.socket.destroy();
      else this.error(500, undefined, true);
    }
  }

  private onData(d: Buffer): void {
    this.lastIo = performance.now();
    if (this.phase === Phase.Body) {
      const rest = this.feedBody(d);
      if (!rest) return;
      d = rest;
    }
    if (this.phase === Phase.Done) return;
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    if (this.phase === Phase.Head) this.parse();
    else if (this.buf.length > 4 * MAX_HEAD) this.socket.pause(); // pipelined requests piling up: wait
  }

  private onEnd(): void {
    this.clientEnded = true;
    if (this.phase === Phase.Head && !this.buf) this.socket.end();
  }

  /** Parses and handles the request heads in the buffer, one at a time. */
  private parse(): void {
    this.parsing = true;
    try {
      this.parseHeads();
    } finally {
      this.parsing = false;
    }
  }

  private parseHeads(): void {
    while (this.phase === Phase.Head && this.buf) {
      if (this.socket.writableLength > 1 << 20) {
        // Answers to pipelined requests the client does not read: wait until it does.
        this.socket.pause();
        this.socket.once('drain', () => {
          this.socket.resume();
          this.guard(() => this.parse());
        });
        return;
      }
      const buf = this.buf;
      this.headSince ??= performance.now();
      let start = 0;
      while (start < buf.length && (buf[start] === 13 || buf[start] === 10)) start++; // empty lines before a request
      if (start === buf.length) {
        this.buf = null;
        return;
      }
      const end = buf.indexOf(CRLFCRLF, Math.max(start, this.searched - 3));
      if (end < 0) {
        if (buf.length - start > MAX_HEAD || hopelessHead(buf, start)) return this.error(400, undefined, true);
        this.searched = buf.length;
        return;
      }
      if (end - start > MAX_HEAD) return this.error(400, undefined, true);
      const text = buf.toString('latin1', start, end);
      this.buf = end + 4 < buf.length ? buf.subarray(end + 4) : null;
      this.searched = 0;
      this.headSince = undefined;
      this.requestSince = performance.now();
      const p = parseRequestHead(text);
      if (!p.ok) return this.error(p.status, undefined, true);
      this.minor = p.value.minor;
      this.keepAlive = p.value.keepAlive;
      this.host.request(this, p.value);
    }
    if (this.phase === Phase.Head && !this.buf && this.clientEnded) this.socket.end();
  }

  /** The load balancer's own answer (fixed response, redirect); a request body is not read: the connection closes after. */
  answer(head: RequestHead, a: AlbAnswer, c: AlbCounters): void {
    if (a.status >= 500) c.elb5xx++;
    else if (a.status >= 400) c.elb4xx++;
    if (head.length || head.chunked) this.keepAlive = false;
    let h = `HTTP/1.1 ${a.status} ${STATUS_CODES[a.status] ?? 'Unknown'}\r\n`;
    for (const [k, v] of a.headers) h += `${k}: ${v}\r\n`;
    this.respond(h, a.body);
  }

  /** ALB's error page (`close`: after a request that could not be read, the connection is closed). */
  error(status: number, c: AlbCounters | undefined, close = false, head?: RequestHead): void {
    if (c) countElbError(c, status);
    if (close || (head && (head.length || head.chunked))) this.keepAlive = false;
    const body = errorPage(status);
    this.respond(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`, body);
  }

  private respond(head: string, body: string): void {
    if (this.phase === Phase.Done) return;
    const h = `${head}${dateHeader()}Connection: ${this.keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
    // The head is ASCII; a fixed response's body may not be (its Content-Length counts UTF-8 bytes).
    const out = Buffer.allocUnsafe(h.length + Buffer.byteLength(body));
    out.write(h, 0, 'latin1');
    out.write(body, h.length, 'utf8');
    this.socket.write(out);
    this.lastIo = performance.now();
    this.next();
  }

  /** Sends the request to a target: `request` is its head (latin1); the body follows as it comes. */
  forward(to: TargetConnections, requestHead: string, head: RequestHead, c: AlbCounters, idleMs: number): void {
    let first = Buffer.from(requestHead, 'latin1');
    let streaming = false;
    if (head.length || head.chunked) {
      this.bodyLeft = head.length ?? 0;
      this.bodyChunks = head.chunked ? new ChunkedTracker() : undefined;
      this.phase = Phase.Body;
      const rest = this.buf;
      this.buf = null;
      let sent: Buffer | undefined;
      if (rest) {
        const used = this.bodyPart(rest);
        if (used < 0) return this.error(400, c, true);
        sent = rest.subarray(0, used);
        if (used < rest.length) this.buf = rest.subarray(used);
      }
      if (sent?.length) first = Buffer.concat([first, sent]);
      if (this.phase === Phase.Body) streaming = true;
    } else this.phase = Phase.Wait;
    const f = new Forward(this, to, head.method, first, streaming, c, performance.now() + idleMs);
    this.fwd = f;
    this.host.waiting.add(f);
    to.dispatch(f);
  }

  /** How many bytes of `b` belong to the request body (-1: broken chunked framing); moves on to Wait at its end. */
  private bodyPart(b: Buffer): number {
    let used: number;
    if (this.bodyChunks) {
      used = this.bodyChunks.feed(b);
      if (used >= 0 && this.bodyChunks.done) this.phase = Phase.Wait;
    } else {
      used = Math.min(this.bodyLeft, b.length);
      this.bodyLeft -= used;
      if (this.bodyLeft === 0) this.phase = Phase.Wait;
    }
    if (this.phase === Phase.Wait && this.fwd) this.fwd.requestDone = true;
    return used;
  }

  /** Request body bytes while streaming; returns what is left over (the next request), if anything. */
  private feedBody(d: Buffer): Buffer | undefined {
    const used = this.bodyPart(d);
    if (used < 0) {
      this.socket.destroy(); // the body's framing broke after the request went out: nothing sensible to answer
      return undefined;
    }
    if (used > 0) this.fwd?.sendBody(used === d.length ? d : d.subarray(0, used));
    return used < d.length ? d.subarray(used) : undefined;
  }

  /** The response is complete: the next request, or the end of the connection. */
  next(): void {
    this.fwd = undefined;
    if (this.phase === Phase.Body) this.keepAlive = false; // the body is still coming: not worth reading
    if (!this.keepAlive) {
      this.phase = Phase.Done;
      this.socket.end();
      this.socket.destroySoon?.();
      return;
    }
    this.phase = Phase.Head;
    this.headSince = undefined;
    if (this.buf) {
      if (this.socket.isPaused()) this.socket.resume();
      if (!this.parsing) this.parse(); // else the parsing loop goes on with it
    } else if (this.clientEnded) this.socket.end();
  }

  /** Called by the proxy's sweep. */
  sweep(now: number): void {
    if (this.phase === Phase.Done) return;
    if (this.headSince !== undefined && now - this.headSince > HEADERS_TIMEOUT_MS) return this.guard(() => this.error(408, undefined, true));
    if (this.phase === Phase.Body && now - this.requestSince > REQUEST_TIMEOUT_MS) {
      if (this.fwd?.headWritten) this.socket.destroy();
      else {
        this.fwd?.abandon();
        this.guard(() => this.error(408, undefined, true));
      }
      return;
    }
    // A request waiting for its target's answer gets its 504 from the forward's deadline instead.
    if (this.fwd && !this.fwd.gotHead) return;
    if (now - this.lastIo > this.idleMs()) this.close();
  }

  unwatch(f: Forward): void {
    this.host.waiting.delete(f);
  }

  close(): void {
    if (this.phase === Phase.Done && this.socket.destroyed) return;
    this.phase = Phase.Done;
    this.fwd?.abandon();
    this.fwd = undefined;
    this.socket.destroy();
  }

  get done(): boolean {
    return this.phase === Phase.Done && this.socket.destroyed;
  }
}

/** One request forwarded to a target, as the upstream side sees it. */
export class Forward implements Exchange {
  upstream: Upstream | undefined;
  /** The target's response head arrived (the 504 deadline no longer applies). */
  gotHead = false;
  requestDone: boolean;
  headWritten = false;
  private pendingHead: string | undefined;
  private pendingBody: Buffer[] | undefined;
  private readonly started = performance.now();
  private finished = false;

  constructor(
    readonly conn: ClientConn,
    private readonly to: TargetConnections,
    readonly method: string,
    readonly request: Buffer,
    readonly streaming: boolean,
    private readonly c: AlbCounters,
    /** performance-clock ms by which the target's response head must arrive (ALB's 504). */
    readonly deadline: number,
  ) {
    this.requestDone = !streaming;
  }

  attached(u: Upstream): void {
    this.upstream = u;
    if (this.pendingBody) {
      for (const b of this.pendingBody) u.write(b);
      this.pendingBody = undefined;
    }
  }

  /** More request body from the client. */
  sendBody(b: Buffer): void {
    if (this.finished) return;
    if (!this.upstream) {
      (this.pendingBody ??= []).push(b);
      return;
    }
    if (!this.upstream.write(b)) {
      this.conn.socket.pause();
      this.upstream.socket.once('drain', () => this.conn.socket.resume());
    }
  }

  head(r: ResponseHead): boolean {
    const conn = this.conn;
    conn.unwatch(this);
    this.gotHead = true;
    this.c.targetResponseTimeSum += (performance.now() - this.started) / 1000;
    this.c.targetResponseTimeCount++;
    countTargetStatus(this.c, r.status);
    let h = `HTTP/1.1 ${r.status} ${r.reason}\r\n${r.lines}`;
    if (!r.hasDate) h += dateHeader();
    let decode = false;
    if (hasBody(this.method, r.status)) {
      if (r.chunked) {
        if (conn.minor === 1) h += 'Transfer-Encoding: chunked\r\n';
        else {
          decode = true; // an HTTP/1.0 client: the body without its framing, ended by the close
          conn.keepAlive = false;
        }
      } else if (r.length === undefined) conn.keepAlive = false;
    }
    this.pendingHead = `${h}Connection: ${conn.keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
    return decode;
  }

  /** Writes the response head if it has not gone out yet (with `b`, in one write). */
  private flush(b?: Buffer): boolean {
    const s = this.conn.socket;
    this.conn.lastIo = performance.now();
    if (this.pendingHead === undefined) return b ? s.write(b) : true;
    const h = this.pendingHead;
    this.pendingHead = undefined;
    this.headWritten = true;
    if (!b) return s.write(h, 'latin1');
    if (b.length > 16 * 1024) {
      s.cork();
      s.write(h, 'latin1');
      const ok = s.write(b);
      s.uncork();
      return ok;
    }
    // A small body goes out with the head in one buffer, one write.
    const out = Buffer.allocUnsafe(h.length + b.length);
    out.write(h, 0, 'latin1');
    b.copy(out, h.length);
    return s.write(out);
  }

  body(b: Buffer): boolean {
    if (this.finished || this.conn.socket.destroyed) return true;
    return this.flush(b);
  }

  headDone(): void {
    if (!this.finished) this.flush();
  }

  end(): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    this.conn.next();
  }

  fail(headSent: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.conn.unwatch(this);
    if (headSent || this.headWritten) {
      this.conn.socket.destroy(); // the target died mid-response: the client sees the connection drop
      return;
    }
    this.conn.error(502, this.c, this.streaming);
  }

  interim(head: string): void {
    if (this.conn.minor === 1 && !this.finished) this.conn.socket.write(head, 'latin1');
  }

  /** No response head by the deadline: ALB's 504. */
  expire(): void {
    if (this.finished) return;
    this.abandon();
    this.conn.error(504, this.c, this.streaming);
  }

  /** The client went away, or the request is given up: the target's connection (or queue place) is let go. */
  abandon(): void {
    if (this.finished) return;
    this.finished = true;
    this.conn.unwatch(this);
    if (this.upstream) this.upstream.abandon(this);
    else this.to.unqueue(this);
  }
}
