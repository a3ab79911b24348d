/** Types of the walkthrough's step model: inputs, actions, checks, what a step records. */
import type { CommandArgs, CommandId } from '../commands/contract';
import type { CommandFailure } from '../commands/failure';
import type { Translate } from '../l10n';
import type { StepId } from './step-ids';
import type { Snapshot, SnapshotPart } from './snapshot';

export type InputValue = string | number | boolean;
export type InputValues = Record<string, InputValue>;

export interface InputSpec {
  key: string;
  /** English label (translated by the host). */
  label: string;
  kind: 'text' | 'number' | 'boolean' | 'select';
  default: InputValue;
  /** Select: the values; what the user sees is `optionLabel` (step-helpers.ts). */
  options?: string[];
  min?: number;
  max?: number;
  /** Optional: an empty value is allowed (e.g. the dynamic host port). */
  optional?: boolean;
  /** Extra validation of a well-typed value; returns an English message or undefined. */
  validate?: (value: InputValue) => string | undefined;
}

/** What the walkthrough remembers about a step's last action (persisted with the progress). */
export interface StepRecord {
  /** Epoch ms (connection clock) when an action last ran. */
  ranAt?: number;
  /** Id of the action that ran last. */
  action?: string;
  /** Task ids of the service that were RUNNING when the action ran. */
  baselineTaskIds?: string[];
  /** The task the action stopped. */
  stoppedTaskId?: string;
  /** Newest service event (epoch ms, the service's own clock) when the action ran. */
  lastEventAt?: number;
  /** The service's PRIMARY deployment when the action ran. */
  primaryDeploymentId?: string;
  /** The highest number of RUNNING tasks of the service seen since the action ran. */
  maxRunning?: number;
  /** Autoscaling run: what has been seen so far since the load started. */
  sawAlarm?: boolean;
  maxDesired?: number;
  maxInstances?: number;
  scaledInAfterPeak?: boolean;
  /** The user acknowledged a read-only step. */
  acknowledged?: boolean;
}

export interface CheckContext {
  inputs: InputValues;
  record: StepRecord;
  t: Translate;
}

export type CheckStatus = 'pass' | 'fail' | 'waiting';

export interface CheckItem {
  label: string;
  ok: boolean;
}

export interface CheckResult {
  status: CheckStatus;
  /** One line: what holds or what is missing. */
  detail: string;
  items: CheckItem[];
}

/**
 * A button of a step. `K` is the command it runs (kind 'command'): its arguments are checked at
 * compile time against the command's own (`CommandArgs[K]`); build one with `commandAction`.
 */
export interface ActionSpec<K extends CommandId = CommandId> {
  id: string;
  /** English label (translated by the host); the step content's actionLabel is used for the main action. */
  label: string;
  /**
   * 'command': run `command` with args(); 'acknowledge': the user read it; 'loadStart'/'loadStop':
   * the load test; 'sandboxKill': the sandbox's fault injection (admin API) kills the task process
   * of args().task, as a crashing container would (sandbox connection only).
   */
  kind: 'command' | 'acknowledge' | 'loadStart' | 'loadStop' | 'sandboxKill';
  /** Only offered on the sandbox connection. */
  sandboxOnly?: boolean;
  command?: K;
  /** Snapshot parts args() needs (e.g. the running tasks for stop-task). */
  parts?: SnapshotPart[];
  /** The command's argument object, or a failure (in the user's language, through `t`) when it cannot run. */
  args?(inputs: InputValues, snapshot: Snapshot, t: Translate): CommandArgs[K] | CommandFailure;
  /** What to record when the action ran (baseline for the check). */
  record?(inputs: InputValues, snapshot: Snapshot, args: CommandArgs[K]): StepRecord;
  secondary?: boolean;
  /** Only shows something (Show Logs): the step's record (what its check compares with) is left as it is. */
  readOnly?: boolean;
}

/** A 'command' action running `command`, its `args` checked against that command's arguments. */
export function commandAction<K extends CommandId>(command: K, spec: Omit<ActionSpec<K>, 'kind' | 'command'>): ActionSpec<K> {
  return { ...spec, kind: 'command', command };
}

export type Visual = 'none' | 'order' | 'probe' | 'deployment' | 'chart';

export interface StepSpec {
  id: StepId;
  /** Steps that must be done first. */
  requires: StepId[];
  inputs: InputSpec[];
  actions: ActionSpec[];
  /** Snapshot parts the check reads. */
  parts: SnapshotPart[];
  check: (snapshot: Snapshot, ctx: CheckContext) => CheckResult;
  visual: Visual;
}

// ---------------------------------------------------------------------------------------------
// helpers
