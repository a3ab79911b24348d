/**
 * The arithmetic shared by Application Auto Scaling and EC2 Auto Scaling: which step adjustment a
 * breach falls in, how an adjustment turns into a new capacity, clamping. Pure.
 */

export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';

export interface StepAdjustment {
  /** Relative to the alarm threshold; undefined = -infinity. */
  lower?: number;
  /** Relative to the alarm threshold; undefined = +infinity. */
  upper?: number;
  adjustment: number;
}

/**
 * The step whose interval holds `delta` (breaching value − threshold). As AWS documents it: above
 * the threshold (delta ≥ 0) the lower bound is inclusive and the upper exclusive; below it, the
 * lower bound is exclusive and the upper inclusive. Without a value (undefined delta), the step
 * whose interval touches 0 is used.
 */
export function findStep(steps: readonly StepAdjustment[], delta: number | undefined): StepAdjustment | undefined {
  if (steps.length === 0) return undefined;
  if (delta === undefined || !Number.isFinite(delta)) {
    return (
      steps.find((s) => (s.lower ?? -Infinity) <= 0 && 0 <= (s.upper ?? Infinity)) ??
      (steps.length === 1 ? steps[0] : undefined)
    );
  }
  const lo = (s: StepAdjustment) => s.lower ?? -Infinity;
  const hi = (s: StepAdjustment) => s.upper ?? Infinity;
  if (delta >= 0) return steps.find((s) => lo(s) <= delta && delta < hi(s)) ?? steps.find((s) => lo(s) <= delta && delta <= hi(s));
  return steps.find((s) => lo(s) < delta && delta <= hi(s)) ?? steps.find((s) => lo(s) <= delta && delta <= hi(s));
}

/**
 * The capacity an adjustment asks for, before clamping. PercentChangeInCapacity: a change between
 * 0 and 1 (or -1 and 0) counts as 1 (-1); larger ones are truncated toward 0; then
 * MinAdjustmentMagnitude raises a smaller change to that magnitude.
 */
export function adjustedCapacity(current: number, type: AdjustmentType, adjustment: number, minAdjustmentMagnitude?: number): number {
  switch (type) {
    case 'ExactCapacity':
      return adjustment;
    case 'ChangeInCapacity':
      return current + adjustment;
    case 'PercentChangeInCapacity': {
      const raw = (current * adjustment) / 100;
      let change = raw === 0 ? 0 : Math.abs(raw) < 1 ? Math.sign(raw) : Math.trunc(raw);
      if (minAdjustmentMagnitude && change !== 0 && Math.abs(change) < minAdjustmentMagnitude) change = Math.sign(change) * minAdjustmentMagnitude;
      return current + change;
    }
  }
}

export const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

/**
 * Checks a step list as AWS does: bounds ordered, no overlaps, no gaps, at most one open end each
 * way. Returns the problem in AWS's words, or undefined.
 */
export function stepProblem(steps: readonly StepAdjustment[]): string | undefined {
  for (const s of steps) {
    if (s.lower === undefined && s.upper === undefined) return 'Both lower and upper bounds of a step adjustment cannot be null.';
    if (s.lower !== undefined && s.upper !== undefined && s.upper <= s.lower) return 'Upper bound must be greater than lower bound for a step adjustment.';
  }
  if (steps.filter((s) => s.lower === undefined).length > 1) return 'There can be only one step adjustment with a null lower bound.';
  if (steps.filter((s) => s.upper === undefined).length > 1) return 'There can be only one step adjustment with a null upper bound.';
  const sorted = [...steps].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
  for (let i = 1; i < sorted.length; i++) {
    const prevHi = sorted[i - 1].upper ?? Infinity;
    const lo = sorted[i].lower ?? -Infinity;
    if (lo < prevHi) return 'Step adjustments must not overlap.';
    if (lo > prevHi) return 'Step adjustments must not have gaps between them.';
  }
  return undefined;
}
