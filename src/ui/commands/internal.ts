/**
 * Internal hooks for tests and benchmarks: ids start with `_ecsHandson.` (core/commands/contract.ts
 * `INTERNAL_COMMAND_IDS`), none is in package.json, and they are all here.
 */
import { defineCommand } from './command';

/** The explorer (`ExplorerApi`: provider, view, refresh, reveal, find). */
export const explorerHook = defineCommand({
  id: '_ecsHandson.explorer',
  title: () => 'Explorer (internal)',
  run: async (ctx) => ctx.parts.explorer,
});

/** What the rollout status bar item and the rollout view show. */
export const rolloutStatusHook = defineCommand({
  id: '_ecsHandson.rollout.status',
  title: () => 'Rollout status (internal)',
  run: async (ctx) => ctx.parts.rollout.status(),
});

/** The walkthrough panel host (created if needed). */
export const walkthroughPanelHook = defineCommand({
  id: '_ecsHandson.walkthrough.panel',
  title: () => 'Walkthrough panel (internal)',
  run: async (ctx) => ctx.parts.walkthrough.panel(),
});

/** Forgets the hands-on's progress on this connection (tests start from a clean walkthrough). */
export const walkthroughResetHook = defineCommand({
  id: '_ecsHandson.walkthrough.reset',
  title: () => 'Reset the walkthrough (internal)',
  run: (ctx) => ctx.parts.walkthrough.reset(),
});
