/**
 * What a sandbox serves: its plug-ins, in tick order, and their services. Each service folder
 * exports its ServiceDefinition; the plug-ins (plugin.ts) add what runs beside the APIs.
 */
import { applicationAutoScalingService } from './application-autoscaling';
import { autoScalingService } from './autoscaling';
import { cloudwatchService } from './cloudwatch';
import { cloudwatchPlugin } from './cloudwatch/plugin';
import { ec2Service } from './ec2';
import { ecsService } from './ecs';
import { elbv2Service } from './elbv2';
import { elbv2Plugin } from './elbv2/plugin';
import { servicesPlugin, type PluginFactory } from './plugin';
import { scalingPlugin } from './scaling';
import type { ServiceDefinition } from './service';
import { iamService } from './iam';
import { logsService } from './logs';
import { logsPlugin } from './logs/plugin';
import { ssmService } from './ssm';
import { stsService } from './sts';

/**
 * The core APIs (the engine runs their state; IAM and STS keep the account's), then the plug-ins that tick after the engine, in
 * this order: ELBv2 (health checks, proxies), CloudWatch (metrics, alarms), scaling — so that an
 * alarm's change of desired capacity is acted on in the same tick — and CloudWatch Logs (the API,
 * the tasks' awslogs driver, retention).
 */
export const plugins: readonly PluginFactory[] = [servicesPlugin('core', [ecsService, ec2Service, ssmService, iamService, stsService]), elbv2Plugin, cloudwatchPlugin, scalingPlugin, logsPlugin];

/** Every service the plug-ins above serve, in the same order (tools and tests that need the definitions only). */
export const services: readonly ServiceDefinition[] = [ecsService, ec2Service, ssmService, iamService, stsService, elbv2Service, cloudwatchService, applicationAutoScalingService, autoScalingService, logsService];
