/**
 * The walkthrough panel's texts that are not step content: the UI chrome the webview shows (translated
 * here; the webview has no l10n of its own) and the connection's key (progress is kept per connection)
 * and label.
 */
import { t } from '../l10n';
import type { UiContext } from '../ui-context';

/** UI chrome texts the webview shows (translated here; the webview has no l10n of its own). */
export function uiStrings(probeTimeoutMs: number): Record<string, string> {
  return {
    steps: t('Steps'),
    cli: t('AWS CLI'),
    cliHelp: t('The AWS CLI commands equivalent to what this step\'s action sent, with this connection\'s profile, region and endpoint: run them in a terminal to do the step without the walkthrough.'),
    cliNone: t('Run the step\'s action: the AWS CLI commands it sends appear here.'),
    cliCopy: t('Copy as AWS CLI'),
    cliRun: t('Run in Terminal'),
    cliCopied: t('Copied.'),
    progress: t('{0} of {1} steps done'),
    what: t('What'),
    why: t('Why'),
    insights: t('Worth noticing'),
    observe: t('What to look at'),
    inputs: t('Inputs'),
    check: t('Live check'),
    recheck: t('Re-run check'),
    checking: t('Checking…'),
    notChecked: t('Not checked yet.'),
    pass: t('Done'),
    fail: t('Not yet'),
    waiting: t('In progress'),
    needs: t('This step needs {0} first.'),
    goBack: t('Go back to {0}'),
    reset: t('Reset progress'),
    resetConfirm: t('Reset the walkthrough progress for this connection?'),
    next: t('Next step'),
    previous: t('Previous step'),
    running: t('Running…'),
    probe: t('Request probe'),
    probeHelp: t('Requests through the load balancer, 5 per second. Green: answered; red: 502 and other 5xx; grey: no answer within {0} s. Shaded: an error window.', probeTimeoutMs / 1000),
    probeNoUrl: t('No load balancer URL yet.'),
    probeSummary: t('{0} requests, {1} errors, longest error window {2} s'),
    probeTargets: t('Targets: {0}'),
    probeTargetsNotHealthy: t('No target is healthy right now: the load balancer sends requests to all of them, and a task stopped now has its target removed at once, without a 502 window. Wait until the targets are healthy.'),
    deployment: t('Deployment'),
    unplaced: t('Not placed'),
    noTasks: t('No tasks'),
    events: t('Service events'),
    chart: t('Auto scaling'),
    cpu: t('CPU %'),
    threshold: t('Threshold'),
    desired: t('Desired tasks'),
    runningTasks: t('Running tasks'),
    instances: t('Instances'),
    alarm: t('Alarm'),
    load: t('Load'),
    loadIdle: t('No load running.'),
    loadProgress: t('{0} / {1} requests, {2} req/s, {3} errors'),
    order: t('Order of construction'),
    cluster: t('Cluster'),
    taskDefinition: t('Task definition'),
    loadBalancer: t('Load balancer'),
    service: t('Service'),
    stepN: t('Step {0}'),
    on: t('On'),
    off: t('Off'),
    newTask: t('new'),
    oldTask: t('old'),
    port: t('port {0}'),
    noCpu: t('CPU data is not available on this connection.'),
    axisSinceLoad: t('Minutes since the load started'),
    axisSinceOpen: t('Minutes since the chart started'),
    sandboxTime: t('sandbox time'),
    liveInsight: t('What is happening now'),
    insightRemedy: t('What to do:'),
    insightMeans: t('What it means:'),
    ecsSaid: t('ECS said:'),
    chartSummary: t('Highest CPU on the chart: {0}% (threshold {1}%); most desired tasks: {2}; most instances: {3}.'),
    colDesired: t('Desired'),
    colPending: t('Pending'),
    colRunning: t('Running'),
    colRollout: t('Rollout'),
  };
}

/**
 * The key progress is kept under: the connection as resolved — the profile actually used (the
 * setting, else AWS_PROFILE, else default) and its region (the setting, AWS_REGION or the
 * profile's) — so two profiles, or one profile in two regions, keep their own progress. Until the
 * connection is resolved, what the settings and the environment say.
 */
export function connectionKey(s: UiContext): string {
  const c = s.connections.settings;
  const st = s.connections.state;
  const resolved = st.status === 'ready' ? st.resolved : undefined;
  if (c.kind === 'profile') {
    const profile = resolved?.profile ?? (c.profile || process.env.AWS_PROFILE || 'default');
    const region = resolved?.region ?? (c.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || '?');
    return `profile:${profile}@${region}`;
  }
  if (c.kind === 'endpoint') return `endpoint:${c.endpoint}`;
  return `sandbox:${c.sandboxRegion}`;
}

/** The key progress was kept under before it named the resolved profile and region (read once, to keep it). */
export function legacyConnectionKey(s: UiContext): string | undefined {
  const c = s.connections.settings;
  return c.kind === 'profile' ? `profile:${c.profile || 'default'}@${c.region || 'default'}` : undefined;
}

/** The connection the walkthrough runs on, as the status bar names it once resolved ("AWS profile dev (eu-west-1)"). */
export function connectionLabel(s: UiContext): string {
  const c = s.connections.settings;
  const st = s.connections.state;
  if (c.kind === 'profile') {
    if (st.status === 'ready' && st.connection.kind === 'profile') return st.label;
    return t('AWS profile {0}', c.profile || process.env.AWS_PROFILE || 'default');
  }
  if (c.kind === 'endpoint') return st.status === 'ready' && st.connection.kind === 'endpoint' ? t('Endpoint {0}', st.label) : t('Endpoint {0}', c.endpoint);
  return t('Sandbox ({0})', c.sandboxRegion);
}
