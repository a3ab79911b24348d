/**
 * CloudWatch as a sandbox plug-in: its API, and a tick after the engine's that samples every
 * region's metrics (the ALB counters of this sandbox's load balancers included) and evaluates its
 * alarms, running their actions with this sandbox's plug-ins.
 */
import { forEachRegion, type PluginFactory } from '../plugin';
import { cloudwatchService, cloudwatchTick } from './index';

export const cloudwatchPlugin: PluginFactory = (host) => ({
  name: 'cloudwatch',
  services: [cloudwatchService],
  tick(now) {
    const sources = { albMetrics: () => host.albMetrics() };
    forEachRegion(host, now, (ctx) => cloudwatchTick(ctx, sources, (c, arn, event) => host.invokeAlarmAction(c, arn, event)));
  },
});
