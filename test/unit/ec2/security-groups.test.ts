import { strict as assert } from 'node:assert';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { harness, type Harness } from './harness';
import { amiId } from '../../../src/sandbox/ssm/public-parameters';

async function createAlb(h: Harness, name = 'alb-sg') {
  return (await h.send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'ALB for the demo' }))).groupId as string;
}

describe('EC2 security groups', () => {
  it('has the default group of the default VPC, findable by name, id and filters', async () => {
    const h = harness();
    const all = (await h.send(new DescribeSecurityGroupsCommand({}))).securityGroupInfo;
    assert.equal(all.length, 1);
    const def = all[0];
    assert.equal(def.groupName, 'default');
    assert.equal(def.groupDescription, 'default VPC security group');
    assert.deepEqual(def.ipPermissionsEgress[0].ipRanges, [{ cidrIp: '0.0.0.0/0' }]);
    assert.deepEqual(def.ipPermissions[0].groups, [{ groupId: def.groupId, userId: '123456789012' }]);
    const byName = await h.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }));
    assert.equal(byName.securityGroupInfo[0].groupId, def.groupId);
    const byFilter = await h.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [def.vpcId] }, { Name: 'group-name', Values: ['def*'] }] }),
    );
    assert.equal(byFilter.securityGroupInfo.length, 1);
  });

  it('creates a group in the default VPC with tags; a duplicate name is refused', async () => {
    const h = harness();
    const out = await h.send(
      new CreateSecurityGroupCommand({
        GroupName: 'alb-sg',
        Description: 'ALB for the demo',
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: 'alb' }] }],
      }),
    );
    assert.match(out.groupId, /^sg-[0-9a-f]{17}$/);
    assert.deepEqual(out.tagSet, [{ key: 'Name', value: 'alb' }]);
    assert.equal(out.securityGroupArn, `arn:aws:ec2:ap-northeast-1:123456789012:security-group/${out.groupId}`);
    const sg = h.ctx.state.ec2.securityGroups[out.groupId];
    assert.equal(sg.vpcId, Object.values(h.ctx.state.ec2.vpcs)[0].vpcId);
    assert.deepEqual(sg.ipPermissions, []);
    const dup = await h.fails(new CreateSecurityGroupCommand({ GroupName: 'alb-sg', Description: 'again' }));
    assert.equal(dup.code, 'InvalidGroup.Duplicate');
    assert.equal(dup.message, `The security group 'alb-sg' already exists for VPC '${sg.vpcId}'`);
  });

  it('validates the name, description and VPC before creating anything', async () => {
    const h = harness();
    const cases: [any, string][] = [
      [{ GroupName: 'x' }, 'MissingParameter'],
      [{ GroupName: 'sg-abc', Description: 'd' }, 'InvalidParameterValue'],
      [{ GroupName: 'default', Description: 'd' }, 'InvalidGroup.Reserved'],
      [{ GroupName: 'ok', Description: 'd', VpcId: 'vpc-0123456789abcdef0' }, 'InvalidVpcID.NotFound'],
      [{ GroupName: 'ok', Description: 'd', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }] }, 'InvalidParameterValue'],
    ];
    for (const [input, code] of cases) {
      const err = await h.fails(new CreateSecurityGroupCommand(input));
      assert.equal(err.code, code, JSON.stringify(input));
    }
    assert.equal(Object.keys(h.ctx.state.ec2.securityGroups).length, 1);
  });

  it('authorizes ingress by IpPermissions, returns the rules, and refuses a duplicate', async () => {
    const h = harness();
    const albSg = await createAlb(h);
    const out = await h.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: albSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }] }],
      }),
    );
    assert.equal(out.return, true);
    assert.equal(out.securityGroupRuleSet.length, 1);
    const rule = out.securityGroupRuleSet[0];
    assert.match(rule.securityGroupRuleId, /^sgr-[0-9a-f]{17}$/);
    assert.deepEqual(
      { p: rule.ipProtocol, f: rule.fromPort, t: rule.toPort, c: rule.cidrIpv4, e: rule.isEgress },
      { p: 'tcp', f: 80, t: 80, c: '0.0.0.0/0', e: false },
    );
    const dup = await h.fails(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: albSg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }),
    );
    assert.equal(dup.code, 'InvalidPermission.Duplicate');
    assert.equal(dup.message, 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists');
    const described = (await h.send(new DescribeSecurityGroupsCommand({ GroupIds: [albSg] }))).securityGroupInfo[0];
    assert.deepEqual(described.ipPermissions, [
      { ipProtocol: 'tcp', fromPort: 80, toPort: 80, groups: [], ipRanges: [{ cidrIp: '0.0.0.0/0', description: 'web' }], ipv6Ranges: [], prefixListIds: [] },
    ]);
  });

  it('authorizes from another group (by GroupName target, UserIdGroupPairs source) and merges into one permission', async () => {
    const h = harness();
    const albSg = await createAlb(h);
    const def = Object.values(h.ctx.state.ec2.securityGroups).find((g) => g.groupName === 'default')!;
    await h.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupName: 'default',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 32768, ToPort: 61000, UserIdGroupPairs: [{ GroupId: albSg }] }],
      }),
    );
    await h.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: def.groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 32768, ToPort: 61000, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    const perm = def.ipPermissions.find((p) => p.fromPort === 32768)!;
    assert.deepEqual(perm.userIdGroupPairs, [{ groupId: albSg }]);
    assert.deepEqual(perm.ipRanges, [{ cidrIp: '10.0.0.0/8' }]);
    const filtered = await h.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-id', Values: [albSg] }] }));
    assert.deepEqual(filtered.securityGroupInfo.map((g: any) => g.groupId), [def.groupId]);
  });

  it('refuses bad rules without changing the group', async () => {
    const h = harness();
    const sg = await createAlb(h);
    const cases: [any, string][] = [
      [{ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }, 'InvalidParameterValue'],
      [{ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 90, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }, 'InvalidParameterValue'],
      [{ GroupId: sg, IpPermissions: [{ IpProtocol: 'bogus', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }, 'InvalidParameterValue'],
      [{ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '300.0.0.0/0' }, 'InvalidParameterValue'],
      [{ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0' }] }] }, 'InvalidGroup.NotFound'],
      [{ GroupId: 'sg-0123456789abcdef0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }, 'InvalidGroup.NotFound'],
      [{ GroupId: 'nope', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }, 'InvalidGroupId.Malformed'],
      // The second rule duplicates the first within one request: nothing is added.
      [{ GroupId: sg, IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: '6', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ] }, 'InvalidPermission.Duplicate'],
    ];
    for (const [input, code] of cases) {
      const err = await h.fails(new AuthorizeSecurityGroupIngressCommand(input));
      assert.equal(err.code, code, JSON.stringify(input));
    }
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].ipPermissions, []);
  });

  it('revokes a rule (by permission and by rule id); an absent rule is InvalidPermission.NotFound', async () => {
    const h = harness();
    const sg = await createAlb(h);
    const added = await h.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    const out = await h.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    assert.equal(out.return, true);
    assert.equal(out.revokedSecurityGroupRuleSet[0].cidrIpv4, '0.0.0.0/0');
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].ipPermissions[0].ipRanges, [{ cidrIp: '10.0.0.0/8' }]);
    const listed = (await h.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sg] }] }))).securityGroupRuleSet;
    assert.deepEqual(
      listed.map((r: any) => [r.isEgress, r.cidrIpv4]).sort(),
      [[false, '10.0.0.0/8'], [true, '0.0.0.0/0']],
      'the ingress rule left and the default egress rule',
    );
    const second = added.securityGroupRuleSet.find((r: any) => r.cidrIpv4 === '10.0.0.0/8').securityGroupRuleId;
    await h.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, SecurityGroupRuleIds: [second] }));
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].ipPermissions, []);
    const err = await h.fails(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    assert.equal(err.code, 'InvalidPermission.NotFound');
  });

  it('replaces the default allow-all egress with a narrower egress rule', async () => {
    const h = harness();
    const sg = await createAlb(h);
    const revoked = await h.send(new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.equal(revoked.revokedSecurityGroupRuleSet[0].isEgress, true);
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].ipPermissionsEgress, []);
    const added = await h.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.equal(added.securityGroupRuleSet[0].isEgress, true);
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].ipPermissions, [], 'ingress untouched');
    const dup = await h.fails(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.equal(dup.code, 'InvalidPermission.Duplicate');
  });

  it('deletes a group unless it is the default, in use by an instance, or referenced by another group', async () => {
    const h = harness();
    const def = Object.values(h.ctx.state.ec2.securityGroups)[0];
    const cannot = await h.fails(new DeleteSecurityGroupCommand({ GroupId: def.groupId }));
    assert.equal(cannot.code, 'CannotDelete');
    const sg = await createAlb(h);
    await h.send(new RunInstancesCommand({ ImageId: amiId('ap-northeast-1', 'amazon-linux-2023'), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SecurityGroupIds: [sg] }));
    const inUse = await h.fails(new DeleteSecurityGroupCommand({ GroupId: sg }));
    assert.equal(inUse.code, 'DependencyViolation');
    assert.equal(inUse.message, `resource ${sg} has a dependent object`);
    for (const i of Object.values(h.ctx.state.ec2.instances)) i.state = 'terminated';
    await h.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: def.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: sg }] }] }));
    const referenced = await h.fails(new DeleteSecurityGroupCommand({ GroupName: 'alb-sg' }));
    assert.equal(referenced.code, 'DependencyViolation');
    await h.send(new RevokeSecurityGroupIngressCommand({ GroupId: def.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: sg }] }] }));
    const out = await h.send(new DeleteSecurityGroupCommand({ GroupName: 'alb-sg' }));
    assert.deepEqual(out, { return: true, groupId: sg });
    assert.equal(h.ctx.state.ec2.securityGroups[sg], undefined);
    const gone = await h.fails(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }));
    assert.equal(gone.code, 'InvalidGroup.NotFound');
    assert.equal(gone.message, `The security group '${sg}' does not exist`);
  });
});
