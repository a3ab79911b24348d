/**
 * `ecsHandson.loadTest.run` / `ecsHandson.loadTest.stop`: the article's
 * `ab -n 100000 -c 100 http://<endpoint>/app/loginForm`, with autocannon in a child process.
 * A progress notification shows requests done / total and the current rate, with a cancel button;
 * at the end a summary (requests/s, latency p50 / p99, status codes incl. non-2xx, errors) goes
 * to the output channel and a notification.
 *
 * Arguments of run (non-interactive):
 *   { url?: string (default: the load balancer's URL + /app/loginForm), amount?: number (100000)
 *     or durationSec?: number, connections?: number (100), timeoutSec?: number,
 *     wait?: boolean (default true: resolve with the summary; false: return { started: true } at once) }
 * Returns the `LoadTestSummary` (or { started, options }) or `{ error, code }`.
 * The walkthrough uses `loadTests(services)` (src/ui/loadtest) for start / stop / progress events.
 * stop returns { stopped: boolean }.
 */
import * as vscode from 'vscode';
import type { Services } from '../../services';
import { LoadTestBusyError, loadTests } from '../../loadtest';
import { formatProgress, formatSummary, parseAmountOrDuration, progressPercent, shortSummary, validateLoadTestOptions, validUrl, type LoadTestOptions, type LoadTestSummary } from '../../loadtest/summary';
import type { Command } from '../types';
import { argObject, invalid, isTreeNode, refused, t } from './common';
import { defaultLoadBalancer, loadBalancerUrl } from './urls';
import { joinPath } from './open-task';

export interface LoadTestArgs extends Partial<LoadTestOptions> {
  wait?: boolean;
}

const DEFAULTS = { amount: 100_000, connections: 100 } as const;

/** The default target: the load balancer's URL + /app/loginForm (undefined when there is none). */
async function defaultUrl(s: Services, loadBalancerArn?: string): Promise<string | undefined> {
  const c = await s.clientsOrFail();
  const arn = loadBalancerArn ?? (await defaultLoadBalancer(c).catch(() => undefined));
  if (!arn) return undefined;
  const found = await loadBalancerUrl(s, c, arn);
  // A Node process may not resolve *.localhost: prefer the sandbox's 127.0.0.1 URL.
  return found ? joinPath(found.localUrl ?? found.url, '/app/loginForm') : undefined;
}

/** Runs with a progress notification; resolves with the summary. */
function runWithProgress(s: Services, options: LoadTestOptions): { result: Promise<LoadTestSummary> } {
  const runner = loadTests(s);
  const run = runner.start(options);
  s.log.info(`load test: ${options.url} ${options.amount ? `${options.amount} requests` : `${options.durationSec} s`}, ${options.connections} connections`);
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Load test'), cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => runner.stop());
      let last = 0;
      const sub = runner.onProgress((p) => {
        const pct = progressPercent(p);
        progress.report({ message: formatProgress(p, t), increment: Math.max(0, pct - last) });
        last = Math.max(last, pct);
      });
      try {
        await run.result;
      } catch {
        // reported below
      } finally {
        sub.dispose();
      }
    },
  );
  const result = run.result.then(
    (summary) => {
      for (const line of formatSummary(summary, t)) s.log.info(line);
      const show = t('Show Log');
      void vscode.window.showInformationMessage(shortSummary(summary, t), show).then((c) => c === show && s.log.show(true));
      return summary;
    },
    (e: unknown) => {
      s.log.error(`load test failed: ${e instanceof Error ? e.message : String(e)}`);
      void vscode.window.showErrorMessage(t('The load test failed: {0}', e instanceof Error ? e.message : String(e)));
      throw e;
    },
  );
  return { result };
}

export const runLoadTest: Command = {
  id: 'ecsHandson.loadTest.run',
  run: async (s, arg) => {
    const a = argObject<LoadTestArgs>(arg);
    if (loadTests(s).running) return invalid(t('A load test is already running. Stop it first (ECS Hands-on: Stop Load Test).'));
    let options: LoadTestOptions;
    let wait = true;
    if (a) {
      wait = a.wait !== false;
      let url = a.url;
      if (url === undefined) {
        try {
          url = await defaultUrl(s);
        } catch (e) {
          return refused(s, e, t('Load test'));
        }
        if (!url) return invalid(t('There is no load balancer to test. Give "url" (e.g. a task\'s URL).'));
      }
      options = {
        url,
        connections: a.connections ?? DEFAULTS.connections,
        ...(a.amount !== undefined ? { amount: a.amount } : a.durationSec !== undefined ? { durationSec: a.durationSec } : { amount: DEFAULTS.amount }),
        ...(a.timeoutSec !== undefined ? { timeoutSec: a.timeoutSec } : {}),
      };
      const bad = validateLoadTestOptions(options, t);
      if (bad) return invalid(bad);
    } else {
      const lbArn = isTreeNode(arg) ? (arg.kind === 'loadBalancer' ? arg.resource : arg.kind === 'listener' && arg.resource ? arg.resource.replace(':listener/', ':loadbalancer/').split('/').slice(0, 4).join('/') : undefined) : undefined;
      let suggestion: string | undefined;
      try {
        suggestion = await defaultUrl(s, lbArn);
      } catch {
        suggestion = undefined;
      }
      const url = await vscode.window.showInputBox({
        title: t('Load test: URL'),
        prompt: t('The hands-on runs ab -n 100000 -c 100 against <load balancer>/app/loginForm.'),
        value: suggestion ?? 'http://',
        validateInput: (v) => (validUrl(v.trim()) ? undefined : t('Enter an http:// or https:// URL, e.g. http://localhost/app/loginForm.')),
      });
      if (!url) return undefined;
      const amount = await vscode.window.showInputBox({
        title: t('Load test: total requests, or a duration such as 30s or 2m'),
        value: String(DEFAULTS.amount),
        validateInput: (v) => (parseAmountOrDuration(v) ? undefined : t('Enter a number of requests (e.g. 100000) or a duration (e.g. 30s, 2m).')),
      });
      if (!amount) return undefined;
      const connections = await vscode.window.showInputBox({
        title: t('Load test: concurrent connections'),
        value: String(DEFAULTS.connections),
        validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : t('Connections must be a whole number between {0} and {1}.', 1, 1000)),
      });
      if (!connections) return undefined;
      options = { url: url.trim(), connections: Number(connections), ...parseAmountOrDuration(amount)! };
      const bad = validateLoadTestOptions(options, t);
      if (bad) return invalid(bad);
    }
    let run;
    try {
      run = runWithProgress(s, options);
    } catch (e) {
      if (e instanceof LoadTestBusyError) return invalid(t('A load test is already running. Stop it first (ECS Hands-on: Stop Load Test).'));
      throw e;
    }
    if (!wait) {
      run.result.catch(() => undefined);
      return { started: true, options };
    }
    try {
      return await run.result;
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e), code: 'LoadTestFailed' };
    }
  },
};

export const stopLoadTest: Command = {
  id: 'ecsHandson.loadTest.stop',
  run: (s) => {
    const stopped = loadTests(s).stop();
    if (!stopped) void vscode.window.showInformationMessage(t('No load test is running.'));
    return { stopped };
  },
};
