/**
 * EC2's not-found and malformed-id errors, with the codes and message shapes EC2 uses.
 */
import { AwsError } from '../protocol/errors';

const quoteList = (ids: string[]): string => ids.join(', ');

export const instanceNotFound = (ids: string[]): AwsError =>
  new AwsError(
    'InvalidInstanceID.NotFound',
    ids.length === 1 ? `The instance ID '${ids[0]}' does not exist` : `The instance IDs '${quoteList(ids)}' do not exist`,
  );

export const vpcNotFound = (id: string): AwsError => new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);

export const subnetNotFound = (id: string): AwsError =>
  new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);

export const internetGatewayNotFound = (id: string): AwsError =>
  new AwsError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`);

export const routeTableNotFound = (id: string): AwsError => new AwsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);

export const associationNotFound = (id: string): AwsError => new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);

export const keyPairNotFound = (nameOrId: string): AwsError => new AwsError('InvalidKeyPair.NotFound', `The key pair '${nameOrId}' does not exist`);

/** DeleteVpc / DeleteSubnet / DeleteInternetGateway / DeleteRouteTable of a resource still in use. */
export const dependencyViolation = (kind: 'vpc' | 'subnet' | 'internetGateway' | 'routeTable', id: string): AwsError =>
  new AwsError('DependencyViolation', `The ${kind} '${id}' has dependencies and cannot be deleted.`);

export const groupNotFound = (id: string): AwsError =>
  new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);

export const groupNameNotFound = (name: string, vpcId: string): AwsError =>
  new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId}'`);

export const launchTemplateIdNotFound = (id: string): AwsError =>
  new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);

export const launchTemplateNameNotFound = (): AwsError =>
  new AwsError(
    'InvalidLaunchTemplateName.NotFoundException',
    'At least one of the launch templates specified in the request does not exist.',
  );

/** Ids have a prefix and 8 or 17 lowercase hex digits. */
export const ID_PATTERN: Record<string, RegExp> = {
  instance: /^i-([0-9a-f]{8}|[0-9a-f]{17})$/,
  'security-group': /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/,
  'launch-template': /^lt-([0-9a-f]{8}|[0-9a-f]{17})$/,
  vpc: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
  subnet: /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/,
  image: /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/,
  'internet-gateway': /^igw-([0-9a-f]{8}|[0-9a-f]{17})$/,
  'route-table': /^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/,
};

const MALFORMED_CODE: Record<string, string> = {
  instance: 'InvalidInstanceID.Malformed',
  'security-group': 'InvalidGroupId.Malformed',
  'launch-template': 'InvalidLaunchTemplateId.Malformed',
  vpc: 'InvalidVpcID.Malformed',
  subnet: 'InvalidSubnetID.Malformed',
  image: 'InvalidAMIID.Malformed',
  'internet-gateway': 'InvalidInternetGatewayId.Malformed',
  'route-table': 'InvalidRouteTableId.Malformed',
};

const PREFIX: Record<string, string> = {
  instance: 'i-',
  'security-group': 'sg-',
  'launch-template': 'lt-',
  vpc: 'vpc-',
  subnet: 'subnet-',
  image: 'ami-',
  'internet-gateway': 'igw-',
  'route-table': 'rtb-',
};

/** Throws EC2's `…Malformed` error unless `id` has the shape of a `kind` id. */
export function checkId(kind: keyof typeof ID_PATTERN, id: string): void {
  if (ID_PATTERN[kind].test(id)) return;
  const code = MALFORMED_CODE[kind];
  if (kind === 'launch-template') {
    throw new AwsError(code, `The launch template ID '${id}' is malformed.`);
  }
  throw new AwsError(code, `Invalid id: "${id}" (expecting "${PREFIX[kind]}...")`);
}
