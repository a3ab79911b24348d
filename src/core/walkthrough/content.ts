/** The step texts in the user's language (content-en.ts, content-ja.ts), with their placeholders filled. */
import type { StepContent, StepContents } from './content-types';
import type { StepId } from './step-ids';
import { contentEn, fillPlaceholders } from './content-en';
import { contentJa } from './content-ja';

/** `language` is `vscode.env.language` (e.g. "en", "ja"). */
export function contentFor(language: string): StepContents {
  return /^ja\b/i.test(language) ? contentJa : contentEn;
}

/** The step's texts name the load balancer's URL (`{endpoint}`): its live check reads the load balancers too, so the URL is the real one. */
export function namesEndpoint(step: StepId): boolean {
  const c = contentEn[step];
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
