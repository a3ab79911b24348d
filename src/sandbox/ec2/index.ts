/**
 * Amazon EC2 (ec2 query protocol, `Version=2016-11-15`): the subset the hands-on needs — the
 * default network, security groups, launch templates, instances and tags. Handlers get the form
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
import { describeAvailabilityZones, describeSubnets, describeVpcs } from './vpcs';

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
    DescribeSubnets: ro(describeSubnets),
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
