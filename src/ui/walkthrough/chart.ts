/**
 * The data of the walkthrough's autoscaling chart: one point per live check of the autoscaling steps
 * (desired / running tasks, ACTIVE container instances, the CPU alarm's state) plus the service's
 * 1-minute CPUUtilization datapoints read from CloudWatch (GetMetricData), each at its own minute.
 */
import type { GetMetricDataCommand, GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { ChartPoint, HostMessage } from '../../core/walkthrough/messages';
import type { Snapshot } from '../../core/walkthrough/snapshot';
import type { InputValues } from '../../core/walkthrough/steps';
import type { AwsClients } from '../../aws';
import { loadAws } from '../aws-loader';

const CHART_KEEP = 600;
/** How far back each read asks for datapoints (a few minutes: no minute is missed between reads). */
const CPU_LOOKBACK_MS = 5 * 60_000;

type ChartMessage = Extract<HostMessage, { kind: 'chart' }>;

export interface CpuReading {
  /** The newest datapoint's value (1 decimal), or null. */
  latest: number | null;
  /** Every datapoint read: [period start in seconds, value (1 decimal)], oldest first. */
  points: [number, number][];
}

/** The service's CPUUtilization (1-minute averages) over the last minutes, when the AWS layer offers GetMetricData. */
export async function serviceCpu(clients: AwsClients, cluster: string, service: string, now: number): Promise<CpuReading> {
  const sdk = loadAws().operateSdk as unknown as { GetMetricDataCommand?: new (input: GetMetricDataCommandInput) => GetMetricDataCommand };
  if (!sdk.GetMetricDataCommand) return { latest: null, points: [] };
  const out = await clients.cloudWatch.send(
    new sdk.GetMetricDataCommand({
      StartTime: new Date(now - CPU_LOOKBACK_MS),
      EndTime: new Date(now),
      MetricDataQueries: [
        {
          Id: 'cpu',
          MetricStat: {
            Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: cluster }, { Name: 'ServiceName', Value: service }] },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
    }),
  );
  const r = out.MetricDataResults?.[0];
  const values = r?.Values ?? [];
  const stamps = r?.Timestamps ?? [];
  const points: [number, number][] = [];
  for (let i = 0; i < Math.min(values.length, stamps.length); i++) {
    const t = stamps[i] instanceof Date ? stamps[i].getTime() : NaN;
    if (Number.isFinite(t) && Number.isFinite(values[i])) points.push([Math.round(t / 1000), Math.round(values[i] * 10) / 10]);
  }
  points.sort((a, b) => a[0] - b[0]);
  return { latest: points.length ? points[points.length - 1][1] : null, points };
}

/** The chart's points (kept for a webview that reloads) and how to add one from a snapshot. */
export class AutoscalingFeed {
  private points: ChartPoint[] = [];
  /** When the load started (seconds, connection clock), if it did. */
  private origin: number | undefined;

  constructor(
    private readonly o: {
      post: (m: ChartMessage) => void;
      clients: () => Promise<AwsClients>;
      threshold: () => number;
      sandboxClock: () => boolean;
    },
  ) {}

  /** The whole chart as one message (after the webview's `ready`). */
  snapshotMessage(): ChartMessage {
    return { kind: 'chart', points: [...this.points], threshold: this.o.threshold(), ...this.axis(), reset: true };
  }

  /** Starts over (a new load run): the time axis counts from `origin` (ms, connection clock). */
  reset(originMs?: number): void {
    this.points = [];
    this.origin = originMs === undefined ? undefined : Math.round(originMs / 1000);
    this.o.post(this.snapshotMessage());
  }

  /** Sets when the load started (ms, connection clock) without dropping the points. */
  setOrigin(originMs: number | undefined): void {
    const o = originMs === undefined ? undefined : Math.round(originMs / 1000);
    if (o === this.origin) return;
    this.origin = o;
    this.o.post({ kind: 'chart', points: [], threshold: this.o.threshold(), ...this.axis() });
  }

  /** Adds the point of one live check (reads the CPU datapoints) and posts it. */
  async add(snap: Snapshot, inputs: InputValues): Promise<void> {
    const svc = snap.services.find((s) => s.name === inputs.service);
    const alarms = snap.alarms.filter((a) => a.metricName === 'CPUUtilization' && a.dimensions.ServiceName === inputs.service);
    const inAlarm = alarms.filter((a) => a.state === 'ALARM');
    const alarm = inAlarm.length ? (inAlarm.some((a) => (a.comparison ?? '').startsWith('GreaterThan')) ? 'HIGH' : 'LOW') : 'OK';
    const cpu = await this.o
      .clients()
      .then((c) => serviceCpu(c, String(inputs.cluster), String(inputs.service), snap.takenAt))
      .catch((): CpuReading => ({ latest: null, points: [] }));
    const point: ChartPoint = {
      t: Math.round(snap.takenAt / 1000),
      cpu: cpu.latest,
      ...(cpu.points.length ? { cpuPoints: cpu.points } : {}),
      desired: svc?.desiredCount ?? 0,
      running: svc?.runningCount ?? 0,
      instances: snap.containerInstances.filter((c) => c.status === 'ACTIVE').length,
      alarm,
    };
    this.points.push(point);
    if (this.points.length > CHART_KEEP) this.points.splice(0, this.points.length - CHART_KEEP);
    this.o.post({ kind: 'chart', points: [point], threshold: this.o.threshold(), ...this.axis() });
  }

  private axis(): Pick<ChartMessage, 'origin' | 'sandboxClock'> {
    return { ...(this.origin !== undefined ? { origin: this.origin } : {}), sandboxClock: this.o.sandboxClock() };
  }
}
