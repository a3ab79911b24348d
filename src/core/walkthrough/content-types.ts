import type { StepId } from './step-ids';

/**
 * The texts of one walkthrough step (markdown strings). content-en.ts / content-ja.ts export
 * `Record<StepId, StepContent>`; the walkthrough panel renders them.
 */
export interface StepContent {
  /** Short title shown in the step list and as the step's heading. */
  title: string;
  /** One-line summary shown under the title in the step list. */
  summary: string;
  /** What this step does (markdown). */
  what: string;
  /** Why it matters / what it teaches (markdown). */
  why: string;
  /** Things worth noticing (markdown, one per bullet). */
  insights: string[];
  /** What to look at in the explorer / status bar / console while or after the step runs (markdown). */
  observe: string[];
  /** Label of the action button (runs the extension's command). */
  actionLabel: string;
  /** Label of the check button (re-runs the live check). */
  checkLabel: string;
  /** Shown when the step's check holds (markdown). */
  successText: string;
}

export type StepContents = Record<StepId, StepContent>;
