/**
 * Validates a task-definition JSON document against the shape of ECS RegisterTaskDefinition,
 * before anything is sent: required members, member types, enum values, unknown and read-only
 * members, and the rules ECS enforces on memory and ports. Messages carry JSON paths
 * (`$.containerDefinitions[0].memory`).
 */
import { defaultTranslate, type Translate } from './l10n';

export interface TaskDefinitionIssue {
  /** JSON path of the offending member, e.g. `$.containerDefinitions[1].portMappings[0].hostPort`. */
  path: string;
  message: string;
  /** Errors make ECS refuse the document; warnings are dropped or ignored on registration. */
  severity: 'error' | 'warning';
}

type Kind = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'stringArray' | 'stringMap';
interface Member {
  kind: Kind;
  enum?: readonly string[];
  /** Element schema for arrays of objects. */
  items?: Schema;
  /** Nested object schema. */
  fields?: Schema;
}
type Schema = Record<string, Member>;

const s = (extra: Partial<Member> = {}): Member => ({ kind: 'string', ...extra });
const i: Member = { kind: 'integer' };
const b: Member = { kind: 'boolean' };
const o = (fields?: Schema): Member => ({ kind: 'object', fields });
const a = (items?: Schema): Member => ({ kind: 'array', items });
const sa: Member = { kind: 'stringArray' };

const KEY_VALUE: Schema = { name: s(), value: s() };

const PORT_MAPPING: Schema = {
  containerPort: i,
  hostPort: i,
  protocol: s({ enum: ['tcp', 'udp'] }),
  name: s(),
  appProtocol: s({ enum: ['http', 'http2', 'grpc'] }),
  containerPortRange: s(),
};

const CONTAINER: Schema = {
  name: s(), image: s(), repositoryCredentials: o(), cpu: i, memory: i, memoryReservation: i, links: sa,
  portMappings: a(PORT_MAPPING), essential: b, restartPolicy: o(), entryPoint: sa, command: sa,
  environment: a(KEY_VALUE), environmentFiles: a(), mountPoints: a(), volumesFrom: a(),
  linuxParameters: o(), secrets: a(), dependsOn: a(), startTimeout: i, stopTimeout: i,
  versionConsistency: s({ enum: ['enabled', 'disabled'] }), hostname: s(), user: s(), workingDirectory: s(),
  disableNetworking: b, privileged: b, readonlyRootFilesystem: b, dnsServers: sa, dnsSearchDomains: sa,
  extraHosts: a(), dockerSecurityOptions: sa, interactive: b, pseudoTerminal: b,
  dockerLabels: { kind: 'stringMap' }, ulimits: a(), logConfiguration: o(),
  healthCheck: o({ command: sa, interval: i, timeout: i, retries: i, startPeriod: i }),
  systemControls: a(), resourceRequirements: a(), firelensConfiguration: o(), credentialSpecs: sa,
};

const TOP: Schema = {
  family: s(), taskRoleArn: s(), executionRoleArn: s(),
  networkMode: s({ enum: ['bridge', 'host', 'awsvpc', 'none'] }),
  containerDefinitions: a(CONTAINER), volumes: a(), placementConstraints: a(),
  requiresCompatibilities: { kind: 'stringArray', enum: ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] },
  cpu: s(), memory: s(), tags: a({ key: s(), value: s() }), pidMode: s({ enum: ['host', 'task'] }),
  ipcMode: s({ enum: ['host', 'task', 'none'] }), proxyConfiguration: o(), inferenceAccelerators: a(),
  ephemeralStorage: o({ sizeInGiB: i }), runtimePlatform: o(), enableFaultInjection: b,
};

/** Members DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
export const READ_ONLY_TASK_DEFINITION_MEMBERS: readonly string[] = [
  'taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities',
  'registeredAt', 'registeredBy', 'deregisteredAt', 'deleteRequestedAt',
];

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const KIND_LABEL: Record<Kind, string> = {
  string: 'a string', integer: 'an integer', boolean: 'true or false', object: 'an object',
  array: 'an array', stringArray: 'an array of strings', stringMap: 'an object of strings',
};

/**
 * Validate a task-definition document (JSON text or an already parsed value).
 * Returns an empty array when the document can be registered as is.
 */
export function validateTaskDefinitionDocument(
  document: unknown,
  t: Translate = defaultTranslate,
): TaskDefinitionIssue[] {
  const issues: TaskDefinitionIssue[] = [];
  const err = (path: string, message: string) => issues.push({ path, message, severity: 'error' });
  const warn = (path: string, message: string) => issues.push({ path, message, severity: 'warning' });

  let doc: unknown = document;
  if (typeof document === 'string') {
    try {
      doc = JSON.parse(document);
    } catch (e) {
      err('$', t('The document is not valid JSON: {0}', e instanceof Error ? e.message : String(e)));
      return issues;
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    err('$', t('The task definition must be a JSON object.'));
    return issues;
  }

  const checkValue = (path: string, value: unknown, member: Member): boolean => {
    const ok =
      member.kind === 'string' ? typeof value === 'string'
      : member.kind === 'integer' ? typeof value === 'number' && Number.isInteger(value)
      : member.kind === 'boolean' ? typeof value === 'boolean'
      : member.kind === 'object' ? typeName(value) === 'object'
      : member.kind === 'array' ? Array.isArray(value)
      : member.kind === 'stringArray' ? Array.isArray(value) && value.every((x) => typeof x === 'string')
      : typeName(value) === 'object' && Object.values(value as object).every((x) => typeof x === 'string');
    if (!ok) {
      err(path, t('Expected {0}, found {1}.', t(KIND_LABEL[member.kind]), typeName(value)));
      return false;
    }
    if (member.enum) {
      const values = Array.isArray(value) ? (value as string[]) : [value as string];
      values.forEach((v, idx) => {
        if (!member.enum!.includes(v)) {
          err(Array.isArray(value) ? `${path}[${idx}]` : path, t('"{0}" is not one of: {1}.', v, member.enum!.join(', ')));
        }
      });
    }
    if (member.kind === 'object' && member.fields) checkObject(path, value as Record<string, unknown>, member.fields, false);
    if (member.kind === 'array' && member.items) {
      (value as unknown[]).forEach((item, idx) => {
        const p = `${path}[${idx}]`;
        if (typeName(item) !== 'object') err(p, t('Expected {0}, found {1}.', t(KIND_LABEL.object), typeName(item)));
        else checkObject(p, item as Record<string, unknown>, member.items!, false);
      });
    }
    return true;
  };

  const checkObject = (path: string, obj: Record<string, unknown>, schema: Schema, top: boolean) => {
    for (const [key, value] of Object.entries(obj)) {
      const p = `${path}.${key}`;
      const member = schema[key];
      if (!member) {
        if (top && READ_ONLY_TASK_DEFINITION_MEMBERS.includes(key)) {
          warn(p, t('"{0}" is read-only; it is ignored when registering a new revision.', key));
        } else {
          err(p, t('Unknown member "{0}".', key));
        }
        continue;
      }
      if (value === null) continue; // the CLI and SDK treat null as absent
      checkValue(p, value, member);
    }
  };

  const td = doc as Record<string, unknown>;
  checkObject('$', td, TOP, true);

  if (td.family === undefined || td.family === null || td.family === '') {
    err('$.family', t('"family" is required.'));
  } else if (typeof td.family === 'string' && !/^[a-zA-Z0-9_-]{1,255}$/.test(td.family)) {
    err('$.family', t('Use only letters, digits, hyphens (-) and underscores (_).'));
  }
  if (td.containerDefinitions === undefined || td.containerDefinitions === null) {
    err('$.containerDefinitions', t('"containerDefinitions" is required.'));
  } else if (Array.isArray(td.containerDefinitions)) {
    if (td.containerDefinitions.length === 0) err('$.containerDefinitions', t('Define at least one container.'));
    checkContainers(td, err, t);
  }
  return issues;
}

function checkContainers(
  td: Record<string, unknown>,
  err: (path: string, message: string) => void,
  t: Translate,
): void {
  const containers = td.containerDefinitions as unknown[];
  const names = new Map<string, number>();
  const taskMemory = typeof td.memory === 'string' && td.memory.trim() !== '';
  const networkMode = typeof td.networkMode === 'string' ? td.networkMode : 'bridge';
  containers.forEach((raw, idx) => {
    if (typeName(raw) !== 'object') return;
    const c = raw as Record<string, unknown>;
    const p = `$.containerDefinitions[${idx}]`;
    if (c.name === undefined || c.name === null || c.name === '') err(`${p}.name`, t('"{0}" is required.', 'name'));
    else if (typeof c.name === 'string') {
      if (!/^[a-zA-Z0-9_-]{1,255}$/.test(c.name)) err(`${p}.name`, t('Use only letters, digits, hyphens (-) and underscores (_).'));
      if (names.has(c.name)) err(`${p}.name`, t('Container name "{0}" is used more than once.', c.name));
      names.set(c.name, idx);
    }
    if (c.image === undefined || c.image === null || c.image === '') err(`${p}.image`, t('"{0}" is required.', 'image'));
    const mem = typeof c.memory === 'number' ? c.memory : undefined;
    const res = typeof c.memoryReservation === 'number' ? c.memoryReservation : undefined;
    if (mem !== undefined && mem < 6) err(`${p}.memory`, t('Memory must be at least {0} MiB.', 6));
    if (res !== undefined && res < 6) err(`${p}.memoryReservation`, t('Memory must be at least {0} MiB.', 6));
    if (mem !== undefined && res !== undefined && mem < res) {
      err(`${p}.memory`, t('The hard limit ({0} MiB) must be greater than or equal to the soft limit ({1} MiB).', mem, res));
    }
    if (!taskMemory && mem === undefined && res === undefined) {
      err(p, t('Specify "memory" or "memoryReservation" for container "{0}" (or a task-level "memory").', typeof c.name === 'string' ? c.name : String(idx)));
    }
    if (typeof c.cpu === 'number' && (c.cpu < 0 || c.cpu > 196608)) err(`${p}.cpu`, t('Enter CPU units between {0} and {1} (1024 = 1 vCPU).', 0, 196608));
    if (Array.isArray(c.portMappings)) {
      c.portMappings.forEach((pm, j) => {
        if (typeName(pm) !== 'object') return;
        const m = pm as Record<string, unknown>;
        const pp = `${p}.portMappings[${j}]`;
        if (m.containerPort === undefined && m.containerPortRange === undefined) {
          err(`${pp}.containerPort`, t('"{0}" is required.', 'containerPort'));
        }
        if (typeof m.containerPort === 'number' && (m.containerPort < 1 || m.containerPort > 65535)) {
          err(`${pp}.containerPort`, t('Enter a whole number between {0} and {1}.', 1, 65535));
        }
        if (typeof m.hostPort === 'number') {
          if (m.hostPort < 0 || m.hostPort > 65535) err(`${pp}.hostPort`, t('Enter a whole number between {0} and {1}.', 0, 65535));
          else if ((networkMode === 'awsvpc' || networkMode === 'host') && m.hostPort !== 0 && m.hostPort !== m.containerPort) {
            err(`${pp}.hostPort`, t('In {0} network mode the host port must be empty or equal to the container port.', networkMode));
          }
        }
      });
    }
  });
}
