import type { Command } from '../types';
import { configureClusterAutoScaling } from './autoscaling-cluster';
import { configureServiceAutoScaling } from './autoscaling-service';
import { cleanup } from './cleanup';
import { copyArn } from './copy-arn';
import { deleteService } from './delete-service';
import { deployRevision } from './deploy-revision';
import { deregisterRevision } from './deregister-revision';
import { forceNewDeployment } from './force-new-deployment';
import { configureHealthCheck } from './health-check';
import { inspectResource } from './inspect';
import { runLoadTest, stopLoadTest } from './load-test';
import { openConsole } from './open-console';
import { openLoadBalancer } from './open-load-balancer';
import { openTask } from './open-task';
import { scaleService } from './scale-service';
import { stopTask } from './stop-task';
import { updateService } from './update-service';

/** Commands that operate on what exists (update, deploy, stop, inspect, scale, load test, clean up). */
export const operateCommands: Command[] = [
  updateService,
  deployRevision,
  scaleService,
  forceNewDeployment,
  deleteService,
  stopTask,
  openTask,
  openLoadBalancer,
  configureHealthCheck,
  deregisterRevision,
  inspectResource,
  copyArn,
  openConsole,
  configureServiceAutoScaling,
  configureClusterAutoScaling,
  runLoadTest,
  stopLoadTest,
  cleanup,
];
