/**
 * The AWS CLI behind every click (issue 14): the shell commands equivalent to the SDK calls an
 * action sent, built from the very inputs (and outputs) the extension's clients recorded
 * (cli-record.ts) — never a second, hand-written copy. Pure: no I/O, no vscode.
 *
 * The naming follows the AWS CLI's own rules (botocore's `xform_name`): the operation
 * `DescribeServices` is `describe-services`, the member `desiredCount` is `--desired-count`,
 * `GatewayARNs` is `--gateway-arns`; the few arguments the CLI renames (`--no-enable-execute-command`
 * is `--disable-execute-command`) are renamed here too. Values: scalars as they are, booleans as
 * `--flag` / `--no-flag`, lists of scalars as separate words, structures, maps and lists of
 * structures as JSON, blobs as base64 (CLI v2's `cli_binary_format`), timestamps in ISO 8601.
 *
 * IDs AWS generated in an earlier call (a security group's id, a load balancer's ARN, the AMI id
 * SSM returned) and sent again in a later one are passed by shell variables: the earlier command
 * becomes `SECURITY_GROUP_ID=$(aws … --query GroupId --output text)` and the later one says
 * `"$SECURITY_GROUP_ID"`. Reads (Describe… / List… / Get…) are kept only when a later call uses
 * what they returned (a command's existence checks and waits are not the change it made) — except
 * in an action that only read, where its distinct reads are the commands.
 */

/** One SDK call as the recorder saw it. */
export interface CliCall {
  /** The client's service, e.g. "ECS", "ElasticLoadBalancingV2" (the client's name without "Client"). */
  service: string;
  /** e.g. "CreateService" (the command's name without "Command"). */
  operation: string;
  input: unknown;
  /** What the call returned (absent while it runs, or when it failed). */
  output?: unknown;
  /** The error's name when the call failed. */
  error?: string;
}

/** Where the commands go: the connection's profile, region and (not AWS's own) endpoint. */
export interface CliTarget {
  profile?: string;
  region?: string;
  /** The endpoint of a service (the client's service name, e.g. "ECS"), when it is not AWS's own. */
  endpointUrl?: (service: string) => string | undefined;
}

/** The CLI's name of each client's service (`aws <name> …`). */
const SERVICES: Record<string, string> = {
  ECS: 'ecs',
  EC2: 'ec2',
  ElasticLoadBalancingV2: 'elbv2',
  ApplicationAutoScaling: 'application-autoscaling',
  CloudWatch: 'cloudwatch',
  AutoScaling: 'autoscaling',
  SSM: 'ssm',
  IAM: 'iam',
  CloudWatchLogs: 'logs',
  STS: 'sts',
};

/** `aws <service>` for a client's service name ("ElasticLoadBalancingV2" → "elbv2"). */
export function cliServiceName(service: string): string {
  const known = SERVICES[service];
  if (known) return known;
  return xformName(service, '-');
}

/** botocore's special cases (xform_name's cache) that the regular rule gets wrong. */
const SPECIAL: Record<string, string> = {
  CreateCachediSCSIVolume: 'create-cached-iscsi-volume',
  DescribeCachediSCSIVolumes: 'describe-cached-iscsi-volumes',
  DescribeStorediSCSIVolumes: 'describe-stored-iscsi-volumes',
  CreateStorediSCSIVolume: 'create-stored-iscsi-volume',
  ListHITsForQualificationType: 'list-hits-for-qualification-type',
  ExecutePartiQLStatement: 'execute-partiql-statement',
  ExecutePartiQLTransaction: 'execute-partiql-transaction',
  ExecutePartiQLBatch: 'execute-partiql-batch',
};

/** botocore's `xform_name`: `DescribeServices` → `describe-services`, `GatewayARNs` → `gateway-arns`. */
export function xformName(name: string, sep = '-'): string {
  if (name.includes(sep)) return name;
  const special = SPECIAL[name];
  if (special) return sep === '-' ? special : special.replace(/-/g, sep);
  let n = name;
  const plural = /[A-Z]{2,}s$/.exec(n);
  if (plural) n = `${n.slice(0, -plural[0].length)}${sep}${plural[0].toLowerCase()}`;
  const s1 = n.replace(/(.)([A-Z][a-z]+)/g, `$1${sep}$2`);
  return s1.replace(/([a-z0-9])([A-Z])/g, `$1${sep}$2`).toLowerCase();
}

/** The CLI's operation name: `CreateLoadBalancer` → `create-load-balancer`. */
export const cliOperationName = (operation: string): string => xformName(operation, '-');

/** The arguments the CLI renames (awscli/customizations/argrename.py), for the services the extension calls. */
const RENAMES: Record<string, string> = {
  'ec2.*.no-egress': 'ingress',
  'ec2.*.no-disable-api-termination': 'enable-api-termination',
  'ec2.create-image.no-no-reboot': 'reboot',
  'ecs.*.no-enable-execute-command': 'disable-execute-command',
  'ecs.execute-command.no-interactive': 'non-interactive',
};

/** The CLI's option for an input member (without `--`), with the CLI's renames applied. */
export function cliParamName(service: string, operation: string, member: string, negated = false): string {
  return cliArgName(cliServiceName(service), cliOperationName(operation), member, negated);
}

/** `cliParamName` for the CLI's service and operation names (`ecs`, `create-service`). */
export function cliArgName(service: string, operation: string, member: string, negated = false): string {
  const arg = `${negated ? 'no-' : ''}${xformName(member, '-')}`;
  return RENAMES[`${service}.${operation}.${arg}`] ?? RENAMES[`${service}.*.${arg}`] ?? arg;
}

/** A word for a POSIX shell: as it is when it is safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const READ_RE = /^(Describe|List|Get)[A-Z]/;
/** Whether an operation only reads. */
export const isReadOperation = (operation: string): boolean => READ_RE.test(operation);

/** Values AWS generates that later calls pass back: ARNs and `<prefix>-<hex>` ids (vpc-…, sg-…, ami-…). */
const GENERATED_RE = /^(?:arn:aws[a-z-]*:|[a-z][a-z0-9]*(?:-[a-z0-9]+)?-[0-9a-f]{8,17}$)/;

interface Producer {
  call: number;
  /** JMESPath of the value in the call's output. */
  path: string;
  variable: string;
}

/** The string leaves of a value, with their JMESPath (`a.b[0].c`). */
function leaves(value: unknown, path: string, out: Array<{ path: string; value: string }>): void {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata') continue;
      const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
      leaves(v, path ? `${path}.${key}` : key, out);
    }
  }
}

function stringsOf(value: unknown): string[] {
  const out: Array<{ path: string; value: string }> = [];
  leaves(value, '', out);
  return out.map((l) => l.value);
}

/** `LoadBalancers[0].LoadBalancerArn` → `LOAD_BALANCER_ARN`; `InstanceIds[1]` → `INSTANCE_ID`. */
function variableFor(path: string, taken: Set<string>): string {
  const keys = path.replace(/\[\d+\]/g, '').split('.');
  let last = keys[keys.length - 1] || 'VALUE';
  // `Parameter.Value` → PARAMETER_VALUE: a generic member is named with its parent.
  if (/^(Value|Id|Arn|Name|value|id|arn|name)$/.test(last) && keys.length > 1) last = `${keys[keys.length - 2].replace(/s$/, '')}${last[0].toUpperCase()}${last.slice(1)}`;
  const listOfScalars = /\]$/.test(path);
  let base = xformName(last, '_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  if (listOfScalars && base.endsWith('S')) base = base.slice(0, -1);
  if (!/^[A-Z_]/.test(base)) base = `V_${base}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

/** A private-use character (JSON.stringify leaves it as it is) around a variable's name in JSON text. */
const MARK = '\uE000';
const marker = (variable: string) => `${MARK}${variable}${MARK}`;

/** A value with variables (markers) as a shell word: quoted pieces and `"$VAR"`s, glued together. */
function wordWithVariables(text: string): string {
  const parts = text.split(MARK);
  let out = '';
  parts.forEach((part, i) => {
    if (i % 2 === 1) out += `"$${part}"`;
    else if (part !== '') out += shellQuote(part);
  });
  return out || "''";
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** Generated values long enough to be found inside another string (`subnet-a,subnet-b`, an ARN in a label). */
const MIN_EMBEDDED = 12;

/** Where a generated value occurs in `text` as a whole token (not inside a longer id). */
function embeds(text: string, value: string): boolean {
  if (value.length < MIN_EMBEDDED) return false;
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) {
    const before = text[i - 1];
    const after = text[i + value.length];
    if ((before === undefined || !/[A-Za-z0-9-]/.test(before)) && (after === undefined || !/[A-Za-z0-9-]/.test(after))) return true;
  }
  return false;
}

/** A string with the generated values it holds (whole, or embedded) as variable markers. */
function withVars(text: string, vars: Map<string, string>): string {
  const whole = vars.get(text);
  if (whole) return marker(whole);
  let out = text;
  for (const [value, variable] of [...vars.entries()].sort((a, b) => b[0].length - a[0].length)) {
    if (embeds(out, value)) out = out.split(value).join(marker(variable));
  }
  return out;
}

/** JSON of a structure or list for the CLI (blobs base64, timestamps ISO), generated values as markers. */
function jsonArg(value: unknown, vars: Map<string, string>): string {
  return JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Date) return raw.toISOString();
    if (raw instanceof Uint8Array) return toBase64(raw);
    if (typeof v === 'string') return withVars(v, vars);
    return v;
  });
}

function scalarWord(value: unknown, vars: Map<string, string>): string {
  if (value instanceof Date) return shellQuote(value.toISOString());
  if (value instanceof Uint8Array) return shellQuote(toBase64(value));
  if (typeof value === 'string') return wordWithVariables(withVars(value, vars));
  return shellQuote(String(value));
}

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || v instanceof Date || v instanceof Uint8Array;

/** The words of one call, `aws <service> <operation> --param value …` with the target's options. */
export function cliWords(call: CliCall, target: CliTarget, vars: Map<string, string> = new Map()): string[] {
  const words = ['aws', cliServiceName(call.service), cliOperationName(call.operation)];
  const input = (call.input ?? {}) as Record<string, unknown>;
  for (const [member, raw] of Object.entries(input)) {
    if (raw === undefined || raw === null) continue;
    let value = raw;
    // The CLI base64-encodes RunInstances' user data itself (botocore's handler); the SDK sends it encoded.
    if (call.service === 'EC2' && call.operation === 'RunInstances' && member === 'UserData' && typeof value === 'string') {
      value = Buffer.from(value, 'base64').toString('utf8');
    }
    if (typeof value === 'boolean') {
      words.push(`--${cliParamName(call.service, call.operation, member, !value)}`);
      continue;
    }
    const option = `--${cliParamName(call.service, call.operation, member)}`;
    if (isScalar(value)) words.push(option, scalarWord(value, vars));
    else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      words.push(option, ...value.map((v) => scalarWord(v, vars)));
    } else words.push(option, wordWithVariables(jsonArg(value, vars)));
  }
  if (target.profile) words.push('--profile', shellQuote(target.profile));
  if (target.region) words.push('--region', shellQuote(target.region));
  const endpoint = target.endpointUrl?.(call.service);
  if (endpoint) words.push('--endpoint-url', shellQuote(endpoint));
  return words;
}

/** Words as one command line, continued over lines (` \`) before each option when it is long. */
function joinWords(words: string[], width = 110): string {
  const line = words.join(' ');
  if (line.length <= width) return line;
  let out = words.slice(0, 3).join(' ');
  for (let i = 3; i < words.length; i++) {
    const w = words[i];
    out += w.startsWith('--') ? ` \\\n    ${w}` : ` ${w}`;
  }
  return out;
}

/** The equivalent of the recorded calls as a shell script (one command per line, IDs in variables). */
export function cliScript(calls: readonly CliCall[], target: CliTarget): string {
  return cliCommands(calls, target).join('\n');
}

/** The commands of `cliScript`, one string each (a command may span lines with ` \`). */
export function cliCommands(calls: readonly CliCall[], target: CliTarget): string[] {
  // Which generated value each call's output introduced first.
  const seen = new Set<string>();
  const firstOutput = new Map<string, { call: number; path: string }>();
  calls.forEach((call, i) => {
    for (const v of stringsOf(call.input)) seen.add(v);
    if (call.error || call.output === undefined) return;
    const found: Array<{ path: string; value: string }> = [];
    leaves(call.output, '', found);
    for (const { path, value } of found) {
      if (seen.has(value) || firstOutput.has(value) || !GENERATED_RE.test(value)) continue;
      firstOutput.set(value, { call: i, path });
    }
  });
  // The generated values a later call sends back, each with its variable.
  const producers = new Map<string, Producer>();
  const taken = new Set<string>();
  calls.forEach((call, i) => {
    if (call.error) return;
    for (const text of stringsOf(call.input)) {
      const found = firstOutput.has(text) ? [text] : [...firstOutput.keys()].filter((v) => embeds(text, v));
      for (const v of found) {
        const first = firstOutput.get(v)!;
        if (first.call < i && !producers.has(v)) producers.set(v, { ...first, variable: variableFor(first.path, taken) });
      }
    }
  });
  const readsOnly = calls.every((c) => isReadOperation(c.operation));
  const feeding = new Set([...producers.values()].map((p) => p.call));
  const vars = new Map<string, string>();
  const lines: string[] = [];
  const shownReads = new Set<string>();
  calls.forEach((call, i) => {
    const words = cliWords(call, target, vars);
    const outputs = [...producers.entries()].filter(([, p]) => p.call === i);
    if (call.error) {
      if (!isReadOperation(call.operation)) lines.push(`# failed (${call.error}): ${joinWords(words).replace(/\n/g, '\n# ')}`);
      return;
    }
    if (isReadOperation(call.operation) && !feeding.has(i)) {
      if (!readsOnly) return;
      const key = words.join(' ');
      if (shownReads.has(key)) return;
      shownReads.add(key);
    }
    if (outputs.length === 0) lines.push(joinWords(words));
    else if (outputs.length === 1 || isReadOperation(call.operation)) {
      // A read can be repeated for each value; a change is made once (below).
      for (const [, p] of outputs) lines.push(`${p.variable}=$(${joinWords([...words, '--query', shellQuote(p.path), '--output', 'text'])})`);
    } else {
      const query = `[${outputs.map(([, p]) => p.path).join(', ')}]`;
      const names = outputs.map(([, p]) => p.variable).join(' ');
      lines.push(`read -r ${names} <<EOF\n$(${joinWords([...words, '--query', shellQuote(query), '--output', 'text'])})\nEOF`);
    }
    for (const [value, p] of outputs) vars.set(value, p.variable);
  });
  return lines;
}
