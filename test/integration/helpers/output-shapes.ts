/**
 * Answers checked against the installed SDK's own output schemas, for every protocol the sandbox
 * speaks: ec2Query XML (EC2), awsQuery XML (ELBv2, Auto Scaling, CloudWatch's query wire, IAM, STS)
 * and JSON (ECS, Application Auto Scaling, SSM, CloudWatch). The SDK's deserializers drop members
 * they do not model and read mistyped values as best they can, so a wrong name (`attachments` for
 * `attachmentSet`) or a string where a number goes would pass unseen through `client.send`.
 * `recordResponses` keeps the raw body of every answer a client gets; `outputProblems` lists each
 * member that is not in the operation's output (at its path), or whose value is not of its type.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { XMLParser } from 'fast-xml-parser';
import { SDK_PACKAGES } from '../../../scripts/sandbox-models';

/** The SDK package of each service, by signing name: the one list the models script keeps. */
const PACKAGES = SDK_PACKAGES;

export interface Recorded {
  /** Signing name. */
  service: string;
  operation: string;
  status: number;
  body: string;
}

interface Stackable {
  middlewareStack: { add(mw: unknown, opts: unknown): void };
  config: { serviceId?: string };
}

/**
 * Problems in the successful answers recorded so far (deduplicated, each prefixed with its service
 * and operation); empties `recorded`. For an `afterEach` that asserts the list is empty.
 */
export function takeOutputProblems(recorded: Recorded[]): string[] {
  const problems = recorded.filter((r) => r.status === 200).flatMap((r) => outputProblems(r.service, r.operation, r.body).map((p) => `${r.service} ${r.operation}: ${p}`));
  recorded.length = 0;
  return [...new Set(problems)];
}

/** Records the raw body of every answer `client` receives (before the SDK parses it), as `service`'s. */
export function recordResponses(client: Stackable, service: string, out: Recorded[] = []): Recorded[] {
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<{ response: unknown }>, context: { commandName?: string }) => async (args: unknown) => {
      const result = await next(args);
      const res = result.response as { statusCode: number; body: unknown };
      const chunks: Buffer[] = [];
      for await (const c of res.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
      const body = Buffer.concat(chunks);
      res.body = new Uint8Array(body);
      out.push({ service, operation: String(context.commandName).replace(/Command$/, ''), status: res.statusCode, body: body.toString('utf8') });
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'recordResponses' },
  );
  return out;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: () => true, trimValues: true });

type Node = Record<string, unknown[]> | string;

function outputSchema(service: string, operation: string): NormalizedSchema | string {
  const pkg = PACKAGES[service];
  if (!pkg) return `no SDK package known for ${service}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the operation's schema is looked up by name
  const sdk = require(pkg) as Record<string, unknown>;
  const schema = sdk[`${operation}$`] as unknown[] | undefined;
  if (!schema) return `${operation}: no such operation in ${pkg}`;
  return NormalizedSchema.of((schema[5] as () => never)());
}

/**
 * The problems of one successful answer of `service`'s `operation`, whatever its wire (an XML body
 * is read as ec2Query for EC2, else awsQuery; anything else as JSON): `vpc.attachments: not in the
 * model`, `vpc.isDefault: "1" is not a boolean`.
 */
export function outputProblems(service: string, operation: string, body: string): string[] {
  const output = outputSchema(service, operation);
  if (typeof output === 'string') return [output];
  const problems: string[] = [];
  if (body.trimStart().startsWith('<')) {
    const ec2 = service === 'ec2';
    const doc = parser.parse(body) as Record<string, Node[]>;
    const root = doc[`${operation}Response`]?.[0];
    if (root === undefined || typeof root === 'string') return [`no <${operation}Response> element`];
    let rest: Record<string, unknown[]>;
    if (ec2) {
      const { requestId: _requestId, ...others } = root;
      rest = others;
    } else {
      const { ResponseMetadata: _meta, [`${operation}Result`]: result, ...others } = root;
      for (const k of Object.keys(others)) problems.push(`${operation}.${k}: not in an awsQuery response`);
      const r = result?.[0];
      rest = r === undefined || typeof r === 'string' ? {} : (r as Record<string, unknown[]>);
    }
    // An operation with no output members (a `Unit` output) answers nothing but its metadata — and,
    // on EC2, the `<return>true</return>` its documented answers carry (CreateTags, DeleteTags).
    if (!output.isStructSchema()) return [...problems, ...Object.keys(rest).filter((k) => !(ec2 && k === 'return')).map((k) => `${operation}.${k}: the operation's output has no members`)];
    walkXml(rest, output, operation, problems, ec2 ? 'item' : 'member');
    return problems;
  }
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return ['body is neither XML nor JSON'];
  }
  if (!output.isStructSchema()) {
    return json && typeof json === 'object' && Object.keys(json).length > 0 ? [`${operation}: the operation's output has no members, got ${Object.keys(json).join(', ')}`] : [];
  }
  walkJson(json, output, operation, problems);
  return problems;
}

function scalarProblem(ns: NormalizedSchema, text: string): string | undefined {
  if (ns.isBooleanSchema() && text !== 'true' && text !== 'false') return `${JSON.stringify(text)} is not a boolean`;
  if (ns.isNumericSchema() && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return `${JSON.stringify(text)} is not a number`;
  if (ns.isTimestampSchema() && Number.isNaN(Date.parse(text))) return `${JSON.stringify(text)} is not a timestamp`;
  return undefined;
}

function walkXml(node: Node, ns: NormalizedSchema, path: string, problems: string[], listItem: 'item' | 'member'): void {
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
      for (const v of values) walkXml(v as Node, m, `${path}.${key}`, problems, listItem);
    }
    return;
  }
  if (ns.isListSchema()) {
    if (typeof node === 'string') {
      if (node !== '') problems.push(`${path}: text where a list goes`);
      return;
    }
    const xmlName = ns.getValueSchema().getMergedTraits().xmlName;
    const item = typeof xmlName === 'string' ? xmlName : listItem;
    for (const [key, values] of Object.entries(node)) {
      if (key !== item) problems.push(`${path}.${key}: a list holds <${item}> elements`);
      else values.forEach((v, i) => walkXml(v as Node, ns.getValueSchema(), `${path}[${i}]`, problems, listItem));
    }
    return;
  }
  if (ns.isMapSchema()) {
    if (typeof node === 'string') {
      if (node !== '') problems.push(`${path}: text where a map goes`);
      return;
    }
    for (const [key, values] of Object.entries(node)) {
      if (key !== 'entry') problems.push(`${path}.${key}: a map holds <entry> elements`);
      else for (const e of values) if (typeof e === 'object' && e) for (const v of (e as Record<string, unknown[]>).value ?? []) walkXml(v as Node, ns.getValueSchema(), `${path}{}`, problems, listItem);
    }
    return;
  }
  if (typeof node !== 'string') {
    problems.push(`${path}: elements where a value goes`);
    return;
  }
  const p = scalarProblem(ns, node);
  if (p) problems.push(`${path}: ${p}`);
}

function walkJson(v: unknown, ns: NormalizedSchema, path: string, problems: string[]): void {
  if (v === null) {
    problems.push(`${path}: null`);
    return;
  }
  if (ns.isDocumentSchema()) return;
  if (ns.isStructSchema()) {
    if (typeof v !== 'object' || Array.isArray(v)) {
      problems.push(`${path}: ${JSON.stringify(v).slice(0, 40)} where a structure goes`);
      return;
    }
    const members = new Map<string, NormalizedSchema>();
    for (const [name, m] of ns.structIterator()) {
      const jsonName = m.getMergedTraits().jsonName;
      members.set(typeof jsonName === 'string' ? jsonName : name, m);
    }
    for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
      const m = members.get(key);
      if (!m) problems.push(`${path}.${key}: not in the model`);
      else walkJson(x, m, `${path}.${key}`, problems);
    }
    return;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(v)) problems.push(`${path}: ${JSON.stringify(v).slice(0, 40)} where a list goes`);
    else v.forEach((x, i) => walkJson(x, ns.getValueSchema(), `${path}[${i}]`, problems));
    return;
  }
  if (ns.isMapSchema()) {
    if (typeof v !== 'object' || Array.isArray(v)) problems.push(`${path}: ${JSON.stringify(v).slice(0, 40)} where a map goes`);
    else for (const [k, x] of Object.entries(v as Record<string, unknown>)) walkJson(x, ns.getValueSchema(), `${path}{${k}}`, problems);
    return;
  }
  const shown = JSON.stringify(v).slice(0, 40);
  if (ns.isBooleanSchema()) {
    if (typeof v !== 'boolean') problems.push(`${path}: ${shown} is not a boolean`);
  } else if (ns.isNumericSchema()) {
    if (typeof v !== 'number') problems.push(`${path}: ${shown} is not a number`);
  } else if (ns.isTimestampSchema()) {
    if (typeof v !== 'number' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) problems.push(`${path}: ${shown} is not a timestamp`);
  } else if (typeof v !== 'string') {
    problems.push(`${path}: ${shown} is not a string`);
  }
}
