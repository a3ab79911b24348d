import assert from 'node:assert/strict';
import { costNotice, estimateCost, PRICED_REGIONS, usd } from '../../../src/core/walkthrough/costs';
import { defaultTranslate as t } from '../../../src/core/l10n';
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
    const e = estimateCost('x9.huge', 2);
    assert.equal(e.perHour, undefined);
    assert.equal(e.instancePerHour, undefined);
  });

  it('t3.small and the load balancer in the regions a hands-on is run in, each its own price', () => {
    const hourly = (region: string) => [estimateCost('t3.small', 2, region).instancePerHour, estimateCost('t3.small', 2, region).loadBalancerPerHour];
    assert.deepEqual(
      ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1'].map((r) => [r, ...hourly(r).map((n) => usd(n!))]),
      [
        ['us-east-1', '$0.021', '$0.041'],
        ['us-west-2', '$0.021', '$0.041'],
        ['eu-west-1', '$0.023', '$0.043'],
        ['eu-central-1', '$0.024', '$0.045'],
        ['ap-northeast-1', '$0.027', '$0.042'],
        ['ap-southeast-1', '$0.026', '$0.043'],
      ],
    );
    assert.equal(usd(estimateCost('t3.small', 2, 'ap-northeast-1').perHour!), '$0.11');
  });

  it('the notice: approximate prices of the region, and plainly no price where the table has none', () => {
    const tokyo = costNotice('t3.small', 2, 'ap-northeast-1', t);
    assert.equal(tokyo, 'Roughly $0.11 per hour with 2 instances ($0.027 each), up to $0.18 per hour while the Blue/Green and auto scaling steps run 4 instances; the load balancer is about $0.042 of it. Approximate On-Demand prices of Asia Pacific (Tokyo) with volumes and public IPv4 addresses: check the EC2 and Elastic Load Balancing pricing pages.');
    assert.equal(
      costNotice('m5.large', 2, 'eu-west-1', t),
      'This extension has no price for m5.large in Europe (Ireland): see the EC2 On-Demand pricing page. The load balancer is about $0.043 per hour there (approximate, check the Elastic Load Balancing pricing page).',
    );
    assert.equal(
      costNotice('t3.small', 2, 'sa-east-1', t),
      `This extension has no prices for region sa-east-1 (it knows ${PRICED_REGIONS.join(', ')}): see the EC2 On-Demand and Elastic Load Balancing pricing pages. For comparison, the same resources cost about $0.099 per hour in US East (N. Virginia).`,
    );
    assert.ok(!/\$/.test(costNotice('x9.huge', 2, 'sa-east-1', t)), 'no number at all for an unknown type in an unknown region');
  });
});
