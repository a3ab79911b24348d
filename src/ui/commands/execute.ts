/**
 * `executeCommand` typed by command id: the argument object is `CommandArgs[id]`, the result the
 * command's own result type (or a `CommandFailure`, or undefined when it was cancelled).
 */
import * as vscode from 'vscode';
import type { CommandArgs, CommandId } from '../../core/commands/contract';
import type { CommandFailure } from '../../core/commands/failure';
import type { HostReport } from './command';
import type { CommandTable } from './index';

/** What command `K` resolves with when it succeeds. */
export type CommandResult<K extends CommandId> = Awaited<ReturnType<CommandTable[K]['run']>>;

export function executeCommand<K extends CommandId>(id: K, args?: CommandArgs[K]): Promise<CommandResult<K> | CommandFailure | undefined> {
  return Promise.resolve(vscode.commands.executeCommand<CommandResult<K> | CommandFailure | undefined>(id, args));
}

/**
 * `executeCommand` for a host that shows the command's progress and results itself (the
 * walkthrough panel): no notifications; messages are collected in `report` (command.ts HostReport).
 */
export function executeReported<K extends CommandId>(id: K, args: CommandArgs[K] | undefined, report: HostReport): Promise<CommandResult<K> | CommandFailure | undefined> {
  return Promise.resolve(vscode.commands.executeCommand<CommandResult<K> | CommandFailure | undefined>(id, args, report));
}
