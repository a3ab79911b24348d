import assert from 'node:assert/strict';
import { estimateCost, usd } from '../../../src/core/walkthrough/costs';
import { STEPS } from '../../../src/core/walkthrough/steps';

describe('walkthrough/costs estimateCost', () => {
  it('prices every instance type the cluster step offers', () => {
    const options = STEPS['create-cluster'].inputs.find((i) => i.key === 'instanceType')?.options ?? [];
    assert.ok(options.length > 0);
    for (const type of options) assert.ok(estimateCost(type, 2).perHour !== undefined, `${type} has a price`);
  });

  it('2 × t3.small with the ALB: about $0.10 per hour, $0.16 at four instances; more instances cost more', () => {
    const e = estimateCost('t3.small', 2);
    assert.equal(usd(e.perHour!), '$0.099');
    assert.equal(usd(e.peakPerHour!), '$0.16');
    assert.ok(estimateCost('m5.large', 2).perHour! > e.perHour!);
    assert.equal(estimateCost('t3.small', 6).peakPerHour, estimateCost('t3.small', 6).perHour, 'more than four: the peak is the count');
  });

  it('an instance type it does not know has no estimate (the notice says to look it up)', () => {
    assert.deepEqual(estimateCost('x9.huge', 2), { instanceType: 'x9.huge', count: 2 });
  });
});
