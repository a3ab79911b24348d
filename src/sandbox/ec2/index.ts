/**
 * Amazon EC2 (ec2 query protocol, `Version=2016-11-15`): the subset the ECS world needs — VPCs,
 * subnets, internet gateways, route tables, key pairs, security groups, launch templates,
 * instances and tags. Handlers get the form
 * decoded into nested objects (see service.ts) and return the `<OpResponse>` contents with EC2's
 * element names.
 */
import type * as EC2Api from '@aws-sdk/client-ec2';
import { defineService, ec2Dialect, type Operation } from '../kit';
import { describeAccountAttributes } from './account-attributes';
import { describeInstanceTypes } from './describe-instance-types';
import { describeInstances, describeInstanceStatus, terminateInstances } from './instance-lifecycle';
import { runInstances } from './instances';
import {
  createLaunchTemplate,
  createLaunchTemplateVersion,
  deleteLaunchTemplate,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  modifyLaunchTemplate,
} from './launch-templates';
import {
  authorizeSecurityGroupEgress,
  authorizeSecurityGroupIngress,
  createSecurityGroup,
  deleteSecurityGroup,
  describeSecurityGroupRules,
  describeSecurityGroups,
  revokeSecurityGroupEgress,
  revokeSecurityGroupIngress,
} from './security-groups';
import { checkDryRun } from './request';
import { createTags, deleteTags, describeTags } from './tags';
import {
  attachInternetGateway,
  createInternetGateway,
  deleteInternetGateway,
  describeInternetGateways,
  detachInternetGateway,
} from './internet-gateways';
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair } from './key-pairs';
import {
  associateRouteTable,
  createRoute,
  createRouteTable,
  deleteRoute,
  deleteRouteTable,
  describeRouteTables,
  disassociateRouteTable,
  replaceRouteTableAssociation,
} from './route-tables';
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from './subnets';
import { createVpc, deleteVpc, describeAvailabilityZones, describeVpcAttribute, describeVpcs, modifyVpcAttribute } from './vpcs';

/** Read-only operations answer DryRun before anything else. */
const ro =
  <I extends { DryRun?: boolean }>(fn: Operation<I>): Operation<I> =>
  (ctx, input) => {
    checkDryRun(input);
    return fn(ctx, input);
  };

export const ec2Service = defineService<typeof EC2Api>(
  { signingName: 'ec2', protocol: 'ec2Query', version: '2016-11-15', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', dialect: ec2Dialect },
  {
    DescribeAccountAttributes: ro(describeAccountAttributes),
    DescribeAvailabilityZones: ro(describeAvailabilityZones),
    DescribeVpcs: ro(describeVpcs),
    CreateVpc: createVpc,
    DeleteVpc: deleteVpc,
    DescribeVpcAttribute: ro(describeVpcAttribute),
    ModifyVpcAttribute: modifyVpcAttribute,
    DescribeSubnets: ro(describeSubnets),
    CreateSubnet: createSubnet,
    DeleteSubnet: deleteSubnet,
    ModifySubnetAttribute: modifySubnetAttribute,
    CreateInternetGateway: createInternetGateway,
    AttachInternetGateway: attachInternetGateway,
    DetachInternetGateway: detachInternetGateway,
    DeleteInternetGateway: deleteInternetGateway,
    DescribeInternetGateways: ro(describeInternetGateways),
    CreateRouteTable: createRouteTable,
    DeleteRouteTable: deleteRouteTable,
    DescribeRouteTables: ro(describeRouteTables),
    CreateRoute: createRoute,
    DeleteRoute: deleteRoute,
    AssociateRouteTable: associateRouteTable,
    DisassociateRouteTable: disassociateRouteTable,
    ReplaceRouteTableAssociation: replaceRouteTableAssociation,
    CreateKeyPair: createKeyPair,
    ImportKeyPair: importKeyPair,
    DescribeKeyPairs: ro(describeKeyPairs),
    DeleteKeyPair: deleteKeyPair,
    DescribeSecurityGroups: ro(describeSecurityGroups),
    DescribeSecurityGroupRules: ro(describeSecurityGroupRules),
    CreateSecurityGroup: createSecurityGroup,
    AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
    RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
    RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
    DeleteSecurityGroup: deleteSecurityGroup,
    CreateLaunchTemplate: createLaunchTemplate,
    CreateLaunchTemplateVersion: createLaunchTemplateVersion,
    DescribeLaunchTemplates: ro(describeLaunchTemplates),
    DescribeLaunchTemplateVersions: ro(describeLaunchTemplateVersions),
    ModifyLaunchTemplate: modifyLaunchTemplate,
    DeleteLaunchTemplate: deleteLaunchTemplate,
    RunInstances: runInstances,
    DescribeInstances: ro(describeInstances),
    DescribeInstanceStatus: ro(describeInstanceStatus),
    TerminateInstances: terminateInstances,
    DescribeInstanceTypes: ro(describeInstanceTypes),
    CreateTags: createTags,
    DeleteTags: deleteTags,
    DescribeTags: ro(describeTags),
  },
);

export { launchInstances, type LaunchRequest, type Launched } from './instances';
export { findTemplate, resolveVersion, type TemplateData } from './launch-templates';
export type { Ec2Context } from './request';
