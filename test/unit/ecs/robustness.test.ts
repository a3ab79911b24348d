/**
 * Malformed input never crashes a handler: every operation, fed wrong types and odd values in each
 * member it reads, either succeeds or refuses with an AwsError (a 400), never any other throw
 * (which the server would turn into a 500).
 */
import { strict as assert } from 'node:assert';
import { ecsService } from '../../../src/sandbox/ecs';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import { ACCOUNT, Harness, REGION, taskDef } from './harness';

const MEMBERS = [
  'cluster', 'clusters', 'clusterName', 'settings', 'include', 'serviceName', 'service', 'services', 'taskDefinition',
  'taskDefinitions', 'desiredCount', 'deploymentConfiguration', 'loadBalancers', 'healthCheckGracePeriodSeconds',
  'networkConfiguration', 'tasks', 'task', 'count', 'startedBy', 'group', 'reason', 'containerInstances', 'containerInstance',
  'status', 'filter', 'family', 'familyPrefix', 'sort', 'desiredStatus', 'maxResults', 'nextToken', 'tags', 'tagKeys',
  'resourceArn', 'containerDefinitions', 'networkMode', 'cpu', 'memory', 'requiresCompatibilities', 'force',
  'forceNewDeployment', 'launchType', 'schedulingStrategy', 'propagateTags', 'overrides', 'deploymentController',
];
const VALUES: unknown[] = [
  null, 0, -1, 1.5, 1e12, '', 'x', '__proto__', true, [], {}, [1], [null], [{}], [[]], { a: 1 }, 'arn:aws:ecs:', 'arn:aws:ecs:xx',
  `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/c`, `arn:aws:ecs:${REGION}:${ACCOUNT}:service/c/s`, `arn:aws:ecs:${REGION}:${ACCOUNT}:task/c/x/y/z`,
  [{ key: 1 }], [{ name: 'a' }], [{ targetGroupArn: 1, containerName: [], containerPort: 'x' }], { maximumPercent: 'x', deploymentCircuitBreaker: 1 },
];

describe('ECS handlers: malformed input is a 400, never a crash', () => {
  it('every operation × member × odd value', function () {
    // A sweep of thousands of calls: seconds on a quiet machine, more beside the lint and the packaging.
    this.timeout(60_000);
    // A fresh world for each operation: what the accepted calls create (services, tasks, …) would
    // otherwise pile up and make every later handler slower (22 s → a few on a busy machine).
    const world = (): Harness => {
      const h = new Harness();
      h.call('CreateCluster', { clusterName: 'c' });
      h.addInstance('c');
      h.call('RegisterTaskDefinition', taskDef());
      h.call('CreateService', { cluster: 'c', serviceName: 's', taskDefinition: 'demo-app-task', desiredCount: 1 });
      h.advance(3000);
      return h;
    };
    const valid: Record<string, unknown> = {
      cluster: 'c', clusters: ['c'], clusterName: 'c', serviceName: 's2', service: 's', services: ['s'], taskDefinition: 'demo-app-task',
      desiredCount: 1, resourceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/c`, tags: [{ key: 'k', value: 'v' }], tagKeys: ['k'],
      containerDefinitions: taskDef().containerDefinitions, family: 'demo-app-task', tasks: ['x'], task: 'x', containerInstances: ['x'], status: 'ACTIVE',
    };
    let calls = 0;
    let refusals = 0;
    for (const [op, handler] of Object.entries(ecsService.operations)) {
      const h = world();
      for (const member of MEMBERS) {
        for (const value of VALUES) {
          const input = { ...valid, [member]: value };
          calls++;
          try {
            handler(h.ctx(), input);
          } catch (e) {
            if (!(e instanceof AwsError)) assert.fail(`${op} with ${member}=${JSON.stringify(value)} threw ${(e as Error)?.stack ?? String(e)}`);
            assert.equal(e.status, 400);
            assert.ok(e.message.length > 0);
            refusals++;
          }
        }
      }
      for (const body of [undefined, null, 'x', 5, [], {}]) {
        try {
          handler(h.ctx(), body);
        } catch (e) {
          if (!(e instanceof AwsError)) assert.fail(`${op} with body ${JSON.stringify(body)} threw ${(e as Error)?.stack ?? String(e)}`);
        }
      }
    }
    assert.ok(refusals > calls / 4, `most odd inputs are refused (${refusals}/${calls})`);
  });
});
