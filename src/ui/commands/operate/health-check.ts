/**
 * `ecsHandson.targetGroup.configureHealthCheck`: interval, timeout, healthy / unhealthy
 * thresholds and path of a target group's health check. The article notes that shorter thresholds
 * shorten the 502 window after a task dies: the "fast" preset (every 5 s, timeout 2 s, 2 / 2)
 * detects a dead target in about 10 s instead of 60 s; "default" restores AWS's defaults.
 *
 * Arguments (non-interactive): { targetGroup: string (ARN), preset?: "fast" | "default" (timings
 *   only; the path is kept unless given),
 *   intervalSeconds?: number (5–300), timeoutSeconds?: number (2–120, < interval),
 *   healthyThreshold?: number (2–10), unhealthyThreshold?: number (2–10), path?: string }
 * Returns the target group's new settings ({ targetGroupArn, intervalSeconds, timeoutSeconds,
 * healthyThreshold, unhealthyThreshold, path }) or `{ error, code }`.
 */
import * as vscode from 'vscode';
import { loadAws } from '../../aws-loader';
import type { Services } from '../../services';
import type { Command } from '../types';
import { argObject, ArgumentError, askInt, checkArgs, clientsOr, intArg, invalid, isFailure, isTreeNode, pickTargetGroup, refused, refusedRetry, sdk, stringArg, t } from './common';

export interface HealthCheckSettings {
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  path: string;
}

export interface HealthCheckArgs extends Partial<HealthCheckSettings> {
  targetGroup: string;
  preset?: 'fast' | 'default';
}

/** Timing presets; they keep the health check path. */
export const HEALTH_CHECK_PRESETS: Record<'fast' | 'default', Omit<HealthCheckSettings, 'path'>> = {
  fast: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
  default: { intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5, unhealthyThreshold: 2 },
};

/** What is wrong with a combination, or undefined. */
export function validateHealthCheck(h: HealthCheckSettings): string | undefined {
  if (h.timeoutSeconds >= h.intervalSeconds) return t('The timeout ({0} s) must be shorter than the interval ({1} s).', h.timeoutSeconds, h.intervalSeconds);
  if (!h.path.startsWith('/') || h.path.length > 1024 || /\s/.test(h.path)) return t('The health check path must start with "/" and contain no spaces.');
  return undefined;
}

function parse(a: Partial<HealthCheckArgs>, current: HealthCheckSettings): HealthCheckSettings {
  const base = a.preset === undefined ? current : a.preset === 'fast' || a.preset === 'default' ? { ...HEALTH_CHECK_PRESETS[a.preset], path: current.path } : undefined;
  if (!base) throw new ArgumentError(t('"preset" must be "fast" or "default", got {0}.', JSON.stringify(a.preset)));
  return {
    intervalSeconds: intArg(a.intervalSeconds, 'intervalSeconds', 5, 300) ?? base.intervalSeconds,
    timeoutSeconds: intArg(a.timeoutSeconds, 'timeoutSeconds', 2, 120) ?? base.timeoutSeconds,
    healthyThreshold: intArg(a.healthyThreshold, 'healthyThreshold', 2, 10) ?? base.healthyThreshold,
    unhealthyThreshold: intArg(a.unhealthyThreshold, 'unhealthyThreshold', 2, 10) ?? base.unhealthyThreshold,
    path: stringArg(a.path, 'path') ?? base.path,
  };
}

async function currentSettings(s: Services, arn: string): Promise<HealthCheckSettings | undefined> {
  const c = await s.clientsOrFail();
  const { describeTargetGroups } = loadAws();
  const [g] = await describeTargetGroups(c.elbv2, { arns: [arn] });
  if (!g) return undefined;
  return {
    intervalSeconds: g.HealthCheckIntervalSeconds ?? 30,
    timeoutSeconds: g.HealthCheckTimeoutSeconds ?? 5,
    healthyThreshold: g.HealthyThresholdCount ?? 5,
    unhealthyThreshold: g.UnhealthyThresholdCount ?? 2,
    path: g.HealthCheckPath ?? '/',
  };
}

async function apply(s: Services, arn: string, h: HealthCheckSettings) {
  const c = await s.clientsOrFail();
  const out = await s.withProgress(t('Updating the health check…'), () =>
    c.elbv2.send(
      new (sdk().ModifyTargetGroupCommand)({
        TargetGroupArn: arn,
        HealthCheckIntervalSeconds: h.intervalSeconds,
        HealthCheckTimeoutSeconds: h.timeoutSeconds,
        HealthyThresholdCount: h.healthyThreshold,
        UnhealthyThresholdCount: h.unhealthyThreshold,
        HealthCheckPath: h.path,
      }),
    ),
  );
  s.refresh({ kind: 'loadBalancers' });
  const g = out.TargetGroups?.[0];
  return {
    targetGroupArn: arn,
    intervalSeconds: g?.HealthCheckIntervalSeconds ?? h.intervalSeconds,
    timeoutSeconds: g?.HealthCheckTimeoutSeconds ?? h.timeoutSeconds,
    healthyThreshold: g?.HealthyThresholdCount ?? h.healthyThreshold,
    unhealthyThreshold: g?.UnhealthyThresholdCount ?? h.unhealthyThreshold,
    path: g?.HealthCheckPath ?? h.path,
  };
}

export const configureHealthCheck: Command = {
  id: 'ecsHandson.targetGroup.configureHealthCheck',
  run: async (s, arg) => {
    const action = t('Configure health check');
    const a = argObject<HealthCheckArgs>(arg);
    if (a) {
      const arn = checkArgs(() => {
        const v = stringArg(a.targetGroup, 'targetGroup');
        if (!v || !v.startsWith('arn:')) throw new ArgumentError(t('"targetGroup" is required (a target group ARN).'));
        return v;
      });
      if (isFailure(arn)) return arn;
      const c = await clientsOr(s);
      if (isFailure(c)) return c;
      try {
        const current = await currentSettings(s, arn);
        if (!current) return invalid(t('Target group {0} not found.', arn));
        const h = checkArgs(() => parse(a, current));
        if (isFailure(h)) return h;
        const bad = validateHealthCheck(h);
        if (bad) return invalid(bad);
        return await apply(s, arn, h);
      } catch (e) {
        return refused(s, e, action);
      }
    }
    const c = await s.clientsOrFail();
    let arn = isTreeNode(arg) && arg.kind === 'targetGroup' ? arg.resource : undefined;
    if (!arn) arn = await pickTargetGroup(c, t('Target group'));
    if (!arn) return undefined;
    let current: HealthCheckSettings | undefined;
    try {
      current = await currentSettings(s, arn);
    } catch (e) {
      return refused(s, e, action);
    }
    if (!current) return invalid(t('Target group {0} not found.', arn));
    const preset = await vscode.window.showQuickPick(
      [
        { label: t('Fast'), description: t('every 5 s, timeout 2 s, healthy 2, unhealthy 2 — a dead task leaves the load balancer in ~10 s (shorter 502 window)'), value: 'fast' as const },
        { label: t('AWS defaults'), description: t('every 30 s, timeout 5 s, healthy 5, unhealthy 2'), value: 'default' as const },
        { label: t('Custom…'), description: t('currently every {0} s, timeout {1} s, healthy {2}, unhealthy {3}, path {4}', current.intervalSeconds, current.timeoutSeconds, current.healthyThreshold, current.unhealthyThreshold, current.path), value: 'custom' as const },
      ],
      { title: t('Health check of the target group') },
    );
    if (!preset) return undefined;
    let draft: HealthCheckSettings = preset.value === 'custom' ? { ...current } : { ...HEALTH_CHECK_PRESETS[preset.value], path: current.path };
    for (;;) {
      if (preset.value === 'custom') {
        const interval = await askInt(t('Interval (seconds)'), draft.intervalSeconds, 5, 300);
        if (interval === undefined) return undefined;
        const timeout = await askInt(t('Timeout (seconds), shorter than the interval'), Math.min(draft.timeoutSeconds, interval - 1), 2, Math.min(120, interval - 1));
        if (timeout === undefined) return undefined;
        const healthy = await askInt(t('Healthy threshold (consecutive successes)'), draft.healthyThreshold, 2, 10);
        if (healthy === undefined) return undefined;
        const unhealthy = await askInt(t('Unhealthy threshold (consecutive failures)'), draft.unhealthyThreshold, 2, 10);
        if (unhealthy === undefined) return undefined;
        const path = await vscode.window.showInputBox({ title: t('Health check path'), value: draft.path, validateInput: (v) => validateHealthCheck({ ...draft, intervalSeconds: interval, timeoutSeconds: timeout, path: v }) });
        if (path === undefined) return undefined;
        draft = { intervalSeconds: interval, timeoutSeconds: timeout, healthyThreshold: healthy, unhealthyThreshold: unhealthy, path };
      }
      try {
        const res = await apply(s, arn, draft);
        void vscode.window.showInformationMessage(t('Health check: every {0} s, timeout {1} s, healthy {2}, unhealthy {3}, path {4}.', res.intervalSeconds, res.timeoutSeconds, res.healthyThreshold, res.unhealthyThreshold, res.path));
        return res;
      } catch (e) {
        if (!(await refusedRetry(s, e, action))) return undefined;
      }
    }
  },
};
