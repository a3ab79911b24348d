/**
 * The one way to define a command. A command says, each as one optional function:
 *
 *   args     how it reads an argument object (tests, the walkthrough): validated and typed by id
 *            (`CommandArgs[id]`); nothing is asked, nothing waits on a notification;
 *   row      how it reads the tree row it was invoked on: that row's resource, never a picker; the
 *            framework first checks that the resource still exists ("Task 1eba2381 no longer exists.");
 *   palette  what it asks when run with nothing (palette, view title, status bar): pickers with
 *            human labels;
 *   ask      what else a person is asked once the target is known (prefilled from the draft, so a
 *            Retry re-opens it with what was entered);
 *   check    validation of the whole draft before anything is sent;
 *   review   a last look for a person (e.g. the differences of a new revision);
 *   confirm  the confirmation of billable or destructive work (the one rule: `CommandContext.confirm`);
 *   run      what it does.
 *
 * All three ways in produce one draft `D`; from there the flow is the same. One failure type
 * (`CommandFailure`: `{ error, code, field? }`), returned to argument calls and shown to everyone;
 * one retry rule: an AWS refusal is shown with the service's message and "Retry", which runs the
 * command again from the same draft (asking again, prefilled, when it asks anything).
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../aws';
import { classifyInvocation, readArgs, type ArgReader } from '../../core/commands/args';
import { COMMAND_ROWS, VIEW_TITLE_COMMANDS, type CommandArgs, type CommandId } from '../../core/commands/contract';
import { Cancelled, CommandError, failure, type CommandFailure } from '../../core/commands/failure';
import type { TreeNode } from '../../core/tree-types';
import { t } from '../l10n';
import { AlreadyShownError, type UiContext } from '../ui-context';
import { recorded } from '../cli/recorded';
import type { UiParts } from './parts';
import { requireRowResource } from './rows';

/** How a command was invoked: an argument object, a tree row, or nothing (it asks). */
export type Via = 'args' | 'node' | 'palette';

/**
 * A host that shows a command's progress and results itself (the walkthrough panel): passed as the
 * second argument of `vscode.commands.executeCommand(id, args, report)` (see `executeReported`), it
 * makes the command quiet — no progress notification, no result or error toast (the failure is
 * returned, the messages are collected here), so nothing covers the host's own controls.
 * Only a confirmation that protects a real AWS account still asks (modal).
 */
export class HostReport {
  /** Result messages the command would have shown, in order. */
  readonly messages: Array<{ text: string; kind: 'info' | 'warning' | 'error' }> = [];
  constructor(private readonly onProgress: (text: string) => void = () => undefined) {}

  progress(text: string): void {
    this.onProgress(text);
  }

  tell(text: string, kind: 'info' | 'warning' | 'error' = 'info'): void {
    this.messages.push({ text, kind });
  }

  /** Every message, as one line. */
  get text(): string {
    return this.messages.map((m) => m.text).join(' ');
  }
}

/** A progress that never reports and a token that is never cancelled (progress shown by a host). */
const NEVER_CANCELLED: vscode.CancellationToken = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

/**
 * What a confirmation protects against (the one rule):
 * - `aws`: the change costs money or disrupts what runs in a real AWS account — asked on real AWS only;
 * - `loss`: it deletes what cannot be recovered — asked on real AWS, and whenever a person runs it.
 */
export interface Confirmation {
  kind: 'aws' | 'loss';
  message: string;
  /** The lines of the modal's detail; a function when they take API calls to compute. */
  detail: string[] | (() => Promise<string[]>);
  button: string;
}

/** An invalid field found before anything is sent. */
export interface Invalid {
  /** The argument member at fault (e.g. `name`), or a JSON path for documents. */
  field: string;
  message: string;
}

/** A validation result for `check`: `key` is the argument's member, `label` prefixes the message. */
export function field(key: string, label: string, message: string | undefined): Invalid | undefined {
  return message === undefined ? undefined : { field: key, message: `${label}: ${message}` };
}

/** The confirmation of a create command on real AWS: what will be created, and that it costs money. */
export function creation(title: string, lines: string[] | undefined): Confirmation | undefined {
  if (!lines || lines.length === 0) return undefined;
  return { kind: 'aws', message: t('{0} in your AWS account? These resources cost money until you delete them.', title), detail: lines, button: t('Create') };
}

/** What every step of a command receives. */
export class CommandContext {
  constructor(
    readonly services: UiContext,
    readonly parts: UiParts,
    readonly via: Via,
    /** The command's action ("Stop task"), for progress and messages. */
    readonly title: string,
    /** A host that shows progress and results itself (no notifications): see `HostReport`. */
    readonly report?: HostReport,
  ) {}

  /** A person runs it (palette or row): it may ask; an argument call never waits on the user. */
  get interactive(): boolean {
    return this.via !== 'args';
  }

  get isRealAws(): boolean {
    return this.services.connections.isRealAws;
  }

  /** The connection's clients; a connection failure is shown (with Retry) and ends the command. */
  clients(): Promise<AwsClients> {
    return this.services.clientsOrFail();
  }

  /** Whether `confirm` of this kind would ask (to skip computing what it would show). */
  asks(kind: Confirmation['kind']): boolean {
    return this.isRealAws || (kind === 'loss' && this.interactive);
  }

  /** Asks (modal) when the rule says so; a refusal ends the command (`Cancelled`). */
  async confirm(c: Confirmation): Promise<void> {
    if (!this.asks(c.kind)) return;
    const detail = typeof c.detail === 'function' ? await c.detail() : c.detail;
    const choice = await vscode.window.showWarningMessage(c.message, { modal: true, detail: detail.join('\n') }, c.button);
    if (choice !== c.button) throw new Cancelled();
  }

  /** Runs `work` with a cancellable progress notification (or, for a host that reports, through it). */
  progress<T>(title: string, work: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    const report = this.report;
    if (report) {
      report.progress(title);
      return work({ report: (p) => p.message && report.progress(`${title} — ${p.message}`) }, NEVER_CANCELLED);
    }
    return this.services.withProgress(title, work);
  }

  /** A result message for a person (or the reporting host); plain argument calls get none. */
  tell(message: string): void {
    if (this.report) this.report.tell(message);
    else if (this.interactive) void vscode.window.showInformationMessage(message);
  }

  /**
   * A message everyone sees — a notification with `buttons`, or the reporting host's message (no
   * buttons: resolves undefined).
   */
  notify(kind: 'info' | 'warning', message: string, ...buttons: string[]): Promise<string | undefined> {
    if (this.report) {
      this.report.tell(message, kind);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(kind === 'warning' ? vscode.window.showWarningMessage(message, ...buttons) : vscode.window.showInformationMessage(message, ...buttons));
  }
}

/** A command definition; see the file comment. `D` is the draft all ways in produce, `R` the result. */
export interface CommandDef<Id extends CommandId, D, R> {
  id: Id;
  /** The user-facing action, e.g. "Stop task" (translated: a function, read when it runs). */
  title(): string;
  args?(r: ArgReader<CommandArgs[Id]>, ctx: CommandContext): D;
  row?(node: TreeNode, ctx: CommandContext): D | undefined;
  /** false: the row's resource is not looked up first (the command needs no AWS call). */
  rowMustExist?: boolean;
  palette?(ctx: CommandContext): D | undefined | Promise<D | undefined>;
  ask?(ctx: CommandContext, draft: D): Promise<D | undefined>;
  check?(draft: D): Invalid | undefined;
  review?(ctx: CommandContext, draft: D): Promise<'ok' | 'edit' | 'cancel'>;
  confirm?(ctx: CommandContext, draft: D): Confirmation | undefined;
  run(ctx: CommandContext, draft: D): Promise<R>;
}

/** Defines a command (typed by its id: `args` reads `CommandArgs[id]`). */
export function defineCommand<Id extends CommandId, D = void, R = unknown>(def: CommandDef<Id, D, R>): CommandDef<Id, D, R> {
  return def;
}

/** The result of invoking a command: its result, a failure, or undefined (cancelled / nothing to do). */
export type Outcome<R> = R | CommandFailure | undefined;

type AnyDef = CommandDef<CommandId, unknown, unknown>;

const isPlain = (def: AnyDef) => !def.args && !def.row && !def.palette;

/**
 * Runs a command as VS Code invoked it (`first`: its first argument; `report`: a host that shows
 * what it does; `lostRow`: a context-menu or inline call whose row VS Code no longer knew, see
 * `isLostRow`).
 */
export async function invoke(def: AnyDef, services: UiContext, parts: UiParts, first: unknown, report?: HostReport, lostRow = false): Promise<Outcome<unknown>> {
  let inv = classifyInvocation(first);
  // A title-bar button gets the focused row: a command that does not act on that kind of row runs as from the palette.
  if (inv.via === 'node' && VIEW_TITLE_COMMANDS.includes(def.id) && !COMMAND_ROWS[def.id].includes(inv.node.kind)) inv = { via: 'palette' };
  const rowCommand = COMMAND_ROWS[def.id].length > 0;
  // A host's report comes only with the host's own calls (a person's never carries one).
  const ctx = new CommandContext(services, parts, lostRow && rowCommand ? 'node' : inv.via, def.title(), report);
  let draft: unknown;
  try {
    // Never a picker for a row's command: asking what to act on would invite acting on another one.
    if (lostRow && rowCommand) throw new CommandError(t('The explorer was updating that row as you chose it, so nothing was done. Please choose it again.'), 'RowLost');
    if (inv.via === 'args') {
      if (def.args) draft = readArgs<CommandArgs[CommandId], unknown>(inv.value, t, (r) => def.args!(r, ctx));
      else if (!isPlain(def)) throw new CommandError(t('{0} takes no argument object.', ctx.title));
    } else if (inv.via === 'node') {
      if (def.row) {
        draft = COMMAND_ROWS[def.id].includes(inv.node.kind) ? def.row(inv.node, ctx) : undefined;
        if (draft === undefined) throw new CommandError(t('{0} cannot act on "{1}".', ctx.title, inv.node.label));
        if (def.rowMustExist !== false) await requireRowResource(await ctx.clients(), inv.node);
      } else if (!isPlain(def)) {
        throw new CommandError(t('{0} cannot act on "{1}".', ctx.title, inv.node.label));
      }
    } else if (def.palette) {
      draft = await def.palette(ctx);
      if (draft === undefined) return undefined;
    } else if (!isPlain(def)) {
      throw new CommandError(t('Run {0} from a row of the ECS explorer.', ctx.title));
    }
  } catch (e) {
    return ended(ctx, e);
  }
  return flow(def, ctx, draft);
}

/** From a draft to the result: ask, check, review, confirm, run; Retry and Edit… start here again. */
async function flow(def: AnyDef, ctx: CommandContext, start: unknown): Promise<Outcome<unknown>> {
  const { services: s, title } = ctx;
  let draft = start;
  // An argument call's Retry / Edit… runs the command again for a person, from the same draft.
  const reopen = (d: unknown) => void flow(def, new CommandContext(s, ctx.parts, 'palette', title), d).catch((e: unknown) => s.log.error(`${def.id}: ${String(e)}`));
  for (;;) {
    try {
      if (ctx.interactive && def.ask) {
        const answered = await def.ask(ctx, draft);
        if (answered === undefined) return undefined;
        draft = answered;
      }
      const bad = def.check?.(draft);
      if (bad) {
        const edit = t('Edit…');
        const text = `${title}: ${bad.message}`;
        const buttons = def.ask ? [edit] : [];
        if (ctx.interactive) {
          if ((await vscode.window.showErrorMessage(text, ...buttons)) === edit) continue;
          return undefined;
        }
        if (!ctx.report) void vscode.window.showErrorMessage(text, ...buttons).then((c) => c === edit && reopen(draft));
        return failure('InvalidArguments', bad.message, bad.field);
      }
      if (ctx.interactive && def.review) {
        const answer = await def.review(ctx, draft);
        if (answer === 'edit') continue;
        if (answer === 'cancel') return undefined;
      }
      const c = def.confirm?.(ctx, draft);
      if (c) await ctx.confirm(c);
      return await recorded(s, title, () => def.run(ctx, draft));
    } catch (e) {
      if (e instanceof Cancelled || e instanceof CommandError || e instanceof AlreadyShownError) return ended(ctx, e);
      // AWS (or the endpoint) refused: a change may have done part of its work.
      s.refresh(undefined);
      const retry = t('Retry');
      if (ctx.interactive) {
        if ((await s.showError(e, title, retry)) === retry) continue;
        return undefined;
      }
      const info = s.connections.mapError(e, t);
      // A reporting host shows the failure it gets back (the log keeps it too).
      if (ctx.report) s.log.error(`${title}: ${info.code} ${info.message}`);
      else void s.showError(e, title, retry).then((c) => c === retry && reopen(draft));
      return failure(info.code, info.message);
    }
  }
}

/** A command that ended early: shown (never awaited) and, for argument calls, returned. */
function ended(ctx: CommandContext, e: unknown): Outcome<never> {
  if (e instanceof Cancelled) return ctx.interactive ? undefined : failure('Cancelled', t('Cancelled.'));
  if (e instanceof AlreadyShownError) return ctx.interactive ? undefined : failure('NotConnected', e.message);
  if (e instanceof CommandError) {
    ctx.services.log.warn(`${ctx.title}: ${e.message}`);
    if (!ctx.report) void vscode.window.showErrorMessage(`${ctx.title}: ${e.message}`);
    return e.failure;
  }
  // An AWS refusal before there was anything to keep (e.g. while listing what to pick).
  const info = ctx.services.connections.mapError(e, t);
  if (ctx.report) ctx.services.log.error(`${ctx.title}: ${info.code} ${info.message}`);
  else void ctx.services.showError(e, ctx.title);
  return failure(info.code, info.message);
}
