import type { Command } from '../types';
import { createClusterCommand } from './cluster';
import { createLoadBalancerCommand } from './load-balancer';
import { registerRevisionCommand } from './revision';
import { createServiceCommand } from './service';
import { registerTaskDefinitionCommand } from './task-definition';

/**
 * Commands that create resources (cluster, task definition, revision, load balancer, service), in
 * the hands-on's order. Each takes a tree node, nothing (asks step by step) or an argument object
 * (documented in its file) and returns what it created.
 */
export const createCommands: Command[] = [
  createClusterCommand,
  registerTaskDefinitionCommand,
  registerRevisionCommand,
  createLoadBalancerCommand,
  createServiceCommand,
];
