/**
 * What the walkthrough bench's two halves share (pure: no vscode): the in-host driver
 * (bench/walkthrough/driver.ts, bundled to out/bench/walkthrough/driver.js and run by VS Code as
 * the extension-tests module) and the outer script (bench/walkthrough.bench.ts) that starts
 * code-server + Chromium and prints the table.
 */
import type { StepId } from '../../src/core/walkthrough/step-ids';

/** Prefix of the driver's console lines (they reach the outer script through the workbench log). */
export const BENCH_MARKER = '[ecs-handson-bench] ';
/** Environment variable naming the JSON file the driver writes (rewritten after every step). */
export const RESULT_ENV = 'ECS_HANDSON_BENCH_RESULT';
/** Environment variable: ms a step may take before it counts as an error (default 900 000). */
export const STEP_TIMEOUT_ENV = 'ECS_HANDSON_BENCH_STEP_TIMEOUT';
/** Environment variable: ms the scripted user pauses before each step after the first (reading; not in the step times). */
export const PAUSE_ENV = 'ECS_HANDSON_BENCH_PAUSE';
/** Environment variable: the driver also runs the check itself every this many ms while it waits (an experiment: what a shorter CHECK_INTERVAL_MS would give). */
export const POLL_ENV = 'ECS_HANDSON_BENCH_POLL';
/** Environment variable: "1" = in kill-container the user also clicks "Use shorter health checks" before killing a task again, as the step's text suggests (the e2e test does not). */
export const FAST_HEALTH_CHECK_ENV = 'ECS_HANDSON_BENCH_FAST_HEALTH_CHECK';
/** Environment variable: run only the steps up to and including this one (debugging). */
export const LAST_STEP_ENV = 'ECS_HANDSON_BENCH_LAST_STEP';

/** The article's sections, for subtotals (step ids in walkthrough order). */
export const SECTIONS: { title: string; steps: StepId[] }[] = [
  { title: '1 Preparation', steps: ['prepare-image', 'construction-order'] },
  { title: '2 Build', steps: ['create-cluster', 'task-definition', 'load-balancer', 'create-service'] },
  { title: '3 Self-healing', steps: ['kill-container'] },
  { title: '4 Release', steps: ['release'] },
  { title: '5 Blue/Green', steps: ['bluegreen-port-conflict', 'bluegreen-four-instances', 'bluegreen-dynamic-ports'] },
  { title: '6 Auto scaling', steps: ['autoscaling-service', 'autoscaling-cluster', 'autoscaling-run'] },
  { title: '7 Clean up', steps: ['cleanup'] },
];

export interface ActionTiming {
  action: string;
  /** ms after the step started. */
  atMs: number;
  ms: number;
  ok: boolean;
  message?: string;
}

/** A change in the step's check (status or an item turning ok / not ok), as the panel saw it. */
export interface Milestone {
  /** ms after the step started (when the check that saw it started). */
  atMs: number;
  /** Sandbox ms after the step started (the sandbox clock sampled at the step's start). */
  sandboxMs?: number;
  text: string;
}

export interface StepResult {
  step: StepId;
  /** Wall ms from selecting the step to the first passing check. */
  wallMs: number;
  /** The sandbox clock's advance over the same span (from /_sandbox/status). */
  sandboxMs?: number;
  /** Live checks of this step during the span (the panel's own timer, plus the driver's fallback ones). */
  polls: number;
  /** Of these, the ones the driver ran because the panel's timer had not (webview hidden / not ready). */
  driverPolls: number;
  /** Sum of the checks' durations (snapshot API calls). */
  checkMs: number;
  /** ms between the end of the last failing check and the start of the passing one (the poll gap). */
  lastGapMs?: number;
  actions: ActionTiming[];
  milestones: Milestone[];
  /** What the sandbox recorded during the step (service events, scaling activities, alarm changes), sandbox ms after the step started. */
  sandboxEvents?: { sandboxMs: number; text: string }[];
  status: 'pass' | 'timeout' | 'error';
  lastDetail?: string;
  lastItems?: { label: string; ok: boolean }[];
  error?: string;
}

export interface BenchResult {
  startedAt: string;
  /** Sandbox time scale at the start and at the end (must both be the default, 10). */
  timeScale?: number;
  timeScaleEnd?: number;
  /** ms from the driver's start to the sandbox answering (activation, panel, sandbox start). */
  setupMs: number;
  /** Whether the webview announced itself (`ready`) so that the panel polls on its own. */
  webviewReady: boolean;
  /** The pause before each step after the first (PAUSE_ENV), ms. */
  pauseMs: number;
  /** The driver's own polling interval while waiting (POLL_ENV), ms; 0 = only the panel's timer. */
  pollMs?: number;
  /** Whether kill-container applied the fast health-check preset (FAST_HEALTH_CHECK_ENV). */
  fastHealthCheck?: boolean;
  steps: StepResult[];
  done: boolean;
  error?: string;
}
