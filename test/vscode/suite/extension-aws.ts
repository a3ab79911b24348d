/**
 * For the suites that talk to AWS beside the extension: the very SDK module the extension loads
 * (dist/aws.js, so clients and command classes match its own), and the AWS CLI they paste into.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';

export type AwsModule = typeof import('../../../src/aws');

/** The extension's own dist/aws.js (found at run time, outside the test bundle). */
export function extensionAws(ext: vscode.Extension<unknown>): AwsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file the extension loads, found at run time
  return require(path.join(ext.extensionPath, 'dist', 'aws.js')) as AwsModule;
}

/** Debian's AWS CLI (scripts/setup.sh installs awscli): a suite that runs it fails without it, never skips. */
export function requireAwsCli(): void {
  const found = existsSync('/usr/bin/aws') || (process.env.PATH ?? '').split(path.delimiter).some((d) => d && existsSync(path.join(d, 'aws')));
  if (!found) throw new Error('the AWS CLI is not installed (apt-get install awscli; scripts/setup.sh does it): the AWS CLI tests cannot run');
}
