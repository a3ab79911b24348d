/**
 * Service events: the exact texts ECS writes, newest first, at most 100 kept, and rate limiting
 * for the ones ECS repeats (unplaceable tasks, configuration that blocks a deployment).
 */
import { uuid } from './ids';
import type { Service } from './state';

export const MAX_EVENTS = 100;

export function addEvent(service: Service, now: number, message: string): void {
  if (!service.events) service.events = [];
  service.events.unshift({ id: uuid(), createdAt: now, message });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
}

/** Emits `message` unless an event of the same `key` was emitted less than `intervalMs` ago. */
export function addGatedEvent(service: Service, now: number, key: string, intervalMs: number, message: string): boolean {
  if (!service.eventGate) service.eventGate = {};
  const next = service.eventGate[key];
  if (next !== undefined && now < next) return false;
  service.eventGate[key] = now + intervalMs;
  addEvent(service, now, message);
  return true;
}

const GUIDE = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

export type PlacementProblem = 'CPU' | 'MEMORY' | 'PORTS' | 'NO_INSTANCES' | 'MEMBER_OF' | 'DISTINCT_INSTANCE';

export const messages = {
  started: (svc: string, taskIds: string[]) =>
    `(service ${svc}) has started ${taskIds.length} tasks: ${taskIds.map((t) => `(task ${t})`).join(' ')}.`,
  stopped: (svc: string, taskIds: string[]) =>
    `(service ${svc}) has stopped ${taskIds.length} running tasks: ${taskIds.map((t) => `(task ${t})`).join(' ')}.`,
  unplaceable: (svc: string, problem: PlacementProblem, containerInstanceId?: string): string => {
    const head = `(service ${svc}) was unable to place a task because no container instance met all of its requirements.`;
    if (problem === 'NO_INSTANCES') return `${head} Reason: No Container Instances were found in your cluster. ${GUIDE}`;
    if (problem === 'MEMBER_OF' || problem === 'DISTINCT_INSTANCE') {
      const error = problem === 'MEMBER_OF' ? 'MemberOf placement constraint unsatisfied.' : 'DistinctInstance placement constraint unsatisfied.';
      return `${head} The closest matching (container-instance ${containerInstanceId}) encountered error "${error}". ${GUIDE}`;
    }
    const what =
      problem === 'PORTS'
        ? 'is already using a port required by your task'
        : problem === 'CPU'
          ? 'has insufficient CPU units available'
          : 'has insufficient memory available';
    return `${head} The closest matching (container-instance ${containerInstanceId}) ${what}. ${GUIDE}`;
  },
  deploymentCompleted: (svc: string, deploymentId: string) => `(service ${svc}) (deployment ${deploymentId}) deployment completed.`,
  deploymentFailed: (svc: string, deploymentId: string) =>
    `(service ${svc}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  rollingBack: (svc: string, deploymentId: string) => `(service ${svc}) rolling back to deployment ${deploymentId}.`,
  steadyState: (svc: string) => `(service ${svc}) has reached a steady state.`,
  configurationBlocks: (svc: string) =>
    `(service ${svc}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
  rolloutInProgress: (deploymentId: string) => `ECS deployment ${deploymentId} in progress.`,
  rolloutCompleted: (deploymentId: string) => `ECS deployment ${deploymentId} completed.`,
  circuitBreaker: 'ECS deployment circuit breaker: tasks failed to start.',
  scalingActivity: (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`,
  userStopped: 'Task stopped by user',
  essentialExited: 'Essential container in task exited',
  hostTerminated: (instanceId: string) => `Host EC2 (instance ${instanceId}) terminated.`,
  noContainerInstances: 'No Container Instances were found in your cluster.',
  // Not ECS texts: the sandbox's own limit on task processes (--max-tasks).
  taskLimitReason: (max: number) =>
    `SandboxTaskLimitReached: this sandbox runs at most ${max} task processes at a time and ${max} are running. Stop tasks or scale services down, or restart the sandbox with a higher --max-tasks.`,
  taskLimitEvent: (svc: string, max: number) =>
    `(service ${svc}) was unable to start a task because the sandbox's limit of ${max} running task processes was reached. Stop tasks or scale services down, or restart the sandbox with a higher limit (ecs-handson-sandbox --max-tasks N).`,
};
