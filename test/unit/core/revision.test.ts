import assert from 'node:assert/strict';
import { describeChanges, deriveRevision, RevisionError, toRegisterInput } from '../../../src/core/revision';
import { validateTaskDefinitionDocument } from '../../../src/core/taskdef-validate';
import { demoTaskDefinition } from './fixtures/ecs';

describe('core/revision', () => {
  it('strips every read-only member', () => {
    const input = toRegisterInput(demoTaskDefinition(3)) as unknown as Record<string, unknown>;
    for (const key of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) {
      assert.ok(!(key in input), `${key} stripped`);
    }
    assert.equal(input.family, 'demo-app-task');
    assert.deepEqual(input.requiresCompatibilities, ['EC2']);
    assert.deepEqual(validateTaskDefinitionDocument(input), [], 'result is a valid RegisterTaskDefinition input');
  });

  it('does not mutate the described task definition', () => {
    const td = demoTaskDefinition();
    const snapshot = structuredClone(td);
    deriveRevision(td, { containers: [{ image: 'ecs-handson/demo-app:2', environment: { set: { COLOR: 'green' } } }] });
    assert.deepEqual(td, snapshot);
  });

  it('applies image, cpu, memory and environment changes to the only container', () => {
    const out = deriveRevision(demoTaskDefinition(), {
      containers: [{ image: 'ecs-handson/demo-app:2', cpu: 512, memory: 512, memoryReservation: null, environment: { set: { COLOR: 'green', NEW: 'x' }, remove: ['GREETING'] } }],
    });
    const c = out.containerDefinitions![0];
    assert.equal(c.image, 'ecs-handson/demo-app:2');
    assert.equal(c.cpu, 512);
    assert.equal(c.memory, 512);
    assert.ok(!('memoryReservation' in c));
    assert.deepEqual(c.environment, [{ name: 'COLOR', value: 'green' }, { name: 'NEW', value: 'x' }]);
  });

  it('makes host port 0/empty dynamic and keeps fixed ones', () => {
    const out = deriveRevision(demoTaskDefinition(), { containers: [{ portMappings: [{ containerPort: 80, hostPort: null }, { containerPort: 8080, hostPort: 8080, protocol: 'udp' }] }] });
    assert.deepEqual(out.containerDefinitions![0].portMappings, [
      { containerPort: 80, hostPort: 0, protocol: 'tcp' },
      { containerPort: 8080, hostPort: 8080, protocol: 'udp' },
    ]);
  });

  it('in awsvpc mode a dynamic host port becomes the container port, and a different one is refused', () => {
    const td = { ...demoTaskDefinition(), networkMode: 'awsvpc' as const };
    const out = deriveRevision(td, { containers: [{ portMappings: [{ containerPort: 80 }] }] });
    assert.equal(out.containerDefinitions![0].portMappings![0].hostPort, 80);
    assert.throws(() => deriveRevision(td, { containers: [{ portMappings: [{ containerPort: 80, hostPort: 8080 }] }] }), RevisionError);
  });

  it('refuses hard < soft, unknown and ambiguous containers', () => {
    assert.throws(() => deriveRevision(demoTaskDefinition(), { containers: [{ memory: 64 }] }), /hard limit \(64 MiB\).*soft limit \(128 MiB\)/);
    assert.throws(() => deriveRevision(demoTaskDefinition(), { containers: [{ name: 'nope', image: 'x' }] }), /No container named "nope"/);
    const two = demoTaskDefinition();
    two.containerDefinitions!.push({ ...two.containerDefinitions![0], name: 'sidecar' });
    assert.throws(() => deriveRevision(two, { containers: [{ image: 'x' }] }), /has 2 containers/);
    const out = deriveRevision(two, { containers: [{ name: 'sidecar', image: 'busybox:1' }] });
    assert.deepEqual(out.containerDefinitions!.map((c) => c.image), ['ecs-handson/demo-app:1', 'busybox:1']);
  });

  it('sets and removes task-level cpu/memory', () => {
    const out = deriveRevision(demoTaskDefinition(), { taskCpu: '512', taskMemory: '1024' });
    assert.equal(out.cpu, '512');
    assert.equal(out.memory, '1024');
    const removed = deriveRevision({ ...demoTaskDefinition(), cpu: '256' }, { taskCpu: null });
    assert.ok(!('cpu' in removed));
  });

  it('describes the changes for a confirmation', () => {
    const before = demoTaskDefinition();
    const after = deriveRevision(before, {
      containers: [{ image: 'ecs-handson/demo-app:2', memoryReservation: null, portMappings: [{ containerPort: 80, hostPort: 0 }], environment: { set: { COLOR: 'green', NEW: 'x' }, remove: ['GREETING'] } }],
    });
    assert.deepEqual(describeChanges(before, after), [
      'Container "demo-app": image ecs-handson/demo-app:1 → ecs-handson/demo-app:2',
      'Container "demo-app": memory reservation (soft, MiB) 128 → none',
      'Container "demo-app": port mappings 80→80/tcp → dynamic→80/tcp',
      'Container "demo-app": environment COLOR: blue → green',
      'Container "demo-app": environment NEW=x added',
      'Container "demo-app": environment GREETING removed',
    ]);
    assert.deepEqual(describeChanges(before, toRegisterInput(before)), [], 'no change, no lines');
  });
});
