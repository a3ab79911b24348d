/**
 * The program one ECS task runs: the built-in `uzresk/demo` image. ProcessRuntime forks it with a
 * JSON `DemoAppConfig` as its only argument; it answers on 127.0.0.1 (one listener per port
 * mapping to container port 8080, each on a port the OS picks) and tells the parent over IPC:
 * `listening` with the real ports, `cpu` with its own `process.cpuUsage()` about every 500 ms and
 * on exit. It logs like a real server, one line each (the awslogs driver ships them to CloudWatch
 * Logs, timestamped there): a start-up line with its version and port, one access-log line per
 * request (client, method, path, status, bytes, duration, user agent — the health checker's
 * `ELB-HealthChecker/2.0` included), and on SIGTERM when it stops taking connections (with the
 * requests still in flight) and when it exits (with how many it served). The lines carry no date of
 * their own: the sandbox's clock is not the wall clock, and the log driver stamps each line.
 *
 * Pages: `/app/` (HTML, or JSON for `Accept: application/json` / `?format=json`) shows the version,
 * the task, the instance, the AZ and the container's environment; `/app/loginForm` does a fixed
 * amount of real CPU work (PBKDF2) and returns a login form; `/` and `/app/health` answer 200;
 * anything else 404. While "unhealthy" (fault injection) every path answers 500.
 *
 * The CPU work runs on libuv's threadpool, as a real app server's worker threads do (Tomcat's pool
 * in the real image): a busy task still answers `/app/` — the health check's page — at once, and
 * `process.cpuUsage()` (getrusage of the whole process, every thread) still counts all of it.
 * A request that cannot be served (even a strange target such as `//`) costs one 500, never the task.
 *
 * SIGTERM closes the listeners and exits 0; losing the parent (IPC disconnect) exits too.
 * Keep imports minimal: there may be a hundred of these.
 */
import * as http from 'node:http';
import { pbkdf2 } from 'node:crypto';
import type { ChildMessage, DemoAppConfig, ParentMessage } from './messages';

const config: DemoAppConfig = parseConfig(process.argv[2]);
const servers: http.Server[] = [];
let unhealthy = false;
let closing = false;
/** Requests taken, and answered (the difference is in flight). */
let accepted = 0;
let served = 0;
const bootedAt = process.hrtime.bigint();

function parseConfig(arg: string | undefined): DemoAppConfig {
  const defaults: DemoAppConfig = {
    region: 'local',
    taskId: 'standalone',
    image: 'uzresk/demo:ver1.0',
    version: 'ver1.0',
    containerName: 'demo',
    containerPort: 8080,
    ports: [{ containerPort: 8080, hostPort: 8080 }],
    environment: [],
    instanceId: 'i-standalone',
    availabilityZone: 'local',
    loginFormIterations: 15000,
    cpuReportMs: 500,
  };
  return arg ? { ...defaults, ...(JSON.parse(arg) as Partial<DemoAppConfig>) } : defaults;
}

function send(msg: ChildMessage, done?: () => void): void {
  if (process.send && process.connected) {
    try {
      process.send(msg, undefined, {}, () => done?.());
      return;
    } catch {
      // channel closed underneath us
    }
  }
  done?.();
}

function reportCpu(done?: () => void): void {
  const u = process.cpuUsage();
  send({ type: 'cpu', user: u.user, system: u.system }, done);
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const COLOURS: Record<string, { accent: string; bg: string }> = {
  'ver1.0': { accent: '#1f6feb', bg: '#eef4ff' },
  'ver2.0': { accent: '#1a7f37', bg: '#eafbef' },
};

function info(hostPort: number) {
  return {
    app: 'demo',
    version: config.version,
    image: config.image,
    taskId: config.taskId,
    containerName: config.containerName,
    instanceId: config.instanceId,
    availabilityZone: config.availabilityZone,
    region: config.region,
    hostPort,
    containerPort: config.containerPort,
    environment: Object.fromEntries(config.environment.map((e) => [e.name, e.value])),
  };
}

function page(title: string, accent: string, bg: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;margin:2em;background:${bg};color:#1f2328}
h1{color:${accent};border-bottom:4px solid ${accent};padding-bottom:.2em}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3em .6em;text-align:left}
.version{display:inline-block;background:${accent};color:#fff;padding:.1em .6em;border-radius:1em}</style>
</head><body>
${body}
</body></html>
`;
}

function appPage(hostPort: number): string {
  const i = info(hostPort);
  const c = COLOURS[i.version] ?? COLOURS['ver1.0'];
  const row = (k: string, v: string) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const env = config.environment.length
    ? `<table id="environment">${config.environment.map((e) => row(e.name, e.value)).join('')}</table>`
    : '<p id="environment">(no environment variables)</p>';
  return page(
    `Demo app ${i.version}`,
    c.accent,
    c.bg,
    `<h1>Demo app ${esc(i.version)}</h1>
<p>Served by <span class="version">${esc(i.version)}</span></p>
<table id="task">
${row('Version', i.version)}
${row('Image', i.image)}
${row('Task ID', i.taskId)}
${row('Container', i.containerName)}
${row('Instance ID', i.instanceId)}
${row('Availability Zone', i.availabilityZone)}
${row('Host port', String(hostPort))}
</table>
<h2>Environment</h2>
${env}`,
  );
}

function loginForm(): string {
  const c = COLOURS[config.version] ?? COLOURS['ver1.0'];
  return page(
    'Login',
    c.accent,
    c.bg,
    `<h1>Login</h1>
<form method="post" action="login">
<p><label>User <input name="username" autocomplete="username"></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password"></label></p>
<p><button type="submit">Sign in</button></p>
</form>
<p><small>Demo app ${esc(config.version)} · task ${esc(config.taskId)}</small></p>`,
  );
}

/** Who asked: the client the load balancer names (X-Forwarded-For), else the peer. */
function clientOf(req: http.IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = typeof xff === 'string' ? xff.split(',')[0].trim() : '';
  return first || req.socket.remoteAddress || '-';
}

/** The path of a request target, without the query; no URL parsing that could throw. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function handle(hostPort: number, req: http.IncomingMessage, res: http.ServerResponse): void {
  const started = process.hrtime.bigint();
  const target = req.url ?? '/';
  const path = pathOf(target);
  accepted++;
  const reply = (status: number, type: string, body: string) => {
    const buf = Buffer.from(body);
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, 'X-Demo-Version': config.version, 'X-Task-Id': config.taskId });
    res.end(req.method === 'HEAD' ? undefined : buf);
    served++;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const agent = req.headers['user-agent'] ?? '-';
    process.stdout.write(`${clientOf(req)} "${req.method} ${target} HTTP/${req.httpVersion}" ${status} ${buf.length} ${ms.toFixed(1)}ms "${agent}"\n`);
  };
  const html = 'text/html; charset=utf-8';
  if (unhealthy) return reply(500, html, page('500 Internal Server Error', '#cf222e', '#fff0f0', '<h1>500 Internal Server Error</h1>'));
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, html, page('405 Method Not Allowed', '#cf222e', '#fff', '<h1>405 Method Not Allowed</h1>'));
  if (path === '/') return reply(200, html, page('Demo app', '#57606a', '#fff', `<p>OK. The demo app is under <a href="app/">/app/</a>.</p>`));
  if (path === '/app/' || path === '/app') {
    const wantsJson = /[?&]format=json(&|$)/.test(target) || /\bapplication\/json\b/.test(req.headers.accept ?? '');
    return wantsJson ? reply(200, 'application/json', JSON.stringify(info(hostPort))) : reply(200, html, appPage(hostPort));
  }
  if (path === '/app/loginForm') {
    // A fixed amount of real CPU work per request (what a password hash costs), not a sleep; on
    // the threadpool, so that the event loop keeps answering other pages meanwhile.
    pbkdf2('demo-password', config.taskId, config.loginFormIterations, 32, 'sha256', (err) => {
      try {
        if (err) reply(500, html, page('500 Internal Server Error', '#cf222e', '#fff0f0', '<h1>500 Internal Server Error</h1>'));
        else reply(200, html, loginForm());
      } catch (e) {
        fail(res, e);
      }
    });
    return;
  }
  if (path === '/app/health') return reply(200, 'application/json', JSON.stringify({ status: 'UP', version: config.version, taskId: config.taskId }));
  reply(404, html, page('404 Not Found', '#57606a', '#fff', '<h1>404 Not Found</h1>'));
}

/** An unexpected error costs this request a 500, never the task. */
function fail(res: http.ServerResponse, e: unknown): void {
  served++;
  console.error(`request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  try {
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': 21 });
    res.end('Internal Server Error');
  } catch {
    res.destroy();
  }
}

function listen(hostPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      try {
        handle(hostPort, req, res);
      } catch (e) {
        fail(res, e);
      }
    });
    server.keepAliveTimeout = 65_000; // longer than an ALB's 60 s idle timeout, as AWS recommends
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve((server.address() as { port: number }).port);
    });
  });
}

function shutdown(signal: 'SIGTERM' | 'SIGINT'): void {
  if (closing) return;
  closing = true;
  const inFlight = accepted - served;
  console.log(`Received ${signal}: shutting down, no longer accepting connections (${inFlight} request${inFlight === 1 ? '' : 's'} in flight)`);
  let open = servers.length;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    console.log(`Stopped DemoApplication ${config.version} after serving ${served} request${served === 1 ? '' : 's'}`);
    reportCpu(() => process.exit(0));
  };
  // In-flight requests get a moment to finish; idle keep-alive connections close now.
  setTimeout(finish, 1000).unref();
  if (open === 0) finish();
  for (const s of servers) {
    s.close(() => {
      if (--open === 0) finish();
    });
    s.closeIdleConnections();
  }
}

async function main(): Promise<void> {
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // The parent went away (crashed or killed): a container without its agent has no reason to live.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ParentMessage) => {
    if (m && m.type === 'unhealthy') {
      unhealthy = m.on;
      send({ type: 'unhealthy-ack', seq: m.seq, on: m.on });
    }
  });
  console.log(`Starting DemoApplication ${config.version} (image ${config.image}) for task ${config.taskId} on ${config.instanceId} (${config.availabilityZone})`);
  const ports: Record<number, number> = {};
  for (const p of config.ports) {
    if (p.containerPort !== config.containerPort) continue; // nothing listens there, as in a real container
    ports[p.hostPort] = await listen(p.hostPort);
  }
  const seconds = Number(process.hrtime.bigint() - bootedAt) / 1e9;
  console.log(`Started DemoApplication ${config.version} on port ${config.containerPort} (http) in ${seconds.toFixed(3)} seconds`);
  send({ type: 'listening', ports });
  setInterval(() => reportCpu(), config.cpuReportMs).unref();
  reportCpu();
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
