/**
 * AWS Systems Manager (awsJson1_1, `X-Amz-Target: AmazonSSM.<Operation>`): the Parameter Store
 * reads the hands-on needs to find the ECS-optimized AMI.
 */
import type * as SSMApi from '@aws-sdk/client-ssm';
import { defineService, SSM } from '../kit';
import { getParameter, getParameters, getParametersByPath } from './parameters';

export const ssmService = defineService<typeof SSMApi>(
  { signingName: 'ssm', protocol: 'awsJson1_1', targetPrefix: 'AmazonSSM', errorMessageKey: 'message', dialect: SSM },
  { GetParameter: getParameter, GetParameters: getParameters, GetParametersByPath: getParametersByPath },
);
