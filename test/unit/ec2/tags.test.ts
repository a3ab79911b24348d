import { strict as assert } from 'node:assert';
import {
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeTagsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { harness } from './harness';

describe('EC2 tags', () => {
  it('tags instances, security groups, launch templates and subnets, and describes them', async () => {
    const h = harness();
    const inst = (await h.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).instancesSet[0].instanceId;
    const sg = Object.values(h.ctx.state.ec2.securityGroups)[0].groupId;
    const lt = (await h.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'tagged-lt', LaunchTemplateData: { InstanceType: 't3.micro' } }))).launchTemplate.launchTemplateId;
    const subnet = Object.values(h.ctx.state.ec2.subnets)[0].subnetId;
    const out = await h.send(new CreateTagsCommand({ Resources: [inst, sg, lt, subnet], Tags: [{ Key: 'project', Value: 'ecs-handson' }] }));
    assert.deepEqual(out, { return: true });
    await h.send(new CreateTagsCommand({ Resources: [inst], Tags: [{ Key: 'project', Value: 'renamed' }, { Key: 'Name', Value: 'node-1' }] }));
    assert.deepEqual(h.ctx.state.ec2.instances[inst].tags, [{ key: 'project', value: 'renamed' }, { key: 'Name', value: 'node-1' }]);
    const all = (await h.send(new DescribeTagsCommand({}))).tagSet;
    assert.equal(all.length, 5);
    const byType = (await h.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['security-group', 'subnet'] }] }))).tagSet;
    assert.deepEqual(byType.map((t: any) => t.resourceId).sort(), [sg, subnet].sort());
    const byKey = (await h.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['Name'] }] }))).tagSet;
    assert.deepEqual(byKey, [{ resourceId: inst, resourceType: 'instance', key: 'Name', value: 'node-1' }]);
  });

  it('refuses unknown or malformed resources and reserved keys without tagging anything', async () => {
    const h = harness();
    const sg = Object.values(h.ctx.state.ec2.securityGroups)[0].groupId;
    const nf = await h.fails(new CreateTagsCommand({ Resources: [sg, 'i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] }));
    assert.equal(nf.code, 'InvalidInstanceID.NotFound');
    const bad = await h.fails(new CreateTagsCommand({ Resources: ['foo-123'], Tags: [{ Key: 'a', Value: 'b' }] }));
    assert.equal(bad.code, 'InvalidID');
    const reserved = await h.fails(new CreateTagsCommand({ Resources: [sg], Tags: [{ Key: 'aws:thing', Value: 'b' }] }));
    assert.equal(reserved.code, 'InvalidParameterValue');
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].tags, []);
  });

  it('deletes tags by key, by key and value, or all', async () => {
    const h = harness();
    const sg = Object.values(h.ctx.state.ec2.securityGroups)[0].groupId;
    await h.send(new CreateTagsCommand({ Resources: [sg], Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }] }));
    await h.send(new DeleteTagsCommand({ Resources: [sg], Tags: [{ Key: 'b', Value: 'not-2' }] }));
    assert.equal(h.ctx.state.ec2.securityGroups[sg].tags.length, 3, 'a different value keeps the tag');
    await h.send(new DeleteTagsCommand({ Resources: [sg], Tags: [{ Key: 'b', Value: '2' }, { Key: 'a' }] }));
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].tags, [{ key: 'c', value: '3' }]);
    await h.send(new DeleteTagsCommand({ Resources: [sg] }));
    assert.deepEqual(h.ctx.state.ec2.securityGroups[sg].tags, []);
  });
});
