/**
 * The ALB proxy's side towards its targets: keep-alive raw TCP connections per target (LIFO reuse,
 * a cap per target with a queue beyond it), one request at a time on each, and the target's
 * response parsed just enough to pass it on — its head rewritten for the client, its body passed
 * through as it came (Content-Length or chunked, or up to the close), and the connection reused
 * when the response is complete.
 *
 * What the client side (`Exchange`) hears: `head` once, then `body` pieces, then `end`; or `fail`
 * (before the head: ALB's 502; after it: the client connection is dropped). A request whose
 * connection was reused and broke before any answer is sent once more on a fresh connection
 * (the target had closed it as it was taken), when its body is not streamed.
 */
import net from 'node:net';
import { CRLFCRLF, ChunkedTracker, MAX_HEAD, hasBody, parseResponseHead, type ResponseHead } from './alb-http';

/** The client side of one forwarded request. */
export interface Exchange {
  readonly method: string;
  /** The request head and whatever body came with it, as the target gets them. */
  readonly request: Buffer;
  /** Whether more request body follows (streamed with `Upstream.write`); such a request is not retried. */
  readonly streaming: boolean;
  /** The whole request has been handed over (a target that answers before the body ends is not reused). */
  readonly requestDone: boolean;
  /** The response head; return true to get chunked bodies without their framing (an HTTP/1.0 client). */
  head(r: ResponseHead): boolean;
  /** Body bytes to write to the client; return false to have the target paused until `resume()`. */
  body(b: Buffer): boolean;
  /** The response is complete. */
  end(): void;
  /** Before the head: the target refused, reset or broke the exchange (502); after it: drop the client. */
  fail(headSent: boolean): void;
  /** The head went by without body bytes beside it: write it now. */
  headDone(): void;
  /** An interim (1xx) response, head included. */
  interim(head: string): void;
  /** The upstream connection now serving this exchange (also after a retry). */
  attached(u: Upstream): void;
}

const enum Framing {
  Head,
  Length,
  Chunked,
  Close,
}

/** One keep-alive connection to a target. */
export class Upstream {
  readonly socket: net.Socket;
  /** Served a request before this one: a break before any answer may be the target closing an idle connection. */
  reused = false;
  exchange: Exchange | undefined;
  private buf: Buffer | null = null;
  private framing = Framing.Head;
  private remaining = 0;
  private chunks: ChunkedTracker | undefined;
  private decoding = false;
  private reusable = true;
  private gotBytes = false;
  private headSent = false;
  /** performance-clock ms this connection became idle (for closing idle ones). */
  idleSince = 0;
  private closed = false;

  constructor(
    readonly pool: TargetConnections,
    host: string,
    port: number,
  ) {
    const s = net.connect({ host, port, noDelay: true });
    this.socket = s;
    s.on('data', (d: Buffer) => {
      try {
        this.onData(d);
      } catch (e) {
        pool.onError(e);
        this.broken();
      }
    });
    s.on('end', () => this.onClose());
    s.on('close', () => this.onClose());
    s.on('error', () => this.onClose());
  }

  start(x: Exchange): void {
    this.exchange = x;
    this.framing = Framing.Head;
    this.gotBytes = false;
    this.headSent = false;
    this.decoding = false;
    x.attached(this);
    this.socket.write(x.request);
  }

  /** More request body from the client; false: paused until the target drains. */
  write(b: Buffer): boolean {
    return this.socket.write(b);
  }

  resume(): void {
    this.socket.resume();
  }

  /** The exchange is abandoned (client gone, 504): the connection cannot be reused. */
  abandon(x: Exchange): void {
    if (this.exchange !== x) return;
    this.exchange = undefined;
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    const x = this.exchange;
    if (!x) {
      this.socket.destroy(); // bytes nobody asked for
      return;
    }
    this.gotBytes = true;
    if (this.framing === Framing.Head) {
      const buf = this.buf ? Buffer.concat([this.buf, d]) : d;
      this.buf = null;
      let at = 0;
      for (;;) {
        const end = buf.indexOf(CRLFCRLF, at);
        if (end < 0) {
          if (buf.length - at > MAX_HEAD) return this.broken();
          this.buf = at === 0 ? buf : buf.subarray(at);
          return;
        }
        const r = parseResponseHead(buf.toString('latin1', at, end));
        if (!r || r.status === 101) return this.broken();
        at = end + 4;
        if (r.status < 200) {
          x.interim(`HTTP/1.1 ${r.status} ${r.reason}\r\n${r.lines}\r\n`);
          continue;
        }
        if (r.close) this.reusable = false;
        const decode = x.head(r);
        this.headSent = true;
        if (!hasBody(x.method, r.status)) this.framing = Framing.Length;
        else if (r.chunked) {
          this.framing = Framing.Chunked;
          this.chunks = new ChunkedTracker(decode ? (b) => void this.pass(b) : undefined);
          this.decoding = decode;
        } else if (r.length !== undefined) this.framing = Framing.Length;
        else {
          this.framing = Framing.Close;
          this.reusable = false;
        }
        this.remaining = hasBody(x.method, r.status) ? (r.length ?? 0) : 0;
        if (this.framing === Framing.Length && this.remaining === 0) {
          if (at < buf.length) this.reusable = false;
          return this.finish();
        }
        if (at < buf.length) this.onBody(buf.subarray(at));
        if (this.exchange === x) x.headDone();
        return;
      }
    }
    this.onBody(d);
  }

  private pass(b: Buffer): boolean {
    const x = this.exchange;
    if (!x || b.length === 0) return true;
    if (!x.body(b)) {
      this.socket.pause();
      return false;
    }
    return true;
  }

  private onBody(d: Buffer): void {
    switch (this.framing) {
      case Framing.Length: {
        const take = Math.min(this.remaining, d.length);
        this.remaining -= take;
        if (d.length > take) this.reusable = false; // more than the response: not to be trusted again
        this.pass(take === d.length ? d : d.subarray(0, take));
        if (this.remaining === 0) this.finish();
        return;
      }
      case Framing.Chunked: {
        const used = this.chunks!.feed(d);
        if (used < 0) return this.broken();
        if (!this.decoding) this.pass(used === d.length ? d : d.subarray(0, used));
        if (this.chunks!.done) {
          if (used < d.length) this.reusable = false;
          this.finish();
        }
        return;
      }
      case Framing.Close:
        this.pass(d);
        return;
    }
  }

  private finish(): void {
    const x = this.exchange;
    this.exchange = undefined;
    this.chunks = undefined;
    this.buf = null;
    if (this.reusable && x?.requestDone) this.pool.release(this);
    else this.socket.destroy();
    x?.end();
  }

  private broken(): void {
    this.reusable = false;
    this.socket.destroy(); // onClose tells the exchange
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.pool.forget(this);
    const x = this.exchange;
    this.exchange = undefined;
    if (!x) return;
    if (this.framing === Framing.Close && this.headSent) {
      x.end(); // the close is the end of this body
      return;
    }
    if (!this.gotBytes && this.reused && !x.streaming) {
      this.pool.dispatch(x, true); // the target closed the idle connection as it was taken: once more
      return;
    }
    x.fail(this.headSent);
  }
}

/** The connections to one target (`host:port`). */
export class TargetConnections {
  private readonly idle: Upstream[] = [];
  private readonly queue: Exchange[] = [];
  private open = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly maxSockets: number,
    private readonly maxIdle: number,
    /** An unexpected error in a response's handling (the exchange gets its 502). */
    readonly onError: (e: unknown) => void,
  ) {}

  /** Sends `x` on an idle connection (the most recently used), a new one, or after one frees up. */
  dispatch(x: Exchange, fresh = false): void {
    if (!fresh) {
      while (this.idle.length) {
        const u = this.idle.pop()!;
        if (u.socket.destroyed) continue;
        u.reused = true;
        u.start(x);
        return;
      }
    }
    if (this.open >= this.maxSockets && !fresh) {
      this.queue.push(x);
      return;
    }
    this.open++;
    new Upstream(this, this.host, this.port).start(x);
  }

  /** A connection finished its exchange and can serve another. */
  release(u: Upstream): void {
    const next = this.queue.shift();
    if (next) {
      u.reused = true;
      u.start(next);
      return;
    }
    if (this.idle.length >= this.maxIdle) {
      u.socket.destroy();
      return;
    }
    u.idleSince = performance.now();
    this.idle.push(u);
  }

  /** A connection closed. */
  forget(u: Upstream): void {
    this.open--;
    const i = this.idle.indexOf(u);
    if (i >= 0) this.idle.splice(i, 1);
    const next = this.queue.shift();
    if (next) this.dispatch(next);
  }

  /** Drops a queued exchange (its client went away). */
  unqueue(x: Exchange): boolean {
    const i = this.queue.indexOf(x);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Closes connections idle for longer than `ms`; true when nothing is left. */
  sweep(now: number, ms: number): boolean {
    while (this.idle.length && now - this.idle[0].idleSince > ms) this.idle.shift()!.socket.destroy();
    return this.open === 0 && this.queue.length === 0;
  }

  destroy(): void {
    for (const u of this.idle.splice(0)) u.socket.destroy();
  }
}
