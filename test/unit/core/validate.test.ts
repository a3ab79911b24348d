import assert from 'node:assert/strict';
import {
  validateCpuUnits, validateDeploymentPercents, validateDesiredCount, validateElbName, validateHostPort, validateImage,
  validateInstanceCount, validateMemoryLimits, validateMemoryMiB, validatePort, validateResourceName,
} from '../../../src/core/validate';

describe('core/validate', () => {
  it('resource names', () => {
    assert.equal(validateResourceName('demo-cluster_1'), undefined);
    assert.equal(validateResourceName(''), 'Enter a name.');
    assert.equal(validateResourceName('has space'), 'Use only letters, digits, hyphens (-) and underscores (_).');
    assert.equal(validateResourceName('a'.repeat(255)), undefined);
    assert.equal(validateResourceName('a'.repeat(256)), 'Use at most 255 characters.');
  });

  it('ALB and target group names', () => {
    assert.equal(validateElbName('demo-alb'), undefined);
    assert.equal(validateElbName('a'.repeat(33)), 'Use at most 32 characters.');
    assert.equal(validateElbName('-demo'), 'The name must not begin or end with a hyphen.');
    assert.equal(validateElbName('demo-'), 'The name must not begin or end with a hyphen.');
    assert.equal(validateElbName('internal-demo'), 'The name must not begin with "internal-".');
    assert.equal(validateElbName('demo_tg'), 'Use only letters, digits and hyphens (-).');
  });

  it('ports', () => {
    assert.equal(validatePort('80'), undefined);
    assert.equal(validatePort('65535'), undefined);
    assert.ok(validatePort('0'));
    assert.ok(validatePort('65536'));
    assert.ok(validatePort('8o'));
    assert.equal(validateHostPort(''), undefined, 'empty = dynamic');
    assert.equal(validateHostPort('0'), undefined, '0 = dynamic');
    assert.ok(validateHostPort('0', { allowDynamic: false }));
    assert.equal(validateHostPort('22'), 'Port 22 is reserved on ECS container instances.');
    assert.equal(validateHostPort('51679'), 'Port 51679 is reserved on ECS container instances.');
    assert.equal(validateHostPort('8080'), undefined);
  });

  it('CPU units', () => {
    assert.equal(validateCpuUnits('256'), undefined);
    assert.equal(validateCpuUnits('0'), undefined);
    assert.equal(validateCpuUnits('', { optional: true }), undefined);
    assert.ok(validateCpuUnits('-1'));
    assert.ok(validateCpuUnits('0.5'));
    assert.equal(validateCpuUnits('0.5 vCPU', { level: 'task' }), undefined);
    assert.ok(validateCpuUnits('64', { level: 'task' }));
  });

  it('memory: ≥ 6 MiB, hard ≥ soft', () => {
    assert.equal(validateMemoryMiB('6'), undefined);
    assert.equal(validateMemoryMiB('5'), 'Memory must be at least 6 MiB.');
    assert.equal(validateMemoryMiB('', { optional: true }), undefined);
    assert.equal(validateMemoryLimits('512', '256'), undefined);
    assert.equal(validateMemoryLimits('', '256'), undefined);
    assert.equal(validateMemoryLimits('', ''), 'Specify a hard limit (memory), a soft limit (memoryReservation), or both.');
    // A task-level memory (Fargate) serves a container that names neither; the rest still holds.
    assert.equal(validateMemoryLimits('', '', undefined, { taskMemory: true }), undefined);
    assert.equal(validateMemoryLimits('128', '256', undefined, { taskMemory: true }), 'The hard limit (128 MiB) must be greater than or equal to the soft limit (256 MiB).');
    assert.equal(validateMemoryLimits('4', '', undefined, { taskMemory: true }), 'Memory must be at least 6 MiB.');
    assert.equal(validateMemoryLimits('128', '256'), 'The hard limit (128 MiB) must be greater than or equal to the soft limit (256 MiB).');
  });

  it('desired and instance counts', () => {
    assert.equal(validateDesiredCount('0'), undefined);
    assert.equal(validateDesiredCount('5000'), undefined);
    assert.ok(validateDesiredCount('5001'));
    assert.ok(validateDesiredCount('-1'));
    assert.equal(validateInstanceCount('2'), undefined);
    assert.equal(validateInstanceCount('0', { min: 1 }), 'Enter a whole number between 1 and 20.');
  });

  it('deployment percents, including the combination that cannot make progress', () => {
    assert.equal(validateDeploymentPercents('100', '200', 2), undefined);
    assert.equal(validateDeploymentPercents('', '', 2), undefined);
    assert.equal(validateDeploymentPercents('50', '100', 2), undefined);
    assert.ok(validateDeploymentPercents('101', '200'));
    assert.ok(validateDeploymentPercents('100', '99'));
    assert.ok(validateDeploymentPercents('100', '201'));
    assert.match(validateDeploymentPercents('100', '100', 2) ?? '', /neither start nor stop/);
    // 1 task: max 150% still floors to 1, min 50% ceils to 1 → stuck.
    assert.match(validateDeploymentPercents('50', '150', 1) ?? '', /neither start nor stop/);
  });

  it('image references', () => {
    for (const ok of ['nginx', 'nginx:1.27', 'public.ecr.aws/nginx/nginx:latest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v2',
      'localhost:5000/team/app', 'ecs-handson/demo-app:1', `app@sha256:${'a'.repeat(64)}`]) {
      assert.equal(validateImage(ok), undefined, ok);
    }
    for (const bad of ['', 'Nginx', 'nginx:', 'na me', 'app@sha256:xyz', '/nginx', 'app:-tag']) {
      assert.ok(validateImage(bad), bad);
    }
    assert.match(validateImage('Nginx') ?? '', /not a valid image reference/);
  });

  it('messages go through t with the English text as key', () => {
    const keys: string[] = [];
    const t = (m: string, ...a: Array<string | number | boolean>) => { keys.push(m); return `JA:${a.join('/')}`; };
    assert.equal(validatePort('0', t), 'JA:1/65535');
    assert.deepEqual(keys, ['Enter a whole number between {0} and {1}.']);
  });
});
