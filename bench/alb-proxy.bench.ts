/**
 * The sandbox ALB proxy against Debian nginx as the same reverse proxy, and against no proxy.
 *
 *   npx tsx bench/alb-proxy.bench.ts [requests=20000] [--c 100] [--path /app/loginForm] [--iterations 15000]
 *
 * One real demo-app target (src/sandbox/runtime/demo-app.ts, forked as ProcessRuntime does), then
 * `ab -n <requests> -c <c> -k` directly to it, through the ALB proxy (in this process) and through
 * nginx (1 worker, upstream keepalive) — printing requests/s, p50/p99 and failures for each, and the
 * ratios ALB/nginx and ALB/direct. The hands-on's real load is `-n 100000 -c 100`.
 * Target: ALB throughput within 1.5x of nginx's, zero failed requests caused by the proxy.
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
const requests = Number(args.find((a) => /^\d+$/.test(a)) ?? 20000);
const concurrency = Number(opt('c', '100'));
const path = opt('path', '/app/loginForm');
const iterations = Number(opt('iterations', '15000'));

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
    ext: {},
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

async function main(): Promise<void> {
  console.log(`ab -n ${requests} -c ${concurrency} -k <base>${path}   (demo app, PBKDF2 iterations ${iterations})`);
  const demo = await startDemo();
  const alb = await startAlb(demo.port);
  const nginx = await startNginx(demo.port);
  const results: Record<string, AbResult> = {};
  try {
    const warm = Math.min(2000, Math.ceil(requests / 10));
    for (const [name, base] of [['direct', `http://127.0.0.1:${demo.port}`], ['alb', alb.url], ['nginx', nginx.url]] as const) {
      await ab(`${base}${path}`, warm);
      const cpu = () => (name === 'alb' ? (process.cpuUsage().user + process.cpuUsage().system) / 1e6 : name === 'nginx' ? procCpuSeconds(nginx.proc.pid!) : 0);
      const c0 = cpu();
      results[name] = await ab(`${base}${path}`, requests);
      const proxyUs = ((cpu() - c0) / requests) * 1e6;
      const r = results[name];
      console.log(
        `${name.padEnd(7)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   complete ${r.complete}   failed ${r.failed}   non-2xx ${r.non2xx}` +
          (name === 'direct' ? '' : `   proxy CPU ${proxyUs.toFixed(0)} us/req`),
      );
    }
  } finally {
    await alb.proxies.close();
    await stop(nginx.proc);
    await stop(demo.proc);
    rmSync(nginx.dir, { recursive: true, force: true });
  }
  const { alb: a, nginx: n, direct: d } = results;
  console.log(`ALB/nginx throughput ${(a.rps / n.rps).toFixed(2)}   ALB/direct ${(a.rps / d.rps).toFixed(2)}   nginx/direct ${(n.rps / d.rps).toFixed(2)}`);
  console.log(`ALB/nginx p99 ${(a.p99 / Math.max(1, n.p99)).toFixed(2)}`);
  const proxyFailures = a.failed + a.non2xx;
  const ok = proxyFailures === 0 && a.rps * 1.5 >= n.rps;
  console.log(ok ? 'OK: within 1.5x of nginx, no failed requests through the ALB' : `NOT OK: ALB failures ${proxyFailures}, ALB/nginx ${(a.rps / n.rps).toFixed(2)}`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
