import { strict as assert } from 'node:assert';
import { ACCOUNT, Harness, REGION, container, taskDef } from './harness';

const IPE = 'InvalidParameterException';

describe('ECS tasks', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
    h.call('CreateCluster', { clusterName: 'c' });
    h.call('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [{ containerPort: 8080 }] })] }));
  });

  it('RunTask places tasks and returns them in the API shape', () => {
    h.addInstance('c');
    const out = h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', count: 2, startedBy: 'me', tags: [{ key: 'k', value: 'v' }] });
    assert.equal(out.tasks.length, 2);
    assert.deepEqual(out.failures, []);
    const t = out.tasks[0];
    assert.match(t.taskArn, new RegExp(`^arn:aws:ecs:${REGION}:${ACCOUNT}:task/c/[0-9a-f]{32}$`));
    assert.equal(t.taskDefinitionArn, `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo-app-task:1`);
    assert.equal(t.desiredStatus, 'RUNNING');
    assert.equal(t.group, 'family:demo-app-task');
    assert.equal(t.startedBy, 'me');
    assert.equal(t.launchType, 'EC2');
    assert.deepEqual(t.tags, [{ key: 'k', value: 'v' }]);
    assert.equal(t.containers[0].name, 'web');
    assert.equal(t.containers[0].taskArn, t.taskArn);
    for (const hidden of ['ec2InstanceId', 'reservedPorts', 'serviceName', 'deploymentId', 'nextTransitionAt', 'healthyAt', 'realPorts']) {
      assert.equal(t[hidden], undefined, `${hidden} is sandbox-only`);
    }
  });

  it('RunTask refusals and placement failures', () => {
    h.refused('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task' }, IPE, 'No Container Instances were found in your cluster.');
    h.addInstance('c', { memory: 600 });
    h.refused('RunTask', { cluster: 'c' }, IPE, /taskDefinition/);
    h.refused('RunTask', { cluster: 'c', taskDefinition: 'nope' }, 'ClientException', 'TaskDefinition not found.');
    h.refused('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', count: 11 }, IPE, /count/);
    h.refused('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', count: 0 }, IPE, /count/);
    h.refused('RunTask', { cluster: 'zz', taskDefinition: 'demo-app-task' }, 'ClusterNotFoundException');
    h.refused('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', launchType: 'FARGATE' }, IPE, /launchType/);
    const out = h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', count: 3 });
    assert.equal(out.tasks.length, 2, 'two tasks of 256 MiB fit in 600 MiB');
    assert.equal(out.failures.length, 1);
    assert.equal(out.failures[0].reason, 'RESOURCE:MEMORY');
  });

  it('StopTask by id or ARN: UserInitiated, default reason, refusals', () => {
    h.addInstance('c');
    const [a, b] = h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', count: 2 }).tasks;
    h.advance(3000);
    const id = a.taskArn.split('/').pop();
    const stopped = h.call('StopTask', { cluster: 'c', task: id }).task;
    assert.equal(stopped.desiredStatus, 'STOPPED');
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.stoppedReason, 'Task stopped by user');
    const other = h.call('StopTask', { cluster: 'c', task: b.taskArn, reason: 'because' }).task;
    assert.equal(other.stoppedReason, 'because');
    h.refused('StopTask', { cluster: 'c', task: '0123456789abcdef0123456789abcdef' }, IPE, 'The referenced task was not found.');
    h.refused('StopTask', { cluster: 'c' }, IPE, /task/);
    h.call('CreateCluster', { clusterName: 'other' });
    h.refused('StopTask', { cluster: 'other', task: id }, IPE, 'The referenced task was not found.');
    h.advance(60_000);
    const d = h.call('DescribeTasks', { cluster: 'c', tasks: [id] }).tasks[0];
    assert.equal(d.lastStatus, 'STOPPED');
    assert.equal(typeof d.stoppedAt, 'number');
  });

  it('ListTasks filters by desiredStatus, family, startedBy, container instance and service', () => {
    const ci1 = h.addInstance('c');
    h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', startedBy: 'alice' });
    h.call('RegisterTaskDefinition', taskDef({ family: 'other' }));
    const [t2] = h.call('RunTask', { cluster: 'c', taskDefinition: 'other' }).tasks;
    h.call('CreateService', { cluster: 'c', serviceName: 'svc', taskDefinition: 'demo-app-task', desiredCount: 1 });
    h.advance(3000);
    const list = (f: Record<string, unknown>) => h.call('ListTasks', { cluster: 'c', ...f }).taskArns as string[];
    assert.equal(list({}).length, 3);
    assert.equal(list({ family: 'demo-app-task' }).length, 2);
    assert.equal(list({ startedBy: 'alice' }).length, 1);
    assert.equal(list({ serviceName: 'svc' }).length, 1);
    assert.equal(list({ containerInstance: ci1.containerInstanceArn }).length, 3);
    assert.equal(list({ containerInstance: ci1.containerInstanceArn.split('/').pop() }).length, 3);
    h.call('StopTask', { cluster: 'c', task: t2.taskArn });
    assert.deepEqual(list({ desiredStatus: 'STOPPED' }), [t2.taskArn]);
    assert.equal(list({}).length, 2);
    const p1 = h.call('ListTasks', { cluster: 'c', maxResults: 1 });
    const p2 = h.call('ListTasks', { cluster: 'c', maxResults: 1, nextToken: p1.nextToken });
    assert.notEqual(p1.taskArns[0], p2.taskArns[0]);
    assert.equal(p2.nextToken, undefined);
    h.refused('ListTasks', { cluster: 'c', serviceName: 'ghost' }, 'ServiceNotFoundException', 'Service not found.');
    h.refused('ListTasks', { cluster: 'c', desiredStatus: 'DEAD' }, IPE, /desiredStatus/);
    h.refused('ListTasks', { cluster: 'ghost' }, 'ClusterNotFoundException');
  });

  it('DescribeTasks: MISSING failures, ≤ 100, network bindings once RUNNING', () => {
    h.addInstance('c');
    const [t] = h.call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task' }).tasks;
    h.advance(10_000);
    const out = h.call('DescribeTasks', { cluster: 'c', tasks: [t.taskArn, 'ffffffffffffffffffffffffffffffff'], include: ['TAGS'] });
    assert.equal(out.tasks.length, 1);
    assert.deepEqual(out.failures, [{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/c/ffffffffffffffffffffffffffffffff`, reason: 'MISSING' }]);
    const d = out.tasks[0];
    assert.equal(d.lastStatus, 'RUNNING');
    assert.deepEqual(d.tags, []);
    const nb = d.containers[0].networkBindings[0];
    assert.equal(nb.containerPort, 8080);
    assert.ok(nb.hostPort >= 32768 && nb.hostPort <= 61000, `dynamic host port, got ${nb.hostPort}`);
    assert.equal(typeof d.startedAt, 'number');
    h.refused('DescribeTasks', { cluster: 'c', tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) }, IPE, /100/);
    h.refused('DescribeTasks', { cluster: 'c', tasks: [] }, IPE, /tasks/);
  });
});
