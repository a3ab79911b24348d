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
import { costNotice } from '../../core/walkthrough/costs';
import type { StepId } from '../../core/walkthrough/step-ids';
import { STEPS, defaultInputs, completedCount, missingPrerequisites, resolveInputs, type InputValues, type Progress, cliScriptNow } from '../../core/walkthrough/steps';
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
      cli: spec.actions.flatMap((a) => {
        const c = sp?.cli?.[a.id];
        if (!c) return [];
        const label = !a.secondary && contents[id].actionLabel ? filledContent(contents[id], inputs).actionLabel : t(a.label);
        return [{ action: a.id, label, script: cliScriptNow(c, o.services.connections.sandboxEndpoint) }];
      }),
      check: sp?.lastCheck,
      checking: o.checking,
      ...(o.running ? { running: o.running, ...(o.runningText ? { runningText: o.runningText } : {}) } : {}),
      missing: missingPrerequisites(id, o.progress).map((m) => ({ id: m, title: contents[m].title })),
      ...(o.insight ? { insight: o.insight } : {}),
      visual: spec.visual,
      ...(o.services.connections.isRealAws && START_STEPS.includes(id) ? { notice: realAwsNotice(o.services, o.progress) } : {}),
    },
  };
}

/** The steps before anything billable exists: where the real-AWS notice is shown. */
const START_STEPS: StepId[] = ['prepare-image', 'construction-order', 'create-cluster'];

/**
 * On real AWS: what the hands-on will create (the cluster's instances as its step is set, the load
 * balancer), roughly what it costs per hour, and that Clean Up removes what the extension tagged.
 */
export function realAwsNotice(services: UiContext, progress: Progress): string {
  const st = services.connections.state;
  const region = st.status === 'ready' ? st.resolved.region : services.connections.settings.region || '?';
  const inputs = { ...defaultInputs('create-cluster'), ...(progress.steps['create-cluster']?.inputs ?? {}) };
  const type = String(inputs.instanceType ?? 't3.small');
  const count = Number(inputs.count ?? 2) || 2;
  const creates = t('On real AWS (region {0}) this hands-on creates billable resources: an ECS cluster with {1} × EC2 {2}, an Application Load Balancer with its target group and security group, scaling policies and CloudWatch alarms.', region, count, type);
  const cost = costNotice(type, count, region, t);
  const cleanup = t('Clean Up (the last step) deletes everything the extension created and tagged `ecs-handson:managed=true`, and lists only that: delete it when you stop, or it keeps costing.');
  return `${creates} ${cost} ${cleanup}`;
}
