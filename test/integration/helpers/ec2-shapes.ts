/**
 * EC2 answers checked against the installed SDK's own output schemas. The SDK's deserializer drops
 * XML elements it does not model and reads mistyped leaves as best it can, so a wrong element name
 * (`attachments` for `attachmentSet`) or a number where a boolean goes would pass unseen through
 * `client.send`. `recordEc2Responses` keeps the raw XML of every answer a client gets;
 * `shapeProblems` lists each element that is not a member of the operation's output (at its path),
 * or whose text is not of the member's type.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { XMLParser } from 'fast-xml-parser';
import type { EC2Client } from '@aws-sdk/client-ec2';

export interface Recorded {
  operation: string;
  status: number;
  xml: string;
}

/** Records the raw body of every answer `client` receives (before the SDK parses it). */
export function recordEc2Responses(client: EC2Client): Recorded[] {
  const out: Recorded[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const res = result.response as { statusCode: number; body: unknown };
      const chunks: Buffer[] = [];
      for await (const c of res.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
      const body = Buffer.concat(chunks);
      res.body = new Uint8Array(body);
      out.push({ operation: String(context.commandName).replace(/Command$/, ''), status: res.statusCode, xml: body.toString('utf8') });
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'recordEc2Responses' },
  );
  return out;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: () => true, trimValues: true });

type Node = Record<string, unknown[]> | string;

/** The problems of one successful answer: `vpc.attachments: not in the model`, `vpc.isDefault: "1" is not a boolean`. */
export function shapeProblems(operation: string, xml: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the operation's schema is looked up by name
  const sdk = require('@aws-sdk/client-ec2') as Record<string, unknown>;
  const schema = sdk[`${operation}$`] as unknown[] | undefined;
  if (!schema) return [`${operation}: no such operation in @aws-sdk/client-ec2`];
  const doc = parser.parse(xml) as Record<string, Node[]>;
  const root = doc[`${operation}Response`]?.[0];
  if (root === undefined || typeof root === 'string') return [`no <${operation}Response> element`];
  const problems: string[] = [];
  const { requestId: _requestId, ...rest } = root;
  const output = NormalizedSchema.of((schema[5] as () => never)());
  // An operation with no output members (a `Unit` output) answers nothing but its request id.
  if (!output.isStructSchema()) return Object.keys(rest).map((k) => `${operation}.${k}: the operation's output has no members`);
  walk(rest, output, operation, problems);
  return problems;
}

function walk(node: Node, ns: NormalizedSchema, path: string, problems: string[]): void {
  if (ns.isStructSchema()) {
    if (typeof node === 'string') {
      if (node !== '') problems.push(`${path}: text where a structure goes`);
      return;
    }
    const members = new Map<string, NormalizedSchema>();
    for (const [name, m] of ns.structIterator()) {
      const xmlName = m.getMergedTraits().xmlName;
      members.set(typeof xmlName === 'string' ? xmlName : name, m);
    }
    for (const [key, values] of Object.entries(node)) {
      const m = members.get(key);
      if (!m) {
        problems.push(`${path}.${key}: not in the model`);
        continue;
      }
      for (const v of values) walk(v as Node, m, `${path}.${key}`, problems);
    }
    return;
  }
  if (ns.isListSchema()) {
    if (typeof node === 'string') {
      if (node !== '') problems.push(`${path}: text where a list goes`);
      return;
    }
    for (const [key, values] of Object.entries(node)) {
      if (key !== 'item') problems.push(`${path}.${key}: a list holds <item> elements`);
      else values.forEach((v, i) => walk(v as Node, ns.getValueSchema(), `${path}[${i}]`, problems));
    }
    return;
  }
  if (typeof node !== 'string') {
    problems.push(`${path}: elements where a value goes`);
    return;
  }
  if (ns.isBooleanSchema() && node !== 'true' && node !== 'false') problems.push(`${path}: ${JSON.stringify(node)} is not a boolean`);
  if (ns.isNumericSchema() && !/^-?\d+(\.\d+)?$/.test(node)) problems.push(`${path}: ${JSON.stringify(node)} is not a number`);
  if (ns.isTimestampSchema() && Number.isNaN(Date.parse(node))) problems.push(`${path}: ${JSON.stringify(node)} is not a timestamp`);
}
