/**
 * What the rollout status bar item and the rollout view show, as pure functions of the tracked
 * rollouts (no vscode import, so they are unit-tested with plain mocha): the item's text, tooltip
 * (Markdown), accessibility label, which rollout is the most relevant, and the rollout view's body
 * (HTML, every text escaped; the page and its styles are webview/src/rollout.ts and webview/rollout.css).
 */
import type { Service, ServiceEvent, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { explainRollout, type PlainExplanation } from '../../core/explain';
import { clockNote, type TimeBase } from '../../core/clock';
import { durationOnClock, escapeMarkdown, idFromArn, relativeTime, revisionFromArn, shortId, toMillis } from '../../core/format';
import { escapeHtml } from '../../core/html';
import { defaultTranslate, type Translate } from '../../core/l10n';
import { classifyEvent, trimEventMessage, type DeploymentProgress, type RolloutProgress } from '../../core/rollout';

/** One followed rollout as the presentation sees it. */
export interface RolloutView {
  /** Cluster name or ARN as given to track(). */
  cluster: string;
  serviceName: string;
  progress?: RolloutProgress;
  /** Local time (Date.now()) when the item was tracked: newer rollouts win ties. */
  trackedAt: number;
  /** A failure the user has already looked at (clicked) ranks below everything else. */
  seen?: boolean;
  /** The new revision's task definition, once read (the explanation names its port, CPU, memory, image). */
  taskDefinition?: TaskDefinition;
  /** The clock the service's times are on (the sandbox's: they say "sandbox time"; core/clock.ts). */
  time?: TimeBase;
}

/** Higher is more relevant for the one status bar item. */
export function relevance(r: RolloutView): number {
  switch (r.progress?.state) {
    case 'failed':
      return r.seen ? 1 : 5;
    case 'stuck':
      return 4;
    case 'in-progress':
    case undefined:
      return 3;
    case 'completed':
      return 2;
  }
}

/** The rollouts ordered most relevant first (state, then the most recently tracked). */
export function byRelevance<T extends RolloutView>(rollouts: readonly T[]): T[] {
  return [...rollouts].sort((a, b) => relevance(b) - relevance(a) || b.trackedAt - a.trackedAt);
}

const oldRunning = (p: RolloutProgress) => p.others.reduce((n, d) => n + d.running, 0);

/**
 * The status bar text of one rollout, e.g. `$(sync~spin) demo-service demo-app-task:2 1/2 · old 2 · 0:42`,
 * `$(check) demo-service demo-app-task:2 deployed`, `$(error) … FAILED`, `$(warning) … stuck`;
 * `more` other rollouts add " +N".
 */
export function statusText(r: RolloutView, more = 0, t: Translate = defaultTranslate, elapsedMs?: number): string {
  const p = r.progress;
  const suffix = more > 0 ? ` +${more}` : '';
  if (!p) return `$(sync~spin) ${r.serviceName}${suffix}`;
  const head = `${r.serviceName} ${p.primary.revision}`;
  const counts = `${p.primary.running}/${p.primary.desired}${p.others.length ? ` · ${t('old {0}', oldRunning(p))}` : ''}`;
  switch (p.state) {
    case 'completed':
      return `$(check) ${head} ${t('deployed')}${suffix}`;
    case 'failed':
      return `$(error) ${head} ${t('FAILED')}${suffix}`;
    case 'stuck':
      return `$(warning) ${head} ${counts} · ${t('stuck')}${suffix}`;
    case 'in-progress':
      return `$(sync~spin) ${head} ${counts} · ${durationOnClock(elapsedMs ?? p.elapsedMs, r.time, t)}${suffix}`;
  }
}

/** A sentence for screen readers (no codicons, no abbreviations). */
export function accessibilityLabel(r: RolloutView, more = 0, t: Translate = defaultTranslate, elapsedMs?: number): string {
  const p = r.progress;
  let text: string;
  if (!p) text = t('ECS rollout of {0}: checking', r.serviceName);
  else {
    const counts = t('{0} of {1} new tasks running', p.primary.running, p.primary.desired);
    const old = p.others.length ? `, ${t('{0} old tasks running', oldRunning(p))}` : '';
    switch (p.state) {
      case 'completed':
        text = t('ECS rollout of {0} to {1} completed', r.serviceName, p.primary.revision);
        break;
      case 'failed':
        text = t('ECS rollout of {0} to {1} failed', r.serviceName, p.primary.revision);
        break;
      case 'stuck':
        text = t('ECS rollout of {0} to {1} is stuck: {2}{3}', r.serviceName, p.primary.revision, counts, old);
        break;
      default:
        text = t('ECS rollout of {0} to {1} in progress: {2}{3}, {4} elapsed', r.serviceName, p.primary.revision, counts, old, durationOnClock(elapsedMs ?? p.elapsedMs, r.time, t));
    }
  }
  return more > 0 ? `${text}. ${t('{0} more rollouts', more)}` : text;
}

/** The user-facing name of a rollout state. */
export function stateLabel(p: RolloutProgress | undefined, t: Translate = defaultTranslate): string {
  switch (p?.state) {
    case 'completed':
      return t('completed');
    case 'failed':
      return t('failed');
    case 'stuck':
      return t('stuck');
    case 'in-progress':
      return t('in progress');
    default:
      return t('checking…');
  }
}

const cell = (v: string | number | undefined) => (v === undefined || v === '' ? ' ' : escapeMarkdown(String(v)));

/** The deployments as a compact Markdown table (newest first): status, revision, rollout state, running/desired, pending, failed. */
export function deploymentsMarkdown(p: RolloutProgress, t: Translate = defaultTranslate): string {
  const rows = [p.primary, ...p.others].map(
    (d) => `| ${cell(d.status)} | ${cell(d.revision)} | ${cell(d.rolloutState)} | ${d.running}/${d.desired} | ${d.pending} | ${d.failed} |`,
  );
  return [
    `| ${t('Deployment')} | ${t('Revision')} | ${t('Rollout')} | ${t('Running')} | ${t('Pending')} | ${t('Failed')} |`,
    '|---|---|---|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

/** The plain explanation, what to do, and ECS's own words below them (Markdown lines). */
export function explanationMarkdown(e: PlainExplanation, problem: boolean, t: Translate = defaultTranslate): string[] {
  const lines = [`${problem ? '$(error)' : '$(info)'} **${escapeMarkdown(e.text)}**`, '', `$(lightbulb) ${escapeMarkdown(t('What to do: {0}', e.remedy))}`, ''];
  if (e.raw) lines.push(`*${escapeMarkdown(t('ECS said: {0}', e.raw))}*`, '');
  return lines;
}

/** The tooltip (Markdown with theme icons) of the status bar item. */
export function tooltipMarkdown(rollouts: readonly RolloutView[], t: Translate = defaultTranslate, elapsedMs?: number): string {
  const [top, ...rest] = byRelevance(rollouts);
  if (!top) return '';
  const p = top.progress;
  const lines: string[] = [];
  const elapsed = p ? ` · ${durationOnClock(elapsedMs ?? p.elapsedMs, top.time, t)}` : '';
  lines.push(`**${escapeMarkdown(t('Rollout of {0}', top.serviceName))}** (${escapeMarkdown(idFromArn(top.cluster))}) — ${escapeMarkdown(stateLabel(p, t))}${elapsed}`, '');
  if (p) {
    lines.push(deploymentsMarkdown(p, t), '');
    if (p.state === 'stuck') {
      lines.push(`$(warning) ${escapeMarkdown(t('No progress for {0}.', durationOnClock(p.stuckForMs ?? 0, top.time, t)))}`, '');
    }
    const plain = explainRollout(p, top.taskDefinition, t);
    if (plain) lines.push(...explanationMarkdown(plain, p.state === 'failed' || p.state === 'stuck', t));
    else if (p.state === 'failed' && p.primary.rolloutStateReason) lines.push(`$(error) ${escapeMarkdown(p.primary.rolloutStateReason)}`, '');
  }
  if (rest.length) {
    lines.push(`${escapeMarkdown(t('Also following:'))} ${rest.map((r) => `${escapeMarkdown(r.serviceName)} (${escapeMarkdown(stateLabel(r.progress, t))})`).join(', ')}`, '');
  }
  const note = p ? clockNote(top.time, t) : undefined;
  if (note) lines.push(`$(clock) ${escapeMarkdown(note)}`, '');
  lines.push(escapeMarkdown(t('Click to show the rollout.')));
  return lines.join('\n');
}

// ---- the rollout view (webview HTML) ----

export interface ViewModel {
  cluster: string;
  serviceName: string;
  service?: Service;
  progress?: RolloutProgress;
  stoppedTasks?: Task[];
  /** Why the last refresh failed, if it did. */
  error?: string;
  /** "now" on the service's clock. */
  now: number;
  /** True while the view refreshes on its own. */
  live: boolean;
  /** The new revision's task definition, once read. */
  taskDefinition?: TaskDefinition;
  /** The clock `now` and the service's times are on. */
  time?: TimeBase;
}

/** The explanation box of the rollout view: plain words, what to do, ECS's own text below. */
export function explanationHtml(e: PlainExplanation, cls: 'info' | 'bad', t: Translate = defaultTranslate): string {
  return [
    `<div class="explanation ${cls}" role="status" data-kind="${escapeHtml(e.kind)}">`,
    `<p class="plain">${escapeHtml(e.text)}</p>`,
    `<p class="remedy"><span class="label">${escapeHtml(t('What to do:'))}</span> ${escapeHtml(e.remedy)}</p>`,
    e.raw ? `<p class="raw"><span class="label">${escapeHtml(t('ECS said:'))}</span> ${escapeHtml(e.raw)}</p>` : '',
    '</div>',
  ].join('');
}

const STATE_CLASS: Record<string, string> = { completed: 'ok', failed: 'bad', stuck: 'warn', 'in-progress': 'busy' };

function deploymentRow(d: DeploymentProgress, now: number, t: Translate): string {
  const state = d.rolloutState ?? '';
  const cls = state === 'FAILED' ? 'bad' : state === 'COMPLETED' ? 'ok' : state === 'IN_PROGRESS' ? 'busy' : '';
  const reason = d.rolloutStateReason ? `<div class="sub">${escapeHtml(d.rolloutStateReason)}</div>` : '';
  const time = (v: number | undefined) => (v === undefined ? '' : `<time datetime="${new Date(v).toISOString()}" title="${escapeHtml(new Date(v).toISOString())}">${escapeHtml(relativeTime(v, now, t))}</time>`);
  return [
    '<tr>',
    `<th scope="row">${escapeHtml(d.status)}<div class="sub nowrap">${escapeHtml(d.id)}</div></th>`,
    `<td class="nowrap">${escapeHtml(d.revision)}</td>`,
    `<td><span class="state ${cls}">${escapeHtml(state || '—')}</span>${reason}</td>`,
    `<td class="num">${d.desired}</td><td class="num">${d.running}</td><td class="num">${d.pending}</td><td class="num${d.failed > 0 ? ' bad' : ''}">${d.failed}</td>`,
    `<td class="nowrap">${time(d.createdAt)}</td><td class="nowrap">${time(d.updatedAt)}</td>`,
    '</tr>',
  ].join('');
}

/** Failure-related events (newest first, at most `limit`). */
export function problemEvents(events: readonly ServiceEvent[], limit = 10): ServiceEvent[] {
  return events.filter((e) => classifyEvent(e.message)).slice(0, limit);
}

/** Stopped tasks newest first, at most `limit`. */
export function recentStopped(tasks: readonly Task[], limit = 10): Task[] {
  const at = (x: Task) => toMillis(x.stoppedAt ?? x.stoppingAt ?? x.createdAt) ?? 0;
  return [...tasks].sort((a, b) => at(b) - at(a)).slice(0, limit);
}

/** The body of the rollout view (the part re-rendered on every refresh). */
export function renderViewBody(m: ViewModel, t: Translate = defaultTranslate): string {
  const p = m.progress;
  const out: string[] = [];
  const stateCls = p ? STATE_CLASS[p.state] : 'busy';
  out.push(`<header><h1>${escapeHtml(t('Rollout of {0}', m.serviceName))}</h1>`);
  out.push(`<p class="meta">${escapeHtml(t('Cluster {0}', idFromArn(m.cluster)))}`);
  if (p) out.push(` · <span class="state ${stateCls}">${escapeHtml(stateLabel(p, t))}</span> · ${escapeHtml(t('elapsed {0}', durationOnClock(p.elapsedMs, m.time, t)))}`);
  out.push('</p>');
  // The tables below show times without a label each: this line says which clock they are on.
  const note = clockNote(m.time, t);
  if (note) out.push(`<p class="clock-note muted">${escapeHtml(note)}</p>`);
  out.push('</header>');
  if (m.error) out.push(`<p class="error" role="alert">${escapeHtml(m.error)}</p>`);
  if (p) {
    out.push(`<p class="summary">${escapeHtml(p.summaryText)}</p>`);
    if (p.state === 'stuck') out.push(`<p class="warn">${escapeHtml(t('No progress for {0}.', durationOnClock(p.stuckForMs ?? 0, m.time, t)))}</p>`);
    const plain = explainRollout(p, m.taskDefinition, t);
    if (plain) out.push(explanationHtml(plain, p.state === 'completed' || p.state === 'in-progress' ? 'info' : 'bad', t));

    out.push(`<section aria-labelledby="h-deployments"><h2 id="h-deployments">${escapeHtml(t('Deployments'))}</h2>`);
    out.push('<table><caption class="visually-hidden">', escapeHtml(t('Deployments of {0}', m.serviceName)), '</caption><thead><tr>');
    for (const [h, num] of [
      [t('Status'), false], [t('Revision'), false], [t('Rollout state'), false], [t('Desired'), true], [t('Running'), true],
      [t('Pending'), true], [t('Failed'), true], [t('Created'), false], [t('Updated'), false],
    ] as const) out.push(`<th scope="col"${num ? ' class="num"' : ''}>${escapeHtml(h)}</th>`);
    out.push('</tr></thead><tbody>');
    for (const d of [p.primary, ...p.others]) out.push(deploymentRow(d, m.now, t));
    out.push('</tbody></table></section>');
  } else if (!m.error) {
    out.push(`<p>${escapeHtml(t('Loading…'))}</p>`);
  }

  const events = problemEvents(m.service?.events ?? []);
  out.push(`<section aria-labelledby="h-events"><h2 id="h-events">${escapeHtml(t('Recent problems'))}</h2>`);
  if (events.length === 0) out.push(`<p class="muted">${escapeHtml(t('No failure-related events.'))}</p>`);
  else {
    out.push('<ul class="events">');
    for (const e of events) {
      const at = toMillis(e.createdAt);
      out.push(`<li><time${at !== undefined ? ` datetime="${new Date(at).toISOString()}"` : ''}>${escapeHtml(relativeTime(at, m.now, t))}</time> ${escapeHtml(trimEventMessage(e.message ?? ''))}</li>`);
    }
    out.push('</ul>');
  }
  out.push('</section>');

  const stopped = recentStopped(m.stoppedTasks ?? []);
  out.push(`<section aria-labelledby="h-stopped"><h2 id="h-stopped">${escapeHtml(t('Stopped tasks'))}</h2>`);
  if (m.stoppedTasks === undefined) out.push(`<p class="muted">${escapeHtml(t('Loading…'))}</p>`);
  else if (stopped.length === 0) out.push(`<p class="muted">${escapeHtml(t('No stopped tasks.'))}</p>`);
  else {
    out.push('<table><caption class="visually-hidden">', escapeHtml(t('Stopped tasks of {0}', m.serviceName)), '</caption><thead><tr>');
    for (const h of [t('Task'), t('Revision'), t('Stop code'), t('Stopped reason'), t('Containers'), t('Stopped')]) out.push(`<th scope="col">${escapeHtml(h)}</th>`);
    out.push('</tr></thead><tbody>');
    for (const task of stopped) {
      const containers = (task.containers ?? [])
        .map((c) => [c.name, c.exitCode !== undefined ? t('exit code {0}', c.exitCode) : '', c.reason ?? ''].filter(Boolean).join(': '))
        .filter(Boolean)
        .join('; ');
      const at = toMillis(task.stoppedAt ?? task.stoppingAt);
      // Still on its way down (draining, stopping): its last status instead of a time.
      const when = at !== undefined ? escapeHtml(relativeTime(at, m.now, t)) : `<span class="muted">${escapeHtml(task.lastStatus)}</span>`;
      out.push(
        `<tr><th scope="row" title="${escapeHtml(task.taskArn)}">${escapeHtml(shortId(task.taskArn))}</th><td class="nowrap">${escapeHtml(revisionFromArn(task.taskDefinitionArn))}</td>`,
        `<td>${escapeHtml(task.stopCode)}</td><td>${escapeHtml(task.stoppedReason)}</td><td>${escapeHtml(containers)}</td><td class="nowrap">${when}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');
  out.push(`<footer class="muted">${escapeHtml(m.live ? t('Refreshing while the rollout runs.') : t('Not refreshing: the rollout has finished.'))}</footer>`);
  return out.join('');
}
