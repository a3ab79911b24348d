/**
 * Shared pieces of the "create" commands: a multi-step input (InputBox / QuickPick with step
 * numbers, a back button, validation on every keystroke and values kept when going back), and the
 * common flow around it: validate → (real AWS: confirm what will be created) → progress while AWS
 * works → refresh; on refusal the service's own message with "Retry", which re-opens the input
 * with everything the user typed.
 *
 * Commands run interactively (palette, context menu) or with an argument object (tests, the
 * walkthrough). With arguments nothing is asked; on failure the error is shown (with "Edit…" /
 * "Retry", which open the input pre-filled) and the command returns `{ error }` instead of waiting
 * for the notification to be dismissed.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { Subnet } from '@aws-sdk/client-ec2';
import { loadAws } from '../../aws-loader';
import type { RefreshHint, Services } from '../../services';

/** The tag every created resource carries, so that cleanup finds what the hands-on made. */
export const MANAGED_TAG = { key: 'ecs-handson:managed', value: 'true' } as const;

export interface PickItem<V> extends vscode.QuickPickItem {
  value: V;
}

type StepBase<S> = {
  key: keyof S & string;
  title: string;
  /** Only show this step when it returns true (e.g. instance type only with EC2 capacity). */
  when?: (s: S) => boolean;
  /** Runs before `when` is evaluated (e.g. describe what the previous step chose). */
  before?: (s: S) => Promise<void>;
  placeholder?: string;
};

export type Step<S> = StepBase<S> &
  (
    | { type: 'input'; prompt?: string; validate?: (value: string, s: S) => string | undefined }
    | { type: 'pick'; items: (s: S) => Promise<PickItem<unknown>[]> | PickItem<unknown>[] }
    | {
        type: 'pickMany';
        items: (s: S) => Promise<PickItem<unknown>[]> | PickItem<unknown>[];
        validate?: (values: unknown[], s: S) => string | undefined;
      }
  );

type StepResult = { value: unknown } | { back: true; value?: unknown } | undefined;

/**
 * Shows `steps` one after another over `state` (mutated in place, so a later retry starts from
 * what the user entered). Returns the state, or undefined when the user cancelled.
 */
export async function runSteps<S extends object>(title: string, steps: Step<S>[], state: S): Promise<S | undefined> {
  const history: number[] = [];
  let i = 0;
  while (i < steps.length) {
    const step = steps[i];
    await step.before?.(state);
    if (step.when && !step.when(state)) {
      i++;
      continue;
    }
    const visible = steps.filter((x) => !x.when || x.when(state));
    const result = await showStep(title, step, state, visible.indexOf(step) + 1, visible.length, history.length > 0);
    if (result === undefined) return undefined;
    if ('back' in result) {
      if (result.value !== undefined) (state as Record<string, unknown>)[step.key] = result.value;
      i = history.pop() ?? 0;
      continue;
    }
    (state as Record<string, unknown>)[step.key] = result.value;
    history.push(i);
    i++;
  }
  return state;
}

function showStep<S>(title: string, step: Step<S>, state: S, n: number, total: number, canBack: boolean): Promise<StepResult> {
  const current = (state as Record<string, unknown>)[step.key];
  return new Promise<StepResult>((resolve, reject) => {
    let settled = false;
    const finish = (r: StepResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const disposables: vscode.Disposable[] = [];
    const common = (q: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[]; onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }) => {
      q.title = `${title}: ${step.title}`;
      q.step = n;
      q.totalSteps = total;
      q.ignoreFocusOut = true;
      q.buttons = canBack ? [vscode.QuickInputButtons.Back] : [];
      disposables.push(q.onDidHide(() => {
        finish(undefined);
        disposables.forEach((d) => d.dispose());
        q.dispose();
      }));
    };
    if (step.type === 'input') {
      const box = vscode.window.createInputBox();
      common(box);
      box.value = current === undefined || current === null ? '' : String(current);
      box.prompt = step.prompt;
      box.placeholder = step.placeholder;
      const check = (v: string) => step.validate?.(v, state);
      if (box.value !== '') box.validationMessage = check(box.value);
      disposables.push(
        box.onDidChangeValue((v) => (box.validationMessage = check(v))),
        box.onDidTriggerButton(() => {
          finish({ back: true, value: box.value });
          box.hide();
        }),
        box.onDidAccept(() => {
          const bad = check(box.value);
          if (bad) {
            box.validationMessage = bad;
            return;
          }
          finish({ value: box.value });
          box.hide();
        }),
      );
      box.show();
      return;
    }
    const qp = vscode.window.createQuickPick<PickItem<unknown>>();
    common(qp);
    const many = step.type === 'pickMany';
    qp.canSelectMany = many;
    qp.matchOnDescription = true;
    qp.placeholder = step.placeholder;
    qp.busy = true;
    qp.enabled = false;
    qp.show();
    disposables.push(
      qp.onDidTriggerButton(() => {
        finish({ back: true, value: many ? qp.selectedItems.map((x) => x.value) : undefined });
        qp.hide();
      }),
      qp.onDidAccept(() => {
        if (many) {
          const values = qp.selectedItems.map((x) => x.value);
          const bad = step.type === 'pickMany' ? step.validate?.(values, state) : undefined;
          if (bad) {
            qp.placeholder = `⚠ ${bad}`;
            return;
          }
          finish({ value: values });
        } else {
          const item = qp.selectedItems[0] ?? qp.activeItems[0];
          if (!item) return;
          finish({ value: item.value });
        }
        qp.hide();
      }),
    );
    Promise.resolve(step.items(state)).then(
      (items) => {
        qp.items = items;
        // Re-read: `items` may have filled in a default (e.g. one subnet per AZ).
        const current = (state as Record<string, unknown>)[step.key];
        if (many) {
          const chosen = Array.isArray(current) ? current : [];
          qp.selectedItems = items.filter((x) => chosen.includes(x.value));
        } else {
          const active = items.find((x) => x.value === current) ?? items.find((x) => x.picked);
          if (active) qp.activeItems = [active];
        }
        qp.busy = false;
        qp.enabled = true;
      },
      (e: unknown) => {
        settled = true;
        qp.hide();
        reject(e);
      },
    );
  });
}

/** An invalid field found before anything is sent. */
export interface Invalid {
  /** The argument member at fault (e.g. `name`), or a JSON path for documents. */
  field: string;
  message: string;
}

/** What a command returns with an argument object when it failed (the error is also shown). */
export interface CommandFailure {
  error: string;
  field?: string;
}

export interface Flow<S extends object, R> {
  /** User-facing action, e.g. "Create cluster"; titles the input, progress and error messages. */
  title: string;
  state: S;
  /** Ask with `steps` (palette / menu) or take `state` as given (argument object). */
  interactive: boolean;
  steps: (clients: AwsClients) => Step<S>[];
  /** Full validation of the state before AWS is called (cross-field rules included). */
  check: (state: S) => Invalid | undefined;
  /** Asked after `check` (interactive runs only): "edit" re-opens the input, "cancel" stops. */
  confirm?: (state: S, clients: AwsClients) => Promise<'ok' | 'edit' | 'cancel'>;
  /** What will be created, shown for confirmation on a real AWS account (undefined: nothing billable). */
  billable?: (state: S) => string[] | undefined;
  execute: (state: S, clients: AwsClients, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Promise<R>;
  refresh: (result: R) => RefreshHint;
  /** After success (e.g. show the endpoint, track the rollout). */
  done?: (result: R) => void | Promise<void>;
}

/** Raised by `execute` when the user cancelled the progress notification. */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

/** Runs a create command's flow; see the file comment. */
export async function runFlow<S extends object, R>(s: Services, flow: Flow<S, R>): Promise<R | CommandFailure | undefined> {
  const retry = vscode.l10n.t('Retry');
  const edit = vscode.l10n.t('Edit…');
  const reopen = () => void runFlow(s, { ...flow, interactive: true }).catch((e: unknown) => s.log.error(String(e)));
  for (;;) {
    const clients = await s.clientsOrFail();
    if (flow.interactive) {
      const answered = await runSteps(flow.title, flow.steps(clients), flow.state);
      if (!answered) return undefined;
    }
    const bad = flow.check(flow.state);
    if (bad) {
      const text = `${flow.title}: ${bad.message}`;
      if (flow.interactive) {
        const choice = await vscode.window.showErrorMessage(text, edit);
        if (choice === edit) continue;
        return undefined;
      }
      void vscode.window.showErrorMessage(text, edit).then((c) => c === edit && reopen());
      return { error: bad.message, field: bad.field };
    }
    if (flow.interactive && flow.confirm) {
      const answer = await flow.confirm(flow.state, clients);
      if (answer === 'edit') continue;
      if (answer === 'cancel') return undefined;
    }
    if (s.connections.isRealAws && flow.billable) {
      const lines = flow.billable(flow.state);
      if (lines && lines.length > 0) {
        const create = vscode.l10n.t('Create');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('{0} in your AWS account? These resources cost money until you delete them.', flow.title),
          { modal: true, detail: lines.join('\n') },
          create,
        );
        if (choice !== create) return flow.interactive ? undefined : { error: vscode.l10n.t('Cancelled.') };
      }
    }
    try {
      const result = await s.withProgress(flow.title, (progress, token) => flow.execute(flow.state, clients, progress, token));
      s.refresh(flow.refresh(result));
      await flow.done?.(result);
      return result;
    } catch (e) {
      s.refresh(undefined);
      if (e instanceof Cancelled) return flow.interactive ? undefined : { error: vscode.l10n.t('Cancelled.') };
      if (flow.interactive) {
        const choice = await s.showError(e, flow.title, retry);
        if (choice === retry) continue;
        return undefined;
      }
      void s.showError(e, flow.title, retry).then((c) => c === retry && reopen());
      const info = loadAws().mapAwsError(e, { endpoint: s.connections.sandboxEndpoint, t: vscode.l10n.t });
      return { error: info.message };
    }
  }
}

/** An argument object: not a tree node / tree item (they carry a contextValue), not undefined. */
export function isArgs(arg: unknown): arg is Record<string, unknown> {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !('contextValue' in arg) && !(arg instanceof vscode.Uri);
}

/** A tree node from a context menu (see src/core/tree-types.ts); the command then asks the rest. */
export function asNode(arg: unknown): { kind?: string; resource?: string; context?: Record<string, string> } | undefined {
  return typeof arg === 'object' && arg !== null && 'contextValue' in arg ? (arg as { kind?: string; resource?: string; context?: Record<string, string> }) : undefined;
}

/** Argument field as a string ('' when absent); numbers are stringified (inputs hold strings). */
export function str(v: unknown, fallback = ''): string {
  if (v === undefined) return fallback;
  if (v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

export const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

/** A validation result for `check`: `key` is the argument's member, `label` prefixes the message. */
export function field(key: string, label: string, message: string | undefined): Invalid | undefined {
  return message === undefined ? undefined : { field: key, message: `${label}: ${message}` };
}

/** Poll until `done` says so, the timeout passes or the user cancels. */
export async function poll(
  token: vscode.CancellationToken,
  timeoutMs: number,
  intervalMs: number,
  attempt: () => Promise<boolean>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt()) return true;
    if (token.isCancellationRequested) throw new Cancelled();
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---- subnets -------------------------------------------------------------------------------

export async function describeSubnets(clients: AwsClients): Promise<Subnet[]> {
  const aws = loadAws();
  const out = await clients.ec2.send(new aws.DescribeSubnetsCommand({}));
  return out.Subnets ?? [];
}

/** One subnet in each of the first two AZs, the default VPC's default subnets first. */
export function defaultSubnetIds(subnets: Subnet[]): string[] {
  const sorted = [...subnets].sort(
    (a, b) => Number(!!b.DefaultForAz) - Number(!!a.DefaultForAz) || (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''),
  );
  const vpc = sorted[0]?.VpcId;
  const byAz = new Map<string, string>();
  for (const sn of sorted) {
    if (sn.VpcId !== vpc || !sn.AvailabilityZone || !sn.SubnetId || byAz.has(sn.AvailabilityZone)) continue;
    byAz.set(sn.AvailabilityZone, sn.SubnetId);
  }
  return [...byAz.values()].slice(0, 2);
}

export function subnetItems(subnets: Subnet[]): PickItem<string>[] {
  return [...subnets]
    .sort((a, b) => (a.VpcId ?? '').localeCompare(b.VpcId ?? '') || (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''))
    .map((sn) => ({
      label: sn.SubnetId ?? '',
      description: `${sn.AvailabilityZone ?? ''} · ${sn.CidrBlock ?? ''}`,
      detail: `${sn.VpcId ?? ''}${sn.DefaultForAz ? ` · ${t('default for AZ')}` : ''}${nameTag(sn.Tags) ? ` · ${nameTag(sn.Tags)}` : ''}`,
      value: sn.SubnetId ?? '',
    }));
}

const nameTag = (tags: { Key?: string; Value?: string }[] | undefined) => tags?.find((x) => x.Key === 'Name')?.Value;

/** Subnets must exist, share one VPC and cover at least two Availability Zones. */
export function checkSubnets(ids: string[], subnets: Subnet[]): string | undefined {
  if (ids.length === 0) return t('Choose a subnet in each of two Availability Zones.');
  const chosen: Subnet[] = [];
  for (const id of ids) {
    const sn = subnets.find((x) => x.SubnetId === id);
    if (!sn) return t('Subnet {0} does not exist.', id);
    chosen.push(sn);
  }
  if (new Set(chosen.map((x) => x.VpcId)).size > 1) return t('Choose subnets of one VPC.');
  const azs = new Set(chosen.map((x) => x.AvailabilityZone));
  if (azs.size < 2) return t('Choose subnets in at least two Availability Zones (chosen: {0}).', [...azs].join(', '));
  return undefined;
}
