import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeRouteTablesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock } from '../../../src/sandbox/engine/clock';
import { startSandbox } from '../../../src/sandbox/server';
import { FakeRuntime } from '../helpers/fake-runtime';
import {
  StateStore,
  StateWriteError,
  acquireLock,
  fsStateWriter,
  type StateWriter,
  loadWorld,
  lockFileFor,
  newWorld,
  readLock,
  releaseLock,
  writeFileAtomic,
  worldProblem,
} from '../../../src/sandbox/store';

describe('sandbox store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('new worlds get AWS-shaped credentials and version 1', () => {
    const w = newWorld(1000);
    assert.match(w.credentials.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.match(w.credentials.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
    assert.notEqual(newWorld(1).credentials.secretAccessKey, w.credentials.secretAccessKey);
    assert.equal(w.accountId, '123456789012');
    assert.equal(worldProblem(w), undefined);
  });

  it('round-trips a world through StateStore and loadWorld', async () => {
    const file = path.join(dir, 'sub', 'state.json');
    const w = newWorld(5);
    w.regions['us-east-1'] = {
      region: 'us-east-1',
      ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, containerInstances: {}, tags: {} },
      ec2: { vpcs: {}, subnets: {}, securityGroups: {}, launchTemplates: {}, instances: {}, internetGateways: {}, routeTables: {}, keyPairs: {} },
      serviceState: { x: { list: [1, 'ü'] } },
    };
    const store = new StateStore(file, () => w, () => 42, () => {});
    await store.flush();
    assert.deepEqual(loadWorld(file).world, { ...w, savedAt: 42 });
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
  });

  it('saveIfChanged writes only when the state changed', async () => {
    const file = path.join(dir, 'state.json');
    const w = newWorld(5);
    const store = new StateStore(file, () => w, () => 7, () => {});
    await store.saveIfChanged();
    const m1 = fs.statSync(file).mtimeMs;
    fs.writeFileSync(file, 'sentinel');
    await store.saveIfChanged();
    assert.equal(fs.readFileSync(file, 'utf8'), 'sentinel', 'unchanged state -> no write');
    w.regions.r = {} as any;
    await store.saveIfChanged();
    assert.ok(JSON.parse(fs.readFileSync(file, 'utf8')).regions.r);
    void m1;
  });

  it('commit: concurrent commits share one write, and each resolves only once a snapshot taken after it is on disk', async () => {
    const file = path.join(dir, 'state.json');
    const w = newWorld(5);
    const prepared: string[] = [];
    let releaseFirst: (() => void) | undefined;
    const writer: StateWriter = {
      async prepare(f, data) {
        prepared.push(data);
        if (prepared.length === 1) await new Promise<void>((r) => (releaseFirst = r)); // a slow fsync
        return fsStateWriter.prepare(f, data);
      },
      async publish(tmp, f) {
        await fsStateWriter.publish(tmp, f);
      },
    };
    const store = new StateStore(file, () => w, () => 7, () => {}, writer);
    const until = async (what: string, cond: () => boolean) => {
      for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
      assert.ok(cond(), what);
    };
    w.regions.a = {} as any;
    let firstDone = false;
    const first = store.commit().then(() => (firstDone = true));
    await until('the first write started', () => prepared.length === 1);
    // 50 changes while the first write is under way: none is in it, all are in one next write.
    let laterDone = 0;
    const later = Array.from({ length: 50 }, (_, i) => {
      w.regions[`r${i}`] = {} as any;
      return store.commit().then(() => laterDone++);
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(firstDone, false);
    assert.equal(laterDone, 0);
    releaseFirst!();
    await first;
    assert.equal(laterDone, 0, 'the later commits wait for a snapshot taken after them');
    await Promise.all(later);
    assert.equal(prepared.length, 2, 'one write for the 50 waiting commits');
    assert.ok(!JSON.parse(prepared[0]).regions.r0, 'the first snapshot was taken before the later changes');
    assert.ok(JSON.parse(prepared[1]).regions.r49);
    assert.ok(JSON.parse(fs.readFileSync(file, 'utf8')).regions.r49, 'the newest snapshot is the one on disk');
  });

  it('commit: a failed write rejects every waiting commit with the file named, sets failure, and the next good write clears it', async () => {
    const file = path.join(dir, 'state.json');
    const w = newWorld(5);
    let fail = true;
    const logs: string[] = [];
    const writer: StateWriter = {
      ...fsStateWriter,
      async prepare(f, data) {
        if (fail) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return fsStateWriter.prepare(f, data);
      },
    };
    const store = new StateStore(file, () => w, () => 7, (m) => logs.push(m), writer);
    const results = await Promise.allSettled([store.commit(), store.commit(), store.commit()]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const e = r.reason;
      assert.ok(e instanceof StateWriteError);
      assert.equal(e.message, `The sandbox cannot write its state file ${file}: ENOSPC: no space left on device, write`);
    }
    assert.ok(store.failure);
    assert.equal(logs.length, 1, 'logged once, not per request');
    await store.saveIfChanged(); // the periodic save does not reject
    fail = false;
    await store.commit();
    assert.equal(store.failure, undefined);
    assert.ok(fs.existsSync(file));
    assert.match(logs.at(-1)!, /written again/);
  });

  it('missing file -> no world, nothing moved', () => {
    assert.deepEqual(loadWorld(path.join(dir, 'none.json')), {});
  });

  for (const [what, content] of [
    ['truncated JSON', '{"version":1,"accountId":"1234'],
    ['random bytes', '\u0000\u0001garbage'],
    ['a newer version', JSON.stringify({ ...newWorld(1), version: 2 })],
    ['missing credentials', JSON.stringify({ ...newWorld(1), credentials: undefined })],
    ['an array', '[]'],
  ] as const) {
    it(`${what} -> moved aside to <file>.corrupt-<timestamp> with a clear message`, () => {
      const file = path.join(dir, 'state.json');
      fs.writeFileSync(file, content);
      const logs: string[] = [];
      const r = loadWorld(file, (m) => logs.push(m));
      assert.equal(r.world, undefined);
      assert.ok(r.movedTo && path.basename(r.movedTo).startsWith('state.json.corrupt-'), r.movedTo);
      assert.equal(fs.readFileSync(r.movedTo, 'utf8'), content, 'kept byte for byte');
      assert.ok(!fs.existsSync(file));
      assert.equal(logs.length, 1);
      assert.ok(logs[0].includes(file) && logs[0].includes(r.movedTo), logs[0]);
    });
  }

  // Files that parse, with a valid header, but are broken inside: each used to make every start
  // fail with a TypeError (the engine's restore) and stay in place.
  const region = () => ({
    region: 'ap-northeast-1',
    ecs: { clusters: {}, taskDefinitions: {}, services: {}, tasks: {} as Record<string, unknown>, containerInstances: {}, tags: {} },
    ec2: { vpcs: {}, subnets: {}, securityGroups: {}, launchTemplates: {}, instances: {}, internetGateways: {}, routeTables: {}, keyPairs: {} },
    serviceState: {},
  });
  const broken: [string, () => unknown, string][] = [
    ['a region that is a number', () => ({ ...newWorld(1), regions: { 'ap-northeast-1': 42 } }), 'regions.ap-northeast-1: expected Object, got 42'],
    ['tasks a string', () => ({ ...newWorld(1), regions: { 'ap-northeast-1': { ...region(), ecs: { ...region().ecs, tasks: 'oops' } } } }), 'regions.ap-northeast-1.ecs.tasks: expected Object, got "oops"'],
    ['a null task', () => ({ ...newWorld(1), regions: { 'ap-northeast-1': { ...region(), ecs: { ...region().ecs, tasks: { t1: null } } } } }), 'regions.ap-northeast-1.ecs.tasks.t1: expected Object, got null'],
    ['a task without containers', () => {
      const r = region();
      r.ecs.tasks.t1 = { taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/c/t1', lastStatus: 'RUNNING' };
      return { ...newWorld(1), regions: { 'ap-northeast-1': r } };
    }, 'regions.ap-northeast-1.ecs.tasks.t1.clusterArn: missing'],
    ['a log event that is not an event', () => {
      const r = region() as ReturnType<typeof region> & { serviceState: Record<string, unknown> };
      const stream = { logStreamName: 's', creationTime: 1, events: [[1, 1, 1, 'ok'], 'GET /app/ 200'] };
      r.serviceState.logs = { groups: { '/ecs/demo': { logGroupName: '/ecs/demo', creationTime: 1, logGroupClass: 'STANDARD', tags: {}, streams: { s: stream }, seq: 1, count: 1, bytes: 2 } } };
      return { ...newWorld(1), regions: { 'ap-northeast-1': r } };
    }, 'regions.ap-northeast-1.serviceState.logs.groups./ecs/demo.streams.s.events.1: expected Array, got "GET /app/ 200"'],
    ['a route table whose routes are a string', () => ({
      ...newWorld(1),
      regions: { 'ap-northeast-1': { ...region(), ec2: { ...region().ec2, routeTables: { 'rtb-1': { routeTableId: 'rtb-1', vpcId: 'vpc-1', routes: 'local', associations: [], tags: [] } } } } },
    }), 'regions.ap-northeast-1.ec2.routeTables.rtb-1.routes: expected Array, got "local"'],
    ['a key pair of an unknown type', () => ({
      ...newWorld(1),
      regions: { 'ap-northeast-1': { ...region(), ec2: { ...region().ec2, keyPairs: { 'key-1': { keyPairId: 'key-1', keyName: 'k', keyType: 'dsa', keyFingerprint: 'f', publicKey: 'p', createTime: 1, tags: [] } } } } },
    }), 'regions.ap-northeast-1.ec2.keyPairs.key-1.keyType: expected ("rsa" | "ed25519"), got "dsa"'],
    ['an IAM role that is a string', () => ({ ...newWorld(1), iam: { roles: { ecsinstancerole: 'oops' }, instanceProfiles: {} } }), 'iam.roles.ecsinstancerole: expected Object, got "oops"'],
    ['an instance profile whose roles are not a list', () => ({
      ...newWorld(1),
      iam: { roles: {}, instanceProfiles: { p: { InstanceProfileName: 'p', InstanceProfileId: 'AIPAX', Arn: 'arn', Path: '/', CreateDate: 1, Tags: [], Roles: 'ecsInstanceRole' } } },
    }), 'iam.instanceProfiles.p.Roles: expected Array, got "ecsInstanceRole"'],
  ];
  for (const [what, make, path_] of broken) {
    it(`${what} -> the file is moved aside with the path of the bad member, and the sandbox starts fresh`, async () => {
      const file = path.join(dir, 'state.json');
      const content = JSON.stringify(make());
      fs.writeFileSync(file, content);
      const logs: string[] = [];
      const sb = await startSandbox({ port: 0, stateFile: file, runtime: new FakeRuntime(), services: [], clock: new ManualClock(), log: (m) => logs.push(m), tickMs: 60_000 });
      try {
        assert.deepEqual(Object.keys(sb.world.regions), [], 'a fresh world');
        const moved = fs.readdirSync(dir).find((f) => f.startsWith('state.json.corrupt-'));
        assert.ok(moved, fs.readdirSync(dir).join(', '));
        assert.equal(fs.readFileSync(path.join(dir, moved), 'utf8'), content, 'kept byte for byte');
        const msg = logs.find((m) => m.includes('cannot be used'));
        assert.ok(msg?.includes(`its content is malformed at ${path_}`), `${msg}`);
        assert.ok(msg?.includes(path.join(dir, moved)), msg);
      } finally {
        await sb.close();
      }
    });
  }

  it('a state file saved before `ext` was renamed `serviceState` loads whole (load balancer, alarm), the default VPC gains its internet gateway and main route table, and it is saved in the new shape', async () => {
    // Written by the sandbox of commit 74a7b57: a cluster, app-demo-lb and the alarm cpu-high, ELBv2's
    // and CloudWatch's state under each region's `ext`.
    const file = path.join(dir, 'state.json');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'state-before-service-state.json'), file);
    const logs: string[] = [];
    const sb = await startSandbox({ port: 0, stateFile: file, runtime: new FakeRuntime(), clock: new ManualClock(), log: (m) => logs.push(m), tickMs: 60_000 });
    const config = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    const elb = new ElasticLoadBalancingV2Client(config);
    const cw = new CloudWatchClient(config);
    const ec2 = new EC2Client(config);
    try {
      assert.deepEqual(fs.readdirSync(dir), ['state.json'], 'nothing moved aside');
      assert.deepEqual((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.map((l) => l.LoadBalancerName), ['app-demo-lb']);
      assert.deepEqual((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms!.map((a) => a.AlarmName), ['cpu-high']);
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      const region = saved.regions['ap-northeast-1'];
      assert.deepEqual(Object.keys(region.serviceState).sort(), ['cloudwatch', 'elbv2']);
      assert.equal(region.ext, undefined);
      // Saved before internet gateways and route tables were kept: the default VPC gets its own, as a new account has them.
      const vpcId = Object.keys(region.ec2.vpcs)[0];
      const igws = Object.values<{ internetGatewayId: string; attachments: unknown }>(region.ec2.internetGateways);
      assert.deepEqual(igws.map((g) => g.attachments), [[{ vpcId }]]);
      const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }))).RouteTables!;
      assert.deepEqual(tables.map((t) => [t.VpcId, t.Routes!.map((r) => `${r.DestinationCidrBlock}>${r.GatewayId}:${r.State}`)]), [
        [vpcId, ['172.31.0.0/16>local:active', `0.0.0.0/0>${igws[0].internetGatewayId}:active`]],
      ]);
      assert.deepEqual(region.ec2.keyPairs, {});
      assert.deepEqual(logs, []);
    } finally {
      elb.destroy();
      cw.destroy();
      ec2.destroy();
      await sb.close();
    }
  });

  it('two corrupt loads in a row keep both files', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, 'a');
    const a = loadWorld(file, () => {}).movedTo;
    fs.writeFileSync(file, 'b');
    const b = loadWorld(file, () => {}).movedTo;
    assert.notEqual(a, b);
    assert.equal(fs.readFileSync(a!, 'utf8'), 'a');
    assert.equal(fs.readFileSync(b!, 'utf8'), 'b');
  });

  it('atomic writes: a process killed while writing leaves the old file whole, never a partial one', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'state.json');
    const old = JSON.stringify({ old: 'x'.repeat(1000) });
    fs.writeFileSync(file, old);
    // A child writes a big file over and over; we kill it at some point mid-write.
    const script = path.join(dir, 'writer.ts');
    fs.writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(path.resolve('src/sandbox/store.ts'))};\n` +
        `(async () => { process.send!('go'); for (;;) await writeFileAtomic(${JSON.stringify(file)}, 'B'.repeat(8 * 1024 * 1024)); })();\n`,
    );
    for (let round = 0; round < 3; round++) {
      const child = fork(script, { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
      await new Promise((r) => child.once('message', r));
      await new Promise((r) => setTimeout(r, 150 + round * 100));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text === old || text === 'B'.repeat(8 * 1024 * 1024), `file is whole (length ${text.length})`);
    }
    // The killed writers' temp files are cleaned up by the next load.
    loadWorld(file, () => {});
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
    await writeFileAtomic(file, 'final');
    assert.equal(fs.readFileSync(file, 'utf8'), 'final');
  });

  it('lock: exclusive while the holder lives, taken over from a dead pid, released by its owner', () => {
    const lock = lockFileFor(path.join(dir, 'state.json'));
    assert.deepEqual(acquireLock(lock, { pid: process.pid, endpoint: 'http://127.0.0.1:1' }), { ok: true });
    // Another live process (our parent) holds it:
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, endpoint: 'http://127.0.0.1:2' }));
    const held = acquireLock(lock, { pid: process.pid });
    assert.equal(held.ok, false);
    assert.equal((held as any).holder.endpoint, 'http://127.0.0.1:2');
    // A dead pid's lock is stale:
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345 }));
    assert.deepEqual(acquireLock(lock, { pid: process.pid }), { ok: true });
    assert.equal(readLock(lock)?.pid, process.pid);
    releaseLock(lock);
    assert.ok(!fs.existsSync(lock));
  });
});
