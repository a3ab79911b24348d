import { strict as assert } from 'node:assert';
import { ACCOUNT, Harness, REGION, container, taskDef } from './harness';

const CE = 'ClientException';

describe('ECS task definitions', () => {
  let h: Harness;
  beforeEach(() => (h = new Harness()));

  it('RegisterTaskDefinition stores revision 1 with ECS defaults', () => {
    const out = h.call('RegisterTaskDefinition', {
      ...taskDef({ tags: [{ key: 'app', value: 'demo' }] }),
      containerDefinitions: [container({ environment: [{ name: 'MODE', value: 'x' }], logConfiguration: { logDriver: 'json-file' } })],
    });
    const td = out.taskDefinition;
    assert.equal(td.taskDefinitionArn, `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-app-task:1`);
    assert.equal(td.revision, 1);
    assert.equal(td.status, 'ACTIVE');
    assert.equal(td.networkMode, 'bridge');
    assert.deepEqual(td.compatibilities, ['EC2', 'EXTERNAL']);
    assert.equal(td.registeredBy, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(td.registeredAt, h.clock.now() / 1000);
    const c = td.containerDefinitions[0];
    assert.equal(c.essential, true);
    assert.deepEqual(c.portMappings, [{ containerPort: 8080, hostPort: 80, protocol: 'tcp' }]);
    assert.deepEqual(c.environment, [{ name: 'MODE', value: 'x' }]);
    assert.deepEqual(c.logConfiguration, { logDriver: 'json-file' }, 'members the sandbox does not model are echoed');
    assert.deepEqual(out.tags, [{ key: 'app', value: 'demo' }]);
  });

  it('revisions count up per family; dynamic host port is 0; awsvpc copies the container port', () => {
    h.call('RegisterTaskDefinition', taskDef());
    const r2 = h.call('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [{ containerPort: 8080 }] })] }));
    assert.equal(r2.taskDefinition.revision, 2);
    assert.equal(r2.taskDefinition.containerDefinitions[0].portMappings[0].hostPort, 0);
    const vpc = h.call('RegisterTaskDefinition', {
      family: 'other',
      networkMode: 'awsvpc',
      cpu: '0.25 vCPU',
      memory: '0.5 GB',
      containerDefinitions: [{ name: 'a', image: 'i', portMappings: [{ containerPort: 80 }] }],
    }).taskDefinition;
    assert.equal(vpc.revision, 1);
    assert.equal(vpc.cpu, '256');
    assert.equal(vpc.memory, '512');
    assert.equal(vpc.containerDefinitions[0].portMappings[0].hostPort, 80);
    assert.deepEqual(vpc.compatibilities, ['EC2', 'EXTERNAL', 'FARGATE']);
  });

  it('refuses invalid definitions with ECS messages and changes nothing', () => {
    h.refused('RegisterTaskDefinition', { containerDefinitions: [container()] }, CE, /Family/);
    h.refused('RegisterTaskDefinition', taskDef({ family: 'bad:name' }), CE, /family name/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [] }), CE, 'Container list cannot be empty.');
    h.refused('RegisterTaskDefinition', { family: 'f' }, CE, 'Container list cannot be empty.');
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ image: undefined })] }), CE, 'Container.image should not be null or empty.');
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ name: '' })] }), CE, 'Container.name should not be null or empty.');
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container(), container()] }), CE, /Duplicate container name 'web'/);
    h.refused(
      'RegisterTaskDefinition',
      taskDef({ containerDefinitions: [container({ memory: undefined, memoryReservation: undefined })] }),
      CE,
      "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.",
    );
    h.refused(
      'RegisterTaskDefinition',
      taskDef({ containerDefinitions: [container({ memory: 128, memoryReservation: 256 })] }),
      CE,
      /^Invalid setting for container 'web'\. The 'memory' value \(128\) must be greater than or equal to the 'memoryReservation' value \(256\)\.$/,
    );
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ memory: 4, memoryReservation: undefined })] }), CE, /6 MiB/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ cpu: -1 })] }), CE, /cpu/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ cpu: '256' })] }), CE, /containerDefinitions\[0\]\.cpu/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [{ containerPort: 0 }] })] }), CE, /containerPort/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [{ containerPort: 80, hostPort: 70000 }] })] }), CE, /hostPort/);
    h.refused(
      'RegisterTaskDefinition',
      taskDef({ containerDefinitions: [container({ portMappings: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81, hostPort: 80 }] })] }),
      CE,
      /Host port 80\/tcp/,
    );
    h.refused(
      'RegisterTaskDefinition',
      taskDef({ networkMode: 'awsvpc', containerDefinitions: [container({ portMappings: [{ containerPort: 8080, hostPort: 80 }] })] }),
      CE,
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    );
    h.refused('RegisterTaskDefinition', taskDef({ networkMode: 'nat' }), CE, /networkMode/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ essential: false })] }), CE, /essential/);
    h.refused('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ environment: [{ value: 'x' }] })] }), CE, /environment\[0\]\.name/);
    h.refused('RegisterTaskDefinition', taskDef({ requiresCompatibilities: ['FARGATE'] }), CE, /Fargate only supports network mode/);
    assert.deepEqual(h.state.ecs.taskDefinitions, {});
  });

  it('task-level memory satisfies the memory requirement of containers', () => {
    const td = h.call('RegisterTaskDefinition', taskDef({ memory: '512', containerDefinitions: [{ name: 'a', image: 'i' }] })).taskDefinition;
    assert.equal(td.memory, '512');
  });

  it('DescribeTaskDefinition by family, family:revision and ARN; unknown -> ClientException', () => {
    h.call('RegisterTaskDefinition', taskDef({ tags: [{ key: 'k', value: 'v' }] }));
    h.call('RegisterTaskDefinition', taskDef());
    assert.equal(h.call('DescribeTaskDefinition', { taskDefinition: 'demo-app-task' }).taskDefinition.revision, 2);
    assert.equal(h.call('DescribeTaskDefinition', { taskDefinition: 'demo-app-task:1' }).taskDefinition.revision, 1);
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-app-task:1`;
    const byArn = h.call('DescribeTaskDefinition', { taskDefinition: arn, include: ['TAGS'] });
    assert.equal(byArn.taskDefinition.taskDefinitionArn, arn);
    assert.deepEqual(byArn.tags, [{ key: 'k', value: 'v' }]);
    for (const ref of ['nope', 'demo-app-task:3', 'demo-app-task:0', 'demo-app-task:x', `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/demo-app-task:1`]) {
      h.refused('DescribeTaskDefinition', { taskDefinition: ref }, CE, 'Unable to describe task definition.');
    }
    h.refused('DescribeTaskDefinition', {}, CE, /taskDefinition/);
  });

  it('DeregisterTaskDefinition makes a revision INACTIVE; family alone then resolves to the latest ACTIVE', () => {
    h.call('RegisterTaskDefinition', taskDef());
    h.call('RegisterTaskDefinition', taskDef());
    h.clock.advance(5000);
    const td = h.call('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task:2' }).taskDefinition;
    assert.equal(td.status, 'INACTIVE');
    assert.equal(td.deregisteredAt, h.clock.now() / 1000);
    const again = h.call('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task:2' }).taskDefinition;
    assert.equal(again.deregisteredAt, td.deregisteredAt, 'deregistering again returns it unchanged');
    assert.equal(h.call('DescribeTaskDefinition', { taskDefinition: 'demo-app-task' }).taskDefinition.revision, 1);
    assert.equal(h.call('DescribeTaskDefinition', { taskDefinition: 'demo-app-task:2' }).taskDefinition.status, 'INACTIVE');
    h.refused('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task' }, CE, /revision/);
    h.refused('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task:9' }, CE);
    h.call('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task:1' });
    h.refused('DescribeTaskDefinition', { taskDefinition: 'demo-app-task' }, CE, 'Unable to describe task definition.');
  });

  it('ListTaskDefinitions filters by family and status, sorts, paginates', () => {
    for (let i = 0; i < 3; i++) h.call('RegisterTaskDefinition', taskDef({ family: 'b' }));
    for (let i = 0; i < 2; i++) h.call('RegisterTaskDefinition', taskDef({ family: 'a' }));
    h.call('DeregisterTaskDefinition', { taskDefinition: 'b:2' });
    const names = (arns: string[]) => arns.map((a) => a.slice(a.lastIndexOf('/') + 1));
    assert.deepEqual(names(h.call('ListTaskDefinitions', {}).taskDefinitionArns), ['a:1', 'a:2', 'b:1', 'b:3']);
    assert.deepEqual(names(h.call('ListTaskDefinitions', { sort: 'DESC' }).taskDefinitionArns), ['b:3', 'b:1', 'a:2', 'a:1']);
    assert.deepEqual(names(h.call('ListTaskDefinitions', { familyPrefix: 'b' }).taskDefinitionArns), ['b:1', 'b:3']);
    assert.deepEqual(names(h.call('ListTaskDefinitions', { status: 'INACTIVE' }).taskDefinitionArns), ['b:2']);
    const p1 = h.call('ListTaskDefinitions', { maxResults: 3, sort: 'DESC' });
    const p2 = h.call('ListTaskDefinitions', { maxResults: 3, sort: 'DESC', nextToken: p1.nextToken });
    assert.deepEqual(names([...p1.taskDefinitionArns, ...p2.taskDefinitionArns]), ['b:3', 'b:1', 'a:2', 'a:1']);
    assert.equal(p2.nextToken, undefined);
    h.refused('ListTaskDefinitions', { sort: 'UP' }, 'InvalidParameterException', /sort/);
    h.refused('ListTaskDefinitions', { maxResults: 0 }, 'InvalidParameterException', /maxResults/);
    h.refused('ListTaskDefinitions', { nextToken: 'garbage' }, 'InvalidParameterException', /nextToken/);
  });

  it('ListTaskDefinitionFamilies by prefix and status', () => {
    h.call('RegisterTaskDefinition', taskDef({ family: 'demo-a' }));
    h.call('RegisterTaskDefinition', taskDef({ family: 'demo-b' }));
    h.call('RegisterTaskDefinition', taskDef({ family: 'other' }));
    h.call('DeregisterTaskDefinition', { taskDefinition: 'demo-b:1' });
    assert.deepEqual(h.call('ListTaskDefinitionFamilies', {}).families, ['demo-a', 'demo-b', 'other']);
    assert.deepEqual(h.call('ListTaskDefinitionFamilies', { familyPrefix: 'demo' }).families, ['demo-a', 'demo-b']);
    assert.deepEqual(h.call('ListTaskDefinitionFamilies', { status: 'ACTIVE' }).families, ['demo-a', 'other']);
    assert.deepEqual(h.call('ListTaskDefinitionFamilies', { status: 'INACTIVE' }).families, ['demo-b']);
  });

  it('DeleteTaskDefinitions deletes INACTIVE revisions only', () => {
    h.call('RegisterTaskDefinition', taskDef());
    h.call('RegisterTaskDefinition', taskDef());
    h.call('DeregisterTaskDefinition', { taskDefinition: 'demo-app-task:1' });
    const out = h.call('DeleteTaskDefinitions', { taskDefinitions: ['demo-app-task:1', 'demo-app-task:2', 'ghost:1'] });
    assert.deepEqual(out.taskDefinitions.map((t: any) => [t.revision, t.status]), [[1, 'DELETE_IN_PROGRESS']]);
    assert.deepEqual(out.failures.map((f: any) => f.reason), [
      'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
      'The specified task definition does not exist.',
    ]);
    assert.deepEqual(h.call('ListTaskDefinitions', { status: 'INACTIVE' }).taskDefinitionArns, []);
    h.refused('DeleteTaskDefinitions', { taskDefinitions: [] }, CE, /taskDefinitions/);
  });
});
