/**
 * `ecsHandson.targetGroup.configureHealthCheck`: interval, timeout, healthy / unhealthy
 * thresholds and path of a target group's health check. The article notes that shorter thresholds
 * shorten the 502 window after a task dies: the "fast" preset (every 5 s, timeout 2 s, 2 / 2)
 * detects a dead target in about 10 s instead of 60 s; "default" restores AWS's defaults.
 *
 * Arguments (`HealthCheckArgs`): { targetGroup: string (ARN), preset?: "fast" | "default" (timings
 *   only; the path is kept unless given),
 *   intervalSeconds?: number (5–300), timeoutSeconds?: number (2–120, < interval),
 *   healthyThreshold?: number (2–10), unhealthyThreshold?: number (2–10), path?: string }
 * Returns the target group's new settings ({ targetGroupArn, intervalSeconds, timeoutSeconds,
 * healthyThreshold, unhealthyThreshold, path }) or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { ArgReader } from '../../../core/commands/args';
import type { HealthCheckArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { UiContext } from '../../ui-context';
import { defineCommand, type CommandContext } from '../command';
import { askInt, pickTargetGroup } from '../pickers';

export interface HealthCheckSettings {
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  path: string;
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

type Preset = 'fast' | 'default' | 'custom';

/** The target group, how to change it, and (from a person) the settings entered. */
interface Draft {
  targetGroup: string;
  preset?: Preset;
  /** Values given as arguments (they override the preset's). */
  given: Partial<HealthCheckSettings>;
  /** What a person entered (kept for a Retry). */
  entered?: HealthCheckSettings;
}

function fromArgs(r: ArgReader<HealthCheckArgs>): Draft {
  const targetGroup = r.string('targetGroup');
  if (!targetGroup || !targetGroup.startsWith('arn:')) return r.fail(t('"targetGroup" is required (a target group ARN).'), 'targetGroup');
  const given: Partial<HealthCheckSettings> = {
    intervalSeconds: r.int('intervalSeconds', 5, 300),
    timeoutSeconds: r.int('timeoutSeconds', 2, 120),
    healthyThreshold: r.int('healthyThreshold', 2, 10),
    unhealthyThreshold: r.int('unhealthyThreshold', 2, 10),
    path: r.string('path'),
  };
  return { targetGroup, preset: r.oneOf('preset', ['fast', 'default'] as const), given };
}

/** The settings to apply: what was entered, or the preset (or the current settings) with the given values. */
function settingsOf(d: Draft, current: HealthCheckSettings): HealthCheckSettings {
  if (d.entered) return d.entered;
  const base = d.preset === 'fast' || d.preset === 'default' ? { ...HEALTH_CHECK_PRESETS[d.preset], path: current.path } : current;
  const defined = Object.fromEntries(Object.entries(d.given).filter(([, v]) => v !== undefined)) as Partial<HealthCheckSettings>;
  return { ...base, ...defined };
}

async function currentSettings(s: UiContext, arn: string): Promise<HealthCheckSettings> {
  const c = await s.clientsOrFail();
  const { describeTargetGroups } = loadAws();
  const [g] = await describeTargetGroups(c.elbv2, { arns: [arn] });
  if (!g) throw new CommandError(t('Target group {0} not found.', arn), 'NotFound');
  return {
    intervalSeconds: g.HealthCheckIntervalSeconds ?? 30,
    timeoutSeconds: g.HealthCheckTimeoutSeconds ?? 5,
    healthyThreshold: g.HealthyThresholdCount ?? 5,
    unhealthyThreshold: g.UnhealthyThresholdCount ?? 2,
    path: g.HealthCheckPath ?? '/',
  };
}

async function apply(ctx: CommandContext, arn: string, h: HealthCheckSettings) {
  const s = ctx.services;
  const c = await s.clientsOrFail();
  const out = await ctx.progress(t('Updating the health check…'), () =>
    c.elbv2.send(
      new (loadAws().operateSdk.ModifyTargetGroupCommand)({
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

/** A person chooses a preset, or custom values (prefilled with what was entered before or the current ones). */
async function ask(ctx: CommandContext, d: Draft): Promise<Draft | undefined> {
  const current = await currentSettings(ctx.services, d.targetGroup);
  let preset = d.preset;
  if (!preset) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: t('Fast'), description: t('every 5 s, timeout 2 s, healthy 2, unhealthy 2 — a dead task leaves the load balancer in ~10 s (shorter 502 window)'), value: 'fast' as const },
        { label: t('AWS defaults'), description: t('every 30 s, timeout 5 s, healthy 5, unhealthy 2'), value: 'default' as const },
        { label: t('Custom…'), description: t('currently every {0} s, timeout {1} s, healthy {2}, unhealthy {3}, path {4}', current.intervalSeconds, current.timeoutSeconds, current.healthyThreshold, current.unhealthyThreshold, current.path), value: 'custom' as const },
      ],
      { title: t('Health check of the target group') },
    );
    if (!picked) return undefined;
    preset = picked.value;
  }
  if (preset !== 'custom') return { ...d, preset };
  const draft = d.entered ?? current;
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
  return { ...d, preset, entered: { intervalSeconds: interval, timeoutSeconds: timeout, healthyThreshold: healthy, unhealthyThreshold: unhealthy, path } };
}

export const configureHealthCheck = defineCommand({
  id: 'ecsHandson.targetGroup.configureHealthCheck',
  title: () => t('Configure health check'),
  args: fromArgs,
  row: (node): Draft | undefined => (node.resource ? { targetGroup: node.resource, given: {} } : undefined),
  palette: async (ctx): Promise<Draft | undefined> => {
    const arn = await pickTargetGroup(await ctx.clients(), t('Target group'));
    return arn ? { targetGroup: arn, given: {} } : undefined;
  },
  ask,
  run: async (ctx, d) => {
    const h = settingsOf(d, await currentSettings(ctx.services, d.targetGroup));
    const bad = validateHealthCheck(h);
    if (bad) throw new CommandError(bad);
    const res = await apply(ctx, d.targetGroup, h);
    ctx.tell(t('Health check: every {0} s, timeout {1} s, healthy {2}, unhealthy {3}, path {4}.', res.intervalSeconds, res.timeoutSeconds, res.healthyThreshold, res.unhealthyThreshold, res.path));
    return res;
  },
});
