/**
 * The services' own API models, as far as the sandbox needs them: the input shape of every
 * operation it serves (members, their types, which are required, their query wire names), extracted
 * from the installed AWS SDK clients by scripts/sandbox-models.ts into models.json.
 */
/** Scalar shapes, with the SDK schemas' own codes. */
export const STRING = 0;
export const NUMBER = 1;
export const BOOLEAN = 2;
export const TIMESTAMP = 4;
export const DOCUMENT = 15;
export const BLOB = 21;

/** A scalar code, a structure's name, or a list / map of a shape. */
export type ShapeRef = number | string | ['L', ShapeRef] | ['M', ShapeRef];
/** `[name, shape]`, or `[name, shape, wireName]` when the query wire name differs. */
export type MemberRef = [string, ShapeRef] | [string, ShapeRef, string];

export interface ServiceModels {
  /** Operation name -> its input shape. */
  ops: Record<string, ShapeRef>;
  /** Structure name -> `[requiredCount, ...members]` (the required members first). */
  shapes: Record<string, [number, ...MemberRef[]]>;
}

/** A structure, ready for decoding. */
export interface Structure {
  name: string;
  members: readonly { name: string; shape: ShapeRef; wire: string; required: boolean }[];
}

let all: Record<string, ServiceModels> | undefined;
/**
 * models.json, read on first use: bundled, it is a 70 KB object literal inside a function that
 * V8 only pre-parses until it is called, so a sandbox start does not pay for it.
 */
const models = (): Record<string, ServiceModels> => (all ??= require('./models.json') as Record<string, ServiceModels>);

/** One service's models (by SigV4 signing name). */
export class ServiceModel {
  private readonly structures = new Map<string, Structure>();

  constructor(
    readonly signingName: string,
    private readonly raw: ServiceModels,
  ) {}

  /** The operation's input shape, or undefined when the model does not know the operation. */
  input(operation: string): ShapeRef | undefined {
    return Object.prototype.hasOwnProperty.call(this.raw.ops, operation) ? this.raw.ops[operation] : undefined;
  }

  structure(name: string): Structure {
    let s = this.structures.get(name);
    if (!s) {
      const def = this.raw.shapes[name];
      if (!def) throw new Error(`${this.signingName}: no shape ${name} in models.json`);
      const [required, ...members] = def;
      s = { name, members: members.map(([n, shape, wire], i) => ({ name: n, shape, wire: wire ?? n, required: i < required })) };
      this.structures.set(name, s);
    }
    return s;
  }
}

const loaded = new Map<string, ServiceModel>();

/** The models of a service the sandbox serves; throws when models.json has none (regenerate it). */
export function serviceModel(signingName: string): ServiceModel {
  let m = loaded.get(signingName);
  if (!m) {
    const raw = Object.prototype.hasOwnProperty.call(models(), signingName) ? models()[signingName] : undefined;
    if (!raw) throw new Error(`no API model for ${signingName}: run npx tsx scripts/sandbox-models.ts`);
    m = new ServiceModel(signingName, raw);
    loaded.set(signingName, m);
  }
  return m;
}
