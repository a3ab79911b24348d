import { strict as assert } from 'node:assert';
import {
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DescribeInstanceTypesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { harness } from './harness';

describe('EC2 network: availability zones, VPCs, subnets', () => {
  it('lists the two AZs of the region, available, with zone ids', async () => {
    const h = harness('ap-northeast-1');
    const out = await h.send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(
      out.availabilityZoneInfo.map((z: any) => [z.zoneName, z.zoneId, z.zoneState, z.regionName]),
      [
        ['ap-northeast-1a', 'apne1-az1', 'available', 'ap-northeast-1'],
        ['ap-northeast-1c', 'apne1-az2', 'available', 'ap-northeast-1'],
      ],
    );
    const one = await h.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['*1c'] }] }));
    assert.deepEqual(one.availabilityZoneInfo.map((z: any) => z.zoneName), ['ap-northeast-1c']);
    const err = await h.fails(new DescribeAvailabilityZonesCommand({ ZoneNames: ['ap-northeast-1b'] }));
    assert.equal(err.code, 'InvalidParameterValue');
    assert.match(err.message, /ap-northeast-1b/);
  });

  it('describes the default VPC by id and with the isDefault filter', async () => {
    const h = harness();
    const all = await h.send(new DescribeVpcsCommand({}));
    assert.equal(all.vpcSet.length, 1);
    const vpc = all.vpcSet[0];
    assert.equal(vpc.isDefault, true);
    assert.equal(vpc.cidrBlock, '172.31.0.0/16');
    assert.equal(vpc.ownerId, '123456789012');
    const byId = await h.send(new DescribeVpcsCommand({ VpcIds: [vpc.vpcId] }));
    assert.equal(byId.vpcSet[0].vpcId, vpc.vpcId);
    const def = await h.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.equal(def.vpcSet.length, 1);
    const notDef = await h.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] }));
    assert.equal(notDef.vpcSet.length, 0);
  });

  it('refuses unknown and malformed VPC ids and unknown filters', async () => {
    const h = harness();
    const nf = await h.fails(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] }));
    assert.equal(nf.code, 'InvalidVpcID.NotFound');
    assert.equal(nf.message, "The vpc ID 'vpc-0123456789abcdef0' does not exist");
    const bad = await h.fails(new DescribeVpcsCommand({ VpcIds: ['nope'] }));
    assert.equal(bad.code, 'InvalidVpcID.Malformed');
    const filt = await h.fails(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] }));
    assert.equal(filt.code, 'InvalidParameterValue');
    assert.equal(filt.message, "The filter 'colour' is invalid");
  });

  it('describes the default subnets, one per AZ, and filters them', async () => {
    const h = harness();
    const all = (await h.send(new DescribeSubnetsCommand({}))).subnetSet;
    assert.equal(all.length, 2);
    assert.deepEqual(all.map((s: any) => s.availabilityZone), ['ap-northeast-1a', 'ap-northeast-1c']);
    assert.ok(all.every((s: any) => s.defaultForAz === true && s.state === 'available'));
    const vpcId = all[0].vpcId;
    const inAz = await h.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['ap-northeast-1c'] }] }));
    assert.deepEqual(inAz.subnetSet.map((s: any) => s.subnetId), [all[1].subnetId]);
    const both = await h.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default-for-az', Values: ['true'] }] }),
    );
    assert.equal(both.subnetSet.length, 2);
    const none = await h.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'subnet-id', Values: ['subnet-0000000000000000f'] }] }),
    );
    assert.equal(none.subnetSet.length, 0);
    const byId = await h.send(new DescribeSubnetsCommand({ SubnetIds: [all[0].subnetId] }));
    assert.equal(byId.subnetSet.length, 1);
    const nf = await h.fails(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0000000000000000f'] }));
    assert.equal(nf.code, 'InvalidSubnetID.NotFound');
  });

  it('pages with MaxResults / NextToken and checks the range', async () => {
    const h = harness();
    const err = await h.fails(new DescribeSubnetsCommand({ MaxResults: 2 }));
    assert.equal(err.code, 'InvalidParameterValue');
    const types = await h.send(new DescribeInstanceTypesCommand({ MaxResults: 5 }));
    assert.equal(types.instanceTypeSet.length, 5);
    assert.ok(types.nextToken);
    const rest = await h.send(new DescribeInstanceTypesCommand({ MaxResults: 100, NextToken: types.nextToken }));
    const names = [...types.instanceTypeSet, ...rest.instanceTypeSet].map((t: any) => t.instanceType);
    assert.equal(new Set(names).size, names.length, 'no type on two pages');
    assert.ok(names.includes('t3.small'));
    assert.equal(rest.nextToken, undefined);
  });

  it('describes instance types with their vCPUs and memory; refuses unknown ones', async () => {
    const h = harness();
    const out = await h.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.small'] }));
    assert.equal(out.instanceTypeSet.length, 1);
    assert.equal(out.instanceTypeSet[0].vCpuInfo.defaultVCpus, 2);
    assert.equal(out.instanceTypeSet[0].memoryInfo.sizeInMiB, 2048);
    const err = await h.fails(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.gigantic' as _InstanceType] }));
    assert.equal(err.code, 'InvalidInstanceType');
    assert.match(err.message, /t3\.gigantic/);
  });
});
