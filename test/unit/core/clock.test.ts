import assert from 'node:assert/strict';
import { scaledClock, toRealMs } from '../../../src/core/clock';
import { relativeTime } from '../../../src/core/format';

describe('core/clock', () => {
  it('extrapolates the sandbox clock from a status sample', () => {
    let real = 1_000_000;
    const now = scaledClock({ now: 5_000_000, timeScale: 10, sampledAt: 1_000_000 }, () => real);
    assert.equal(now(), 5_000_000);
    real += 1500;
    assert.equal(now(), 5_015_000);
  });

  it('makes relative times right for events stamped in sandbox time', () => {
    let real = 0;
    const now = scaledClock({ now: 600_000, timeScale: 100, sampledAt: 0 }, () => real);
    real = 1200; // 1.2 s real = 2 min simulated
    assert.equal(relativeTime(600_000, now()), '2 min ago');
  });

  it('treats a bad scale as real time, and converts durations', () => {
    let real = 10;
    const now = scaledClock({ now: 100, timeScale: 0, sampledAt: 10 }, () => real);
    real = 20;
    assert.equal(now(), 110);
    assert.equal(toRealMs(180_000, 10), 18_000);
  });
});
