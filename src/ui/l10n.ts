/** The UI's translation function: `vscode.l10n.t` with the core's `Translate` signature (one definition for every file of src/ui). */
import * as vscode from 'vscode';
import type { Translate } from '../core/l10n';

export const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);
