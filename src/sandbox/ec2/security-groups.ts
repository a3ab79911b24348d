/**
 * Security groups: DescribeSecurityGroups, CreateSecurityGroup, Authorize/RevokeSecurityGroupIngress,
 * DeleteSecurityGroup. Every request is validated in full before anything changes.
 */
import type {
  AuthorizeSecurityGroupEgressCommandInput,
  AuthorizeSecurityGroupIngressCommandInput,
  CreateSecurityGroupCommandInput,
  DeleteSecurityGroupCommandInput,
  DescribeSecurityGroupRulesCommandInput,
  DescribeSecurityGroupsCommandInput,
  RevokeSecurityGroupEgressCommandInput,
  RevokeSecurityGroupIngressCommandInput,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { SecurityGroup } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { checkId, groupNameNotFound, groupNotFound, vpcNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { type Ec2Context, checkDryRun, missing, pageSize, tagSet, tagsFor } from './request';
import {
  addRule,
  describeRule,
  hasRule,
  parseRules,
  permissionOutput,
  removeRule,
  ruleId,
  ruleOutput,
  rulesOf,
  type Rule,
  type RulesInput,
} from './sg-rules';

export function defaultVpcId(ctx: Ec2Context): string {
  const vpc = Object.values(ctx.state.ec2.vpcs).find((v) => v.isDefault);
  if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
  return vpc.vpcId;
}

export const groupArn = (ctx: RequestContext, id: string): string => `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${id}`;

export function groupOutput(ctx: RequestContext, sg: SecurityGroup) {
  return {
    groupId: sg.groupId,
    groupName: sg.groupName,
    groupDescription: sg.description,
    vpcId: sg.vpcId,
    ownerId: ctx.accountId,
    securityGroupArn: groupArn(ctx, sg.groupId),
    ipPermissions: sg.ipPermissions.map((p) => permissionOutput(p, ctx.accountId)),
    ipPermissionsEgress: sg.ipPermissionsEgress.map((p) => permissionOutput(p, ctx.accountId)),
    tagSet: tagSet(sg.tags),
  };
}

/** A group by id (any VPC) or by name (the default VPC, as EC2 resolves names). */
export function findGroup(ctx: Ec2Context, ref: { id?: string; name?: string }): SecurityGroup {
  if (ref.id !== undefined && ref.id !== '') {
    checkId('security-group', ref.id);
    const sg = ctx.state.ec2.securityGroups[ref.id];
    if (!sg) throw groupNotFound(ref.id);
    return sg;
  }
  if (ref.name !== undefined && ref.name !== '') {
    const vpcId = defaultVpcId(ctx);
    const sg = Object.values(ctx.state.ec2.securityGroups).find((g) => g.vpcId === vpcId && g.groupName === ref.name);
    if (!sg) throw groupNameNotFound(ref.name, vpcId);
    return sg;
  }
  throw new AwsError('MissingParameter', 'The request must contain the parameter groupName or groupId');
}

export const describeSecurityGroups: Operation<DescribeSecurityGroupsCommandInput> = (ctx, input) => {
  const ids = input.GroupIds ?? [];
  const names = input.GroupNames ?? [];
  const picked = new Set<string>();
  for (const id of ids) picked.add(findGroup(ctx, { id }).groupId);
  for (const name of names) picked.add(findGroup(ctx, { name }).groupId);
  const all = Object.values(ctx.state.ec2.securityGroups);
  const selected = ids.length + names.length > 0 ? all.filter((g) => picked.has(g.groupId)) : all;
  const rules = (g: SecurityGroup) => rulesOf(g.ipPermissions);
  const egress = (g: SecurityGroup) => rulesOf(g.ipPermissionsEgress);
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'group-id': (g) => g.groupId,
      'group-name': (g) => g.groupName,
      'vpc-id': (g) => g.vpcId,
      description: (g) => g.description,
      'owner-id': () => ctx.accountId,
      'ip-permission.protocol': (g) => rules(g).map((r) => r.ipProtocol),
      'ip-permission.from-port': (g) => rules(g).map((r) => (r.fromPort === undefined ? undefined : String(r.fromPort))),
      'ip-permission.to-port': (g) => rules(g).map((r) => (r.toPort === undefined ? undefined : String(r.toPort))),
      'ip-permission.cidr': (g) => rules(g).map((r) => ('cidrIp' in r.source ? r.source.cidrIp : undefined)),
      'ip-permission.group-id': (g) => rules(g).map((r) => ('groupId' in r.source ? r.source.groupId : undefined)),
      'egress.ip-permission.cidr': (g) => egress(g).map((r) => ('cidrIp' in r.source ? r.source.cidrIp : undefined)),
      'egress.ip-permission.protocol': (g) => egress(g).map((r) => r.ipProtocol),
    },
    (g) => g.tags,
  );
  const { page, next } = paginate(
    out,
    { op: 'DescribeSecurityGroups', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (g) => g.groupId },
    ec2Dialect,
  );
  return { securityGroupInfo: page.map((g) => groupOutput(ctx, g)), nextToken: next };
};

/** EC2-VPC group names and descriptions: ASCII letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* */
const VPC_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

export const createSecurityGroup: Operation<CreateSecurityGroupCommandInput> = (ctx, input) => {
  const name = input.GroupName;
  if (name === undefined || name === '') throw missing('groupName');
  const description = input.Description;
  if (description === undefined || description === '') throw missing('groupDescription');
  if (name.length > 255) throw new AwsError('InvalidParameterValue', `Invalid value '${name}' for groupName. Length exceeds maximum of 255.`);
  if (description.length > 255) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${description}' for GroupDescription. Length exceeds maximum of 255.`);
  }
  if (!VPC_CHARS.test(name)) {
    throw new AwsError('InvalidParameterValue', `Value (${name}) for parameter GroupName is invalid. Character sets beyond ASCII are not supported.`);
  }
  if (!VPC_CHARS.test(description)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${description}) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.`,
    );
  }
  if (/^sg-/i.test(name)) throw new AwsError('InvalidParameterValue', 'Group names may not be in the format sg-*.');
  const vpcId = input.VpcId || defaultVpcId(ctx);
  checkId('vpc', vpcId);
  if (!ctx.state.ec2.vpcs[vpcId]) throw vpcNotFound(vpcId);
  if (name === 'default') throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved");
  if (Object.values(ctx.state.ec2.securityGroups).some((g) => g.vpcId === vpcId && g.groupName === name)) {
    throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
  }
  const tags = tagsFor(input.TagSpecifications, 'security-group', ['security-group']);
  checkDryRun(input);
  const groupId = ec2Id('sg');
  const sg: SecurityGroup = {
    groupId,
    groupName: name,
    description,
    vpcId,
    ipPermissions: [],
    ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }], userIdGroupPairs: [] }],
    tags,
  };
  ctx.state.ec2.securityGroups[groupId] = sg;
  return { groupId, tagSet: tagSet(tags), securityGroupArn: groupArn(ctx, groupId) };
};

function targetGroup(ctx: RequestContext, input: { GroupId?: string; GroupName?: string }): SecurityGroup {
  return findGroup(ctx, { id: input.GroupId, name: input.GroupName });
}

/** What Authorize / Revoke Ingress / Egress read. */
type PermissionsInput = RulesInput & { GroupId?: string; GroupName?: string; DryRun?: boolean; TagSpecifications?: TagSpecification[]; SecurityGroupRuleIds?: string[] };

function sourceResolver(ctx: RequestContext, target: SecurityGroup) {
  return (ref: { id?: string; name?: string }): string => {
    if (ref.id) return findGroup(ctx, { id: ref.id }).groupId;
    // A source named by name is looked up in the target's VPC.
    const sg = Object.values(ctx.state.ec2.securityGroups).find((g) => g.vpcId === target.vpcId && g.groupName === ref.name);
    if (!sg) throw groupNameNotFound(ref.name ?? '', target.vpcId);
    return sg.groupId;
  };
}

const permsOf = (sg: SecurityGroup, egress: boolean) => (egress ? sg.ipPermissionsEgress : sg.ipPermissions);

function authorize(ctx: RequestContext, input: PermissionsInput, egress: boolean) {
  // Egress rules are addressed by group id only.
  const sg = egress ? findGroup(ctx, { id: input.GroupId }) : targetGroup(ctx, input);
  const perms = permsOf(sg, egress);
  const rules = parseRules(input, sourceResolver(ctx, sg));
  const seen: Rule[] = [];
  for (const r of rules) {
    const dupInRequest = seen.some((x) => hasRule([toPerm(x)], r));
    if (dupInRequest || hasRule(perms, r)) {
      throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(r)}" already exists`);
    }
    seen.push(r);
  }
  tagsFor(input.TagSpecifications, 'security-group-rule', ['security-group-rule']);
  checkDryRun(input);
  for (const r of rules) addRule(perms, r);
  return { return: true, securityGroupRuleSet: rules.map((r) => ruleOutput(sg, ctx.accountId, egress, r)) };
}

const toPerm = (r: Rule) => {
  const perms: SecurityGroup['ipPermissions'] = [];
  addRule(perms, r);
  return perms[0];
};

function revoke(ctx: RequestContext, input: PermissionsInput, egress: boolean) {
  const sg = egress ? findGroup(ctx, { id: input.GroupId }) : targetGroup(ctx, input);
  const perms = permsOf(sg, egress);
  const ruleIds = input.SecurityGroupRuleIds ?? [];
  let rules: Rule[];
  if (ruleIds.length > 0) {
    const existing = rulesOf(perms);
    rules = ruleIds.map((id) => {
      const r = existing.find((x) => ruleId(sg.groupId, egress, x) === id);
      if (!r) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
      return r;
    });
  } else {
    rules = parseRules(input, sourceResolver(ctx, sg));
  }
  const known = rules.filter((r) => hasRule(perms, r));
  const unknown = rules.filter((r) => !hasRule(perms, r));
  if (known.length === 0) {
    throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  }
  checkDryRun(input);
  const revoked = known.map((r) => ruleOutput(sg, ctx.accountId, egress, r, true));
  for (const r of known) removeRule(perms, r);
  return {
    return: true,
    ...(unknown.length > 0 ? { unknownIpPermissionSet: unknown.map((r) => permissionOutput(toPerm(r), ctx.accountId)) } : {}),
    revokedSecurityGroupRuleSet: revoked,
  };
}

export const authorizeSecurityGroupIngress: Operation<AuthorizeSecurityGroupIngressCommandInput> = (ctx, input) => authorize(ctx, input, false);
export const authorizeSecurityGroupEgress: Operation<AuthorizeSecurityGroupEgressCommandInput> = (ctx, input) => authorize(ctx, input, true);
export const revokeSecurityGroupIngress: Operation<RevokeSecurityGroupIngressCommandInput> = (ctx, input) => revoke(ctx, input, false);
export const revokeSecurityGroupEgress: Operation<RevokeSecurityGroupEgressCommandInput> = (ctx, input) => revoke(ctx, input, true);

export const deleteSecurityGroup: Operation<DeleteSecurityGroupCommandInput> = (ctx, input) => {
  const sg = targetGroup(ctx, input);
  if (sg.groupName === 'default') {
    throw new AwsError('CannotDelete', `the specified group: "${sg.groupId}" name: "default" cannot be deleted by a user`);
  }
  const dependency = () => new AwsError('DependencyViolation', `resource ${sg.groupId} has a dependent object`);
  const ec2 = ctx.state.ec2;
  if (Object.values(ec2.instances).some((i) => i.state !== 'terminated' && i.securityGroupIds.includes(sg.groupId))) throw dependency();
  const referenced = Object.values(ec2.securityGroups).some(
    (g) =>
      g.groupId !== sg.groupId &&
      [...g.ipPermissions, ...g.ipPermissionsEgress].some((p) => p.userIdGroupPairs.some((u) => u.groupId === sg.groupId)),
  );
  if (referenced) throw dependency();
  // Load balancers (kept by their own service under `serviceState`) hold their groups' network interfaces.
  if (JSON.stringify(ctx.state.serviceState ?? {}).includes(`"${sg.groupId}"`)) throw dependency();
  checkDryRun(input);
  delete ec2.securityGroups[sg.groupId];
  return { return: true, groupId: sg.groupId };
};

/** DescribeSecurityGroupRules: every rule of every group, ingress and egress, one source each. */
export const describeSecurityGroupRules: Operation<DescribeSecurityGroupRulesCommandInput> = (ctx, input) => {
  const ids = input.SecurityGroupRuleIds ?? [];
  type Row = { sg: SecurityGroup; egress: boolean; rule: Rule; id: string };
  const rows: Row[] = [];
  for (const sg of Object.values(ctx.state.ec2.securityGroups)) {
    for (const rule of rulesOf(sg.ipPermissions)) rows.push({ sg, egress: false, rule, id: ruleId(sg.groupId, false, rule) });
    for (const rule of rulesOf(sg.ipPermissionsEgress)) rows.push({ sg, egress: true, rule, id: ruleId(sg.groupId, true, rule) });
  }
  const unknown = ids.find((id) => !rows.some((r) => r.id === id));
  if (unknown) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${unknown}' does not exist`);
  const selected = ids.length > 0 ? rows.filter((r) => ids.includes(r.id)) : rows;
  const out = applyFilters(selected, parseFilters(input.Filters), {
    'group-id': (r) => r.sg.groupId,
    'security-group-rule-id': (r) => r.id,
  });
  const { page, next } = paginate(
    out,
    { op: 'DescribeSecurityGroupRules', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken, key: (r) => r.id },
    ec2Dialect,
  );
  return { securityGroupRuleSet: page.map((r) => ruleOutput(r.sg, ctx.accountId, r.egress, r.rule)), nextToken: next };
};
