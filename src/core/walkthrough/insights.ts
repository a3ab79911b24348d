/**
 * The walkthrough's "what is happening now": the article's insights, said in plain words at the
 * moment they happen in the user's own account — the port conflict of a release (the same words as
 * the rollout status bar, core/explain.ts), the 502 window after a task is stopped, the old tasks
 * draining after Blue/Green, and the order of scale-out and scale-in. Pure: a function of the
 * step's live snapshot, what the step recorded, and (for the 502 window) the request probe.
 */
import { onClock, toServiceMs, type TimeBase } from '../clock';
import { explainProblem } from '../explain';
import { formatDuration } from '../format';
import type { Translate } from '../l10n';
import { trimEventMessage } from '../rollout';
import { nameOf, type Snapshot, type SnapshotPart } from './snapshot';
import type { StepId } from './step-ids';
import { findService, PORT_CONFLICT_TEXT, serviceTasks, str, taskDef } from './step-helpers';
import type { InputValues, StepRecord } from './step-types';

export type LiveInsightKind = 'port-conflict' | '502-window' | 'draining' | 'scale-out-order' | 'scale-in-order';

export interface LiveInsight {
  kind: LiveInsightKind;
  /** What happens, in plain words. */
  text: string;
  /** What it means / what to do. */
  remedy: string;
  /** What this step of the hands-on makes of it. */
  note?: string;
  /** ECS's own words, when an event says it. */
  raw?: string;
}

/** What the request probe saw since the last task was stopped or crashed (the probe's step). */
export interface ProbeSeen {
  /** Failed requests (5xx or no answer) since the stop. */
  errors: number;
  /** The longest error period since the stop, real ms. */
  longestMs: number;
  /** The newest request failed: the window is still open. */
  open: boolean;
}

export interface InsightContext {
  step: StepId;
  snapshot: Snapshot;
  inputs: InputValues;
  record: StepRecord;
  t: Translate;
  probe?: ProbeSeen;
  /** The clock of the service's times (durations shown on it, core/clock.ts). */
  time?: TimeBase;
}

/** The insight of this moment, if the step's article insight is happening (or has just happened). */
export function liveInsight(c: InsightContext): LiveInsight | undefined {
  switch (c.step) {
    case 'release':
    case 'bluegreen-port-conflict':
      return portConflict(c);
    case 'kill-container':
      return badGatewayWindow(c);
    case 'bluegreen-four-instances':
    case 'bluegreen-dynamic-ports':
      return draining(c) ?? portConflict(c);
    case 'autoscaling-run':
      return scalingOrder(c);
    default:
      return undefined;
  }
}

function portConflict({ step, snapshot: s, inputs, record, t }: InsightContext): LiveInsight | undefined {
  if (record.ranAt === undefined) return undefined;
  const svc = findService(s, str(inputs.cluster, 'demo-cluster'), str(inputs.service, 'demo-service'));
  const primary = svc?.deployments.find((d) => d.status === 'PRIMARY');
  if (!svc || !primary || primary.running >= primary.desired) return undefined;
  // What ECS said last since the action ran (it repeats the event while it retries): once a task
  // has been started or stopped since, the rollout moves and the conflict is not what happens now.
  const event = svc.events.filter((e) => e.createdAt > (record.lastEventAt ?? 0)).sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!event?.message.includes(PORT_CONFLICT_TEXT)) return undefined;
  const port = taskDef(s, primary.taskDefinition)?.hostPort;
  const old = svc.deployments.filter((d) => d.status !== 'PRIMARY').reduce((n, d) => n + d.running, 0);
  const e = explainProblem('port-conflict', trimEventMessage(event.message), { ...(port ? { hostPorts: [port] } : {}), oldTasksRunning: old > 0 }, t);
  const note =
    step === 'release'
      ? t('As in the article: press "Stop an old task". Its port is freed, a new task takes it, and ECS then retires the other old task the same way.')
      : step === 'bluegreen-port-conflict'
        ? t('This is the step\'s lesson: maximumPercent 200 allows 4 tasks, but 2 instances with a static host port hold only 2. The next steps give ECS room: more instances, then dynamic host ports.')
        : t('The new tasks wait for room: once more instances have registered, ECS places them.');
  return { kind: 'port-conflict', text: e.text, remedy: e.remedy, note, ...(e.raw ? { raw: e.raw } : {}) };
}

function badGatewayWindow({ snapshot: s, inputs, record, t, probe, time }: InsightContext): LiveInsight | undefined {
  if (!record.stoppedTaskId || !probe || probe.errors === 0) return undefined;
  const lb = s.loadBalancers.find((x) => x.name === str(inputs.loadBalancer, 'app-demo-lb'));
  const tg = lb ? s.targetGroups.find((g) => g.loadBalancerArns.includes(lb.arn)) : undefined;
  const text = probe.open
    ? t('502 Bad Gateway right now: the load balancer still sends part of the requests to the stopped task\'s target, and nothing answers there.')
    : t('The 502 window lasted {0}: the load balancer kept sending part of the requests to the stopped task\'s target until it was out of rotation.', onClock(formatDuration(toServiceMs(probe.longestMs, time)), time, t));
  const interval = tg?.healthCheckIntervalSeconds;
  const threshold = tg?.unhealthyThreshold;
  const remedy =
    interval && threshold
      ? t('The load balancer takes a target out after {0} failed health checks {1} s apart (about {2} s), or sooner when the replacement answers on the same port. Shorter health checks shorten the window: use "Use shorter health checks", then stop a task again and compare.', threshold, interval, threshold * interval)
      : t('The load balancer takes a target out only after its health checks have failed a few times. Shorter health checks shorten the window: use "Use shorter health checks", then stop a task again and compare.');
  return { kind: '502-window', text, remedy };
}

function draining({ snapshot: s, inputs, record, t }: InsightContext): LiveInsight | undefined {
  if (record.ranAt === undefined) return undefined;
  const cluster = str(inputs.cluster, 'demo-cluster');
  const service = str(inputs.service, 'demo-service');
  const leaving = serviceTasks(s, cluster, service, 'DEACTIVATING');
  if (leaving.length === 0) return undefined;
  const staying = serviceTasks(s, cluster, service).length;
  return {
    kind: 'draining',
    text: t('{0} old tasks are draining: ECS has taken their targets out of the load balancer, which lets the requests already in flight finish. {1} new tasks serve meanwhile.', leaving.length, staying),
    remedy: t('ECS stops a draining task once the target group\'s deregistration delay has passed (300 s unless it was changed). That is the wait of about 3 minutes the article saw before the old tasks went away on their own.'),
  };
}

function scalingOrder({ snapshot: s, inputs, record, t }: InsightContext): LiveInsight | undefined {
  if (record.ranAt === undefined) return undefined;
  const cluster = str(inputs.cluster, 'demo-cluster');
  const svc = findService(s, cluster, str(inputs.service, 'demo-service'));
  if (!svc) return undefined;
  const instances = s.containerInstances.filter((ci) => nameOf(ci.cluster) === cluster && ci.status === 'ACTIVE').length;
  const peak = record.maxDesired ?? 0;
  // A static host port: each task needs an instance of its own (unknown revision: as the article, port 80).
  const hostPort = taskDef(s, svc.taskDefinition)?.hostPort;
  const staticPort = hostPort === undefined ? 80 : hostPort;
  if (svc.desiredCount > svc.runningCount && !record.scaledInAfterPeak) {
    return {
      kind: 'scale-out-order',
      text: staticPort
        ? t('The service wants {0} tasks and runs {1}: the new tasks wait for room. With a static host port ({2}) each task needs an instance of its own, so they start once the Auto Scaling group\'s new instances have registered ({3} now).', svc.desiredCount, svc.runningCount, staticPort, instances)
        : t('The service wants {0} tasks and runs {1}. With dynamic host ports the new tasks need only CPU and memory to spare: where the {2} instances have room they start at once, otherwise they wait for the Auto Scaling group\'s new instances.', svc.desiredCount, svc.runningCount, instances),
      remedy: t('On the way up, instances come before tasks. Instances started beforehand make scale-out fast: then only containers have to start.'),
    };
  }
  if (peak > 2 && svc.desiredCount === peak && svc.runningCount >= svc.desiredCount && !record.scaledInAfterPeak) {
    return staticPort
      ? {
          kind: 'scale-out-order',
          text: t('{0} tasks run on {1} instances: with a static host port ({2}) each new task needed a new instance, so the instances came first and the tasks started after them.', svc.runningCount, instances, staticPort),
          remedy: t('On the way up, instances come before tasks. Instances started beforehand make scale-out fast: then only containers have to start.'),
        }
      : {
          kind: 'scale-out-order',
          text: t('{0} tasks run on {1} instances: with dynamic host ports and CPU to spare, the new tasks did not have to wait for new instances.', svc.runningCount, instances),
          remedy: t('With a static host port (80) each new task would need a new instance, and the tasks would start only after the instances — the order the article saw. The instances the cluster alarm adds join empty, ready for more.'),
        };
  }
  if (record.scaledInAfterPeak && instances > svc.desiredCount) {
    return {
      kind: 'scale-in-order',
      text: t('On the way down the tasks went first ({0} now); the instances follow on their own alarm and cooldown ({1} now).', svc.desiredCount, instances),
      remedy: t('That is the order the article recommends: tasks first, then instances — removing an instance that still runs tasks only moves them. Scale-in protection keeps the instances you choose.'),
    };
  }
  return undefined;
}

/** Snapshot parts the step's insight reads on top of its check and visual (the service's revision for the scaling order). */
export function insightParts(step: StepId): SnapshotPart[] {
  return step === 'autoscaling-run' ? ['taskDefinitions'] : [];
}
