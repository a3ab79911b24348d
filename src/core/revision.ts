/**
 * Revision derivation: turn a described task definition into the input of a new revision, with
 * read-only members stripped and the requested changes applied; and describe the difference for
 * a confirmation prompt.
 */
import type {
  ContainerDefinition,
  KeyValuePair,
  PortMapping,
  RegisterTaskDefinitionCommandInput,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { defaultTranslate, type Translate } from './l10n';

/** Members of RegisterTaskDefinition's input; everything else DescribeTaskDefinition returns is read-only. */
export const REGISTER_TASK_DEFINITION_MEMBERS = [
  'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes',
  'placementConstraints', 'requiresCompatibilities', 'cpu', 'memory', 'tags', 'pidMode', 'ipcMode',
  'proxyConfiguration', 'inferenceAccelerators', 'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection',
] as const satisfies ReadonlyArray<keyof RegisterTaskDefinitionCommandInput>;

/** A port mapping change. `hostPort` 0, null or absent = dynamic host port (bridge mode). */
export interface PortMappingSpec {
  containerPort: number;
  hostPort?: number | null;
  protocol?: 'tcp' | 'udp';
}

/** Changes to one container. `null` removes the setting. */
export interface ContainerChanges {
  /** Container to change; may be omitted when the task definition has exactly one container. */
  name?: string;
  image?: string;
  /** Replaces all port mappings of the container. */
  portMappings?: PortMappingSpec[];
  cpu?: number | null;
  /** Hard limit in MiB. */
  memory?: number | null;
  /** Soft limit in MiB. */
  memoryReservation?: number | null;
  environment?: { set?: Record<string, string>; remove?: string[] };
}

export interface RevisionChanges {
  containers?: ContainerChanges[];
  /** Task-level CPU ("256", "1 vCPU"); null removes it. */
  taskCpu?: string | null;
  /** Task-level memory ("512", "1 GB"); null removes it. */
  taskMemory?: string | null;
}

/** Raised when the changes cannot be applied (unknown container, ambiguous container, hard < soft). */
export class RevisionError extends Error {
  override readonly name = 'RevisionError';
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** The RegisterTaskDefinition input equivalent to a described task definition (read-only members stripped). */
export function toRegisterInput(td: TaskDefinition, t: Translate = defaultTranslate): RegisterTaskDefinitionCommandInput {
  if (!td.family) throw new RevisionError(t('The task definition has no family.'));
  const out: Record<string, unknown> = {};
  for (const key of REGISTER_TASK_DEFINITION_MEMBERS) {
    const value = (td as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) out[key] = clone(value);
  }
  return out as unknown as RegisterTaskDefinitionCommandInput;
}

/**
 * A new revision's input: `toRegisterInput(td)` with `changes` applied.
 * @throws RevisionError when a change cannot be applied.
 */
export function deriveRevision(
  td: TaskDefinition,
  changes: RevisionChanges,
  t: Translate = defaultTranslate,
): RegisterTaskDefinitionCommandInput {
  const input = toRegisterInput(td, t);
  const containers = input.containerDefinitions ?? [];
  for (const change of changes.containers ?? []) {
    const target = findContainer(containers, change.name, t);
    applyContainerChanges(target, change, input.networkMode, t);
  }
  if (changes.taskCpu !== undefined) setOrDelete(input, 'cpu', changes.taskCpu);
  if (changes.taskMemory !== undefined) setOrDelete(input, 'memory', changes.taskMemory);
  return input;
}

function findContainer(containers: ContainerDefinition[], name: string | undefined, t: Translate): ContainerDefinition {
  if (name === undefined) {
    if (containers.length !== 1) {
      throw new RevisionError(t('The task definition has {0} containers; choose one.', containers.length));
    }
    return containers[0];
  }
  const found = containers.find((c) => c.name === name);
  if (!found) throw new RevisionError(t('No container named "{0}" in the task definition.', name));
  return found;
}

function setOrDelete<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | null): void {
  if (value === null) delete obj[key];
  else obj[key] = value;
}

function applyContainerChanges(
  c: ContainerDefinition,
  change: ContainerChanges,
  networkMode: string | undefined,
  t: Translate,
): void {
  if (change.image !== undefined) c.image = change.image;
  if (change.cpu !== undefined) setOrDelete(c, 'cpu', change.cpu);
  if (change.memory !== undefined) setOrDelete(c, 'memory', change.memory);
  if (change.memoryReservation !== undefined) setOrDelete(c, 'memoryReservation', change.memoryReservation);
  if (c.memory !== undefined && c.memoryReservation !== undefined && c.memory < c.memoryReservation) {
    throw new RevisionError(
      t('The hard limit ({0} MiB) must be greater than or equal to the soft limit ({1} MiB).', c.memory, c.memoryReservation),
    );
  }
  if (change.portMappings) {
    c.portMappings = change.portMappings.map((pm): PortMapping => {
      const dynamic = pm.hostPort === undefined || pm.hostPort === null || pm.hostPort === 0;
      const fixedHostOnly = networkMode === 'awsvpc' || networkMode === 'host';
      if (fixedHostOnly && !dynamic && pm.hostPort !== pm.containerPort) {
        throw new RevisionError(
          t('In {0} network mode the host port must be empty or equal to the container port.', networkMode),
        );
      }
      return {
        containerPort: pm.containerPort,
        hostPort: dynamic ? (fixedHostOnly ? pm.containerPort : 0) : pm.hostPort!,
        protocol: pm.protocol ?? 'tcp',
      };
    });
  }
  if (change.environment) {
    const env = new Map<string, string>((c.environment ?? []).map((kv) => [kv.name ?? '', kv.value ?? '']));
    for (const name of change.environment.remove ?? []) env.delete(name);
    for (const [name, value] of Object.entries(change.environment.set ?? {})) env.set(name, value);
    c.environment = [...env].map(([name, value]): KeyValuePair => ({ name, value }));
  }
}

/** The part of a task definition `describeChanges` compares (a TaskDefinition or a register input). */
export type TaskDefinitionLike = Pick<TaskDefinition, 'containerDefinitions' | 'cpu' | 'memory' | 'networkMode'>;

const fmtPorts = (pms: PortMapping[] | undefined): string =>
  pms && pms.length > 0
    ? pms.map((p) => `${p.hostPort ? p.hostPort : 'dynamic'}→${p.containerPort}/${p.protocol ?? 'tcp'}`).join(', ')
    : 'none';

const fmt = (v: string | number | null | undefined): string => (v === undefined || v === null || v === '' ? 'none' : String(v));

/**
 * Human-readable lines for each difference, e.g.
 * `Container "web": image nginx:1.25 → nginx:1.27`, `Container "web": memory (hard) 512 → 256 MiB`.
 */
export function describeChanges(before: TaskDefinitionLike, after: TaskDefinitionLike, t: Translate = defaultTranslate): string[] {
  const lines: string[] = [];
  if (fmt(before.cpu) !== fmt(after.cpu)) lines.push(t('Task CPU: {0} → {1}', fmt(before.cpu), fmt(after.cpu)));
  if (fmt(before.memory) !== fmt(after.memory)) lines.push(t('Task memory: {0} → {1}', fmt(before.memory), fmt(after.memory)));
  const beforeByName = new Map((before.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  const afterByName = new Map((after.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  for (const [name, b] of beforeByName) {
    const a = afterByName.get(name);
    if (!a) {
      lines.push(t('Container "{0}" removed', name));
      continue;
    }
    const field = (label: string, x: string | number | undefined, y: string | number | undefined) => {
      if (fmt(x) !== fmt(y)) lines.push(t('Container "{0}": {1} {2} → {3}', name, t(label), fmt(x), fmt(y)));
    };
    field('image', b.image, a.image);
    field('CPU units', b.cpu, a.cpu);
    field('memory (hard, MiB)', b.memory, a.memory);
    field('memory reservation (soft, MiB)', b.memoryReservation, a.memoryReservation);
    field('port mappings', fmtPorts(b.portMappings), fmtPorts(a.portMappings));
    const be = new Map((b.environment ?? []).map((kv) => [kv.name ?? '', kv.value ?? '']));
    const ae = new Map((a.environment ?? []).map((kv) => [kv.name ?? '', kv.value ?? '']));
    for (const [k, v] of ae) {
      if (!be.has(k)) lines.push(t('Container "{0}": environment {1}={2} added', name, k, v));
      else if (be.get(k) !== v) lines.push(t('Container "{0}": environment {1}: {2} → {3}', name, k, be.get(k)!, v));
    }
    for (const k of be.keys()) if (!ae.has(k)) lines.push(t('Container "{0}": environment {1} removed', name, k));
  }
  for (const name of afterByName.keys()) if (!beforeByName.has(name)) lines.push(t('Container "{0}" added', name));
  return lines;
}
