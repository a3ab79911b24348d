import type * as vscode from 'vscode';
import type { Services } from '../services';

/** Registers the ECS explorer tree. (Being built.) */
export function registerExplorer(_context: vscode.ExtensionContext, _services: Services): void {}
