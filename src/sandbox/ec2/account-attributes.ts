/**
 * DescribeAccountAttributes: what tools read before they plan a launch (Terraform, the console,
 * the CLI's `run-instances` wizardry): the platforms (EC2-VPC only), the default VPC of the region,
 * and the limits the sandbox enforces.
 */
import type { DescribeAccountAttributesCommandInput } from '@aws-sdk/client-ec2';
import type { Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { INSTANCE_LIMIT } from './instances';

const ATTRIBUTES: Record<string, (ctx: RequestContext) => string[]> = {
  'supported-platforms': () => ['VPC'],
  'default-vpc': (ctx) => [Object.values(ctx.state.ec2.vpcs).find((v) => v.isDefault)?.vpcId ?? 'none'],
  'max-instances': () => [String(INSTANCE_LIMIT)],
  'vpc-max-security-groups-per-interface': () => ['5'],
  'max-elastic-ips': () => ['5'],
  'vpc-max-elastic-ips': () => ['5'],
};

export const describeAccountAttributes: Operation<DescribeAccountAttributesCommandInput> = (ctx, input) => {
  const names = input.AttributeNames?.length ? input.AttributeNames : Object.keys(ATTRIBUTES);
  const unknown = names.find((n) => !Object.hasOwn(ATTRIBUTES, n));
  if (unknown !== undefined) throw new AwsError('InvalidParameterValue', `Value (${unknown}) for parameter attributeName is invalid. Valid values are: ${Object.keys(ATTRIBUTES).join(', ')}`);
  return {
    accountAttributeSet: [...new Set(names)].map((n) => ({
      attributeName: n,
      attributeValueSet: ATTRIBUTES[n](ctx).map((attributeValue) => ({ attributeValue })),
    })),
  };
};
