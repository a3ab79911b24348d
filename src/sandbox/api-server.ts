/**
 * The sandbox's HTTP server: AWS APIs on one port (routed by X-Amz-Target / Action and the SigV4
 * credential scope: protocol/dispatch.ts), the admin API under `/_sandbox/` (admin.ts). Binds
 * 127.0.0.1 only. Bodies are bounded, sockets time out, and no request can stop the process: an
 * unexpected error costs that request a 500.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, type AdminHost } from './admin';
import { dispatchAws, encodeError, type DispatchDeps, type HttpAnswer } from './protocol/dispatch';
import { AwsError } from './protocol/errors';

/**
 * Per-socket limits of the API port, against slow or stalled clients (slowloris): a request's
 * headers must arrive within 5 s and the whole request within 30 s (bodies are at most 1 MiB from
 * a local client), an idle keep-alive connection is closed after 5 s; the server checks every
 * second (Node's default is every 30 s, which let a trickling socket live 50 s).
 */
export const SOCKET_TIMEOUTS = { headersTimeout: 5_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 } as const;

export interface ApiServerOptions {
  /** 0 = any free port. */
  port: number;
  /** Largest request body accepted, bytes. */
  maxBodyBytes: number;
  /** The admin API's bearer token. */
  adminToken: string;
  admin: AdminHost;
  aws: DispatchDeps;
  log: (message: string) => void;
}

export interface ApiServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Starts serving; rejects when the port cannot be listened on. */
export async function listenApi(o: ApiServerOptions): Promise<ApiServer> {
  let port = 0;
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    const isAdmin = path === '/_sandbox' || path.startsWith('/_sandbox/');
    let body: Buffer | 'too-large';
    const limit = bodyLimit(req, o.maxBodyBytes);
    try {
      body = await readBody(req, limit);
    } catch {
      req.destroy();
      return;
    }
    if (body === 'too-large') {
      const msg = `Request body is larger than the sandbox's limit of ${limit} bytes.`;
      const answer = isAdmin
        ? { status: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: msg }) }
        : tooLarge(req, msg, requestId);
      // Do not read the rest: answer and close the connection.
      res.once('finish', () => req.socket.destroySoon?.());
      send(res, answer, { connection: 'close' });
      return;
    }
    if (isAdmin) {
      const refused = adminRefusal(req, port, o.adminToken);
      if (refused) {
        send(res, { status: refused.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify({ error: refused.error }) });
        return;
      }
      const q = url.indexOf('?');
      send(
        res,
        await handleAdmin(o.admin, {
          method: req.method ?? 'GET',
          path: path.replace(/\/+$/, ''),
          query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
          body,
          contentType: (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
        }),
      );
      return;
    }
    // Fault injection: the call is answered late, as over a slow network.
    const latency = o.admin.faults.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    send(res, await dispatchAws({ method: req.method ?? 'GET', url, headers: req.headers, body }, o.aws, requestId));
  };

  const server = http.createServer(SOCKET_TIMEOUTS, (req, res) => {
    handle(req, res).catch((e) => {
      // An unexpected error costs this request one 500, never the process.
      try {
        o.log(`sandbox: request ${req.method} ${String(req.url).slice(0, 200)} failed: ${(e as Error)?.stack ?? String(e)}`);
        send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error' }) });
      } catch {
        res.destroy();
      }
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // What Node itself would answer: 408 when the headers or the request took too long, 431 for oversized headers.
    const status =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, an error the server emits is logged, not thrown (an unhandled 'error' event would stop the process).
  server.on('error', (e) => o.log(`sandbox: API server error: ${e.message}`));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, a: HttpAnswer, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(a.body, 'utf8');
  res.writeHead(a.status, { ...a.headers, ...extra, 'content-length': String(body.length) });
  res.end(body);
}

/** Reads the body, stopping as soon as it exceeds `limit` bytes. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return resolve('too-large');
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        resolve('too-large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

const isLoopbackHost = (host: string | undefined, port: number) =>
  !!host && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '127.0.0.1', 'localhost'].includes(host.toLowerCase());

const TOKEN_HINT = "send the header 'Authorization: Bearer <token>'; `ecs-handson-sandbox --print-admin-token` prints the token (the extension passes it itself)";

/**
 * Who may drive the sandbox: the admin API answers only requests addressed to loopback (against DNS
 * rebinding), made by no web page (any Origin header is refused: browsers send one on cross-origin
 * and on non-GET requests), carrying the admin token. Undefined = allowed.
 */
function adminRefusal(req: http.IncomingMessage, port: number, token: string): { status: number; error: string } | undefined {
  if (!isLoopbackHost(req.headers.host, port)) return { status: 403, error: 'The admin API answers requests to 127.0.0.1 / localhost only.' };
  if (req.headers.origin !== undefined) {
    return { status: 403, error: `The admin API does not answer web pages (the request came from the origin '${String(req.headers.origin).slice(0, 100)}').` };
  }
  const auth = req.headers.authorization;
  const given = typeof auth === 'string' && /^Bearer [A-Za-z0-9_-]+$/.test(auth) ? auth.slice(7) : undefined;
  if (given === undefined) return { status: 401, error: `The admin API needs the sandbox's admin token: ${TOKEN_HINT}.` };
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { status: 401, error: `The admin token is not this sandbox's: ${TOKEN_HINT}.` };
  return undefined;
}

/**
 * The largest body accepted for a request: `maxBodyBytes`, but PutLogEvents gets PUT_LOG_EVENTS_BODY_FACTOR
 * times that. CloudWatch Logs counts a batch (at most 1 MiB) as its messages in UTF-8 plus 26 bytes
 * each, not its JSON: 10,000 events cost ~390 KB of framing on the wire, and escaped characters up to
 * six bytes each (`\u0001`), so a batch AWS accepts can be several MiB of JSON.
 */
function bodyLimit(req: http.IncomingMessage, maxBodyBytes: number): number {
  return req.headers['x-amz-target'] === 'Logs_20140328.PutLogEvents' ? maxBodyBytes * PUT_LOG_EVENTS_BODY_FACTOR : maxBodyBytes;
}
export const PUT_LOG_EVENTS_BODY_FACTOR = 8;

/** A 413 in the style of the request (JSON if it names an X-Amz-Target, EC2 XML if signed for ec2, else query XML). */
function tooLarge(req: http.IncomingMessage, message: string, requestId: string): HttpAnswer {
  const ec2 = /Credential=[^/,]*\/[^/,]*\/[^/,]*\/ec2\//.test(String(req.headers.authorization ?? ''));
  const kind = req.headers['x-amz-target'] !== undefined ? 'json' : ec2 ? 'ec2' : 'query';
  return encodeError({ kind }, new AwsError('RequestEntityTooLarge', message, 413), requestId);
}
