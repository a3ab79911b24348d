/** Explorer nodes for task-definition families and revisions. */
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import { escapeMarkdown, familyOf, revisionFromArn, revisionNumberOf } from './format';
import { defaultTranslate, type Translate } from './l10n';
import { COLOR, childId, markdownTable, type NodeContext, type TreeNode } from './tree-types';

/** "80→80/tcp", "dynamic→80/tcp" for a container's port mappings. */
export function formatPortMappings(c: ContainerDefinition): string[] {
  return (c.portMappings ?? []).map((p) => `${p.hostPort ? p.hostPort : 'dynamic'}→${p.containerPort}/${p.protocol ?? 'tcp'}`);
}

/** A task-definition family (from ListTaskDefinitionFamilies), optionally with its latest revision. */
export function taskDefinitionFamilyNode(
  family: string,
  ctx: NodeContext & { latest?: TaskDefinition; revisionCount?: number } = {},
  t: Translate = defaultTranslate,
): TreeNode {
  const latest = ctx.latest;
  const parts: string[] = [];
  if (latest?.revision !== undefined) parts.push(t('latest :{0}', latest.revision));
  if (ctx.revisionCount !== undefined) parts.push(t('{0} revisions', ctx.revisionCount));
  return {
    id: childId(ctx.parentId, 'family', family),
    kind: 'taskDefinitionFamily',
    label: family,
    description: parts.join(' · ') || undefined,
    tooltip: markdownTable(escapeMarkdown(family), [
      [t('Latest revision'), latest ? revisionFromArn(latest.taskDefinitionArn) : undefined],
      [t('Images'), latest ? (latest.containerDefinitions ?? []).map((c) => `\`${c.image}\``).join(', ') : undefined],
    ]),
    icon: 'file-code',
    contextValue: 'ecsHandson.taskDefinitionFamily',
    collapsible: 'collapsed',
    children: { type: 'taskDefinitionRevisions', family },
    resource: family,
    context: { family },
  };
}

/**
 * A revision. Pass the described TaskDefinition for details, or just the ARN (from
 * ListTaskDefinitions) for a plain node; `status` marks INACTIVE revisions when only the ARN is known.
 */
export function taskDefinitionRevisionNode(
  td: TaskDefinition | string,
  ctx: NodeContext & { status?: string } = {},
  t: Translate = defaultTranslate,
): TreeNode {
  const arn = typeof td === 'string' ? td : td.taskDefinitionArn ?? '';
  const def = typeof td === 'string' ? undefined : td;
  const status = def?.status ?? ctx.status ?? 'ACTIVE';
  const revision = revisionFromArn(arn);
  const containers = def?.containerDefinitions ?? [];
  const images = containers.map((c) => c.image ?? '').filter(Boolean);
  const ports = containers.flatMap(formatPortMappings);
  const parts: string[] = [];
  if (status !== 'ACTIVE') parts.push(status);
  if (images.length) parts.push(images.join(', '));
  if (ports.length) parts.push(ports.join(' '));
  const resources = def ? cpuMemoryText(def) : '';
  if (resources) parts.push(resources);
  let tooltip = markdownTable(escapeMarkdown(revision), [
    [t('Status'), status],
    [t('Network mode'), def?.networkMode],
    [t('Task CPU / memory'), def?.cpu || def?.memory ? `${def?.cpu ?? '-'} / ${def?.memory ?? '-'}` : undefined],
    [t('Registered'), def?.registeredAt ? new Date(def.registeredAt).toISOString() : undefined],
  ]);
  for (const c of containers) {
    tooltip += `\n\n**${escapeMarkdown(c.name ?? '')}** \`${c.image ?? ''}\``;
    const rows = [
      c.cpu !== undefined ? t('CPU {0}', c.cpu) : '',
      c.memory !== undefined ? t('memory {0} MiB (hard)', c.memory) : '',
      c.memoryReservation !== undefined ? t('memoryReservation {0} MiB (soft)', c.memoryReservation) : '',
      formatPortMappings(c).length ? t('ports {0}', formatPortMappings(c).join(', ')) : '',
    ].filter(Boolean);
    if (rows.length) tooltip += `\n\n${rows.join(' · ')}`;
  }
  return {
    id: childId(ctx.parentId, 'revision', arn),
    kind: 'taskDefinitionRevision',
    label: revisionNumberOf(revision) !== undefined ? `${familyOf(revision)}:${revisionNumberOf(revision)}` : revision,
    description: parts.join(' · ') || undefined,
    tooltip,
    icon: 'versions',
    color: status === 'ACTIVE' ? undefined : COLOR.inactive,
    contextValue: `ecsHandson.taskDefinitionRevision.${status.toLowerCase()}`,
    collapsible: 'none',
    resource: arn,
    context: { taskDefinitionArn: arn, family: familyOf(revision) },
  };
}

function cpuMemoryText(def: TaskDefinition): string {
  const containers = def.containerDefinitions ?? [];
  const cpu = def.cpu ?? (containers.some((c) => c.cpu !== undefined) ? String(containers.reduce((n, c) => n + (c.cpu ?? 0), 0)) : undefined);
  const hard = containers.reduce((n, c) => n + (c.memory ?? 0), 0);
  const soft = containers.reduce((n, c) => n + (c.memoryReservation ?? 0), 0);
  const mem = def.memory ?? (hard ? `${hard}` : soft ? `${soft} (soft)` : undefined);
  return [cpu ? `cpu ${cpu}` : '', mem ? `mem ${mem}` : ''].filter(Boolean).join(' / ');
}
