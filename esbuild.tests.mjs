// Bundles the extension-host test suite: test/vscode/index.ts and test/vscode/suite/**/*.test.ts
// -> out/test/vscode/index.js, out/test/vscode/suite/**/*.test.js (CommonJS, node20).
// `vscode` is provided by the editor; `mocha` is loaded from node_modules at run time.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = 'test/vscode';
const suites = fs
  .readdirSync(path.join(root, 'suite'), { recursive: true })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join(root, 'suite', f));

fs.rmSync('out/test/vscode', { recursive: true, force: true });
await esbuild.build({
  entryPoints: [path.join(root, 'index.ts'), ...suites],
  outdir: 'out/test/vscode',
  outbase: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`esbuild.tests: out/test/vscode/index.js + ${suites.length} suite file(s)`);
