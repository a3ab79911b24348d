/**
 * CloudWatch's state in a region (`RegionState.serviceState.cloudwatch`): metric series with their
 * datapoints (bounded by a retention window), metric alarms, alarm history and tags, and what the
 * sampler carries from one tick to the next. Plain JSON, persisted with the rest of the world.
 * Times are simulated epoch ms.
 */
import type { RegionState } from '../engine/state';
import { serviceState } from '../service-state';

export interface Dimension {
  Name: string;
  Value: string;
}

/** One stored datapoint: a statistic set (and the raw values when known, for percentiles). */
export interface Point {
  /** Timestamp (period start for sampled metrics), epoch ms. */
  t: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  /** Raw values (at most MAX_RAW_VALUES), when the datapoint was built from them. */
  values?: number[];
}

export interface MetricSeries {
  namespace: string;
  metricName: string;
  /** Sorted by name. */
  dimensions: Dimension[];
  unit?: string;
  /** Sorted by `t`. */
  points: Point[];
  /** When a datapoint was last stored (ListMetrics RecentlyActive). */
  lastPutAt: number;
}

export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Alarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: number;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: StateValue;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: number;
  StateTransitionedTimestamp: number;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  /** Sandbox-only: evaluate at the next tick (new or changed alarm). */
  evaluateNow?: boolean;
  /** Sandbox-only: the last minute boundary the alarm was evaluated at. */
  evaluatedAt?: number;
}

export interface HistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm';
  Timestamp: number;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

/** Per task: the last CPU reading and what was used / observed in the current period. */
export interface TaskSample {
  cpu: number;
  at: number;
  /** CPU seconds used in the current period. */
  used: number;
  /** Real seconds the task was observed in the current period. */
  real: number;
  cluster: string;
  service?: string;
  instanceId: string;
  reservedCpu: number;
  reservedMemory: number;
}

export interface SamplerState {
  /** Start of the period being accumulated (a minute boundary), or 0 before the first tick. */
  periodStart: number;
  lastSampleAt: number;
  tasks: Record<string, TaskSample>;
  /** ALB counters at the last period close, by `<lbArn>|<tgArn>`. */
  alb: Record<string, Record<string, number>>;
}

/** An action to invoke at the next tick (state changes made by a request, e.g. SetAlarmState). */
export interface PendingAction {
  alarmName: string;
  state: StateValue;
  value?: number;
}

export interface CloudWatchState {
  /** By series key (see seriesKey). */
  metrics: Record<string, MetricSeries>;
  /** By alarm name. */
  alarms: Record<string, Alarm>;
  /** Oldest first, bounded. */
  history: HistoryItem[];
  /** By alarm ARN. */
  tags: Record<string, { Key: string; Value: string }[]>;
  sampler: SamplerState;
  pending: PendingAction[];
}

export const cloudwatchState = (rs: RegionState): CloudWatchState =>
  serviceState<CloudWatchState>(rs, 'cloudwatch', () => ({
    metrics: {},
    alarms: {},
    history: [],
    tags: {},
    sampler: { periodStart: 0, lastSampleAt: 0, tasks: {}, alb: {} },
    pending: [],
  }));

export const sortDimensions = (dims: Dimension[]): Dimension[] => [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));

export const seriesKey = (namespace: string, metricName: string, dims: Dimension[]): string =>
  JSON.stringify([namespace, metricName, sortDimensions(dims).map((d) => [d.Name, d.Value])]);

export const alarmArn = (region: string, accountId: string, name: string): string => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;

/** How long datapoints are kept (simulated): 4 hours, so "the last 3 hours" is always complete. */
export const RETENTION_MS = 4 * 60 * 60_000;
export const MAX_RAW_VALUES = 150;
/** History items kept per region (AWS keeps 30 days; the sandbox bounds the count to keep its state file small). */
export const MAX_HISTORY = 1000;
