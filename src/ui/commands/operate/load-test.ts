/**
 * `ecsHandson.loadTest.run`: the article's
 * `ab -n 100000 -c 100 http://<endpoint>/app/loginForm`, with autocannon in a child process.
 * A progress notification shows requests done / total and the current rate, with a cancel button;
 * at the end a summary (requests/s, latency p50 / p99, status codes incl. non-2xx, errors) goes
 * to the output channel and a notification.
 *
 * Arguments (`LoadTestArgs`):
 *   { url?: string (default: the load balancer's URL + /app/loginForm), amount?: number (100000)
 *     or durationSec?: number, connections?: number (100), timeoutSec?: number,
 *     wait?: boolean (default true: resolve with the summary; false: return { started: true } at once) }
 * Returns the `LoadTestSummary` (or { started, options }) or `{ error, code }`.
 * The walkthrough uses `loadTests(services)` (src/ui/loadtest) for start / stop / progress events;
 * `ecsHandson.loadTest.stop` (stop-load-test.ts) ends a running test.
 */
import * as vscode from 'vscode';
import type { ArgReader } from '../../../core/commands/args';
import type { LoadTestArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { loadBalancerArnOfListener } from '../../../core/format';
import { t } from '../../l10n';
import type { UiContext } from '../../ui-context';
import { LoadTestBusyError, loadTests } from '../../loadtest';
import { formatProgress, formatSummary, parseAmountOrDuration, progressPercent, shortSummary, validateLoadTestOptions, validUrl, type LoadTestOptions, type LoadTestSummary } from '../../loadtest/summary';
import { defineCommand, type CommandContext } from '../command';
import { defaultLoadBalancer, loadBalancerUrl } from './urls';
import { joinPath } from './open-task';

const DEFAULTS = { amount: 100_000, connections: 100 } as const;

/** The default target: the load balancer's URL + /app/loginForm (undefined when there is none). */
async function defaultUrl(s: UiContext, loadBalancerArn?: string): Promise<string | undefined> {
  const c = await s.clientsOrFail();
  const arn = loadBalancerArn ?? (await defaultLoadBalancer(c).catch(() => undefined));
  if (!arn) return undefined;
  const found = await loadBalancerUrl(s, c, arn);
  // A Node process may not resolve *.localhost: prefer the sandbox's 127.0.0.1 URL.
  return found ? joinPath(found.localUrl ?? found.url, '/app/loginForm') : undefined;
}

/** Runs with a progress notification (none when `quiet`: the walkthrough shows the load itself); resolves with the summary. */
function runWithProgress(s: UiContext, options: LoadTestOptions, quiet = false): { result: Promise<LoadTestSummary> } {
  const runner = loadTests(s);
  const run = runner.start(options);
  s.log.info(`load test: ${options.url} ${options.amount ? `${options.amount} requests` : `${options.durationSec} s`}, ${options.connections} connections`);
  if (!quiet) void vscode.window.withProgress(
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
      if (!quiet) void vscode.window.showInformationMessage(shortSummary(summary, t), show).then((c) => c === show && s.log.show(true));
      return summary;
    },
    (e: unknown) => {
      s.log.error(`load test failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!quiet) void vscode.window.showErrorMessage(t('The load test failed: {0}', e instanceof Error ? e.message : String(e)));
      throw e;
    },
  );
  return { result };
}

const BUSY = () => t('A load test is already running. Stop it first (ECS Hands-on: Stop Load Test).');

/** What to run: the options (`url` absent: the default load balancer's), and whether to wait for the summary. */
interface Draft {
  options: Omit<LoadTestOptions, 'url'> & { url?: string };
  wait: boolean;
  /** From a load balancer or listener row: that load balancer's URL is the suggestion. */
  loadBalancerArn?: string;
}

function fromArgs(r: ArgReader<LoadTestArgs>): Draft {
  const amount = r.value('amount') as number | undefined;
  const durationSec = r.value('durationSec') as number | undefined;
  const timeoutSec = r.value('timeoutSec') as number | undefined;
  return {
    wait: r.value('wait') !== false,
    options: {
      url: r.value('url') as string | undefined,
      connections: (r.value('connections') as number | undefined) ?? DEFAULTS.connections,
      ...(amount !== undefined ? { amount } : durationSec !== undefined ? { durationSec } : { amount: DEFAULTS.amount }),
      ...(timeoutSec !== undefined ? { timeoutSec } : {}),
    },
  };
}

/** URL, amount (or duration) and connections, the URL suggested from the row's (or the hands-on's) load balancer. */
async function ask(ctx: CommandContext, d: Draft): Promise<Draft | undefined> {
  let suggestion = d.options.url;
  if (!suggestion) {
    try {
      suggestion = await defaultUrl(ctx.services, d.loadBalancerArn);
    } catch {
      suggestion = undefined;
    }
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
    value: d.options.durationSec !== undefined ? `${d.options.durationSec}s` : String(d.options.amount ?? DEFAULTS.amount),
    validateInput: (v) => (parseAmountOrDuration(v) ? undefined : t('Enter a number of requests (e.g. 100000) or a duration (e.g. 30s, 2m).')),
  });
  if (!amount) return undefined;
  const connections = await vscode.window.showInputBox({
    title: t('Load test: concurrent connections'),
    value: String(d.options.connections),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : t('Connections must be a whole number between {0} and {1}.', 1, 1000)),
  });
  if (!connections) return undefined;
  return { ...d, options: { url: url.trim(), connections: Number(connections), ...parseAmountOrDuration(amount)! } };
}

async function run(ctx: CommandContext, d: Draft): Promise<LoadTestSummary | { started: true; options: LoadTestOptions }> {
  if (loadTests(ctx.services).running) throw new CommandError(BUSY());
  let url = d.options.url;
  if (url === undefined) {
    url = await defaultUrl(ctx.services);
    if (!url) throw new CommandError(t('There is no load balancer to test. Give "url" (e.g. a task\'s URL).'), 'NotFound', 'url');
  }
  const options: LoadTestOptions = { ...d.options, url };
  const bad = validateLoadTestOptions(options, t);
  if (bad) throw new CommandError(bad);
  let started;
  try {
    started = runWithProgress(ctx.services, options, !!ctx.report);
  } catch (e) {
    if (e instanceof LoadTestBusyError) throw new CommandError(BUSY());
    throw e;
  }
  if (!d.wait) {
    started.result.catch(() => undefined);
    return { started: true, options };
  }
  try {
    return await started.result;
  } catch (e) {
    throw new CommandError(e instanceof Error ? e.message : String(e), 'Failed');
  }
}

export const runLoadTest = defineCommand({
  id: 'ecsHandson.loadTest.run',
  title: () => t('Load test'),
  args: fromArgs,
  row: (node): Draft | undefined => {
    const arn = node.kind === 'listener' && node.resource ? loadBalancerArnOfListener(node.resource) : node.resource;
    return arn ? { options: { connections: DEFAULTS.connections, amount: DEFAULTS.amount }, wait: true, loadBalancerArn: arn } : undefined;
  },
  palette: (): Draft => ({ options: { connections: DEFAULTS.connections, amount: DEFAULTS.amount }, wait: true }),
  ask,
  run,
});
