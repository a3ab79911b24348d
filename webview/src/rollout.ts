/**
 * The rollout view's page (src/ui/rollout/view.ts): shows the body the host rendered, and swaps in
 * each new one (the reader's scroll position survives the refreshes). Built to dist/webview/rollout.js.
 */
import type { RolloutViewHostMessage } from '../../src/core/rollout-view-messages';
import { listen, ready } from './bridge';

const root = document.getElementById('app')!;

listen<RolloutViewHostMessage>((m) => {
  if (m.kind !== 'render' || typeof m.body !== 'string') return;
  root.innerHTML = m.body;
  root.removeAttribute('aria-busy');
});
ready();
