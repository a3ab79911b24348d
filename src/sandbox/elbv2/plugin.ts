/**
 * Elastic Load Balancing v2 as a sandbox plug-in: its API, and this sandbox's load-balancing run
 * time (wiring.ts): the ECS hooks (register, health gate, drain, replace unhealthy tasks), the
 * target health checks and the ALB proxies, with their listeners and counters.
 */
import type { PluginFactory } from '../plugin';
import { elbv2Service } from './index';
import { createElbv2Runtime } from './wiring';

export const elbv2Plugin: PluginFactory = (host) => {
  const elb = createElbv2Runtime({
    world: host.world,
    clock: host.clock,
    runtime: host.runtime,
    stopTask: (rs, task, code, reason) => host.engine.stopTask(rs, task, code, reason),
    log: (m) => host.log(m),
  });
  return {
    name: 'elbv2',
    services: [elbv2Service],
    hooks: elb.hooks,
    tick: (now) => elb.tick(now),
    endpoints: () => elb.endpoints(),
    metrics: () => elb.metrics(),
    shutdown: () => elb.close(),
  };
};
