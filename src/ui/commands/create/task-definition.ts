/**
 * `ecsHandson.taskDefinition.register` — section 1b: register a task definition, from a form
 * (family, container, image, CPU, hard/soft memory, port mapping, environment) or from a JSON
 * document opened in the editor (validated with taskdef-validate while typing: problems appear as
 * diagnostics at their JSON paths; "Register" refuses while there are errors).
 *
 * Argument (all optional; defaults are the hands-on's):
 * ```ts
 * {
 *   family?: string;                 // 'demo-app-task'
 *   containerName?: string;          // 'demo-app'
 *   image?: string;                  // 'uzresk/demo:ver1.0'
 *   cpu?: number;                    // 256 (container CPU units)
 *   memory?: number | null;          // 512 (hard limit, MiB; null = none)
 *   memoryReservation?: number | null; // 256 (soft limit, MiB; null = none)
 *   containerPort?: number;          // 8080
 *   hostPort?: number | null;        // 80 (0 / null = dynamic host port)
 *   environment?: Record<string, string> | string[];  // {K: 'V'} or ['K=V']
 *   logs?: boolean;                  // true: awslogs to /ecs/<family>, as the console's default
 *   // or, instead of the fields: a whole RegisterTaskDefinition input
 *   document?: string | object;
 * }
 * ```
 * Returns `{ taskDefinitionArn, family, revision, logGroupsCreated? }`, or `{ error, code, field? }` (the error is shown too).
 *
 * Log collection (src/core/taskdef-logs.ts): the form's container sends its output to CloudWatch
 * Logs by default, as in the console — group `/ecs/<family>`, stream prefix `ecs`,
 * `awslogs-create-group`, the connection's region. The log groups of the registered document's
 * awslogs containers are created when missing (the instance role and the execution role's managed
 * policies cannot create them); a group that cannot be created is a warning, not a failure.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { REGISTER_TASK_DEFINITION_MEMBERS } from '../../../core/revision';
import { validateTaskDefinitionDocument, type TaskDefinitionIssue } from '../../../core/taskdef-validate';
import {
  validateCpuUnits, validateHostPort, validateImage, validateMemoryLimits, validateMemoryMiB, validatePort, validateResourceName,
} from '../../../core/validate';
import type { ArgReader } from '../../../core/commands/args';
import type { RegisterTaskDefinitionArgs } from '../../../core/commands/contract';
import { ArgumentError } from '../../../core/commands/failure';
import { MANAGED_TAG_KEY, managedEcsTag } from '../../../core/managed';
import { awslogsGroups, defaultLogConfiguration, defaultLogGroup } from '../../../core/taskdef-logs';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { UiContext } from '../../ui-context';
import { defineCommand, field, type CommandContext, type Invalid } from '../command';
import { runSteps, type Step } from '../steps';
import { locate, locateJsonPaths } from './json-locate';
import { checkExecutionRoleFor } from './roles';

export interface RegisterTaskDefinitionResult {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  /** Log groups created for the awslogs containers (they did not exist). */
  logGroupsCreated?: string[];
}

interface State {
  family: string;
  containerName: string;
  image: string;
  cpu: string;
  memory: string;
  memoryReservation: string;
  containerPort: string;
  hostPort: string;
  environment: string;
  /** Log collection: the awslogs driver to CloudWatch Logs (the console's default), or none. */
  logs: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "KEY=VALUE, KEY2=VALUE2" → pairs (values may contain '='; a comma inside a value is written \,). */
export function parseEnvironment(text: string): { pairs: { name: string; value: string }[]; error?: string } {
  const pairs: { name: string; value: string }[] = [];
  if (text.trim() === '') return { pairs };
  for (const raw of text.split(/(?<!\\),/)) {
    const entry = raw.trim().replace(/\\,/g, ',');
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq).trim();
    if (eq < 0 || !ENV_NAME.test(name)) return { pairs, error: t('"{0}" is not KEY=VALUE (KEY: letters, digits and _, not starting with a digit).', entry) };
    if (pairs.some((p) => p.name === name)) return { pairs, error: t('{0} is set twice.', name) };
    pairs.push({ name, value: entry.slice(eq + 1) });
  }
  return { pairs };
}

export const formatEnvironment = (pairs: { name?: string; value?: string }[]): string =>
  pairs.map((p) => `${p.name ?? ''}=${(p.value ?? '').replace(/,/g, '\\,')}`).join(', ');

function check(st: State): Invalid | undefined {
  return (
    field('family', t('Family'), validateResourceName(st.family, t)) ??
    field('containerName', t('Container name'), validateResourceName(st.containerName, t)) ??
    field('image', t('Image'), validateImage(st.image, t)) ??
    field('cpu', t('CPU units'), validateCpuUnits(st.cpu, { optional: true }, t)) ??
    field('memory', t('Memory'), validateMemoryLimits(st.memory, st.memoryReservation, t)) ??
    field('containerPort', t('Container port'), validatePort(st.containerPort, t)) ??
    field('hostPort', t('Host port'), validateHostPort(st.hostPort, { allowDynamic: true }, t)) ??
    field('environment', t('Environment'), parseEnvironment(st.environment).error)
  );
}

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v.trim()));

/** The RegisterTaskDefinition input of the form; `region`: the connection's (the awslogs region). */
export function formToInput(st: State, region: string): RegisterTaskDefinitionCommandInput {
  const host = num(st.hostPort);
  return {
    family: st.family.trim(),
    networkMode: 'bridge',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [
      {
        name: st.containerName.trim(),
        image: st.image.trim(),
        essential: true,
        ...(num(st.cpu) !== undefined ? { cpu: num(st.cpu) } : {}),
        ...(num(st.memory) !== undefined ? { memory: num(st.memory) } : {}),
        ...(num(st.memoryReservation) !== undefined ? { memoryReservation: num(st.memoryReservation) } : {}),
        portMappings: [{ containerPort: Number(st.containerPort), hostPort: host ?? 0, protocol: 'tcp' }],
        environment: parseEnvironment(st.environment).pairs,
        ...(st.logs ? { logConfiguration: defaultLogConfiguration(st.family.trim(), region) } : {}),
      },
    ],
    tags: [managedEcsTag()],
  };
}

function steps(): Step<State>[] {
  return [
    { type: 'input', key: 'family', title: t('Family'), prompt: t('Task definition name'), validate: (v) => validateResourceName(v, t) },
    { type: 'input', key: 'containerName', title: t('Container name'), validate: (v) => validateResourceName(v, t) },
    { type: 'input', key: 'image', title: t('Image'), prompt: t('Built into the sandbox: uzresk/demo:ver1.0 and uzresk/demo:ver2.0'), validate: (v) => validateImage(v, t) },
    { type: 'input', key: 'cpu', title: t('CPU units'), prompt: t('1024 = 1 vCPU; empty = none'), validate: (v) => validateCpuUnits(v, { optional: true }, t) },
    { type: 'input', key: 'memory', title: t('Memory hard limit (MiB)'), prompt: t('memory: the container is killed above it; empty = none'), validate: (v) => validateMemoryMiB(v, { optional: true }, t) },
    {
      type: 'input', key: 'memoryReservation', title: t('Memory soft limit (MiB)'),
      prompt: t('memoryReservation: reserved on the instance; empty = none'),
      validate: (v, st) => validateMemoryMiB(v, { optional: true }, t) ?? validateMemoryLimits(st.memory, v, t),
    },
    { type: 'input', key: 'containerPort', title: t('Container port'), prompt: t('The port the app listens on (the demo app: 8080)'), validate: (v) => validatePort(v, t) },
    { type: 'input', key: 'hostPort', title: t('Host port'), prompt: t('Empty = dynamic host port (section 5 of the hands-on)'), validate: (v) => validateHostPort(v, { allowDynamic: true }, t) },
    { type: 'input', key: 'environment', title: t('Environment variables'), prompt: t('KEY=VALUE, separated by commas; empty = none'), placeholder: 'GREETING=hello, MODE=demo', validate: (v) => parseEnvironment(v).error },
    {
      type: 'pick', key: 'logs', title: t('Log collection'),
      items: (st) => [
        { label: t('Amazon CloudWatch Logs'), description: t('awslogs driver, log group {0} (created if missing), as the console does', defaultLogGroup(st.family.trim())), value: true },
        { label: t('None'), description: t('the container\'s output is not kept; Show Logs has nothing to show'), value: false },
      ],
    },
  ];
}

async function register(clients: AwsClients, input: RegisterTaskDefinitionCommandInput): Promise<RegisterTaskDefinitionResult> {
  const aws = loadAws();
  const out = await clients.ecs.send(new aws.RegisterTaskDefinitionCommand(input));
  const td = out.taskDefinition;
  return { taskDefinitionArn: td?.taskDefinitionArn ?? '', family: td?.family ?? input.family ?? '', revision: td?.revision ?? 0 };
}

/** Keep the members RegisterTaskDefinition accepts (read-only ones are dropped, as taskdef-validate warns). */
function documentToInput(doc: Record<string, unknown>): RegisterTaskDefinitionCommandInput {
  const out: Record<string, unknown> = {};
  for (const k of REGISTER_TASK_DEFINITION_MEMBERS) if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  if (!Array.isArray(out.tags) || !(out.tags as { key?: string }[]).some((x) => x.key === MANAGED_TAG_KEY)) {
    out.tags = [...((out.tags as unknown[]) ?? []), managedEcsTag()];
  }
  return out as unknown as RegisterTaskDefinitionCommandInput;
}

const issuesText = (issues: TaskDefinitionIssue[]) => issues.map((x) => `${x.path}: ${x.message}`).join('; ');

const diagnostics = (() => {
  let c: vscode.DiagnosticCollection | undefined;
  return (s: UiContext) => {
    if (!c) {
      c = vscode.languages.createDiagnosticCollection('ecsHandson.taskDefinition');
      s.context.subscriptions.push(c);
    }
    return c;
  };
})();

function showIssues(s: UiContext, doc: vscode.TextDocument): TaskDefinitionIssue[] {
  const text = doc.getText();
  const issues = validateTaskDefinitionDocument(text, t);
  const spans = locateJsonPaths(text);
  diagnostics(s).set(
    doc.uri,
    issues.map((x) => {
      const span = locate(spans, x.path) ?? { start: 0, end: 0 };
      const d = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end)),
        `${x.path}: ${x.message}`,
        x.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'ECS task definition';
      return d;
    }),
  );
  return issues;
}

/** The draft: the form's fields, or a whole document (an argument, or typed in the editor). */
interface Draft {
  form: State;
  /** How a person edits it: the form's steps, or a JSON document in an editor. */
  how: 'form' | 'json';
  /** A whole RegisterTaskDefinition input, checked (the `document` argument, or the editor's text). */
  document?: Record<string, unknown>;
  /** JSON mode: the editor's document (kept, so that Retry asks for Register on it again). */
  editor?: vscode.TextDocument;
}

/** JSON mode: an untitled document, checked as the user types; resolves when the user chose Register. */
async function editInEditor(s: UiContext, d: Draft, region: string): Promise<Draft | undefined> {
  const title = t('Register task definition');
  let doc = d.editor;
  if (!doc || doc.isClosed) {
    const template = { ...formToInput(d.form, region) } as Record<string, unknown>;
    delete template.tags;
    doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(template, null, 2)}\n` });
  }
  await vscode.window.showTextDocument(doc);
  showIssues(s, doc);
  const editor = doc;
  const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document === editor && showIssues(s, editor));
  try {
    const registerLabel = t('Register');
    for (;;) {
      const choice = await vscode.window.showInformationMessage(t('Edit the task definition in the editor, then choose Register.'), registerLabel);
      if (choice !== registerLabel || editor.isClosed) return undefined;
      const errors = showIssues(s, editor).filter((x) => x.severity === 'error');
      if (errors.length > 0) {
        await vscode.window.showErrorMessage(t('{0}: fix {1} problem(s) first — {2}', title, errors.length, issuesText(errors)));
        continue;
      }
      return { ...d, editor, document: JSON.parse(editor.getText()) as Record<string, unknown> };
    }
  } finally {
    sub.dispose();
  }
}

function initialState(r?: ArgReader<RegisterTaskDefinitionArgs>): State {
  const env = r?.value('environment');
  return {
    family: r?.text('family', 'demo-app-task') ?? 'demo-app-task',
    containerName: r?.text('containerName', 'demo-app') ?? 'demo-app',
    image: r?.text('image', 'uzresk/demo:ver1.0') ?? 'uzresk/demo:ver1.0',
    cpu: r?.text('cpu', '256') ?? '256',
    memory: r?.text('memory', '512') ?? '512',
    memoryReservation: r?.text('memoryReservation', '256') ?? '256',
    containerPort: r?.text('containerPort', '8080') ?? '8080',
    hostPort: r?.value('hostPort') === 0 ? '' : (r?.text('hostPort', '80') ?? '80'),
    environment: Array.isArray(env)
      ? env.map((e) => String(e).replace(/,/g, '\\,')).join(', ')
      : env && typeof env === 'object'
        ? formatEnvironment(Object.entries(env).map(([name, value]) => ({ name, value: String(value) })))
        : '',
    logs: r?.bool('logs') ?? true,
  };
}

/** The `document` argument: refused with the first problem's JSON path when taskdef-validate finds errors. */
function documentArg(document: unknown): Record<string, unknown> {
  const issues = validateTaskDefinitionDocument(document as string | object, t).filter((x) => x.severity === 'error');
  if (issues.length > 0) throw new ArgumentError(issuesText(issues), issues[0].path);
  return (typeof document === 'string' ? JSON.parse(document) : document) as Record<string, unknown>;
}

export const registerTaskDefinitionCommand = defineCommand({
  id: 'ecsHandson.taskDefinition.register',
  title: () => t('Register task definition'),
  args: (r): Draft => (r.value('document') !== undefined ? { form: initialState(), how: 'form', document: documentArg(r.value('document')) } : { form: initialState(r), how: 'form' }),
  palette: async (ctx): Promise<Draft | undefined> => {
    // First the form or JSON choice (the form continues with its steps).
    const how = await vscode.window.showQuickPick(
      [
        { label: t('Form'), description: t('the fields of the hands-on, one by one'), value: 'form' as const },
        { label: t('JSON editor'), description: t('edit a whole task definition, checked as you type'), value: 'json' as const },
      ],
      { title: ctx.title },
    );
    return how ? { form: initialState(), how: how.value } : undefined;
  },
  ask: async (ctx, d) => {
    if (d.how === 'json') return editInEditor(ctx.services, d, await (await ctx.clients()).region());
    const form = await runSteps(ctx.title, steps(), d.form);
    return form ? { ...d, form } : undefined;
  },
  check: (d) => (d.document ? undefined : check(d.form)),
  run: (ctx, d) => registerDraft(ctx, d),
});

async function registerDraft(ctx: CommandContext, d: Draft): Promise<RegisterTaskDefinitionResult> {
  const clients = await ctx.clients();
  const input = d.document ? documentToInput(d.document) : formToInput(d.form, await clients.region());
  // The execution role it names must exist; one it needs and does not name is offered (ECS would refuse it).
  await checkExecutionRoleFor(ctx, clients, input);
  const result = await ctx.progress(ctx.title, (progress) => {
    if (!d.document) progress.report({ message: t('Registering {0}…', d.form.family) });
    return register(clients, input);
  });
  const created = await createLogGroups(ctx, clients, input);
  if (created.length > 0) result.logGroupsCreated = created;
  ctx.services.refresh({ kind: 'taskDefinitions' });
  if (d.editor) diagnostics(ctx.services).delete(d.editor.uri);
  const logsText = created.length > 0 ? t('Created log group {0} in CloudWatch Logs: the container logs go there (Show Logs on a task or service).', created.join(', ')) : undefined;
  // An argument document is the caller's (the walkthrough reports it); the form and the editor are a person's.
  if (!d.document || d.editor) void ctx.notify('info', [t('Registered {0}:{1}.', result.family, result.revision), ...(logsText ? [logsText] : [])].join(' '));
  else if (logsText) ctx.tell(logsText);
  return result;
}

/**
 * The log groups of the registered document's awslogs containers, created when missing (as the
 * console's "Auto-configure CloudWatch Logs" did: src/core/taskdef-logs.ts says why). Returns the
 * groups created; one that cannot be created (e.g. AccessDenied on real AWS) is a warning: the
 * task definition is registered, and its tasks start once the group exists.
 */
async function createLogGroups(ctx: CommandContext, clients: AwsClients, input: RegisterTaskDefinitionCommandInput): Promise<string[]> {
  const aws = loadAws();
  const created: string[] = [];
  for (const g of awslogsGroups(input as unknown as Record<string, unknown>)) {
    try {
      if ((await aws.ensureLogGroup(clients.logsIn(g.region), g.group)) === 'created') {
        created.push(g.group);
        ctx.services.log.info(`Created log group ${g.group}${g.region ? ` in ${g.region}` : ''} for ${g.containers.join(', ')}.`);
      }
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      ctx.services.log.warn(`Could not create log group ${g.group}: ${why}`);
      void ctx.notify('warning', t('Could not create log group {0} ({1}). Tasks create it when they start only if their role may call logs:CreateLogGroup, which neither ecsInstanceRole\'s nor the task execution role\'s managed policy grants: create the group, or allow that action.', g.group, why));
    }
  }
  return created;
}
