/**
 * The sandbox ALB proxy against Debian nginx as the same reverse proxy, and against no proxy.
 *
 *   npx tsx bench/alb-proxy.bench.ts [--rounds 3] [--n-app 3000] [--n-trivial 20000] [--c 100] [--iterations 15000] [--path P] [--floor]
 *
 * One real demo-app target (src/sandbox/runtime/demo-app.ts, forked as ProcessRuntime does), then
 * `ab -n <n> -c <c> -k` directly to it, through the ALB proxy (in this process) and through nginx
 * (1 worker, upstream keepalive), on the hands-on's path (/app/loginForm: CPU work in the target)
 * and on a trivial one (/: the proxy's own cost dominates). Each proxy runs `--rounds` times per
 * path, alternating which goes first; the medians are compared. Printed per path: requests/s,
 * p50/p99, failures, and the proxy's CPU per request (this process's getrusage for the ALB, the
 * nginx worker's /proc stat), with the ratios ALB/nginx. The hands-on's real load is
 * `-n 100000 -c 100`.
 * `--floor` adds the least a proxy on Node's net sockets can do (startFloor), to show Node's own share.
 * Targets: the ALB's CPU per request within 1.5x of nginx's, its throughput at least nginx's / 1.5,
 * zero failed requests through the proxy; `TARGET MISSED` when one is not met.
 */
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultEc2State } from '../src/sandbox/ec2/defaults';
import { elbv2Service } from '../src/sandbox/elbv2';
import { bump, elbv2Settings, elbv2State } from '../src/sandbox/elbv2/model';
import type { RegionState } from '../src/sandbox/engine/state';
import { AlbProxies } from '../src/sandbox/runtime/alb-proxy';
import type { RequestContext } from '../src/sandbox/service';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const concurrency = Number(opt('c', '100'));
const iterations = Number(opt('iterations', '15000'));
const rounds = Number(opt('rounds', '3'));
const onlyPath = opt('path', '');
const withFloor = args.includes('--floor');
const PATHS: { path: string; n: number; what: string }[] = [
  { path: '/app/loginForm', n: Number(opt('n-app', '3000')), what: "the hands-on's path (CPU work in the target)" },
  { path: '/', n: Number(opt('n-trivial', '20000')), what: "a trivial path (the proxy's own cost dominates)" },
].filter((p) => !onlyPath || p.path === onlyPath);

interface AbResult {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  non2xx: number;
  complete: number;
}

function ab(url: string, n: number): Promise<AbResult> {
  return new Promise((res, rej) =>
    execFile('ab', ['-q', '-k', '-n', String(n), '-c', String(concurrency), url], { maxBuffer: 1 << 24, timeout: 600_000 }, (e, out, err) => {
      if (e && !out) return rej(new Error(`ab failed: ${e.message}\n${err}`));
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
      res({
        rps: num(/Requests per second:\s+([\d.]+)/),
        p50: num(/^\s+50%\s+(\d+)/m),
        p99: num(/^\s+99%\s+(\d+)/m),
        failed: num(/Failed requests:\s+(\d+)/),
        non2xx: Number(/Non-2xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
        complete: num(/Complete requests:\s+(\d+)/),
      });
    }),
  );
}

const freePort = () =>
  new Promise<number>((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
  });

async function startDemo(): Promise<{ proc: ChildProcess; port: number }> {
  const script = resolve(__dirname, '..', 'src', 'sandbox', 'runtime', 'demo-app.ts');
  const config = { taskId: 'bench', ports: [{ containerPort: 8080, hostPort: 80 }], loginFormIterations: iterations, cpuReportMs: 60_000 };
  const proc = fork(script, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((res, rej) => {
    const t = setTimeout(() => rej(new Error('demo app did not start in 20 s')), 20_000);
    proc.on('message', (m: any) => {
      if (m?.type === 'listening') {
        clearTimeout(t);
        res(Number(Object.values(m.ports)[0]));
      }
    });
    proc.on('exit', (c) => rej(new Error(`demo app exited with ${c}`)));
  });
  return { proc, port };
}

async function startAlb(targetPort: number): Promise<{ proxies: AlbProxies; url: string }> {
  const region = 'ap-northeast-1';
  const rs: RegionState = {
    region,
    ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
    ec2: defaultEc2State(region),
    serviceState: {},
  };
  const ctx = { region, accountId: '123456789012', state: rs, now: Date.now(), requestId: 'bench' } as RequestContext;
  const call = (op: string, input: any) => elbv2Service.operations[op](ctx, input) as any;
  const vpcId = Object.keys(rs.ec2.vpcs)[0];
  const sg = Object.values(rs.ec2.securityGroups)[0];
  sg.ipPermissions.push({ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] });
  const lb = call('CreateLoadBalancer', { Name: 'bench-lb', Subnets: Object.keys(rs.ec2.subnets) }).LoadBalancers[0];
  const tg = call('CreateTargetGroup', { Name: 'bench-tg', Protocol: 'HTTP', Port: '80', VpcId: vpcId, TargetType: 'ip' }).TargetGroups[0];
  call('CreateListener', { LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: '80', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] });
  call('RegisterTargets', { TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '172.31.0.10' }] });
  ctx.now += elbv2Settings.provisioningMs;
  call('DescribeLoadBalancers', {});
  const s = elbv2State(rs);
  for (const t of Object.values(s.targetGroups[tg.TargetGroupArn].targets)) t.State = 'healthy';
  bump(s);
  const proxies = new AlbProxies({ regions: () => [rs], resolve: () => `http://127.0.0.1:${targetPort}` });
  await proxies.reconcile();
  return { proxies, url: proxies.endpoints()[0].localUrl.replace(/\/$/, '') };
}

/**
 * `--floor`: the least a reverse proxy on Node's net sockets can do — no parsing beyond finding the
 * head's end and Content-Length, no routing, no validation, no metrics — to show what Node itself
 * costs beside nginx. Not a proxy anyone should run.
 */
async function startFloor(targetPort: number): Promise<{ server: net.Server; url: string }> {
  const CRLF2 = Buffer.from('\r\n\r\n');
  const idle: net.Socket[] = [];
  const upstream = (): net.Socket & { cb?: (b: Buffer) => void; buf?: Buffer; need?: number } => {
    const s = idle.pop();
    if (s) return s;
    const u = net.connect({ port: targetPort, host: '127.0.0.1', noDelay: true }) as net.Socket & { cb?: (b: Buffer) => void; buf?: Buffer; need?: number };
    u.on('data', (d: Buffer) => {
      u.buf = u.buf ? Buffer.concat([u.buf, d]) : d;
      if (u.need === undefined) {
        const e = u.buf.indexOf(CRLF2);
        if (e < 0) return;
        u.need = e + 4 + Number(/\r\ncontent-length:\s*(\d+)/i.exec(u.buf.toString('latin1', 0, e))?.[1] ?? 0);
      }
      if (u.buf.length >= u.need) {
        const out = u.buf.subarray(0, u.need);
        const cb = u.cb!;
        u.buf = undefined;
        u.need = undefined;
        idle.push(u);
        cb(out);
      }
    });
    u.on('error', () => undefined);
    return u;
  };
  const server = net.createServer({ noDelay: true }, (c) => {
    let buf: Buffer | undefined;
    let busy = false;
    const pump = () => {
      if (busy || !buf) return;
      const e = buf.indexOf(CRLF2);
      if (e < 0) return;
      const head = buf.toString('latin1', 0, e);
      buf = buf.length > e + 4 ? buf.subarray(e + 4) : undefined;
      const lines = head.split('\r\n');
      let out = `${lines[0].replace(/HTTP\/1\.0$/, 'HTTP/1.1')}\r\n`;
      for (let i = 1; i < lines.length; i++) if (!/^(connection|keep-alive):/i.test(lines[i])) out += `${lines[i]}\r\n`;
      out += 'X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 80\r\n\r\n';
      busy = true;
      const u = upstream();
      u.cb = (resp) => {
        // ab -k speaks HTTP/1.0 and needs to hear keep-alive; the demo app's responses say it already.
        c.write(resp);
        busy = false;
        pump();
      };
      u.write(out, 'latin1');
    };
    c.on('data', (d: Buffer) => {
      buf = buf ? Buffer.concat([buf, d]) : d;
      pump();
    });
    c.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}

async function startNginx(targetPort: number): Promise<{ proc: ChildProcess; url: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'alb-bench-nginx-'));
  const port = await freePort();
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const conf = `${user}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream target { server 127.0.0.1:${targetPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://target;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Port $server_port;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const proc = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((res) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), res(true)));
      s.on('error', () => res(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, url: `http://127.0.0.1:${port}`, dir };
}

/** CPU seconds (user + system) of a process and its children's threads, from /proc (Linux). */
function procCpuSeconds(pid: number): number {
  const ticks = (p: number) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return Number(rest[11]) + Number(rest[12]);
    } catch {
      return 0;
    }
  };
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    kids = [];
  }
  return (ticks(pid) + kids.reduce((n, k) => n + ticks(k), 0)) / 100;
}

const stop = (p: ChildProcess) =>
  new Promise<void>((res) => {
    if (p.exitCode !== null) return res();
    p.once('exit', () => res());
    p.kill('SIGTERM');
    setTimeout(() => p.kill('SIGKILL'), 5000).unref();
  });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Run extends AbResult {
  cpuUs: number;
}

async function main(): Promise<void> {
  console.log(`ab -c ${concurrency} -k, ${rounds} rounds per proxy and path (demo app, PBKDF2 iterations ${iterations})`);
  const demo = await startDemo();
  const alb = await startAlb(demo.port);
  const nginx = await startNginx(demo.port);
  const floor = withFloor ? await startFloor(demo.port) : undefined;
  type Name = 'alb' | 'nginx' | 'floor';
  const bases: Record<'direct' | Name, string> = { direct: `http://127.0.0.1:${demo.port}`, alb: alb.url, nginx: nginx.url, floor: floor?.url ?? '' };
  const proxies: Name[] = floor ? ['alb', 'nginx', 'floor'] : ['alb', 'nginx'];
  const cpu = (name: Name) => (name === 'nginx' ? procCpuSeconds(nginx.proc.pid!) : (process.cpuUsage().user + process.cpuUsage().system) / 1e6);
  const measure = async (name: Name, url: string, n: number): Promise<Run> => {
    const c0 = cpu(name);
    const r = await ab(url, n);
    return { ...r, cpuUs: ((cpu(name) - c0) / n) * 1e6 };
  };
  const line = (name: string, r: AbResult, cpuUs?: number) =>
    `  ${name.padEnd(7)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   failed ${r.failed}   non-2xx ${r.non2xx}` +
    (cpuUs === undefined ? '' : `   proxy CPU ${cpuUs.toFixed(0).padStart(4)} us/req`);
  const missed: string[] = [];
  try {
    for (const { path, n, what } of PATHS) {
      console.log(`\n${path} — ${what}, -n ${n}`);
      for (const base of Object.values(bases)) if (base) await ab(`${base}${path}`, Math.min(2000, Math.ceil(n / 5)));
      const direct = await ab(`${bases.direct}${path}`, n);
      console.log(line('direct', direct));
      const runs: Record<Name, Run[]> = { alb: [], nginx: [], floor: [] };
      for (let i = 0; i < rounds; i++) {
        const order = i % 2 ? [...proxies].reverse() : proxies;
        for (const name of order) runs[name].push(await measure(name, `${bases[name]}${path}`, n));
      }
      const pick = (name: Name) => {
        const rs = runs[name];
        const m: Run = { ...rs[0], rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpuUs: median(rs.map((r) => r.cpuUs)) };
        m.failed = rs.reduce((x, r) => x + r.failed, 0);
        m.non2xx = rs.reduce((x, r) => x + r.non2xx, 0);
        return m;
      };
      const a = pick('alb');
      const g = pick('nginx');
      console.log(line('alb', a, a.cpuUs) + `   (rounds: ${runs.alb.map((r) => r.cpuUs.toFixed(0)).join(', ')} us)`);
      console.log(line('nginx', g, g.cpuUs) + `   (rounds: ${runs.nginx.map((r) => r.cpuUs.toFixed(0)).join(', ')} us)`);
      if (floor) {
        const f = pick('floor');
        console.log(line('floor', f, f.cpuUs) + `   (rounds: ${runs.floor.map((r) => r.cpuUs.toFixed(0)).join(', ')} us)   floor/nginx CPU ${(f.cpuUs / g.cpuUs).toFixed(2)}x`);
      }
      const cpuRatio = a.cpuUs / g.cpuUs;
      const rpsRatio = a.rps / g.rps;
      console.log(`  ALB/nginx: CPU per request ${cpuRatio.toFixed(2)}x   throughput ${rpsRatio.toFixed(2)}x   p99 ${(a.p99 / Math.max(1, g.p99)).toFixed(2)}x   (ALB/direct throughput ${(a.rps / direct.rps).toFixed(2)}x)`);
      if (cpuRatio > 1.5) missed.push(`${path}: ALB CPU per request ${cpuRatio.toFixed(2)}x nginx's (target <= 1.5x)`);
      if (rpsRatio * 1.5 < 1) missed.push(`${path}: ALB throughput ${rpsRatio.toFixed(2)}x nginx's (target >= 0.67x)`);
      if (a.failed + a.non2xx > 0) missed.push(`${path}: ${a.failed + a.non2xx} failed requests through the ALB`);
    }
  } finally {
    await alb.proxies.close();
    floor?.server.close();
    await stop(nginx.proc);
    await stop(demo.proc);
    rmSync(nginx.dir, { recursive: true, force: true });
  }
  console.log('');
  if (missed.length) for (const m of missed) console.log(`TARGET MISSED: ${m}`);
  else console.log('OK: the ALB within 1.5x of nginx in CPU per request and throughput, no failed requests');
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
