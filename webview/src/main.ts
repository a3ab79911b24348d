/**
 * The walkthrough UI (runs in the webview). Talks to the host only through the typed protocol of
 * src/core/walkthrough/messages.ts (over ./bridge.ts): `ready` first, then requests with ids answered by replies; the
 * host pushes the view state and the visuals' data. Built by esbuild to dist/webview/walkthrough.js.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { ChartPoint, DeploymentView, HostMessage, LoadView, Method, ProbeMark, ProbeSample, ProbeTarget, RequestMap, ViewState } from '../../src/core/walkthrough/messages';
import type { InputValue } from '../../src/core/walkthrough/steps';
import type { LiveInsight } from '../../src/core/walkthrough/insights';
import { chartData, errorPeriods, probeSummary } from '../../src/core/walkthrough/visuals';
import { h, markdown } from './dom';
import { showPage } from './redraw';
import { AutoscalingChart } from './chart';
import { drawProbe } from './probe';
import { listen, ready, request as bridgeRequest, vscodeApi } from './bridge';

interface Persisted {
  current?: string;
  view?: ViewState;
}

let view: ViewState | undefined = (vscodeApi.getState() as Persisted | undefined)?.view;
let probeUrl: string | undefined;
let probe: ProbeSample[] = [];
let probeMarks: ProbeMark[] = [];
let probeTargets: ProbeTarget[] = [];
let probeInterval = 200;
let deployment: DeploymentView | undefined;
let chartPoints: ChartPoint[] = [];
let threshold = 20;
/** The chart's time axis: seconds (connection clock) it counts from, and whether that clock is the sandbox's. */
let chartOrigin: number | undefined;
let sandboxClock = false;
let load: LoadView = { running: false, done: 0, total: 0, rps: 0, errors: 0 };
let actionMessage: { text: string; ok: boolean } | undefined;
let chart: AutoscalingChart | undefined;
const inputValues = new Map<string, InputValue>();
const inputErrors = new Map<string, string>();

// ------------------------------------------------------------------ request / reply

const request = <M extends Method>(method: M, params: RequestMap[M]['params']): Promise<RequestMap[M]['result']> => bridgeRequest<RequestMap, M>(method, params);

listen<Exclude<HostMessage, { kind: 'reply' }>>((m) => {
  switch (m.kind) {
    case 'state': {
      const stepChanged = view?.current.id !== m.state.current.id;
      view = m.state;
      if (stepChanged) {
        inputValues.clear();
        inputErrors.clear();
        actionMessage = undefined;
      }
      vscodeApi.setState({ current: view.current.id, view } satisfies Persisted);
      render(stepChanged);
      return;
    }
    case 'probe':
      probeUrl = m.url;
      // Concurrent requests answer out of order: keep the samples in the order they were sent.
      probe = (m.reset ? [...m.samples] : [...probe, ...m.samples]).sort((a, b) => a.t - b.t).slice(-450);
      if (m.reset) probeMarks = [];
      if (m.marks) probeMarks = [...probeMarks, ...m.marks].slice(-20);
      if (m.intervalMs) probeInterval = m.intervalMs;
      if (m.targets) probeTargets = m.targets;
      updateProbe();
      return;
    case 'deployment':
      deployment = m.view;
      updateDeployment();
      return;
    case 'chart':
      threshold = m.threshold;
      chartOrigin = m.origin;
      sandboxClock = !!m.sandboxClock;
      chartPoints = m.reset ? [...m.points] : [...chartPoints, ...m.points].slice(-600);
      updateChart();
      return;
    case 'load':
      load = m.load;
      updateLoad();
      return;
  }
});

// ------------------------------------------------------------------ rendering

const app = document.getElementById('app')!;
const s = (key: string, ...args: Array<string | number>): string =>
  (view?.strings[key] ?? key).replace(/\{(\d+)\}/g, (w, i: string) => (args[Number(i)] === undefined ? w : String(args[Number(i)])));

function render(stepChanged = false): void {
  if (!view) return;
  app.removeAttribute('aria-busy');
  showPage(app, h('div', { class: 'layout' }, renderNav(view), renderMain(view)), stepChanged);
  updateProbe();
  updateDeployment();
  updateChart();
  updateLoad();
}

function renderNav(v: ViewState): HTMLElement {
  const list = h(
    'ol',
    { class: 'steps', 'aria-label': s('steps') },
    ...v.steps.map((st) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            class: `step${st.id === v.current.id ? ' current' : ''}${st.done ? ' done' : ''}`,
            id: `nav-${st.id}`,
            'data-step': st.id,
            'aria-current': st.id === v.current.id ? 'step' : 'false',
            'aria-label': `${s('stepN', st.index)}: ${st.title}${st.done ? ` (${s('pass')})` : ''}`,
            onclick: () => void request('selectStep', { step: st.id }),
          },
          h('span', { class: `codicon ${st.done ? 'codicon-pass-filled' : 'codicon-circle-large-outline'} tick`, 'aria-hidden': 'true' }),
          h('span', { class: 'step-index' }, String(st.index)),
          h('span', { class: 'step-title' }, st.title),
        ),
      ),
    ),
  );
  return h(
    'nav',
    { class: 'nav', 'aria-label': s('steps') },
    h('div', { class: 'progress-text', id: 'progress-text' }, s('progress', v.completed, v.steps.length)),
    h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(v.steps.length), 'aria-valuenow': String(v.completed), 'aria-labelledby': 'progress-text' }, progressFill(v)),
    list,
    h('div', { class: 'connection', title: v.connection }, h('span', { class: 'codicon codicon-plug', 'aria-hidden': 'true' }), ' ', v.connection),
    button(s('reset'), { id: 'reset', secondary: true, icon: 'discard', onClick: onReset }),
  );
}

function progressFill(v: ViewState): HTMLElement {
  const el = h('div', { class: 'progress-fill' });
  el.style.width = `${Math.round((100 * v.completed) / v.steps.length)}%`;
  return el;
}

let confirmReset = false;
function onReset(): void {
  if (!confirmReset) {
    confirmReset = true;
    const b = document.getElementById('reset');
    if (b) {
      b.textContent = s('resetConfirm');
      b.setAttribute('aria-label', s('resetConfirm'));
    }
    setTimeout(() => (confirmReset = false), 5000);
    return;
  }
  confirmReset = false;
  void request('reset', {});
}

function button(label: string, o: { id?: string; secondary?: boolean; icon?: string; disabled?: boolean; onClick: () => void }): HTMLElement {
  const b = h('vscode-button', { ...(o.id ? { id: o.id } : {}), ...(o.secondary ? { secondary: '' } : {}), ...(o.icon ? { icon: o.icon } : {}), ...(o.disabled ? { disabled: '' } : {}), 'aria-label': label }, label);
  b.addEventListener('click', () => {
    if (!(b as HTMLElement & { disabled?: boolean }).disabled) o.onClick();
  });
  return b;
}

function renderMain(v: ViewState): HTMLElement {
  const c = v.current;
  const idx = v.steps.findIndex((x) => x.id === c.id);
  const main = h('main', { class: 'main', 'aria-labelledby': 'step-heading' });
  main.append(
    h('h1', { id: 'step-heading', tabindex: '-1' }, `${s('stepN', idx)} · ${c.content.title}`),
    h('p', { class: 'summary' }, markdown(c.content.summary, openLink)),
  );
  if (c.notice) main.append(h('div', { class: 'needs notice', role: 'note', id: 'real-aws-notice' }, h('span', { class: 'codicon codicon-credit-card', 'aria-hidden': 'true' }), ' ', markdown(c.notice, openLink)));
  if (c.missing.length) {
    main.append(
      h(
        'div',
        { class: 'needs', role: 'note', id: 'needs' },
        h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }),
        ' ',
        s('needs', c.missing.map((m) => m.title).join(', ')),
        ' ',
        ...c.missing.map((m) => h('a', { href: '#', class: 'go-back', 'data-step': m.id, onclick: (e: Event) => (e.preventDefault(), void request('selectStep', { step: m.id })) }, s('goBack', m.title))),
      ),
    );
  }
  main.append(section('what', s('what'), markdown(c.content.what, openLink)));
  if (c.content.why) main.append(section('why', s('why'), markdown(c.content.why, openLink)));
  if (c.content.insights.length) main.append(section('insights', s('insights'), h('ul', {}, ...c.content.insights.map((i) => h('li', {}, markdown(i, openLink))))));
  if (c.insight) main.append(renderInsight(c.insight));
  if (c.visual === 'order') main.append(section('order', s('order'), renderOrder()));
  if (c.visual === 'probe') main.append(section('probe', s('probe'), h('p', { class: 'hint' }, s('probeHelp')), h('canvas', { id: 'probe-canvas', width: '600', height: '150', role: 'img', 'aria-label': s('probe') }), h('div', { id: 'probe-summary', 'aria-live': 'polite' })));
  if (c.visual === 'deployment') main.append(section('deployment', s('deployment'), h('div', { id: 'deployment-view', 'aria-live': 'polite' })));
  if (c.visual === 'chart') main.append(section('chart', s('chart'), h('div', { id: 'chart' }), h('div', { id: 'alarm-changes', class: 'alarm-changes', 'aria-live': 'polite' }), h('div', { id: 'load', class: 'load' })));
  if (c.inputs.length) main.append(section('inputs', s('inputs'), renderInputs(v)));
  main.append(renderActions(v));
  if (c.actions.some((a) => a.kind === 'command')) main.append(renderCli(v));
  main.append(renderCheck(v));
  if (c.content.observe.length) main.append(section('observe', s('observe'), h('ul', {}, ...c.content.observe.map((i) => h('li', {}, markdown(i, openLink))))));
  const prev = v.steps[idx - 1];
  const next = v.steps[idx + 1];
  main.append(
    h(
      'div',
      { class: 'pager' },
      prev ? button(`${s('previous')}: ${prev.title}`, { id: 'prev', secondary: true, icon: 'arrow-left', onClick: () => void request('selectStep', { step: prev.id }) }) : h('span'),
      next ? button(`${s('next')}: ${next.title}`, { id: 'next', secondary: !c.check || c.check.status !== 'pass', icon: 'arrow-right', onClick: () => void request('selectStep', { step: next.id }) }) : h('span'),
    ),
  );
  return main;
}

/** The article's insight as it happens: plain words, what it means or what to do, ECS's own text. */
function renderInsight(i: LiveInsight): HTMLElement {
  return h(
    'section',
    { class: `section live-insight kind-${i.kind}`, id: 'live-insight', 'data-kind': i.kind, role: 'status', 'aria-live': 'polite', 'aria-labelledby': 'h-live-insight' },
    h('h2', { id: 'h-live-insight' }, h('span', { class: 'codicon codicon-lightbulb', 'aria-hidden': 'true' }), ' ', s('liveInsight')),
    h('p', { class: 'plain' }, i.text),
    h('p', { class: 'remedy' }, h('strong', {}, i.kind === 'port-conflict' ? s('insightRemedy') : s('insightMeans')), ' ', i.remedy),
    i.note ? h('p', { class: 'note' }, i.note) : '',
    i.raw ? h('p', { class: 'raw' }, h('strong', {}, s('ecsSaid')), ' ', i.raw) : '',
  );
}

function section(id: string, title: string, ...children: Node[]): HTMLElement {
  return h('section', { class: `section section-${id}`, 'aria-labelledby': `h-${id}` }, h('h2', { id: `h-${id}` }, title), ...children);
}

function openLink(url: string): void {
  void request('openExternal', { url });
}

function renderOrder(): HTMLElement {
  const items: [string, string][] = [
    ['cluster', 'server-environment'],
    ['taskDefinition', 'file-code'],
    ['loadBalancer', 'globe'],
    ['service', 'server-process'],
  ];
  const ol = h('ol', { class: 'order', 'aria-label': s('order') });
  items.forEach(([k, icon], i) => {
    ol.append(h('li', { class: 'order-item' }, h('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }), h('span', {}, s(k))));
    if (i < items.length - 1) ol.append(h('li', { class: 'order-arrow', 'aria-hidden': 'true' }, h('span', { class: 'codicon codicon-arrow-right' })));
  });
  return ol;
}

let inputTimer: number | undefined;
function currentInputs(v: ViewState): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const i of v.current.inputs) out[i.key] = inputValues.has(i.key) ? inputValues.get(i.key)! : i.value;
  return out;
}

function onInput(v: ViewState, key: string, value: InputValue): void {
  inputValues.set(key, value);
  window.clearTimeout(inputTimer);
  const step = v.current.id;
  inputTimer = window.setTimeout(() => {
    void request('setInputs', { step, inputs: currentInputs(v) }).then((r) => {
      inputErrors.clear();
      for (const [k, e] of Object.entries(r.errors)) inputErrors.set(k, e);
      for (const i of v.current.inputs) {
        const el = document.getElementById(`err-${i.key}`);
        if (el) el.textContent = inputErrors.get(i.key) ?? '';
        document.getElementById(`in-${i.key}`)?.toggleAttribute('invalid', inputErrors.has(i.key));
      }
    });
  }, 250);
}

function renderInputs(v: ViewState): HTMLElement {
  const form = h('div', { class: 'inputs', 'data-step': v.current.id, 'data-keys': v.current.inputs.map((i) => i.key).join(' ') });
  for (const i of v.current.inputs) {
    const value = inputValues.has(i.key) ? inputValues.get(i.key)! : i.value;
    const id = `in-${i.key}`;
    const err = inputErrors.get(i.key) ?? i.error ?? '';
    let control: HTMLElement;
    if (i.kind === 'boolean') {
      control = h('vscode-checkbox', { id, label: i.label, 'aria-label': i.label, ...(value === true ? { checked: '' } : {}) });
      control.addEventListener('change', () => onInput(v, i.key, (control as HTMLElement & { checked: boolean }).checked));
      form.append(h('div', { class: 'field' }, control, h('div', { class: 'error', id: `err-${i.key}`, role: 'alert' }, err)));
      continue;
    }
    if (i.kind === 'select') {
      control = h('vscode-single-select', { id, 'aria-label': i.label }, ...(i.options ?? []).map((o, k) => h('vscode-option', { value: o, ...(o === value ? { selected: '' } : {}) }, i.optionLabels?.[k] ?? o)));
      control.addEventListener('change', () => onInput(v, i.key, (control as HTMLElement & { value: string }).value));
    } else {
      control = h('vscode-textfield', { id, value: String(value), ...(i.kind === 'number' ? { type: 'number' } : {}), 'aria-label': i.label, ...(err ? { invalid: '' } : {}) });
      control.addEventListener('input', () => {
        const raw = (control as HTMLElement & { value: string }).value;
        onInput(v, i.key, i.kind === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);
      });
    }
    form.append(h('div', { class: 'field' }, h('vscode-label', { for: id }, i.label), control, h('div', { class: 'error', id: `err-${i.key}`, role: 'alert' }, err)));
  }
  return form;
}

function renderActions(v: ViewState): HTMLElement {
  const c = v.current;
  const bar = h('div', { class: 'actions', role: 'group', 'aria-label': c.content.actionLabel || c.content.title });
  for (const a of c.actions) {
    const busy = c.running === a.id;
    const b = button(busy ? `${a.label} — ${s('running')}` : a.label, {
      id: `action-${a.id}`,
      secondary: a.secondary,
      icon: a.kind === 'acknowledge' ? 'check' : a.kind === 'loadStart' ? 'dashboard' : a.kind === 'loadStop' ? 'debug-stop' : a.kind === 'sandboxKill' ? 'flame' : 'play',
      disabled: !!c.running && a.kind !== 'loadStop',
      onClick: () => void runAction(v, a.id),
    });
    b.setAttribute('data-action', a.id);
    bar.append(b);
  }
  if (c.running) bar.append(h('vscode-progress-ring', { 'aria-label': s('running') }), h('span', { id: 'action-progress', class: 'action-progress' }, c.runningText ?? ''));
  const msg = h('div', { id: 'action-message', class: `action-message${actionMessage ? (actionMessage.ok ? ' ok' : ' bad') : ''}`, role: 'status', 'aria-live': 'polite' }, actionMessage?.text ?? '');
  return h('div', { class: 'action-area' }, bar, msg);
}

/** Whether the "AWS CLI" section is open (it starts collapsed; a re-render keeps what the person chose). */
let cliOpen = false;
let cliMessage: { action: string; text: string; ok: boolean } | undefined;

/** The AWS CLI commands each action sent when it last ran, collapsed under "AWS CLI", with Copy and Run in Terminal. */
function renderCli(v: ViewState): HTMLElement {
  const c = v.current;
  const details = h('details', { class: 'section section-cli', id: 'cli', ...(cliOpen ? { open: '' } : {}) });
  details.addEventListener('toggle', () => {
    cliOpen = (details as HTMLDetailsElement).open;
  });
  details.append(h('summary', { id: 'h-cli' }, h('span', { class: 'codicon codicon-terminal', 'aria-hidden': 'true' }), ' ', s('cli')));
  details.append(h('p', { class: 'hint' }, c.cli.length ? s('cliHelp') : s('cliNone')));
  for (const x of c.cli) {
    const code = h('code', {}, x.script);
    const msg = cliMessage?.action === x.action ? cliMessage : undefined;
    details.append(
      h(
        'div',
        { class: 'cli-action', 'data-action': x.action },
        h('h3', {}, x.label),
        h('pre', { class: 'cli-script', tabindex: '0' }, code),
        h(
          'div',
          { class: 'actions' },
          button(s('cliCopy'), { id: `cli-copy-${x.action}`, secondary: true, icon: 'copy', onClick: () => void cliRequest(v, x.action, 'copy') }),
          button(s('cliRun'), { id: `cli-run-${x.action}`, secondary: true, icon: 'terminal', onClick: () => void cliRequest(v, x.action, 'terminal') }),
        ),
        h('div', { class: `action-message${msg ? (msg.ok ? ' ok' : ' bad') : ''}`, role: 'status', 'aria-live': 'polite' }, msg?.text ?? ''),
      ),
    );
  }
  return details;
}

async function cliRequest(v: ViewState, action: string, then: 'copy' | 'terminal'): Promise<void> {
  try {
    const r = await request('cli', { step: v.current.id, action, then });
    cliMessage = r.message ? { action, text: r.message, ok: r.ok } : undefined;
  } catch (e) {
    cliMessage = { action, text: e instanceof Error ? e.message : String(e), ok: false };
  }
  render();
}

async function runAction(v: ViewState, action: string): Promise<void> {
  actionMessage = undefined;
  try {
    const r = await request('runAction', { step: v.current.id, action, inputs: currentInputs(v) });
    if (r.errors) for (const [k, e] of Object.entries(r.errors)) inputErrors.set(k, e);
    actionMessage = r.ok ? (r.message ? { text: r.message, ok: true } : undefined) : { text: r.message ?? '', ok: false };
  } catch (e) {
    actionMessage = { text: e instanceof Error ? e.message : String(e), ok: false };
  }
  render();
}

function renderCheck(v: ViewState): HTMLElement {
  const c = v.current;
  const status = c.check?.status;
  const icon = status === 'pass' ? 'pass-filled' : status === 'waiting' ? 'sync' : status === 'fail' ? 'circle-large-outline' : 'question';
  const box = h(
    'section',
    { class: `section check check-${status ?? 'none'}`, id: 'check', 'aria-labelledby': 'h-check', 'data-status': status ?? 'none' },
    h('h2', { id: 'h-check' }, s('check')),
    c.content.checkLabel ? h('p', { class: 'check-label' }, markdown(c.content.checkLabel, openLink)) : '',
    h(
      'div',
      { class: 'check-status', role: 'status', 'aria-live': 'polite', id: 'check-status' },
      h('span', { class: `codicon codicon-${icon}${status === 'waiting' ? ' codicon-modifier-spin' : ''}`, 'aria-hidden': 'true' }),
      ' ',
      h('strong', {}, status ? s(status) : s('notChecked')),
      c.check ? ' — ' : '',
      c.check ? markdown(status === 'pass' ? c.content.successText || c.check.detail : c.check.detail, openLink) : '',
    ),
  );
  if (c.check?.items.length) {
    box.append(
      h(
        'ul',
        { class: 'check-items' },
        ...c.check.items.map((i) =>
          h('li', { class: i.ok ? 'ok' : 'not-ok' }, h('span', { class: `codicon codicon-${i.ok ? 'check' : 'close'}`, 'aria-hidden': 'true' }), ' ', h('span', { class: 'sr-only' }, i.ok ? `${s('pass')}: ` : `${s('fail')}: `), i.label),
        ),
      ),
    );
  }
  box.append(button(c.checking ? s('checking') : s('recheck'), { id: 'recheck', secondary: true, icon: 'refresh', onClick: () => void request('check', { step: c.id }) }));
  return box;
}

// ------------------------------------------------------------------ visuals

/** How much faster the service's clock runs than real time (the probe's real timings are shown on it). */
const timeScale = (): number => (view?.sandboxTime && view.timeScale && view.timeScale > 0 ? view.timeScale : 1);

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function updateProbe(): void {
  const canvas = document.getElementById('probe-canvas') as HTMLCanvasElement | null;
  const summary = document.getElementById('probe-summary');
  if (!canvas || !summary) return;
  drawProbe(canvas, probe, probeMarks, probeInterval, {
    ok: cssVar('--vscode-testing-iconPassed', '#3fb950'),
    bad: cssVar('--vscode-testing-iconFailed', '#f85149'),
    err: cssVar('--vscode-disabledForeground', '#888'),
    fg: cssVar('--vscode-foreground', '#ccc'),
    grid: cssVar('--vscode-editorWidget-border', '') || cssVar('--vscode-contrastBorder', '#444'),
    font: `${cssVar('--vscode-font-size', '12px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
  }, timeScale());
  if (!probeUrl) {
    summary.textContent = s('probeNoUrl');
    return;
  }
  const sm = probeSummary(probe);
  const last = probe[probe.length - 1];
  const counts = new Map<number, number>();
  for (const p of probe) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  summary.replaceChildren(
    h('div', { class: 'probe-url' }, probeUrl),
    // The longest error window counts errors less than a second apart as one (every other request failing is one window).
    h('div', { id: 'probe-stats' }, `${s('probeSummary', sm.total, sm.errors, ((Math.max(0, ...errorPeriods(sm.windows).map((w) => w.to - w.from)) * timeScale()) / 1000).toFixed(1))}${view?.sandboxTime ? ` (${s('sandboxTime')})` : ''}`),
    h('div', { class: 'probe-codes', id: 'probe-codes' }, ...[...counts.entries()].sort((a, b) => a[0] - b[0]).map(([code, n]) => h('vscode-badge', { class: code >= 500 || code === 0 ? 'bad' : 'good', 'data-code': String(code) }, `${code === 0 ? 'ERR' : code}: ${n}`))),
    last ? h('div', { class: 'probe-last' }, `${last.status === 0 ? 'ERR' : last.status} · ${last.ms} ms`) : '',
    probeTargets.length
      ? h(
          'div',
          { id: 'probe-targets', class: 'probe-targets', 'data-healthy': String(probeTargets.filter((x) => x.health === 'healthy').length) },
          s('probeTargets', probeTargets.map((x) => `${x.id.slice(-8)}${x.port ? `:${x.port}` : ''} ${x.health}`).join(' · ')),
        )
      : '',
    probeTargets.length && !probeTargets.some((x) => x.health === 'healthy') ? h('p', { class: 'hint', id: 'probe-targets-hint' }, s('probeTargetsNotHealthy')) : '',
  );
}

function updateDeployment(): void {
  const el = document.getElementById('deployment-view');
  if (!el) return;
  if (!deployment) {
    el.textContent = s('checking');
    return;
  }
  const taskChip = (tk: DeploymentView['unplaced'][number]) =>
    h(
      'li',
      { class: `task ${tk.isNew ? 'new' : 'old'}`, 'data-task': tk.id, 'aria-label': `${tk.taskDefinition} ${tk.isNew ? s('newTask') : s('oldTask')} ${tk.lastStatus} ${tk.hostPort ? s('port', tk.hostPort) : ''}` },
      h('span', { class: `codicon codicon-${tk.isNew ? 'sparkle' : 'history'}`, 'aria-hidden': 'true' }),
      ` ${tk.taskDefinition} `,
      h('span', { class: 'status' }, tk.lastStatus),
      tk.hostPort ? h('span', { class: 'port' }, ` :${tk.hostPort}`) : '',
    );
  el.replaceChildren(
    h(
      'div',
      { class: 'instances' },
      ...deployment.instances.map((ci) =>
        h(
          'div',
          { class: 'instance', 'data-instance': ci.id },
          h('div', { class: 'instance-head' }, h('span', { class: 'codicon codicon-vm', 'aria-hidden': 'true' }), ` ${ci.id}`, ci.az ? h('span', { class: 'az' }, ` (${ci.az})`) : ''),
          ci.tasks.length ? h('ul', { class: 'tasks' }, ...ci.tasks.map(taskChip)) : h('div', { class: 'empty' }, s('noTasks')),
        ),
      ),
      ...(deployment.unplaced.length ? [h('div', { class: 'instance unplaced' }, h('div', { class: 'instance-head' }, s('unplaced')), h('ul', { class: 'tasks' }, ...deployment.unplaced.map(taskChip)))] : []),
    ),
    h(
      'table',
      { class: 'deployments' },
      h('thead', {}, h('tr', {}, ...['', s('taskDefinition'), s('colDesired'), s('colPending'), s('colRunning'), s('colRollout')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...deployment.deployments.map((d) => h('tr', {}, h('td', {}, d.status), h('td', {}, d.taskDefinition), h('td', {}, String(d.desired)), h('td', {}, String(d.pending)), h('td', {}, String(d.running)), h('td', {}, d.rolloutState ?? '')))),
    ),
    deployment.events.length ? h('div', { class: 'events' }, h('h3', {}, s('events')), h('ul', {}, ...deployment.events.map((e) => h('li', {}, e)))) : '',
  );
}

function updateChart(): void {
  const el = document.getElementById('chart');
  if (!el) {
    chart?.destroy();
    chart = undefined;
    return;
  }
  const axis = `${chartOrigin !== undefined ? s('axisSinceLoad') : s('axisSinceOpen')}${sandboxClock ? ` (${s('sandboxTime')})` : ''}`;
  if (!chart || !el.contains(chart.root) || chart.label !== axis) {
    chart?.destroy();
    chart = new AutoscalingChart(el, {
      cpu: s('cpu'),
      threshold: s('threshold'),
      desired: s('desired'),
      running: s('runningTasks'),
      instances: s('instances'),
    }, { origin: chartOrigin, label: axis }, cssVar);
  }
  chart.set(chartPoints, threshold, chartOrigin);
  const changes = document.getElementById('alarm-changes');
  if (changes) {
    const items: HTMLElement[] = [];
    let prev: string | undefined;
    // The same clock as the chart's axis: minutes:seconds since it starts.
    const zero = chartOrigin ?? chartPoints[0]?.t ?? 0;
    for (const p of chartPoints) {
      if (p.alarm !== prev) items.push(h('li', { class: `alarm-${p.alarm.toLowerCase()}` }, `${elapsed(p.t - zero)} ${s('alarm')}: ${p.alarm}`));
      prev = p.alarm;
    }
    const noCpu = chartPoints.length > 0 && chartPoints.every((p) => p.cpu === null) ? h('p', { class: 'hint' }, s('noCpu')) : '';
    // What the chart shows, in words (screen readers get the canvas only as one labelled image).
    const [, cpu, , desired, , instances] = chartData(chartPoints, threshold, chartOrigin);
    const peak = (xs: Array<number | null>) => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);
    const cpuPeak = peak(cpu);
    const summary = chartPoints.length
      ? h('p', { id: 'chart-summary', ...(cpuPeak !== null ? { 'data-cpu-peak': String(cpuPeak) } : {}) }, s('chartSummary', cpuPeak ?? '–', threshold, peak(desired) ?? '–', peak(instances) ?? '–'))
      : '';
    changes.replaceChildren(noCpu, summary, h('ul', {}, ...items.slice(-8)));
  }
}

/** "+m:ss" (or "-m:ss") for seconds since the chart's origin. */
function elapsed(sec: number): string {
  const a = Math.abs(Math.round(sec));
  return `${sec < 0 ? '-' : '+'}${Math.floor(a / 60)}:${String(a % 60).padStart(2, '0')}`;
}

function updateLoad(): void {
  const el = document.getElementById('load');
  if (!el) return;
  const pct = load.total ? Math.min(100, Math.round((100 * load.done) / load.total)) : 0;
  const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': s('load') }, (() => {
    const f = h('div', { class: 'progress-fill' });
    f.style.width = `${pct}%`;
    return f;
  })());
  el.replaceChildren(
    h('h3', {}, s('load')),
    load.running || load.done ? bar : '',
    h('div', { id: 'load-status', role: 'status', 'aria-live': 'polite' }, load.running ? s('loadProgress', load.done, load.total, load.rps, load.errors) : (load.message ?? s('loadIdle'))),
  );
}

// ------------------------------------------------------------------ start

if (view) render();
ready();
