/**
 * Why a rollout does not move, in plain words, and what to do about it. `computeRollout`
 * (rollout.ts) classifies ECS's raw event or stopped-task reason (`ExplanationKind`); this module
 * turns the kind, plus what is known about the new revision (its static host ports, CPU, memory,
 * image) and the deployment, into one sentence a newcomer can act on and a remedy. The raw ECS
 * text is kept and shown below it. Pure: used by the rollout status bar and view and by the
 * walkthrough (which shows the same words at the moment the article's insight happens).
 */
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { defaultTranslate, type Translate } from './l10n';
import type { ExplanationKind, RolloutProgress } from './rollout';

/** What is known about the deployment that does not move. */
export interface ProblemFacts {
  /** The new revision's static host ports (dynamic ones — 0 or none — left out). */
  hostPorts?: number[];
  /** CPU units the new revision reserves per task (task level, else the sum of its containers). */
  cpu?: number;
  /** MiB the new revision reserves per task (task level, else its containers' memory or memoryReservation). */
  memory?: number;
  /** The new revision's (first) image. */
  image?: string;
  /** An older deployment still runs tasks (the "old tasks"). */
  oldTasksRunning?: boolean;
  /** The revision the service rolls back to (circuit breaker with rollback). */
  rollingBackTo?: string;
}

export interface PlainExplanation {
  kind: ExplanationKind;
  /** What is going on, in plain words. */
  text: string;
  /** What to do about it. */
  remedy: string;
  /** ECS's own text (event, stopped reason or rollout reason), shown below the plain words. */
  raw?: string;
}

/** The plain-words explanation of a problem of kind `kind` (ECS's `raw` text kept as is). */
export function explainProblem(kind: ExplanationKind, raw: string | undefined, facts: ProblemFacts = {}, t: Translate = defaultTranslate): PlainExplanation {
  const out = (text: string, remedy: string): PlainExplanation => ({ kind, text, remedy, ...(raw ? { raw } : {}) });
  switch (kind) {
    case 'port-conflict': {
      const port = facts.hostPorts?.length === 1 ? facts.hostPorts[0] : undefined;
      const text =
        port !== undefined
          ? facts.oldTasksRunning === false
            ? t('Port {0} is already used on every instance, so ECS cannot start the new tasks.', port)
            : t('Port {0} is already used by the old tasks on every instance, so ECS cannot start the new ones.', port)
          : t('A host port the new tasks need is already used on every instance, so ECS cannot start them.');
      return out(
        text,
        t('Use a dynamic host port (hostPort 0) in a new revision, add instances, or lower minimumHealthyPercent so that ECS may stop an old task first. Stopping one old task yourself also frees its port.'),
      );
    }
    case 'insufficient-cpu':
      return out(
        facts.cpu
          ? t('No instance has {0} CPU units free for a new task: the tasks already running there have reserved the rest.', facts.cpu)
          : t('No instance has enough CPU units free for a new task: the tasks already running there have reserved the rest.'),
        t('Give the task fewer CPU units in a new revision, add instances or use a larger instance type, or lower maximumPercent so that fewer extra tasks run during the deployment.'),
      );
    case 'insufficient-memory':
      return out(
        facts.memory
          ? t('No instance has {0} MiB of memory free for a new task: the tasks already running there have reserved the rest.', facts.memory)
          : t('No instance has enough memory free for a new task: the tasks already running there have reserved the rest.'),
        t('Lower the task\'s memory (or memoryReservation) in a new revision, add instances or use a larger instance type, or lower maximumPercent so that fewer extra tasks run during the deployment.'),
      );
    case 'no-instances':
      return out(
        t('The cluster has no running container instance, so there is nowhere to start a task.'),
        t('Add instances to the cluster (raise its Auto Scaling group\'s desired capacity) and check that their ECS agent joins this cluster (ECS_CLUSTER in the instances\' user data).'),
      );
    case 'placement':
      return out(
        t('No container instance meets all the requirements of the new tasks, so ECS cannot place them.'),
        t('Read ECS\'s message below for the requirement that is missing, then add instances that meet it or change the task definition.'),
      );
    case 'unhealthy-target':
      return out(
        t('The new tasks start, but they fail the load balancer\'s health check, so ECS stops and replaces them.'),
        t('Check that the app answers with 200 on the target group\'s health-check path and port, and that it has time to start (health check grace period, healthy threshold).'),
      );
    case 'deployment-configuration':
      return out(
        t('The deployment configuration lets ECS neither start a new task (maximumPercent) nor stop an old one (minimumHealthyPercent), so nothing can move.'),
        t('Raise maximumPercent above 100, or lower minimumHealthyPercent below 100.'),
      );
    case 'circuit-breaker':
      return out(
        facts.rollingBackTo
          ? t('The deployment circuit breaker stopped this rollout because the new tasks kept failing, and ECS is rolling back to {0}.', facts.rollingBackTo)
          : t('The deployment circuit breaker stopped this rollout because the new tasks kept failing to start or to stay healthy.'),
        t('Read the stopped tasks\' reasons below, fix the task definition (image, ports, health check), and deploy a new revision.'),
      );
    case 'image-pull':
      return out(
        facts.image
          ? t('ECS cannot pull the image {0}: it does not exist or cannot be reached, so the new tasks stop before they start.', facts.image)
          : t('ECS cannot pull the new tasks\' image: it does not exist or cannot be reached, so they stop before they start.'),
        t('Check the image name and tag in the task definition (and that the registry can be reached), then register a corrected revision and deploy it.'),
      );
    case 'task-stopped':
      return out(
        t('A new task stopped soon after it started: its essential container exited.'),
        t('Read the stopped reason and the exit code below, fix the app or the task definition, and deploy again.'),
      );
    case 'other':
      return out(t('ECS could not start the new tasks.'), t('Read ECS\'s message below and the service\'s events for the reason.'));
  }
}

/** Static host ports, CPU, memory and image of a task definition (the revision being rolled out). */
export function revisionFacts(td: TaskDefinition | undefined): Pick<ProblemFacts, 'hostPorts' | 'cpu' | 'memory' | 'image'> {
  if (!td) return {};
  const containers = td.containerDefinitions ?? [];
  const hostPorts = [...new Set(containers.flatMap((c) => (c.portMappings ?? []).map((p) => p.hostPort ?? 0)).filter((p) => p > 0))].sort((a, b) => a - b);
  const sum = (f: (c: (typeof containers)[number]) => number | undefined) => containers.reduce((n, c) => n + (f(c) ?? 0), 0);
  const cpu = Number(td.cpu) || sum((c) => c.cpu) || undefined;
  const memory = Number(td.memory) || sum((c) => c.memoryReservation ?? c.memory) || undefined;
  return { hostPorts, ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}), ...(containers[0]?.image ? { image: containers[0].image } : {}) };
}

/**
 * The plain explanation of a rollout's problem (undefined when it has none): its kind and ECS's
 * text from `computeRollout`, the facts from the new revision's task definition (when known) and
 * from the deployments.
 */
export function explainRollout(p: RolloutProgress | undefined, td?: TaskDefinition, t: Translate = defaultTranslate, _service?: Service): PlainExplanation | undefined {
  if (!p?.explanationKind || p.state === 'completed') return undefined;
  const failedOther = p.others.find((d) => d.rolloutState === 'FAILED');
  const facts: ProblemFacts = {
    ...revisionFacts(td),
    oldTasksRunning: p.others.some((d) => d.running > 0),
    ...(p.explanationKind === 'circuit-breaker' && failedOther ? { rollingBackTo: p.primary.revision } : {}),
  };
  return explainProblem(p.explanationKind, p.explanation, facts, t);
}
