/**
 * AWS Systems Manager (awsJson1_1, `X-Amz-Target: AmazonSSM.<Operation>`): the Parameter Store
 * reads the hands-on needs to find the ECS-optimized AMI.
 */
import type { ServiceDefinition } from '../service';
import { getParameter, getParameters, getParametersByPath } from './parameters';

export const ssmService: ServiceDefinition = {
  signingName: 'ssm',
  protocol: 'awsJson1_1',
  targetPrefix: 'AmazonSSM',
  errorMessageKey: 'message',
  operations: {
    GetParameter: (ctx, input) => getParameter(ctx, input ?? {}),
    GetParameters: (ctx, input) => getParameters(ctx, input ?? {}),
    GetParametersByPath: (ctx, input) => getParametersByPath(ctx, input ?? {}),
  },
};
