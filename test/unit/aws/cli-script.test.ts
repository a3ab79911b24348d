/**
 * The AWS CLI behind every click: the calls recorded on the real SDK clients (the real command
 * classes, answered here without a network) become the AWS CLI's commands — each operation and
 * option checked against the AWS CLI's own service models (Debian's awscli, botocore's data).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, DescribeClustersCommand, DescribeContainerInstancesCommand, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { AuthorizeSecurityGroupIngressCommand, CreateLaunchTemplateCommand, CreateSecurityGroupCommand, DescribeSubnetsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { PutScalingPolicyCommand } from '@aws-sdk/client-application-auto-scaling';
import { createClients, type AwsClients } from '../../../src/aws/clients';
import { CallRecording, currentRecording, recordCalls } from '../../../src/aws/cli-record';
import { cliArgName, cliCommands, cliOperationName, cliParamName, cliScript, shellQuote, xformName, type CliTarget } from '../../../src/aws/cli-script';

const sandbox = { kind: 'sandbox' as const, endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' } };
const target: CliTarget = { profile: 'ecs-handson-sandbox', region: 'us-east-1', endpointUrl: () => 'http://127.0.0.1:4566' };

type Answer = (operation: string, input: Record<string, unknown>) => Record<string, unknown>;

/** The sandbox connection's real clients, each call answered by `answer` before anything is sent. */
function answeredClients(answer: Answer): AwsClients {
  const clients = createClients(sandbox);
  for (const key of ['ecs', 'ec2', 'elbv2', 'ssm', 'applicationAutoScaling'] as const) {
    (clients[key].middlewareStack as { add(m: unknown, o: object): void }).add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => ({
        output: { $metadata: {}, ...answer((context.commandName ?? '').replace(/Command$/, ''), args.input) },
        response: {},
      }),
      { step: 'initialize', name: 'answer', priority: 'low' },
    );
  }
  return clients;
}

// ---- the AWS CLI's service models (botocore's data in Debian's awscli)
const MODELS = ['/usr/lib/python3/dist-packages/awscli/botocore/data', '/usr/lib/python3/dist-packages/botocore/data'].find((d) => existsSync(d));

interface Model { operations: Record<string, { input?: { shape: string } }>; shapes: Record<string, { members?: Record<string, unknown> }> }
const models = new Map<string, Model>();
function modelOf(service: string): Model {
  let m = models.get(service);
  if (!m) {
    const dir = join(MODELS!, service);
    const version = readdirSync(dir).filter((v) => /^\d/.test(v)).sort().pop()!;
    m = JSON.parse(readFileSync(join(dir, version, 'service-2.json'), 'utf8')) as Model;
    models.set(service, m);
  }
  return m;
}

const GLOBAL = new Set(['profile', 'region', 'endpoint-url', 'query', 'output']);

/** Asserts each command's service, operation and options exist in the AWS CLI (renamed ones as the CLI names them). */
function assertCliKnows(script: string): void {
  assert.ok(MODELS, 'the AWS CLI\'s service models (Debian package awscli) are needed to check the commands');
  const commands = script.replace(/ \\\n\s*/g, ' ').split('\n').filter((l) => /aws /.test(l) && !l.startsWith('#'));
  assert.ok(commands.length > 0);
  for (const line of commands) {
    const words = line.slice(line.indexOf('aws ')).split(/\s+/);
    const [, service, op] = words;
    const model = modelOf(service);
    const opName = Object.keys(model.operations).find((o) => xformName(o) === op);
    assert.ok(opName, `aws ${service} ${op} is not an operation of the AWS CLI`);
    const members = Object.keys(model.shapes[model.operations[opName].input?.shape ?? '']?.members ?? {});
    const allowed = new Set(members.flatMap((m) => [cliArgName(service, op, m), cliArgName(service, op, m, true)]));
    for (const w of words.filter((x) => x.startsWith('--'))) {
      const name = w.slice(2);
      assert.ok(GLOBAL.has(name) || allowed.has(name), `aws ${service} ${op} has no option --${name} (members: ${members.join(', ')})`);
    }
  }
}

describe('aws/cli-script: the AWS CLI behind every click', () => {
  it('names operations and options as the AWS CLI does (botocore xform_name)', () => {
    assert.equal(cliOperationName('DescribeServices'), 'describe-services');
    assert.equal(cliOperationName('CreateLoadBalancer'), 'create-load-balancer');
    assert.equal(cliOperationName('DescribeDBInstances'), 'describe-db-instances');
    assert.equal(cliOperationName('ListWebACLs'), 'list-web-acls');
    assert.equal(cliOperationName('ExecutePartiQLStatement'), 'execute-partiql-statement');
    assert.equal(cliParamName('ECS', 'CreateService', 'healthCheckGracePeriodSeconds'), 'health-check-grace-period-seconds');
    assert.equal(cliParamName('EC2', 'DescribeSubnets', 'SubnetIds'), 'subnet-ids');
    assert.equal(cliParamName('ElasticLoadBalancingV2', 'DescribeLoadBalancers', 'DNSName'), 'dns-name');
    assert.equal(cliParamName('ECS', 'CreateService', 'enableExecuteCommand', true), 'disable-execute-command');
    assert.equal(shellQuote('demo-cluster'), 'demo-cluster');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), "''");
  });

  it('turns a create-load-balancer sequence into CLI commands with the IDs in shell variables', async () => {
    const clients = answeredClients((op, input) => {
      switch (op) {
        case 'DescribeSubnets':
          return { Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60718', VpcId: 'vpc-0123456789abcdef0' }, { SubnetId: 'subnet-1a1b2c3d4e5f60718', VpcId: 'vpc-0123456789abcdef0' }] };
        case 'ListContainerInstances':
          return { containerInstanceArns: ['arn:aws:ecs:us-east-1:000000000000:container-instance/demo-cluster/aaaa', 'arn:aws:ecs:us-east-1:000000000000:container-instance/demo-cluster/bbbb'] };
        case 'DescribeContainerInstances':
          return { containerInstances: (input.containerInstances as string[]).map((a, i) => ({ containerInstanceArn: a, ec2InstanceId: `i-0${i}23456789abcdef0` })) };
        case 'CreateSecurityGroup':
          return { GroupId: 'sg-0fedcba9876543210' };
        case 'CreateTargetGroup':
          return { TargetGroups: [{ TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/app-demo-lb-tg/0123456789abcdef' }] };
        case 'CreateLoadBalancer':
          return { LoadBalancers: [{ LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/app-demo-lb/fedcba9876543210', DNSName: 'app-demo-lb-1.elb.localhost' }] };
        default:
          return {};
      }
    });
    const recording = new CallRecording();
    await recordCalls(recording, async () => {
      const subnets = await clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
      const ids = subnets.Subnets!.map((s) => s.SubnetId!);
      const list = await clients.ecs.send(new ListContainerInstancesCommand({ cluster: 'demo-cluster' }));
      const cis = await clients.ecs.send(new DescribeContainerInstancesCommand({ cluster: 'demo-cluster', containerInstances: list.containerInstanceArns }));
      const sg = await clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-demo-lb-sg', Description: 'ECS Hands-on: HTTP 80 to the load balancer', VpcId: subnets.Subnets![0].VpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'ecs-handson:managed', Value: 'true' }] }] }));
      await clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      const tg = await clients.elbv2.send(new CreateTargetGroupCommand({ Name: 'app-demo-lb-tg', Protocol: 'HTTP', Port: 80, VpcId: subnets.Subnets![0].VpcId, HealthCheckPath: '/app/', HealthCheckIntervalSeconds: 30 }));
      const lb = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'app-demo-lb', Type: 'application', Subnets: ids, SecurityGroups: [sg.GroupId!] }));
      await clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0].LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups![0].TargetGroupArn }] }));
      await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroups![0].TargetGroupArn, Targets: cis.containerInstances!.map((c) => ({ Id: c.ec2InstanceId, Port: 80 })) }));
    });
    const g = '--profile ecs-handson-sandbox --region us-east-1 --endpoint-url http://127.0.0.1:4566';
    const lines = cliCommands(recording.calls, target).map((l) => l.replace(/ \\\n\s+/g, ' '));
    assert.deepEqual(lines, [
      `VPC_ID=$(aws ec2 describe-subnets --filters '[{"Name":"default-for-az","Values":["true"]}]' ${g} --query 'Subnets[0].VpcId' --output text)`,
      `SUBNET_ID=$(aws ec2 describe-subnets --filters '[{"Name":"default-for-az","Values":["true"]}]' ${g} --query 'Subnets[0].SubnetId' --output text)`,
      `SUBNET_ID_2=$(aws ec2 describe-subnets --filters '[{"Name":"default-for-az","Values":["true"]}]' ${g} --query 'Subnets[1].SubnetId' --output text)`,
      `CONTAINER_INSTANCE_ARN=$(aws ecs list-container-instances --cluster demo-cluster ${g} --query 'containerInstanceArns[0]' --output text)`,
      `CONTAINER_INSTANCE_ARN_2=$(aws ecs list-container-instances --cluster demo-cluster ${g} --query 'containerInstanceArns[1]' --output text)`,
      `EC2_INSTANCE_ID=$(aws ecs describe-container-instances --cluster demo-cluster --container-instances "$CONTAINER_INSTANCE_ARN" "$CONTAINER_INSTANCE_ARN_2" ${g} --query 'containerInstances[0].ec2InstanceId' --output text)`,
      `EC2_INSTANCE_ID_2=$(aws ecs describe-container-instances --cluster demo-cluster --container-instances "$CONTAINER_INSTANCE_ARN" "$CONTAINER_INSTANCE_ARN_2" ${g} --query 'containerInstances[1].ec2InstanceId' --output text)`,
      `GROUP_ID=$(aws ec2 create-security-group --group-name app-demo-lb-sg --description 'ECS Hands-on: HTTP 80 to the load balancer' --vpc-id "$VPC_ID" --tag-specifications '[{"ResourceType":"security-group","Tags":[{"Key":"ecs-handson:managed","Value":"true"}]}]' ${g} --query GroupId --output text)`,
      `aws ec2 authorize-security-group-ingress --group-id "$GROUP_ID" --ip-permissions '[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' ${g}`,
      `TARGET_GROUP_ARN=$(aws elbv2 create-target-group --name app-demo-lb-tg --protocol HTTP --port 80 --vpc-id "$VPC_ID" --health-check-path /app/ --health-check-interval-seconds 30 ${g} --query 'TargetGroups[0].TargetGroupArn' --output text)`,
      `LOAD_BALANCER_ARN=$(aws elbv2 create-load-balancer --name app-demo-lb --type application --subnets "$SUBNET_ID" "$SUBNET_ID_2" --security-groups "$GROUP_ID" ${g} --query 'LoadBalancers[0].LoadBalancerArn' --output text)`,
      `aws elbv2 create-listener --load-balancer-arn "$LOAD_BALANCER_ARN" --protocol HTTP --port 80 --default-actions '[{"Type":"forward","TargetGroupArn":"'"$TARGET_GROUP_ARN"'"}]' ${g}`,
      `aws elbv2 register-targets --target-group-arn "$TARGET_GROUP_ARN" --targets '[{"Id":"'"$EC2_INSTANCE_ID"'","Port":80},{"Id":"'"$EC2_INSTANCE_ID_2"'","Port":80}]' ${g}`,
    ]);
    assertCliKnows(cliScript(recording.calls, target));
  });

  it('passes the AMI SSM returned to the launch template, user data decoded for run-instances, booleans as flags', async () => {
    const clients = answeredClients((op) => {
      if (op === 'GetParameter') return { Parameter: { Name: 'x', Value: 'ami-0abcdef1234567890' } };
      if (op === 'CreateLaunchTemplate') return { LaunchTemplate: { LaunchTemplateId: 'lt-0abcdef1234567890' } };
      if (op === 'CreateCluster') return { cluster: { clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/demo-cluster', clusterName: 'demo-cluster' } };
      return {};
    });
    const recording = new CallRecording();
    await recordCalls(recording, async () => {
      await clients.ecs.send(new DescribeClustersCommand({ clusters: ['demo-cluster'] }));
      const c = await clients.ecs.send(new CreateClusterCommand({ clusterName: 'demo-cluster', settings: [{ name: 'containerInsights', value: 'disabled' }] }));
      const p = await clients.ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }));
      const lt = await clients.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'ecs-handson-demo-cluster', LaunchTemplateData: { ImageId: p.Parameter!.Value, InstanceType: 't3.small' } }));
      await clients.ec2.send(new RunInstancesCommand({ MinCount: 2, MaxCount: 2, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId }, UserData: Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n').toString('base64') }));
      await clients.ecs.send(new CreateServiceCommand({ cluster: c.cluster!.clusterArn, serviceName: 'demo-service', taskDefinition: 'demo-app-task:1', desiredCount: 2, enableExecuteCommand: false, enableECSManagedTags: true }));
      await clients.applicationAutoScaling.send(new PutScalingPolicyCommand({ PolicyName: 'p', ServiceNamespace: 'ecs', ResourceId: 'service/demo-cluster/demo-service', ScalableDimension: 'ecs:service:DesiredCount', PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] } }));
    });
    const script = cliScript(recording.calls, { region: 'eu-west-1' });
    const flat = script.replace(/ \\\n\s+/g, ' ');
    const lines = flat.split('\n');
    // The existence check (a read nobody used) is not a command; the cluster's ARN goes by variable.
    assert.ok(!script.includes('describe-clusters'), script);
    assert.equal(lines[0], `CLUSTER_ARN=$(aws ecs create-cluster --cluster-name demo-cluster --settings '[{"name":"containerInsights","value":"disabled"}]' --region eu-west-1 --query cluster.clusterArn --output text)`);
    assert.equal(lines[1], `PARAMETER_VALUE=$(aws ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id --region eu-west-1 --query Parameter.Value --output text)`);
    assert.match(lines[2], /^LAUNCH_TEMPLATE_ID=\$\(aws ec2 create-launch-template --launch-template-name ecs-handson-demo-cluster --launch-template-data '\{"ImageId":"'"\$PARAMETER_VALUE"'","InstanceType":"t3.small"\}'/);
    assert.ok(flat.includes(`--user-data '#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n'`), script);
    assert.match(flat, /aws ecs create-service --cluster "\$CLUSTER_ARN" --service-name demo-service --task-definition demo-app-task:1 --desired-count 2 --disable-execute-command --enable-ecs-managed-tags/);
    assert.match(flat, /--step-scaling-policy-configuration '\{"AdjustmentType":"ChangeInCapacity","StepAdjustments":\[\{"MetricIntervalLowerBound":0,"ScalingAdjustment":2\}\]\}'/);
    assertCliKnows(script.split('\n').filter((l) => !l.startsWith('echo')).join('\n'));
  });

  it('records only the calls of the action it runs, and nothing once the action ended', async () => {
    const clients = answeredClients(() => ({ clusters: [] }));
    const recording = new CallRecording();
    let later: Promise<unknown> | undefined;
    const outside = clients.ecs.send(new DescribeClustersCommand({ clusters: ['elsewhere'] }));
    await recordCalls(recording, async () => {
      await clients.ecs.send(new DescribeClustersCommand({ clusters: ['demo-cluster'] }));
      // A follower the action started keeps polling after it ended.
      later = new Promise((resolve) => setTimeout(() => resolve(clients.ecs.send(new DescribeClustersCommand({ clusters: ['after'] }))), 20));
    });
    await outside;
    await later;
    assert.deepEqual(recording.calls.map((c) => (c.input as { clusters: string[] }).clusters[0]), ['demo-cluster']);
    // An action that only read shows its reads (once each).
    assert.equal(cliScript([...recording.calls, ...recording.calls], {}), 'aws ecs describe-clusters --clusters demo-cluster');
  });

  it('a recording inside another (a command run by a walkthrough action) gives its calls to both; reads are capped, changes never', async () => {
    const clients = answeredClients(() => ({}));
    const outer = new CallRecording();
    const inner = new CallRecording(1, currentRecording());
    assert.equal(currentRecording(), undefined);
    await recordCalls(outer, async () => {
      await clients.ecs.send(new DescribeClustersCommand({ clusters: ['read-by-the-walkthrough'] }));
      const nested = new CallRecording(1, currentRecording());
      await recordCalls(nested, async () => {
        await clients.ecs.send(new DescribeClustersCommand({ clusters: ['first-read'] }));
        await clients.ecs.send(new DescribeClustersCommand({ clusters: ['over-the-read-cap'] }));
        await clients.ecs.send(new CreateClusterCommand({ clusterName: 'change' }));
      });
      assert.deepEqual(nested.calls.map((c) => c.operation), ['DescribeClusters', 'CreateCluster']);
      await clients.ecs.send(new CreateClusterCommand({ clusterName: 'after-the-command' }));
    });
    assert.deepEqual(outer.calls.map((c) => (c.input as { clusters?: string[]; clusterName?: string }).clusters?.[0] ?? (c.input as { clusterName: string }).clusterName),
      ['read-by-the-walkthrough', 'first-read', 'over-the-read-cap', 'change', 'after-the-command']);
    assert.equal(inner.calls.length, 0);
  });

  it('finds generated IDs inside other strings (an Auto Scaling group\'s subnet list), never inside a longer id', () => {
    const calls = [
      { service: 'EC2', operation: 'DescribeSubnets', input: {}, output: { Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60718' }, { SubnetId: 'subnet-1a1b2c3d4e5f60718' }] } },
      { service: 'AutoScaling', operation: 'CreateAutoScalingGroup', input: { AutoScalingGroupName: 'demo-cluster-asg', VPCZoneIdentifier: 'subnet-0a1b2c3d4e5f60718,subnet-1a1b2c3d4e5f60718', MinSize: 2, MaxSize: 4 } },
      { service: 'ECS', operation: 'TagResource', input: { resourceArn: 'x', tags: [{ key: 'note', value: 'subnet-0a1b2c3d4e5f607189' }] } },
    ];
    const lines = cliCommands(calls, {}).map((l) => l.replace(/ \\\n\s+/g, ' '));
    assert.deepEqual(lines, [
      `SUBNET_ID=$(aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text)`,
      `SUBNET_ID_2=$(aws ec2 describe-subnets --query 'Subnets[1].SubnetId' --output text)`,
      `aws autoscaling create-auto-scaling-group --auto-scaling-group-name demo-cluster-asg --vpc-zone-identifier "$SUBNET_ID","$SUBNET_ID_2" --min-size 2 --max-size 4`,
      `aws ecs tag-resource --resource-arn x --tags '[{"key":"note","value":"subnet-0a1b2c3d4e5f607189"}]'`,
    ]);
    assertCliKnows(lines.join('\n'));
  });

  it('keeps a failed change as a comment with its error, and an unknown service in the CLI\'s spelling', () => {
    const script = cliScript([{ service: 'ECS', operation: 'DeleteService', input: { cluster: 'c', service: 's' }, error: 'InvalidParameterException' }], {});
    assert.equal(script, '# failed (InvalidParameterException): aws ecs delete-service --cluster c --service s');
  });
});
