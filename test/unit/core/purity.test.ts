import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..', '..');

/** The files esbuild pulls in when bundling `entry` (vscode marked external so it shows up as an import). */
async function bundleInputs(entry: string): Promise<{ inputs: string[]; externals: string[] }> {
  const result = await build({
    entryPoints: [join(root, entry)], bundle: true, write: false, platform: 'node', format: 'cjs', metafile: true,
    external: ['vscode'], logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const externals = Object.values(result.metafile.inputs).flatMap((i) => i.imports.filter((x) => x.external).map((x) => x.path));
  return { inputs, externals };
}

describe('core purity (no vscode, no I/O, no SDK runtime)', function () {
  this.timeout(30_000);

  it('bundling src/core pulls in no SDK code, no vscode and no Node I/O module', async () => {
    const { inputs, externals } = await bundleInputs('src/core/index.ts');
    assert.ok(inputs.length > 5);
    assert.deepEqual(inputs.filter((p) => p.includes('node_modules')), []);
    assert.deepEqual(externals.filter((p) => /^(vscode|node:|fs|net|http|https|child_process)/.test(p)), []);
  });

  it('every src/core module is exported from src/core/index.ts', () => {
    const index = readFileSync(join(root, 'src/core/index.ts'), 'utf8');
    const modules = readdirSync(join(root, 'src/core')).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('tree-'));
    for (const m of modules) assert.ok(index.includes(`'./${m.replace(/\.ts$/, '')}'`), m);
  });

  it('src/aws/errors.ts loads without the SDK (the UI may import it eagerly)', async () => {
    const { inputs } = await bundleInputs('src/aws/errors.ts');
    assert.deepEqual(inputs.filter((p) => p.includes('node_modules')), []);
  });

  it('src/aws/sandbox-admin.ts (the admin API client the UI imports eagerly) pulls in no SDK and no sandbox code', async () => {
    const { inputs, externals } = await bundleInputs('src/aws/sandbox-admin.ts');
    assert.deepEqual(inputs.filter((p) => p.includes('node_modules') || p.includes('src/sandbox/')), []);
    assert.ok(!externals.includes('vscode'));
  });

  it('src/aws never imports vscode', async () => {
    const { externals } = await bundleInputs('src/aws/index.ts');
    assert.ok(!externals.includes('vscode'));
  });
});
