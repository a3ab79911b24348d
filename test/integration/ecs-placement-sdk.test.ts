/**
 * Task placement through the real `@aws-sdk/client-ecs`: placementConstraints (memberOf with the
 * cluster query language, distinctInstance) and placementStrategy (spread, binpack, random) on
 * RunTask, services and task definitions, honoured by the scheduler and returned by the Describe
 * operations; ECS's failure reasons, service events and validation errors.
 */
import * as assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  PutAttributesCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type ContainerInstance,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { rejectsWith } from '../helpers/wait';
import { startFleet, type Fleet } from './helpers/ecs-fleet';

describe('ECS task placement (constraints and strategies) through @aws-sdk/client-ecs', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  let ecs: ECSClient;
  /** a: t3.small in AZ a, stack=prod; b: t3.small in AZ c, stack=prod; c: t3.medium in AZ c, no stack. */
  let a: ContainerInstance;
  let b: ContainerInstance;
  let c: ContainerInstance;
  let tdArn: string;
  let CLUSTER = '';
  let n = 0;

  const where = (tasks: Task[] | undefined) => (tasks ?? []).map((t) => (t.containerInstanceArn === a.containerInstanceArn ? 'a' : t.containerInstanceArn === b.containerInstanceArn ? 'b' : t.containerInstanceArn === c.containerInstanceArn ? 'c' : '?'));
  const runTask = async (input: Partial<ConstructorParameters<typeof RunTaskCommand>[0]>) =>
    ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: tdArn, ...input }));

  before(async () => {
    fleet = await startFleet();
    ecs = fleet.ecs;
    tdArn = (await fleet.taskDefinition()).taskDefinitionArn!;
  });
  // Each test gets its own cluster of three empty instances.
  beforeEach(async () => {
    CLUSTER = `place-${++n}`;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    a = await fleet.register(CLUSTER, await fleet.launch(0, 't3.small'));
    b = await fleet.register(CLUSTER, await fleet.launch(1, 't3.small'));
    c = await fleet.register(CLUSTER, await fleet.launch(1, 't3.medium'));
    await ecs.send(
      new PutAttributesCommand({
        cluster: CLUSTER,
        attributes: [a, b].map((ci) => ({ name: 'stack', value: 'prod', targetId: ci.containerInstanceArn })),
      }),
    );
  });
  afterEach(async () => {
    const ids = [a, b, c].filter((ci) => ci?.ec2InstanceId).map((ci) => ci.ec2InstanceId!);
    if (ids.length) await fleet.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    fleet.run(10_000);
  });
  after(async () => {
    await fleet?.close();
  });

  it('memberOf places RunTask tasks only on the instances the expression selects; none matching is a failure per task', async () => {
    const out = await runTask({ count: 4, group: 'member', placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] });
    assert.equal(out.tasks!.length, 4);
    assert.deepEqual([...new Set(where(out.tasks))].sort(), ['a', 'b']);
    const medium = await runTask({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == t3.medium and attribute:stack !exists' }] });
    assert.deepEqual(where(medium.tasks), ['c']);
    const none = await runTask({ count: 2, placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == staging' }] });
    assert.deepEqual(none.tasks, []);
    assert.equal(none.failures!.length, 2);
    for (const f of none.failures!) {
      assert.equal(f.reason, 'MemberOf placement constraint unsatisfied.');
      assert.ok([a, b, c].some((ci) => ci.containerInstanceArn === f.arn), 'the closest matching container instance');
    }
    // task:group: next to the tasks of another group.
    const near = await runTask({ count: 2, placementConstraints: [{ type: 'memberOf', expression: `task:group == member and attribute:ecs.availability-zone == ${fleet.subnets[1].az}` }] });
    assert.deepEqual(where(near.tasks), ['b', 'b']);
  });

  it('distinctInstance puts each task of the group on its own instance', async () => {
    const out = await runTask({ count: 4, group: 'distinct', placementConstraints: [{ type: 'distinctInstance' }] });
    assert.deepEqual(where(out.tasks).sort(), ['a', 'b', 'c']);
    assert.equal(out.failures!.length, 1);
    assert.equal(out.failures![0].reason, 'DistinctInstance placement constraint unsatisfied.');
    const again = await runTask({ group: 'distinct', placementConstraints: [{ type: 'distinctInstance' }] });
    assert.deepEqual(again.tasks, [], 'every instance already runs a task of the group');
  });

  it('binpack memory fills the instance with the least memory left; spread instanceId and spread attribute even out; random places', async () => {
    const packed = await runTask({ count: 3, group: 'pack', placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    const [first] = where(packed.tasks);
    assert.deepEqual(where(packed.tasks), [first, first, first], 'all on one instance');
    assert.notEqual(first, 'c', 'a t3.small has less memory left than the t3.medium');
    const spread = await runTask({ count: 3, group: 'spread', placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    assert.deepEqual(where(spread.tasks).sort(), ['a', 'b', 'c']);
    const byStack = await runTask({ count: 2, group: 'by-stack', placementStrategy: [{ type: 'spread', field: 'attribute:stack' }, { type: 'binpack', field: 'cpu' }] });
    const places = where(byStack.tasks);
    assert.ok(places.includes('c') && (places.includes('a') || places.includes('b')), `one with stack=prod, one without: ${places.join(',')}`);
    const random = await runTask({ count: 2, group: 'random', placementStrategy: [{ type: 'random' }] });
    assert.equal(random.tasks!.length, 2);
  });

  it('task definition memberOf constraints apply to every task; distinctInstance is refused there', async () => {
    const td = await fleet.taskDefinition({ family: 'medium-only', placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == t3.medium' }] });
    const described = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'medium-only' }))).taskDefinition!;
    assert.deepEqual(described.placementConstraints, [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == t3.medium' }]);
    const out = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: td.taskDefinitionArn, count: 2 }));
    assert.deepEqual(where(out.tasks), ['c', 'c']);
    const both = await ecs.send(
      new RunTaskCommand({ cluster: CLUSTER, taskDefinition: td.taskDefinitionArn, placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] }),
    );
    assert.equal(both.failures![0].reason, 'MemberOf placement constraint unsatisfied.', 'the task definition\'s and RunTask\'s constraints together');
    await rejectsWith(fleet.taskDefinition({ family: 'distinct-td', placementConstraints: [{ type: 'distinctInstance' as 'memberOf' }] }), 'ClientException', /distinctInstance/);
  });

  it('a service keeps its constraints and strategy, the scheduler honours them, events say what blocks, UpdateService changes them', async () => {
    const svc = (await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER, serviceName: 'spread-web', taskDefinition: tdArn, desiredCount: 3,
        placementConstraints: [{ type: 'distinctInstance' }],
        placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }],
      }),
    )).service!;
    assert.deepEqual(svc.placementConstraints, [{ type: 'distinctInstance' }]);
    assert.deepEqual(svc.placementStrategy, [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }]);
    fleet.run(70_000);
    let tasks = (await fleet.serviceTasks(CLUSTER, 'spread-web')).filter((t) => t.desiredStatus === 'RUNNING');
    assert.deepEqual(where(tasks).sort(), ['a', 'b', 'c']);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'spread-web', desiredCount: 4 }));
    fleet.run(20_000);
    let d = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['spread-web'] }))).services![0];
    assert.equal(d.runningCount, 3);
    assert.match(
      d.events![0].message!,
      /^\(service spread-web\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) encountered error "DistinctInstance placement constraint unsatisfied\."\. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide\.$/,
    );
    // Without the constraint (a new deployment), the fourth task finds a place.
    const updated = (await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'spread-web', placementConstraints: [] }))).service!;
    assert.deepEqual(updated.placementConstraints, []);
    assert.deepEqual(updated.placementStrategy, svc.placementStrategy);
    fleet.run(180_000);
    d = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['spread-web'] }))).services![0];
    assert.equal(d.runningCount, 4);
    tasks = (await fleet.serviceTasks(CLUSTER, 'spread-web')).filter((t) => t.desiredStatus === 'RUNNING');
    // Spread over the AZs counts the old deployment's tasks too while it places the new ones (as ECS: a
    // deployment can leave the AZs uneven), so both AZs are used but not necessarily 2 + 2.
    const places = where(tasks);
    assert.ok(places.includes('a') && (places.includes('b') || places.includes('c')), `both AZs: ${places.join(',')}`);
  });

  it('a DAEMON service with memberOf runs on the member instances only', async () => {
    const out = (await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER, serviceName: 'agent', taskDefinition: tdArn, schedulingStrategy: 'DAEMON',
        placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }],
      }),
    )).service!;
    assert.deepEqual(out.placementConstraints, [{ type: 'memberOf', expression: 'attribute:stack == prod' }]);
    fleet.run(70_000);
    const tasks = (await fleet.serviceTasks(CLUSTER, 'agent')).filter((t) => t.desiredStatus === 'RUNNING');
    assert.deepEqual(where(tasks).sort(), ['a', 'b']);
    const d = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['agent'] }))).services![0];
    assert.equal(d.desiredCount, 2);
  });

  it('refuses malformed constraints and strategies as ECS does', async () => {
    const IPE = 'InvalidParameterException';
    const bad: [Partial<ConstructorParameters<typeof RunTaskCommand>[0]>, RegExp][] = [
      [{ placementConstraints: [{ type: 'memberOf' }] }, /expression must be specified/],
      [{ placementConstraints: [{ type: 'distinctInstance', expression: 'attribute:stack == prod' }] }, /distinctInstance/],
      [{ placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack ==' }] }, /^Invalid placement constraint expression/],
      [{ placementConstraints: [{ type: 'sameHost' as 'memberOf' }] }, /placementConstraints\[0\]\.type/],
      [{ placementConstraints: Array.from({ length: 11 }, () => ({ type: 'distinctInstance' as const })) }, /placementConstraints can have at most 10 items/],
      [{ placementStrategy: [{ type: 'binpack', field: 'disk' }] }, /binpack/],
      [{ placementStrategy: [{ type: 'spread', field: 'zone' }] }, /spread/],
      [{ placementStrategy: [{ type: 'spread' }] }, /field must be specified/],
      [{ placementStrategy: Array.from({ length: 6 }, () => ({ type: 'random' as const })) }, /placementStrategy can have at most 5 items/],
    ];
    for (const [input, message] of bad) await rejectsWith(runTask(input), IPE, message);
    await rejectsWith(
      ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'daemon-spread', taskDefinition: tdArn, schedulingStrategy: 'DAEMON', placementStrategy: [{ type: 'random' }] })),
      IPE,
      /daemon scheduling strategy does not support placement strategies/,
    );
    await rejectsWith(
      ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'gpu', taskDefinition: tdArn, desiredCount: 1, placementStrategy: [{ type: 'binpack', field: 'gpu' }] })),
      IPE,
      /binpack/,
    );
  });
});
