/** Walkthrough inputs and progress: defaults, validation, persisted progress and what comes next. */
import { defaultTranslate, type Translate } from '../l10n';
import { STEP_IDS, type StepId } from './step-ids';
import { STEPS } from './steps';
import { optionLabel } from './step-helpers';
import type { CheckResult, InputSpec, InputValue, InputValues, StepRecord } from './step-types';


export function defaultInputs(step: StepId): InputValues {
  const out: InputValues = {};
  for (const i of STEPS[step].inputs) out[i.key] = i.default;
  return out;
}

/** Validates one input value; returns an English message (translated by the caller) or undefined. */
export function validateInput(spec: InputSpec, value: unknown, t: Translate = defaultTranslate): string | undefined {
  if (spec.kind === 'boolean') return typeof value === 'boolean' ? undefined : t('Must be on or off.');
  if (typeof value !== 'string' && typeof value !== 'number') return t('Enter a value.');
  const text = String(value).trim();
  if (text === '') return spec.optional ? undefined : t('Enter a value.');
  if (text.length > 512) return t('Too long.');
  if (spec.kind === 'number') {
    const n = Number(text);
    if (!Number.isInteger(n)) return t('Enter a whole number.');
    if (spec.min !== undefined && n < spec.min) return t('At least {0}.', spec.min);
    if (spec.max !== undefined && n > spec.max) return t('At most {0}.', spec.max);
  }
  if (spec.kind === 'select' && spec.options && !spec.options.includes(text)) return t('Pick one of: {0}', spec.options.map((o) => optionLabel(o, t)).join(', '));
  const extra = spec.validate?.(spec.kind === 'number' ? Number(text) : text);
  return extra ? t(extra) : undefined;
}

/** Merges what the user typed over the defaults (unknown keys dropped), and validates everything. */
export function resolveInputs(step: StepId, given: Record<string, unknown> | undefined, t: Translate = defaultTranslate): { values: InputValues; errors: Record<string, string> } {
  const values = defaultInputs(step);
  const errors: Record<string, string> = {};
  for (const spec of STEPS[step].inputs) {
    const v = given && Object.prototype.hasOwnProperty.call(given, spec.key) ? given[spec.key] : spec.default;
    const err = validateInput(spec, v, t);
    if (err) errors[spec.key] = err;
    else values[spec.key] = spec.kind === 'number' && String(v).trim() !== '' ? Number(v) : (v as InputValue);
  }
  return { values, errors };
}

// ---------------------------------------------------------------------------------------------
// progress

export interface StepProgress {
  done: boolean;
  inputs?: InputValues;
  record?: StepRecord;
  lastCheck?: CheckResult;
  /** The AWS CLI equivalent of what each action sent the last time it ran (by action id). */
  cli?: Record<string, StepCli>;
}

/** An action's AWS CLI commands as recorded when it ran (src/ui/cli/recorded.ts). */
export interface StepCli {
  script: string;
  /** Epoch ms when the action ended. */
  at: number;
  /** The sandbox's endpoint in the commands (a restarted sandbox listens elsewhere: shown with the new one). */
  endpoint?: string;
}

/** A recorded AWS CLI text with the sandbox's endpoint of now (a restarted sandbox listens on another port). */
export function cliScriptNow(c: StepCli, endpoint: string | undefined): string {
  if (!c.endpoint || !endpoint || c.endpoint === endpoint) return c.script;
  return c.script.split(`--endpoint-url ${c.endpoint}`).join(`--endpoint-url ${endpoint}`);
}

/** The recorded AWS CLI texts of a step, kept only when well-formed. */
function parseCli(raw: unknown): Record<string, StepCli> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const out: Record<string, StepCli> = {};
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    const c = v as Partial<StepCli> | undefined;
    if (!c || typeof c.script !== 'string' || typeof c.at !== 'number') continue;
    out[id] = { script: c.script, at: c.at, ...(typeof c.endpoint === 'string' ? { endpoint: c.endpoint } : {}) };
  }
  return Object.keys(out).length ? out : undefined;
}

export interface Progress {
  current: StepId;
  steps: Partial<Record<StepId, StepProgress>>;
}

export function emptyProgress(): Progress {
  return { current: STEP_IDS[0], steps: {} };
}

/** The required steps not done yet. */
export function missingPrerequisites(step: StepId, progress: Progress): StepId[] {
  return STEPS[step].requires.filter((r) => !progress.steps[r]?.done);
}

export function completedCount(progress: Progress): number {
  return STEP_IDS.filter((id) => progress.steps[id]?.done).length;
}

/** The first step not done (or the last one). */
export function nextStep(progress: Progress): StepId {
  return STEP_IDS.find((id) => !progress.steps[id]?.done) ?? STEP_IDS[STEP_IDS.length - 1];
}

/** Reads persisted progress defensively (unknown ids dropped). */
export function parseProgress(raw: unknown): Progress {
  const p = emptyProgress();
  if (!raw || typeof raw !== 'object') return p;
  const r = raw as { current?: unknown; steps?: unknown };
  if (typeof r.current === 'string' && (STEP_IDS as readonly string[]).includes(r.current)) p.current = r.current as StepId;
  if (r.steps && typeof r.steps === 'object') {
    for (const id of STEP_IDS) {
      const sp = (r.steps as Record<string, unknown>)[id];
      if (sp && typeof sp === 'object') {
        const x = sp as StepProgress;
        p.steps[id] = {
          done: x.done === true,
          inputs: x.inputs && typeof x.inputs === 'object' ? resolveInputs(id, x.inputs).values : undefined,
          record: x.record && typeof x.record === 'object' ? x.record : undefined,
          lastCheck: x.lastCheck && typeof x.lastCheck === 'object' ? x.lastCheck : undefined,
          ...(parseCli(x.cli) ? { cli: parseCli(x.cli) } : {}),
        };
      }
    }
  }
  return p;
}

export function isStepId(v: unknown): v is StepId {
  return typeof v === 'string' && (STEP_IDS as readonly string[]).includes(v);
}

