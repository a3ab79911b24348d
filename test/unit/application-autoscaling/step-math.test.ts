import { strict as assert } from 'node:assert';
import { adjustedCapacity, clamp, findStep, stepProblem } from '../../../src/sandbox/application-autoscaling/step-math';

describe('scaling step arithmetic', () => {
  const out = [
    { lower: 0, upper: 10, adjustment: 1 },
    { lower: 10, upper: 20, adjustment: 2 },
    { lower: 20, adjustment: 3 },
  ];
  const inn = [
    { upper: -10, adjustment: -2 },
    { lower: -10, upper: 0, adjustment: -1 },
  ];

  it('above the threshold: lower bound inclusive, upper exclusive', () => {
    assert.equal(findStep(out, 0)?.adjustment, 1);
    assert.equal(findStep(out, 9.99)?.adjustment, 1);
    assert.equal(findStep(out, 10)?.adjustment, 2);
    assert.equal(findStep(out, 20)?.adjustment, 3);
    assert.equal(findStep(out, 1e9)?.adjustment, 3);
    assert.equal(findStep(out, -1), undefined);
  });

  it('below the threshold: lower bound exclusive, upper inclusive', () => {
    assert.equal(findStep(inn, -10)?.adjustment, -2);
    assert.equal(findStep(inn, -9.5)?.adjustment, -1);
    assert.equal(findStep(inn, -50)?.adjustment, -2);
  });

  it('without a value, the step touching 0 is used', () => {
    assert.equal(findStep(out, undefined)?.adjustment, 1);
    assert.equal(findStep(inn, undefined)?.adjustment, -1);
  });

  it('adjustment types', () => {
    assert.equal(adjustedCapacity(2, 'ChangeInCapacity', 2), 4);
    assert.equal(adjustedCapacity(4, 'ChangeInCapacity', -1), 3);
    assert.equal(adjustedCapacity(4, 'ExactCapacity', 7), 7);
    // 10 % of 4 = 0.4 → 1; -10 % of 4 → -1; 50 % of 5 = 2.5 → 2; -50 % of 5 = -2.5 → -2
    assert.equal(adjustedCapacity(4, 'PercentChangeInCapacity', 10), 5);
    assert.equal(adjustedCapacity(4, 'PercentChangeInCapacity', -10), 3);
    assert.equal(adjustedCapacity(5, 'PercentChangeInCapacity', 50), 7);
    assert.equal(adjustedCapacity(5, 'PercentChangeInCapacity', -50), 3);
    // MinAdjustmentMagnitude raises a smaller change
    assert.equal(adjustedCapacity(4, 'PercentChangeInCapacity', 10, 3), 7);
    assert.equal(adjustedCapacity(4, 'PercentChangeInCapacity', -10, 2), 2);
  });

  it('clamp', () => {
    assert.equal(clamp(7, 2, 4), 4);
    assert.equal(clamp(0, 2, 4), 2);
    assert.equal(clamp(3, 2, 4), 3);
  });

  it('step lists: overlaps, gaps and open ends are refused', () => {
    assert.equal(stepProblem(out), undefined);
    assert.equal(stepProblem(inn), undefined);
    assert.match(stepProblem([{ lower: 0, upper: 10, adjustment: 1 }, { lower: 5, adjustment: 2 }])!, /overlap/);
    assert.match(stepProblem([{ lower: 0, upper: 10, adjustment: 1 }, { lower: 15, adjustment: 2 }])!, /gaps/);
    assert.match(stepProblem([{ lower: 0, adjustment: 1 }, { lower: 10, adjustment: 2 }])!, /null upper bound/);
    assert.match(stepProblem([{ adjustment: 1 }])!, /cannot be null/);
    assert.match(stepProblem([{ lower: 10, upper: 5, adjustment: 1 }])!, /greater than lower/);
  });
});
