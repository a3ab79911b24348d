/**
 * IAM for unit tests: the sandbox's own IAM handlers called with a request context, as a user's
 * `aws iam …` calls would reach them.
 */
import { iamService } from '../../../src/sandbox/iam';
import type { RequestContext } from '../../../src/sandbox/service';

export const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
export const ECS_INSTANCE_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';

/** Calls an IAM operation with its input as the query wire would deliver it. */
export const iam = (ctx: RequestContext, op: string, input: Record<string, unknown>): unknown => iamService.operations[op](ctx, input);

/** What the ECS console (and the AWS CLI steps of the docs) create: the role, its policy, an instance profile holding it. */
export function createInstanceRole(ctx: RequestContext, name = 'ecsInstanceRole'): void {
  iam(ctx, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: EC2_TRUST });
  iam(ctx, 'AttachRolePolicy', { RoleName: name, PolicyArn: ECS_INSTANCE_POLICY });
  iam(ctx, 'CreateInstanceProfile', { InstanceProfileName: name });
  iam(ctx, 'AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: name });
}
