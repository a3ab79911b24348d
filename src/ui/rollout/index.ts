import type * as vscode from 'vscode';
import type { Services } from '../services';

/** Registers the rollout status bar tracker. (Being built.) */
export function registerRollout(_context: vscode.ExtensionContext, _services: Services): void {}
