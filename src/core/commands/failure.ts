/**
 * The one failure shape of the extension's commands. A command run with an argument object (a test,
 * the walkthrough) never waits on a notification: what went wrong is shown *and* returned as
 * `{ error, code, field? }`, so that the caller can display it too.
 */

/**
 * - `InvalidArguments`: the argument object (or the input) was refused before anything was sent;
 * - `NotFound`: what the command acts on does not exist (any more);
 * - `NotConnected`: no connection (the user was shown why, with Retry);
 * - `Cancelled`: the user declined a confirmation or cancelled the progress;
 * - `Failed`: the work itself failed (e.g. the load test's child process);
 * - anything else: the AWS error code (`ClusterNotFoundException`, …).
 */
export type FailureCode = 'InvalidArguments' | 'NotFound' | 'NotConnected' | 'Cancelled' | 'Failed' | (string & {});

export interface CommandFailure {
  /** What the user was told, without the action's title (the notification adds it). */
  error: string;
  code: FailureCode;
  /** The argument member at fault (`name`, `loadBalancer.containerPort`) or a JSON path of a document. */
  field?: string;
}

export function failure(code: FailureCode, error: string, field?: string): CommandFailure {
  return field === undefined ? { error, code } : { error, code, field };
}

/** A command's failure result (duck-typed: results cross `executeCommand`). */
export function isFailure(v: unknown): v is CommandFailure {
  return !!v && typeof v === 'object' && typeof (v as CommandFailure).error === 'string' && typeof (v as CommandFailure).code === 'string';
}

const COMMAND_ERROR = Symbol.for('ecs-handson.CommandError');

/**
 * Thrown inside a command to stop with a failure the user must see (validation, "not found", "no
 * URL"); the command framework shows it and returns `failure`. AWS refusals are not wrapped: the
 * framework shows them with the service's message and Retry.
 */
export class CommandError extends Error {
  override name = 'CommandError';
  /**
   * The AWS layer (src/aws, its own bundle dist/aws.js) throws CommandErrors too (iam-roles.ts:
   * RoleMissing, ExecutionRoleMissing): that bundle has its own copy of this class, so `instanceof`
   * also recognises a CommandError of the other copy by this brand (a global symbol).
   */
  readonly [COMMAND_ERROR] = true;
  static override [Symbol.hasInstance](v: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, v)) return true;
    return this === CommandError && !!v && typeof v === 'object' && (v as Record<symbol, unknown>)[COMMAND_ERROR] === true;
  }
  constructor(
    message: string,
    readonly code: FailureCode = 'InvalidArguments',
    readonly field?: string,
  ) {
    super(message);
  }
  get failure(): CommandFailure {
    return failure(this.code, this.message, this.field);
  }
}

/** Bad argument object: the member at fault and why (a CommandError with code `InvalidArguments`). */
export class ArgumentError extends CommandError {
  constructor(message: string, field?: string) {
    super(message, 'InvalidArguments', field);
    this.name = 'ArgumentError';
  }
}

/** The user cancelled (a confirmation, the progress notification, a picker). */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor() {
    super('Cancelled');
  }
}
