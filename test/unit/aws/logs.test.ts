/**
 * Task logs without VS Code (src/aws/logs.ts, src/aws/logs-follow.ts): following streams with
 * GetLogEvents' forward tokens, a service's streams interleaved by time with new tasks joining,
 * FilterLogEvents with a pattern, jump to time, the backoff of idle polls, the line cap with its
 * "older lines dropped" marker, and where a task definition's containers send their logs.
 *
 * The CloudWatch Logs double below answers as the service documents: GetLogEvents returns at most
 * `pageSize` events and a forward token; at the end of the stream the token sent comes back.
 */
import assert from 'node:assert/strict';
import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import {
  LogBuffer, LogFollower, containerLogTargets, formatLine, logsConsoleUrl, mergeByTime, neverStarted, nextDelay, notAwslogsMessage, parseStartTime, taskSources,
  type LogLine, type LogsApi, type Timers,
} from '../../../src/aws/logs';

interface Ev { timestamp: number; message: string; eventId: string }

/** CloudWatch Logs as the service answers (one account, one region). */
class FakeLogs implements LogsApi {
  groups = new Map<string, Map<string, Ev[]>>();
  calls: Array<{ op: string; input: Record<string, unknown> }> = [];
  private ids = 0;
  constructor(private readonly pageSize = 10) {}

  put(group: string, stream: string, ...events: Array<[number, string]>): void {
    if (!this.groups.has(group)) this.groups.set(group, new Map());
    const g = this.groups.get(group)!;
    if (!g.has(stream)) g.set(stream, []);
    for (const [timestamp, message] of events) g.get(stream)!.push({ timestamp, message, eventId: String(++this.ids) });
  }

  private stream(group: string, stream: string): Ev[] {
    const g = this.groups.get(group);
    if (!g) throw Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' });
    const s = g.get(stream);
    if (!s) throw Object.assign(new Error('The specified log stream does not exist.'), { name: 'ResourceNotFoundException' });
    return s;
  }

  async getLogEvents(input: { logGroupName: string; logStreamName: string; startTime?: number; nextToken?: string }) {
    this.calls.push({ op: 'GetLogEvents', input: { ...input } });
    const all = this.stream(input.logGroupName, input.logStreamName);
    let from = input.nextToken ? Number(input.nextToken.slice(2)) : all.findIndex((e) => e.timestamp >= (input.startTime ?? 0));
    if (from < 0) from = all.length;
    const events = all.slice(from, from + this.pageSize);
    return { events, nextForwardToken: events.length ? `f/${from + events.length}` : input.nextToken ?? `f/${from}` };
  }

  async filterLogEvents(input: { logGroupName: string; logStreamNames: string[]; filterPattern?: string; startTime?: number; nextToken?: string }) {
    this.calls.push({ op: 'FilterLogEvents', input: { ...input } });
    const terms = (input.filterPattern ?? '').split(/\s+/).filter(Boolean);
    const matches = (m: string) => terms.every((t) => (t.startsWith('-') ? !m.includes(t.slice(1)) : m.includes(t)));
    const all = input.logStreamNames.flatMap((s) => this.stream(input.logGroupName, s)).filter((e) => e.timestamp >= (input.startTime ?? 0) && matches(e.message));
    const from = input.nextToken ? Number(input.nextToken) : 0;
    const events = all.slice(from, from + this.pageSize);
    return { events, ...(from + events.length < all.length ? { nextToken: String(from + events.length) } : {}) };
  }
}

/** Timers a test drives: `fire()` runs the pending timeout and lets the poll it starts finish. */
class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number } | undefined;
  clock = 1_000_000;
  setTimeout(fn: () => void, ms: number) {
    this.pending = { fn, ms };
    return this.pending;
  }
  clearTimeout(h: unknown) {
    if (this.pending === h) this.pending = undefined;
  }
  now() {
    return this.clock;
  }
  async fire(): Promise<number> {
    const p = this.pending;
    assert.ok(p, 'a poll is scheduled');
    this.pending = undefined;
    this.clock += p.ms;
    p.fn();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    return p.ms;
  }
}

const collect = () => {
  const batches: LogLine[][] = [];
  const errors: unknown[] = [];
  return { batches, errors, lines: () => batches.flat(), onLines: (l: LogLine[]) => batches.push(l), onError: (e: unknown) => errors.push(e) };
};

describe('task logs: following streams', () => {
  it('reads a stream page by page until the forward token comes back, then only what is new', async () => {
    const api = new FakeLogs(10);
    api.put('/ecs/app', 'ecs/app/t1', ...Array.from({ length: 25 }, (_, i): [number, string] => [1000 + i, `line ${i}`]));
    const out = collect();
    const f = new LogFollower(api, [{ group: '/ecs/app', stream: 'ecs/app/t1' }], out.onLines, out.onError);
    assert.equal(await f.pollOnce(), 25);
    assert.deepEqual(out.lines().map((l) => l.message), Array.from({ length: 25 }, (_, i) => `line ${i}`));
    // One batch for the whole poll (batched output); 3 pages, then the 4th call got its own token back.
    assert.equal(out.batches.length, 1);
    assert.deepEqual(api.calls.map((c) => c.input.nextToken), [undefined, 'f/10', 'f/20', 'f/25']);
    api.calls = [];
    assert.equal(await f.pollOnce(), 0);
    assert.deepEqual(api.calls.map((c) => c.input.nextToken), ['f/25'], 'an idle poll: one call with the last token');
    api.put('/ecs/app', 'ecs/app/t1', [2000, 'new one'], [2001, 'new two']);
    assert.equal(await f.pollOnce(), 2);
    assert.deepEqual(out.lines().slice(-2).map((l) => l.message), ['new one', 'new two']);
    assert.equal(out.errors.length, 0);
  });

  it('a stream not created yet (the container has not started) is empty, not an error; its group deleted while following is', async () => {
    const api = new FakeLogs();
    api.put('/ecs/app', 'ecs/app/other');
    const out = collect();
    const f = new LogFollower(api, [{ group: '/ecs/app', stream: 'ecs/app/t1' }], out.onLines, out.onError);
    assert.equal(await f.pollOnce(), 0);
    api.put('/ecs/app', 'ecs/app/t1', [5, 'started']);
    assert.equal(await f.pollOnce(), 1);
    // moto's wording for a missing stream ("log group"): a stream never read yet is still just empty.
    const gone = new LogFollower(api, [{ group: '/ecs/none', stream: 's' }], out.onLines, out.onError);
    assert.equal(await gone.pollOnce(), 0);
    // A group deleted under a stream already read: an error.
    api.groups.delete('/ecs/app');
    await assert.rejects(f.pollOnce(), /log group does not exist/);
  });

  it('a service: its tasks\' streams interleaved by timestamp, each line labelled; a task started later joins', async () => {
    const api = new FakeLogs(3);
    api.put('/ecs/app', 'ecs/app/aaaa', [10, 'a1'], [30, 'a2'], [50, 'a3']);
    api.put('/ecs/app', 'ecs/app/bbbb', [20, 'b1'], [30, 'b2'], [40, 'b3']);
    const timers = new ManualTimers();
    const out = collect();
    let known = [{ group: '/ecs/app', stream: 'ecs/app/aaaa', label: 'aaaa' }, { group: '/ecs/app', stream: 'ecs/app/bbbb', label: 'bbbb' }];
    const f = new LogFollower(api, known, out.onLines, out.onError, { timers, discover: async () => known, discoverEveryMs: 5000 });
    f.start();
    await timers.fire();
    assert.deepEqual(out.lines().map(formatLine).map((l) => l.replace(/^\S+ /, '')), ['[aaaa] a1', '[bbbb] b1', '[aaaa] a2', '[bbbb] b2', '[bbbb] b3', '[aaaa] a3']);
    // A new task: found at the next discovery, read from its start.
    api.put('/ecs/app', 'ecs/app/cccc', [60, 'c1']);
    known = [...known, { group: '/ecs/app', stream: 'ecs/app/cccc', label: 'cccc' }];
    while (!out.lines().some((l) => l.label === 'cccc')) await timers.fire();
    assert.ok(timers.clock - 1_000_000 >= 5000, 'found at a discovery, not before');
    assert.deepEqual(f.sources.map((s) => s.label), ['aaaa', 'bbbb', 'cccc']);
    f.stop();
    assert.equal(timers.pending, undefined, 'stopped: nothing scheduled');
  });

  it('backs off while idle (1 s, 2 s, 4 s … 10 s) and polls at once again when lines arrive', async () => {
    assert.deepEqual([1000, 2000, 8000, 10_000].map((d) => nextDelay(d, false, 1000, 10_000)), [2000, 4000, 10_000, 10_000]);
    assert.equal(nextDelay(10_000, true, 1000, 10_000), 1000);
    const api = new FakeLogs();
    api.put('/g', 's', [1, 'first']);
    const timers = new ManualTimers();
    const out = collect();
    const f = new LogFollower(api, [{ group: '/g', stream: 's' }], out.onLines, out.onError, { timers });
    f.start();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) waits.push(await timers.fire());
    assert.deepEqual(waits, [0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    api.put('/g', 's', [2, 'second']);
    waits.length = 0;
    for (let i = 0; i < 3; i++) waits.push(await timers.fire());
    assert.deepEqual(waits, [10_000, 1000, 2000], 'lines arrived on the 10 s poll: the next one after 1 s');
    // Stop and resume: from where it stopped (no line twice).
    f.stop();
    api.put('/g', 's', [3, 'third']);
    f.start();
    await timers.fire();
    assert.deepEqual(out.lines().map((l) => l.message), ['first', 'second', 'third']);
  });

  it('a stream with more pages than one poll reads goes on at once, without waiting', async () => {
    const api = new FakeLogs(2);
    api.put('/g', 's', ...Array.from({ length: 9 }, (_, i): [number, string] => [i, `l${i}`]));
    const timers = new ManualTimers();
    const out = collect();
    const f = new LogFollower(api, [{ group: '/g', stream: 's' }], out.onLines, out.onError, { timers, maxPagesPerPoll: 2 });
    f.start();
    const waits = [await timers.fire(), await timers.fire(), await timers.fire()];
    assert.deepEqual(waits, [0, 0, 0]);
    assert.equal(out.lines().length, 9);
  });

  it('a filter pattern: FilterLogEvents on the stream, following without repeating a line read at the same millisecond', async () => {
    const api = new FakeLogs(2);
    api.put('/g', 's', [10, 'GET /app 200'], [10, 'GET /health 200'], [11, 'POST /app 500'], [12, 'GET /app 404']);
    const out = collect();
    const f = new LogFollower(api, [{ group: '/g', stream: 's' }], out.onLines, out.onError, { filterPattern: '/app' });
    assert.equal(await f.pollOnce(), 3);
    assert.deepEqual(api.calls.map((c) => [c.op, c.input.filterPattern, c.input.logStreamNames]), [['FilterLogEvents', '/app', ['s']], ['FilterLogEvents', '/app', ['s']]]);
    api.put('/g', 's', [12, 'DELETE /app 204'], [13, 'GET /health 200']);
    assert.equal(await f.pollOnce(), 1);
    assert.deepEqual(out.lines().map((l) => l.message), ['GET /app 200', 'POST /app 500', 'GET /app 404', 'DELETE /app 204']);
    assert.equal(api.calls.at(-1)!.input.startTime, 12, 'the next poll starts at the last timestamp read');
  });

  it('jump to time: the first read starts at startTime', async () => {
    const api = new FakeLogs();
    api.put('/g', 's', [100, 'old'], [200, 'at'], [300, 'new']);
    const out = collect();
    await new LogFollower(api, [{ group: '/g', stream: 's' }], out.onLines, out.onError, { startTime: 200 }).pollOnce();
    assert.deepEqual(out.lines().map((l) => l.message), ['at', 'new']);
    assert.equal(api.calls[0].input.startTime, 200);
    const now = Date.UTC(2026, 11, 7, 20, 0, 0);
    assert.equal(parseStartTime('-15m', now), now - 15 * 60_000);
    assert.equal(parseStartTime('2h', now), now - 2 * 3_600_000);
    assert.equal(parseStartTime('2026-12-07T14:05:00Z', now), Date.UTC(2026, 11, 7, 14, 5));
    assert.equal(parseStartTime(now - 5, now), now - 5);
    assert.equal(parseStartTime('', now), undefined);
    assert.ok(Number.isNaN(parseStartTime('yesterday-ish', now)));
    assert.ok(Number.isNaN(parseStartTime('25:00', now)));
    const clock = parseStartTime('14:05', now)!;
    assert.ok(clock <= now && now - clock < 86_400_000, 'a time of day: the last one, never in the future');
  });

  it('keeps at most the cap, says how many older lines it dropped, and interleaves stably', () => {
    const buffer = new LogBuffer(100);
    for (let i = 0; i < 1000; i += 10) buffer.push(Array.from({ length: 10 }, (_, j) => `line ${i + j}`));
    const text = buffer.text().split('\n');
    assert.equal(text.length, 101);
    assert.equal(text[0], '… 900 older lines dropped (only the last 100 are kept) …');
    assert.equal(text[1], 'line 900');
    assert.equal(text[100], 'line 999');
    assert.equal(buffer.size, 100);
    buffer.clear();
    assert.equal(buffer.text(), '');
    assert.deepEqual(mergeByTime([[{ timestamp: 1, message: 'a' }, { timestamp: 1, message: 'b' }], [{ timestamp: 0, message: 'c' }, { timestamp: 1, message: 'd' }]]).map((l) => l.message), ['c', 'a', 'b', 'd']);
  });
});

describe('task logs: where a task\'s containers write', () => {
  const taskArn = 'arn:aws:ecs:eu-west-1:123456789012:task/hands-on/0123456789abcdef0123456789abcdef';
  const td: TaskDefinition = {
    family: 'app',
    containerDefinitions: [
      { name: 'web', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-stream-prefix': 'ecs', 'awslogs-region': 'eu-west-1' } } },
      { name: 'sidecar', logConfiguration: { logDriver: 'json-file' } },
      { name: 'bare' },
    ],
  };

  it('awslogs: group, and stream <prefix>/<container>/<task id>; other drivers named', () => {
    assert.deepEqual(containerLogTargets(td, taskArn), [
      { container: 'web', driver: 'awslogs', group: '/ecs/app', prefix: 'ecs', region: 'eu-west-1', stream: 'ecs/web/0123456789abcdef0123456789abcdef' },
      { container: 'sidecar', driver: 'json-file' },
      { container: 'bare', driver: 'none' },
    ]);
    const task: Task = { taskArn, lastStatus: 'RUNNING', startedAt: new Date() };
    assert.deepEqual(taskSources(task, td), { sources: [{ group: '/ecs/app', stream: 'ecs/web/0123456789abcdef0123456789abcdef' }], region: 'eu-west-1' });
    assert.throws(() => taskSources(task, td, { container: 'sidecar' }), /Container sidecar does not send its logs to CloudWatch Logs: it uses the json-file log driver/);
    assert.throws(() => taskSources(task, td, { container: 'bare' }), /Container bare does not send its logs to CloudWatch Logs: its task definition has no log configuration/);
    assert.throws(() => taskSources(task, td, { container: 'nope' }), /no container named nope \(its containers: web, sidecar, bare\)/);
    assert.match(notAwslogsMessage({ container: 'x', driver: 'fluentd' }), /uses the fluentd log driver/);
  });

  it('a task that never started has no logs, and says why', () => {
    const stopped: Task = { taskArn, lastStatus: 'STOPPED', stoppedReason: 'CannotPullContainerError: pull access denied' };
    assert.match(neverStarted(stopped)!.message, /^Task 01234567 never started \(CannotPullContainerError: pull access denied\), so it wrote no logs\.$/);
    assert.equal(neverStarted({ ...stopped, startedAt: new Date() }), undefined);
    assert.equal(neverStarted({ taskArn, lastStatus: 'PENDING' }), undefined);
    assert.match(neverStarted({ taskArn, lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' })!.message, /^Task 01234567 never started, so it wrote no logs\.$/);
    // Stopped without a start time but nothing says it failed to start (an emulator's task): its logs are read.
    assert.equal(neverStarted({ taskArn, lastStatus: 'STOPPED' }), undefined);
    assert.equal(neverStarted({ ...stopped, containers: [{ exitCode: 137 }] }), undefined);
  });

  it('the CloudWatch console URL of a stream and of a group', () => {
    assert.equal(logsConsoleUrl('eu-west-1', '/ecs/app', 'ecs/web/0123'), 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fapp/log-events/ecs$252Fweb$252F0123');
    assert.equal(logsConsoleUrl('cn-north-1', 'g'), 'https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#logsV2:log-groups/log-group/g');
  });
});
