/**
 * src/core/taskdef-logs.ts and the walkthrough's use of it (issue 14): a new task definition logs
 * to CloudWatch Logs by default as the console sets it up, the groups Register Task Definition
 * creates, what that means for the execution role check, and the walkthrough's "Show logs".
 */
import assert from 'node:assert/strict';
import { executionRoleNeeds } from '../../../src/core/execution-role';
import { awslogsGroups, defaultLogConfiguration } from '../../../src/core/taskdef-logs';
import { validateTaskDefinitionDocument } from '../../../src/core/taskdef-validate';
import { STEPS, defaultInputs } from '../../../src/core/walkthrough/steps';
import { defaultTranslate } from '../../../src/core/l10n';
import type { Snapshot } from '../../../src/core/walkthrough/snapshot';

describe('default log configuration (the console\'s "Log collection": awslogs)', () => {
  it('is the console\'s: group /ecs/<family>, stream prefix ecs, awslogs-create-group, the region given', () => {
    assert.deepEqual(defaultLogConfiguration('demo-app-task', 'ap-northeast-1'), {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/demo-app-task', 'awslogs-create-group': 'true', 'awslogs-region': 'ap-northeast-1', 'awslogs-stream-prefix': 'ecs' },
    });
  });

  it('the hands-on task definition with it is valid and, on EC2, still needs no execution role (the instance role writes the logs)', () => {
    const doc = {
      family: 'demo-app-task', networkMode: 'bridge', requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'demo-app', image: 'uzresk/demo:ver1.0', essential: true, cpu: 256, memory: 512, memoryReservation: 256, portMappings: [{ containerPort: 8080, hostPort: 80, protocol: 'tcp' }], logConfiguration: defaultLogConfiguration('demo-app-task', 'ap-northeast-1') }],
    };
    assert.deepEqual(validateTaskDefinitionDocument(doc, defaultTranslate).filter((x) => x.severity === 'error'), []);
    assert.deepEqual(executionRoleNeeds(doc), []);
    // The same on Fargate has no instance role: ECS refuses it without an execution role.
    assert.deepEqual(executionRoleNeeds({ ...doc, requiresCompatibilities: ['FARGATE'] }).map((n) => n.kind), ['awslogs']);
  });

  it('awslogsGroups: each group once, with its region and containers; other drivers and groupless configurations are left out', () => {
    const lc = (group: string | undefined, region?: string) => ({ logDriver: 'awslogs', options: { ...(group ? { 'awslogs-group': group } : {}), ...(region ? { 'awslogs-region': region } : {}) } });
    assert.deepEqual(awslogsGroups({
      containerDefinitions: [
        { name: 'web', logConfiguration: lc('/ecs/app', 'eu-west-1') },
        { name: 'sidecar', logConfiguration: lc('/ecs/app', 'eu-west-1') },
        { name: 'worker', logConfiguration: lc('/ecs/app') },
        { name: 'splunk', logConfiguration: { logDriver: 'splunk', options: { 'awslogs-group': '/nope' } } },
        { name: 'nogroup', logConfiguration: lc(undefined) },
        { name: 'plain' },
      ],
    }), [
      { group: '/ecs/app', region: 'eu-west-1', containers: ['web', 'sidecar'] },
      { group: '/ecs/app', containers: ['worker'] },
    ]);
    assert.deepEqual(awslogsGroups({}), []);
    assert.deepEqual(awslogsGroups({ containerDefinitions: 'x' }), []);
  });
});

describe('walkthrough: task logs (issue 14)', () => {
  const snap = {} as Snapshot;

  it('the task definition step registers with log collection on by default, off when the input says so', () => {
    const register = STEPS['task-definition'].actions.find((a) => a.id === 'register')!;
    const inputs = defaultInputs('task-definition');
    assert.equal(inputs.logs, true);
    assert.equal((register.args!(inputs, snap, defaultTranslate) as { logs?: boolean }).logs, true);
    assert.equal((register.args!({ ...inputs, logs: false }, snap, defaultTranslate) as { logs?: boolean }).logs, false);
  });

  for (const step of ['kill-container', 'autoscaling-run'] as const) {
    it(`${step} offers "Show the service's logs": Show Logs on the step's service, leaving the step's record alone`, () => {
      const action = STEPS[step].actions.find((a) => a.id === 'showLogs');
      assert.ok(action, `${step} has a showLogs action`);
      assert.equal(action.command, 'ecsHandson.logs.show');
      assert.equal(action.readOnly, true, 'opening the logs is not the step\'s action (its check compares with what that action recorded)');
      assert.equal(action.secondary, true);
      assert.deepEqual(action.args!({ ...defaultInputs(step), service: 'my-service' }, snap, defaultTranslate), { cluster: 'demo-cluster', service: 'my-service' });
    });
  }
});
