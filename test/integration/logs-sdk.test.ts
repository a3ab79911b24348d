/**
 * CloudWatch Logs through the real `@aws-sdk/client-cloudwatch-logs` (awsJson1_1,
 * `Logs_20140328.*`) against a sandbox: groups, streams, events (PutLogEvents' validation and
 * rejections, GetLogEvents' tokens at both ends, FilterLogEvents' patterns across streams),
 * retention on the sandbox clock, the per-group cap, tags through both APIs, and the state kept
 * across a restart. The API runs on a manual clock (no task processes); the awslogs driver of real
 * task processes is in logs-awslogs.test.ts.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  paginateDescribeLogGroups,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { eventually } from '../helpers/wait';

const REGION = 'ap-northeast-1';
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Rejects with the AWS error code and message the SDK parsed. */
async function refused(p: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { name: string }) => {
    assert.equal(e.name, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('CloudWatch Logs through the SDK', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let logs: CloudWatchLogsClient;
  let dir: string;
  const clock = new ManualClock(T0);
  const events = (n: number, at: number, step = 1, text = (i: number) => `event ${i}`): InputLogEvent[] =>
    Array.from({ length: n }, (_, i) => ({ timestamp: at + i * step, message: text(i) }));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logs-sdk-'));
    sb = await startSandbox({ port: 0, runtime: new FakeRuntime(), clock, stateFile: join(dir, 'state.json'), tickMs: 20 });
    logs = new CloudWatchLogsClient({ endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 });
  });
  after(async () => {
    logs?.destroy();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, describes by prefix and pattern (paged), and deletes log groups, with AWS errors', async () => {
    for (const name of ['/ecs/a', '/ecs/b', '/ecs/c', '/ecs/d', '/other/x']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await refused(logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/a' })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
    await refused(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })),
      'InvalidParameterException',
      "1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    await refused(logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/mine' })), 'InvalidParameterException', 'Log groups starting with AWS/ are reserved for AWS.');
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/', limit: 3 }));
    assert.deepEqual(first.logGroups!.map((g) => g.logGroupName), ['/ecs/a', '/ecs/b', '/ecs/c']);
    const g = first.logGroups![0];
    assert.equal(g.arn, `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:/ecs/a:*`);
    assert.equal(g.logGroupArn, `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:/ecs/a`);
    assert.equal(g.creationTime, T0);
    assert.equal(g.storedBytes, 0);
    assert.equal(g.logGroupClass, 'STANDARD');
    assert.equal(g.retentionInDays, undefined);
    const second = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/', limit: 3, nextToken: first.nextToken }));
    assert.deepEqual(second.logGroups!.map((x) => x.logGroupName), ['/ecs/d']);
    assert.equal(second.nextToken, undefined);
    const all: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, {})) all.push(...page.logGroups!.map((x) => x.logGroupName!));
    assert.deepEqual(all, ['/ecs/a', '/ecs/b', '/ecs/c', '/ecs/d', '/other/x']);
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'x' }));
    assert.deepEqual(byPattern.logGroups, [{ logGroupName: '/other/x', creationTime: T0, arn: `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:/other/x:*` }]);
    await refused(
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs', logGroupNamePattern: 'a' })),
      'InvalidParameterException',
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
    await refused(logs.send(new DescribeLogGroupsCommand({ limit: 51 })), 'InvalidParameterException', /Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50/);
    await refused(logs.send(new DescribeLogGroupsCommand({ nextToken: 'bogus' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
    for (const name of ['/ecs/b', '/ecs/c', '/ecs/d', '/other/x']) await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    await refused(logs.send(new DeleteLogGroupCommand({ logGroupName: '/ecs/b' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((x) => x.logGroupName), ['/ecs/a']);
  });

  it('creates streams and describes them by name or by last event time, newest first, paged', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'streams' }));
    for (const s of ['s1', 's2', 's3']) await logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: s }));
    await refused(logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 's1' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
    await refused(logs.send(new CreateLogStreamCommand({ logGroupName: 'nope', logStreamName: 's1' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await refused(logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a:b' })), 'InvalidParameterException', /at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\^:\*\]\*/);
    // s2 written last, s3 before it, s1 never.
    await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 's3', logEvents: events(2, T0 - 10 * MIN) }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 's2', logEvents: events(1, T0 - MIN) }));
    const byTime = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime', descending: true, limit: 2 }));
    assert.deepEqual(byTime.logStreams!.map((s) => s.logStreamName), ['s2', 's3']);
    const s3 = byTime.logStreams![1];
    assert.equal(s3.firstEventTimestamp, T0 - 10 * MIN);
    assert.equal(s3.lastEventTimestamp, T0 - 10 * MIN + 1);
    assert.equal(s3.lastIngestionTime, T0);
    assert.equal(s3.arn, `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:streams:log-stream:s3`);
    const rest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime', descending: true, limit: 2, nextToken: byTime.nextToken }));
    assert.deepEqual(rest.logStreams!.map((s) => s.logStreamName), ['s1']);
    assert.equal(rest.nextToken, undefined);
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:streams`, logStreamNamePrefix: 's' }));
    assert.deepEqual(byName.logStreams!.map((s) => s.logStreamName), ['s1', 's2', 's3']);
    await refused(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime', logStreamNamePrefix: 's' })),
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
    await refused(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logGroupIdentifier: 'streams' })), 'ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 's3' }));
    await refused(logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 's3' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'streams' }))).logGroups![0].storedBytes, 'event 0'.length);
  });

  it("validates PutLogEvents as AWS does and reports too old, too new and expired events in rejectedLogEventsInfo", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'put' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'put', logStreamName: 'p' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'put', logStreamName: 'big' }));
    const put = (logEvents: InputLogEvent[], logStreamName = 'p') => logs.send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName, logEvents }));
    await refused(put([{ timestamp: T0, message: 'b' }, { timestamp: T0 - 1, message: 'a' }]), 'InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
    await refused(put([{ timestamp: T0 - DAY - 1, message: 'a' }, { timestamp: T0, message: 'b' }]), 'InvalidParameterException', 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    await refused(put(events(10_001, T0)), 'InvalidParameterException', /at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000/);
    await refused(put([{ timestamp: T0, message: '' }]), 'InvalidParameterException', /Value '' at 'logEvents.1.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    // 1,048,576 bytes at most, counted as the messages in UTF-8 plus 26 bytes each.
    // (11 events of 104,000 bytes: a 1.1 MB body, more than the sandbox takes of other requests.)
    const big = 'é'.repeat(52_000);
    await refused(put(events(11, T0, 1, () => big), 'big'), 'InvalidParameterException', `Upload too large: ${11 * (104_000 + 26)} bytes exceeds limit of 1048576`);
    assert.equal((await put(events(10, T0, 1, () => big), 'big')).rejectedLogEventsInfo, undefined, '10 of them fit');
    await refused(put([{ timestamp: T0, message: 'x' }], 'nope'), 'ResourceNotFoundException', 'The specified log stream does not exist.');

    const ok = await put([
      { timestamp: T0 - 14 * DAY - 1, message: 'too old' },
      { timestamp: T0 - 14 * DAY + HOUR, message: 'kept 1' },
    ]);
    assert.deepEqual(ok.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    const ahead = await put([
      { timestamp: T0 + HOUR, message: 'kept 2' },
      { timestamp: T0 + 2 * HOUR + 1, message: 'too new' },
      { timestamp: T0 + 3 * HOUR, message: 'too new' },
    ]);
    assert.deepEqual(ahead.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'put', retentionInDays: 1 }));
    const expired = await put([
      { timestamp: T0 - DAY - HOUR, message: 'expired' },
      { timestamp: T0 - 2 * HOUR, message: 'kept 3' },
    ]);
    assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 });
    const kept = await logs.send(new GetLogEventsCommand({ logGroupName: 'put', logStreamName: 'p', startFromHead: true }));
    assert.deepEqual(kept.events!.map((e) => e.message), ['kept 3', 'kept 2'], 'in time order; the retention of 1 day also dropped "kept 1" (14 days old)');
    assert.deepEqual(kept.events!.map((e) => e.ingestionTime), [T0, T0]);
    await refused(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'put', retentionInDays: 2 })),
      'InvalidParameterException',
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
  });

  it('GetLogEvents pages forward from the head and backward from the tail, and gives back the same token at either end', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'get' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'get', logStreamName: 'g' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'get', logStreamName: 'g', logEvents: events(25, T0 - HOUR, 1000) }));
    const get = (o: { nextToken?: string; startFromHead?: boolean; limit?: number; startTime?: number; endTime?: number }) =>
      logs.send(new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 'g', ...o }));

    // Forward from the head, 10 at a time.
    const seen: string[] = [];
    let r = await get({ startFromHead: true, limit: 10 });
    seen.push(...r.events!.map((e) => e.message!));
    for (let i = 0; i < 2; i++) {
      r = await get({ startFromHead: true, limit: 10, nextToken: r.nextForwardToken });
      seen.push(...r.events!.map((e) => e.message!));
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `event ${i}`));
    assert.match(r.nextForwardToken!, /^f\/\d{56}$/);
    assert.match(r.nextBackwardToken!, /^b\/\d{56}$/);
    const end = await get({ startFromHead: true, nextToken: r.nextForwardToken });
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, r.nextForwardToken, 'at the end, the same forward token');
    // New events are found with the token of the end, as a follower polls.
    await logs.send(new PutLogEventsCommand({ logGroupName: 'get', logStreamName: 'g', logEvents: [{ timestamp: T0, message: 'later' }] }));
    const later = await get({ startFromHead: true, nextToken: end.nextForwardToken });
    assert.deepEqual(later.events!.map((e) => e.message), ['later']);

    // Backward from the tail (the default), 10 at a time, each page in time order.
    const tail = await get({ limit: 10 });
    assert.deepEqual(tail.events!.map((e) => e.message), [...Array.from({ length: 9 }, (_, i) => `event ${16 + i}`), 'later']);
    const before = await get({ limit: 10, nextToken: tail.nextBackwardToken });
    assert.deepEqual(before.events!.map((e) => e.message), Array.from({ length: 10 }, (_, i) => `event ${6 + i}`));
    const head = await get({ limit: 10, nextToken: before.nextBackwardToken });
    assert.deepEqual(head.events!.map((e) => e.message), Array.from({ length: 6 }, (_, i) => `event ${i}`));
    const start = await get({ limit: 10, nextToken: head.nextBackwardToken });
    assert.deepEqual(start.events, []);
    assert.equal(start.nextBackwardToken, head.nextBackwardToken, 'at the start, the same backward token');
    // …and forward again from the start.
    assert.deepEqual((await get({ limit: 2, nextToken: start.nextForwardToken, startFromHead: true })).events!.map((e) => e.message), ['event 0', 'event 1']);

    // A time range: startTime included, endTime excluded.
    const range = await get({ startFromHead: true, startTime: T0 - HOUR + 3000, endTime: T0 - HOUR + 6000 });
    assert.deepEqual(range.events!.map((e) => e.message), ['event 3', 'event 4', 'event 5']);
    await refused(get({ nextToken: 'f/123' }), 'InvalidParameterException', 'The specified nextToken is invalid.');
    await refused(logs.send(new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 'nope' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  });

  it('FilterLogEvents interleaves streams in time order and matches terms, "phrases", ?optional and -excluded terms', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'filter' }));
    for (const s of ['web/1', 'web/2', 'worker/1']) await logs.send(new CreateLogStreamCommand({ logGroupName: 'filter', logStreamName: s }));
    const at = T0 - 10 * MIN;
    await logs.send(new PutLogEventsCommand({ logGroupName: 'filter', logStreamName: 'web/1', logEvents: [
      { timestamp: at + 1, message: 'GET /app/ 200 3.1ms' },
      { timestamp: at + 4, message: 'GET /app/loginForm 500 12.0ms ERROR' },
    ] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'filter', logStreamName: 'web/2', logEvents: [
      { timestamp: at + 2, message: 'GET /app/ 502 0.2ms WARN upstream' },
      { timestamp: at + 3, message: 'Shutting down: SIGTERM' },
    ] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'filter', logStreamName: 'worker/1', logEvents: [{ timestamp: at + 5, message: 'job done ERROR none' }] }));
    const filter = async (o: Record<string, unknown>) => (await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', ...o }))).events!.map((e) => `${e.logStreamName} ${e.message}`);

    assert.deepEqual(await filter({}), [
      'web/1 GET /app/ 200 3.1ms',
      'web/2 GET /app/ 502 0.2ms WARN upstream',
      'web/2 Shutting down: SIGTERM',
      'web/1 GET /app/loginForm 500 12.0ms ERROR',
      'worker/1 job done ERROR none',
    ]);
    assert.deepEqual(await filter({ filterPattern: 'ERROR' }), ['web/1 GET /app/loginForm 500 12.0ms ERROR', 'worker/1 job done ERROR none']);
    assert.deepEqual(await filter({ filterPattern: 'ERROR GET' }), ['web/1 GET /app/loginForm 500 12.0ms ERROR']);
    assert.deepEqual(await filter({ filterPattern: '"/app/loginForm 500"' }), ['web/1 GET /app/loginForm 500 12.0ms ERROR']);
    assert.deepEqual(await filter({ filterPattern: '?ERROR ?WARN' }), [
      'web/2 GET /app/ 502 0.2ms WARN upstream',
      'web/1 GET /app/loginForm 500 12.0ms ERROR',
      'worker/1 job done ERROR none',
    ]);
    assert.deepEqual(await filter({ filterPattern: 'GET -"/app/loginForm" -WARN' }), ['web/1 GET /app/ 200 3.1ms']);
    assert.deepEqual(await filter({ filterPattern: 'error' }), [], 'case-sensitive');
    assert.deepEqual(await filter({ logStreamNamePrefix: 'web/', filterPattern: 'ERROR' }), ['web/1 GET /app/loginForm 500 12.0ms ERROR']);
    assert.deepEqual(await filter({ logStreamNames: ['web/2'] }), ['web/2 GET /app/ 502 0.2ms WARN upstream', 'web/2 Shutting down: SIGTERM']);
    assert.deepEqual(await filter({ startTime: at + 2, endTime: at + 3 }), ['web/2 GET /app/ 502 0.2ms WARN upstream', 'web/2 Shutting down: SIGTERM']);
    assert.deepEqual(await filter({ startFromHead: false, limit: 2 }), ['worker/1 job done ERROR none', 'web/1 GET /app/loginForm 500 12.0ms ERROR']);

    // Paged: the token resumes after the last event returned; the last page has no token.
    const p1 = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', limit: 2 }));
    const p2 = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', limit: 2, nextToken: p1.nextToken }));
    const p3 = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', limit: 2, nextToken: p2.nextToken }));
    assert.deepEqual([...p1.events!, ...p2.events!, ...p3.events!].map((e) => e.timestamp), [1, 2, 3, 4, 5].map((i) => at + i));
    assert.equal(p3.nextToken, undefined);
    assert.equal(new Set([...p1.events!, ...p2.events!, ...p3.events!].map((e) => e.eventId)).size, 5);
    assert.match(p1.events![0].eventId!, /^\d{56}$/);
    assert.deepEqual(p1.searchedLogStreams, []);

    await refused(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern: '{ $.status = 500 }' })), 'InvalidParameterException', /^JSON filter patterns .* are not served by the sandbox/);
    await refused(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern: '[ip, user, status=500]' })), 'InvalidParameterException', /^Space-delimited filter patterns .* are not served by the sandbox/);
    await refused(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern: '/app/' })), 'InvalidParameterException', /^Invalid character\(s\) in term '\/app\/'/);
    await refused(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern: '"unclosed' })), 'InvalidParameterException', /not closed/);
    await refused(logs.send(new FilterLogEventsCommand({ logGroupName: 'nope' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  it('expires events by the retention on the sandbox clock, and keeps each group under its cap, oldest dropped', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'retained' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'retained', logStreamName: 'r' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'retained', logStreamName: 'r', logEvents: [{ timestamp: clock.now() - HOUR, message: 'old' }, { timestamp: clock.now(), message: 'new' }] }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 3 }));
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }))).logGroups![0].retentionInDays, 3);
    clock.advance(3 * DAY - 30 * MIN);
    const messages = async () => (await logs.send(new GetLogEventsCommand({ logGroupName: 'retained', logStreamName: 'r', startFromHead: true }))).events!.map((e) => e.message);
    await eventually('"old" expired after 3 days', async () => (await messages()).join() === 'new');
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'retained' }));
    clock.advance(DAY);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await messages(), ['new'], 'no retention: nothing more expires');
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }))).logGroups![0].retentionInDays, undefined);

    // 10,000 events per group at most: two full batches leave the newest 9,000..10,000.
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'capped' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'capped', logStreamName: 'c' }));
    const now = clock.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: 'capped', logStreamName: 'c', logEvents: events(10_000, now - HOUR, 1, (i) => `a${i}`) }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'capped', logStreamName: 'c', logEvents: events(10_000, now - 30 * MIN, 1, (i) => `b${i}`) }));
    const headEvents = (await logs.send(new GetLogEventsCommand({ logGroupName: 'capped', logStreamName: 'c', startFromHead: true, limit: 1 }))).events!;
    const tailEvents = (await logs.send(new GetLogEventsCommand({ logGroupName: 'capped', logStreamName: 'c', limit: 1 }))).events!;
    assert.equal(tailEvents[0].message, 'b9999', 'the newest is kept');
    assert.match(headEvents[0].message!, /^b\d+$/, 'the oldest (the first batch) were dropped');
    const kept = await logs.send(new FilterLogEventsCommand({ logGroupName: 'capped' }));
    assert.ok(kept.events!.length >= 9_000 && kept.events!.length <= 10_000, `${kept.events!.length} events kept`);
  });

  it('tags log groups through the log-group and the resource APIs', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { team: 'a' } }));
    const arn = `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:tagged`;
    await logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { env: 'dev' } }));
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'me', team: 'b' } }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags, { team: 'b', env: 'dev', owner: 'me' });
    await logs.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['env'] }));
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner'] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'b' });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await refused(logs.send(new TagResourceCommand({ resourceArn: arn, tags: many })), 'TooManyTagsException', 'A resource can have no more than 50 tags.');
    await refused(logs.send(new ListTagsForResourceCommand({ resourceArn: `${arn}-gone` })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await refused(logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { 'aws:x': 'y' } })), 'InvalidParameterException', /at 'tags.key' failed to satisfy constraint/);
  });

  it('keeps groups, streams and events across a restart of the sandbox', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'durable' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'durable', logStreamName: 'd' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'durable', logStreamName: 'd', logEvents: [{ timestamp: clock.now(), message: 'acknowledged' }] }));
    await sb.close();
    logs.destroy();
    sb = await startSandbox({ port: 0, runtime: new FakeRuntime(), clock, stateFile: join(dir, 'state.json'), tickMs: 20 });
    logs = new CloudWatchLogsClient({ endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 });
    const r = await logs.send(new GetLogEventsCommand({ logGroupName: 'durable', logStreamName: 'd' }));
    assert.deepEqual(r.events!.map((e) => e.message), ['acknowledged']);
    // A later event keeps the group's order (its sequence continues).
    await logs.send(new PutLogEventsCommand({ logGroupName: 'durable', logStreamName: 'd', logEvents: [{ timestamp: clock.now(), message: 'after restart' }] }));
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: 'durable' }));
    assert.deepEqual(all.events!.map((e) => e.message), ['acknowledged', 'after restart']);
  });
});
