/**
 * No request stops the sandbox: hostile requests on raw sockets against an ALB listener with a
 * redirect default action, a fixed-response rule and a forward rule, in the sandbox CLI's own
 * process (where an uncaught error used to stop the API, every ALB and every task). Each hostile
 * request gets an answer as ALB gives it (400 for a malformed request, a redirect for a strange but
 * valid path) or a closed connection — never a 5xx from a crash — and afterwards the API and the
 * listener still serve.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { EC2Client, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { eventually, startCliSandbox, type CliSandbox } from './helpers/cli-sandbox';

/** The profile the sandbox wrote into its HOME. */
function profileCredentials(home: string): { accessKeyId: string; secretAccessKey: string } {
  const text = readFileSync(join(home, '.aws', 'credentials'), 'utf8');
  const section = text.split(/^\[/m).find((s) => s.startsWith('ecs-handson-sandbox]'))!;
  const value = (k: string) => new RegExp(`^${k}\\s*=\\s*(\\S+)`, 'm').exec(section)![1];
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key') };
}

interface RawAnswer {
  /** Status codes of every response seen on the connection, in order. */
  statuses: number[];
  text: string;
  /** The server closed the connection (or reset it). */
  closed: boolean;
}

/** How many complete responses (head and Content-Length body) `text` holds. */
function completeResponses(text: string): number {
  let n = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) return n;
    const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text.slice(at, end))?.[1] ?? 0);
    if (text.length < end + 4 + len) return n;
    n++;
    at = end + 4 + len;
  }
}

/**
 * Writes `chunks` on a fresh connection and collects what comes back until it closes, `expect`
 * responses are complete, or `waitMs` passes.
 */
function raw(port: number, chunks: (string | Buffer)[], expect = Infinity, waitMs = 1500): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, text, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
    });
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      text += d;
      if (completeResponses(text) >= expect) finish(false);
    });
    s.on('end', () => finish(true));
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
  });
}

describe('ALB listener: hostile requests never stop the sandbox', function () {
  this.timeout(120_000);
  let sb: CliSandbox;
  let elb: ElasticLoadBalancingV2Client;
  let ecs: ECSClient;
  let port = 0;

  before(async () => {
    sb = await startCliSandbox({ timeScale: 50 });
    const config = { endpoint: sb.endpoint, region: 'ap-northeast-1', credentials: profileCredentials(sb.home) };
    const ec2 = new EC2Client(config);
    elb = new ElasticLoadBalancingV2Client(config);
    ecs = new ECSClient(config);
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    const vpcId = subnets[0].VpcId!;
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lb-sg', Description: 'ALB', VpcId: vpcId }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0];
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'hostile-lb', Subnets: subnets.map((s) => s.SubnetId!), SecurityGroups: [sg.GroupId!] }))).LoadBalancers![0];
    const listener = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'redirect', RedirectConfig: { Path: '/app/#{path}', Query: '#{query}', StatusCode: 'HTTP_302' } }],
        }),
      )
    ).Listeners![0];
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listener.ListenerArn,
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', Values: ['/ping'] }],
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'pong' } }],
      }),
    );
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listener.ListenerArn,
        Priority: 2,
        Conditions: [{ Field: 'path-pattern', Values: ['/app/*'] }],
        Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
      }),
    );
    await eventually('the load balancer active', async () => (await elb.send(new DescribeLoadBalancersCommand({ Names: ['hostile-lb'] }))).LoadBalancers![0].State?.Code === 'active');
    const lbs = await eventually('the listener served', async () => (await sb.admin('/_sandbox/load-balancers')).loadBalancers?.[0]);
    port = lbs.realPort;
    ec2.destroy();
  });
  after(async () => {
    elb?.destroy();
    ecs?.destroy();
    if (sb) await sb.stop();
  });

  const alive = async () => {
    assert.equal(sb.proc.exitCode, null, `the sandbox process exited:\n${sb.output().slice(-2000)}`);
    const ping = await raw(port, ['GET /ping HTTP/1.1\r\nHost: lb\r\n\r\n'], 1);
    assert.deepEqual(ping.statuses, [200], `the listener still answers: ${ping.text.slice(0, 200)}`);
    assert.ok((await ecs.send(new ListClustersCommand({}))).clusterArns, 'the API still answers');
  };

  it('serves the rules before anything hostile', async () => {
    const r = await raw(port, ['GET /x?y=1 HTTP/1.1\r\nHost: lb\r\n\r\n'], 1);
    assert.deepEqual(r.statuses, [302]);
    assert.match(r.text, new RegExp(`\\r\\nLocation: http://lb:${port}/app/x\\?y=1\\r\\n`, 'i'));
    assert.deepEqual((await raw(port, ['GET /app/ HTTP/1.1\r\nHost: lb\r\n\r\n'], 1)).statuses, [503], 'forward to an empty target group');
    await alive();
  });

  it("a path of '//' is redirected, not a crash", async () => {
    const r = await raw(port, ['GET // HTTP/1.1\r\nHost: lb\r\n\r\n'], 1);
    assert.deepEqual(r.statuses, [302], r.text);
    assert.match(r.text, new RegExp(`\\r\\nLocation: http://lb:${port}/app//\\r\\n`, 'i'));
    const r2 = await raw(port, ['GET //evil.example/x?a=b HTTP/1.1\r\nHost: lb\r\n\r\n'], 1);
    assert.deepEqual(r2.statuses, [302], r2.text);
    assert.match(r2.text, new RegExp(`\\r\\nLocation: http://lb:${port}/app//evil.example/x\\?a=b\\r\\n`, 'i'), 'the path stays a path');
    await alive();
  });

  it('a Host header that is not a host name gets 400, as ALB answers it', async () => {
    for (const host of ['a b', '[', 'lb/x', 'x\x01y', '[::1', 'lb:99999x']) {
      const r = await raw(port, [`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`], 1);
      assert.deepEqual(r.statuses, [400], `Host ${JSON.stringify(host)}: ${r.text.slice(0, 120)}`);
    }
    await alive();
  });

  it('malformed requests get 400 or a closed connection, never a 5xx', async () => {
    const hostile: (string | Buffer)[][] = [
      ['GET http://evil.example/x HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['GET * HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['GET evil.example:80 HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['FOO / HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['G\x00T / HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['GET / HTTP/9.9\r\nHost: lb\r\n\r\n'],
      ['GET /\r\n\r\n'],
      ['GET / HTTP/1.1\r\nHost: lb\r\nX-Big: ' + 'a'.repeat(80 * 1024) + '\r\n\r\n'],
      ['GET /' + 'a'.repeat(70 * 1024) + ' HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['GET / HTTP/1.1\r\nHost: lb\r\n' + 'X-H: 1\r\n'.repeat(5000) + '\r\n'],
      ['GET / HTTP/1.1\r\nHost: lb\r\nHost: other\r\n\r\n'],
      ['GET / HTTP/1.1\r\n\r\n'],
      ['POST /ping HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      ['POST /ping HTTP/1.1\r\nHost: lb\r\nContent-Length: -1\r\n\r\n'],
      ['POST /ping HTTP/1.1\r\nHost: lb\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
      ['POST /ping HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
      ['GET / HTTP/1.1\r\nHost: lb\r\n Folded: header\r\n\r\n'],
      ['GET / HTTP/1.1\r\nHost: lb\r\nBad Header: x\r\n\r\n'],
      ['GET /%zz%00%ff HTTP/1.1\r\nHost: lb\r\n\r\n'],
      ['GET /ping HTTP/1.1\r\nHost: lb\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage after a valid request\r\n\r\n'],
      [Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03])],
      [Buffer.alloc(4096, 0xff)],
    ];
    for (const chunks of hostile) {
      const r = await raw(port, chunks, 1);
      const label = JSON.stringify(String(chunks[0]).slice(0, 60));
      assert.ok(r.statuses.every((s) => s < 500), `${label}: no 5xx (${r.statuses})`);
      assert.ok(r.statuses.length > 0 || r.closed, `${label}: answered or closed`);
    }
    // A valid request followed by garbage: the valid one is served first.
    const piped = await raw(port, ['GET /ping HTTP/1.1\r\nHost: lb\r\n\r\nNOT HTTP AT ALL\r\n\r\n'], 2);
    assert.deepEqual(piped.statuses, [200, 400], piped.text);
    await alive();
  });

  it('many connections opened and dropped mid-request leave it serving', async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        new Promise<void>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => {
            s.write(i % 2 ? 'GET /app/ HTTP/1.1\r\nHost: lb\r\n' : 'POST /app/ HTTP/1.1\r\nHost: lb\r\nContent-Length: 100\r\n\r\nabc');
            setTimeout(() => {
              s.destroy();
              resolve();
            }, 20);
          });
          s.on('error', () => resolve());
        }),
      ),
    );
    await alive();
  });
});
