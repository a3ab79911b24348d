/**
 * The command contract (src/core/commands/contract.ts) against the manifest and the sources: every
 * command of package.json has an id in the contract and the other way round; internal hooks follow
 * one naming rule and stay out of the manifest; a context menu shows a command only on rows it can
 * read; and every command is registered from the one table.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { COMMAND_IDS, COMMAND_ROWS, INTERNAL_COMMAND_IDS, VIEW_TITLE_COMMANDS, isLostRow } from '../../../src/core/commands/contract';
import type { NodeKind } from '../../../src/core/tree-types';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string; when?: string }>> };
};

/** Every row kind, with a context value as the tree model writes it (src/core/tree-*.ts). */
const ROW_CONTEXT_VALUES: Array<[NodeKind, string]> = [
  ['cluster', 'ecsHandson.cluster.active'],
  ['service', 'ecsHandson.service.active'],
  ['service', 'ecsHandson.service.active.deploying'],
  ['deployment', 'ecsHandson.deployment.primary'],
  ['task', 'ecsHandson.task.running'],
  ['task', 'ecsHandson.task.pending'],
  ['serviceEvent', 'ecsHandson.serviceEvent'],
  ['containerInstance', 'ecsHandson.containerInstance.active'],
  ['taskDefinitionFamily', 'ecsHandson.taskDefinitionFamily'],
  ['taskDefinitionRevision', 'ecsHandson.taskDefinitionRevision.active'],
  ['loadBalancer', 'ecsHandson.loadBalancer.active'],
  ['listener', 'ecsHandson.listener'],
  ['targetGroup', 'ecsHandson.targetGroup'],
  ['target', 'ecsHandson.target.healthy'],
  ['group', 'ecsHandson.group.services'],
  ['group', 'ecsHandson.group.tasks'],
  ['loadMore', 'ecsHandson.loadMore'],
  ['message', 'ecsHandson.message.error'],
];

describe('commands: the contract', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command);

  it('every command of package.json is in the contract, and every public id of the contract is in package.json', () => {
    const ids = new Set<string>(COMMAND_IDS);
    assert.deepEqual(contributed.filter((id) => !ids.has(id)), [], 'contributed but not in the contract');
    assert.deepEqual(COMMAND_IDS.filter((id) => !INTERNAL_COMMAND_IDS.includes(id) && !contributed.includes(id)), [], 'in the contract but not contributed');
  });

  it('internal hooks: `_ecsHandson.<area>.<what>`, never in package.json; public ids `ecsHandson.…`', () => {
    assert.deepEqual([...INTERNAL_COMMAND_IDS].sort(), ['_ecsHandson.explorer', '_ecsHandson.rollout.status', '_ecsHandson.walkthrough.panel', '_ecsHandson.walkthrough.reset']);
    for (const id of INTERNAL_COMMAND_IDS) assert.ok(!contributed.includes(id), `${id} is contributed`);
    for (const id of COMMAND_IDS) assert.match(id, /^(ecsHandson|_ecsHandson)\.[a-zA-Z]+(\.[a-zA-Z]+)?$/, id);
    for (const id of COMMAND_IDS.filter((x) => !INTERNAL_COMMAND_IDS.includes(x))) assert.ok(!/\._/.test(id), `${id}: an internal-looking part in a public id`);
  });

  it('menus name only known commands', () => {
    const ids = new Set<string>(COMMAND_IDS);
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const e of entries) assert.ok(ids.has(e.command), `${menu}: ${e.command}`);
    }
  });

  it('a row\'s context menu shows a command only on rows the command reads (and on every kind it reads)', () => {
    const shownOn = new Map<string, Set<NodeKind>>();
    for (const e of manifest.contributes.menus['view/item/context'] ?? []) {
      const m = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(e.when ?? '');
      assert.ok(m, `${e.command}: a viewItem regex in "${e.when}"`);
      const re = new RegExp(m[1]);
      for (const [kind, contextValue] of ROW_CONTEXT_VALUES) {
        if (re.test(contextValue)) {
          const rows = COMMAND_ROWS[e.command as keyof typeof COMMAND_ROWS];
          assert.ok(rows.includes(kind), `${e.command} is shown on ${contextValue} rows but does not read ${kind} rows`);
          shownOn.set(e.command, (shownOn.get(e.command) ?? new Set()).add(kind));
        }
      }
    }
    for (const id of COMMAND_IDS) {
      const rows = COMMAND_ROWS[id].filter((k) => k !== 'loadMore' && k !== 'deployment' && k !== 'group');
      // Commands that read rows are shown on them (the load-more row's command is its click; rollout.show reads deployments too).
      for (const kind of rows) {
        if (id === 'ecsHandson.rollout.show' || id === 'ecsHandson.loadMore') continue;
        assert.ok(shownOn.get(id)?.has(kind), `${id} reads ${kind} rows but no menu shows it there`);
      }
    }
  });

  it('the title-bar commands are the ones of package.json\'s view/title menu (they get the focused row and may ignore it)', () => {
    const title = [...new Set((manifest.contributes.menus['view/title'] ?? []).map((e) => e.command))].sort();
    assert.deepEqual([...VIEW_TITLE_COMMANDS].sort(), title);
  });

  it('a context-menu call whose row VS Code no longer knew is told apart from the palette and from argument calls', () => {
    // What the extension host hands a command: a lost row handle becomes undefined, the selection follows.
    assert.equal(isLostRow([undefined, undefined]), true);
    assert.equal(isLostRow([undefined, null]), true);
    // The palette and keybindings pass nothing; the title bar without a focused row passes null.
    assert.equal(isLostRow([]), false);
    assert.equal(isLostRow([null, undefined]), false);
    assert.equal(isLostRow([undefined]), false);
    assert.equal(isLostRow([{ kind: 'task', contextValue: 'ecsHandson.task.running' }, undefined]), false);
    assert.equal(isLostRow([{ cluster: 'c', task: 't' }]), false);
  });

  it('every command is registered from the one table (src/ui/commands/index.ts)', () => {
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
      });
    })(join(root, 'src'));
    const registering = files.filter((f) => /\bregisterCommand\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    assert.deepEqual(registering, [join('src', 'ui', 'commands', 'index.ts')]);
  });
});
