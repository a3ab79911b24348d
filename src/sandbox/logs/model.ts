/**
 * CloudWatch Logs' state in a region (`RegionState.serviceState.logs`): log groups by name, each
 * with its tags and its streams by name, each stream holding its events sorted by time. Plain JSON,
 * persisted with the rest of the world and checked on load (schema.ts). Times are simulated epoch ms.
 *
 * Memory is bounded per group: at most MAX_EVENTS_PER_GROUP events and MAX_BYTES_PER_GROUP bytes
 * of messages; beyond either the group's oldest events are dropped (events.ts `trimGroup`).
 */
import type { RegionState } from '../engine/state';
import { serviceState } from '../service-state';

/**
 * One event, as a tuple to keep the state file small: its timestamp, its sequence number in its
 * group (the order of events of one timestamp, and part of its id and of the paging tokens), when
 * it was ingested, and its message.
 */
export type LogEvent = [timestamp: number, seq: number, ingestionTime: number, message: string];

export interface LogStreamState {
  logStreamName: string;
  creationTime: number;
  /** Sorted by (timestamp, seq). */
  events: LogEvent[];
  /** Kept when the events are dropped (by the cap or the retention), as AWS keeps them. */
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
}

export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'ESSENTIALS', 'DELIVERY'] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

export interface LogGroupState {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: LogGroupClass;
  tags: Record<string, string>;
  /** By stream name. */
  streams: Record<string, LogStreamState>;
  /** The last sequence number given to an event of this group. */
  seq: number;
  /** Events held by the group's streams, and the UTF-8 bytes of their messages (the caps; `storedBytes`). */
  count: number;
  bytes: number;
}

export interface LogsState {
  /** By log group name. */
  groups: Record<string, LogGroupState>;
}

export const logsState = (rs: RegionState): LogsState => serviceState<LogsState>(rs, 'logs', () => ({ groups: {} }));

/** The region's logs state when it has one (reads that must not create it). */
export const existingLogsState = (rs: RegionState | undefined): LogsState | undefined =>
  rs && typeof rs.serviceState.logs === 'object' && rs.serviceState.logs !== null ? logsState(rs) : undefined;

/** The events a group holds at most; beyond, its oldest are dropped. */
export const MAX_EVENTS_PER_GROUP = 10_000;
/** The message bytes a group holds at most; beyond, its oldest events are dropped. */
export const MAX_BYTES_PER_GROUP = 2 * 1024 * 1024;
/** Streams a group keeps at most: beyond, its emptied streams that were written to longest ago are forgotten. */
export const MAX_STREAMS_PER_GROUP = 1000;

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const DAY_MS = 24 * 60 * 60_000;

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (the ARN without the trailing `:*`). */
export const logGroupArn = (region: string, accountId: string, name: string): string => `arn:aws:logs:${region}:${accountId}:log-group:${name}`;

export const logStreamArn = (region: string, accountId: string, group: string, stream: string): string =>
  `${logGroupArn(region, accountId, group)}:log-stream:${stream}`;

export const GROUP_NOT_FOUND = 'The specified log group does not exist.';
export const STREAM_NOT_FOUND = 'The specified log stream does not exist.';
