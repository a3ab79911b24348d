/**
 * A CommandError thrown by the AWS layer's bundle (dist/aws.js has its own copy of the class) is a
 * CommandError to the command framework: its code and message reach the user, not "CommandError"
 * with Retry as if AWS had refused.
 */
import assert from 'node:assert/strict';
import { ArgumentError, CommandError } from '../../../src/core/commands/failure';

const BRAND = Symbol.for('ecs-handson.CommandError');

describe('CommandError across bundles', () => {
  it('recognises a CommandError of another copy of the class by its brand, keeps instanceof exact for subclasses', () => {
    // What another bundle's CommandError looks like: another class, the same global brand.
    class OtherCopy extends Error {
      override name = 'CommandError';
      readonly [BRAND] = true;
      constructor(message: string, readonly code: string) {
        super(message);
      }
    }
    const foreign = new OtherCopy('ECS needs its service-linked role.', 'RoleMissing');
    assert.ok(foreign instanceof CommandError);
    assert.ok(!(foreign instanceof ArgumentError));
    assert.ok(new ArgumentError('bad', 'name') instanceof CommandError);
    assert.ok(!(new CommandError('x') instanceof ArgumentError));
    assert.ok(!(new Error('x') instanceof CommandError));
    assert.ok(!(Object.assign(new Error('x'), { name: 'CommandError' }) instanceof CommandError), 'a name alone is not enough');
  });
});
