/**
 * Loads the AWS layer (the SDK clients) on first use. It is bundled separately (dist/aws.js) so
 * that activating the extension loads no SDK code.
 */
import * as path from 'node:path';

export type AwsModule = typeof import('../aws');

let cached: AwsModule | undefined;

export function loadAws(): AwsModule {
  if (!cached) {
    // A computed path keeps esbuild from inlining the SDK into dist/extension.js.
    const file = path.join(__dirname, 'aws.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load of a file chosen at run time
    cached = require(file) as AwsModule;
  }
  return cached;
}
