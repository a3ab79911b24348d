import assert from 'node:assert/strict';
import { escapeHtml, pageDocument } from '../../../src/core/html';
import { computeRollout } from '../../../src/core/rollout';
import {
  accessibilityLabel, byRelevance, renderViewBody, statusText, tooltipMarkdown, type RolloutView,
} from '../../../src/ui/rollout/present';
import { CLUSTER_ARN, rollingSnapshot, T0_MS, tdArn } from '../core/fixtures/ecs';

const ms = (s: number) => T0_MS + s * 1000;
const PORT_EVENT =
  '(service demo-service) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 3f4de1c5-ffdd-4954-af7e-75b4be0c8841) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

const view = (progress: RolloutView['progress'], extra: Partial<RolloutView> = {}): RolloutView => ({
  cluster: CLUSTER_ARN, serviceName: 'demo-service', trackedAt: 1, progress, ...extra,
});

describe('ui/rollout/present', () => {
  const inProgress = computeRollout(rollingSnapshot({ now: 42, primary: { running: 1, pending: 0 }, old: { running: 2, pending: 0 } }), { now: ms(42) });
  const completed = computeRollout(rollingSnapshot({ now: 80, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED', updatedAt: 75 }), { now: ms(80) });
  const failed = computeRollout(
    rollingSnapshot({ now: 80, primary: { running: 0, pending: 0, failed: 3 }, old: { running: 2, pending: 0 }, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
    { now: ms(80) },
  );
  const stuck = computeRollout(
    rollingSnapshot({ now: 400, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 }, events: [{ id: 'p1', at: 390, message: PORT_EVENT }] }),
    { now: ms(400), stuckAfterMs: 60_000, lastChangeAt: ms(0) },
  );

  it('writes the status bar text of each state as the user reads it', () => {
    assert.equal(statusText(view(inProgress)), '$(sync~spin) demo-service demo-app-task:2 1/2 · old 2 · 0:42');
    assert.equal(statusText(view(inProgress), 0, undefined, 61_000), '$(sync~spin) demo-service demo-app-task:2 1/2 · old 2 · 1:01', 'elapsed ticks between polls');
    assert.equal(statusText(view(completed)), '$(check) demo-service demo-app-task:2 deployed');
    assert.equal(statusText(view(failed)), '$(error) demo-service demo-app-task:2 FAILED');
    assert.equal(stuck.state, 'stuck');
    assert.equal(statusText(view(stuck)), '$(warning) demo-service demo-app-task:2 0/2 · old 2 · stuck');
    assert.equal(statusText(view(inProgress), 1), '$(sync~spin) demo-service demo-app-task:2 1/2 · old 2 · 0:42 +1');
    assert.equal(statusText(view(undefined)), '$(sync~spin) demo-service', 'before the first poll');
  });

  it('picks the most relevant rollout: unseen failure, stuck, in progress (newest), completed, seen failure', () => {
    const rs = [
      view(completed, { serviceName: 'a', trackedAt: 5 }),
      view(inProgress, { serviceName: 'b', trackedAt: 1 }),
      view(inProgress, { serviceName: 'c', trackedAt: 2 }),
      view(failed, { serviceName: 'd', trackedAt: 0, seen: true }),
    ];
    assert.deepEqual(byRelevance(rs).map((r) => r.serviceName), ['c', 'b', 'a', 'd']);
    assert.deepEqual(byRelevance([...rs, view(stuck, { serviceName: 'e' })]).map((r) => r.serviceName)[0], 'e');
    assert.deepEqual(byRelevance([...rs, view(stuck, { serviceName: 'e' }), view(failed, { serviceName: 'f' })]).map((r) => r.serviceName)[0], 'f');
  });

  it('tooltip: deployments table, the explaining event of a stuck rollout, other rollouts', () => {
    const md = tooltipMarkdown([view(stuck), view(completed, { serviceName: 'other-service' })]);
    assert.match(md, /\*\*Rollout of demo-service\*\* \(demo-cluster\) — stuck/);
    assert.match(md, /\| Deployment \| Revision \| Rollout \| Running \| Pending \| Failed \|\n\|---\|---\|---\|--:\|--:\|--:\|\n/);
    assert.match(md, /\| PRIMARY \| demo-app-task:2 \| IN\\_PROGRESS \| 0\/2 \| 0 \| 0 \|/);
    assert.match(md, /\| ACTIVE \| demo-app-task:1 \| COMPLETED \| 2\/2 \| 0 \| 0 \|/);
    assert.match(md, /\$\(warning\) No progress for 6:40\./);
    assert.match(md, /\$\(error\) \*\*A host port the new tasks need is already used on every instance, so ECS cannot start them\.\*\*/);
    assert.match(md, /\*ECS said: .*is already using a port required by your task\.\*/);
    assert.doesNotMatch(md, /Troubleshooting section/, 'ECS boilerplate is trimmed');
    assert.match(md, /Also following: other-service \(completed\)/);
    assert.match(md, /Click to show the rollout\./);
  });

  it('accessibility label is a sentence without codicons', () => {
    assert.equal(
      accessibilityLabel(view(inProgress)),
      'ECS rollout of demo-service to demo-app-task:2 in progress: 1 of 2 new tasks running, 2 old tasks running, 0:42 elapsed',
    );
    assert.equal(accessibilityLabel(view(completed), 1), 'ECS rollout of demo-service to demo-app-task:2 completed. 1 more rollouts');
    assert.doesNotMatch(accessibilityLabel(view(stuck)), /\$\(/);
  });

  it('view body: a deployments table with column headers, problems, stopped-task reasons — all escaped', () => {
    const service = rollingSnapshot({ now: 400, updatedAt: 0, primary: { running: 0, pending: 0 }, old: { running: 2, pending: 0 }, events: [
      { id: 'p1', at: 390, message: PORT_EVENT },
      { id: 'x', at: 380, message: '(service demo-service) has started 1 tasks: (task <script>alert(1)</script>).' },
    ] });
    const body = renderViewBody({
      cluster: CLUSTER_ARN, serviceName: 'demo-service', service, progress: stuck, now: ms(400), live: true,
      stoppedTasks: [{
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/demo-cluster/0123456789abcdef0123456789abcdef', taskDefinitionArn: tdArn(2),
        stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', stoppedAt: new Date(ms(300)),
        containers: [{ name: 'demo', exitCode: 1, reason: '<boom & "bang">' }],
      }],
    });
    for (const h of ['Status', 'Revision', 'Rollout state', 'Desired', 'Running', 'Pending', 'Failed', 'Created', 'Updated']) {
      assert.match(body, new RegExp(`<th scope="col"[^>]*>${h}</th>`), h);
    }
    assert.match(body, /<caption class="visually-hidden">Deployments of demo-service<\/caption>/);
    assert.match(body, /<th scope="row">PRIMARY<div class="sub nowrap">ecs-svc\/2222222222222222222<\/div><\/th><td class="nowrap">demo-app-task:2<\/td>/);
    assert.match(body, /is already using a port required by your task\./);
    assert.doesNotMatch(body, /has started 1 tasks/, 'only failure-related events are listed');
    assert.match(body, /<th scope="row" title="[^"]+">01234567<\/th><td class="nowrap">demo-app-task:2<\/td><td>EssentialContainerExited<\/td><td>Essential container in task exited<\/td><td>demo: exit code 1: &lt;boom &amp; &quot;bang&quot;&gt;<\/td><td class="nowrap">1 min ago<\/td>/);
    assert.doesNotMatch(body, /<boom/);
    assert.match(body, /Refreshing while the rollout runs\./);
  });

  it('webview page: strict CSP with a nonce, only the given local assets, escaped text', () => {
    const html = pageDocument({
      cspSource: 'vscode-webview://abc', nonce: 'N0nce', lang: 'en', title: 'Rollout: <x>',
      styles: ['vscode-webview://abc/dist/webview/rollout.css'], scripts: ['vscode-webview://abc/dist/webview/rollout.js'], role: 'main',
    });
    assert.match(html, /content="default-src 'none'; script-src 'nonce-N0nce'; style-src vscode-webview:\/\/abc 'nonce-N0nce'; img-src vscode-webview:\/\/abc data:; font-src vscode-webview:\/\/abc"/);
    assert.match(html, /<script nonce="N0nce" type="module" src="vscode-webview:\/\/abc\/dist\/webview\/rollout.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /<style/, 'no inline styles');
    assert.match(html, /<link rel="stylesheet" href="vscode-webview:\/\/abc\/dist\/webview\/rollout.css">/);
    assert.match(html, /<title>Rollout: &lt;x&gt;<\/title>/);
    assert.match(html, /<div id="app" role="main" aria-busy="true">/);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
