// Bundles what the extension ships into dist/: the extension host code, the AWS layer (loaded on
// first use), the sandbox server CLI, the demo task app, the load-test child process and the two
// webviews (their CSS and fonts copied next to them). `--production` minifies and drops the source
// maps; `--watch` rebuilds on change. esbuild does not type-check: `npm run typecheck` does
// (`vscode:prepublish` runs it before the production bundle).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // Drop the code the bundle never calls (most of each SDK client package).
  treeShaking: true,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  // The extension: vscode is provided by the editor.
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The AWS layer (SDK clients), loaded on first use so that activation loads no SDK code.
  { ...common, entryPoints: { aws: 'src/aws/index.ts' }, outdir: 'dist' },
  // The sandbox server (CLI `ecs-handson-sandbox`, also forked by the extension).
  { ...common, entryPoints: { sandbox: 'src/sandbox/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // One process per running task: the built-in demo images.
  { ...common, entryPoints: { 'demo-app': 'src/sandbox/runtime/demo-app.ts' }, outdir: 'dist' },
  // The load-test child process (autocannon), forked by src/ui/loadtest/runner.ts.
  { ...common, entryPoints: { loadtest: 'src/ui/loadtest/child.ts' }, outdir: 'dist' },
];

// The webviews (browser, their own tsconfig: webview/tsconfig.json): the walkthrough and the rollout view, and their static assets.
const webview = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  entryPoints: { walkthrough: 'webview/src/main.ts', rollout: 'webview/src/rollout.ts' },
  outdir: 'dist/webview',
};
builds.push(webview);
const { mkdirSync, copyFileSync } = await import('node:fs');
mkdirSync('dist/webview', { recursive: true });
for (const [from, to] of [
  ['node_modules/@vscode/codicons/dist/codicon.css', 'codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
  ['node_modules/uplot/dist/uPlot.min.css', 'uPlot.min.css'],
  ['webview/walkthrough.css', 'walkthrough.css'],
  ['webview/rollout.css', 'rollout.css'],
]) copyFileSync(from, `dist/webview/${to}`);

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
