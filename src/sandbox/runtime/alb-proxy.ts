/**
 * The sandbox's Application Load Balancers as real reverse proxies: one TCP server on 127.0.0.1 per
 * listener of an active load balancer, at a real free port (the listener's API port — 80 — stays in
 * the API; `endpoints()` lists the real URLs). Requests are routed by the listener's rules and
 * default action to a target group, round-robin over its healthy targets (failing open), over
 * keep-alive connections to each target. ALB's answers: a malformed request -> 400 (a Host that is
 * no host name included), no registered targets -> 503, target refused / reset / died -> 502, no
 * answer within the idle timeout -> 504, each with ALB's page and `Server: awselb/2.0`; headers
 * `X-Forwarded-For` / `-Proto` / `-Port` and `X-Amzn-Trace-Id` are added as ALB adds them.
 *
 * HTTP is spoken on raw sockets (alb-http, alb-client, alb-upstream) rather than through node:http:
 * the proxy's CPU per request is what the hands-on's load test measures beside the tasks', and
 * node:http's streams cost 2–4× the work of passing the bytes on (bench/alb-proxy.bench.ts).
 *
 * A listener only answers when one of the load balancer's security groups allows its port from an
 * IPv4 CIDR (tcp or all traffic); otherwise each new connection is dropped. `reconcile()` opens and
 * closes servers to match the state (call it from the engine tick: cheap when nothing changed).
 * Slow clients are bounded (alb-client: headers within 5 s, a request within 60 s, the load
 * balancer's `idle_timeout.timeout_seconds`), and no request can stop the process: every callback
 * is guarded, an unexpected error costs one 500 (logged at most once a second).
 */
import { randomBytes } from 'node:crypto';
import net, { type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { elbv2State, type Listener, type LoadBalancer } from '../elbv2/model';
import type { TargetResolver } from '../elbv2/health';
import type { RegionState } from '../engine/state';
import { answerAction, hostOf } from './alb-answers';
import { ClientConn, type ClientHost, type Forward } from './alb-client';
import type { RequestHead } from './alb-http';
import { AlbMetrics, type AlbMetricsEntry } from './alb-metrics';
import { compileListener, nextTarget, pickTargetGroup, routeAction, securityGroupsAllow, targetPool, type CompiledListener, type TargetPool } from './alb-routing';
import { TargetConnections } from './alb-upstream';

export { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './alb-client';

export interface AlbProxyOptions {
  /** The regions whose load balancers to serve (read on every reconcile). */
  regions: () => Iterable<RegionState>;
  /** Where a target really listens (instance id + port, or ip + port -> `http://127.0.0.1:<port>`). */
  resolve: TargetResolver;
  /** Overrides every load balancer's `idle_timeout.timeout_seconds` (real ms); tests use a short one. */
  idleTimeoutMs?: number;
  /** Connections per target (default 512); requests beyond them wait for one. */
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

interface Served {
  region: string;
  rs: RegionState;
  listenerArn: string;
  lbArn: string;
  server: net.Server;
  realPort: number;
  allowed: boolean;
  idleMs: number;
  conns: Set<ClientConn>;
  compiled?: CompiledListener;
}

/** Idle connections to targets are closed after this (the demo app keeps them 65 s). */
const TARGET_IDLE_MS = 30_000;
const tracePrefix = randomBytes(6).toString('hex');
let traceCounter = 0;

export class AlbProxies {
  private readonly served = new Map<string, Served>();
  private readonly pools = new Map<string, TargetPool>();
  /** Keep-alive connections per target base URL. */
  private readonly targets = new Map<string, TargetConnections>();
  readonly metrics = new AlbMetrics();
  private reconciling: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private loggedAt = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private sweepEvery = Infinity;
  private lastTargetSweep = 0;
  /** What every client connection shares: the request handler, the 504 watch list, the log. */
  private readonly host: ClientHost;

  constructor(private readonly opts: AlbProxyOptions) {
    this.host = { request: (conn, head) => this.request(conn, head), waiting: new Set<Forward>(), log: (m) => this.log(m) };
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
        if (!rs.serviceState.elbv2) continue;
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
        sv.idleMs = this.idleMs(lb);
        continue;
      }
      const started = await this.start(rs, l, lb, allowed);
      if (started) this.served.set(arn, started);
    }
    this.schedule();
  }

  private async start(rs: RegionState, l: Listener, lb: LoadBalancer, allowed: boolean): Promise<Served | undefined> {
    const server = net.createServer({ allowHalfOpen: true, noDelay: true });
    const sv: Served = { region: rs.region, rs, listenerArn: l.ListenerArn, lbArn: lb.LoadBalancerArn, server, realPort: 0, allowed, idleMs: this.idleMs(lb), conns: new Set() };
    server.on('connection', (socket: Socket) => {
      try {
        if (!sv.allowed || this.closed) {
          socket.destroy();
          return;
        }
        const conn = new ClientConn(this.host, socket, () => sv.idleMs, sv);
        sv.conns.add(conn);
        socket.once('close', () => sv.conns.delete(conn));
      } catch (e) {
        this.log(`ALB: connection failed: ${(e as Error)?.stack ?? String(e)}`);
        socket.destroy();
      }
    });
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
      for (const c of sv.conns) c.close();
    });
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
    for (const t of this.targets.values()) t.destroy();
    this.targets.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.host.waiting.clear();
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

  // ------------------------------------------------------------------------------- requests

  /** A request head arrived on a listener: routed, then answered by the load balancer or forwarded. */
  private request(conn: ClientConn, head: RequestHead): void {
    const sv = conn.served as Served;
    const s = elbv2State(sv.rs);
    const l = s.listeners[sv.listenerArn];
    const lb = s.loadBalancers[sv.lbArn];
    if (!l || !lb) return conn.error(503, undefined, false, head);
    const host = hostOf(head.host);
    if (host === null) {
      // Not a host name (a space, '[', a path…): ALB answers 400 before any rule.
      const c = this.metrics.counters(sv.region, lb.LoadBalancerArn, undefined);
      c.requestCount++;
      return conn.error(400, c, true);
    }
    if (!sv.compiled || sv.compiled.version !== s.version) sv.compiled = compileListener(s, l);
    const action = routeAction(sv.compiled, head.target, head.host, head.method);
    if (action.Type !== 'forward') {
      const c = this.metrics.counters(sv.region, lb.LoadBalancerArn, undefined);
      c.requestCount++;
      const answer = answerAction(action, { url: head.target, host: host ?? lb.DNSName, port: sv.realPort });
      return answer ? conn.answer(head, answer, c) : conn.error(503, c, false, head);
    }
    const tgArn = pickTargetGroup(action);
    const tg = tgArn ? s.targetGroups[tgArn] : undefined;
    const c = this.metrics.counters(sv.region, lb.LoadBalancerArn, tgArn);
    c.requestCount++;
    if (!tg) return conn.error(503, c, false, head);
    let pool = this.pools.get(tg.TargetGroupArn);
    if (!pool || pool.version !== s.version) {
      const next = pool?.next ?? 0;
      pool = targetPool(s, tg);
      pool.next = next % Math.max(1, pool.targets.length);
      this.pools.set(tg.TargetGroupArn, pool);
    }
    const target = nextTarget(pool);
    if (!target) return conn.error(503, c, false, head);
    const base = this.opts.resolve(sv.region, tg, { Id: target.Id, Port: target.Port });
    if (!base) return conn.error(502, c, false, head);
    conn.forward(this.connectionsTo(base), this.requestHead(conn, head, l, lb), head, c, sv.idleMs);
  }

  /** The request as the target gets it: the client's headers less hop-by-hop ones, plus X-Forwarded-* and a trace id. */
  private requestHead(conn: ClientConn, head: RequestHead, l: Listener, lb: LoadBalancer): string {
    let h = `${head.method} ${head.target} HTTP/1.1\r\nHost: ${head.host ?? lb.DNSName}\r\n`;
    const hs = head.headers;
    for (let i = 0; i < hs.length; i += 2) h += `${hs[i]}: ${hs[i + 1]}\r\n`;
    h += `X-Forwarded-For: ${head.forwardedFor === undefined ? conn.clientIp : `${head.forwardedFor}, ${conn.clientIp}`}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${l.Port}\r\n`;
    if (!head.traceId) {
      h += `X-Amzn-Trace-Id: Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${tracePrefix}${(traceCounter++ & 0xffffff).toString(16).padStart(12, '0')}\r\n`;
    }
    if (head.chunked) h += 'Transfer-Encoding: chunked\r\n';
    return `${h}\r\n`;
  }

  private connectionsTo(base: string): TargetConnections {
    let t = this.targets.get(base);
    if (!t) {
      const m = /^http:\/\/([^:/]+):(\d+)/.exec(base);
      t = new TargetConnections(m?.[1] ?? '127.0.0.1', Number(m?.[2] ?? 80), this.opts.maxSocketsPerTarget ?? 512, 256, (e) =>
        this.log(`ALB: response failed: ${(e as Error)?.stack ?? String(e)}`),
      );
      this.targets.set(base, t);
    }
    return t;
  }

  // ------------------------------------------------------------------------------- timeouts

  /** One sweep for every connection's timeouts, often enough for the shortest idle timeout. */
  private schedule(): void {
    let shortest = Infinity;
    for (const sv of this.served.values()) shortest = Math.min(shortest, sv.idleMs);
    const every = this.served.size === 0 ? Infinity : Math.max(10, Math.min(250, Math.floor(shortest / 4)));
    if (every === this.sweepEvery) return;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.sweepEvery = every;
    if (every === Infinity) return;
    this.sweeper = setInterval(() => {
      try {
        this.sweep();
      } catch (e) {
        this.log(`ALB: sweep failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    }, every);
    this.sweeper.unref();
  }

  private sweep(): void {
    const now = performance.now();
    for (const f of this.host.waiting) if (now >= f.deadline) f.expire();
    for (const sv of this.served.values()) for (const c of sv.conns) c.sweep(now);
    if (now - this.lastTargetSweep > 1000) {
      this.lastTargetSweep = now;
      for (const [base, t] of this.targets) if (t.sweep(now, TARGET_IDLE_MS)) this.targets.delete(base);
    }
  }
}
