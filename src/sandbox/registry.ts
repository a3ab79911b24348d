/** The AWS services the sandbox serves. Each service folder exports its ServiceDefinition. */
import { ec2Service } from './ec2';
import { ecsService } from './ecs';
import type { ServiceDefinition } from './service';
import { ssmService } from './ssm';

export const services: readonly ServiceDefinition[] = [ecsService, ec2Service, ssmService];
