/**
 * Runs a step's action button for the walkthrough panel: the extension's own command with the step's
 * inputs (the same code path as the palette), the load test of the autoscaling run, or the sandbox's
 * fault injection (crash a task). What the action did is recorded in the step's progress.
 */
import * as vscode from 'vscode';
import { isFailure } from '../../core/commands/failure';
import { t } from '../l10n';
import { HostReport } from '../commands/command';
import { executeReported } from '../commands/execute';
import type { RequestMap } from '../../core/walkthrough/messages';
import type { Snapshot, SnapshotPart } from '../../core/walkthrough/snapshot';
import type { StepId } from '../../core/walkthrough/step-ids';
import { STEPS, cliScriptNow, resolveInputs, type ActionSpec, type InputValues, type StepProgress } from '../../core/walkthrough/steps';
import type { UiContext } from '../ui-context';
import { connectionLabel } from './strings';
import { recorded, runInTerminal, type CliAction } from '../cli/recorded';

type ActionResult = RequestMap['runAction']['result'];

/** What an action needs from the panel. */
export interface ActionHost {
  services: UiContext;
  /** The step's progress entry (created when missing). */
  progressOf(step: StepId): StepProgress;
  snapshot(step: StepId, parts: SnapshotPart[], inputs: InputValues): Promise<Snapshot>;
  now(): Promise<number>;
  save(): Promise<void>;
  /** The load test started (ranAt: connection clock ms). */
  loadStarted(ranAt: number, total: number): void;
  /** A task was about to be stopped or crashed (the probe notes it). */
  beforeStop(action: ActionSpec): void;
  /** What the running command is doing ("Registering demo-app-task…"), shown in the panel. */
  progress(text: string): void;
  /** Shows the panel's state again (the step's AWS CLI was recorded). */
  pushState(): void;
}

/**
 * Runs an action whose inputs are valid (the caller has checked that no other action runs). The
 * commands run quietly (`HostReport`): their progress and results come back to the panel, which
 * shows them beside the action, instead of notifications over it.
 */
export async function runStepAction(h: ActionHost, step: StepId, action: ActionSpec, values: InputValues): Promise<ActionResult> {
  if (action.kind !== 'command') return runAction(h, step, action, values);
  // The AWS CLI of the action: the reads its arguments came from (a task to stop, the target group's
  // ARN) and what the command sent, so that the IDs it used come from commands too (shell variables).
  let cli: CliAction | undefined;
  const result = await recorded(h.services, t(action.label), () => runAction(h, step, action, values), (c) => (cli = c));
  if (cli) {
    const sp = h.progressOf(step);
    const endpoint = h.services.connections.sandboxEndpoint;
    sp.cli = { ...(sp.cli ?? {}), [action.id]: { script: cli.script, at: cli.at, ...(endpoint ? { endpoint } : {}) } };
    await h.save();
    h.pushState();
  }
  return result;
}

async function runAction(h: ActionHost, step: StepId, action: ActionSpec, values: InputValues): Promise<ActionResult> {
  const sp = h.progressOf(step);
  const report = new HostReport((text) => h.progress(text));
  const reported = (r: ActionResult): ActionResult => {
    const told = report.text;
    return told && !r.message ? { ...r, message: told } : r;
  };
  const needs: SnapshotPart[] = [...(action.parts ?? [])];
  if (action.record) needs.push('services', 'tasks');
  const snap = needs.length ? await h.snapshot(step, needs, values) : undefined;
  if (action.kind === 'loadStop') {
    const r = await executeReported('ecsHandson.loadTest.stop', undefined, report);
    return { ok: true, message: r && !isFailure(r) && r.stopped ? t('Load stopped.') : t('No load was running.') };
  }
  if (action.kind === 'loadStart') {
    const lb = snap?.loadBalancers[0];
    if (!lb?.url && !lb?.dnsName) return { ok: false, message: t('No load balancer {0} to load.', String(values.loadBalancer)) };
    const url = `${lb.localUrl ?? lb.url ?? `http://${lb.dnsName}/`}app/loginForm`;
    const res = await executeReported('ecsHandson.loadTest.run', { url, amount: Number(values.amount), connections: Number(values.connections), wait: false }, report);
    if (isFailure(res)) return { ok: false, message: res.error };
    const ranAt = snap?.takenAt ?? (await h.now());
    sp.record = { ranAt, maxDesired: 0, maxInstances: 0 };
    h.loadStarted(ranAt, Number(values.amount));
    await h.save();
    return { ok: true };
  }
  // Fault injection is the sandbox's own: say so before reading anything (no task list needed to refuse).
  if (action.kind === 'sandboxKill' && !h.services.connections.sandboxAdmin()) {
    return { ok: false, message: t('Crashing a task is the sandbox\'s fault injection: {0} cannot do it. Use "Stop one task" instead: ECS replaces a stopped task of a service the same way.', connectionLabel(h.services)) };
  }
  const args = action.args ? action.args(values, snap ?? (await h.snapshot(step, [], values)), t) : undefined;
  if (isFailure(args)) return { ok: false, message: args.error };
  if (action.kind === 'sandboxKill') {
    const admin = h.services.connections.sandboxAdmin();
    if (!admin) return { ok: false, message: t('Only the sandbox can crash a task.') };
    const task = (args as { task: string }).task;
    h.beforeStop(action);
    try {
      await admin.killTask({ taskArn: task });
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    h.services.log.info(`walkthrough: crashed task ${task} (sandbox fault injection)`);
    sp.record = { ...action.record!(values, snap!, args), action: action.id };
    await h.save();
    h.services.refresh();
    return { ok: true, message: t('Task {0} crashed.', task.slice(task.lastIndexOf('/') + 1, task.lastIndexOf('/') + 9)) };
  }
  h.services.log.info(`walkthrough: ${step}/${action.id} → ${action.command}`);
  if (action.command === 'ecsHandson.task.stop') h.beforeStop(action);
  const res = await executeReported(action.command!, args, report);
  if (isFailure(res)) return { ok: false, message: res.error };
  if (res === undefined) return { ok: false, message: t('The command did not finish (cancelled or failed; see the log).') };
  if (action.record && snap) sp.record = { ...action.record(values, snap, args), action: action.id };
  else if (!action.readOnly) sp.record = { ...(sp.record ?? {}), ranAt: snap?.takenAt ?? (await h.now()), action: action.id };
  await h.save();
  h.services.refresh();
  return reported({ ok: true });
}

/** Looks up a step's action and checks its inputs; the error result when it cannot run. */
export function prepareAction(step: StepId, actionId: string, given: Record<string, unknown>): { action: ActionSpec; values: InputValues } | { error: ActionResult } {
  const action = STEPS[step].actions.find((a) => a.id === actionId);
  if (!action) return { error: { ok: false, message: t('Unknown action.') } };
  const { values, errors } = resolveInputs(step, given, t);
  if (Object.keys(errors).length) return { error: { ok: false, message: t('Fix the inputs first.'), errors } };
  return { action, values };
}

/**
 * An action's AWS CLI commands (recorded when it last ran): copied, or run in the "AWS CLI" terminal
 * — on real AWS only once the person has said yes (they change the account again).
 */
export async function stepCli(services: UiContext, sp: StepProgress | undefined, actionId: string, then: 'copy' | 'terminal'): Promise<ActionResult> {
  const c = sp?.cli?.[actionId];
  if (!c) return { ok: false, message: t('Run the step\'s action: the AWS CLI commands it sends appear here.') };
  const script = cliScriptNow(c, services.connections.sandboxEndpoint);
  if (then === 'copy') {
    await vscode.env.clipboard.writeText(script);
    return { ok: true, message: t('Copied.') };
  }
  if (services.connections.isRealAws) {
    const run = t('Run in Terminal');
    const choice = await vscode.window.showWarningMessage(t('Run these AWS CLI commands in a terminal? They change your AWS account again.'), { modal: true, detail: script.split('\n').slice(0, 12).join('\n') }, run);
    if (choice !== run) return { ok: false, message: t('Cancelled.') };
  }
  runInTerminal(services, script);
  return { ok: true };
}
