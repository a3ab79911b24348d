import assert from 'node:assert/strict';
import { validateTaskDefinitionDocument } from '../../../src/core/taskdef-validate';

const valid = {
  family: 'demo-app-task',
  networkMode: 'bridge',
  requiresCompatibilities: ['EC2'],
  containerDefinitions: [
    {
      name: 'app',
      image: 'ecs-handson/demo-app:1',
      cpu: 256,
      memory: 256,
      memoryReservation: 128,
      essential: true,
      portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
      environment: [{ name: 'COLOR', value: 'blue' }],
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 30 },
    },
  ],
};

const paths = (doc: unknown) => validateTaskDefinitionDocument(doc).map((i) => `${i.severity} ${i.path}`);

describe('core/taskdef-validate', () => {
  it('accepts a valid document (object or JSON text)', () => {
    assert.deepEqual(validateTaskDefinitionDocument(valid), []);
    assert.deepEqual(validateTaskDefinitionDocument(JSON.stringify(valid)), []);
  });

  it('reports invalid JSON at $', () => {
    const issues = validateTaskDefinitionDocument('{ "family": ');
    assert.equal(issues.length, 1);
    assert.equal(issues[0].path, '$');
    assert.match(issues[0].message, /^The document is not valid JSON/);
  });

  it('requires family and containerDefinitions with name and image', () => {
    assert.deepEqual(paths({}), ['error $.family', 'error $.containerDefinitions']);
    assert.deepEqual(paths({ family: 'x', containerDefinitions: [] }), ['error $.containerDefinitions']);
    assert.deepEqual(paths({ family: 'x', containerDefinitions: [{ memory: 128 }] }), [
      'error $.containerDefinitions[0].name', 'error $.containerDefinitions[0].image',
    ]);
  });

  it('checks member types with JSON paths', () => {
    const doc = structuredClone(valid) as any;
    doc.cpu = 256; // must be a string at task level
    doc.containerDefinitions[0].memory = '256';
    doc.containerDefinitions[0].essential = 'yes';
    doc.containerDefinitions[0].portMappings[0].containerPort = '80';
    doc.containerDefinitions[0].environment[0].value = 1;
    const issues = validateTaskDefinitionDocument(doc);
    // Document order: containerDefinitions come before the cpu member added last.
    assert.deepEqual(issues.map((i) => i.path), [
      '$.containerDefinitions[0].memory',
      '$.containerDefinitions[0].essential',
      '$.containerDefinitions[0].portMappings[0].containerPort',
      '$.containerDefinitions[0].environment[0].value',
      '$.cpu',
    ]);
    assert.equal(issues[0].message, 'Expected an integer, found string.');
    assert.equal(issues[1].message, 'Expected true or false, found string.');
    assert.equal(issues[4].message, 'Expected a string, found number.');
  });

  it('flags unknown members as errors and read-only members as warnings', () => {
    const doc = { ...valid, revision: 3, status: 'ACTIVE', compatibilities: ['EC2'], familly: 'typo' };
    const issues = validateTaskDefinitionDocument(doc);
    assert.deepEqual(issues.map((i) => `${i.severity} ${i.path}`), ['warning $.revision', 'warning $.status', 'warning $.compatibilities', 'error $.familly']);
    assert.equal(issues[3].message, 'Unknown member "familly".');
    const nested = structuredClone(valid) as any;
    nested.containerDefinitions[0].imagee = 'x';
    assert.deepEqual(paths(nested), ['error $.containerDefinitions[0].imagee']);
  });

  it('checks enum values', () => {
    const doc = { ...valid, networkMode: 'overlay', requiresCompatibilities: ['EC2', 'LAMBDA'] };
    const issues = validateTaskDefinitionDocument(doc);
    assert.deepEqual(issues.map((i) => i.path), ['$.networkMode', '$.requiresCompatibilities[1]']);
    assert.equal(issues[0].message, '"overlay" is not one of: bridge, host, awsvpc, none.');
  });

  it('enforces the memory rules ECS applies', () => {
    const doc = structuredClone(valid) as any;
    doc.containerDefinitions[0].memory = 64;
    doc.containerDefinitions[0].memoryReservation = 128;
    assert.deepEqual(paths(doc), ['error $.containerDefinitions[0].memory']);
    delete doc.containerDefinitions[0].memory;
    delete doc.containerDefinitions[0].memoryReservation;
    assert.deepEqual(paths(doc), ['error $.containerDefinitions[0]']);
    doc.memory = '512';
    assert.deepEqual(paths(doc), [], 'task-level memory is enough');
    doc.containerDefinitions[0].memory = 4;
    assert.deepEqual(validateTaskDefinitionDocument(doc).map((i) => i.message), ['Memory must be at least 6 MiB.']);
  });

  it('checks ports, network mode rules and duplicate container names', () => {
    const doc = structuredClone(valid) as any;
    doc.containerDefinitions[0].portMappings = [{ containerPort: 70000 }, { containerPort: 80, hostPort: 8080 }];
    doc.containerDefinitions.push({ ...doc.containerDefinitions[0], portMappings: [] });
    assert.deepEqual(paths(doc), ['error $.containerDefinitions[0].portMappings[0].containerPort', 'error $.containerDefinitions[1].name']);
    doc.networkMode = 'awsvpc';
    doc.containerDefinitions.pop();
    assert.ok(paths(doc).includes('error $.containerDefinitions[0].portMappings[1].hostPort'));
  });

  it('passes messages through t', () => {
    const issues = validateTaskDefinitionDocument({ containerDefinitions: [{ name: 'a', image: 'b', memory: 6 }] }, (m) => `T(${m})`);
    assert.deepEqual(issues.map((i) => i.message), ['T("family" is required.)']);
  });
});
