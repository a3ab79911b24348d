/**
 * The extension's one load-test runner (created on first use), for the commands and the
 * walkthrough: `loadTests(services).start(options)`, `.stop()`, `.onStart(fn)`, `.onProgress(fn)`
 * (about twice a second: done / total, current req/s, status counts, errors), `.onDone(fn)` (the
 * summary), `.running`. To run with the progress notification and the summary in the output
 * channel, execute `ecsHandson.loadTest.run` with `{ …options, wait: false }` and listen here.
 * The child script is dist/loadtest.js, next to dist/extension.js.
 */
import * as path from 'node:path';
import type { UiContext } from '../ui-context';
import { LoadTestRunner } from './runner';

export { LoadTestRunner, LoadTestBusyError, type LoadTestRun } from './runner';
export type { LoadTestOptions, LoadTestProgress, LoadTestSummary } from './summary';

let runner: LoadTestRunner | undefined;

export function loadTests(services: UiContext): LoadTestRunner {
  if (!runner) {
    const r = new LoadTestRunner({ script: path.join(__dirname, 'loadtest.js') });
    services.context.subscriptions.push({ dispose: () => r.dispose() });
    runner = r;
  }
  return runner;
}
