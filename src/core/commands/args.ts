/**
 * How a command reads what VS Code hands it, without VS Code: an invocation is a tree row (the
 * node of a context-menu or inline action), an argument object (tests, the walkthrough, another
 * command) or nothing (the palette, a view-title button, the status bar). Argument objects are read
 * through `ArgReader`: each member checked for its type and range, the first bad one refused with
 * an `ArgumentError` naming it (`{ error, code: 'InvalidArguments', field }`).
 */
import type { Translate } from '../l10n';
import type { TreeNode } from '../tree-types';
import { ArgumentError } from './failure';

export type Invocation = { via: 'palette' } | { via: 'node'; node: TreeNode } | { via: 'args'; value: unknown };

/** A tree row (src/core/tree-types.ts): it carries its kind and its context value. */
export function isTreeNode(v: unknown): v is TreeNode {
  return !!v && typeof v === 'object' && typeof (v as TreeNode).kind === 'string' && typeof (v as TreeNode).contextValue === 'string';
}

/** A `vscode.Uri` (explorer/context of a file): not an argument object. */
const isUriLike = (v: object): boolean => typeof (v as { scheme?: unknown }).scheme === 'string' && typeof (v as { fsPath?: unknown }).fsPath === 'string';

/** What the first argument VS Code passed means. */
export function classifyInvocation(first: unknown): Invocation {
  if (first === undefined || first === null) return { via: 'palette' };
  if (isTreeNode(first)) return { via: 'node', node: first };
  if (typeof first === 'object' && !Array.isArray(first) && isUriLike(first)) return { via: 'palette' };
  return { via: 'args', value: first };
}

const shown = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * Reads the members of an argument object `A`. Absent (`undefined`, `null`, `''`) members read as
 * undefined; present ones must have the right type. Names are checked against `A` at compile time.
 */
export class ArgReader<A> {
  private readonly obj: Record<string, unknown>;
  constructor(
    /** What was passed (an object, or e.g. a step id string). */
    readonly raw: unknown,
    readonly t: Translate,
  ) {
    this.obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  }

  /** The member as given (unchecked). */
  value<K extends keyof A & string>(name: K): unknown {
    return this.obj[name];
  }

  /** The member is present (even if undefined: `{ hostPort: null }` says "none"). */
  has<K extends keyof A & string>(name: K): boolean {
    return name in this.obj;
  }

  /** A string, trimmed; undefined when absent. */
  string<K extends keyof A & string>(name: K): string | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new ArgumentError(this.t('"{0}" must be a string, got {1}.', name, shown(v)), name);
    return v.trim();
  }

  /** A string that must be there; `message` says what it is (e.g. "a cluster name or ARN"). */
  required<K extends keyof A & string>(name: K, message: string): string {
    const v = this.string(name);
    if (!v) throw new ArgumentError(message, name);
    return v;
  }

  /** A whole number (a number or a numeric string) in [min, max]; undefined when absent. */
  int<K extends keyof A & string>(name: K, min: number, max: number): number | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ArgumentError(this.t('"{0}" must be a whole number between {1} and {2}, got {3}.', name, min, max, shown(v)), name);
    }
    return n;
  }

  /** true or false; undefined when absent. */
  bool<K extends keyof A & string>(name: K): boolean | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw new ArgumentError(this.t('"{0}" must be true or false, got {1}.', name, shown(v)), name);
    return v;
  }

  /** One of `values`; undefined when absent. */
  oneOf<K extends keyof A & string, V extends string>(name: K, values: readonly V[]): V | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw new ArgumentError(this.t('"{0}" must be one of {1}, got {2}.', name, values.join(', '), shown(v)), name);
    }
    return v as V;
  }

  /**
   * The member as an input box would hold it (numbers stringified, `fallback` when absent, '' for
   * null): for commands that validate their whole input afterwards, field by field.
   */
  text<K extends keyof A & string>(name: K, fallback = ''): string {
    const v = this.obj[name];
    if (v === undefined) return fallback;
    if (v === null) return '';
    if (typeof v === 'string') return v;
    return typeof v === 'number' || typeof v === 'boolean' ? String(v) : shown(v);
  }

  /** Refuses the argument object: `message` names what is wrong with member `field`. */
  fail(message: string, field?: keyof A & string): never {
    throw new ArgumentError(message, field);
  }
}

/** Reads an argument object with `read`; bad members throw `ArgumentError`. */
export function readArgs<A, D>(raw: unknown, t: Translate, read: (r: ArgReader<A>) => D): D {
  return read(new ArgReader<A>(raw, t));
}
