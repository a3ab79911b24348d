/**
 * What a user does on a fresh AWS account before EC2 instances can join an ECS cluster (the ECS
 * console did it for them in the article's 2017 flow): the role `ecsInstanceRole` that EC2 may
 * assume, with the managed policy AmazonEC2ContainerServiceforEC2Role, in an instance profile of
 * the same name — through the IAM API, as `aws iam …` or the SDK does it.
 */
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';

export const EC2_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
export const ECS_INSTANCE_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';

/** Creates the role and the instance profile `name` (default ecsInstanceRole); returns the profile's ARN. */
export async function createEcsInstanceRole(iam: IAMClient, name = 'ecsInstanceRole'): Promise<string> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: ECS_INSTANCE_POLICY_ARN }));
  const p = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return p.InstanceProfile!.Arn!;
}

/** The same steps with the AWS CLI (`aws(args)` runs one command and returns its parsed JSON). */
export async function createEcsInstanceRoleWithCli(aws: (args: string[]) => Promise<any>, name = 'ecsInstanceRole'): Promise<void> {
  await aws(['iam', 'create-role', '--role-name', name, '--assume-role-policy-document', EC2_TRUST_POLICY]);
  await aws(['iam', 'attach-role-policy', '--role-name', name, '--policy-arn', ECS_INSTANCE_POLICY_ARN]);
  await aws(['iam', 'create-instance-profile', '--instance-profile-name', name]);
  await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', name, '--role-name', name]);
}
