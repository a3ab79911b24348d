/**
 * Hostile input for every operation of every service the sandbox serves, over every protocol it
 * serves them in (awsJson1_1: ECS, SSM, Application Auto Scaling, CloudWatch Logs; awsJson1_0: CloudWatch;
 * awsQuery: ELBv2, Auto Scaling, CloudWatch, IAM, STS; ec2Query: EC2): validly signed requests whose bodies
 * are built from the services' own API models (helpers/fuzz-inputs.ts) and then damaged. A world
 * with real resources is built first so that requests name things that exist and reach the
 * handlers' deeper checks; simulated time moves on between batches so the engine works on
 * whatever was accepted.
 *
 * Asserts: no 5xx at all, every error an AWS-style error of the request's protocol, every success
 * a well-formed JSON / XML document, no InternalFailure or engine tick failure logged, and
 * afterwards the sandbox still answers and its whole state still serialises. Deterministic for a
 * seed (FUZZ_SEED); FUZZ_REQUESTS_PER_OPERATION scales it.
 */
import * as assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, ListClustersCommand, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SandboxAdmin } from '../../src/aws/sandbox-admin';
import { ManualClock } from '../../src/sandbox/engine/clock';
import { services } from '../../src/sandbox/registry';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { FakeRuntime } from '../unit/helpers/fake-runtime';
import { fuzzTargets, hostileRequest, prototypeNameRequests, rng, signPost, type FuzzTarget, type Known } from './helpers/fuzz-inputs';
import { outputProblems } from './helpers/output-shapes';
import { rawRequest, type RawResponse } from './server-helpers';

/** Paths in the state whose object has another prototype than a plain object's or array's (a `__proto__` assignment that swapped it). */
function strangePrototypes(v: unknown, path = 'world', out: string[] = [], seen = new Set<unknown>()): string[] {
  if (v === null || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) out.push(path);
  for (const [k, x] of Object.entries(v)) strangePrototypes(x, `${path}.${k}`, out, seen);
  return out;
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const PER_OPERATION = Number(process.env.FUZZ_REQUESTS_PER_OPERATION ?? 40);
const REGION = 'ap-northeast-1';
const SSM_AMI = '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id';

describe('fuzz: hostile input for every operation of every service', function () {
  this.timeout(300_000);
  let sb: Sandbox;
  let runtime: FakeRuntime;
  let flusher: NodeJS.Timeout;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const logs: string[] = [];
  const known: Known = new Map();
  const add = (hint: string, ...values: (string | undefined)[]) => {
    const list = known.get(hint) ?? [];
    for (const v of values) if (v && !list.includes(v)) list.push(v);
    known.set(hint, list);
  };

  before(async () => {
    runtime = new FakeRuntime();
    flusher = setInterval(() => runtime.flush(), 10);
    sb = await startSandbox({ port: 0, runtime, clock, tickMs: 20, log: (m) => logs.push(m) });
    const cfg = { endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 };
    const ecs = new ECSClient(cfg);
    const ec2 = new EC2Client(cfg);
    const elb = new ElasticLoadBalancingV2Client(cfg);
    const asg = new AutoScalingClient(cfg);
    const aas = new ApplicationAutoScalingClient(cfg);
    const cw = new CloudWatchClient(cfg);
    const advance = async (ms: number) => {
      clock.advance(ms);
      await new Promise((r) => setTimeout(r, 60));
    };

    const cluster = (await ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster' }))).cluster!;
    add('cluster', 'demo-cluster', cluster.clusterArn);
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    add('subnetid', ...subnets.map((s) => s.SubnetId));
    add('subnet', ...subnets.map((s) => s.SubnetId));
    add('vpcid', subnets[0].VpcId);
    const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n').toString('base64');
    const inst = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.large', MinCount: 2, MaxCount: 2, SubnetId: subnets[0].SubnetId, UserData: userData }));
    add('instanceid', ...inst.Instances!.map((i) => i.InstanceId));
    add('resourceid', ...inst.Instances!.map((i) => i.InstanceId));
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'fuzz-sg', Description: 'fuzz', VpcId: subnets[0].VpcId }));
    add('groupid', sg.GroupId);
    add('securitygroup', sg.GroupId);
    add('groupname', 'fuzz-sg', 'default');
    const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'fuzz-lt', LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', UserData: userData } }));
    add('launchtemplateid', lt.LaunchTemplate!.LaunchTemplateId);
    add('launchtemplatename', 'fuzz-lt');
    add('imageid', 'ami-0123456789abcdef0', `resolve:ssm:${SSM_AMI}`);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!;
    add('vpcid', vpc.VpcId);
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!;
    add('subnetid', subnet.SubnetId);
    add('cidrblock', '10.0.2.0/24', '10.0.0.0/16', '172.31.0.0/16', '0.0.0.0/0');
    add('destinationcidrblock', '0.0.0.0/0', '192.168.0.0/16', '10.0.0.0/16');
    add('availabilityzone', `${REGION}a`, `${REGION}c`);
    add('attribute', 'enableDnsSupport', 'enableDnsHostnames');
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc.VpcId }));
    add('internetgatewayid', igw);
    add('gatewayid', igw);
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc.VpcId }))).RouteTable!.RouteTableId;
    add('routetableid', rtb);
    add('associationid', (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnet.SubnetId }))).AssociationId);
    const key = await ec2.send(new CreateKeyPairCommand({ KeyName: 'fuzz-key', KeyType: 'ed25519' }));
    add('keyname', 'fuzz-key');
    add('keypairid', key.KeyPairId);
    add('resourceid', vpc.VpcId, igw, rtb, key.KeyPairId);
    add('instancetype', 't3.small', 'm5.large', 'c5.xlarge');
    for (let i = 0; i < 10; i++) await advance(5_000); // instances boot and register

    const td = (await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'app',
        containerDefinitions: [{ name: 'app', image: 'uzresk/demo:ver1.0', cpu: 256, memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
      }),
    )).taskDefinition!;
    add('taskdefinition', 'app', 'app:1', td.taskDefinitionArn);
    add('family', 'app');
    add('familyprefix', 'app');
    add('containername', 'app');
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'fuzz-tg', Protocol: 'HTTP', Port: 80, VpcId: subnets[0].VpcId, TargetType: 'instance' }))).TargetGroups![0];
    add('targetgrouparn', tg.TargetGroupArn);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'fuzz-lb', Subnets: subnets.map((s) => s.SubnetId!), SecurityGroups: [sg.GroupId!] }))).LoadBalancers![0];
    add('loadbalancerarn', lb.LoadBalancerArn);
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }))).Listeners![0];
    add('listenerarn', listener.ListenerArn);
    const rule = (await elb.send(
      new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }),
    )).Rules![0];
    add('rulearn', rule.RuleArn);
    add('name', 'fuzz-lb', 'fuzz-tg', SSM_AMI, 'fuzz-alarm');
    add('path', '/aws/service/ecs', '/aws/service/ecs/optimized-ami');
    const svc = (await ecs.send(
      new CreateServiceCommand({ cluster: 'demo-cluster', serviceName: 'web', taskDefinition: 'app', desiredCount: 1, loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: 'app', containerPort: 8080 }] }),
    )).service!;
    add('service', 'web', svc.serviceArn);
    add('resourcearn', cluster.clusterArn, svc.serviceArn, td.taskDefinitionArn, lb.LoadBalancerArn, tg.TargetGroupArn, listener.ListenerArn, rule.RuleArn);
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'fuzz-asg', MinSize: 0, MaxSize: 1, DesiredCapacity: 0, LaunchTemplate: { LaunchTemplateName: 'fuzz-lt' }, VPCZoneIdentifier: subnets[0].SubnetId }));
    add('autoscalinggroupname', 'fuzz-asg');
    await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/web', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 3 }));
    add('resourceid', 'service/demo-cluster/web');
    add('servicenamespace', 'ecs');
    add('scalabledimension', 'ecs:service:DesiredCount');
    const policy = await aas.send(
      new PutScalingPolicyCommand({
        PolicyName: 'fuzz-policy', ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/web', ScalableDimension: 'ecs:service:DesiredCount', PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
      }),
    );
    add('policyname', 'fuzz-policy');
    add('policyarn', policy.PolicyARN);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'fuzz-alarm', Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'ClusterName', Value: 'demo-cluster' }, { Name: 'ServiceName', Value: 'web' }],
      }),
    );
    add('alarmname', 'fuzz-alarm', ...policy.Alarms!.map((a) => a.AlarmName));
    add('namespace', 'AWS/ECS', 'AWS/ApplicationELB', 'AWS/EC2');
    add('metricname', 'CPUUtilization', 'MemoryUtilization', 'RequestCount');
    add('dimension', 'ClusterName', 'ServiceName');
    for (let i = 0; i < 10; i++) await advance(5_000); // the service's task starts
    add('containerinstance', ...((await ecs.send(new ListContainerInstancesCommand({ cluster: 'demo-cluster' }))).containerInstanceArns ?? []));
    add('task', ...((await ecs.send(new ListTasksCommand({ cluster: 'demo-cluster' }))).taskArns ?? []));
    // Container instances, attributes, placement and account settings (names the ECS handlers look up).
    add('targetid', ...(known.get('containerinstance') ?? []));
    add('containerinstancearn', ...(known.get('containerinstance') ?? []));
    add('instanceidentitydocument', ...inst.Instances!.map((i) => JSON.stringify({ instanceId: i.InstanceId, region: REGION, instanceType: 'm5.large' })));
    add('filter', 'attribute:ecs.instance-type == m5.large', 'task:group == service:web or runningTasksCount > 0');
    add('expression', 'attribute:ecs.availability-zone in [ap-northeast-1a, ap-northeast-1c]', 'not(attribute:stack exists)');
    add('field', 'attribute:ecs.availability-zone', 'instanceId', 'memory');
    add('principalarn', `arn:aws:iam::${sb.world.accountId}:root`, `arn:aws:iam::${sb.world.accountId}:user/ecs-handson-sandbox`);
    add('attributename', 'ecs.instance-type', 'stack');
    add('key', 'Name', 'env');
    add('value', 'x');
    const iam = new IAMClient(cfg);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${sb.world.accountId}:root` }, Action: 'sts:AssumeRole' }] });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'fuzz-role', AssumeRolePolicyDocument: trust }))).Role!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'fuzz-role', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'fuzz-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'fuzz-profile', RoleName: 'fuzz-role' }));
    add('rolename', 'fuzz-role');
    add('rolearn', role.Arn);
    add('instanceprofilename', 'fuzz-profile');
    add('policyarn', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role');
    add('rolesessionname', 'fuzz-session');
    add('awsservicename', 'ecs.amazonaws.com', 'autoscaling.amazonaws.com');
    add('assumerolepolicydocument', trust);
    const cwl = new CloudWatchLogsClient(cfg);
    await cwl.send(new CreateLogGroupCommand({ logGroupName: '/ecs/fuzz', tags: { team: 'fuzz' } }));
    await cwl.send(new CreateLogStreamCommand({ logGroupName: '/ecs/fuzz', logStreamName: 'ecs/app/1' }));
    await cwl.send(new PutLogEventsCommand({ logGroupName: '/ecs/fuzz', logStreamName: 'ecs/app/1', logEvents: [{ timestamp: clock.now(), message: 'GET /app/ 200' }] }));
    const logGroupArn = `arn:aws:logs:${REGION}:${sb.world.accountId}:log-group:/ecs/fuzz`;
    add('loggroupname', '/ecs/fuzz');
    add('loggroupnameprefix', '/ecs/');
    add('loggroupidentifier', '/ecs/fuzz', logGroupArn);
    add('logstreamname', 'ecs/app/1');
    add('logstreamnameprefix', 'ecs/');
    add('resourcearn', logGroupArn);
    add('filterpattern', 'GET', '"/app/"', '?GET ?POST -HEAD');
    add('message', 'a log line');
    for (const c of [ecs, ec2, elb, asg, aas, cw, iam, cwl]) c.destroy();
  });
  after(async () => {
    clearInterval(flusher);
    await sb?.close();
  });

  const headersFor = (t: FuzzTarget): Record<string, string> => {
    if (t.wire !== 'json') return { 'content-type': 'application/x-www-form-urlencoded' };
    return {
      'content-type': t.def.protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
      'x-amz-target': `${t.def.targetPrefix}.${t.operation}`,
    };
  };

  /** The operations whose successful answers were checked against the SDK's output schema. */
  const shapeChecked = new Set<string>();

  /** Why the answer is not one AWS would give (undefined when it is fine). */
  function badAnswer(t: FuzzTarget, res: RawResponse): string | undefined {
    const why = badEnvelope(t, res);
    if (why || res.status !== 200) return why;
    // A success's members and values are those of the operation's output in the SDK's model.
    shapeChecked.add(`${t.def.signingName} ${t.operation}`);
    const problems = outputProblems(t.def.signingName, t.operation, res.body);
    return problems.length ? `output shape: ${problems.slice(0, 5).join('; ')}` : undefined;
  }

  function badEnvelope(t: FuzzTarget, res: RawResponse): string | undefined {
    if (res.status >= 500) return `status ${res.status}`;
    const ctype = String(res.headers['content-type'] ?? '');
    if (t.wire === 'json') {
      if (!ctype.startsWith('application/x-amz-json-1.')) return `content-type ${ctype}`;
      let b: Record<string, unknown>;
      try {
        b = JSON.parse(res.body);
      } catch {
        return 'body is not JSON';
      }
      if (res.status >= 400 && !(typeof b.__type === 'string' && (typeof b.message === 'string' || typeof b.Message === 'string') && res.headers['x-amzn-errortype'])) return 'not an AWS JSON error';
      return res.status === 200 || res.status >= 400 ? undefined : `status ${res.status}`;
    }
    if (!ctype.startsWith('text/xml')) return `content-type ${ctype}`;
    if (XMLValidator.validate(res.body) !== true) return 'body is not well-formed XML';
    if (res.status >= 400) {
      const ok = t.wire === 'ec2' ? /^<\?xml[^>]*>\s*<Response><Errors><Error><Code>[^<]+<\/Code><Message>/.test(res.body) : /<ErrorResponse[ >].*<Code>[^<]+<\/Code>.*<RequestId>/s.test(res.body);
      return ok ? undefined : 'not an AWS XML error';
    }
    return res.body.includes(`<${t.operation}Response`) ? undefined : 'no <OperationResponse> element';
  }

  it('answers names that are Object.prototype members (__proto__, constructor, toString …) as plain names, for every string member of every operation', async () => {
    const r = rng(SEED + 1);
    const jobs = fuzzTargets(services).flatMap((t) => prototypeNameRequests(r, t, known).map((req) => ({ t, req })));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const { t, req } = jobs[next++];
        const headers = await signPost(sb.endpoint, sb.credentials, t.def.signingName, REGION, headersFor(t), req.body);
        const res = await rawRequest(sb.endpoint, { headers, body: req.body });
        const why = badAnswer(t, res);
        if (why) failures.push(`${t.def.signingName}/${t.wire} ${t.operation} (${req.what}): ${why}: ${res.status} ${res.body.slice(0, 300)}\n    body: ${req.body.slice(0, 400)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    console.log(`      ${jobs.length} requests`);
    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} bad answers (first 40 shown)`);
    assert.deepEqual(logs.filter((l) => /InternalFailure|request .* failed|tick failed/.test(l)).map((l) => l.slice(0, 600)), []);
    // Object.prototype is untouched, and so is every record of the state.
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(strangePrototypes(sb.world), []);
  });

  it(`answers ${PER_OPERATION} hostile requests per operation and protocol without a 5xx (seed ${SEED})`, async () => {
    const targets = fuzzTargets(services);
    // Every service and protocol is reached.
    const covered = new Set(targets.map((t) => `${t.def.signingName}/${t.wire}`));
    for (const x of ['ecs/json', 'ssm/json', 'application-autoscaling/json', 'monitoring/json', 'monitoring/query', 'logs/json', 'elasticloadbalancing/query', 'autoscaling/query', 'ec2/ec2', 'iam/query', 'sts/query']) assert.ok(covered.has(x), x);
    const r = rng(SEED);
    const jobs = targets.flatMap((t) => Array.from({ length: PER_OPERATION }, () => t));
    // Shuffle (seeded) so that operations interleave as a real client's would.
    for (let i = jobs.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
    }
    if (!process.env.FUZZ_REQUESTS_PER_OPERATION) assert.ok(jobs.length >= 5000, `${jobs.length} requests`);
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    const codes = new Set<string>();
    let next = 0;
    let done = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < jobs.length) {
        const t = jobs[next++];
        const req = hostileRequest(r, t, known);
        let res: RawResponse;
        try {
          const headers = await signPost(sb.endpoint, sb.credentials, t.def.signingName, REGION, headersFor(t), req.body);
          res = await rawRequest(sb.endpoint, { headers, body: req.body });
        } catch (e) {
          failures.push(`${t.def.signingName}/${t.wire} ${t.operation} (${req.what}): no answer: ${(e as Error).message}`);
          continue;
        }
        const key = `${res.status < 300 ? '2xx' : res.status}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const code = res.headers['x-amzn-errortype'] ?? /<Code>([^<]+)<\/Code>/.exec(res.body)?.[1];
        if (code) codes.add(String(code));
        const why = badAnswer(t, res);
        if (why) failures.push(`${t.def.signingName}/${t.wire} ${t.operation} (${req.what}): ${why}: ${res.status} ${res.body.slice(0, 300)}\n    body: ${req.body.slice(0, 400)}`);
        // Let simulated time pass now and then, so the engine works on what was accepted.
        if (++done % 250 === 0) clock.advance(15_000);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(`      ${jobs.length} requests over ${targets.length} operation/protocol pairs in ${seconds.toFixed(1)} s: ${[...statuses].map(([k, v]) => `${k} ×${v}`).join(', ')}; ${codes.size} error codes`);
    const operations = new Set(targets.map((t) => `${t.def.signingName} ${t.operation}`));
    const unchecked = [...operations].filter((o) => !shapeChecked.has(o)).sort();
    console.log(`      output shapes checked for ${shapeChecked.size} of ${operations.size} operations; never succeeded: ${unchecked.join(', ')}`);
    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} bad answers (first 40 shown)`);
    assert.deepEqual(logs.filter((l) => /InternalFailure|request .* failed|tick failed/.test(l)).map((l) => l.slice(0, 600)), []);
    // Handlers were reached, not just the protocol layer: some requests succeeded, and the errors are the services' own.
    assert.ok((statuses.get('2xx') ?? 0) >= jobs.length / 50, 'too few requests reached a handler and succeeded');
    for (const c of ['InvalidParameterException', 'ClientException', 'ValidationError', 'ValidationException', 'InvalidParameterValue', 'MissingParameter', 'SerializationException', 'MalformedQueryString']) {
      assert.ok(codes.has(c), `no ${c} among ${[...codes].sort().join(', ')}`);
    }

    // Still serving, with a state that serialises.
    const ok = await new ECSClient({ endpoint: sb.endpoint, region: REGION, credentials: sb.credentials, maxAttempts: 1 }).send(new ListClustersCommand({}));
    assert.ok(Array.isArray(ok.clusterArns));
    assert.deepEqual(strangePrototypes(sb.world), []);
    const state = await new SandboxAdmin(sb.endpoint, sb.adminToken).state();
    assert.ok(JSON.parse(JSON.stringify(state)).regions[REGION]);
  });
});
