/**
 * What the walkthrough panel shows: the view state of the current step the webview renders.
 */
import * as vscode from 'vscode';
import { t } from '../l10n';
import { contentFor, filledContent } from '../../core/walkthrough/content';
import type { LiveInsight } from '../../core/walkthrough/insights';
import type { ViewState } from '../../core/walkthrough/messages';
import { optionLabel } from '../../core/walkthrough/step-helpers';
import { STEP_IDS } from '../../core/walkthrough/step-ids';
import { STEPS, completedCount, missingPrerequisites, resolveInputs, type InputValues, type Progress } from '../../core/walkthrough/steps';
import type { UiContext } from '../ui-context';
import { PROBE_TIMEOUT_MS } from './probe';
import { connectionLabel, uiStrings } from './strings';


/** What the webview shows of the current step and the step list. */
export function buildViewState(o: { services: UiContext; progress: Progress; inputs: InputValues; checking: boolean; running?: string; runningText?: string; endpoint?: string; insight?: LiveInsight }): ViewState {
  const contents = contentFor(vscode.env.language);
  const id = o.progress.current;
  const spec = STEPS[id];
  const sp = o.progress.steps[id];
  const inputs = o.inputs;
  const { errors } = resolveInputs(id, inputs, t);
  const time = o.services.connections.timeBase();
  return {
    lang: /^ja\b/i.test(vscode.env.language) ? 'ja' : 'en',
    connection: connectionLabel(o.services),
    ...(time.simulated ? { sandboxTime: true, ...(time.timeScale ? { timeScale: time.timeScale } : {}) } : {}),
    completed: completedCount(o.progress),
    strings: uiStrings(PROBE_TIMEOUT_MS),
    steps: STEP_IDS.map((s, index) => ({ id: s, index, title: contents[s].title, summary: contents[s].summary, done: !!o.progress.steps[s]?.done })),
    current: {
      id,
      content: filledContent(contents[id], { ...inputs, ...(o.endpoint ? { endpoint: o.endpoint } : {}) }),
      inputs: spec.inputs.map((i) => ({
        key: i.key,
        label: t(i.label),
        kind: i.kind,
        value: inputs[i.key] ?? i.default,
        ...(i.options ? { options: i.options, optionLabels: i.options.map((o) => optionLabel(o, t)) } : {}),
        ...(i.optional ? { optional: true } : {}),
        ...(errors[i.key] ? { error: errors[i.key] } : {}),
      })),
      actions: spec.actions.filter((a) => !a.sandboxOnly || !!o.services.connections.sandboxEndpoint).map((a) => ({
        id: a.id,
        label: !a.secondary && contents[id].actionLabel ? filledContent(contents[id], inputs).actionLabel : t(a.label),
        kind: a.kind,
        secondary: !!a.secondary,
      })),
      check: sp?.lastCheck,
      checking: o.checking,
      ...(o.running ? { running: o.running, ...(o.runningText ? { runningText: o.runningText } : {}) } : {}),
      missing: missingPrerequisites(id, o.progress).map((m) => ({ id: m, title: contents[m].title })),
      ...(o.insight ? { insight: o.insight } : {}),
      visual: spec.visual,
    },
  };
}
