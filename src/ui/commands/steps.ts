/**
 * A multi-step input (InputBox / QuickPick with step numbers, a back button, validation on every
 * keystroke, values kept when going back): how the create commands ask a person for their draft.
 */
import * as vscode from 'vscode';

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
        for (const d of disposables) d.dispose();
        q.dispose();
      }));
    };
    if (step.type === 'input') {
      const box = vscode.window.createInputBox();
      common(box);
      box.value = typeof current === 'string' || typeof current === 'number' ? String(current) : '';
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
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
