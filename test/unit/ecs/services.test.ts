import { strict as assert } from 'node:assert';
import { ACCOUNT, Harness, REGION, container, taskDef } from './harness';

const IPE = 'InvalidParameterException';

describe('ECS services', () => {
  let h: Harness;
  let TG: string;
  beforeEach(() => {
    h = new Harness();
    TG = h.addTargetGroup();
    h.call('CreateCluster', { clusterName: 'demo-cluster' });
    h.call('RegisterTaskDefinition', taskDef());
  });
  const create = (over: Record<string, unknown> = {}) =>
    h.call('CreateService', { cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 2, ...over }).service;

  it('CreateService stores an ACTIVE service with defaults and a PRIMARY deployment', () => {
    const s = create({ tags: [{ key: 'k', value: 'v' }] });
    assert.equal(s.serviceArn, `arn:aws:ecs:${REGION}:${ACCOUNT}:service/demo-cluster/demo-service`);
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.desiredCount, 2);
    assert.equal(s.launchType, 'EC2');
    assert.equal(s.taskDefinition, `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-app-task:1`);
    assert.deepEqual(s.deploymentConfiguration, {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    assert.equal(s.schedulingStrategy, 'REPLICA');
    assert.deepEqual(s.deploymentController, { type: 'ECS' });
    assert.equal(s.deployments.length, 1);
    assert.equal(s.deployments[0].status, 'PRIMARY');
    assert.match(s.deployments[0].id, /^ecs-svc\/\d{19}$/);
    assert.equal(s.deployments[0].consecutiveFailures, undefined, 'sandbox-only fields are not sent');
    assert.equal(s.eventGate, undefined);
    assert.deepEqual(s.tags, [{ key: 'k', value: 'v' }]);
    assert.equal(typeof s.createdAt, 'number');
  });

  it('CreateService refusals change nothing', () => {
    create();
    h.refused('CreateService', { cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 1 }, IPE, 'Creation of service was not idempotent.');
    const base = { cluster: 'demo-cluster', serviceName: 's2', taskDefinition: 'demo-app-task', desiredCount: 1 };
    h.refused('CreateService', { ...base, cluster: 'nope' }, 'ClusterNotFoundException', 'Cluster not found.');
    h.refused('CreateService', { ...base, serviceName: undefined }, IPE, /serviceName/);
    h.refused('CreateService', { ...base, serviceName: 'bad name' }, IPE, /Service name/);
    h.refused('CreateService', { ...base, taskDefinition: undefined }, IPE, /taskDefinition/);
    h.refused('CreateService', { ...base, taskDefinition: 'nope' }, IPE, 'TaskDefinition not found.');
    h.refused('CreateService', { ...base, desiredCount: undefined }, IPE, /desiredCount/);
    h.refused('CreateService', { ...base, desiredCount: -1 }, IPE, /desiredCount/);
    h.refused('CreateService', { ...base, desiredCount: '2' }, IPE, /desiredCount/);
    h.refused('CreateService', { ...base, launchType: 'FARGATE' }, IPE, /launchType/);
    h.refused('CreateService', { ...base, deploymentConfiguration: { minimumHealthyPercent: 101 } }, IPE, /minimumHealthyPercent/);
    h.refused('CreateService', { ...base, deploymentConfiguration: { maximumPercent: 50 } }, IPE, /maximumPercent/);
    h.refused('CreateService', { ...base, deploymentConfiguration: { strategy: 'BLUE_GREEN' } }, IPE, /ROLLING/);
    h.refused('CreateService', { ...base, deploymentConfiguration: 'fast' }, IPE, /deploymentConfiguration/);
    h.refused('CreateService', { ...base, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true } } }, IPE, /rollback/);
    h.refused('CreateService', { ...base, loadBalancers: [{ containerName: 'web', containerPort: 8080 }] }, IPE, /targetGroupArn/);
    h.refused('CreateService', { ...base, loadBalancers: [{ targetGroupArn: TG, containerName: 'api', containerPort: 8080 }] }, IPE, 'The container api does not exist in the task definition.');
    h.refused('CreateService', { ...base, loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 9999 }] }, IPE, 'The container web did not have a container port 9999 defined.');
    h.refused('CreateService', { ...base, healthCheckGracePeriodSeconds: 30 }, IPE, /load balancers/);
    const lb = (targetGroupArn: string) => ({ ...base, loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }] });
    h.refused(
      'CreateService',
      lb(TG.replace('demo-tg', 'ghost-tg')),
      IPE,
      'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
    );
    const lonely = h.addTargetGroup('lonely', { attached: false });
    h.refused('CreateService', lb(lonely), IPE, `The target group with targetGroupArn ${lonely} does not have an associated load balancer.`);
    const ipTg = h.addTargetGroup('ip-tg', { targetType: 'ip' });
    h.refused('CreateService', lb(ipTg), IPE, /has target type ip, which is incompatible with the bridge network mode/);
    h.refused('CreateService', { ...base, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } }, IPE, /Network Configuration is not valid/);
    h.call('RegisterTaskDefinition', taskDef({ family: 'vpc', networkMode: 'awsvpc', containerDefinitions: [container({ portMappings: [{ containerPort: 8080 }] })] }));
    h.refused('CreateService', { ...base, taskDefinition: 'vpc' }, IPE, "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    h.call('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task:1' });
    h.refused('CreateService', base, IPE, 'TaskDefinition is inactive');
  });

  it('members the sandbox does not act on are still checked against the ECS API model, and nothing is created', () => {
    const base = { cluster: 'demo-cluster', serviceName: 'other', taskDefinition: 'demo-app-task', desiredCount: 1 };
    h.refused('CreateService', { ...base, serviceRegistries: 'registry' }, IPE, 'Invalid type for parameter serviceRegistries: expected a list, got string.');
    h.refused(
      'CreateService',
      { ...base, placementConstraints: [{ type: 'memberOf', expression: 7 }] },
      IPE,
      'Invalid type for parameter placementConstraints[0].expression: expected a string, got number.',
    );
    h.refused(
      'RunTask',
      { cluster: 'demo-cluster', taskDefinition: 'demo-app-task', overrides: { containerOverrides: [{ name: 'web', environment: 'FOO=1' }] } },
      IPE,
      'Invalid type for parameter overrides.containerOverrides[0].environment: expected a list, got string.',
    );
  });

  it('CreateService with a load balancer and custom deployment configuration', () => {
    const s = create({
      loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 30,
      deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    assert.deepEqual(s.loadBalancers, [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }]);
    assert.equal(s.healthCheckGracePeriodSeconds, 30);
    assert.equal(s.roleArn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`);
    assert.equal(s.deploymentConfiguration.maximumPercent, 150);
    assert.equal(s.deploymentConfiguration.minimumHealthyPercent, 50);
    assert.deepEqual(s.deploymentConfiguration.deploymentCircuitBreaker, { enable: true, rollback: true });
  });

  it('DescribeServices: MISSING failures, at most 10, TAGS on request', () => {
    create({ tags: [{ key: 'k', value: 'v' }] });
    const out = h.call('DescribeServices', { cluster: 'demo-cluster', services: ['demo-service', 'ghost'] });
    assert.equal(out.services.length, 1);
    assert.equal(out.services[0].tags, undefined);
    assert.deepEqual(out.failures, [{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/demo-cluster/ghost`, reason: 'MISSING' }]);
    const byArn = h.call('DescribeServices', { cluster: 'demo-cluster', services: [out.services[0].serviceArn], include: ['TAGS'] });
    assert.deepEqual(byArn.services[0].tags, [{ key: 'k', value: 'v' }]);
    h.refused('DescribeServices', { cluster: 'demo-cluster', services: Array.from({ length: 11 }, (_, i) => `s${i}`) }, IPE, /10/);
    h.refused('DescribeServices', { cluster: 'demo-cluster' }, IPE, /services/);
    h.refused('DescribeServices', { cluster: 'nope', services: ['x'] }, 'ClusterNotFoundException');
  });

  it('ListServices pages 10 by default', () => {
    for (let i = 0; i < 12; i++) create({ serviceName: `svc-${String(i).padStart(2, '0')}`, desiredCount: 0 });
    const p1 = h.call('ListServices', { cluster: 'demo-cluster' });
    assert.equal(p1.serviceArns.length, 10);
    const p2 = h.call('ListServices', { cluster: 'demo-cluster', nextToken: p1.nextToken });
    assert.equal(p2.serviceArns.length, 2);
    assert.equal(new Set([...p1.serviceArns, ...p2.serviceArns]).size, 12);
    h.refused('ListServices', { cluster: 'demo-cluster', maxResults: 101 }, IPE, /maxResults/);
    h.refused('ListServices', { cluster: 'demo-cluster', nextToken: p1.nextToken.slice(0, -4) + 'abcd' }, IPE, /nextToken/);
  });

  it('UpdateService: desired count, new revision, deployment configuration', () => {
    create();
    const s1 = h.call('UpdateService', { cluster: 'demo-cluster', service: 'demo-service', desiredCount: 3 }).service;
    assert.equal(s1.desiredCount, 3);
    assert.equal(s1.deployments.length, 1);
    h.call('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ image: 'uzresk/demo:ver2.0' })] }));
    const s2 = h.call('UpdateService', {
      cluster: 'demo-cluster',
      service: 'demo-service',
      taskDefinition: 'demo-app-task:2',
      deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 50 },
    }).service;
    assert.equal(s2.taskDefinition, `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-app-task:2`);
    assert.equal(s2.deployments[0].status, 'PRIMARY');
    assert.equal(s2.deployments[0].taskDefinition, s2.taskDefinition);
    assert.equal(s2.deploymentConfiguration.maximumPercent, 100);
    assert.equal(s2.deploymentConfiguration.minimumHealthyPercent, 50);
    const s3 = h.call('UpdateService', { cluster: 'demo-cluster', service: 'demo-service', forceNewDeployment: true }).service;
    assert.notEqual(s3.deployments[0].id, s2.deployments[0].id);
  });

  it('UpdateService refusals', () => {
    create();
    const base = { cluster: 'demo-cluster', service: 'demo-service' };
    h.refused('UpdateService', { ...base, service: 'ghost' }, 'ServiceNotFoundException', 'Service not found.');
    h.refused('UpdateService', { ...base, cluster: 'ghost' }, 'ClusterNotFoundException', 'Cluster not found.');
    h.refused('UpdateService', { ...base, taskDefinition: 'nope:1' }, IPE, 'TaskDefinition not found.');
    h.refused('UpdateService', { ...base, desiredCount: -2 }, IPE, /desiredCount/);
    h.refused('UpdateService', { ...base, desiredCount: 5001 }, IPE, 'desiredCount must be between 0 and 5000.');
    h.refused('UpdateService', { ...base, deploymentConfiguration: { minimumHealthyPercent: -1 } }, IPE, /minimumHealthyPercent/);
    h.call('CreateService', { cluster: 'demo-cluster', serviceName: 'lb-svc', taskDefinition: 'demo-app-task', desiredCount: 1, loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }] });
    h.call('RegisterTaskDefinition', taskDef({ family: 'nolb', containerDefinitions: [container({ name: 'other' })] }));
    h.refused('UpdateService', { ...base, service: 'lb-svc', taskDefinition: 'nolb' }, IPE, 'The container web does not exist in the task definition.');
    h.call('UpdateService', { ...base, desiredCount: 0 });
    h.call('DeleteService', base);
    h.refused('UpdateService', { ...base, desiredCount: 1 }, 'ServiceNotActiveException', 'Service was not ACTIVE.');
  });

  it('DeleteService: scaled above 0 needs force; returns the service DRAINING', () => {
    create();
    h.refused('DeleteService', { cluster: 'demo-cluster', service: 'demo-service' }, IPE, 'The service cannot be stopped while it is scaled above 0.');
    h.refused('DeleteService', { cluster: 'demo-cluster', service: 'ghost' }, 'ServiceNotFoundException', 'Service not found.');
    const s = h.call('DeleteService', { cluster: 'demo-cluster', service: 'demo-service', force: true }).service;
    assert.equal(s.status, 'DRAINING');
    assert.equal(s.desiredCount, 0);
    h.refused('DeleteService', { cluster: 'demo-cluster', service: 'demo-service', force: true }, 'ServiceNotActiveException');
    h.refused('CreateService', { cluster: 'demo-cluster', serviceName: 'demo-service', taskDefinition: 'demo-app-task', desiredCount: 1 }, IPE, 'Creation of service was not idempotent.');
    h.state.ecs.services['demo-cluster']['demo-service'].status = 'INACTIVE';
    assert.equal(create().status, 'ACTIVE', 'an INACTIVE name can be reused');
  });

  it('a service places and runs its tasks through the engine', () => {
    h.addInstance('demo-cluster', { az: `${REGION}a` });
    h.addInstance('demo-cluster', { az: `${REGION}c` });
    create();
    h.advance(10_000);
    const s = h.call('DescribeServices', { cluster: 'demo-cluster', services: ['demo-service'] }).services[0];
    assert.equal(s.runningCount, 2);
    const tasks = h.call('ListTasks', { cluster: 'demo-cluster', serviceName: 'demo-service' }).taskArns;
    assert.equal(tasks.length, 2);
  });
});
