/**
 * The step texts in the user's language: content-en.ts / content-ja.ts (written by the content
 * engineer); until they exist, short English placeholders (below) keep the walkthrough usable.
 */
import type { StepContent, StepContents } from './content-types';
import { STEP_IDS, type StepId } from './step-ids';
import { contentEn, fillPlaceholders } from './content-en';
import { contentJa } from './content-ja';

const TITLES: Record<StepId, [string, string]> = {
  'prepare-image': ['Prepare the image', 'The demo images uzresk/demo:ver1.0 and ver2.0'],
  'construction-order': ['The order of construction', 'cluster → task definition → load balancer → service'],
  'create-cluster': ['Create the cluster', 'demo-cluster with 2 EC2 instances in two AZs'],
  'task-definition': ['Task definition', 'demo-app-task:1 with uzresk/demo:ver1.0, 8080 → 80'],
  'load-balancer': ['Load balancer', 'app-demo-lb with a target group and listener 80'],
  'create-service': ['Create the service', 'demo-service: 2 tasks behind app-demo-lb'],
  'kill-container': ['Kill a container', 'Stop a task and watch the 502 window'],
  release: ['Release a new version', 'ver2.0 as revision 2, rolling update'],
  'bluegreen-port-conflict': ['Blue/Green: port conflict', 'maximumPercent 200 on 2 instances with host port 80'],
  'bluegreen-four-instances': ['Blue/Green: 4 instances', '4 tasks at once, old ones drained'],
  'bluegreen-dynamic-ports': ['Blue/Green: dynamic ports', '4 tasks on 2 instances with dynamic host ports'],
  'autoscaling-service': ['Service auto scaling', 'max 4 tasks, CPU > 20% → +2'],
  'autoscaling-cluster': ['Cluster auto scaling', 'max 4 instances, CPU > 20% → +2'],
  'autoscaling-run': ['Scale out and in', 'Load the service and watch it scale'],
  cleanup: ['Clean up', 'Remove everything the hands-on created'],
};

function placeholder(id: StepId): StepContent {
  const [title, summary] = TITLES[id];
  return {
    title,
    summary,
    what: summary,
    why: '',
    insights: [],
    observe: [],
    actionLabel: title,
    checkLabel: 'Check',
    successText: 'Done.',
  };
}

export const PLACEHOLDER_CONTENT: StepContents = Object.fromEntries(STEP_IDS.map((id) => [id, placeholder(id)])) as StepContents;

let en: StepContents | undefined = contentEn;
let ja: StepContents | undefined = contentJa;

/** Registers the real texts (called by the host once content-en/ja exist). */
export function setContents(c: { en?: StepContents; ja?: StepContents }): void {
  en = c.en ?? en;
  ja = c.ja ?? ja;
}

/** `language` is `vscode.env.language` (e.g. "en", "ja"). */
export function contentFor(language: string): StepContents {
  const base = en ?? PLACEHOLDER_CONTENT;
  if (/^ja\b/i.test(language) && ja) return ja;
  return base;
}

/** The step's texts name the load balancer's URL (`{endpoint}`): its live check reads the load balancers too, so the URL is the real one. */
export function namesEndpoint(step: StepId): boolean {
  const c = (en ?? PLACEHOLDER_CONTENT)[step];
  return [c.title, c.summary, c.what, c.why, ...c.insights, ...c.observe, c.actionLabel, c.checkLabel, c.successText].some((x) => x.includes('{endpoint}'));
}

/** One step's texts with `{cluster}`, `{service}`, … filled from the step's inputs (and the endpoint). */
export function filledContent(c: StepContent, values: Record<string, unknown>): StepContent {
  const f = (x: string) => fillPlaceholders(x, values);
  return {
    title: f(c.title),
    summary: f(c.summary),
    what: f(c.what),
    why: f(c.why),
    insights: c.insights.map(f),
    observe: c.observe.map(f),
    actionLabel: f(c.actionLabel),
    checkLabel: f(c.checkLabel),
    successText: f(c.successText),
  };
}
