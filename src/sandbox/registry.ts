/** The AWS services the sandbox serves. Each service folder exports its ServiceDefinition. */
import { ec2Service } from './ec2';
import { ecsService } from './ecs';
import type { ServiceDefinition } from './service';
import { ssmService } from './ssm';
import { elbv2Service } from './elbv2';
import type { SandboxExtension } from './extensions';
import { cloudwatchExtension } from './cloudwatch';

/** Services beyond the ECS core that also run on the sandbox clock. */
export const extensions: readonly SandboxExtension[] = [cloudwatchExtension];

export const services: readonly ServiceDefinition[] = [ecsService, ec2Service, ssmService, elbv2Service, ...extensions.flatMap((e) => e.services)];
