/**
 * The pure half of the command framework (src/core/commands): how an invocation is told apart (a
 * tree row, an argument object, nothing), how an argument object is read (each member checked,
 * the first bad one named), and the one failure shape every command returns.
 */
import assert from 'node:assert/strict';
import { ArgReader, classifyInvocation, isTreeNode, readArgs } from '../../../src/core/commands/args';
import type { StopTaskArgs, UpdateServiceArgs } from '../../../src/core/commands/contract';
import { ArgumentError, Cancelled, CommandError, failure, isFailure } from '../../../src/core/commands/failure';
import { defaultTranslate as t } from '../../../src/core/l10n';
import type { TreeNode } from '../../../src/core/tree-types';

const taskRow: TreeNode = {
  id: 'c/task:arn', kind: 'task', label: '1eba2381', icon: 'symbol-event', contextValue: 'ecsHandson.task.running', collapsible: 'none',
  resource: 'arn:aws:ecs:ap-northeast-1:123456789012:task/demo-cluster/1eba23810000', context: { clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/demo-cluster' },
};

/** What `readArgs` threw, as the failure a command returns. */
function refusal<T>(read: () => T): { error: string; code: string; field?: string } {
  try {
    read();
  } catch (e) {
    assert.ok(e instanceof ArgumentError, `expected an ArgumentError, got ${String(e)}`);
    return e.failure;
  }
  assert.fail('the argument object was accepted');
}

describe('commands: invocation', () => {
  it('a tree row is a row, whatever else it carries', () => {
    assert.deepEqual(classifyInvocation(taskRow), { via: 'node', node: taskRow });
    assert.ok(isTreeNode(taskRow));
  });

  it('nothing (palette, view title, status bar) and a file URI ask', () => {
    assert.deepEqual(classifyInvocation(undefined), { via: 'palette' });
    assert.deepEqual(classifyInvocation(null), { via: 'palette' });
    assert.deepEqual(classifyInvocation({ scheme: 'file', fsPath: '/tmp/x', path: '/tmp/x' }), { via: 'palette' });
  });

  it('an object without a row\'s kind and context value is an argument object (nothing is asked)', () => {
    assert.deepEqual(classifyInvocation({ cluster: 'demo-cluster', task: 'abc' }), { via: 'args', value: { cluster: 'demo-cluster', task: 'abc' } });
    // A row-like object missing its contextValue is not taken for a row.
    assert.equal(classifyInvocation({ kind: 'task', resource: 'x' }).via, 'args');
    assert.deepEqual(classifyInvocation('kill-container'), { via: 'args', value: 'kill-container' });
  });
});

describe('commands: ArgReader', () => {
  const read = <A>(raw: unknown) => new ArgReader<A>(raw, t);

  it('reads strings trimmed; absent, null and empty read as undefined', () => {
    const r = read<StopTaskArgs>({ cluster: '  demo-cluster ', task: '', reason: null });
    assert.equal(r.string('cluster'), 'demo-cluster');
    assert.equal(r.string('task'), undefined);
    assert.equal(r.string('reason'), undefined);
  });

  it('refuses a member of the wrong type, naming it and what was given', () => {
    assert.deepEqual(refusal(() => read<StopTaskArgs>({ cluster: 42 }).string('cluster')), {
      error: '"cluster" must be a string, got 42.', code: 'InvalidArguments', field: 'cluster',
    });
    assert.deepEqual(refusal(() => read<UpdateServiceArgs>({ forceNewDeployment: 'yes' }).bool('forceNewDeployment')), {
      error: '"forceNewDeployment" must be true or false, got "yes".', code: 'InvalidArguments', field: 'forceNewDeployment',
    });
  });

  it('a required member that is missing is refused with the command\'s own words', () => {
    const f = refusal(() => read<StopTaskArgs>({ cluster: 'demo-cluster' }).required('task', '"task" is required (a task ARN or id).'));
    assert.deepEqual(f, { error: '"task" is required (a task ARN or id).', code: 'InvalidArguments', field: 'task' });
  });

  it('whole numbers: numbers and numeric strings in range; anything else refused with the range', () => {
    const r = read<UpdateServiceArgs>({ desiredCount: '3', minimumHealthyPercent: 100, maximumPercent: 250 });
    assert.equal(r.int('desiredCount', 0, 5000), 3);
    assert.equal(r.int('minimumHealthyPercent', 0, 100), 100);
    assert.equal(refusal(() => r.int('maximumPercent', 100, 200)).error, '"maximumPercent" must be a whole number between 100 and 200, got 250.');
    assert.equal(refusal(() => read<UpdateServiceArgs>({ desiredCount: -1 }).int('desiredCount', 0, 5000)).error, '"desiredCount" must be a whole number between 0 and 5000, got -1.');
    assert.equal(refusal(() => read<UpdateServiceArgs>({ desiredCount: 'many' }).int('desiredCount', 0, 5000)).field, 'desiredCount');
    assert.equal(refusal(() => read<UpdateServiceArgs>({ desiredCount: 1.5 }).int('desiredCount', 0, 5000)).field, 'desiredCount');
    assert.equal(read<UpdateServiceArgs>({}).int('desiredCount', 0, 5000), undefined);
  });

  it('one of a fixed set of values', () => {
    const r = read<{ mode?: string }>({ mode: 'targetTracking' });
    assert.equal(r.oneOf('mode', ['step', 'targetTracking'] as const), 'targetTracking');
    assert.deepEqual(refusal(() => read<{ mode?: string }>({ mode: 'fast' }).oneOf('mode', ['step', 'targetTracking'] as const)), {
      error: '"mode" must be one of step, targetTracking, got "fast".', code: 'InvalidArguments', field: 'mode',
    });
  });

  it('text reads a member as an input box holds it (for commands that validate field by field)', () => {
    const r = read<{ count?: number; name?: string; hostPort?: number | null }>({ count: 2, hostPort: null });
    assert.equal(r.text('count', '1'), '2');
    assert.equal(r.text('name', 'demo-cluster'), 'demo-cluster');
    assert.equal(r.text('hostPort', '80'), '');
    assert.equal(r.has('hostPort'), true);
    assert.equal(r.has('name'), false);
  });

  it('readArgs hands the reader to the command and lets its refusal through', () => {
    const parsed = readArgs<StopTaskArgs, StopTaskArgs>({ cluster: 'c', task: 't' }, t, (r) => ({ cluster: r.required('cluster', 'x'), task: r.required('task', 'y') }));
    assert.deepEqual(parsed, { cluster: 'c', task: 't' });
    // Not an object (e.g. a step id for the walkthrough): members read as absent, `raw` keeps it.
    assert.equal(readArgs<StopTaskArgs, unknown>('kill-container', t, (r) => r.raw), 'kill-container');
    assert.equal(refusal(() => readArgs<StopTaskArgs, string>(['c'], t, (r) => r.required('cluster', 'cluster?'))).error, 'cluster?');
  });
});

describe('commands: one failure shape', () => {
  it('{ error, code, field? } whatever went wrong', () => {
    assert.deepEqual(failure('NotFound', 'Task 1eba2381 no longer exists.'), { error: 'Task 1eba2381 no longer exists.', code: 'NotFound' });
    assert.deepEqual(new CommandError('Cluster name: too long', 'InvalidArguments', 'name').failure, { error: 'Cluster name: too long', code: 'InvalidArguments', field: 'name' });
    assert.deepEqual(new ArgumentError('"task" is required.', 'task').failure, { error: '"task" is required.', code: 'InvalidArguments', field: 'task' });
  });

  it('isFailure tells a failure from a result (both cross executeCommand as plain objects)', () => {
    assert.ok(isFailure({ error: 'Cluster not found.', code: 'ClusterNotFoundException' }));
    assert.ok(!isFailure({ taskArn: 'arn', desiredStatus: 'STOPPED' }));
    assert.ok(!isFailure(undefined));
    assert.ok(!isFailure('error'));
    // The older `{ error }` without a code is not the failure type any more.
    assert.ok(!isFailure({ error: 'x' }));
  });

  it('errors keep their kind through instanceof (the framework tells validation from refusals)', () => {
    const e = new ArgumentError('bad');
    assert.ok(e instanceof CommandError && e instanceof Error);
    assert.equal(e.name, 'ArgumentError');
    assert.ok(new Cancelled() instanceof Error);
  });
});
