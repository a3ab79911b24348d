/**
 * The load-test child process (bundled to dist/loadtest.js; forked by runner.ts so that the
 * extension host never generates load itself). Receives `{type:'start', options}` over IPC, runs
 * autocannon, sends `{type:'progress'}` about twice a second and `{type:'done', summary}` at the
 * end; `{type:'stop'}` (or SIGTERM, or the parent going away) ends the run early with a summary.
 */
import { errorKind, summarize, validateLoadTestOptions, type AutocannonResultLike, type ChildMessage, type LoadTestOptions, type ParentMessage } from './summary';

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number) => void): void;
  on(event: 'reqError', fn: (error: unknown) => void): void;
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null, result: AutocannonResultLike) => void) => AutocannonInstance;

const PROGRESS_MS = 500;

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

let instance: AutocannonInstance | undefined;
let stopped = false;
let started = false;

function stop(): void {
  stopped = true;
  if (instance) instance.stop();
  else process.exit(0);
}

function start(options: LoadTestOptions): void {
  if (started) return;
  started = true;
  const bad = validateLoadTestOptions(options);
  if (bad) {
    void send({ type: 'error', message: bad }).then(() => process.exit(2));
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a load test starts
  const autocannon = require('autocannon') as Autocannon;
  const statusCounts: Record<string, number> = {};
  let done = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const t0 = Date.now();
  let lastDone = 0;
  let lastAt = t0;
  const timer = setInterval(() => {
    const now = Date.now();
    const currentRps = ((done - lastDone) * 1000) / Math.max(1, now - lastAt);
    lastDone = done;
    lastAt = now;
    void send({
      type: 'progress',
      progress: { done, total: options.amount, durationSec: options.amount ? undefined : options.durationSec, elapsedMs: now - t0, currentRps, statusCounts: { ...statusCounts }, errors },
    });
  }, PROGRESS_MS);
  try {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationSec }),
        timeout: options.timeoutSec ?? 10,
        // No stdout rendering: the parent shows progress.
        renderProgressBar: false,
        renderResultsTable: false,
        renderLatencyTable: false,
      },
      (err, result) => {
        clearInterval(timer);
        const finish = err ? send({ type: 'error', message: err.message }) : send({ type: 'done', summary: summarize(result, options, stopped, errorKinds) });
        void finish.then(() => process.exit(err ? 1 : 0));
      },
    );
  } catch (e) {
    clearInterval(timer);
    void send({ type: 'error', message: e instanceof Error ? e.message : String(e) }).then(() => process.exit(1));
    return;
  }
  instance.on('response', (_client, statusCode) => {
    done++;
    const key = String(statusCode);
    statusCounts[key] = (statusCounts[key] ?? 0) + 1;
  });
  instance.on('reqError', (e) => {
    errors++;
    const kind = errorKind(e);
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  });
}

process.on('message', (msg: ParentMessage) => {
  if (msg?.type === 'start') start(msg.options);
  else if (msg?.type === 'stop') stop();
});
process.on('SIGTERM', stop);
// The parent (extension host) went away: stop generating load.
process.on('disconnect', stop);
