/** Log streams: CreateLogStream, DeleteLogStream, DescribeLogStreams (by name or by last event time, either way, paged). */
import type { CreateLogStreamCommandInput, DeleteLogStreamCommandInput, DescribeLogStreamsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { logsFields as f, LOGS, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own } from '../records';
import type { RequestContext } from '../service';
import { logStreamArn, type LogGroupState, type LogStreamState } from './model';
import { findGroup, findStream, groupName, groupOf, streamName } from './request';
import { addStream, utf8Bytes } from './store';

export const createLogStream: Operation<CreateLogStreamCommandInput> = (ctx, input) => {
  const group = groupName(input.logGroupName, 'logGroupName', true);
  const name = streamName(input.logStreamName, 'logStreamName', true);
  const g = findGroup(ctx, group);
  if (own(g.streams, name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
  addStream(g, name, ctx.now);
  return {};
};

export const deleteLogStream: Operation<DeleteLogStreamCommandInput> = (ctx, input) => {
  const group = groupName(input.logGroupName, 'logGroupName', true);
  const name = streamName(input.logStreamName, 'logStreamName', true);
  const g = findGroup(ctx, group);
  const s = findStream(g, name);
  g.count -= s.events.length;
  for (const e of s.events) g.bytes -= utf8Bytes(e[3]);
  delete g.streams[name];
  return {};
};

function streamOut(ctx: RequestContext, g: LogGroupState, s: LogStreamState): Record<string, unknown> {
  return {
    logStreamName: s.logStreamName,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp !== undefined ? { firstEventTimestamp: s.firstEventTimestamp } : {}),
    ...(s.lastEventTimestamp !== undefined ? { lastEventTimestamp: s.lastEventTimestamp } : {}),
    ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
    arn: logStreamArn(ctx.region, ctx.accountId, g.logGroupName, s.logStreamName),
    // Deprecated by AWS for streams: always 0.
    storedBytes: 0,
  };
}

const byName = (a: LogStreamState, b: LogStreamState): number => (a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0);

export const describeLogStreams: Operation<DescribeLogStreamsCommandInput> = (ctx, input) => {
  const prefix = streamName(input.logStreamNamePrefix, 'logStreamNamePrefix');
  const orderBy = f.oneOf(input.orderBy, 'orderBy', ['LogStreamName', 'LastEventTime'] as const) ?? 'LogStreamName';
  const descending = input.descending === true;
  const size = f.int(input.limit, 'limit', { min: 1, max: 50 }) ?? 50;
  if (orderBy === 'LastEventTime' && prefix !== undefined) throw new AwsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
  const g = groupOf(ctx, input);
  const all = Object.values(g.streams).filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix));
  // Streams without events sort as the oldest; ties by name.
  if (orderBy === 'LastEventTime') all.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || byName(a, b));
  else all.sort(byName);
  if (descending) all.reverse();
  const op = `DescribeLogStreams:${g.logGroupName}:${orderBy}:${descending}:${prefix ?? ''}`;
  const { page, next } = paginate(all, { op, size, token: input.nextToken, key: (s) => s.logStreamName }, LOGS);
  return { logStreams: page.map((s) => streamOut(ctx, g, s)), ...(next ? { nextToken: next } : {}) };
};
