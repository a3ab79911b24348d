/**
 * The shape of CloudWatch Logs' saved state (model.ts), checked when the state file is loaded
 * (engine/state-schema.ts checks every region's `serviceState.logs` with it): a file whose logs are
 * broken inside (`…serviceState.logs.groups./ecs/demo.streams.x.events.3: expected Array`) is
 * refused like any other malformed state, instead of failing later in a handler or the log driver.
 */
import * as v from 'valibot';
import { LOG_GROUP_CLASSES, type LogsState } from './model';

const str = v.string();
const num = v.pipe(v.number(), v.finite());
const opt = <T extends v.GenericSchema>(s: T) => v.optional(s);

const event = v.tuple([num, num, num, str]);

const stream = v.looseObject({
  logStreamName: str,
  creationTime: num,
  events: v.array(event),
  firstEventTimestamp: opt(num),
  lastEventTimestamp: opt(num),
  lastIngestionTime: opt(num),
});

const group = v.looseObject({
  logGroupName: str,
  creationTime: num,
  retentionInDays: opt(num),
  kmsKeyId: opt(str),
  logGroupClass: v.picklist(LOG_GROUP_CLASSES),
  tags: v.record(str, str),
  streams: v.record(str, stream),
  seq: num,
  count: num,
  bytes: num,
});

export const logsStateSchema = v.looseObject({ groups: v.record(str, group) });

// Compile-time: what the schema accepts is a LogsState (fails to build when model.ts and this drift apart).
const _inSync: (s: v.InferOutput<typeof logsStateSchema>) => LogsState = (s) => s;
void _inSync;
