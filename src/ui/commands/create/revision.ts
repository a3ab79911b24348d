/**
 * `ecsHandson.taskDefinition.registerRevision` — sections 3 and 5: a new revision of a task
 * definition with a changed image (ver2.0), host port (empty = dynamic), CPU, memory, memory
 * reservation or environment. From a revision node (that revision), a family node (its latest
 * ACTIVE revision) or the palette (pick a family). Shows the differences (describeChanges) and
 * asks before registering.
 *
 * Argument (only `taskDefinition` or `family` is needed; absent fields stay as they are):
 * ```ts
 * {
 *   taskDefinition?: string;   // ARN or 'family:revision' to start from
 *   family?: string;           // start from the family's latest ACTIVE revision ('demo-app-task')
 *   containerName?: string;    // which container (needed when there are several)
 *   image?: string;            // e.g. 'uzresk/demo:ver2.0'
 *   containerPort?: number;    // port mapping's container port (default: the current one)
 *   hostPort?: number | null;  // 0 / null = dynamic
 *   cpu?: number | null;
 *   memory?: number | null;
 *   memoryReservation?: number | null;
 *   environment?: { set?: Record<string, string>; remove?: string[] };
 * }
 * ```
 * Returns `{ taskDefinitionArn, family, revision, changes }` (changes: describeChanges lines), or
 * `{ error, code, field? }` (shown too).
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import { deriveRevision, describeChanges, type ContainerChanges } from '../../../core/revision';
import {
  validateCpuUnits, validateHostPort, validateImage, validateMemoryLimits, validateMemoryMiB, validatePort, validateResourceName,
} from '../../../core/validate';
import type { ArgReader } from '../../../core/commands/args';
import type { RegisterRevisionArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import type { TreeNode } from '../../../core/tree-types';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import { defineCommand, field, type CommandContext, type Invalid } from '../command';
import { runSteps, type Step } from '../steps';
import { checkExecutionRoleFor } from './roles';
import { formatEnvironment, parseEnvironment } from './task-definition';

export interface RegisterRevisionResult {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  changes: string[];
}

export interface State {
  /** family, family:revision or ARN. */
  source: string;
  containerName: string;
  image: string;
  containerPort: string;
  hostPort: string;
  cpu: string;
  memory: string;
  memoryReservation: string;
  environment: string;
  /** Environment changes given as an argument (instead of the `environment` text). */
  envChanges?: { set?: Record<string, string>; remove?: string[] };
  /** Filled once the source is described. */
  base?: TaskDefinition;
  /** Fields given as arguments: they stay when the others are filled from the source. */
  keep: Partial<Record<keyof State, boolean>>;
}

export async function describe(clients: AwsClients, source: string): Promise<TaskDefinition> {
  const aws = loadAws();
  const out = await clients.ecs.send(new aws.DescribeTaskDefinitionCommand({ taskDefinition: source }));
  if (!out.taskDefinition) throw new CommandError(t('Task definition {0} not found.', source), 'NotFound');
  return out.taskDefinition;
}

const container = (td: TaskDefinition | undefined, name: string): ContainerDefinition | undefined =>
  td?.containerDefinitions?.find((c) => c.name === name) ?? (name === '' && td?.containerDefinitions?.length === 1 ? td.containerDefinitions[0] : undefined);

/** Fill the fields from the container's current values (fields the user or arguments set stay). */
export function fillFrom(st: State, td: TaskDefinition, keep: Partial<Record<keyof State, boolean>>): void {
  st.base = td;
  const c = container(td, st.containerName) ?? td.containerDefinitions?.[0];
  if (!c) return;
  st.containerName = c.name ?? '';
  const pm = c.portMappings?.[0];
  if (!keep.image) st.image = c.image ?? '';
  if (!keep.containerPort) st.containerPort = pm?.containerPort !== undefined ? String(pm.containerPort) : '';
  if (!keep.hostPort) st.hostPort = pm?.hostPort ? String(pm.hostPort) : '';
  if (!keep.cpu) st.cpu = c.cpu !== undefined ? String(c.cpu) : '';
  if (!keep.memory) st.memory = c.memory !== undefined ? String(c.memory) : '';
  if (!keep.memoryReservation) st.memoryReservation = c.memoryReservation !== undefined ? String(c.memoryReservation) : '';
  if (!keep.environment) st.environment = formatEnvironment(c.environment ?? []);
}

function changesOf(st: State): ContainerChanges {
  const num = (v: string) => (v.trim() === '' ? null : Number(v.trim()));
  const c = container(st.base, st.containerName);
  const change: ContainerChanges = {
    name: st.containerName,
    image: st.image.trim(),
    cpu: num(st.cpu),
    memory: num(st.memory),
    memoryReservation: num(st.memoryReservation),
  };
  if (st.containerPort.trim() !== '') {
    const rest = (c?.portMappings ?? []).slice(1).map((p) => ({ containerPort: p.containerPort ?? 0, hostPort: p.hostPort, protocol: p.protocol }));
    change.portMappings = [{ containerPort: Number(st.containerPort), hostPort: num(st.hostPort), protocol: c?.portMappings?.[0]?.protocol ?? 'tcp' }, ...rest];
  }
  if (st.envChanges) {
    change.environment = st.envChanges;
  } else {
    const now = new Map(parseEnvironment(st.environment).pairs.map((p) => [p.name, p.value]));
    const before = (c?.environment ?? []).map((kv) => kv.name ?? '');
    change.environment = { set: Object.fromEntries(now), remove: before.filter((n) => !now.has(n)) };
  }
  return change;
}

export function check(st: State): Invalid | undefined {
  return (
    field('image', t('Image'), validateImage(st.image, t)) ??
    (st.containerPort.trim() !== '' ? field('containerPort', t('Container port'), validatePort(st.containerPort, t)) : undefined) ??
    field('hostPort', t('Host port'), validateHostPort(st.hostPort, { allowDynamic: true }, t)) ??
    field('cpu', t('CPU units'), validateCpuUnits(st.cpu, { optional: true }, t)) ??
    field('memory', t('Memory'), validateMemoryLimits(st.memory, st.memoryReservation, t, { taskMemory: !!st.base?.memory })) ??
    field('environment', t('Environment'), parseEnvironment(st.environment).error)
  );
}

function steps(clients: AwsClients): Step<State>[] {
  const aws = loadAws();
  return [
    {
      type: 'pick', key: 'source', title: t('Task definition'), when: (st) => st.source === '',
      items: async () => {
        const out = await clients.ecs.send(new aws.ListTaskDefinitionFamiliesCommand({ status: 'ACTIVE' }));
        const families = out.families ?? [];
        if (families.length === 0) throw new Error(t('There are no task definitions yet. Register one first.'));
        return families.map((f) => ({ label: f, description: t('latest ACTIVE revision'), value: f, picked: f === 'demo-app-task' }));
      },
    },
    {
      type: 'pick', key: 'containerName', title: t('Container'),
      // Describe the chosen revision first; the container is only asked when there are several.
      before: async (st) => {
        if (!st.base || !sameSource(st)) fillFrom(st, await describe(clients, st.source), {});
      },
      when: (st) => (st.base?.containerDefinitions?.length ?? 0) > 1,
      items: (st) => (st.base?.containerDefinitions ?? []).map((c) => ({ label: c.name ?? '', description: c.image, value: c.name ?? '' })),
    },
    { type: 'input', key: 'image', title: t('Image'), prompt: t('e.g. uzresk/demo:ver2.0 for the release test'), validate: (v) => validateImage(v, t) },
    { type: 'input', key: 'hostPort', title: t('Host port'), prompt: t('Empty = dynamic host port (section 5 of the hands-on)'), validate: (v) => validateHostPort(v, { allowDynamic: true }, t) },
    { type: 'input', key: 'cpu', title: t('CPU units'), prompt: t('1024 = 1 vCPU; empty = none'), validate: (v) => validateCpuUnits(v, { optional: true }, t) },
    { type: 'input', key: 'memory', title: t('Memory hard limit (MiB)'), prompt: t('empty = none'), validate: (v) => validateMemoryMiB(v, { optional: true }, t) },
    {
      type: 'input', key: 'memoryReservation', title: t('Memory soft limit (MiB)'), prompt: t('empty = none'),
      validate: (v, st) => validateMemoryMiB(v, { optional: true }, t) ?? validateMemoryLimits(st.memory, v, t, { taskMemory: !!st.base?.memory }),
    },
    { type: 'input', key: 'environment', title: t('Environment variables'), prompt: t('KEY=VALUE, separated by commas; empty = none'), validate: (v) => parseEnvironment(v).error },
  ];
}

export const sameSource = (st: State) =>
  !!st.base && (st.base.taskDefinitionArn === st.source || st.base.family === st.source || `${st.base.family}:${st.base.revision}` === st.source);

const EDITABLE = ['image', 'containerPort', 'hostPort', 'cpu', 'memory', 'memoryReservation', 'environment'] as const;

export function draft(source: string, r?: ArgReader<RegisterRevisionArgs>): State {
  const keep: State['keep'] = {};
  for (const k of EDITABLE) if (r?.has(k)) keep[k] = true;
  return {
    source,
    containerName: r?.text('containerName') ?? '',
    image: r?.text('image') ?? '',
    containerPort: r?.text('containerPort') ?? '',
    hostPort: r?.value('hostPort') === 0 ? '' : (r?.text('hostPort') ?? ''),
    cpu: r?.text('cpu') ?? '',
    memory: r?.text('memory') ?? '',
    memoryReservation: r?.text('memoryReservation') ?? '',
    environment: '',
    envChanges: r?.value('environment') as RegisterRevisionArgs['environment'],
    keep,
  };
}

function fromArgs(r: ArgReader<RegisterRevisionArgs>): State {
  const source = r.text('taskDefinition', r.text('family', 'demo-app-task'));
  const [family, revision] = source.startsWith('arn:') ? [] : source.split(':');
  if (family !== undefined) {
    const bad = validateResourceName(family, t) ?? (revision !== undefined && !/^\d+$/.test(revision) ? t('Write a revision as family:number, e.g. demo-app-task:1.') : undefined);
    if (bad) r.fail(`${t('Task definition')}: ${bad}`, 'taskDefinition');
  }
  return draft(source, r);
}

/** A revision row: that revision; a family row: its latest ACTIVE revision. */
const fromRow = (node: TreeNode): State => draft(node.context?.taskDefinitionArn || node.context?.family || node.resource || '');

/** The differences against the source revision, for a person to confirm (or edit). */
export async function review(ctx: CommandContext, st: State): Promise<'ok' | 'edit' | 'cancel'> {
  const base = st.base!;
  const edit = t('Edit…');
  let lines: string[];
  try {
    lines = describeChanges(base, deriveRevision(base, { containers: [changesOf(st)] }, t), t);
  } catch (e) {
    return (await vscode.window.showErrorMessage(`${ctx.title}: ${(e as Error).message}`, edit)) ? 'edit' : 'cancel';
  }
  if (lines.length === 0) {
    return (await vscode.window.showWarningMessage(t('Nothing changed compared to {0}:{1}.', base.family ?? '', base.revision ?? 0), edit)) === edit ? 'edit' : 'cancel';
  }
  const register = t('Register');
  const choice = await vscode.window.showInformationMessage(
    t('Register a new revision of {0} (from revision {1})?', base.family ?? '', base.revision ?? 0),
    { modal: true, detail: lines.join('\n') },
    register,
    edit,
  );
  return choice === register ? 'ok' : choice === edit ? 'edit' : 'cancel';
}

export async function registerRevision(ctx: CommandContext, st: State): Promise<RegisterRevisionResult> {
  const clients = await ctx.clients();
  const result = await ctx.progress(ctx.title, async (progress) => {
    const aws = loadAws();
    if (!st.base || !sameSource(st)) {
      progress.report({ message: t('Reading {0}…', st.source) });
      fillFrom(st, await describe(clients, st.source), st.keep);
      const bad = check(st);
      if (bad) throw new CommandError(bad.message, 'InvalidArguments', bad.field);
    }
    const base = st.base!;
    const input = deriveRevision(base, { containers: [changesOf(st)] }, t);
    const lines = describeChanges(base, input, t);
    if (lines.length === 0) throw new CommandError(t('Nothing changed compared to {0}:{1}.', base.family ?? '', base.revision ?? 0));
    // As Register Task Definition: the execution role it names exists, or one it now needs (an ECR image on Fargate) is offered.
    await checkExecutionRoleFor(ctx, clients, input, progress);
    progress.report({ message: t('Registering {0}…', base.family ?? '') });
    const out = await clients.ecs.send(new aws.RegisterTaskDefinitionCommand(input));
    const td = out.taskDefinition;
    return { taskDefinitionArn: td?.taskDefinitionArn ?? '', family: td?.family ?? '', revision: td?.revision ?? 0, changes: lines };
  });
  ctx.services.refresh({ kind: 'taskDefinitions' });
  void ctx.notify('info', t('Registered {0}:{1}.', result.family, result.revision));
  return result;
}

export const registerRevisionCommand = defineCommand({
  id: 'ecsHandson.taskDefinition.registerRevision',
  title: () => t('Register new revision'),
  args: fromArgs,
  row: fromRow,
  palette: () => draft(''),
  ask: async (ctx, st) => runSteps(ctx.title, steps(await ctx.clients()), st),
  // Before the revision is described (argument runs) `run` checks after filling the fields.
  check: (st) => (st.base ? check(st) : undefined),
  review,
  run: registerRevision,
});
