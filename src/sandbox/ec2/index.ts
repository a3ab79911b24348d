/**
 * Amazon EC2 (ec2 query protocol, `Version=2016-11-15`): the subset the hands-on needs — the
 * default network, security groups, launch templates, instances and tags. Handlers get the form
 * decoded into nested objects (see service.ts) and return the `<OpResponse>` contents with EC2's
 * element names.
 */
import type { Handler, ServiceDefinition } from '../service';
import { checkDryRun } from './input';
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
import { createTags, deleteTags, describeTags } from './tags';
import { describeAvailabilityZones, describeSubnets, describeVpcs } from './vpcs';

type Op = (ctx: Parameters<Handler>[0], input: Record<string, unknown>) => unknown;

/** Every handler gets an object, whatever the decoder produced for an empty form. */
const op = (fn: Op): Handler => (ctx, input) => fn(ctx, input && typeof input === 'object' && !Array.isArray(input) ? input : {});

/** Read-only operations answer DryRun before anything else. */
const ro = (fn: Op): Handler =>
  op((ctx, input) => {
    checkDryRun(input);
    return fn(ctx, input);
  });

export const ec2Service: ServiceDefinition = {
  signingName: 'ec2',
  protocol: 'ec2Query',
  version: '2016-11-15',
  xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  operations: {
    DescribeAvailabilityZones: ro(describeAvailabilityZones),
    DescribeVpcs: ro(describeVpcs),
    DescribeSubnets: ro(describeSubnets),
    DescribeSecurityGroups: ro(describeSecurityGroups),
    DescribeSecurityGroupRules: ro(describeSecurityGroupRules),
    CreateSecurityGroup: op(createSecurityGroup),
    AuthorizeSecurityGroupIngress: op(authorizeSecurityGroupIngress),
    RevokeSecurityGroupIngress: op(revokeSecurityGroupIngress),
    AuthorizeSecurityGroupEgress: op(authorizeSecurityGroupEgress),
    RevokeSecurityGroupEgress: op(revokeSecurityGroupEgress),
    DeleteSecurityGroup: op(deleteSecurityGroup),
    CreateLaunchTemplate: op(createLaunchTemplate),
    CreateLaunchTemplateVersion: op(createLaunchTemplateVersion),
    DescribeLaunchTemplates: ro(describeLaunchTemplates),
    DescribeLaunchTemplateVersions: ro(describeLaunchTemplateVersions),
    ModifyLaunchTemplate: op(modifyLaunchTemplate),
    DeleteLaunchTemplate: op(deleteLaunchTemplate),
    RunInstances: op(runInstances),
    DescribeInstances: ro(describeInstances),
    DescribeInstanceStatus: ro(describeInstanceStatus),
    TerminateInstances: op(terminateInstances),
    DescribeInstanceTypes: ro(describeInstanceTypes),
    CreateTags: op(createTags),
    DeleteTags: op(deleteTags),
    DescribeTags: ro(describeTags),
  },
};

export { launchInstances, type LaunchRequest, type Launched } from './instances';
export { findTemplate, resolveVersion, type TemplateData } from './launch-templates';
export type { Ec2Context } from './input';
