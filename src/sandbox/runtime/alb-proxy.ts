/**
 * The sandbox's Application Load Balancers as real reverse proxies: one node:http server on
 * 127.0.0.1 per listener of an active load balancer, at a real free port (the listener's API port —
 * 80 — stays in the API; `endpoints()` lists the real URLs). Requests are routed by the listener's
 * rules and default action to a target group, round-robin over its healthy targets (failing open),
 * through a keep-alive agent. ALB's answers: no registered targets -> 503, target refused / reset /
 * died -> 502, no answer within the idle timeout -> 504, each with ALB's page and `Server: awselb/2.0`.
 *
 * A listener only answers when one of the load balancer's security groups allows its port from an
 * IPv4 CIDR (tcp or all traffic); otherwise each new connection is dropped. `reconcile()` opens and
 * closes servers to match the state (call it from the engine tick: cheap when nothing changed).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { elbv2State, type Listener, type LoadBalancer } from '../elbv2/model';
import type { TargetResolver } from '../elbv2/health';
import type { RegionState } from '../engine/state';
import { answerAction, hostOf, type AlbAnswer } from './alb-answers';
import { AlbMetrics, countTargetStatus, errorPage, sendElbError, STATUS_TEXT, type AlbCounters, type AlbMetricsEntry } from './alb-metrics';
import { compileListener, nextTarget, pickTargetGroup, routeAction, securityGroupsAllow, targetPool, type CompiledListener, type TargetPool } from './alb-routing';

export interface AlbProxyOptions {
  /** The regions whose load balancers to serve (read on every reconcile). */
  regions: () => Iterable<RegionState>;
  /** Where a target really listens (instance id + port, or ip + port -> `http://127.0.0.1:<port>`). */
  resolve: TargetResolver;
  /** Overrides every load balancer's `idle_timeout.timeout_seconds` (real ms); tests use a short one. */
  idleTimeoutMs?: number;
  /** Sockets per target (default 512). */
  maxSocketsPerTarget?: number;
  /** Where unexpected errors are reported (default stderr); each costs one 500, never the process. */
  log?: (message: string) => void;
}

export interface AlbEndpoint {
  region: string;
  loadBalancerArn: string;
  loadBalancerName: string;
  dnsName: string;
  listenerArn: string;
  /** The listener's port as the API shows it (e.g. 80). */
  port: number;
  /** The real 127.0.0.1 port. */
  realPort: number;
  /** `http://<DNSName>:<realPort>/` — *.localhost resolves to loopback in browsers and curl. */
  url: string;
  /** `http://127.0.0.1:<realPort>/` */
  localUrl: string;
  /** Whether the security groups let clients in (otherwise connections are dropped). */
  open: boolean;
}

/** A request waiting for its target's response headers, until `deadline` (performance.now() ms). */
interface Waiting {
  deadline: number;
  expire: () => void;
}

interface Served {
  region: string;
  rs: RegionState;
  listenerArn: string;
  lbArn: string;
  server: http.Server;
  realPort: number;
  allowed: boolean;
  sockets: Set<Socket>;
  compiled?: CompiledListener;
}

/**
 * Per-socket limits against slow or stalled clients (slowloris), beside the load balancer's idle
 * timeout (`idle_timeout.timeout_seconds`, 60 s by default): a request's headers must arrive within
 * 5 s and the whole request within 60 s, checked every second; a client too slow gets ALB's 408.
 */
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 60_000;
const SOCKET_CHECK_MS = 1_000;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);
/** Responses up to this size are sent in one write with their headers. */
const SMALL_BODY = 64 * 1024;
const tracePrefix = randomBytes(6).toString('hex');
let traceCounter = 0;

export class AlbProxies {
  private readonly served = new Map<string, Served>();
  private readonly pools = new Map<string, TargetPool>();
  private readonly urls = new Map<string, { host: string; port: number }>();
  private readonly agent: http.Agent;
  readonly metrics = new AlbMetrics();
  private reconciling: Promise<void> | undefined;
  /** Requests waiting for a response, swept by one timer (cheaper than a socket timeout per request). */
  private readonly waiting = new Set<Waiting>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweepEvery = Infinity;
  private again = false;
  private closed = false;
  private loggedAt = 0;

  constructor(private readonly opts: AlbProxyOptions) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSocketsPerTarget ?? 512, maxFreeSockets: 256, scheduling: 'lifo', timeout: 30_000 });
  }

  /** Opens / closes / re-checks listener servers to match the state. Concurrent calls coalesce. */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        await this.reconcileOnce();
      } while (this.again && !this.closed);
    })().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const wanted = new Map<string, { rs: RegionState; l: Listener; lb: LoadBalancer }>();
    if (!this.closed) {
      for (const rs of this.opts.regions()) {
        if (!rs.ext.elbv2) continue;
        const s = elbv2State(rs);
        for (const l of Object.values(s.listeners)) {
          const lb = s.loadBalancers[l.LoadBalancerArn];
          if (lb && lb.State.Code === 'active' && l.Protocol === 'HTTP') wanted.set(l.ListenerArn, { rs, l, lb });
        }
      }
    }
    for (const [arn, sv] of this.served) {
      if (!wanted.has(arn)) {
        this.served.delete(arn);
        await this.stop(sv);
      }
    }
    for (const [arn, { rs, l, lb }] of wanted) {
      const allowed = securityGroupsAllow(rs, lb.SecurityGroups, l.Port);
      const sv = this.served.get(arn);
      if (sv) {
        sv.allowed = allowed;
        this.applyIdle(sv, lb);
        continue;
      }
      const started = await this.start(rs, l, lb, allowed);
      if (started) this.served.set(arn, started);
    }
  }

  private async start(rs: RegionState, l: Listener, lb: LoadBalancer, allowed: boolean): Promise<Served | undefined> {
    const sv: Served = { region: rs.region, rs, listenerArn: l.ListenerArn, lbArn: lb.LoadBalancerArn, server: undefined as unknown as http.Server, realPort: 0, allowed, sockets: new Set() };
    const server = http.createServer(
      { keepAlive: true, connectionsCheckingInterval: SOCKET_CHECK_MS, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      (req, res) => this.handle(sv, req, res),
    );
    sv.server = server;
    this.applyIdle(sv, lb);
    server.on('connection', (socket: Socket) => {
      if (!sv.allowed) {
        socket.destroy();
        return;
      }
      sv.sockets.add(socket);
      socket.on('close', () => sv.sockets.delete(socket));
    });
    server.on('clientError', (e: NodeJS.ErrnoException, socket: Socket) => clientError(e, socket));
    const listen = (port: number) =>
      new Promise<number>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        server.once('error', onError);
        server.listen({ host: '127.0.0.1', port }, () => {
          server.off('error', onError);
          resolve((server.address() as { port: number }).port);
        });
      });
    try {
      sv.realPort = await listen(l.realPort ?? 0);
    } catch {
      try {
        sv.realPort = await listen(0);
      } catch {
        return undefined;
      }
    }
    l.realPort = sv.realPort;
    // After listening, a server error (e.g. EMFILE when accepting) is logged, never thrown.
    server.on('error', (e) => this.log(`ALB: listener on port ${sv.realPort}: ${(e as Error).message}`));
    if (this.closed) {
      await this.stop(sv);
      return undefined;
    }
    return sv;
  }

  private stop(sv: Served): Promise<void> {
    return new Promise((resolve) => {
      sv.server.close(() => resolve());
      for (const s of sv.sockets) s.destroy();
    });
  }

  /** The load balancer's idle timeout: idle keep-alive connections and sockets with no traffic either way are closed after it. */
  private applyIdle(sv: Served, lb: LoadBalancer): void {
    const idleMs = this.idleMs(lb);
    if (sv.server.keepAliveTimeout === idleMs) return;
    sv.server.keepAliveTimeout = idleMs;
    sv.server.timeout = idleMs + 1000; // a request waiting for its target gets its 504 first (the sweep)
  }

  private idleMs(lb: LoadBalancer): number {
    return this.opts.idleTimeoutMs ?? Number(lb.attributes?.['idle_timeout.timeout_seconds'] ?? 60) * 1000;
  }

  /** Every served listener with its real URLs. */
  endpoints(): AlbEndpoint[] {
    const out: AlbEndpoint[] = [];
    for (const sv of this.served.values()) {
      const s = elbv2State(sv.rs);
      const l = s.listeners[sv.listenerArn];
      const lb = s.loadBalancers[sv.lbArn];
      if (!l || !lb) continue;
      out.push({
        region: sv.region,
        loadBalancerArn: lb.LoadBalancerArn,
        loadBalancerName: lb.LoadBalancerName,
        dnsName: lb.DNSName,
        listenerArn: l.ListenerArn,
        port: l.Port,
        realPort: sv.realPort,
        url: `http://${lb.DNSName}:${sv.realPort}/`,
        localUrl: `http://127.0.0.1:${sv.realPort}/`,
        open: sv.allowed,
      });
    }
    return out;
  }

  /** Cumulative counters per (load balancer, target group). */
  metricsSnapshot(): AlbMetricsEntry[] {
    return this.metrics.snapshot();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconciling) await this.reconciling;
    const all = [...this.served.values()];
    this.served.clear();
    await Promise.all(all.map((sv) => this.stop(sv)));
    this.agent.destroy();
    if (this.sweeper) clearInterval(this.sweeper);
    this.waiting.clear();
  }

  // ------------------------------------------------------------------------------- requests

  /** Every request: routed and answered; an unexpected error costs this request a 500 (logged), nothing else. */
  private handle(sv: Served, req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      this.route(sv, req, res);
    } catch (e) {
      this.unexpected(e, res);
    }
  }

  /** Logs, at most once a second (a flood of bad requests must not flood the log). */
  private log(message: string): void {
    const now = Date.now();
    if (now - this.loggedAt < 1000) return;
    this.loggedAt = now;
    try {
      (this.opts.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
    } catch {
      // nowhere to report it
    }
  }

  private unexpected(e: unknown, res: http.ServerResponse): void {
    this.log(`ALB: request failed: ${(e as Error)?.stack ?? String(e)}`);
    try {
      sendElbError(res, 500);
    } catch {
      res.destroy();
    }
  }

  private route(sv: Served, req: http.IncomingMessage, res: http.ServerResponse): void {
    const s = elbv2State(sv.rs);
    const l = s.listeners[sv.listenerArn];
    const lb = s.loadBalancers[sv.lbArn];
    if (!l || !lb) {
      sendElbError(res, 503);
      return;
    }
    const host = hostOf(req.headers.host);
    if (host === null) {
      // Not a host name (a space, '[', a path…): ALB answers 400 before any rule.
      const c = this.metrics.counters(sv.region, lb.LoadBalancerArn, undefined);
      c.requestCount++;
      req.resume();
      res.shouldKeepAlive = false;
      sendElbError(res, 400, c);
      return;
    }
    if (!sv.compiled || sv.compiled.version !== s.version) sv.compiled = compileListener(s, l);
    const action = routeAction(sv.compiled, req.url ?? '/', req.headers.host, req.method ?? 'GET');
    if (action.Type !== 'forward') {
      const c = this.metrics.counters(sv.region, lb.LoadBalancerArn, undefined);
      c.requestCount++;
      req.resume();
      const answer = answerAction(action, { url: req.url ?? '/', host: host ?? lb.DNSName, port: req.socket.localPort ?? l.Port });
      if (answer) sendAnswer(res, answer, c);
      else sendElbError(res, 503, c);
      return;
    }
    const tgArn = pickTargetGroup(action);
    const tg = tgArn ? s.targetGroups[tgArn] : undefined;
    const c = this.metrics.counters(sv.region, lb.LoadBalancerArn, tgArn);
    c.requestCount++;
    if (!tg) {
      req.resume();
      sendElbError(res, 503, c);
      return;
    }
    let pool = this.pools.get(tg.TargetGroupArn);
    if (!pool || pool.version !== s.version) {
      const next = pool?.next ?? 0;
      pool = targetPool(s, tg);
      pool.next = next % Math.max(1, pool.targets.length);
      this.pools.set(tg.TargetGroupArn, pool);
    }
    const target = nextTarget(pool);
    if (!target) {
      req.resume();
      sendElbError(res, 503, c);
      return;
    }
    const base = this.opts.resolve(sv.region, tg, { Id: target.Id, Port: target.Port });
    if (!base) {
      req.resume();
      sendElbError(res, 502, c);
      return;
    }
    this.forward(req, res, l, base, this.idleMs(lb), c);
  }

  private hostPort(base: string): { host: string; port: number } {
    let hp = this.urls.get(base);
    if (!hp) {
      const u = new URL(base);
      hp = { host: u.hostname, port: Number(u.port || 80) };
      if (this.urls.size > 10_000) this.urls.clear();
      this.urls.set(base, hp);
    }
    return hp;
  }

  private forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    l: Listener,
    base: string,
    idleMs: number,
    c: AlbCounters,
  ): void {
    const { host, port } = this.hostPort(base);
    // Request headers: the client's, less hop-by-hop ones, plus X-Forwarded-* and a trace id (raw arrays: cheap).
    const raw = req.rawHeaders;
    const headers: string[] = [];
    let xff: string | undefined;
    let trace = false;
    for (let i = 0; i < raw.length; i += 2) {
      const lk = raw[i].toLowerCase();
      if (HOP_BY_HOP.has(lk)) continue;
      if (lk === 'x-forwarded-for') {
        xff = xff === undefined ? raw[i + 1] : `${xff}, ${raw[i + 1]}`;
        continue;
      }
      if (lk === 'x-forwarded-proto' || lk === 'x-forwarded-port') continue;
      if (lk === 'x-amzn-trace-id') trace = true;
      headers.push(raw[i], raw[i + 1]);
    }
    const remote = req.socket.remoteAddress ?? '127.0.0.1';
    const clientIp = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
    headers.push('X-Forwarded-For', xff === undefined ? clientIp : `${xff}, ${clientIp}`, 'X-Forwarded-Proto', 'http', 'X-Forwarded-Port', String(l.Port));
    if (!trace) {
      headers.push('X-Amzn-Trace-Id', `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${tracePrefix}${(traceCounter++ & 0xffffff).toString(16).padStart(12, '0')}`);
    }
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    let preq: http.ClientRequest | undefined;
    res.on('close', () => {
      if (!res.writableFinished) preq?.destroy();
    });
    const attempt = (mayRetry: boolean) => {
      const started = performance.now();
      const r = http.request({ host, port, method: req.method, path: req.url, headers, agent: this.agent, setHost: false }, (pres) => {
        try {
          this.relay(pres, res, started, c);
        } catch (e) {
          // E.g. a header the client side may not carry: this response is lost, nothing else.
          pres.resume();
          if (!res.headersSent) sendElbError(res, 502, c);
          else res.destroy();
          this.unexpected(e, res);
        }
      });
      preq = r;
      const waiting: Waiting = {
        deadline: started + idleMs,
        expire: () => {
          r.destroy();
          if (!res.headersSent) sendElbError(res, 504, c);
          else res.destroy();
        },
      };
      this.watch(waiting, idleMs);
      r.once('response', () => this.waiting.delete(waiting));
      r.once('close', () => this.waiting.delete(waiting));
      r.on('error', () => {
        if (res.writableEnded || res.destroyed) return;
        // A pooled keep-alive socket the target closed just as it was reused: once more on a fresh one.
        if (mayRetry && (r as http.ClientRequest & { reusedSocket?: boolean }).reusedSocket && !res.headersSent && !hasBody) {
          attempt(false);
          return;
        }
        if (!res.headersSent) sendElbError(res, 502, c);
        else res.destroy();
      });
      if (hasBody) req.pipe(r);
      else r.end();
    };
    if (!hasBody) req.resume();
    attempt(true);
  }

  /** The target's response to the client (small bodies in one write with the headers). */
  private relay(pres: http.IncomingMessage, res: http.ServerResponse, started: number, c: AlbCounters): void {
    const status = pres.statusCode ?? 502;
    c.targetResponseTimeSum += (performance.now() - started) / 1000;
    c.targetResponseTimeCount++;
    countTargetStatus(c, status);
    const rh = pres.rawHeaders;
    const out: string[] = [];
    for (let i = 0; i < rh.length; i += 2) {
      const lk = rh[i].toLowerCase();
      if (HOP_BY_HOP.has(lk)) continue;
      if (lk === 'date') res.sendDate = false;
      out.push(rh[i], rh[i + 1]);
    }
    res.writeHead(status, pres.statusMessage, out);
    pres.on('error', () => res.destroy());
    pres.on('close', () => {
      if (!pres.complete) res.destroy(); // the target died mid-response
    });
    const len = Number(pres.headers['content-length']);
    if (len >= 0 && len <= SMALL_BODY) {
      // Small bodies go out with the headers in one write.
      const chunks: Buffer[] = [];
      pres.on('data', (chunk: Buffer) => chunks.push(chunk));
      pres.on('end', () => res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    } else pres.pipe(res);
  }

  private watch(w: Waiting, idleMs: number): void {
    this.waiting.add(w);
    const every = Math.max(10, Math.min(250, Math.floor(idleMs / 4)));
    if (this.sweeper && every >= this.sweepEvery) return;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweepEvery = every;
    this.sweeper = setInterval(() => {
      if (this.waiting.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
        this.sweepEvery = Infinity;
        return;
      }
      const now = performance.now();
      for (const x of this.waiting) {
        if (now >= x.deadline) {
          this.waiting.delete(x);
          x.expire();
        }
      }
    }, every);
    this.sweeper.unref();
  }
}

/** Writes one of the ALB's own answers (fixed response, redirect) and counts it. */
function sendAnswer(res: http.ServerResponse, a: AlbAnswer, c: AlbCounters): void {
  if (a.status >= 500) c.elb5xx++;
  else if (a.status >= 400) c.elb4xx++;
  res.writeHead(a.status, a.headers.flat());
  res.end(a.body);
}

/**
 * A request the HTTP parser refused (or that took too long to arrive): ALB answers 400 to anything
 * malformed — header too large included — and 408 when the client sent too slowly, then closes.
 */
function clientError(e: NodeJS.ErrnoException, socket: Socket): void {
  const current = (socket as Socket & { _httpMessage?: { writableEnded?: boolean } | null })._httpMessage;
  if (!socket.writable || (current && !current.writableEnded)) {
    socket.destroy(); // a response is still being written: nothing sensible can follow it
    return;
  }
  const status = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = errorPage(status);
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  socket.destroySoon?.();
}
