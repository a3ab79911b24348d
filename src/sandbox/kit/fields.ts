/**
 * The checks a handler makes beyond what the model says (kit/decode.ts has already checked types):
 * required members, integer-ness, ranges, lengths, enum values — one set of functions for every
 * service, worded by the service's Dialect. They also type-check, so they are safe on any value.
 */
import { AwsError } from '../protocol/errors';
import { segments, type Dialect, type Kind, type Path } from './dialect';

export interface Bounds {
  min?: number;
  max?: number;
}
export interface Required {
  required: true;
}
type Opts = Bounds & { required?: boolean };

export class Fields {
  constructor(readonly dialect: Dialect) {}

  /** Refuses with the service's validation code (or `code`) and `message`. */
  fail(message: string, code = this.dialect.code): never {
    throw new AwsError(code, message);
  }

  /** `v`, or the dialect's missing-member error when it is absent. */
  need<T>(v: T | null | undefined, path: Path): T {
    if (v === undefined || v === null || (v === '' && this.dialect.emptyIsMissing)) throw this.dialect.missing(path);
    return v;
  }

  private typed<T>(v: unknown, path: Path, kind: Kind, ok: (x: unknown) => boolean, o: Opts | undefined): T | undefined {
    if (v === undefined || v === null) {
      if (o?.required) throw this.dialect.missing(path);
      return undefined;
    }
    if (!ok(v)) throw this.dialect.wrongType(path, v, kind);
    return v as T;
  }

  private bounded(v: number, path: Path, o: Opts | undefined): number {
    if ((o?.min !== undefined && v < o.min) || (o?.max !== undefined && v > o.max)) throw this.dialect.range(path, v, o?.min, o?.max);
    return v;
  }

  private sized<T extends string | readonly unknown[]>(v: T, path: Path, o: Opts | undefined): T {
    if ((o?.min !== undefined && v.length < o.min) || (o?.max !== undefined && v.length > o.max)) throw this.dialect.length(path, v, o?.min, o?.max);
    return v;
  }

  /** A string, its length within bounds. */
  str(v: unknown, path: Path, o: Opts & Required): string;
  str(v: unknown, path: Path, o?: Opts): string | undefined;
  str(v: unknown, path: Path, o?: Opts): string | undefined {
    const s = this.typed<string>(v, path, 'string', (x) => typeof x === 'string', o);
    if (s === undefined) return undefined;
    if (o?.required && s === '' && this.dialect.emptyIsMissing) throw this.dialect.missing(path);
    return this.sized(s, path, o);
  }

  /** An integer within bounds. */
  int(v: unknown, path: Path, o: Opts & Required): number;
  int(v: unknown, path: Path, o?: Opts): number | undefined;
  int(v: unknown, path: Path, o?: Opts): number | undefined {
    const n = this.typed<number>(v, path, 'integer', (x) => typeof x === 'number' && Number.isInteger(x), o);
    return n === undefined ? undefined : this.bounded(n, path, o);
  }

  /** A finite number within bounds. */
  num(v: unknown, path: Path, o: Opts & Required): number;
  num(v: unknown, path: Path, o?: Opts): number | undefined;
  num(v: unknown, path: Path, o?: Opts): number | undefined {
    const n = this.typed<number>(v, path, 'number', (x) => typeof x === 'number' && Number.isFinite(x), o);
    return n === undefined ? undefined : this.bounded(n, path, o);
  }

  bool(v: unknown, path: Path, o: Required): boolean;
  bool(v: unknown, path: Path, o?: { required?: boolean }): boolean | undefined;
  bool(v: unknown, path: Path, o?: { required?: boolean }): boolean | undefined {
    return this.typed<boolean>(v, path, 'boolean', (x) => typeof x === 'boolean', o);
  }

  /** One of `values`. */
  oneOf<T extends string>(v: unknown, path: Path, values: readonly T[], o: Required): T;
  oneOf<T extends string>(v: unknown, path: Path, values: readonly T[], o?: { required?: boolean }): T | undefined;
  oneOf<T extends string>(v: unknown, path: Path, values: readonly T[], o?: { required?: boolean }): T | undefined {
    const s = this.str(v, path, o);
    if (s === undefined) return undefined;
    if (!(values as readonly string[]).includes(s)) throw this.dialect.notIn(path, s, values);
    return s as T;
  }

  /** A list, its length within bounds. */
  list<T>(v: readonly T[] | null | undefined, path: Path, o: Opts & Required): T[];
  list<T>(v: readonly T[] | null | undefined, path: Path, o?: Opts): T[] | undefined;
  list<T>(v: readonly T[] | null | undefined, path: Path, o?: Opts): T[] | undefined {
    const l = this.typed<T[]>(v, path, 'list', Array.isArray, o);
    return l === undefined ? undefined : this.sized(l, path, o);
  }

  /** A list of strings (each one checked), its length within bounds. */
  strings(v: unknown, path: Path, o: Opts & Required): string[];
  strings(v: unknown, path: Path, o?: Opts): string[] | undefined;
  strings(v: unknown, path: Path, o?: Opts): string[] | undefined {
    const l = this.list(v as unknown[] | undefined, path, o);
    if (l === undefined) return undefined;
    l.forEach((x, i) => this.str(x, [...segments(path), i], { required: true }));
    return l as string[];
  }

  /** A structure (a plain object). */
  obj(v: unknown, path: Path, o: Required): Record<string, unknown>;
  obj(v: unknown, path: Path, o?: { required?: boolean }): Record<string, unknown> | undefined;
  obj(v: unknown, path: Path, o?: { required?: boolean }): Record<string, unknown> | undefined {
    return this.typed(v, path, 'structure', (x) => typeof x === 'object' && x !== null && !Array.isArray(x), o);
  }
}
