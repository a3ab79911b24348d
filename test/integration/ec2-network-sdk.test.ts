/**
 * EC2 networking through the real `@aws-sdk/client-ec2` (and ELBv2's client) against a sandbox on a
 * free port, as a boto3 / SDK suite written elsewhere drives it: a new VPC with two subnets in two
 * Availability Zones, its internet gateway and route tables, key pairs, then security groups, an
 * instance, an ALB and a target group in that VPC rather than the default one; the VPC cannot be
 * deleted while anything is in it, and everything survives a restart. EC2's error codes and
 * messages are asserted as AWS words them, and every answer's XML is checked against the SDK's
 * output schemas (no element the model lacks, no mistyped value).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteKeyPairCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ImportKeyPairCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ReplaceRouteTableAssociationCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { outputProblems, recordResponses, type Recorded } from './helpers/output-shapes';
import { rejectsWith } from '../helpers/wait';

const AMI = 'ami-0123456789abcdef0';
const nameTag = (value: string) => [{ Key: 'Name', Value: value }];

describe('EC2 networking through the AWS SDK: VPCs, subnets, gateways, route tables, key pairs', function () {
  this.timeout(60_000);
  let dir: string;
  let sb: Sandbox;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let recorded: Recorded[];
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;
  // Shared along the flow.
  let vpcId = '';
  let defaultVpcId = '';
  const subnets: { id: string; az: string }[] = [];
  let igwId = '';
  let publicRtb = '';
  let publicAssoc = '';
  let webSg = '';

  async function start(): Promise<void> {
    sb = await startSandbox({ port: 0, stateFile: path.join(dir, 'state.json'), timeScale: 100, runtime, log: () => {} });
    const cfg = { endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials, maxAttempts: 1 };
    ec2 = new EC2Client(cfg);
    elb = new ElasticLoadBalancingV2Client(cfg);
    recorded = recordResponses(ec2, 'ec2');
  }
  async function stop(): Promise<void> {
    ec2?.destroy();
    elb?.destroy();
    await sb?.close();
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec2-network-'));
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    await start();
  });
  after(async () => {
    clearInterval(flusher);
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    // Every answer of the test, error or not, parses against the SDK's model of its operation.
    const problems = recorded.filter((r) => r.status === 200).flatMap((r) => outputProblems('ec2', r.operation, r.body).map((p) => `${r.operation}: ${p}`));
    recorded.length = 0;
    assert.deepEqual(problems, []);
  });

  it('creates a VPC with its tags, a default security group and a main route table; DescribeVpcs filters it', async () => {
    defaultVpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
    const created = (await ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.0.3.7/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [...nameTag('app-vpc'), { Key: 'env', Value: 'test' }] }] }),
    )).Vpc!;
    vpcId = created.VpcId!;
    assert.match(vpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(created.CidrBlock, '10.0.0.0/16', 'the network address of the block sent');
    assert.equal(created.State, 'pending');
    assert.equal(created.IsDefault, false);
    assert.equal(created.InstanceTenancy, 'default');
    assert.deepEqual(created.Tags, [{ Key: 'Name', Value: 'app-vpc' }, { Key: 'env', Value: 'test' }]);

    const ids = async (filters: { Name: string; Values: string[] }[]) => (await ec2.send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs!.map((v) => v.VpcId).sort();
    assert.deepEqual(await ids([{ Name: 'vpc-id', Values: [vpcId] }]), [vpcId]);
    assert.deepEqual(await ids([{ Name: 'cidr-block', Values: ['10.0.0.0/16'] }]), [vpcId]);
    assert.deepEqual(await ids([{ Name: 'is-default', Values: ['false'] }]), [vpcId]);
    assert.deepEqual(await ids([{ Name: 'state', Values: ['available'] }]), [defaultVpcId, vpcId].sort());
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['app-*'] }]), [vpcId]);
    assert.deepEqual(await ids([{ Name: 'tag-key', Values: ['env'] }]), [vpcId]);
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['other'] }]), []);
    assert.equal((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].State, 'available');

    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).SecurityGroups!;
    assert.deepEqual(groups.map((g) => g.GroupName), ['default']);
    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables!;
    assert.equal(main.length, 1);
    assert.deepEqual(main[0].Routes, [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    assert.equal(main[0].Associations![0].Main, true);

    // DNS attributes: support on, hostnames off in a new VPC (on in the default one), as EC2 sets them.
    const attr = async (id: string, a: 'enableDnsSupport' | 'enableDnsHostnames') => ec2.send(new DescribeVpcAttributeCommand({ VpcId: id, Attribute: a }));
    assert.equal((await attr(vpcId, 'enableDnsSupport')).EnableDnsSupport?.Value, true);
    assert.equal((await attr(vpcId, 'enableDnsHostnames')).EnableDnsHostnames?.Value, false);
    assert.equal((await attr(defaultVpcId, 'enableDnsHostnames')).EnableDnsHostnames?.Value, true);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    assert.equal((await attr(vpcId, 'enableDnsHostnames')).EnableDnsHostnames?.Value, true);
  });

  it('refuses bad VPCs with EC2 errors: block size, malformed block, unknown and malformed ids, IPv6, the VPC quota', async () => {
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.");
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/29' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/29' is invalid.");
    await rejectsWith(
      ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.300/16' })),
      'InvalidParameterValue',
      'Value (10.0.0.300/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
    );
    await rejectsWith(ec2.send(new CreateVpcCommand({})), 'MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', AmazonProvidedIpv6CidrBlock: true })), 'UnsupportedOperation', /AmazonProvidedIpv6CidrBlock .*sandbox/);
    await rejectsWith(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })), 'InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist");
    await rejectsWith(ec2.send(new DeleteVpcCommand({ VpcId: 'vpc-0123456789abcdef0' })), 'InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist");
    await rejectsWith(ec2.send(new DeleteVpcCommand({ VpcId: 'nope' })), 'InvalidVpcID.Malformed', 'Invalid id: "nope" (expecting "vpc-...")');
    // Five VPCs per region, the default one included.
    const extra: string[] = [];
    for (let i = 1; i <= 3; i++) extra.push((await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${100 + i}.0.0/16`, InstanceTenancy: i === 1 ? 'dedicated' : undefined }))).Vpc!.VpcId!);
    assert.equal((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'instance-tenancy', Values: ['dedicated'] }] }))).Vpcs!.map((v) => v.VpcId).join(), extra[0]);
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.200.0.0/16' })), 'VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
    for (const id of extra) await ec2.send(new DeleteVpcCommand({ VpcId: id }));
    // Deleting a VPC takes its default security group and main route table with it.
    const left = (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables!.map((t) => t.VpcId);
    assert.ok(extra.every((id) => !left.includes(id)), JSON.stringify(left));
    const sgs = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => g.VpcId);
    assert.ok(extra.every((id) => !sgs.includes(id)), JSON.stringify(sgs));
  });

  it('creates subnets inside the VPC, spread over the AZs when none is named, with their free addresses', async () => {
    const a = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'ap-northeast-1a', TagSpecifications: [{ ResourceType: 'subnet', Tags: nameTag('public-a') }] }))).Subnet!;
    assert.equal(a.VpcId, vpcId);
    assert.equal(a.AvailabilityZone, 'ap-northeast-1a');
    assert.equal(a.AvailabilityZoneId, 'apne1-az1');
    assert.equal(a.AvailableIpAddressCount, 251, '256 less the 5 addresses AWS keeps');
    assert.equal(a.DefaultForAz, false);
    assert.equal(a.MapPublicIpOnLaunch, false);
    assert.equal(a.State, 'available');
    assert.deepEqual(a.Tags, nameTag('public-a'));
    // No zone named: the one with fewer of this VPC's subnets.
    const c = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/26' }))).Subnet!;
    assert.equal(c.AvailabilityZone, 'ap-northeast-1c');
    assert.equal(c.AvailableIpAddressCount, 59);
    subnets.push({ id: a.SubnetId!, az: a.AvailabilityZone }, { id: c.SubnetId!, az: c.AvailabilityZone });

    const ids = async (filters: { Name: string; Values: string[] }[]) => (await ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets!.map((s) => s.SubnetId).sort();
    assert.deepEqual(await ids([{ Name: 'vpc-id', Values: [vpcId] }]), [a.SubnetId, c.SubnetId].sort());
    assert.deepEqual(await ids([{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'availability-zone', Values: ['ap-northeast-1c'] }]), [c.SubnetId]);
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['public-a'] }]), [a.SubnetId]);
    assert.equal((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!.length, 2, 'the default subnets are as they were');

    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: a.SubnetId, MapPublicIpOnLaunch: { Value: true } }));
    assert.equal((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [a.SubnetId!] }))).Subnets![0].MapPublicIpOnLaunch, true);
  });

  it('refuses subnets outside the VPC, overlapping another, in an unknown zone or VPC', async () => {
    await rejectsWith(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/24' })), 'InvalidSubnet.Range', "The CIDR '10.1.0.0/24' is invalid.");
    await rejectsWith(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/15' })), 'InvalidSubnet.Range', "The CIDR '10.0.0.0/15' is invalid.");
    await rejectsWith(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.128/25' })), 'InvalidSubnet.Conflict', "The CIDR '10.0.1.128/25' conflicts with another subnet");
    await rejectsWith(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/16' })), 'InvalidSubnet.Conflict', "The CIDR '10.0.0.0/16' conflicts with another subnet");
    await rejectsWith(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.9.0/24', AvailabilityZone: 'ap-northeast-1b' })),
      'InvalidParameterValue',
      'Value (ap-northeast-1b) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ap-northeast-1a, ap-northeast-1c.',
    );
    await rejectsWith(ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.9.0/24' })), 'InvalidVpcID.NotFound');
    await rejectsWith(ec2.send(new DeleteSubnetCommand({ SubnetId: 'subnet-0123456789abcdef0' })), 'InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist");
  });

  it('creates, attaches and describes an internet gateway; one gateway per VPC and one VPC per gateway', async () => {
    const igw = (await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: nameTag('app-igw') }] }))).InternetGateway!;
    igwId = igw.InternetGatewayId!;
    assert.match(igwId, /^igw-[0-9a-f]{17}$/);
    assert.deepEqual(igw.Attachments, []);
    assert.deepEqual(igw.Tags, nameTag('app-igw'));
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const byVpc = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }))).InternetGateways!;
    assert.deepEqual(byVpc.map((g) => [g.InternetGatewayId, g.Attachments]), [[igwId, [{ VpcId: vpcId, State: 'available' }]]]);
    // The default VPC has its own, as in a new account.
    const def = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [defaultVpcId] }] }))).InternetGateways!;
    assert.equal(def.length, 1);

    await rejectsWith(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: defaultVpcId })), 'Resource.AlreadyAssociated', `resource ${igwId} is already attached to network ${vpcId}`);
    const spare = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await rejectsWith(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: spare, VpcId: vpcId })), 'Resource.AlreadyAssociated', `Network ${vpcId} already has an internet gateway attached`);
    await rejectsWith(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: spare, VpcId: vpcId })), 'Gateway.NotAttached', `resource ${spare} is not attached to network ${vpcId}`);
    await rejectsWith(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId })), 'DependencyViolation', `The internetGateway '${igwId}' has dependencies and cannot be deleted.`);
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: spare }));
    await rejectsWith(
      ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [spare] })),
      'InvalidInternetGatewayID.NotFound',
      `The internetGateway ID '${spare}' does not exist`,
    );
  });

  it('routes a subnet to the internet: route table, route to the gateway, association; errors as EC2', async () => {
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: [{ ResourceType: 'route-table', Tags: nameTag('public') }] }))).RouteTable!;
    publicRtb = rtb.RouteTableId!;
    assert.match(publicRtb, /^rtb-[0-9a-f]{17}$/);
    assert.deepEqual(rtb.Associations, []);
    assert.deepEqual(rtb.Tags, nameTag('public'));
    assert.deepEqual(await ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId })).then((r) => r.Return), true);
    await rejectsWith(ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId })), 'RouteAlreadyExists', 'The route identified by 0.0.0.0/0 already exists.');
    const defaultIgw = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [defaultVpcId] }] }))).InternetGateways![0].InternetGatewayId!;
    await rejectsWith(
      ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: defaultIgw })),
      'InvalidParameterValue',
      `route table ${publicRtb} and network gateway ${defaultIgw} belong to different networks`,
    );
    await rejectsWith(ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: '192.168.0.0/16', NatGatewayId: 'nat-0123456789abcdef0' })), 'UnsupportedOperation', /NatGatewayId/);
    await rejectsWith(ec2.send(new DeleteRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: '10.0.0.0/16' })), 'InvalidParameterValue', `cannot remove local route 10.0.0.0/16 in route table ${publicRtb}`);
    await rejectsWith(ec2.send(new DeleteRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: '172.16.0.0/12' })), 'InvalidRoute.NotFound', `no route with destination-cidr-block 172.16.0.0/12 in route table ${publicRtb}`);

    const assoc = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: subnets[0].id }));
    publicAssoc = assoc.AssociationId!;
    assert.match(publicAssoc, /^rtbassoc-[0-9a-f]{17}$/);
    assert.deepEqual(assoc.AssociationState, { State: 'associated' });
    await rejectsWith(
      ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: subnets[0].id })),
      'Resource.AlreadyAssociated',
      `the specified association for route table ${publicRtb} conflicts with an existing association`,
    );
    const defaultSubnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [defaultVpcId] }] }))).Subnets![0].SubnetId!;
    await rejectsWith(ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: defaultSubnet })), 'InvalidParameterValue', `Route table ${publicRtb} and subnet ${defaultSubnet} belong to different networks`);

    // The subnet's table, as tools find it.
    const ofSubnet = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnets[0].id] }] }))).RouteTables!;
    assert.deepEqual(ofSubnet.map((t) => t.RouteTableId), [publicRtb]);
    assert.deepEqual(ofSubnet[0].Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.Origin, r.State]), [
      ['10.0.0.0/16', 'local', 'CreateRouteTable', 'active'],
      ['0.0.0.0/0', igwId, 'CreateRoute', 'active'],
    ]);
    assert.deepEqual(ofSubnet[0].Associations!.map((a) => [a.RouteTableAssociationId, a.SubnetId, a.Main, a.AssociationState?.State]), [[publicAssoc, subnets[0].id, false, 'associated']]);
    assert.deepEqual((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.gateway-id', Values: [igwId] }] }))).RouteTables!.map((t) => t.RouteTableId), [publicRtb]);

    // A table in use cannot go; the main one cannot lose its main association.
    await rejectsWith(ec2.send(new DeleteRouteTableCommand({ RouteTableId: publicRtb })), 'DependencyViolation', `The routeTable '${publicRtb}' has dependencies and cannot be deleted.`);
    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0];
    const mainAssoc = main.Associations![0].RouteTableAssociationId!;
    await rejectsWith(ec2.send(new DisassociateRouteTableCommand({ AssociationId: mainAssoc })), 'InvalidParameterValue', `cannot disassociate the main route table association ${mainAssoc}`);
    await rejectsWith(ec2.send(new DisassociateRouteTableCommand({ AssociationId: 'rtbassoc-0123456789abcdef0' })), 'InvalidAssociationID.NotFound', "The association ID 'rtbassoc-0123456789abcdef0' does not exist");
    await rejectsWith(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0123456789abcdef0'] })), 'InvalidRouteTableID.NotFound', "The routeTable ID 'rtb-0123456789abcdef0' does not exist");

    // The main association moves to another table (and back), a subnet association is undone.
    const other = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const moved = (await ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: mainAssoc, RouteTableId: other }))).NewAssociationId!;
    const mains = async () => (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables!.map((t) => t.RouteTableId);
    assert.deepEqual(await mains(), [other]);
    await ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: moved, RouteTableId: main.RouteTableId }));
    assert.deepEqual(await mains(), [main.RouteTableId]);
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: other }));
    const tmp = (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: main.RouteTableId, SubnetId: subnets[1].id }))).AssociationId!;
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: tmp }));
    assert.deepEqual((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnets[1].id] }] }))).RouteTables, []);
  });

  it('creates key pairs whose private keys ssh reads (RSA PEM, ED25519 OpenSSH), imports one, and refuses duplicates and unknown names', async () => {
    const rsa = await ec2.send(new CreateKeyPairCommand({ KeyName: 'app-rsa', TagSpecifications: [{ ResourceType: 'key-pair', Tags: nameTag('rsa') }] }));
    assert.match(rsa.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/);
    assert.match(rsa.KeyPairId!, /^key-[0-9a-f]{17}$/);
    assert.deepEqual(rsa.Tags, nameTag('rsa'));
    // EC2's fingerprint of a key it created: SHA-1 of the private key's PKCS#8 DER.
    const der = createPrivateKey(rsa.KeyMaterial!).export({ type: 'pkcs8', format: 'der' });
    assert.equal(rsa.KeyFingerprint, createHash('sha1').update(der).digest('hex').replace(/(..)(?!$)/g, '$1:'));
    const ed = await ec2.send(new CreateKeyPairCommand({ KeyName: 'app-ed25519', KeyType: 'ed25519' }));
    assert.match(ed.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);

    // ssh-keygen reads both private keys; the public keys it derives are the ones EC2 keeps.
    const keys = (await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['app-rsa', 'app-ed25519'], IncludePublicKey: true }))).KeyPairs!;
    assert.deepEqual(keys.map((k) => [k.KeyName, k.KeyType]), [['app-ed25519', 'ed25519'], ['app-rsa', 'rsa']]);
    for (const [material, info] of [[ed.KeyMaterial!, keys[0]], [rsa.KeyMaterial!, keys[1]]] as const) {
      const file = path.join(dir, `${info.KeyName}.pem`);
      fs.writeFileSync(file, `${material}\n`, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
      assert.equal(info.PublicKey!.split(' ').slice(0, 2).join(' '), derived);
      assert.ok(info.CreateTime instanceof Date);
    }
    // The ED25519 fingerprint is ssh-keygen's SHA256 one.
    const edFp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'app-ed25519.pem')], { encoding: 'utf8' }).split(' ')[1].replace(/^SHA256:/, '');
    assert.equal(keys[0].KeyFingerprint!.replace(/=+$/, ''), edFp);

    // Import: an OpenSSH public key line; EC2's fingerprint of an imported RSA key is the MD5 of its DER.
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const file = path.join(dir, 'imported.pem');
    fs.writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    const line = execFileSync('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', file], { encoding: 'utf8' }).trim();
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'laptop', PublicKeyMaterial: Buffer.from(`${line} me@laptop\n`) }));
    assert.equal(imported.KeyFingerprint, createHash('md5').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').replace(/(..)(?!$)/g, '$1:'));
    // ssh-keygen's RFC 4716 export of the same key is the same key.
    fs.writeFileSync(`${file}.pub`, `${line} me@laptop\n`);
    const rfc4716 = execFileSync('ssh-keygen', ['-e', '-m', 'RFC4716', '-f', `${file}.pub`], { encoding: 'utf8' });
    const same = await ec2.send(new ImportKeyPairCommand({ KeyName: 'laptop-rfc4716', PublicKeyMaterial: Buffer.from(rfc4716) }));
    assert.equal(same.KeyFingerprint, imported.KeyFingerprint);
    const laptop = (await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['laptop'], IncludePublicKey: true }))).KeyPairs![0];
    assert.equal(laptop.PublicKey, `${line} me@laptop`, 'the imported line, comment included');
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'laptop-rfc4716' }));
    await rejectsWith(ec2.send(new ImportKeyPairCommand({ KeyName: 'junk', PublicKeyMaterial: Buffer.from('not a key') })), 'InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format');
    // A private key is not a public one.
    await rejectsWith(ec2.send(new ImportKeyPairCommand({ KeyName: 'junk', PublicKeyMaterial: Buffer.from(rsa.KeyMaterial!) })), 'InvalidKeyPair.Format');
    await rejectsWith(ec2.send(new CreateKeyPairCommand({ KeyName: 'laptop' })), 'InvalidKeyPair.Duplicate', "The keypair 'laptop' already exists.");
    await rejectsWith(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['nobody'] })), 'InvalidKeyPair.NotFound', "The key pair 'nobody' does not exist");
    assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-type', Values: ['ed25519'] }] }))).KeyPairs!.map((k) => k.KeyName), ['app-ed25519']);
    assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:Name', Values: ['rsa'] }] }))).KeyPairs!.map((k) => k.KeyName), ['app-rsa']);
    // Delete by name or id; a name that does not exist is no error, as on EC2.
    assert.equal((await ec2.send(new DeleteKeyPairCommand({ KeyName: 'app-ed25519' }))).KeyPairId, ed.KeyPairId);
    assert.equal((await ec2.send(new DeleteKeyPairCommand({ KeyName: 'app-ed25519' }))).Return, true);
    await ec2.send(new DeleteKeyPairCommand({ KeyPairId: imported.KeyPairId }));
    assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs!.map((k) => k.KeyName), ['app-rsa']);
  });

  it('runs an instance in the new subnet with a key pair and a group of the VPC; an unknown key name fails as on EC2', async () => {
    webSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web in app-vpc', VpcId: vpcId }))).GroupId!;
    await rejectsWith(
      ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: subnets[0].id, KeyName: 'nobody' })),
      'InvalidKeyPair.NotFound',
      "The key pair 'nobody' does not exist",
    );
    const defaultSg = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [defaultVpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0].GroupId!;
    await rejectsWith(
      ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: subnets[0].id, SecurityGroupIds: [defaultSg] })),
      'InvalidParameter',
      `Security group ${defaultSg} and subnet ${subnets[0].id} belong to different networks.`,
    );
    const run = await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: subnets[0].id, SecurityGroupIds: [webSg], KeyName: 'app-rsa' }));
    const id = run.Instances![0].InstanceId!;
    await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { InstanceIds: [id] });
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
    assert.equal(inst.VpcId, vpcId);
    assert.equal(inst.SubnetId, subnets[0].id);
    assert.equal(inst.KeyName, 'app-rsa');
    assert.match(inst.PrivateIpAddress!, /^10\.0\.1\.\d+$/);
    assert.deepEqual(inst.SecurityGroups!.map((g) => g.GroupId), [webSg]);
    assert.equal((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnets[0].id] }))).Subnets![0].AvailableIpAddressCount, 250);
    // The subnet, the group and the VPC are in use.
    await rejectsWith(ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0].id })), 'DependencyViolation', `The subnet '${subnets[0].id}' has dependencies and cannot be deleted.`);
    await rejectsWith(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    await rejectsWith(ec2.send(new DeleteSecurityGroupCommand({ GroupId: webSg })), 'DependencyViolation');
  });

  it('puts an ALB in the new VPC (two subnets, two AZs, its internet gateway) and a target group whose VPC must be the instances\'', async () => {
    // Subnets of two VPCs, one AZ, or a VPC without an internet gateway are refused as ELBv2 does.
    const defaultSubnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [defaultVpcId] }] }))).Subnets![0].SubnetId!;
    await rejectsWith(elb.send(new CreateLoadBalancerCommand({ Name: 'mixed', Subnets: [subnets[0].id, defaultSubnet] })), 'InvalidConfigurationRequestException', 'The specified subnets are not all in the same VPC');
    await rejectsWith(elb.send(new CreateLoadBalancerCommand({ Name: 'one-az', Subnets: [subnets[0].id] })), 'ValidationError', 'At least two subnets in two different Availability Zones must be specified');
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    // Routes to a detached gateway are blackholes.
    const routes = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [publicRtb] }))).RouteTables![0].Routes!;
    assert.deepEqual(routes.map((r) => r.State), ['active', 'blackhole']);
    await rejectsWith(elb.send(new CreateLoadBalancerCommand({ Name: 'app-lb', Subnets: subnets.map((s) => s.id), SecurityGroups: [webSg] })), 'InvalidSubnetException', `VPC ${vpcId} has no internet gateway`);
    // An internal one needs no gateway.
    const internal = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-internal', Scheme: 'internal', Subnets: subnets.map((s) => s.id) }))).LoadBalancers![0];
    assert.equal(internal.VpcId, vpcId);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'app-lb', Subnets: subnets.map((s) => s.id), SecurityGroups: [webSg] }))).LoadBalancers![0];
    assert.equal(lb.VpcId, vpcId);
    assert.deepEqual(lb.AvailabilityZones!.map((z) => [z.ZoneName, z.SubnetId]).sort(), subnets.map((s) => [s.az, s.id]).sort());
    assert.deepEqual(lb.SecurityGroups, [webSg]);
    // While it holds public addresses in the VPC, the gateway stays.
    await rejectsWith(
      ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })),
      'DependencyViolation',
      `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    );
    await rejectsWith(ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[1].id })), 'DependencyViolation', `The subnet '${subnets[1].id}' has dependencies and cannot be deleted.`);

    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'app-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups![0];
    assert.equal(tg.VpcId, vpcId);
    const [mine] = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Reservations!.flatMap((r) => r.Instances!);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: mine.InstanceId }] }));
    const other = (await ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;
    await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { InstanceIds: [other] });
    await rejectsWith(
      elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: other }] })),
      'InvalidTargetException',
      `The following targets are not in the target group VPC '${vpcId}': '${other}'`,
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [other] }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: internal.LoadBalancerArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
  });

  it('keeps the network across a restart (tags through CreateTags too), then tears it down in order', async () => {
    await ec2.send(new CreateTagsCommand({ Resources: [igwId, publicRtb], Tags: [{ Key: 'team', Value: 'net' }] }));
    await stop();
    await start();
    assert.deepEqual((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].Tags, [{ Key: 'Name', Value: 'app-vpc' }, { Key: 'env', Value: 'test' }]);
    assert.equal((await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames?.Value, true);
    assert.deepEqual((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!.map((s) => s.SubnetId).sort(), subnets.map((s) => s.id).sort());
    assert.deepEqual((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igwId] }))).InternetGateways![0].Attachments, [{ VpcId: vpcId, State: 'available' }]);
    const rtb = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [publicRtb] }))).RouteTables![0];
    assert.deepEqual(rtb.Associations!.map((a) => a.RouteTableAssociationId), [publicAssoc]);
    assert.deepEqual(rtb.Routes!.map((r) => r.GatewayId), ['local', igwId]);
    assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs!.map((k) => k.KeyName), ['app-rsa']);
    const tagged = (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }] }))).Tags!;
    assert.deepEqual(tagged.map((t) => [t.ResourceId, t.ResourceType]).sort(), [[igwId, 'internet-gateway'], [publicRtb, 'route-table']].sort());

    // Tear down: every dependency first, then the VPC (its default group and main table go with it).
    const ids = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { InstanceIds: ids });
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: webSg }));
    for (const s of subnets) await ec2.send(new DeleteSubnetCommand({ SubnetId: s.id }));
    // The subnet's association went with it: the table can go.
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: publicRtb }));
    await rejectsWith(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    assert.deepEqual((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId), [defaultVpcId]);
    assert.deepEqual((await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables!.map((t) => t.VpcId), [defaultVpcId]);
    assert.deepEqual((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).SecurityGroups, []);
  });
});
