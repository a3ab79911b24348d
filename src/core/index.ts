/**
 * The pure core: no `vscode`, no I/O, no SDK runtime (type-only SDK imports). Safe to import at
 * activation.
 */
export * from './l10n';
export * from './format';
export * from './clock';
export * from './validate';
export * from './taskdef-validate';
export * from './revision';
export * from './rollout';
export * from './explain';
export * from './external-url';
export * from './poll';
export * from './managed';
export * from './tree-model';
export * from './tree-diff';
export * from './html';
export * from './webview-protocol';
export * from './rollout-view-messages';
export * from './execution-role';
export * from './taskdef-logs';
