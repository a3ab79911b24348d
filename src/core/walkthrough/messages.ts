/**
 * The typed protocol between the walkthrough webview and the extension host (pure; imported by
 * both sides). The webview sends `ready` once it listens, then requests with numeric ids; the host
 * answers each with a `reply` of the same id, and pushes `state` / visual updates on its own.
 * Every message from the webview is checked by `parseWebviewMessage` before the host acts.
 */
import type { StepContent } from './content-types';
import type { LiveInsight } from './insights';
import type { StepId } from './step-ids';
import { STEP_IDS } from './step-ids';
import type { CheckResult, InputValue } from './steps';
import { fail, isPlainObject, onlyKeys, parseEnvelope, type MessageOf, type ParamParsers, type Parsed, type Reply, type RequestOf } from '../webview-protocol';

// ------------------------------------------------------------------ webview → host

export type RequestMap = {
  selectStep: { params: { step: StepId }; result: null };
  setInputs: { params: { step: StepId; inputs: Record<string, InputValue> }; result: { errors: Record<string, string> } };
  runAction: { params: { step: StepId; action: string; inputs: Record<string, InputValue> }; result: { ok: boolean; message?: string; errors?: Record<string, string> } };
  check: { params: { step: StepId }; result: CheckResult | null };
  reset: { params: Record<string, never>; result: null };
  openExternal: { params: { url: string }; result: null };
  /** An action's AWS CLI commands: copied to the clipboard, or run in a terminal. */
  cli: { params: { step: StepId; action: string; then: 'copy' | 'terminal' }; result: { ok: boolean; message?: string } };
};
export type Method = keyof RequestMap;
export const METHODS: readonly Method[] = ['selectStep', 'setInputs', 'runAction', 'check', 'reset', 'openExternal', 'cli'];

export type WebviewRequest = RequestOf<RequestMap>;
export type WebviewMessage = MessageOf<RequestMap>;

// ------------------------------------------------------------------ host → webview

export interface InputView {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'boolean' | 'select';
  value: InputValue;
  options?: string[];
  /** What each option shows, in the order of `options` (human labels, translated). */
  optionLabels?: string[];
  optional?: boolean;
  error?: string;
}

export interface ActionView {
  id: string;
  label: string;
  kind: 'command' | 'acknowledge' | 'loadStart' | 'loadStop' | 'sandboxKill';
  secondary: boolean;
}

export interface StepListItem {
  id: StepId;
  index: number;
  title: string;
  summary: string;
  done: boolean;
}

export interface CurrentStepView {
  id: StepId;
  content: StepContent;
  inputs: InputView[];
  actions: ActionView[];
  check?: CheckResult;
  checking: boolean;
  running?: string;
  /** What the running action's command is doing ("Registering demo-app-task…"): shown in the panel, not in a notification. */
  runningText?: string;
  /** Required steps not done yet, with their titles. */
  missing: { id: StepId; title: string }[];
  /** The article's insight as it happens in the user's account ("what is happening now"). */
  insight?: LiveInsight;
  visual: 'none' | 'order' | 'probe' | 'deployment' | 'chart';
  /** The AWS CLI commands each action of the step sent the last time it ran (collapsed under "AWS CLI"). */
  cli: { action: string; label: string; script: string }[];
  /** On real AWS, at the start: what the hands-on creates, roughly what it costs per hour, and that Clean Up removes it (markdown). */
  notice?: string;
}

export interface ViewState {
  lang: string;
  connection: string;
  /** The service's times are the sandbox's (faster) clock: the probe converts its real timings to it, and says so. */
  sandboxTime?: boolean;
  /** The sandbox's time scale, when known. */
  timeScale?: number;
  steps: StepListItem[];
  current: CurrentStepView;
  completed: number;
  strings: Record<string, string>;
}

export interface ProbeSample {
  /** ms since the probe started (when the request was sent). */
  t: number;
  /** HTTP status, or 0 for no answer (a connection error, or no answer within the probe's timeout). */
  status: number;
  /** How long the request took (up to the timeout). */
  ms: number;
  /** Only for status 0: why there is no status. */
  error?: 'timeout' | 'connection';
}

/** A target of the probed load balancer's target group, with its health (initial, healthy, unhealthy, draining …). */
export interface ProbeTarget {
  id: string;
  port?: number;
  health: string;
}

/** Something the user did on the probe's step (stopped or crashed a task …), on the probe's timeline. */
export interface ProbeMark {
  /** ms since the probe started. */
  t: number;
  label: string;
}

export interface DeploymentTaskView {
  id: string;
  taskDefinition: string;
  lastStatus: string;
  hostPort?: number;
  isNew: boolean;
}

export interface DeploymentView {
  instances: { id: string; az?: string; usedPorts: number[]; tasks: DeploymentTaskView[] }[];
  unplaced: DeploymentTaskView[];
  deployments: { status: string; taskDefinition: string; desired: number; running: number; pending: number; rolloutState?: string }[];
  events: string[];
}

export interface ChartPoint {
  /** seconds (connection clock, epoch). */
  t: number;
  /** The newest 1-minute CPUUtilization average, or null when there is none. */
  cpu: number | null;
  /** The 1-minute CPUUtilization datapoints read at this point: [period start (seconds, connection clock), %]. */
  cpuPoints?: [number, number][];
  desired: number;
  running: number;
  instances: number;
  alarm: string;
}

export interface LoadView {
  running: boolean;
  done: number;
  total: number;
  rps: number;
  errors: number;
  message?: string;
}

export type HostMessage =
  | { kind: 'state'; state: ViewState }
  | Reply
  | { kind: 'probe'; url: string | undefined; samples: ProbeSample[]; marks?: ProbeMark[]; targets?: ProbeTarget[]; intervalMs?: number; reset?: boolean }
  | { kind: 'deployment'; view: DeploymentView }
  | {
      kind: 'chart';
      points: ChartPoint[];
      threshold: number;
      /** When the load started (seconds, connection clock): the chart's time axis counts from it. */
      origin?: number;
      /** Whether the connection's clock is the sandbox's (simulated, faster than real time). */
      sandboxClock?: boolean;
      reset?: boolean;
    }
  | { kind: 'load'; load: LoadView };

// ------------------------------------------------------------------ validation

export const LIMITS = { string: 512, inputs: 32, url: 2048 } as const;

function stepParam(p: Record<string, unknown>): Parsed<StepId> {
  const s = p.step;
  if (typeof s !== 'string' || !(STEP_IDS as readonly string[]).includes(s)) return fail(`unknown step "${String(s).slice(0, 40)}"`);
  return { ok: true, value: s as StepId };
}

function inputsParam(v: unknown): Parsed<Record<string, InputValue>> {
  if (!isPlainObject(v)) return fail('inputs must be an object');
  const keys = Object.keys(v);
  if (keys.length > LIMITS.inputs) return fail('too many inputs');
  const out: Record<string, InputValue> = {};
  for (const k of keys) {
    if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(k)) return fail('bad input name');
    const x = v[k];
    if (typeof x === 'string') {
      if (x.length > LIMITS.string) return fail(`input "${k}" is too long`);
    } else if (typeof x === 'number') {
      if (!Number.isFinite(x)) return fail(`input "${k}" is not a finite number`);
    } else if (typeof x !== 'boolean') return fail(`input "${k}" has a bad type`);
    out[k] = x;
  }
  return { ok: true, value: out };
}

/** Params of exactly `keys`, of which `step` (and `inputs`) are checked. */
function stepAnd(p: Record<string, unknown>, keys: readonly string[]): Parsed<{ step: StepId; inputs: Record<string, InputValue> }> {
  const x = onlyKeys(p, keys);
  if (x) return fail(x);
  const step = stepParam(p);
  if (!step.ok) return step;
  const inputs = keys.includes('inputs') ? inputsParam(p.inputs) : { ok: true as const, value: {} };
  return inputs.ok ? { ok: true, value: { step: step.value, inputs: inputs.value } } : inputs;
}

const PARAMS: ParamParsers<RequestMap> = {
  reset: (p) => {
    const x = onlyKeys(p, []);
    return x ? fail(x) : { ok: true, value: {} };
  },
  selectStep: (p) => {
    const r = stepAnd(p, ['step']);
    return r.ok ? { ok: true, value: { step: r.value.step } } : r;
  },
  check: (p) => {
    const r = stepAnd(p, ['step']);
    return r.ok ? { ok: true, value: { step: r.value.step } } : r;
  },
  setInputs: (p) => stepAnd(p, ['step', 'inputs']),
  runAction: (p) => {
    const r = stepAnd(p, ['step', 'action', 'inputs']);
    if (!r.ok) return r;
    if (typeof p.action !== 'string' || !/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(p.action)) return fail('bad action');
    return { ok: true, value: { ...r.value, action: p.action } };
  },
  cli: (p) => {
    const r = stepAnd(p, ['step', 'action', 'then']);
    if (!r.ok) return r;
    if (typeof p.action !== 'string' || !/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(p.action)) return fail('bad action');
    if (p.then !== 'copy' && p.then !== 'terminal') return fail('bad then');
    return { ok: true, value: { step: r.value.step, action: p.action, then: p.then } };
  },
  openExternal: (p) => {
    const x = onlyKeys(p, ['url']);
    if (x) return fail(x);
    if (typeof p.url !== 'string' || p.url.length > LIMITS.url || !/^https?:\/\/[^\s]+$/.test(p.url)) return fail('bad url');
    return { ok: true, value: { url: p.url } };
  },
};

/** Checks a message from the webview; anything else than the protocol is rejected with a reason. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  return parseEnvelope(raw, PARAMS);
}
