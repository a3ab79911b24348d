import type { Command } from '../types';

/** Commands that create resources (cluster, task definition, revision, load balancer, service). */
export const createCommands: Command[] = [];
