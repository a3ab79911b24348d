/** The AWS services the sandbox serves. Each service folder exports its ServiceDefinition. */
import { ec2Service } from './ec2';
import { ecsService } from './ecs';
import type { ServiceDefinition } from './service';
import { ssmService } from './ssm';
import { elbv2Service } from './elbv2';
import type { SandboxExtension } from './extensions';
import { cloudwatchExtension } from './cloudwatch';
import { scalingExtension } from './scaling';

/** Services beyond the ECS core that also run on the sandbox clock. */
/** CloudWatch first: an alarm's change of desired capacity is acted on in the same tick. */
export const extensions: readonly SandboxExtension[] = [cloudwatchExtension, scalingExtension];

export const services: readonly ServiceDefinition[] = [ecsService, ec2Service, ssmService, elbv2Service, ...extensions.flatMap((e) => e.services)];
