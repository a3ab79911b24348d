/** The one registration table of the extension's commands. */
import * as vscode from 'vscode';
import { AlreadyShownError, type Services } from '../services';
import type { Command } from './types';
import { baseCommands } from './base';
import { createCommands } from './create';
import { operateCommands } from './operate';

export const allCommands = (): Command[] => [...baseCommands, ...createCommands, ...operateCommands];

export function registerCommands(context: vscode.ExtensionContext, services: Services): void {
  for (const c of allCommands()) {
    context.subscriptions.push(
      vscode.commands.registerCommand(c.id, async (...args: unknown[]) => {
        try {
          return await c.run(services, ...args);
        } catch (e) {
          // Commands show AWS refusals themselves (keeping the user's input); this is the last net.
          services.log.error(`${c.id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          if (!(e instanceof AlreadyShownError)) void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
          return undefined;
        }
      }),
    );
  }
}
