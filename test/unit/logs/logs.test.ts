/**
 * CloudWatch Logs in the sandbox, below the API: the awslogs driver with the engine (a manual
 * clock, a FakeRuntime whose tasks print lines), the filter patterns, the paging tokens, the
 * per-group cap and the cutting of long lines. The API itself is tested through the SDK
 * (test/integration/logs-sdk.test.ts), the driver with real processes in logs-awslogs.test.ts.
 */
import { strict as assert } from 'node:assert';
import type { EngineHooks } from '../../../src/sandbox/engine/context';
import { lastSegment } from '../../../src/sandbox/engine/ids';
import type { Task } from '../../../src/sandbox/engine/state';
import { splitLine } from '../../../src/sandbox/logs/awslogs';
import { matchesPattern, parseFilterPattern } from '../../../src/sandbox/logs/filter-pattern';
import { createGroup } from '../../../src/sandbox/logs/groups';
import { existingLogsState, logsState, MAX_EVENTS_PER_GROUP, type LogGroupState } from '../../../src/sandbox/logs/model';
import { logsPlugin } from '../../../src/sandbox/logs/plugin';
import { addStream, appendEvents, decodeToken, encodeToken, utf8Bytes } from '../../../src/sandbox/logs/store';
import { assemblePlugins, type Plugins } from '../../../src/sandbox/plugin';
import { Harness } from '../engine/harness';

const NOT_FOUND =
  'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.';

/** A Harness whose engine follows the logs plug-in's hooks. */
function withLogs(): { h: Harness; plugins: () => Plugins; restart: () => void } {
  let hooks: EngineHooks = {};
  const h = new Harness({ hooks: { beforeTaskLaunch: (...a) => hooks.beforeTaskLaunch?.(...a) } });
  let plugins!: Plugins;
  const assemble = () => {
    plugins = assemblePlugins([logsPlugin], { world: h.world, clock: h.clock, runtime: h.runtime, log: () => undefined });
    plugins.attach(h.engine);
    hooks = plugins.hooks!;
  };
  assemble();
  h.cluster();
  h.instances(1);
  return {
    h,
    plugins: () => plugins,
    // A new plug-in over the same world (what a sandbox restart gives): it knows no route yet.
    restart: () => {
      void plugins.shutdown();
      assemble();
    },
  };
}

function runOne(h: Harness, family: string): Task {
  const td = h.rs.ecs.taskDefinitions[family].at(-1)!;
  const task = h.engine.runTasks(h.rs, 'demo-cluster', td, 1, {}).tasks[0];
  h.until(() => task.lastStatus === 'RUNNING' || task.lastStatus === 'STOPPED');
  return task;
}

const awslogs = (options: Record<string, string>) => ({ extra: { logConfiguration: { logDriver: 'awslogs', options } } });
const messages = (g: LogGroupState | undefined, stream: string) => g?.streams[stream]?.events.map((e) => e[3]);

describe('awslogs log driver (engine + FakeRuntime)', () => {
  it('creates the group (awslogs-create-group) and the stream <prefix>/<container>/<task id> at the start, and ships each line on the sandbox clock', () => {
    const { h } = withLogs();
    h.taskDefinition('web', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' }));
    const task = runOne(h, 'web');
    assert.equal(task.lastStatus, 'RUNNING');
    const stream = `ecs/app/${lastSegment(task.taskArn)}`;
    const g = logsState(h.rs).groups['/ecs/web'];
    assert.deepEqual(Object.keys(g.streams), [stream]);
    const at = h.clock.now();
    h.runtime.print(lastSegment(task.taskArn), 'Started DemoApplication ver1.0 on port 8080 (http)', '', 'GET /app/ 200');
    assert.deepEqual(messages(g, stream), ['Started DemoApplication ver1.0 on port 8080 (http)', 'GET /app/ 200'], 'an empty line is not an event');
    assert.deepEqual(g.streams[stream].events.map((e) => [e[0], e[2]]), [[at, at], [at, at]]);
    assert.deepEqual(g.streams[stream].events.map((e) => e[1]), [1, 2]);
  });

  it('fails the task as ECS does when the group is missing and may not be created; Docker-refused options fail it too', () => {
    const { h } = withLogs();
    h.taskDefinition('nogroup', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': '/ecs/none', 'awslogs-stream-prefix': 'ecs' }));
    const task = runOne(h, 'nogroup');
    assert.equal(task.lastStatus, 'STOPPED');
    assert.equal(task.stopCode, 'TaskFailedToStart');
    assert.equal(task.stoppedReason, NOT_FOUND);
    assert.equal(task.containers[0].reason, NOT_FOUND);
    assert.equal(h.runtime.starts.length, 0, 'the container never started');
    assert.equal(existingLogsState(h.rs), undefined, 'nothing created');

    h.taskDefinition('nooption', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-stream-prefix': 'ecs' }));
    assert.equal(runOne(h, 'nooption').stoppedReason, "CannotCreateContainerError: Error response from daemon: must specify a value for log opt 'awslogs-group'");
    h.taskDefinition('badbool', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': 'g', 'awslogs-create-group': 'yes' }));
    assert.equal(
      runOne(h, 'badbool').stoppedReason,
      `CannotCreateContainerError: Error response from daemon: must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing "yes": invalid syntax`,
    );
    h.taskDefinition('badname', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': 'bad name', 'awslogs-create-group': 'true' }));
    assert.match(runOne(h, 'badname').stoppedReason!, /^CannotStartContainerError: .*failed to create Cloudwatch log stream: InvalidParameterException: 1 validation error detected: Value 'bad name' at 'logGroupName'/);
  });

  it('names the stream after awslogs-stream, else the container id; writes to awslogs-region', () => {
    const { h } = withLogs();
    createGroup(h.rs, 'g', h.clock.now());
    h.taskDefinition('named', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': 'g', 'awslogs-stream': 'fixed' }));
    h.taskDefinition('plain', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': 'g' }));
    h.taskDefinition('elsewhere', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': 'far', 'awslogs-region': 'us-west-2', 'awslogs-create-group': 'true', 'awslogs-stream-prefix': 'p' }));
    runOne(h, 'named');
    runOne(h, 'plain');
    const far = runOne(h, 'elsewhere');
    const names = Object.keys(logsState(h.rs).groups.g.streams);
    assert.equal(names.length, 2);
    assert.ok(names.includes('fixed'), names.join());
    assert.match(names.find((n) => n !== 'fixed')!, /^[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(logsState(h.world.regions['us-west-2']).groups.far.streams), [`p/app/${lastSegment(far.taskArn)}`]);
  });

  it('after a restart finds the route of a running task again; recreates a deleted stream; drops the lines of a deleted group', () => {
    const { h, restart } = withLogs();
    h.taskDefinition('web', 'uzresk/demo:ver1.0', 0, awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' }));
    const task = runOne(h, 'web');
    const id = lastSegment(task.taskArn);
    const stream = `ecs/app/${id}`;
    restart();
    h.runtime.print(id, 'after restart');
    const groups = logsState(h.rs).groups;
    assert.deepEqual(messages(groups['/ecs/web'], stream), ['after restart']);
    delete groups['/ecs/web'].streams[stream];
    h.runtime.print(id, 'into a new stream');
    assert.deepEqual(messages(groups['/ecs/web'], stream), ['into a new stream']);
    delete groups['/ecs/web'];
    assert.doesNotThrow(() => h.runtime.print(id, 'lost'));
    assert.equal(groups['/ecs/web'], undefined, 'not created again');
  });
});

describe('filter patterns', () => {
  const match = (pattern: string, message: string) => matchesPattern(parseFilterPattern(pattern), message);
  it('terms (all), "phrases", ?terms (any), -terms (none); case-sensitive substrings', () => {
    assert.ok(match('', 'anything'));
    assert.ok(match('""', 'anything'));
    assert.ok(match('ERROR', 'x ERRORS y'));
    assert.ok(!match('ERROR', 'error'));
    assert.ok(match('GET 500', 'GET /x 500'));
    assert.ok(!match('GET 500', 'GET /x 200'));
    assert.ok(match('"GET /x"', 'a GET /x b'));
    assert.ok(!match('"GET /x"', 'GET  /x'));
    assert.ok(match('?WARN ?ERROR', 'ERROR'));
    assert.ok(!match('?WARN ?ERROR', 'INFO'));
    assert.ok(match('GET -"/health"', 'GET /app'));
    assert.ok(!match('GET -"/health"', 'GET /health'));
    assert.ok(match('-DEBUG', 'INFO x'));
    assert.ok(match('"say \\"hi\\""', 'they say "hi"'));
    assert.ok(match('ログ', 'エラーのログ'));
  });
  it('refuses JSON, space-delimited and regex patterns, unquoted punctuation and unclosed quotes with InvalidParameterException', () => {
    for (const [p, re] of [
      ['{ $.level = "ERROR" }', /^JSON filter patterns/],
      ['[ip, user, ...]', /^Space-delimited filter patterns/],
      ['%ERR(OR)?%', /^Regular expression filter patterns/],
      ['status=500', /^Invalid character\(s\) in term 'status=500'/],
      ['"open', /not closed/],
      ['?', /must be followed by a term/],
    ] as const) {
      assert.throws(() => parseFilterPattern(p), (e: Error & { code?: string }) => e.code === 'InvalidParameterException' && re.test(e.message), p);
    }
  });
});

describe('log event store', () => {
  const group = (): LogGroupState => ({ logGroupName: 'g', creationTime: 0, logGroupClass: 'STANDARD', tags: {}, streams: {}, seq: 0, count: 0, bytes: 0 });

  it('tokens: f/ or b/ and 56 digits, round-trip, and a changed digit is refused', () => {
    const t = encodeToken('f', { t: 1767225600123, s: 42 });
    assert.match(t, /^f\/\d{56}$/);
    assert.deepEqual(decodeToken(t), { dir: 'f', gap: { t: 1767225600123, s: 42 } });
    assert.deepEqual(decodeToken(encodeToken('b', { t: 5, s: -1 })), { dir: 'b', gap: { t: 5, s: -1 } });
    const tampered = `${t.slice(0, 10)}${t[10] === '9' ? '8' : '9'}${t.slice(11)}`;
    assert.equal(decodeToken(tampered), undefined);
    assert.equal(decodeToken('f/1'), undefined);
  });

  it('keeps a group under its cap by dropping its oldest events across streams, and counts their bytes', () => {
    const g = group();
    const a = addStream(g, 'a', 0);
    const b = addStream(g, 'b', 0);
    // a holds the even timestamps, b the odd ones; b gets a late, old event too.
    appendEvents(g, a, Array.from({ length: MAX_EVENTS_PER_GROUP / 2 }, (_, i) => ({ timestamp: 1000 + 2 * i, message: `a${i}` })), 1);
    appendEvents(g, b, Array.from({ length: MAX_EVENTS_PER_GROUP / 2 }, (_, i) => ({ timestamp: 1001 + 2 * i, message: `b${i}` })), 1);
    assert.equal(g.count, MAX_EVENTS_PER_GROUP);
    appendEvents(g, b, [{ timestamp: 5, message: 'late' }], 2);
    assert.equal(g.count, MAX_EVENTS_PER_GROUP * 0.9);
    const kept = [...a.events, ...b.events].sort((x, y) => x[0] - y[0]);
    assert.equal(kept[0][0], 1000 + MAX_EVENTS_PER_GROUP * 0.1, 'the late old one and the oldest tenth dropped');
    assert.equal(g.bytes, kept.reduce((n, e) => n + utf8Bytes(e[3]), 0));
    assert.equal(a.firstEventTimestamp, 1000, 'the stream keeps its first timestamp, as AWS');
  });

  it('cuts a line longer than an event into events of at most 262,118 bytes, never inside a character', () => {
    const line = `${'x'.repeat(262_117)}é${'y'.repeat(10)}`;
    const parts = splitLine(line);
    assert.equal(parts.join(''), line);
    assert.deepEqual(parts.map((p) => utf8Bytes(p)), [262_117, 12]);
    assert.deepEqual(splitLine('short'), ['short']);
  });
});
