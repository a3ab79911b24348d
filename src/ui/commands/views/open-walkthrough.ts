/** `ecsHandson.walkthrough.open`: the hands-on panel, at a step when given (`'kill-container'` or `{ step }`). Returns true. */
import { isStepId } from '../../../core/walkthrough/progress';
import type { StepId } from '../../../core/walkthrough/step-ids';
import { t } from '../../l10n';
import { defineCommand } from '../command';

type Draft = { step?: StepId };

export const openWalkthrough = defineCommand({
  id: 'ecsHandson.walkthrough.open',
  title: () => t('Open the hands-on'),
  args: (r): Draft => {
    const raw: unknown = r.raw;
    const step = typeof raw === 'string' ? raw : raw && typeof raw === 'object' ? (raw as { step?: unknown }).step : undefined;
    return { step: isStepId(step) ? step : undefined };
  },
  palette: (): Draft => ({}),
  run: async (ctx, d) => {
    ctx.parts.walkthrough.open(d.step);
    return true;
  },
});
