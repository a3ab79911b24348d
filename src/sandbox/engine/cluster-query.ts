/**
 * The ECS cluster query language (ListContainerInstances `filter`, `memberOf` placement
 * constraints): `subject operator [argument]`, combined with `&&` / `and`, `||` / `or`, `!` / `not`
 * and parentheses (`not` binds tightest, then `and`, then `or`).
 *
 * Subjects and their operators, as the ECS Developer Guide lists them:
 * - `attribute:<name>`: every operator (`exists` / `!exists` whether the instance has it);
 * - `ec2InstanceId`, `agentConnected`, `task:group`: `==` `!=` `in` `!in` `=~` `!~`
 *   (`task:group` is true when a task of that group runs on the instance; `!=`, `!in`, `!~` are their negations;
 *   `exists` / `!exists` whether any task runs there);
 * - `agentVersion`, `registeredAt`, `runningTasksCount`: `==` `!=` `>` `>=` `<` `<=`.
 * Operators have word forms (`equals`, `not_equals`, `greater_than`, `greater_than_equal`,
 * `less_than`, `less_than_equal`, `not_exists`, `not_in`, `matches`, `not_matches`). Arguments are a
 * literal (quoted with `'` or `"` when it holds spaces), a list `[a, b]` for `in`, or a Java-style
 * regular expression matched against the whole value for `=~`. `registeredAt` takes
 * `2018-06-18T22:28:28+00:00`, `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28` or `2018-06-18`.
 *
 * Regular expressions whose repeated groups repeat or alternate inside (`(a+)+`, `(a|aa)*`) are
 * refused: matching them can take exponential time, and no request may stall the sandbox.
 */
import type { ContainerInstance, RegionState } from './state';
import { regionIndex, taskCounts } from './usage';

/** What an expression reads beyond the container instance itself. */
export interface QueryEnv {
  /** Tasks (not yet stopped) per task group on the instance. */
  groups(ci: ContainerInstance): ReadonlyMap<string, number> | undefined;
  /** RUNNING tasks on the instance. */
  runningTasks(ci: ContainerInstance): number;
  /** The agent's version on the instance. */
  agentVersion(ci: ContainerInstance): string;
}

export type Query = (ci: ContainerInstance, env: QueryEnv) => boolean;

/** The agent version container instances report unless they registered another. */
export const AGENT_VERSION = { agentVersion: '1.89.3', agentHash: 'e5c9b2b1', dockerVersion: 'DockerVersion: 25.0.8' };

/** What expressions read about the region's instances: the engine's usage index. */
export function queryEnv(rs: RegionState): QueryEnv {
  return {
    groups: (ci) => regionIndex(rs).usage.get(ci.containerInstanceArn)?.groups,
    runningTasks: (ci) => taskCounts(rs, ci).running,
    agentVersion: (ci) => ci.versionInfo?.agentVersion ?? AGENT_VERSION.agentVersion,
  };
}

/** A malformed expression: `message` says what is wrong, for the caller to word as its service does. */
export class QueryError extends Error {}

/** An attribute of the instance (its own list first, then what every registered instance has). */
export function attributeOf(ci: ContainerInstance, name: string): string | undefined {
  const a = ci.attributes.find((x) => x.name === name);
  if (a) return a.value ?? '';
  if (name === 'ecs.availability-zone') return ci.availabilityZone;
  if (name === 'ecs.instance-type') return ci.instanceType;
  if (name === 'ecs.os-type') return 'linux';
  if (name === 'ecs.cpu-architecture') return 'x86_64';
  return undefined;
}

type Op = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | '!exists' | 'in' | '!in' | '=~' | '!~';

const OP_WORDS: Record<string, Op> = {
  equals: '==',
  not_equals: '!=',
  greater_than: '>',
  greater_than_equal: '>=',
  less_than: '<',
  less_than_equal: '<=',
  exists: 'exists',
  not_exists: '!exists',
  in: 'in',
  not_in: '!in',
  matches: '=~',
  not_matches: '!~',
};
/** Symbol forms, longest first. */
const OP_SYMBOLS: [string, Op][] = [
  ['!exists', '!exists'],
  ['==', '=='],
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  ['=~', '=~'],
  ['!~', '!~'],
  ['!in', '!in'],
  ['>', '>'],
  ['<', '<'],
];

const EQUALITY: readonly Op[] = ['==', '!=', 'in', '!in', '=~', '!~'];
const ORDER: readonly Op[] = ['==', '!=', '>', '>=', '<', '<='];
const ALL: readonly Op[] = [...ORDER, 'exists', '!exists', 'in', '!in', '=~', '!~'];

const MAX_EXPRESSION = 2000;
const MAX_REGEX = 256;

/** Parses `expr`; throws QueryError saying what is wrong. */
export function parseQuery(expr: string): Query {
  if (expr.length > MAX_EXPRESSION) throw new QueryError(`the expression is longer than ${MAX_EXPRESSION} characters`);
  const p = new Parser(expr);
  const q = p.or();
  p.skip();
  if (!p.done()) throw new QueryError(`unexpected '${p.rest().slice(0, 20)}'`);
  return q;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done = (): boolean => this.i >= this.s.length;
  rest = (): string => this.s.slice(this.i);
  skip(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  /** Consumes `word` (a keyword: followed by a space, `(` or the end) or a symbol. */
  private take(token: string, keyword: boolean): boolean {
    this.skip();
    if (keyword) {
      const m = new RegExp(`^${token}(?=[\\s(]|$)`, 'i').exec(this.rest());
      if (!m) return false;
      this.i += m[0].length;
      return true;
    }
    if (!this.rest().startsWith(token)) return false;
    this.i += token.length;
    return true;
  }

  or(): Query {
    const parts = [this.and()];
    while (this.take('||', false) || this.take('or', true)) parts.push(this.and());
    return parts.length === 1 ? parts[0] : (ci, env) => parts.some((q) => q(ci, env));
  }

  private and(): Query {
    const parts = [this.not()];
    while (this.take('&&', false) || this.take('and', true)) parts.push(this.not());
    return parts.length === 1 ? parts[0] : (ci, env) => parts.every((q) => q(ci, env));
  }

  private not(): Query {
    this.skip();
    const r = this.rest();
    if ((r.startsWith('!') && !r.startsWith('!=')) || /^not(?=[\s(])/i.test(r)) {
      this.i += r.startsWith('!') ? 1 : 3;
      const q = this.not();
      return (ci, env) => !q(ci, env);
    }
    if (this.take('(', false)) {
      const q = this.or();
      if (!this.take(')', false)) throw new QueryError("missing ')'");
      return q;
    }
    return this.comparison();
  }

  private comparison(): Query {
    this.skip();
    const m = /^(attribute:[^\s=!<>~()]+|task:group|[A-Za-z][A-Za-z0-9]*)/.exec(this.rest());
    if (!m) throw new QueryError(this.done() ? 'the expression ends where a subject is expected' : `expected a subject at '${this.rest().slice(0, 20)}'`);
    this.i += m[0].length;
    const subject = m[1];
    const op = this.operator(subject);
    if (op === 'exists' || op === '!exists') return this.existence(subject, op === 'exists');
    const args = op === 'in' || op === '!in' ? this.list() : [this.value()];
    return compare(subject, op, args);
  }

  private operator(subject: string): Op {
    this.skip();
    const r = this.rest();
    let op: Op | undefined;
    for (const [sym, o] of OP_SYMBOLS) {
      if (r.startsWith(sym)) {
        op = o;
        this.i += sym.length;
        break;
      }
    }
    if (!op) {
      const w = /^[a-z_]+/i.exec(r)?.[0];
      op = w ? OP_WORDS[w.toLowerCase()] : undefined;
      if (!op) throw new QueryError(`expected an operator after '${subject}'`);
      this.i += w!.length;
    }
    const allowed = allowedOps(subject);
    if (!allowed) throw new QueryError(`unknown subject '${subject}'`);
    if (!allowed.includes(op)) throw new QueryError(`the operator '${op}' cannot be used with '${subject}'`);
    return op;
  }

  private existence(subject: string, want: boolean): Query {
    if (subject === 'task:group') return (ci, env) => ((env.groups(ci)?.size ?? 0) > 0) === want;
    const name = subject.slice('attribute:'.length);
    return (ci) => (attributeOf(ci, name) !== undefined) === want;
  }

  private list(): string[] {
    if (!this.take('[', false)) throw new QueryError("'in' expects a list: [a, b]");
    const out: string[] = [];
    for (;;) {
      out.push(this.value(true));
      if (this.take(']', false)) return out;
      if (!this.take(',', false)) throw new QueryError("a list must be written [a, b]");
    }
  }

  /** A literal: quoted, or a run of characters up to a space (and `,` `]` in a list; `)` closing an outer group). */
  private value(inList = false): string {
    this.skip();
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) throw new QueryError('unterminated quoted value');
      const v = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return v;
    }
    let depth = 0;
    const start = this.i;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (/\s/.test(c) || (inList && (c === ',' || c === ']'))) break;
      if (c === '(') depth++;
      if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      this.i++;
    }
    if (this.i === start) throw new QueryError('a value is missing');
    return this.s.slice(start, this.i);
  }
}

function allowedOps(subject: string): readonly Op[] | undefined {
  if (subject.startsWith('attribute:')) return ALL;
  switch (subject) {
    case 'ec2InstanceId':
    case 'agentConnected':
      return EQUALITY;
    case 'task:group':
      return [...EQUALITY, 'exists', '!exists'];
    case 'agentVersion':
    case 'registeredAt':
    case 'runningTasksCount':
      return ORDER;
    default:
      return undefined;
  }
}

/** A Java-style regular expression as a whole-value matcher. */
function regex(pattern: string): RegExp {
  if (pattern.length > MAX_REGEX) throw new QueryError(`the regular expression is longer than ${MAX_REGEX} characters`);
  // A repeated group with a quantifier or an alternative inside can backtrack exponentially.
  if (/\((?:[^()\\]|\\.)*(?:[+*}]|\|)(?:[^()\\]|\\.)*\)\s*[+*{]/.test(pattern)) {
    throw new QueryError(`the regular expression '${pattern}' repeats a group that itself repeats or alternates`);
  }
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new QueryError(`invalid regular expression '${pattern}'`);
  }
}

/** `registeredAt` literals: 2018-06-18T22:28:28+00:00, …Z, 2018-06-18T22:28:28 (UTC), 2018-06-18. */
function dateOf(v: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  const t = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`) : NaN;
  if (!Number.isFinite(t)) throw new QueryError(`invalid date '${v}' (use 2018-06-18T22:28:28Z or 2018-06-18)`);
  return t;
}

/** Compares dotted versions part by part (1.14.5 < 1.89.3). */
function versionCompare(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const ordered = (op: Op, d: number): boolean =>
  op === '==' ? d === 0 : op === '!=' ? d !== 0 : op === '>' ? d > 0 : op === '>=' ? d >= 0 : op === '<' ? d < 0 : d <= 0;

function compare(subject: string, op: Op, args: string[]): Query {
  const v = args[0];
  switch (subject) {
    case 'runningTasksCount': {
      if (!/^\d+$/.test(v)) throw new QueryError(`runningTasksCount compares with a whole number, not '${v}'`);
      const n = Number(v);
      return (ci, env) => ordered(op, env.runningTasks(ci) - n);
    }
    case 'registeredAt': {
      const t = dateOf(v);
      return (ci) => ordered(op, Math.floor(ci.registeredAt / 1000) - Math.floor(t / 1000));
    }
    case 'agentVersion':
      if (!/^\d+(\.\d+)*$/.test(v)) throw new QueryError(`invalid agent version '${v}'`);
      return (ci, env) => ordered(op, versionCompare(env.agentVersion(ci), v));
    case 'task:group': {
      const has = matcher(op === '=~' || op === '!~' ? '=~' : op === 'in' || op === '!in' ? 'in' : '==', args);
      const negate = op === '!=' || op === '!in' || op === '!~';
      return (ci, env) => {
        let found = false;
        for (const g of env.groups(ci)?.keys() ?? []) if ((found = has(g))) break;
        return found !== negate;
      };
    }
    default: {
      const read: (ci: ContainerInstance) => string | undefined =
        subject === 'ec2InstanceId'
          ? (ci) => ci.ec2InstanceId
          : subject === 'agentConnected'
            ? (ci) => String(ci.agentConnected)
            : ((name) => (ci: ContainerInstance) => attributeOf(ci, name))(subject.slice('attribute:'.length));
      const test = matcher(op, args);
      // An instance without the attribute matches only the negative operators.
      return (ci) => {
        const x = read(ci);
        if (x === undefined) return op === '!=' || op === '!in' || op === '!~';
        return test(x);
      };
    }
  }
}

/** A test of one string value (numbers compared as numbers when both sides are numbers). */
function matcher(op: Op, args: string[]): (x: string) => boolean {
  const v = args[0];
  switch (op) {
    case 'in':
      return (x) => args.includes(x);
    case '!in':
      return (x) => !args.includes(x);
    case '=~': {
      const re = regex(v);
      return (x) => re.test(x);
    }
    case '!~': {
      const re = regex(v);
      return (x) => !re.test(x);
    }
    default:
      return (x) => {
        const nx = Number(x);
        const nv = Number(v);
        const numeric = x.trim() !== '' && v.trim() !== '' && Number.isFinite(nx) && Number.isFinite(nv);
        const d = numeric ? nx - nv : x < v ? -1 : x > v ? 1 : 0;
        return ordered(op, d);
      };
  }
}
