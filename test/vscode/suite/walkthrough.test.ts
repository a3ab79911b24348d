/**
 * The walkthrough panel in a real extension host: the command opens the webview panel; the host
 * validates and answers messages as the webview would send them; progress persists per connection
 * in globalState (a new host reads it back) and reset clears it; a live check reads the sandbox.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../src/core/walkthrough/messages';
import type { UiContext } from '../../../src/ui/ui-context';
import { WalkthroughPanel, WalkthroughPanel as Host } from '../../../src/ui/walkthrough/panel';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function walkthroughTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('ecsHandson.walkthrough'));
}

describe('walkthrough panel', function () {
  this.timeout(120_000);
  let services: UiContext;
  let host: WalkthroughPanel;

  const replies = (id: number) => host.posted.filter((m): m is Extract<HostMessage, { kind: 'reply' }> => m.kind === 'reply' && m.id === id);
  const lastState = () => [...host.posted].reverse().find((m): m is Extract<HostMessage, { kind: 'state' }> => m.kind === 'state')?.state;

  before(async () => {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
  });

  after(async () => {
    await vscode.commands.executeCommand('_ecsHandson.walkthrough.reset');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the panel from its command, at a given step', async () => {
    assert.equal(await vscode.commands.executeCommand('ecsHandson.walkthrough.open', 'kill-container'), true);
    host = (await vscode.commands.executeCommand<WalkthroughPanel>('_ecsHandson.walkthrough.panel'))!;
    assert.ok(host.isOpen);
    assert.equal(host.currentStep, 'kill-container');
    for (let i = 0; i < 50 && !walkthroughTab(); i++) await sleep(100);
    const tab = walkthroughTab();
    assert.ok(tab, 'a walkthrough tab');
    // Not "ECS Hands-on Walkthrough" beside the Welcome page's "Walkthrough: ECS Hands-on: …": the step it shows.
    assert.equal(tab.label, vscode.l10n.t('Hands-on step {0}: {1}', 6, host.viewState().current.content.title));
    assert.doesNotMatch(tab.label, /Walkthrough|ウォークスルー/);
  });

  it('answers ready with the whole view state (15 steps, texts, inputs with the article values)', async () => {
    await host.handleMessage({ kind: 'ready' });
    const state = lastState();
    assert.ok(state);
    assert.equal(state.steps.length, 15);
    assert.equal(state.current.id, 'kill-container');
    assert.ok(state.current.content.title.length > 0);
    assert.deepEqual(state.current.missing.map((m) => m.id), ['create-service'], 'kill-container needs create-service');
    assert.deepEqual(state.current.inputs.map((i) => [i.key, i.value]), [['cluster', 'demo-cluster'], ['service', 'demo-service'], ['loadBalancer', 'app-demo-lb']]);
    assert.equal(state.current.visual, 'probe');
  });

  it('rejects malformed messages without acting, and says why when it can', async () => {
    const before = JSON.stringify(host.progressSnapshot);
    const bad: unknown[] = [
      null,
      'ready',
      { kind: 'ready', extra: 1 },
      { kind: 'request', id: 900, method: 'selectStep', params: { step: 'no-such-step' } },
      { kind: 'request', id: 901, method: 'runCommand', params: { command: 'workbench.action.quit' } },
      { kind: 'request', id: 902, method: 'runAction', params: { step: 'create-cluster', action: 'create', inputs: { cluster: 'x'.repeat(10_000) } } },
      { kind: 'request', id: 903, method: 'openExternal', params: { url: 'file:///etc/passwd' } },
      { kind: 'request', id: 904, method: 'reset', params: { all: true } },
    ];
    for (const m of bad) await host.handleMessage(m);
    assert.equal(JSON.stringify(host.progressSnapshot), before, 'nothing changed');
    assert.equal(host.currentStep, 'kill-container');
    for (const id of [900, 901, 902, 903, 904]) {
      const r = replies(id);
      assert.equal(r.length, 1, `one reply to ${id}`);
      assert.equal(r[0].ok, false);
    }
    assert.match((replies(900)[0] as { error: string }).error, /unknown step/);
    assert.match((replies(902)[0] as { error: string }).error, /too long/);
  });

  it('selectStep and setInputs: replies by id, validation errors come back per field', async () => {
    await host.handleMessage({ kind: 'request', id: 1, method: 'selectStep', params: { step: 'create-cluster' } });
    assert.deepEqual(replies(1)[0], { kind: 'reply', id: 1, ok: true, result: null });
    assert.equal(host.currentStep, 'create-cluster');
    await host.handleMessage({ kind: 'request', id: 2, method: 'setInputs', params: { step: 'create-cluster', inputs: { cluster: 'my cluster', count: 3 } } });
    const r = replies(2)[0] as { ok: true; result: { errors: Record<string, string> } };
    assert.ok(r.result.errors.cluster, 'the bad name is reported');
    assert.ok(!r.result.errors.count);
    assert.equal(host.progressSnapshot.steps['create-cluster']?.inputs?.count, 3, 'the valid value is kept');
    await host.handleMessage({ kind: 'request', id: 3, method: 'runAction', params: { step: 'create-cluster', action: 'create', inputs: { cluster: 'my cluster' } } });
    const run = replies(3)[0] as { ok: true; result: { ok: boolean; errors?: Record<string, string> } };
    assert.equal(run.result.ok, false, 'no command runs with invalid inputs');
    assert.ok(run.result.errors?.cluster);
  });

  it('acknowledging a read-only step ticks it; the progress persists in globalState and a new host reads it', async () => {
    await host.handleMessage({ kind: 'request', id: 4, method: 'runAction', params: { step: 'prepare-image', action: 'acknowledge', inputs: {} } });
    assert.equal((replies(4)[0] as { result: { ok: boolean } }).result.ok, true);
    assert.equal(host.progressSnapshot.steps['prepare-image']?.done, true);
    assert.equal(host.currentStep, 'create-cluster', 'acknowledging another step than the current one does not move');
    // "Got it — continue" on the step shown: done, and on to the next step.
    await host.handleMessage({ kind: 'request', id: 40, method: 'selectStep', params: { step: 'construction-order' } });
    await host.handleMessage({ kind: 'request', id: 41, method: 'runAction', params: { step: 'construction-order', action: 'acknowledge', inputs: {} } });
    assert.equal(host.progressSnapshot.steps['construction-order']?.done, true);
    assert.equal(host.currentStep, 'create-cluster', 'moved on to the next step');
    assert.equal(walkthroughTab()?.label, vscode.l10n.t('Hands-on step {0}: {1}', 2, host.viewState().current.content.title), 'the tab names the new step');
    // The host awaited its write; globalState may still apply the workbench's echo of an
    // earlier write for a moment (VS Code replaces its copy with each echo), so allow 2 s.
    const storedEntry = () => {
      const stored = services.context.globalState.get<Record<string, { steps: Record<string, { done: boolean } | undefined> }>>('ecsHandson.walkthrough.progress');
      return Object.entries(stored ?? {}).find(([k]) => k.startsWith('sandbox:'));
    };
    for (let i = 0; i < 20 && !storedEntry()?.[1].steps['prepare-image']?.done; i++) await sleep(100);
    const entry = storedEntry();
    assert.ok(entry, 'stored under the sandbox connection');
    assert.equal(entry[1].steps['prepare-image']?.done, true);
    const fresh = new Host(services);
    try {
      assert.equal(fresh.progressSnapshot.steps['prepare-image']?.done, true, 'a reloaded host has the progress');
      assert.equal(fresh.viewState().completed, 2);
    } finally {
      fresh.dispose();
    }
    const state = host.viewState();
    assert.equal(state.steps.find((x) => x.id === 'prepare-image')?.done, true);
  });

  it('a command run from the panel reports its progress and result in the panel (not in notifications)', async () => {
    const family = `wt-quiet-${Date.now().toString(36)}`;
    const before = host.posted.length;
    await host.handleMessage({ kind: 'request', id: 50, method: 'selectStep', params: { step: 'task-definition' } });
    await host.handleMessage({ kind: 'request', id: 51, method: 'runAction', params: { step: 'task-definition', action: 'register', inputs: { family } } });
    const r = replies(51)[0] as { ok: true; result: { ok: boolean; message?: string } };
    assert.equal(r.result.ok, true, JSON.stringify(r));
    assert.equal(
      r.result.message,
      `${vscode.l10n.t('Registered {0}:{1}.', family, 1)} ${vscode.l10n.t('Created log group {0} in CloudWatch Logs: the container logs go there (Show Logs on a task or service).', `/ecs/${family}`)}`,
      'the result the command used to show as a notification',
    );
    const shown = host.posted.slice(before).flatMap((m) => (m.kind === 'state' && m.state.current.runningText ? [m.state.current.runningText] : []));
    assert.ok(shown.includes(vscode.l10n.t('Register task definition')), `the command's progress is shown in the panel: ${JSON.stringify(shown)}`);
    assert.equal(lastState()?.current.runningText, undefined, 'and cleared when it finished');
    await vscode.commands.executeCommand('ecsHandson.taskDefinition.deregister', { taskDefinition: `${family}:1` });
  });

  it('a live check reads the sandbox: no cluster named wt-nothing → not done, with what is missing', async () => {
    await host.handleMessage({ kind: 'request', id: 5, method: 'setInputs', params: { step: 'create-cluster', inputs: { cluster: 'wt-nothing' } } });
    await host.handleMessage({ kind: 'request', id: 6, method: 'check', params: { step: 'create-cluster' } });
    const r = replies(6)[0] as { ok: boolean; result: { status: string; detail: string } };
    assert.equal(r.ok, true);
    assert.equal(r.result.status, 'fail');
    assert.match(r.result.detail, /wt-nothing/);
    assert.equal(host.progressSnapshot.steps['create-cluster']?.done, false);
  });

  it('reset clears the progress of the connection', async () => {
    await host.handleMessage({ kind: 'request', id: 7, method: 'reset', params: {} });
    assert.equal(replies(7)[0].ok, true);
    assert.equal(host.progressSnapshot.steps['prepare-image'], undefined);
    assert.equal(host.viewState().completed, 0);
    assert.equal(host.currentStep, 'prepare-image');
  });
});
