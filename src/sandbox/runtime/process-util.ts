/** Small helpers of ProcessRuntime: where the demo app is, exit codes, log capture. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Node flags that keep a task process small (~40 MB RSS, most of it shared). */
export const SMALL_HEAP = ['--max-old-space-size=32', '--max-semi-space-size=2'];

/** Docker's exit code for a process: its code, or 128 + the signal number. */
export function dockerExitCode(code: number | null, signal: NodeJS.Signals | null): number | null {
  if (code !== null) return code;
  if (signal && os.constants.signals[signal] !== undefined) return 128 + os.constants.signals[signal];
  return null;
}

export function defaultApp(): { appPath: string; tsx: boolean } {
  const bundled = path.join(__dirname, 'demo-app.js');
  if (fs.existsSync(bundled)) return { appPath: bundled, tsx: false };
  return { appPath: path.join(__dirname, 'demo-app.ts'), tsx: true };
}

export function tsxImport(): string {
  try {
    return pathToFileURL(require.resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}

/** Appends each line of `stream` to `lines`, keeping the last `max`, and hands it to `onLine`. */
export function captureLines(stream: NodeJS.ReadableStream | null, lines: string[], max: number, onLine?: (line: string) => void): void {
  if (!stream) return;
  let partial = '';
  const trim = () => {
    if (lines.length > max) lines.splice(0, lines.length - max);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      const line = l.endsWith('\r') ? l.slice(0, -1) : l;
      lines.push(line);
      onLine?.(line);
    }
    trim();
  });
  stream.on('end', () => {
    if (partial) {
      lines.push(partial);
      onLine?.(partial);
    }
    trim();
  });
}
